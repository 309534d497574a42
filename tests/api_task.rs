//! `ApiClient::get_task` against a local wiremock server: the URL it builds from a task ID, how
//! it reads every variant of a task (Gen-2 nesting, no prompt, error and progress in each form,
//! wrong types, unknown statuses, 10,000 artifacts), and each failure as an `ApiError`.

use std::time::{Duration, Instant};

use runway_assets::api::{ApiClient, ApiError, ClientOptions, FetchedTask};
use runway_assets::config::Token;
use runway_assets::sanitize::is_unsafe;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "user:7-taskTok3n";
const TASK_ID: &str = "user:12345-runwayml:someone@example.com-task:9b2d7c4e-0000-4000-8000-000000000002";
const DOCUMENTED: &str = r#"{
  "taskId": "user:12345-runwayml:someone@example.com-task:9b2d7c4e-0000-4000-8000-000000000002",
  "id": "9b2d7c4e-0000-4000-8000-000000000002",
  "name": "Gen-3 Alpha 123456789, Slow motion zoom in, cat chasing dog in the kitchen",
  "image": null, "createdAt": "2024-08-01T01:02:03.456Z", "updatedAt": "2024-08-01T01:02:03.456Z",
  "taskType": "gen3a",
  "options": { "name": "Gen-3 Alpha 123456789, Slow motion zoom in", "seconds": 5, "text_prompt": "Slow motion zoom in",
    "seed": 123456789, "exploreMode": true, "watermark": false, "enhance_prompt": false,
    "init_image": "https://example.cloudfront.net/init.jpg?_jwt=redacted", "resolution": "720p",
    "assetGroupName": "Generative Video", "recordingEnabled": true },
  "status": "SUCCEEDED", "error": null, "progressText": null, "progressRatio": "1", "estimatedTimeToStartSeconds": null,
  "artifacts": [ { "assetId": "user:12345-runwayml:someone@example.com-asset:6f1c2a8e-0000-4000-8000-000000000001",
    "id": "6f1c2a8e-0000-4000-8000-000000000001", "filename": "Gen-3 Alpha 123456789, Slow motion zoom in",
    "url": "https://example.cloudfront.net/asset.mp4?_jwt=redacted", "fileSize": "12345678", "isDirectory": false,
    "metadata": { "frameRate": 24, "duration": 5.209, "dimensions": [1280, 768], "size": { "width": 1280, "height": 768 } } } ],
  "sharedAsset": null
}"#;

fn options(base_url: &str) -> ClientOptions {
    let mut o = ClientOptions::new(base_url, Token::new(TOKEN));
    o.backoff = Duration::from_millis(1);
    o.max_retry_wait = Duration::from_millis(20);
    o.retries = 3;
    o
}

async fn serve(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(template).mount(&server).await;
    server
}

async fn fetch(server: &MockServer, id: &str) -> Result<FetchedTask, ApiError> {
    let client = ApiClient::new(options(&server.uri())).unwrap();
    tokio::time::timeout(Duration::from_secs(30), client.get_task(id)).await.expect("failsafe")
}

async fn task_of(body: Value) -> FetchedTask {
    let server = serve(ResponseTemplate::new(200).set_body_json(&body)).await;
    fetch(&server, TASK_ID).await.unwrap()
}

#[tokio::test]
async fn documented_task_parses_and_is_sent_as_one_segment_with_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/runwayml/tasks/{TASK_ID}")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string(DOCUMENTED))
        .expect(1)
        .mount(&server)
        .await;
    let fetched = fetch(&server, &format!("  {TASK_ID}\n")).await.unwrap();
    let t = &fetched.task;
    assert_eq!(fetched.raw.to_value(), serde_json::from_str::<Value>(DOCUMENTED).unwrap());
    assert_eq!(t.task_id.as_deref(), Some(TASK_ID));
    assert_eq!(t.task_type.as_deref(), Some("gen3a"));
    assert_eq!(t.model_label().as_deref(), Some("Gen-3 Alpha"));
    assert_eq!((t.prompt(), t.seed()), (Some("Slow motion zoom in"), Some(123_456_789)));
    assert_eq!(t.progress_ratio, Some(1.0));
    assert!(t.is_finished() && !t.is_running() && t.error.is_none());
    assert_eq!(t.artifacts.len(), 1);
    let a = &t.artifacts[0];
    assert_eq!(a.file_size, Some(12_345_678));
    assert_eq!((a.width, a.height, a.duration), (Some(1280), Some(768), Some(5.209)));
    assert_eq!(a.name.as_deref(), Some("Gen-3 Alpha 123456789, Slow motion zoom in"));
    let pairs = t.option_pairs();
    assert!(pairs.contains(&("init_image".into(), "https://example.cloudfront.net/init.jpg".into())), "{pairs:?}");
    assert!(pairs.iter().all(|(k, _)| k != "text_prompt" && k != "seed" && k != "name"));
}

