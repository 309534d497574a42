//! `runway-assets doctor`: the happy path against the demo (line by line), and each failure a
//! newcomer can meet against wiremock: no token, a malformed token, 401, 402, an HTML page, a
//! 200 that is not JSON, and a server that stalls.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BIN: &str = env!("CARGO_BIN_EXE_runway-assets");
const TOKEN: &str = "user:42-docS3cretTok";

struct Run {
    code: Option<i32>,
    stdout: String,
}

fn doctor(home: &std::path::Path, base: &str, token: Option<&str>, extra: &[&str]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(extra)
        .arg("doctor")
        .env("USEAPI_BASE_URL", base)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("NO_COLOR", "1")
        .env_remove("USEAPI_TOKEN")
        .env_remove("RUNWAY_ASSETS_LOG");
    if let Some(token) = token {
        cmd.env("USEAPI_TOKEN", token);
    }
    let Output { status, stdout, stderr } = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&stdout).into_owned();
    assert!(!stdout.contains(TOKEN) && !String::from_utf8_lossy(&stderr).contains(TOKEN), "the token was printed");
    Run { code: status.code(), stdout }
}

/// The line for one check, found by its name.
fn line<'a>(out: &'a str, name: &str) -> &'a str {
    out.lines().find(|l| l.get(6..6 + name.len()) == Some(name)).unwrap_or_else(|| panic!("no {name} line:\n{out}"))
}

async fn server_answering_account(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/v2/account")).respond_with(answer).mount(&server).await;
    server
}

