//! Finished tasks, remembered: a task that has SUCCEEDED or FAILED does not change, so it is
//! kept in `<cache dir>/tasks/` and shown at once on the next visit with no request. One file per
//! task, `task-<id made safe>.json`, holding
//! `{"format":"runway-assets/task/1","taskId":"…","task":{…as received…}}`; a file whose
//! `taskId` is not the one asked for (a hash collision, a renamed file) is not used.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use serde_json::Value;
use serde_json::value::RawValue;

use super::listing::{bounded, encode};
use super::{CacheError, MAX_FILE_BYTES};
use crate::api::{FetchedTask, Task};

/// The format marker every task file holds.
pub const TASK_FORMAT: &str = "runway-assets/task/1";
/// How many remembered tasks [`TaskCache::load_all`] reads at most (the newest files).
pub const MAX_REMEMBERED_TASKS: usize = 20_000;
/// How much of a file name the task ID may take (a longer one is cut and given a hash).
const ID_NAME_BYTES: usize = 160;

/// The task cache: a directory of finished tasks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskCache {
    dir: PathBuf,
}

impl TaskCache {
    /// A cache kept in `dir` (created, 0700, on the first store).
    pub fn new(dir: PathBuf) -> TaskCache {
        TaskCache { dir }
    }

    /// `tasks/` in the project's cache directory (`$XDG_CACHE_HOME/runway-assets/tasks/` on
    /// Linux); `None` when the system has no home directory to put it in.
    pub fn default_location() -> Option<TaskCache> {
        directories::ProjectDirs::from("", "", "runway-assets")
            .map(|dirs| TaskCache::new(dirs.cache_dir().join("tasks")))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file a task is stored in: always directly inside [`TaskCache::dir`], whatever the ID
    /// holds (no separator, no `..`, a bounded length).
    pub fn file_path(&self, task_id: &str) -> PathBuf {
        self.dir.join(file_name(task_id.trim()))
    }

    /// The remembered task: its JSON as received and what was read of it (for the command
    /// line, which prints the JSON). `Ok(None)` when there is no file; `Err` for a damaged,
    /// foreign, oversized or unreadable one (the next store replaces it).
    pub fn load(&self, task_id: &str) -> Result<Option<FetchedTask>, CacheError> {
        self.read(task_id, |text| FetchedTask::from_body(text.as_bytes().to_vec()).ok())
    }

    /// Only what the detail pane shows of the remembered task, without a copy of its text: this
    /// runs on the UI's thread, in the frame that shows the asset.
    pub fn load_task(&self, task_id: &str) -> Result<Option<Task>, CacheError> {
        self.read(task_id, |text| Task::from_json(text.as_bytes()).ok())
    }

    /// The file's envelope checked, and `read` given the task's text as stored, without a `Value`
    /// of the whole file (a task of 1,000 artifacts: about 3 ms instead of 12 ms).
    fn read<T>(&self, task_id: &str, read: impl Fn(&str) -> Option<T>) -> Result<Option<T>, CacheError> {
        /// The file's envelope, the task left as its text.
        #[derive(serde::Deserialize)]
        struct Envelope<'a> {
            format: Option<&'a str>,
            #[serde(rename = "taskId")]
            task_id: Option<&'a str>,
            #[serde(borrow)]
            task: Option<&'a RawValue>,
        }
        let path = self.file_path(task_id);
        let bytes = match read_file(&path) {
            Ok(bytes) => bytes,
            Err(ReadError::Missing) => return Ok(None),
            Err(ReadError::Failed(e)) => return Err(e),
        };
        let unreadable = || damaged(&path, "its task is not readable");
        let envelope: Envelope<'_> = match serde_json::from_slice(&bytes) {
            Ok(envelope) => envelope,
            // Not the envelope as written (not JSON, another shape, a repeated key, an escaped
            // string): the `Value` path says why, or reads what it can.
            Err(_) => {
                let task = parse(&path, &bytes, Some(task_id.trim()))?;
                return read(&task.to_string()).map(Some).ok_or_else(unreadable);
            }
        };
        if envelope.format != Some(TASK_FORMAT) {
            return Err(CacheError::Foreign(format!("The task cache file {} has another format.", path.display())));
        }
        if envelope.task_id != Some(task_id.trim()) {
            return Err(CacheError::Foreign(format!("The task cache file {} holds another task.", path.display())));
        }
        match envelope.task {
            Some(raw) if raw.get().starts_with('{') => read(raw.get()).map(Some).ok_or_else(unreadable),
            _ => Err(damaged(&path, "it holds no task object")),
        }
    }

    /// Remembers a finished task (`raw`: its JSON as received, an object), replacing any file
    /// there, atomically: a uniquely named 0600 temp file in the same 0700 directory, renamed over
    /// the target (not synced: a torn file is read as damaged). Only finished tasks should be given.
    pub fn store(&self, task_id: &str, raw: &str) -> Result<(), CacheError> {
        let id = task_id.trim();
        if id.is_empty() {
            return Err(CacheError::Invalid("Could not remember the task: its ID is empty.".into()));
        }
        if !raw.trim_start().starts_with('{') {
            return Err(CacheError::Invalid("Could not remember the task: it is not a JSON object.".into()));
        }
        let path = self.file_path(id);
        // The envelope around the task as received, written as text: a task of thousands of
        // files is not parsed again to be stored.
        let head = format!("{{\"format\":{},\"taskId\":{},\"task\":", Value::from(TASK_FORMAT), Value::from(id));
        let mut bytes = Vec::with_capacity(head.len() + raw.len() + 2);
        bytes.extend_from_slice(head.as_bytes());
        bytes.extend_from_slice(raw.trim().as_bytes());
        bytes.extend_from_slice(b"}\n");
        if bytes.len() as u64 > MAX_FILE_BYTES {
            let message = format!("Could not remember the task: it is larger than {MAX_FILE_BYTES} bytes.");
            return Err(CacheError::TooLarge(message));
        }
        super::write_atomically(&self.dir, &path, &bytes, "task cache")
    }

    /// Every remembered task as received (for the prompt search), newest files first, at most
    /// [`MAX_REMEMBERED_TASKS`]; damaged, foreign and stray files are skipped. Never fails: a
    /// missing or unreadable directory is no tasks.
    pub fn load_all(&self) -> Vec<Value> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter(|entry| {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                name.starts_with("task-") && name.ends_with(".json")
            })
            .filter_map(|entry| {
                let meta = entry.metadata().ok().filter(std::fs::Metadata::is_file)?;
                Some((meta.modified().unwrap_or(std::time::UNIX_EPOCH), entry.path()))
            })
            .collect();
        files.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        files.truncate(MAX_REMEMBERED_TASKS);
        files
            .iter()
            .filter_map(|(_, path)| {
                let bytes = read_file(path).ok()?;
                let value = parse(path, &bytes, None).ok()?;
                // A file filed under another name than its task ID's is not ours.
                let id = value.get("taskId").and_then(Value::as_str).map(str::trim).unwrap_or_default();
                (!id.is_empty() && self.file_path(id) == *path).then_some(value)
            })
            .collect()
    }
}

