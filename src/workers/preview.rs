//! Pictures for the detail pane, off the UI thread: read from the preview cache, else fetched
//! from the file host (never with the token unless it is the API's own origin), decoded within
//! limits, scaled down, kept in the cache, and encoded for the terminal at the size asked.
//!
//! Newest wins: each command abandons the work before it (an asset passed over while moving
//! through a list is never finished), and one picture at a time is decoded, so that scrolling
//! quickly queues nothing. Decoding runs on tokio's blocking pool, never on the UI's thread.

use std::sync::Arc;
use std::time::Duration;

use image::DynamicImage;
use tokio::sync::Semaphore;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::AbortHandle;

use crate::api::files::{FileClient, FileLimits};
use crate::cache::PreviewCache;
use crate::preview::{DecodeError, Encoded, Graphics, PreviewKey, decode_thumbnail, encode};

/// Identifies one piece of picture work (the app's request IDs).
pub type RequestId = u64;

/// The default cap on a fetched picture (`--max-preview BYTES`).
pub const DEFAULT_MAX_PREVIEW_BYTES: u64 = 16 * 1024 * 1024;
/// The longest a file host may send nothing, and the longest one picture may take.
const STALL: Duration = Duration::from_secs(10);
const DEADLINE: Duration = Duration::from_secs(30);
/// The cached thumbnails' JPEG quality: small files, no visible loss at terminal sizes.
const CACHE_QUALITY: u8 = 85;

/// What the worker needs: where pictures come from and go, and how the terminal draws them.
#[derive(Debug, Clone)]
pub struct PreviewSetup {
    pub files: FileClient,
    pub cache: Option<PreviewCache>,
    pub graphics: Graphics,
    pub max_bytes: u64,
}

#[derive(Debug)]
pub enum PreviewCommand {
    /// The picture of `key` (from the cache, else from `url`), encoded for `cells`.
    Load { request: RequestId, key: PreviewKey, url: String, cells: (u16, u16) },
    /// The picture already here, encoded again for `cells`.
    Encode { request: RequestId, image: Arc<DynamicImage>, cells: (u16, u16) },
    /// Stop whatever is on its way.
    Cancel,
}

/// A picture, decoded and encoded.
#[derive(Debug, Clone)]
pub struct Picture {
    pub image: Arc<DynamicImage>,
    pub encoded: Option<Encoded>,
    pub cells: (u16, u16),
    /// Read from the cache (no request was made).
    pub cached: bool,
}

/// What the worker reports: the picture, or why not (the end of "Preview unavailable: …").
#[derive(Debug)]
pub struct PreviewEvent {
    pub request: RequestId,
    pub result: Result<Picture, String>,
}

/// Spawns the worker on the current tokio runtime; returns where to send it commands.
pub fn spawn<T>(setup: PreviewSetup, results: UnboundedSender<T>) -> UnboundedSender<PreviewCommand>
where
    T: From<PreviewEvent> + Send + 'static,
{
    let (tx, rx) = unbounded_channel();
    tokio::spawn(run(setup, rx, results));
    tx
}

async fn run<T>(setup: PreviewSetup, mut commands: UnboundedReceiver<PreviewCommand>, results: UnboundedSender<T>)
where
    T: From<PreviewEvent> + Send + 'static,
{
    let setup = Arc::new(setup);
    // One decode at a time: work abandoned before it got its turn never starts.
    let cpu = Arc::new(Semaphore::new(1));
    let mut running: Option<AbortHandle> = None;
    while let Some(command) = commands.recv().await {
        if let Some(previous) = running.take() {
            previous.abort();
        }
        let (setup, cpu, results) = (Arc::clone(&setup), Arc::clone(&cpu), results.clone());
        let task = match command {
            PreviewCommand::Cancel => continue,
            PreviewCommand::Load { request, key, url, cells } => tokio::spawn(async move {
                let result = load(&setup, &cpu, key, &url, cells).await;
                let _ = results.send(PreviewEvent { request, result }.into());
            }),
            PreviewCommand::Encode { request, image, cells } => tokio::spawn(async move {
                let result =
                    on_cpu(&cpu, move |setup: &PreviewSetup| encoded(&setup.graphics, image, cells, false), &setup)
                        .await;
                let _ = results.send(PreviewEvent { request, result }.into());
            }),
        };
        running = Some(task.abort_handle());
    }
    if let Some(previous) = running {
        previous.abort();
    }
}

