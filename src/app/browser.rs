//! The Account list's state: for the chosen account, one listing per type filter (kept while
//! you switch between them), each with its loaded rows (deduplicated by asset ID, in the
//! server's order), where the next page starts, whether one is loading or failed or the list
//! has ended, the selection and scroll, and the filter typed into the input.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;

use super::history_list::clamp_view;
use super::msg::RequestId;
use serde_json::value::RawValue;

use crate::api::{ApiError, Asset, ListedAsset, MAX_LIMIT, MAX_OFFSET, MediaFilter, Page};
use crate::present::format;

/// Pages are asked for at the API's largest size: fewer round trips.
pub const PAGE_SIZE: u32 = MAX_LIMIT;

/// Where the next page stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Paging {
    /// More may come; nothing asked yet.
    More,
    Loading {
        request: RequestId,
    },
    Failed(ApiError),
    /// A short page: the account has no more.
    End,
    /// The API lists nothing past offset 1000: older assets can only be opened by ID.
    Ceiling,
}

/// One listed asset, as the list needs it: what its row shows and the filter reads, and the
/// item's JSON text as received (the detail reads the whole asset from it when the row is
/// selected). Keeping only this, not every parsed `Asset`, holds 1,050 rows in about 1 MiB.
#[derive(Debug, Clone)]
pub struct ListRow {
    pub asset_id: Option<String>,
    pub name: Option<String>,
    pub media_type: Option<String>,
    /// W×H or the length, as the Size column shows it.
    pub shape: String,
    pub created: Option<Timestamp>,
    raw: Box<RawValue>,
}

impl ListRow {
    fn from_listed(item: ListedAsset) -> ListRow {
        let a = item.asset;
        ListRow {
            shape: format::shape(&a),
            created: a.created_at.as_deref().and_then(format::parse_date),
            asset_id: a.asset_id,
            name: a.name,
            media_type: a.media_type,
            raw: item.raw,
        }
    }

    /// The whole asset, read again from the item as received.
    pub fn asset(&self) -> Option<Asset> {
        serde_json::from_str(self.raw.get()).ok()
    }

    /// The item as received, as a JSON value.
    pub fn raw_value(&self) -> serde_json::Value {
        serde_json::from_str(self.raw.get()).unwrap_or_else(|_| serde_json::Value::Object(Default::default()))
    }
}

/// One account listing for one type filter.
#[derive(Debug, Default)]
pub struct Listing {
    items: Vec<ListRow>,
    ids: HashSet<String>,
    /// The server offset of the next page: every item the server sent so far, skipped or
    /// repeated ones included, so that pages line up with the server's.
    next_offset: u32,
    paging: Option<Paging>,
    /// The rows shown came from the cache, saved then; a fresh first page replaces them.
    cached_at: Option<Timestamp>,
    /// When the rows were fetched (for the detail's "listed" mark).
    fetched_at: Option<Timestamp>,
    /// Malformed items the server sent, skipped.
    skipped: usize,
    /// Items sent again (the account gained assets while paging, so offsets shifted).
    repeated: usize,
    view: Option<Vec<u32>>,
    filter: String,
    /// Assets whose prompt matches the filter.
    by_prompt: HashSet<String>,
    selected: usize,
    offset: usize,
}

impl Listing {
    pub fn paging(&self) -> &Paging {
        self.paging.as_ref().unwrap_or(&Paging::More)
    }

    pub fn cached_at(&self) -> Option<Timestamp> {
        self.cached_at
    }

    pub fn fetched_at(&self) -> Option<Timestamp> {
        self.fetched_at
    }

    pub fn skipped(&self) -> usize {
        self.skipped
    }

    pub fn loaded_len(&self) -> usize {
        self.items.len()
    }

    pub fn is_filtered(&self) -> bool {
        self.view.is_some()
    }

    /// Whether anything was ever loaded or asked for.
    pub fn is_started(&self) -> bool {
        self.paging.is_some() || !self.items.is_empty()
    }

    pub fn visible_len(&self) -> usize {
        self.view.as_ref().map_or(self.items.len(), Vec::len)
    }

    fn index_at(&self, position: usize) -> Option<usize> {
        match &self.view {
            Some(view) => view.get(position).map(|&i| i as usize),
            None => (position < self.items.len()).then_some(position),
        }
    }

