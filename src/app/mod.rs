//! The application state and the only code that changes it: `App::update` takes one message
//! (a key, a fetch result, a history result…) and returns the effects to carry out (start a
//! fetch, append to history, quit). It does no I/O itself, so every transition is testable.
//! Drawing reads the state through the accessors here; nothing outside writes it.

mod detail;
mod history_list;
mod input;
pub mod keymap;
pub mod layout;
pub mod load;
mod lookup;
mod msg;

use jiff::Timestamp;
use tui_input::Input;

pub use detail::{Detail, Shown, Source};
pub use history_list::{HistoryList, clamp_view};
pub use layout::Layout;
pub use load::Load;
pub use msg::{Effect, Msg, RequestId};

use crate::history::{HistoryError, HistoryRow, Loaded, RowList};
use crate::present::wrap::TextLine;
use crate::sanitize;

/// Pasted text longer than this is cut: no asset ID comes close, and the input stays responsive.
pub const MAX_INPUT_CHARS: usize = 4096;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Input,
    List,
    Detail,
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

impl Status {
    fn info(text: String) -> Option<Status> {
        Some(Status { kind: StatusKind::Info, text })
    }

    fn warning(text: String) -> Option<Status> {
        Some(Status { kind: StatusKind::Warning, text })
    }

    fn error(text: String) -> Option<Status> {
        Some(Status { kind: StatusKind::Error, text })
    }
}

/// What the app is told at start: how to get a token or that this is the demo (shown while
/// there is nothing else to show), and a warning (a config file problem) for the status line.
#[derive(Debug, Clone, Default)]
pub struct StartupNotes {
    pub hint: Option<String>,
    pub warning: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlight {
    pub request: RequestId,
    pub asset_id: String,
}

pub struct App {
    focus: Focus,
    input: Input,
    detail: Detail,
    history: HistoryList,
    in_flight: Option<InFlight>,
    status: Option<Status>,
    help_open: bool,
    spinner: usize,
    now: Timestamp,
    size: (u16, u16),
    layout: Layout,
    hint: Option<String>,
    /// Rows saved this session before the whole history was read, to keep over the full load.
    recorded_early: Vec<HistoryRow>,
    /// The input changed since the history was last filtered by it (see `Msg::Settle`).
    filter_dirty: bool,
    next_request: RequestId,
}

impl App {
    pub fn new(size: (u16, u16), now: Timestamp, notes: StartupNotes) -> App {
        App {
            focus: Focus::Input,
            input: Input::default(),
            detail: Detail::default(),
            history: HistoryList::default(),
            in_flight: None,
            status: notes.warning.and_then(Status::warning),
            help_open: false,
            spinner: 0,
            now,
            size,
            layout: Layout::for_size(size.0, size.1),
            hint: notes.hint,
            recorded_early: Vec::new(),
            filter_dirty: false,
            next_request: 1,
        }
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn input(&self) -> &Input {
        &self.input
    }

    pub fn detail(&self) -> &Detail {
        &self.detail
    }

    pub fn history(&self) -> &HistoryList {
        &self.history
    }

    pub fn in_flight(&self) -> Option<&InFlight> {
        self.in_flight.as_ref()
    }

    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    pub fn help_open(&self) -> bool {
        self.help_open
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The terminal's size, as columns and rows.
    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    /// Where each pane is, for the current terminal size.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// The loading animation's current frame.
    pub fn spinner(&self) -> &'static str {
        SPINNER[self.spinner % SPINNER.len()]
    }

    pub fn is_loading(&self) -> bool {
        self.in_flight.is_some()
    }

    /// Whether a lookup has just begun and has shown nothing yet (the loop holds its frame back
    /// for a moment, as most answers come sooner).
    pub fn lookup_just_started(&self) -> bool {
        self.is_loading() && self.detail.state().is_loading()
    }

    /// The detail pane's text at its current width.
    pub fn detail_lines(&self) -> Vec<TextLine> {
        self.detail.lines(self.layout.detail_text().width, self.now, self.spinner(), self.hint.as_deref())
    }

    pub fn update(&mut self, msg: Msg, now: Timestamp) -> Vec<Effect> {
        self.now = now;
        match msg {
            Msg::Terminal(event) => self.on_terminal(event),
            Msg::Fetched { request, asset_id, result } => self.on_fetched(request, asset_id, *result),
            Msg::HistoryRecent(rows) => {
                if !self.history.is_loaded() {
                    self.history.replace(RowList::from_newest_first(rows), self.layout.list_page());
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
            Msg::Settle => {
                self.settle();
                vec![]
            }
        }
    }

    /// The history filter follows the input once per frame, not once per key of a paste or a
    /// fast typist.
    fn settle(&mut self) {
        if std::mem::take(&mut self.filter_dirty) {
            let query = self.input.value().to_string();
            self.history.set_filter(&query, self.layout.list_page());
        }
    }

    fn on_history_loaded(&mut self, result: Result<Loaded, HistoryError>) {
        let page = self.layout.list_page();
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
                self.history.finish_loading(loaded.rows, page);
                // Rows recorded before the load finished are newer than anything it read.
                for row in std::mem::take(&mut self.recorded_early) {
                    self.history.push_newest(&row, page);
                }
                if !notes.is_empty() && self.status.is_none() {
                    self.status = Status::warning(notes.join(" "));
                }
            }
            Err(e) => {
                self.history.give_up_loading();
                self.status = Status::warning(e.to_string());
            }
        }
    }

    fn on_recorded(&mut self, result: Result<HistoryRow, HistoryError>) {
        match result {
            Ok(row) => {
                let name = row.name.clone().unwrap_or_else(|| short(&row.asset_id));
                if !self.history.is_loaded() {
                    self.recorded_early.push(row.clone());
                }
                self.history.push_newest(&row, self.layout.list_page());
                if self.status.is_none() {
                    self.status = Status::info(format!("Saved {name} to history."));
                }
            }
            Err(e) => self.status = Status::error(format!("Not saved to history: {e}")),
        }
    }
}

/// A long asset ID shortened for a status message.
pub fn short(asset_id: &str) -> String {
    sanitize::one_line(asset_id, 60)
}