enum ReadError {
    Missing,
    Failed(CacheError),
}

fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(ReadError::Missing),
        Err(e) => return Err(ReadError::Failed(CacheError::io("open the task cache file", path, &e))),
    };
    let fail = |e: io::Error| ReadError::Failed(CacheError::io("read the task cache file", path, &e));
    let metadata = file.metadata().map_err(fail)?;
    if !metadata.is_file() {
        return Err(ReadError::Failed(damaged(path, "it is not a regular file")));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(fail)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let message = format!("The task cache file {} is larger than {MAX_FILE_BYTES} bytes.", path.display());
        return Err(ReadError::Failed(CacheError::TooLarge(message)));
    }
    Ok(bytes)
}

/// The task in a file's content (with its `taskId` when `wanted` is `None`, for `load_all` to
/// check), or why it is not one.
fn parse(path: &Path, bytes: &[u8], wanted: Option<&str>) -> Result<Value, CacheError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| damaged(path, &format!("it is not JSON ({e})")))?;
    let Value::Object(mut map) = value else {
        return Err(damaged(path, "it is not a JSON object"));
    };
    if map.get("format").and_then(Value::as_str) != Some(TASK_FORMAT) {
        return Err(CacheError::Foreign(format!("The task cache file {} has another format.", path.display())));
    }
    let stored_id = map.get("taskId").and_then(Value::as_str).map(str::to_owned);
    if let Some(wanted) = wanted
        && stored_id.as_deref() != Some(wanted)
    {
        return Err(CacheError::Foreign(format!("The task cache file {} holds another task.", path.display())));
    }
    match map.remove("task") {
        Some(task @ Value::Object(_)) if wanted.is_some() => Ok(task),
        Some(Value::Object(mut task)) => {
            // For load_all: the task as received, and its file's ID beside it if it has none.
            if let Some(id) = stored_id {
                task.entry("taskId").or_insert(Value::String(id));
            }
            Ok(Value::Object(task))
        }
        _ => Err(damaged(path, "it holds no task object")),
    }
}

fn damaged(path: &Path, why: &str) -> CacheError {
    CacheError::Damaged(format!("The task cache file {} is damaged: {why}.", path.display()))
}

/// `task-<id>.json`, the ID percent-encoded so only `[A-Za-z0-9@._-]` remain (never a separator;
/// `.` only inside a longer name), cut with a hash of the whole ID when long.
fn file_name(task_id: &str) -> String {
    let safe = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'@' | b'.' | b'-');
    format!("task-{}.json", bounded(task_id, &encode(task_id, safe), ID_NAME_BYTES))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_bounded_and_distinct() {
        let id = "user:1-runwayml:a@b.c-task:9b2d";
        assert_eq!(file_name(id), "task-user%3A1-runwayml%3Aa@b.c-task%3A9b2d.json");
        assert_eq!(file_name(".."), "task-...json");
        for hostile in ["../../x", "a/b\\c\0d", "\u{202e}", &"x".repeat(5000)] {
            let name = file_name(hostile);
            assert!(!name.contains(['/', '\\', '\0']) && name.len() < 200, "{name}");
        }
        assert_ne!(file_name(&"x".repeat(5000)), file_name(&format!("{}y", "x".repeat(5000))));
    }
}
