//! The status line: what is happening (a spinner while a lookup runs), the latest message, and
//! the keys that matter most. (Start-up hints live in the empty detail pane, which has room.)

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::spinner;
use crate::app::{App, StatusKind, short};

const HINTS: &str = "Enter look up · Tab focus · ? help · Ctrl-C quit";

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let left = if let Some(flight) = &app.in_flight {
        Span::styled(
            format!("{} Looking up {}… (Esc stops)", spinner(app), short(&flight.asset_id)),
            Style::new().fg(Color::Yellow),
        )
    } else if let Some(status) = &app.status {
        let style = match status.kind {
            StatusKind::Info => Style::new().fg(Color::Green),
            StatusKind::Warning => Style::new().fg(Color::Yellow),
            StatusKind::Error => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        };
        Span::styled(status.text.clone(), style)
    } else {
        Span::raw("")
    };
    let used = left.width() as u16;
    frame.render_widget(Paragraph::new(Line::from(left)), area);
    let hints_width = HINTS.chars().count() as u16;
    if area.width >= used + hints_width + 2 {
        let right = Rect::new(area.right() - hints_width, area.y, hints_width, 1);
        frame.render_widget(Paragraph::new(Span::styled(HINTS, Style::new().fg(Color::DarkGray))), right);
    }
}

pub fn draw_too_small(frame: &mut Frame, area: Rect) {
    let text = "runway-assets: enlarge the terminal · Ctrl-C quits";
    frame.render_widget(Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true }), area);
}