    pub fn row_at(&self, position: usize) -> Option<&ListRow> {
        self.items.get(self.index_at(position)?)
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn selected_row(&self) -> Option<&ListRow> {
        self.row_at(self.selected)
    }

    fn selected_id(&self) -> Option<String> {
        self.selected_row().and_then(|r| r.asset_id.clone())
    }

    /// Whether the next page should be asked for now: more may come, nothing is on its way,
    /// and the selection is within a screenful of the end (so steady scrolling never waits).
    pub fn wants_next_page(&self, page: usize) -> bool {
        matches!(self.paging(), Paging::More)
            && self.view.is_none()
            && self.selected + page.max(1) * 2 >= self.items.len()
    }

    pub(super) fn start_loading(&mut self, request: RequestId) {
        self.paging = Some(Paging::Loading { request });
    }

    /// The request that is loading, if any.
    pub fn loading_request(&self) -> Option<RequestId> {
        match self.paging() {
            Paging::Loading { request } => Some(*request),
            _ => None,
        }
    }

    /// Stops waiting for a page (left, or Esc): it is asked for again when needed.
    pub(super) fn abandon_loading(&mut self) {
        if self.loading_request().is_some() {
            self.paging = Some(Paging::More);
        }
    }

    /// The offset the next page starts at.
    pub fn next_offset(&self) -> u32 {
        self.next_offset
    }

    /// Shows a cached first page (until the fresh one comes).
    pub(super) fn show_cached(&mut self, page: Page, saved_at: Timestamp, screen: usize) {
        if self.fetched_at.is_some() || !self.items.is_empty() {
            return; // something fresher is on screen already
        }
        self.skipped = page.skipped;
        self.add_items(page.items);
        self.cached_at = Some(saved_at);
        self.refilter(screen);
    }

    /// Adds a page the server sent for `offset`. The first page replaces whatever was shown
    /// (a cached copy, or an older listing being reloaded), keeping the selection on the same
    /// asset; later pages append, so rows never move under the cursor.
    pub(super) fn add_page(&mut self, offset: u32, page: Page, now: Timestamp, screen: usize) {
        let selected = self.selected_id();
        if offset == 0 {
            self.items.clear();
            self.ids.clear();
            self.skipped = 0;
            self.repeated = 0;
            self.cached_at = None;
        }
        self.fetched_at = Some(now);
        self.skipped += page.skipped;
        let received = page.received as u32;
        self.next_offset = offset.saturating_add(received);
        // More than a page can hold is still read, but the list goes on from where the server
        // says it is; a short page ends the list.
        self.paging = Some(if received < PAGE_SIZE {
            Paging::End
        } else if self.next_offset > MAX_OFFSET {
            Paging::Ceiling
        } else {
            Paging::More
        });
        self.add_items(page.items);
        self.refilter(screen);
        if offset == 0
            && let Some(id) = selected
            && let Some(position) = self.position_of(&id)
        {
            self.selected = position;
        }
        self.clamp(screen);
    }

    pub(super) fn fail(&mut self, error: ApiError, screen: usize) {
        self.paging = Some(Paging::Failed(error));
        // The sentence under the last row needs room when the selection is there.
        self.clamp(screen);
    }

    /// Forgets the loaded pages (keeping them on screen until the first page comes back).
    pub(super) fn reload(&mut self) {
        self.next_offset = 0;
        self.paging = Some(Paging::More);
    }

    fn add_items(&mut self, items: Vec<ListedAsset>) {
        for item in items {
            let repeated = item.asset.asset_id.as_ref().is_some_and(|id| !self.ids.insert(id.clone()));
            match repeated {
                true => self.repeated += 1,
                false => self.items.push(ListRow::from_listed(item)),
            }
        }
    }

    /// Shows only rows whose name or ID contains `query` (ignoring case), and the assets of
    /// `by_prompt` (whose prompt matched).
    pub(super) fn set_filter(&mut self, query: &str, by_prompt: &[&str], screen: usize) {
        let query = query.trim().to_lowercase();
        if query == self.filter && by_prompt.is_empty() {
            return;
        }
        self.filter = query;
        self.by_prompt = by_prompt.iter().map(|s| s.to_string()).collect();
        self.selected = 0;
        self.offset = 0;
        self.refilter(screen);
    }

    fn refilter(&mut self, screen: usize) {
        self.view = (!self.filter.is_empty()).then(|| {
            let query = &self.filter;
            (0..self.items.len() as u32)
                .filter(|&i| {
                    let a = &self.items[i as usize];
                    let hit = |s: &Option<String>| s.as_deref().is_some_and(|s| s.to_lowercase().contains(query));
                    hit(&a.name)
                        || hit(&a.asset_id)
                        || a.asset_id.as_deref().is_some_and(|id| self.by_prompt.contains(id))
                })
                .collect()
        });
        self.clamp(screen);
    }

    fn position_of(&self, asset_id: &str) -> Option<usize> {
        (0..self.visible_len()).find(|&p| self.row_at(p).and_then(|r| r.asset_id.as_deref()) == Some(asset_id))
    }

    pub(super) fn move_by(&mut self, delta: isize, screen: usize) {
        let len = self.visible_len();
        if len == 0 {
            return;
        }
        self.selected = (self.selected as isize).saturating_add(delta).clamp(0, len as isize - 1) as usize;
        self.clamp(screen);
    }

    pub(super) fn select_on_screen(&mut self, row: usize, screen: usize) {
        if self.offset + row < self.visible_len() {
            self.selected = self.offset + row;
            self.clamp(screen);
        }
    }

    pub(super) fn clamp(&mut self, screen: usize) {
        // Under the last row comes the line that says more are loading, or the list ended: on
        // the last row, scroll so that line shows too. The selection never sits on it.
        // A failure or the ceiling says more than fits on one row: room for three.
        let below = match self.paging() {
            Paging::Failed(_) | Paging::Ceiling => 3,
            _ => 1,
        };
        let len = self.visible_len();
        let extra = if len > 0 && self.selected + 1 >= len { below } else { 0 };
        let (selected, offset) = clamp_view(self.selected + extra, self.offset, len + below, screen);
        self.selected = selected.saturating_sub(extra).min(len.saturating_sub(1));
        self.offset = offset;
    }
}

/// The account browser: which account, which filter, and a listing per filter.
#[derive(Debug, Default)]
pub struct Browser {
    account: Option<String>,
    filter: MediaFilter,
    listings: HashMap<MediaFilter, Listing>,
}

impl Browser {
    pub fn new(account: Option<String>) -> Browser {
        Browser { account, ..Browser::default() }
    }

