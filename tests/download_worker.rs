//! The download worker against local hosts: wiremock standing in for the API and for file hosts
//! on other ports, and a hand-written server for what wiremock cannot do (a body cut short, a
//! body longer than announced, a stall). What is saved, under which name, what never is (a
//! `.part`, an overwritten file), and that the token reaches the API's origin only.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use runway_assets::api::{Asset, ClientOptions};
use runway_assets::config::Token;
use runway_assets::download::{DownloadError, DownloadEvent, JobId, Outcome};
use runway_assets::workers::download::{DownloadCommand, DownloadJob, DownloadSettings, DownloadWorker};
use serde_json::json;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "user:77-download-s3cret";
const ID: &str = "user:1-runwayml:me@example.com-asset:abc";
/// Only a failsafe so a broken worker cannot hang the suite; no test relies on it.
const FAILSAFE: Duration = Duration::from_secs(60);

struct Setup {
    worker: DownloadWorker,
    events: UnboundedReceiver<DownloadEvent>,
    dir: tempfile::TempDir,
}

fn start(api: &str, dir: Option<PathBuf>, stall: Duration) -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let mut client = ClientOptions::new(api, Token::new(TOKEN));
    client.read_timeout = stall;
    client.retries = 0;
    let dir = Ok(dir.unwrap_or_else(|| tmp.path().join("Downloads")));
    let settings = DownloadSettings { client, dir, lower_priority: false };
    let (tx, events) = unbounded_channel();
    let worker = DownloadWorker::spawn(settings, tx).unwrap();
    Setup { worker, events, dir: tmp }
}

impl Setup {
    fn downloads(&self) -> PathBuf {
        self.dir.path().join("Downloads")
    }

    fn send(&self, job: JobId, asset: Option<Asset>, skip_existing: bool) {
        self.worker.send(DownloadCommand::Start(DownloadJob {
            job,
            asset_id: ID.into(),
            asset: asset.map(Box::new),
            skip_existing,
        }));
    }

    /// Events until `job` is done; returns its outcome and the events seen.
    async fn done(&mut self, job: JobId) -> (Result<Outcome, DownloadError>, Vec<DownloadEvent>) {
        let mut seen = Vec::new();
        loop {
            let event = tokio::time::timeout(FAILSAFE, self.events.recv()).await.expect("failsafe").expect("open");
            if let DownloadEvent::Done { job: j, outcome } = &event
                && *j == job
            {
                return (outcome.clone(), seen);
            }
            seen.push(event);
        }
    }

    async fn started(&mut self, job: JobId) {
        loop {
            let event = tokio::time::timeout(FAILSAFE, self.events.recv()).await.expect("failsafe").expect("open");
            if matches!(event, DownloadEvent::Started { job: j, .. } if j == job) {
                return;
            }
        }
    }
}

