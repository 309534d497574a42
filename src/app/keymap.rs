//! Every key the app answers, in one table: which key, where it works, what it does, and how
//! the help overlay and the status line describe it. Key handling looks keys up here; the help
//! overlay, the status hints and the README's key list are generated from or tested against it,
//! so they cannot drift apart.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Focus;

/// What a key asks for. Keys become actions first; `App` then applies the action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Ctrl-Z: the event loop suspends the app; listed here so the help names it.
    Suspend,
    FocusNext,
    FocusPrev,
    /// Esc: stop what is loading, else close help, else back to the input.
    Stop,
    FocusInput,
    ToggleHelp,
    CloseHelp,
    Submit,
    ClearInput,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter in a list: open the selected row.
    Open,
    ShowHistory,
    ShowAccount,
    CycleType,
    Reload,
    ChooseAccount,
    /// [ and ] in the detail: the previous / next file the generation made.
    PrevArtifact,
    NextArtifact,
    /// Enter in the detail: open the chosen file.
    OpenArtifact,
    /// r in the detail: fetch the generation again.
    RetryGeneration,
    /// Enter in the account chooser.
    Choose,
    CloseChooser,
    // -- preview --
    /// p: hide or show pictures for the session.
    TogglePreview,
    // -- copy, open, JSON view --
    CopyId,
    CopyUrl,
    /// y in the JSON view.
    CopyJson,
    /// o: the asset's URL in the browser.
    OpenInBrowser,
    ToggleJson,
    /// / in the JSON view: type a search in the input area.
    StartSearch,
    NextMatch,
    PrevMatch,
    /// Enter while typing a search: keep its matches, back to the detail.
    FinishSearch,
    /// Esc: the search ends, its highlights go.
    EndSearch,
    // -- download --
    /// d: download the file of the asset in the detail.
    Download,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere, the help overlay included.
    Always,
    /// Everywhere but the help overlay.
    Anywhere,
    /// While the help overlay is open (it takes every other key).
    Help,
    /// While the account chooser is open (it takes every other key).
    Chooser,
    /// Focus in the input.
    Input,
    /// Focus anywhere but the input.
    OutsideInput,
    List,
    Detail,
    // -- copy, open, JSON view --
    /// The detail shows the raw JSON and the focus is outside the input (looked up first, by
    /// `json_action_for`; the general lookup never matches it).
    Json,
    /// A search of the JSON is being typed (its keys, then text for the search).
    Search,
}

#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

const fn plain(code: KeyCode) -> Key {
    Key { code, ctrl: false }
}

const fn ch(c: char) -> Key {
    plain(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), ctrl: true }
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub scope: Scope,
    pub action: Action,
    /// The keys as the help overlay writes them.
    pub label: &'static str,
    /// What they do, for the help overlay. Bindings that share a label are described once.
    pub help: &'static str,
    /// A two-word version for the status line, for the few keys worth a reminder there.
    pub hint: Option<&'static str>,
}

const fn bind(keys: &'static [Key], scope: Scope, action: Action, label: &'static str, help: &'static str) -> Binding {
    Binding { keys, scope, action, label, help, hint: None }
}

const fn hinted(b: Binding, hint: &'static str) -> Binding {
    Binding { hint: Some(hint), ..b }
}

use Action as A;
use Scope as S;

