//! The terminal's modes: entering the TUI (raw mode, alternate screen, mouse, bracketed paste)
//! and always leaving it the way it was found: on quit, on panic, on signals, and around Ctrl-Z.

use std::io::{self, Write};

use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use crossterm::execute;
use ratatui::DefaultTerminal;

/// Enters the TUI; also installs a panic hook that restores the terminal before the message prints.
pub fn enter() -> io::Result<DefaultTerminal> {
    install_panic_hook();
    let terminal = ratatui::try_init()?;
    execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    Ok(terminal)
}

/// Leaves the TUI. Safe to call more than once.
pub fn leave() {
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    let _ = execute!(io::stdout(), crossterm::cursor::Show);
    let _ = io::stdout().flush();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave();
        previous(info);
    }));
}

/// Ctrl-Z: give the terminal back, stop until `fg`, then take it again.
#[cfg(unix)]
pub fn suspend(terminal: &mut DefaultTerminal) -> io::Result<()> {
    leave();
    // SAFETY: raising a signal on our own process has no memory-safety preconditions.
    unsafe {
        libc::raise(libc::SIGTSTP);
    }
    ratatui::try_init()?;
    execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    terminal.clear()
}

#[cfg(not(unix))]
pub fn suspend(_terminal: &mut DefaultTerminal) -> io::Result<()> {
    Ok(())
}
