//! The help overlay: every key, from the keymap, centred over the panes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{pane, theme};
use crate::app::keymap;

pub fn draw(frame: &mut Frame, area: Rect) {
    let keys = keymap::help_lines();
    let width = area.width.saturating_sub(4).min(80);
    let height = (keys.len() as u16 + 4).min(area.height.saturating_sub(2));
    let popup = Rect::new(area.x + (area.width - width) / 2, area.y + (area.height - height) / 2, width, height);
    let mut lines: Vec<Line> = keys
        .into_iter()
        .map(|(key, what)| Line::from(vec![Span::styled(format!("{key:>16}  "), theme::key()), Span::raw(what)]))
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::styled("Esc or ? closes this help", theme::dim()));
    frame.render_widget(Clear, popup);
    frame
        .render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(pane(" Keys ".to_string(), true)), popup);
}
