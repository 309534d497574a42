//! Where each pane sits for a terminal size: data, computed in one place, used both by drawing
//! and by input handling (mouse clicks, paging, scrolling), so they can never disagree.

use ratatui::layout::{Position, Rect};

/// Below this size there is no room for panes; a one-line notice is shown instead.
pub const MIN_WIDTH: u16 = 24;
pub const MIN_HEIGHT: u16 = 8;
/// From this width on, the list and the detail sit side by side.
pub const WIDE: u16 = 90;
/// Every pane has a one-cell border.
pub const BORDER: u16 = 1;
/// The list's column header row, inside its border.
pub const LIST_HEADER: u16 = 1;
/// The detail pane keeps at least this many rows (one line inside its border) before the list
/// below it takes any.
const MIN_DETAIL_HEIGHT: u16 = 3;
const INPUT_HEIGHT: u16 = 3;
/// A list shorter than this (border, header, one row) is not shown.
const MIN_LIST_HEIGHT: u16 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Layout {
    pub input: Rect,
    /// The left (or lower) list pane: History or the Account list.
    pub list: Rect,
    pub detail: Rect,
    pub status: Rect,
    pub too_small: bool,
}

impl Layout {
    pub fn for_size(width: u16, height: u16) -> Layout {
        let area = Rect::new(0, 0, width, height);
        if width < MIN_WIDTH || height < MIN_HEIGHT {
            return Layout { status: area, too_small: true, ..Layout::default() };
        }
        let input = Rect::new(0, 0, width, INPUT_HEIGHT);
        let status = Rect::new(0, height - 1, width, 1);
        let middle = Rect::new(0, INPUT_HEIGHT, width, height - INPUT_HEIGHT - 1);
        let (list, detail) = if width >= WIDE {
            let left = (width * 2 / 5).clamp(34, 64);
            (
                Rect::new(middle.x, middle.y, left, middle.height),
                Rect::new(middle.x + left, middle.y, middle.width - left, middle.height),
            )
        } else {
            let wanted = (middle.height / 3).max(5);
            let mut bottom = wanted.min(middle.height.saturating_sub(MIN_DETAIL_HEIGHT));
            if bottom < MIN_LIST_HEIGHT {
                bottom = 0; // a border with no row in it helps no one: the detail takes it
            }
            let top = middle.height - bottom;
            (
                Rect::new(middle.x, middle.y + top, middle.width, bottom),
                Rect::new(middle.x, middle.y, middle.width, top),
            )
        };
        Layout { input, list, detail, status, too_small: false }
    }

    /// The list's rows: inside its border, below its header.
    pub fn list_rows(&self) -> Rect {
        let inner = inner(self.list);
        Rect::new(
            inner.x,
            inner.y + LIST_HEADER.min(inner.height),
            inner.width,
            inner.height.saturating_sub(LIST_HEADER),
        )
    }

    /// How many list rows fit at once (at least one, for paging arithmetic).
    pub fn list_page(&self) -> usize {
        (self.list_rows().height as usize).max(1)
    }

    /// The list row under a point, counted from the first row on screen.
    pub fn list_row_at(&self, at: Position) -> Option<usize> {
        let rows = self.list_rows();
        rows.contains(at).then(|| (at.y - rows.y) as usize)
    }

    /// The detail's text area, inside its border.
    pub fn detail_text(&self) -> Rect {
        inner(self.detail)
    }

    /// How many detail lines fit at once (at least one).
    pub fn detail_page(&self) -> usize {
        (self.detail_text().height as usize).max(1)
    }
}

/// A pane's inside, within its border.
pub fn inner(pane: Rect) -> Rect {
    Rect::new(
        pane.x.saturating_add(BORDER),
        pane.y.saturating_add(BORDER),
        pane.width.saturating_sub(2 * BORDER),
        pane.height.saturating_sub(2 * BORDER),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_tile_the_screen_without_overlap() {
        for (w, h) in [(24, 8), (60, 8), (60, 9), (89, 30), (90, 30), (200, 60)] {
            let l = Layout::for_size(w, h);
            assert!(!l.too_small);
            let middle = if w >= WIDE { l.detail.height } else { l.detail.height + l.list.height };
            assert_eq!(l.input.height + middle + l.status.height, h, "{w}×{h}");
            assert!(!l.list.intersects(l.detail) || l.list.is_empty() || l.detail.is_empty(), "{w}×{h}");
            assert!(l.detail.height >= MIN_DETAIL_HEIGHT || w >= WIDE, "{w}×{h}: the detail keeps a line");
        }
    }

    #[test]
    fn list_rows_sit_below_the_border_and_header() {
        let l = Layout::for_size(120, 36);
        let rows = l.list_rows();
        assert_eq!(rows.y, l.list.y + BORDER + LIST_HEADER);
        assert_eq!(rows.height, l.list.height - 2 * BORDER - LIST_HEADER);
        assert_eq!(l.list_row_at(Position::new(rows.x, rows.y)), Some(0));
        assert_eq!(l.list_row_at(Position::new(rows.x, rows.y + 2)), Some(2));
        assert_eq!(l.list_row_at(Position::new(rows.x, rows.y - 1)), None, "the header is not a row");
    }

    #[test]
    fn too_small_terminals_get_no_panes() {
        assert!(Layout::for_size(23, 30).too_small);
        assert!(Layout::for_size(80, 7).too_small);
        assert_eq!(Layout::for_size(0, 0).list_page(), 1);
    }
}
