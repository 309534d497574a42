//! The download worker: its own thread with its own small runtime, so that network reads, disk
//! writes and the final fsync never hold up the UI. Downloads come in as `DownloadCommand`s and
//! run side by side; each streams its file into a `.part` (see `download::part_file`), checks
//! the size, and renames it into place. What happens goes back as `DownloadEvent`s, progress at
//! most 10 times a second in all. A file host that answers 401/403/410 (a signed URL that has
//! expired) gets one more try with a fresh URL from the API. A cancelled download, or every
//! download when the worker is finished (the app quits), stops at once and leaves no `.part`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::{AbortHandle, JoinSet};

use crate::api::files::{FileBody, FileClient, FileError, FileLimits};
use crate::api::{ApiClient, Asset, ClientOptions};
use crate::download::error::SizeSource;
use crate::download::progress::ProgressBoard;
use crate::download::target::{existing_same, prepare_dir};
use crate::download::{DownloadError, DownloadEvent, FileName, JobId, Outcome, PartFile};

/// One file to fetch.
#[derive(Debug, Clone)]
pub struct DownloadJob {
    pub job: JobId,
    pub asset_id: String,
    /// The asset as already known (the app's detail pane); `None`: looked up first.
    pub asset: Option<Box<Asset>>,
    /// Skip it when a file of the same name and size is there already.
    pub skip_existing: bool,
}

#[derive(Debug)]
pub enum DownloadCommand {
    Start(DownloadJob),
    Cancel(JobId),
}

/// What every download shares.
#[derive(Debug, Clone)]
pub struct DownloadSettings {
    /// The API (for fresh URLs) and its token, which only the API's origin ever gets.
    pub client: ClientOptions,
    /// The folder files go to (created when missing), or why there is none.
    pub dir: Result<PathBuf, DownloadError>,
    /// Run below the priority of the rest of the process (the UI's keys come first).
    pub lower_priority: bool,
}

/// The worker's thread; dropping it (or `finish`) cancels what still runs.
pub struct DownloadWorker {
    commands: Option<UnboundedSender<DownloadCommand>>,
    thread: Option<JoinHandle<()>>,
}

impl DownloadWorker {
    /// Starts the thread; events go to `events`.
    ///
    /// # Errors
    /// When the thread or its runtime cannot be created.
    pub fn spawn<T>(settings: DownloadSettings, events: UnboundedSender<T>) -> std::io::Result<DownloadWorker>
    where
        T: From<DownloadEvent> + Send + 'static,
    {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let (tx, rx) = unbounded_channel();
        let lower = settings.lower_priority;
        let thread = std::thread::Builder::new().name("runway-assets-downloads".to_owned()).spawn(move || {
            if lower {
                super::priority::yield_to_the_ui();
            }
            runtime.block_on(run(settings, rx, events))
        })?;
        Ok(DownloadWorker { commands: Some(tx), thread: Some(thread) })
    }

    pub fn send(&self, command: DownloadCommand) {
        if let Some(tx) = &self.commands {
            let _ = tx.send(command);
        }
    }

    /// Cancels every running download (their `.part` files are removed) and waits for that.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.commands.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for DownloadWorker {
    fn drop(&mut self) {
        self.stop();
    }
}

struct Shared {
    settings: DownloadSettings,
    files: FileClient,
    api: Mutex<Option<ApiClient>>,
    board: Mutex<ProgressBoard>,
}

