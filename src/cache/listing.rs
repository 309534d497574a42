//! The first page of each account listing (per account and type filter), kept so the list can be
//! shown at once on the next start while it is fetched again. One small JSON file per key:
//! `listing-<account>-<filter>.json`, holding
//! `{"format":"runway-assets/listing/1","account":..,"filter":..,"saved_at":"<RFC 3339>","items":[..]}`.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use super::CacheError;

/// The format marker every listing file starts with; another marker is another program's file.
pub const FORMAT: &str = "runway-assets/listing/1";
/// Larger files are neither read nor written (a first page of 50 assets is far smaller).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// How much of a file name the account may take (a longer one is cut and given a hash).
const ACCOUNT_NAME_BYTES: usize = 120;
/// How much of a file name the filter may take.
const FILTER_NAME_BYTES: usize = 40;
/// What a listing of no particular account (a single linked account) is filed under. `_` is
/// always percent-encoded in an account, so no account can be filed under it.
const DEFAULT_ACCOUNT: &str = "_default";

/// The listing cache: a directory of listing files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingCache {
    dir: PathBuf,
}

/// Which listing: an account (`None`: the only one, no `email` sent) and a type filter
/// (`"all"`, `"video"`, `"image"` or `"audio"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListingKey {
    pub account: Option<String>,
    pub filter: String,
}

impl ListingKey {
    pub fn new(account: Option<&str>, filter: &str) -> ListingKey {
        ListingKey { account: account.map(str::to_owned), filter: filter.to_owned() }
    }
}

/// A cached listing: when it was saved, and its items as the list endpoint sent them.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedListing {
    pub saved_at: Timestamp,
    pub items: Vec<Value>,
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    account: Option<&'a str>,
    filter: &'a str,
    saved_at: String,
    items: &'a [Value],
}

impl ListingCache {
    pub fn new(dir: PathBuf) -> ListingCache {
        ListingCache { dir }
    }

    /// The project's cache directory (`$XDG_CACHE_HOME/runway-assets/` on Linux); `None` when
    /// the system has no home directory to put it in.
    pub fn default_location() -> Option<ListingCache> {
        directories::ProjectDirs::from("", "", "runway-assets")
            .map(|dirs| ListingCache::new(dirs.cache_dir().to_owned()))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file a key is stored in: always directly inside [`ListingCache::dir`], whatever the
    /// account or filter holds (no separator, no `..` component, a bounded length).
    pub fn file_path(&self, key: &ListingKey) -> PathBuf {
        self.dir.join(file_name(key))
    }

    /// Reads the listing stored for `key`. `Ok(None)` when there is no file yet; `Err` for a
    /// damaged, foreign, oversized or unreadable file (the caller ignores it, and the next
    /// [`ListingCache::store`] replaces it). Never panics on any content.
    pub fn load(&self, key: &ListingKey) -> Result<Option<CachedListing>, CacheError> {
        let path = self.file_path(key);
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(CacheError::io("open the listing cache file", &path, &error)),
        };
        let metadata = file.metadata().map_err(|e| CacheError::io("read the listing cache file", &path, &e))?;
        if !metadata.is_file() {
            return Err(damaged(&path, "it is not a regular file"));
        }
        if metadata.len() > MAX_FILE_BYTES {
            return Err(too_large(&path));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CacheError::io("read the listing cache file", &path, &e))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large(&path));
        }
        let loaded = parse(&path, key, &bytes);
        log::info!(target: "cache", "listing {}: {} B", if loaded.is_ok() { "hit" } else { "damaged" }, bytes.len());
        loaded.map(Some)
    }

    /// Stores `listing` for `key`, replacing any file there, atomically: a uniquely named temp
    /// file (0600) in the same directory (created 0700 if missing) is written and renamed over the
    /// target (not synced: a torn file is read as damaged). Two processes storing at once never leave
    /// a torn file: the last rename wins. Writes exactly what it is given (callers pass items as
    /// the list endpoint sent them, which hold no token).
    pub fn store(&self, key: &ListingKey, listing: &CachedListing) -> Result<(), CacheError> {
        if let Some(index) = listing.items.iter().position(|item| !item.is_object()) {
            let message = format!("Could not cache the listing: its item {index} is not a JSON object.");
            return Err(CacheError::Invalid(message));
        }
        let path = self.file_path(key);
        let out = FileOut {
            format: FORMAT,
            account: key.account.as_deref(),
            filter: &key.filter,
            saved_at: listing.saved_at.to_string(),
            items: &listing.items,
        };
        let mut bytes = serde_json::to_vec(&out).map_err(|e| {
            CacheError::Invalid(format!("Could not cache the listing: it cannot be written as JSON ({e})."))
        })?;
        bytes.push(b'\n');
        if bytes.len() as u64 > MAX_FILE_BYTES {
            let message = format!(
                "Could not cache the listing in {}: it would be larger than {MAX_FILE_BYTES} bytes.",
                path.display()
            );
            return Err(CacheError::TooLarge(message));
        }
        super::write_atomically(&self.dir, &path, &bytes, "listing cache")
    }
}

