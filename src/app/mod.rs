//! The application state and the only code that changes it: `App::update` takes one message
//! (a key, a fetch result, a history result…) and returns the effects to carry out (start a
//! fetch, append to history, quit). It does no I/O itself, so every transition is testable.
//! Drawing reads the state through the accessors here; nothing outside writes it.

mod account_list;
pub mod browser;
pub mod chooser;
mod copy;
mod detail;
mod downloads;
pub mod generation;
pub mod help;
mod history_list;
mod input;
mod json_view;
pub mod keymap;
pub mod layout;
pub mod load;
mod lookup;
mod msg;
mod open;
pub mod preview;
pub mod prompt_index;
mod tabs;

use jiff::Timestamp;
use tui_input::Input;

pub use browser::{Browser, ListRow, Listing, Paging};
pub use chooser::Chooser;
pub use copy::{Copied, MAX_COPY_BYTES};
pub use detail::{Detail, Shown, Source};
pub use downloads::{Downloads, Job};
pub use generation::{Generation, TaskShown};
pub use history_list::{HistoryList, clamp_view};
pub use json_view::{JsonView, Search};
pub use layout::Layout;
pub use load::Load;
pub use msg::{Effect, Msg, RequestId};
pub use open::OpenOutcome;
pub use preview::{DetailContent, PictureSlot, PictureState, Preview};
pub use prompt_index::PromptIndex;

use crate::history::{HistoryError, HistoryRow, Loaded, RowList};
use crate::present::wrap::TextLine;
use crate::sanitize;

/// Pasted text longer than this is cut: no asset ID comes close, and the input stays responsive.
pub const MAX_INPUT_CHARS: usize = 4096;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// Which list the left pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    History,
    Account,
}

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
/// there is nothing else to show), a warning (a config file problem) for the status line, the
/// account to list, where the config file is (for sentences that say how to fix things), and
/// whether there is a token at all.
#[derive(Debug, Clone)]
pub struct StartupNotes {
    pub hint: Option<String>,
    pub warning: Option<String>,
    pub account: Option<String>,
    pub config_file: String,
    pub no_token: bool,
}

impl Default for StartupNotes {
    fn default() -> StartupNotes {
        StartupNotes { hint: None, warning: None, account: None, config_file: "config.toml".into(), no_token: false }
    }
}

/// The parts of the start-up notes the app keeps.
#[derive(Debug, Clone)]
struct Settings {
    config_file: String,
    no_token: bool,
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
    tab: Tab,
    browser: Browser,
    chooser: Option<Chooser>,
    /// The task behind what the detail shows.
    generation: Option<Generation>,
    /// Known prompts (lower-case) by asset ID, for the lists' filter.
    prompts: PromptIndex,
    settings: Settings,
    in_flight: Option<InFlight>,
    status: Option<Status>,
    help_open: bool,
    /// Rows of the help overlay scrolled out of sight above.
    help_scroll: usize,
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
    /// The newest lookup's request (its stored copy may still be shown).
    last_lookup: RequestId,
    // -- preview --
    preview: Preview,
    // -- copy, open, JSON view --
    json: json_view::JsonMode,
    // -- download --
    downloads: Downloads,
}

