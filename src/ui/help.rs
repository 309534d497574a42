//! The help overlay: every key, from the keymap, centred over the panes. A description too long
//! for the line continues under itself, not under the keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{pane, theme};
use crate::app::keymap;
use crate::present::wrap::wrap;

const KEY_COLUMN: usize = 18;

pub fn draw(frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).min(80);
    let text_width = (width as usize).saturating_sub(2 + KEY_COLUMN).max(1);
    let mut lines: Vec<Line> = Vec::new();
    for (key, what) in keymap::help_lines() {
        for (i, chunk) in wrap(what, text_width).into_iter().enumerate() {
            let head = if i == 0 { format!("{key:>16}  ") } else { " ".repeat(KEY_COLUMN) };
            lines.push(Line::from(vec![Span::styled(head, theme::key()), Span::raw(chunk)]));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("Esc or ? closes this help", theme::dim()));
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let popup = Rect::new(area.x + (area.width - width) / 2, area.y + (area.height - height) / 2, width, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(pane(" Keys ".to_string(), true)), popup);
}
