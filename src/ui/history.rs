//! The history list: one row per asset looked up, most recent first. Only the visible rows are
//! built each frame, so drawing costs the same for ten entries or a hundred thousand.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row, Table, Wrap};

use super::{is_focused, pane};
use crate::app::{App, Focus};
use crate::format;
use crate::history::short_id;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let focused = is_focused(app, Focus::History);
    let list = &app.history;
    let title = if list.loaded { format!(" History ({}) ", list.rows.len()) } else { " History ".to_string() };
    let block = pane(title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if !list.loaded && list.rows.is_empty() {
        frame.render_widget(Paragraph::new(Line::styled("Loading history…", Style::new().fg(Color::DarkGray))), inner);
        return;
    }
    if list.rows.is_empty() {
        let text = "No lookups yet. Each asset you look up is kept here, newest first.";
        frame.render_widget(
            Paragraph::new(Line::styled(text, Style::new().fg(Color::DarkGray))).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let visible = inner.height.saturating_sub(1) as usize;
    let end = (list.offset + visible).min(list.rows.len());
    let start = list.offset.min(end);
    let rows = list.rows[start..end].iter().enumerate().map(|(i, row)| {
        let style = if start + i == list.selected {
            if focused {
                Style::new().bg(Color::Cyan).fg(Color::Black)
            } else {
                Style::new().add_modifier(Modifier::REVERSED)
            }
        } else {
            Style::new()
        };
        Row::new(vec![
            row.name.clone().unwrap_or_else(|| "(no name)".to_string()),
            row.media_type.clone().unwrap_or_else(|| "—".to_string()),
            short_id(&row.asset_id),
            format::age_short(row.looked_up_at, app.now),
        ])
        .style(style)
    });
    let header = Row::new(vec!["Name", "Type", "ID", "When"])
        .style(Style::new().fg(Color::DarkGray).add_modifier(Modifier::BOLD));
    let widths = [Constraint::Fill(1), Constraint::Length(5), Constraint::Length(8), Constraint::Length(4)];
    frame.render_widget(Table::new(rows, widths).header(header).column_spacing(1), inner);
}
