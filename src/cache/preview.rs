//! Pictures already fetched and scaled down, kept in `<cache dir>/previews/` so that an asset
//! seen again shows its picture with no request. Filed by the asset's ID and its `updatedAt`
//! (not by URL: preview URLs are signed and change on every answer); one file per picture,
//! `<hash>.pic`, holding a header that names the key, then the picture (JPEG). The folder is
//! bounded in total size: each store removes the least recently used files beyond the budget.
//! A file that is not ours for the key (damaged, foreign, a hash collision) is removed and
//! counts as absent.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::CacheError;

/// The folder's default budget (`--preview-cache BYTES`).
pub const DEFAULT_PREVIEW_CACHE_BYTES: u64 = 200 * 1024 * 1024;
/// A file larger than this is no picture of ours (they are a few hundred KB at most).
const MAX_PICTURE_FILE: u64 = 16 * 1024 * 1024;
const MAGIC: &[u8] = b"runway-assets/preview/1\n";
const EXTENSION: &str = "pic";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewCache {
    dir: PathBuf,
    max_bytes: u64,
}

impl PreviewCache {
    /// A cache in `dir` (created 0700 on the first store) holding at most `max_bytes`.
    pub fn new(dir: PathBuf, max_bytes: u64) -> PreviewCache {
        PreviewCache { dir, max_bytes }
    }

    /// `previews/` in the project's cache directory (`$XDG_CACHE_HOME/runway-assets/previews/`).
    pub fn default_location(max_bytes: u64) -> Option<PreviewCache> {
        crate::config::cache_dir().map(|dir| PreviewCache::new(dir.join("previews"), max_bytes))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Where the picture of (`asset_id`, `version`) is kept: always directly in the folder.
    pub fn file_path(&self, asset_id: &str, version: &str) -> PathBuf {
        self.dir.join(format!("{:016x}.{EXTENSION}", fnv1a(&header(asset_id, version))))
    }

    /// The kept picture's bytes, if any. A damaged or foreign file is removed and reported as
    /// an error (the caller fetches afresh); reading marks the file as recently used.
    pub fn load(&self, asset_id: &str, version: &str) -> Result<Option<Vec<u8>>, CacheError> {
        let path = self.file_path(asset_id, version);
        let bytes = match read_bounded(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                return Err(CacheError::io("read the cached picture", &path, &e));
            }
        };
        let head = header(asset_id, version);
        match bytes.strip_prefix(head.as_slice()) {
            Some(picture) if !picture.is_empty() => {
                // Most recently used: the last to be evicted.
                if let Ok(file) = std::fs::File::options().write(true).open(&path) {
                    let _ = file.set_modified(SystemTime::now());
                }
                Ok(Some(picture.to_vec()))
            }
            _ => {
                let _ = std::fs::remove_file(&path);
                Err(CacheError::Foreign(format!(
                    "{} was not a picture kept for this asset; it was removed.",
                    path.display()
                )))
            }
        }
    }

    /// Keeps `picture` (encoded bytes) for (`asset_id`, `version`), atomically and 0600, then
    /// trims the folder to its budget.
    pub fn store(&self, asset_id: &str, version: &str, picture: &[u8]) -> Result<(), CacheError> {
        let path = self.file_path(asset_id, version);
        let mut bytes = header(asset_id, version);
        bytes.extend_from_slice(picture);
        if bytes.len() as u64 > MAX_PICTURE_FILE.min(self.max_bytes) {
            return Err(CacheError::TooLarge(format!(
                "A picture of {} bytes is more than the preview cache keeps.",
                bytes.len()
            )));
        }
        super::write_atomically(&self.dir, &path, &bytes, "preview cache")?;
        self.evict(&path);
        Ok(())
    }

    /// Removes a kept picture that turned out unreadable.
    pub fn discard(&self, asset_id: &str, version: &str) {
        let _ = std::fs::remove_file(self.file_path(asset_id, version));
    }

    /// The folder's pictures, least recently used first, with their sizes.
    fn pictures(&self) -> Vec<(SystemTime, u64, PathBuf)> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return Vec::new() };
        let mut found: Vec<_> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == EXTENSION))
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                meta.is_file().then(|| (meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), meta.len(), e.path()))
            })
            .collect();
        found.sort();
        found
    }

    /// Removes the least recently used pictures until the folder is within its budget; the
    /// one just stored (`keep`) goes last.
    fn evict(&self, keep: &Path) {
        let mut pictures = self.pictures();
        let mut total: u64 = pictures.iter().map(|(_, len, _)| len).sum();
        if total <= self.max_bytes {
            return;
        }
        // The one just written is the newest whatever the clock says.
        pictures.sort_by_key(|(when, _, path)| (path == keep, *when));
        for (_, len, path) in pictures {
            if total <= self.max_bytes {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total = total.saturating_sub(len);
            }
        }
    }

    /// The folder's total size in bytes (for `doctor` and tests).
    pub fn total_bytes(&self) -> u64 {
        self.pictures().iter().map(|(_, len, _)| len).sum()
    }
}

fn header(asset_id: &str, version: &str) -> Vec<u8> {
    let mut head = MAGIC.to_vec();
    // Newlines cannot occur in either (they would end the line early): replaced, so that a key
    // can never pass for another.
    for part in [asset_id, version] {
        head.extend(part.bytes().map(|b| if b == b'\n' { b' ' } else { b }));
        head.push(b'\n');
    }
    head
}

fn read_bounded(path: &Path) -> io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_PICTURE_FILE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_PICTURE_FILE {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "larger than any kept picture"));
    }
    Ok(bytes)
}

/// FNV-1a, 64 bits: a stable name for a key (the header inside settles collisions).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}