#[tokio::test]
async fn hostile_task_ids_stay_one_segment_and_bad_ones_are_refused_locally() {
    let server = serve(ResponseTemplate::new(200).set_body_json(json!({}))).await;
    let client = ApiClient::new(options(&server.uri())).unwrap();
    for id in ["a/../../admin-task:x", "x-task:1?token=1", "x-task:#frag", "50%-task:a b", "..%2f-task:x"] {
        let url = client.task_url(id).unwrap();
        let segments: Vec<_> = url.path_segments().unwrap().collect();
        assert_eq!(segments.len(), 4, "{id} -> {url}");
        assert_eq!(&segments[..3], ["v1", "runwayml", "tasks"]);
        assert_eq!((url.query(), url.fragment()), (None, None), "{id}");
        fetch(&server, id).await.unwrap();
    }
    let sent = server.received_requests().await.unwrap().len();
    assert_eq!(fetch(&server, "  ").await.unwrap_err(), ApiError::EmptyId);
    assert!(matches!(fetch(&server, "..").await, Err(ApiError::InvalidId(_))));
    assert!(matches!(fetch(&server, &"t".repeat(5000)).await, Err(ApiError::InvalidId(_))));
    assert_eq!(server.received_requests().await.unwrap().len(), sent, "refused IDs are never sent");
}

#[tokio::test]
async fn gen2_nesting_no_prompt_and_unknown_status() {
    let t = task_of(json!({"taskType": "gen2", "status": "CANCELLED",
        "options": {"gen2Options": {"text_prompt": "a dog", "seed": "99", "interpolate": true}}}))
    .await
    .task;
    assert_eq!((t.prompt(), t.seed(), t.status.as_deref()), (Some("a dog"), Some(99), Some("CANCELLED")));
    assert!(!t.is_finished() && !t.is_running());
    assert_eq!(t.option_pairs(), vec![("interpolate".to_string(), "true".to_string())]);
    let t = task_of(json!({"taskType": "act_two", "name": "Act-Two 5, driving.mp4", "status": "SUCCEEDED",
        "options": {"seconds": 10, "character": {"type": "image"}}}))
    .await
    .task;
    assert_eq!((t.prompt(), t.seed(), t.model_label().as_deref()), (None, None, Some("Act-Two")));
}

#[tokio::test]
async fn error_and_progress_in_every_form() {
    for (error, want) in [
        (json!("moderation failed"), Some("moderation failed")),
        (json!({"message": "m", "reason": "r"}), Some("m")),
        (json!({"errorMessage": "em", "moderation_category": "X"}), Some("em")),
        (json!({"reason": "SAFETY\u{1b}[31m"}), Some("SAFETY\u{FFFD}[31m")),
        (Value::Null, None),
    ] {
        let t = task_of(json!({"status": "FAILED", "error": error})).await.task;
        assert_eq!(t.error.as_deref(), want, "{error}");
    }
    for (ratio, want) in [(json!("0.42"), Some(0.42)), (json!(0.5), Some(0.5)), (Value::Null, None), (json!("x"), None)]
    {
        let t = task_of(json!({"status": "RUNNING", "progressRatio": ratio})).await.task;
        assert_eq!(t.progress_ratio, want, "{ratio}");
        assert!(t.is_running());
    }
}

