//! The real binary's `task` subcommand against the embedded demo server (started in this
//! process): summaries, `--json` with `reachedFrom`, `-` on standard input, the upload and
//! deleted-task sentences, and the exit codes. Every run gets its own HOME.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use runway_assets::demo::{self, DemoServer};
use runway_assets::sanitize::is_unsafe;
use serde_json::Value;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_runway-assets");
const FAILSAFE: Duration = Duration::from_secs(60);
const GEN4_ASSET: &str = "user:1000000001-runwayml:demo@example.com-asset:b7e41d05-2c9a-4f3e-8a61-5c2d9e0f7b34";
const UPLOAD_ASSET: &str = "user:1000000001-runwayml:demo@example.com-asset:3f6c2a9e-8b1d-4c7a-9e52-1d0b7a4f6e21";
/// The sample behind the deleted task.
const CABIN_ASSET: &str = "user:1000000001-runwayml:demo@example.com-asset:d4b6e2f8-9a1c-4d73-8e25-7f0a3c6b9d12";

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(server: &DemoServer, args: &[&str], stdin: Option<&str>, token: bool) -> Out {
    let home = TempDir::new().unwrap();
    let mut cmd = Command::new(BIN);
    cmd.arg("task")
        .args(args)
        .env_remove("USEAPI_TOKEN")
        .env("USEAPI_BASE_URL", server.base_url())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .env("XDG_CACHE_HOME", home.path().join(".cache"))
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if token {
        cmd.env("USEAPI_TOKEN", demo::DEMO_TOKEN);
    }
    let mut child = cmd.spawn().unwrap();
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(input.as_bytes()).unwrap();
    }
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let output = rx.recv_timeout(FAILSAFE).expect("the binary did not exit").unwrap();
    let out = Out {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    for text in [&out.stdout, &out.stderr] {
        assert!(!text.contains('\u{1b}') && !text.contains("panicked"), "{text}");
    }
    out
}

#[test]
fn a_summary_reached_through_an_asset_and_directly() {
    let server = DemoServer::start().unwrap();
    let out = run(&server, &[GEN4_ASSET, demo::TASK_ACT_TWO, demo::TASK_FAILED, demo::TASK_RUNNING], None, true);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    for expected in [
        "Gen-4 Turbo (gen4_turbo)",
        "Reached from user:1000000001-runwayml:demo@example.com-asset:b7e41d05",
        "Prompt       Coastal drone shot at sunset, slow push in over the cliffs",
        "Status       SUCCEEDED",
        "Artifacts    4",
        "Gen-4 Turbo Coastal drone shot at sunset.mp4",
        "Act-Two (act_two)",
        "(none: this task has no text prompt)",
        "Status       FAILED",
        "Error        This prompt may violate our content guidelines",
        "Status       RUNNING 5% (Upscaling)",
    ] {
        assert!(out.stdout.contains(expected), "missing {expected:?} in:\n{}", out.stdout);
    }
    assert!(!out.stdout.contains("_jwt"), "signed URLs' queries are cut");
    let positions: Vec<usize> = ["Gen-4 Turbo (gen4_turbo)", "Act-Two (act_two)", "Status       FAILED", "Upscale 4K"]
        .iter()
        .map(|s| out.stdout.find(s).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "in the order given");
}

#[test]
fn json_lines_with_reached_from_and_ids_on_stdin() {
    let server = DemoServer::start().unwrap();
    let input = format!("{GEN4_ASSET}\n\n  {}  \n{}\n", demo::TASK_GEN3, demo::TASK_MANY_ARTIFACTS);
    let out = run(&server, &["--json", "-j", "3", "-"], Some(&input), true);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let lines: Vec<Value> = out.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["reachedFrom"], GEN4_ASSET);
    assert_eq!(lines[0]["taskId"], demo::TASK_GEN4);
    assert_eq!(lines[1]["taskId"], demo::TASK_GEN3);
    assert!(lines[1].get("reachedFrom").is_none(), "a task ID is not reached through an asset");
    assert_eq!(lines[2]["artifacts"].as_array().unwrap().len(), demo::MANY_ARTIFACTS);
}

