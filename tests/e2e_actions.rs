//! Copy and open in the real binary, in a pseudo-terminal against the embedded server: `y`
//! writes the OSC 52 escape (plain, and also wrapped for tmux inside tmux), `o` starts the
//! opener named by RUNWAY_ASSETS_OPENER (a script that records what it was given: never a real
//! browser), detached, with its output discarded and without the token.

mod common;

use std::path::Path;

use common::{Tui, eventually};
use runway_assets::demo::{self, DemoServer};

const TOKEN: &str = "user:42-secret-token";

/// The video sample as `server` sends it: its URLs on the demo's file host.
fn sample_from(server: &DemoServer) -> (&'static str, serde_json::Value) {
    let (id, json) = demo::samples().into_iter().find(|(_, json)| json.contains("\"dimensions\"")).unwrap();
    let json = json.replace("https://example.invalid/runway/", &format!("{}/runway/", server.files_url()));
    (id, serde_json::from_str(&json).unwrap())
}

fn base64(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The app against a fresh demo server, the sample looked up, the focus on the list.
fn looked_up(server: &DemoServer, home: &Path, extra: &[(&str, &str)]) -> Tui {
    let base = server.base_url();
    let mut env = vec![("USEAPI_TOKEN", TOKEN), ("USEAPI_BASE_URL", base.as_str())];
    env.extend_from_slice(extra);
    let mut tui = Tui::start(&[], &env, home);
    tui.wait_for_text("No lookups yet");
    tui.send(sample_from(server).0);
    tui.send("\r");
    tui.wait_for_text("fresh from the server");
    tui.send("\t");
    tui
}

#[test]
fn y_writes_the_osc52_escape_with_exactly_the_id() {
    let home = tempfile::tempdir().unwrap();
    let server = DemoServer::start().unwrap();
    let (id, value) = sample_from(&server);
    let mut tui = looked_up(&server, home.path(), &[]);
    tui.send("y");
    tui.wait_for_text("Copied the asset ID.");
    let escape = format!("\x1b]52;c;{}\x07", base64(id));
    eventually("the OSC 52 escape", || contains(&tui.raw_output(), escape.as_bytes()));
    assert!(!contains(&tui.raw_output(), b"\x1bPtmux;"), "no tmux passthrough outside tmux");

    tui.send("Y");
    tui.wait_for_text("Copied the URL.");
    let url = value["url"].as_str().unwrap();
    let escape = format!("\x1b]52;c;{}\x07", base64(url));
    eventually("the URL's escape", || contains(&tui.raw_output(), escape.as_bytes()));
    tui.send("\x03");
    assert!(tui.wait_exit());
}

#[test]
fn inside_tmux_the_escape_also_goes_through_passthrough() {
    let home = tempfile::tempdir().unwrap();
    let server = DemoServer::start().unwrap();
    let (id, _) = sample_from(&server);
    // A socket no tmux server listens on: asking tmux's settings fails, so no note follows.
    let socket = format!("{},1,0", home.path().join("no-tmux-server").display());
    let mut tui = looked_up(&server, home.path(), &[("TMUX", &socket)]);
    tui.send("y");
    tui.wait_for_text("Copied the asset ID.");
    let plain = format!("\x1b]52;c;{}\x07", base64(id));
    let wrapped = format!("\x1bPtmux;\x1b\x1b]52;c;{}\x07\x1b\\", base64(id));
    let both = format!("{plain}{wrapped}");
    eventually("both escapes, plain first", || contains(&tui.raw_output(), both.as_bytes()));
    tui.send("\x03");
    assert!(tui.wait_exit());
}

#[test]
fn j_then_y_copies_the_whole_json() {
    let home = tempfile::tempdir().unwrap();
    let server = DemoServer::start().unwrap();
    let (_, value) = sample_from(&server);
    let mut tui = looked_up(&server, home.path(), &[]);
    tui.send("J");
    tui.wait_for_text("· JSON");
    tui.send("y");
    tui.wait_for_text("Copied the JSON.");
    let escape = format!("\x1b]52;c;{}\x07", base64(&serde_json::to_string_pretty(&value).unwrap()));
    eventually("the JSON's escape", || contains(&tui.raw_output(), escape.as_bytes()));
    tui.send("\x03");
    assert!(tui.wait_exit());
}

/// A stand-in opener: records its argument, where its standard streams go, whether it leads
/// its own session, and whether it got the token; then exits.
#[cfg(target_os = "linux")]
fn recording_opener(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let out = dir.join("opened.txt");
    let script = dir.join("opener.sh");
    let body = format!(
        "#!/bin/sh\n\
         o='{out}'\n\
         fds=\"$(readlink /proc/$$/fd/0) $(readlink /proc/$$/fd/1) $(readlink /proc/$$/fd/2)\"\n\
         printf '%s\\n' \"$1\" > \"$o.tmp\"\n\
         for fd in $fds; do echo \"$fd\" >> \"$o.tmp\"; done\n\
         set -- $(cat /proc/$$/stat)\n\
         if [ \"$6\" = \"$$\" ]; then echo own-session >> \"$o.tmp\"; else echo same-session >> \"$o.tmp\"; fi\n\
         echo \"token=${{USEAPI_TOKEN:-none}}\" >> \"$o.tmp\"\n\
         mv \"$o.tmp\" \"$o\"\n",
        out = out.display()
    );
    std::fs::write(&script, body).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (script, out)
}

#[cfg(target_os = "linux")]
#[test]
fn o_starts_the_opener_detached_with_the_url_and_without_the_token() {
    let home = tempfile::tempdir().unwrap();
    let server = DemoServer::start().unwrap();
    let (script, out) = recording_opener(home.path());
    let (_, value) = sample_from(&server);
    let script = script.to_str().unwrap();
    let mut tui = looked_up(&server, home.path(), &[("RUNWAY_ASSETS_OPENER", script)]);
    tui.send("o");
    tui.wait_for_text("to open the URL in the browser.");
    eventually("the opener to run", || out.exists());
    let recorded = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = recorded.lines().collect();
    assert_eq!(lines[0], value["url"].as_str().unwrap(), "the URL, as one argument");
    assert_eq!(&lines[1..4], ["/dev/null", "/dev/null", "/dev/null"], "its output is discarded: {recorded}");
    assert_eq!(lines[4], "own-session", "detached from the app's terminal: {recorded}");
    assert_eq!(lines[5], "token=none", "the token stays with the app");
    tui.send("\x03");
    assert!(tui.wait_exit());
}

#[test]
fn a_missing_opener_is_said_and_y_offered() {
    let home = tempfile::tempdir().unwrap();
    let server = DemoServer::start().unwrap();
    let mut tui = looked_up(&server, home.path(), &[("RUNWAY_ASSETS_OPENER", "/nonexistent/opener")]);
    tui.send("o");
    tui.wait_for_text("was not found; press Y to copy the URL instead.");
    tui.send("\x03");
    assert!(tui.wait_exit());
}
