//! The history list: one row per asset looked up, most recent first, narrowed by what is typed
//! in the input. Only the visible rows are built each frame, so drawing costs the same for ten
//! entries or a hundred thousand.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row, Table, Wrap};

use super::{is_focused, list_pane, theme};
use crate::app::{App, Focus};
use crate::present::format;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let focused = is_focused(app, Focus::List);
    let list = app.history();
    let block = list_pane(app, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let empty = |text: &str| Paragraph::new(Line::styled(text.to_string(), theme::dim())).wrap(Wrap { trim: true });
    if list.rows().is_empty() {
        let text = if list.is_loaded() {
            "No lookups yet. Each asset you look up is kept here, newest first."
        } else {
            "Loading history…"
        };
        frame.render_widget(empty(text), inner);
        return;
    }
    if list.visible_len() == 0 {
        frame.render_widget(empty("No earlier lookup matches the input (Ctrl-U clears it)."), inner);
        return;
    }
    let visible = app.layout().list_rows().height as usize;
    let end = (list.offset() + visible).min(list.visible_len());
    let start = list.offset().min(end);
    let rows = (start..end).filter_map(|position| {
        let row = list.row_at(position)?;
        let style = if position == list.selected() { theme::selected_row(focused) } else { Style::new() };
        Some(
            Row::new(vec![
                row.name.unwrap_or_else(|| "(no name)".to_string()),
                row.media_type.unwrap_or_else(|| "—".to_string()),
                format::short_id(&row.asset_id),
                format::age_short(row.looked_up_at, app.now()),
            ])
            .style(style),
        )
    });
    let header = Row::new(vec!["Name", "Type", "ID", "When"]).style(theme::header());
    let widths = [Constraint::Fill(1), Constraint::Length(5), Constraint::Length(8), Constraint::Length(4)];
    frame.render_widget(Table::new(rows, widths).header(header).column_spacing(1), inner);
}
