//! The picture in the detail pane: whether pictures are shown at all (`--preview off`, `p`),
//! which asset's picture is wanted and where it goes, and what is known of it (on its way,
//! here, or why not). It follows the detail: `sync_preview` runs after every message and asks
//! for the picture of the asset on screen, at the slot's size; a picture that arrives for
//! anything else (an asset passed over, a size no longer wanted) is dropped by its request.
//! Only the picture on screen is kept in memory.

use std::sync::Arc;

use image::DynamicImage;

use super::{App, Effect, RequestId, Status};
use crate::present::wrap::{TextLine, Tone, push_wrapped};
pub use crate::preview::{Encoded, PreviewKey};
use crate::preview::{fit_cells, pick_url};

/// From this width of the detail's text on, the picture sits beside the fields (the text keeps
/// 53 columns: a label and a 40-column value).
pub const BESIDE_FROM: u16 = 90;
/// The smallest slot worth a picture, in cells.
const MIN_COLS: u16 = 8;
const MIN_ROWS: u16 = 3;
/// The tallest a picture gets below the fields.
const MAX_ROWS: u16 = 40;

/// Whether pictures are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `--preview off`, or not set up (yet): nothing is fetched and no line is shown.
    Off,
    /// `p` hid them for this session.
    Hidden,
    Shown,
}

/// What is known of the picture on screen.
#[derive(Debug, Clone, PartialEq)]
pub enum PictureState {
    /// On its way, from the cache or the file host.
    Loading,
    /// Here: scaled down (kept to encode again on resize) and encoded for the slot (None while
    /// it is encoded for a new size).
    Ready { image: Arc<DynamicImage>, encoded: Option<Encoded> },
    /// Why there is none, as the end of "Preview unavailable: …".
    Failed(String),
}

/// A finished piece of picture work, as the loop reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct PictureReady {
    pub image: Arc<DynamicImage>,
    pub encoded: Option<Encoded>,
    /// The box it was encoded for.
    pub cells: (u16, u16),
}

#[derive(Debug, Clone, PartialEq)]
struct Current {
    key: PreviewKey,
    /// Where it was asked from (a failure is retried from a new URL: they are re-signed on
    /// every answer, and an expired one answers 403).
    url: String,
    /// The slot's size now.
    cells: (u16, u16),
    /// The work in flight, if any.
    request: Option<RequestId>,
    state: PictureState,
}

#[derive(Debug, Clone)]
pub struct Preview {
    mode: Mode,
    /// A cell's size in pixels (1 × 2 for half blocks).
    font: (u16, u16),
    /// An image's own file is used as its picture only up to this size.
    max_bytes: u64,
    /// Pictures are half blocks (characters), not a graphics protocol.
    text_only: bool,
    current: Option<Current>,
}

impl Default for Preview {
    fn default() -> Preview {
        Preview { mode: Mode::Off, font: (1, 2), max_bytes: 0, text_only: true, current: None }
    }
}

/// Where the picture sits in the detail's content: from line `line` (counted before
/// scrolling), `x` columns in, a box of `cols` × `rows` cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PictureSlot {
    pub line: usize,
    pub x: u16,
    pub cols: u16,
    pub rows: u16,
}

/// The detail's text with room made for the picture.
#[derive(Debug, Clone, PartialEq)]
pub struct DetailContent {
    pub lines: Vec<TextLine>,
    pub picture: Option<PictureSlot>,
}

/// What the pane wants to show of the asset's picture.
enum Wanted {
    Nothing,
    Line(String, Tone),
    Picture { key: PreviewKey, url: String },
}

impl Preview {
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The picture on screen's state, if there is one.
    pub fn state(&self) -> Option<&PictureState> {
        self.current.as_ref().map(|c| &c.state)
    }

    /// The asset whose picture is kept.
    pub fn key(&self) -> Option<&PreviewKey> {
        self.current.as_ref().map(|c| &c.key)
    }

    /// Whether pictures are characters (half blocks), which can be cut when scrolled.
    pub fn draws_text(&self) -> bool {
        self.text_only
    }

    /// Picture work in flight.
    pub fn request(&self) -> Option<RequestId> {
        self.current.as_ref().and_then(|c| c.request)
    }
}

