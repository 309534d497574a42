//! Which way this terminal draws pictures, found once at start-up: kitty's graphics protocol,
//! sixel, iTerm2's inline images, or unicode half blocks (every terminal with colour).
//!
//! The question is asked with raw mode on, after the first frame is out and before the input
//! thread starts reading (the answers arrive on the same input as the keys), and waits at most
//! [`BUDGET`]: a terminal that never answers costs that and nothing else. The answers are read
//! here rather than by `ratatui-image`'s picker, because the picker drops whatever else arrives
//! meanwhile; here the keys typed during the wait are handed back, to be handled as typed.
//!
//! Inside tmux, pictures need tmux's `allow-passthrough`. The user's tmux options are not changed
//! behind their back: `auto` asks through tmux only where passthrough is already on (else half
//! blocks, which tmux passes as text); an explicit `--preview kitty|sixel|iterm2` turns it on for
//! this pane (`ratatui-image` does so), as that protocol needs it. The README says so.

use std::io::{IsTerminal, Write};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui_image::FontSize;
use ratatui_image::picker::cap_parser::{Parser, QueryStdioOptions, Response};
use ratatui_image::picker::{Picker, ProtocolType};

use crate::config::PreviewChoice;
use crate::preview::Graphics;

/// The longest start-up waits for the terminal's answer.
pub const BUDGET: Duration = Duration::from_millis(300);

/// What detection found.
#[derive(Debug)]
pub struct Detected {
    /// How pictures are drawn (None: not at all).
    pub graphics: Option<Graphics>,
    /// How it was decided, for the log.
    pub how: &'static str,
    /// Keys typed while the terminal was being asked, to be handled as if read afterwards.
    pub typed: Vec<Event>,
}

impl Detected {
    fn plain(graphics: Option<Graphics>, how: &'static str) -> Detected {
        Detected { graphics, how, typed: Vec::new() }
    }
}

/// Decides how pictures are drawn. Call with raw mode on and nothing else reading the input.
pub fn detect(choice: PreviewChoice) -> Detected {
    let started = Instant::now();
    let wanted = match choice {
        PreviewChoice::Off => return Detected::plain(None, "previews are off"),
        PreviewChoice::Halfblocks => return Detected::plain(Some(Graphics::Halfblocks), "half blocks, as asked"),
        PreviewChoice::Auto => None,
        PreviewChoice::Kitty => Some(ProtocolType::Kitty),
        PreviewChoice::Sixel => Some(ProtocolType::Sixel),
        PreviewChoice::Iterm2 => Some(ProtocolType::Iterm2),
    };
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        // Nothing to ask; an explicit protocol is still honoured, with a guessed cell size.
        return match wanted {
            Some(protocol) => Detected::plain(Some(protocol_graphics(protocol, None)), "as asked, unasked"),
            None => Detected::plain(Some(Graphics::Halfblocks), "not a terminal: half blocks"),
        };
    }
    if wanted.is_none() && in_tmux() && !tmux_passthrough_on() {
        return Detected::plain(Some(Graphics::Halfblocks), "tmux without allow-passthrough: half blocks");
    }
    let budget = BUDGET.saturating_sub(started.elapsed());
    let answer = ask(budget);
    let found = wanted
        .or(answer.protocol)
        .or_else(|| answer.answered.then(protocol_from_env).flatten())
        .filter(|p| *p != ProtocolType::Halfblocks);
    let graphics = match found {
        Some(protocol) => protocol_graphics(protocol, answer.font),
        None => Graphics::Halfblocks,
    };
    let how = match (wanted, answer.answered, found) {
        (Some(_), _, _) => "as asked",
        (None, false, _) => "the terminal did not answer in time: half blocks",
        (None, true, None) => "the terminal named no graphics protocol: half blocks",
        (None, true, Some(_)) => "the terminal's answer",
    };
    Detected { graphics: Some(graphics), how, typed: keys_from_bytes(&answer.stray) }
}

