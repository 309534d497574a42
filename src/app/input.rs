//! What terminal input does to the app: keys (per focused pane), mouse, paste, and the
//! scrolling and selection arithmetic they share. Part of `App::update`; no I/O.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

use super::{App, Detail, Effect, Focus, MAX_INPUT_CHARS, Status, StatusKind, short};
use crate::api::ApiError;
use crate::{sanitize, ui};

impl App {
    pub(super) fn on_terminal(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => self.on_key(key),
            Event::Mouse(mouse) => {
                self.on_mouse(mouse);
                vec![]
            }
            Event::Paste(text) => {
                self.on_paste(&text);
                vec![]
            }
            Event::Resize(w, h) => {
                self.size = (w, h);
                self.clamp_history_view();
                vec![]
            }
            _ => vec![],
        }
    }

    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            return vec![Effect::Quit];
        }
        if self.help_open {
            match key.code {
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Enter => self.help_open = false,
                KeyCode::Char('q') => return vec![Effect::Quit],
                _ => {}
            }
            return vec![];
        }
        match key.code {
            KeyCode::Tab => {
                self.focus = match self.focus {
                    Focus::Input => Focus::History,
                    Focus::History => Focus::Detail,
                    Focus::Detail => Focus::Input,
                };
                return vec![];
            }
            KeyCode::BackTab => {
                self.focus = match self.focus {
                    Focus::Input => Focus::Detail,
                    Focus::History => Focus::Input,
                    Focus::Detail => Focus::History,
                };
                return vec![];
            }
            KeyCode::Esc => return self.on_escape(),
            _ => {}
        }
        if self.focus == Focus::Input {
            return self.on_input_key(key);
        }
        match key.code {
            KeyCode::Char('q') => return vec![Effect::Quit],
            KeyCode::Char('?') => self.help_open = true,
            KeyCode::Char('/') | KeyCode::Char('i') => self.focus = Focus::Input,
            _ => {}
        }
        match self.focus {
            Focus::History => self.on_history_key(key),
            Focus::Detail => {
                self.on_detail_key(key);
                vec![]
            }
            Focus::Input => vec![],
        }
    }

    pub(super) fn on_escape(&mut self) -> Vec<Effect> {
        if let Some(flight) = self.in_flight.take() {
            self.status = Some(Status {
                kind: StatusKind::Info,
                text: format!("Stopped looking up {}.", short(&flight.asset_id)),
            });
            self.detail = match std::mem::replace(&mut self.detail, Detail::Empty) {
                Detail::Loaded { asset_id, asset, source, .. } => {
                    Detail::Loaded { asset_id, asset, source, refreshing: false, note: None }
                }
                Detail::Loading { asset_id } => Detail::Failed { asset_id, error: ApiError::Cancelled },
                other => other,
            };
            return vec![Effect::Cancel { request: flight.request }];
        }
        if self.focus != Focus::Input {
            self.focus = Focus::Input;
        }
        vec![]
    }

    pub(super) fn on_input_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => {
                let text = self.input.value().to_string();
                self.submit(&text)
            }
            KeyCode::Char('u') if ctrl => {
                self.input.reset();
                self.filter_dirty = true;
                vec![]
            }
            KeyCode::Up => {
                self.move_selection(-1);
                vec![]
            }
            KeyCode::Down => {
                self.move_selection(1);
                vec![]
            }
            KeyCode::PageUp | KeyCode::PageDown => {
                self.on_detail_key(key);
                vec![]
            }
            _ => {
                if let Some(request) = to_input_request(&Event::Key(key))
                    && (self.input.value().chars().count() < MAX_INPUT_CHARS
                        || !matches!(request, tui_input::InputRequest::InsertChar(_)))
                {
                    self.input.handle(request);
                    self.filter_dirty = true;
                }
                vec![]
            }
        }
    }

    /// Starts a lookup of what the user typed; empty input sends nothing.
    pub(super) fn on_history_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let page = self.history_page() as isize;
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.move_selection(-1),
            KeyCode::Down | KeyCode::Char('j') => self.move_selection(1),
            KeyCode::PageUp => self.move_selection(-page),
            KeyCode::PageDown => self.move_selection(page),
            KeyCode::Home | KeyCode::Char('g') => self.move_selection(isize::MIN / 2),
            KeyCode::End | KeyCode::Char('G') => self.move_selection(isize::MAX / 2),
            KeyCode::Enter => return self.reopen_selected(),
            _ => {}
        }
        vec![]
    }

    pub(super) fn on_detail_key(&mut self, key: KeyEvent) {
        let page = self.detail_page();
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => self.scroll_detail(-1),
            KeyCode::Down | KeyCode::Char('j') => self.scroll_detail(1),
            KeyCode::PageUp => self.scroll_detail(-page),
            KeyCode::PageDown => self.scroll_detail(page),
            KeyCode::Home | KeyCode::Char('g') => self.detail_scroll = 0,
            KeyCode::End | KeyCode::Char('G') => self.scroll_detail(i32::MAX / 2),
            _ => {}
        }
    }

    /// Shows the stored snapshot of the selected row at once, and fetches a fresh copy.
    pub(super) fn on_mouse(&mut self, mouse: MouseEvent) {
        let layout = ui::layout(self.area());
        let at = Position::new(mouse.column, mouse.row);
        match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                if layout.history.contains(at) {
                    self.focus = Focus::History;
                    let inner_top = layout.history.y + 2; // border and header row
                    if mouse.row >= inner_top {
                        let index = self.history.offset + (mouse.row - inner_top) as usize;
                        if index < self.history.visible_len() {
                            self.history.selected = index;
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
                if layout.history.contains(at) {
                    self.move_selection(step as isize);
                } else if layout.detail.contains(at) {
                    self.scroll_detail(step * 3);
                }
            }
            _ => {}
        }
    }

    /// Pasted text goes into the input as one line: newlines and tabs become spaces, control
    /// characters are dropped, and very long text is cut.
    pub(super) fn on_paste(&mut self, text: &str) {
        if self.focus != Focus::Input {
            self.focus = Focus::Input;
        }
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
            self.status = Some(Status {
                kind: StatusKind::Warning,
                text: format!("The pasted text was cut to {MAX_INPUT_CHARS} characters."),
            });
        }
    }

    pub(super) fn area(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    pub(super) fn history_page(&self) -> usize {
        (ui::layout(self.area()).history.height.saturating_sub(3) as usize).max(1)
    }

    pub(super) fn detail_page(&self) -> i32 {
        (ui::layout(self.area()).detail.height.saturating_sub(2) as i32).max(1)
    }

    pub(super) fn move_selection(&mut self, delta: isize) {
        let len = self.history.visible_len();
        if len == 0 {
            return;
        }
        let target = (self.history.selected as isize).saturating_add(delta).clamp(0, len as isize - 1);
        self.history.selected = target as usize;
        self.clamp_history_view();
    }

    /// Keeps the selection inside the list and visible.
    pub(super) fn clamp_history_view(&mut self) {
        let len = self.history.visible_len();
        let h = &mut self.history;
        h.selected = h.selected.min(len.saturating_sub(1));
        let page =
            (ui::layout(Rect::new(0, 0, self.size.0, self.size.1)).history.height.saturating_sub(3) as usize).max(1);
        if h.selected < h.offset {
            h.offset = h.selected;
        } else if h.selected >= h.offset + page {
            h.offset = h.selected + 1 - page;
        }
        h.offset = h.offset.min(len.saturating_sub(page));
    }

    pub(super) fn scroll_detail(&mut self, delta: i32) {
        let max = ui::detail::max_scroll(self, ui::layout(self.area()).detail);
        let next = (self.detail_scroll as i32).saturating_add(delta).clamp(0, max as i32);
        self.detail_scroll = next as u16;
    }
}
