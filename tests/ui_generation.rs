//! The Generation section on screen, pinned with snapshots: one for each state a person can
//! meet (fetching, remembered, running with progress, failed with its error, gone, another
//! failure with its retry key, an upload, no prompt, a task opened by its ID, and a task with
//! more files than the section shows). Driven through `App::update` as the event loop drives it.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runway_assets::api::client::Fetched;
use runway_assets::api::{ApiError, Asset, FetchedTask, Task};
use runway_assets::app::{App, Effect, Msg, StartupNotes};
use runway_assets::history::{Loaded, RowList};
use runway_assets::ui;
use serde_json::{Value, json};

const TASK: &str = "user:1-runwayml:me@example.com-task:9b2d7c4e-0000-4000-8000-000000000002";
const ASSET: &str = "user:1-runwayml:me@example.com-asset:6f1c2a8e-0000-4000-8000-000000000001";

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

fn render(app: &mut App) -> String {
    app.update(Msg::Settle, now());
    let (w, h) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now())
}

fn new_app() -> App {
    let mut app = App::new((110, 40), now(), StartupNotes::default());
    let empty = Loaded { rows: RowList::from_newest_first([]), skipped_lines: 0, moved_aside: None, lines: 0 };
    app.update(Msg::HistoryLoaded(Ok(empty)), now());
    app
}

fn task_json(status: &str) -> Value {
    json!({
        "taskId": TASK,
        "name": "Gen-3 Alpha 123456789, Slow motion zoom in, cat chasing dog",
        "taskType": "gen3a",
        "status": status,
        "createdAt": "2026-11-26T09:15:00.000Z",
        "progressRatio": "0.42",
        "options": {
            "text_prompt": "Slow motion zoom in, cat chasing dog through a sunlit kitchen, flour in the air, shallow depth of field",
            "seed": 123456789, "seconds": 5, "resolution": "720p", "exploreMode": true
        },
        "artifacts": [
            { "assetId": ASSET, "filename": "cat.mp4", "fileSize": "12345678",
              "metadata": { "dimensions": [1280, 768], "duration": 5.2 } },
            { "assetId": "user:1-runwayml:me@example.com-asset:6f1c2a8e-0000-4000-8000-000000000009",
              "filename": "cat take 2.mp4", "fileSize": "2345678" }
        ]
    })
}

fn fetched(raw: Value) -> Box<Result<FetchedTask, ApiError>> {
    Box::new(Ok(FetchedTask::from_value(&raw).unwrap()))
}

/// Looks the asset up and answers it; `task_id: None` makes it an upload.
fn open_asset(app: &mut App, task_id: Option<&str>) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Paste(ASSET.into())), now());
    let effects = key(app, KeyCode::Enter);
    let request =
        effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None });
    let mut raw = json!({
        "assetId": ASSET, "name": "Gen-3 Alpha 123456789, Slow motion zoom in.mp4", "mediaType": "video",
        "fileSize": 12345678, "metadata": { "width": 1280, "height": 768, "duration": 5.2, "frameRate": 24 }
    });
    match task_id {
        Some(t) => raw["taskId"] = json!(t),
        None => raw["isUserUpload"] = json!(true),
    }
    let fetched = Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw };
    app.update(Msg::Fetched { request: request.unwrap(), asset_id: ASSET.into(), result: Box::new(Ok(fetched)) }, now())
}

/// The asset opened and its task requested (nothing remembered); returns the request.
fn asking(app: &mut App) -> u64 {
    open_asset(app, Some(TASK));
    let effects = app.update(Msg::CachedTask { task_id: TASK.into(), task: None }, now());
    effects.iter().find_map(|e| if let Effect::FetchTask { request, .. } = e { Some(*request) } else { None }).unwrap()
}

#[test]
fn fetching_the_task_under_the_fields() {
    let mut app = new_app();
    asking(&mut app);
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn a_remembered_finished_task() {
    let mut app = new_app();
    open_asset(&mut app, Some(TASK));
    app.update(
        Msg::CachedTask { task_id: TASK.into(), task: Task::from_value(task_json("SUCCEEDED")).ok().map(Box::new) },
        now(),
    );
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn a_running_task_with_its_progress() {
    let mut app = new_app();
    let request = asking(&mut app);
    app.update(Msg::Task { request, result: fetched(task_json("RUNNING")) }, now());
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn a_failed_task_with_its_error() {
    let mut app = new_app();
    let request = asking(&mut app);
    let mut raw = task_json("FAILED");
    raw["error"] = json!({ "errorMessage": "The prompt was flagged by content moderation.", "reason": "SAFETY" });
    raw["artifacts"] = json!([]);
    app.update(Msg::Task { request, result: fetched(raw) }, now());
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn a_gone_task_shows_the_name_as_the_best_known() {
    let mut app = new_app();
    let request = asking(&mut app);
    app.update(Msg::Task { request, result: Box::new(Err(ApiError::NotFound)) }, now());
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn another_failure_with_its_retry_key() {
    let mut app = new_app();
    let request = asking(&mut app);
    let error = ApiError::Server { status: 503, message: "Service Unavailable".into() };
    app.update(Msg::Task { request, result: Box::new(Err(error)) }, now());
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn an_upload_was_not_generated() {
    let mut app = new_app();
    open_asset(&mut app, None);
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn an_act_two_task_has_no_prompt() {
    let mut app = new_app();
    let request = asking(&mut app);
    let raw = json!({
        "taskId": TASK, "name": "Act-Two 987654, Performance", "taskType": "act_two", "status": "SUCCEEDED",
        "options": { "seed": 987654, "character": { "type": "video", "url": "https://cdn.example/c.mp4?_jwt=secret" } },
        "artifacts": [{ "assetId": ASSET, "filename": "performance.mp4", "fileSize": "3456789" }]
    });
    app.update(Msg::Task { request, result: fetched(raw) }, now());
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn a_task_opened_by_its_id() {
    let mut app = new_app();
    app.update(Msg::Terminal(Event::Paste(TASK.into())), now());
    key(&mut app, KeyCode::Enter);
    app.update(
        Msg::CachedTask { task_id: TASK.into(), task: Task::from_value(task_json("SUCCEEDED")).ok().map(Box::new) },
        now(),
    );
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn more_files_than_the_section_shows() {
    let mut app = new_app();
    let request = asking(&mut app);
    let mut raw = task_json("SUCCEEDED");
    let many: Vec<Value> = (0..10_000)
        .map(|i| json!({ "assetId": format!("user:1-runwayml:me@example.com-asset:{i:06}"), "filename": format!("take {i}.mp4") }))
        .collect();
    raw["artifacts"] = json!(many);
    app.update(Msg::Task { request, result: fetched(raw) }, now());
    // Scroll to the end of the detail to see the bound and the count of the rest.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::End);
    insta::assert_snapshot!(render(&mut app));
}
