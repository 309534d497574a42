//! The account chooser: the linked Runway accounts by email, an account in an error state
//! marked as such, over the panes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{pane, theme};
use crate::app::{App, Load};

pub fn draw(frame: &mut Frame, app: &App, area: Rect) {
    let Some(chooser) = app.chooser() else { return };
    let mut lines: Vec<Line> = Vec::new();
    if let Some(reason) = chooser.reason() {
        lines.push(Line::styled(reason.to_string(), theme::warning()));
        lines.push(Line::from(""));
    }
    match chooser.accounts() {
        Load::Idle | Load::Loading => {
            lines.push(Line::styled(format!("{} Fetching the linked accounts…", app.spinner()), theme::warning()))
        }
        Load::Failed(error) => lines.push(Line::styled(app.error_sentence(error), theme::error())),
        Load::Loaded(accounts) if accounts.is_empty() => {
            lines.push(Line::styled("No Runway account is linked to this token: add one at useapi.net.", theme::dim()))
        }
        Load::Loaded(accounts) => {
            for (i, account) in accounts.iter().enumerate() {
                let marker = if i == chooser.selected() { "▶ " } else { "  " };
                let style =
                    if i == chooser.selected() { theme::selected_row(true) } else { ratatui::style::Style::new() };
                let mut spans = vec![Span::styled(format!("{marker}{}", account.email), style)];
                if let Some(error) = &account.error {
                    spans.push(Span::styled(
                        format!("  ⚠ error state: {}", error.chars().take(80).collect::<String>()),
                        theme::error(),
                    ));
                }
                if app.browser().account() == Some(account.email.as_str()) {
                    spans.push(Span::styled("  (listed now)", theme::dim()));
                }
                lines.push(Line::from(spans));
            }
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("↑ ↓ choose · Enter lists it for this session · Esc closes", theme::dim()));
    let width = area.width.saturating_sub(4).min(90);
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let popup = Rect::new(area.x + (area.width - width) / 2, area.y + (area.height - height) / 2, width, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(pane(" Runway account ".to_string(), true)),
        popup,
    );
}
