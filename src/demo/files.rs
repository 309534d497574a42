//! The demo's file host: what a CDN is to the real API. It listens on its own loopback port, so
//! that the rule "the token goes only to the API's origin" can be seen to hold
//! ([`super::DemoServer::file_requests_with_token`] counts any request that carried it).
//!
//! The API's answers name it through [`FILES_PLACEHOLDER`], which the server rewrites to this
//! host's address as it answers. It serves:
//! - `/runway/previews/{uuid}/{file}` and `/runway/avatars/{file}`: a picture drawn for that
//!   asset (a landscape whose colours, sun and hills come from the ID, shaped like the asset),
//!   encoded as the file's extension says (JPEG, PNG or WebP). `w1024.*` is 1024 pixels on its long
//!   side, `thumb.*` 256, anything else 640; `?size=WxH` asks for another size (for benchmarks).
//!   Two names stand for broken previews: `missing.jpg` answers 404 and `not-an-image.jpg` sends a
//!   web page labelled `image/jpeg`.
//! - `/runway/assets/{uuid}/{name}`: the asset's file, exactly `fileSize` bytes with a
//!   `Content-Length`. An image is its picture followed by padding (decoders ignore bytes after
//!   the end marker); video and audio are filler bytes, as the demo has no encoder for them. A URL
//!   signed `_jwt=expired` answers 403, as an expired signed URL does.
//! - `/runway/filler/{n}.bin`: `n` filler bytes, streamed (for download benchmarks).
//! - `/runway/broken/short` (announces 1000 bytes, sends 10 and closes), `/runway/broken/stall`
//!   (sends 10 of 1000 and then nothing), `/runway/broken/loop` (redirects to itself),
//!   `/runway/broken/to-api` (redirects to the API's accounts endpoint).

use std::convert::Infallible;
use std::io::Cursor;
use std::sync::atomic::Ordering;

use bytes::Bytes;
use futures_util::stream;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::Frame;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Response, StatusCode, Uri};
use image::{ImageFormat, Rgb, RgbImage};

use super::account::Listing;
use super::{DEMO_TOKEN, State, known_assets};
use crate::api::model::lenient::value_u64;

/// What asset and preview URLs in the demo's answers start with until they are sent: replaced
/// by `http://127.0.0.1:{files port}/runway/`.
pub(crate) const FILES_PLACEHOLDER: &str = "https://example.invalid/runway/";
/// The signature that marks a URL as expired.
pub const EXPIRED_SIGNATURE: &str = "_jwt=expired";
/// The largest picture drawn on request (`?size=`), per side.
const MAX_SIDE: u32 = 4096;
/// Filler is streamed in pieces of this size, so a large file is never held whole.
const CHUNK: usize = 64 * 1024;
/// The largest filler file served.
const MAX_FILLER: u64 = 8 << 30;
const ASSET_PREFIX: &str = "user:1000000001-runwayml:demo@example.com-asset:";

pub(crate) type Body = BoxBody<Bytes, Infallible>;

/// Answers one request to the file host.
pub(crate) fn answer(method: &Method, headers: &HeaderMap, uri: &Uri, state: &State, api_base: &str) -> Response<Body> {
    state.file_requests.fetch_add(1, Ordering::SeqCst);
    if carries_token(headers, uri) {
        state.file_requests_with_token.fetch_add(1, Ordering::SeqCst);
    }
    if method != Method::GET && method != Method::HEAD {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "text/plain", "GET only".into());
    }
    let path = uri.path();
    let query = uri.query().unwrap_or_default();
    let Some(rest) = path.strip_prefix("/runway/") else {
        return not_found();
    };
    let mut parts = rest.split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("previews"), Some(uuid), Some(file), None) => preview(uuid, file, query),
        (Some("avatars"), Some(file), None, None) => preview(file, file, query),
        (Some("assets"), Some(uuid), Some(_name), None) => asset_file(uuid, query),
        (Some("filler"), Some(file), None, None) => match file.strip_suffix(".bin").and_then(|n| n.parse().ok()) {
            Some(n) if n <= MAX_FILLER => filler(n, n, false, "application/octet-stream"),
            _ => not_found(),
        },
        (Some("broken"), Some(what), None, None) => broken(what, api_base),
        _ => not_found(),
    }
}

fn carries_token(headers: &HeaderMap, uri: &Uri) -> bool {
    headers.contains_key(header::AUTHORIZATION)
        || headers.values().any(|v| v.to_str().is_ok_and(|v| v.contains(DEMO_TOKEN)))
        || uri.to_string().contains(DEMO_TOKEN)
}