#[tokio::test]
async fn wrong_types_everywhere_become_absent() {
    let body = json!({"taskId": ["x"], "id": {"a": 1}, "name": false, "taskType": 3, "status": null,
        "createdAt": [], "progressRatio": {}, "progressText": 1, "error": [1], "options": [1, "a\u{7}"],
        "artifacts": [1, "x", null, {"assetId": 5, "fileSize": "big", "metadata": "m"}, [], {"filename": "ok"}]});
    let f = task_of(body.clone()).await;
    let t = f.task;
    assert_eq!(f.raw.to_value(), body, "the raw task is kept as received");
    assert_eq!((t.task_id, t.id, t.name, t.status), (None, None, None, None));
    assert_eq!(t.task_type.as_deref(), Some("3"));
    assert_eq!((t.progress_ratio, t.error), (None, None));
    assert_eq!(t.options, json!([1, "a\u{FFFD}"]));
    assert_eq!((t.artifacts.len(), t.skipped_artifacts), (2, 4));
    assert_eq!(t.artifacts[0].asset_id.as_deref(), Some("5"));
    assert_eq!(t.artifacts[0].file_size, None);
    assert_eq!(t.artifacts[1].name.as_deref(), Some("ok"));
}

#[tokio::test]
async fn hostile_prompt_is_kept_whole_and_clean() {
    let prompt = format!("{}\u{1b}]52;c;aGk=\u{7}\u{202e}evil\nline", "word ".repeat(4000));
    let t = task_of(json!({"options": {"text_prompt": prompt}})).await.task;
    let got = t.prompt().unwrap();
    assert_eq!(got.chars().count(), prompt.chars().count(), "never cut");
    assert!(!got.chars().any(is_unsafe));
}

#[tokio::test]
async fn ten_thousand_artifacts_parse_quickly() {
    let artifacts: Vec<Value> = (0..10_000)
        .map(|i| {
            json!({"assetId": format!("u-asset:{i}"), "filename": format!("f{i}.mp4"), "fileSize": i.to_string(),
            "metadata": {"dimensions": [1280, 768], "duration": 5}})
        })
        .collect();
    let body = json!({"status": "SUCCEEDED", "artifacts": artifacts});
    let start = Instant::now();
    let t = runway_assets::api::Task::from_value(body).unwrap();
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
    assert_eq!((t.artifacts.len(), t.skipped_artifacts), (10_000, 0));
    assert_eq!(t.artifacts[9_999].file_size, Some(9_999));
}

#[tokio::test]
async fn not_an_object_and_truncated_json_are_clear_errors() {
    let server = serve(ResponseTemplate::new(200).set_body_string("[1,2]")).await;
    let e = fetch(&server, TASK_ID).await.unwrap_err();
    assert_eq!(e, ApiError::NotATask("a list"));
    assert_eq!(e.to_string(), "The server's answer was not a task: it sent a list.");
    let server = serve(ResponseTemplate::new(200).set_body_string(r#"{"taskId": "x", "options": {"#)).await;
    let e = fetch(&server, TASK_ID).await.unwrap_err();
    assert!(matches!(&e, ApiError::InvalidJson(m) if m.contains("cut off")), "{e:?}");
}

#[tokio::test]
async fn statuses_map_to_the_usual_errors() {
    let body = |status: u16, message: &str| {
        ResponseTemplate::new(status).set_body_json(json!({"error": message, "code": status}))
    };
    for (template, check) in [
        (body(404, "Not found."), (|e: &ApiError| *e == ApiError::NotFound) as fn(&ApiError) -> bool),
        (body(401, "Unauthorized"), |e| *e == ApiError::Unauthorized),
        (body(402, "expired"), |e| matches!(e, ApiError::PaymentRequired(m) if m == "expired")),
        (body(500, "boom"), |e| matches!(e, ApiError::Server { status: 500, .. })),
        (body(596, "error state"), |e| matches!(e, ApiError::AccountError(_))),
    ] {
        let server = serve(template).await;
        let e = fetch(&server, TASK_ID).await.unwrap_err();
        assert!(check(&e), "{e:?}");
        assert!(!e.to_string().contains(TOKEN));
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{e:?} is not retried");
    }
}

#[tokio::test]
async fn rate_limits_and_gateway_errors_are_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(DOCUMENTED))
        .mount(&server)
        .await;
    let t = fetch(&server, TASK_ID).await.unwrap().task;
    assert_eq!(t.prompt(), Some("Slow motion zoom in"));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}
