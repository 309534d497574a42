//! The detail's picture as `App` transitions, driven as the event loop drives it: the asset on
//! screen asks for its picture at the slot's size; newest wins (a picture for an asset passed
//! over, or for a size no longer wanted, is dropped or encoded again); audio and odd lists get
//! one line; failures one line; `p` hides and shows; nothing at all until pictures are set up;
//! tiny terminals get no picture and no panic.

use std::sync::Arc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use image::{DynamicImage, Rgb, RgbImage};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runway_assets::api::Asset;
use runway_assets::api::client::Fetched;
use runway_assets::app::preview::{Mode, PictureReady};
use runway_assets::app::{App, Effect, Msg, PictureState, StartupNotes};
use runway_assets::preview::{Graphics, PreviewKey, encode};
use runway_assets::ui;
use serde_json::{Value, json};

const A: &str = "user:1-runwayml:me@example.com-asset:aaaaaaaa-0000-4000-8000-000000000001";
const B: &str = "user:1-runwayml:me@example.com-asset:bbbbbbbb-0000-4000-8000-000000000002";

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

fn app(w: u16, h: u16) -> App {
    let mut app = App::new((w, h), now(), StartupNotes::default());
    app.update(Msg::PreviewSetup { font: (1, 2), max_bytes: 16 << 20, text_only: true }, now());
    app
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now())
}

fn asset(id: &str, media: &str, previews: Value) -> Value {
    json!({
        "assetId": id, "name": format!("{media} {}", &id[id.len() - 4..]), "mediaType": media,
        "updatedAt": "2026-11-25T09:03:51.002Z", "previewUrls": previews,
        "metadata": { "width": 1920, "height": 1080 }
    })
}

/// Looks `id` up and answers with `raw`; returns the effects of the answer.
fn open(app: &mut App, id: &str, raw: Value) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Paste(id.into())), now());
    let effects = press(app, KeyCode::Enter);
    let request =
        effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None });
    let fetched = Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw };
    app.update(Msg::Fetched { request: request.unwrap(), asset_id: id.into(), result: Box::new(Ok(fetched)) }, now())
}

fn load_of(effects: &[Effect]) -> Option<(u64, PreviewKey, String, (u16, u16))> {
    effects.iter().find_map(|e| match e {
        Effect::LoadPreview { request, key, url, cells } => Some((*request, key.clone(), url.clone(), *cells)),
        _ => None,
    })
}

fn gradient(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        Rgb([(x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8, 160])
    }))
}

fn ready(cells: (u16, u16)) -> Result<PictureReady, String> {
    let image = Arc::new(gradient(192, 108));
    let encoded = encode(&Graphics::Halfblocks, &image, cells.0, cells.1).unwrap();
    Ok(PictureReady { image, encoded, cells })
}

