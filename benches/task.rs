//! `cargo bench --bench task`: reading a task answer with 1,000 artifacts (the target:
//! ≤ 2 ms), from bytes to a `Task` (the JSON parse included), the accessors the detail pane
//! and the command line call on it, and narrowing 100,000 History rows by prompt (≤ 16 ms).

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use divan::Bencher;
use jiff::Timestamp;
use runway_assets::api::Task;
use runway_assets::app::{App, Msg, StartupNotes};
use runway_assets::history::{HistoryRow, Loaded, RowList};
use serde_json::{Value, json};

fn main() {
    divan::main();
}

/// A finished task shaped as useapi.net sends it, with `n` artifacts in the older metadata shape.
fn task_body(n: usize) -> Vec<u8> {
    let task_id = "user:1000000001-runwayml:demo@example.com-task:9b2d7c4e-0000-4000-8000-000000000002";
    let artifacts: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "assetId": format!("user:1000000001-runwayml:demo@example.com-asset:6f1c2a8e-0000-4000-8000-{i:012}"),
                "id": format!("6f1c2a8e-0000-4000-8000-{i:012}"), "createdAt": "2024-08-01T01:02:03.456Z",
                "updatedAt": "2024-08-01T01:02:03.456Z", "userId": 1234567, "createdBy": 1234567, "taskId": task_id,
                "parentAssetGroupId": "0d3c1f7a-0000-4000-8000-0000000000aa",
                "filename": format!("Gen-3 Alpha 123456789, Slow motion zoom in, cat chasing dog {i}"),
                "url": format!("https://example.cloudfront.net/{i}/asset.mp4?_jwt=redacted"), "fileSize": "12345678",
                "isDirectory": false, "previewUrls": [format!("https://example.cloudfront.net/{i}/preview.jpg?_jwt=redacted")],
                "private": true, "privateInTeam": true, "deleted": false, "reported": false,
                "metadata": {"frameRate": 24, "duration": 5.209, "dimensions": [1280, 768], "size": {"width": 1280, "height": 768}},
                "favorite": false
            })
        })
        .collect();
    let name = "Gen-3 Alpha 123456789, Slow motion zoom in, cat chasing dog in the kitchen";
    serde_json::to_vec(&json!({
        "taskId": task_id, "id": "9b2d7c4e-0000-4000-8000-000000000002", "name": name, "image": null,
        "createdAt": "2024-08-01T01:02:03.456Z", "updatedAt": "2024-08-01T01:02:03.456Z", "taskType": "gen3a",
        "options": {"name": name, "seconds": 5, "text_prompt": "Slow motion zoom in, cat chasing dog in the kitchen",
            "seed": 123456789, "exploreMode": true, "watermark": false, "enhance_prompt": false,
            "init_image": "https://example.cloudfront.net/init.jpg?_jwt=redacted", "resolution": "720p",
            "assetGroupName": "Generative Video", "recordingEnabled": true},
        "status": "SUCCEEDED", "error": null, "progressText": null, "progressRatio": "1",
        "estimatedTimeToStartSeconds": null, "artifacts": artifacts, "sharedAsset": null
    }))
    .unwrap_or_default()
}

/// Bytes → `serde_json::Value` → `Task`: how `get_task` read a task before `task_wire` (kept
/// for comparison).
#[divan::bench(args = [1, 1_000])]
fn parse_task_through_a_value(bencher: Bencher, artifacts: usize) {
    let body = task_body(artifacts);
    bencher.counter(divan::counter::BytesCount::new(body.len())).bench(|| {
        let raw: Value = serde_json::from_slice(divan::black_box(&body)).unwrap_or(Value::Null);
        Task::from_ref(&raw).map(|task| (task, raw))
    });
}

