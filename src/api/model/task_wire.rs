//! Reading a task straight from the answer's bytes, without building a `serde_json::Value` of
//! the whole answer: a task can list thousands of artifacts, each with a dozen fields the app
//! never shows, and a full `Value` costs three times as much as skipping them (BENCHMARKS.md).
//!
//! Only the fields [`Task`] keeps are read, each as a small `Value`, and turned into the task by
//! the same lenient rules as [`Task::from_ref`]; every other field is skipped unread. Duplicate
//! keys keep the last, as a `Value` does. Anything this reader refuses (the answer is not an
//! object, or not JSON) is left to the `Value` path, which says why.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::lenient::value_f64;
use super::task::{Artifact, MAX_ARTIFACTS, Task, clean_value, error_text, string_of};

/// A task read from the bytes of an answer; `None` when they are not a JSON object.
pub(super) fn read(bytes: &[u8]) -> Option<Task> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let task = deserializer.deserialize_map(TaskVisitor).ok()?;
    deserializer.end().ok()?;
    Some(task)
}

/// The top-level fields a task keeps.
#[derive(Clone, Copy)]
enum TaskField {
    TaskId,
    Id,
    Name,
    TaskType,
    Status,
    CreatedAt,
    UpdatedAt,
    ProgressRatio,
    ProgressText,
    Error,
    Options,
    Artifacts,
    Other,
}

impl TaskField {
    fn of(key: &str) -> TaskField {
        match key {
            "taskId" => TaskField::TaskId,
            "id" => TaskField::Id,
            "name" => TaskField::Name,
            "taskType" => TaskField::TaskType,
            "status" => TaskField::Status,
            "createdAt" => TaskField::CreatedAt,
            "updatedAt" => TaskField::UpdatedAt,
            "progressRatio" => TaskField::ProgressRatio,
            "progressText" => TaskField::ProgressText,
            "error" => TaskField::Error,
            "options" => TaskField::Options,
            "artifacts" => TaskField::Artifacts,
            _ => TaskField::Other,
        }
    }
}

/// The artifact fields [`Artifact::from_lookup`] asks for, in slot order.
const ARTIFACT_KEYS: [&str; 8] = ["assetId", "filename", "name", "url", "fileSize", "mediaType", "metadata", ""];

/// A key read without allocating: which slot it fills, if any.
struct Key<F>(F);

impl<'de> de::Deserialize<'de> for Key<TaskField> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor(TaskField::of)).map(Key)
    }
}

impl<'de> de::Deserialize<'de> for Key<Option<usize>> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let slot = |key: &str| ARTIFACT_KEYS.iter().position(|k| !k.is_empty() && *k == key);
        deserializer.deserialize_str(KeyVisitor(slot)).map(Key)
    }
}

struct KeyVisitor<F>(F);

impl<'de, T, F: Fn(&str) -> T> Visitor<'de> for KeyVisitor<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<T, E> {
        Ok((self.0)(key))
    }
}

struct TaskVisitor;

impl<'de> Visitor<'de> for TaskVisitor {
    type Value = Task;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a task object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Task, A::Error> {
        let mut task = Task::default();
        let mut error = None;
        let mut options = None;
        let mut artifacts = None;
        while let Some(Key(field)) = map.next_key::<Key<TaskField>>()? {
            let text = |value: Value| string_of(&value);
            match field {
                TaskField::TaskId => task.task_id = text(map.next_value()?),
                TaskField::Id => task.id = text(map.next_value()?),
                TaskField::Name => task.name = text(map.next_value()?),
                TaskField::TaskType => task.task_type = text(map.next_value()?),
                TaskField::Status => task.status = text(map.next_value()?),
                TaskField::CreatedAt => task.created_at = text(map.next_value()?),
                TaskField::UpdatedAt => task.updated_at = text(map.next_value()?),
                TaskField::ProgressRatio => task.progress_ratio = value_f64(&map.next_value::<Value>()?),
                TaskField::ProgressText => task.progress_text = text(map.next_value()?),
                TaskField::Error => error = Some(map.next_value::<Value>()?),
                TaskField::Options => options = Some(map.next_value::<Value>()?),
                TaskField::Artifacts => artifacts = Some(map.next_value::<Artifacts>()?),
                TaskField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        task.error = error.as_ref().and_then(error_text);
        task.options = options.as_ref().map(clean_value).unwrap_or(Value::Null);
        if let Some(Artifacts { read, skipped }) = artifacts {
            task.artifacts = read;
            task.skipped_artifacts = skipped;
        }
        Ok(task)
    }
}

/// `artifacts`: the objects in a list (at most [`MAX_ARTIFACTS`]), others counted as skipped;
/// anything but a list is no artifacts.
#[derive(Default)]
struct Artifacts {
    read: Vec<Artifact>,
    skipped: usize,
}

impl<'de> de::Deserialize<'de> for Artifacts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ArtifactsVisitor)
    }
}

