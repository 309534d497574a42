//! `d` in the real binary, in a pseudo-terminal: a demo asset saved into --download-dir with
//! the saved path on the status line; and a download that never ends, shown as progress, which
//! the first q asks about, the second q cancels (its `.part` removed), and SIGTERM cleans too.

mod common;

use std::path::Path;

use common::{Tui, eventually, raw_host};
use runway_assets::demo::DemoServer;

fn names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    let mut v: Vec<String> = entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn d_saves_the_demo_asset_and_names_the_path() {
    let home = tempfile::tempdir().unwrap();
    let dl = home.path().join("dl");
    let dl_arg = dl.display().to_string();
    let mut tui = Tui::start(&["--demo", "--download-dir", &dl_arg], &[], home.path());
    tui.wait_for_text("History (");
    tui.send("\t\r");
    tui.wait_for_text("fresh from the server");
    tui.send("d");
    let screen = tui.wait_for_text("Saved /");
    assert!(screen.contains(&format!("Saved {}", dl.join("Race car.jpg").display())), "{screen}");
    assert_eq!(names(&dl), ["Race car.jpg"]);
    let bytes = std::fs::read(dl.join("Race car.jpg")).unwrap();
    assert_eq!(&bytes[..3], b"\xff\xd8\xff");
    // Again: beside it, never over it.
    tui.send("d");
    tui.wait_for_text(&format!("Saved {}", dl.join("Race car (1).jpg").display()));
    assert_eq!(names(&dl), ["Race car (1).jpg", "Race car.jpg"]);
    tui.send("q");
    assert!(tui.wait_exit(), "nothing running: q quits at once");
}

#[test]
fn the_demo_file_host_never_sees_the_token() {
    let home = tempfile::tempdir().unwrap();
    let server = DemoServer::start().unwrap();
    let dl = home.path().join("dl");
    let dl_arg = dl.display().to_string();
    let env = [("USEAPI_TOKEN", "user:9-e2eS3cret"), ("USEAPI_BASE_URL", &server.base_url() as &str)];
    let mut tui = Tui::start(&["--download-dir", &dl_arg], &env, home.path());
    tui.wait_for_text("No lookups yet");
    let (id, _) = runway_assets::demo::samples()[0];
    tui.send(id);
    tui.send("\r");
    tui.wait_for_text("fresh from the server");
    tui.send("\t");
    tui.send("d");
    tui.wait_for_text("Saved /");
    assert_eq!(server.file_requests_with_token(), 0);
    assert!(server.file_requests() >= 1);
    tui.send("\x03");
    assert!(tui.wait_exit());
}

/// An API whose every answer is an asset named "stalls" whose file never finishes.
fn stalling_api() -> String {
    let files = raw_host("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n".into(), vec![7; 250_000], true);
    let json = serde_json::json!({
        "assetId": "a", "name": "stalls", "url": format!("{files}/f"), "fileExtStandardized": "mp4",
        "fileSize": 1_000_000
    })
    .to_string();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        json.len()
    );
    raw_host(head, json.into_bytes(), false)
}

/// The app looking at the "stalls" asset with its download running.
fn downloading(home: &Path) -> Tui {
    let api = stalling_api();
    let dl_arg = home.join("dl").display().to_string();
    let env = [("USEAPI_TOKEN", "user:9-tok"), ("USEAPI_BASE_URL", api.as_str())];
    let mut tui = Tui::start(&["--download-dir", &dl_arg], &env, home);
    tui.wait_for_text("No lookups yet");
    tui.send("some-id\r");
    tui.wait_for_text("fresh from the server");
    tui.send("\td");
    let screen = tui.wait_for_text("↓ stalls.mp4 ");
    assert!(screen.contains(" of 1 MB"), "{screen}");
    eventually("the .part", || names(&home.join("dl")) == ["stalls.mp4.part"]);
    tui
}

#[test]
fn quitting_during_a_download_asks_then_cancels_it_and_removes_the_part() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = downloading(home.path());
    tui.send("q");
    tui.wait_for_text("q again quits and cancels it");
    assert!(tui.pid().is_some());
    tui.send("q");
    assert!(tui.wait_exit());
    assert!(names(&home.path().join("dl")).is_empty(), "{:?}", names(&home.path().join("dl")));
}

#[cfg(unix)]
#[test]
fn sigterm_during_a_download_removes_the_part() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = downloading(home.path());
    unsafe { libc::kill(tui.pid().unwrap() as i32, libc::SIGTERM) };
    tui.wait_exit();
    assert!(names(&home.path().join("dl")).is_empty(), "{:?}", names(&home.path().join("dl")));
}
