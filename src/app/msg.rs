//! The loop's contract with the app: what can happen (`Msg`) and what the app asks the loop to
//! do (`Effect`). The loop turns worker results and terminal input into messages.

use crossterm::event::Event;

use jiff::Timestamp;

use crate::api::client::Fetched;
use crate::api::{AccountSummary, ApiError, FetchedTask, ListQuery, MediaFilter, Page};
use crate::history::{HistoryEntry, HistoryError, HistoryRow, Loaded};

/// Identifies one request, so a late answer to an abandoned one is recognised and dropped.
pub type RequestId = u64;

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Msg {
    Terminal(Event),
    Fetched {
        request: RequestId,
        asset_id: String,
        result: Box<Result<Fetched, ApiError>>,
    },
    /// A page of the account listing.
    Page {
        request: RequestId,
        query: ListQuery,
        result: Box<Result<Page, ApiError>>,
    },
    Accounts {
        request: RequestId,
        result: Result<Vec<AccountSummary>, ApiError>,
    },
    /// The cached first page of a listing (None when there is none, or it was unreadable).
    CachedPage {
        account: Option<String>,
        filter: MediaFilter,
        cached: Option<(Timestamp, Page)>,
    },
    /// The task behind the asset on screen.
    Task {
        request: RequestId,
        result: Box<Result<FetchedTask, ApiError>>,
    },
    /// A finished task remembered from an earlier visit (None: not remembered).
    CachedTask {
        task_id: String,
        task: Option<Box<crate::api::Task>>,
    },
    /// Time to read a running task again.
    PollTask {
        request: RequestId,
    },
    /// Prompts of remembered tasks, by asset ID, for the lists' filter.
    KnownPrompts(Vec<(String, String)>),
    /// The newest rows, read from the end of the file for the first frame.
    HistoryRecent(Vec<HistoryRow>),
    HistoryLoaded(Result<Loaded, HistoryError>),
    Recorded(Result<HistoryRow, HistoryError>),
    Snapshot {
        request: RequestId,
        result: Result<HistoryEntry, HistoryError>,
    },
    /// The spinner's timer; it only runs while something is loading.
    Tick,
    /// Every message of a batch is handled: do the work deferred until then (filtering the
    /// list by the input), once per frame rather than once per key.
    Settle,
    // -- preview --
    /// Pictures can be drawn (sent once the terminal's graphics are known): a cell's size in
    /// pixels, and how large an image's own file may be to stand in for a missing preview.
    PreviewSetup {
        font: (u16, u16),
        max_bytes: u64,
        /// Pictures are half blocks (characters), not a graphics protocol.
        text_only: bool,
    },
    /// Picture work finished (or failed, with the reason as the end of a sentence).
    Preview {
        request: RequestId,
        result: Result<crate::app::preview::PictureReady, String>,
    },
    // -- copy, open, JSON view --
    /// What came of handing a URL to the opener.
    Opened(super::OpenOutcome),
    /// A copy was sent, but tmux's settings keep it from the clipboard.
    CopyHeldBack {
        what: super::Copied,
    },
    // -- download --
    /// A download started, moved on, or ended.
    Download(crate::download::DownloadEvent),
}

/// Work for the event loop to carry out on the app's behalf.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Fetch {
        request: RequestId,
        asset_id: String,
    },
    Cancel {
        request: RequestId,
    },
    Record(HistoryEntry),
    ReadSnapshot {
        request: RequestId,
        row: HistoryRow,
    },
    FetchPage {
        request: RequestId,
        query: ListQuery,
    },
    FetchAccounts {
        request: RequestId,
    },
    /// Read the cached first page of a listing, at once (it is drawn in the same frame).
    ReadCachedPage {
        account: Option<String>,
        filter: MediaFilter,
    },
    /// Keep a listing's first page, as received, for next time.
    StoreCachedPage {
        account: Option<String>,
        filter: MediaFilter,
        /// The items' JSON text as received (parsed into values off the UI thread).
        items: Vec<String>,
    },
    /// Look for a finished task in the cache, at once (it is drawn in the same frame).
    ReadCachedTask {
        task_id: String,
    },
    FetchTask {
        request: RequestId,
        task_id: String,
    },
    /// Remember a finished task, as received.
    StoreTask {
        task_id: String,
        raw: crate::api::TaskJson,
    },
    /// Answer `Msg::PollTask { request }` after `delay` (cancelled like a request).
    PollTaskAfter {
        request: RequestId,
        delay: std::time::Duration,
    },
    Quit,
    // -- preview --
    /// Fetch (or read from the cache), decode and encode the picture of `key` for a box of
    /// `cells`; this abandons any picture work still on its way.
    LoadPreview {
        request: RequestId,
        key: crate::preview::PreviewKey,
        url: String,
        cells: (u16, u16),
    },
    /// Encode the picture on screen again, for a new box.
    EncodePreview {
        request: RequestId,
        image: std::sync::Arc<image::DynamicImage>,
        cells: (u16, u16),
    },
    /// Abandon any picture work on its way.
    CancelPreview,
    // -- copy, open, JSON view --
    /// Put `text` on the clipboard, exactly (the loop writes it through the terminal).
    Copy {
        what: super::Copied,
        text: String,
    },
    /// Open a web address (http or https, already checked) with the platform's opener.
    Open {
        url: reqwest::Url,
    },
    // -- download --
    /// Download the file of this asset (as shown) into the download folder.
    Download {
        job: crate::download::JobId,
        asset_id: String,
        asset: Box<crate::api::Asset>,
    },
}
