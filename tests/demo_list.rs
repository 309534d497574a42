//! The demo server's list and accounts endpoints, over real HTTP on loopback.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use runway_assets::demo::{
    self, DEMO_ACCOUNT, DEMO_ACCOUNT_ERROR_MESSAGE, DEMO_ASSET_COUNT, DEMO_ERROR_ACCOUNT, DemoServer,
};
use serde_json::Value;

/// One raw HTTP/1.1 GET with `Connection: close`: (status, body).
fn get_with(server: &DemoServer, path: &str, auth: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let auth = auth.map(|a| format!("Authorization: {a}\r\n")).unwrap_or_default();
    let head = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    assert!(head.to_ascii_lowercase().contains("content-type: application/json"), "{head}");
    (head[9..12].parse().unwrap(), body.to_owned())
}

fn get(server: &DemoServer, path: &str) -> (u16, String) {
    get_with(server, path, Some("Bearer demo-token"))
}

fn list(server: &DemoServer, query: &str) -> Vec<Value> {
    let (status, body) = get(server, &format!("/v1/runwayml/assets/?{query}"));
    assert_eq!(status, 200, "{query}: {body}");
    match serde_json::from_str(&body).unwrap() {
        Value::Array(items) => items,
        other => panic!("{query}: not an array: {other}"),
    }
}

fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(|v| v["assetId"].as_str().unwrap().to_owned()).collect()
}

fn error_of(status_body: (u16, String)) -> (u16, String) {
    let value: Value = serde_json::from_str(&status_body.1).unwrap();
    assert_eq!(value["code"].as_u64(), Some(u64::from(status_body.0)), "{}", status_body.1);
    (status_body.0, value["error"].as_str().unwrap().to_owned())
}

#[test]
fn pages_honour_offset_and_limit_newest_first() {
    let server = DemoServer::start().unwrap();
    let first = list(&server, "offset=0&limit=50&email=demo@example.com");
    assert_eq!(first.len(), 50);
    let created: Vec<&str> = first.iter().map(|v| v["createdAt"].as_str().unwrap()).collect();
    assert!(created.windows(2).all(|w| w[0] > w[1]), "newest first");
    // The real samples are the newest few, in their order.
    let samples: Vec<String> = demo::samples().iter().map(|(id, _)| (*id).to_owned()).collect();
    assert_eq!(ids(&first)[..samples.len()], samples[..]);
    // Overlapping pages agree, and without the trailing slash too.
    let shifted = list(&server, "limit=10&offset=45&email=demo%40example.com");
    assert_eq!(ids(&shifted)[..5], ids(&first)[45..]);
    let (status, body) = get(&server, "/v1/runwayml/assets?offset=3&limit=2&email=demo@example.com");
    assert_eq!(status, 200);
    let bare: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(ids(&bare), ids(&first)[3..5]);
    assert_eq!(list(&server, "offset=0&limit=1&email=demo@example.com").len(), 1);
}

#[test]
fn the_account_reaches_the_ceiling() {
    const { assert!(DEMO_ASSET_COUNT >= 1_200) };
    let server = DemoServer::start().unwrap();
    let deepest = list(&server, "offset=1000&limit=50&email=demo@example.com");
    assert_eq!(deepest.len(), 50);
    let mut seen = std::collections::HashSet::new();
    let mut previous: Option<String> = None;
    for offset in (0..=1000).step_by(50) {
        let page = list(&server, &format!("offset={offset}&limit=50&email=demo@example.com"));
        assert_eq!(page.len(), 50, "offset {offset}");
        for item in &page {
            assert!(seen.insert(item["assetId"].as_str().unwrap().to_owned()), "duplicate at {offset}");
            let created = item["createdAt"].as_str().unwrap().to_owned();
            assert!(previous.as_ref().is_none_or(|p| *p > created), "order at {offset}");
            previous = Some(created);
        }
    }
    assert_eq!(seen.len(), 1_050);
}

