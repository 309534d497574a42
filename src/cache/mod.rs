//! Caches on disk, in the project's cache directory (`$XDG_CACHE_HOME/runway-assets/` on Linux).
//! Everything here can be deleted at any time: it only makes the next start faster.
//!
//! A leaf module: it knows files and JSON, nothing of the app, the screen or the workers. It
//! writes only what it is given (callers pass list items as the API sent them, which hold no
//! token), replaces files atomically (a uniquely named 0600 temp file in the same 0700 directory,
//! renamed over the target; not synced to disk, see `write_atomically`), and never panics on
//! content.

use std::io;
use std::path::Path;

use crate::private_files::{create_private_dir, private_options};

mod listing;
mod preview;
mod task;

pub use listing::{CachedListing, FORMAT, ListingCache, ListingKey, MAX_FILE_BYTES};
pub use preview::{DEFAULT_PREVIEW_CACHE_BYTES, PreviewCache};
pub use task::{MAX_REMEMBERED_TASKS, TASK_FORMAT, TaskCache};

/// Why the cache could not be read or written. Each message is one sentence for a person.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// Reading or writing failed: the kind, and the sentence that says what and where.
    #[error("{1}")]
    Io(io::ErrorKind, String),
    /// The file is not a readable cached listing (not JSON, truncated, wrong shapes).
    #[error("{0}")]
    Damaged(String),
    /// The file is readable but not ours for this key: another format, version, account or filter.
    #[error("{0}")]
    Foreign(String),
    /// The file (or the listing to store) is larger than [`MAX_FILE_BYTES`].
    #[error("{0}")]
    TooLarge(String),
    /// The listing to store cannot be stored as given (an item that is not a JSON object).
    #[error("{0}")]
    Invalid(String),
}

impl CacheError {
    fn io(action: &str, path: &Path, error: &io::Error) -> CacheError {
        CacheError::Io(error.kind(), format!("Could not {action} {}: {error}.", path.display()))
    }
}

/// Writes `bytes` to `path` in `dir` so that no reader ever sees half a file, even with two
/// copies of the app writing at once: a uniquely named 0600 temp file beside it, renamed over
/// it. `what` names the cache in error sentences.
///
/// Not synced to disk: a cache is a shortcut, and a file a power cut leaves torn is read as
/// damaged, discarded and fetched again. Syncing cost 10 ms a file here, which made `task -`
/// for 1,000 IDs ten times slower (BENCHMARKS.md).
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8], what: &str) -> Result<(), CacheError> {
    create_private_dir(dir).map_err(|e| CacheError::io(&format!("create the {what} directory"), dir, &e))?;
    let tmp = dir.join(listing::temp_name(path));
    let written = private_options()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut file| std::io::Write::write_all(&mut file, bytes))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(CacheError::io(&format!("write the {what} file"), path, &error));
    }
    Ok(())
}
