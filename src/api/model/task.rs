//! The task behind a generated asset (`GET /v1/runwayml/tasks/{taskId}`): its model, status,
//! prompt, seed, options and the files it made. Read leniently like the asset: every field
//! optional, numbers accepted as strings, `error` as a string or an object, unknown `status` and
//! `taskType` values kept as sent, unknown fields ignored. Every string is made terminal-safe
//! here, `options` included, so nothing read from a task can carry an escape sequence.

use serde_json::{Map, Value};

use super::asset::{Metadata, json_kind};
use super::lenient::{value_f64, value_u64};
use crate::api::client::MAX_ID_LEN;
use crate::api::error::ApiError;
use crate::sanitize::{self, PLACEHOLDER, is_unsafe};

/// Artifacts read from one task at most; the rest are counted in `skipped_artifacts`.
pub const MAX_ARTIFACTS: usize = 20_000;
/// The longest error text kept (in characters).
const MAX_ERROR_CHARS: usize = 1_000;
/// The longest value `option_pairs` shows (in characters), and how many pairs at most.
const MAX_OPTION_VALUE_CHARS: usize = 80;
const MAX_OPTION_KEY_CHARS: usize = 40;
const MAX_OPTION_PAIRS: usize = 40;
/// The longest model label taken from a task's name.
const MAX_LABEL_CHARS: usize = 60;
/// Options that have their own accessors, or repeat the task's name.
const OWN_OPTIONS: &[&str] = &["text_prompt", "seed", "name", "gen2Options"];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Task {
    pub task_id: Option<String>,
    pub id: Option<String>,
    pub name: Option<String>,
    /// Kept as sent (an open set: `gen3a`, `gen4_turbo`, …).
    pub task_type: Option<String>,
    /// Kept as sent, e.g. `SUCCEEDED`, `RUNNING`, and unknown ones too.
    pub status: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    /// 0…1, sent as `"0.42"`, `0.42` or null.
    pub progress_ratio: Option<f64>,
    pub progress_text: Option<String>,
    /// A string error, or an error object's `message`/`errorMessage`/`reason` (one clean line).
    pub error: Option<String>,
    /// As received (`Null` when absent), every string in it cleaned.
    pub options: Value,
    /// The files it made; items that are not objects are skipped and counted.
    pub artifacts: Vec<Artifact>,
    pub skipped_artifacts: usize,
}

/// One file a task made. Artifacts name it `filename` (assets say `name`); `fileSize` comes as a
/// string; metadata in either shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Artifact {
    pub asset_id: Option<String>,
    pub name: Option<String>,
    pub url: Option<String>,
    pub file_size: Option<u64>,
    pub media_type: Option<String>,
    pub width: Option<u64>,
    pub height: Option<u64>,
    pub duration: Option<f64>,
}

/// A successful task lookup: the parsed task and the JSON as received.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchedTask {
    pub task: Task,
    pub raw: TaskJson,
}

impl FetchedTask {
    /// A task from the bytes of an answer, kept as received beside what was read of it. No
    /// `Value` of the whole answer is built (see `task_wire`).
    ///
    /// # Errors
    /// [`ApiError::InvalidJson`] for bytes that are not JSON text, [`ApiError::NotATask`] for JSON
    /// that is not an object.
    pub fn from_bytes(body: &[u8]) -> Result<FetchedTask, ApiError> {
        FetchedTask::from_body(body.to_vec())
    }

    /// As [`FetchedTask::from_bytes`], keeping the answer's own bytes as its text (no copy: an
    /// answer can be a megabyte, and a fresh copy's page faults cost more than reading it).
    ///
    /// # Errors
    /// As [`FetchedTask::from_bytes`].
    pub fn from_body(body: Vec<u8>) -> Result<FetchedTask, ApiError> {
        let text = String::from_utf8(body).map_err(|_| ApiError::InvalidJson("it is not UTF-8 text".into()))?;
        let task = Task::from_json(text.as_bytes())?;
        Ok(FetchedTask { task, raw: TaskJson(std::sync::Arc::new(text)) })
    }