/// The whole path for one picture; every failure is a phrase.
pub async fn load(
    setup: &Arc<PreviewSetup>,
    cpu: &Arc<Semaphore>,
    key: PreviewKey,
    url: &str,
    cells: (u16, u16),
) -> Result<Picture, String> {
    let cached_key = key.clone();
    let from_cache = on_cpu(
        cpu,
        move |setup: &PreviewSetup| {
            let Some(cache) = &setup.cache else { return Ok(None) };
            let Ok(Some(bytes)) = cache.load(&cached_key.asset_id, &cached_key.version) else { return Ok(None) };
            match decode_thumbnail(&bytes) {
                Ok(image) => encoded(&setup.graphics, Arc::new(image), cells, true).map(Some),
                Err(_) => {
                    // Damaged: removed, and fetched afresh.
                    cache.discard(&cached_key.asset_id, &cached_key.version);
                    Ok(None)
                }
            }
        },
        setup,
    )
    .await?;
    if let Some(picture) = from_cache {
        return Ok(picture);
    }
    let bytes = fetch(setup, url).await?;
    let picture = on_cpu(
        cpu,
        move |setup: &PreviewSetup| {
            let image = decode_thumbnail(&bytes).map_err(|e| describe_decode(&e))?;
            drop(bytes);
            encoded(&setup.graphics, Arc::new(image), cells, false)
        },
        setup,
    )
    .await?;
    // Kept after it is ready, not before: the JPEG encoding and the fsyncs stay off the
    // picture's way to the screen. A failure only means it is not kept (an unwritable folder).
    if let Some(cache) = setup.cache.clone() {
        let image = Arc::clone(&picture.image);
        tokio::task::spawn_blocking(move || {
            super::priority::yield_to_the_ui();
            if let Some(jpeg) = jpeg(&image) {
                let _ = cache.store(&key.asset_id, &key.version, &jpeg);
            }
            give_back_memory();
        });
    }
    Ok(picture)
}

/// The picture's bytes, within the size cap, the stall limit and the deadline.
pub async fn fetch(setup: &PreviewSetup, url: &str) -> Result<Vec<u8>, String> {
    map_large_buffers_apart();
    let limits = FileLimits { max_bytes: Some(setup.max_bytes), stall: STALL, deadline: Some(DEADLINE) };
    let body = setup.files.get(url, &limits).await.map_err(|e| e.to_string())?;
    if body.is_html() {
        return Err("the file host sent a web page, not a picture".to_string());
    }
    body.bytes().await.map_err(|e| e.to_string())
}

fn describe_decode(error: &DecodeError) -> String {
    error.to_string()
}

/// Runs `work` on the blocking pool, one at a time.
async fn on_cpu<R, F>(cpu: &Arc<Semaphore>, work: F, setup: &Arc<PreviewSetup>) -> Result<R, String>
where
    F: FnOnce(&PreviewSetup) -> Result<R, String> + Send + 'static,
    R: Send + 'static,
{
    let permit = Arc::clone(cpu).acquire_owned().await.map_err(|_| "the app is closing".to_string())?;
    let setup = Arc::clone(setup);
    map_large_buffers_apart();
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        super::priority::yield_to_the_ui();
        let result = work(&setup);
        give_back_memory();
        result
    })
    .await
    .map_err(|_| "the picture could not be decoded".to_string())?
}

fn encoded(graphics: &Graphics, image: Arc<DynamicImage>, cells: (u16, u16), cached: bool) -> Result<Picture, String> {
    let encoded = encode(graphics, &image, cells.0, cells.1)?;
    Ok(Picture { image, encoded, cells, cached })
}

/// The thumbnail as JPEG, for the cache.
pub fn jpeg(image: &DynamicImage) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, CACHE_QUALITY);
    image.to_rgb8().write_with_encoder(encoder).ok()?;
    Some(out)
}

/// Maps each large buffer (a decoded picture is tens of MB) on its own, so that freeing it
/// gives it back at once. glibc otherwise raises its mmap threshold after the first such buffer
/// is freed and serves the next ones from the threads' arenas, where fragments of them stay
/// resident; a fixed threshold turns that off. Once, when the first picture is wanted.
fn map_large_buffers_apart() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // SAFETY: mallopt only changes a tuning parameter of the allocator; it is thread-safe.
        ONCE.call_once(|| unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        });
    }
}

/// Hands the decoder's freed buffers (tens of MB for a large picture) back to the system: glibc
/// keeps them in each thread's arena otherwise, and the app would keep the peak of every picture
/// it ever decoded.
fn give_back_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory at the top of the heaps; it has no
    // preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}
