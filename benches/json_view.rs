//! `cargo bench --bench json_view`: the raw JSON view. `J` builds the view and the frame that
//! follows draws it (the key and the drawing are one batch of the event loop), so the time of
//! `J` plus a drawn frame is the delay before the JSON shows; for a typical asset and for a
//! 4 MiB answer. Searching a 4 MiB answer (target ≤ 5 ms), a key typed into a search (which
//! searches again), and scrolling the 4 MiB view.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use divan::Bencher;
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runway_assets::api::Asset;
use runway_assets::api::client::Fetched;
use runway_assets::app::{App, Effect, Msg, StartupNotes};
use runway_assets::demo;
use runway_assets::present::json::JsonText;
use serde_json::{Value, json};

fn main() {
    divan::main();
}

const MIB: usize = 1024 * 1024;

/// An asset-shaped answer of about `bytes` bytes (compact): the video sample with a long list
/// of generation records, each with URLs, numbers, literals and a prompt.
fn big_answer(bytes: usize) -> Value {
    let (_, json) = demo::samples().into_iter().find(|(_, j)| j.contains("\"dimensions\"")).unwrap();
    let mut value: Value = serde_json::from_str(json).unwrap();
    let mut items = Vec::new();
    let mut size = 0;
    let mut i = 0u64;
    while size < bytes {
        let item = json!({
            "id": format!("{:08x}-5e2b-4a38-9d61-{:012x}", i.wrapping_mul(2_654_435_761) as u32, i),
            "url": format!("https://example.invalid/runway/assets/{i:012x}/take-{i}.mp4?X-Amz-Signature={:016x}", i * 7919),
            "prompt": "A race car on a wet track at dusk, low angle, rain on the lens, cinematic",
            "seed": i * 31,
            "duration": 10.542,
            "favorite": i.is_multiple_of(3),
            "parent": null
        });
        size += item.to_string().len() + 1;
        items.push(item);
        i += 1;
    }
    value["history"] = Value::Array(items);
    value
}

fn now() -> Timestamp {
    Timestamp::from_second(1_800_000_000).unwrap()
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now())
}

/// The app at 120×40 showing `raw`, the focus on the detail, the fields view.
fn showing(raw: &Value) -> App {
    let mut app = App::new((120, 40), now(), StartupNotes::default());
    let id = "user:1-runwayml:me@example.com-asset:a1f0c7d9-5e2b-4a38-9d61-0b4e8c7f2a95";
    app.update(Msg::Terminal(Event::Paste(id.into())), now());
    let effects = press(&mut app, KeyCode::Enter);
    let request =
        effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None });
    let fetched = Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw: raw.clone() };
    app.update(Msg::Fetched { request: request.unwrap(), asset_id: id.into(), result: Box::new(Ok(fetched)) }, now());
    press(&mut app, KeyCode::BackTab);
    app
}

fn sized(which: &str) -> Value {
    match which {
        "typical" => {
            let (_, json) = demo::samples().into_iter().find(|(_, j)| j.contains("\"dimensions\"")).unwrap();
            serde_json::from_str(json).unwrap()
        }
        _ => big_answer(4 * MIB),
    }
}

/// `J` pressed, and the next frame drawn: the delay before the JSON shows.
#[divan::bench(args = ["typical", "4 MiB"], sample_count = 20, sample_size = 1)]
fn j_then_the_next_frame(bencher: Bencher, which: &str) {
    let raw = sized(which);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    bencher.with_inputs(|| showing(&raw)).bench_local_values(|mut app| {
        press(&mut app, KeyCode::Char('J'));
        app.update(Msg::Settle, now());
        terminal.draw(|f| runway_assets::ui::draw(f, &app)).map(|_| ()).unwrap();
        app
    });
}

/// The search itself over the 4 MiB answer's text: a rare word, a word on every record, a
/// query with capitals (case counts), one letter (hundreds of thousands of matches).
#[divan::bench(args = ["needle", "race car", "Race", "a"], sample_count = 50)]
fn search_4_mib(bencher: Bencher, query: &str) {
    let text = JsonText::new(&big_answer(4 * MIB));
    assert!(text.text().len() >= 4 * MIB);
    bencher.bench_local(|| text.find(divan::black_box(query)).len());
}

/// A key typed into a search of the 4 MiB view: the search runs again, the current match is
/// scrolled to, the status says `match N of M`, and the frame is drawn.
#[divan::bench(sample_count = 30)]
fn search_key_and_frame_4_mib(bencher: Bencher) {
    let mut app = showing(&big_answer(4 * MIB));
    press(&mut app, KeyCode::Char('J'));
    press(&mut app, KeyCode::Char('/'));
    for c in "take-4".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut typed = true;
    bencher.bench_local(|| {
        // Alternately type and erase the last character: a search afresh each time.
        press(&mut app, if typed { KeyCode::Char('2') } else { KeyCode::Backspace });
        typed = !typed;
        app.update(Msg::Settle, now());
        terminal.draw(|f| runway_assets::ui::draw(f, &app)).map(|_| ()).unwrap()
    });
}

/// A page down in the 4 MiB view, and the frame drawn.
#[divan::bench(sample_count = 50)]
fn scroll_4_mib_view_and_draw(bencher: Bencher) {
    let mut app = showing(&big_answer(4 * MIB));
    press(&mut app, KeyCode::Char('J'));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    bencher.bench_local(|| {
        let view = app.json_view().unwrap();
        let at_end = view.scroll() + app.layout().detail_page() >= view.rows().len();
        press(&mut app, if at_end { KeyCode::Home } else { KeyCode::PageDown });
        app.update(Msg::Settle, now());
        terminal.draw(|f| runway_assets::ui::draw(f, &app)).map(|_| ()).unwrap()
    });
}

/// Of `J` on the 4 MiB answer: the pretty, made-safe text with its tones…
#[divan::bench(sample_count = 20)]
fn build_text_4_mib(bencher: Bencher) {
    let raw = big_answer(4 * MIB);
    bencher.bench_local(|| JsonText::new(divan::black_box(&raw)));
}

/// …and its rows for a 120-column terminal's detail pane.
#[divan::bench(sample_count = 20)]
fn rows_4_mib(bencher: Bencher) {
    let text = JsonText::new(&big_answer(4 * MIB));
    bencher.bench_local(|| text.rows(divan::black_box(70)).len());
}
