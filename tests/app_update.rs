//! State transitions of `App::update`, driven by messages as the event loop drives them: stale
//! answers are dropped, Esc cancels, reopening shows the stored copy then the fresh one, the
//! mouse selects rows, and the input filters the history.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use jiff::Timestamp;
use runway_assets::api::client::Fetched;
use runway_assets::api::{ApiError, Asset};
use runway_assets::app::{App, Effect, Focus, Load, Msg, Shown, Source, StartupNotes};
use runway_assets::history::{HistoryEntry, HistoryRow, Loaded, RowList};

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

fn new_app(width: u16, height: u16) -> App {
    App::new((width, height), now(), StartupNotes::default())
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now())
}

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))), now())
}

/// Replaces the input with `text` and presses Enter, as a person pasting an ID does.
fn submit(app: &mut App, text: &str) -> Vec<Effect> {
    ctrl(app, 'u');
    app.update(Msg::Terminal(Event::Paste(text.into())), now());
    key(app, KeyCode::Enter)
}

fn settle(app: &mut App) {
    app.update(Msg::Settle, now());
}

fn shown(app: &App) -> &Shown {
    match app.detail().state() {
        Load::Loaded(shown) => shown,
        other => panic!("expected an asset on screen, got {other:?}"),
    }
}

fn loading(app: &App, id: &str) -> bool {
    app.detail().state().is_loading() && app.detail().asset_id() == Some(id)
}

fn fetched(name: &str) -> Box<Result<Fetched, ApiError>> {
    let raw = serde_json::json!({ "name": name, "mediaType": "image" });
    Box::new(Ok(Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw }))
}

fn fetch_request(effects: &[Effect]) -> u64 {
    effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None }).unwrap()
}

fn row(id: &str, name: &str, offset: u64) -> HistoryRow {
    HistoryRow {
        asset_id: id.into(),
        name: Some(name.into()),
        media_type: Some("video".into()),
        looked_up_at: now(),
        offset,
    }
}

fn with_rows(app: &mut App, names: &[&str]) {
    let rows = names.iter().enumerate().map(|(i, n)| row(&format!("id-{n}"), n, i as u64));
    let loaded =
        Loaded { rows: RowList::from_newest_first(rows), skipped_lines: 0, moved_aside: None, lines: names.len() };
    app.update(Msg::HistoryLoaded(Ok(loaded)), now());
}

#[test]
fn a_superseded_lookups_late_answer_is_dropped() {
    let mut app = new_app(100, 30);
    let first = fetch_request(&submit(&mut app, "first"));
    let effects = submit(&mut app, "second");
    assert!(effects.contains(&Effect::Cancel { request: first }), "the older lookup is cancelled");
    let second = fetch_request(&effects);
    app.update(Msg::Fetched { request: first, asset_id: "first".into(), result: fetched("old") }, now());
    assert!(loading(&app, "second"));
    let effects =
        app.update(Msg::Fetched { request: second, asset_id: "second".into(), result: fetched("new") }, now());
    assert_eq!(shown(&app).asset.name.as_deref(), Some("new"));
    assert!(matches!(&effects[..], [Effect::Record(entry)] if entry.asset_id == "second"));
    assert!(!app.is_loading());
}

#[test]
fn esc_cancels_the_lookup_in_flight_and_says_so() {
    let mut app = new_app(100, 30);
    let request = fetch_request(&submit(&mut app, "slow"));
    assert_eq!(key(&mut app, KeyCode::Esc), vec![Effect::Cancel { request }]);
    assert!(!app.is_loading());
    assert_eq!(app.detail().state(), &Load::Failed(ApiError::Cancelled));
    assert!(app.status().unwrap().text.contains("Stopped"));
}

#[test]
fn empty_input_sends_nothing() {
    let mut app = new_app(100, 30);
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert!(submit(&mut app, "   \t ").is_empty());
    assert!(!app.is_loading());
}

#[test]
fn reopening_shows_the_stored_copy_then_the_fresh_one() {
    let mut app = new_app(100, 30);
    with_rows(&mut app, &["clip"]);
    key(&mut app, KeyCode::Tab);
    let effects = key(&mut app, KeyCode::Enter);
    let request = fetch_request(&effects);
    assert!(effects.iter().any(|e| matches!(e, Effect::ReadSnapshot { row, .. } if row.asset_id == "id-clip")));
    let stored_at: Timestamp = "2026-11-26T12:00:00Z".parse().unwrap();
    let entry = HistoryEntry {
        asset_id: "id-clip".into(),
        looked_up_at: stored_at,
        asset: serde_json::json!({ "name": "clip (stored)" }),
    };
    app.update(Msg::Snapshot { request, result: Ok(entry) }, now());
    let stored = shown(&app);
    assert_eq!(stored.asset.name.as_deref(), Some("clip (stored)"));
    assert_eq!(stored.source, Source::Stored { looked_up_at: stored_at });
    assert!(stored.refreshing);
    assert_eq!(stored.raw, serde_json::json!({ "name": "clip (stored)" }), "the JSON is kept as received");
    app.update(Msg::Fetched { request, asset_id: "id-clip".into(), result: fetched("clip (fresh)") }, now());
    assert_eq!(shown(&app).source, Source::Fresh);
    assert_eq!(shown(&app).asset.name.as_deref(), Some("clip (fresh)"));
}

