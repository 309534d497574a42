//! The detail pane with a picture, pinned with snapshots: half blocks built directly (no
//! terminal is asked anything), below the fields in a narrow pane and beside them in a wide one,
//! while loading, and the one line a failure leaves.

use std::sync::Arc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use image::{DynamicImage, Rgb, RgbImage};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runway_assets::api::Asset;
use runway_assets::api::client::Fetched;
use runway_assets::app::preview::PictureReady;
use runway_assets::app::{App, Effect, Msg, StartupNotes};
use runway_assets::preview::{Graphics, encode};
use runway_assets::ui;
use serde_json::json;

const ID: &str = "user:1-runwayml:me@example.com-asset:aaaaaaaa-0000-4000-8000-000000000001";

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

/// A picture with something to see: a disc on a gradient.
fn picture() -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(320, 180, |x, y| {
        let (dx, dy) = (x as i32 - 160, y as i32 - 90);
        if dx * dx + dy * dy < 60 * 60 {
            Rgb([250, 250, 250])
        } else {
            Rgb([(x * 255 / 320) as u8, 40, (y * 255 / 180) as u8])
        }
    }))
}

/// The app with the asset on screen; returns the picture request and its box.
fn opened(w: u16, h: u16) -> (App, u64, (u16, u16)) {
    let mut app = App::new((w, h), now(), StartupNotes::default());
    app.update(Msg::PreviewSetup { font: (1, 2), max_bytes: 16 << 20, text_only: true }, now());
    let (load, cells) = open_asset(&mut app);
    (app, load, cells)
}

/// Looks up the asset (the answer arrives at once); returns the picture request and its box.
fn open_asset(app: &mut App) -> (u64, (u16, u16)) {
    app.update(Msg::Terminal(Event::Paste(ID.into())), now());
    let effects = app.update(key(KeyCode::Enter), now());
    let request =
        effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None });
    let raw = json!({
        "assetId": ID, "name": "Coastal drone.mp4", "mediaType": "video", "fileSize": 18_700_000,
        "updatedAt": "2026-11-25T09:03:51.002Z", "previewUrls": ["https://cdn.example/p.jpg"],
        "metadata": { "width": 1920, "height": 1080, "duration": 5, "frameRate": 24 }
    });
    let fetched = Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw };
    let effects = app
        .update(Msg::Fetched { request: request.unwrap(), asset_id: ID.into(), result: Box::new(Ok(fetched)) }, now());
    effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadPreview { request, cells, .. } => Some((*request, *cells)),
            _ => None,
        })
        .expect("the picture is asked for")
}

fn arrive(app: &mut App, request: u64, cells: (u16, u16)) {
    let image = Arc::new(picture());
    let encoded = encode(&Graphics::Halfblocks, &image, cells.0, cells.1).unwrap();
    app.update(Msg::Preview { request, result: Ok(PictureReady { image, encoded, cells }) }, now());
}

fn render(app: &App) -> String {
    let (w, h) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().to_string()
}

#[test]
fn a_picture_below_the_fields() {
    let (mut app, request, cells) = opened(80, 40);
    arrive(&mut app, request, cells);
    insta::assert_snapshot!(render(&app));
}

#[test]
fn a_picture_beside_the_fields_in_a_wide_pane() {
    let (mut app, request, cells) = opened(180, 36);
    arrive(&mut app, request, cells);
    insta::assert_snapshot!(render(&app));
}

#[test]
fn a_picture_on_its_way() {
    let (app, _, _) = opened(80, 40);
    insta::assert_snapshot!(render(&app));
}

#[test]
fn a_failed_picture_is_one_line() {
    let (mut app, request, _) = opened(80, 40);
    app.update(Msg::Preview { request, result: Err("the file host answered 403 Forbidden".into()) }, now());
    insta::assert_snapshot!(render(&app));
}

#[test]
fn a_graphics_picture_out_of_view_says_how_to_see_it() {
    // Kitty, sixel and iTerm2 pictures cannot be cut: below fields that fill the pane, the
    // picture's place says how to bring all of it into view, and it is drawn once it is.
    let mut app = shown_as_graphics(100, 32);
    let screen = render(&app);
    assert!(screen.contains("The picture is below: Tab to this pane, then G."), "{screen}");
    insta::assert_snapshot!(screen);

    app.update(key(KeyCode::BackTab), now()); // the detail, from the input
    let screen = render(&app);
    assert!(screen.contains("scroll down (j or G)"), "{screen}");
    app.update(key(KeyCode::Char('G')), now());
    let screen = render(&app);
    assert!(!screen.contains("The picture is"), "{screen}");
    assert!(screen.contains('▄') || screen.contains('▀'), "the picture, whole, at the end:\n{screen}");
}

#[test]
fn a_picture_further_down_than_the_pane_shows_is_announced_in_its_border() {
    // Fields taller than the pane: the picture's place is below the window, where nothing of it
    // shows; the position marker says a picture is down there.
    let mut app = shown_as_graphics(100, 24);
    let screen = render(&app);
    assert!(screen.contains(" picture below · 1/"), "{screen}");
    app.update(key(KeyCode::BackTab), now());
    app.update(key(KeyCode::Char('G')), now());
    let screen = render(&app);
    assert!(!screen.contains("picture below"), "scrolled to it:\n{screen}");
}

/// The app with the picture arrived, drawn as a graphics protocol would be (whole or not at all).
fn shown_as_graphics(w: u16, h: u16) -> App {
    let mut app = App::new((w, h), now(), StartupNotes::default());
    app.update(Msg::PreviewSetup { font: (1, 2), max_bytes: 16 << 20, text_only: false }, now());
    let (request, cells) = open_asset(&mut app);
    arrive(&mut app, request, cells);
    app
}

fn key(code: KeyCode) -> Msg {
    Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}