/// Bytes → `Task` plus the text kept as received, as `get_task` does now
/// (`FetchedTask::from_body`: the UTF-8 check, the reader that skips what it does not keep; the
/// answer's bytes are kept as its text, so each run gets its own copy, made outside the timing
/// as the network read makes it).
#[divan::bench(args = [1, 1_000])]
fn parse_task(bencher: Bencher, artifacts: usize) {
    let body = task_body(artifacts);
    bencher
        .counter(divan::counter::BytesCount::new(body.len()))
        .with_inputs(|| body.clone())
        .bench_values(runway_assets::api::FetchedTask::from_body);
}

/// The reader alone: `parse_task` without the UTF-8 check and the copy of the text.
#[divan::bench(args = [1_000])]
fn read_task_only(bencher: Bencher, artifacts: usize) {
    let body = task_body(artifacts);
    bencher.bench(|| Task::from_json(divan::black_box(&body)));
}

/// The floor for any reader: serde_json walking the whole answer and keeping nothing.
#[divan::bench(args = [1_000])]
fn skim_only(bencher: Bencher, artifacts: usize) {
    let body = task_body(artifacts);
    bencher.bench(|| serde_json::from_slice::<serde::de::IgnoredAny>(divan::black_box(&body)).is_ok());
}

/// Keeping the answer as received without a `Value`: a validated `RawValue`.
#[divan::bench(args = [1_000])]
fn keep_as_raw_value(bencher: Bencher, artifacts: usize) {
    let body = task_body(artifacts);
    bencher.bench(|| serde_json::from_slice::<Box<serde_json::value::RawValue>>(divan::black_box(&body)).is_ok());
}

/// The accessors the Generation section calls on each draw.
#[divan::bench]
fn summary_accessors(bencher: Bencher) {
    let raw: Value = serde_json::from_slice(&task_body(1_000)).unwrap_or(Value::Null);
    let task = Task::from_ref(&raw).unwrap_or_default();
    bencher.bench(|| {
        let t = divan::black_box(&task);
        (t.prompt().map(str::len), t.seed(), t.model_label(), t.option_pairs().len(), t.is_finished())
    });
}

/// `Task` from a `Value` already parsed: the model's own share of `parse_task`.
#[divan::bench(args = [1_000])]
fn task_from_value(bencher: Bencher, artifacts: usize) {
    let raw: Value = serde_json::from_slice(&task_body(artifacts)).unwrap_or(Value::Null);
    bencher.bench(|| Task::from_ref(divan::black_box(&raw)));
}

/// Bytes to `serde_json::Value` only: the JSON parse's share of `parse_task`.
#[divan::bench(args = [1_000])]
fn json_only(bencher: Bencher, artifacts: usize) {
    let body = task_body(artifacts);
    bencher.bench(|| serde_json::from_slice::<Value>(divan::black_box(&body)).map(|v| v.is_object()));
}

const PROMPT_WORDS: &[&str] = &[
    "slow",
    "motion",
    "zoom",
    "cat",
    "chasing",
    "dog",
    "kitchen",
    "drone",
    "coastline",
    "sunset",
    "neon",
    "city",
    "rain",
    "portrait",
    "forest",
    "fog",
    "macro",
    "dew",
    "spider",
    "web",
    "desert",
    "caravan",
    "storm",
    "lighthouse",
];

