//! The help overlay: every key, centred over the panes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::pane;

pub const KEYS: &[(&str, &str)] = &[
    ("Enter", "look up the typed ID · in History: reopen the row"),
    ("Ctrl-U", "clear the input"),
    ("Tab / Shift-Tab", "move focus: input → history → detail"),
    ("↑ ↓  j k", "move in history · scroll the detail"),
    ("PgUp PgDn  g G", "page · jump to top / bottom"),
    ("Esc", "stop the lookup in flight · close this help"),
    ("/  i", "back to the input"),
    ("?", "this help (outside the input)"),
    ("q", "quit (outside the input)"),
    ("Ctrl-C", "quit from anywhere"),
    ("Mouse", "click a history row to select it · wheel scrolls"),
    ("Paste", "pasted text goes into the input"),
];

pub fn draw(frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).min(76);
    let height = (KEYS.len() as u16 + 4).min(area.height.saturating_sub(2));
    let popup = Rect::new(area.x + (area.width - width) / 2, area.y + (area.height - height) / 2, width, height);
    let mut lines: Vec<Line> = KEYS
        .iter()
        .map(|(key, what)| {
            Line::from(vec![
                Span::styled(format!("{key:>16}  "), Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::styled("Esc or ? closes this help", Style::new().fg(Color::DarkGray)));
    frame.render_widget(Clear, popup);
    frame
        .render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(pane(" Keys ".to_string(), true)), popup);
}