#[test]
fn hostile_prompts_print_safely() {
    let server = DemoServer::start().unwrap();
    // The generated assets behind the hostile prompts: the 3rd and 21st generated ones.
    let ids: Vec<String> = list_ids(&server).into_iter().skip(demo::samples().len()).collect();
    let out = run(&server, &[&ids[2], &ids[20]], None, true);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(!out.stdout.chars().any(|c| is_unsafe(c) && c != '\n'), "{}", out.stdout);
    assert!(out.stdout.contains("red alert"));
    assert!(out.stdout.lines().any(|l| l.chars().count() >= 20_000), "the long prompt is printed in full");
    let json = run(&server, &["--json", &ids[2]], None, true);
    let value: Value = serde_json::from_str(json.stdout.trim()).unwrap();
    assert!(value["options"]["text_prompt"].as_str().unwrap().contains('\u{1b}'), "as received, escaped in JSON");
}

fn list_ids(server: &DemoServer) -> Vec<String> {
    let output = Command::new(BIN)
        .args(["list", "--json", "--limit", "30", "--account", demo::DEMO_ACCOUNT])
        .env("USEAPI_BASE_URL", server.base_url())
        .env("USEAPI_TOKEN", demo::DEMO_TOKEN)
        .env("HOME", std::env::temp_dir())
        .env("XDG_CONFIG_HOME", std::env::temp_dir().join("runway-assets-cli-task-none"))
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["assetId"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn failures_are_one_sentence_each_and_exit_1() {
    let server = DemoServer::start().unwrap();
    let out =
        run(&server, &[UPLOAD_ASSET, CABIN_ASSET, demo::TASK_NOT_FOUND, demo::TASK_GEN3, "demo-not-found"], None, true);
    assert_eq!(out.code, Some(1));
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 4, "{}", out.stderr);
    assert!(lines[0].contains(UPLOAD_ASSET) && lines[0].contains("uploaded, not generated"), "{}", lines[0]);
    assert!(lines[1].contains("the task behind this asset is gone (404)"), "{}", lines[1]);
    assert!(lines[2].contains("No task with this ID (404)"), "{}", lines[2]);
    assert!(lines[3].contains("demo-not-found") && lines[3].contains("No asset with this ID"), "{}", lines[3]);
    assert!(out.stdout.contains("Gen-3 Alpha Turbo (gen3a_turbo)"), "the good one is still printed");
}

#[test]
fn no_token_is_a_usage_error() {
    let server = DemoServer::start().unwrap();
    let out = run(&server, &[demo::TASK_GEN3], None, false);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("USEAPI_TOKEN"), "{}", out.stderr);
    assert_eq!(server.request_count(), 0);
}

#[test]
fn finished_tasks_are_remembered_and_running_ones_are_not() {
    let server = DemoServer::start().unwrap();
    let home = TempDir::new().unwrap();
    let run_in = |args: &[&str]| {
        let output = Command::new(BIN)
            .arg("task")
            .args(args)
            .env("USEAPI_TOKEN", demo::DEMO_TOKEN)
            .env("USEAPI_BASE_URL", server.base_url())
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .env("XDG_CACHE_HOME", home.path().join(".cache"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    let first = run_in(&["--json", demo::TASK_GEN3, demo::TASK_RUNNING]);
    let asked = server.request_count();
    assert_eq!(asked, 2);
    let second = run_in(&["--json", demo::TASK_GEN3, demo::TASK_RUNNING]);
    assert_eq!(server.request_count(), asked + 1, "only the running task is asked for again");
    assert_eq!(first.lines().next(), second.lines().next(), "the remembered task as received");
    let dir = home.path().join(".cache/runway-assets/tasks");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777, 0o600);
    }
    run_in(&["--no-cache", demo::TASK_GEN3]);
    assert_eq!(server.request_count(), asked + 2, "--no-cache asks anyway");
}