#[test]
fn media_type_filters_pages() {
    let server = DemoServer::start().unwrap();
    for media in ["video", "image", "audio"] {
        let page = list(&server, &format!("offset=0&limit=50&mediaType={media}&email=demo@example.com"));
        assert_eq!(page.len(), 50, "{media}");
        assert!(page.iter().all(|v| v["mediaType"] == media), "{media}");
        let created: Vec<&str> = page.iter().map(|v| v["createdAt"].as_str().unwrap()).collect();
        assert!(created.windows(2).all(|w| w[0] > w[1]), "{media}");
        let next = list(&server, &format!("offset=50&limit=50&mediaType={media}&email=demo@example.com"));
        let first = ids(&page);
        assert!(ids(&next).iter().all(|id| !first.contains(id)), "{media}");
        assert!(next.iter().all(|v| v["mediaType"] == media), "{media}");
    }
    // Audio is the smallest window: its deepest page is short, past its end is empty.
    let audio_tail = list(&server, "offset=1000&limit=50&mediaType=audio&email=demo@example.com");
    assert!(audio_tail.is_empty());
}

#[test]
fn bad_parameters_answer_400_naming_them() {
    let server = DemoServer::start().unwrap();
    let cases = [
        ("limit=10&email=demo@example.com", "offset"),
        ("offset=0&email=demo@example.com", "limit"),
        ("", "offset"),
        ("offset=-1&limit=10&email=demo@example.com", "offset"),
        ("offset=1001&limit=10&email=demo@example.com", "offset"),
        ("offset=abc&limit=10&email=demo@example.com", "offset"),
        ("offset=1.5&limit=10&email=demo@example.com", "offset"),
        ("offset=+1&limit=10&email=demo@example.com", "offset"),
        ("offset=&limit=10&email=demo@example.com", "offset"),
        ("offset=99999999999999999999&limit=10&email=demo@example.com", "offset"),
        ("offset=0&limit=0&email=demo@example.com", "limit"),
        ("offset=0&limit=51&email=demo@example.com", "limit"),
        ("offset=0&limit=ten&email=demo@example.com", "limit"),
        ("offset=0&limit=10&mediaType=Video&email=demo@example.com", "mediaType"),
        ("offset=0&limit=10&mediaType=&email=demo@example.com", "mediaType"),
        ("offset=0&limit=10&mediaType=document&email=demo@example.com", "mediaType"),
        ("offset=0&offset=1&limit=10&email=demo@example.com", "offset"),
        ("offset=0&limit=10", "email"),
        ("offset=0&limit=10&email=", "email"),
        ("offset=0&limit=10&email=nobody@example.com", "nobody@example.com"),
    ];
    for (query, named) in cases {
        let (status, message) = error_of(get(&server, &format!("/v1/runwayml/assets/?{query}")));
        assert_eq!(status, 400, "{query}");
        assert!(message.contains(named), "{query}: {message}");
    }
    let (_, message) = error_of(get(&server, "/v1/runwayml/assets/?offset=0&limit=10"));
    assert_eq!(message, "Multiple accounts configured, please specify email parameter");
}

#[test]
fn the_error_account_answers_596_and_auth_is_required() {
    let server = DemoServer::start().unwrap();
    let (status, message) = error_of(get(&server, "/v1/runwayml/assets/?offset=0&limit=10&email=studio@example.com"));
    assert_eq!(status, 596);
    assert!(message.contains(DEMO_ERROR_ACCOUNT) && message.contains(DEMO_ACCOUNT_ERROR_MESSAGE), "{message}");
    for path in ["/v1/runwayml/assets/?offset=0&limit=10&email=demo@example.com", "/v1/runwayml/accounts"] {
        assert_eq!(error_of(get_with(&server, path, None)), (401, "Unauthorized".to_owned()));
        assert_eq!(get_with(&server, path, Some("Bearer ")).0, 401);
    }
}

#[test]
fn every_listed_item_is_served_by_id_identically() {
    let server = DemoServer::start().unwrap();
    let mut checked = 0;
    for offset in (0..DEMO_ASSET_COUNT.min(1_001)).step_by(50) {
        let page = list(&server, &format!("offset={offset}&limit=50&email=demo@example.com"));
        for item in page.iter().step_by(if offset < 100 { 1 } else { 7 }) {
            let id = item["assetId"].as_str().unwrap();
            let (status, body) = get(&server, &format!("/v1/runwayml/assets/{id}"));
            assert_eq!(status, 200, "{id}");
            assert_eq!(serde_json::from_str::<Value>(&body).unwrap(), *item, "{id}");
            checked += 1;
        }
    }
    assert!(checked > 200);
}

