//! Downloads as the app knows them: which are running and how far each has got, the status
//! line's progress text, what `d` starts, and the quit that asks first while a download runs
//! (quitting cancels it and its `.part` goes). The files themselves are the download worker's
//! business; this only keeps the state and asks for effects.

use super::{App, Effect, Status, short};
use crate::api::Asset;
use crate::download::progress::seconds_left;
use crate::download::{DownloadError, DownloadEvent, JobId, Outcome, Progress};
use crate::present::format;
use crate::sanitize;

/// One running download.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub job: JobId,
    pub asset_id: String,
    /// The file name once known, else the asset's name.
    pub label: String,
    pub received: u64,
    pub total: Option<u64>,
    pub bytes_per_sec: u64,
}

/// The running downloads, and whether a quit is waiting for its confirmation.
#[derive(Debug, Default)]
pub struct Downloads {
    running: Vec<Job>,
    next: JobId,
    quit_asked: bool,
}

impl Downloads {
    pub fn running(&self) -> &[Job] {
        &self.running
    }

    fn find(&mut self, job: JobId) -> Option<&mut Job> {
        self.running.iter_mut().find(|j| j.job == job)
    }
}

impl App {
    pub fn downloads(&self) -> &Downloads {
        &self.downloads
    }

    /// `d`: downloads the file of the asset the detail shows.
    pub(super) fn download_shown(&mut self) -> Vec<Effect> {
        let Some(shown) = self.detail.shown() else {
            self.status = Status::warning("Nothing to download yet: open an asset first.".into());
            return vec![];
        };
        let asset_id = self.detail.asset_id().unwrap_or_default().to_string();
        let label = label(&shown.asset, &asset_id);
        match shown.asset.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            None => {
                self.status = Status::error(format!("{label} has no file URL, so there is nothing to download."));
                return vec![];
            }
            Some(url) => {
                if let Err(e) = crate::api::files::web_url(url) {
                    self.status = Status::error(format!("{label} was not downloaded: {e}."));
                    return vec![];
                }
            }
        }
        if self.downloads.running.iter().any(|j| j.asset_id == asset_id) {
            self.status = Status::info(format!("{label} is already downloading."));
            return vec![];
        }
        let asset = shown.asset.clone();
        self.downloads.next += 1;
        let job = self.downloads.next;
        self.downloads.running.push(Job {
            job,
            asset_id: asset_id.clone(),
            label: label.clone(),
            received: 0,
            total: asset.file_size,
            bytes_per_sec: 0,
        });
        self.status = None;
        vec![Effect::Download { job, asset_id, asset }]
    }

    pub(super) fn on_download(&mut self, event: DownloadEvent) -> Vec<Effect> {
        match event {
            DownloadEvent::Started { job, file_name, total } => {
                if let Some(j) = self.downloads.find(job) {
                    j.label = sanitize::one_line(&file_name, 80);
                    j.total = total.or(j.total);
                }
            }
            DownloadEvent::Progress(progress) => {
                for Progress { job, received, total, bytes_per_sec } in progress {
                    if let Some(j) = self.downloads.find(job) {
                        (j.received, j.total, j.bytes_per_sec) = (received, total.or(j.total), bytes_per_sec);
                    }
                }
            }
            DownloadEvent::Done { job, outcome } => {
                // A late answer for a download no longer running (cancelled) is dropped.
                let Some(at) = self.downloads.running.iter().position(|j| j.job == job) else { return vec![] };
                let finished = self.downloads.running.remove(at);
                if self.downloads.running.is_empty() {
                    self.downloads.quit_asked = false;
                }
                self.status = match outcome {
                    Ok(Outcome::Saved { path, bytes }) => Status::info(format!(
                        "Saved {} ({}).",
                        sanitize::one_line(&path.display().to_string(), 300),
                        format::size_short(bytes)
                    )),
                    Ok(Outcome::Skipped { path }) => Status::info(format!(
                        "Not downloaded: {} is there already, the same size.",
                        sanitize::one_line(&path.display().to_string(), 300)
                    )),
                    Err(DownloadError::Cancelled) => Status::info(format!("Download of {} cancelled.", finished.label)),
                    Err(e) => Status::error(format!(
                        "Download of {} failed: {}.",
                        finished.label,
                        e.describe(&self.settings.config_file)
                    )),
                };
            }
        }
        vec![]
    }

    /// `q` or Ctrl-C: quits, except that while downloads run it first asks (once).
    pub(super) fn quit(&mut self) -> Vec<Effect> {
        let n = self.downloads.running.len();
        if n == 0 || self.downloads.quit_asked {
            return vec![Effect::Quit];
        }
        self.downloads.quit_asked = true;
        let what = if n == 1 { "A download is".to_string() } else { format!("{n} downloads are") };
        let them = if n == 1 { "it" } else { "them" };
        self.status =
            Status::warning(format!("{what} running: q again quits and cancels {them}; any other key goes on."));
        vec![]
    }

    /// Any key but quit takes back a question about quitting.
    pub(super) fn forget_quit_question(&mut self) {
        if std::mem::take(&mut self.downloads.quit_asked) {
            self.status = None;
        }
    }

    /// The status line's progress text while downloads run, e.g.
    /// `↓ clip.mp4 12.3 MB of 200 MB · 45.1 MB/s · 4 s left (+1 more)`.
    pub fn downloads_line(&self) -> Option<String> {
        let first = self.downloads.running.first()?;
        let mut line = format!("↓ {} {}", first.label, format::size_short(first.received));
        if let Some(total) = first.total {
            line.push_str(&format!(" of {}", format::size_short(total)));
        }
        if first.bytes_per_sec > 0 {
            line.push_str(&format!(" · {}/s", format::size_short(first.bytes_per_sec)));
        }
        if let Some(secs) = seconds_left(first.received, first.total, first.bytes_per_sec) {
            line.push_str(&format!(" · {} left", time_left(secs)));
        }
        let more = self.downloads.running.len() - 1;
        if more > 0 {
            line.push_str(&format!(" (+{more} more)"));
        }
        Some(line)
    }
}

/// What a download is called before its file name is known.
fn label(asset: &Asset, asset_id: &str) -> String {
    match asset.name.as_deref().map(|n| sanitize::one_line(n, 60)).filter(|n| !n.is_empty()) {
        Some(name) => name,
        None => short(asset_id),
    }
}

/// "4 s", "2 min", "1 h 5 min".
fn time_left(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min", secs.div_ceil(60)),
        _ => format!("{} h {} min", secs / 3600, (secs % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_reads_naturally() {
        assert_eq!(time_left(4), "4 s");
        assert_eq!(time_left(61), "2 min");
        assert_eq!(time_left(3900), "1 h 5 min");
    }
}
