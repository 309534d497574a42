//! The file a download is written to: `NAME.part` beside the final name, claimed with
//! `create_new` so that two downloads (in this process or another) never write the same file;
//! synced to disk, its size checked, then linked to a final name that nothing else holds (a
//! hard link cannot replace a file, so nothing is ever overwritten), and the `.part` removed.
//! Dropped before it is finished (a failure, a cancel, the app quitting), it removes its
//! `.part`. After a SIGKILL a `.part` may stay: it never counts as a finished file. A `.part`
//! is locked while it is written (the lock dies with the process), so the next download of the
//! same name can tell a dead one's leftover, which it takes over, from one still being written
//! or just finished, which it leaves alone (and takes the next free name).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::error::{DownloadError, SizeSource};
use super::file_name::{FileName, PART_SUFFIX};
use crate::private_files::sync_dir;

/// Names tried before giving up (`name (9999).ext`): no real folder holds that many.
const MAX_TRIES: u32 = 10_000;
/// Bytes gathered before each write to the file: fewer system calls for small network chunks.
const WRITE_BUFFER: usize = 256 * 1024;

/// A download in progress on disk.
#[derive(Debug)]
pub struct PartFile {
    dir: PathBuf,
    name: FileName,
    /// Which numbered variant of `name` this `.part` is for.
    number: u32,
    part: PathBuf,
    file: Option<BufWriter<File>>,
    written: u64,
    /// Given its final name: nothing left to remove.
    finished: bool,
}

impl PartFile {
    /// Claims the first `name`, `name (1)`, … whose final file and `.part` are both free in `dir`
    /// (which must exist).
    pub fn create(dir: &Path, name: &FileName) -> Result<PartFile, DownloadError> {
        for number in 0..MAX_TRIES {
            let candidate = name.numbered(number);
            if std::fs::symlink_metadata(dir.join(&candidate)).is_ok() {
                continue;
            }
            let part = dir.join(format!("{candidate}{PART_SUFFIX}"));
            let claimed = match OpenOptions::new().write(true).create_new(true).open(&part) {
                // Locked at once; should another download have taken it over in between (it
                // looked like a leftover), it is theirs now, even finished: leave it, go on.
                // (A file system without locks: the file is ours, as made with create_new.)
                Ok(file) => (!matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock))
                    && still_the_part(&file, &part))
                .then_some(file),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => take_over_leftover(&part),
                Err(e) => return Err(DownloadError::io(&e, "create a file in", dir, dir)),
            };
            if let Some(file) = claimed {
                return Ok(PartFile {
                    dir: dir.to_path_buf(),
                    name: name.clone(),
                    number,
                    part,
                    file: Some(BufWriter::with_capacity(WRITE_BUFFER, file)),
                    written: 0,
                    finished: false,
                });
            }
        }
        Err(DownloadError::Io {
            action: "find a free name in",
            path: dir.to_path_buf(),
            detail: format!("{MAX_TRIES} names like {name} are taken"),
        })
    }

    /// Where the bytes are going now.
    pub fn part_path(&self) -> &Path {
        &self.part
    }

    /// The final name this is expected to get (another may be taken by the time it finishes).
    pub fn intended_name(&self) -> String {
        self.name.numbered(self.number)
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    pub fn write(&mut self, bytes: &[u8]) -> Result<(), DownloadError> {
        let file = self.file.as_mut().ok_or(DownloadError::Cancelled)?;
        file.write_all(bytes).map_err(|e| DownloadError::io(&e, "write", &self.part, &self.dir))?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Puts the bytes on disk, checks there are as many as each of `expected` says, and gives
    /// the file its final name (the first free one from the intended name on). Returns it.
    pub fn finish(mut self, expected: &[(u64, SizeSource)]) -> Result<PathBuf, DownloadError> {
        if let Some(&(size, what)) = expected.iter().find(|(size, _)| *size != self.written) {
            return Err(DownloadError::SizeMismatch { received: self.written, expected: size, what });
        }
        let file = self.file.take().ok_or(DownloadError::Cancelled)?;
        let file = file.into_inner().map_err(|e| DownloadError::io(e.error(), "write", &self.part, &self.dir))?;
        file.sync_all().map_err(|e| DownloadError::io(&e, "write", &self.part, &self.dir))?;
        let done = self.link_into_place()?;
        // The .part goes; the finished name stays. Both changes reach the disk. (The file stays
        // open, and so locked, until then: unlocked, the .part would look like a leftover.)
        let _ = std::fs::remove_file(&self.part);
        self.finished = true;
        drop(file);
        let _ = sync_dir(&self.dir);
        Ok(done)
    }

    /// Gives the synced `.part` a final name that nothing holds, never replacing a file.
    fn link_into_place(&mut self) -> Result<PathBuf, DownloadError> {
        for number in self.number..self.number.saturating_add(MAX_TRIES) {
            let target = self.dir.join(self.name.numbered(number));
            match std::fs::hard_link(&self.part, &target) {
                Ok(()) => return Ok(target),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(_) => {
                    // A file system without hard links: claim the name, then rename over the
                    // empty claim (ours; nothing else can have written it).
                    match OpenOptions::new().write(true).create_new(true).open(&target) {
                        Ok(_) => {}
                        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                        Err(e) => return Err(DownloadError::io(&e, "create", &target, &self.dir)),
                    }
                    return match std::fs::rename(&self.part, &target) {
                        Ok(()) => Ok(target),
                        Err(e) => {
                            let _ = std::fs::remove_file(&target);
                            Err(DownloadError::io(&e, "rename into", &target, &self.dir))
                        }
                    };
                }
            }
        }
        Err(DownloadError::Io {
            action: "find a free name in",
            path: self.dir.clone(),
            detail: format!("{MAX_TRIES} names like {} are taken", self.name),
        })
    }
}

/// An existing `.part` that no live download holds (its lock died with its process): opened,
/// locked and emptied for reuse. None when it is being written, or is not a plain file.
fn take_over_leftover(part: &Path) -> Option<File> {
    let mut options = OpenOptions::new();
    options.write(true);
    // Never follow a link planted under the .part's name.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
    claim_leftover(options.open(part).ok()?, part)
}

/// The opened `.part` locked and emptied, unless a live download holds it or has finished it.
fn claim_leftover(file: File, part: &Path) -> Option<File> {
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    // Without locks (some network file systems) a live download cannot be told apart: leave it.
    file.try_lock().ok()?;
    // Opened just before its download finished and let go of it: that is a finished file now.
    if !still_the_part(&file, part) {
        return None;
    }
    file.set_len(0).ok()?;
    Some(file)
}

/// Whether `file`, just locked, is still what `part` names and not yet linked to a final name.
/// Between opening a `.part` and locking it, the download holding it may finish: link it into
/// place, remove the `.part` and let go of the lock. The open file is then that finished file,
/// and writing to it would overwrite another download's result.
fn still_the_part(file: &File, part: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (Ok(open), Ok(named)) = (file.metadata(), std::fs::symlink_metadata(part)) else {
            return false;
        };
        open.dev() == named.dev() && open.ino() == named.ino() && open.nlink() == 1
    }
    #[cfg(not(unix))]
    {
        let _ = (file, part);
        true
    }
}

