//! Every colour and style the screen uses, in one place.

use ratatui::style::{Color, Modifier, Style};

use crate::present::wrap::Tone;

pub fn tone(tone: Tone) -> Style {
    match tone {
        Tone::Plain => Style::new(),
        Tone::Label | Tone::Absent | Tone::Hint => Style::new().fg(Color::DarkGray),
        Tone::Good => Style::new().fg(Color::Green),
        Tone::Pending => Style::new().fg(Color::Yellow),
        Tone::Bad => Style::new().fg(Color::Red),
        Tone::BadTitle => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Tone::Heading => Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        Tone::Selected => Style::new().add_modifier(Modifier::REVERSED),
    }
}

pub fn border(focused: bool) -> Style {
    if focused { Style::new().fg(Color::Cyan) } else { Style::new().fg(Color::DarkGray) }
}

pub fn title(focused: bool) -> Style {
    if focused { Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD) } else { Style::new() }
}

pub fn selected_row(focused: bool) -> Style {
    if focused { Style::new().bg(Color::Cyan).fg(Color::Black) } else { Style::new().add_modifier(Modifier::REVERSED) }
}

pub fn header() -> Style {
    Style::new().fg(Color::DarkGray).add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn info() -> Style {
    Style::new().fg(Color::Green)
}

pub fn warning() -> Style {
    Style::new().fg(Color::Yellow)
}

pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
