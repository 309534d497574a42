//! The Account list on screen, pinned with snapshots: each state of the list (loading, loaded,
//! cached, ended, at the ceiling, failed, empty, no token, filtered to nothing), the account
//! chooser, and hostile names. The app is driven through `App::update` as the event loop drives
//! it, with fixed timestamps, then drawn into a `TestBackend`.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jiff::{SignedDuration, Timestamp};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runway_assets::api::{AccountSummary, ApiError, ListQuery, MediaFilter, Page};
use runway_assets::app::{App, Effect, Msg, RequestId, StartupNotes};
use runway_assets::ui;
use serde_json::{Value, json};

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

fn new_app(width: u16, height: u16) -> App {
    let notes = StartupNotes {
        account: Some("me@example.com".into()),
        config_file: "~/.config/runway-assets/config.toml".into(),
        ..StartupNotes::default()
    };
    App::new((width, height), now(), notes)
}

/// One asset as the server lists it: kinds, sizes and ages vary with `i`.
fn item(i: u32) -> Value {
    let created = now().checked_sub(SignedDuration::from_mins(47 * i as i64 + 5)).unwrap();
    match i % 3 {
        0 => json!({
            "assetId": format!("user:1-runwayml:me@example.com-asset:{i:04}aa"),
            "name": format!("Gen-4 drone shot {i}.mp4"),
            "mediaType": "video",
            "createdAt": created.to_string(),
            "metadata": { "width": 1280, "height": 768, "duration": 5 + i % 6 },
        }),
        1 => json!({
            "assetId": format!("user:1-runwayml:me@example.com-asset:{i:04}bb"),
            "name": format!("Race car {i}.jpg"),
            "mediaType": "image",
            "createdAt": created.to_string(),
            "metadata": { "width": 1024, "height": 1024 },
        }),
        _ => json!({
            "assetId": format!("user:1-runwayml:me@example.com-asset:{i:04}cc"),
            "name": format!("Voice over {i}.mp3"),
            "mediaType": "audio",
            "createdAt": created.to_string(),
            "metadata": { "duration": 30 + i % 20 },
        }),
    }
}

fn page(ids: std::ops::Range<u32>) -> Page {
    Page::from_value(Value::Array(ids.map(item).collect())).unwrap()
}

fn page_request(effects: &[Effect]) -> (RequestId, ListQuery) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::FetchPage { request, query } => Some((*request, query.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("a page request in {effects:?}"))
}

fn answer(app: &mut App, asked: &(RequestId, ListQuery), result: Result<Page, ApiError>) -> Vec<Effect> {
    app.update(Msg::Page { request: asked.0, query: asked.1.clone(), result: Box::new(result) }, now())
}

/// Focus on the list, then `2`.
fn show_account_list(app: &mut App) -> (RequestId, ListQuery) {
    key(app, KeyCode::Tab);
    page_request(&key(app, KeyCode::Char('2')))
}

fn assert_clean(screen: &str) {
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{202e}'), "an escape reached the screen:\n{screen}");
}

