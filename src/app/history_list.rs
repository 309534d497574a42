//! The history pane's state: the rows, the filter typed into the input, the selection and the
//! scroll position. Filtering scans compact rows (a few ms at 100,000); drawing touches only
//! the rows on screen.

use crate::history::{HistoryRow, RowList};

#[derive(Debug, Default)]
pub struct HistoryList {
    pub rows: RowList,
    /// Indices into `rows` (newest first) that match the filter; None shows every row.
    pub view: Option<Vec<u32>>,
    pub filter: String,
    /// Position in the view, and the first view row on screen.
    pub selected: usize,
    pub offset: usize,
    /// The whole file has been read (until then `rows` may hold only the newest few).
    pub loaded: bool,
}

impl HistoryList {
    /// How many rows the list shows.
    pub fn visible_len(&self) -> usize {
        match &self.view {
            Some(view) => view.len(),
            None => self.rows.len(),
        }
    }

    /// The row index in `rows` for a position in the view.
    pub fn row_index(&self, position: usize) -> Option<usize> {
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

    /// Shows only rows whose name or ID contains `query` (case-insensitive); blank shows all.
    pub fn set_filter(&mut self, query: &str) {
        let query = query.trim();
        if query == self.filter {
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
    }

    /// Recomputes the view after the rows changed.
    pub fn refilter(&mut self) {
        self.view = (!self.filter.is_empty()).then(|| self.rows.matching(&self.filter));
    }

    /// Replaces every row; the selection stays on the same asset when it is still there.
    pub fn replace(&mut self, rows: RowList) {
        let selected = self.selected_row().map(|r| r.asset_id);
        self.rows = rows;
        self.refilter();
        self.selected = selected.and_then(|id| self.position_of(&id)).unwrap_or(0);
    }

    /// Adds a row as the newest (dropping an older row of the same asset) and selects it.
    pub fn push_newest(&mut self, row: &HistoryRow) {
        self.rows.push_newest(row);
        self.refilter();
        self.selected = self.position_of(&row.asset_id).unwrap_or(0);
    }

    fn position_of(&self, asset_id: &str) -> Option<usize> {
        let index = self.rows.position(asset_id)?;
        match &self.view {
            Some(view) => view.iter().position(|&i| i as usize == index),
            None => Some(index),
        }
    }
}
