//! The real binary's `get` subcommand and help, run as a process against the embedded demo
//! server (or a wiremock server for hostile or token-checking answers). Every run gets its own
//! HOME and XDG_CONFIG_HOME, so the user's real config and history are never touched.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use runway_assets::demo::{self, DemoServer};
use runway_assets::sanitize::is_unsafe;
use serde_json::Value;
use tempfile::TempDir;
use wiremock::matchers::{any, header};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BIN: &str = env!("CARGO_BIN_EXE_runway-assets");
const TOKEN: &str = "user:42-cliS3cretTok";
/// Only a failsafe so a hung binary fails the test instead of the suite; nothing relies on it.
const FAILSAFE: Duration = Duration::from_secs(60);
const OLD_VIDEO_NAME: &str = "Gen-3 Alpha Turbo Race car on wet track.mp4";
const SLOW_VIDEO_JSON: &str = include_str!("../assets/slow-video.json");

/// A throwaway home with its own config directory.
struct Home {
    dir: TempDir,
}

/// What a finished run printed and how it ended.
struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Home {
    fn new() -> Home {
        Home { dir: tempfile::tempdir().expect("a temp dir") }
    }

    fn config_home(&self) -> PathBuf {
        self.dir.path().join(".config")
    }

    fn app_dir(&self) -> PathBuf {
        self.config_home().join("runway-assets")
    }

    fn history(&self) -> PathBuf {
        self.app_dir().join("history.jsonl")
    }

    /// The binary with a clean environment pointing at `base_url`, and no token.
    fn command(&self, base_url: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env_remove("USEAPI_TOKEN")
            .env("USEAPI_BASE_URL", base_url)
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.config_home())
            .env("NO_COLOR", "1");
        cmd
    }

    /// As [`Home::command`], with the token set.
    fn get(&self, base_url: &str, args: &[&str]) -> Command {
        let mut cmd = self.command(base_url, &[&["get"], args].concat());
        cmd.env("USEAPI_TOKEN", TOKEN);
        cmd
    }
}

/// Runs `cmd` to the end with `stdin` as its input, reading its output as it comes.
fn run_with(mut cmd: Command, stdin: Option<&str>) -> Out {
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the binary starts");
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(input.as_bytes()).expect("write stdin");
    }
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
    let text = |h: std::thread::JoinHandle<Vec<u8>>| h.join().unwrap();
    let (stdout, stderr) = (text(stdout), text(stderr));
    for (name, bytes) in [("stdout", &stdout), ("stderr", &stderr)] {
        assert!(!bytes.contains(&0x1b), "{name} holds an ESC byte: {:?}", String::from_utf8_lossy(bytes));
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(TOKEN) && !text.contains("S3cret"), "{name} shows the token: {text}");
        assert!(!text.contains("panicked"), "{name}: {text}");
    }
    Out {
        code: status.code(),
        stdout: String::from_utf8(stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(stderr).expect("UTF-8 stderr"),
    }
}

fn run(cmd: Command) -> Out {
    run_with(cmd, None)
}

