//! The help overlay lists every key even when the terminal is too short for all of them: it
//! scrolls with the list keys, and its border says where there is more.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runway_assets::app::{App, Msg, StartupNotes, keymap};
use runway_assets::ui;

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

fn key(app: &mut App, code: KeyCode) {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now());
}

fn render(app: &mut App) -> String {
    let (w, h) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

fn open_help(width: u16, height: u16) -> App {
    let mut app = App::new((width, height), now(), StartupNotes::default());
    key(&mut app, KeyCode::Tab); // out of the input, where ? is text
    key(&mut app, KeyCode::Char('?'));
    assert!(app.help_open());
    app
}

#[test]
fn a_short_terminal_scrolls_the_help_to_its_last_key() {
    let mut app = open_help(100, 20);
    let top = render(&mut app);
    assert!(top.contains("Keys (↓ more below)"), "{top}");
    assert!(!top.contains("pasted text goes into the input"), "{top}");
    key(&mut app, KeyCode::Char('G'));
    let bottom = render(&mut app);
    assert!(bottom.contains("Keys (↑ more above)"), "{bottom}");
    assert!(
        bottom.contains("pasted text goes into the input") && bottom.contains("Esc or ? closes this help"),
        "{bottom}"
    );
    insta::assert_snapshot!(bottom);
    // Every key's label is seen on the way down, one row at a time.
    let mut app = open_help(100, 20);
    let mut seen = render(&mut app);
    for _ in 0..60 {
        key(&mut app, KeyCode::Char('j'));
        seen.push_str(&render(&mut app));
    }
    for (label, _) in keymap::help_lines() {
        assert!(seen.contains(label), "{label} never shown");
    }
    // Up comes back to the top; the help still closes with Esc.
    key(&mut app, KeyCode::Char('g'));
    assert!(render(&mut app).contains("Keys (↓ more below)"));
    key(&mut app, KeyCode::Esc);
    assert!(!app.help_open());
}

#[test]
fn a_tall_terminal_shows_it_all_without_scrolling() {
    let mut app = open_help(120, 60);
    key(&mut app, KeyCode::Char('j'));
    let screen = render(&mut app);
    assert!(screen.contains("╭ Keys ─"), "{screen}");
    assert!(screen.contains("pasted text goes into the input"), "{screen}");
}
