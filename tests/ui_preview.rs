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
    app.update(Msg::Terminal(Event::Paste(ID.into())), now());
    let effects = app.update(Msg::Terminal(Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))), now());
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
    let (load, cells) = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadPreview { request, cells, .. } => Some((*request, *cells)),
            _ => None,
        })
        .expect("the picture is asked for");
    (app, load, cells)
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
