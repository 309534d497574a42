//! What terminal input does to the app: keys become actions through the keymap and are applied
//! here; the mouse, pastes and resizes too. Part of `App::update`; no I/O.

use crossterm::event::{Event, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use super::keymap::{self, Action};
use super::{App, Effect, Focus, Layout, MAX_INPUT_CHARS, Status, Tab};
use crate::sanitize;

impl App {
    pub(super) fn on_terminal(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Event::Mouse(mouse) => self.on_mouse(mouse),
            Event::Paste(text) if self.paste_into_search(&text) => vec![],
            Event::Paste(text) => {
                self.on_paste(&text);
                vec![]
            }
            Event::Resize(w, h) => {
                self.size = (w, h);
                self.layout = Layout::for_size(w, h);
                self.history.clamp(self.layout.list_page());
                if self.browser.listing().is_some() {
                    self.browser.listing_mut().clamp(self.layout.list_page());
                }
                self.scroll_detail(0);
                vec![]
            }
            _ => vec![],
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if let Some(effects) = self.json_key(&key) {
            return effects;
        }
        let chooser_open = self.chooser.is_some();
        let action = keymap::action_for(&key, self.focus, self.help_open, chooser_open);
        if action != Some(Action::Quit) {
            self.forget_quit_question();
        }
        match action {
            Some(action) if chooser_open => self.apply_in_chooser(action),
            Some(action) => self.apply(action),
            None if self.focus == Focus::Input && !self.help_open && !chooser_open => {
                self.edit_input(key);
                vec![]
            }
            None => vec![],
        }
    }

    fn apply_in_chooser(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Up => self.move_chooser(-1),
            Action::Down => self.move_chooser(1),
            Action::Choose => return self.choose_account(),
            Action::CloseChooser => self.chooser = None,
            Action::Quit => return self.quit(),
            _ => {}
        }
        vec![]
    }

    /// Does what an action asks, for the pane that has the focus.
    fn apply(&mut self, action: Action) -> Vec<Effect> {
        if self.help_open && self.scroll_help(action) {
            return vec![];
        }
        if self.tab == Tab::Account
            && let Some(effects) = self.apply_to_account_list(action)
        {
            return effects;
        }
        let list_page = self.layout.list_page() as isize;
        let detail_page = self.layout.detail_page() as i64;
        // In the input, the arrows move in the list and the page keys scroll the detail, so
        // both can be reached while typing.
        let on_list = self.focus != Focus::Detail;
        let page_on_list = self.focus == Focus::List;
        match action {
            Action::Quit => return self.quit(),
            Action::Suspend => {} // the event loop handles it: it needs the real terminal
            Action::FocusNext => {
                self.focus = match self.focus {
                    Focus::Input => Focus::List,
                    Focus::List => Focus::Detail,
                    Focus::Detail => Focus::Input,
                }
            }
            Action::FocusPrev => {
                self.focus = match self.focus {
                    Focus::Input => Focus::Detail,
                    Focus::List => Focus::Input,
                    Focus::Detail => Focus::List,
                }
            }
            Action::Stop => {
                if let Some(effects) = self.stop_lookup().or_else(|| self.stop_page()) {
                    return effects;
                }
                self.help_open = false;
                self.focus = Focus::Input;
            }
            Action::FocusInput => self.focus = Focus::Input,
            Action::ToggleHelp => {
                self.help_open = !self.help_open;
                self.help_scroll = 0;
            }
            Action::CloseHelp => self.help_open = false,
            Action::Submit => return self.submit(),
            Action::Open => return self.reopen_selected(),
            Action::ShowHistory => return self.show_tab(Tab::History),
            Action::ShowAccount => return self.show_tab(Tab::Account),
            Action::CycleType => return self.cycle_filter(),
            Action::Reload => return self.reload_listing(),
            Action::ChooseAccount => return self.open_chooser(None),
            Action::PrevArtifact => self.select_artifact(-1),
            Action::NextArtifact => self.select_artifact(1),
            Action::OpenArtifact => return self.open_artifact(),
            Action::RetryGeneration => return self.retry_generation(),
            Action::Choose | Action::CloseChooser => {}
            Action::TogglePreview => self.toggle_preview(), // -- preview --
            // -- copy, open, JSON view --
            Action::CopyId => return self.copy_id(),
            Action::CopyUrl => return self.copy_url(),
            Action::OpenInBrowser => return self.open_url(),
            Action::ToggleJson => self.toggle_json(),
            // The JSON view's own keys (see json_key): nothing to do elsewhere.
            Action::CopyJson
            | Action::StartSearch
            | Action::NextMatch
            | Action::PrevMatch
            | Action::FinishSearch
            | Action::EndSearch => {}
            Action::Download => return self.download_shown(),
            Action::ClearInput => {
                self.input.reset();
                self.filter_dirty = true;
            }
            Action::Up if on_list => self.history.move_by(-1, list_page as usize),
            Action::Down if on_list => self.history.move_by(1, list_page as usize),
            Action::PageUp if page_on_list => self.history.move_by(-list_page, list_page as usize),
            Action::PageDown if page_on_list => self.history.move_by(list_page, list_page as usize),
            Action::Top if page_on_list => self.history.move_by(isize::MIN / 2, list_page as usize),
            Action::Bottom if page_on_list => self.history.move_by(isize::MAX / 2, list_page as usize),
            Action::Up => self.scroll_detail(-1),
            Action::Down => self.scroll_detail(1),
            Action::PageUp => self.scroll_detail(-detail_page),
            Action::PageDown => self.scroll_detail(detail_page),
            Action::Top => self.scroll_detail(i64::MIN / 2),
            Action::Bottom => self.scroll_detail(i64::MAX / 2),
        }
        vec![]
    }

    /// The list keys when the Account list is shown; None for the keys that mean the same
    /// whichever list is shown.
    fn apply_to_account_list(&mut self, action: Action) -> Option<Vec<Effect>> {
        let page = self.layout.list_page() as isize;
        let on_list = self.focus != Focus::Detail;
        let page_on_list = self.focus == Focus::List;
        Some(match action {
            Action::Up if on_list => self.move_listing(-1),
            Action::Down if on_list => self.move_listing(1),
            Action::PageUp if page_on_list => self.move_listing(-page),
            Action::PageDown if page_on_list => self.move_listing(page),
            Action::Top if page_on_list => self.move_listing(isize::MIN / 2),
            Action::Bottom if page_on_list => self.move_listing(isize::MAX / 2),
            Action::Open => self.open_listed(),
            _ => return None,
        })
    }

    /// A key that is text for the input (letters, Backspace, the cursor keys).
    fn edit_input(&mut self, key: KeyEvent) {
        if let Some(request) = to_input_request(&Event::Key(key))
            && (self.input.value().chars().count() < MAX_INPUT_CHARS
                || !matches!(request, tui_input::InputRequest::InsertChar(_)))
        {
            self.input.handle(request);
            self.filter_dirty = true;
        }
    }

    /// A click focuses the pane under it (and selects a list row); the wheel scrolls the pane
    /// under the pointer.
    fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Effect> {
        let layout = self.layout;
        let at = Position::new(mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some(tab) = self.tab_at(at) {
                    self.focus = Focus::List;
                    return self.show_tab(tab);
                }
                if layout.list.contains(at) {
                    self.focus = Focus::List;
                    if let Some(row) = layout.list_row_at(at) {
                        match self.tab {
                            Tab::History => self.history.select_on_screen(row, layout.list_page()),
                            Tab::Account => return self.click_listing(row),
                        }
                    }
                } else if layout.detail.contains(at) {
                    self.focus = Focus::Detail;
                } else if layout.input.contains(at) {
                    self.focus = Focus::Input;
                }
            }
            MouseEventKind::ScrollUp | MouseEventKind::ScrollDown => {
                let step = if mouse.kind == MouseEventKind::ScrollUp { -1 } else { 1 };
                if layout.list.contains(at) {
                    match self.tab {
                        Tab::History => self.history.move_by(step as isize, layout.list_page()),
                        Tab::Account => return self.move_listing(step as isize),
                    }
                } else if layout.detail.contains(at) {
                    self.scroll_detail(step * 3);
                }
            }
            _ => {}
        }
        vec![]
    }

    /// Pasted text goes into the input as one line: newlines and tabs become spaces, control
    /// characters are dropped, and very long text is cut.
    fn on_paste(&mut self, text: &str) {
        self.focus = Focus::Input;
        let room = MAX_INPUT_CHARS.saturating_sub(self.input.value().chars().count());
        let mut cleaned = String::new();
        let mut taken = 0;
        let mut cut = false;
        for c in text.chars() {
            let c = match c {
                '\n' | '\r' | '\t' => ' ',
                c if sanitize::is_unsafe(c) => continue,
                c => c,
            };
            if taken == room {
                cut = true;
                break;
            }
            cleaned.push(c);
            taken += 1;
        }
        let cursor = self.input.cursor();
        let mut value: String = self.input.value().chars().take(cursor).collect();
        value.push_str(&cleaned);
        let new_cursor = value.chars().count();
        value.extend(self.input.value().chars().skip(cursor));
        self.input = Input::new(value).with_cursor(new_cursor);
        self.filter_dirty = true;
        if cut {
            self.status = Status::warning(format!("The pasted text was cut to {MAX_INPUT_CHARS} characters."));
        }
    }

    /// Scrolls the detail by `delta` lines, within its content.
    fn scroll_detail(&mut self, delta: i64) {
        if self.scroll_json(delta) {
            return;
        }
        let height = self.detail_lines().len();
        self.detail.scroll_by(delta, height, self.layout.detail_page());
    }
}