fn preview(key: &str, file: &str, query: &str) -> Response<Body> {
    match file {
        "missing.jpg" => return not_found(),
        "not-an-image.jpg" => {
            let page = "<html><head><title>Access denied</title></head><body>Sign in to continue.</body></html>";
            return plain(StatusCode::OK, "image/jpeg", page.into());
        }
        _ => {}
    }
    let Some(format) = format_of(file) else {
        return not_found();
    };
    let long_side = if file.starts_with("w1024") {
        1024
    } else if file.starts_with("thumb") {
        256
    } else {
        640
    };
    let (width, height) = requested_size(query).unwrap_or_else(|| fit(shape_of(key), long_side));
    match picture(key, width, height, format) {
        Some(bytes) => plain(StatusCode::OK, content_type(format), bytes.into()),
        None => plain(StatusCode::INTERNAL_SERVER_ERROR, "text/plain", "could not draw".into()),
    }
}

fn asset_file(uuid: &str, query: &str) -> Response<Body> {
    if query.split('&').any(|pair| pair == EXPIRED_SIGNATURE) {
        return plain(StatusCode::FORBIDDEN, "application/xml", "<Error><Code>AccessDenied</Code></Error>".into());
    }
    let Some(asset) = asset_json(uuid) else {
        return not_found();
    };
    // Read as the app reads it: a sample sends its size as a string.
    let size = asset.get("fileSize").and_then(value_u64).unwrap_or(0).min(MAX_FILLER);
    let ext = asset.get("fileExtStandardized").and_then(serde_json::Value::as_str).unwrap_or("bin");
    let media = asset.get("mediaType").and_then(serde_json::Value::as_str).unwrap_or("");
    let mime = match ext {
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    };
    if media == "image"
        && let Some(format) = format_of(&format!("x.{ext}"))
        && let Some(mut bytes) = picture(uuid, 1280, 720, format)
        && (bytes.len() as u64) <= size
    {
        bytes.resize(usize::try_from(size).unwrap_or(bytes.len()), 0);
        return plain(StatusCode::OK, mime, bytes.into());
    }
    filler(size, size, false, mime)
}

fn broken(what: &str, api_base: &str) -> Response<Body> {
    match what {
        "short" => filler(10, 1000, false, "application/octet-stream"),
        "stall" => filler(10, 1000, true, "application/octet-stream"),
        "loop" => redirect("/runway/broken/loop"),
        "to-api" => redirect(&format!("{api_base}/v1/runwayml/accounts")),
        _ => not_found(),
    }
}

/// The asset (sample or generated) whose `id` is `uuid`.
fn asset_json(uuid: &str) -> Option<serde_json::Value> {
    let id = format!("{ASSET_PREFIX}{uuid}");
    let text: Bytes = match known_assets().find(|(known, _)| *known == id) {
        Some((_, json)) => Bytes::from_static(json.as_bytes()),
        None => Listing::get().find(&id)?,
    };
    serde_json::from_slice(&text).ok()
}

/// The asset's width and height, when its metadata says.
fn shape_of(uuid: &str) -> Option<(u32, u32)> {
    let asset = asset_json(uuid)?;
    let metadata = asset.get("metadata")?;
    let number = |v: &serde_json::Value| {
        v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())).and_then(|n| u32::try_from(n).ok())
    };
    let pair = match (metadata.get("width"), metadata.get("height"), metadata.get("dimensions")) {
        (Some(w), Some(h), _) => (number(w)?, number(h)?),
        (_, _, Some(serde_json::Value::Array(d))) if d.len() >= 2 => (number(&d[0])?, number(&d[1])?),
        _ => return None,
    };
    (pair.0 > 0 && pair.1 > 0).then_some(pair)
}

/// `shape` scaled so its long side is `long_side` (16:9 when the shape is unknown).
fn fit(shape: Option<(u32, u32)>, long_side: u32) -> (u32, u32) {
    let (w, h) = shape.unwrap_or((16, 9));
    let scale = f64::from(long_side) / f64::from(w.max(h));
    let side = |n: u32| ((f64::from(n) * scale).round() as u32).clamp(1, MAX_SIDE);
    (side(w), side(h))
}

fn requested_size(query: &str) -> Option<(u32, u32)> {
    let value = query.split('&').find_map(|pair| pair.strip_prefix("size="))?;
    let (w, h) = value.split_once('x')?;
    let (w, h): (u32, u32) = (w.parse().ok()?, h.parse().ok()?);
    (w > 0 && h > 0).then_some((w.min(MAX_SIDE), h.min(MAX_SIDE)))
}

fn format_of(file: &str) -> Option<ImageFormat> {
    let ext = file.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => Some(ImageFormat::Jpeg),
        "png" => Some(ImageFormat::Png),
        "webp" => Some(ImageFormat::WebP),
        _ => None,
    }
}

fn content_type(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "image/png",
        ImageFormat::WebP => "image/webp",
        _ => "image/jpeg",
    }
}

