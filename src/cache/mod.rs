//! Caches on disk, in the project's cache directory (`$XDG_CACHE_HOME/runway-assets/` on Linux).
//! Everything here can be deleted at any time: it only makes the next start faster.
//!
//! A leaf module: it knows files and JSON, nothing of the app, the screen or the workers. It
//! writes only what it is given (callers pass list items as the API sent them, which hold no
//! token), replaces files atomically (a uniquely named 0600 temp file in the same 0700 directory,
//! fsynced, renamed over the target, then the directory fsynced), and never panics on content.

use std::io;
use std::path::Path;

pub(crate) use crate::private_files::{create_private_dir, private_options, sync_dir};

mod listing;
mod task;

pub use listing::{CachedListing, FORMAT, ListingCache, ListingKey, MAX_FILE_BYTES};
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
