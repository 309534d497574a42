//! `cargo bench --bench preview`: what a picture costs on its way to the screen. The whole
//! background path for a 1920×1080 JPEG served from loopback (fetch, decode, scale, keep in the
//! cache, encode as half blocks for the slot of a 120×40 terminal), the same picture drawn from
//! the cache instead, each stage alone, and a 120×40 frame with the picture in it.

use std::io::{Cursor, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

use divan::Bencher;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runway_assets::api::Asset;
use runway_assets::api::client::Fetched;
use runway_assets::api::files::FileClient;
use runway_assets::app::preview::PictureReady;
use runway_assets::app::{App, Effect, Msg, StartupNotes};
use runway_assets::cache::PreviewCache;
use runway_assets::preview::{Graphics, PreviewKey, decode_thumbnail, encode};
use runway_assets::workers::preview::{PreviewSetup, jpeg, load};
use tokio::sync::Semaphore;

fn main() {
    // PREVIEW_MEMORY=1 cargo bench --bench preview: the memory figures instead of the timings.
    if std::env::var_os("PREVIEW_MEMORY").is_some() {
        for (w, h) in [(1920, 1080), (3840, 2160)] {
            memory(w, h);
        }
        return;
    }
    divan::main();
}

/// Resident memory now and at its peak, in MiB (Linux).
fn rss_mib() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The pictures of 50 assets seen one after another (each fetched from loopback, decoded,
/// kept, encoded; only the one on screen held, as the app does), then none on screen.
fn memory(w: u32, h: u32) {
    let url = serve(photo(w, h));
    let dir = tempfile::tempdir().unwrap();
    let setup = setup(Some(PreviewCache::new(dir.path().join("previews"), 1 << 30)));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let cpu = Arc::new(Semaphore::new(1));
    // The peak counted from here: making the test photo (and an earlier size's run) is not the
    // picture path's. Writing 5 to clear_refs resets the high-water mark (Linux ≥ 4.0).
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let (before, _) = rss_mib();
    let mut on_screen = None;
    for i in 0..50 {
        on_screen = Some(runtime.block_on(load(&setup, &cpu, key(i), &url, SLOT)).unwrap());
    }
    let (with_one, peak) = rss_mib();
    drop(on_screen);
    let (after, _) = rss_mib();
    println!(
        "{w}×{h} JPEG, 50 assets: RSS before {before:.1} MiB, peak {peak:.1} MiB, with the last on screen {with_one:.1} MiB, none on screen {after:.1} MiB (growth {:.1} MiB)",
        after - before
    );
}

/// The detail's picture slot in a 120×40 terminal (below the fields of a video).
const SLOT: (u16, u16) = (70, 17);

/// A photo-like 1920×1080 JPEG (smooth gradients and some texture, like a video frame).
fn photo(w: u32, h: u32) -> Vec<u8> {
    let picture = DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| {
        let noise = ((x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) >> 7) as u8 & 31;
        Rgb([(x * 200 / w) as u8 + noise, (y * 200 / h) as u8 + noise / 2, 90 + noise])
    }));
    let mut out = Cursor::new(Vec::new());
    picture.write_to(&mut out, ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// A loopback HTTP server that answers every request with `body` as image/jpeg.
fn serve(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let body = body.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                loop {
                    // One request per read is enough for these small GETs.
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let head = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: image/jpeg\r\ncontent-length: {}\r\n\r\n",
                        body.len()
                    );
                    if stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body)).is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{addr}/p.jpg")
}

fn setup(cache: Option<PreviewCache>) -> Arc<PreviewSetup> {
    Arc::new(PreviewSetup {
        files: FileClient::new("http://127.0.0.1:9", None),
        cache,
        graphics: Graphics::Halfblocks,
        max_bytes: 16 << 20,
    })
}

fn key(i: usize) -> PreviewKey {
    PreviewKey { asset_id: format!("asset-{i}"), version: "v1".into() }
}

