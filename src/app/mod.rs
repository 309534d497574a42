//! The application state and the only code that changes it: `App::update` takes one message
//! (a key, a fetch result, a history result…) and returns the effects to carry out (start a
//! fetch, append to history, quit). It does no I/O itself, so every transition is testable.

mod history_list;
mod input;

pub use history_list::HistoryList;

use crossterm::event::Event;
use jiff::Timestamp;
use tui_input::Input;

use crate::api::client::{Fetched, normalize_id};
use crate::api::{ApiError, Asset};
use crate::history::{HistoryEntry, HistoryRow, Loaded, RowList};
use crate::sanitize;

/// Identifies one lookup, so a late answer to an abandoned lookup is recognised and dropped.
pub type RequestId = u64;

/// Pasted text longer than this is cut: no asset ID comes close, and the input stays responsive.
pub const MAX_INPUT_CHARS: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Input,
    History,
    Detail,
}

/// Where the asset on screen came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Fresh,
    Stored { looked_up_at: Timestamp },
}

/// What the detail pane shows. It always names the asset it is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    Empty,
    Loading { asset_id: String },
    Loaded { asset_id: String, asset: Box<Asset>, source: Source, refreshing: bool, note: Option<String> },
    Failed { asset_id: String, error: ApiError },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
}

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Msg {
    Terminal(Event),
    Fetched {
        request: RequestId,
        asset_id: String,
        result: Box<Result<Fetched, ApiError>>,
    },
    /// The newest rows, read from the end of the file for the first frame.
    HistoryRecent(Vec<HistoryRow>),
    HistoryLoaded(Result<Loaded, String>),
    Recorded(Result<HistoryRow, String>),
    Snapshot {
        request: RequestId,
        result: Result<HistoryEntry, String>,
    },
    /// The spinner's timer; it only runs while a lookup is in flight.
    Tick,
}

/// Work for the event loop to carry out on the app's behalf.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Fetch { request: RequestId, asset_id: String },
    Cancel { request: RequestId },
    Record(HistoryEntry),
    ReadSnapshot { request: RequestId, row: HistoryRow },
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlight {
    pub request: RequestId,
    pub asset_id: String,
}

pub struct App {
    pub focus: Focus,
    pub input: Input,
    pub detail: Detail,
    pub detail_scroll: u16,
    pub history: HistoryList,
    pub in_flight: Option<InFlight>,
    pub status: Option<Status>,
    pub help_open: bool,
    pub spinner: usize,
    pub now: Timestamp,
    pub size: (u16, u16),
    /// Shown when there is nothing else to show: how to get a token, or that this is the demo.
    pub hint: Option<String>,
    /// Rows saved this session before the whole history was read, to keep over the full load.
    recorded_early: Vec<HistoryRow>,
    /// The input changed since the history was last filtered by it (see `settle`).
    filter_dirty: bool,
    next_request: RequestId,
}

impl App {
    pub fn new(size: (u16, u16), now: Timestamp) -> App {
        App {
            focus: Focus::Input,
            input: Input::default(),
            detail: Detail::Empty,
            detail_scroll: 0,
            history: HistoryList::default(),
            in_flight: None,
            status: None,
            help_open: false,
            spinner: 0,
            now,
            size,
            hint: None,
            recorded_early: Vec::new(),
            filter_dirty: false,
            next_request: 1,
        }
    }

    /// Finishes work deferred while a batch of messages was handled: the history filter follows
    /// the input once per frame, not once per key of a paste or a fast typist.
    pub fn settle(&mut self) {
        if std::mem::take(&mut self.filter_dirty) {
            let query = self.input.value().to_string();
            self.history.set_filter(&query);
            self.clamp_history_view();
        }
    }

    pub fn is_loading(&self) -> bool {
        self.in_flight.is_some()
    }