impl Drop for PartFile {
    /// Unfinished: nothing is kept. (After `finish` the `.part` is gone already.)
    fn drop(&mut self) {
        self.file.take();
        if !self.finished {
            let _ = std::fs::remove_file(&self.part);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    fn clip() -> FileName {
        FileName::for_asset(Some("clip"), Some("mp4"), "id")
    }

    #[test]
    fn bytes_go_to_a_part_file_then_to_the_final_name() {
        let tmp = tempfile::tempdir().unwrap();
        let mut part = PartFile::create(tmp.path(), &clip()).unwrap();
        part.write(b"hello ").unwrap();
        part.write(b"world").unwrap();
        assert_eq!(names(tmp.path()), ["clip.mp4.part"]);
        let done = part.finish(&[(11, SizeSource::ContentLength), (11, SizeSource::AssetFileSize)]).unwrap();
        assert_eq!(done, tmp.path().join("clip.mp4"));
        assert_eq!(std::fs::read(&done).unwrap(), b"hello world");
        assert_eq!(names(tmp.path()), ["clip.mp4"]);
    }

    #[test]
    fn an_existing_file_is_never_overwritten() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("clip.mp4"), b"mine").unwrap();
        std::fs::write(tmp.path().join("clip (1).mp4"), b"mine too").unwrap();
        let mut part = PartFile::create(tmp.path(), &clip()).unwrap();
        part.write(b"new").unwrap();
        assert_eq!(part.finish(&[]).unwrap(), tmp.path().join("clip (2).mp4"));
        assert_eq!(std::fs::read(tmp.path().join("clip.mp4")).unwrap(), b"mine");
        assert_eq!(std::fs::read(tmp.path().join("clip (1).mp4")).unwrap(), b"mine too");
    }

    #[test]
    fn a_name_taken_while_downloading_moves_on_to_the_next() {
        let tmp = tempfile::tempdir().unwrap();
        let mut part = PartFile::create(tmp.path(), &clip()).unwrap();
        part.write(b"new").unwrap();
        std::fs::write(tmp.path().join("clip.mp4"), b"appeared meanwhile").unwrap();
        assert_eq!(part.finish(&[]).unwrap(), tmp.path().join("clip (1).mp4"));
        assert_eq!(std::fs::read(tmp.path().join("clip.mp4")).unwrap(), b"appeared meanwhile");
    }

    #[test]
    fn two_downloads_of_the_same_name_get_two_files() {
        let tmp = tempfile::tempdir().unwrap();
        let mut a = PartFile::create(tmp.path(), &clip()).unwrap();
        let mut b = PartFile::create(tmp.path(), &clip()).unwrap();
        a.write(b"a").unwrap();
        b.write(b"b").unwrap();
        let (b, a) = (b.finish(&[]).unwrap(), a.finish(&[]).unwrap());
        assert_eq!(std::fs::read(&a).unwrap(), b"a");
        assert_eq!(std::fs::read(&b).unwrap(), b"b");
        assert_eq!(names(tmp.path()), ["clip (1).mp4", "clip.mp4"]);
    }