/// Fetch from loopback, decode, scale, keep, encode: the picture of an asset not seen before.
#[divan::bench(sample_count = 40)]
fn loopback_1080p_jpeg_to_halfblocks(bencher: Bencher) {
    let url = serve(photo(1920, 1080));
    let dir = tempfile::tempdir().unwrap();
    let setup = setup(Some(PreviewCache::new(dir.path().join("previews"), 1 << 30)));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let cpu = Arc::new(Semaphore::new(1));
    let mut i = 0;
    bencher.bench_local(|| {
        i += 1;
        runtime.block_on(load(&setup, &cpu, key(i), &url, SLOT)).unwrap()
    });
}

/// The same picture seen again: read from the cache, decoded, encoded; no request.
#[divan::bench(sample_count = 40)]
fn cached_1080p_picture_to_halfblocks(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let cache = PreviewCache::new(dir.path().join("previews"), 1 << 30);
    let thumbnail = decode_thumbnail(&photo(1920, 1080)).unwrap();
    cache.store("asset-0", "v1", &jpeg(&thumbnail).unwrap()).unwrap();
    let setup = setup(Some(cache));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let cpu = Arc::new(Semaphore::new(1));
    bencher.bench_local(|| {
        let picture = runtime.block_on(load(&setup, &cpu, key(0), "http://127.0.0.1:9/unused", SLOT)).unwrap();
        assert!(picture.cached);
        picture
    });
}

#[divan::bench(args = [(1280, 720), (1920, 1080), (3840, 2160)])]
fn decode_and_scale_jpeg(bencher: Bencher, (w, h): (u32, u32)) {
    let bytes = photo(w, h);
    bencher.bench(|| decode_thumbnail(divan::black_box(&bytes)).unwrap());
}

#[divan::bench]
fn encode_halfblocks_for_the_slot(bencher: Bencher) {
    let thumbnail = decode_thumbnail(&photo(1920, 1080)).unwrap();
    bencher.bench(|| encode(&Graphics::Halfblocks, divan::black_box(&thumbnail), SLOT.0, SLOT.1).unwrap());
}

/// A full 120×40 frame with the detail's picture in it (what each redraw costs).
#[divan::bench]
fn draw_frame_with_a_picture(bencher: Bencher) {
    let now = jiff::Timestamp::now();
    let mut app = App::new((120, 40), now, StartupNotes::default());
    app.update(Msg::PreviewSetup { font: (1, 2), max_bytes: 16 << 20, text_only: true }, now);
    let id = "user:1-runwayml:me@example.com-asset:aaaaaaaa-0000-4000-8000-000000000001";
    app.update(Msg::Terminal(crossterm::event::Event::Paste(id.into())), now);
    let enter = crossterm::event::KeyEvent::new(crossterm::event::KeyCode::Enter, crossterm::event::KeyModifiers::NONE);
    let effects = app.update(Msg::Terminal(crossterm::event::Event::Key(enter)), now);
    let request =
        effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None });
    let raw = serde_json::json!({"assetId": id, "name": "drone.mp4", "mediaType": "video", "updatedAt": "v1",
        "previewUrls": ["http://127.0.0.1:9/p.jpg"], "metadata": {"width": 1920, "height": 1080}});
    let fetched = Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw };
    let effects =
        app.update(Msg::Fetched { request: request.unwrap(), asset_id: id.into(), result: Box::new(Ok(fetched)) }, now);
    let (load, cells) = effects
        .iter()
        .find_map(|e| if let Effect::LoadPreview { request, cells, .. } = e { Some((*request, *cells)) } else { None })
        .unwrap();
    let image = Arc::new(decode_thumbnail(&photo(1920, 1080)).unwrap());
    let encoded = encode(&Graphics::Halfblocks, &image, cells.0, cells.1).unwrap();
    app.update(Msg::Preview { request: load, result: Ok(PictureReady { image, encoded, cells }) }, now);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    bencher.bench_local(|| terminal.draw(|f| runway_assets::ui::draw(f, &app)).map(drop).unwrap());
}
