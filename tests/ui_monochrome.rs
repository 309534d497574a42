//! The screen in monochrome (NO_COLOR, `--color never`, `color = "never"`): no cell has a
//! colour, and focus, selection and errors are still marked, by double borders, bold,
//! underline, reverse and words. Every test in this file sets the process-wide mode first.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use runway_assets::api::client::Fetched;
use runway_assets::api::{ApiError, Asset};
use runway_assets::app::{App, Effect, Msg, StartupNotes};
use runway_assets::demo;
use runway_assets::history::{HistoryRow, Loaded, RowList};
use runway_assets::ui::{self, theme};

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

fn app(size: (u16, u16)) -> App {
    theme::set_monochrome(true);
    assert!(theme::is_monochrome());
    App::new(size, now(), StartupNotes::default())
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

/// No cell anywhere has a foreground, background or underline colour.
fn assert_colourless(buffer: &Buffer) {
    for (i, cell) in buffer.content.iter().enumerate() {
        let (x, y) = buffer.pos_of(i);
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "cell ({x},{y}) {:?} has colour", cell.symbol());
    }
}

/// The cells of row `y` whose symbols spell `needle`, if it is there.
fn find(buffer: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let lines = text(buffer);
    lines.lines().enumerate().find_map(|(y, line)| {
        let byte = line.find(needle)?;
        Some((line[..byte].chars().count() as u16, y as u16))
    })
}

fn modifiers_at(buffer: &Buffer, (x, y): (u16, u16)) -> Modifier {
    buffer[(x, y)].modifier
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now())
}

fn with_history(app: &mut App) {
    let rows: Vec<HistoryRow> = demo::samples()
        .into_iter()
        .enumerate()
        .map(|(i, (id, json))| {
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            HistoryRow {
                asset_id: id.to_string(),
                name: v["name"].as_str().map(str::to_string),
                media_type: v["mediaType"].as_str().map(str::to_string),
                looked_up_at: now().checked_sub(jiff::SignedDuration::from_mins(37 * (i as i64 + 1))).unwrap(),
                offset: 0,
            }
        })
        .collect();
    let rows = RowList::from_newest_first(rows);
    app.update(Msg::HistoryLoaded(Ok(Loaded { rows, skipped_lines: 0, moved_aside: None, lines: 5 })), now());
}

fn look_up(app: &mut App, id: &str, result: Result<Fetched, ApiError>) {
    for c in id.chars() {
        key(app, KeyCode::Char(c));
    }
    let effects = key(app, KeyCode::Enter);
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::Fetch { request, .. } => Some(*request),
            _ => None,
        })
        .expect("Enter starts a fetch");
    app.update(Msg::Fetched { request, asset_id: id.to_string(), result: Box::new(result) }, now());
}

#[test]
fn the_focused_list_and_its_selected_row_show_without_colour() {
    let mut app = app((100, 24));
    with_history(&mut app);
    key(&mut app, KeyCode::Tab); // the focus moves from the input to the list
    let buffer = draw(&mut app);
    assert_colourless(&buffer);
    let screen = text(&buffer);
    // The focused pane is framed in double lines; the others in single rounded ones.
    assert!(screen.contains('╔') && screen.contains('║'), "{screen}");
    assert_eq!(screen.matches('╔').count(), 1, "only one pane has the focus:\n{screen}");
    // The selected row is reversed (and bold, the list having the focus).
    let first = demo::samples()[0].1;
    let name: serde_json::Value = serde_json::from_str(first).unwrap();
    let at = find(&buffer, name["name"].as_str().unwrap()).expect("the first row is drawn");
    assert!(modifiers_at(&buffer, at).contains(Modifier::REVERSED | Modifier::BOLD), "{at:?}");
    // The shown tab's title is bold and underlined.
    let tab = find(&buffer, "History").expect("the tab title");
    assert!(modifiers_at(&buffer, tab).contains(Modifier::BOLD | Modifier::UNDERLINED));
    insta::assert_snapshot!(screen);
}

#[test]
fn a_looked_up_asset_says_where_it_came_from_in_words() {
    let mut app = app((100, 30));
    let (id, json) = demo::samples()[0];
    let raw: serde_json::Value = serde_json::from_str(json).unwrap();
    look_up(&mut app, id, Ok(Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw }));
    let buffer = draw(&mut app);
    assert_colourless(&buffer);
    let screen = text(&buffer);
    assert!(screen.contains("fresh"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn an_error_is_bold_and_says_error() {
    let mut app = app((100, 24));
    with_history(&mut app);
    look_up(&mut app, "user:1-runwayml:me@example.com-asset:gone", Err(ApiError::NotFound));
    let buffer = draw(&mut app);
    assert_colourless(&buffer);
    let screen = text(&buffer);
    let at = find(&buffer, "Error: ").unwrap_or_else(|| panic!("the status line says Error:\n{screen}"));
    assert!(modifiers_at(&buffer, at).contains(Modifier::BOLD));
    insta::assert_snapshot!(screen);
}

mod common;

/// The real binary in a terminal: NO_COLOR, `--color never` and `color = "never"` each give a
/// screen without a coloured cell that still shows the selected row (inverse) and the focus
/// (bold); `NO_COLOR=` (empty) and `--color always` keep colour.
#[test]
fn the_real_tui_obeys_no_color_the_flag_and_the_config_key() {
    let home = tempfile::tempdir().unwrap();
    let config_dir = home.path().join(".config").join("runway-assets");
    let styles = |args: &[&str], env: &[(&str, &str)]| {
        let mut tui = common::Tui::start(&[&["--demo"], args].concat(), env, home.path());
        tui.wait_for_text("History");
        tui.send("\t"); // focus the list: its first row is selected
        // Monochrome marks the focused list with a double border; colour paints its selection.
        common::eventually("the list has the focus", || {
            let screen = tui.screen();
            screen.contains("Race car") && (screen.contains("╔ 1 History") || tui.cell_styles().0 > 0)
        });
        let styles = tui.cell_styles();
        tui.send("\x03");
        tui.wait_exit();
        styles
    };
    for (args, env) in [(&[][..], &[("NO_COLOR", "1")][..]), (&["--color", "never"][..], &[][..])] {
        let (coloured, inverse, bold) = styles(args, env);
        assert_eq!(coloured, 0, "{args:?} {env:?}");
        assert!(inverse > 0 && bold > 0, "{args:?} {env:?}: selection and focus still show: {inverse} {bold}");
    }
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(config_dir.join("config.toml"), "color = \"never\"\n").unwrap();
    assert_eq!(styles(&[], &[]).0, 0, "color = \"never\" in config.toml");
    assert!(styles(&["--color", "always"], &[("NO_COLOR", "1")]).0 > 0, "--color always wins");
    std::fs::remove_file(config_dir.join("config.toml")).unwrap();
    assert!(styles(&[], &[("NO_COLOR", "")]).0 > 0, "an empty NO_COLOR keeps colour");
}