fn text(app: &App) -> String {
    app.detail_lines()
        .iter()
        .map(|l| l.spans.iter().map(|(t, _)| t.as_str()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

fn render(app: &App) -> String {
    let (w, h) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn the_asset_on_screen_asks_for_its_first_preview_keyed_by_id_and_update() {
    let mut app = app(80, 40);
    let effects =
        open(&mut app, A, asset(A, "video", json!(["https://cdn.example/a1.jpg", "https://cdn.example/a2.jpg"])));
    let (_, key, url, cells) = load_of(&effects).expect("the picture is asked for");
    assert_eq!(url, "https://cdn.example/a1.jpg");
    assert_eq!(key, PreviewKey { asset_id: A.into(), version: "2026-11-25T09:03:51.002Z".into() });
    assert!(cells.0 > 10 && cells.1 >= 3, "{cells:?}");
    assert_eq!(app.preview().state(), Some(&PictureState::Loading));
    assert!(render(&app).contains("Loading the preview…"));
    // Nothing changes on the next message: no second request.
    assert!(load_of(&press(&mut app, KeyCode::Char('x'))).is_none());
}

#[test]
fn newest_wins_a_picture_for_an_asset_passed_over_is_dropped() {
    let mut app = app(80, 40);
    let (first, ..) = load_of(&open(&mut app, A, asset(A, "image", json!(["https://cdn.example/a.jpg"])))).unwrap();
    let (second, key_b, _, cells) =
        load_of(&open(&mut app, B, asset(B, "image", json!(["https://cdn.example/b.jpg"])))).unwrap();
    assert_ne!(first, second);
    // A's picture arrives late: dropped, B's is still awaited.
    assert!(app.update(Msg::Preview { request: first, result: ready(cells) }, now()).is_empty());
    assert_eq!(app.preview().state(), Some(&PictureState::Loading));
    assert_eq!(app.preview().key(), Some(&key_b));
    app.update(Msg::Preview { request: second, result: ready(cells) }, now());
    assert!(matches!(app.preview().state(), Some(PictureState::Ready { encoded: Some(_), .. })));
    assert!(!render(&app).contains("Loading the preview…"));
}

#[test]
fn a_resize_while_decoding_encodes_the_arrival_again_for_the_new_size() {
    let mut app = app(80, 40);
    let (request, _, _, cells) =
        load_of(&open(&mut app, A, asset(A, "image", json!(["https://cdn.example/a.jpg"])))).unwrap();
    let effects = app.update(Msg::Terminal(Event::Resize(70, 40)), now());
    assert!(load_of(&effects).is_none(), "the picture on its way is not fetched again");
    let effects = app.update(Msg::Preview { request, result: ready(cells) }, now());
    let encode = effects.iter().find_map(|e| match e {
        Effect::EncodePreview { cells, .. } => Some(*cells),
        _ => None,
    });
    let new_cells = encode.expect("encoded again for the new slot");
    assert_ne!(new_cells, cells);
    assert!(new_cells.0 <= 68, "{new_cells:?}");
    // The wrong-sized one is kept meanwhile only if it fits; it does not here, so no picture.
    assert!(matches!(app.preview().state(), Some(PictureState::Ready { .. })));
    // A resize once it is here asks for an encoding, not a fetch.
    let effects = app.update(Msg::Terminal(Event::Resize(60, 40)), now());
    assert!(effects.iter().any(|e| matches!(e, Effect::EncodePreview { .. })));
    assert!(load_of(&effects).is_none());
}

#[test]
fn audio_and_odd_preview_lists_get_one_line_and_no_request() {
    let mut app = app(80, 40);
    assert!(load_of(&open(&mut app, A, asset(A, "audio", json!(["https://cdn.example/a.jpg"])))).is_none());
    assert!(text(&app).contains("No picture for audio."), "{}", text(&app));
    for previews in [json!([]), json!({"not": "a list"}), json!([1, null, ""]), json!(null)] {
        assert!(load_of(&open(&mut app, B, asset(B, "video", previews.clone()))).is_none(), "{previews}");
        assert!(text(&app).contains("No preview: the server lists none"), "{previews}: {}", text(&app));
    }
}

#[test]
fn a_hostile_url_is_fetched_by_the_worker_and_fails_as_one_line() {
    // The URL is checked by the fetch (http/https only); the app only shows what it says.
    let mut app = app(80, 40);
    let (request, _, url, _) = load_of(&open(&mut app, A, asset(A, "image", json!(["javascript:alert(1)"])))).unwrap();
    assert_eq!(url, "javascript:alert(1)");
    app.update(Msg::Preview { request, result: Err("javascript: URLs are not opened".into()) }, now());
    let shown = text(&app);
    assert!(shown.contains("Preview unavailable: javascript: URLs are not opened"), "{shown}");
    // It is not asked for again while it stays on screen, resizes included.
    assert!(load_of(&app.update(Msg::Terminal(Event::Resize(90, 40)), now())).is_none());
    assert!(load_of(&press(&mut app, KeyCode::Char('x'))).is_none());
}

#[test]
fn p_hides_and_shows_pictures_for_the_session() {
    let mut app = app(80, 40);
    let (request, ..) = load_of(&open(&mut app, A, asset(A, "image", json!(["https://cdn.example/a.jpg"])))).unwrap();
    press(&mut app, KeyCode::Tab);
    let effects = press(&mut app, KeyCode::Char('p'));
    assert!(effects.contains(&Effect::CancelPreview), "the picture on its way is abandoned: {effects:?}");
    assert_eq!(app.preview().mode(), Mode::Hidden);
    assert!(app.update(Msg::Preview { request, result: ready((78, 20)) }, now()).is_empty());
    assert!(!render(&app).contains("Loading the preview"));
    let effects = press(&mut app, KeyCode::Char('p'));
    assert!(load_of(&effects).is_some(), "shown again: asked for again (the cache answers)");
    // In the input, p is a letter.
    press(&mut app, KeyCode::Char('/'));
    assert!(press(&mut app, KeyCode::Char('p')).is_empty());
    assert_eq!(app.preview().mode(), Mode::Shown);
}

#[test]
fn without_set_up_there_is_no_picture_and_no_line() {
    let mut app = App::new((80, 40), now(), StartupNotes::default());
    let effects = open(&mut app, A, asset(A, "image", json!(["https://cdn.example/a.jpg"])));
    assert!(load_of(&effects).is_none());
    assert!(!text(&app).contains("preview"), "{}", text(&app));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('p'));
    assert!(app.status().unwrap().text.contains("Pictures are off"));
}

#[test]
fn tiny_terminals_get_no_picture_and_no_panic() {
    for (w, h) in [(1, 1), (20, 5), (24, 8), (30, 9)] {
        let mut app = app(w, h);
        let effects = open(&mut app, A, asset(A, "image", json!(["https://cdn.example/a.jpg"])));
        if let Some((request, _, _, cells)) = load_of(&effects) {
            assert!(cells.0 >= 8 && cells.1 >= 3, "{w}×{h}: {cells:?}");
            app.update(Msg::Preview { request, result: ready(cells) }, now());
        }
        let _ = render(&app);
        for k in [KeyCode::Tab, KeyCode::Tab, KeyCode::Down, KeyCode::PageDown, KeyCode::End] {
            press(&mut app, k);
            let _ = render(&app);
        }
    }
}

#[test]
fn a_picture_partly_scrolled_away_shows_its_visible_rows() {
    let mut app = app(60, 24);
    let (request, _, _, cells) =
        load_of(&open(&mut app, A, asset(A, "image", json!(["https://cdn.example/a.jpg"])))).unwrap();
    app.update(Msg::Preview { request, result: ready(cells) }, now());
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    for _ in 0..60 {
        press(&mut app, KeyCode::Down);
        let _ = render(&app);
    }
}

#[test]
fn a_picture_that_failed_is_asked_for_again_from_a_fresh_url() {
    // A copy kept from earlier holds a signed URL that has since expired (403); the fresh copy's
    // URL is signed anew, so its picture is asked for again, once.
    let mut app = app(80, 40);
    let (request, ..) =
        load_of(&open(&mut app, A, asset(A, "image", json!(["https://cdn.example/a.jpg?_jwt=old"])))).unwrap();
    app.update(Msg::Preview { request, result: Err("the file host answered 403 Forbidden".into()) }, now());
    assert!(text(&app).contains("Preview unavailable: the file host answered 403 Forbidden"));
    let effects = open(&mut app, A, asset(A, "image", json!(["https://cdn.example/a.jpg?_jwt=new"])));
    let (_, _, url, _) = load_of(&effects).expect("asked for again");
    assert!(url.ends_with("_jwt=new"));
    assert!(text(&app).contains("") && !text(&app).contains("Preview unavailable"));
}
