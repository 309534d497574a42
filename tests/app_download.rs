//! `d` and the downloads' state in `App::update`: what `d` asks for (and refuses, with a
//! sentence), the status line's progress, what a finished or failed download says, and the quit
//! that asks once while downloads run.

use std::path::PathBuf;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use runway_assets::api::client::Fetched;
use runway_assets::api::{ApiError, Asset};
use runway_assets::app::{App, Effect, Msg, StartupNotes, StatusKind};
use runway_assets::download::{DownloadError, DownloadEvent, Outcome, Progress};

const ID: &str = "user:1-runwayml:me@example.com-asset:abc";

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now())
}

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))), now())
}

/// An app showing one asset (with `fields` as its JSON), focus on the detail.
fn showing(fields: serde_json::Value) -> App {
    let mut app = App::new((120, 36), now(), StartupNotes::default());
    app.update(Msg::Terminal(Event::Paste(ID.into())), now());
    let effects = key(&mut app, KeyCode::Enter);
    let request =
        effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None });
    let asset = Asset::from_value(fields.clone()).unwrap();
    let result = Box::new(Ok::<_, ApiError>(Fetched { asset, raw: fields }));
    app.update(Msg::Fetched { request: request.unwrap(), asset_id: ID.into(), result }, now());
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    app
}

fn status(app: &App) -> (StatusKind, String) {
    let s = app.status().expect("a status");
    (s.kind.clone(), s.text.clone())
}

fn clip() -> App {
    showing(serde_json::json!({
        "assetId": ID, "name": "clip", "url": "http://127.0.0.1:9/clip.mp4", "fileSize": 10_000_000,
        "fileExtStandardized": "mp4"
    }))
}

fn started_job(effects: &[Effect]) -> u64 {
    match effects {
        [Effect::Download { job, asset_id, asset }] => {
            assert_eq!(asset_id, ID);
            assert_eq!(asset.name.as_deref(), Some("clip"));
            *job
        }
        other => panic!("expected one download, got {other:?}"),
    }
}

#[test]
fn d_downloads_the_asset_shown_and_only_once_at_a_time() {
    let mut app = clip();
    let job = started_job(&key(&mut app, KeyCode::Char('d')));
    assert_eq!(app.downloads_line().unwrap(), "↓ clip 0 B of 10 MB");
    assert!(key(&mut app, KeyCode::Char('d')).is_empty());
    assert_eq!(status(&app), (StatusKind::Info, "clip is already downloading.".into()));
    app.update(
        Msg::Download(DownloadEvent::Started { job, file_name: "clip.mp4".into(), total: Some(10_000_000) }),
        now(),
    );
    let progress = Progress { job, received: 1_000_000, total: Some(10_000_000), bytes_per_sec: 1_000_000 };
    app.update(Msg::Download(DownloadEvent::Progress(vec![progress])), now());
    assert_eq!(app.downloads_line().unwrap(), "↓ clip.mp4 1 MB of 10 MB · 1 MB/s · 9 s left");
    let path = PathBuf::from("/home/me/Downloads/clip.mp4");
    let done = Ok(Outcome::Saved { path, bytes: 10_000_000 });
    app.update(Msg::Download(DownloadEvent::Done { job, outcome: done }), now());
    assert_eq!(app.downloads_line(), None);
    assert_eq!(status(&app), (StatusKind::Info, "Saved /home/me/Downloads/clip.mp4 (10 MB).".into()));
    // Done: it may be downloaded again (beside the first, as `clip (1).mp4`).
    assert_ne!(started_job(&key(&mut app, KeyCode::Char('d'))), job);
}

#[test]
fn a_failure_says_why_in_one_sentence() {
    let mut app = clip();
    let job = started_job(&key(&mut app, KeyCode::Char('d')));
    let outcome = Err(DownloadError::Host("the file host answered 404 Not Found".into()));
    app.update(Msg::Download(DownloadEvent::Done { job, outcome }), now());
    assert_eq!(
        status(&app),
        (StatusKind::Error, "Download of clip failed: the file host answered 404 Not Found.".into())
    );
    // A late answer for a download no longer running changes nothing.
    app.update(Msg::Download(DownloadEvent::Done { job, outcome: Err(DownloadError::Cancelled) }), now());
    assert_eq!(status(&app).1, "Download of clip failed: the file host answered 404 Not Found.");
    let no_token = Err(DownloadError::Lookup(ApiError::NoToken));
    let job = started_job(&key(&mut app, KeyCode::Char('d')));
    app.update(Msg::Download(DownloadEvent::Done { job, outcome: no_token }), now());
    assert!(status(&app).1.contains("USEAPI_TOKEN"), "says how to fix it: {}", status(&app).1);
}

