//! Reading a task straight from the answer's bytes, without building a `serde_json::Value` of
//! the whole answer: a task can list thousands of artifacts, each with a dozen fields the app
//! never shows, and a full `Value` costs three times as much as skipping them (BENCHMARKS.md).
//!
//! Only the fields [`Task`] keeps are read, straight into what it keeps (strings borrowed from
//! the answer until they are cleaned, numbers as numbers; only `options` and `error` become a
//! `Value`), by the same lenient rules as [`Task::from_ref`]; every other field is skipped unread. Duplicate
//! keys keep the last, as a `Value` does. Anything this reader refuses (the answer is not an
//! object, or not JSON) is left to the `Value` path, which says why.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;

use serde_json::{Number, Value};

use super::lenient::{number_f64, number_u64, str_f64, str_u64};
use super::task::{Artifact, MAX_ARTIFACTS, Task, clean_text, clean_value, error_text};

/// The scalar visits of a visitor that wants a list or an object: any scalar gives `$none` (the
/// lenient reading: a field of the wrong type is absent, never an error).
macro_rules! scalars_give {
    ($none:expr) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($none)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($none)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($none)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($none)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($none)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($none)
        }
    };
}

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

/// A key read without allocating: which slot it fills, if any.
struct Key<F>(F);

impl<'de> de::Deserialize<'de> for Key<TaskField> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor(TaskField::of)).map(Key)
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
            let mut text = || map.next_value::<Scalar>().map(Scalar::text);
            match field {
                TaskField::TaskId => task.task_id = text()?,
                TaskField::Id => task.id = text()?,
                TaskField::Name => task.name = text()?,
                TaskField::TaskType => task.task_type = text()?,
                TaskField::Status => task.status = text()?,
                TaskField::CreatedAt => task.created_at = text()?,
                TaskField::UpdatedAt => task.updated_at = text()?,
                TaskField::ProgressText => task.progress_text = text()?,
                TaskField::ProgressRatio => task.progress_ratio = map.next_value::<Scalar>()?.f64(),
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
    scalars_give!(Artifacts::default());
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

    // Each field is read straight into what the artifact keeps: no `Value` per artifact (its
    // metadata object was the largest cost). A repeated key replaces what the earlier one gave.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MaybeArtifact, A::Error> {
        let mut asset_id = None;
        let mut filename = None;
        let mut name = None;
        let mut url = None;
        let mut file_size = None;
        let mut media_type = None;
        let mut metadata = MetadataWire::default();
        while let Some(Key(field)) = map.next_key::<Key<ArtifactField>>()? {
            match field {
                ArtifactField::AssetId => asset_id = map.next_value::<Scalar>()?.text(),
                ArtifactField::Filename => filename = map.next_value::<Scalar>()?.text(),
                ArtifactField::Name => name = map.next_value::<Scalar>()?.text(),
                ArtifactField::Url => url = map.next_value::<Scalar>()?.text(),
                ArtifactField::FileSize => file_size = map.next_value::<Scalar>()?.u64(),
                ArtifactField::MediaType => media_type = map.next_value::<Scalar>()?.text(),
                ArtifactField::Metadata => metadata = map.next_value()?,
                ArtifactField::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(MaybeArtifact(Some(Artifact {
            asset_id,
            name: filename.or(name),
            url,
            file_size,
            media_type,
            width: metadata.width.or(metadata.size_width).or(metadata.dimensions.0),
            height: metadata.height.or(metadata.size_height).or(metadata.dimensions.1),
            duration: metadata.duration,
        })))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MaybeArtifact, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(MaybeArtifact(None))
    }
    scalars_give!(MaybeArtifact(None));
}

/// The artifact fields an [`Artifact`] keeps.
#[derive(Clone, Copy)]
enum ArtifactField {
    AssetId,
    Filename,
    Name,
    Url,
    FileSize,
    MediaType,
    Metadata,
    Other,
}

impl<'de> de::Deserialize<'de> for Key<ArtifactField> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let field = |key: &str| match key {
            "assetId" => ArtifactField::AssetId,
            "filename" => ArtifactField::Filename,
            "name" => ArtifactField::Name,
            "url" => ArtifactField::Url,
            "fileSize" => ArtifactField::FileSize,
            "mediaType" => ArtifactField::MediaType,
            "metadata" => ArtifactField::Metadata,
            _ => ArtifactField::Other,
        };
        deserializer.deserialize_str(KeyVisitor(field)).map(Key)
    }
}