#[test]
fn a_failed_refresh_keeps_the_stored_copy_and_says_why() {
    let mut app = new_app(100, 30);
    with_rows(&mut app, &["clip"]);
    key(&mut app, KeyCode::Tab);
    let request = fetch_request(&key(&mut app, KeyCode::Enter));
    let entry =
        HistoryEntry { asset_id: "id-clip".into(), looked_up_at: now(), asset: serde_json::json!({ "name": "clip" }) };
    app.update(Msg::Snapshot { request, result: Ok(entry) }, now());
    app.update(Msg::Fetched { request, asset_id: "id-clip".into(), result: Box::new(Err(ApiError::NotFound)) }, now());
    assert!(shown(&app).note.as_deref().is_some_and(|note| note.contains("404")));
    assert!(!shown(&app).refreshing);
}

#[test]
fn clicking_a_history_row_selects_it() {
    let mut app = new_app(120, 36);
    with_rows(&mut app, &["a", "b", "c"]);
    let rows = app.layout().list_rows();
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: rows.x + 3,
        row: rows.y + 2, // the third row
        modifiers: KeyModifiers::NONE,
    };
    app.update(Msg::Terminal(Event::Mouse(click)), now());
    assert_eq!(app.focus(), Focus::List);
    assert_eq!(app.history().selected_row().unwrap().asset_id, "id-c");
}

#[test]
fn typing_filters_the_history_once_per_frame() {
    let mut app = new_app(120, 36);
    with_rows(&mut app, &["Race car.jpg", "Drone shot.mp4", "race day.mp4"]);
    for c in "RACE".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    assert_eq!(app.history().visible_len(), 3, "not yet: the filter follows the input when the frame is drawn");
    settle(&mut app);
    assert_eq!(app.history().visible_len(), 2);
    ctrl(&mut app, 'u');
    settle(&mut app);
    assert_eq!(app.history().visible_len(), 3, "Ctrl-U clears the input and the filter");
}

#[test]
fn pasted_text_becomes_one_clean_line() {
    let mut app = new_app(120, 36);
    app.update(Msg::Terminal(Event::Paste(" user:1\n-asset:\u{1b}[31mx\t ".into())), now());
    assert_eq!(app.input().value(), " user:1 -asset:[31mx  ");
    app.update(Msg::Terminal(Event::Paste("y".repeat(10_000))), now());
    assert_eq!(app.input().value().chars().count(), runway_assets::app::MAX_INPUT_CHARS);
}

#[test]
fn recorded_rows_go_on_top_and_survive_the_full_load() {
    let mut app = new_app(120, 36);
    app.update(Msg::Recorded(Ok(row("id-new", "new", 99))), now());
    with_rows(&mut app, &["old1", "old2"]);
    let ids: Vec<_> = app.history().rows().iter().map(|r| r.asset_id).collect();
    assert_eq!(ids, ["id-new", "id-old1", "id-old2"]);
}

#[test]
fn the_stored_copy_still_shows_when_the_refresh_fails_before_the_disk_answers() {
    let mut app = new_app(100, 30);
    with_rows(&mut app, &["clip"]);
    key(&mut app, KeyCode::Tab);
    let request = fetch_request(&key(&mut app, KeyCode::Enter));
    app.update(Msg::Fetched { request, asset_id: "id-clip".into(), result: Box::new(Err(ApiError::NotFound)) }, now());
    let entry =
        HistoryEntry { asset_id: "id-clip".into(), looked_up_at: now(), asset: serde_json::json!({ "name": "clip" }) };
    app.update(Msg::Snapshot { request, result: Ok(entry.clone()) }, now());
    assert!(matches!(shown(&app).source, Source::Stored { .. }));
    assert!(shown(&app).note.as_deref().is_some_and(|note| note.contains("404")));
    assert!(!shown(&app).refreshing);
    // A snapshot for an older lookup never replaces what a newer one shows.
    let newer = fetch_request(&submit(&mut app, "other"));
    app.update(Msg::Snapshot { request, result: Ok(entry) }, now());
    assert!(loading(&app, "other"), "{newer}");
}
