//! A disk that fills up mid-download, simulated with a file size limit (RLIMIT_FSIZE): writes
//! past it fail as a full disk's would, and the download must say so and keep nothing. Alone
//! in its own test binary, as the limit applies to the whole process.

#![cfg(unix)]

use std::time::Duration;

use runway_assets::api::{Asset, ClientOptions};
use runway_assets::download::{DownloadError, DownloadEvent};
use runway_assets::workers::download::{DownloadCommand, DownloadJob, DownloadSettings, DownloadWorker};
use tokio::sync::mpsc::unbounded_channel;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_write_that_fails_part_way_keeps_nothing_and_says_why() {
    let files = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_bytes(vec![7u8; 4 << 20])).mount(&files).await;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("Downloads");
    // Past 1 MiB, a write fails with EFBIG (the signal that would kill us is ignored).
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let limit = libc::rlimit { rlim_cur: 1 << 20, rlim_max: libc::RLIM_INFINITY };
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0);
    }
    let settings = DownloadSettings {
        client: ClientOptions::new("http://127.0.0.1:9", None),
        dir: Ok(dir.clone()),
        lower_priority: false,
    };
    let (tx, mut events) = unbounded_channel();
    let worker = DownloadWorker::spawn(settings, tx).unwrap();
    let asset = Asset::from_value(serde_json::json!({ "name": "big", "url": format!("{}/big", files.uri()) })).unwrap();
    worker.send(DownloadCommand::Start(DownloadJob {
        job: 1,
        asset_id: "id".into(),
        asset: Some(Box::new(asset)),
        skip_existing: false,
    }));
    let outcome = loop {
        match tokio::time::timeout(Duration::from_secs(60), events.recv()).await.unwrap().unwrap() {
            DownloadEvent::Done { outcome, .. } => break outcome,
            _ => continue,
        }
    };
    let err = outcome.unwrap_err();
    assert_eq!(err, DownloadError::TooLargeToWrite);
    assert_eq!(err.to_string(), "the file is larger than this process may write (a file size limit); nothing was kept");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "no .part is left");
}
