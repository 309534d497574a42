//! `cargo bench`: the costs that decide how the app feels. Model parsing, loading history at
//! 100 / 10,000 / 100,000 entries (all of it, and just the newest rows for the first frame),
//! appending one lookup, filtering 100,000 rows, and drawing a full 120×40 frame; for the
//! Account list, a page of 50 read and merged through `App::update`, and drawing and scrolling
//! 1,050 listed rows.

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

// ---- the Account list ------------------------------------------------------------------------

const DEMO_ACCOUNT: &str = "demo@example.com";

/// The 21 pages (50 assets each) of the demo account, as the demo server sends them: the bytes
/// of each answer's body. Read once per process over a plain HTTP/1.1 request on loopback.
fn demo_pages() -> &'static [Vec<u8>] {
    use std::io::{Read, Write};
    static PAGES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    PAGES.get_or_init(|| {
        let server = demo::DemoServer::start().unwrap();
        (0..21)
            .map(|page| {
                let mut stream = std::net::TcpStream::connect(server.addr()).unwrap();
                write!(
                    stream,
                    "GET /v1/runwayml/assets/?offset={}&limit=50&email=demo%40example.com HTTP/1.1\r\n\
                     Host: {}\r\nAuthorization: Bearer demo-token\r\nConnection: close\r\n\r\n",
                    page * 50,
                    server.addr()
                )
                .unwrap();
                let mut answer = Vec::new();
                stream.read_to_end(&mut answer).unwrap();
                let head_end = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
                let head = String::from_utf8_lossy(&answer[..head_end]).to_ascii_lowercase();
                assert!(head.starts_with("http/1.1 200"), "{head}");
                assert!(!head.contains("transfer-encoding: chunked"), "{head}");
                answer.split_off(head_end)
            })
            .collect()
    })
}

fn press(app: &mut App, code: crossterm::event::KeyCode) -> Vec<Effect> {
    use crossterm::event::{Event, KeyEvent, KeyModifiers};
    let now = app.now();
    let effects = app.update(Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now);
    app.update(Msg::Settle, now);
    effects
}

fn page_request(effects: &[Effect]) -> Option<(u64, runway_assets::api::ListQuery)> {
    effects.iter().find_map(|e| match e {
        Effect::FetchPage { request, query } => Some((*request, query.clone())),
        _ => None,
    })
}

/// What the event loop does with a page's body: read it, hand it to the app, settle.
fn answer_page(app: &mut App, request: u64, query: runway_assets::api::ListQuery, body: &[u8]) -> Vec<Effect> {
    let page = runway_assets::api::Page::from_json(body);
    let now = app.now();
    let effects = app.update(Msg::Page { request, query, result: Box::new(page) }, now);
    app.update(Msg::Settle, now);
    effects
}

/// The app with the demo account's list shown (Tab, then `2`) and `pages` pages answered, and
/// the request for the next page it asked for.
fn app_listing(pages: usize) -> (App, Option<(u64, runway_assets::api::ListQuery)>) {
    use crossterm::event::KeyCode;
    let now = Timestamp::from_second(1_800_000_000).unwrap();
    let notes = runway_assets::app::StartupNotes { account: Some(DEMO_ACCOUNT.into()), ..Default::default() };
    let mut app = App::new((120, 40), now, notes);
    press(&mut app, KeyCode::Tab);
    let mut next = page_request(&press(&mut app, KeyCode::Char('2')));
    for body in &demo_pages()[..pages] {
        if next.is_none() {
            // the next page is asked for when the selection nears the end: go there
            next = page_request(&press(&mut app, KeyCode::End));
        }
        let (request, query) = next.expect("the app asks for the next page");
        assert_eq!(query.offset as usize, app.browser().listing().unwrap().loaded_len());
        next = page_request(&answer_page(&mut app, request, query, body));
    }
    assert_eq!(app.browser().listing().unwrap().loaded_len(), pages * 50);
    if next.is_none() && pages < 21 {
        next = page_request(&press(&mut app, KeyCode::End));
    }
    (app, next)
}

/// The parsing part alone: a page's body read by `Page::from_json`, as the client does.
#[divan::bench(sample_count = 100)]
fn account_page_parse_only(bencher: Bencher) {
    let body = &demo_pages()[0];
    bencher.bench(|| runway_assets::api::Page::from_json(divan::black_box(body)).unwrap());
}

/// A page of 50 assets, from the body's bytes: parsed (`Page::from_json`) and merged into the
/// listing through `App::update(Msg::Page)`, as the first page and as the last of 21 (merged
/// into 1,000 rows).
#[divan::bench(args = [0, 1000], sample_count = 50, sample_size = 5)]
fn account_page_parse_and_merge(bencher: Bencher, offset: usize) {
    let body = &demo_pages()[offset / 50];
    bencher.with_inputs(|| app_listing(offset / 50)).bench_local_values(|(mut app, next)| {
        let (request, query) = next.unwrap();
        let effects = answer_page(&mut app, request, query, divan::black_box(body));
        (app, effects)
    });
}

/// A full 120×40 frame with all 1,050 rows of the demo account listed.
#[divan::bench(sample_count = 50)]
fn draw_account_list_1050_rows(bencher: Bencher) {
    let (app, _) = app_listing(21);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    bencher.bench_local(|| terminal.draw(|f| runway_assets::ui::draw(f, &app)).map(|_| ()).unwrap());
}

/// One row down (up, once at the end) through the 1,050 listed rows, and the frame drawn.
#[divan::bench(sample_count = 50)]
fn scroll_account_list_1050_rows_and_draw(bencher: Bencher) {
    use crossterm::event::KeyCode;
    let (mut app, _) = app_listing(21);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut down = true;
    bencher.bench_local(|| {
        let selected = app.browser().listing().unwrap().selected();
        if selected + 1 >= 1050 {
            down = false;
        } else if selected == 0 {
            down = true;
        }
        press(&mut app, if down { KeyCode::Down } else { KeyCode::Up });
        terminal.draw(|f| runway_assets::ui::draw(f, &app)).map(|_| ()).unwrap()
    });
}