/// The order here is the help overlay's order. Within one place (focus, help open or not) a
/// key has one meaning; the first match wins.
pub const KEYMAP: &[Binding] = &[
    hinted(
        bind(
            &[plain(KeyCode::Enter)],
            S::Input,
            A::Submit,
            "Enter",
            "look up the typed asset or task ID · open the selected row or file",
        ),
        "look up",
    ),
    bind(&[plain(KeyCode::Enter)], S::List, A::Open, "Enter", ""),
    bind(&[plain(KeyCode::Enter)], S::Detail, A::OpenArtifact, "Enter", ""),
    bind(&[ctrl('u')], S::Input, A::ClearInput, "Ctrl-U", "clear the input"),
    hinted(
        bind(&[plain(KeyCode::Tab)], S::Anywhere, A::FocusNext, "Tab / Shift-Tab", "move focus: input → list → detail"),
        "focus",
    ),
    bind(&[plain(KeyCode::BackTab)], S::Anywhere, A::FocusPrev, "Tab / Shift-Tab", ""),
    bind(&[plain(KeyCode::Up)], S::Input, A::Up, "↑ ↓  j k", "move in the list · scroll the detail"),
    bind(&[plain(KeyCode::Down)], S::Input, A::Down, "↑ ↓  j k", ""),
    bind(&[plain(KeyCode::Up), ch('k')], S::OutsideInput, A::Up, "↑ ↓  j k", ""),
    bind(&[plain(KeyCode::Down), ch('j')], S::OutsideInput, A::Down, "↑ ↓  j k", ""),
    bind(&[plain(KeyCode::PageUp)], S::Input, A::PageUp, "PgUp PgDn  g G", "page · jump to top / bottom"),
    bind(&[plain(KeyCode::PageDown)], S::Input, A::PageDown, "PgUp PgDn  g G", ""),
    bind(&[plain(KeyCode::PageUp)], S::OutsideInput, A::PageUp, "PgUp PgDn  g G", ""),
    bind(&[plain(KeyCode::PageDown)], S::OutsideInput, A::PageDown, "PgUp PgDn  g G", ""),
    bind(&[plain(KeyCode::Home), ch('g')], S::OutsideInput, A::Top, "PgUp PgDn  g G", ""),
    bind(&[plain(KeyCode::End), ch('G')], S::OutsideInput, A::Bottom, "PgUp PgDn  g G", ""),
    bind(
        &[plain(KeyCode::Esc)],
        S::Anywhere,
        A::Stop,
        "Esc",
        "stop what is loading · close this help · back to the input",
    ),
    bind(&[plain(KeyCode::Esc), ch('?'), plain(KeyCode::Enter)], S::Help, A::CloseHelp, "Esc", ""),
    // The help overlay scrolls with the same keys as a list.
    bind(&[plain(KeyCode::Up), ch('k')], S::Help, A::Up, "↑ ↓  j k", ""),
    bind(&[plain(KeyCode::Down), ch('j')], S::Help, A::Down, "↑ ↓  j k", ""),
    bind(&[plain(KeyCode::PageUp)], S::Help, A::PageUp, "PgUp PgDn  g G", ""),
    bind(&[plain(KeyCode::PageDown)], S::Help, A::PageDown, "PgUp PgDn  g G", ""),
    bind(&[plain(KeyCode::Home), ch('g')], S::Help, A::Top, "PgUp PgDn  g G", ""),
    bind(&[plain(KeyCode::End), ch('G')], S::Help, A::Bottom, "PgUp PgDn  g G", ""),
    bind(&[ch('/'), ch('i')], S::OutsideInput, A::FocusInput, "/  i", "back to the input"),
    bind(&[ch('1')], S::OutsideInput, A::ShowHistory, "1  2", "show History · show the Account list"),
    bind(&[ch('2')], S::OutsideInput, A::ShowAccount, "1  2", ""),
    bind(&[ch('t')], S::OutsideInput, A::CycleType, "t", "Account list: next type (all → video → image → audio)"),
    bind(
        &[ch('r')],
        S::Detail,
        A::RetryGeneration,
        "r",
        "reload the Account list · in the detail: fetch the generation again",
    ),
    bind(&[ch('r')], S::OutsideInput, A::Reload, "r", ""),
    bind(&[ch('[')], S::Detail, A::PrevArtifact, "[ ]", "in the detail: choose a file the generation made"),
    bind(&[ch(']')], S::Detail, A::NextArtifact, "[ ]", ""),
    bind(&[ch('a')], S::OutsideInput, A::ChooseAccount, "a", "choose the Runway account to list"),
    // -- copy, open, JSON view --
    bind(&[ch('y')], S::OutsideInput, A::CopyId, "y Y  o", "copy the asset ID · copy its URL · open it in the browser"),
    bind(&[ch('Y')], S::OutsideInput, A::CopyUrl, "y Y  o", ""),
    bind(&[ch('o')], S::OutsideInput, A::OpenInBrowser, "y Y  o", ""),
    bind(
        &[ch('J')],
        S::OutsideInput,
        A::ToggleJson,
        "J  / n N",
        "raw JSON (y copies it) · search it · next / previous match",
    ),
    bind(&[ch('y')], S::Json, A::CopyJson, "J  / n N", ""),
    bind(&[ch('/')], S::Json, A::StartSearch, "J  / n N", ""),
    bind(&[ch('n')], S::Json, A::NextMatch, "J  / n N", ""),
    bind(&[ch('N')], S::Json, A::PrevMatch, "J  / n N", ""),
    bind(&[plain(KeyCode::Esc)], S::Json, A::EndSearch, "Esc", ""),
    bind(&[plain(KeyCode::Enter)], S::Search, A::FinishSearch, "Enter", ""),
    bind(&[plain(KeyCode::Esc)], S::Search, A::EndSearch, "Esc", ""),
    bind(&[plain(KeyCode::Up), ch('k')], S::Chooser, A::Up, "↑ ↓  j k", ""),
    bind(&[plain(KeyCode::Down), ch('j')], S::Chooser, A::Down, "↑ ↓  j k", ""),
    bind(&[plain(KeyCode::Enter)], S::Chooser, A::Choose, "Enter", ""),
    bind(&[plain(KeyCode::Esc)], S::Chooser, A::CloseChooser, "Esc", ""),
    // -- preview --
    bind(&[ch('p')], S::OutsideInput, A::TogglePreview, "p", "hide or show pictures in the detail (for this session)"),
    // -- download --
    bind(&[ch('d')], S::OutsideInput, A::Download, "d", "download the asset's file into the download folder"),
    hinted(bind(&[ch('?')], S::OutsideInput, A::ToggleHelp, "?", "this help (outside the input)"), "help"),
    bind(&[ch('q')], S::OutsideInput, A::Quit, "q", "quit (outside the input)"),
    bind(&[ch('q')], S::Help, A::Quit, "q", ""),
    hinted(bind(&[ctrl('c')], S::Always, A::Quit, "Ctrl-C", "quit from anywhere"), "quit"),
    bind(&[ctrl('z')], S::Always, A::Suspend, "Ctrl-Z", "suspend to the shell (fg returns)"),
];

