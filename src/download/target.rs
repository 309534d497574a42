//! Which folder downloads go to, made ready: `--download-dir` (or `-o`), else `download_dir` in
//! config.toml, else the platform's download folder, else `~/Downloads`; created when missing,
//! refused (with a sentence) when it is a file or cannot be created.

use std::io;
use std::path::{Path, PathBuf};

use super::DownloadError;
use super::file_name::FileName;

/// The download folder by the rules above (not yet created). `flag` is the command line's
/// choice, `config` config.toml's.
pub fn choose_dir(flag: Option<&Path>, config: Option<&Path>) -> Result<PathBuf, DownloadError> {
    if let Some(dir) = flag.or(config).filter(|d| !d.as_os_str().is_empty()) {
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = directories::UserDirs::new().and_then(|u| u.download_dir().map(Path::to_path_buf)) {
        return Ok(dir);
    }
    directories::BaseDirs::new().map(|b| b.home_dir().join("Downloads")).ok_or(DownloadError::NoFolder)
}

/// Makes sure `dir` is a folder, creating it (and its parents) when missing.
pub fn prepare_dir(dir: &Path) -> Result<(), DownloadError> {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(DownloadError::NotAFolder { path: dir.to_path_buf() }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::create_dir_all(dir).map_err(|e| match e.kind() {
            // A parent that is a file.
            io::ErrorKind::AlreadyExists | io::ErrorKind::NotADirectory => {
                DownloadError::NotAFolder { path: dir.to_path_buf() }
            }
            _ => DownloadError::io(&e, "create the folder", dir, dir),
        }),
        Err(e) => Err(DownloadError::io(&e, "read", dir, dir)),
    }
}

/// The finished file `name` already in `dir` with exactly `size` bytes (for `--skip-existing`).
/// Only the final name counts: a `.part` is never a finished file.
pub fn existing_same(dir: &Path, name: &FileName, size: u64) -> Option<PathBuf> {
    let path = dir.join(name.numbered(0));
    let meta = std::fs::symlink_metadata(&path).ok()?;
    (meta.is_file() && meta.len() == size).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_then_the_config_file() {
        let (a, b) = (Path::new("/tmp/a"), Path::new("/tmp/b"));
        assert_eq!(choose_dir(Some(a), Some(b)).unwrap(), a);
        assert_eq!(choose_dir(None, Some(b)).unwrap(), b);
        assert!(choose_dir(None, None).is_ok_and(|d| d.is_absolute()));
    }

    #[test]
    fn a_missing_folder_is_created_and_a_file_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let deep = tmp.path().join("x/y/z");
        prepare_dir(&deep).unwrap();
        assert!(deep.is_dir());
        let file = tmp.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        assert!(matches!(prepare_dir(&file), Err(DownloadError::NotAFolder { .. })));
        let under_file = file.join("sub");
        let err = prepare_dir(&under_file).unwrap_err();
        assert!(matches!(err, DownloadError::NotAFolder { .. }), "{err:?}");
        assert!(err.to_string().contains("is a file, not a folder"), "{err}");
    }

    #[test]
    fn skip_existing_compares_name_and_size_of_the_final_name_only() {
        let tmp = tempfile::tempdir().unwrap();
        let name = FileName::for_asset(Some("clip"), Some("mp4"), "id");
        assert_eq!(existing_same(tmp.path(), &name, 3), None);
        std::fs::write(tmp.path().join("clip.mp4.part"), b"abc").unwrap();
        assert_eq!(existing_same(tmp.path(), &name, 3), None, "a .part is not a finished file");
        std::fs::write(tmp.path().join("clip.mp4"), b"ab").unwrap();
        assert_eq!(existing_same(tmp.path(), &name, 3), None, "another size");
        std::fs::write(tmp.path().join("clip.mp4"), b"abc").unwrap();
        assert_eq!(existing_same(tmp.path(), &name, 3), Some(tmp.path().join("clip.mp4")));
    }
}
