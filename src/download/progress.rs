//! What a running download reports, and how often: `DownloadEvent`s for the app and the command
//! line, and the `ProgressBoard` that gathers every running download's byte count and lets one
//! progress report out at most every [`REPORT_EVERY`] (10 a second), however many downloads
//! run and however small their chunks.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::DownloadError;

/// Identifies one download (given by whoever starts it).
pub type JobId = u64;

/// The shortest time between two progress reports.
pub const REPORT_EVERY: Duration = Duration::from_millis(100);

/// What happens to a download.
#[derive(Debug, Clone, PartialEq)]
pub enum DownloadEvent {
    /// Bytes are about to be written: the file name meant for them and the size, when known.
    Started {
        job: JobId,
        file_name: String,
        total: Option<u64>,
    },
    /// Where every running download has got to.
    Progress(Vec<Progress>),
    Done {
        job: JobId,
        outcome: Result<Outcome, DownloadError>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub job: JobId,
    pub received: u64,
    pub total: Option<u64>,
    /// Bytes a second lately (0 until there is a measure).
    pub bytes_per_sec: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Saved {
        path: PathBuf,
        bytes: u64,
    },
    /// `--skip-existing`: a file of this name and size is there already.
    Skipped {
        path: PathBuf,
    },
}

/// Seconds left at `bytes_per_sec`, when it can be told.
pub fn seconds_left(received: u64, total: Option<u64>, bytes_per_sec: u64) -> Option<u64> {
    let total = total?;
    (bytes_per_sec > 0).then(|| total.saturating_sub(received).div_ceil(bytes_per_sec))
}

#[derive(Debug)]
struct Entry {
    received: u64,
    total: Option<u64>,
    /// At the last report: when, and how many bytes.
    measured: Option<(Instant, u64)>,
    bytes_per_sec: u64,
}

/// Running downloads' counts, and when the last report went out.
#[derive(Debug, Default)]
pub struct ProgressBoard {
    entries: BTreeMap<JobId, Entry>,
    last_report: Option<Instant>,
}

impl ProgressBoard {
    /// Records `received` bytes of `job`; returns a report when one is due.
    pub fn update(&mut self, job: JobId, received: u64, total: Option<u64>, now: Instant) -> Option<Vec<Progress>> {
        let entry = self.entries.entry(job).or_insert(Entry { received: 0, total, measured: None, bytes_per_sec: 0 });
        entry.received = received;
        entry.total = total;
        if self.last_report.is_some_and(|last| now.saturating_duration_since(last) < REPORT_EVERY) {
            return None;
        }
        self.last_report = Some(now);
        Some(self.report(now))
    }

    /// A download that ended reports no more.
    pub fn remove(&mut self, job: JobId) {
        self.entries.remove(&job);
    }

    fn report(&mut self, now: Instant) -> Vec<Progress> {
        self.entries
            .iter_mut()
            .map(|(&job, e)| {
                if let Some((at, bytes)) = e.measured {
                    let secs = now.saturating_duration_since(at).as_secs_f64();
                    if secs > 0.0 {
                        let rate = e.received.saturating_sub(bytes) as f64 / secs;
                        // Smoothed, so the time left does not jump about.
                        let smoothed =
                            if e.bytes_per_sec == 0 { rate } else { 0.7 * e.bytes_per_sec as f64 + 0.3 * rate };
                        e.bytes_per_sec = smoothed.round() as u64;
                    }
                }
                e.measured = Some((now, e.received));
                Progress { job, received: e.received, total: e.total, bytes_per_sec: e.bytes_per_sec }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_one_report_a_tenth_of_a_second_for_all_downloads() {
        let mut board = ProgressBoard::default();
        let t0 = Instant::now();
        assert!(board.update(1, 10, Some(100), t0).is_some(), "the first is reported at once");
        let mut reports = 0;
        for ms in 1..=1000u64 {
            let now = t0 + Duration::from_millis(ms);
            reports += usize::from(board.update(1, 10 + ms, Some(2000), now).is_some());
            reports += usize::from(board.update(2, ms, None, now).is_some());
        }
        assert_eq!(reports, 10, "2,000 updates over a second, 10 reports");
        let last = board.update(2, 5000, None, t0 + Duration::from_millis(1100)).unwrap();
        assert_eq!(last.len(), 2, "each report covers every running download");
        board.remove(1);
        let after = board.update(2, 6000, None, t0 + Duration::from_millis(1200)).unwrap();
        assert_eq!(after.iter().map(|p| p.job).collect::<Vec<_>>(), [2]);
    }

    #[test]
    fn speed_and_time_left() {
        let mut board = ProgressBoard::default();
        let t0 = Instant::now();
        board.update(1, 0, Some(10_000_000), t0);
        let p = board.update(1, 1_000_000, Some(10_000_000), t0 + Duration::from_secs(1)).unwrap();
        assert_eq!(p[0].bytes_per_sec, 1_000_000);
        assert_eq!(seconds_left(p[0].received, p[0].total, p[0].bytes_per_sec), Some(9));
        assert_eq!(seconds_left(5, None, 100), None);
        assert_eq!(seconds_left(5, Some(10), 0), None);
    }
}
