//! The event loop: terminal input, fetch results and history results become messages for
//! `App::update`, whose effects are handed to the fetch task and the history worker. Queued
//! messages are all handled before one redraw; nothing wakes the loop while nothing happens
//! (the spinner's timer exists only while a lookup is in flight).

use std::io;
use std::sync::mpsc::Sender;
use std::time::Duration;

use crossterm::event::{Event, EventStream, KeyCode, KeyEvent, KeyModifiers};
use std::task::Poll;

use futures_util::StreamExt;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::api::ClientOptions;
use crate::app::{App, Effect, Msg};
use crate::fetcher::{self, FetchCommand};
use crate::history::{HistoryEntry, HistoryStore};
use crate::history_worker::{self, HistoryJob};
use crate::{terminal, ui};

const SPINNER_PERIOD: Duration = Duration::from_millis(100);

/// What the loop needs besides the app: where the API is, and where history lives.
pub struct Context {
    pub client: ClientOptions,
    pub history: Option<HistoryStore>,
    /// Entries to write before loading (the demo's sample history).
    pub seed: Vec<HistoryEntry>,
    pub max_history: usize,
}

/// Counts what the loop did, so tests can check that idling does nothing.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LoopStats {
    pub redraws: u64,
    pub messages: u64,
}

pub async fn run(terminal: &mut DefaultTerminal, mut app: App, ctx: Context) -> io::Result<LoopStats> {
    let mut stats = LoopStats::default();
    let (msg_tx, mut msg_rx) = unbounded_channel::<Msg>();
    // First frame before any history or network work.
    draw(terminal, &app, &mut stats)?;

    let history = history_worker::spawn(ctx.history, msg_tx.clone());
    if !ctx.seed.is_empty() {
        let _ = history.send(HistoryJob::Seed(ctx.seed));
    }
    let _ = history.send(HistoryJob::Load { max_entries: ctx.max_history });
    let fetch = fetcher::spawn(ctx.client, msg_tx.clone());
    let mut events = EventStream::new();
    let mut signals = Signals::new();
    let mut spinner: Option<tokio::time::Interval> = None;

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
        let mut pending = Some(first);
        // Handle everything already queued, then draw once.
        loop {
            let msg = match pending.take() {
                Some(msg) => msg,
                None => match next_ready(&mut msg_rx, &mut events).await {
                    Some(msg) => msg,
                    None => break,
                },
            };
            stats.messages += 1;
            if is_suspend(&msg) {
                terminal::suspend(terminal)?;
                continue;
            }
            let effects = app.update(msg, jiff::Timestamp::now());
            if carry_out(effects, &fetch, &history) {
                break 'outer Ok(());
            }
        }
        spinner = match (app.is_loading(), spinner.take()) {
            (true, Some(running)) => Some(running),
            (true, None) => Some(new_spinner()),
            (false, _) => None,
        };
        draw(terminal, &app, &mut stats)?;
    };
    outcome.map(|()| stats)
}

fn draw(terminal: &mut DefaultTerminal, app: &App, stats: &mut LoopStats) -> io::Result<()> {
    use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
    // Synchronized updates keep terminals from showing half a frame.
    crossterm::queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|frame| ui::draw(frame, app))?;
    crossterm::execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    stats.redraws += 1;
    Ok(())
}

/// A message that is already waiting, without blocking. The event stream is polled with this
/// task's own waker: crossterm keeps the first waker it is given, so a throwaway one (as
/// `now_or_never` would pass) would lose the wake-up for the next key.
async fn next_ready(msgs: &mut UnboundedReceiver<Msg>, events: &mut EventStream) -> Option<Msg> {
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

fn is_suspend(msg: &Msg) -> bool {
    matches!(msg, Msg::Terminal(Event::Key(KeyEvent { code: KeyCode::Char('z'), modifiers, .. })) if modifiers.contains(KeyModifiers::CONTROL))
}

/// Returns true when the app asked to quit.
fn carry_out(effects: Vec<Effect>, fetch: &UnboundedSender<FetchCommand>, history: &Sender<HistoryJob>) -> bool {
    for effect in effects {
        match effect {
            Effect::Fetch { request, asset_id } => {
                let _ = fetch.send(FetchCommand::Lookup { request, asset_id });
            }
            Effect::Cancel { request } => {
                let _ = fetch.send(FetchCommand::Cancel { request });
            }
            Effect::Record(entry) => {
                let _ = history.send(HistoryJob::Append(entry));
            }
            Effect::ReadSnapshot { request, row } => {
                let _ = history.send(HistoryJob::Read { request, row });
            }
            Effect::Quit => return true,
        }
    }
    false
}

fn new_spinner() -> tokio::time::Interval {
    let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + SPINNER_PERIOD, SPINNER_PERIOD);
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
