//! The demo's tasks route, `GET /v1/runwayml/tasks/{taskId}`: the generation behind each sample
//! asset and each generated asset of the listing, answered as useapi.net does (options with the
//! prompt and seed, `progressRatio` as a string, artifacts with `fileSize` as a string and the
//! older metadata shape). Special tasks show the other states: running (progress moves with each
//! request), failed (an error object), gone (404), and one with 10,000 artifacts.

use std::sync::OnceLock;

use bytes::Bytes;
use serde_json::{Map, Value, json};

use super::account::{DEMO_ACCOUNT, Listing};

const TASK_PREFIX: &str = "user:1000000001-runwayml:demo@example.com-task:";

/// The finished Gen-3 Alpha Turbo task behind the sample "Gen-3 Alpha Turbo Race car on wet track.mp4".
pub const TASK_GEN3: &str = "user:1000000001-runwayml:demo@example.com-task:2d8c4f1a-6b3e-4a97-8c05-e1f7a9b3d624";
/// The finished Gen-4 Turbo task behind the sample "Gen-4 Turbo Coastal drone shot at sunset.mp4".
pub const TASK_GEN4: &str = "user:1000000001-runwayml:demo@example.com-task:5a1f8e27-3b6c-4d90-8e4a-2f7c1b9d0e53";
/// The Act-Two task (no text prompt) behind the sample "Act-Two Street interview.mp4".
pub const TASK_ACT_TWO: &str = "user:1000000001-runwayml:demo@example.com-task:9f2e6d41-8a3b-4c75-b0e9-6d1a4f7c3b28";
/// A task still RUNNING (behind the sample "Timelapse city lights (4K upscale).mp4"): its
/// `progressRatio` moves on with each request.
pub const TASK_RUNNING: &str = "user:1000000001-runwayml:demo@example.com-task:8e4a1c6f-5b2d-4f39-a0e7-3d9b6c1f8a25";
/// A deleted task (behind the sample "Mountain cabin in snow.png"): answers 404 while its asset lives.
pub const TASK_NOT_FOUND: &str = "user:1000000001-runwayml:demo@example.com-task:6b0e3a9d-2f5c-4e18-9d47-a8c1e5f3b072";
/// A FAILED task with an error object (reachable by its task ID only: a failed task made no asset).
pub const TASK_FAILED: &str = "user:1000000001-runwayml:demo@example.com-task:f417ed00-0bad-4e7a-9c3d-5a6b7c8d9e01";
/// A finished task with 10,000 artifacts (duplicated asset IDs among them), for bounds.
pub const TASK_MANY_ARTIFACTS: &str =
    "user:1000000001-runwayml:demo@example.com-task:a7a7a7a7-1000-4000-8000-0000000a7a70";
/// How many artifacts [`TASK_MANY_ARTIFACTS`] has.
pub const MANY_ARTIFACTS: usize = 10_000;

/// The task's answer: `Some(json)` for a known task, `None` for 404. `hits` counts the requests
/// for the running task so far (its progress moves with it).
pub(super) fn answer(task_id: &str, running_hits: impl FnOnce() -> usize) -> Option<Bytes> {
    let listing = Listing::get();
    let sample_index = |needle: &str| -> Option<usize> {
        (0..listing.count()).find(|&i| listing.json_at(i).is_some_and(|j| contains(j, needle)))
    };
    match task_id {
        TASK_NOT_FOUND => None,
        TASK_MANY_ARTIFACTS => Some(many_artifacts().clone()),
        TASK_FAILED => Some(failed()),
        TASK_RUNNING => Some(running(running_hits(), sample_index(TASK_RUNNING))),
        TASK_GEN3 | TASK_GEN4 | TASK_ACT_TWO => {
            let index = sample_index(task_id)?;
            Some(Bytes::from(finished(listing, index, task_id).to_string()))
        }
        other => {
            let index = listing.index_of_task(other)?;
            Some(Bytes::from(finished(listing, index, other).to_string()))
        }
    }
}