#[test]
fn loading_the_first_page() {
    let mut app = new_app(120, 36);
    show_account_list(&mut app);
    let screen = render(&mut app);
    assert!(screen.contains("Loading…"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn a_loaded_page_with_the_selection_in_the_middle() {
    let mut app = new_app(120, 36);
    let first = show_account_list(&mut app);
    answer(&mut app, &first, Ok(page(0..50))); // the next page is asked for at once
    for _ in 0..12 {
        key(&mut app, KeyCode::Down);
    }
    let screen = render(&mut app);
    assert!(screen.contains("Race car 13.jpg"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn a_loaded_page_in_a_narrow_terminal() {
    let mut app = new_app(80, 30);
    let first = show_account_list(&mut app);
    answer(&mut app, &first, Ok(page(0..50)));
    for _ in 0..4 {
        key(&mut app, KeyCode::Down);
    }
    let screen = render(&mut app);
    let layout = app.layout();
    assert!(layout.list.y > layout.detail.y, "the list sits below the detail when narrow");
    assert!(screen.contains("Race car 4.jpg"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_cached_copy_marked_with_its_age() {
    let mut app = new_app(120, 36);
    show_account_list(&mut app);
    let saved_at = now().checked_sub(SignedDuration::from_hours(3)).unwrap();
    app.update(
        Msg::CachedPage {
            account: Some("me@example.com".into()),
            filter: MediaFilter::All,
            cached: Some((saved_at, page(0..6))),
        },
        now(),
    );
    let screen = render(&mut app);
    assert!(screen.contains("showing the copy kept 3 h"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_end_of_the_list_with_its_count() {
    let mut app = new_app(120, 36);
    let first = show_account_list(&mut app);
    answer(&mut app, &first, Ok(page(0..12)));
    key(&mut app, KeyCode::End);
    let screen = render(&mut app);
    assert!(screen.contains("End of the list: 12 assets."), "{screen}");
    assert!(screen.contains("me@example.com · all (12)"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_ceiling_message() {
    let mut app = new_app(120, 36);
    let mut asked = show_account_list(&mut app);
    for n in 0..21u32 {
        let effects = answer(&mut app, &asked, Ok(page(n * 50..n * 50 + 50)));
        if n == 20 {
            break;
        }
        let effects = if effects.iter().any(|e| matches!(e, Effect::FetchPage { .. })) {
            effects
        } else {
            key(&mut app, KeyCode::End)
        };
        asked = page_request(&effects);
    }
    key(&mut app, KeyCode::End);
    let screen = render(&mut app);
    assert!(screen.contains("│The API lists only the newest 1,050"), "{screen}");
    assert!(screen.contains("(1,050)"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn a_failed_page_under_the_loaded_rows() {
    let mut app = new_app(120, 36);
    let first = show_account_list(&mut app);
    let second = page_request(&answer(&mut app, &first, Ok(page(0..50))));
    key(&mut app, KeyCode::End);
    answer(
        &mut app,
        &second,
        Err(ApiError::Server { status: 500, message: "it sent an HTML error page (\"Internal Server Error\")".into() }),
    );
    let screen = render(&mut app);
    assert!(screen.contains("│The server failed (HTTP 500)"), "the sentence under the last row:\n{screen}");
    assert!(screen.contains("│Race car 49.jpg"), "the loaded rows stay:\n{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn an_empty_account() {
    let mut app = new_app(120, 36);
    let first = show_account_list(&mut app);
    answer(&mut app, &first, Ok(Page::default()));
    let screen = render(&mut app);
    assert!(screen.contains("No assets in this account yet"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_no_token_sentence() {
    let notes = StartupNotes {
        no_token: true,
        config_file: "~/.config/runway-assets/config.toml".into(),
        ..StartupNotes::default()
    };
    let mut app = App::new((120, 36), now(), notes);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Char('2'));
    let screen = render(&mut app);
    assert!(screen.contains("USEAPI_TOKEN"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn a_filtered_list_with_no_match() {
    let mut app = new_app(120, 36);
    let first = show_account_list(&mut app);
    answer(&mut app, &first, Ok(page(0..20)));
    key(&mut app, KeyCode::Char('/'));
    for c in "zebra".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let screen = render(&mut app);
    assert!(screen.contains("No loaded asset matches the input (Ctrl-U"), "{screen}");
    assert!(screen.contains("(0 of 20)"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_account_chooser_with_an_account_in_error() {
    let notes = StartupNotes { config_file: "~/.config/runway-assets/config.toml".into(), ..StartupNotes::default() };
    let mut app = App::new((120, 36), now(), notes);
    let first = show_account_list(&mut app);
    let effects = answer(&mut app, &first, Err(ApiError::AccountRequired("email is required".into())));
    let request = effects
        .iter()
        .find_map(|e| if let Effect::FetchAccounts { request } = e { Some(*request) } else { None })
        .expect("the accounts are fetched");
    app.update(
        Msg::Accounts {
            request,
            result: Ok(vec![
                AccountSummary { email: "studio@example.com".into(), error: None },
                AccountSummary {
                    email: "old@example.com".into(),
                    error: Some("Session expired, please re-add the account".into()),
                },
            ]),
        },
        now(),
    );
    key(&mut app, KeyCode::Down);
    let screen = render(&mut app);
    assert!(screen.contains("⚠ error state: Session expired"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn hostile_names_reach_the_screen_cleaned() {
    let mut app = new_app(120, 36);
    let first = show_account_list(&mut app);
    let hostile = json!([
        { "assetId": "id-esc", "name": "title\u{1b}]0;pwned\u{7}clear\u{1b}[2J", "mediaType": "video" },
        { "assetId": "id-rlo\u{202e}", "name": "invoice\u{202e}4pm.exe", "mediaType": "image" },
        { "assetId": "id-long", "name": "x".repeat(10_000), "mediaType": "\u{1b}[31mred" },
        { "assetId": "id-c1", "name": "c1\u{9b}31mcsi", "createdAt": "\u{1b}[H" },
    ]);
    answer(&mut app, &first, Ok(Page::from_value(hostile).unwrap()));
    let screen = render(&mut app);
    assert_clean(&screen);
    insta::assert_snapshot!(screen);
    // Each row in the detail, at a few sizes.
    for _ in 0..4 {
        key(&mut app, KeyCode::Down);
        for (w, h) in [(120, 36), (80, 30), (40, 12)] {
            app.update(Msg::Terminal(Event::Resize(w, h)), now());
            assert_clean(&render(&mut app));
        }
    }
}

/// The line under the last row, at the end of a list in a 120×36 terminal.
fn last_line_screen(ceiling: bool) -> String {
    let mut app = new_app(120, 36);
    let first = show_account_list(&mut app);
    let mut asked = page_request(&answer(&mut app, &first, Ok(page(0..50))));
    if ceiling {
        for n in 1..21u32 {
            let effects = answer(&mut app, &asked, Ok(page(n * 50..n * 50 + 50)));
            if n < 20 {
                let effects = if effects.iter().any(|e| matches!(e, Effect::FetchPage { .. })) {
                    effects
                } else {
                    key(&mut app, KeyCode::End)
                };
                asked = page_request(&effects);
            }
        }
        key(&mut app, KeyCode::End);
    } else {
        // At the end when the page fails (moving there afterwards would try it again).
        key(&mut app, KeyCode::End);
        answer(&mut app, &asked, Err(ApiError::Server { status: 500, message: "it sent an HTML error page".into() }));
    }
    render(&mut app)
}

#[test]
fn the_whole_line_under_the_last_row_is_on_screen() {
    let screen = last_line_screen(false);
    assert!(screen.contains("(r or ↓ retries)"), "how to retry is cut off:\n{screen}");
    let screen = last_line_screen(true);
    assert!(screen.contains("older assets by ID."), "the ceiling sentence is cut off:\n{screen}");
}

#[test]
fn the_size_column_holds_four_digit_dimensions() {
    let mut app = new_app(120, 36);
    let first = show_account_list(&mut app);
    answer(&mut app, &first, Ok(page(0..3)));
    let screen = render(&mut app);
    let row = screen.lines().find(|l| l.contains("Race car 1.jpg")).unwrap();
    assert!(row.contains("1024×1024"), "{row}");
}
