//! The Account list: the account's assets as the server lists them, newest first, narrowed by
//! what is typed in the input, with a last line saying whether more are loading, the list has
//! ended, or a page failed. Only the visible rows are built each frame.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Row, Table, Wrap};

use super::{is_focused, list_pane, theme};
use crate::app::{App, Focus, Paging};
use crate::present::format;

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let focused = is_focused(app, Focus::List);
    let block = list_pane(app, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let note = |text: String| Paragraph::new(Line::styled(text, theme::dim())).wrap(Wrap { trim: true });
    let Some(listing) = app.browser().listing() else {
        frame.render_widget(note("Press 2 to list the account's assets.".into()), inner);
        return;
    };
    let rows_area = app.layout().list_rows();
    let status = last_line(app, listing.paging(), listing.loaded_len(), listing.cached_at());
    if listing.loaded_len() == 0 {
        let text = match listing.paging() {
            Paging::End | Paging::Ceiling => format!(
                "No {} in this account yet: generate or upload something at Runway, then press r.",
                match app.browser().filter().query_value() {
                    Some(kind) => format!("{kind} assets"),
                    None => "assets".to_string(),
                }
            ),
            _ => status.map(|(text, _)| text).unwrap_or_default(),
        };
        frame.render_widget(note(text), inner);
        return;
    }
    if listing.visible_len() == 0 {
        frame.render_widget(note("No loaded asset matches the input (Ctrl-U clears it).".into()), inner);
        return;
    }
    let visible = rows_area.height as usize;
    let end = (listing.offset() + visible).min(listing.visible_len());
    let start = listing.offset().min(end);
    let now = app.now();
    // A narrow pane gives the name the ID's room (the detail shows the ID).
    let with_id = inner.width >= 60;
    let rows: Vec<Row> = (start..end)
        .filter_map(|position| {
            let row = listing.row_at(position)?;
            let style = if position == listing.selected() { theme::selected_row(focused) } else { Style::new() };
            let mut cells = vec![
                row.name.clone().unwrap_or_else(|| "(no name)".to_string()),
                row.media_type.clone().unwrap_or_else(|| "—".to_string()),
                row.shape.clone(),
                row.created.map(|t| format::age_short(t, now)).unwrap_or_default(),
            ];
            if with_id {
                cells.push(row.asset_id.as_deref().map(format::short_id).unwrap_or_default());
            }
            Some(Row::new(cells).style(style))
        })
        .collect();
    let mut header = vec!["Name", "Type", "Size", "Made"];
    let mut widths = vec![Constraint::Fill(1), Constraint::Length(5), Constraint::Length(9), Constraint::Length(4)];
    if with_id {
        header.push("ID");
        widths.push(Constraint::Length(8));
    }
    let header = Row::new(header).style(theme::header());
    let drawn = rows.len() as u16;
    frame.render_widget(Table::new(rows, widths).header(header).column_spacing(1), inner);
    // The line under the last row, when it is on screen, across the whole width.
    if end == listing.visible_len()
        && (drawn as usize) < visible
        && !listing.is_filtered()
        && let Some((text, style)) = status
    {
        // It wraps into whatever room is left below the rows.
        let room = Rect::new(rows_area.x, rows_area.y + drawn, rows_area.width, rows_area.height - drawn);
        frame.render_widget(Paragraph::new(Line::styled(text, style)).wrap(Wrap { trim: true }), room);
    }
}

/// What the line under the rows says, if anything.
fn last_line(app: &App, paging: &Paging, loaded: usize, cached_at: Option<jiff::Timestamp>) -> Option<(String, Style)> {
    let cached = cached_at.map(|t| format!(" (showing the copy kept {})", format::age(t, app.now())));
    match paging {
        Paging::Loading { .. } => {
            let what = match (loaded, &cached) {
                (0, _) => "Loading…".to_string(),
                (_, Some(c)) => format!("Refreshing{c}…"),
                _ => "Loading more…".to_string(),
            };
            Some((format!("{} {what}", app.spinner()), theme::warning()))
        }
        Paging::Failed(error) => Some((app.list_error_line(error), theme::error())),
        Paging::Ceiling => {
            Some(("The API lists only the newest 1,050; open older assets by ID.".to_string(), theme::dim()))
        }
        Paging::End => Some((format!("End of the list: {} assets.", format::thousands(loaded as u64)), theme::dim())),
        Paging::More => cached.map(|c| (format!("Cached{c}; refreshing…"), theme::dim())),
    }
}
