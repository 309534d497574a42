//! The demo's linked Runway accounts and the main account's generated asset listing.
//!
//! Two accounts are linked, as on a real useapi.net subscription with several Runway accounts:
//! [`DEMO_ACCOUNT`] holds the sample assets plus enough generated ones ([`DEMO_ASSET_COUNT`]) to
//! reach the list endpoint's ceiling (offset ≤ 1000, limit ≤ 50: index 1049), and
//! [`DEMO_ERROR_ACCOUNT`] is in an error state. The listing is generated once, lazily and
//! deterministically (a fixed seed, fixed dates), from the sample JSONs in `assets/`; each item's
//! JSON text is built once, so serving a page only copies bytes.

use std::collections::HashMap;
use std::sync::OnceLock;

use bytes::Bytes;
use jiff::Timestamp;
use serde_json::{Map, Value, json};

use super::Sample;

/// The account that owns the sample assets and the generated listing.
pub const DEMO_ACCOUNT: &str = "demo@example.com";
/// The second linked account, in an error state: listing it answers 596.
pub const DEMO_ERROR_ACCOUNT: &str = "studio@example.com";
/// The error `GET /v1/runwayml/accounts` reports for [`DEMO_ERROR_ACCOUNT`].
pub const DEMO_ACCOUNT_ERROR_MESSAGE: &str = "Refresh token rejected: re-add this account";
/// How many assets [`DEMO_ACCOUNT`] lists (the samples included): more than the 1,050 reachable.
pub const DEMO_ASSET_COUNT: usize = 1_250;
/// Secret values the accounts endpoint sends, as the real one does. A client must never show,
/// log or store them; tests assert that it does not.
pub const DEMO_SECRET_PASSWORD: &str = "demo-secret-password-Zq81vLk2";
pub const DEMO_SECRET_JWT: &str = "demo-secret-jwt-r7Tn4WcQ0pXe";
pub const DEMO_ERROR_SECRET_PASSWORD: &str = "demo-secret-password-Hb63mYs9";
pub const DEMO_ERROR_SECRET_JWT: &str = "demo-secret-jwt-K2fVw8LdUo5a";

/// Every secret value the demo's accounts endpoint sends.
pub fn demo_secrets() -> [&'static str; 4] {
    [DEMO_SECRET_PASSWORD, DEMO_SECRET_JWT, DEMO_ERROR_SECRET_PASSWORD, DEMO_ERROR_SECRET_JWT]
}

const USER_PREFIX: &str = "user:1000000001-runwayml:";
/// The Runway user id behind [`DEMO_ACCOUNT`] (as in the samples) and behind the error account.
const DEMO_RUNWAY_ID: u64 = 1_000_000_001;
const ERROR_RUNWAY_ID: u64 = 1_000_000_002;
/// When the generated items start (older than every sample) if a sample date cannot be read.
const FALLBACK_START_MS: i64 = 1_791_326_823_118; // 2026-10-06T22:47:03.118Z
const SEED: u64 = 0x5EED_2026_0DE3_0001;

/// What the list endpoint's `mediaType` parameter selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Media {
    Video,
    Image,
    Audio,
}

impl Media {
    pub(crate) fn parse(value: &str) -> Option<Media> {
        match value {
            "video" => Some(Media::Video),
            "image" => Some(Media::Image),
            "audio" => Some(Media::Audio),
            _ => None,
        }
    }
}

/// One listed asset: its id, media type and JSON text (the same bytes for both routes).
#[derive(Debug)]
struct Listed {
    asset_id: String,
    media: Option<Media>,
    /// The `taskId` it carries (none for uploads).
    task_id: Option<String>,
    json: Bytes,
}

/// The main account's listing, newest first, with an index per media type and by id.
#[derive(Debug)]
pub(crate) struct Listing {
    items: Vec<Listed>,
    by_id: HashMap<String, usize>,
    by_task: HashMap<String, usize>,
    video: Vec<usize>,
    image: Vec<usize>,
    audio: Vec<usize>,
}

