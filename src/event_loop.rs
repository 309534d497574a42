//! The event loop: terminal input, fetch results and history results become messages for
//! `App::update`, whose effects are handed to the fetch task and the history worker. Queued
//! messages are all handled before one redraw; nothing wakes the loop while nothing happens
//! (the spinner's timer exists only while a lookup is in flight). The loop is generic over the
//! ratatui backend and the source of terminal events, so tests drive it with a `TestBackend` and
//! a channel, and watch its `LoopCounters` while it runs.

use std::collections::{HashMap, VecDeque};
use std::io;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::api::{ClientOptions, MediaFilter, Page, Task};
use crate::app::preview::PictureReady;
use crate::app::{App, Effect, Msg, RequestId};
use crate::cache::{CachedListing, ListingCache, ListingKey, TaskCache};
use crate::history::{HistoryEntry, HistoryStore};
use crate::workers::fetch::{self as fetcher, FetchCommand, FetchEvent};
use crate::workers::history::{self as history_worker, HistoryEvent, HistoryJob};
use crate::workers::preview::{self as preview_worker, PreviewCommand, PreviewEvent, PreviewSetup};
// -- download --
use crate::download::DownloadEvent;
use crate::workers::download::{DownloadCommand, DownloadJob, DownloadSettings, DownloadWorker};

mod actions;
mod backend;
mod counters;

pub use backend::LoopBackend;
use counters::bump;
pub use counters::{LoopCounters, LoopStats};

const SPINNER_PERIOD: Duration = Duration::from_millis(100);
/// How long a new lookup may take before its loading state is drawn: one frame.
const LOADING_FRAME_DELAY: Duration = Duration::from_millis(16);
/// The newest rows shown by the second frame, and the most of the file read for them.
const RECENT_ROWS: usize = 80;
const RECENT_WINDOW: u64 = 64 * 1024;
/// How long the rest of a burst of keys is waited for before drawing: far below what a person
/// notices, far above the gaps within a burst (tens of microseconds).
const BURST_WAIT: Duration = Duration::from_millis(1);
/// A burst that goes on longer (a flood of input) is drawn anyway, once a frame.
const MAX_BURST: Duration = Duration::from_millis(16);
/// The longest quitting waits for history writes: beyond the 2 s an append waits for the lock.
const QUIT_WAIT: Duration = Duration::from_secs(3);

/// What the loop needs besides the app: where the API is, where history lives, and where to count.
pub struct Context {
    pub client: ClientOptions,
    pub history: Option<HistoryStore>,
    /// Entries to write before loading (the demo's sample history).
    pub seed: Vec<HistoryEntry>,
    pub max_history: usize,
    /// Where listings' first pages are kept (None: no cache).
    pub cache: Option<ListingCache>,
    /// Where finished tasks are remembered (None: nowhere).
    pub tasks: Option<TaskCache>,
    /// What the loop did so far; keep a clone to watch a running loop.
    pub counters: Arc<LoopCounters>,
    // -- preview --
    /// How pictures are fetched, kept and drawn (None: no pictures).
    pub preview: Option<PreviewSetup>,
    /// The download folder chosen by --download-dir or config.toml (None: the platform's).
    pub download_dir: Option<std::path::PathBuf>,
    /// Set when [`first_frames`] was called before the loop (whether it showed history rows);
    /// None: the loop draws them itself.
    pub first_frames: Option<bool>,
}