fn contains(haystack: &Bytes, needle: &str) -> bool {
    memchr::memmem::find(haystack, needle.as_bytes()).is_some()
}

fn asset_at(listing: &Listing, index: usize) -> Value {
    listing.json_at(index).and_then(|json| serde_json::from_slice(json).ok()).unwrap_or(Value::Null)
}

/// FNV-1a of the text: a stable small hash for the per-task choices.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3))
}

/// The model, seed and prompt in an asset's name, "Gen-4 Turbo 123, a red fox.mp4"; the sample
/// names ("Gen-4 Turbo Coastal drone shot at sunset.mp4") have no seed.
fn parse_name(name: &str) -> (Option<String>, Option<u64>, String) {
    let stem = match name.rsplit_once('.') {
        Some((stem, ext)) if ext.len() <= 4 && !stem.is_empty() => stem,
        _ => name,
    };
    if let Some((head, prompt)) = stem.split_once(", ")
        && let Some((label, seed)) = head.rsplit_once(' ')
        && let Ok(seed) = seed.parse::<u64>()
    {
        return (Some(label.to_owned()), Some(seed), prompt.to_owned());
    }
    for label in ["Gen-3 Alpha Turbo", "Gen-4 Turbo", "Act-Two"] {
        if let Some(rest) = stem.strip_prefix(label) {
            return (Some(label.to_owned()), None, rest.trim().to_owned());
        }
    }
    (None, None, stem.to_owned())
}

fn task_type(label: &str) -> &'static str {
    match label {
        "Gen-4 Turbo" => "gen4_turbo",
        "Gen-4" => "gen4",
        "Gen-3 Alpha Turbo" => "gen3a_turbo",
        "Gen-3 Alpha" => "gen3a",
        "Gen-4 Aleph" => "aleph",
        "Act-Two" => "act_two",
        "Gen-4 Image" => "text_to_image",
        "Gen-4 Image Turbo" => "text_to_image_turbo",
        "Frames" => "frames",
        "Text to Speech" => "text_to_speech",
        _ => "gen4_turbo",
    }
}

/// An artifact as the task endpoint sends it, from a listed asset's JSON.
fn artifact(asset: &Value, task_id: &str) -> Value {
    let meta = &asset["metadata"];
    let (width, height) = (
        meta.get("width").or_else(|| meta.pointer("/size/width")).cloned().unwrap_or(Value::Null),
        meta.get("height").or_else(|| meta.pointer("/size/height")).cloned().unwrap_or(Value::Null),
    );
    let metadata = if meta.is_object() {
        let mut m = Map::new();
        for key in ["frameRate", "duration"] {
            if let Some(v) = meta.get(key) {
                m.insert(key.to_owned(), v.clone());
            }
        }
        if !width.is_null() {
            m.insert("dimensions".to_owned(), json!([width, height]));
            m.insert("size".to_owned(), json!({"width": width, "height": height}));
        }
        Value::Object(m)
    } else {
        Value::Null
    };
    let size = match &asset["fileSize"] {
        Value::Number(n) => Value::String(n.to_string()),
        other => other.clone(),
    };
    json!({
        "assetId": asset["assetId"], "id": asset["id"], "createdAt": asset["createdAt"], "updatedAt": asset["updatedAt"],
        "userId": 1_000_000_001u64, "createdBy": 1_000_000_001u64, "taskId": task_id,
        "parentAssetGroupId": asset["parentAssetGroupId"], "filename": asset["name"], "url": asset["url"],
        "fileSize": size, "isDirectory": false, "previewUrls": asset["previewUrls"], "private": true,
        "privateInTeam": true, "deleted": false, "reported": false, "mediaType": asset["mediaType"],
        "metadata": metadata, "favorite": asset["favorite"],
    })
}