#[test]
fn generated_items_look_like_runway_assets() {
    let server = DemoServer::start().unwrap();
    let mut items = Vec::new();
    for offset in (0..=1000).step_by(50) {
        items.extend(list(&server, &format!("offset={offset}&limit=50&email=demo@example.com")));
    }
    let prefix = format!("user:1000000001-runwayml:{DEMO_ACCOUNT}-");
    for item in &items[demo::samples().len()..] {
        let id = item["assetId"].as_str().unwrap();
        assert!(id.starts_with(&format!("{prefix}asset:")), "{id}");
        let upload = item["isUserUpload"].as_bool().unwrap();
        match item.get("taskId").and_then(Value::as_str) {
            Some(task) => assert!(!upload && task.starts_with(&format!("{prefix}task:")), "{task}"),
            None => assert!(upload, "{id}"),
        }
        assert!(item["fileSize"].as_u64().unwrap() > 0);
        assert!(item["name"].as_str().is_some_and(|n| !n.is_empty()));
    }
    let names: Vec<&str> = items.iter().filter_map(|v| v["name"].as_str()).collect();
    assert!(names.iter().any(|n| n.starts_with("Gen-") && n.ends_with(".mp4")));
    assert!(names.iter().any(|n| n.starts_with("IMG_") && n.ends_with(".jpeg")));
    assert!(names.iter().any(|n| n.contains('\u{1b}')), "an escape sequence");
    assert!(names.iter().any(|n| n.contains('\u{202E}')), "a bidi override");
    assert!(names.iter().any(|n| n.chars().count() == 10_000), "a 10,000-character name");
}

#[test]
fn accounts_answer_carries_the_secrets_as_the_real_api_does() {
    let server = DemoServer::start().unwrap();
    for path in ["/v1/runwayml/accounts", "/v1/runwayml/accounts/"] {
        let (status, body) = get(&server, path);
        assert_eq!(status, 200);
        for secret in demo::demo_secrets() {
            assert!(body.contains(secret), "the server side sends {secret}");
        }
        let value: Value = serde_json::from_str(&body).unwrap();
        let accounts = value.as_object().unwrap();
        assert_eq!(accounts.len(), 2);
        assert_eq!(value[DEMO_ACCOUNT]["email"], DEMO_ACCOUNT);
        assert_eq!(value[DEMO_ACCOUNT]["maxJobs"], 5);
        assert!(value[DEMO_ACCOUNT]["jwt"]["exp"].is_number() && value[DEMO_ACCOUNT].get("error").is_none());
        assert_eq!(value[DEMO_ERROR_ACCOUNT]["error"], DEMO_ACCOUNT_ERROR_MESSAGE);
    }
    let (status, body) = get(&server, "/v1/runwayml/accounts/studio%40example.com");
    assert_eq!(status, 200);
    assert!(body.contains(demo::DEMO_ERROR_SECRET_JWT));
    assert_eq!(error_of(get(&server, "/v1/runwayml/accounts/nobody@example.com")).0, 404);
}

#[test]
fn page_delay_slows_list_answers_only() {
    let server = DemoServer::start().unwrap();
    server.set_page_delay(Some(Duration::from_millis(300)));
    let start = Instant::now();
    assert_eq!(list(&server, "offset=0&limit=5&email=demo@example.com").len(), 5);
    assert!(start.elapsed() >= Duration::from_millis(300));
    let start = Instant::now();
    assert_eq!(get(&server, "/v1/runwayml/accounts").0, 200);
    assert!(start.elapsed() < Duration::from_millis(300));
    server.set_page_delay(None);
}

#[test]
fn page_delay_comes_from_the_environment_at_start() {
    let program = std::env::current_exe().unwrap();
    if std::env::var_os("DEMO_LIST_CHILD").is_none() {
        let status = std::process::Command::new(program)
            .args(["page_delay_comes_from_the_environment_at_start", "--exact", "--test-threads=1"])
            .env("DEMO_LIST_CHILD", "1")
            .env(demo::PAGE_DELAY_ENV, "250")
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        return;
    }
    let server = DemoServer::start().unwrap();
    let start = Instant::now();
    assert_eq!(list(&server, "offset=0&limit=1&email=demo@example.com").len(), 1);
    assert!(start.elapsed() >= Duration::from_millis(250));
}