/// Runs the app until it quits, the event source ends, or SIGTERM/SIGHUP arrive.
///
/// `events` is the terminal's input (`terminal::input::TtyEvents` for real); `on_suspend`
/// handles Ctrl-Z (`terminal::suspend` for real: it needs the real terminal). Returns the final
/// counts.
pub async fn run<B, E, S>(
    terminal: &mut Terminal<B>,
    mut events: E,
    mut app: App,
    ctx: Context,
    mut on_suspend: S,
) -> io::Result<LoopStats>
where
    B: LoopBackend,
    E: Stream<Item = io::Result<Event>> + Unpin,
    S: FnMut(&mut Terminal<B>) -> io::Result<()>,
{
    let counters = Arc::clone(&ctx.counters);
    let (msg_tx, mut msg_rx) = unbounded_channel::<Msg>();
    let mut workers = start(terminal, &mut app, ctx, &msg_tx)?;
    let mut signals = Signals::new();
    let mut spinner: Option<tokio::time::Interval> = None;
    let outcome = loop {
        let first = tokio::select! {
            biased;
            Some(msg) = msg_rx.recv() => msg,
            event = events.next() => match event {
                Some(Ok(event)) => Msg::Terminal(event),
                Some(Err(e)) => break Err(e),
                None => break Ok(()),
            },
            _ = signals.recv() => break Ok(()),
            _ = tick(&mut spinner) => Msg::Tick,
        };
        match handle_batch(
            first,
            terminal,
            &mut app,
            &mut msg_rx,
            &mut events,
            &mut workers,
            &counters,
            &mut on_suspend,
        )
        .await
        {
            Ok(Batch::Quit) => break Ok(()),
            Err(e) => break Err(e),
            Ok(Batch::Done) => {}
        }
        let drawn = after_batch(terminal, &app, &mut spinner, &counters)
            .and_then(|()| workers.actions.write_after_frame(terminal));
        // Disk work starts once the frame is out, so the worker's wake-up and fsync don't
        // compete with drawing an answer.
        workers.send_disk_jobs();
        if let Err(e) = drawn {
            break Err(e);
        }
    };
    // Lookups recorded in the last batch, and any still being written, reach the file before
    // the app exits; with the UI gone the worker skips reads.
    drop(msg_rx);
    workers.finish();
    outcome.map(|()| counters.snapshot())
}

/// The background workers and the disk jobs waiting for the next frame to be out.
struct Workers {
    fetch: UnboundedSender<FetchCommand>,
    history: history_worker::HistoryWorker,
    store: Option<HistoryStore>,
    cache: Option<ListingCache>,
    tasks: Option<TaskCache>,
    /// Timers waiting to answer `Effect::PollTaskAfter`, by request.
    timers: HashMap<RequestId, tokio::task::AbortHandle>,
    msg_tx: UnboundedSender<Msg>,
    disk_jobs: Vec<HistoryJob>,
    // -- preview --
    preview: Option<UnboundedSender<PreviewCommand>>,
    // -- copy, open, JSON view --
    actions: actions::Actions,
    // -- download --
    /// Started with the first download.
    downloads: Option<DownloadWorker>,
    download_settings: DownloadSettings,
}

impl Workers {
    fn send_disk_jobs(&mut self) {
        for job in self.disk_jobs.drain(..) {
            self.history.send(job);
        }
    }

    fn finish(mut self) {
        self.send_disk_jobs();
        // Downloads still running are cancelled; their .part files are removed before we return.
        if let Some(downloads) = self.downloads.take() {
            downloads.finish();
        }
        self.history.finish(QUIT_WAIT);
    }
}

/// The first frame before any history or network work; then the newest history rows, read
/// from the end of the file right here (one bounded read), and a second frame showing them.
/// Returns whether rows were shown. The loop calls it unless it was called before (the TUI
/// does, so that asking the terminal about pictures waits behind the useful frame).
pub fn first_frames<B: LoopBackend>(terminal: &mut Terminal<B>, app: &mut App, ctx: &Context) -> io::Result<bool> {
    draw(terminal, app, &ctx.counters)?;
    if let (Some(store), true) = (&ctx.history, ctx.seed.is_empty())
        && let Ok(rows) = store.load_recent_within(RECENT_ROWS, RECENT_WINDOW)
        && !rows.is_empty()
    {
        app.update(Msg::HistoryRecent(rows), jiff::Timestamp::now());
        draw(terminal, app, &ctx.counters)?;
        return Ok(true);
    }
    Ok(false)
}