    #[test]
    fn many_threads_racing_for_one_name_never_share_a_file() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let handles: Vec<_> = (0..8u8)
            .map(|i| {
                let dir = dir.clone();
                std::thread::spawn(move || {
                    let mut p = PartFile::create(&dir, &clip()).unwrap();
                    p.write(&[i; 100]).unwrap();
                    (i, p.finish(&[(100, SizeSource::ContentLength)]).unwrap())
                })
            })
            .collect();
        let mut paths = Vec::new();
        for h in handles {
            let (i, path) = h.join().unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), vec![i; 100], "each file holds its own bytes");
            paths.push(path);
        }
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), 8);
        assert_eq!(names(&dir).len(), 8, "no .part left: {:?}", names(&dir));
    }

    #[test]
    fn a_part_opened_as_a_leftover_just_before_its_download_finished_is_left_alone() {
        // The race behind a flaky run of the test above: B finds A's .part, opens it, and only
        // gets its lock once A has linked it into place and let go; it must not empty A's file.
        let tmp = tempfile::tempdir().unwrap();
        let mut a = PartFile::create(tmp.path(), &clip()).unwrap();
        a.write(b"from A").unwrap();
        let seen_by_b = File::options().write(true).open(a.part_path()).unwrap();
        let part = a.part_path().to_path_buf();
        let done = a.finish(&[(6, SizeSource::ContentLength)]).unwrap();
        assert!(claim_leftover(seen_by_b, &part).is_none(), "a finished file is no leftover");
        assert_eq!(std::fs::read(&done).unwrap(), b"from A");
    }

    #[test]
    fn a_size_mismatch_keeps_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        for (announced, what) in [(5, SizeSource::ContentLength), (20, SizeSource::AssetFileSize)] {
            let mut part = PartFile::create(tmp.path(), &clip()).unwrap();
            part.write(b"0123456789").unwrap();
            let err = part.finish(&[(announced, what)]).unwrap_err();
            assert_eq!(err, DownloadError::SizeMismatch { received: 10, expected: announced, what });
            assert!(names(tmp.path()).is_empty(), "{:?}", names(tmp.path()));
        }
        let text = DownloadError::SizeMismatch { received: 10, expected: 2000, what: SizeSource::ContentLength };
        assert_eq!(
            text.to_string(),
            "the server sent 10 bytes but its Content-Length said 2,000 bytes; nothing was kept"
        );
    }

    #[test]
    fn dropping_an_unfinished_download_removes_its_part() {
        let tmp = tempfile::tempdir().unwrap();
        let mut part = PartFile::create(tmp.path(), &clip()).unwrap();
        part.write(&[7; 300_000]).unwrap();
        assert!(part.part_path().exists());
        drop(part);
        assert!(names(tmp.path()).is_empty());
    }

    #[test]
    fn a_dead_downloads_leftover_part_is_taken_over() {
        let tmp = tempfile::tempdir().unwrap();
        // What a SIGKILLed run leaves: a .part nobody holds.
        std::fs::write(tmp.path().join("clip.mp4.part"), b"half of something longer").unwrap();
        let mut part = PartFile::create(tmp.path(), &clip()).unwrap();
        part.write(b"whole").unwrap();
        let done = part.finish(&[(5, SizeSource::ContentLength)]).unwrap();
        assert_eq!(done, tmp.path().join("clip.mp4"));
        assert_eq!(std::fs::read(&done).unwrap(), b"whole");
        assert_eq!(names(tmp.path()), ["clip.mp4"]);
    }

    #[test]
    fn a_part_being_written_elsewhere_is_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let live = PartFile::create(tmp.path(), &clip()).unwrap();
        let mut other = PartFile::create(tmp.path(), &clip()).unwrap();
        assert_eq!(other.part_path(), tmp.path().join("clip (1).mp4.part"));
        other.write(b"b").unwrap();
        assert_eq!(other.finish(&[]).unwrap(), tmp.path().join("clip (1).mp4"));
        assert!(live.part_path().exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_as_the_part_is_never_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        std::os::unix::fs::symlink(&victim, tmp.path().join("clip.mp4.part")).unwrap();
        let mut part = PartFile::create(tmp.path(), &clip()).unwrap();
        part.write(b"new").unwrap();
        assert_eq!(part.finish(&[]).unwrap(), tmp.path().join("clip (1).mp4"));
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_is_a_sentence() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
        let result = PartFile::create(tmp.path(), &clip());
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        // Root may write anywhere; then the file was made and is removed with the PartFile.
        if let Err(e) = result {
            assert!(matches!(e, DownloadError::PermissionDenied { .. }), "{e:?}");
            assert!(e.to_string().starts_with("permission denied: cannot write in "), "{e}");
        }
    }
}
