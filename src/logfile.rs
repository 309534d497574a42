//! `--log FILE` / `RUNWAY_ASSETS_LOG`: a plain-text log for bug reports, one line per event
//! (`2026-12-06T23:10:00Z INFO  api: GET /v1/runwayml/accounts 200 312 B 41 ms`).
//!
//! The code logs through the `log` crate's macros. Without `--log` no logger is installed, so
//! each macro is one relaxed atomic load of the `Off` level and nothing else: no thread, no
//! file, no formatting. With it, [`start`] opens the file (append, 0600) and starts one writer
//! thread; a log call formats its line and sends it down a channel, so the UI thread never
//! waits for the disk. The writer flushes whenever the channel runs dry, and `log::logger()
//! .flush()` (called by main on the way out) waits for everything sent so far.
//!
//! What is written is scrubbed twice: the callers log paths, not URLs with query strings, and
//! this module still cuts the query off anything that looks like a URL and replaces the
//! secrets it was given (the token) with `<redacted>`.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::time::Duration;

/// What the writer thread is sent.
enum Job {
    Line(String),
    /// Flush, then say so.
    Flush(SyncSender<()>),
}

struct FileLogger {
    jobs: Sender<Job>,
    secrets: Vec<String>,
}

/// Opens `path` for appending and installs the logger. `secrets` are replaced wherever they
/// would appear. The error is one sentence for the user (the app goes on without a log).
pub fn start(path: &Path, secrets: Vec<String>) -> Result<(), String> {
    let file = open(path).map_err(|e| format!("cannot write the log {}: {e}; no log is kept.", path.display()))?;
    let (jobs, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("log-writer".into())
        .spawn(move || write_lines(rx, BufWriter::new(file)))
        .map_err(|e| format!("cannot start the log writer: {e}; no log is kept."))?;
    let secrets = secrets.into_iter().filter(|s| !s.is_empty()).collect();
    log::set_boxed_logger(Box::new(FileLogger { jobs, secrets }))
        .map_err(|_| "a logger is already installed; no log is kept.".to_string())?;
    log::set_max_level(log::LevelFilter::Debug);
    log::info!(target: "app", "runway-assets {} started", env!("CARGO_PKG_VERSION"));
    Ok(())
}

fn open(path: &Path) -> std::io::Result<File> {
    if path.is_dir() {
        return Err(std::io::Error::other("it is a directory"));
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

fn write_lines(rx: Receiver<Job>, mut out: BufWriter<File>) {
    while let Ok(job) = rx.recv() {
        let mut next = Some(job);
        // Write what is queued, then flush once the queue is empty.
        while let Some(job) = next {
            match job {
                Job::Line(line) => {
                    let _ = out.write_all(line.as_bytes());
                }
                Job::Flush(done) => {
                    let _ = out.flush();
                    let _ = done.send(());
                }
            }
            next = rx.try_recv().ok();
        }
        let _ = out.flush();
    }
}

impl log::Log for FileLogger {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        // Ours only: reqwest, hyper and rustls have their own (and noisier) ideas.
        metadata.level() <= log::Level::Debug && is_ours(metadata.target())
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let text = scrub(&record.args().to_string(), &self.secrets);
        let now = jiff::Timestamp::now();
        let now = now.round(jiff::Unit::Millisecond).unwrap_or(now);
        let line = format!("{now} {:<5} {}: {text}\n", record.level(), short_target(record.target()));
        let _ = self.jobs.send(Job::Line(line));
    }

    fn flush(&self) {
        let (done, wait) = mpsc::sync_channel(1);
        if self.jobs.send(Job::Flush(done)).is_ok() {
            let _ = wait.recv_timeout(Duration::from_secs(2));
        }
    }
}

/// Our targets: the module paths of this crate, and the short ones given with `target:`.
fn is_ours(target: &str) -> bool {
    target.starts_with("runway_assets") || matches!(target, "app" | "api" | "cache")
}

fn short_target(target: &str) -> &str {
    target.strip_prefix("runway_assets::").unwrap_or(target)
}

/// The text with each secret replaced and the query string cut off every URL in it.
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let mut text = text.to_string();
    for secret in secrets {
        if text.contains(secret.as_str()) {
            text = text.replace(secret.as_str(), "<redacted>");
        }
    }
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let is_url = word.contains("://");
        match word.find('?') {
            Some(at) if is_url || word[at..].contains('=') && word[at..].contains("jwt") => {
                out.push_str(&word[..at]);
                out.push_str("?…");
            }
            _ => out.push_str(word),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_cuts_queries_and_secrets() {
        let secrets = vec!["user:1-s3cret".to_string()];
        assert_eq!(
            scrub("got https://cdn.example.com/a.mp4?_jwt=abc.def&x=1 with user:1-s3cret", &secrets),
            "got https://cdn.example.com/a.mp4?… with <redacted>"
        );
        assert_eq!(scrub("/v1/x?_jwt=abc", &[]), "/v1/x?…");
        assert_eq!(
            scrub("GET /v1/runwayml/assets/?offset=0&limit=50 200", &[]),
            "GET /v1/runwayml/assets/?offset=0&limit=50 200"
        );
    }
}
