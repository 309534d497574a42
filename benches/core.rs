//! `cargo bench`: the costs that decide how the app feels. Model parsing, loading history at
//! 100 / 10,000 / 100,000 entries (all of it, and just the newest rows for the first frame),
//! appending one lookup, filtering 100,000 rows, and drawing a full 120×40 frame.

use std::path::PathBuf;

use divan::Bencher;
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runway_assets::api::Asset;
use runway_assets::api::client::Fetched;
use runway_assets::app::{App, Effect, Msg};
use runway_assets::demo;
use runway_assets::history::{HistoryEntry, HistoryStore};

fn main() {
    divan::main();
}

fn sample(json_part: &str) -> &'static str {
    demo::samples().into_iter().find(|(_, j)| j.contains(json_part)).map(|(_, j)| j).unwrap_or("{}")
}

#[divan::bench(args = ["\"image\"", "\"dimensions\"", "hasAlphaChannel", "\"12345678\""])]
fn parse_asset(bencher: Bencher, which: &str) {
    let json = sample(which).as_bytes();
    bencher.bench(|| Asset::from_json(divan::black_box(json)));
}

/// An asset ID shaped like the real ones, with a UUID that varies like a random one.
fn bench_id(i: usize) -> String {
    let spread = (i as u32).wrapping_mul(2_654_435_761);
    format!("user:1-runwayml:me@example.com-asset:{spread:08x}-0000-4000-8000-{i:012x}")
}

/// A history file of `n` distinct lookups, built once per size.
fn history_of(n: usize) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.jsonl");
    let base: serde_json::Value = serde_json::from_str(sample("\"dimensions\"")).unwrap();
    let entries: Vec<HistoryEntry> = (0..n)
        .map(|i| {
            let id = bench_id(i);
            let mut asset = base.clone();
            asset["assetId"] = id.clone().into();
            asset["name"] = format!("Asset number {i} on a wet track.mp4").into();
            HistoryEntry {
                asset_id: id,
                looked_up_at: Timestamp::from_second(1_790_000_000 + i as i64).unwrap(),
                asset,
            }
        })
        .collect();
    let store = HistoryStore::new(path.clone());
    for chunk in entries.chunks(10_000) {
        store.append_all(chunk).unwrap();
    }
    (dir, path)
}

#[divan::bench(args = [100, 10_000, 100_000], sample_count = 10)]
fn history_load_all(bencher: Bencher, n: usize) {
    let (_dir, path) = history_of(n);
    let store = HistoryStore::new(path);
    bencher.bench(|| store.load().unwrap().rows.len());
}

#[divan::bench(args = [100, 10_000, 100_000], sample_count = 20)]
fn history_load_newest_screenful(bencher: Bencher, n: usize) {
    let (_dir, path) = history_of(n);
    let store = HistoryStore::new(path);
    bencher.bench(|| store.load_recent(200).unwrap().len());
}

#[divan::bench(sample_count = 50)]
fn history_append_one(bencher: Bencher) {
    let (_dir, path) = history_of(100);
    let store = HistoryStore::new(path);
    let asset: serde_json::Value = serde_json::from_str(sample("\"dimensions\"")).unwrap();
    bencher.bench(|| {
        let entry = HistoryEntry {
            asset_id: "user:1-asset:bench".into(),
            looked_up_at: Timestamp::now(),
            asset: asset.clone(),
        };
        store.append(&entry).unwrap()
    });
}

#[divan::bench(sample_count = 20)]
fn filter_100_000_rows_by_a_pasted_id(bencher: Bencher) {
    let (_dir, path) = history_of(100_000);
    let rows = HistoryStore::new(path).load().unwrap().rows;
    let id = bench_id(4242);
    bencher.bench(|| rows.matching(divan::black_box(&id)).len());
}

#[divan::bench(sample_count = 20)]
fn filter_100_000_rows(bencher: Bencher) {
    let (_dir, path) = history_of(100_000);
    let rows = HistoryStore::new(path).load().unwrap().rows;
    bencher.bench(|| rows.matching(divan::black_box("wet track.mp4 9999")).len());
}

/// The app after a lookup of the video sample, with `n` rows of history.
fn app_with(n: usize) -> (App, tempfile::TempDir) {
    let (dir, path) = history_of(n);
    let now = Timestamp::from_second(1_800_000_000).unwrap();
    let mut app = App::new((120, 40), now, runway_assets::app::StartupNotes::default());
    app.update(Msg::HistoryLoaded(Ok(HistoryStore::new(path).load().unwrap())), now);
    let (id, json) = demo::samples().into_iter().find(|(_, j)| j.contains("\"dimensions\"")).unwrap();
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    app.update(Msg::Terminal(Event::Paste(id.to_string())), now);
    let effects = app.update(Msg::Terminal(Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))), now);
    if let Some(Effect::Fetch { request, .. }) = effects.into_iter().find(|e| matches!(e, Effect::Fetch { .. })) {
        let raw: serde_json::Value = serde_json::from_str(json).unwrap();
        let fetched = Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw };
        app.update(Msg::Fetched { request, asset_id: id.to_string(), result: Box::new(Ok(fetched)) }, now);
    }
    (app, dir)
}

#[divan::bench(args = [100, 100_000], sample_count = 50)]
fn draw_full_frame(bencher: Bencher, n: usize) {
    let (app, _dir) = app_with(n);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    bencher.bench_local(|| terminal.draw(|f| runway_assets::ui::draw(f, &app)).map(|_| ()).unwrap());
}

#[divan::bench(sample_count = 50)]
fn scroll_one_row_and_draw_at_100_000(bencher: Bencher) {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let (mut app, _dir) = app_with(100_000);
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE))), app.now());
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    bencher.bench_local(|| {
        app.update(Msg::Terminal(Event::Key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE))), app.now());
        app.update(Msg::Settle, app.now());
        terminal.draw(|f| runway_assets::ui::draw(f, &app)).map(|_| ()).unwrap()
    });
}

#[divan::bench(sample_count = 30)]
fn build_http_client_for_a_plain_http_base(bencher: Bencher) {
    use runway_assets::api::{ApiClient, ClientOptions};
    let options = ClientOptions::new("http://127.0.0.1:9", runway_assets::config::Token::new("t"));
    bencher.bench(|| ApiClient::new(options.clone()).is_ok());
}