static LISTING: OnceLock<Listing> = OnceLock::new();

impl Listing {
    /// The listing, generated on first use (a few milliseconds, once per process).
    pub(crate) fn get() -> &'static Listing {
        LISTING.get_or_init(Listing::generate)
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// The JSON text of a listed asset.
    pub(crate) fn find(&self, asset_id: &str) -> Option<Bytes> {
        self.by_id.get(asset_id).and_then(|&i| self.items.get(i)).map(|item| item.json.clone())
    }

    /// How many assets are listed.
    pub(crate) fn count(&self) -> usize {
        self.items.len()
    }

    /// The index of the listed asset whose `taskId` is `task_id`.
    pub(crate) fn index_of_task(&self, task_id: &str) -> Option<usize> {
        self.by_task.get(task_id).copied()
    }

    /// The JSON text of the listed asset at `index` (newest first).
    pub(crate) fn json_at(&self, index: usize) -> Option<&Bytes> {
        self.items.get(index).map(|item| &item.json)
    }

    /// A page as the list endpoint answers it: a bare JSON array, `[]` past the end.
    pub(crate) fn page(&self, media: Option<Media>, offset: usize, limit: usize) -> Bytes {
        let chosen: Vec<&Listed> = match media {
            None => self.items.iter().skip(offset).take(limit).collect(),
            Some(media) => {
                let view = match media {
                    Media::Video => &self.video,
                    Media::Image => &self.image,
                    Media::Audio => &self.audio,
                };
                view.iter().skip(offset).take(limit).filter_map(|&i| self.items.get(i)).collect()
            }
        };
        let size = chosen.iter().map(|item| item.json.len() + 1).sum::<usize>() + 2;
        let mut body = Vec::with_capacity(size);
        body.push(b'[');
        for (n, item) in chosen.iter().enumerate() {
            if n > 0 {
                body.push(b',');
            }
            body.extend_from_slice(&item.json);
        }
        body.push(b']');
        Bytes::from(body)
    }

    fn generate() -> Listing {
        let samples = super::samples();
        let mut items: Vec<Listed> = samples.iter().map(|sample| from_sample(*sample)).collect();
        let parsed: Vec<Value> = samples.iter().map(|(_, json)| parse_object(json)).collect();
        let start = parsed
            .iter()
            .filter_map(|value| value["createdAt"].as_str()?.parse::<Timestamp>().ok())
            .map(|at| at.as_millisecond())
            .min()
            .unwrap_or(FALLBACK_START_MS);
        let templates = Templates {
            video_new: parse_object(super::VIDEO_NEW_METADATA.1),
            video_old: parse_object(super::VIDEO_OLD_METADATA.1),
            image: parse_object(super::RACE_CAR_IMAGE.1),
            audio: parse_object(super::AUDIO_MP3.1),
        };
        let mut rng = SplitMix(SEED);
        let mut at_ms = start;
        for n in 0..DEMO_ASSET_COUNT.saturating_sub(items.len()) {
            // Between ten minutes and six hours apart: about five months in all.
            at_ms -= 600_000 + i64::try_from(rng.below(5 * 3_600_000 + 3_000_000)).unwrap_or(0);
            items.push(generated(n, at_ms, &mut rng, &templates));
        }
        let mut listing = Listing {
            items: Vec::new(),
            by_id: HashMap::new(),
            by_task: HashMap::new(),
            video: Vec::new(),
            image: Vec::new(),
            audio: Vec::new(),
        };
        for (i, item) in items.into_iter().enumerate() {
            match item.media {
                Some(Media::Video) => listing.video.push(i),
                Some(Media::Image) => listing.image.push(i),
                Some(Media::Audio) => listing.audio.push(i),
                None => {}
            }
            listing.by_id.insert(item.asset_id.clone(), i);
            if let Some(task) = &item.task_id {
                listing.by_task.insert(task.clone(), i);
            }
            listing.items.push(item);
        }
        listing
    }
}