/// What else the help overlay explains: input that is not a key.
pub const NOT_KEYS: &[(&str, &str)] = &[
    ("Mouse", "click a pane to focus it, a row to select it, a tab title to show it · wheel scrolls"),
    ("Paste", "pasted text goes into the input"),
];

/// The action for a key, where the focus is and whether help is open; None for a key that
/// means nothing there (in the input, that is text to type).
pub fn action_for(key: &KeyEvent, focus: Focus, help_open: bool, chooser_open: bool) -> Option<Action> {
    let ctrl_held = key.modifiers.contains(KeyModifiers::CONTROL);
    KEYMAP
        .iter()
        .filter(|b| applies(b.scope, focus, help_open, chooser_open))
        .find(|b| b.keys.iter().any(|k| k.code == key.code && k.ctrl == ctrl_held))
        .map(|b| b.action)
}

fn applies(scope: Scope, focus: Focus, help_open: bool, chooser_open: bool) -> bool {
    match scope {
        Scope::Json | Scope::Search => false, // see json_action_for
        Scope::Always => true,
        Scope::Help => help_open,
        Scope::Chooser => chooser_open && !help_open,
        _ if help_open || chooser_open => false,
        Scope::Anywhere => true,
        Scope::Input => focus == Focus::Input,
        Scope::OutsideInput => focus != Focus::Input,
        Scope::List => focus == Focus::List,
        Scope::Detail => focus == Focus::Detail,
    }
}

// -- copy, open, JSON view --

/// The action for a key in the JSON view (`typing`: while a search is typed), before the rest
/// of the keymap is asked; None leaves the key to it.
pub fn json_action_for(key: &KeyEvent, typing: bool) -> Option<Action> {
    let scope = if typing { Scope::Search } else { Scope::Json };
    find_in(key, |s| s == scope)
}

