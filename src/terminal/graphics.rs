//! Which way this terminal draws pictures, found once at start-up: kitty's graphics protocol,
//! sixel, iTerm2's inline images, or unicode half blocks (every terminal with colour).
//!
//! The question is asked with raw mode on, after the first frame is out and before the input
//! thread starts reading (the answer arrives on the same input as the keys), and waits at most
//! [`BUDGET`]: a terminal that never answers costs that and nothing else (`ratatui-image`
//! 12.0.0-rc.3 polls; it neither loses a key nor leaves the terminal without echo).
//!
//! Inside tmux, images need tmux's `allow-passthrough`. The user's tmux options are not changed
//! behind their back: `auto` asks through tmux only where passthrough is already on (else half
//! blocks, which tmux passes as text); an explicit `--preview kitty|sixel|iterm2` turns it on for
//! this pane, as that protocol needs it (the README says so).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use ratatui_image::picker::cap_parser::QueryStdioOptions;
use ratatui_image::picker::{Picker, ProtocolType};

use crate::config::PreviewChoice;
use crate::preview::Graphics;

/// The longest start-up waits for the terminal's answer.
pub const BUDGET: Duration = Duration::from_millis(300);

/// How pictures will be drawn (None: not at all), and how it was decided, for the log.
pub fn detect(choice: PreviewChoice) -> (Option<Graphics>, &'static str) {
    let started = Instant::now();
    let wanted = match choice {
        PreviewChoice::Off => return (None, "previews are off"),
        PreviewChoice::Halfblocks => return (Some(Graphics::Halfblocks), "half blocks, as asked"),
        PreviewChoice::Auto => None,
        PreviewChoice::Kitty => Some(ProtocolType::Kitty),
        PreviewChoice::Sixel => Some(ProtocolType::Sixel),
        PreviewChoice::Iterm2 => Some(ProtocolType::Iterm2),
    };
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        // Nothing to ask; an explicit protocol is still honoured (with a guessed cell size).
        return (wanted.map(|_| Graphics::Halfblocks), "not a terminal: half blocks");
    }
    if in_tmux() && wanted.is_none() && !tmux_passthrough_on() {
        return (Some(Graphics::Halfblocks), "tmux without allow-passthrough: half blocks");
    }
    let budget = BUDGET.saturating_sub(started.elapsed()).max(Duration::from_millis(50));
    let options = QueryStdioOptions { timeout_ms: budget.as_millis() as i32, ..QueryStdioOptions::default() };
    let picker = match Picker::from_query_stdio_with_options(options) {
        Ok(picker) => picker,
        Err(_) => return (Some(Graphics::Halfblocks), "the terminal's answer was unreadable: half blocks"),
    };
    match wanted {
        Some(protocol) => {
            let mut picker = picker;
            picker.set_protocol_type(protocol);
            (Some(Graphics::Protocol(picker)), "as asked")
        }
        None if picker.protocol_type() == ProtocolType::Halfblocks => {
            (Some(Graphics::Halfblocks), "the terminal named no graphics protocol: half blocks")
        }
        None => (Some(Graphics::Protocol(picker)), "the terminal's answer"),
    }
}

/// Whether we run inside tmux (by its own variable, or by what `ratatui-image` looks at).
fn in_tmux() -> bool {
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.is_empty());
    set("TMUX")
        || std::env::var("TERM").is_ok_and(|t| t.starts_with("tmux"))
        || std::env::var("TERM_PROGRAM").is_ok_and(|t| t == "tmux")
}

/// Whether this tmux pane already passes escapes through (read only; nothing is set).
fn tmux_passthrough_on() -> bool {
    let output = std::process::Command::new("tmux")
        .args(["show-options", "-p", "-v", "allow-passthrough"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output();
    match output {
        Ok(out) if out.status.success() => {
            let value = String::from_utf8_lossy(&out.stdout).trim().to_ascii_lowercase();
            value == "on" || value == "all"
        }
        _ => false,
    }
}