fn parse_object(json: &str) -> Value {
    match serde_json::from_str::<Value>(json) {
        Ok(value @ Value::Object(_)) => value,
        _ => Value::Object(Map::new()),
    }
}

fn from_sample((asset_id, json): Sample) -> Listed {
    let value = parse_object(json);
    let media = value["mediaType"].as_str().and_then(Media::parse);
    let task_id = value["taskId"].as_str().map(str::to_owned);
    Listed { asset_id: asset_id.to_owned(), media, task_id, json: Bytes::from_static(json.as_bytes()) }
}

struct Templates {
    video_new: Value,
    video_old: Value,
    image: Value,
    audio: Value,
}

/// A small deterministic generator (SplitMix64): the same listing on every run and platform.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (0 when bound is 0).
    fn below(&mut self, bound: u64) -> u64 {
        self.next().checked_rem(bound).unwrap_or(0)
    }

    fn pick<'a, T>(&mut self, from: &'a [T]) -> Option<&'a T> {
        from.get(usize::try_from(self.below(from.len() as u64)).unwrap_or(0))
    }

    fn chance(&mut self, in_hundred: u64) -> bool {
        self.below(100) < in_hundred
    }

    /// A random (version 4) UUID.
    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xFFFF,
            a & 0x0FFF,
            b >> 48,
            b & 0xFFFF_FFFF_FFFF
        )
    }
}

const MODELS: &[&str] = &["Gen-4 Turbo", "Gen-4", "Gen-3 Alpha Turbo", "Gen-3 Alpha", "Gen-4 Aleph", "Act-Two"];
const IMAGE_MODELS: &[&str] = &["Gen-4 Image", "Gen-4 Image Turbo", "Frames"];
const PROMPTS: &[&str] = &[
    "a red fox running through snow",
    "slow dolly shot of a neon-lit alley in the rain",
    "an astronaut drinking coffee on the moon",
    "macro shot of a dewdrop on a leaf at sunrise",
    "a paper boat drifting down a flooded street",
    "aerial view of a lighthouse in a storm",
    "a cat knocking a glass off a kitchen table",
    "vintage film look, a couple dancing in a ballroom",
    "time-lapse of clouds over a mountain lake",
    "a robot watering plants in a greenhouse",
    "close-up of hands kneading bread dough",
    "a skateboarder jumping over a fire hydrant",
    "underwater shot of a sea turtle gliding past coral",
    "a hot air balloon rising above a desert canyon",
    "a knight walking through a foggy forest",
    "product shot of a perfume bottle on black velvet",
];
const UPLOAD_VIDEO_NAMES: &[&str] =
    &["VID_{d}.mp4", "Screen Recording {d}.mp4", "GX01{n}.mp4", "interview-b-roll-{n}.mp4"];
const UPLOAD_IMAGE_NAMES: &[&str] =
    &["IMG_{n}.jpeg", "DSC0{n}.jpg", "reference-sheet-{n}.png", "moodboard {n}.png", "PXL_{d}.jpg"];
const AUDIO_NAMES: &[&str] =
    &["Narration take {n}.mp3", "voiceover-final-{n}.wav", "Text to Speech {s}, welcome back to the channel.mp3"];
const SIZES: &[(u64, u64)] = &[(1280, 768), (768, 1280), (1280, 720), (1920, 1080), (960, 960), (1584, 672)];

