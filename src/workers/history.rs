//! The thread that does the TUI's history disk work that can wait (loading, appending, reading a
//! snapshot that moved), so the UI loop never waits on the disk or on another copy's file lock.
//! Two short bounded reads stay on the UI thread, for speed: the newest rows before the second
//! frame, and a snapshot that is where its row says (see `event_loop`). Jobs come in over a
//! channel; results go back as `HistoryEvent`s. It blocks on its channel while idle: no
//! timers, no wakeups.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use crate::history::{HistoryEntry, HistoryError, HistoryRow, HistoryStore, Loaded};

/// Identifies a snapshot read, so its answer can be matched to the lookup that asked.
pub type RequestId = u64;

/// What the worker reports.
#[derive(Debug)]
pub enum HistoryEvent {
    /// The newest rows, ahead of the full load.
    Recent(Vec<HistoryRow>),
    Loaded(Result<Loaded, HistoryError>),
    Recorded(Result<HistoryRow, HistoryError>),
    Snapshot {
        request: RequestId,
        result: Result<HistoryEntry, HistoryError>,
    },
}

pub enum HistoryJob {
    /// Writes these entries first (the demo's pre-filled history).
    Seed(Vec<HistoryEntry>),
    /// Loads the rows; then, if the file has grown well past them, compacts it (after the UI
    /// has its rows, so nobody waits for it).
    /// With `recent_first`, the newest rows are sent ahead of the full load.
    Load {
        max_entries: usize,
        recent_first: bool,
    },
    Append(HistoryEntry),
    Read {
        request: RequestId,
        row: HistoryRow,
    },
    /// Other disk work of the app's (writing the caches, reading remembered tasks), done on this
    /// thread rather than a thread of its own: this one already waits on its channel, so the
    /// work costs no extra thread and no wakeup once it is done.
    Other(Box<dyn FnOnce() + Send>),
}

impl std::fmt::Debug for HistoryJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HistoryJob::Seed(entries) => write!(f, "Seed({} entries)", entries.len()),
            HistoryJob::Load { max_entries, recent_first } => {
                write!(f, "Load {{ max_entries: {max_entries}, recent_first: {recent_first} }}")
            }
            HistoryJob::Append(entry) => write!(f, "Append({})", entry.asset_id),
            HistoryJob::Read { request, row } => write!(f, "Read {{ request: {request}, row: {} }}", row.asset_id),
            HistoryJob::Other(_) => write!(f, "Other"),
        }
    }
}

/// The running worker: where jobs go, and how to wait for it to finish them.
pub struct HistoryWorker {
    jobs: Sender<HistoryJob>,
    /// Disconnects when the thread ends (its sender is dropped with the thread's state).
    ended: Receiver<()>,
    /// Writes (appends, seeds) sent and not yet done.
    writes: Arc<AtomicUsize>,
}

impl HistoryWorker {
    pub fn send(&self, job: HistoryJob) {
        if is_write(&job) {
            self.writes.fetch_add(1, Ordering::AcqRel);
        }
        // A send fails only when the thread is gone, which `spawn` has already reported.
        let _ = self.jobs.send(job);
    }

    /// Lets the worker finish the writes already sent, so that no lookup is left out of history
    /// when the app quits, waiting at most `within` (another copy may hold the file's lock).
    /// With none outstanding, as usual, it returns at once.
    pub fn finish(self, within: Duration) {
        drop(self.jobs);
        if self.writes.load(Ordering::Acquire) > 0 {
            // Disconnected is the thread ending; after a timeout the rest is given up.
            let _ = self.ended.recv_timeout(within);
        }
    }
}

fn is_write(job: &HistoryJob) -> bool {
    matches!(job, HistoryJob::Append(_) | HistoryJob::Seed(_))
}