/// What an artifact's `metadata` gives, in either shape (`Metadata::from_object`'s rules for
/// the fields an artifact keeps); anything but an object gives nothing.
#[derive(Default)]
struct MetadataWire {
    width: Option<u64>,
    height: Option<u64>,
    duration: Option<f64>,
    size_width: Option<u64>,
    size_height: Option<u64>,
    dimensions: (Option<u64>, Option<u64>),
}

impl<'de> de::Deserialize<'de> for MetadataWire {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MetadataVisitor)
    }
}

struct MetadataVisitor;

impl<'de> Visitor<'de> for MetadataVisitor {
    type Value = MetadataWire;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an artifact's metadata")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MetadataWire, A::Error> {
        let mut out = MetadataWire::default();
        while let Some(key) = map.next_key::<Key<&'static str>>()? {
            match key.0 {
                "width" => out.width = map.next_value::<Scalar>()?.u64(),
                "height" => out.height = map.next_value::<Scalar>()?.u64(),
                "duration" => out.duration = map.next_value::<Scalar>()?.f64(),
                "size" => (out.size_width, out.size_height) = map.next_value::<Pair<false>>()?.0,
                "dimensions" => out.dimensions = map.next_value::<Pair<true>>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MetadataWire, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(MetadataWire::default())
    }
    scalars_give!(MetadataWire::default());
}

/// The metadata keys that matter, matched without allocating; any other is `""`.
impl<'de> de::Deserialize<'de> for Key<&'static str> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = |key: &str| {
            ["width", "height", "duration", "size", "dimensions"].into_iter().find(|k| *k == key).unwrap_or("")
        };
        deserializer.deserialize_str(KeyVisitor(key)).map(Key)
    }
}

/// A width and height: from `[w, h]` when `LIST` (`dimensions`), else from `{width, height}`
/// (`size`); the other shape, or anything else, is neither.
struct Pair<const LIST: bool>((Option<u64>, Option<u64>));

impl<'de, const LIST: bool> de::Deserialize<'de> for Pair<LIST> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PairVisitor::<LIST>)
    }
}

struct PairVisitor<const LIST: bool>;

impl<'de, const LIST: bool> Visitor<'de> for PairVisitor<LIST> {
    type Value = Pair<LIST>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a width and height")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut width, mut height) = (None, None);
        while let Some(key) = map.next_key::<Key<&'static str>>()? {
            if LIST {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            match key.0 {
                "width" => width = map.next_value::<Scalar>()?.u64(),
                "height" => height = map.next_value::<Scalar>()?.u64(),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Pair((width, height)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if !LIST {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(Pair((None, None)));
        }
        let width = seq.next_element::<Scalar>()?.and_then(Scalar::u64);
        let height = seq.next_element::<Scalar>()?.and_then(Scalar::u64);
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Pair((width, height)))
    }
    scalars_give!(Pair((None, None)));
}

/// One JSON value as the lenient readers see it: a string (borrowed from the answer when it
/// has no escapes), a number, or anything else (lists and objects skipped unread).
enum Scalar<'de> {
    Str(Cow<'de, str>),
    Num(Number),
    Other,
}

impl Scalar<'_> {
    /// As [`string_of`] reads a `Value`: a string cleaned, a number as text.
    fn text(self) -> Option<String> {
        match self {
            Scalar::Str(s) => Some(clean_text(&s)),
            Scalar::Num(n) => Some(n.to_string()),
            Scalar::Other => None,
        }
    }

