//! The raw JSON view without colour (NO_COLOR and friends): no coloured cell; keys are bold,
//! literals italic, search matches reversed and the current one also bold and underlined.
//! Every test here sets the process-wide mode first.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use runway_assets::api::Asset;
use runway_assets::api::client::Fetched;
use runway_assets::app::{App, Effect, Msg, StartupNotes};
use runway_assets::demo;
use runway_assets::ui::{self, theme};

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

fn assert_colourless(buffer: &Buffer) {
    for (i, cell) in buffer.content.iter().enumerate() {
        let (x, y) = buffer.pos_of(i);
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "cell ({x},{y}) {:?} has colour", cell.symbol());
    }
}

fn json_view(size: (u16, u16)) -> App {
    theme::set_monochrome(true);
    let (id, json) = demo::samples().into_iter().find(|(_, json)| json.contains("\"dimensions\"")).unwrap();
    let mut app = App::new(size, now(), StartupNotes::default());
    type_text(&mut app, id);
    let effects = key(&mut app, KeyCode::Enter);
    let request =
        effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None }).unwrap();
    let raw: serde_json::Value = serde_json::from_str(json).unwrap();
    let fetched = Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw };
    app.update(Msg::Fetched { request, asset_id: id.into(), result: Box::new(Ok(fetched)) }, now());
    key(&mut app, KeyCode::BackTab);
    type_text(&mut app, "J");
    app
}

#[test]
fn the_json_view_without_colour() {
    let mut app = json_view((120, 36));
    let buffer = draw(&mut app);
    assert_colourless(&buffer);
    assert!(buffer[find(&buffer, "\"assetId\"")].modifier.contains(Modifier::BOLD), "keys are bold");
    assert!(buffer[find(&buffer, "false")].modifier.contains(Modifier::ITALIC), "literals are italic");
    insta::assert_snapshot!(text(&buffer));
}

#[test]
fn search_matches_without_colour() {
    let mut app = json_view((120, 36));
    type_text(&mut app, "/example");
    key(&mut app, KeyCode::Enter);
    let buffer = draw(&mut app);
    assert_colourless(&buffer);
    let screen = text(&buffer);
    let count = app.json_view().unwrap().search().unwrap().matches().len();
    assert!(screen.contains(&format!("match 1 of {count}")), "{screen}");
    let mut current = 0;
    let mut other = 0;
    for (i, cell) in buffer.content.iter().enumerate() {
        let (x, y) = buffer.pos_of(i);
        if cell.symbol() == "e" && buffer[(x + 1, y)].symbol() == "x" && buffer[(x + 2, y)].symbol() == "a" {
            assert!(cell.modifier.contains(Modifier::REVERSED), "a match at ({x},{y}) is reversed");
            if cell.modifier.contains(Modifier::UNDERLINED | Modifier::BOLD) {
                current += 1;
            } else {
                other += 1;
            }
        }
    }
    assert_eq!(current, 1);
    assert!(other >= 1);
    insta::assert_snapshot!(screen);
}
