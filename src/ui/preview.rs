//! The picture in the detail pane, drawn into the slot the app made for it below (or beside)
//! the fields, scrolled with the text. Half blocks are characters, so a picture partly scrolled
//! away shows its visible rows; a graphics protocol's picture is drawn only when all of it is
//! on screen (kitty, sixel and iTerm2 cannot be cut), else its place says how to bring it in.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::theme;
use crate::app::{App, Focus, PictureSlot, PictureState};
use crate::present::wrap::Tone;

/// Draws the picture of `slot` in the detail's text area `inner`, scrolled by `scroll` lines.
pub fn draw(frame: &mut Frame, app: &App, inner: Rect, scroll: usize, slot: PictureSlot) {
    let Some(state) = app.preview().state() else { return };
    // A graphics protocol's picture cannot lie under an overlay (the help, the chooser): it is
    // left out while one is open, and drawn again, whole, once it closes.
    if !app.preview().draws_text() && (app.help_open() || app.chooser().is_some()) {
        return;
    }
    // The slot's rows on screen: from `top` (may be above the pane) for `slot.rows`.
    let top = inner.y as i64 + slot.line as i64 - scroll as i64;
    let bottom = top + i64::from(slot.rows);
    let visible_top = top.max(i64::from(inner.y));
    let visible_bottom = bottom.min(i64::from(inner.bottom()));
    if visible_top >= visible_bottom {
        return;
    }
    let x = inner.x + slot.x.min(inner.width);
    let width = slot.cols.min(inner.right().saturating_sub(x));
    match state {
        PictureState::Loading | PictureState::Ready { encoded: None, .. } => {
            let line = Rect::new(x, visible_top as u16, width, 1);
            if top >= i64::from(inner.y) {
                frame.render_widget(
                    Paragraph::new(Span::styled("Loading the preview…", theme::tone(Tone::Pending))),
                    line,
                );
            }
        }
        PictureState::Failed(_) => {} // the text says why, in the lines
        PictureState::Ready { encoded: Some(encoded), .. } => {
            let (cols, rows) = encoded.cells;
            // Centred in the slot's width.
            let x = x + width.saturating_sub(cols) / 2;
            let cols = cols.min(width);
            let whole = top >= i64::from(inner.y) && top + i64::from(rows) <= i64::from(inner.bottom());
            if whole {
                let area = Rect::new(x, top as u16, cols, rows);
                ratatui_image::Image::new(&encoded.protocol).render(area, frame.buffer_mut());
            } else if !app.preview().draws_text() {
                // Only its place shows: say where the picture is, or the blank looks like none.
                let rows = (visible_bottom - visible_top).min(2) as u16;
                let lines = Rect::new(inner.x, visible_top as u16, inner.width, rows);
                let text = out_of_view_hint(app.focus(), top < i64::from(inner.y));
                let hint = Paragraph::new(Span::styled(text, theme::tone(Tone::Hint))).wrap(Wrap { trim: true });
                frame.render_widget(hint, lines);
            } else {
                // Draw it whole off-screen, then copy the rows that show.
                let full = Rect::new(0, 0, cols, rows);
                let mut scratch = Buffer::empty(full);
                ratatui_image::Image::new(&encoded.protocol).render(full, &mut scratch);
                let buf = frame.buffer_mut();
                for y in visible_top..visible_bottom.min(top + i64::from(rows)) {
                    for dx in 0..cols {
                        let from = (dx, (y - top) as u16);
                        if let (Some(cell), Some(to)) = (scratch.cell(from), buf.cell_mut((x + dx, y as u16))) {
                            *to = cell.clone();
                        }
                    }
                }
            }
        }
    }
}

/// What a graphics picture's place says while part of it is out of view (it cannot be cut).
fn out_of_view_hint(focus: Focus, above: bool) -> &'static str {
    match (focus, above) {
        (Focus::Detail, false) => "The picture is below: scroll down (j or G).",
        (Focus::Detail, true) => "The picture is above: scroll up (k or g).",
        (_, false) => "The picture is below: Tab to this pane, then G.",
        (_, true) => "The picture is above: Tab to this pane, then g.",
    }
}
