//! The terminal's modes: entering the TUI (raw mode, alternate screen, mouse, bracketed paste)
//! and always leaving it the way it was found: on quit, on panic, on signals, and around Ctrl-Z.

use std::io::{self, Write};

use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

pub mod clipboard;
pub mod frame_writer;
pub mod graphics;
#[cfg(unix)]
pub mod input;

use frame_writer::FrameWriter;

/// The real terminal. Its viewport is fixed, and resized by the event loop on `Event::Resize`:
/// a full-screen viewport would ask the terminal for its size before every frame (crossterm
/// opens and closes /dev/tty for that).
pub type Tui = Terminal<CrosstermBackend<FrameWriter>>;

/// Enters the TUI; also installs a panic hook that restores the terminal before the message prints.
pub fn enter() -> io::Result<Tui> {
    install_panic_hook();
    take()?;
    let (width, height) = crossterm::terminal::size()?;
    let viewport = Viewport::Fixed(Rect::new(0, 0, width, height));
    Terminal::with_options(CrosstermBackend::new(FrameWriter::default()), TerminalOptions { viewport })
}

fn take() -> io::Result<()> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture, EnableBracketedPaste)
}

/// Leaves the TUI. Safe to call more than once.
pub fn leave() {
    let mut out = io::stdout();
    let _ = execute!(out, DisableMouseCapture, DisableBracketedPaste);
    let _ = disable_raw_mode();
    let _ = execute!(out, LeaveAlternateScreen, crossterm::cursor::Show);
    let _ = out.flush();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        previous(info);
    }));
}

/// Ctrl-Z: give the terminal back, stop until `fg`, then take it again. The loop then resizes
/// the terminal to its size now, which clears it and redraws everything (ratatui's `clear`
/// would ask the terminal where its cursor is, a question the input thread's reader answers).
#[cfg(unix)]
pub fn suspend(_terminal: &mut Tui) -> io::Result<()> {
    leave();
    // SAFETY: raising a signal on our own process has no memory-safety preconditions.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    take()
}

#[cfg(not(unix))]
pub fn suspend(_terminal: &mut Tui) -> io::Result<()> {
    Ok(())
}