/// The first frames (see [`first_frames`]), then the workers, which read the rest of the
/// history without holding the UI up.
fn start<B: LoopBackend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    ctx: Context,
    msg_tx: &UnboundedSender<Msg>,
) -> io::Result<Workers> {
    let have_recent = match ctx.first_frames {
        Some(shown) => shown,
        None => first_frames(terminal, app, &ctx)?,
    };
    let store = ctx.history.clone();
    let history = history_worker::spawn(ctx.history, msg_tx.clone());
    if !ctx.seed.is_empty() {
        history.send(HistoryJob::Seed(ctx.seed));
    }
    history.send(HistoryJob::Load { max_entries: ctx.max_history, recent_first: !have_recent });
    // -- preview -- the app learns that pictures can be drawn with the first batch.
    let preview = ctx.preview.map(|setup| {
        let font = setup.graphics.font();
        let text_only = setup.graphics.is_text();
        let _ = msg_tx.send(Msg::PreviewSetup { font, max_bytes: setup.max_bytes, text_only });
        preview_worker::spawn(setup, msg_tx.clone())
    });
    let fetch = fetcher::spawn(ctx.client.clone(), msg_tx.clone());
    // Prompts of remembered tasks, for the lists' filter: read in the background.
    if let Some(tasks) = ctx.tasks.clone().filter(|t| t.dir().is_dir()) {
        let tx = msg_tx.clone();
        history.send(HistoryJob::Other(Box::new(move || {
            let known = known_prompts(&tasks);
            if !known.is_empty() {
                let _ = tx.send(Msg::KnownPrompts(known));
            }
        })));
    }
    let download_settings = DownloadSettings {
        client: ctx.client.clone(),
        dir: crate::download::target::choose_dir(ctx.download_dir.as_deref(), None),
        lower_priority: true,
    };
    Ok(Workers {
        download_settings,
        downloads: None,
        fetch,
        history,
        store,
        cache: ctx.cache,
        tasks: ctx.tasks,
        timers: HashMap::new(),
        msg_tx: msg_tx.clone(),
        disk_jobs: Vec::new(),
        preview,
        actions: actions::Actions::new(),
    })
}

enum Batch {
    Done,
    Quit,
}

/// Handles `first` and everything already queued behind it (keys of a burst included), so
/// that one frame follows the whole batch.
#[allow(clippy::too_many_arguments)]
async fn handle_batch<B, E, S>(
    first: Msg,
    terminal: &mut Terminal<B>,
    app: &mut App,
    msg_rx: &mut UnboundedReceiver<Msg>,
    events: &mut E,
    workers: &mut Workers,
    counters: &LoopCounters,
    on_suspend: &mut S,
) -> io::Result<Batch>
where
    B: LoopBackend,
    E: Stream<Item = io::Result<Event>> + Unpin,
    S: FnMut(&mut Terminal<B>) -> io::Result<()>,
{
    let mut pending = VecDeque::from([first]);
    // Keys handled in this batch, and whether the last message was one.
    let (mut keys, mut last_was_key) = (0usize, false);
    let batch_start = tokio::time::Instant::now();
    loop {
        let msg = match pending.pop_front() {
            Some(msg) => msg,
            None => match next_ready(msg_rx, events).await {
                Some(msg) => msg,
                None => {
                    // Deferred work (the list filter) runs once per batch; keys that arrived
                    // meanwhile join the batch rather than wait behind a frame.
                    app.update(Msg::Settle, jiff::Timestamp::now());
                    match next_ready(msg_rx, events).await {
                        Some(msg) => msg,
                        // Keys that came as a burst (a script, or a paste without bracketed
                        // paste) are likely to go on, say with the Enter after an ID: wait a
                        // moment for the rest rather than draw each piece. A person's keys come
                        // one at a time, and are drawn at once. (A lookup just started draws
                        // nothing anyway.)
                        None if keys > 1 && last_was_key && !app.is_loading() && batch_start.elapsed() < MAX_BURST => {
                            match burst_rest(msg_rx, events).await {
                                Some(msg) => msg?,
                                None => return Ok(Batch::Done),
                            }
                        }
                        None => return Ok(Batch::Done),
                    }
                }
            },
        };
        last_was_key = matches!(msg, Msg::Terminal(Event::Key(_) | Event::Paste(_)));
        keys += usize::from(last_was_key);
        counters.count_message(&msg);
        if is_suspend(&msg) {
            // Back from `fg`: a resize to the window's size now (it may have changed while we
            // were stopped) clears the screen and redraws it all.
            on_suspend(terminal)?;
            let (width, height) = B::size_now(terminal)?;
            pending.push_back(Msg::Terminal(Event::Resize(width, height)));
            continue;
        }
        if let Msg::Terminal(Event::Resize(width, height)) = msg {
            B::resize(terminal, width, height)?;
        }
        let effects = app.update(msg, jiff::Timestamp::now());
        if carry_out(effects, workers, &mut pending) {
            return Ok(Batch::Quit);
        }
    }
}