/// The `n`th generated asset, created at `at_ms`; a few carry hostile names on purpose.
fn generated(n: usize, at_ms: i64, rng: &mut SplitMix, templates: &Templates) -> Listed {
    let media = match rng.below(10) {
        0..=5 => Media::Video,
        6..=8 => Media::Image,
        _ => Media::Audio,
    };
    let upload = rng.chance(match media {
        Media::Video => 15,
        Media::Image => 50,
        Media::Audio => 60,
    });
    let uuid = rng.uuid();
    let seed = 1_000_000_000 + rng.below(3_294_967_295);
    let number = 1000 + rng.below(9000);
    let date = timestamp(at_ms).map(|at| at.strftime("%Y%m%d_%H%M%S").to_string()).unwrap_or_default();
    let fill = |pattern: &str| {
        pattern.replace("{d}", &date).replace("{n}", &number.to_string()).replace("{s}", &seed.to_string())
    };
    let prompt = rng.pick(PROMPTS).copied().unwrap_or("untitled");
    let (mut value, ext, name) = match media {
        Media::Video => {
            let template = if rng.chance(25) { &templates.video_old } else { &templates.video_new };
            let name = if upload {
                fill(rng.pick(UPLOAD_VIDEO_NAMES).copied().unwrap_or("clip.mp4"))
            } else {
                format!("{} {seed}, {prompt}.mp4", rng.pick(MODELS).copied().unwrap_or("Gen-4"))
            };
            (template.clone(), "mp4", name)
        }
        Media::Image => {
            let name = if upload {
                fill(rng.pick(UPLOAD_IMAGE_NAMES).copied().unwrap_or("image.jpeg"))
            } else {
                format!("{} {seed}, {prompt}.png", rng.pick(IMAGE_MODELS).copied().unwrap_or("Gen-4 Image"))
            };
            let ext = if name.ends_with(".png") { "png" } else { "jpeg" };
            (templates.image.clone(), ext, name)
        }
        Media::Audio => {
            let name = fill(rng.pick(AUDIO_NAMES).copied().unwrap_or("audio.mp3"));
            let ext = if name.ends_with(".wav") { "wav" } else { "mp3" };
            (templates.audio.clone(), ext, name)
        }
    };
    let name = match n {
        2 => format!("\u{1b}[31mGen-4 Turbo {seed}, red alert\u{1b}[0m\u{1b}]0;pwned\u{7}.{ext}"),
        9 => format!("invoice\u{202E}{}.exe", ext.chars().rev().collect::<String>()),
        20 => {
            let head = format!("Gen-3 Alpha {seed}, ");
            let tail = format!(".{ext}");
            let middle = "a very long prompt ".repeat(600);
            let keep = 10_000usize.saturating_sub(head.chars().count() + tail.chars().count());
            format!("{head}{}{tail}", middle.chars().take(keep).collect::<String>())
        }
        _ => name,
    };
    let asset_id = format!("{USER_PREFIX}{DEMO_ACCOUNT}-asset:{uuid}");
    let created = timestamp(at_ms);
    let updated = timestamp(at_ms + if upload { 0 } else { 2_000 + i64::try_from(rng.below(60_000)).unwrap_or(0) });
    let fields = [
        ("assetId", json!(asset_id)),
        ("id", json!(uuid)),
        ("createdAt", json!(created.map(rfc3339_ms))),
        ("updatedAt", json!(updated.map(rfc3339_ms))),
        ("name", json!(name)),
        ("url", json!(format!("https://example.invalid/runway/assets/{uuid}/asset.{ext}"))),
        ("fileExtStandardized", json!(ext)),
        ("isUserUpload", json!(upload)),
        ("favorite", json!(rng.chance(8))),
        ("private", json!(rng.chance(70))),
        ("parentAssetGroupId", if upload { Value::Null } else { json!(rng.uuid()) }),
    ];
    let (metadata, size, previews) = match media {
        Media::Video => {
            let (width, height) = rng.pick(SIZES).copied().unwrap_or((1280, 768));
            let duration = if upload { 3.0 + rng.below(57_000) as f64 / 1000.0 } else { [5.0, 10.0][n % 2] };
            let frame_rate = if upload { 30 } else { 24 };
            let metadata = if value["metadata"].get("dimensions").is_some() {
                json!({"frameRate": frame_rate, "duration": duration, "dimensions": [width, height],
                       "size": {"width": width, "height": height}})
            } else {
                json!({"frameRate": frame_rate, "duration": duration, "width": width, "height": height,
                       "hasAlphaChannel": false, "hasAudio": upload || rng.chance(20)})
            };
            let size = (duration * (width * height) as f64 * 1.9) as u64;
            (metadata, size, json!([format!("https://example.invalid/runway/previews/{uuid}/poster.jpg")]))
        }
        Media::Image => {
            let size = 150_000 + rng.below(6_000_000);
            (Value::Null, size, json!([format!("https://example.invalid/runway/previews/{uuid}/w512.webp")]))
        }
        Media::Audio => {
            let duration = 4.0 + rng.below(300_000) as f64 / 1000.0;
            (json!({ "duration": duration }), (duration * 16_000.0) as u64, json!([]))
        }
    };
    // A few broken previews among the rest, as a real account has: one that is gone and one
    // that is a web page labelled as a picture (see `files`).
    let previews = match (n % 41, media) {
        (_, Media::Audio) => previews,
        (7, _) => json!([format!("https://example.invalid/runway/previews/{uuid}/missing.jpg")]),
        (19, _) => json!([format!("https://example.invalid/runway/previews/{uuid}/not-an-image.jpg")]),
        _ => previews,
    };
    if let Value::Object(map) = &mut value {
        for (key, field) in fields {
            map.insert(key.to_owned(), field);
        }
        map.insert("mediaType".to_owned(), json!(media_name(media)));
        map.insert("metadata".to_owned(), metadata);
        map.insert("fileSize".to_owned(), json!(size));
        map.insert("previewUrls".to_owned(), previews);
        map.remove("seed");
        if upload {
            map.remove("taskId");
        } else {
            let task = format!("{USER_PREFIX}{DEMO_ACCOUNT}-task:{}", rng.uuid());
            map.insert("taskId".to_owned(), json!(task));
        }
    }
    let task_id = value["taskId"].as_str().map(str::to_owned);
    Listed { asset_id, media: Some(media), task_id, json: Bytes::from(value.to_string()) }
}

