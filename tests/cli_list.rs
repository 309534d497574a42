//! The real binary's `list` and `accounts` subcommands against wiremock (via --base-url):
//! table and JSON output, paging in order without duplicates, usage errors, failures after
//! some rows, and account secrets never printed. Each run gets its own HOME and config dir.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BIN: &str = env!("CARGO_BIN_EXE_runway-assets");
const TOKEN: &str = "user:42-cliL1stS3cret";
/// Only a failsafe so a hung binary fails the test instead of the suite; nothing relies on it.
const FAILSAFE: Duration = Duration::from_secs(60);

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

struct Home {
    dir: TempDir,
}

impl Home {
    fn new() -> Home {
        Home { dir: tempfile::tempdir().expect("a temp dir") }
    }

    fn config_home(&self) -> PathBuf {
        self.dir.path().join(".config")
    }

    /// The binary against `base_url` (by --base-url) with the token set and nothing else.
    fn run(&self, base_url: &str, args: &[&str]) -> Out {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .args(["--base-url", base_url])
            .env_remove("USEAPI_ACCOUNT")
            .env_remove("USEAPI_BASE_URL")
            .env("USEAPI_TOKEN", TOKEN)
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.config_home())
            .env("NO_COLOR", "1");
        run(cmd)
    }
}

fn run(mut cmd: Command) -> Out {
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("starts");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > FAILSAFE {
            let _ = child.kill();
            panic!("the binary did not exit");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let (stdout, stderr) = (stdout.join().unwrap(), stderr.join().unwrap());
    for (name, bytes) in [("stdout", &stdout), ("stderr", &stderr)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(!bytes.contains(&0x1b), "{name} holds an ESC byte: {text}");
        assert!(!text.contains(TOKEN) && !text.contains("S3cret"), "{name} shows the token: {text}");
        assert!(!text.contains("panicked"), "{name}: {text}");
    }
    Out {
        code: status.code(),
        stdout: String::from_utf8(stdout).expect("UTF-8"),
        stderr: String::from_utf8(stderr).expect("UTF-8"),
    }
}

/// Asset number `n`: newest first, a video 1280×768 of 10.5 s.
fn asset(n: usize) -> Value {
    json!({
        "assetId": format!("user:1-runwayml:me@example.com-asset:{n:08}-0000-4000-8000-000000000000"),
        "id": format!("{n:08}-0000-4000-8000-000000000000"),
        "name": format!("Asset number {n}.mp4"),
        "mediaType": "video",
        "fileSize": 6_893_401,
        "createdAt": "2024-08-01T01:02:03.456Z",
        "metadata": {"frameRate": 24, "duration": 10.542, "width": 1280, "height": 768}
    })
}

fn page(range: std::ops::Range<usize>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(Value::Array(range.map(asset).collect()))
}

async fn answer(server: &MockServer, offset: &str, template: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path("/v1/runwayml/assets/"))
        .and(query_param("offset", offset))
        .respond_with(template)
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("recording on")
}

fn names(stdout: &str) -> Vec<String> {
    stdout.lines().map(|l| serde_json::from_str::<Value>(l).expect("a JSON line")["name"].to_string()).collect()
}

