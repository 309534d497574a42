//! Pictures with the real binary in a pseudo-terminal, against the embedded server and its file
//! host: a picture appears in half blocks beside the asset's fields, the file host never sees the
//! token, a second run draws it from the cache with no request, a terminal that never answers
//! the graphics question loses no key, and `preview` prints or writes the picture.

mod common;

use common::{BIN, Tui, eventually};
use runway_assets::demo::{self, DemoServer};

const TOKEN: &str = "user:42-secret-token";

fn sample(part: &str) -> &'static str {
    demo::samples().into_iter().find(|(_, json)| json.contains(part)).map(|(id, _)| id).unwrap()
}

/// Half-block cells on screen: the picture.
fn picture_cells(screen: &str) -> usize {
    screen.chars().filter(|c| *c == '▀' || *c == '▄').count()
}

#[test]
fn a_picture_shows_without_the_token_reaching_the_file_host_and_comes_back_from_the_cache() {
    let home = tempfile::tempdir().unwrap();
    let server = DemoServer::start().unwrap();
    let base = server.base_url();
    let env = [("USEAPI_TOKEN", TOKEN), ("USEAPI_BASE_URL", base.as_str())];
    let id = sample("Race car");

    let mut tui = Tui::start(&["--preview", "halfblocks"], &env, home.path());
    tui.wait_for_text("No lookups yet");
    tui.send(id);
    tui.send("\r");
    tui.wait_for_text("fresh from the server");
    let screen = tui.wait_for("a picture in half blocks", |s| picture_cells(s) > 100);
    assert!(screen.contains("Race car"), "{screen}");
    assert!(server.file_requests() >= 1);
    assert_eq!(server.file_requests_with_token(), 0, "the file host never sees the token");
    tui.send("\x03");
    assert!(tui.wait_exit());
    let kept: Vec<_> = std::fs::read_dir(home.path().join(".cache/runway-assets/previews"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "pic"))
        .collect();
    assert_eq!(kept.len(), 1, "the picture is kept, scaled down");

    // A second run: the asset from History, its picture from the cache.
    let requests = server.file_requests();
    let mut tui = Tui::start(&["--preview", "halfblocks"], &env, home.path());
    tui.wait_for_text("Race car");
    tui.send("\t\r");
    tui.wait_for("the picture again", |s| picture_cells(s) > 100);
    assert_eq!(server.file_requests(), requests, "no request for a picture already kept");
    tui.send("\x03");
    assert!(tui.wait_exit());
}

#[test]
fn the_demo_shows_pictures_in_half_blocks() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = Tui::start(&["--demo", "--preview", "halfblocks"], &[], home.path());
    tui.wait_for_text("History (");
    tui.send("\t\r");
    tui.wait_for_text("fresh from the server");
    tui.wait_for("a picture in half blocks", |s| picture_cells(s) > 100);
    // p hides it, p shows it again.
    tui.send("p");
    tui.wait_for("the picture hidden", |s| picture_cells(s) == 0);
    tui.send("p");
    tui.wait_for("the picture back", |s| picture_cells(s) > 100);
    tui.send("\x03");
    assert!(tui.wait_exit());
}

#[test]
fn a_terminal_that_never_answers_costs_no_key() {
    // The test's terminal never answers the graphics question: auto waits its 300 ms at most,
    // then draws half blocks; the keys typed meanwhile all reach the input.
    let home = tempfile::tempdir().unwrap();
    let mut tui = Tui::start(&["--demo", "--preview", "auto"], &[], home.path());
    tui.send("abc");
    tui.wait_for_text("abc");
    tui.send("\x15"); // Ctrl-U
    tui.wait_for("the input cleared", |s| !s.contains("abc"));
    tui.wait_for_text("History (5)");
    tui.send("\t\r");
    tui.wait_for("a picture in half blocks", |s| picture_cells(s) > 100);
    tui.send("\x03");
    assert!(tui.wait_exit());
}

#[test]
fn the_history_is_on_screen_before_the_terminal_is_asked_about_pictures() {
    // A terminal that never answers costs auto up to 300 ms: the newest history rows are drawn
    // before the question, so the first useful frame never waits for it.
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".config/runway-assets");
    std::fs::create_dir_all(&dir).unwrap();
    let line = r#"{"assetId":"user:1-runwayml:a@b.c-asset:0f0f","lookedUpAt":"2026-01-01T00:00:00Z","asset":{"name":"Zanzibar"}}"#;
    std::fs::write(dir.join("history.jsonl"), format!("{line}\n")).unwrap();
    let env = [("USEAPI_TOKEN", "x"), ("USEAPI_BASE_URL", "http://127.0.0.1:9")];
    let mut tui = Tui::start(&["--preview", "auto"], &env, home.path());
    tui.wait_for_text("Zanzibar");
    eventually("the graphics question asked", || tui.raw_output().windows(3).any(|w| w == b"\x1b_G"));
    let raw = tui.raw_output();
    let at = |needle: &[u8]| raw.windows(needle.len()).position(|w| w == needle).unwrap();
    assert!(at(b"Zanzibar") < at(b"\x1b_G"), "the history row was drawn after the question");
    tui.send("\x03");
    assert!(tui.wait_exit());
}

#[test]
fn the_preview_subcommand_prints_or_writes_the_picture() {
    let home = tempfile::tempdir().unwrap();
    let server = DemoServer::start().unwrap();
    let base = server.base_url();
    let run = |args: &[&str], token: Option<&str>| {
        let mut cmd = std::process::Command::new(BIN);
        cmd.args(args).env("USEAPI_BASE_URL", &base).env("HOME", home.path()).env_remove("USEAPI_TOKEN");
        cmd.env("XDG_CONFIG_HOME", home.path().join(".config"));
        if let Some(token) = token {
            cmd.env("USEAPI_TOKEN", token);
        }
        cmd.output().unwrap()
    };
    let id = sample("Race car");
    let out = run(&["preview", id, "--preview", "halfblocks"], Some(TOKEN));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(picture_cells(&String::from_utf8_lossy(&out.stdout)) > 100);

    let file = home.path().join("poster.img");
    let out = run(&["preview", id, "-o", file.to_str().unwrap()], Some(TOKEN));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&file).unwrap();
    assert!(runway_assets::preview::decode(&bytes).is_ok(), "the picture file as fetched");

    let out = run(&["preview", sample("mp3")], Some(TOKEN));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("No picture for audio."));

    let out = run(&["preview", id], None);
    assert_eq!(out.status.code(), Some(2), "no token: a usage problem, as for get");
    assert_eq!(server.file_requests_with_token(), 0);
    eventually("nothing else", || true);
}

#[test]
fn graphics_protocols_asked_for_run_and_quit_cleanly() {
    // The test terminal shows none of them; this checks the path runs, draws and quits.
    for protocol in ["kitty", "sixel", "iterm2"] {
        let home = tempfile::tempdir().unwrap();
        let mut tui = Tui::start(&["--demo", "--preview", protocol], &[], home.path());
        tui.wait_for_text("History (5)");
        tui.send("\t\r");
        tui.wait_for_text("fresh from the server");
        tui.send("?");
        tui.wait_for_text("this help");
        tui.send("\x1b");
        tui.send("\x03");
        assert!(tui.wait_exit(), "{protocol}: Ctrl-C exits cleanly");
    }
}