#[test]
fn what_cannot_be_downloaded_is_refused_with_a_sentence() {
    let mut app = App::new((120, 36), now(), StartupNotes::default());
    key(&mut app, KeyCode::Tab);
    assert!(key(&mut app, KeyCode::Char('d')).is_empty());
    assert_eq!(status(&app), (StatusKind::Warning, "Nothing to download yet: open an asset first.".into()));

    let mut app = showing(serde_json::json!({ "name": "no url" }));
    assert!(key(&mut app, KeyCode::Char('d')).is_empty());
    assert_eq!(status(&app), (StatusKind::Error, "no url has no file URL, so there is nothing to download.".into()));
    for (url, why) in [
        ("file:///etc/passwd", "it is a file: URL, and only http and https URLs are used"),
        ("javascript:alert(1)", "it is a javascript: URL, and only http and https URLs are used"),
        ("/relative/x.mp4", "\"/relative/x.mp4\" is not a full web address"),
    ] {
        let mut app = showing(serde_json::json!({ "name": "x", "url": url }));
        assert!(key(&mut app, KeyCode::Char('d')).is_empty(), "{url}");
        assert_eq!(status(&app), (StatusKind::Error, format!("x was not downloaded: {why}.")));
    }
}

#[test]
fn d_in_the_input_is_text() {
    let mut app = clip();
    key(&mut app, KeyCode::Tab); // back to the input
    assert!(key(&mut app, KeyCode::Char('d')).is_empty());
    assert!(app.input().value().ends_with('d'));
}

#[test]
fn quitting_while_downloading_asks_once() {
    let mut app = clip();
    assert_eq!(key(&mut app, KeyCode::Char('d')).len(), 1);
    assert!(key(&mut app, KeyCode::Char('q')).is_empty(), "the first q asks");
    let (kind, text) = status(&app);
    assert_eq!(kind, StatusKind::Warning);
    assert_eq!(text, "A download is running: q again quits and cancels it; any other key goes on.");
    // Any other key goes on, and takes the question back.
    key(&mut app, KeyCode::Char('j'));
    assert!(app.status().is_none());
    assert!(ctrl(&mut app, 'c').is_empty(), "Ctrl-C asks too");
    assert_eq!(ctrl(&mut app, 'c'), vec![Effect::Quit]);
    let mut app = clip();
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('q'));
    assert_eq!(key(&mut app, KeyCode::Char('q')), vec![Effect::Quit], "q again quits");
    // With nothing running, q quits at once.
    assert_eq!(key(&mut clip(), KeyCode::Char('q')), vec![Effect::Quit]);
}

#[test]
fn several_downloads_show_the_first_and_count_the_rest() {
    let mut app = clip();
    started_job(&key(&mut app, KeyCode::Char('d')));
    // Another asset looked up and downloaded too.
    key(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    app.update(Msg::Terminal(Event::Paste("other-id".into())), now());
    let effects = key(&mut app, KeyCode::Enter);
    let request =
        effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None });
    let fields = serde_json::json!({ "name": "other", "url": "http://127.0.0.1:9/o" });
    let result =
        Box::new(Ok::<_, ApiError>(Fetched { asset: Asset::from_value(fields.clone()).unwrap(), raw: fields }));
    app.update(Msg::Fetched { request: request.unwrap(), asset_id: "other-id".into(), result }, now());
    key(&mut app, KeyCode::Tab);
    assert!(
        matches!(key(&mut app, KeyCode::Char('d')).as_slice(), [Effect::Download { asset_id, .. }] if asset_id == "other-id")
    );
    assert_eq!(app.downloads_line().unwrap(), "↓ clip 0 B of 10 MB (+1 more)");
    key(&mut app, KeyCode::Char('q'));
    assert!(status(&app).1.starts_with("2 downloads are running"), "{}", status(&app).1);
}