impl App {
    pub fn preview(&self) -> &Preview {
        &self.preview
    }

    fn wanted_picture(&self) -> Wanted {
        if self.preview.mode != Mode::Shown || self.detail.task_only().is_some() {
            return Wanted::Nothing;
        }
        let (Some(shown), Some(asset_id)) = (self.detail.shown(), self.detail.asset_id()) else {
            return Wanted::Nothing;
        };
        match pick_url(&shown.asset, self.preview.max_bytes) {
            Err(reason) => Wanted::Line(reason.to_string(), Tone::Hint),
            Ok(url) => {
                let key = PreviewKey::for_asset(asset_id, &shown.asset);
                let current = self.preview.current.as_ref().filter(|c| c.key == key);
                match current {
                    Some(Current { state: PictureState::Failed(reason), url: failed, .. }) if *failed == url => {
                        Wanted::Line(format!("Preview unavailable: {reason}"), Tone::Bad)
                    }
                    _ => Wanted::Picture { key, url },
                }
            }
        }
    }

    /// The rows a picture `cols` wide takes, by the asset's own shape (else 16:9).
    fn picture_rows(&self, cols: u16) -> u16 {
        let shape = self
            .detail
            .shown()
            .and_then(|s| Some((s.asset.width()?, s.asset.height()?)))
            .filter(|(w, h)| *w > 0 && *h > 0)
            .map(|(w, h)| (w.min(u64::from(u32::MAX)) as u32, h.min(u64::from(u32::MAX)) as u32))
            .unwrap_or((16, 9));
        fit_cells(shape.0, shape.1, cols, MAX_ROWS, self.preview.font).1
    }

    /// The detail's text at its current width, with the picture's place (below the text, in the
    /// free space or reached by scrolling; beside the fields when the pane is wide) or the line
    /// that says why there is none.
    pub fn detail_content(&self) -> DetailContent {
        let area = self.layout.detail_text();
        // The picture goes after the text: the fields and the generation keep their places.
        let text = |width: u16| {
            self.detail.lines(width, self.now, self.spinner(), self.hint.as_deref(), self.generation.as_ref())
        };
        match self.wanted_picture() {
            Wanted::Nothing => DetailContent { lines: text(area.width), picture: None },
            Wanted::Line(line, tone) => {
                let mut lines = text(area.width);
                lines.push(TextLine::plain(String::new(), Tone::Plain));
                push_wrapped(&mut lines, &line, area.width as usize, tone);
                DetailContent { lines, picture: None }
            }
            Wanted::Picture { .. } if area.width >= BESIDE_FROM => {
                let cols = area.width * 2 / 5;
                let text_width = area.width - cols - 1;
                let rows = self.picture_rows(cols).min(area.height);
                if rows < MIN_ROWS {
                    return DetailContent { lines: text(area.width), picture: None };
                }
                let mut lines = text(text_width);
                // The content is at least as tall as the picture, for scrolling.
                while lines.len() < rows as usize {
                    lines.push(TextLine::plain(String::new(), Tone::Plain));
                }
                DetailContent { lines, picture: Some(PictureSlot { line: 0, x: text_width + 1, cols, rows }) }
            }
            Wanted::Picture { .. } => {
                let mut lines = text(area.width);
                let at = lines.len();
                // The free space below the text, or half the pane when the text fills it.
                let free = (area.height as usize).saturating_sub(at + 1) as u16;
                let rows = self.picture_rows(area.width).min(free.max(area.height / 2));
                if rows < MIN_ROWS || area.width < MIN_COLS {
                    return DetailContent { lines, picture: None };
                }
                lines.extend((0..=rows).map(|_| TextLine::plain(String::new(), Tone::Plain)));
                DetailContent { lines, picture: Some(PictureSlot { line: at + 1, x: 0, cols: area.width, rows }) }
            }
        }
    }