/// Starts or stops the spinner's timer, and draws the frame. A lookup that just started is not
/// drawn at once: most answers arrive within a frame, and then one frame shows the answer. The
/// spinner's first tick, a frame from now, draws the loading state if the answer is slower.
fn after_batch<B: LoopBackend>(
    terminal: &mut Terminal<B>,
    app: &App,
    spinner: &mut Option<tokio::time::Interval>,
    counters: &LoopCounters,
) -> io::Result<()> {
    let just_started = app.lookup_just_started() && spinner.is_none();
    *spinner = match (app.is_loading(), spinner.take()) {
        (true, Some(running)) => Some(running),
        (true, None) => {
            bump(&counters.timers_started);
            Some(new_spinner())
        }
        (false, _) => None,
    };
    if just_started { Ok(()) } else { draw(terminal, app, counters) }
}

fn draw<B: LoopBackend>(terminal: &mut Terminal<B>, app: &App, counters: &LoopCounters) -> io::Result<()> {
    B::draw_frame(terminal, app)?;
    bump(&counters.redraws);
    Ok(())
}

/// A message that is already waiting, without blocking. The event stream is polled with this
/// task's own waker: crossterm keeps the first waker it is given, so a throwaway one (as
/// `now_or_never` would pass) would lose the wake-up for the next key.
async fn next_ready<E>(msgs: &mut UnboundedReceiver<Msg>, events: &mut E) -> Option<Msg>
where
    E: Stream<Item = io::Result<Event>> + Unpin,
{
    if let Ok(msg) = msgs.try_recv() {
        return Some(msg);
    }
    std::future::poll_fn(|cx| match events.poll_next_unpin(cx) {
        Poll::Ready(Some(Ok(event))) => Poll::Ready(Some(Msg::Terminal(event))),
        // Nothing ready (or an input error, which a lasting fault repeats to the main select).
        Poll::Ready(_) | Poll::Pending => Poll::Ready(None),
    })
    .await
}

/// The next message, if one comes within `BURST_WAIT`.
async fn burst_rest<E>(msgs: &mut UnboundedReceiver<Msg>, events: &mut E) -> Option<io::Result<Msg>>
where
    E: Stream<Item = io::Result<Event>> + Unpin,
{
    let next = async {
        tokio::select! {
            biased;
            Some(msg) = msgs.recv() => Some(Ok(msg)),
            event = events.next() => event.map(|event| event.map(Msg::Terminal)),
        }
    };
    tokio::time::timeout(BURST_WAIT, next).await.unwrap_or(None)
}

fn is_suspend(msg: &Msg) -> bool {
    matches!(msg, Msg::Terminal(Event::Key(KeyEvent { code: KeyCode::Char('z'), modifiers, .. })) if modifiers.contains(KeyModifiers::CONTROL))
}