/// The finished task behind the listed asset at `index`: its prompt and seed from the asset's
/// name, artifacts itself and 0–3 siblings of the same type (3 for the Gen-3/Gen-4 samples).
fn finished(listing: &Listing, index: usize, task_id: &str) -> Value {
    let asset = asset_at(listing, index);
    let name = asset["name"].as_str().unwrap_or_default();
    let h = hash(task_id);
    let (label, seed, prompt) = parse_name(name);
    let label = label.unwrap_or_else(|| "Gen-4 Turbo".to_owned());
    let seed = seed.unwrap_or(1_000_000_000 + h % 3_000_000_000);
    let samples = super::samples().len();
    let prompt = if index == samples + 2 {
        "\u{1b}[31mred alert\u{1b}[0m\u{1b}]0;pwned\u{7} \u{202E}txet desrever\u{202C}\nsecond line\r\n\tthird line\u{1b}]52;c;aGk=\u{7}".to_owned()
    } else if index == samples + 20 {
        "a very long prompt ".repeat(1100).chars().take(20_000).collect()
    } else if task_id == TASK_GEN4 {
        "Coastal drone shot at sunset, slow push in over the cliffs, golden hour, waves breaking on the rocks below"
            .to_owned()
    } else {
        prompt
    };
    let task_name: String = format!("{label} {seed}, {prompt}").chars().take(200).collect();
    let media = asset["mediaType"].clone();
    let mut options = Map::new();
    options.insert("name".to_owned(), json!(task_name));
    if label != "Act-Two" {
        options.insert("text_prompt".to_owned(), json!(prompt));
    } else {
        options.insert(
            "character".to_owned(),
            json!({"type": "video", "url": "https://example.invalid/runway/character.mp4?_jwt=demo"}),
        );
        options.insert(
            "reference".to_owned(),
            json!({"type": "video", "url": "https://example.invalid/runway/driving.mp4?_jwt=demo"}),
        );
        options.insert("bodyControl".to_owned(), json!(true));
        options.insert("expressionIntensity".to_owned(), json!(3));
    }
    options.insert("seed".to_owned(), json!(seed));
    if media == "video" {
        let seconds =
            asset.pointer("/metadata/duration").and_then(Value::as_f64).map_or(5, |d| if d > 7.5 { 10 } else { 5 });
        options.insert("seconds".to_owned(), json!(seconds));
        options.insert("resolution".to_owned(), json!(if h.is_multiple_of(3) { "1080p" } else { "720p" }));
        if h.is_multiple_of(2) {
            options.insert(
                "init_image".to_owned(),
                json!(format!("https://example.invalid/runway/init/{}.jpg?_jwt=demo-signature", h % 10_000)),
            );
        }
        options.insert("assetGroupName".to_owned(), json!("Generative Video"));
    } else if media == "image" {
        options.insert("aspect_ratio".to_owned(), json!(["16:9", "1:1", "9:16"][(h % 3) as usize]));
        options.insert("assetGroupName".to_owned(), json!("Generative Image"));
    }
    options.insert("exploreMode".to_owned(), json!(h.is_multiple_of(5)));
    options.insert("watermark".to_owned(), json!(false));
    let siblings = match task_id {
        TASK_GEN3 | TASK_GEN4 => 3,
        _ => (h % 4) as usize,
    };
    let mut artifacts = vec![artifact(&asset, task_id)];
    let mut next = index;
    for _ in 0..listing.count() {
        if artifacts.len() > siblings {
            break;
        }
        next = (next + 1) % listing.count();
        let other = asset_at(listing, next);
        if other["mediaType"] == media && other["taskId"].is_string() && next >= samples {
            artifacts.push(artifact(&other, task_id));
        }
    }
    let created = asset["createdAt"].clone();
    json!({
        "taskId": task_id, "id": task_id.rsplit("-task:").next(), "name": task_name, "image": null,
        "createdAt": created, "updatedAt": asset["updatedAt"], "taskType": task_type(&label), "options": options,
        "status": "SUCCEEDED", "error": null, "progressText": null, "progressRatio": "1",
        "estimatedTimeToStartSeconds": null, "artifacts": artifacts, "sharedAsset": null,
    })
}

