//! Copying through the terminal: the OSC 52 escape, which asks the terminal itself to put text
//! on the clipboard. It works in a local terminal, over SSH and inside tmux, with no system
//! clipboard library and no display server. The event loop writes it after a frame, in its own
//! write, so it never lands in the middle of one.
//!
//! Inside tmux two forms are sent. The plain one is what tmux reads itself when `set-clipboard`
//! is `on`: tmux keeps the text as a paste buffer and passes it on to the outer terminal when
//! that terminal can take it. The second is the same escape wrapped for tmux's passthrough
//! (`allow-passthrough on`), which reaches the outer terminal when tmux would not pass the plain
//! one on (`set-clipboard external`, the default). Whichever settings are in force, tmux drops
//! what it does not use, and a terminal given both simply sets its clipboard twice to the
//! same text.

use base64::Engine;

/// Whether this process runs inside tmux (tmux sets `TMUX` for the programs it starts).
pub fn in_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// Whether tmux lets this pane's copies through: `set-clipboard on` (tmux takes the plain
/// escape), or passthrough allowed for the wrapped one (`allow-passthrough on`, or a tmux from
/// before 3.3, which had no such option and always passed it). None when tmux cannot be asked.
/// Runs `tmux show-options` (a few milliseconds): call it off the UI thread.
pub fn tmux_passes_copies() -> Option<bool> {
    let ask = |args: &[&str]| -> Option<String> {
        let out = std::process::Command::new("tmux")
            .args(args)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    if ask(&["show-options", "-sv", "set-clipboard"])? == "on" {
        return Some(true);
    }
    let passthrough = match std::env::var("TMUX_PANE") {
        Ok(pane) => ask(&["show-options", "-Apv", "-t", &pane, "allow-passthrough"]),
        Err(_) => ask(&["show-options", "-gwv", "allow-passthrough"]),
    };
    Some(passthrough.is_none_or(|v| v == "on" || v == "all"))
}

/// The bytes that put `text` on the clipboard ("c", the clipboard selection), exactly as given:
/// base64 keeps any byte of it from acting on the terminal. `tmux` adds the passthrough form.
pub fn osc52(text: &str, tmux: bool) -> Vec<u8> {
    let payload = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let plain = format!("\x1b]52;c;{payload}\x07");
    if !tmux {
        return plain.into_bytes();
    }
    // Passthrough: DCS tmux; <escape with each ESC doubled> ST.
    let wrapped = format!("\x1bPtmux;{}\x1b\\", plain.replace('\x1b', "\x1b\x1b"));
    let mut out = plain.into_bytes();
    out.extend_from_slice(wrapped.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_escape_carries_the_text_in_base64() {
        assert_eq!(osc52("hello", false), b"\x1b]52;c;aGVsbG8=\x07".to_vec());
        assert_eq!(osc52("", false), b"\x1b]52;c;\x07".to_vec());
    }

    #[test]
    fn inside_tmux_the_plain_escape_comes_first_then_the_passthrough() {
        let expected = b"\x1b]52;c;aGVsbG8=\x07\x1bPtmux;\x1b\x1b]52;c;aGVsbG8=\x07\x1b\\".to_vec();
        assert_eq!(osc52("hello", true), expected);
    }

    #[test]
    fn control_characters_never_reach_the_terminal_raw() {
        let bytes = osc52("a\x1b]0;owned\x07\nb", false);
        let inner = &bytes[7..bytes.len() - 1];
        assert!(inner.iter().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(b)), "{bytes:?}");
    }
}
