//! The demo's file host: the URLs the demo's API hands out lead to real pictures and files on
//! another loopback port, which never sees the token.

use runway_assets::api::files::{FileClient, FileError, FileLimits};
use runway_assets::config::Token;
use runway_assets::demo::{DEMO_TOKEN, DemoServer};
use serde_json::Value;

const RACE_CAR: &str = "user:1000000001-runwayml:demo@example.com-asset:3f6c2a9e-8b1d-4c7a-9e52-1d0b7a4f6e21";
const OLD_VIDEO: &str = "user:1000000001-runwayml:demo@example.com-asset:a1f0c7d9-5e2b-4a38-9d61-0b4e8c7f2a95";

async fn asset(server: &DemoServer, id: &str) -> Value {
    let url = format!("{}/v1/runwayml/assets/{}", server.base_url(), id.replace(':', "%3A").replace('@', "%40"));
    runway_assets::api::client::install_crypto_provider();
    let response = reqwest::Client::new().get(url).bearer_auth(DEMO_TOKEN).send().await.expect("send");
    serde_json::from_slice(&response.bytes().await.expect("body")).expect("JSON")
}

fn files(server: &DemoServer) -> FileClient {
    FileClient::new(&server.base_url(), Token::new(DEMO_TOKEN))
}

async fn fetch(server: &DemoServer, url: &str) -> Result<Vec<u8>, FileError> {
    files(server).get(url, &FileLimits::default()).await?.bytes().await
}

#[tokio::test]
async fn asset_and_preview_urls_point_at_the_file_host() {
    let server = DemoServer::start().expect("start");
    let race_car = asset(&server, RACE_CAR).await;
    let url = race_car["url"].as_str().expect("url");
    assert!(url.starts_with(&format!("{}/runway/assets/", server.files_url())), "{url}");
    assert_ne!(server.files_url(), server.base_url());
    let preview = race_car["previewUrls"][0].as_str().expect("preview");
    assert!(preview.starts_with(&server.files_url()), "{preview}");
}

#[tokio::test]
async fn previews_are_pictures_shaped_like_their_asset_and_the_token_stays_home() {
    let server = DemoServer::start().expect("start");
    let video = asset(&server, OLD_VIDEO).await;
    let poster = video["previewUrls"][0].as_str().expect("poster");
    let bytes = fetch(&server, poster).await.expect("poster fetched");
    let picture = image::load_from_memory(&bytes).expect("a picture");
    // The video is 1280×768; its poster is 640 pixels on its long side.
    assert_eq!((picture.width(), picture.height()), (640, 384));
    let race_car = asset(&server, RACE_CAR).await;
    let webp = race_car["previewUrls"][0].as_str().expect("preview");
    let bytes = fetch(&server, webp).await.expect("webp fetched");
    assert_eq!(image::guess_format(&bytes).ok(), Some(image::ImageFormat::WebP));
    assert!(server.file_requests() >= 2);
    assert_eq!(server.file_requests_with_token(), 0);
}

#[tokio::test]
async fn an_asset_file_is_exactly_its_file_size() {
    let server = DemoServer::start().expect("start");
    // The string-numbers sample sends its fileSize as a string.
    let string_numbers = runway_assets::demo::samples()[3].0;
    for id in [RACE_CAR, OLD_VIDEO, string_numbers] {
        let value = asset(&server, id).await;
        let body = files(&server).get(value["url"].as_str().expect("url"), &FileLimits::default()).await;
        let body = body.expect("file");
        let size = value["fileSize"].as_u64().or_else(|| value["fileSize"].as_str()?.parse().ok()).expect("fileSize");
        assert_eq!(body.content_length(), Some(size), "{id}");
        assert_eq!(body.bytes().await.expect("read").len() as u64, size, "{id}");
    }
    // The image is a real picture, padded to its size.
    let race_car = asset(&server, RACE_CAR).await;
    let bytes = fetch(&server, race_car["url"].as_str().expect("url")).await.expect("file");
    assert!(image::load_from_memory(&bytes).is_ok());
    assert_eq!(server.file_requests_with_token(), 0);
}

#[tokio::test]
async fn an_expired_signature_is_refused_and_the_api_hands_out_fresh_ones() {
    let server = DemoServer::start().expect("start");
    let kept = server.with_file_urls(runway_assets::demo::samples()[3].1);
    let kept: Value = serde_json::from_str(&kept).expect("JSON");
    let stale = kept["url"].as_str().expect("url");
    assert!(stale.contains(runway_assets::demo::EXPIRED_SIGNATURE), "{stale}");
    let refused = fetch(&server, stale).await.expect_err("refused");
    assert!(refused.is_expired_url(), "{refused:?}");
    let fresh = asset(&server, kept["assetId"].as_str().expect("id")).await;
    let url = fresh["url"].as_str().expect("url");
    assert!(!url.contains("expired"), "{url}");
    assert!(fetch(&server, url).await.is_ok());
}

#[tokio::test]
async fn broken_files_fail_as_a_real_host_would() {
    let server = DemoServer::start().expect("start");
    let on_host = |path: &str| format!("{}/runway/{path}", server.files_url());
    let missing = fetch(&server, &on_host("previews/x/missing.jpg")).await;
    assert_eq!(missing.err(), Some(FileError::Status(404)));
    let page = files(&server).get(&on_host("previews/x/not-an-image.jpg"), &FileLimits::default()).await;
    let page = page.expect("answered");
    assert_eq!(page.content_type(), Some("image/jpeg"));
    assert!(image::load_from_memory(&page.bytes().await.expect("read")).is_err());
    // Cut short: seen as a truncated body, or as a dropped connection when the host closes
    // before the first bytes leave it.
    let short = fetch(&server, &on_host("broken/short")).await.err();
    assert!(
        matches!(short, Some(FileError::Truncated { expected: 1000, .. } | FileError::Network { .. })),
        "{short:?}"
    );
    assert_eq!(fetch(&server, &on_host("broken/loop")).await.err(), Some(FileError::TooManyRedirects));
    // Bounced back to the API: no token goes with it, so the API refuses.
    assert_eq!(fetch(&server, &on_host("broken/to-api")).await.err(), Some(FileError::Status(401)));
    let filler = fetch(&server, &on_host("filler/300000.bin")).await.expect("filler");
    assert_eq!(filler.len(), 300_000);
    assert_eq!(server.file_requests_with_token(), 0);
}

#[tokio::test]
async fn some_listed_assets_have_broken_previews() {
    let server = DemoServer::start().expect("start");
    let url = format!("{}/v1/runwayml/assets/?offset=0&limit=50&email=demo%40example.com", server.base_url());
    let response = reqwest::Client::new().get(url).bearer_auth(DEMO_TOKEN).send().await.expect("send");
    let page: Vec<Value> = serde_json::from_slice(&response.bytes().await.expect("body")).expect("JSON");
    let previews: Vec<&str> = page.iter().filter_map(|a| a["previewUrls"][0].as_str()).collect();
    assert!(previews.iter().any(|p| p.ends_with("/missing.jpg")));
    assert!(previews.iter().any(|p| p.ends_with("/not-an-image.jpg")));
    assert!(previews.iter().all(|p| p.starts_with(&server.files_url())));
}