    /// A task from JSON already parsed (a remembered one, a test's).
    ///
    /// # Errors
    /// [`ApiError::NotATask`] for JSON that is not an object.
    pub fn from_value(value: &Value) -> Result<FetchedTask, ApiError> {
        let task = Task::from_ref(value)?;
        Ok(FetchedTask { task, raw: TaskJson(std::sync::Arc::new(value.to_string())) })
    }
}

/// A task's JSON text as received: always one JSON object (it was read as a task), shared
/// without copying.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskJson(std::sync::Arc<String>);

impl TaskJson {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The JSON as a `Value` (for the command line's output, which adds to it).
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.0).unwrap_or(Value::Null)
    }
}

impl Task {
    /// Reads a task from the answer's JSON. Any object is a task (all fields optional); anything
    /// else is [`ApiError::NotATask`].
    pub fn from_value(value: Value) -> Result<Task, ApiError> {
        Task::from_ref(&value)
    }

    /// Reads a task from the bytes of an answer, skipping unread every field it does not keep
    /// (see `task_wire`); what that reader refuses goes through the `Value` path, which says why.
    ///
    /// # Errors
    /// [`ApiError::InvalidJson`] for bytes that are not JSON, [`ApiError::NotATask`] for JSON
    /// that is not an object.
    pub fn from_json(bytes: &[u8]) -> Result<Task, ApiError> {
        if let Some(task) = super::task_wire::read(bytes) {
            return Ok(task);
        }
        Task::from_ref(&crate::api::client::parse_json(bytes)?)
    }

    /// As [`Task::from_value`], without taking the value (so the caller can keep it as received).
    pub fn from_ref(value: &Value) -> Result<Task, ApiError> {
        let Value::Object(map) = value else {
            return Err(ApiError::NotATask(json_kind(value)));
        };
        let text = |key: &str| map.get(key).and_then(string_of);
        let (artifacts, skipped_artifacts) = match map.get("artifacts") {
            Some(Value::Array(items)) => {
                let read: Vec<Artifact> =
                    items.iter().take(MAX_ARTIFACTS).filter_map(|v| v.as_object().map(Artifact::from_object)).collect();
                let skipped = items.len() - read.len();
                (read, skipped)
            }
            _ => (Vec::new(), 0),
        };
        Ok(Task {
            task_id: text("taskId"),
            id: text("id"),
            name: text("name"),
            task_type: text("taskType"),
            status: text("status"),
            created_at: text("createdAt"),
            updated_at: text("updatedAt"),
            progress_ratio: map.get("progressRatio").and_then(value_f64),
            progress_text: text("progressText"),
            error: map.get("error").and_then(error_text),
            options: map.get("options").map(clean_value).unwrap_or(Value::Null),
            artifacts,
            skipped_artifacts,
        })
    }

    /// The prompt: `options.text_prompt`, else `options.gen2Options.text_prompt` (Gen-2);
    /// `None` when neither is a non-blank string (Act-One/Act-Two have none).
    pub fn prompt(&self) -> Option<&str> {
        let top = self.options.get("text_prompt").and_then(Value::as_str).filter(|p| !p.trim().is_empty());
        top.or_else(|| {
            self.gen2().and_then(|g| g.get("text_prompt")).and_then(Value::as_str).filter(|p| !p.trim().is_empty())
        })
    }

    /// The seed: `options.seed`, else `options.gen2Options.seed`; a number or a numeric string.
    pub fn seed(&self) -> Option<u64> {
        self.options
            .get("seed")
            .and_then(value_u64)
            .or_else(|| self.gen2().and_then(|g| g.get("seed")).and_then(value_u64))
    }

