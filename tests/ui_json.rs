//! The raw JSON view on screen, in colour: snapshots of its text, and the colours of keys,
//! strings, numbers, literals and search matches checked cell by cell (a snapshot holds only
//! the text). The monochrome screen is in `ui_json_monochrome.rs` (the mode is process-wide).

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use runway_assets::api::Asset;
use runway_assets::api::client::Fetched;
use runway_assets::app::{App, Effect, Msg, StartupNotes};
use runway_assets::demo;
use runway_assets::ui;

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now())
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn draw(app: &mut App) -> Buffer {
    app.update(Msg::Settle, now());
    let (w, h) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().buffer().clone()
}

fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    (0..area.height)
        .map(|y| (0..area.width).map(|x| buffer[(x, y)].symbol()).collect::<String>().trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first cell where `needle` is drawn.
fn find(buffer: &Buffer, needle: &str) -> (u16, u16) {
    let lines = text(buffer);
    lines
        .lines()
        .enumerate()
        .find_map(|(y, line)| {
            let byte = line.find(needle)?;
            Some((line[..byte].chars().count() as u16, y as u16))
        })
        .unwrap_or_else(|| panic!("{needle:?} is not on screen:\n{lines}"))
}

/// An app showing `json` (as `id`) with the JSON view on, the focus on the detail.
fn json_view(size: (u16, u16), id: &str, json: &str) -> App {
    let mut app = App::new(size, now(), StartupNotes::default());
    type_text(&mut app, id);
    let effects = key(&mut app, KeyCode::Enter);
    let request =
        effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None }).unwrap();
    let raw: serde_json::Value = serde_json::from_str(json).unwrap();
    let fetched = Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw };
    app.update(Msg::Fetched { request, asset_id: id.into(), result: Box::new(Ok(fetched)) }, now());
    key(&mut app, KeyCode::BackTab); // to the detail
    type_text(&mut app, "J");
    assert!(app.json_view().is_some());
    app
}

fn sample(name_part: &str) -> (&'static str, &'static str) {
    demo::samples().into_iter().find(|(_, json)| json.contains(name_part)).expect("sample exists")
}

#[test]
fn the_json_view_in_colour() {
    let (id, json) = sample("\"dimensions\"");
    let mut app = json_view((120, 36), id, json);
    let buffer = draw(&mut app);
    let screen = text(&buffer);
    assert!(screen.contains("· JSON"), "{screen}");
    let fg = |needle: &str| buffer[find(&buffer, needle)].fg;
    assert_eq!(fg("\"assetId\""), Color::Cyan, "keys");
    assert_eq!(fg("\"video\""), Color::Green, "strings");
    assert_eq!(fg("1280"), Color::Yellow, "numbers");
    assert_eq!(fg("false"), Color::Magenta, "literals");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_json_view_in_a_narrow_terminal_cuts_long_lines_into_rows() {
    let (id, json) = sample("hasAlphaChannel");
    let mut app = json_view((70, 30), id, json);
    insta::assert_snapshot!(text(&draw(&mut app)));
}

#[test]
fn a_search_being_typed_shows_in_the_input_area() {
    let (id, json) = sample("\"dimensions\"");
    let mut app = json_view((120, 36), id, json);
    type_text(&mut app, "/runway");
    let screen = text(&draw(&mut app));
    assert!(screen.contains("Search the JSON"), "{screen}");
    assert!(screen.contains("match 1 of"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn search_matches_are_highlighted_and_the_current_one_more() {
    let (id, json) = sample("\"dimensions\"");
    let mut app = json_view((120, 36), id, json);
    type_text(&mut app, "/example");
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "n");
    let buffer = draw(&mut app);
    let screen = text(&buffer);
    let count = app.json_view().unwrap().search().unwrap().matches().len();
    assert!(count >= 3, "{screen}");
    assert!(screen.contains(&format!("match 2 of {count}")), "{screen}");
    // Cell by cell: which "example" is current, which merely found.
    let mut current = 0;
    let mut other = 0;
    for (i, cell) in buffer.content.iter().enumerate() {
        let (x, y) = buffer.pos_of(i);
        if cell.symbol() == "e" && buffer[(x + 1, y)].symbol() == "x" && buffer[(x + 2, y)].symbol() == "a" {
            match cell.bg {
                Color::LightRed => current += 1,
                Color::Yellow => other += 1,
                bg => panic!("an unhighlighted match at ({x},{y}): {bg:?}"),
            }
        }
    }
    assert_eq!(current, 1, "one current match");
    assert!(other >= 1, "the others are highlighted too");
    insta::assert_snapshot!(screen);
}

#[test]
fn hostile_server_text_shows_as_escapes() {
    let json = r#"{"name":"evil\u001b]0;owned\u0007\u202etxt.exe","url":"https://e.com/\u009b31m"}"#;
    let mut app = json_view((100, 20), "user:1-runwayml:me@example.com-asset:evil", json);
    let screen = text(&draw(&mut app));
    assert!(screen.contains(r#""name": "evil\u001b]0;owned\u0007\u202etxt.exe","#), "{screen}");
    assert!(screen.contains(r#"\u009b31m"#), "{screen}");
    insta::assert_snapshot!(screen);
}
