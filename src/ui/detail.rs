//! The detail pane: everything known about one asset, as labelled lines that wrap to the pane's
//! width and scroll. Fields the server did not send show as "—", never as a made-up zero.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthChar;

use super::{is_focused, pane, spinner};
use crate::api::Asset;
use crate::app::{App, Detail, Focus, Source};
use crate::present::asset_fields as summary;
use crate::present::format;
use crate::sanitize;

const LABEL_WIDTH: usize = 13;
const ABSENT: &str = "—";

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let focused = is_focused(app, Focus::Detail);
    let block = pane(title(app), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = lines(app, inner.width);
    let max = lines.len().saturating_sub(inner.height as usize);
    let scroll = (app.detail_scroll as usize).min(max);
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(inner.height as usize).collect();
    frame.render_widget(Paragraph::new(visible), inner);
    if max > 0 && inner.width > 8 {
        let marker = format!(" {}/{} ", scroll + 1, max + 1);
        let x = area.right().saturating_sub(marker.len() as u16 + 1);
        frame.render_widget(
            Paragraph::new(Span::styled(marker, Style::new().fg(Color::DarkGray))),
            Rect::new(x, area.bottom() - 1, 10.min(area.right() - x), 1),
        );
    }
}

/// How far the pane can scroll for its current content.
pub fn max_scroll(app: &App, area: Rect) -> u16 {
    let inner_height = area.height.saturating_sub(2) as usize;
    let count = lines(app, area.width.saturating_sub(2)).len();
    count.saturating_sub(inner_height).min(u16::MAX as usize) as u16
}

fn title(app: &App) -> String {
    match &app.detail {
        Detail::Loaded { asset, .. } => match &asset.name {
            Some(name) => format!(" {} ", name),
            None => " Asset ".to_string(),
        },
        _ => " Detail ".to_string(),
    }
}

/// The pane's content, wrapped to `width` columns.
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let width = width as usize;
    let mut out = Vec::new();
    match &app.detail {
        Detail::Empty => {
            let mut text = vec![
                "Paste or type an assetId above and press Enter.".to_string(),
                String::new(),
                "Tab moves to the history; Enter there reopens an asset. ? lists every key.".to_string(),
            ];
            if let Some(hint) = &app.hint {
                text.push(String::new());
                text.push(hint.clone());
            }
            for t in text {
                wrap_plain(&mut out, &t, width, Style::new());
            }
        }
        Detail::Loading { asset_id } => {
            wrap_plain(&mut out, &format!("{} Looking up…", spinner(app)), width, Style::new().fg(Color::Yellow));
            field(&mut out, "Asset ID", Some(asset_id.clone()), width);
        }
        Detail::Failed { asset_id, error } => {
            wrap_plain(&mut out, error.title(), width, Style::new().fg(Color::Red).add_modifier(Modifier::BOLD));
            wrap_plain(&mut out, &error.to_string(), width, Style::new().fg(Color::Red));
            out.push(Line::from(""));
            field(&mut out, "Asset ID", Some(asset_id.clone()), width);
        }
        Detail::Loaded { asset_id, asset, source, refreshing, note } => {
            let provenance = match source {
                Source::Fresh => Span::styled("● fresh from the server".to_string(), Style::new().fg(Color::Green)),
                Source::Stored { looked_up_at } => Span::styled(
                    format!(
                        "◷ stored copy from {} ({})",
                        format::absolute(*looked_up_at),
                        format::age(*looked_up_at, app.now)
                    ),
                    Style::new().fg(Color::Yellow),
                ),
            };
            let mut line = provenance.content.to_string();
            if *refreshing {
                line.push_str(&format!(" · {} refreshing…", spinner(app)));
            }
            wrap_plain(&mut out, &line, width, provenance.style);
            if let Some(note) = note {
                wrap_plain(&mut out, note, width, Style::new().fg(Color::Red));
            }
            asset_fields(&mut out, asset_id, asset, app.now, width);
        }
    }
    out
}

fn asset_fields(out: &mut Vec<Line<'static>>, asset_id: &str, asset: &Asset, now: jiff::Timestamp, width: usize) {
    for f in summary::fields(asset_id, asset, now) {
        field(out, f.label, f.value, width);
    }
}

/// One labelled value; continuation lines are indented under the value.
fn field(out: &mut Vec<Line<'static>>, label: &str, value: Option<String>, width: usize) {
    let label_style = Style::new().fg(Color::DarkGray);
    let (text, style) = match value {
        // Values are clean already when they come from the server; typed IDs may not be.
        Some(v) => (sanitize::clean(&v).into_owned(), Style::new()),
        None => (ABSENT.to_string(), Style::new().fg(Color::DarkGray)),
    };
    if width <= LABEL_WIDTH + 4 {
        // Too narrow for two columns: label above value.
        if !label.is_empty() {
            wrap_plain(out, label, width, label_style);
        }
        wrap_plain(out, &text, width, style);
        return;
    }
    let chunks = wrap(&text, width - LABEL_WIDTH);
    for (i, chunk) in chunks.into_iter().enumerate() {
        let head = if i == 0 { format!("{label:<LABEL_WIDTH$}") } else { " ".repeat(LABEL_WIDTH) };
        out.push(Line::from(vec![Span::styled(head, label_style), Span::styled(chunk, style)]));
    }
}

fn wrap_plain(out: &mut Vec<Line<'static>>, text: &str, width: usize, style: Style) {
    for chunk in wrap(text, width) {
        out.push(Line::styled(chunk, style));
    }
}

/// Breaks text into pieces of at most `width` columns, at spaces where possible; words longer
/// than a line (URLs, IDs) are broken where they reach the edge.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0;
    for word in text.split(' ') {
        let word_width: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
        if !line.is_empty() && line_width + 1 + word_width <= width {
            line.push(' ');
            line.push_str(word);
            line_width += 1 + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line_width = 0;
        }
        for c in word.chars() {
            let w = c.width().unwrap_or(0);
            if line_width + w > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0;
            }
            line.push(c);
            line_width += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_breaks_at_spaces_and_hard_breaks_long_words() {
        assert_eq!(wrap("hello big world", 9), vec!["hello big", "world"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 5), vec![""]);
        assert_eq!(wrap("東京東京", 5), vec!["東京", "東京"]);
    }
}
