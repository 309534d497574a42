//! The history pane's state: the rows, the filter typed into the input, the selection and the
//! scroll position, kept consistent by this type alone. Filtering scans compact rows (a few ms
//! at 100,000); drawing touches only the rows on screen.

use crate::history::{HistoryRow, RowList};

#[derive(Debug, Default)]
pub struct HistoryList {
    rows: RowList,
    /// Indices into `rows` (newest first) that match the filter; None shows every row.
    view: Option<Vec<u32>>,
    filter: String,
    /// Position in the view, and the first view row on screen.
    selected: usize,
    offset: usize,
    /// The whole file has been read (until then `rows` may hold only the newest few).
    loaded: bool,
}

impl HistoryList {
    pub fn rows(&self) -> &RowList {
        &self.rows
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    pub fn is_filtered(&self) -> bool {
        self.view.is_some()
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The first row on screen.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// How many rows the list shows.
    pub fn visible_len(&self) -> usize {
        match &self.view {
            Some(view) => view.len(),
            None => self.rows.len(),
        }
    }

    /// The row index in `rows` for a position in the view.
    fn row_index(&self, position: usize) -> Option<usize> {
        match &self.view {
            Some(view) => view.get(position).map(|&i| i as usize),
            None => (position < self.rows.len()).then_some(position),
        }
    }

    pub fn row_at(&self, position: usize) -> Option<HistoryRow> {
        self.row_index(position).and_then(|i| self.rows.get(i))
    }

    pub fn selected_row(&self) -> Option<HistoryRow> {
        self.row_at(self.selected)
    }

    /// Shows only rows whose name or ID contains `query` (case-insensitive), and the rows of
    /// `by_prompt` (assets whose prompt matched); blank shows all.
    pub(super) fn set_filter(&mut self, query: &str, by_prompt: &[&str], page: usize) {
        let query = query.trim();
        if query == self.filter && by_prompt.is_empty() {
            return;
        }
        if !by_prompt.is_empty() && !query.is_empty() {
            self.filter = query.to_string();
            let mut view = self.rows.matching(query);
            view.extend(self.rows.with_ids(by_prompt.iter().copied()));
            view.sort_unstable();
            view.dedup();
            self.view = Some(view);
            self.selected = 0;
            self.offset = 0;
            self.clamp(page);
            return;
        }
        // Typing one more character narrows the matches so far: search only among them.
        let narrower = !self.filter.is_empty() && query.to_lowercase().contains(&self.filter.to_lowercase());
        self.filter = query.to_string();
        match self.view.take() {
            Some(view) if narrower => self.view = Some(self.rows.matching_among(view, &self.filter)),
            _ => self.refilter(),
        }
        self.selected = 0;
        self.offset = 0;
        self.clamp(page);
    }

    /// Recomputes the view after the rows changed.
    fn refilter(&mut self) {
        self.view = (!self.filter.is_empty()).then(|| self.rows.matching(&self.filter));
    }

    /// Replaces every row; the selection stays on the same asset when it is still there.
    pub(super) fn replace(&mut self, rows: RowList, page: usize) {
        let selected = self.selected_row().map(|r| r.asset_id);
        self.rows = rows;
        self.refilter();
        self.selected = selected.and_then(|id| self.position_of(&id)).unwrap_or(0);
        self.clamp(page);
    }

    /// The whole history has been read; `rows` is all of it.
    pub(super) fn finish_loading(&mut self, rows: RowList, page: usize) {
        self.loaded = true;
        self.replace(rows, page);
    }

    /// Marks the history as read even though nothing could be (history is off).
    pub(super) fn give_up_loading(&mut self) {
        self.loaded = true;
    }

    /// Adds a row as the newest (dropping an older row of the same asset) and selects it.
    pub(super) fn push_newest(&mut self, row: &HistoryRow, page: usize) {
        self.rows.push_newest(row);
        self.refilter();
        self.selected = self.position_of(&row.asset_id).unwrap_or(0);
        self.clamp(page);
    }

    /// Moves the selection by `delta` rows (clamped to the list) and keeps it on screen.
    pub(super) fn move_by(&mut self, delta: isize, page: usize) {
        let len = self.visible_len();
        if len == 0 {
            return;
        }
        self.selected = (self.selected as isize).saturating_add(delta).clamp(0, len as isize - 1) as usize;
        self.clamp(page);
    }

    /// Selects the row at `row` lines below the first one on screen, if there is one.
    pub(super) fn select_on_screen(&mut self, row: usize, page: usize) {
        let position = self.offset + row;
        if position < self.visible_len() {
            self.selected = position;
            self.clamp(page);
        }
    }

    /// Keeps the selection inside the list and on a screen of `page` rows.
    pub(super) fn clamp(&mut self, page: usize) {
        let (selected, offset) = clamp_view(self.selected, self.offset, self.visible_len(), page);
        self.selected = selected;
        self.offset = offset;
    }

    fn position_of(&self, asset_id: &str) -> Option<usize> {
        let index = self.rows.position(asset_id)?;
        match &self.view {
            Some(view) => view.iter().position(|&i| i as usize == index),
            None => Some(index),
        }
    }
}

/// The scroll arithmetic of a list: given a selection, the first row shown, the list's length
/// and how many rows fit, returns both adjusted so the selection is inside the list and on
/// screen, scrolling as little as possible, and the screen is never emptier than it must be.
pub fn clamp_view(selected: usize, offset: usize, len: usize, page: usize) -> (usize, usize) {
    let page = page.max(1);
    let selected = selected.min(len.saturating_sub(1));
    let mut offset = offset;
    if selected < offset {
        offset = selected;
    } else if selected >= offset + page {
        offset = selected + 1 - page;
    }
    (selected, offset.min(len.saturating_sub(page)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_selection_stays_on_screen_scrolling_as_little_as_possible() {
        assert_eq!(clamp_view(0, 0, 10, 4), (0, 0));
        assert_eq!(clamp_view(4, 0, 10, 4), (4, 1), "one past the bottom scrolls by one");
        assert_eq!(clamp_view(2, 5, 10, 4), (2, 2), "above the top scrolls up to it");
        assert_eq!(clamp_view(9, 0, 10, 4), (9, 6));
        assert_eq!(clamp_view(3, 2, 10, 4), (3, 2), "on screen: nothing moves");
    }

    #[test]
    fn out_of_range_values_are_pulled_back() {
        assert_eq!(clamp_view(50, 40, 10, 4), (9, 6));
        assert_eq!(clamp_view(3, 8, 10, 4), (3, 3));
        assert_eq!(clamp_view(5, 5, 0, 4), (0, 0), "an empty list");
        assert_eq!(clamp_view(2, 0, 10, 0), (2, 2), "a zero-height page counts as one row");
        assert_eq!(clamp_view(1, 1, 3, 10), (1, 0), "a short list never scrolls");
    }

    #[test]
    fn moving_and_pushing_keep_the_invariants() {
        let mut list = HistoryList::default();
        list.move_by(1, 3);
        assert_eq!(list.selected(), 0, "moving in an empty list does nothing");
        let row = |i: u64| HistoryRow {
            asset_id: format!("id-{i}"),
            name: Some(format!("n{i}")),
            media_type: None,
            looked_up_at: jiff::Timestamp::UNIX_EPOCH,
            offset: i,
        };
        for i in 0..10 {
            list.push_newest(&row(i), 3);
        }
        assert_eq!(list.selected_row().unwrap().asset_id, "id-9");
        list.move_by(isize::MAX / 2, 3);
        assert_eq!((list.selected(), list.offset()), (9, 7));
        list.select_on_screen(0, 3);
        assert_eq!(list.selected(), 7);
        list.select_on_screen(5, 3);
        assert_eq!(list.selected(), 7, "a click below the last row selects nothing");
        list.set_filter("n1", &[], 3);
        assert_eq!(list.visible_len(), 1);
        assert_eq!((list.selected(), list.offset()), (0, 0));
    }
}