    pub fn update(&mut self, msg: Msg, now: Timestamp) -> Vec<Effect> {
        self.now = now;
        match msg {
            Msg::Terminal(event) => self.on_terminal(event),
            Msg::Fetched { request, asset_id, result } => self.on_fetched(request, asset_id, *result),
            Msg::HistoryRecent(rows) => {
                if !self.history.loaded {
                    self.history.replace(RowList::from_newest_first(rows));
                    self.clamp_history_view();
                }
                vec![]
            }
            Msg::HistoryLoaded(result) => {
                self.on_history_loaded(result);
                vec![]
            }
            Msg::Recorded(result) => {
                self.on_recorded(result);
                vec![]
            }
            Msg::Snapshot { request, result } => {
                self.on_snapshot(request, result);
                vec![]
            }
            Msg::Tick => {
                if self.is_loading() {
                    self.spinner = self.spinner.wrapping_add(1);
                }
                vec![]
            }
        }
    }

    pub fn submit(&mut self, text: &str) -> Vec<Effect> {
        match normalize_id(text) {
            Ok(id) => {
                // Filtering the history by an ID just submitted helps no one, and would delay
                // the frame that shows the lookup starting.
                self.filter_dirty = false;
                let id = id.to_string();
                let mut effects = self.cancel_in_flight();
                self.detail = Detail::Loading { asset_id: id.clone() };
                self.detail_scroll = 0;
                effects.push(self.start_fetch(id));
                effects
            }
            Err(ApiError::EmptyId) => {
                self.status = Some(Status { kind: StatusKind::Info, text: ApiError::EmptyId.to_string() });
                vec![]
            }
            Err(error) => {
                self.status = Some(Status { kind: StatusKind::Error, text: error.to_string() });
                vec![]
            }
        }
    }

    fn cancel_in_flight(&mut self) -> Vec<Effect> {
        self.in_flight.take().map(|f| Effect::Cancel { request: f.request }).into_iter().collect()
    }

    fn start_fetch(&mut self, asset_id: String) -> Effect {
        let request = self.next_request;
        self.next_request += 1;
        self.spinner = 0;
        self.status = None;
        self.in_flight = Some(InFlight { request, asset_id: asset_id.clone() });
        Effect::Fetch { request, asset_id }
    }

    pub fn reopen_selected(&mut self) -> Vec<Effect> {
        let Some(row) = self.history.selected_row() else {
            return vec![];
        };
        let mut effects = self.cancel_in_flight();
        self.detail = Detail::Loading { asset_id: row.asset_id.clone() };
        self.detail_scroll = 0;
        let fetch = self.start_fetch(row.asset_id.clone());
        let Effect::Fetch { request, .. } = &fetch else { return effects };
        effects.push(Effect::ReadSnapshot { request: *request, row });
        effects.push(fetch);
        effects
    }

    fn on_fetched(&mut self, request: RequestId, asset_id: String, result: Result<Fetched, ApiError>) -> Vec<Effect> {
        if self.in_flight.as_ref().map(|f| f.request) != Some(request) {
            return vec![]; // an abandoned lookup's late answer
        }
        self.in_flight = None;
        match result {
            Ok(fetched) => {
                let requested = asset_id.clone();
                // Keyed by the asset's own ID when it names one, so the same asset typed two ways is one row.
                let asset_id = fetched.asset.asset_id.clone().filter(|id| !id.trim().is_empty()).unwrap_or(asset_id);
                let entry = HistoryEntry { asset_id: asset_id.clone(), looked_up_at: self.now, asset: fetched.raw };
                // The typed ID has done its job; clearing it lets the history show every row again.
                if normalize_id(self.input.value()).is_ok_and(|typed| typed == requested) {
                    self.input.reset();
                    self.filter_dirty = true;
                }
                self.detail = Detail::Loaded {
                    asset_id,
                    asset: Box::new(fetched.asset),
                    source: Source::Fresh,
                    refreshing: false,
                    note: None,
                };
                vec![Effect::Record(entry)]
            }
            Err(error) => {
                let text = error.to_string();
                self.detail = match std::mem::replace(&mut self.detail, Detail::Empty) {
                    // A refresh of a stored snapshot failed: keep the snapshot, say why it is not fresh.
                    Detail::Loaded { asset_id: shown, asset, source, .. } if shown == asset_id => Detail::Loaded {
                        asset_id: shown,
                        asset,
                        source,
                        refreshing: false,
                        note: Some(format!("Could not refresh: {text}")),
                    },
                    _ => Detail::Failed { asset_id, error },
                };
                self.status = Some(Status { kind: StatusKind::Error, text });
                vec![]
            }
        }
    }

