//! A scaled-down picture encoded for the terminal at a size in cells: unicode half blocks with
//! 24-bit colour (any terminal), or kitty / sixel / iTerm2 through `ratatui-image`'s picker.
//! Runs off the UI thread (a worker, or `preview` on the command line).

use std::fmt;
use std::sync::Arc;

use image::DynamicImage;
use ratatui::layout::Size;
use ratatui_image::Resize;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::Protocol;
use ratatui_image::protocol::halfblocks::Halfblocks;

use super::decode::{fit_cells, shrunk};

/// How pictures are written to this terminal.
#[derive(Debug, Clone)]
pub enum Graphics {
    /// `▀` with the upper pixel as foreground and the lower as background: every terminal with
    /// colour, tmux included, with no query and no side effect.
    Halfblocks,
    /// A graphics protocol found (or asked for): the picker knows which, and the cell size.
    Protocol(Picker),
}

impl Graphics {
    /// A cell's size in pixels, for keeping a picture's shape (half blocks: 1 × 2).
    pub fn font(&self) -> (u16, u16) {
        match self {
            Graphics::Halfblocks => (1, 2),
            Graphics::Protocol(picker) => {
                let f = picker.font_size();
                (f.width.max(1), f.height.max(1))
            }
        }
    }

    /// Whether it draws with characters only (nothing to erase but the cells).
    pub fn is_text(&self) -> bool {
        match self {
            Graphics::Halfblocks => true,
            Graphics::Protocol(picker) => picker.protocol_type() == ProtocolType::Halfblocks,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Graphics::Halfblocks => "halfblocks",
            Graphics::Protocol(picker) => match picker.protocol_type() {
                ProtocolType::Halfblocks => "halfblocks",
                ProtocolType::Kitty => "kitty",
                ProtocolType::Sixel => "sixel",
                ProtocolType::Iterm2 => "iterm2",
            },
        }
    }
}

/// A picture ready to draw: the encoded form and the cells it covers.
#[derive(Clone)]
pub struct Encoded {
    pub protocol: Arc<Protocol>,
    /// The cells it covers (at most the box it was encoded for).
    pub cells: (u16, u16),
}

impl fmt::Debug for Encoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Encoded({}×{} cells)", self.cells.0, self.cells.1)
    }
}

impl PartialEq for Encoded {
    fn eq(&self, other: &Encoded) -> bool {
        Arc::ptr_eq(&self.protocol, &other.protocol)
    }
}

/// Encodes `picture` to fit a box of `cols` × `rows` cells, keeping its shape. None when the
/// box is empty; Err with a sentence when the encoder fails.
pub fn encode(graphics: &Graphics, picture: &DynamicImage, cols: u16, rows: u16) -> Result<Option<Encoded>, String> {
    let font = graphics.font();
    let (fc, fr) = fit_cells(picture.width(), picture.height(), cols, rows, font);
    if fc == 0 || fr == 0 {
        return Ok(None);
    }
    let size = Size::new(fc, fr);
    // Shrink first with a fast filter: the encoders' own resizing works in f32 and costs 20 to
    // 37 % more (../shared/PREVIEWS.md).
    let target = (u32::from(fc) * u32::from(font.0), u32::from(fr) * u32::from(font.1));
    let small = shrunk(picture, target.0, target.1);
    let protocol = match graphics {
        Graphics::Halfblocks => Halfblocks::new(small, size).map(Protocol::Halfblocks),
        Graphics::Protocol(picker) => picker.new_protocol(small, size, Resize::Fit(None)),
    }
    .map_err(|e| format!("the picture could not be encoded for this terminal ({e})"))?;
    let cells = (protocol.size().width, protocol.size().height);
    Ok(Some(Encoded { protocol: Arc::new(protocol), cells }))
}
