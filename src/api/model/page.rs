//! One page of `GET /v1/runwayml/assets/`: what to ask for (`ListQuery`, `MediaFilter`) and what
//! came back (`Page`). A page is a bare JSON array; an item that is not an asset object is
//! skipped and counted, never sinking the page.

use serde_json::Value;
use serde_json::value::RawValue;

use super::asset::{Asset, json_kind};
use crate::api::ApiError;

/// Which media the list is narrowed to (`mediaType=`), or all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MediaFilter {
    #[default]
    All,
    Video,
    Image,
    Audio,
}

impl MediaFilter {
    /// The `mediaType` query value: `None` for All.
    pub fn query_value(self) -> Option<&'static str> {
        match self {
            MediaFilter::All => None,
            MediaFilter::Video => Some("video"),
            MediaFilter::Image => Some("image"),
            MediaFilter::Audio => Some("audio"),
        }
    }

    /// All → Video → Image → Audio → All.
    pub fn next(self) -> MediaFilter {
        match self {
            MediaFilter::All => MediaFilter::Video,
            MediaFilter::Video => MediaFilter::Image,
            MediaFilter::Image => MediaFilter::Audio,
            MediaFilter::Audio => MediaFilter::All,
        }
    }

    pub fn label(self) -> &'static str {
        self.query_value().unwrap_or("all")
    }

    /// `video`, `image`, `audio` or `all` (any case, surrounding spaces ignored).
    pub fn parse(text: &str) -> Option<MediaFilter> {
        let text = text.trim();
        [MediaFilter::All, MediaFilter::Video, MediaFilter::Image, MediaFilter::Audio]
            .into_iter()
            .find(|m| m.label().eq_ignore_ascii_case(text))
    }
}

/// The largest `offset` the API accepts.
pub const MAX_OFFSET: u32 = 1000;
/// The largest `limit` the API accepts.
pub const MAX_LIMIT: u32 = 50;

/// One page to ask for. Out-of-range numbers are clamped when the request is made
/// (offset to 0..=1000, limit to 1..=50); a blank account counts as none.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListQuery {
    pub offset: u32,
    pub limit: u32,
    pub media: MediaFilter,
    pub account: Option<String>,
}

impl ListQuery {
    /// The offset actually sent.
    pub fn sent_offset(&self) -> u32 {
        self.offset.min(MAX_OFFSET)
    }

    /// The limit actually sent.
    pub fn sent_limit(&self) -> u32 {
        self.limit.clamp(1, MAX_LIMIT)
    }

    /// The account actually sent (trimmed), if any.
    pub fn sent_account(&self) -> Option<&str> {
        self.account.as_deref().map(str::trim).filter(|a| !a.is_empty())
    }
}

/// One asset of a page: parsed, and the item as received (for `--json` and the history). The
/// item is kept as its text, not as a `Value` tree: a listing of 1,050 rows holds a fifth of
/// the memory that way, and reading a page skips building and copying the trees.
#[derive(Debug, Clone)]
pub struct ListedAsset {
    pub asset: Asset,
    pub raw: Box<RawValue>,
}

impl PartialEq for ListedAsset {
    fn eq(&self, other: &ListedAsset) -> bool {
        self.asset == other.asset && self.raw.get() == other.raw.get()
    }
}

impl ListedAsset {
    /// The item as a JSON value (it was valid JSON when received, so this cannot fail in
    /// practice; an empty object stands in if it ever did).
    pub fn raw_value(&self) -> Value {
        serde_json::from_str(self.raw.get()).unwrap_or_else(|_| Value::Object(Default::default()))
    }
}

/// What one page held. `received` counts every array item, the skipped ones included, so a
/// caller can tell a short page (the end of the list) from a page with bad items.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub items: Vec<ListedAsset>,
    pub skipped: usize,
    pub received: usize,
}

