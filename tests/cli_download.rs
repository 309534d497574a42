//! The real binary's `download` subcommand against the demo (its API and its file host on a
//! second port) and against hand-written hosts: the files saved, the paths printed, the
//! no-overwrite and skip rules, the exit codes, the token kept from the file host, and Ctrl-C,
//! SIGTERM and SIGKILL in the middle of a download.

mod common;

use common::raw_host;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use runway_assets::demo::{self, DemoServer};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_runway-assets");
const TOKEN: &str = "user:42-dlS3cretTok";
/// Only a failsafe so a hung binary fails the test instead of the suite; nothing relies on it.
const FAILSAFE: Duration = Duration::from_secs(60);

struct Home {
    dir: TempDir,
}

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Home {
    fn new() -> Home {
        Home { dir: tempfile::tempdir().unwrap() }
    }

    fn downloads(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// `download ARGS -o <home>/out` against `base_url`, with the token.
    fn download(&self, base_url: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.arg("download")
            .args(args)
            .arg("-o")
            .arg(self.downloads())
            .env("USEAPI_TOKEN", TOKEN)
            .env("USEAPI_BASE_URL", base_url)
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join(".config"))
            .env("NO_COLOR", "1");
        cmd
    }
}

fn spawn(mut cmd: Command, stdin: Option<&str>) -> Child {
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(input.as_bytes()).unwrap();
    }
    child
}

fn finish(mut child: Child) -> Out {
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > FAILSAFE {
            let _ = child.kill();
            panic!("the binary did not exit");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    for text in [&stdout, &stderr] {
        assert!(!text.contains(TOKEN) && !text.contains("S3cret"), "the token shows: {text}");
        assert!(!text.contains('\x1b'), "an escape without a terminal: {text:?}");
        assert!(!text.contains("panicked"), "{text}");
    }
    Out { code: status.code(), stdout, stderr }
}

fn run(cmd: Command) -> Out {
    finish(spawn(cmd, None))
}

fn names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return vec![] };
    let mut v: Vec<String> = entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

fn sample(needle: &str) -> (&'static str, serde_json::Value) {
    let (id, json) = demo::samples().into_iter().find(|(_, json)| json.contains(needle)).unwrap();
    (id, serde_json::from_str(json).unwrap())
}