    /// Keeps the picture in step with the detail: asks for the picture of the asset on screen
    /// at the slot's size, encodes the kept one again when the slot changes, and lets go of
    /// one no longer shown (cancelling its work).
    pub(super) fn sync_preview(&mut self) -> Vec<Effect> {
        if self.preview.mode == Mode::Off {
            return vec![];
        }
        let wanted = match self.wanted_picture() {
            Wanted::Picture { key, url } => {
                self.detail_content().picture.map(|slot| (key, url, (slot.cols, slot.rows)))
            }
            _ => None,
        };
        let Some((key, url, cells)) = wanted else {
            // Failed pictures stay known (their line is shown); anything else is let go.
            let keep = matches!(self.preview.state(), Some(PictureState::Failed(_)))
                && self.wanted_picture_key().as_ref() == self.preview.key();
            if keep {
                return vec![];
            }
            return match self.preview.current.take() {
                Some(Current { request: Some(_), .. }) => vec![Effect::CancelPreview],
                _ => vec![],
            };
        };
        // A picture that failed from another URL is asked for afresh, as for a new asset.
        let same = self
            .preview
            .current
            .as_ref()
            .filter(|c| c.key == key && !matches!(c.state, PictureState::Failed(_)))
            .map(|c| c.cells);
        if same == Some(cells) {
            return vec![];
        }
        let request = self.take_request_id();
        let Some(current) = self.preview.current.as_mut().filter(|_| same.is_some()) else {
            // A new asset: whatever was on its way for the last one is abandoned by the worker.
            let state = PictureState::Loading;
            self.preview.current =
                Some(Current { key: key.clone(), url: url.clone(), cells, request: Some(request), state });
            return vec![Effect::LoadPreview { request, key, url, cells }];
        };
        current.cells = cells;
        match &mut current.state {
            // The picture coming is encoded again when it arrives, if need be.
            PictureState::Loading | PictureState::Failed(_) => vec![],
            PictureState::Ready { image, encoded } => {
                // A picture still fitting stays on screen until the new one is ready.
                if encoded.as_ref().is_some_and(|e| e.cells.0 > cells.0 || e.cells.1 > cells.1) {
                    *encoded = None;
                }
                current.request = Some(request);
                vec![Effect::EncodePreview { request, image: Arc::clone(image), cells }]
            }
        }
    }

    fn wanted_picture_key(&self) -> Option<PreviewKey> {
        let shown = self.detail.shown()?;
        Some(PreviewKey::for_asset(self.detail.asset_id()?, &shown.asset))
    }

    /// Picture work finished: kept if it is for the picture still wanted, else dropped.
    pub(super) fn on_preview(&mut self, request: RequestId, result: Result<PictureReady, String>) -> Vec<Effect> {
        let Some(current) = self.preview.current.as_mut().filter(|c| c.request == Some(request)) else {
            return vec![]; // for an asset passed over, or a size no longer wanted
        };
        current.request = None;
        match result {
            Ok(ready) => {
                let stale = ready.cells != current.cells;
                current.state = PictureState::Ready { image: Arc::clone(&ready.image), encoded: ready.encoded };
                if stale {
                    // The slot changed while it was on its way (a resize): encode it again.
                    let request = self.take_request_id();
                    if let Some(current) = self.preview.current.as_mut() {
                        current.request = Some(request);
                        return vec![Effect::EncodePreview { request, image: ready.image, cells: current.cells }];
                    }
                }
                vec![]
            }
            Err(reason) => {
                current.state = PictureState::Failed(reason);
                vec![]
            }
        }
    }

    /// Pictures can be drawn: how big a cell is, and how large an image's own file may be to
    /// stand in for a missing preview.
    pub(super) fn on_preview_setup(&mut self, font: (u16, u16), max_bytes: u64, text_only: bool) {
        let font = (font.0.max(1), font.1.max(1));
        self.preview = Preview { mode: Mode::Shown, font, max_bytes, text_only, current: None };
    }

    /// `p`: hides or shows pictures for this session.
    pub(super) fn toggle_preview(&mut self) {
        self.preview.mode = match self.preview.mode {
            Mode::Off => {
                self.status = Status::info(
                    "Pictures are off (--preview off, preview = \"off\" in config.toml, or no terminal).".to_string(),
                );
                return;
            }
            Mode::Hidden => {
                self.status = Status::info("Pictures shown (p hides them).".to_string());
                Mode::Shown
            }
            Mode::Shown => {
                self.status = Status::info("Pictures hidden for this session (p shows them).".to_string());
                Mode::Hidden
            }
        };
    }
}