/// Starts the worker. With no store (no config directory could be found) every job answers
/// with an explanation instead.
pub fn spawn<T>(store: Option<HistoryStore>, out: UnboundedSender<T>) -> HistoryWorker
where
    T: From<HistoryEvent> + Send + 'static,
{
    let (jobs, rx) = channel();
    let (ended_tx, ended) = channel();
    let writes = Arc::new(AtomicUsize::new(0));
    let report = out.clone();
    let done = Arc::clone(&writes);
    let spawned = std::thread::Builder::new().name("history".into()).spawn(move || {
        let _ended = ended_tx;
        run(store, rx, out, &done)
    });
    if let Err(e) = spawned {
        // Without the thread jobs go nowhere: say so, rather than show "Loading history…" forever.
        let _ = report.send(HistoryEvent::Loaded(Err(HistoryError::WorkerDown(e.to_string()))).into());
    }
    HistoryWorker { jobs, ended, writes }
}

/// Rows read from the end of the file before the full load: more than any screen shows.
const RECENT_ROWS: usize = 80;

fn run<T: From<HistoryEvent>>(
    store: Option<HistoryStore>,
    jobs: Receiver<HistoryJob>,
    out: UnboundedSender<T>,
    writes: &AtomicUsize,
) {
    let send = |event: HistoryEvent| out.send(event.into()).is_ok();
    super::priority::yield_to_the_ui();
    warm_cpu_features();
    let mut ui_gone = false;
    while let Ok(job) = jobs.recv() {
        // Once the UI has quit only writes matter: they are why `finish` waits.
        let write = is_write(&job);
        if ui_gone && !write {
            continue;
        }
        let reply = match (&store, job) {
            (Some(store), HistoryJob::Seed(entries)) => {
                for entry in &entries {
                    if let Err(e) = store.append(entry) {
                        send(HistoryEvent::Loaded(Err(e)));
                        break;
                    }
                }
                None
            }
            (Some(store), HistoryJob::Load { max_entries, recent_first }) => {
                // The newest rows first, from the end of the file (unless the UI read them
                // itself): they show at once, however long the history.
                if recent_first
                    && let Ok(rows) = store.load_recent(RECENT_ROWS)
                    && !rows.is_empty()
                    && !send(HistoryEvent::Recent(rows))
                {
                    ui_gone = true;
                    continue;
                }
                let loaded = store.load();
                let compact = loaded.as_ref().is_ok_and(|l| l.needs_compaction(max_entries));
                if !send(HistoryEvent::Loaded(loaded)) {
                    ui_gone = true;
                    continue;
                }
                if compact {
                    // Housekeeping: on failure (say, another copy holds the lock) it is tried next start.
                    let _ = store.compact(max_entries);
                }
                None
            }
            (Some(store), HistoryJob::Append(entry)) => Some(HistoryEvent::Recorded(store.append(&entry))),
            (_, HistoryJob::Other(work)) => {
                work();
                None
            }
            (Some(store), HistoryJob::Read { request, row }) => {
                Some(HistoryEvent::Snapshot { request, result: store.read_snapshot(&row) })
            }
            (None, HistoryJob::Load { .. }) => Some(HistoryEvent::Loaded(Err(HistoryError::NoConfigDir))),
            (None, HistoryJob::Append(_)) => Some(HistoryEvent::Recorded(Err(HistoryError::NoConfigDir))),
            (None, HistoryJob::Read { request, .. }) => {
                Some(HistoryEvent::Snapshot { request, result: Err(HistoryError::NoConfigDir) })
            }
            (None, _) => None,
        };
        if write {
            writes.fetch_sub(1, Ordering::AcqRel);
        }
        if let Some(event) = reply
            && !send(event)
        {
            ui_gone = true;
        }
    }
}

/// The first use of CPU feature detection (by memchr, httparse, …) runs `cpuid`, which traps
/// to the hypervisor on a virtual machine: done here, that cost is not paid by the first
/// lookup on the UI thread.
fn warm_cpu_features() {
    // Any feature the compiler can't assume (sse2 it can) fills the whole cache.
    #[cfg(target_arch = "x86_64")]
    let _ = std::arch::is_x86_feature_detected!("avx2");
}