    pub fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }

    pub fn filter(&self) -> MediaFilter {
        self.filter
    }

    /// The listing shown now.
    pub fn listing(&self) -> Option<&Listing> {
        self.listings.get(&self.filter)
    }

    pub(super) fn listing_mut(&mut self) -> &mut Listing {
        self.listings.entry(self.filter).or_default()
    }

    pub(super) fn listing_for(&mut self, filter: MediaFilter) -> &mut Listing {
        self.listings.entry(filter).or_default()
    }

    /// The listing that is waiting for `request`.
    pub(super) fn listing_waiting_for(&mut self, request: RequestId) -> Option<(MediaFilter, &mut Listing)> {
        self.listings.iter_mut().find(|(_, l)| l.loading_request() == Some(request)).map(|(f, l)| (*f, l))
    }

    pub(super) fn set_filter(&mut self, filter: MediaFilter) {
        self.filter = filter;
    }

    /// Another account: every listing starts again.
    pub(super) fn set_account(&mut self, account: Option<String>) {
        self.account = account;
        self.listings.clear();
    }

    /// Whether any listing is waiting for a page.
    pub fn is_loading(&self) -> bool {
        self.listings.values().any(|l| l.loading_request().is_some())
    }

    /// The requests of every listing still loading (to cancel them).
    pub(super) fn loading_requests(&self) -> Vec<RequestId> {
        self.listings.values().filter_map(Listing::loading_request).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Asset;

    fn page(ids: std::ops::Range<u32>) -> Page {
        let items: Vec<ListedAsset> = ids
            .map(|i| {
                let raw = serde_json::json!({ "assetId": format!("a{i}"), "name": format!("asset {i}") });
                ListedAsset {
                    asset: Asset::from_value(raw.clone()).unwrap(),
                    raw: serde_json::value::to_raw_value(&raw).unwrap(),
                }
            })
            .collect();
        Page { received: items.len(), skipped: 0, items }
    }

    #[test]
    fn pages_append_dedupe_and_end() {
        let now = Timestamp::UNIX_EPOCH;
        let mut l = Listing::default();
        l.add_page(0, page(0..50), now, 10);
        assert_eq!((l.loaded_len(), l.next_offset(), l.paging()), (50, 50, &Paging::More));
        // The account gained two assets: the next page repeats two we have.
        l.add_page(50, page(48..98), now, 10);
        assert_eq!((l.loaded_len(), l.next_offset()), (98, 100));
        l.add_page(100, page(98..110), now, 10);
        assert_eq!((l.loaded_len(), l.paging()), (110, &Paging::End));
    }

    #[test]
    fn the_ceiling_ends_the_list_past_offset_1000() {
        let mut l = Listing::default();
        l.add_page(1000, page(0..50), Timestamp::UNIX_EPOCH, 10);
        assert_eq!(l.paging(), &Paging::Ceiling);
    }

    #[test]
    fn the_selection_stays_on_its_asset_when_the_first_page_is_replaced() {
        let now = Timestamp::UNIX_EPOCH;
        let mut l = Listing::default();
        l.show_cached(page(0..50), now, 10);
        l.move_by(3, 10);
        assert_eq!(l.selected_row().unwrap().asset_id.as_deref(), Some("a3"));
        // Two new assets came first in the fresh page.
        let mut fresh = page(0..50);
        fresh.items.insert(0, page(900..901).items.remove(0));
        fresh.items.insert(0, page(901..902).items.remove(0));
        l.add_page(0, fresh, now, 10);
        assert_eq!(l.selected_row().unwrap().asset_id.as_deref(), Some("a3"));
        assert_eq!(l.cached_at(), None);
    }

    #[test]
    fn the_next_page_is_wanted_within_a_screenful_of_the_end() {
        let mut l = Listing::default();
        l.add_page(0, page(0..50), Timestamp::UNIX_EPOCH, 10);
        assert!(!l.wants_next_page(10));
        l.move_by(30, 10);
        assert!(l.wants_next_page(10));
        l.start_loading(7);
        assert!(!l.wants_next_page(10), "one page at a time");
    }

    #[test]
    fn typing_narrows_the_loaded_rows() {
        let mut l = Listing::default();
        l.add_page(0, page(0..50), Timestamp::UNIX_EPOCH, 10);
        l.set_filter("ASSET 1", &[], 10);
        assert_eq!(l.visible_len(), 11, "asset 1 and asset 10…19");
        assert!(!l.wants_next_page(10), "a filtered list does not page");
    }
}
