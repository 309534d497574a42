//! Drawing: a pure function of `App` state. The panes' places come from the app's `Layout`
//! (the same data input handling uses); each pane draws itself in its own module, with styles
//! from `theme`.

pub mod account;
pub mod chooser;
pub mod detail;
pub mod help;
pub mod history;
pub mod input;
pub mod json;
pub mod preview;
pub mod status;
pub mod theme;

use ratatui::Frame;
use ratatui::widgets::{Block, Borders};

use ratatui::text::{Line, Span};

use crate::app::{App, Focus, Tab};

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let l = app.layout();
    if l.too_small || area.width < l.status.right() || area.height < l.status.bottom() {
        status::draw_too_small(frame, area);
        return;
    }
    if app.typing_json_search() {
        json::draw_search_input(frame, app, l.input);
    } else {
        input::draw(frame, app, l.input);
    }
    match app.tab() {
        Tab::History => history::draw(frame, app, l.list),
        Tab::Account => account::draw(frame, app, l.list),
    }
    match app.json_view() {
        Some(view) => json::draw(frame, app, view, l.detail),
        None => detail::draw(frame, app, l.detail),
    }
    status::draw(frame, app, l.status);
    if app.chooser().is_some() {
        chooser::draw(frame, app, area);
    }
    if app.help_open() {
        help::draw(frame, area, app);
    }
}

/// A pane's frame, highlighted when it has the focus.
pub fn pane(title: String, focused: bool) -> Block<'static> {
    Block::new()
        .borders(Borders::ALL)
        .border_type(theme::border_type(focused))
        .border_style(theme::border(focused))
        .title(ratatui::text::Span::styled(title, theme::title(focused)))
}

/// The list pane's frame, its title the two tabs with the one shown highlighted.
pub fn list_pane(app: &App, focused: bool) -> Block<'static> {
    let [history, account] = app.tab_titles();
    let style = |tab| if app.tab() == tab { theme::title(true) } else { theme::dim() };
    let title =
        Line::from(vec![Span::styled(history, style(Tab::History)), Span::styled(account, style(Tab::Account))]);
    Block::new()
        .borders(Borders::ALL)
        .border_type(theme::border_type(focused))
        .border_style(theme::border(focused))
        .title(title)
}

pub fn is_focused(app: &App, focus: Focus) -> bool {
    app.focus() == focus && !app.help_open()
}
