//! What the screen shows, pinned with snapshots: the app is driven through `App::update` exactly
//! as the event loop drives it, then drawn into a `TestBackend`.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runway_assets::api::client::Fetched;
use runway_assets::api::{ApiError, Asset};
use runway_assets::app::{App, Effect, Msg, StartupNotes};
use runway_assets::demo;
use runway_assets::history::{HistoryRow, Loaded, RowList};
use runway_assets::ui;

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

fn render(app: &mut App) -> String {
    app.update(Msg::Settle, now()); // as the event loop does before each frame
    let (w, h) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now())
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn sample(name_part: &str) -> (&'static str, &'static str) {
    demo::samples().into_iter().find(|(_, json)| json.contains(name_part)).expect("sample exists")
}

fn fetched(json: &str) -> Fetched {
    let raw: serde_json::Value = serde_json::from_str(json).unwrap();
    Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw }
}

/// Types an ID, presses Enter, and answers the lookup with `result`.
fn look_up(app: &mut App, id: &str, result: Result<Fetched, ApiError>) {
    type_text(app, id);
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

#[test]
fn empty_start_before_history_loads() {
    let hint = Some("No API token: export USEAPI_TOKEN=<token>. Try runway-assets --demo without one.".into());
    let mut app = App::new((100, 24), now(), StartupNotes { hint, ..StartupNotes::default() });
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn loading_shows_the_id_and_a_spinner() {
    let mut app = App::new((100, 24), now(), StartupNotes::default());
    with_history(&mut app);
    type_text(&mut app, "user:1-runwayml:me@example.com-asset:abc");
    let effects = key(&mut app, KeyCode::Enter);
    assert!(
        matches!(&effects[..], [Effect::Fetch { asset_id, .. }] if asset_id == "user:1-runwayml:me@example.com-asset:abc")
    );
    assert!(app.is_loading());
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn image_asset_in_a_wide_terminal() {
    let mut app = App::new((120, 36), now(), StartupNotes::default());
    with_history(&mut app);
    let (id, json) = sample("\"image\"");
    look_up(&mut app, id, Ok(fetched(json)));
    assert!(!app.is_loading());
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn video_asset_older_metadata_shape() {
    let mut app = App::new((120, 36), now(), StartupNotes::default());
    with_history(&mut app);
    let (id, json) = sample("\"dimensions\"");
    look_up(&mut app, id, Ok(fetched(json)));
    let screen = render(&mut app);
    assert!(screen.contains("1280×768"));
    assert!(screen.contains("0:10.5"));
    insta::assert_snapshot!(screen);
}

#[test]
fn video_asset_newer_metadata_shape_in_a_narrow_terminal() {
    let mut app = App::new((70, 30), now(), StartupNotes::default());
    let (id, json) = sample("hasAlphaChannel");
    look_up(&mut app, id, Ok(fetched(json)));
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn error_is_one_clear_sentence() {
    let mut app = App::new((100, 24), now(), StartupNotes::default());
    with_history(&mut app);
    look_up(&mut app, "demo-not-found", Err(ApiError::NotFound));
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn server_error_with_html_body() {
    let mut app = App::new((100, 24), now(), StartupNotes::default());
    look_up(
        &mut app,
        "demo-server-error",
        Err(ApiError::Server {
            status: 500,
            message: "it sent an HTML error page (\"500 Internal Server Error\")".into(),
        }),
    );
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn help_overlay_lists_every_key() {
    let mut app = App::new((100, 30), now(), StartupNotes::default());
    with_history(&mut app);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('?'));
    assert!(app.help_open());
    insta::assert_snapshot!(render(&mut app));
    key(&mut app, KeyCode::Esc);
    assert!(!app.help_open());
}

#[test]
fn tiny_terminals_show_a_notice() {
    let mut app = App::new((20, 5), now(), StartupNotes::default());
    insta::assert_snapshot!(render(&mut app));
}

#[test]
fn every_variant_draws_at_every_size_from_one_by_one_without_panic() {
    let hostile = r#"{"name":"\u001b]0;pwned\u0007\u202eevil\u0000name","url":"\u001b]8;;http://x\u001b\\","previewUrls":[1,"\u009b31m"],"metadata":{"width":"wide","height":-1,"duration":"NaN"},"fileSize":"huge"}"#;
    let mut variants: Vec<Result<Fetched, ApiError>> =
        demo::samples().into_iter().map(|(_, json)| Ok(fetched(json))).collect();
    variants.push(Ok(fetched(hostile)));
    variants.push(Ok(fetched("{}")));
    variants
        .push(Err(ApiError::Server { status: 502, message: "it sent an HTML error page (\"Bad Gateway\")".into() }));
    variants.push(Err(ApiError::NotFound));
    for (i, result) in variants.into_iter().enumerate() {
        let mut app = App::new((1, 1), now(), StartupNotes::default());
        with_history(&mut app);
        look_up(&mut app, &format!("variant-{i}"), result);
        // Every small size (where layouts break), then a grid of larger ones.
        let small = (1..=24u16).flat_map(|w| (1..=9u16).map(move |h| (w, h)));
        let large = (30..=130u16).step_by(15).flat_map(|w| (10..=40u16).step_by(15).map(move |h| (w, h)));
        for (w, h) in small.chain(large) {
            app.update(Msg::Terminal(Event::Resize(w, h)), now());
            let screen = render(&mut app);
            assert!(!screen.contains('\u{1b}') && !screen.contains('\u{202e}'), "escape reached the screen at {w}x{h}");
        }
    }
    // The loading state and the help overlay too.
    let mut app = App::new((1, 1), now(), StartupNotes::default());
    type_text(&mut app, "loading");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    for (w, h) in [(1, 1), (5, 3), (24, 8), (30, 10), (61, 15), (200, 60)] {
        app.update(Msg::Terminal(Event::Resize(w, h)), now());
        let _ = render(&mut app);
        let help_was_open = app.help_open();
        key(&mut app, KeyCode::Char('?'));
        assert_ne!(app.help_open(), help_was_open);
        let _ = render(&mut app);
    }
}

#[test]
fn a_long_detail_in_a_short_terminal_keeps_its_scroll_marker_in_its_border() {
    for height in [8, 9] {
        let mut app = App::new((60, height), now(), StartupNotes::default());
        with_history(&mut app);
        let (id, json) = sample("\"dimensions\"");
        look_up(&mut app, id, Ok(fetched(json)));
        let detail = app.layout().detail;
        assert!(detail.height >= 3, "the detail keeps a line at 60×{height}");
        let screen = render(&mut app);
        let marker_row = screen.lines().nth((detail.bottom() - 1) as usize).unwrap();
        assert!(marker_row.contains("/"), "the marker sits on the detail's bottom border at 60×{height}:\n{screen}");
        if height == 8 {
            insta::assert_snapshot!(screen);
        }
    }
}
