//! The lookup history on disk: one `history.jsonl` file (one JSON object a line, appended as each
//! lookup completes) and its `.lock` sidecar. This module owns reading, appending, snapshot reads,
//! compaction, and moving a file that is not a history aside. It never deletes or overwrites
//! anything it did not write, never waits on a lock without a bound, never panics on file
//! content, and never adds a token (it writes only the asset JSON it is given).

use std::fs::{File, TryLockError};
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::api::client::Fetched;
use crate::private_files::{create_private_dir, private_options, sync_dir};
use crate::sanitize::clean;

mod lines;
mod rows;

use lines::{LineOut, newest_rows, next_line, parse_entry, parse_head, to_the_second};
pub use rows::{NAME_BYTES, RowList};

/// How many lookups [`HistoryStore::compact`] keeps unless told otherwise.
pub const DEFAULT_MAX_ENTRIES: usize = 10_000;
/// How long a call waits for another copy's lock before answering [`HistoryError::Locked`].
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(2);
/// Longer lines (newline included) are never written, and are skipped unbuffered when read.
pub const MAX_LINE_BYTES: u64 = 16 * 1024 * 1024;

/// One lookup as stored: the id, when it completed, and the asset JSON object as received.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub asset_id: String,
    pub looked_up_at: Timestamp,
    pub asset: serde_json::Value,
}

impl HistoryEntry {
    /// The entry a successful lookup leaves, the one rule for the TUI and `get` alike: keyed by
    /// the asset's own ID when the answer names one, so the same asset typed two ways is one
    /// row; else by the ID as asked, trimmed.
    pub fn from_lookup(requested: &str, fetched: &Fetched, looked_up_at: Timestamp) -> HistoryEntry {
        let asset_id = match fetched.asset.asset_id.as_deref().map(str::trim) {
            Some(own) if !own.is_empty() => own.to_string(),
            _ => requested.trim().to_string(),
        };
        HistoryEntry { asset_id, looked_up_at, asset: fetched.raw.clone() }
    }
}

/// What the history list shows: compact, no full snapshot. Strings are made safe with [`clean`].
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    pub asset_id: String,
    pub name: Option<String>,
    pub media_type: Option<String>,
    /// To the second: the list shows ages, and keeps rows small.
    pub looked_up_at: Timestamp,
    /// Byte offset of its line in the file.
    pub offset: u64,
}

/// What [`HistoryStore::load`] found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loaded {
    /// Most recent (last appended) first, one per assetId: the newest line wins.
    pub rows: RowList,
    /// Non-blank lines that were not readable entries.
    pub skipped_lines: usize,
    /// Where a file that was not a history at all was moved to.
    pub moved_aside: Option<PathBuf>,
    /// Non-blank lines in the file, readable or not: far more than `rows` means it is worth compacting.
    pub lines: usize,
}

