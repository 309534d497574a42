//! The raw JSON view in the detail pane: the rows on screen, each piece in its tone, search
//! matches highlighted (the current one more), a position marker in the bottom border; and the
//! search being typed, in the input area.

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{is_focused, pane, theme};
use crate::app::{App, Focus, JsonView};

pub fn draw(frame: &mut Frame, app: &App, view: &JsonView, area: Rect) {
    let focused = is_focused(app, Focus::Detail);
    let name = app.detail().title();
    let title = format!("{}· JSON ", if name.trim().is_empty() { " ".to_string() } else { name });
    let block = pane(title, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let rows = view.rows();
    let max = rows.len().saturating_sub(inner.height as usize);
    let scroll = view.scroll().min(max);
    let lines: Vec<Line> =
        rows.iter().skip(scroll).take(inner.height as usize).map(|row| row_line(view, row.clone())).collect();
    frame.render_widget(Paragraph::new(lines), inner);
    if max > 0 && inner.width > 8 {
        let marker = format!(" {}/{} ", scroll + 1, max + 1);
        let width = (marker.len() as u16).min(inner.width);
        let x = inner.right().saturating_sub(width);
        frame.render_widget(
            Paragraph::new(Span::styled(marker, theme::dim())),
            Rect::new(x, area.bottom().saturating_sub(1), width, 1),
        );
    }
}

/// One screen row: its pieces in their tones, cut again where a match begins or ends.
fn row_line(view: &JsonView, row: Range<usize>) -> Line<'static> {
    let text = view.text();
    let found = matches_in(view, row.clone());
    let mut spans = Vec::new();
    for (piece, tone) in text.pieces(row) {
        let base = theme::json_tone(tone);
        let mut at = piece.start;
        while at < piece.end {
            // The match covering `at`, else where the next one starts.
            let (end, style) = match found.iter().find(|(m, _)| m.end > at) {
                Some((m, current)) if m.start <= at => {
                    (m.end.min(piece.end), base.patch(theme::search_match(*current)))
                }
                Some((m, _)) => (m.start.min(piece.end), base),
                None => (piece.end, base),
            };
            spans.push(Span::styled(text.text()[at..end].to_string(), style));
            at = end;
        }
    }
    Line::from(spans)
}

/// The matches that touch `row`, with whether each is the current one.
fn matches_in(view: &JsonView, row: Range<usize>) -> Vec<(Range<usize>, bool)> {
    let Some(search) = view.search() else { return Vec::new() };
    let len = search.match_len();
    let starts = search.matches();
    let first = starts.partition_point(|m| *m as usize + len <= row.start);
    starts[first..]
        .iter()
        .map(|m| *m as usize)
        .enumerate()
        .take_while(|(_, m)| *m < row.end)
        .map(|(i, m)| (m..m + len, search.current() == Some(first + i)))
        .collect()
}

/// The input area while a search is typed: the query, its cursor, and how to end it.
pub fn draw_search_input(frame: &mut Frame, app: &App, area: Rect) {
    let Some(search) = app.json_view().and_then(JsonView::search) else { return };
    let block = pane(" Search the JSON · Enter keeps · Esc ends ".to_string(), true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width.max(1) as usize;
    let input = search.input();
    let scroll = input.visual_scroll(width.saturating_sub(1));
    // Characters that could act on the terminal never get into the query (see app::json_view).
    let paragraph = Paragraph::new(Line::from(Span::styled(input.value().to_string(), Style::new())))
        .scroll((0, scroll.min(u16::MAX as usize) as u16));
    frame.render_widget(paragraph, inner);
    if inner.width > 0 && inner.height > 0 {
        let x = input.visual_cursor().saturating_sub(scroll).min(width.saturating_sub(1));
        frame.set_cursor_position(Position::new(inner.x + x as u16, inner.y));
    }
}