/// A landscape drawn from `key`: a sky gradient, a sun and two ridges of hills, so that each
/// asset's picture is its own and recognisable at a glance.
fn picture(key: &str, width: u32, height: u32, format: ImageFormat) -> Option<Vec<u8>> {
    let seed = fnv1a(key.as_bytes());
    let hue = (seed % 360) as f32;
    let sky_top = hsv(hue, 0.55, 0.35);
    let sky_low = hsv((hue + 40.0) % 360.0, 0.45, 0.95);
    let sun = hsv((hue + 180.0) % 360.0, 0.35, 1.0);
    let far = hsv((hue + 200.0) % 360.0, 0.35, 0.45);
    let near = hsv((hue + 220.0) % 360.0, 0.45, 0.22);
    let (w, h) = (width as f32, height as f32);
    let sun_x = w * (0.2 + ((seed >> 9) % 60) as f32 / 100.0);
    let sun_y = h * (0.2 + ((seed >> 17) % 25) as f32 / 100.0);
    let sun_r = h.min(w) * 0.12;
    let phase = ((seed >> 25) % 628) as f32 / 100.0;
    let image = RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let t = fy / h;
        let ridge_far = h * (0.62 + 0.08 * (fx / w * 6.0 + phase).sin());
        let ridge_near = h * (0.78 + 0.06 * (fx / w * 11.0 + phase * 2.0).cos());
        let colour = if fy > ridge_near {
            near
        } else if fy > ridge_far {
            far
        } else if (fx - sun_x).powi(2) + (fy - sun_y).powi(2) < sun_r * sun_r {
            sun
        } else {
            mix(sky_top, sky_low, t)
        };
        Rgb(colour)
    });
    let mut bytes = Vec::new();
    image.write_to(&mut Cursor::new(&mut bytes), format).ok()?;
    Some(bytes)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

fn hsv(hue: f32, saturation: f32, value: f32) -> [u8; 3] {
    let c = value * saturation;
    let x = c * (1.0 - ((hue / 60.0) % 2.0 - 1.0).abs());
    let (r, g, b) = match (hue / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = value - c;
    let byte = |v: f32| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    [byte(r), byte(g), byte(b)]
}

fn mix(a: [u8; 3], b: [u8; 3], t: f32) -> [u8; 3] {
    let channel = |i: usize| (f32::from(a[i]) + (f32::from(b[i]) - f32::from(a[i])) * t).round() as u8;
    [channel(0), channel(1), channel(2)]
}

/// `sent` filler bytes under a `Content-Length` of `announced`; then the body ends (cutting the
/// connection short when `sent < announced`) or, with `stall`, goes quiet for good.
fn filler(sent: u64, announced: u64, stall: bool, mime: &'static str) -> Response<Body> {
    let block = Bytes::from((0..CHUNK).map(|i| (i % 251) as u8).collect::<Vec<u8>>());
    let pieces = stream::unfold(sent, move |left| {
        let block = block.clone();
        async move {
            if left == 0 {
                if stall {
                    std::future::pending::<()>().await;
                }
                if sent < announced {
                    // Let what was sent leave before the connection is cut.
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                return None;
            }
            let n = usize::try_from(left.min(CHUNK as u64)).unwrap_or(CHUNK);
            Some((Ok::<_, Infallible>(Frame::data(block.slice(..n))), left - n as u64))
        }
    });
    let mut response = Response::new(BodyExt::boxed(StreamBody::new(pieces)));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(announced));
    response
}

fn redirect(location: &str) -> Response<Body> {
    let mut response = plain(StatusCode::FOUND, "text/plain", Bytes::new());
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn not_found() -> Response<Body> {
    plain(StatusCode::NOT_FOUND, "text/plain", "Not found".into())
}

fn plain(status: StatusCode, mime: &'static str, body: Bytes) -> Response<Body> {
    let mut response = Response::new(BodyExt::boxed(Full::new(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_draws_a_picture_that_decodes_at_its_size() {
        for format in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
            let bytes = picture("3f6c2a9e", 64, 36, format).expect("drawn");
            let decoded = image::load_from_memory(&bytes).expect("decodes");
            assert_eq!((decoded.width(), decoded.height()), (64, 36), "{format:?}");
        }
    }

    #[test]
    fn pictures_differ_by_asset() {
        let a = picture("asset-a", 32, 18, ImageFormat::Png);
        let b = picture("asset-b", 32, 18, ImageFormat::Png);
        assert_ne!(a, b);
    }

    #[test]
    fn sizes_follow_the_asset_shape() {
        assert_eq!(fit(Some((768, 1280)), 640), (384, 640));
        assert_eq!(fit(None, 640), (640, 360));
        assert_eq!(requested_size("size=1920x1080"), Some((1920, 1080)));
        assert_eq!(requested_size("size=99999x0"), None);
        assert_eq!(requested_size("size=99999x5"), Some((MAX_SIDE, 5)));
    }
}