/// The action for a key that works everywhere (Ctrl-C, Ctrl-Z), whatever else is going on.
pub fn global_action_for(key: &KeyEvent) -> Option<Action> {
    find_in(key, |s| s == Scope::Always)
}

fn find_in(key: &KeyEvent, scope: impl Fn(Scope) -> bool) -> Option<Action> {
    let ctrl_held = key.modifiers.contains(KeyModifiers::CONTROL);
    KEYMAP
        .iter()
        .filter(|b| scope(b.scope))
        .find(|b| b.keys.iter().any(|k| k.code == key.code && k.ctrl == ctrl_held))
        .map(|b| b.action)
}

/// The help overlay's lines: each label once, with its description, in the table's order.
pub fn help_lines() -> Vec<(&'static str, &'static str)> {
    let mut lines: Vec<(&str, &str)> = Vec::new();
    for b in KEYMAP {
        match lines.iter_mut().find(|(label, _)| *label == b.label) {
            Some((_, help)) if help.is_empty() => *help = b.help,
            Some(_) => {}
            None => lines.push((b.label, b.help)),
        }
    }
    lines.extend_from_slice(NOT_KEYS);
    lines
}

/// The status line's reminder, e.g. "Enter look up · Tab focus · ? help · Ctrl-C quit".
pub fn status_hints() -> String {
    let parts: Vec<String> = KEYMAP
        .iter()
        .filter_map(|b| b.hint.map(|hint| format!("{} {hint}", b.label.split(' ').next().unwrap_or(b.label))))
        .collect();
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn keys_resolve_by_focus() {
        assert_eq!(action_for(&key(KeyCode::Char('q')), Focus::Input, false, false), None, "q is text in the input");
        assert_eq!(action_for(&key(KeyCode::Char('q')), Focus::List, false, false), Some(Action::Quit));
        assert_eq!(action_for(&key(KeyCode::Enter), Focus::Input, false, false), Some(Action::Submit));
        assert_eq!(action_for(&key(KeyCode::Enter), Focus::List, false, false), Some(Action::Open));
        assert_eq!(action_for(&key(KeyCode::Enter), Focus::Detail, false, false), Some(Action::OpenArtifact));
        assert_eq!(action_for(&key(KeyCode::Char('j')), Focus::Input, false, false), None);
        assert_eq!(action_for(&key(KeyCode::Char('j')), Focus::Detail, false, false), Some(Action::Down));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(&ctrl_c, Focus::Input, true, false), Some(Action::Quit));
        assert_eq!(action_for(&key(KeyCode::Enter), Focus::Input, true, false), Some(Action::CloseHelp));
        assert_eq!(action_for(&key(KeyCode::Char('t')), Focus::List, true, false), None, "help takes the keys");
        assert_eq!(action_for(&key(KeyCode::Char('j')), Focus::List, true, false), Some(Action::Down), "and scrolls");
        assert_eq!(action_for(&key(KeyCode::Char('t')), Focus::List, false, true), None, "so does the chooser");
        assert_eq!(action_for(&key(KeyCode::Enter), Focus::Input, false, true), Some(Action::Choose));
        assert_eq!(action_for(&key(KeyCode::Char('2')), Focus::Detail, false, false), Some(Action::ShowAccount));
        assert_eq!(action_for(&key(KeyCode::Char('2')), Focus::Input, false, false), None, "2 is text in the input");
    }

    #[test]
    fn every_action_is_described_and_every_label_once() {
        let lines = help_lines();
        for b in KEYMAP {
            let described = lines.iter().any(|(label, help)| *label == b.label && !help.is_empty());
            assert!(described, "{} has no description", b.label);
        }
        let mut labels: Vec<_> = lines.iter().map(|(l, _)| *l).collect();
        labels.dedup();
        assert_eq!(labels.len(), lines.len());
    }

    #[test]
    fn the_status_hints_come_from_the_table() {
        assert_eq!(status_hints(), "Enter look up · Tab focus · ? help · Ctrl-C quit");
    }
}
