//! The help overlay as data: its rows at a width, where it sits on the screen, and how far it is
//! scrolled. With every key listed it can be taller than a small terminal: ↑ ↓ j k, PgUp PgDn
//! and g G scroll it, and the drawing marks that there is more.

use super::App;
use super::keymap::{self, Action};
use crate::present::wrap::wrap;

/// Characters before a description: the key, right-aligned, and two spaces.
pub const KEY_COLUMN: usize = 18;
/// The widest the overlay grows.
const MAX_WIDTH: u16 = 80;

/// The overlay's rows: (key column, description), a long description continued under itself,
/// then a blank row and how to close it.
pub fn help_rows(width: u16) -> Vec<(String, String)> {
    let text_width = (usize::from(width)).saturating_sub(2 + KEY_COLUMN).max(1);
    let mut rows = Vec::new();
    for (key, what) in keymap::help_lines() {
        for (i, chunk) in wrap(what, text_width).into_iter().enumerate() {
            let head = if i == 0 { format!("{key:>16}  ") } else { " ".repeat(KEY_COLUMN) };
            rows.push((head, chunk));
        }
    }
    rows.push((String::new(), String::new()));
    rows.push((String::new(), "Esc or ? closes this help · ↑ ↓ PgUp PgDn scroll".to_owned()));
    rows
}

/// The overlay's width and height (borders included) on a screen of this size.
pub fn help_size((width, height): (u16, u16)) -> (u16, u16) {
    let w = width.saturating_sub(4).min(MAX_WIDTH);
    let rows = help_rows(w).len();
    let h = u16::try_from(rows + 2).unwrap_or(u16::MAX).min(height.saturating_sub(2));
    (w, h)
}

/// How many rows the overlay scrolls at most on a screen of this size.
pub fn max_help_scroll(size: (u16, u16)) -> usize {
    let (w, h) = help_size(size);
    help_rows(w).len().saturating_sub(usize::from(h.saturating_sub(2)))
}

impl App {
    /// How far the help overlay is scrolled (rows hidden above).
    pub fn help_scroll(&self) -> usize {
        self.help_scroll.min(max_help_scroll(self.size()))
    }

    /// Scrolls the help overlay; other actions are not for it.
    pub(super) fn scroll_help(&mut self, action: Action) -> bool {
        let max = max_help_scroll(self.size());
        let page = usize::from(help_size(self.size()).1.saturating_sub(3)).max(1);
        let now = self.help_scroll.min(max);
        self.help_scroll = match action {
            Action::Up => now.saturating_sub(1),
            Action::Down => (now + 1).min(max),
            Action::PageUp => now.saturating_sub(page),
            Action::PageDown => (now + page).min(max),
            Action::Top => 0,
            Action::Bottom => max,
            _ => return false,
        };
        true
    }
}