fn damaged(path: &Path, why: &str) -> CacheError {
    CacheError::Damaged(format!("The listing cache file {} is damaged: {why}.", path.display()))
}

fn foreign(path: &Path, why: &str) -> CacheError {
    CacheError::Foreign(format!("The listing cache file {} {why}.", path.display()))
}

fn too_large(path: &Path) -> CacheError {
    CacheError::TooLarge(format!("The listing cache file {} is larger than {MAX_FILE_BYTES} bytes.", path.display()))
}

/// A file's content as the listing for `key`, or why it is not one.
fn parse(path: &Path, key: &ListingKey, bytes: &[u8]) -> Result<CachedListing, CacheError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| damaged(path, &format!("it is not JSON ({e})")))?;
    let Value::Object(mut map) = value else {
        return Err(damaged(path, "it is not a JSON object"));
    };
    match map.get("format") {
        Some(Value::String(format)) if format == FORMAT => {}
        Some(Value::String(_)) => return Err(foreign(path, "has another format or version")),
        _ => return Err(foreign(path, "has no runway-assets format marker")),
    }
    let account_matches = match (map.get("account"), &key.account) {
        (Some(Value::Null), None) => true,
        (Some(Value::String(stored)), Some(wanted)) => stored == wanted,
        _ => false,
    };
    if !account_matches {
        return Err(foreign(path, "belongs to another account"));
    }
    if map.get("filter").and_then(Value::as_str) != Some(key.filter.as_str()) {
        return Err(foreign(path, "belongs to another type filter"));
    }
    let saved_at = map
        .get("saved_at")
        .and_then(Value::as_str)
        .and_then(|text| text.parse::<Timestamp>().ok())
        .ok_or_else(|| damaged(path, "its saved_at is not an RFC 3339 time"))?;
    let items = match map.remove("items") {
        Some(Value::Array(items)) if items.iter().all(Value::is_object) => items,
        Some(Value::Array(_)) => return Err(damaged(path, "an item is not a JSON object")),
        _ => return Err(damaged(path, "it has no list of items")),
    };
    Ok(CachedListing { saved_at, items })
}

/// `listing-<account>-<filter>.json`: each part percent-encoded so that only `[A-Za-z0-9@._-]`
/// (account) or `[A-Za-z0-9]` (filter, so the last `-` always separates the two) remain, and cut
/// to a bounded length with a hash of the whole value when longer.
fn file_name(key: &ListingKey) -> String {
    let account = match &key.account {
        None => DEFAULT_ACCOUNT.to_owned(),
        Some(account) => {
            let safe = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'@' | b'.' | b'-');
            bounded(account, &encode(account, safe), ACCOUNT_NAME_BYTES)
        }
    };
    let filter = bounded(&key.filter, &encode(&key.filter, |b| b.is_ascii_alphanumeric()), FILTER_NAME_BYTES);
    format!("listing-{account}-{filter}.json")
}

pub(super) fn encode(text: &str, safe: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if safe(byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `encoded` if it fits in `max` bytes, else its start, `~` and a hash of `raw` (ASCII only).
pub(super) fn bounded(raw: &str, encoded: &str, max: usize) -> String {
    if encoded.len() <= max {
        return encoded.to_owned();
    }
    let hash = fnv1a(raw.as_bytes());
    let keep = max.saturating_sub(17);
    format!("{}~{hash:016x}", encoded.get(..keep).unwrap_or_default())
}

/// FNV-1a, 64 bits: stable across runs and versions (unlike the std hasher).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3))
}

/// A temp name no other writer (thread or process) uses at the same time.
pub(super) fn temp_name(target: &Path) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let name = target.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    format!(".{name}.tmp-{}-{n}-{nanos}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_readable_safe_and_distinct() {
        let name = |account: Option<&str>, filter: &str| file_name(&ListingKey::new(account, filter));
        assert_eq!(name(None, "all"), "listing-_default-all.json");
        assert_eq!(name(Some("demo@example.com"), "video"), "listing-demo@example.com-video.json");
        assert_eq!(name(Some("_default"), "all"), "listing-%5Fdefault-all.json");
        assert_eq!(name(Some("../x"), "all"), "listing-..%2Fx-all.json");
        assert_ne!(name(Some("a-b"), "c"), name(Some("a"), "b-c"));
        let long = "x".repeat(5000);
        let (a, b) = (name(Some(&long), "all"), name(Some(&format!("{long}y")), "all"));
        assert_ne!(a, b);
        assert!(a.len() < 200 && b.len() < 200, "{}", a.len());
        let hostile = name(Some("a/b\\c\0d\u{202E}e"), "../..");
        assert!(!hostile.contains(['/', '\\', '\0']) && !hostile.contains('\u{202E}'), "{hostile}");
        assert!(temp_name(Path::new(&a)).len() < 255);
    }
}