    /// The model's label at the front of the task's name, before the seed: "Gen-3 Alpha" from
    /// "Gen-3 Alpha 123456789, Slow motion…" (else from `options.name`); `None` if neither has one.
    pub fn model_label(&self) -> Option<String> {
        let from_options = self.options.get("name").and_then(Value::as_str);
        self.name.as_deref().and_then(label_of).or_else(|| from_options.and_then(label_of))
    }

    /// SUCCEEDED or FAILED (any case): the task will not change any more.
    pub fn is_finished(&self) -> bool {
        self.status_is(&["SUCCEEDED", "FAILED"])
    }

    /// PENDING, RUNNING or THROTTLED (any case): worth reading again later.
    pub fn is_running(&self) -> bool {
        self.status_is(&["PENDING", "RUNNING", "THROTTLED"])
    }

    /// The other options, compact, for people: (key, value) pairs without `text_prompt`, `seed`
    /// and `name`, the nested `gen2Options` flattened in, URLs without their query strings,
    /// values on one line and bounded in length (at most 40 pairs; null values left out).
    pub fn option_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        let sources = [self.options.as_object(), self.gen2()];
        for map in sources.into_iter().flatten() {
            for (key, value) in map {
                if OWN_OPTIONS.contains(&key.as_str()) || value.is_null() {
                    continue;
                }
                if pairs.len() == MAX_OPTION_PAIRS {
                    return pairs;
                }
                pairs.push((sanitize::one_line(key, MAX_OPTION_KEY_CHARS), option_value(value)));
            }
        }
        pairs
    }

    fn gen2(&self) -> Option<&Map<String, Value>> {
        self.options.get("gen2Options").and_then(Value::as_object)
    }

    fn status_is(&self, any_of: &[&str]) -> bool {
        self.status.as_deref().is_some_and(|s| any_of.iter().any(|k| s.trim().eq_ignore_ascii_case(k)))
    }
}

impl Artifact {
    /// An artifact from its object (`task_wire` reads the same fields from the bytes).
    fn from_object(map: &Map<String, Value>) -> Artifact {
        let get = |key: &str| map.get(key);
        let text = |key: &str| get(key).and_then(string_of);
        let metadata = get("metadata").and_then(Value::as_object).map(Metadata::from_object).unwrap_or_default();
        Artifact {
            asset_id: text("assetId"),
            name: text("filename").or_else(|| text("name")),
            url: text("url"),
            file_size: get("fileSize").and_then(value_u64),
            media_type: text("mediaType"),
            width: metadata.width,
            height: metadata.height,
            duration: metadata.duration,
        }
    }
}

/// A typed ID that is a task ID (`…-task:<something>`, no spaces inside), trimmed; `None` for
/// anything else (an asset ID, a bare uuid, text with spaces, an over-long paste).
pub fn as_task_id(text: &str) -> Option<&str> {
    let id = text.trim();
    if id.is_empty() || id.chars().count() > MAX_ID_LEN || id.chars().any(char::is_whitespace) {
        return None;
    }
    let at = id.rfind("-task:")?;
    let rest = &id[at + "-task:".len()..];
    (at > 0 && !rest.is_empty() && !rest.contains("-asset:")).then_some(id)
}

/// A string (cleaned, newlines and tabs as spaces) or a number as text; else absent.
pub(super) fn string_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(clean_text(s)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Terminal-safe text of the same length in characters: line breaks and tabs become spaces (a
/// prompt's lines are words apart), every other unsafe character the placeholder.
pub(super) fn clean_text(s: &str) -> String {
    if sanitize::is_clean(s) {
        return s.to_owned();
    }
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if is_unsafe(c) => PLACEHOLDER,
            c => c,
        })
        .collect()
}

/// The value with every string in it (keys too) cleaned.
pub(super) fn clean_value(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(clean_text(s)),
        Value::Array(items) => Value::Array(items.iter().map(clean_value).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (clean_text(k), clean_value(v))).collect()),
        other => other.clone(),
    }
}