fn asset(url: &str, name: Option<&str>, size: Option<u64>) -> Asset {
    Asset::from_value(json!({
        "assetId": ID, "name": name, "url": url, "fileSize": size, "fileExtStandardized": "mp4"
    }))
    .unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    let mut v: Vec<String> = entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn carried_token(r: &Request) -> bool {
    r.headers.get("authorization").is_some()
        || r.url.as_str().contains("s3cret")
        || r.headers.values().any(|v| v.to_str().unwrap_or("").contains("s3cret"))
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

/// Waits (with a generous deadline) for a condition on the disk.
async fn eventually(what: &str, ready: impl Fn() -> bool) {
    let start = std::time::Instant::now();
    while !ready() {
        assert!(start.elapsed() < FAILSAFE, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_file_is_saved_whole_and_the_file_host_never_sees_the_token() {
    let (api, files) = (MockServer::start().await, MockServer::start().await);
    let body = vec![42u8; 300_000];
    Mock::given(path("/media/clip.mp4"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "video/mp4"))
        .mount(&files)
        .await;
    let mut s = start(&api.uri(), None, Duration::from_secs(30));
    s.send(1, Some(asset(&format!("{}/media/clip.mp4", files.uri()), Some("Street interview"), Some(300_000))), false);
    let (outcome, events) = s.done(1).await;
    let path = s.downloads().join("Street interview.mp4");
    assert_eq!(outcome, Ok(Outcome::Saved { path: path.clone(), bytes: 300_000 }));
    assert_eq!(std::fs::read(&path).unwrap(), body);
    assert_eq!(names(&s.downloads()), ["Street interview.mp4"]);
    assert!(events.iter().any(|e| matches!(e, DownloadEvent::Started { file_name, total: Some(300_000), .. } if file_name == "Street interview.mp4")));
    for r in requests(&files).await {
        assert!(!carried_token(&r), "the file host got the token: {:?}", r.headers);
    }
    assert!(requests(&api).await.is_empty(), "a known asset needs no lookup");
}

#[tokio::test]
async fn a_nameless_asset_is_looked_up_and_the_token_goes_to_the_api_only() {
    let (api, files) = (MockServer::start().await, MockServer::start().await);
    Mock::given(path(format!("/v1/runwayml/assets/{ID}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "assetId": ID, "url": format!("{}/f", files.uri()), "fileSize": 3, "fileExtStandardized": "png"
        })))
        .mount(&api)
        .await;
    Mock::given(path("/f"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"png".to_vec()))
        .mount(&files)
        .await;
    let mut s = start(&api.uri(), None, Duration::from_secs(30));
    s.send(1, None, false);
    let (outcome, _) = s.done(1).await;
    let saved = s.downloads().join("user_1-runwayml_me@example.com-asset_abc.png");
    assert_eq!(outcome, Ok(Outcome::Saved { path: saved, bytes: 3 }));
    let api_requests = requests(&api).await;
    assert_eq!(api_requests.len(), 1);
    assert_eq!(api_requests[0].headers.get("authorization").unwrap().to_str().unwrap(), format!("Bearer {TOKEN}"));
    assert!(requests(&files).await.iter().all(|r| !carried_token(r)));
}

#[tokio::test]
async fn a_redirect_to_another_host_is_followed_without_the_token() {
    let (api, files, cdn) = (MockServer::start().await, MockServer::start().await, MockServer::start().await);
    // The asset's URL is on the API's own origin (it gets the token), which sends us on to a
    // file host, which sends us to a CDN, which sends us back to the API: no token after the first hop.
    Mock::given(path("/v1/file"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/hop", files.uri())))
        .mount(&api)
        .await;
    Mock::given(path("/v1/back"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"final".to_vec()))
        .mount(&api)
        .await;
    Mock::given(path("/hop"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", format!("{}/cdn", cdn.uri())))
        .mount(&files)
        .await;
    Mock::given(path("/cdn"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", format!("{}/v1/back", api.uri())))
        .mount(&cdn)
        .await;
    let mut s = start(&api.uri(), None, Duration::from_secs(30));
    s.send(1, Some(asset(&format!("{}/v1/file", api.uri()), Some("r.mp4"), None)), false);
    let (outcome, _) = s.done(1).await;
    assert_eq!(outcome, Ok(Outcome::Saved { path: s.downloads().join("r.mp4"), bytes: 5 }));
    let api_requests = requests(&api).await;
    assert_eq!(api_requests.len(), 2);
    assert!(carried_token(&api_requests[0]), "the API's origin gets it");
    assert!(!carried_token(&api_requests[1]), "not after a hop has left the API's origin");
    assert!(requests(&files).await.iter().chain(requests(&cdn).await.iter()).all(|r| !carried_token(r)));
}

#[tokio::test]
async fn a_redirect_loop_ends_with_a_sentence_and_no_file() {
    let files = MockServer::start().await;
    Mock::given(path("/a"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/b"))
        .mount(&files)
        .await;
    Mock::given(path("/b"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/a"))
        .mount(&files)
        .await;
    let mut s = start("http://127.0.0.1:9", None, Duration::from_secs(30));
    s.send(1, Some(asset(&format!("{}/a", files.uri()), Some("loop"), None)), false);
    let (outcome, _) = s.done(1).await;
    assert_eq!(outcome.unwrap_err().to_string(), "the file host redirected more than 5 times");
    assert!(names(&s.downloads()).is_empty());
}

#[tokio::test]
async fn an_expired_url_is_refreshed_from_the_api_and_tried_once_more() {
    let (api, files) = (MockServer::start().await, MockServer::start().await);
    Mock::given(path("/old")).respond_with(ResponseTemplate::new(403)).mount(&files).await;
    Mock::given(path("/new"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"fresh".to_vec()))
        .mount(&files)
        .await;
    Mock::given(path(format!("/v1/runwayml/assets/{ID}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "assetId": ID, "name": "clip", "url": format!("{}/new", files.uri()), "fileExtStandardized": "mp4"
        })))
        .mount(&api)
        .await;
    let mut s = start(&api.uri(), None, Duration::from_secs(30));
    s.send(1, Some(asset(&format!("{}/old", files.uri()), Some("clip"), None)), false);
    let (outcome, _) = s.done(1).await;
    assert_eq!(outcome, Ok(Outcome::Saved { path: s.downloads().join("clip.mp4"), bytes: 5 }));
    assert_eq!(requests(&api).await.len(), 1, "one fresh lookup");

    // A URL that stays refused is tried only twice in all, then explained.
    Mock::given(path("/gone")).respond_with(ResponseTemplate::new(410)).mount(&files).await;
    Mock::given(path(format!("/v1/runwayml/assets/{ID}2")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "url": format!("{}/gone", files.uri()) })))
        .mount(&api)
        .await;
    s.worker.send(DownloadCommand::Start(DownloadJob {
        job: 2,
        asset_id: format!("{ID}2"),
        asset: Some(Box::new(asset(&format!("{}/gone", files.uri()), Some("g"), None))),
        skip_existing: false,
    }));
    let (outcome, _) = s.done(2).await;
    assert_eq!(outcome.unwrap_err().to_string(), "the file host answered 410 Gone");
    assert_eq!(requests(&files).await.iter().filter(|r| r.url.path() == "/gone").count(), 2);
}

#[tokio::test]
async fn error_answers_and_web_pages_are_sentences_and_leave_nothing() {
    let files = MockServer::start().await;
    Mock::given(path("/404")).respond_with(ResponseTemplate::new(404)).mount(&files).await;
    Mock::given(path("/500")).respond_with(ResponseTemplate::new(500).set_body_string("oops")).mount(&files).await;
    Mock::given(path("/html"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"<html>sign in</html>".to_vec(), "text/html"))
        .mount(&files)
        .await;
    let mut s = start("http://127.0.0.1:9", None, Duration::from_secs(30));
    let cases = [
        ("/404", "the file host answered 404 Not Found"),
        ("/500", "the file host answered 500 Internal Server Error"),
        ("/html", "the file host sent a web page instead of the file (an error or sign-in page); nothing was saved"),
    ];
    for (i, (p, sentence)) in cases.iter().enumerate() {
        s.send(i as u64, Some(asset(&format!("{}{p}", files.uri()), Some("x"), None)), false);
        let (outcome, _) = s.done(i as u64).await;
        assert_eq!(outcome.unwrap_err().to_string(), *sentence);
    }
    let bad_urls = [
        (
            "file:///etc/passwd",
            "its URL cannot be downloaded: it is a file: URL, and only http and https URLs are used",
        ),
        (
            "javascript:alert(1)",
            "its URL cannot be downloaded: it is a javascript: URL, and only http and https URLs are used",
        ),
        ("", "this asset has no file URL to download"),
    ];
    for (i, (url, sentence)) in bad_urls.iter().enumerate() {
        let job = 10 + i as u64;
        s.send(job, Some(asset(url, Some("x"), None)), false);
        assert_eq!(s.done(job).await.0.unwrap_err().to_string(), *sentence);
    }
    assert!(names(&s.downloads()).is_empty(), "{:?}", names(&s.downloads()));
}

/// A file host written by hand (see `common::raw_host`), at `/file`.
fn raw_host(head: String, body: Vec<u8>, hold: bool) -> String {
    format!("{}/file", common::raw_host(head, body, hold))
}

#[tokio::test]
async fn bodies_shorter_or_longer_than_announced_keep_nothing() {
    let short =
        raw_host("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n".into(), vec![1; 10], false);
    let long = raw_host("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".into(), vec![1; 5000], false);
    let mut s = start("http://127.0.0.1:9", None, Duration::from_secs(30));
    s.send(1, Some(asset(&short, Some("short"), None)), false);
    assert_eq!(
        s.done(1).await.0.unwrap_err(),
        DownloadError::SizeMismatch {
            received: 10,
            expected: 1000,
            what: runway_assets::download::error::SizeSource::ContentLength
        }
    );
    s.send(2, Some(asset(&long, Some("long"), Some(1000))), false);
    let err = s.done(2).await.0.unwrap_err();
    assert!(matches!(err, DownloadError::SizeMismatch { expected: 1000, .. }), "{err:?}");
    assert!(err.to_string().contains("the asset's fileSize said 1,000 bytes"), "{err}");
    // Shorter than the asset's fileSize, with no Content-Length.
    let unannounced = raw_host("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".into(), vec![1; 10], false);
    s.send(3, Some(asset(&unannounced, Some("unannounced"), Some(20))), false);
    assert!(
        s.done(3)
            .await
            .0
            .unwrap_err()
            .to_string()
            .starts_with("the server sent 10 bytes but the asset's fileSize said 20 bytes")
    );
    // Content-Length and fileSize disagree: nothing is fetched past the headers.
    s.send(4, Some(asset(&short, Some("disagree"), Some(999))), false);
    assert_eq!(
        s.done(4).await.0.unwrap_err().to_string(),
        "the file host announced 1,000 bytes but the asset's fileSize says 999 bytes; nothing was saved"
    );
    assert!(names(&s.downloads()).is_empty(), "{:?}", names(&s.downloads()));
}

#[tokio::test]
async fn a_stalled_server_is_given_up_on_and_leaves_no_part() {
    let stalls = raw_host("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".into(), vec![1; 1000], true);
    let mut s = start("http://127.0.0.1:9", None, Duration::from_millis(300));
    s.send(1, Some(asset(&stalls, Some("stall"), None)), false);
    let (outcome, _) = s.done(1).await;
    assert_eq!(outcome, Err(DownloadError::Stalled { secs: 0 }));
    assert!(names(&s.downloads()).is_empty(), "{:?}", names(&s.downloads()));
}

#[tokio::test]
async fn cancelling_or_quitting_removes_the_part_file() {
    let stalls = raw_host("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".into(), vec![1; 1000], true);
    let mut s = start("http://127.0.0.1:9", None, Duration::from_secs(60));
    s.send(1, Some(asset(&stalls, Some("one"), None)), false);
    s.started(1).await;
    let downloads = s.downloads();
    eventually("the .part to appear", || names(&downloads) == ["one.mp4.part"]).await;
    s.worker.send(DownloadCommand::Cancel(1));
    assert_eq!(s.done(1).await.0, Err(DownloadError::Cancelled));
    eventually("the .part to go", || names(&downloads).is_empty()).await;

    s.send(2, Some(asset(&stalls, Some("two"), None)), false);
    s.started(2).await;
    eventually("the .part to appear", || names(&downloads) == ["two.mp4.part"]).await;
    let Setup { worker, dir, .. } = s;
    worker.finish();
    assert!(names(&dir.path().join("Downloads")).is_empty(), "finish waits for the .part to go");
}

#[tokio::test]
async fn nothing_is_overwritten_and_skip_existing_skips_the_same_name_and_size() {
    let files = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"new!".to_vec()))
        .mount(&files)
        .await;
    let mut s = start("http://127.0.0.1:9", None, Duration::from_secs(30));
    std::fs::create_dir_all(s.downloads()).unwrap();
    std::fs::write(s.downloads().join("same.mp4"), b"mine").unwrap();
    let url = format!("{}/f", files.uri());
    s.send(1, Some(asset(&url, Some("same"), Some(4))), false);
    assert_eq!(s.done(1).await.0, Ok(Outcome::Saved { path: s.downloads().join("same (1).mp4"), bytes: 4 }));
    assert_eq!(std::fs::read(s.downloads().join("same.mp4")).unwrap(), b"mine");
    s.send(2, Some(asset(&url, Some("same"), Some(4))), true);
    assert_eq!(s.done(2).await.0, Ok(Outcome::Skipped { path: s.downloads().join("same.mp4") }));
    let before = requests(&files).await.len();
    assert_eq!(before, 1, "a skip known from fileSize asks nothing");
    // Without a fileSize, Content-Length decides.
    s.send(3, Some(asset(&url, Some("same"), None)), true);
    assert_eq!(s.done(3).await.0, Ok(Outcome::Skipped { path: s.downloads().join("same.mp4") }));
    // Same name, another size: downloaded beside it.
    s.send(4, Some(asset(&url, Some("other"), Some(4))), true);
    assert!(matches!(s.done(4).await.0, Ok(Outcome::Saved { .. })));
    std::fs::write(s.downloads().join("other.mp4"), b"longer").unwrap();
    s.send(5, Some(asset(&url, Some("other"), Some(4))), true);
    assert_eq!(s.done(5).await.0, Ok(Outcome::Saved { path: s.downloads().join("other (1).mp4"), bytes: 4 }));
}

#[tokio::test]
async fn two_assets_with_the_same_name_at_once_get_two_files() {
    let files = MockServer::start().await;
    Mock::given(path("/a"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'a'; 100_000]))
        .mount(&files)
        .await;
    Mock::given(path("/b"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'b'; 100_000]))
        .mount(&files)
        .await;
    let mut s = start("http://127.0.0.1:9", None, Duration::from_secs(30));
    s.send(1, Some(asset(&format!("{}/a", files.uri()), Some("../../.bashrc"), None)), false);
    s.send(2, Some(asset(&format!("{}/b", files.uri()), Some("../../.bashrc"), None)), false);
    let mut saved = Vec::new();
    while saved.len() < 2 {
        match tokio::time::timeout(FAILSAFE, s.events.recv()).await.unwrap().unwrap() {
            DownloadEvent::Done { outcome: Ok(Outcome::Saved { path, .. }), .. } => saved.push(path),
            DownloadEvent::Done { outcome, .. } => panic!("{outcome:?}"),
            _ => {}
        }
    }
    assert_eq!(names(&s.downloads()), ["bashrc (1).mp4", "bashrc.mp4"]);
    let contents: Vec<u8> = saved.iter().map(|p| std::fs::read(p).unwrap()[0]).collect();
    assert!(contents.contains(&b'a') && contents.contains(&b'b'));
}

#[tokio::test]
async fn download_folders_that_cannot_be_used_are_sentences() {
    let files = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"x".to_vec()))
        .mount(&files)
        .await;
    let url = format!("{}/f", files.uri());
    let tmp = tempfile::tempdir().unwrap();
    // A file where the folder should be.
    let file = tmp.path().join("a-file");
    std::fs::write(&file, b"").unwrap();
    let mut s = start("http://127.0.0.1:9", Some(file.clone()), Duration::from_secs(30));
    s.send(1, Some(asset(&url, Some("x"), None)), false);
    let err = s.done(1).await.0.unwrap_err();
    assert_eq!(err.to_string(), format!("{} is a file, not a folder; choose another download folder", file.display()));
    // A missing folder is created.
    let missing = tmp.path().join("new/deeper");
    let mut s = start("http://127.0.0.1:9", Some(missing.clone()), Duration::from_secs(30));
    s.send(1, Some(asset(&url, Some("x"), None)), false);
    assert_eq!(s.done(1).await.0, Ok(Outcome::Saved { path: missing.join("x.mp4"), bytes: 1 }));
    // A folder that cannot be written: mode 0555, and for root (who may write anywhere) the
    // immutable attribute, where chattr works.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = tmp.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
        let immutable = std::process::Command::new("chattr")
            .arg("+i")
            .arg(&ro)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        let mut s = start("http://127.0.0.1:9", Some(ro.clone()), Duration::from_secs(30));
        s.send(1, Some(asset(&url, Some("x"), None)), false);
        let outcome = s.done(1).await.0;
        if immutable {
            let _ = std::process::Command::new("chattr").arg("-i").arg(&ro).status();
        }
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
        let saved = names(&ro).contains(&"x.mp4".to_string());
        assert!(!saved || !immutable, "an immutable folder was written");
        if !saved {
            assert_eq!(
                outcome.unwrap_err().to_string(),
                format!(
                    "permission denied: cannot write in {}; choose another folder with --download-dir or download_dir in config.toml",
                    ro.display()
                )
            );
            assert!(names(&ro).is_empty());
        }
    }
}
