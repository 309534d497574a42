//! The opener is given the URL as one argument, byte for byte: no shell reads it, so `;`, `&`,
//! `|`, `$(…)` and backquotes in a URL are only characters. The opener here is a script that
//! writes down what it was given (never a real browser; no network).

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

use runway_assets::api::files::web_url;
use runway_assets::workers::open::{OpenEvent, Opener};

#[test]
fn shell_characters_in_a_url_reach_the_opener_unread() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("arg.txt");
    let script = dir.path().join("opener.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s' \"$1\" > '{0}.tmp'\nprintf '%s' \"$#\" > '{0}.count'\nmv '{0}.tmp' '{0}'\n",
            out.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let marker = dir.path().join("pwned");
    let text =
        format!("https://example.com/a;touch$IFS{m};b?x=1&y=$(touch$IFS{m})|`touch$IFS{m}`", m = marker.display());
    let url = web_url(&text).unwrap();
    for needle in [";", "&", "$(", "|", "`"] {
        assert!(url.as_str().contains(needle), "{needle} survives URL parsing: {url}");
    }
    let event = Opener::named(&script).open(&url, |_| {});
    assert!(matches!(event, OpenEvent::Started { .. }), "{event:?}");
    let start = Instant::now();
    while !out.exists() {
        assert!(start.elapsed() < Duration::from_secs(30), "the opener never ran");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(std::fs::read_to_string(&out).unwrap(), url.as_str());
    assert_eq!(std::fs::read_to_string(format!("{}.count", out.display())).unwrap(), "1", "one argument");
    assert!(!marker.exists(), "nothing in the URL ran");
}