/// The error as one line: a string, or an object's `message`/`errorMessage`/`reason` (else the
/// object itself, compact); null, an empty string and other types are no error.
pub(super) fn error_text(value: &Value) -> Option<String> {
    let line = |s: &str| Some(sanitize::one_line(s, MAX_ERROR_CHARS)).filter(|l| !l.is_empty());
    match value {
        Value::String(s) => line(s),
        Value::Object(map) if map.is_empty() => None,
        Value::Object(map) => ["message", "errorMessage", "reason"]
            .iter()
            .find_map(|key| map.get(*key).and_then(Value::as_str).and_then(line))
            .or_else(|| line(&value.to_string())),
        _ => None,
    }
}

/// "Gen-3 Alpha" from "Gen-3 Alpha 123456789, …": the words before the digits that end the part
/// before the first comma.
fn label_of(name: &str) -> Option<String> {
    let head = name.split(',').next()?.trim_end();
    let (label, seed) = head.rsplit_once(char::is_whitespace)?;
    let label = label.trim();
    let is_seed = !seed.is_empty() && seed.bytes().all(|b| b.is_ascii_digit());
    let fits = !label.is_empty() && label.chars().count() <= MAX_LABEL_CHARS;
    (is_seed && fits).then(|| sanitize::one_line(label, MAX_LABEL_CHARS))
}

/// An option's value for people: one line, bounded; URLs (nested ones too) without their query.
fn option_value(value: &Value) -> String {
    let text = match value {
        Value::String(s) => cut_query(s).to_owned(),
        Value::Array(_) | Value::Object(_) => without_queries(value).to_string(),
        other => other.to_string(),
    };
    sanitize::one_line(&text, MAX_OPTION_VALUE_CHARS)
}

/// A URL without its query and fragment (signed links carry a token there); other text as is.
fn cut_query(s: &str) -> &str {
    let lower = s.trim_start().get(..8).unwrap_or_default().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        s.split(['?', '#']).next().unwrap_or(s)
    } else {
        s
    }
}