/// A 4K upscale still running: the ratio moves on a tenth with each request, and wraps.
fn running(hits: usize, index: Option<usize>) -> Bytes {
    let created = index.map(|i| asset_at(Listing::get(), i)["createdAt"].clone()).unwrap_or(Value::Null);
    let ratio = (hits % 10) as f64 / 10.0 + 0.05;
    json!({
        "taskId": TASK_RUNNING, "id": TASK_RUNNING.rsplit("-task:").next(),
        "name": "Upscale 4K 3141592653, Timelapse city lights", "createdAt": created, "updatedAt": created,
        "taskType": "upscale_v1",
        "options": {"name": "Upscale 4K 3141592653, Timelapse city lights", "seed": 3_141_592_653u64,
            "text_prompt": "Timelapse of city lights at night, traffic trails, 4K",
            "video": "https://example.invalid/runway/assets/source.mp4?_jwt=demo", "resolution": "4K"},
        "status": "RUNNING", "error": null, "progressText": "Upscaling", "progressRatio": format!("{ratio:.2}"),
        "estimatedTimeToStartSeconds": null, "artifacts": [], "sharedAsset": null,
    })
    .to_string()
    .into()
}

fn failed() -> Bytes {
    let name = "Gen-4 Turbo 271828182, a crowd running from an explosion";
    json!({
        "taskId": TASK_FAILED, "id": TASK_FAILED.rsplit("-task:").next(), "name": name,
        "createdAt": "2026-11-20T09:14:27.512Z", "updatedAt": "2026-11-20T09:14:41.007Z", "taskType": "gen4_turbo",
        "options": {"name": name, "text_prompt": "a crowd running from an explosion", "seed": 271_828_182u64,
            "seconds": 5, "resolution": "720p", "exploreMode": false, "watermark": false},
        "status": "FAILED",
        "error": {"errorMessage": "This prompt may violate our content guidelines: try rephrasing it.",
            "reason": "SAFETY.INPUT.TEXT", "message": "This prompt may violate our content guidelines: try rephrasing it.",
            "moderation_category": "VIOLENCE", "tally_asimov": false},
        "progressText": null, "progressRatio": null, "estimatedTimeToStartSeconds": null, "artifacts": [],
        "sharedAsset": null,
    })
    .to_string()
    .into()
}

/// 10,000 short artifacts cycling through the listing (so asset IDs repeat), built once.
fn many_artifacts() -> &'static Bytes {
    static MANY: OnceLock<Bytes> = OnceLock::new();
    MANY.get_or_init(|| {
        let listing = Listing::get();
        let assets: Vec<Value> = (0..listing.count()).map(|i| asset_at(listing, i)).collect();
        let artifacts: Vec<Value> = (0..MANY_ARTIFACTS)
            .map(|i| {
                let asset = &assets[i % assets.len().max(1)];
                json!({"assetId": asset["assetId"], "filename": asset["name"].as_str().map(|n| n.chars().take(80).collect::<String>()),
                    "fileSize": asset["fileSize"].to_string(), "mediaType": asset["mediaType"]})
            })
            .collect();
        let name = "Gen-4 Image 1618033988, a contact sheet of every frame";
        json!({
            "taskId": TASK_MANY_ARTIFACTS, "id": TASK_MANY_ARTIFACTS.rsplit("-task:").next(), "name": name,
            "createdAt": "2026-11-01T12:00:00.000Z", "updatedAt": "2026-11-01T12:03:00.000Z", "taskType": "text_to_image",
            "options": {"name": name, "text_prompt": "a contact sheet of every frame", "seed": 1_618_033_988u64},
            "status": "SUCCEEDED", "error": null, "progressText": null, "progressRatio": 1,
            "artifacts": artifacts, "sharedAsset": null, "account": DEMO_ACCOUNT,
        })
        .to_string()
        .into()
    })
}

/// Whether the text is a task ID of the demo account (for the route's quick refusal).
pub(super) fn is_demo_task(task_id: &str) -> bool {
    task_id.starts_with(TASK_PREFIX)
}