fn sample(needle: &str) -> (&'static str, &'static str) {
    demo::samples().into_iter().find(|(_, json)| json.contains(needle)).expect("such a sample")
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The lines of `out.stdout` as JSON values.
fn json_lines(out: &Out) -> Vec<Value> {
    out.stdout.lines().map(parse).collect()
}

#[test]
fn get_prints_a_readable_summary_and_records_one_private_history_line() {
    let (home, server) = (Home::new(), DemoServer::start().unwrap());
    let (id, _) = sample(OLD_VIDEO_NAME);
    let out = run(home.get(&server.base_url(), &[id]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for expected in [OLD_VIDEO_NAME, id, "1280×768", "0:10.5", "24 fps", "6.89 MB (6,893,401 bytes)", "video"] {
        assert!(out.stdout.contains(expected), "missing {expected:?} in:\n{}", out.stdout);
    }
    let history = std::fs::read_to_string(home.history()).expect("a history file");
    assert_eq!(history.lines().count(), 1, "{history}");
    assert!(history.ends_with('\n'));
    assert!(history.contains(id));
    assert!(!history.contains(TOKEN) && !history.contains("S3cret"), "the token reached the history");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.history()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "history mode {mode:o}");
    }
    let again = run(home.get(&server.base_url(), &[id]));
    assert_eq!(again.code, Some(0));
    assert_eq!(std::fs::read_to_string(home.history()).unwrap().lines().count(), 2, "each run appends one line");
}

#[test]
fn no_history_flag_writes_nothing() {
    let (home, server) = (Home::new(), DemoServer::start().unwrap());
    let (id, _) = sample(OLD_VIDEO_NAME);
    let out = run(home.get(&server.base_url(), &["--no-history", id]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains(OLD_VIDEO_NAME));
    assert!(!home.history().exists(), "--no-history wrote {}", home.history().display());
}

#[test]
fn json_prints_each_asset_as_received_in_input_order() {
    let (home, server) = (Home::new(), DemoServer::start().unwrap());
    // The slow one first: it finishes last, yet must be printed first.
    let mut expected = vec![(demo::ID_SLOW, SLOW_VIDEO_JSON)];
    expected.extend(demo::samples());
    let ids: Vec<&str> = expected.iter().map(|(id, _)| *id).collect();
    let out = run(home.get(&server.base_url(), &[&["--json", "--no-history"], ids.as_slice()].concat()));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let got = json_lines(&out);
    let want: Vec<Value> = expected.iter().map(|(_, json)| parse(&server.as_served(json))).collect();
    assert_eq!(got, want);
}

#[test]
fn summaries_of_several_ids_come_in_input_order() {
    let (home, server) = (Home::new(), DemoServer::start().unwrap());
    let samples = demo::samples();
    let order = [samples[3], samples[0], samples[4], samples[1]];
    let ids: Vec<&str> = order.iter().map(|(id, _)| *id).collect();
    let out = run(home.get(&server.base_url(), &ids));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let positions: Vec<usize> = order
        .iter()
        .map(|(_, json)| {
            let name = parse(json)["name"].as_str().unwrap().to_string();
            out.stdout.find(&name).unwrap_or_else(|| panic!("{name} missing"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "out of order: {positions:?}\n{}", out.stdout);
    let history = std::fs::read_to_string(home.history()).unwrap();
    assert_eq!(history.lines().count(), ids.len());
}

#[test]
fn mixed_good_and_bad_ids_print_the_good_and_report_each_bad_one() {
    let (home, server) = (Home::new(), DemoServer::start().unwrap());
    let (good1, _) = sample(OLD_VIDEO_NAME);
    let (good2, _) = sample("Race car.jpg");
    let ids = [demo::ID_NOT_FOUND, good1, demo::ID_BAD_REQUEST, good2, demo::ID_ACCOUNT_ERROR];
    let out = run(home.get(&server.base_url(), &ids));
    assert_ne!(out.code, Some(0));
    assert!(out.stdout.contains(OLD_VIDEO_NAME) && out.stdout.contains("Race car.jpg"), "{}", out.stdout);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stderr);
    for (line, id) in lines.iter().zip([demo::ID_NOT_FOUND, demo::ID_BAD_REQUEST, demo::ID_ACCOUNT_ERROR]) {
        assert!(line.contains(id), "{line:?} should name {id}");
    }
    assert!(lines[0].contains("404") && lines[1].contains("400") && lines[2].contains("596"), "{}", out.stderr);
}

#[test]
fn dash_reads_ids_from_stdin_skipping_blank_lines() {
    let (home, server) = (Home::new(), DemoServer::start().unwrap());
    let samples = demo::samples();
    let input = format!("\n  {}  \n\n\t\n{}\n\n", samples[2].0, samples[0].0);
    let out = run_with(home.get(&server.base_url(), &["--json", "-"]), Some(&input));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let want = vec![parse(&server.as_served(samples[2].1)), parse(&server.as_served(samples[0].1))];
    assert_eq!(json_lines(&out), want);
    assert_eq!(server.request_count(), 2);
}

#[test]
fn no_token_exits_2_and_says_how_to_set_one() {
    let (home, server) = (Home::new(), DemoServer::start().unwrap());
    let out = run(home.command(&server.base_url(), &["get", demo::samples()[0].0]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("USEAPI_TOKEN"), "{}", out.stderr);
    assert!(out.stderr.contains("--demo") || out.stderr.contains("config.toml"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert_eq!(server.request_count(), 0, "no request without a token");
}

#[tokio::test(flavor = "current_thread")]
async fn token_from_config_toml_is_used_when_the_variable_is_unset() {
    let file_token = "user:7-fromConfigFile";
    let server = MockServer::start().await;
    let authorized =
        ResponseTemplate::new(200).set_body_raw(br#"{"name":"from-file.png"}"#.to_vec(), "application/json");
    Mock::given(header("authorization", format!("Bearer {file_token}").as_str()))
        .respond_with(authorized)
        .mount(&server)
        .await;
    let home = Home::new();
    std::fs::create_dir_all(home.app_dir()).unwrap();
    let config = home.app_dir().join("config.toml");
    std::fs::write(&config, format!("token = \"{file_token}\"\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let out = run(home.command(&server.uri(), &["get", "--no-history", "some-id"]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("from-file.png"), "{}", out.stdout);
    assert!(!out.stdout.contains(file_token) && !out.stderr.contains(file_token));
    assert!(out.stderr.is_empty(), "no warning for a 0600 config: {}", out.stderr);
}

#[test]
fn base_url_flag_overrides_the_environment() {
    let (home, server) = (Home::new(), DemoServer::start().unwrap());
    let dead = format!(
        "http://127.0.0.1:{}",
        std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    );
    let (id, _) = sample(OLD_VIDEO_NAME);
    let base = server.base_url();
    let out = run(home.get(&dead, &["--base-url", &base, "--no-history", id]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains(OLD_VIDEO_NAME));
}

#[test]
fn invalid_base_url_gives_a_clear_error() {
    let home = Home::new();
    for bad in ["not a url", "ftp://example.com", "mailto:a@b"] {
        let out = run(home.get(bad, &["--no-history", "abc"]));
        assert!(out.code.is_some_and(|c| c != 0), "{bad}: {:?}", out.code);
        assert_eq!(out.stderr.lines().count(), 1, "{bad}: {}", out.stderr);
        assert!(out.stderr.contains("base URL") && out.stderr.contains("--base-url"), "{bad}: {}", out.stderr);
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn help_mentions_the_environment_the_demo_and_get() {
    let home = Home::new();
    let out = run(home.command("http://127.0.0.1:9", &["--help"]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for needle in ["USEAPI_TOKEN", "USEAPI_BASE_URL", "--demo", "get"] {
        assert!(out.stdout.contains(needle), "--help lacks {needle}:\n{}", out.stdout);
    }
}

#[test]
fn rate_limited_demo_id_succeeds_after_a_retry() {
    let (home, server) = (Home::new(), DemoServer::start().unwrap());
    let out = run(home.get(&server.base_url(), &["--no-history", demo::ID_RATE_LIMITED_ONCE]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("Mountain cabin in snow.png"), "{}", out.stdout);
    assert_eq!(server.request_count(), 2, "one 429, then the asset");
}

#[test]
fn html_server_error_is_one_line_without_markup() {
    let (home, server) = (Home::new(), DemoServer::start().unwrap());
    let out = run(home.get(&server.base_url(), &[demo::ID_SERVER_ERROR]));
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains(demo::ID_SERVER_ERROR) && out.stderr.contains("500"), "{}", out.stderr);
    assert!(!out.stderr.contains('<') && !out.stderr.contains('>'), "{}", out.stderr);
    assert!(!home.history().exists(), "failures are not recorded");
}

const HOSTILE_JSON: &str = r#"{"name":"a\u001b]0;pwned\u0007b\u001b]52;c;aGVsbG8=\u0007c\u202ed\u009b31m",
  "mediaType":"vid\u001b[2Jeo","fileExtStandardized":"mp4\u001b[?1049h","username":"\u2066x\u2069",
  "url":"https://e.invalid/\u001b]8;;https://evil.invalid\u0007link","previewUrls":["p\u001b[31m"],
  "createdAt":"2026-01-01T00:00:00Z\u001b[1A","taskId":"t\u001bc","metadata":{"width":1,"height":2}}"#;

fn assert_terminal_safe(what: &str, text: &str) {
    let bad: Vec<char> = text.chars().filter(|c| is_unsafe(*c) && !matches!(c, '\n')).collect();
    assert!(bad.is_empty(), "{what} holds unsafe characters {bad:?}:\n{text:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn hostile_server_data_never_reaches_the_terminal_raw() {
    let server = MockServer::start().await;
    let body = HOSTILE_JSON.as_bytes().to_vec();
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let home = Home::new();
    let summary = run(home.get(&server.uri(), &["--no-history", "some-id"]));
    assert_eq!(summary.code, Some(0), "{}", summary.stderr);
    assert!(summary.stdout.contains("pwned"), "{}", summary.stdout);
    assert_terminal_safe("the summary", &summary.stdout);
    let json = run(home.get(&server.uri(), &["--json", "--no-history", "some-id"]));
    assert_eq!(json.code, Some(0), "{}", json.stderr);
    assert_terminal_safe("the JSON", &json.stdout);
    assert_eq!(json_lines(&json), vec![parse(HOSTILE_JSON)], "escaped JSON keeps its meaning");
}

#[tokio::test(flavor = "current_thread")]
async fn hostile_error_messages_and_ids_never_reach_the_terminal_raw() {
    let server = MockServer::start().await;
    let error = r#"{"error":"bad \u001b]0;pwned\u0007 id\n\u001b[2J second line","code":400}"#;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_raw(error.as_bytes().to_vec(), "application/json"))
        .mount(&server)
        .await;
    let home = Home::new();
    let out = run(home.get(&server.uri(), &["id-\u{1b}]0;x\u{7}-\u{202e}"]));
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    assert!(out.stderr.contains("pwned"), "{}", out.stderr);
    assert_terminal_safe("stderr", &out.stderr);
}

#[tokio::test(flavor = "current_thread")]
async fn a_typed_id_with_escapes_is_printed_safely_when_the_server_omits_asset_id() {
    let server = MockServer::start().await;
    let body = br#"{"name":"plain.png"}"#.to_vec();
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let home = Home::new();
    let out = run(home.get(&server.uri(), &["--no-history", "id-\u{1b}]0;x\u{7}-\u{202e}z"]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("plain.png"));
    assert_terminal_safe("the summary's Asset ID line", &out.stdout);
}