/// Returns true when the app asked to quit. A snapshot that is where its row says is read here
/// (one short read) so that it shows in the same frame as the Enter that asked for it; anything
/// slower is queued for the history worker, to start after the frame.
fn carry_out(effects: Vec<Effect>, workers: &mut Workers, pending: &mut VecDeque<Msg>) -> bool {
    for effect in effects {
        match effect {
            Effect::Fetch { request, asset_id } => {
                let _ = workers.fetch.send(FetchCommand::Lookup { request, asset_id });
            }
            Effect::Cancel { request } => {
                let _ = workers.fetch.send(FetchCommand::Cancel { request });
                if let Some(timer) = workers.timers.remove(&request) {
                    timer.abort();
                }
            }
            Effect::ReadCachedTask { task_id } => {
                // One small file: read here, so a remembered task shows in the same frame.
                let task = workers.tasks.as_ref().and_then(|cache| cache.load_task(&task_id).ok().flatten());
                pending.push_back(Msg::CachedTask { task_id, task: task.map(Box::new) });
            }
            Effect::FetchTask { request, task_id } => {
                let _ = workers.fetch.send(FetchCommand::Task { request, task_id });
            }
            Effect::StoreTask { task_id, raw } => {
                if let Some(cache) = workers.tasks.clone() {
                    workers.disk_jobs.push(HistoryJob::Other(Box::new(move || {
                        let _ = cache.store(&task_id, raw.as_str());
                    })));
                }
            }
            Effect::PollTaskAfter { request, delay } => {
                let tx = workers.msg_tx.clone();
                let timer = tokio::spawn(async move {
                    tokio::time::sleep(delay).await;
                    let _ = tx.send(Msg::PollTask { request });
                });
                workers.timers.retain(|_, t| !t.is_finished());
                workers.timers.insert(request, timer.abort_handle());
            }
            Effect::Record(entry) => workers.disk_jobs.push(HistoryJob::Append(entry)),
            Effect::ReadSnapshot { request, row } => {
                match workers.store.as_ref().and_then(|s| s.read_snapshot_in_place(&row)) {
                    Some(entry) => pending.push_back(Msg::Snapshot { request, result: Ok(entry) }),
                    None => workers.disk_jobs.push(HistoryJob::Read { request, row }),
                }
            }
            Effect::FetchPage { request, query } => {
                let _ = workers.fetch.send(FetchCommand::Page { request, query });
            }
            Effect::FetchAccounts { request } => {
                let _ = workers.fetch.send(FetchCommand::Accounts { request });
            }
            Effect::ReadCachedPage { account, filter } => {
                // A first page is small: read here, so it is drawn in the same frame as the key.
                let cached =
                    workers.cache.as_ref().and_then(|cache| read_cached_page(cache, account.as_deref(), filter));
                pending.push_back(Msg::CachedPage { account, filter, cached });
            }
            Effect::StoreCachedPage { account, filter, items } => {
                if let Some(cache) = workers.cache.clone() {
                    // Off the UI thread; a failure only means no instant first page next time.
                    workers.disk_jobs.push(HistoryJob::Other(Box::new(move || {
                        let items = items.iter().filter_map(|raw| serde_json::from_str(raw).ok()).collect();
                        let key = ListingKey::new(account.as_deref(), filter.label());
                        let _ = cache.store(&key, &CachedListing { saved_at: jiff::Timestamp::now(), items });
                    })));
                }
            }
            Effect::Quit => return true,
            // -- preview --
            Effect::LoadPreview { request, key, url, cells } => {
                send_preview(workers, PreviewCommand::Load { request, key, url, cells });
            }
            Effect::EncodePreview { request, image, cells } => {
                send_preview(workers, PreviewCommand::Encode { request, image, cells });
            }
            Effect::CancelPreview => send_preview(workers, PreviewCommand::Cancel),
            // -- copy, open, JSON view --
            Effect::Copy { what, text } => workers.actions.copy(what, &text, &workers.msg_tx),
            Effect::Open { url } => pending.push_back(workers.actions.open(&url, &workers.msg_tx)),
            // -- download --
            Effect::Download { job, asset_id, asset } => {
                let command =
                    DownloadCommand::Start(DownloadJob { job, asset_id, asset: Some(asset), skip_existing: false });
                match workers.download_worker() {
                    Ok(worker) => worker.send(command),
                    Err(e) => {
                        let outcome = Err(crate::download::DownloadError::Io {
                            action: "start the download thread for",
                            path: std::path::PathBuf::from("downloads"),
                            detail: e.to_string(),
                        });
                        pending.push_back(Msg::Download(DownloadEvent::Done { job, outcome }));
                    }
                }
            }
        }
    }
    false
}

