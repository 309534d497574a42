//! The detail pane: the app's detail text, scrolled, with a position marker in the bottom
//! border when it does not all fit (saying so when the picture is further down).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{is_focused, pane, theme};
use crate::app::{App, Focus};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let focused = is_focused(app, Focus::Detail);
    let block = pane(app.detail().title(), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let content = app.detail_content(); // -- preview -- the text with room for the picture
    let lines = content.lines;
    let max = lines.len().saturating_sub(inner.height as usize);
    let scroll = (app.detail().scroll() as usize).min(max);
    let visible: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(inner.height as usize)
        .map(|line| {
            Line::from(
                line.spans.into_iter().map(|(text, tone)| Span::styled(text, theme::tone(tone))).collect::<Vec<_>>(),
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
    // -- preview -- a picture wholly below the pane's window would otherwise go unnoticed.
    let picture_below = content.picture.is_some_and(|slot| slot.line >= scroll + inner.height as usize);
    if let Some(slot) = content.picture {
        super::preview::draw(frame, app, inner, scroll, slot); // -- preview --
    }
    if max > 0 && inner.width > 8 {
        // In the bottom border, right-aligned.
        let position = format!("{}/{}", scroll + 1, max + 1);
        let marker = if picture_below && inner.width > 30 {
            format!(" picture below · {position} ")
        } else {
            format!(" {position} ")
        };
        let width = (marker.chars().count() as u16).min(inner.width);
        let x = inner.right().saturating_sub(width);
        frame.render_widget(
            Paragraph::new(Span::styled(marker, theme::dim())),
            Rect::new(x, area.bottom().saturating_sub(1), width, 1),
        );
    }
}