impl Page {
    /// Reads a page from the response's body: it must be a JSON array; each item that is not
    /// an asset object is skipped and counted. Each item is read straight into an `Asset`.
    pub fn from_json(body: &[u8]) -> Result<Page, ApiError> {
        match serde_json::from_slice::<Vec<Box<RawValue>>>(body) {
            Ok(items) => Ok(Page::from_raw_items(items)),
            // Not an array (or not JSON at all): say what it was.
            Err(_) => match serde_json::from_slice::<Value>(body) {
                Ok(other) => Err(ApiError::NotAList(json_kind(&other))),
                Err(e) => Err(ApiError::InvalidJson(crate::api::client::json_problem(&e, body))),
            },
        }
    }

    /// Reads a page from JSON already parsed (a cached first page): as `from_json`.
    pub fn from_value(value: Value) -> Result<Page, ApiError> {
        let Value::Array(values) = value else {
            return Err(ApiError::NotAList(json_kind(&value)));
        };
        let received = values.len();
        let items = values.iter().filter_map(|v| serde_json::value::to_raw_value(v).ok()).collect();
        let mut page = Page::from_raw_items(items);
        page.skipped += received - page.received;
        page.received = received;
        Ok(page)
    }

    fn from_raw_items(items: Vec<Box<RawValue>>) -> Page {
        let mut page = Page { received: items.len(), ..Page::default() };
        for raw in items {
            if !raw.get().trim_start().starts_with('{') {
                page.skipped += 1;
                continue;
            }
            match serde_json::from_str::<Asset>(raw.get()) {
                Ok(asset) => page.items.push(ListedAsset { asset, raw }),
                Err(_) => page.skipped += 1,
            }
        }
        page
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn media_filter_cycles_labels_and_parses() {
        let mut m = MediaFilter::default();
        let mut seen = Vec::new();
        for _ in 0..4 {
            seen.push(m.label());
            m = m.next();
        }
        assert_eq!(m, MediaFilter::All);
        assert_eq!(seen, ["all", "video", "image", "audio"]);
        assert_eq!(MediaFilter::All.query_value(), None);
        assert_eq!(MediaFilter::Audio.query_value(), Some("audio"));
        for label in seen {
            assert_eq!(MediaFilter::parse(label).map(MediaFilter::label), Some(label));
        }
        assert_eq!(MediaFilter::parse(" Video "), Some(MediaFilter::Video));
        assert_eq!(MediaFilter::parse("gif"), None);
        assert_eq!(MediaFilter::parse(""), None);
    }

    #[test]
    fn query_numbers_are_clamped_and_blank_accounts_dropped() {
        let q = ListQuery { offset: 5000, limit: 0, media: MediaFilter::All, account: Some("  ".into()) };
        assert_eq!((q.sent_offset(), q.sent_limit(), q.sent_account()), (1000, 1, None));
        let q = ListQuery { offset: 7, limit: 99, media: MediaFilter::Image, account: Some(" a@b.c ".into()) };
        assert_eq!((q.sent_offset(), q.sent_limit(), q.sent_account()), (7, 50, Some("a@b.c")));
    }

    #[test]
    fn page_keeps_objects_and_counts_the_rest() {
        let page =
            Page::from_value(json!([{"assetId": "a", "name": "one"}, 3, "x", null, [1], {"assetId": "b"}])).unwrap();
        assert_eq!(page.received, 6);
        assert_eq!(page.skipped, 4);
        let ids: Vec<_> = page.items.iter().map(|i| i.asset.asset_id.as_deref()).collect();
        assert_eq!(ids, [Some("a"), Some("b")]);
        assert_eq!(page.items[0].raw_value(), json!({"assetId": "a", "name": "one"}));
    }

    #[test]
    fn empty_array_is_an_empty_page_and_non_arrays_are_errors() {
        assert_eq!(Page::from_value(json!([])).unwrap(), Page::default());
        assert_eq!(Page::from_value(json!({"items": []})), Err(ApiError::NotAList("an object")));
        assert_eq!(Page::from_value(json!(null)), Err(ApiError::NotAList("null")));
        assert_eq!(
            ApiError::NotAList("an object").to_string(),
            "The server's answer was not a list of assets: it sent an object."
        );
    }

    #[test]
    fn server_strings_in_items_are_cleaned() {
        let page = Page::from_value(json!([{"name": "a\u{1b}[2Jb"}])).unwrap();
        assert_eq!(page.items[0].asset.name.as_deref(), Some("a\u{FFFD}[2Jb"));
    }
}
