//! The help overlay: every key, from the keymap, centred over the panes. A description too long
//! for the line continues under itself, not under the keys. Taller than the screen, it scrolls
//! (`app::help`), and its border says where there is more.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::{pane, theme};
use crate::app::App;
use crate::app::help::{help_rows, help_size};

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let (width, height) = help_size((area.width, area.height));
    if width < 3 || height < 3 {
        return;
    }
    let rows = help_rows(width);
    let inner = usize::from(height - 2);
    let scroll = app.help_scroll();
    let lines: Vec<Line> = rows
        .into_iter()
        .skip(scroll)
        .take(inner)
        .map(|(head, text)| {
            if head.is_empty() {
                Line::styled(text, theme::dim())
            } else {
                Line::from(vec![Span::styled(head, theme::key()), Span::raw(text)])
            }
        })
        .collect();
    let total = help_rows(width).len();
    let title = match (scroll > 0, scroll + inner < total) {
        (false, false) => " Keys ".to_string(),
        (true, false) => " Keys (↑ more above) ".to_string(),
        (false, true) => " Keys (↓ more below) ".to_string(),
        (true, true) => " Keys (↑ ↓ more) ".to_string(),
    };
    let popup = Rect::new(area.x + (area.width - width) / 2, area.y + (area.height - height) / 2, width, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(pane(title, true)), popup);
}