fn send_preview(workers: &Workers, command: PreviewCommand) {
    if let Some(preview) = &workers.preview {
        let _ = preview.send(command);
    }
}

impl From<PreviewEvent> for Msg {
    fn from(event: PreviewEvent) -> Msg {
        let result = event.result.map(|picture| PictureReady {
            image: picture.image,
            encoded: picture.encoded,
            cells: picture.cells,
        });
        Msg::Preview { request: event.request, result }
    }
}

/// (asset ID, prompt) for every file of every remembered task.
fn known_prompts(tasks: &TaskCache) -> Vec<(String, String)> {
    let mut known = Vec::new();
    for raw in tasks.load_all() {
        let Ok(task) = Task::from_value(raw) else { continue };
        let Some(prompt) = task.prompt() else { continue };
        for artifact in &task.artifacts {
            if let Some(id) = &artifact.asset_id {
                known.push((id.clone(), prompt.to_string()));
            }
        }
    }
    known
}

/// A listing's cached first page, parsed as a page; an unreadable file counts as none (the next
/// fresh page replaces it).
fn read_cached_page(
    cache: &ListingCache,
    account: Option<&str>,
    filter: MediaFilter,
) -> Option<(jiff::Timestamp, Page)> {
    let listing = cache.load(&ListingKey::new(account, filter.label())).ok()??;
    let page = Page::from_value(serde_json::Value::Array(listing.items)).ok()?;
    Some((listing.saved_at, page))
}

/// The workers report in their own types; here they become the app's messages.
impl From<FetchEvent> for Msg {
    fn from(event: FetchEvent) -> Msg {
        match event {
            FetchEvent::Looked { request, asset_id, result } => Msg::Fetched { request, asset_id, result },
            FetchEvent::Listed { request, query, result } => Msg::Page { request, query, result },
            FetchEvent::Accounts { request, result } => Msg::Accounts { request, result },
            FetchEvent::Task { request, result } => Msg::Task { request, result },
        }
    }
}

impl From<DownloadEvent> for Msg {
    fn from(event: DownloadEvent) -> Msg {
        Msg::Download(event)
    }
}

impl Workers {
    /// The download worker, started on first use (an app that downloads nothing has no thread).
    fn download_worker(&mut self) -> io::Result<&DownloadWorker> {
        if self.downloads.is_none() {
            self.downloads = Some(DownloadWorker::spawn(self.download_settings.clone(), self.msg_tx.clone())?);
        }
        self.downloads.as_ref().ok_or_else(|| io::Error::other("no download worker"))
    }
}

impl From<HistoryEvent> for Msg {
    fn from(event: HistoryEvent) -> Msg {
        match event {
            HistoryEvent::Recent(rows) => Msg::HistoryRecent(rows),
            HistoryEvent::Loaded(result) => Msg::HistoryLoaded(result),
            HistoryEvent::Recorded(result) => Msg::Recorded(result),
            HistoryEvent::Snapshot { request, result } => Msg::Snapshot { request, result },
        }
    }
}

fn new_spinner() -> tokio::time::Interval {
    let first = tokio::time::Instant::now() + LOADING_FRAME_DELAY;
    let mut interval = tokio::time::interval_at(first, SPINNER_PERIOD);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    interval
}

async fn tick(spinner: &mut Option<tokio::time::Interval>) {
    match spinner {
        Some(interval) => {
            interval.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// SIGTERM and SIGHUP end the app like a quit, so the terminal is restored.
struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    hup: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Signals { term: signal(SignalKind::terminate()).ok(), hup: signal(SignalKind::hangup()).ok() }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    async fn recv(&mut self) {
        #[cfg(unix)]
        {
            let term = async {
                match &mut self.term {
                    Some(s) => s.recv().await,
                    None => std::future::pending().await,
                }
            };
            let hup = async {
                match &mut self.hup {
                    Some(s) => s.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! { _ = term => {}, _ = hup => {} }
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}