/// A picker for `protocol` (the cell size as answered, else a guess with the usual 1:2 shape).
#[allow(deprecated)] // from_fontsize is the one constructor that asks nothing
fn protocol_graphics(protocol: ProtocolType, font: Option<(u16, u16)>) -> Graphics {
    let (w, h) = font.filter(|(w, h)| *w > 0 && *h > 0).unwrap_or((10, 20));
    let mut picker = Picker::from_fontsize(FontSize::new(w, h));
    picker.set_protocol_type(protocol);
    Graphics::Protocol(picker)
}

/// What the terminal said.
#[derive(Debug, Default)]
struct Answer {
    answered: bool,
    protocol: Option<ProtocolType>,
    font: Option<(u16, u16)>,
    /// Bytes that were no answer: keys typed meanwhile.
    stray: Vec<u8>,
}

/// Writes the queries and reads the answers until the terminal's status report (the last one
/// asked for) or the budget is spent.
fn ask(budget: Duration) -> Answer {
    let mut answer = Answer::default();
    let deadline = Instant::now() + budget;
    let mut blacklist = Vec::new();
    // WezTerm and Konsole claim kitty or sixel but draw them poorly (as ratatui-image notes).
    if env_set("WEZTERM_EXECUTABLE") || env_set("KONSOLE_VERSION") {
        blacklist = vec![ProtocolType::Kitty, ProtocolType::Sixel];
    }
    let options = QueryStdioOptions { blacklist_protocols: blacklist, ..QueryStdioOptions::default() };
    let query = Parser::query(crate_sees_tmux(), options);
    let mut out = std::io::stdout();
    if out.write_all(query.as_bytes()).and_then(|()| out.flush()).is_err() {
        return answer;
    }
    let stdin = std::io::stdin();
    let fd = stdin.as_raw_fd();
    let mut parser = Parser::new();
    let mut split = Splitter::default();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || !readable(fd, left) {
            return answer;
        }
        let mut buf = [0u8; 256];
        // SAFETY: reads at most buf.len() bytes into buf, which outlives the call.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            return answer;
        }
        for byte in &buf[..n as usize] {
            let Some(escape_byte) = split.push(*byte, &mut answer.stray) else { continue };
            for response in parser.push(char::from(escape_byte)) {
                answer.answered = true;
                match response {
                    Response::Kitty => answer.protocol = Some(ProtocolType::Kitty),
                    Response::Sixel if answer.protocol.is_none() => answer.protocol = Some(ProtocolType::Sixel),
                    Response::CellSize(Some(size)) => answer.font = Some(size),
                    Response::Status => {
                        split.flush(&mut answer.stray);
                        return answer;
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Separates the terminal's answers (escape sequences) from keys typed meanwhile: bytes outside
/// an escape sequence are keys.
#[derive(Debug, Default)]
struct Splitter {
    /// Inside an escape sequence: what kind, by its second byte (0 until it is known).
    kind: Option<u8>,
    /// The last byte was ESC inside a string sequence (a possible string terminator).
    saw_esc: bool,
}

impl Splitter {
    /// Feeds one byte: Some(byte) when it belongs to an answer, None when it was a key (kept
    /// in `stray`).
    fn push(&mut self, byte: u8, stray: &mut Vec<u8>) -> Option<u8> {
        match self.kind {
            None if byte == 0x1b => {
                self.kind = Some(0);
                Some(byte)
            }
            None => {
                stray.push(byte);
                None
            }
            Some(0) => {
                // A lone ESC followed by a key is the key (Alt or Esc typed): the answers all
                // start with ESC [, ESC _, ESC ] or ESC P.
                if matches!(byte, b'[' | b'_' | b']' | b'P') {
                    self.kind = Some(byte);
                    Some(byte)
                } else {
                    self.kind = None;
                    stray.push(0x1b);
                    stray.push(byte);
                    None
                }
            }
            Some(b'[') => {
                if (0x40..=0x7e).contains(&byte) {
                    self.kind = None;
                }
                Some(byte)
            }
            Some(_) => {
                // A string: ends with BEL or ESC \.
                if byte == 0x07 || (self.saw_esc && byte == b'\\') {
                    self.kind = None;
                }
                self.saw_esc = byte == 0x1b;
                Some(byte)
            }
        }
    }

    fn flush(&mut self, _stray: &mut Vec<u8>) {
        self.kind = None;
    }
}

/// Keys typed during detection, as the events crossterm would have read: text, Enter, Tab,
/// Backspace, Esc and Ctrl-letters (anything fancier is dropped).
pub fn keys_from_bytes(bytes: &[u8]) -> Vec<Event> {
    let key = |code, modifiers| Event::Key(KeyEvent::new(code, modifiers));
    String::from_utf8_lossy(bytes)
        .chars()
        .filter_map(|c| match c {
            '\r' | '\n' => Some(key(KeyCode::Enter, KeyModifiers::NONE)),
            '\t' => Some(key(KeyCode::Tab, KeyModifiers::NONE)),
            '\x7f' | '\x08' => Some(key(KeyCode::Backspace, KeyModifiers::NONE)),
            '\x1b' => Some(key(KeyCode::Esc, KeyModifiers::NONE)),
            '\x01'..='\x1a' => {
                let letter = char::from(b'a' + (c as u8) - 1);
                Some(key(KeyCode::Char(letter), KeyModifiers::CONTROL))
            }
            '\u{fffd}' => None,
            c if !c.is_control() => Some(key(KeyCode::Char(c), KeyModifiers::NONE)),
            _ => None,
        })
        .collect()
}

/// Whether `fd` has something to read within `wait`.
fn readable(fd: i32, wait: Duration) -> bool {
    let mut poll = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
    let ms = wait.as_millis().clamp(1, i32::MAX as u128) as i32;
    // SAFETY: one valid, initialised pollfd, as the count says.
    let ready = unsafe { libc::poll(&mut poll, 1, ms) };
    ready > 0 && poll.revents & libc::POLLIN != 0
}

fn env_set(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty())
}

/// A terminal that says by its name that it shows iTerm2's inline images.
fn protocol_from_env() -> Option<ProtocolType> {
    let program = std::env::var("TERM_PROGRAM").unwrap_or_default();
    let iterm2 = ["iTerm", "WezTerm", "mintty", "vscode", "Tabby", "Hyper", "rio", "Bobcat", "WarpTerminal"];
    let lc = std::env::var("LC_TERMINAL").unwrap_or_default();
    (iterm2.iter().any(|t| program.contains(t)) || lc.contains("iTerm")).then_some(ProtocolType::Iterm2)
}

/// Whether we run inside tmux (by its own variable, or by what `ratatui-image` looks at).
fn in_tmux() -> bool {
    env_set("TMUX") || crate_sees_tmux()
}

/// tmux as `ratatui-image` recognises it (and then wraps its escapes for passthrough).
fn crate_sees_tmux() -> bool {
    std::env::var("TERM").is_ok_and(|t| t.starts_with("tmux"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_told_apart_from_keys_typed_meanwhile() {
        let mut split = Splitter::default();
        let mut stray = Vec::new();
        let mut parser = Parser::new();
        let mut responses = Vec::new();
        let input = b"ab\x1b_Gi=31;OK\x1b\\c\x1b[?62;4;22c\x1b[6;20;10t\rd\x1b[0n";
        for byte in input {
            if let Some(b) = split.push(*byte, &mut stray) {
                responses.extend(parser.push(char::from(b)));
            }
        }
        assert_eq!(stray, b"abc\rd");
        assert!(responses.contains(&Response::Kitty), "{responses:?}");
        assert!(responses.contains(&Response::Sixel), "{responses:?}");
        assert!(responses.contains(&Response::CellSize(Some((10, 20)))), "{responses:?}");
        assert!(responses.contains(&Response::Status), "{responses:?}");
    }

    #[test]
    fn typed_bytes_become_keys() {
        let events = keys_from_bytes("a\té\r\x15\x7f".as_bytes());
        let codes: Vec<_> = events
            .iter()
            .map(|e| match e {
                Event::Key(k) => (k.code, k.modifiers),
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(
            codes,
            vec![
                (KeyCode::Char('a'), KeyModifiers::NONE),
                (KeyCode::Tab, KeyModifiers::NONE),
                (KeyCode::Char('é'), KeyModifiers::NONE),
                (KeyCode::Enter, KeyModifiers::NONE),
                (KeyCode::Char('u'), KeyModifiers::CONTROL),
                (KeyCode::Backspace, KeyModifiers::NONE),
            ]
        );
    }
}