fn media_name(media: Media) -> &'static str {
    match media {
        Media::Video => "video",
        Media::Image => "image",
        Media::Audio => "audio",
    }
}

fn timestamp(ms: i64) -> Option<Timestamp> {
    Timestamp::from_millisecond(ms).ok()
}

/// `2026-10-06T22:47:03.118Z`: always three fraction digits, as the API writes dates.
fn rfc3339_ms(at: Timestamp) -> String {
    let millis = at.as_millisecond().rem_euclid(1000);
    format!("{}.{millis:03}Z", at.strftime("%Y-%m-%dT%H:%M:%S"))
}

/// `GET /v1/runwayml/accounts`: every linked account as the real API answers, secrets included.
pub(crate) fn accounts_json() -> Value {
    let mut all = Map::new();
    for email in [DEMO_ACCOUNT, DEMO_ERROR_ACCOUNT] {
        if let Some(account) = account_json(email) {
            all.insert(email.to_owned(), account);
        }
    }
    Value::Object(all)
}

/// One account's value in the accounts answer, `None` for an email that is not linked.
pub(crate) fn account_json(email: &str) -> Option<Value> {
    if email == DEMO_ACCOUNT {
        Some(json!({
            "email": DEMO_ACCOUNT,
            "password": DEMO_SECRET_PASSWORD,
            "maxJobs": 5,
            "jwt": {"token": DEMO_SECRET_JWT, "exp": 1_797_552_000.125, "iat": 1_794_960_000.125, "id": DEMO_RUNWAY_ID},
        }))
    } else if email == DEMO_ERROR_ACCOUNT {
        Some(json!({
            "email": DEMO_ERROR_ACCOUNT,
            "password": DEMO_ERROR_SECRET_PASSWORD,
            "maxJobs": 3,
            "jwt": {"token": DEMO_ERROR_SECRET_JWT, "exp": 1_790_000_000.5, "iat": 1_787_408_000.5, "id": ERROR_RUNWAY_ID},
            "error": DEMO_ACCOUNT_ERROR_MESSAGE,
        }))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(body: &Bytes) -> Vec<Value> {
        match serde_json::from_slice(body).expect("JSON") {
            Value::Array(items) => items,
            other => panic!("not an array: {other}"),
        }
    }

    #[test]
    fn listing_is_deterministic_newest_first_and_mixed() {
        let listing = Listing::get();
        assert_eq!(listing.len(), DEMO_ASSET_COUNT);
        let again = Listing::generate();
        assert_eq!(again.page(None, 0, 50), listing.page(None, 0, 50));
        assert_eq!(again.page(None, 1200, 50), listing.page(None, 1200, 50));
        let all: Vec<Value> =
            (0..DEMO_ASSET_COUNT).step_by(50).flat_map(|o| items(&listing.page(None, o, 50))).collect();
        assert_eq!(all.len(), DEMO_ASSET_COUNT);
        let created: Vec<&str> = all.iter().map(|v| v["createdAt"].as_str().expect("createdAt")).collect();
        assert!(created.windows(2).all(|w| w[0] > w[1]), "newest first, no ties");
        assert!(created.iter().all(|c| c.len() == 24 && c.ends_with('Z')), "{:?}", &created[..3]);
        let count = |m: &str| all.iter().filter(|v| v["mediaType"] == m).count() * 100 / DEMO_ASSET_COUNT;
        let (video, image, audio) = (count("video"), count("image"), count("audio"));
        assert!(
            (52..=68).contains(&video) && (22..=38).contains(&image) && (5..=15).contains(&audio),
            "{video} {image} {audio}"
        );
        for value in &all {
            let id = value["assetId"].as_str().expect("assetId");
            assert!(id.starts_with("user:1000000001-runwayml:demo@example.com-asset:"), "{id}");
            assert_eq!(value["id"].as_str(), id.rsplit("-asset:").next());
        }
        let generated = &all[super::super::samples().len()..];
        for value in generated {
            let upload = value["isUserUpload"].as_bool().expect("upload");
            let task = value["taskId"].as_str().unwrap_or_default();
            assert_eq!(upload, task.is_empty());
            assert!(upload || task.starts_with("user:1000000001-runwayml:demo@example.com-task:"), "{task}");
        }
        let ids: std::collections::HashSet<&str> = all.iter().filter_map(|v| v["assetId"].as_str()).collect();
        assert_eq!(ids.len(), DEMO_ASSET_COUNT, "unique ids");
    }

    #[test]
    fn hostile_names_are_on_the_first_page() {
        let page = items(&Listing::get().page(None, 0, 50));
        let names: Vec<&str> = page.iter().filter_map(|v| v["name"].as_str()).collect();
        assert!(names.iter().any(|n| n.contains("\u{1b}[31m")));
        assert!(names.iter().any(|n| n.contains('\u{202E}')));
        assert!(names.iter().any(|n| n.chars().count() == 10_000));
    }

    #[test]
    fn a_page_is_cheap() {
        let listing = Listing::get();
        let start = std::time::Instant::now();
        for offset in 0..100 {
            let _ = listing.page(Some(Media::Video), offset * 5, 50);
        }
        // 100 pages; well under a millisecond each even in a debug build on a busy machine.
        assert!(start.elapsed() < std::time::Duration::from_millis(100), "{:?}", start.elapsed());
    }

    #[test]
    fn filtered_pages_hold_only_their_type() {
        for (media, name) in [(Media::Video, "video"), (Media::Image, "image"), (Media::Audio, "audio")] {
            let page = items(&Listing::get().page(Some(media), 0, 50));
            assert_eq!(page.len(), 50);
            assert!(page.iter().all(|v| v["mediaType"] == name));
        }
        assert_eq!(Listing::get().page(None, 5000, 50), Bytes::from_static(b"[]"));
    }

    #[test]
    fn accounts_carry_secrets_and_the_error() {
        let accounts = accounts_json().to_string();
        for secret in demo_secrets() {
            assert!(accounts.contains(secret), "{secret}");
        }
        assert_eq!(account_json(DEMO_ERROR_ACCOUNT).expect("account")["error"], DEMO_ACCOUNT_ERROR_MESSAGE);
        assert!(account_json(DEMO_ACCOUNT).expect("account").get("error").is_none());
        assert!(account_json("nobody@example.com").is_none());
    }
}
