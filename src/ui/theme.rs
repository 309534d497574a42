//! Every colour and style the screen uses, in one place, in two modes: colour, and monochrome
//! (NO_COLOR, `--color never`, `color = "never"`), where nothing is drawn in a colour and what
//! colour said is said by attributes and words instead:
//! - focus: the focused pane's border is double-lined and its title bold and underlined;
//! - selection: the selected row is reversed (and bold in the focused pane);
//! - errors: bold, and the status line says "Error:";
//! - a detail's source is already words ("fresh", "stored", "from the Account list").
//!
//! The mode is process-wide: `main` calls [`set_monochrome`] once, before the first frame
//! (drawing stays a pure function of `App`; the mode is like the terminal's size, fixed for
//! the run). Until it is called, and in tests that never call it, the screen is in colour.

use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::BorderType;

use crate::present::wrap::Tone;

static MONOCHROME: OnceLock<bool> = OnceLock::new();

/// Chooses monochrome (true) or colour for the rest of the run; only the first call counts.
pub fn set_monochrome(monochrome: bool) {
    let _ = MONOCHROME.set(monochrome);
}

pub fn is_monochrome() -> bool {
    MONOCHROME.get().copied().unwrap_or(false)
}

fn pick(colour: Style, mono: Style) -> Style {
    if is_monochrome() { mono } else { colour }
}

const BOLD: Modifier = Modifier::BOLD;

pub fn tone(tone: Tone) -> Style {
    let mono = is_monochrome();
    match tone {
        Tone::Plain => Style::new(),
        Tone::Label | Tone::Absent | Tone::Hint if mono => Style::new().add_modifier(Modifier::DIM),
        Tone::Label | Tone::Absent | Tone::Hint => Style::new().fg(Color::DarkGray),
        Tone::Good if mono => Style::new(),
        Tone::Good => Style::new().fg(Color::Green),
        Tone::Pending if mono => Style::new().add_modifier(Modifier::ITALIC),
        Tone::Pending => Style::new().fg(Color::Yellow),
        Tone::Bad if mono => Style::new().add_modifier(BOLD),
        Tone::Bad => Style::new().fg(Color::Red),
        Tone::BadTitle if mono => Style::new().add_modifier(BOLD | Modifier::UNDERLINED),
        Tone::BadTitle => Style::new().fg(Color::Red).add_modifier(BOLD),
        Tone::Heading => Style::new().add_modifier(BOLD | Modifier::UNDERLINED),
        Tone::Selected => Style::new().add_modifier(Modifier::REVERSED),
    }
}

pub fn border(focused: bool) -> Style {
    match (is_monochrome(), focused) {
        (true, true) => Style::new().add_modifier(BOLD),
        (true, false) => Style::new(),
        (false, true) => Style::new().fg(Color::Cyan),
        (false, false) => Style::new().fg(Color::DarkGray),
    }
}

/// The pane's border lines: in monochrome the focused pane's are double, so focus shows
/// without colour.
pub fn border_type(focused: bool) -> BorderType {
    if focused && is_monochrome() { BorderType::Double } else { BorderType::Rounded }
}

pub fn title(focused: bool) -> Style {
    match (is_monochrome(), focused) {
        (true, true) => Style::new().add_modifier(BOLD | Modifier::UNDERLINED),
        (_, false) => Style::new(),
        (false, true) => Style::new().fg(Color::Cyan).add_modifier(BOLD),
    }
}

pub fn selected_row(focused: bool) -> Style {
    match (is_monochrome(), focused) {
        (true, true) => Style::new().add_modifier(Modifier::REVERSED | BOLD),
        (false, true) => Style::new().bg(Color::Cyan).fg(Color::Black),
        (_, false) => Style::new().add_modifier(Modifier::REVERSED),
    }
}

pub fn header() -> Style {
    pick(Style::new().fg(Color::DarkGray).add_modifier(BOLD), Style::new().add_modifier(BOLD))
}

pub fn dim() -> Style {
    pick(Style::new().fg(Color::DarkGray), Style::new().add_modifier(Modifier::DIM))
}

pub fn key() -> Style {
    pick(Style::new().fg(Color::Cyan).add_modifier(BOLD), Style::new().add_modifier(BOLD))
}

pub fn info() -> Style {
    pick(Style::new().fg(Color::Green), Style::new())
}

pub fn warning() -> Style {
    pick(Style::new().fg(Color::Yellow), Style::new())
}

pub fn error() -> Style {
    pick(Style::new().fg(Color::Red).add_modifier(BOLD), Style::new().add_modifier(BOLD))
}

/// What starts an error in the status line: in colour, red says it; in monochrome, a word.
pub fn error_prefix() -> &'static str {
    if is_monochrome() { "Error: " } else { "" }
}

// -- copy, open, JSON view --

/// The raw JSON view's pieces. In monochrome, keys are bold and literals italic; strings and
/// numbers read as themselves.
pub fn json_tone(tone: crate::present::json::JsonTone) -> Style {
    use crate::present::json::JsonTone as J;
    let mono = is_monochrome();
    match tone {
        J::Key if mono => Style::new().add_modifier(BOLD),
        J::Key => Style::new().fg(Color::Cyan),
        J::String if mono => Style::new(),
        J::String => Style::new().fg(Color::Green),
        J::Number if mono => Style::new(),
        J::Number => Style::new().fg(Color::Yellow),
        J::Literal if mono => Style::new().add_modifier(Modifier::ITALIC),
        J::Literal => Style::new().fg(Color::Magenta),
        J::Punct => Style::new(),
    }
}

/// A search match in the JSON view; the current one stands out more.
pub fn search_match(current: bool) -> Style {
    match (is_monochrome(), current) {
        (true, false) => Style::new().add_modifier(Modifier::REVERSED),
        (true, true) => Style::new().add_modifier(Modifier::REVERSED | BOLD | Modifier::UNDERLINED),
        (false, false) => Style::new().bg(Color::Yellow).fg(Color::Black),
        (false, true) => Style::new().bg(Color::LightRed).fg(Color::Black).add_modifier(BOLD),
    }
}