#[test]
fn downloads_print_their_paths_and_never_overwrite() {
    let (home, server) = (Home::new(), DemoServer::start().unwrap());
    let (image, fields) = sample("Race car.jpg");
    let (audio, audio_fields) = sample("\"audio\"");
    let out = run(home.download(&server.base_url(), &[image, audio, image]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let mut printed: Vec<&str> = out.stdout.lines().collect();
    printed.sort();
    let audio_name = audio_fields["name"].as_str().unwrap();
    let mut expected = vec![
        home.downloads().join("Race car (1).jpg").display().to_string(),
        home.downloads().join("Race car.jpg").display().to_string(),
        home.downloads().join(audio_name).display().to_string(),
    ];
    expected.sort();
    assert_eq!(printed, expected, "one saved path a line");
    let size = fields["fileSize"].as_u64().unwrap();
    for name in ["Race car.jpg", "Race car (1).jpg"] {
        let bytes = std::fs::read(home.downloads().join(name)).unwrap();
        assert_eq!(bytes.len() as u64, size);
        assert_eq!(&bytes[..3], b"\xff\xd8\xff", "a JPEG");
    }
    assert!(out.stderr.is_empty(), "no bars or chatter without a terminal: {}", out.stderr);
    assert_eq!(server.file_requests(), 3);
    assert_eq!(server.file_requests_with_token(), 0, "the file host never sees the token");
}

#[test]
fn ids_from_standard_input_skip_existing_and_json_lines() {
    let (home, server) = (Home::new(), DemoServer::start().unwrap());
    let (image, _) = sample("Race car.jpg");
    let out = finish(spawn(home.download(&server.base_url(), &["-"]), Some(&format!("{image}\n\n"))));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(names(&home.downloads()), ["Race car.jpg"]);
    // Run again: the same name and size is there, so it is skipped and said so.
    let out = run(home.download(&server.base_url(), &["--skip-existing", image]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("skipped") && out.stderr.contains("is there already, the same size"), "{}", out.stderr);
    assert_eq!(names(&home.downloads()), ["Race car.jpg"]);
    let out = run(home.download(&server.base_url(), &["--json", "--skip-existing", image, demo::ID_NOT_FOUND]));
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let lines: Vec<serde_json::Value> = out.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    let skipped = lines.iter().find(|l| l["status"] == "skipped").unwrap();
    assert_eq!(skipped["assetId"], image);
    let failed = lines.iter().find(|l| l["status"] == "failed").unwrap();
    assert_eq!(failed["assetId"], demo::ID_NOT_FOUND);
    assert!(failed["error"].as_str().unwrap().contains("404"), "{failed}");
}

#[test]
fn failures_are_sentences_and_the_rest_is_saved() {
    let (home, server) = (Home::new(), DemoServer::start().unwrap());
    let (image, _) = sample("Race car.jpg");
    let out = run(home.download(&server.base_url(), &[demo::ID_NOT_FOUND, image, demo::ID_SERVER_ERROR]));
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert_eq!(out.stdout.lines().count(), 1);
    let errors: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(errors.len(), 2, "{}", out.stderr);
    assert!(
        errors
            .iter()
            .any(|l| l
                .starts_with(&format!("runway-assets: {}: looking the asset up failed: No asset", demo::ID_NOT_FOUND))),
        "{}",
        out.stderr
    );
    assert_eq!(names(&home.downloads()), ["Race car.jpg"]);
}

#[test]
fn usage_problems_exit_2_with_a_sentence() {
    let (home, server) = (Home::new(), DemoServer::start().unwrap());
    let (image, _) = sample("Race car.jpg");
    // The folder is a file.
    std::fs::write(home.downloads(), b"").unwrap();
    let out = run(home.download(&server.base_url(), &[image]));
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert_eq!(
        out.stderr.trim(),
        format!(
            "runway-assets: {} is a file, not a folder; choose another download folder",
            home.downloads().display()
        )
    );
    // No token.
    let mut cmd = home.download(&server.base_url(), &[image]);
    cmd.env_remove("USEAPI_TOKEN");
    let out = run(cmd);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("USEAPI_TOKEN"), "{}", out.stderr);
    // No ID at all.
    assert_eq!(run(home.download(&server.base_url(), &[])).code, Some(2));
}

/// An API whose every asset is named `name` with its file at `file_url`.
fn api_with(name: &str, file_url: &str) -> String {
    let json =
        serde_json::json!({ "assetId": "a", "name": name, "url": file_url, "fileExtStandardized": "mp4" }).to_string();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        json.len()
    );
    raw_host(head, json.into_bytes(), false)
}

/// A file host that sends 1,000 bytes of 1,000,000 and then nothing.
fn stalling_host() -> String {
    raw_host("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n".into(), vec![7; 1000], true) + "/file"
}

fn wait_for(what: &str, ready: impl Fn() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < FAILSAFE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(unix)]
#[test]
fn sigterm_and_ctrl_c_remove_the_part_file() {
    for (signal, code) in [(libc::SIGTERM, 143), (libc::SIGINT, 130)] {
        let home = Home::new();
        let api = api_with("stalls", &stalling_host());
        let child = spawn(home.download(&api, &["some-id"]), None);
        wait_for("the .part", || names(&home.downloads()) == ["stalls.mp4.part"]);
        unsafe { libc::kill(child.id() as i32, signal) };
        let out = finish(child);
        assert_eq!(out.code, Some(code), "{}", out.stderr);
        assert!(out.stderr.contains("interrupted"), "{}", out.stderr);
        assert!(names(&home.downloads()).is_empty(), "{:?}", names(&home.downloads()));
    }
}

#[cfg(unix)]
#[test]
fn after_sigkill_the_leftover_part_is_never_taken_for_a_finished_file() {
    let home = Home::new();
    let api = api_with("clip", &stalling_host());
    let mut child = spawn(home.download(&api, &["some-id"]), None);
    wait_for("the .part", || names(&home.downloads()) == ["clip.mp4.part"]);
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(names(&home.downloads()), ["clip.mp4.part"], "a SIGKILL leaves the .part");
    // The next run of the same download, with --skip-existing: the .part is not a finished
    // file, so it downloads; the leftover is taken over, and only the finished file stays.
    let good =
        raw_host("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\n".into(), b"whole".to_vec(), false);
    let api = api_with("clip", &format!("{good}/file"));
    let out = run(home.download(&api, &["--skip-existing", "some-id"]));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(names(&home.downloads()), ["clip.mp4"]);
    assert_eq!(std::fs::read(home.downloads().join("clip.mp4")).unwrap(), b"whole");
}
