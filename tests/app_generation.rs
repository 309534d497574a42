//! The generation behind the asset on screen, driven through `App::update` as the event loop
//! drives it: a remembered finished task shows with no request, an unknown one is fetched at
//! once, a running one is polled only while shown, a gone task says so, a task ID typed in the
//! input opens the task, its files open with [ ] and Enter, and prompts narrow the lists.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use runway_assets::api::client::Fetched;
use runway_assets::api::{ApiError, Asset, FetchedTask, Task};
use runway_assets::app::{App, Effect, Load, Msg, StartupNotes};
use runway_assets::history::{HistoryRow, Loaded, RowList};
use serde_json::json;

const TASK: &str = "user:1-runwayml:me@example.com-task:9b2d7c4e-0000-4000-8000-000000000002";
const ASSET: &str = "user:1-runwayml:me@example.com-asset:6f1c2a8e-0000-4000-8000-000000000001";
const SIBLING: &str = "user:1-runwayml:me@example.com-asset:6f1c2a8e-0000-4000-8000-000000000009";

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

fn app() -> App {
    App::new((120, 40), now(), StartupNotes::default())
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now())
}

fn task_json(status: &str) -> serde_json::Value {
    json!({
        "taskId": TASK,
        "name": "Gen-3 Alpha 123456789, Slow motion zoom in, cat chasing dog",
        "taskType": "gen3a",
        "status": status,
        "progressRatio": "0.5",
        "options": { "text_prompt": "Slow motion zoom in, cat chasing dog", "seed": 123456789, "seconds": 5, "resolution": "720p" },
        "artifacts": [
            { "assetId": ASSET, "filename": "cat.mp4", "fileSize": "12345678" },
            { "assetId": SIBLING, "filename": "cat take 2.mp4", "fileSize": "2345678" }
        ]
    })
}

fn fetched_task(status: &str) -> Box<Result<FetchedTask, ApiError>> {
    Box::new(Ok(FetchedTask::from_value(&task_json(status)).unwrap()))
}

/// Looks the asset up (it names TASK) and answers the lookup; returns the effects of the answer.
fn open_asset(app: &mut App, task_id: Option<&str>) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Paste(ASSET.into())), now());
    let effects = key(app, KeyCode::Enter);
    let request =
        effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None });
    let mut raw =
        json!({ "assetId": ASSET, "name": "Gen-3 Alpha 123456789, Slow motion zoom in.mp4", "mediaType": "video" });
    match task_id {
        Some(t) => raw["taskId"] = json!(t),
        None => raw["isUserUpload"] = json!(true),
    }
    let fetched = Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw };
    app.update(Msg::Fetched { request: request.unwrap(), asset_id: ASSET.into(), result: Box::new(Ok(fetched)) }, now())
}