/// An app whose History holds `n` rows, every one with a known prompt of a dozen words.
fn app_with_prompts(n: usize) -> App {
    let now = Timestamp::from_second(1_800_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
    let mut app = App::new((120, 40), now, StartupNotes::default());
    let id = |i: usize| format!("user:1000000001-runwayml:demo@example.com-asset:6f1c2a8e-0000-4000-8000-{i:012}");
    let rows: Vec<HistoryRow> = (0..n)
        .map(|i| HistoryRow {
            asset_id: id(i),
            name: Some(format!("Gen-4 Turbo {i}, clip {i}.mp4")),
            media_type: Some("video".into()),
            looked_up_at: now,
            offset: 0,
        })
        .collect();
    let loaded = Loaded { rows: RowList::from_newest_first(rows), skipped_lines: 0, moved_aside: None, lines: n };
    app.update(Msg::HistoryLoaded(Ok(loaded)), now);
    let prompts = (0..n)
        .map(|i| {
            let words: Vec<&str> = (0..12).map(|k| PROMPT_WORDS[(i * 7 + k * 13) % PROMPT_WORDS.len()]).collect();
            (id(i), format!("{} take {i}", words.join(" ")))
        })
        .collect();
    app.update(Msg::KnownPrompts(prompts), now);
    app
}

/// Typing a query that matches by prompt only, over 100,000 History rows with a prompt each:
/// the paste, the filter applied before the next frame (`Settle`), and clearing it again (so
/// each iteration is two filterings: the figure is an upper bound for one).
#[divan::bench(sample_count = 20)]
fn filter_100_000_history_rows_by_prompt(bencher: Bencher) {
    let mut app = app_with_prompts(100_000);
    let now = Timestamp::from_second(1_800_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
    let clear = || Msg::Terminal(Event::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    bencher.bench_local(|| {
        app.update(Msg::Terminal(Event::Paste("lighthouse take 4242".into())), now);
        app.update(Msg::Settle, now);
        let found = app.history().visible_len();
        app.update(clear(), now);
        app.update(Msg::Settle, now);
        found
    });
}

/// The prompt search alone: which of 100,000 known prompts contain the query.
#[divan::bench(sample_count = 20)]
fn prompt_matches_among_100_000(bencher: Bencher) {
    let mut prompts = runway_assets::app::PromptIndex::default();
    for i in 0..100_000usize {
        let words: Vec<&str> = (0..12).map(|k| PROMPT_WORDS[(i * 7 + k * 13) % PROMPT_WORDS.len()]).collect();
        prompts.insert(&format!("asset-{i}"), &format!("{} take {i}", words.join(" ")));
    }
    bencher.bench(|| prompts.matching(divan::black_box("lighthouse take 4242")).len());
}

/// A remembered finished task shown with the asset, as the event loop does it within one frame:
/// the cache file read and parsed on the UI thread (`Effect::ReadCachedTask`), the message
/// handled, and the frame drawn. With 1 and 1,000 artifacts.
#[divan::bench(args = [1, 1_000], sample_count = 30)]
fn remembered_task_to_frame(bencher: Bencher, artifacts: usize) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use runway_assets::api::client::Fetched;
    use runway_assets::cache::TaskCache;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cache = TaskCache::new(dir.path().join("tasks"));
    let body = task_body(artifacts);
    let raw: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let task_id = raw["taskId"].as_str().unwrap_or_default().to_owned();
    let _ = cache.store(&task_id, &String::from_utf8_lossy(&body));
    let now = Timestamp::from_second(1_800_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
    let asset_id = raw["artifacts"][0]["assetId"].as_str().unwrap_or_default().to_owned();
    let asset = json!({ "assetId": asset_id, "name": "Gen-3 Alpha 123456789, Slow motion zoom in.mp4",
        "mediaType": "video", "taskId": task_id });
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap_or_else(|e| panic!("{e}"));
    bencher
        .with_inputs(|| {
            let mut app = App::new((120, 40), now, StartupNotes::default());
            app.update(Msg::Terminal(Event::Paste(asset_id.clone())), now);
            let effects = app.update(Msg::Terminal(Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))), now);
            let request = effects.iter().find_map(|e| match e {
                runway_assets::app::Effect::Fetch { request, .. } => Some(*request),
                _ => None,
            });
            let fetched = Fetched {
                asset: runway_assets::api::Asset::from_value(asset.clone()).unwrap_or_default(),
                raw: asset.clone(),
            };
            if let Some(request) = request {
                app.update(Msg::Fetched { request, asset_id: asset_id.clone(), result: Box::new(Ok(fetched)) }, now);
            }
            app
        })
        .bench_local_values(|mut app| {
            let task = cache.load_task(&task_id).ok().flatten().map(Box::new);
            app.update(Msg::CachedTask { task_id: task_id.clone(), task }, now);
            app.update(Msg::Settle, now);
            let _ = terminal.draw(|f| runway_assets::ui::draw(f, &app));
            app
        });
}
