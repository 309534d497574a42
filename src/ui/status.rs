//! The status line: what is happening (a spinner while a lookup runs), the latest message, and
//! the keys that matter most (from the keymap). Start-up hints live in the empty detail pane,
//! which has room.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme;
use crate::app::{App, StatusKind, keymap, short};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let left = if let Some(flight) = app.in_flight() {
        Span::styled(format!("{} Looking up {}… (Esc stops)", app.spinner(), short(&flight.asset_id)), theme::warning())
    } else if let Some(line) = app.downloads_line() {
        // -- download --: the progress, and the latest message (first when it needs attention:
        // the narrow end of the line is the one cut).
        match app.status() {
            Some(status) if status.kind == StatusKind::Info => {
                Span::styled(format!("{line} │ {}", status.text), theme::info())
            }
            Some(status) => Span::styled(format!("{} │ {line}", status.text), theme::warning()),
            None => Span::styled(line, theme::info()),
        }
    } else if let Some(status) = app.status() {
        let style = match status.kind {
            StatusKind::Info => theme::info(),
            StatusKind::Warning => theme::warning(),
            StatusKind::Error => theme::error(),
        };
        let prefix = if status.kind == StatusKind::Error { theme::error_prefix() } else { "" };
        Span::styled(format!("{prefix}{}", status.text), style)
    } else {
        Span::raw("")
    };
    let used = left.width() as u16;
    frame.render_widget(Paragraph::new(Line::from(left)), area);
    let hints = keymap::status_hints();
    let hints_width = hints.chars().count() as u16;
    if area.width >= used + hints_width + 2 {
        let right = Rect::new(area.right() - hints_width, area.y, hints_width, 1);
        frame.render_widget(Paragraph::new(Span::styled(hints, theme::dim())), right);
    }
}

pub fn draw_too_small(frame: &mut Frame, area: Rect) {
    let text = "runway-assets: enlarge the terminal · Ctrl-C quits";
    frame.render_widget(Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }), area);
}
