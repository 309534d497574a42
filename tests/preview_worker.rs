//! The picture worker against a local file host (wiremock, loopback only): the token never
//! reaches the file host, every bad answer becomes one phrase, a picture is kept in the cache and
//! the next visit makes no request, a damaged cache file is fetched again, an unwritable cache
//! still shows the picture, and the newest request wins.

use std::io::Cursor;
use std::time::Duration;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use runway_assets::api::files::FileClient;
use runway_assets::cache::PreviewCache;
use runway_assets::config::Token;
use runway_assets::preview::{Graphics, PreviewKey};
use runway_assets::workers::preview::{PreviewCommand, PreviewEvent, PreviewSetup, spawn};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "secret-token-123";
const MAX: u64 = 1 << 20;

fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let picture = DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| Rgb([x as u8, y as u8, 99])));
    let mut out = Cursor::new(Vec::new());
    picture.write_to(&mut out, ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn key(id: &str) -> PreviewKey {
    PreviewKey { asset_id: id.into(), version: "2026-11-25T09:03:51.002Z".into() }
}

struct Worker {
    commands: UnboundedSender<PreviewCommand>,
    events: UnboundedReceiver<PreviewEvent>,
    next: u64,
}

impl Worker {
    /// A worker whose API is `api` (which alone may see the token), keeping pictures in `cache`.
    fn start(api: &str, cache: Option<PreviewCache>) -> Worker {
        let setup = PreviewSetup {
            files: FileClient::new(api, Token::new(TOKEN)),
            cache,
            graphics: Graphics::Halfblocks,
            max_bytes: MAX,
        };
        let (tx, events) = unbounded_channel();
        Worker { commands: spawn(setup, tx), events, next: 0 }
    }

    fn load(&mut self, id: &str, url: &str) -> u64 {
        self.next += 1;
        let command = PreviewCommand::Load { request: self.next, key: key(id), url: url.into(), cells: (40, 12) };
        self.commands.send(command).unwrap();
        self.next
    }

    async fn answer(&mut self) -> PreviewEvent {
        tokio::time::timeout(Duration::from_secs(60), self.events.recv()).await.expect("an answer in time").unwrap()
    }

    async fn picture(&mut self, id: &str, url: &str) -> runway_assets::workers::preview::Picture {
        let request = self.load(id, url);
        let event = self.answer().await;
        assert_eq!(event.request, request);
        event.result.unwrap_or_else(|e| panic!("no picture: {e}"))
    }

    async fn failure(&mut self, id: &str, url: &str) -> String {
        let request = self.load(id, url);
        let event = self.answer().await;
        assert_eq!(event.request, request);
        event.result.expect_err("a failure")
    }
}

/// Waits (condition, generous deadline) for the picture to be kept: that happens after it is
/// shown, off its way to the screen.
async fn kept(cache: &PreviewCache, id: &str) {
    let path = cache.file_path(id, &key(id).version);
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !(path.exists() && cache.load(id, &key(id).version).is_ok_and(|b| b.is_some())) {
        assert!(std::time::Instant::now() < deadline, "the picture was never kept");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn carries_token(request: &Request) -> bool {
    request.headers.values().any(|v| v.to_str().is_ok_and(|v| v.contains(TOKEN)))
        || request.url.as_str().contains(TOKEN)
}

async fn serve(server: &MockServer, at: &str, response: ResponseTemplate) {
    Mock::given(method("GET")).and(path(at)).respond_with(response).mount(server).await;
}

#[tokio::test]
async fn a_picture_is_fetched_without_the_token_kept_and_shown_again_with_no_request() {
    let api = MockServer::start().await;
    let files = MockServer::start().await;
    serve(&files, "/p.jpg", ResponseTemplate::new(200).set_body_raw(jpeg(1920, 1080), "image/jpeg")).await;
    let dir = tempfile::tempdir().unwrap();
    let cache = PreviewCache::new(dir.path().join("previews"), 1 << 24);
    let mut worker = Worker::start(&api.uri(), Some(cache.clone()));
    let url = format!("{}/p.jpg", files.uri());

    let first = worker.picture("a", &url).await;
    assert!(!first.cached);
    assert_eq!((first.image.width(), first.image.height()), (1024, 576), "kept scaled down");
    let encoded = first.encoded.expect("encoded for the box");
    assert!(encoded.cells.0 <= 40 && encoded.cells.1 <= 12, "{:?}", encoded.cells);
    let seen = files.received_requests().await.unwrap();
    assert_eq!(seen.len(), 1);
    assert!(!seen.iter().any(carries_token), "the file host saw the token");
    assert!(api.received_requests().await.unwrap().is_empty());
    kept(&cache, "a").await;

    // Seen again: from the cache, no request.
    let again = worker.picture("a", &url).await;
    assert!(again.cached);
    assert_eq!(files.received_requests().await.unwrap().len(), 1, "no second request");
}

#[tokio::test]
async fn every_bad_answer_is_one_phrase() {
    let api = MockServer::start().await;
    let files = MockServer::start().await;
    serve(&files, "/403", ResponseTemplate::new(403)).await;
    serve(&files, "/404", ResponseTemplate::new(404)).await;
    serve(&files, "/500", ResponseTemplate::new(500)).await;
    serve(&files, "/html", ResponseTemplate::new(200).set_body_raw("<html>login</html>", "text/html")).await;
    serve(
        &files,
        "/fake.jpg",
        ResponseTemplate::new(200).set_body_raw(b"definitely not a jpeg".to_vec(), "image/jpeg"),
    )
    .await;
    let bomb = include_bytes!("../assets/preview-bomb.png").to_vec();
    serve(&files, "/bomb.png", ResponseTemplate::new(200).set_body_raw(bomb, "image/png")).await;
    serve(&files, "/huge", ResponseTemplate::new(200).set_body_raw(vec![0u8; (MAX + 1) as usize], "image/jpeg")).await;
    serve(&files, "/to-file", ResponseTemplate::new(302).insert_header("location", "file:///etc/passwd")).await;
    let mut worker = Worker::start(&api.uri(), None);
    let at = |p: &str| format!("{}{p}", files.uri());
    assert_eq!(worker.failure("a", &at("/403")).await, "the file host answered 403 Forbidden");
    assert_eq!(worker.failure("a", &at("/404")).await, "the file host answered 404 Not Found");
    assert_eq!(worker.failure("a", &at("/500")).await, "the file host answered 500 Internal Server Error");
    assert_eq!(worker.failure("a", &at("/html")).await, "the file host sent a web page, not a picture");
    assert_eq!(worker.failure("a", &at("/fake.jpg")).await, "the file is not a JPEG, PNG, WebP or GIF picture");
    assert!(worker.failure("a", &at("/bomb.png")).await.contains("100000×100000"));
    assert!(worker.failure("a", &at("/huge")).await.contains("larger than"));
    assert!(worker.failure("a", &at("/to-file")).await.contains("file"));
    for hostile in ["javascript:alert(1)", "data:image/png;base64,AAAA", "file:///etc/passwd", ""] {
        let phrase = worker.failure("a", hostile).await;
        assert!(!phrase.is_empty() && !phrase.contains('\n'), "{hostile}: {phrase}");
    }
    assert!(!files.received_requests().await.unwrap().iter().any(carries_token));
}

#[tokio::test]
async fn a_damaged_cache_file_is_fetched_again_and_an_unwritable_cache_still_shows() {
    let api = MockServer::start().await;
    let files = MockServer::start().await;
    serve(&files, "/p.jpg", ResponseTemplate::new(200).set_body_raw(jpeg(64, 36), "image/jpeg")).await;
    let url = format!("{}/p.jpg", files.uri());
    let dir = tempfile::tempdir().unwrap();
    let cache = PreviewCache::new(dir.path().join("previews"), 1 << 24);
    // A file in the picture's place that holds its header and then garbage.
    cache.store("a", &key("a").version, b"\xff\xd8 not really a jpeg").unwrap();
    let mut worker = Worker::start(&api.uri(), Some(cache.clone()));
    let picture = worker.picture("a", &url).await;
    assert!(!picture.cached, "the damaged copy was not used");
    assert_eq!(files.received_requests().await.unwrap().len(), 1);
    kept(&cache, "a").await;
    assert!(worker.picture("a", &url).await.cached, "and the fresh one was kept");

    // The cache's folder cannot be made: the picture is shown all the same.
    std::fs::write(dir.path().join("blocked"), b"a file").unwrap();
    let blocked = PreviewCache::new(dir.path().join("blocked"), 1 << 24);
    let mut worker = Worker::start(&api.uri(), Some(blocked));
    assert!(worker.picture("b", &url).await.encoded.is_some());
}

#[tokio::test]
async fn the_newest_request_wins() {
    let api = MockServer::start().await;
    let files = MockServer::start().await;
    let slow = ResponseTemplate::new(200).set_body_raw(jpeg(64, 36), "image/jpeg").set_delay(Duration::from_secs(30));
    serve(&files, "/slow.jpg", slow).await;
    serve(&files, "/fast.jpg", ResponseTemplate::new(200).set_body_raw(jpeg(64, 36), "image/jpeg")).await;
    let mut worker = Worker::start(&api.uri(), None);
    let passed_over = worker.load("a", &format!("{}/slow.jpg", files.uri()));
    let wanted = worker.load("b", &format!("{}/fast.jpg", files.uri()));
    let event = worker.answer().await;
    assert_eq!(event.request, wanted, "the asset passed over does not hold up the one stopped on");
    assert!(event.result.is_ok());
    assert_ne!(passed_over, wanted);
}