impl Loaded {
    /// Whether the file holds enough duplicates, damage or excess to be worth rewriting.
    pub fn needs_compaction(&self, max_entries: usize) -> bool {
        self.rows.len() > max_entries || self.lines > self.rows.len() * 2 + 100
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("Could not {action} {}: {source}.", path.display())]
    Io { action: &'static str, path: PathBuf, source: io::Error },
    #[error("The history file {} is in use by another copy of runway-assets; try again shortly.", path.display())]
    Locked { path: PathBuf },
    #[error("The saved lookup of {asset_id} is no longer in the history file {}.", path.display())]
    NotFound { path: PathBuf, asset_id: String },
    #[error("The saved lookup of {asset_id} in the history file {} is damaged.", path.display())]
    Damaged { path: PathBuf, asset_id: String },
    #[error("History is off: no config directory could be found (is HOME set?).")]
    NoConfigDir,
    #[error("History is off: its worker thread could not start ({0}).")]
    WorkerDown(String),
    #[error("Could not add {asset_id} to the history file {}: {reason}.", path.display())]
    InvalidEntry { path: PathBuf, asset_id: String, reason: &'static str },
}

fn io_err(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> HistoryError {
    let path = path.to_path_buf();
    move |source| HistoryError::Io { action, path, source }
}

/// The history file at one path. Cheap to clone; every call opens the file afresh.
#[derive(Debug, Clone)]
pub struct HistoryStore {
    path: PathBuf,
    lock_wait: Duration,
    /// Wait for the disk after each append (fsync). The TUI does, before it says "saved".
    sync: bool,
}

impl HistoryStore {
    pub fn new(path: PathBuf) -> HistoryStore {
        HistoryStore { path, lock_wait: DEFAULT_LOCK_WAIT, sync: true }
    }

    /// Appends without waiting for the disk: the line is still written whole with one write,
    /// so another process, a crash or kill -9 sees all of it or none; only a power cut soon after
    /// can lose it. For `get`, where the lookup's output is what matters.
    pub fn without_sync(mut self) -> HistoryStore {
        self.sync = false;
        self
    }

    /// Sets how long to wait for another copy's lock (default [`DEFAULT_LOCK_WAIT`]).
    pub fn with_lock_wait(mut self, wait: Duration) -> HistoryStore {
        self.lock_wait = wait;
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The sidecar every copy locks (the history file itself is replaced by compaction).
    pub fn lock_path(&self) -> PathBuf {
        self.sibling(".lock")
    }

    /// Reads the file. A missing file is an empty history; unreadable lines are skipped and
    /// counted. A file that is not a history (no readable line at all, or a first non-blank line
    /// that is binary or not a JSON object) is renamed to `<name>.bak-<unix-seconds>[-n]`, never
    /// overwriting anything, and reported in `moved_aside`.
    pub fn load(&self) -> Result<Loaded, HistoryError> {
        let scan = {
            let _shared = self.lock_if_possible(false)?;
            self.scan()?
        };
        if !scan.is_foreign() {
            return Ok(scan.into_loaded());
        }
        let _exclusive = self.lock_if_possible(true)?;
        let scan = self.scan()?; // another copy may have acted in between
        if !scan.is_foreign() {
            return Ok(scan.into_loaded());
        }
        let moved_aside = Some(self.move_aside()?);
        Ok(Loaded { moved_aside, ..Loaded::default() })
    }

    /// The newest `want` rows (one per asset), read from the end of the file without reading the
    /// rest: what the first frame shows while [`Self::load`] reads everything. Damaged lines are
    /// skipped silently here; `load` counts them. A missing file has no rows.
    pub fn load_recent(&self, want: usize) -> Result<Vec<HistoryRow>, HistoryError> {
        self.load_recent_within(want, 4 * 1024 * 1024)
    }

    /// Like [`Self::load_recent`], reading at most about `max_window` bytes from the end (so
    /// that the UI thread can call it): fewer rows when lines are long.
    pub fn load_recent_within(&self, want: usize, max_window: u64) -> Result<Vec<HistoryRow>, HistoryError> {
        let mut file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_err("open the history file", &self.path)(e)),
        };
        let len = file.metadata().map_err(io_err("read the history file", &self.path))?.len();
        let mut window: u64 = (64 * 1024).min(max_window.max(1));
        loop {
            let start = len.saturating_sub(window);
            let mut buf = Vec::new();
            let read = file.seek(SeekFrom::Start(start)).and_then(|_| (&mut file).take(window).read_to_end(&mut buf));
            read.map_err(io_err("read the history file", &self.path))?;
            let rows = newest_rows(&buf, start, want);
            // Enough rows, the whole file, or a window so big that the full load may as well do it.
            if rows.len() >= want || start == 0 || window >= max_window {
                return Ok(rows);
            }
            window *= 4;
        }
    }

    /// Appends one line under the lock (first ending a torn last line) and syncs it.
    pub fn append(&self, entry: &HistoryEntry) -> Result<HistoryRow, HistoryError> {
        let line = self.encode(entry)?;
        let dir = self.dir();
        create_private_dir(&dir).map_err(io_err("create the history directory", &dir))?;
        let _exclusive = self.lock(true)?;
        let created = !self.path.exists();
        let mut options = private_options();
        let file = options.read(true).append(true).create(true).open(&self.path);
        let offset = file
            .and_then(|mut file| append_line(&mut file, &line, self.sync))
            .map_err(io_err("write to the history file", &self.path))?;
        if created {
            sync_dir(&dir).map_err(io_err("sync the history directory", &dir))?;
        }
        let text = |key| entry.asset.get(key)?.as_str().map(|s| clean(s).into_owned());
        Ok(HistoryRow {
            asset_id: clean(&entry.asset_id).into_owned(),
            name: text("name"),
            media_type: text("mediaType"),
            looked_up_at: to_the_second(entry.looked_up_at),
            offset,
        })
    }

    /// Appends several entries under one lock with one sync (for `get` with many IDs). Each
    /// line is still written whole; entries that cannot be stored are skipped and reported.
    pub fn append_all(&self, entries: &[HistoryEntry]) -> Result<usize, HistoryError> {
        let mut lines = Vec::new();
        let mut first_error = None;
        for entry in entries {
            match self.encode(entry) {
                Ok(line) => lines.extend_from_slice(&line),
                Err(e) => first_error = first_error.or(Some(e)),
            }
        }
        if !lines.is_empty() {
            let dir = self.dir();
            create_private_dir(&dir).map_err(io_err("create the history directory", &dir))?;
            let _exclusive = self.lock(true)?;
            let created = !self.path.exists();
            let file = private_options().read(true).append(true).create(true).open(&self.path);
            file.and_then(|mut file| append_line(&mut file, &lines, self.sync))
                .map_err(io_err("write to the history file", &self.path))?;
            if created {
                sync_dir(&dir).map_err(io_err("sync the history directory", &dir))?;
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(entries.len()),
        }
    }

    /// The full snapshot for a row: the line at `row.offset` if it still holds that assetId,
    /// else (the file was compacted meanwhile) the newest line with that assetId.
    pub fn read_snapshot(&self, row: &HistoryRow) -> Result<HistoryEntry, HistoryError> {
        let damaged_here = match self.entry_at(row.offset)? {
            At::Entry(entry) if clean(&entry.asset_id) == row.asset_id => return Ok(entry),
            At::Entry(_) | At::Elsewhere => false,
            At::Unreadable => true,
        };
        let scan = self.scan()?;
        let newest = scan.rows.position(&row.asset_id).and_then(|i| scan.rows.get(i));
        match newest.map(|r| self.entry_at(r.offset)).transpose()? {
            Some(At::Entry(entry)) => Ok(entry),
            // A line with that assetId parses as a row but not in full.
            Some(_) => Err(self.missing(row, true)),
            None => Err(self.missing(row, damaged_here)),
        }
    }

    /// The snapshot for a row if it is still on the line the row points at: one short read, no
    /// scan (so the UI thread may call it). None when the file changed or cannot be read.
    pub fn read_snapshot_in_place(&self, row: &HistoryRow) -> Option<HistoryEntry> {
        match self.entry_at(row.offset) {
            Ok(At::Entry(entry)) if clean(&entry.asset_id) == row.asset_id => Some(entry),
            _ => None,
        }
    }

    /// Rewrites the file with the newest line per assetId, in file order, bounded to the newest
    /// `max_entries`, good lines only: under the lock, via a 0600 temp file that is synced,
    /// renamed over the original, and followed by a sync of the directory. Returns how many
    /// non-blank lines were dropped. A file that is not a history is left for `load`.
    pub fn compact(&self, max_entries: usize) -> Result<usize, HistoryError> {
        if !self.path.exists() {
            return Ok(0);
        }
        let _exclusive = self.lock(true)?;
        let scan = self.scan()?;
        if scan.is_foreign() {
            return Ok(0);
        }
        let total = scan.lines();
        let mut rows = scan.rows;
        rows.dedupe();
        let keep = rows.offsets_of_newest(max_entries);
        let dropped = total - keep.len();
        if dropped == 0 && scan.ends_with_newline {
            return Ok(0);
        }
        let tmp = self.sibling(".tmp");
        let _ = std::fs::remove_file(&tmp); // left by a crash; we hold the lock
        let written = private_options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .and_then(|mut out| self.copy_lines(&keep, &mut out))
            .and_then(|()| std::fs::rename(&tmp, &self.path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io_err("rewrite the history file", &self.path)(e));
        }
        let dir = self.dir();
        sync_dir(&dir).map_err(io_err("sync the history directory", &dir))?;
        Ok(dropped)
    }

    fn sibling(&self, suffix: &str) -> PathBuf {
        let mut name = self.path.clone().into_os_string();
        name.push(suffix);
        PathBuf::from(name)
    }

    fn dir(&self) -> PathBuf {
        match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    fn missing(&self, row: &HistoryRow, damaged: bool) -> HistoryError {
        let (path, asset_id) = (self.path.clone(), row.asset_id.clone());
        if damaged { HistoryError::Damaged { path, asset_id } } else { HistoryError::NotFound { path, asset_id } }
    }

    /// The line for an entry, ending in '\n', or why it cannot be stored.
    fn encode(&self, entry: &HistoryEntry) -> Result<Vec<u8>, HistoryError> {
        let asset_id = &entry.asset_id;
        let invalid = |reason| {
            let (path, asset_id) = (self.path.clone(), clean(asset_id).into_owned());
            HistoryError::InvalidEntry { path, asset_id, reason }
        };
        if asset_id.is_empty() {
            return Err(invalid("the asset id is empty"));
        }
        if !entry.asset.is_object() {
            return Err(invalid("the asset is not a JSON object"));
        }
        let looked_up_at = entry.looked_up_at.to_string();
        let out = LineOut { asset_id, looked_up_at, asset: &entry.asset };
        let mut line = serde_json::to_vec(&out).map_err(|_| invalid("it could not be encoded"))?;
        line.push(b'\n');
        if line.len() as u64 > MAX_LINE_BYTES {
            return Err(invalid("the asset is too large to keep"));
        }
        Ok(line)
    }

    /// Takes the sidecar lock, exclusive for writers and shared for readers, with a bounded wait.
    fn lock(&self, exclusive: bool) -> Result<LockGuard, HistoryError> {
        let path = self.lock_path();
        let mut options = private_options();
        let file = options.read(true).write(true).create(true).truncate(false).open(&path);
        let file = file.map_err(io_err("open the lock file", &path))?;
        let start = Instant::now();
        loop {
            let tried = if exclusive { file.try_lock() } else { file.try_lock_shared() };
            match tried {
                Ok(()) => return Ok(LockGuard(file)),
                Err(TryLockError::WouldBlock) => {}
                // A filesystem without locks: work unlocked rather than not at all.
                Err(TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => {
                    return Ok(LockGuard(file));
                }
                Err(TryLockError::Error(e)) => return Err(io_err("lock", &path)(e)),
            }
            let waited = start.elapsed();
            if waited >= self.lock_wait {
                return Err(HistoryError::Locked { path: self.path.clone() });
            }
            std::thread::sleep(Duration::from_millis(10).min(self.lock_wait - waited));
        }
    }

    /// Like [`Self::lock`], but where no lock file can be made (no directory yet, read-only)
    /// reading goes ahead unlocked.
    fn lock_if_possible(&self, exclusive: bool) -> Result<Option<LockGuard>, HistoryError> {
        match self.lock(exclusive) {
            Ok(guard) => Ok(Some(guard)),
            Err(HistoryError::Locked { path }) => Err(HistoryError::Locked { path }),
            Err(_) => Ok(None),
        }
    }

    /// Reads every line once, parsing only what a row needs.
    fn scan(&self) -> Result<Scan, HistoryError> {
        let mut scan = Scan { ends_with_newline: true, ..Scan::default() };
        let file = match File::open(&self.path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(scan),
            Err(e) => return Err(io_err("open the history file", &self.path)(e)),
        };
        let (mut reader, mut buf, mut offset) = (BufReader::new(file), Vec::new(), 0);
        let mut first = true;
        let read_error = io_err("read the history file", &self.path);
        loop {
            let line = match next_line(&mut reader, &mut buf) {
                Ok(Some(line)) => line,
                Ok(None) => return Ok(scan),
                Err(e) => return Err(read_error(e)),
            };
            scan.ends_with_newline = line.newline;
            let text = line.text.unwrap_or(b"\0");
            if !text.trim_ascii().is_empty() {
                if std::mem::take(&mut first) {
                    scan.foreign = text.contains(&0) || !text.trim_ascii_start().starts_with(b"{");
                }
                match parse_head(text, offset) {
                    Some(row) => scan.rows.push_unchecked(&row),
                    None => scan.bad += 1,
                }
            }
            offset += line.used;
        }
    }

    /// The full entry on the line that starts at `offset`.
    fn entry_at(&self, offset: u64) -> Result<At, HistoryError> {
        let read = || -> io::Result<At> {
            let mut file = match File::open(&self.path) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(At::Elsewhere),
                file => file?,
            };
            let mut before = [b'\n'];
            if offset > 0 {
                file.seek(SeekFrom::Start(offset - 1))?;
                if file.read(&mut before)? == 0 {
                    return Ok(At::Elsewhere);
                }
            }
            let mut buf = Vec::new();
            Ok(match next_line(&mut BufReader::new(file), &mut buf)? {
                _ if before[0] != b'\n' => At::Elsewhere,
                None => At::Elsewhere,
                Some(line) => line.text.and_then(parse_entry).map_or(At::Unreadable, At::Entry),
            })
        };
        read().map_err(io_err("read the history file", &self.path))
    }

    /// Renames the file to the first free `<name>.bak-<unix-seconds>[-n]`. Call under the lock.
    fn move_aside(&self) -> Result<PathBuf, HistoryError> {
        let stamp = Timestamp::now().as_second();
        let error = io_err("move aside the unreadable history file", &self.path);
        for n in 0..1000 {
            let suffix = if n == 0 { format!(".bak-{stamp}") } else { format!(".bak-{stamp}-{n}") };
            let target = self.sibling(&suffix);
            if target.symlink_metadata().is_err() {
                return std::fs::rename(&self.path, &target).map(|()| target).map_err(error);
            }
        }
        Err(error(io::Error::new(io::ErrorKind::AlreadyExists, "too many backups")))
    }

    /// Copies the lines that start at `keep` (ascending offsets) to `out`, then syncs it.
    fn copy_lines(&self, keep: &[u64], out: &mut File) -> io::Result<()> {
        let mut writer = BufWriter::new(&mut *out);
        let mut reader = BufReader::new(File::open(&self.path)?);
        let (mut buf, mut offset, mut keep) = (Vec::new(), 0, keep.iter().peekable());
        while let Some(line) = next_line(&mut reader, &mut buf)? {
            if let (Some(text), Some(_)) = (line.text, keep.next_if(|&&o| o == offset)) {
                writer.write_all(text)?;
                writer.write_all(b"\n")?;
            }
            offset += line.used;
        }
        writer.flush()?;
        drop(writer);
        out.sync_all()
    }
}

/// Ends a torn last line, then writes `line` with one `write_all` and (with `sync`) waits for the
/// disk; returns its offset.
fn append_line(file: &mut File, line: &[u8], sync: bool) -> io::Result<u64> {
    let mut offset = file.metadata()?.len();
    if offset > 0 {
        let mut last = [0u8];
        file.seek(SeekFrom::Start(offset - 1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            file.write_all(b"\n")?;
            offset += 1;
        }
    }
    file.write_all(line)?;
    if sync {
        file.sync_data()?;
    }
    Ok(offset)
}

struct LockGuard(File);

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// Every line of the file, read once: rows in file order (duplicates included until
/// `dedupe`), and what else was found.
#[derive(Default)]
struct Scan {
    rows: RowList,
    bad: usize,
    foreign: bool,
    ends_with_newline: bool,
}

impl Scan {
    fn is_foreign(&self) -> bool {
        self.foreign || (self.rows.is_empty() && self.bad > 0)
    }

    fn lines(&self) -> usize {
        self.rows.len() + self.bad
    }

    fn into_loaded(self) -> Loaded {
        let lines = self.lines();
        let mut rows = self.rows;
        rows.dedupe();
        Loaded { rows, skipped_lines: self.bad, moved_aside: None, lines }
    }
}

/// What is on the line at a row's offset.
enum At {
    Entry(HistoryEntry),
    Unreadable,
    /// Past the end, or not the start of a line: the file changed.
    Elsewhere,
}
