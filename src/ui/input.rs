//! The input pane: one line holding the asset ID being typed, scrolled to keep the cursor in view.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{is_focused, pane, theme};
use crate::app::{App, Focus};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let focused = is_focused(app, Focus::Input);
    let block = pane(" Asset ID ".to_string(), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width.max(1) as usize;
    if app.input().value().is_empty() {
        let placeholder = "Paste an assetId and press Enter (e.g. user:…-runwayml:…-asset:…)";
        frame.render_widget(Paragraph::new(Line::styled(placeholder, theme::dim())), inner);
    } else {
        let scroll = app.input().visual_scroll(width.saturating_sub(1));
        let paragraph = Paragraph::new(app.input().value()).scroll((0, scroll.min(u16::MAX as usize) as u16));
        frame.render_widget(paragraph, inner);
    }
    if focused && inner.width > 0 && inner.height > 0 {
        let scroll = app.input().visual_scroll(width.saturating_sub(1));
        let x = app.input().visual_cursor().saturating_sub(scroll).min(width.saturating_sub(1));
        frame.set_cursor_position(Position::new(inner.x + x as u16, inner.y));
    }
}