fn without_queries(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(cut_query(s).to_owned()),
        Value::Array(items) => Value::Array(items.iter().map(without_queries).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), without_queries(v))).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn task(value: Value) -> Task {
        Task::from_value(value).unwrap()
    }

    #[test]
    fn model_label_is_the_words_before_the_seed() {
        let label = |name: &str| task(json!({ "name": name })).model_label();
        assert_eq!(label("Gen-3 Alpha 123456789, Slow motion zoom in").as_deref(), Some("Gen-3 Alpha"));
        assert_eq!(label("Gen-4 Turbo 42, a, b, c").as_deref(), Some("Gen-4 Turbo"));
        assert_eq!(label("Gen-2 7").as_deref(), Some("Gen-2"));
        assert_eq!(label("Gen-4 Turbo Coastal drone shot.mp4"), None);
        assert_eq!(label("123456789, no label"), None);
        assert_eq!(label(""), None);
        assert_eq!(label(&format!("{} 1, x", "long ".repeat(100))), None);
        let from_options = task(json!({ "options": { "name": "Act-Two 55, x" } }));
        assert_eq!(from_options.model_label().as_deref(), Some("Act-Two"));
    }

    #[test]
    fn prompt_and_seed_top_level_then_gen2() {
        let t = task(json!({ "options": { "text_prompt": "cat", "seed": "77" } }));
        assert_eq!((t.prompt(), t.seed()), (Some("cat"), Some(77)));
        let t = task(json!({ "options": { "gen2Options": { "text_prompt": "dog", "seed": 5 } } }));
        assert_eq!((t.prompt(), t.seed()), (Some("dog"), Some(5)));
        let t = task(json!({ "options": { "text_prompt": "  ", "seed": -3, "gen2Options": { "text_prompt": 4 } } }));
        assert_eq!((t.prompt(), t.seed()), (None, None));
        let t = task(json!({ "options": "not an object" }));
        assert_eq!((t.prompt(), t.seed(), t.option_pairs().len()), (None, None, 0));
        let t = task(json!({ "options": { "text_prompt": "a\nb\u{1b}[2J\u{202e}c" } }));
        assert_eq!(t.prompt(), Some("a b\u{FFFD}[2J\u{FFFD}c"));
    }

    #[test]
    fn option_pairs_are_compact_and_bounded() {
        let t = task(json!({ "options": {
            "text_prompt": "p", "seed": 1, "name": "n", "seconds": 5, "resolution": "720p", "exploreMode": true,
            "init_image": "https://cdn.example/i.jpg?_jwt=secret", "nothing": null, "long": "x".repeat(500),
            "keyframes": [{"image": "http://x/a.png?sig=1"}], "gen2Options": { "interpolate": true, "seed": 3, "text_prompt": "q" }
        }}));
        let pairs = t.option_pairs();
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        // In the order the server sent them (the raw JSON view keeps it too).
        assert_eq!(keys, ["seconds", "resolution", "exploreMode", "init_image", "long", "keyframes", "interpolate"]);
        let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        assert_eq!(get("init_image"), Some("https://cdn.example/i.jpg"));
        assert_eq!(get("seconds"), Some("5"));
        assert_eq!(get("exploreMode"), Some("true"));
        assert_eq!(get("keyframes"), Some(r#"[{"image":"http://x/a.png"}]"#));
        assert_eq!(get("long").map(|v| v.chars().count()), Some(MAX_OPTION_VALUE_CHARS + 1));
        let many: Map<String, Value> = (0..100).map(|i| (format!("k{i:03}"), json!(i))).collect();
        assert_eq!(task(json!({ "options": many })).option_pairs().len(), MAX_OPTION_PAIRS);
    }

    #[test]
    fn status_sets_and_errors() {
        for (status, finished, running) in [
            ("SUCCEEDED", true, false),
            ("failed", true, false),
            ("RUNNING", false, true),
            ("Throttled", false, true),
            ("PENDING", false, true),
            ("CANCELLED", false, false),
        ] {
            let t = task(json!({ "status": status }));
            assert_eq!((t.is_finished(), t.is_running()), (finished, running), "{status}");
            assert_eq!(t.status.as_deref(), Some(status));
        }
        assert!(!Task::default().is_finished() && !Task::default().is_running());
        let err = |e: Value| task(json!({ "error": e })).error;
        assert_eq!(err(json!("boom\nbang")).as_deref(), Some("boom bang"));
        assert_eq!(err(json!({ "errorMessage": "moderated", "reason": "r" })).as_deref(), Some("moderated"));
        assert_eq!(err(json!({ "reason": "SAFETY" })).as_deref(), Some("SAFETY"));
        assert_eq!(err(json!({ "code": 7 })).as_deref(), Some(r#"{"code":7}"#));
        assert_eq!(err(json!(null)), None);
        assert_eq!(err(json!("")), None);
        assert_eq!(err(json!(12)), None);
    }

    #[test]
    fn task_ids_are_recognised() {
        let id = "user:1-runwayml:a@b.c-task:9b2d7c4e-0000";
        assert_eq!(as_task_id(&format!("  {id}\n")), Some(id));
        assert_eq!(as_task_id("user:1-runwayml:a@b.c-asset:9b2d"), None);
        assert_eq!(as_task_id("user:1-runwayml:my-task:x@b.c-asset:9b2d"), None);
        assert_eq!(as_task_id("9b2d7c4e-0000-4000-8000-000000000002"), None);
        assert_eq!(as_task_id("x-task:"), None);
        assert_eq!(as_task_id("-task:x"), None);
        assert_eq!(as_task_id("a b-task:x"), None);
        assert_eq!(as_task_id(""), None);
        assert_eq!(as_task_id(&format!("u-task:{}", "x".repeat(5000))), None);
    }
}