#[test]
fn the_demo_shows_what_good_looks_like() {
    let home = tempfile::tempdir().unwrap();
    let run = doctor(home.path(), "http://127.0.0.1:9", None, &["--demo"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    let home_text = home.path().display().to_string();
    // Snapshot-ish: the lines with the temp home, port and timings replaced.
    let shown: Vec<String> = run
        .stdout
        .replace(&home_text, "~")
        .lines()
        .map(|l| {
            let mut l = l.to_string();
            if let Some(at) = l.find("http://127.0.0.1:") {
                l = format!("{}http://127.0.0.1:PORT answered in N ms", &l[..at]);
            }
            l
        })
        .collect();
    assert_eq!(
        shown,
        [
            "ok    config           ~/.config/runway-assets has no config.toml (optional: see runway-assets --help for its keys)",
            "ok    token            the demo's, well-formed (10 characters)",
            "ok    API              http://127.0.0.1:PORT answered in N ms",
            "ok    token accepted   useapi.net account newcomer@example.com, subscription marker 261231",
            "warn  Runway accounts  2 linked: demo@example.com, studio@example.com (error: Refresh token rejected: re-add this account): re-add the broken one at useapi.net.",
            "ok    history          ~/.config/runway-assets/history.jsonl: none yet (it starts with your first lookup)",
            "ok    cache            ~/.cache/runway-assets: empty (nothing cached yet)",
            "ok    download dir     ~/Downloads: not there yet (made by the first download)",
        ]
    );
}

#[test]
fn no_token_says_how_to_set_one() {
    let home = tempfile::tempdir().unwrap();
    let run = doctor(home.path(), "http://127.0.0.1:9", None, &[]);
    assert_eq!(run.code, Some(1));
    let token = line(&run.stdout, "token ");
    assert!(token.starts_with("FAIL") && token.contains("export USEAPI_TOKEN="), "{token}");
    assert!(line(&run.stdout, "token accepted").starts_with("skip"), "{}", run.stdout);
    assert!(line(&run.stdout, "history").starts_with("ok"), "the local checks still run:\n{}", run.stdout);
}

#[test]
fn a_malformed_token_is_named_without_being_shown() {
    let home = tempfile::tempdir().unwrap();
    let run = doctor(home.path(), "http://127.0.0.1:9", Some("user:42-docS3cret Tok"), &[]);
    assert_eq!(run.code, Some(1));
    let token = line(&run.stdout, "token ");
    assert!(token.starts_with("FAIL") && token.contains("a space or line break"), "{token}");
    assert!(!token.contains("S3cret"), "{token}");
}

async fn failing(answer: ResponseTemplate, extra: &[&str]) -> String {
    let server = server_answering_account(answer).await;
    let home = tempfile::tempdir().unwrap();
    let run = doctor(home.path(), &server.uri(), Some(TOKEN), extra);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(line(&run.stdout, "Runway accounts").starts_with("skip"), "{}", run.stdout);
    run.stdout
}

#[tokio::test]
async fn a_refused_token_says_401_and_what_to_do() {
    let out =
        failing(ResponseTemplate::new(401).set_body_json(serde_json::json!({"error": "Unauthorized"})), &[]).await;
    assert!(line(&out, "API ").starts_with("ok"), "{out}");
    let accepted = line(&out, "token accepted");
    assert!(
        accepted.starts_with("FAIL") && accepted.contains("401") && accepted.contains("USEAPI_TOKEN"),
        "{accepted}"
    );
}

#[tokio::test]
async fn no_subscription_says_402() {
    let out =
        failing(ResponseTemplate::new(402).set_body_json(serde_json::json!({"error": "Subscription expired"})), &[])
            .await;
    let accepted = line(&out, "token accepted");
    assert!(accepted.starts_with("FAIL") && accepted.contains("(402)") && accepted.contains("renew"), "{accepted}");
}

#[tokio::test]
async fn an_html_page_says_the_base_url_may_be_wrong() {
    let html = "<!doctype html><html><head><title>Welcome</title></head><body>hi</body></html>";
    let out = failing(ResponseTemplate::new(200).set_body_raw(html, "text/html"), &[]).await;
    let accepted = line(&out, "token accepted");
    assert!(accepted.starts_with("FAIL") && accepted.contains("could not be read"), "{accepted}");
    assert!(accepted.contains("the useapi.net API?"), "{accepted}");
}

#[tokio::test]
async fn garbage_json_says_so() {
    let out = failing(ResponseTemplate::new(200).set_body_raw("[1,2,3]", "application/json"), &[]).await;
    let accepted = line(&out, "token accepted");
    assert!(accepted.starts_with("FAIL") && accepted.contains("not an account object"), "{accepted}");
    let out = failing(ResponseTemplate::new(200).set_body_raw("{\"ok\":", "application/json"), &[]).await;
    assert!(line(&out, "token accepted").contains("cut off"), "{out}");
}

#[tokio::test]
async fn a_stalling_server_times_out_and_says_where() {
    let started = Instant::now();
    let out = failing(
        ResponseTemplate::new(200).set_delay(Duration::from_secs(20)).set_body_json(serde_json::json!({"email": "x"})),
        &["--timeout", "1"],
    )
    .await;
    assert!(started.elapsed() < Duration::from_secs(10), "doctor waited too long");
    let api = line(&out, "API ");
    assert!(api.starts_with("FAIL") && api.contains("took too long") && api.contains("--base-url"), "{api}");
}

#[tokio::test]
async fn a_good_token_with_no_linked_account_fails_at_the_accounts() {
    let server = server_answering_account(ResponseTemplate::new(200).set_body_json(
        serde_json::json!({"email": "me@example.com", "sub": "260101", "replyUrl": "https://x/?secret=1"}),
    ))
    .await;
    Mock::given(method("GET"))
        .and(path("/v1/runwayml/accounts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let home = tempfile::tempdir().unwrap();
    let run = doctor(home.path(), &server.uri(), Some(TOKEN), &[]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(
        line(&run.stdout, "token accepted").contains("me@example.com, subscription marker 260101"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("secret=1"), "replyUrl is never shown");
    let accounts = line(&run.stdout, "Runway accounts");
    assert!(accounts.starts_with("FAIL") && accounts.contains("add your Runway account at useapi.net"), "{accounts}");
}

#[test]
fn a_config_with_a_typo_fails_its_line_and_names_the_key() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".config").join("runway-assets");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "acount = \"me@example.com\"\n").unwrap();
    let run = doctor(home.path(), "http://127.0.0.1:9", None, &["--demo"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    let config = line(&run.stdout, "config");
    assert!(config.starts_with("FAIL") && config.contains("did you mean `account`?"), "{config}");
}
