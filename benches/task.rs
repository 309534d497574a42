//! `cargo bench --bench task`: reading a task answer with 1,000 artifacts (the target:
//! ≤ 2 ms), from bytes to a `Task` (the JSON parse included), and the accessors the detail pane
//! and the command line call on it.

use divan::Bencher;
use runway_assets::api::Task;
use serde_json::{Value, json};

fn main() {
    divan::main();
}

/// A finished task shaped as useapi.net sends it, with `n` artifacts in the older metadata shape.
fn task_body(n: usize) -> Vec<u8> {
    let task_id = "user:1000000001-runwayml:demo@example.com-task:9b2d7c4e-0000-4000-8000-000000000002";
    let artifacts: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "assetId": format!("user:1000000001-runwayml:demo@example.com-asset:6f1c2a8e-0000-4000-8000-{i:012}"),
                "id": format!("6f1c2a8e-0000-4000-8000-{i:012}"), "createdAt": "2024-08-01T01:02:03.456Z",
                "updatedAt": "2024-08-01T01:02:03.456Z", "userId": 1234567, "createdBy": 1234567, "taskId": task_id,
                "parentAssetGroupId": "0d3c1f7a-0000-4000-8000-0000000000aa",
                "filename": format!("Gen-3 Alpha 123456789, Slow motion zoom in, cat chasing dog {i}"),
                "url": format!("https://example.cloudfront.net/{i}/asset.mp4?_jwt=redacted"), "fileSize": "12345678",
                "isDirectory": false, "previewUrls": [format!("https://example.cloudfront.net/{i}/preview.jpg?_jwt=redacted")],
                "private": true, "privateInTeam": true, "deleted": false, "reported": false,
                "metadata": {"frameRate": 24, "duration": 5.209, "dimensions": [1280, 768], "size": {"width": 1280, "height": 768}},
                "favorite": false
            })
        })
        .collect();
    let name = "Gen-3 Alpha 123456789, Slow motion zoom in, cat chasing dog in the kitchen";
    serde_json::to_vec(&json!({
        "taskId": task_id, "id": "9b2d7c4e-0000-4000-8000-000000000002", "name": name, "image": null,
        "createdAt": "2024-08-01T01:02:03.456Z", "updatedAt": "2024-08-01T01:02:03.456Z", "taskType": "gen3a",
        "options": {"name": name, "seconds": 5, "text_prompt": "Slow motion zoom in, cat chasing dog in the kitchen",
            "seed": 123456789, "exploreMode": true, "watermark": false, "enhance_prompt": false,
            "init_image": "https://example.cloudfront.net/init.jpg?_jwt=redacted", "resolution": "720p",
            "assetGroupName": "Generative Video", "recordingEnabled": true},
        "status": "SUCCEEDED", "error": null, "progressText": null, "progressRatio": "1",
        "estimatedTimeToStartSeconds": null, "artifacts": artifacts, "sharedAsset": null
    }))
    .unwrap_or_default()
}

/// Bytes → `serde_json::Value` (kept as received) → `Task`, as `get_task` does.
#[divan::bench(args = [1, 1_000])]
fn parse_task(bencher: Bencher, artifacts: usize) {
    let body = task_body(artifacts);
    bencher.counter(divan::counter::BytesCount::new(body.len())).bench(|| {
        let raw: Value = serde_json::from_slice(divan::black_box(&body)).unwrap_or(Value::Null);
        Task::from_ref(&raw).map(|task| (task, raw))
    });
}

/// The accessors the Generation section calls on each draw.
#[divan::bench]
fn summary_accessors(bencher: Bencher) {
    let raw: Value = serde_json::from_slice(&task_body(1_000)).unwrap_or(Value::Null);
    let task = Task::from_ref(&raw).unwrap_or_default();
    bencher.bench(|| {
        let t = divan::black_box(&task);
        (t.prompt().map(str::len), t.seed(), t.model_label(), t.option_pairs().len(), t.is_finished())
    });
}

/// `Task` from a `Value` already parsed: the model's own share of `parse_task`.
#[divan::bench(args = [1_000])]
fn task_from_value(bencher: Bencher, artifacts: usize) {
    let raw: Value = serde_json::from_slice(&task_body(artifacts)).unwrap_or(Value::Null);
    bencher.bench(|| Task::from_ref(divan::black_box(&raw)));
}

/// Bytes to `serde_json::Value` only: the JSON parse's share of `parse_task`.
#[divan::bench(args = [1_000])]
fn json_only(bencher: Bencher, artifacts: usize) {
    let body = task_body(artifacts);
    bencher.bench(|| serde_json::from_slice::<Value>(divan::black_box(&body)).map(|v| v.is_object()));
}
