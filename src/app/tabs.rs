//! The left pane's tab titles (History, and the Account list with its account and filter),
//! which drawing shows and a click selects: both read them from here.

use ratatui::layout::Position;
use unicode_width::UnicodeWidthStr;

use super::browser::Paging;
use super::{App, Tab};
use crate::present::format;

impl App {
    /// The two titles, in order, each with its own padding.
    pub fn tab_titles(&self) -> [String; 2] {
        let h = &self.history;
        let history = if h.is_filtered() {
            format!(" 1 History ({} of {}) ", h.visible_len(), h.rows().len())
        } else if h.is_loaded() {
            format!(" 1 History ({}) ", h.rows().len())
        } else {
            " 1 History ".to_string()
        };
        let mut tail = format!(" · {}", self.browser.filter().label());
        if let Some(listing) = self.browser.listing() {
            match (listing.is_filtered(), listing.paging()) {
                (true, _) => tail.push_str(&format!(" ({} of {})", listing.visible_len(), listing.loaded_len())),
                (false, Paging::End | Paging::Ceiling) => {
                    tail.push_str(&format!(" ({})", format::thousands(listing.loaded_len() as u64)))
                }
                _ => {}
            }
        }
        tail.push(' ');
        // The account's name gives way first when the pane is narrow: the filter and the
        // count matter more.
        let room = (self.layout.list.width as usize).saturating_sub(2 + history.width() + tail.width() + 3);
        let name = self.browser.account().unwrap_or("Account");
        let name = if name.width() <= room {
            name.to_string()
        } else {
            let mut cut: String = name.chars().take(room.saturating_sub(1)).collect();
            cut.push('…');
            cut
        };
        [history, format!(" 2 {name}{tail}")]
    }

    /// The tab whose title is under a point of the list pane's top border.
    pub(super) fn tab_at(&self, at: Position) -> Option<Tab> {
        let list = self.layout.list;
        if at.y != list.y || at.x <= list.x || list.width == 0 {
            return None;
        }
        let [history, account] = self.tab_titles();
        let first_end = list.x + 1 + history.width() as u16;
        let second_end = first_end + account.width() as u16;
        if at.x < first_end {
            Some(Tab::History)
        } else if at.x < second_end {
            Some(Tab::Account)
        } else {
            None
        }
    }
}
