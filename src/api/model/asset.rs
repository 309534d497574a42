//! The Runway asset as the API describes it: every field optional, both `metadata` shapes
//! understood, numbers accepted as strings, unknown fields ignored. Parsing never fails on a
//! field's value; only a body that is not a JSON object is an error.

use serde::Deserialize;
use serde_json::Value;

use super::lenient;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Asset {
    #[serde(deserialize_with = "lenient::string_opt")]
    pub asset_id: Option<String>,
    #[serde(deserialize_with = "lenient::string_opt")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::string_opt")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::string_opt")]
    pub created_at: Option<String>,
    #[serde(deserialize_with = "lenient::string_opt")]
    pub updated_at: Option<String>,
    #[serde(deserialize_with = "lenient::string_opt")]
    pub url: Option<String>,
    #[serde(deserialize_with = "lenient::strings_opt")]
    pub preview_urls: Option<Vec<String>>,
    #[serde(deserialize_with = "lenient::string_opt")]
    pub media_type: Option<String>,
    #[serde(deserialize_with = "lenient::string_opt")]
    pub media_subtype: Option<String>,
    #[serde(deserialize_with = "lenient::u64_opt")]
    pub file_count: Option<u64>,
    #[serde(deserialize_with = "lenient::u64_opt")]
    pub file_size: Option<u64>,
    #[serde(deserialize_with = "lenient::string_opt")]
    pub file_ext_standardized: Option<String>,
    #[serde(deserialize_with = "lenient::bool_opt")]
    pub is_user_upload: Option<bool>,
    #[serde(deserialize_with = "metadata_opt")]
    pub metadata: Option<Metadata>,
    #[serde(deserialize_with = "lenient::string_opt")]
    pub username: Option<String>,
    #[serde(deserialize_with = "lenient::string_opt")]
    pub user_picture: Option<String>,
    #[serde(deserialize_with = "lenient::string_opt")]
    pub user_id: Option<String>,
    #[serde(deserialize_with = "lenient::string_opt")]
    pub created_by: Option<String>,
    #[serde(deserialize_with = "lenient::bool_opt")]
    pub private: Option<bool>,
    #[serde(deserialize_with = "lenient::bool_opt")]
    pub private_in_team: Option<bool>,
    #[serde(deserialize_with = "lenient::string_opt")]
    pub parent_asset_group_id: Option<String>,
    #[serde(deserialize_with = "lenient::string_opt")]
    pub task_id: Option<String>,
    #[serde(deserialize_with = "lenient::bool_opt")]
    pub favorite: Option<bool>,
}

/// Media metadata, merged from both shapes the API has used:
/// older `{dimensions: [w, h], size: {width, height}}` and newer `{width, height, hasAlphaChannel, hasAudio}`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    pub frame_rate: Option<f64>,
    pub duration: Option<f64>,
    pub width: Option<u64>,
    pub height: Option<u64>,
    pub has_alpha_channel: Option<bool>,
    pub has_audio: Option<bool>,
}

impl Metadata {
    pub(super) fn from_object(map: &serde_json::Map<String, Value>) -> Metadata {
        let num = |key: &str| map.get(key).and_then(lenient::value_f64);
        let int = |key: &str| map.get(key).and_then(lenient::value_u64);
        let flag = |key: &str| map.get(key).and_then(Value::as_bool);
        let size = map.get("size").and_then(Value::as_object);
        let dims = map.get("dimensions").and_then(Value::as_array);
        let from_size = |key: &str| size.and_then(|s| s.get(key)).and_then(lenient::value_u64);
        let from_dims = |i: usize| dims.and_then(|d| d.get(i)).and_then(lenient::value_u64);
        Metadata {
            frame_rate: num("frameRate").or_else(|| num("fps")),
            duration: num("duration"),
            width: int("width").or_else(|| from_size("width")).or_else(|| from_dims(0)),
            height: int("height").or_else(|| from_size("height")).or_else(|| from_dims(1)),
            has_alpha_channel: flag("hasAlphaChannel"),
            has_audio: flag("hasAudio"),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Metadata::default()
    }
}

fn metadata_opt<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Metadata>, D::Error> {
    Ok(match Value::deserialize(d) {
        Ok(Value::Object(map)) => Some(Metadata::from_object(&map)).filter(|m| !m.is_empty()),
        _ => None,
    })
}

/// Why a body could not be read as an asset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the response is not valid JSON ({0})")]
    NotJson(String),
    #[error("the response is JSON but not an asset object (it is {0})")]
    NotAnObject(&'static str),
}

impl Asset {
    /// Reads an asset from a response body. Any JSON object is an asset (all fields optional).
    pub fn from_json(body: &[u8]) -> Result<Asset, ParseError> {
        let value: Value = serde_json::from_slice(body).map_err(|e| ParseError::NotJson(short_json_error(&e)))?;
        Asset::from_value(value)
    }

    pub fn from_value(value: Value) -> Result<Asset, ParseError> {
        match value {
            Value::Object(_) => serde_json::from_value(value).map_err(|e| ParseError::NotJson(short_json_error(&e))),
            other => Err(ParseError::NotAnObject(json_kind(&other))),
        }
    }

    pub fn width(&self) -> Option<u64> {
        self.metadata.as_ref().and_then(|m| m.width)
    }
    pub fn height(&self) -> Option<u64> {
        self.metadata.as_ref().and_then(|m| m.height)
    }
    pub fn duration(&self) -> Option<f64> {
        self.metadata.as_ref().and_then(|m| m.duration)
    }
    pub fn frame_rate(&self) -> Option<f64> {
        self.metadata.as_ref().and_then(|m| m.frame_rate)
    }
}

fn short_json_error(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Eof => format!("it ends early, at line {} column {}", e.line(), e.column()),
        _ => format!("syntax error at line {} column {}", e.line(), e.column()),
    }
}

pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_image_sample_parses() {
        let body =
            br#"{ "assetId": "user:1-runwayml:a@b.c-asset:u", "id": "u", "createdAt": "2024-08-01T01:02:03.456Z",
            "name": "Race car.jpg", "previewUrls": ["p"], "mediaType": "image", "fileCount": 1, "fileSize": 123456,
            "fileExtStandardized": "jpeg", "isUserUpload": true, "metadata": null, "userId": 123456789,
            "userPicture": null, "private": true, "parentAssetGroupId": null, "favorite": false }"#;
        let a = Asset::from_json(body).unwrap();
        assert_eq!(a.name.as_deref(), Some("Race car.jpg"));
        assert_eq!(a.file_size, Some(123456));
        assert_eq!(a.user_id.as_deref(), Some("123456789"));
        assert_eq!(a.metadata, None);
        assert_eq!(a.user_picture, None);
        assert_eq!(a.private, Some(true));
        assert_eq!(a.preview_urls, Some(vec!["p".to_string()]));
    }

    #[test]
    fn older_metadata_shape_gives_dimensions() {
        let a = Asset::from_json(br#"{"metadata":{"frameRate":24,"duration":10.542,"dimensions":[1280,768],"size":{"width":1280,"height":768}}}"#).unwrap();
        let m = a.metadata.unwrap();
        assert_eq!((m.width, m.height, m.frame_rate, m.duration), (Some(1280), Some(768), Some(24.0), Some(10.542)));
        assert_eq!(m.has_audio, None);
    }

    #[test]
    fn older_shape_with_only_dimensions_array() {
        let a = Asset::from_json(br#"{"metadata":{"dimensions":[640,480]}}"#).unwrap();
        assert_eq!((a.width(), a.height()), (Some(640), Some(480)));
    }

    #[test]
    fn newer_metadata_shape_gives_flags() {
        let a = Asset::from_json(br#"{"metadata":{"frameRate":30,"duration":5,"width":1920,"height":1080,"hasAlphaChannel":false,"hasAudio":true}}"#).unwrap();
        let m = a.metadata.unwrap();
        assert_eq!((m.width, m.height), (Some(1920), Some(1080)));
        assert_eq!((m.has_alpha_channel, m.has_audio), (Some(false), Some(true)));
    }

    #[test]
    fn numbers_as_strings_are_accepted() {
        let a = Asset::from_json(
            br#"{"fileSize":"12345678","fileCount":"2","metadata":{"frameRate":"23.976","width":"100","height":"50"}}"#,
        )
        .unwrap();
        assert_eq!(a.file_size, Some(12345678));
        assert_eq!(a.file_count, Some(2));
        assert_eq!(a.frame_rate(), Some(23.976));
        assert_eq!(a.width(), Some(100));
    }

    #[test]
    fn wrong_typed_fields_become_absent_not_errors() {
        let a = Asset::from_json(
            br#"{"name":["x"],"fileSize":-5,"private":"maybe","previewUrls":"one","metadata":"oops","favorite":null}"#,
        )
        .unwrap();
        assert_eq!(a.name, None);
        assert_eq!(a.file_size, None);
        assert_eq!(a.private, None);
        assert_eq!(a.preview_urls, Some(vec!["one".into()]));
        assert_eq!(a.metadata, None);
    }

    #[test]
    fn unknown_fields_are_ignored_and_empty_object_is_an_asset() {
        let a = Asset::from_json(br#"{"brandNew":{"deep":[1,2]},"name":"n"}"#).unwrap();
        assert_eq!(a.name.as_deref(), Some("n"));
        assert_eq!(Asset::from_json(b"{}").unwrap(), Asset::default());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = Asset::from_json(&bytes);
        }

        #[test]
        fn any_object_of_any_values_is_an_asset(
            keys in proptest::collection::vec(proptest::sample::select(vec![
                "name", "fileSize", "metadata", "previewUrls", "private", "userId", "createdAt", "frameRate",
                "width", "dimensions", "size", "duration", "hasAudio", "other",
            ]), 0..12),
            leaves in proptest::collection::vec(proptest::prelude::any::<(i64, f64, String, bool, u8)>(), 12),
        ) {
            let mut obj = serde_json::Map::new();
            let mut meta = serde_json::Map::new();
            for (i, key) in keys.iter().enumerate() {
                let (n, f, s, b, pick) = leaves[i].clone();
                let v = match pick % 7 {
                    0 => serde_json::json!(n),
                    1 => serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null),
                    2 => Value::String(s),
                    3 => Value::Bool(b),
                    4 => serde_json::json!([n, s]),
                    5 => serde_json::json!({ "width": s, "height": n }),
                    _ => Value::Null,
                };
                meta.insert((*key).to_string(), v.clone());
                obj.insert((*key).to_string(), v);
            }
            obj.insert("metadata".into(), Value::Object(meta));
            let asset = Asset::from_value(Value::Object(obj));
            proptest::prop_assert!(asset.is_ok());
        }
    }

    #[test]
    fn non_objects_and_bad_json_are_errors() {
        assert_eq!(Asset::from_json(b"[1]"), Err(ParseError::NotAnObject("a list")));
        assert!(matches!(Asset::from_json(b"{\"name\": \"x\""), Err(ParseError::NotJson(_))));
        assert!(matches!(Asset::from_json(b"<html>"), Err(ParseError::NotJson(_))));
        assert!(matches!(Asset::from_json(b""), Err(ParseError::NotJson(_))));
    }
}
