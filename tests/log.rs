//! `--log FILE` / `RUNWAY_ASSETS_LOG`: what a request leaves in the log, and what it never does
//! (the token, an email in a query, a signed URL's `_jwt`); a log path that cannot be written
//! is one warning and the command still runs.

use std::process::{Command, Output};

use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BIN: &str = env!("CARGO_BIN_EXE_runway-assets");
const TOKEN: &str = "user:42-logS3cretTok";

fn run(home: &std::path::Path, base: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("USEAPI_TOKEN", TOKEN)
        .env("USEAPI_BASE_URL", base)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("RUNWAY_ASSETS_LOG")
        .args(["--retries", "2"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn asset(id: &str) -> serde_json::Value {
    serde_json::json!({ "assetId": id, "name": "a.png", "mediaType": "image", "url": format!("https://cdn.example.com/a.png?_jwt=eyJSECRETJWT") })
}

#[tokio::test]
async fn requests_retries_and_errors_are_logged_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/runwayml/assets/slow-one"))
        .respond_with(ResponseTemplate::new(503).set_body_string("busy"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/runwayml/assets/slow-one"))
        .respond_with(ResponseTemplate::new(200).set_body_json(asset("slow-one")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/runwayml/assets/bad-one"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": format!("bad id; see https://cdn.example.com/x.mp4?_jwt=eyJSECRETJWT&sig=1 for {TOKEN}")
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/runwayml/assets/"))
        .and(query_param("email", "private@example.com"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([asset("x")])))
        .mount(&server)
        .await;
    let home = tempfile::tempdir().unwrap();
    let log = home.path().join("bug.log");
    let log_arg = log.to_str().unwrap();
    let out = run(home.path(), &server.uri(), &["--log", log_arg, "get", "--no-history", "slow-one", "bad-one"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    // The environment variable works as the flag does, and appends.
    let out = run(
        home.path(),
        &server.uri(),
        &["list", "--limit", "1", "--account", "private@example.com"],
        &[("RUNWAY_ASSETS_LOG", log_arg)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("GET /v1/runwayml/assets/slow-one 503 4 B"), "{text}");
    assert!(text.contains("GET /v1/runwayml/assets/slow-one: retry 1 in"), "{text}");
    assert!(text.contains("GET /v1/runwayml/assets/slow-one 200"), "{text}");
    assert!(text.contains("GET /v1/runwayml/assets/bad-one 400"), "{text}");
    assert!(
        text.contains("WARN  api: GET /v1/runwayml/assets/bad-one: The server rejected the request (400)"),
        "{text}"
    );
    assert!(text.contains("GET /v1/runwayml/assets/?offset=0&limit=1&email=… 200"), "{text}");
    assert_eq!(text.matches("started").count(), 2, "{text}");
    for secret in [TOKEN, "S3cret", "_jwt", "eyJSECRETJWT", "private@example.com"] {
        assert!(!text.contains(secret), "the log holds {secret}:\n{text}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&log).unwrap().permissions().mode() & 0o077, 0, "the log is private");
    }
}

#[test]
fn a_log_path_that_cannot_be_written_is_one_warning_and_the_command_runs() {
    let home = tempfile::tempdir().unwrap();
    for bad in [home.path().to_path_buf(), home.path().join("no/such/dir/x.log")] {
        let out = run(
            home.path(),
            "http://127.0.0.1:9",
            &["--log", bad.to_str().unwrap(), "--retries", "0", "accounts"],
            &[],
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.matches("cannot write the log").count(), 1, "{err}");
        assert!(err.contains("no log is kept"), "{err}");
        // And then it did its work (here: found no server).
        assert!(err.contains("Could not connect"), "{err}");
    }
}

#[test]
fn without_the_flag_nothing_is_written() {
    let home = tempfile::tempdir().unwrap();
    let out = run(home.path(), "http://127.0.0.1:9", &["--retries", "0", "accounts"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let files: Vec<_> = walk(home.path());
    assert!(files.iter().all(|f| !f.ends_with(".log")), "{files:?}");
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path.display().to_string());
        }
    }
    out
}
