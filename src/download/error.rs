//! Why a download did not produce a file, as one sentence a person can act on. Every failure
//! leaves nothing behind: no `.part`, no half file.

use std::io;
use std::path::{Path, PathBuf};

use crate::present::format;

/// Why a download failed. `Display` is the sentence shown (after "Download of NAME failed: ").
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DownloadError {
    #[error("this asset has no file URL to download")]
    NoUrl,
    /// The URL is not http(s) (the reason says which scheme, or why it is not a URL).
    #[error("its URL cannot be downloaded: {0}")]
    NotWebUrl(String),
    /// Looking the asset up (or up again, for a fresh URL) failed.
    #[error("looking the asset up failed: {0}")]
    Lookup(crate::api::ApiError),
    /// The file host answered badly (a status, a network failure): its sentence.
    #[error("{0}")]
    Host(String),
    #[error("the file host sent a web page instead of the file (an error or sign-in page); nothing was saved")]
    Html,
    #[error("the server sent {} but {what} said {}; nothing was kept", bytes(*.received), bytes(*.expected))]
    SizeMismatch { received: u64, expected: u64, what: SizeSource },
    #[error("the file host announced {} but the asset's fileSize says {}; nothing was saved", bytes(*.announced), bytes(*.file_size))]
    SizesDisagree { announced: u64, file_size: u64 },
    #[error("the server stopped sending (nothing for {} s); nothing was kept", .secs)]
    Stalled { secs: u64 },
    #[error("the disk is full (writing in {}); nothing was kept", .dir.display())]
    DiskFull { dir: PathBuf },
    #[error("the file is larger than this process may write (a file size limit); nothing was kept")]
    TooLargeToWrite,
    #[error("permission denied: cannot write in {}; choose another folder with --download-dir or download_dir in config.toml", .dir.display())]
    PermissionDenied { dir: PathBuf },
    #[error("{} is on a read-only file system; choose another folder with --download-dir or download_dir in config.toml", .dir.display())]
    ReadOnly { dir: PathBuf },
    #[error("{} is a file, not a folder; choose another download folder", .path.display())]
    NotAFolder { path: PathBuf },
    #[error("no download folder: there is no home folder; set --download-dir or download_dir in config.toml")]
    NoFolder,
    #[error("could not {action} {}: {detail}", .path.display())]
    Io { action: &'static str, path: PathBuf, detail: String },
    #[error("cancelled; nothing was kept")]
    Cancelled,
}

/// What announced the size a body did not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeSource {
    ContentLength,
    AssetFileSize,
}

impl std::fmt::Display for SizeSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SizeSource::ContentLength => "its Content-Length",
            SizeSource::AssetFileSize => "the asset's fileSize",
        })
    }
}

fn bytes(n: u64) -> String {
    format!("{} bytes", format::thousands(n))
}

impl DownloadError {
    /// The sentence, saying how to fix what the user can (a missing token: where to set it).
    pub fn describe(&self, config_file: &str) -> String {
        match self {
            DownloadError::Lookup(e) => {
                format!("looking the asset up failed: {}", crate::present::api_error::describe(e, config_file))
            }
            other => other.to_string(),
        }
    }

    /// An I/O error while `action` (e.g. "create") on `path`, in `dir`, as the sentence it means.
    pub fn io(error: &io::Error, action: &'static str, path: &Path, dir: &Path) -> DownloadError {
        match error.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
                DownloadError::DiskFull { dir: dir.to_path_buf() }
            }
            io::ErrorKind::FileTooLarge => DownloadError::TooLargeToWrite,
            io::ErrorKind::PermissionDenied => DownloadError::PermissionDenied { dir: dir.to_path_buf() },
            io::ErrorKind::ReadOnlyFilesystem => DownloadError::ReadOnly { dir: dir.to_path_buf() },
            io::ErrorKind::NotADirectory => DownloadError::NotAFolder { path: dir.to_path_buf() },
            _ => DownloadError::Io {
                action,
                path: path.to_path_buf(),
                detail: crate::sanitize::one_line(&error.to_string(), 160),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn io_errors_become_sentences_a_person_can_act_on() {
        let (dir, file) = (Path::new("/d"), Path::new("/d/x.part"));
        let of = |code| DownloadError::io(&io::Error::from_raw_os_error(code), "write", file, dir);
        assert_eq!(of(libc::ENOSPC).to_string(), "the disk is full (writing in /d); nothing was kept");
        assert_eq!(of(libc::EDQUOT), DownloadError::DiskFull { dir: dir.into() });
        assert_eq!(of(libc::EFBIG), DownloadError::TooLargeToWrite);
        assert!(matches!(of(libc::EACCES), DownloadError::PermissionDenied { .. }));
        assert!(of(libc::EROFS).to_string().ends_with(
            "is on a read-only file system; choose another folder with --download-dir or download_dir in config.toml"
        ));
        assert_eq!(of(libc::EIO).to_string(), "could not write /d/x.part: Input/output error (os error 5)");
    }
}
