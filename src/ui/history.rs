//! The history list: one row per asset looked up, most recent first, narrowed by what is typed
//! in the input. Only the visible rows are built each frame, so drawing costs the same for ten
//! entries or a hundred thousand.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row, Table, Wrap};

use super::{is_focused, pane};
use crate::app::{App, Focus};
use crate::history::short_id;
use crate::present::format;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let focused = is_focused(app, Focus::History);
    let list = &app.history;
    let title = match (&list.view, list.loaded) {
        (Some(view), _) => format!(" History ({} of {} match) ", view.len(), list.rows.len()),
        (None, true) => format!(" History ({}) ", list.rows.len()),
        (None, false) => " History ".to_string(),
    };
    let block = pane(title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let empty = |text: &str| {
        Paragraph::new(Line::styled(text.to_string(), Style::new().fg(Color::DarkGray))).wrap(Wrap { trim: true })
    };
    if list.rows.is_empty() {
        let text = if list.loaded {
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
    let visible = inner.height.saturating_sub(1) as usize;
    let end = (list.offset + visible).min(list.visible_len());
    let start = list.offset.min(end);
    let rows = (start..end).filter_map(|position| {
        let row = list.row_at(position)?;
        let style = if position == list.selected {
            if focused {
                Style::new().bg(Color::Cyan).fg(Color::Black)
            } else {
                Style::new().add_modifier(Modifier::REVERSED)
            }
        } else {
            Style::new()
        };
        Some(
            Row::new(vec![
                row.name.unwrap_or_else(|| "(no name)".to_string()),
                row.media_type.unwrap_or_else(|| "—".to_string()),
                short_id(&row.asset_id),
                format::age_short(row.looked_up_at, app.now),
            ])
            .style(style),
        )
    });
    let header = Row::new(vec!["Name", "Type", "ID", "When"])
        .style(Style::new().fg(Color::DarkGray).add_modifier(Modifier::BOLD));
    let widths = [Constraint::Fill(1), Constraint::Length(5), Constraint::Length(8), Constraint::Length(4)];
    frame.render_widget(Table::new(rows, widths).header(header).column_spacing(1), inner);
}
