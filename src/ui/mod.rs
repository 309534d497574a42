//! Drawing: a pure function of `App` state. `layout` places the panes for a terminal size (the
//! app uses the same function to map mouse clicks); each pane draws itself in its own module.

pub mod detail;
pub mod help;
pub mod history;
pub mod input;
pub mod status;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, BorderType, Borders};

use crate::app::{App, Focus};

/// Below this size there is no room for panes; a one-line notice is shown instead.
pub const MIN_WIDTH: u16 = 24;
pub const MIN_HEIGHT: u16 = 8;
/// From this width on, history and detail sit side by side.
pub const WIDE: u16 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    pub input: Rect,
    pub history: Rect,
    pub detail: Rect,
    pub status: Rect,
    pub too_small: bool,
}

pub fn layout(area: Rect) -> Layout {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return Layout { status: area, too_small: true, ..Layout::default() };
    }
    let input = Rect::new(area.x, area.y, area.width, 3);
    let status = Rect::new(area.x, area.bottom() - 1, area.width, 1);
    let middle = Rect::new(area.x, area.y + 3, area.width, area.height - 4);
    let (history, detail) = if area.width >= WIDE {
        let left = (area.width * 2 / 5).clamp(34, 64);
        (
            Rect::new(middle.x, middle.y, left, middle.height),
            Rect::new(middle.x + left, middle.y, middle.width - left, middle.height),
        )
    } else {
        let bottom = (middle.height / 3).max(5).min(middle.height);
        let top = middle.height - bottom;
        (Rect::new(middle.x, middle.y + top, middle.width, bottom), Rect::new(middle.x, middle.y, middle.width, top))
    };
    Layout { input, history, detail, status, too_small: false }
}

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let l = layout(area);
    if l.too_small {
        status::draw_too_small(frame, l.status);
        return;
    }
    input::draw(frame, app, l.input);
    history::draw(frame, app, l.history);
    detail::draw(frame, app, l.detail);
    status::draw(frame, app, l.status);
    if app.help_open {
        help::draw(frame, area);
    }
}

/// A pane's frame, highlighted when it has the focus.
pub fn pane(title: String, focused: bool) -> Block<'static> {
    let style = if focused { Style::new().fg(Color::Cyan) } else { Style::new().fg(Color::DarkGray) };
    let title_style = if focused { Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD) } else { Style::new() };
    Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(style)
        .title(ratatui::text::Span::styled(title, title_style))
}

pub fn is_focused(app: &App, focus: Focus) -> bool {
    app.focus == focus && !app.help_open
}

pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn spinner(app: &App) -> &'static str {
    SPINNER[app.spinner % SPINNER.len()]
}