async fn run<T>(
    settings: DownloadSettings,
    mut commands: UnboundedReceiver<DownloadCommand>,
    events: UnboundedSender<T>,
) where
    T: From<DownloadEvent> + Send + 'static,
{
    let files = FileClient::new(&settings.client.base_url, settings.client.token.clone());
    let shared = Arc::new(Shared { settings, files, api: Mutex::new(None), board: Mutex::default() });
    let mut running: JoinSet<()> = JoinSet::new();
    let mut handles: HashMap<JobId, AbortHandle> = HashMap::new();
    loop {
        tokio::select! {
            command = commands.recv() => match command {
                None => break,
                Some(DownloadCommand::Start(job)) => {
                    let id = job.job;
                    let (shared, events) = (Arc::clone(&shared), events.clone());
                    let handle = running.spawn(async move {
                        let report = |event: DownloadEvent| { let _ = events.send(event.into()); };
                        let outcome = download(&shared, job, &report).await;
                        lock(&shared.board).remove(id);
                        report(DownloadEvent::Done { job: id, outcome });
                    });
                    handles.insert(id, handle);
                }
                Some(DownloadCommand::Cancel(id)) => {
                    if let Some(handle) = handles.remove(&id) {
                        handle.abort();
                        lock(&shared.board).remove(id);
                        let _ = events.send(DownloadEvent::Done { job: id, outcome: Err(DownloadError::Cancelled) }.into());
                    }
                }
            },
            Some(_) = running.join_next(), if !running.is_empty() => {
                handles.retain(|_, handle| !handle.is_finished());
            }
        }
    }
    // Aborting drops each download's PartFile, which removes its .part.
    running.shutdown().await;
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One download, start to finish.
async fn download(
    shared: &Shared,
    job: DownloadJob,
    report: &impl Fn(DownloadEvent),
) -> Result<Outcome, DownloadError> {
    let mut asset = match job.asset {
        Some(asset) => *asset,
        None => look_up(shared, &job.asset_id).await?,
    };
    let dir = shared.settings.dir.clone()?;
    let name = FileName::for_asset(asset.name.as_deref(), asset.file_ext_standardized.as_deref(), &job.asset_id);
    let skip = |size: Option<u64>| size.filter(|_| job.skip_existing).and_then(|size| existing_same(&dir, &name, size));
    if let Some(path) = skip(asset.file_size) {
        return Ok(Outcome::Skipped { path });
    }
    let limits = FileLimits { max_bytes: None, stall: shared.settings.client.read_timeout, deadline: None };
    let mut refreshed = false;
    let mut body = loop {
        let url = asset.url.as_deref().map(str::trim).filter(|u| !u.is_empty()).ok_or(DownloadError::NoUrl)?;
        match shared.files.get(url, &limits).await {
            Ok(body) => break body,
            // Signed URLs expire: ask the API for a fresh one, once.
            Err(e) if e.is_expired_url() && !refreshed => {
                log::info!(target: "download", "{e}; asking the API for a fresh URL");
                refreshed = true;
                asset = look_up(shared, &job.asset_id).await?;
            }
            Err(e) => return Err(file_error(e)),
        }
    };
    if body.is_html() {
        return Err(DownloadError::Html);
    }
    let announced = body.content_length();
    if let (Some(announced), Some(file_size)) = (announced, asset.file_size.filter(|&n| n > 0))
        && announced != file_size
    {
        return Err(DownloadError::SizesDisagree { announced, file_size });
    }
    if asset.file_size.is_none()
        && let Some(path) = skip(announced)
    {
        return Ok(Outcome::Skipped { path });
    }
    prepare_dir(&dir)?;
    let mut part = PartFile::create(&dir, &name)?;
    let total = announced.or(asset.file_size);
    report(DownloadEvent::Started { job: job.job, file_name: part.intended_name(), total });
    stream(shared, job.job, &mut body, &mut part, asset.file_size, total, report).await?;
    let mut expected = Vec::new();
    expected.extend(announced.map(|n| (n, SizeSource::ContentLength)));
    expected.extend(asset.file_size.filter(|&n| n > 0).map(|n| (n, SizeSource::AssetFileSize)));
    let bytes = part.written();
    // The fsync can take a while for a large file; this thread is the downloads' own.
    let path = part.finish(&expected)?;
    log::info!(target: "download", "saved {} bytes to {}", bytes, path.display());
    Ok(Outcome::Saved { path, bytes })
}

/// Copies the body into the `.part`, reporting progress; stops as soon as the body runs past
/// the asset's size.
async fn stream(
    shared: &Shared,
    job: JobId,
    body: &mut FileBody,
    part: &mut PartFile,
    file_size: Option<u64>,
    total: Option<u64>,
    report: &impl Fn(DownloadEvent),
) -> Result<(), DownloadError> {
    while let Some(chunk) = body.chunk().await.map_err(file_error)? {
        part.write(&chunk)?;
        if let Some(size) = file_size.filter(|&n| n > 0)
            && part.written() > size
        {
            return Err(DownloadError::SizeMismatch {
                received: part.written(),
                expected: size,
                what: SizeSource::AssetFileSize,
            });
        }
        let due = lock(&shared.board).update(job, part.written(), total, Instant::now());
        if let Some(progress) = due {
            report(DownloadEvent::Progress(progress));
        }
    }
    Ok(())
}

/// The asset from the API (for its URL, name and size).
async fn look_up(shared: &Shared, asset_id: &str) -> Result<Asset, DownloadError> {
    let client = {
        let mut api = lock(&shared.api);
        match api.as_ref() {
            Some(client) => client.clone(),
            None => {
                let client = ApiClient::new(shared.settings.client.clone()).map_err(DownloadError::Lookup)?;
                *api = Some(client.clone());
                client
            }
        }
    };
    client.get_asset(asset_id).await.map(|fetched| fetched.asset).map_err(DownloadError::Lookup)
}

fn file_error(error: FileError) -> DownloadError {
    match error {
        FileError::Stalled(wait) => DownloadError::Stalled { secs: wait.as_secs() },
        FileError::Truncated { received, expected } => {
            DownloadError::SizeMismatch { received, expected, what: SizeSource::ContentLength }
        }
        FileError::NotWebUrl(e) => DownloadError::NotWebUrl(e.to_string()),
        other => DownloadError::Host(other.to_string()),
    }
}
