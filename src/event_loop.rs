//! The event loop: terminal input, fetch results and history results become messages for
//! `App::update`, whose effects are handed to the fetch task and the history worker. Queued
//! messages are all handled before one redraw; nothing wakes the loop while nothing happens
//! (the spinner's timer exists only while a lookup is in flight). The loop is generic over the
//! ratatui backend and the source of terminal events, so tests drive it with a `TestBackend` and
//! a channel, and watch its `LoopCounters` while it runs.

use std::collections::VecDeque;
use std::io;
use std::sync::Arc;

use std::task::Poll;
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::api::ClientOptions;
use crate::app::{App, Detail, Effect, Msg};
use crate::workers::fetch::{self as fetcher, FetchCommand};

use crate::history::{HistoryEntry, HistoryStore};
use crate::workers::history::{self as history_worker, HistoryJob};
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
    /// What the loop did so far; keep a clone to watch a running loop.
    pub counters: Arc<LoopCounters>,
}

/// Runs the app until it quits, the event source ends, or SIGTERM/SIGHUP arrive.
///
/// `events` is the terminal's input (`tty_events::TtyEvents` for real); `on_suspend` handles
/// Ctrl-Z (`terminal::suspend` for real: it needs the real terminal). Returns the final counts.
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
    let counters = ctx.counters;
    let (msg_tx, mut msg_rx) = unbounded_channel::<Msg>();
    // First frame before any history or network work.
    draw(terminal, &app, &counters)?;

    // Then the newest rows, read from the end of the file right here (one bounded read), and a
    // second frame showing them; the worker reads the rest without holding the UI up.
    let mut have_recent = false;
    if let (Some(store), true) = (&ctx.history, ctx.seed.is_empty())
        && let Ok(rows) = store.load_recent_within(RECENT_ROWS, RECENT_WINDOW)
        && !rows.is_empty()
    {
        app.update(Msg::HistoryRecent(rows), jiff::Timestamp::now());
        draw(terminal, &app, &counters)?;
        have_recent = true;
    }
    let store = ctx.history.clone();
    let history = history_worker::spawn(ctx.history, msg_tx.clone());
    if !ctx.seed.is_empty() {
        history.send(HistoryJob::Seed(ctx.seed));
    }
    history.send(HistoryJob::Load { max_entries: ctx.max_history, recent_first: !have_recent });
    let fetch = fetcher::spawn(ctx.client, msg_tx.clone());
    let mut signals = Signals::new();
    let mut spinner: Option<tokio::time::Interval> = None;
    let mut disk_jobs: Vec<HistoryJob> = Vec::new();

    let outcome = 'outer: loop {
        let first = tokio::select! {
            biased;
            Some(msg) = msg_rx.recv() => msg,
            event = events.next() => match event {
                Some(Ok(event)) => Msg::Terminal(event),
                Some(Err(e)) => break 'outer Err(e),
                None => break 'outer Ok(()),
            },
            _ = signals.recv() => break 'outer Ok(()),
            _ = tick(&mut spinner) => Msg::Tick,
        };
        let mut pending = VecDeque::from([first]);
        // Keys handled in this batch, and whether the last message was one.
        let (mut keys, mut last_was_key) = (0usize, false);
        let batch_start = tokio::time::Instant::now();
        // Handle everything already queued, then draw once.
        'batch: loop {
            let msg = match pending.pop_front() {
                Some(msg) => msg,
                None => match next_ready(&mut msg_rx, &mut events).await {
                    Some(msg) => msg,
                    None => {
                        // Deferred work (the history filter) runs once per batch; keys that
                        // arrived meanwhile join the batch rather than wait behind a frame.
                        app.settle();
                        match next_ready(&mut msg_rx, &mut events).await {
                            Some(msg) => msg,
                            // Keys that came as a burst (a script, or a paste without bracketed
                            // paste) are likely to go on, say with the Enter after an ID: wait a
                            // moment for the rest rather than draw each piece. A person's keys
                            // come one at a time, and are drawn at once. (A lookup just started
                            // draws nothing anyway.)
                            None if keys > 1
                                && last_was_key
                                && !app.is_loading()
                                && batch_start.elapsed() < MAX_BURST =>
                            {
                                match burst_rest(&mut msg_rx, &mut events).await {
                                    Some(Ok(msg)) => msg,
                                    Some(Err(e)) => break 'outer Err(e),
                                    None => break 'batch,
                                }
                            }
                            None => break 'batch,
                        }
                    }
                },
            };
            last_was_key = matches!(msg, Msg::Terminal(Event::Key(_) | Event::Paste(_)));
            keys += usize::from(last_was_key);
            counters.count_message(&msg);
            if is_suspend(&msg) {
                // Back from `fg`: a resize to the window's size now (it may have changed while
                // we were stopped) clears the screen and redraws it all.
                match on_suspend(terminal).and_then(|()| B::size_now(terminal)) {
                    Ok((width, height)) => pending.push_back(Msg::Terminal(Event::Resize(width, height))),
                    Err(e) => break 'outer Err(e),
                }
                continue;
            }
            if let Msg::Terminal(Event::Resize(width, height)) = msg
                && let Err(e) = B::resize(terminal, width, height)
            {
                break 'outer Err(e);
            }
            let effects = app.update(msg, jiff::Timestamp::now());
            if carry_out(effects, &fetch, store.as_ref(), &mut pending, &mut disk_jobs) {
                break 'outer Ok(());
            }
        }
        // A lookup that just started is not drawn at once: most answers arrive within a frame,
        // and then one frame shows the answer. The spinner's first tick, a frame from now,
        // draws the loading state if the answer is slower.
        let just_started = app.is_loading() && spinner.is_none() && matches!(app.detail, Detail::Loading { .. });
        spinner = match (app.is_loading(), spinner.take()) {
            (true, Some(running)) => Some(running),
            (true, None) => {
                bump(&counters.timers_started);
                Some(new_spinner())
            }
            (false, _) => None,
        };
        let drawn = if just_started { Ok(()) } else { draw(terminal, &app, &counters) };
        // Disk work starts once the frame is out, so the worker's wake-up and fsync don't
        // compete with drawing an answer.
        for job in disk_jobs.drain(..) {
            history.send(job);
        }
        if let Err(e) = drawn {
            break 'outer Err(e);
        }
    };
    // Lookups recorded in the last batch, and any still being written, reach the file before
    // the app exits; with the UI gone the worker skips reads.
    drop(msg_rx);
    for job in disk_jobs {
        history.send(job);
    }
    history.finish(QUIT_WAIT);
    outcome.map(|()| counters.snapshot())
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
/// slower is queued in `disk_jobs` for the history worker.
fn carry_out(
    effects: Vec<Effect>,
    fetch: &UnboundedSender<FetchCommand>,
    store: Option<&HistoryStore>,
    pending: &mut VecDeque<Msg>,
    disk_jobs: &mut Vec<HistoryJob>,
) -> bool {
    for effect in effects {
        match effect {
            Effect::Fetch { request, asset_id } => {
                let _ = fetch.send(FetchCommand::Lookup { request, asset_id });
            }
            Effect::Cancel { request } => {
                let _ = fetch.send(FetchCommand::Cancel { request });
            }
            Effect::Record(entry) => disk_jobs.push(HistoryJob::Append(entry)),
            Effect::ReadSnapshot { request, row } => match store.and_then(|s| s.read_snapshot_in_place(&row)) {
                Some(entry) => pending.push_back(Msg::Snapshot { request, result: Ok(entry) }),
                None => disk_jobs.push(HistoryJob::Read { request, row }),
            },
            Effect::Quit => return true,
        }
    }
    false
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