#[tokio::test(flavor = "current_thread")]
async fn table_shows_one_aligned_row_per_asset() {
    let server = MockServer::start().await;
    let mut third = asset(3);
    third["name"] = json!("A very long name that goes on and on and on, far past any column width we give it.png");
    third["mediaType"] = json!("image");
    third["metadata"] = json!(null);
    let body = json!([asset(1), asset(2), third, 7]);
    answer(&server, "0", ResponseTemplate::new(200).set_body_json(body)).await;
    let out = Home::new().run(&server.uri(), &["list"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", out.stdout);
    assert!(lines[0].starts_with("NAME") && lines[0].contains("CREATED"), "{}", lines[0]);
    for expected in ["Asset number 1.mp4", "video", "1280×768 0:10.5", "6.89 MB", "ago", "00000001"] {
        assert!(lines[1].contains(expected), "{expected:?} missing in {:?}", lines[1]);
    }
    assert!(
        lines[3].contains("A very long name") && lines[3].contains('…') && lines[3].contains("image"),
        "{}",
        lines[3]
    );
    let type_column = lines[0].find("TYPE").unwrap();
    assert!(lines[1..].iter().all(|l| l.chars().nth(type_column).is_some()), "aligned:\n{}", out.stdout);
    assert!(out.stderr.contains("1 item was not an asset object and skipped"), "{}", out.stderr);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url.query(), Some("offset=0&limit=50"));
}

#[tokio::test(flavor = "current_thread")]
async fn json_lines_are_the_items_as_received() {
    let server = MockServer::start().await;
    let mut odd = asset(2);
    odd["name"] = json!("bell\u{7} and \u{1b}[31mred");
    odd["brandNew"] = json!({"nested": [1, "two"]});
    answer(&server, "0", ResponseTemplate::new(200).set_body_json(json!([asset(1), odd.clone()]))).await;
    let out = Home::new().run(&server.uri(), &["list", "--json", "--type", "video", "--account", "me+x@example.com"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines: Vec<Value> = out.stdout.lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    assert_eq!(lines, [asset(1), odd]);
    let sent = requests(&server).await;
    let query: Vec<(String, String)> = sent[0].url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
    assert!(query.contains(&("mediaType".into(), "video".into())), "{query:?}");
    assert!(query.contains(&("email".into(), "me+x@example.com".into())), "{query:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn limit_120_fetches_three_pages_in_order_without_duplicates() {
    let server = MockServer::start().await;
    answer(&server, "0", page(0..50)).await;
    // A new asset arrived meanwhile: the second page starts one earlier and repeats asset 49.
    answer(&server, "50", page(49..99)).await;
    answer(&server, "100", page(99..119)).await;
    let out = Home::new().run(&server.uri(), &["list", "--json", "--limit", "120"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let expected: Vec<String> = (0..119).map(|n| asset(n)["name"].to_string()).collect();
    assert_eq!(names(&out.stdout), expected);
    let mut limits: Vec<(String, String)> = requests(&server)
        .await
        .iter()
        .map(|r| {
            let q: std::collections::HashMap<String, String> = r.url.query_pairs().into_owned().collect();
            (q["offset"].clone(), q["limit"].clone())
        })
        .collect();
    limits.sort();
    assert_eq!(limits, [("0".into(), "50".into()), ("100".into(), "20".into()), ("50".into(), "50".into())]);
}

#[tokio::test(flavor = "current_thread")]
async fn ranges_and_types_the_api_cannot_serve_are_usage_errors() {
    let server = MockServer::start().await;
    let home = Home::new();
    for args in [
        &["list", "--limit", "2000"][..],
        &["list", "--offset", "1001", "--limit", "1"],
        &["list", "--offset", "1000", "--limit", "51"],
        &["list", "--type", "gif"],
        &["list", "--limit", "0"],
    ] {
        let out = home.run(&server.uri(), args);
        assert_eq!(out.code, Some(2), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty());
        assert!(!out.stderr.trim().is_empty());
    }
    let out = home.run(&server.uri(), &["list", "--limit", "2000"]);
    assert!(out.stderr.contains("1050") && out.stderr.contains("1,050"), "{}", out.stderr);
    assert!(requests(&server).await.is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn a_failed_second_page_exits_1_after_the_first_pages_rows() {
    for (status, needle) in [(500, "HTTP 500"), (401, "401")] {
        let server = MockServer::start().await;
        answer(&server, "0", page(0..50)).await;
        answer(&server, "50", ResponseTemplate::new(status).set_body_string(r#"{"error":"broken","code":1}"#)).await;
        answer(&server, "100", page(100..150)).await;
        let out = Home::new().run(&server.uri(), &["list", "--json", "--limit", "150"]);
        assert_eq!(out.code, Some(1), "{status}: {}", out.stderr);
        let expected: Vec<String> = (0..50).map(|n| asset(n)["name"].to_string()).collect();
        assert_eq!(names(&out.stdout), expected, "{status}");
        assert!(out.stderr.contains(needle), "{status}: {}", out.stderr);
        let second = requests(&server).await.iter().filter(|r| r.url.query() == Some("offset=50&limit=50")).count();
        assert_eq!(second, 1, "{status} is not retried");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn several_accounts_without_a_choice_explains_how_to_choose() {
    let server = MockServer::start().await;
    let body = r#"{"error":"Please specify email, multiple accounts configured","code":400}"#;
    answer(&server, "0", ResponseTemplate::new(400).set_body_string(body)).await;
    let out = Home::new().run(&server.uri(), &["list"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    for needle in ["--account", "USEAPI_ACCOUNT", "config.toml"] {
        assert!(out.stderr.contains(needle), "{needle}: {}", out.stderr);
    }
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[tokio::test(flavor = "current_thread")]
async fn accounts_prints_emails_and_errors_never_secrets() {
    let server = MockServer::start().await;
    let body = json!({
        "b@example.com": {"email": "b@example.com", "password": "PASSWORD-VALUE-1", "maxJobs": 5,
                          "jwt": {"token": "JWT-VALUE-1", "exp": 1734858598.864}},
        "a@example.com": {"email": "a@example.com", "password": "PASSWORD-VALUE-2",
                          "jwt": {"token": "JWT-VALUE-2"}, "error": "Refresh token \u{1b}[31mrejected"}
    });
    Mock::given(method("GET"))
        .and(path("/v1/runwayml/accounts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let home = Home::new();
    let out = home.run(&server.uri(), &["accounts"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(lines[0].starts_with("a@example.com") && lines[0].contains("error: Refresh token"), "{}", lines[0]);
    assert!(lines[1].starts_with("b@example.com") && lines[1].ends_with("ok"), "{}", lines[1]);
    let json_out = home.run(&server.uri(), &["accounts", "--json"]);
    assert_eq!(json_out.code, Some(0), "{}", json_out.stderr);
    let values: Vec<Value> = json_out.stdout.lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    assert_eq!(values[1], json!({"email": "b@example.com", "error": null}));
    assert_eq!(values[0]["email"], "a@example.com");
    for text in [&out.stdout, &out.stderr, &json_out.stdout, &json_out.stderr] {
        assert!(!text.contains("VALUE") && !text.contains("maxJobs"), "{text}");
    }
}