impl App {
    pub fn new(size: (u16, u16), now: Timestamp, notes: StartupNotes) -> App {
        App {
            focus: Focus::Input,
            input: Input::default(),
            detail: Detail::default(),
            history: HistoryList::default(),
            tab: Tab::History,
            browser: Browser::new(notes.account),
            chooser: None,
            generation: None,
            prompts: Default::default(),
            settings: Settings { config_file: notes.config_file, no_token: notes.no_token },
            in_flight: None,
            status: notes.warning.and_then(Status::warning),
            help_open: false,
            help_scroll: 0,
            spinner: 0,
            now,
            size,
            layout: Layout::for_size(size.0, size.1),
            hint: notes.hint,
            recorded_early: Vec::new(),
            filter_dirty: false,
            next_request: 1,
            last_lookup: 0,
            preview: Preview::default(),
            json: Default::default(),
            downloads: Downloads::default(),
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

    pub fn tab(&self) -> Tab {
        self.tab
    }

    pub fn browser(&self) -> &Browser {
        &self.browser
    }

    pub fn chooser(&self) -> Option<&Chooser> {
        self.chooser.as_ref()
    }

    pub fn generation(&self) -> Option<&Generation> {
        self.generation.as_ref()
    }

    /// One sentence for an API error, saying how to fix what the user can fix.
    pub fn error_sentence(&self, error: &crate::api::ApiError) -> String {
        crate::present::api_error::describe(error, &self.settings.config_file)
    }

    /// The last line of a list whose page failed: the sentence, and how to try again where
    /// trying again can help.
    pub fn list_error_line(&self, error: &crate::api::ApiError) -> String {
        match error {
            crate::api::ApiError::NoToken => self.error_sentence(error),
            _ => format!("{} (r or ↓ retries)", self.error_sentence(error)),
        }
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

    /// Something is on its way: a lookup, a page of the list, the accounts.
    pub fn is_loading(&self) -> bool {
        self.in_flight.is_some()
            || self.browser.is_loading()
            || self.chooser.as_ref().is_some_and(|c| c.accounts().is_loading())
            || self.generation.as_ref().is_some_and(Generation::is_loading)
    }

    fn take_request_id(&mut self) -> RequestId {
        let request = self.next_request;
        self.next_request += 1;
        request
    }

    /// Whether a lookup has just begun and has shown nothing yet (the loop holds its frame back
    /// for a moment, as most answers come sooner).
    pub fn lookup_just_started(&self) -> bool {
        self.in_flight.is_some() && self.detail.state().is_loading()
    }

    /// The detail pane's text at its current width (with room for the picture, if any).
    pub fn detail_lines(&self) -> Vec<TextLine> {
        self.detail_content().lines
    }

    pub fn update(&mut self, msg: Msg, now: Timestamp) -> Vec<Effect> {
        self.now = now;
        let mut effects = self.handle(msg);
        // Whatever the detail now shows, its generation follows.
        effects.extend(self.sync_generation());
        // -- preview -- and so does its picture.
        effects.extend(self.sync_preview());
        self.sync_json();
        effects
    }

    fn handle(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Terminal(event) => self.on_terminal(event),
            Msg::Fetched { request, asset_id, result } => self.on_fetched(request, asset_id, *result),
            Msg::Page { request, query, result } => self.on_page(request, query, *result),
            Msg::Accounts { request, result } => {
                self.on_accounts(request, result);
                vec![]
            }
            Msg::CachedPage { account, filter, cached } => self.on_cached_page(account, filter, cached),
            Msg::Task { request, result } => self.on_task(request, *result),
            Msg::CachedTask { task_id, task } => self.on_cached_task(task_id, task),
            Msg::PollTask { request } => self.on_poll_task(request),
            Msg::KnownPrompts(known) => {
                self.on_known_prompts(known);
                vec![]
            }
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
            Msg::Settle => self.settle(),
            // -- preview --
            Msg::PreviewSetup { font, max_bytes, text_only } => {
                self.on_preview_setup(font, max_bytes, text_only);
                vec![]
            }
            Msg::Preview { request, result } => self.on_preview(request, result),
            Msg::Opened(outcome) => {
                self.on_opened(outcome);
                vec![]
            }
            Msg::CopyHeldBack { what } => {
                self.on_copy_held_back(what);
                vec![]
            }
            // -- download --
            Msg::Download(event) => self.on_download(event),
        }
    }

    /// The lists' filters follow the input once per frame, not once per key of a paste or a
    /// fast typist.
    fn settle(&mut self) -> Vec<Effect> {
        if !std::mem::take(&mut self.filter_dirty) {
            return vec![];
        }
        let query = self.input.value().to_string();
        let page = self.layout.list_page();
        let by_prompt = self.prompts.matching(&query);
        self.history.set_filter(&query, &by_prompt, page);
        if self.browser.listing().is_some() {
            self.browser.listing_mut().set_filter(&query, &by_prompt, page);
            if self.tab == Tab::Account {
                return self.more_if_needed();
            }
        }
        vec![]
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