    fn on_snapshot(&mut self, request: RequestId, result: Result<HistoryEntry, String>) {
        // Only the latest lookup's snapshot counts, and only until its fresh copy has arrived.
        let latest = self.next_request.checked_sub(1) == Some(request);
        let refresh_failed = match &self.detail {
            Detail::Loading { .. } if latest => None,
            // The refresh failed before the disk answered (offline, say): the stored copy is
            // still worth showing, with the reason it is not fresh.
            Detail::Failed { error, .. } if latest => Some(error.to_string()),
            _ => return,
        };
        match result {
            Ok(entry) => match Asset::from_value(entry.asset) {
                Ok(asset) => {
                    self.detail = Detail::Loaded {
                        asset_id: entry.asset_id,
                        asset: Box::new(asset),
                        source: Source::Stored { looked_up_at: entry.looked_up_at },
                        refreshing: refresh_failed.is_none(),
                        note: refresh_failed.map(|e| format!("Could not refresh: {e}")),
                    };
                }
                Err(e) => {
                    self.status = Some(Status {
                        kind: StatusKind::Warning,
                        text: format!("The stored copy is unreadable ({e}); fetching a fresh one."),
                    })
                }
            },
            Err(e) => {
                self.status = Some(Status { kind: StatusKind::Warning, text: format!("{e} Fetching a fresh copy.") })
            }
        }
    }

    fn on_history_loaded(&mut self, result: Result<Loaded, String>) {
        self.history.loaded = true;
        match result {
            Ok(loaded) => {
                let mut notes = Vec::new();
                if loaded.skipped_lines > 0 {
                    notes.push(format!(
                        "{} damaged history line(s) were skipped; the rest loaded.",
                        loaded.skipped_lines
                    ));
                }
                if let Some(path) = &loaded.moved_aside {
                    notes.push(format!(
                        "The history file was not readable as a history; it was kept as {}.",
                        path.display()
                    ));
                }
                // Rows recorded before the load finished are newer than anything it read.
                self.history.replace(loaded.rows);
                for row in std::mem::take(&mut self.recorded_early) {
                    self.history.push_newest(&row);
                }
                if !notes.is_empty() && self.status.is_none() {
                    self.status = Some(Status { kind: StatusKind::Warning, text: notes.join(" ") });
                }
            }
            Err(e) => self.status = Some(Status { kind: StatusKind::Warning, text: e }),
        }
        self.clamp_history_view();
    }

    fn on_recorded(&mut self, result: Result<HistoryRow, String>) {
        match result {
            Ok(row) => {
                let name = row.name.clone().unwrap_or_else(|| short(&row.asset_id));
                if !self.history.loaded {
                    self.recorded_early.push(row.clone());
                }
                self.history.push_newest(&row);
                self.clamp_history_view();
                if self.status.is_none() {
                    self.status = Some(Status { kind: StatusKind::Info, text: format!("Saved {name} to history.") });
                }
            }
            Err(e) => {
                self.status = Some(Status { kind: StatusKind::Error, text: format!("Not saved to history: {e}") })
            }
        }
    }
}

/// A long asset ID shortened for a status message.
pub fn short(asset_id: &str) -> String {
    sanitize::one_line(asset_id, 60)
}
