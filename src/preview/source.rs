//! Which picture an asset has: for an image, its first preview URL (or its own `url` when it
//! has none and is small enough); for a video, its first preview URL (a poster frame); for
//! audio and anything else, none. And the key it is cached under: the asset's ID and its
//! `updatedAt`, never the URL (preview URLs are signed and change on every answer).

use crate::api::Asset;

/// Why an asset shows no picture. Each is one line for the pane.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoPreview {
    #[error("No picture for audio.")]
    Audio,
    #[error("No preview: the server lists none for this asset.")]
    NoneListed,
    #[error("No preview: the original file ({size}) is larger than the {limit} shown (--max-preview).")]
    OriginalTooLarge { size: String, limit: String },
}

/// What a cached picture is filed under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PreviewKey {
    pub asset_id: String,
    /// The asset's `updatedAt` (else `createdAt`; empty when it has neither).
    pub version: String,
}

impl PreviewKey {
    pub fn for_asset(asset_id: &str, asset: &Asset) -> PreviewKey {
        let version = asset.updated_at.as_deref().or(asset.created_at.as_deref()).unwrap_or("").to_string();
        PreviewKey { asset_id: asset_id.to_string(), version }
    }
}

/// The URL to fetch the asset's picture from, as the server sent it (checked for its scheme
/// when fetched), or why there is none. `max_bytes` bounds an original used in place of a
/// preview.
pub fn pick_url(asset: &Asset, max_bytes: u64) -> Result<String, NoPreview> {
    let media = asset.media_type.as_deref().unwrap_or("").to_ascii_lowercase();
    if media == "audio" {
        return Err(NoPreview::Audio);
    }
    // Only the first entry counts, however many the server lists.
    let first_preview = asset.preview_urls.as_ref().and_then(|urls| urls.first()).map(|u| u.trim().to_string());
    if let Some(url) = first_preview.filter(|u| !u.is_empty()) {
        return Ok(url);
    }
    if media == "image"
        && let Some(url) = asset.url.as_deref().map(str::trim).filter(|u| !u.is_empty())
    {
        return match asset.file_size {
            Some(size) if size > max_bytes => Err(NoPreview::OriginalTooLarge {
                size: crate::present::format::size(size),
                limit: crate::present::format::size(max_bytes),
            }),
            _ => Ok(url.to_string()),
        };
    }
    Err(NoPreview::NoneListed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(json: &str) -> Asset {
        Asset::from_json(json.as_bytes()).unwrap()
    }

    #[test]
    fn the_first_preview_url_wins() {
        let a = asset(
            r#"{"mediaType":"video","previewUrls":["https://a/1.jpg","https://a/2.jpg"],"url":"https://a/v.mp4"}"#,
        );
        assert_eq!(pick_url(&a, 1 << 20).unwrap(), "https://a/1.jpg");
    }

    #[test]
    fn an_image_without_previews_uses_its_file_when_small_enough() {
        let a = asset(r#"{"mediaType":"image","previewUrls":[],"url":"https://a/i.png","fileSize":1000}"#);
        assert_eq!(pick_url(&a, 1 << 20).unwrap(), "https://a/i.png");
        let big = asset(r#"{"mediaType":"image","url":"https://a/i.png","fileSize":99999999}"#);
        assert!(matches!(pick_url(&big, 1 << 20), Err(NoPreview::OriginalTooLarge { .. })));
        // A video's own file is never decoded.
        let video = asset(r#"{"mediaType":"video","url":"https://a/v.mp4"}"#);
        assert_eq!(pick_url(&video, 1 << 30), Err(NoPreview::NoneListed));
    }

    #[test]
    fn audio_and_odd_lists_have_no_picture() {
        assert_eq!(pick_url(&asset(r#"{"mediaType":"audio","previewUrls":["https://a"]}"#), 1), Err(NoPreview::Audio));
        assert_eq!(pick_url(&asset(r#"{"previewUrls":{"not":"a list"}}"#), 1), Err(NoPreview::NoneListed));
        assert_eq!(pick_url(&asset(r#"{"previewUrls":[1, null, ""]}"#), 1), Err(NoPreview::NoneListed));
    }

    #[test]
    fn a_hundred_thousand_entries_cost_only_the_first() {
        let urls: Vec<String> = (0..100_000).map(|i| format!("\"https://a/{i}.jpg\"")).collect();
        let a = asset(&format!(r#"{{"mediaType":"image","previewUrls":[{}]}}"#, urls.join(",")));
        assert_eq!(pick_url(&a, 1).unwrap(), "https://a/0.jpg");
    }

    #[test]
    fn the_key_is_the_id_and_the_update_time() {
        let a = asset(r#"{"updatedAt":"2024-01-01T00:00:00Z","createdAt":"2023-01-01T00:00:00Z"}"#);
        assert_eq!(PreviewKey::for_asset("id", &a).version, "2024-01-01T00:00:00Z");
        let b = asset(r#"{"createdAt":"2023-01-01T00:00:00Z"}"#);
        assert_eq!(PreviewKey::for_asset("id", &b).version, "2023-01-01T00:00:00Z");
    }
}
