//! Pictures with the real binary in a pseudo-terminal, against the embedded server and its file
//! host: a picture appears in half blocks beside the asset's fields, the file host never sees the
//! token, a second run draws it from the cache with no request, a terminal that never answers
//! the graphics question loses no key, kitty, sixel and iTerm2 carry the asset's picture to where
//! it belongs, and `preview` prints or writes the picture.

mod common;
mod look;

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
fn each_graphics_protocol_sends_the_assets_picture_into_the_detail_pane() {
    // No kitty, sixel or iTerm2 terminal here: what one would draw is decoded from the bytes the
    // app sent (kitty's RGBA chunks, the sixel image, iTerm2's PNG) and compared with the kept
    // picture; its place is read from the cursor move before it (kitty: its placeholders).
    for protocol in ["kitty", "sixel", "iterm2"] {
        let home = tempfile::tempdir().unwrap();
        // The demo keeps its pictures in a throwaway folder under TMPDIR.
        let tmp = home.path().to_str().unwrap();
        let mut tui = Tui::start(&["--demo", "--preview", protocol], &[("TMPDIR", tmp)], home.path());
        tui.wait_for_text("History (5)");
        tui.send("\t\r");
        tui.wait_for_text("fresh from the server");
        // At 120 × 36 the fields fill the pane and the picture's place is below them; a picture
        // of these protocols is drawn only once all of it is in view: the detail pane, its end.
        tui.send("\tG");
        let (at, sent) = wait_for_picture(&tui, protocol);
        let drawn = look::decode(protocol, &sent).unwrap_or_else(|e| panic!("{protocol}: {e}"));
        let kept = kept_picture(home.path());

        // The terminal's cell is guessed as 10 × 20 pixels when it does not say: the picture fits
        // the cells it was given, and keeps the kept picture's shape.
        let (w, h) = (drawn.width(), drawn.height());
        assert!(w >= 100 && h >= 60, "{protocol}: a {w}×{h} picture is too small to be the pane's");
        let (kw, kh) = (f64::from(kept.width()), f64::from(kept.height()));
        let shape = (f64::from(w) / f64::from(h)) / (kw / kh);
        assert!((0.9..1.1).contains(&shape), "{protocol}: {w}×{h} does not keep {kw}×{kh}'s shape");
        let difference = look::difference(&drawn, &kept);
        // Sixel quantises to a palette: 1.8 of 255 here; the same picture mirrored is 10.
        assert!(difference < 4.0, "{protocol}: the picture sent differs from the asset's ({difference:.1} of 255)");

        // In the detail pane, below the last of its text.
        let screen = tui.screen();
        let last_text = screen.lines().position(|l| l.contains("no task made this asset")).unwrap();
        let (row, left_of_it) = if protocol == "kitty" {
            // Kitty draws where its placeholder characters are, one per cell.
            let cells = screen.chars().filter(|c| *c == PLACEHOLDER).count();
            assert!(cells >= (w as usize / 10) * (h as usize / 20), "{protocol}: {cells} placeholder cells");
            let row = screen.lines().position(|l| l.contains(PLACEHOLDER)).unwrap();
            let line = screen.lines().nth(row).unwrap();
            (row, line[..line.find(PLACEHOLDER).unwrap()].to_string())
        } else {
            let line = screen.lines().nth(at.0).unwrap_or_default();
            (at.0, line.chars().take(at.1).collect())
        };
        assert!(row > last_text, "{protocol}: drawn on row {row}, not below the text (row {last_text})");
        assert_eq!(left_of_it.matches('│').count(), 3, "{protocol}: not in the detail pane: {left_of_it:?}");

        tui.send("?");
        tui.wait_for_text("this help");
        tui.send("\x1b");
        tui.send("\x03");
        assert!(tui.wait_exit(), "{protocol}: Ctrl-C exits cleanly");
    }
}

/// Kitty's stand-in character for a picture's cell (its unicode placeholder).
const PLACEHOLDER: char = '\u{10EEEE}';

/// The first picture sent (the terminal's queries are not pictures) and the 0-based row and
/// column the cursor was moved to just before it.
fn wait_for_picture(tui: &Tui, protocol: &str) -> ((usize, usize), Vec<u8>) {
    eventually("the picture sent", || look::find(protocol, &tui.raw_output()).is_some());
    look::find(protocol, &tui.raw_output()).unwrap()
}

/// The one picture in the demo's preview cache, as kept (after its header's three lines); it is
/// written beside the drawing, so it may land a moment later.
fn kept_picture(tmp: &std::path::Path) -> image::DynamicImage {
    let kept = || -> Option<Vec<u8>> {
        let demo = std::fs::read_dir(tmp).ok()?.filter_map(Result::ok).map(|e| e.path());
        let dir = demo.into_iter().find(|p| p.to_string_lossy().contains("runway-assets-demo-"))?;
        let files: Vec<_> = std::fs::read_dir(dir.join("cache/previews")).ok()?.filter_map(Result::ok).collect();
        let [file] = files.as_slice() else { return None };
        let bytes = std::fs::read(file.path()).ok()?;
        let body = bytes.splitn(4, |b| *b == b'\n').nth(3)?;
        image::load_from_memory(body).is_ok().then(|| body.to_vec())
    };
    eventually("the picture kept", || kept().is_some());
    image::load_from_memory(&kept().unwrap()).unwrap()
}
