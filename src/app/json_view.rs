//! The detail pane's raw JSON view (`J`): the asset's JSON as the server sent it, pretty and
//! made safe (`present::json`), broken into rows for the pane's width, scrolled like the
//! detail; and its search (`/`, typed in the input area; `n`/`N`; Esc ends it). The text and
//! its rows are built once per asset and width, not per frame, so a 4 MiB answer scrolls and
//! searches as fast as a small one.

use std::ops::Range;

use crossterm::event::{Event, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use super::keymap::{self, Action};
use super::{App, Effect, Focus, Status};
use crate::present::format;
use crate::present::json::JsonText;
use crate::sanitize;

/// Rows are never cut narrower than this.
const MIN_ROW_WIDTH: u16 = 20;

/// Whether the view is chosen, and the view itself while an asset is shown.
#[derive(Debug, Default)]
pub(super) struct JsonMode {
    on: bool,
    view: Option<JsonView>,
}

#[derive(Debug)]
pub struct JsonView {
    text: JsonText,
    /// The asset it shows and the detail's version it was built from.
    asset_id: String,
    built_from: u64,
    width: u16,
    rows: Vec<Range<usize>>,
    scroll: usize,
    search: Option<Search>,
}

#[derive(Debug, Default)]
pub struct Search {
    input: Input,
    /// The query is being typed (in the input area).
    typing: bool,
    /// Where each match starts in the text.
    matches: Vec<u32>,
    current: Option<usize>,
}

impl JsonView {
    pub fn text(&self) -> &JsonText {
        &self.text
    }

    /// The screen rows, as byte ranges of the text.
    pub fn rows(&self) -> &[Range<usize>] {
        &self.rows
    }

    /// The first row on screen.
    pub fn scroll(&self) -> usize {
        self.scroll
    }

    pub fn search(&self) -> Option<&Search> {
        self.search.as_ref()
    }

    fn scroll_by(&mut self, delta: i64, page: usize) {
        let max = self.rows.len().saturating_sub(page) as i64;
        self.scroll = (self.scroll as i64).saturating_add(delta).clamp(0, max) as usize;
    }

    /// The row holding byte `at`.
    fn row_of(&self, at: usize) -> usize {
        self.rows.partition_point(|row| row.start <= at).saturating_sub(1)
    }

    /// Scrolls so that byte `at` is on screen, a third of the way down when it was not.
    fn reveal(&mut self, at: usize, page: usize) {
        let row = self.row_of(at);
        if row < self.scroll || row >= self.scroll + page {
            self.scroll = row.saturating_sub(page / 3);
            self.scroll_by(0, page);
        }
    }
}

impl Search {
    pub fn input(&self) -> &Input {
        &self.input
    }

    pub fn typing(&self) -> bool {
        self.typing
    }

    pub fn matches(&self) -> &[u32] {
        &self.matches
    }

    /// The length of a match in bytes (the query's).
    pub fn match_len(&self) -> usize {
        self.input.value().len()
    }

    /// The index of the current match in `matches`.
    pub fn current(&self) -> Option<usize> {
        self.current
    }
}

impl App {
    /// The JSON view, when it is chosen and an asset is shown.
    pub fn json_view(&self) -> Option<&JsonView> {
        self.json.view.as_ref().filter(|_| self.json.on)
    }

    /// A search of the JSON is being typed in the input area.
    pub fn typing_json_search(&self) -> bool {
        self.json_view().and_then(|v| v.search.as_ref()).is_some_and(|s| s.typing) && self.focus == Focus::Input
    }

    /// `J`: between the labelled fields and the JSON.
    pub(super) fn toggle_json(&mut self) {
        if self.json.on {
            self.json = JsonMode::default();
            return;
        }
        if self.detail.task_only().is_some() {
            self.status = Status::info("The detail shows a task; J shows an asset's JSON.".into());
        } else if self.detail.shown().is_none() && !self.detail.state().is_loading() {
            self.status = Status::info("No asset is shown, so there is no JSON to show.".into());
        } else {
            self.json.on = true;
        }
    }

    /// Keeps the view in step with the detail and the pane's width; called after every message.
    pub(super) fn sync_json(&mut self) {
        if !self.json.on {
            return;
        }
        // A terminal too small for panes has a pane of no width: rows of a letter each would
        // take a large answer's memory many times over for nothing shown.
        let width = self.layout.detail_text().width.max(MIN_ROW_WIDTH);
        let version = self.detail.version();
        let Some(shown) = self.detail.shown() else {
            // Loading or failed: the pane shows that; the view comes back with the next asset.
            self.json.view = None;
            if self.detail.task_only().is_some() {
                self.json.on = false;
            }
            return;
        };
        let stale = self.json.view.as_ref().is_none_or(|v| v.built_from != version);
        if stale {
            let asset_id = self.detail.asset_id().unwrap_or_default().to_string();
            let previous = self.json.view.take().filter(|v| v.asset_id == asset_id);
            let text = JsonText::new(&shown.raw);
            let mut view = JsonView {
                rows: text.rows(width as usize),
                text,
                asset_id,
                built_from: version,
                width,
                scroll: 0,
                search: None,
            };
            // A fresh copy of the same asset keeps the place and the search.
            if let Some(previous) = previous {
                view.scroll = previous.scroll;
                view.search = previous.search;
            }
            self.json.view = Some(view);
            self.rerun_search();
        } else if let Some(view) = self.json.view.as_mut().filter(|v| v.width != width) {
            let top = view.rows.get(view.scroll).map_or(0, |r| r.start);
            view.rows = view.text.rows(width as usize);
            view.width = width;
            view.scroll = view.row_of(top);
        }
        let page = self.layout.detail_page();
        let focus = self.focus;
        if let Some(view) = self.json.view.as_mut() {
            view.scroll_by(0, page);
            // A click elsewhere ends the typing (the matches stay).
            if let Some(search) = view.search.as_mut().filter(|_| focus != Focus::Input) {
                search.typing = false;
            }
        }
    }

    /// Scrolls the JSON view, if it is shown; false when it is not.
    pub(super) fn scroll_json(&mut self, delta: i64) -> bool {
        let page = self.layout.detail_page();
        match self.json.view.as_mut().filter(|_| self.json.on) {
            Some(view) => {
                view.scroll_by(delta, page);
                true
            }
            None => false,
        }
    }

    /// The keys of the JSON view and of a search being typed; None leaves the key to the rest
    /// of the keymap.
    pub(super) fn json_key(&mut self, key: &KeyEvent) -> Option<Vec<Effect>> {
        if self.help_open || self.chooser.is_some() || self.json_view().is_none() {
            return None;
        }
        if self.typing_json_search() {
            return match keymap::json_action_for(key, true) {
                Some(action) => self.apply_json(action),
                // Ctrl-C and Ctrl-Z work as everywhere.
                None if keymap::global_action_for(key).is_some() => None,
                None => {
                    self.edit_search(key);
                    Some(vec![])
                }
            };
        }
        if self.focus == Focus::Input {
            return None;
        }
        self.apply_json(keymap::json_action_for(key, false)?)
    }

    /// Pasted text goes into the search while one is typed; false when none is.
    pub(super) fn paste_into_search(&mut self, text: &str) -> bool {
        if !self.typing_json_search() {
            return false;
        }
        let line: String = text.chars().filter(|c| !sanitize::is_unsafe(*c)).take(super::MAX_INPUT_CHARS).collect();
        if let Some(search) = self.json.view.as_mut().and_then(|v| v.search.as_mut()) {
            let mut value = search.input.value().to_string();
            value.push_str(&line);
            search.input = Input::new(value);
        }
        self.rerun_search();
        true
    }

    fn apply_json(&mut self, action: Action) -> Option<Vec<Effect>> {
        let searching = self.json_view().is_some_and(|v| v.search.is_some());
        match action {
            Action::CopyJson => {
                let text = self.json_view()?.text.text().to_string();
                return Some(self.copy(super::Copied::Json, text));
            }
            Action::StartSearch => {
                let view = self.json.view.as_mut()?;
                let mut search = view.search.take().unwrap_or_default();
                search.typing = true;
                view.search = Some(search);
                self.focus = Focus::Input;
                self.status =
                    Status::info("Type to search the JSON · Enter keeps the matches (n N move) · Esc ends".into());
                self.rerun_search();
            }
            Action::FinishSearch => {
                let empty = self.json_view()?.search.as_ref().is_none_or(|s| s.input.value().is_empty());
                self.focus = Focus::Detail;
                if empty {
                    return self.apply_json(Action::EndSearch);
                }
                if let Some(search) = self.json.view.as_mut()?.search.as_mut() {
                    search.typing = false;
                }
                self.say_match();
            }
            Action::EndSearch if searching => {
                if self.typing_json_search() {
                    self.focus = Focus::Detail;
                }
                self.json.view.as_mut()?.search = None;
                self.status = None;
            }
            Action::NextMatch | Action::PrevMatch => self.step_match(if action == Action::NextMatch { 1 } else { -1 }),
            _ => return None,
        }
        Some(vec![])
    }

    fn edit_search(&mut self, key: &KeyEvent) {
        let Some(search) = self.json.view.as_mut().and_then(|v| v.search.as_mut()) else { return };
        if let Some(request) = to_input_request(&Event::Key(*key))
            && match request {
                tui_input::InputRequest::InsertChar(c) => {
                    !sanitize::is_unsafe(c) && search.input.value().chars().count() < super::MAX_INPUT_CHARS
                }
                _ => true,
            }
            && search.input.handle(request).is_some_and(|change| change.value)
        {
            self.rerun_search();
        }
    }

    /// Finds the query afresh; the current match becomes the first one from the top of the
    /// screen down.
    fn rerun_search(&mut self) {
        let page = self.layout.detail_page();
        let Some(view) = self.json.view.as_mut() else { return };
        let top = view.rows.get(view.scroll).map_or(0, |r| r.start);
        let Some(search) = view.search.as_mut() else { return };
        search.matches = view.text.find(search.input.value());
        search.current = match search.matches.len() {
            0 => None,
            n => Some(search.matches.partition_point(|m| (*m as usize) < top).min(n - 1)),
        };
        let at = search.current.and_then(|i| search.matches.get(i)).map(|m| *m as usize);
        let typed = !search.input.value().is_empty();
        if let Some(at) = at {
            view.reveal(at, page);
        }
        if typed {
            self.say_match();
        }
    }

    fn step_match(&mut self, step: isize) {
        let page = self.layout.detail_page();
        let Some(view) = self.json.view.as_mut() else { return };
        let Some(search) = view.search.as_mut() else {
            self.status = Status::info("Press / to search the JSON first.".into());
            return;
        };
        let n = search.matches.len();
        if let Some(current) = search.current.filter(|_| n > 0) {
            let next = (current as isize + step).rem_euclid(n as isize) as usize;
            search.current = Some(next);
            if let Some(at) = search.matches.get(next).map(|m| *m as usize) {
                view.reveal(at, page);
            }
        }
        self.say_match();
    }

    /// `match 3 of 7`, or why there is none.
    fn say_match(&mut self) {
        let Some(search) = self.json.view.as_ref().and_then(|v| v.search.as_ref()) else { return };
        self.status = match search.current {
            Some(i) => Status::info(format!(
                "match {} of {}",
                format::thousands(i as u64 + 1),
                format::thousands(search.matches.len() as u64)
            )),
            None => Status::warning(format!("No match for “{}”.", sanitize::one_line(search.input.value(), 40))),
        };
    }
}