struct ArtifactsVisitor;

impl<'de> Visitor<'de> for ArtifactsVisitor {
    type Value = Artifacts;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of artifacts")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Artifacts, A::Error> {
        let mut out =
            Artifacts { read: Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX_ARTIFACTS)), skipped: 0 };
        while let Some(item) = seq.next_element::<MaybeArtifact>()? {
            match item.0 {
                Some(artifact) if out.read.len() < MAX_ARTIFACTS => out.read.push(artifact),
                _ => out.skipped += 1,
            }
        }
        Ok(out)
    }

    // Anything else is no artifacts, as in `Task::from_ref`.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Artifacts, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Artifacts::default())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Artifacts, E> {
        Ok(Artifacts::default())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Artifacts, E> {
        Ok(Artifacts::default())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Artifacts, E> {
        Ok(Artifacts::default())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Artifacts, E> {
        Ok(Artifacts::default())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Artifacts, E> {
        Ok(Artifacts::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Artifacts, E> {
        Ok(Artifacts::default())
    }
}

/// One item of `artifacts`: an artifact when it is an object, `None` for anything else.
struct MaybeArtifact(Option<Artifact>);

impl<'de> de::Deserialize<'de> for MaybeArtifact {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ArtifactVisitor)
    }
}

struct ArtifactVisitor;

impl<'de> Visitor<'de> for ArtifactVisitor {
    type Value = MaybeArtifact;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an artifact")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MaybeArtifact, A::Error> {
        let mut slots: [Option<Value>; ARTIFACT_KEYS.len()] = Default::default();
        while let Some(Key(slot)) = map.next_key::<Key<Option<usize>>>()? {
            match slot.and_then(|i| slots.get_mut(i)) {
                Some(place) => *place = Some(map.next_value()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let get = |key: &str| ARTIFACT_KEYS.iter().position(|k| *k == key).and_then(|i| slots.get(i)?.as_ref());
        Ok(MaybeArtifact(Some(Artifact::from_lookup(get))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MaybeArtifact, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(MaybeArtifact(None))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<MaybeArtifact, E> {
        Ok(MaybeArtifact(None))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<MaybeArtifact, E> {
        Ok(MaybeArtifact(None))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<MaybeArtifact, E> {
        Ok(MaybeArtifact(None))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<MaybeArtifact, E> {
        Ok(MaybeArtifact(None))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<MaybeArtifact, E> {
        Ok(MaybeArtifact(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<MaybeArtifact, E> {
        Ok(MaybeArtifact(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The fast reader and the `Value` path agree on every shape a task can take.
    #[test]
    fn reads_as_the_value_path_does() {
        let cases = [
            json!({}),
            json!({ "taskId": "t", "status": "RUNNING", "progressRatio": "0.5", "taskType": 7, "name": null }),
            json!({ "options": { "text_prompt": "a\nb\u{1b}[2J", "seed": "42", "gen2Options": { "seed": 1 } } }),
            json!({ "error": { "errorMessage": "moderated" }, "artifacts": "not a list" }),
            json!({ "artifacts": [1, "x", null, [1], { "assetId": "a", "filename": "f", "fileSize": "12",
                    "metadata": { "dimensions": [1280, 768], "duration": "5.2" }, "extra": { "deep": [1, 2] } },
                    { "name": "n", "url": 3, "mediaType": "video", "metadata": { "width": "640", "height": 480 } }] }),
            json!({ "artifacts": {}, "progressRatio": null, "createdAt": 1700000000 }),
        ];
        for case in cases {
            let bytes = serde_json::to_vec(&case).unwrap();
            assert_eq!(read(&bytes), Task::from_ref(&case).ok(), "{case}");
        }
    }

    #[test]
    fn duplicate_keys_keep_the_last_as_a_value_does() {
        let text = r#"{"status":"RUNNING","status":"SUCCEEDED","artifacts":[{"assetId":"a","assetId":"b"}]}"#;
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(read(text.as_bytes()), Task::from_ref(&value).ok());
    }

    #[test]
    fn what_is_not_an_object_is_left_to_the_value_path() {
        for text in ["[]", "\"task\"", "null", "{\"a\":", "{} trailing", ""] {
            assert_eq!(read(text.as_bytes()), None, "{text}");
        }
    }
}