fn screen_text(app: &App) -> String {
    app.detail_lines()
        .iter()
        .map(|l| l.spans.iter().map(|(t, _)| t.as_str()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn fetch_task_request(effects: &[Effect]) -> Option<u64> {
    effects.iter().find_map(|e| if let Effect::FetchTask { request, .. } = e { Some(*request) } else { None })
}

#[test]
fn a_remembered_finished_task_shows_with_no_request() {
    let mut app = app();
    let effects = open_asset(&mut app, Some(TASK));
    assert!(effects.contains(&Effect::ReadCachedTask { task_id: TASK.into() }), "{effects:?}");
    assert!(fetch_task_request(&effects).is_none(), "the cache is asked first");
    let effects = app.update(
        Msg::CachedTask { task_id: TASK.into(), task: Task::from_value(task_json("SUCCEEDED")).ok().map(Box::new) },
        now(),
    );
    assert!(fetch_task_request(&effects).is_none(), "no request for a remembered finished task: {effects:?}");
    let text = screen_text(&app);
    assert!(text.contains("Slow motion zoom in, cat chasing dog"), "{text}");
    assert!(text.contains("Gen-3 Alpha (gen3a)"), "{text}");
    assert!(text.contains("123456789"), "{text}");
    assert!(text.contains("remembered"), "{text}");
}

#[test]
fn an_unknown_task_is_fetched_at_once_and_a_finished_one_is_remembered() {
    let mut app = app();
    open_asset(&mut app, Some(TASK));
    let effects = app.update(Msg::CachedTask { task_id: TASK.into(), task: None }, now());
    let request = fetch_task_request(&effects).expect("fetched as soon as the cache says no");
    assert!(screen_text(&app).contains("Fetching the task"));
    let effects = app.update(Msg::Task { request, result: fetched_task("SUCCEEDED") }, now());
    assert!(matches!(&effects[..], [Effect::StoreTask { task_id, .. }] if task_id == TASK), "{effects:?}");
    assert!(screen_text(&app).contains("SUCCEEDED"));
}

#[test]
fn a_running_task_is_polled_every_5_s_while_shown_and_not_after() {
    let mut app = app();
    open_asset(&mut app, Some(TASK));
    let request = fetch_task_request(&app.update(Msg::CachedTask { task_id: TASK.into(), task: None }, now())).unwrap();
    let effects = app.update(Msg::Task { request, result: fetched_task("RUNNING") }, now());
    let poll = match &effects[..] {
        [Effect::PollTaskAfter { request, delay }] => {
            assert_eq!(*delay, std::time::Duration::from_secs(5));
            *request
        }
        other => panic!("expected one poll timer, got {other:?}"),
    };
    assert!(screen_text(&app).contains("RUNNING 50%"), "{}", screen_text(&app));
    assert!(!app.is_loading(), "waiting for the next poll is not loading: no spinner, no wakeups");
    // The timer fires: one request.
    let effects = app.update(Msg::PollTask { request: poll }, now());
    let again = fetch_task_request(&effects).expect("polled");
    let effects = app.update(Msg::Task { request: again, result: fetched_task("RUNNING") }, now());
    let poll = match &effects[..] {
        [Effect::PollTaskAfter { request, .. }] => *request,
        other => panic!("{other:?}"),
    };
    // Leaving the asset cancels the timer; a late tick does nothing.
    let effects = app.update(Msg::Terminal(Event::Paste("x".into())), now());
    let _ = effects;
    let effects = key(&mut app, KeyCode::Enter);
    assert!(
        effects.contains(&Effect::Cancel { request: poll }),
        "the poll stops when the task leaves the screen: {effects:?}"
    );
    assert!(app.update(Msg::PollTask { request: poll }, now()).is_empty());
}

#[test]
fn a_gone_task_says_so_and_shows_the_name_as_the_best_known() {
    let mut app = app();
    open_asset(&mut app, Some(TASK));
    let request = fetch_task_request(&app.update(Msg::CachedTask { task_id: TASK.into(), task: None }, now())).unwrap();
    app.update(Msg::Task { request, result: Box::new(Err(ApiError::NotFound)) }, now());
    let text = screen_text(&app);
    assert!(text.contains("gone (404)"), "{text}");
    assert!(text.contains("Best known"), "{text}");
    assert!(text.contains("Slow motion zoom in.mp4"), "the asset's fields stay: {text}");
}

#[test]
fn another_failure_has_its_sentence_and_r_in_the_detail_retries() {
    let mut app = app();
    open_asset(&mut app, Some(TASK));
    let request = fetch_task_request(&app.update(Msg::CachedTask { task_id: TASK.into(), task: None }, now())).unwrap();
    app.update(Msg::Task { request, result: Box::new(Err(ApiError::Unauthorized)) }, now());
    assert!(screen_text(&app).contains("401"));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab); // input → list → detail
    let effects = key(&mut app, KeyCode::Char('r'));
    assert!(fetch_task_request(&effects).is_some(), "{effects:?}");
}

#[test]
fn an_upload_says_it_was_uploaded_not_generated() {
    let mut app = app();
    let effects = open_asset(&mut app, None);
    assert!(!effects.iter().any(|e| matches!(e, Effect::ReadCachedTask { .. } | Effect::FetchTask { .. })));
    assert!(screen_text(&app).contains("Uploaded, not generated"));
}

#[test]
fn a_task_id_in_the_input_opens_the_task_and_its_files_open_with_enter() {
    let mut app = app();
    app.update(Msg::Terminal(Event::Paste(format!("  {TASK} "))), now());
    let effects = key(&mut app, KeyCode::Enter);
    assert!(effects.contains(&Effect::ReadCachedTask { task_id: TASK.into() }), "{effects:?}");
    assert_eq!(app.detail().task_only(), Some(TASK));
    let request = fetch_task_request(&app.update(Msg::CachedTask { task_id: TASK.into(), task: None }, now())).unwrap();
    app.update(Msg::Task { request, result: fetched_task("SUCCEEDED") }, now());
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char(']'));
    key(&mut app, KeyCode::Char(']'));
    assert!(screen_text(&app).contains("▶ cat take 2.mp4"), "{}", screen_text(&app));
    let effects = key(&mut app, KeyCode::Enter);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Fetch { asset_id, .. } if asset_id == SIBLING)),
        "Enter opens the chosen file: {effects:?}"
    );
}

#[test]
fn typing_a_word_of_a_prompt_finds_the_asset_in_history() {
    let mut app = app();
    let rows =
        [("id-1", "clip one.mp4"), (ASSET, "untitled.mp4"), ("id-3", "clip three.mp4")].map(|(id, name)| HistoryRow {
            asset_id: id.into(),
            name: Some(name.into()),
            media_type: Some("video".into()),
            looked_up_at: now(),
            offset: 0,
        });
    let loaded = Loaded { rows: RowList::from_newest_first(rows), skipped_lines: 0, moved_aside: None, lines: 3 };
    app.update(Msg::HistoryLoaded(Ok(loaded)), now());
    app.update(Msg::KnownPrompts(vec![(ASSET.into(), "A CAT chasing a dog".into())]), now());
    for c in "chasing".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    app.update(Msg::Settle, now());
    assert_eq!(app.history().visible_len(), 1);
    assert_eq!(app.history().selected_row().unwrap().asset_id, ASSET);
    assert!(matches!(app.detail().state(), Load::Idle));
}