    /// As `lenient::value_u64` reads a `Value`.
    fn u64(self) -> Option<u64> {
        match self {
            Scalar::Str(s) => str_u64(&s),
            Scalar::Num(n) => number_u64(&n),
            Scalar::Other => None,
        }
    }

    /// As `lenient::value_f64` reads a `Value`.
    fn f64(self) -> Option<f64> {
        match self {
            Scalar::Str(s) => str_f64(&s),
            Scalar::Num(n) => number_f64(&n),
            Scalar::Other => None,
        }
    }
}

impl<'de> de::Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Str(Cow::Owned(s)))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Num(n.into()))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Num(n.into()))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Scalar<'de>, E> {
        Ok(Number::from_f64(n).map_or(Scalar::Other, Scalar::Num))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
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
            // Every field of an artifact in a shape it should not have.
            json!({ "artifacts": [
                { "assetId": ["a"], "filename": { "x": 1 }, "name": true, "url": null, "fileSize": 12.0, "mediaType": 4.5 },
                { "assetId": -3, "filename": "tab\there \"quoted\" \u{e9}", "fileSize": "  77 ", "metadata": [1280, 768] },
                { "fileSize": -1, "metadata": { "width": 1.5, "height": "768", "duration": "x",
                    "size": [1, 2], "dimensions": { "width": 3 } } },
                { "fileSize": 1e30, "metadata": { "size": { "width": "640", "height": [480], "extra": {} },
                    "dimensions": ["1920", 1080.0, 3], "duration": 4 } },
                { "metadata": { "dimensions": [7], "duration": null } },
                { "metadata": "none" }, { "metadata": null }, {},
            ] }),
        ];
        for case in cases {
            let bytes = serde_json::to_vec(&case).unwrap();
            assert_eq!(read(&bytes), Task::from_ref(&case).ok(), "{case}");
        }
    }

    /// Any JSON built from the keys the reader looks at (in every nesting and type) reads the
    /// same both ways.
    fn json_of_task_keys() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        const KEYS: &[&str] = &[
            "taskId",
            "status",
            "progressRatio",
            "error",
            "options",
            "artifacts",
            "assetId",
            "filename",
            "name",
            "url",
            "fileSize",
            "mediaType",
            "metadata",
            "width",
            "height",
            "duration",
            "size",
            "dimensions",
            "x",
        ];
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            prop_oneof![Just(" 42 ".to_string()), Just("1.5".into()), Just("-7".into()), "[a-z\\t\"\u{1b}é]{0,6}"]
                .prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::vec((proptest::sample::select(KEYS), inner), 0..8)
                    .prop_map(|pairs| Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn any_json_reads_as_the_value_path_does(value in json_of_task_keys()) {
            // Compared with the bytes read back as a `Value` (a float may not survive the trip).
            let bytes = serde_json::to_vec(&value).unwrap();
            let reparsed: Value = serde_json::from_slice(&bytes).unwrap();
            proptest::prop_assert_eq!(read(&bytes), Task::from_ref(&reparsed).ok());
            let task = serde_json::to_vec(&serde_json::json!({ "artifacts": [value.clone(), { "metadata": value.clone() }] })).unwrap();
            let expected: Value = serde_json::from_slice(&task).unwrap();
            proptest::prop_assert_eq!(read(&task), Task::from_ref(&expected).ok());
        }
    }

    #[test]
    fn duplicate_keys_keep_the_last_as_a_value_does() {
        let text = r#"{"status":"RUNNING","status":"SUCCEEDED","artifacts":[{"assetId":"a","assetId":"b"},
            {"metadata":{"width":1,"size":{"width":2},"width":"x","dimensions":[3,4],"dimensions":"no"},
             "filename":"f","filename":null,"name":"n","fileSize":"5","fileSize":6},
            {"metadata":{"width":1},"metadata":{"height":2}}]}"#;
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
