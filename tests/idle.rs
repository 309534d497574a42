//! The idle property: while nothing happens the event loop draws nothing and arms no timer, at
//! start and after a lookup. Tokio's clock is paused, so any timer left armed would fire during
//! an hour of simulated idling; the loop's counters must not move. Counts, never timings.
//!
//! The history worker and the demo server run on their own threads, in real time. Waiting for
//! them uses short real sleeps plus yields, never paused sleeps: those would let tokio auto-advance
//! its clock while the server is still answering, so reqwest's timeouts (tokio timers) could fire
//! before the answer arrives.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures_util::Stream;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runway_assets::api::ClientOptions;
use runway_assets::app::App;
use runway_assets::config::Token;
use runway_assets::demo::{self, DemoServer};
use runway_assets::event_loop::{self, Context, LoopCounters, LoopStats};
use runway_assets::history::HistoryStore;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

const IDLE: Duration = Duration::from_secs(3600);

/// Everything a test keeps while the loop runs: its keyboard, its counters, the server and the
/// history folder (both must outlive the loop).
struct Rig {
    keys: UnboundedSender<io::Result<Event>>,
    counters: Arc<LoopCounters>,
    server: DemoServer,
    _dir: tempfile::TempDir,
}

impl Rig {
    fn key(&self, code: KeyCode, modifiers: KeyModifiers) {
        self.keys.send(Ok(Event::Key(KeyEvent::new(code, modifiers)))).unwrap();
    }

    fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c), KeyModifiers::NONE);
        }
    }

    fn ctrl_c(&self) {
        self.key(KeyCode::Char('c'), KeyModifiers::CONTROL);
    }

    fn stats(&self) -> LoopStats {
        self.counters.snapshot()
    }

    /// Lets the loop and the worker threads run until `done` holds. Real sleeps give the threads
    /// time; yields let the loop handle what they sent. Bounded by a count, not a clock.
    async fn wait_until(&self, what: &str, done: impl Fn(&LoopStats) -> bool) -> LoopStats {
        for _ in 0..15_000 {
            let stats = self.stats();
            if done(&stats) {
                return stats;
            }
            std::thread::sleep(Duration::from_millis(2));
            for _ in 0..10 {
                tokio::task::yield_now().await;
            }
        }
        panic!("gave up waiting for {what}: {:?}", self.stats());
    }

    /// Waits for the first frame and for the frame that shows the loaded history.
    async fn wait_for_history(&self) -> LoopStats {
        self.wait_until("the history to load", |s| s.history_results >= 1 && s.redraws >= 2).await
    }

    /// Idles for an hour of paused time and checks that the loop did nothing at all meanwhile.
    async fn idle_and_check(&self, before: LoopStats) {
        let start = tokio::time::Instant::now();
        tokio::time::sleep(IDLE).await;
        assert!(start.elapsed() >= IDLE, "the clock should have advanced through the idle hour");
        assert_eq!(self.stats(), before, "the loop did something while idle");
    }
}

/// A loop ready to run: a 120×40 test terminal, a channel for input, a history file in a fresh
/// folder and the embedded demo server as the API.
fn rig() -> (Rig, Terminal<TestBackend>, impl Stream<Item = io::Result<Event>> + Unpin, App, Context) {
    let dir = tempfile::tempdir().unwrap();
    let server = DemoServer::start().unwrap();
    let client = ClientOptions::new(&server.base_url(), Token::new(demo::DEMO_TOKEN));
    let counters = Arc::new(LoopCounters::default());
    let ctx = Context {
        client,
        history: Some(HistoryStore::new(dir.path().join("history.jsonl"))),
        seed: Vec::new(),
        max_history: 500,
        cache: None,
        tasks: None,
        counters: Arc::clone(&counters),
        preview: None,
        download_dir: None,
        first_frames: None,
    };
    let (keys, mut rx) = unbounded_channel();
    let events = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let app = App::new((120, 40), jiff::Timestamp::now(), runway_assets::app::StartupNotes::default());
    (Rig { keys, counters, server, _dir: dir }, terminal, events, app, ctx)
}

/// Ctrl-Z needs a real terminal; here it is only counted.
fn no_suspend(_: &mut Terminal<TestBackend>) -> io::Result<()> {
    Ok(())
}

fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    let symbols: Vec<&str> = buffer.content.iter().map(|cell| cell.symbol()).collect();
    symbols.chunks(width).map(|row| row.concat()).collect::<Vec<_>>().join("\n")
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn idle_after_start_draws_nothing_and_arms_no_timer() {
    let (rig, mut terminal, events, app, ctx) = rig();
    let (result, ()) = tokio::join!(event_loop::run(&mut terminal, events, app, ctx, no_suspend), async {
        let loaded = rig.wait_for_history().await;
        // The first frame, then one batch: the loaded history.
        assert_eq!((loaded.redraws, loaded.messages, loaded.timers_started), (2, 1, 0));
        rig.idle_and_check(loaded).await;
        rig.ctrl_c();
    });
    let stats = result.unwrap();
    assert_eq!(stats.timers_started, 0);
    assert_eq!(stats.ticks, 0);
    assert_eq!(rig.server.request_count(), 0, "nothing was looked up");
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn idle_after_a_lookup_draws_nothing_and_arms_no_timer() {
    let (rig, mut terminal, events, app, ctx) = rig();
    let (asset_id, _) = demo::samples()[0];
    let (result, ()) = tokio::join!(event_loop::run(&mut terminal, events, app, ctx, no_suspend), async {
        rig.wait_for_history().await;
        rig.type_text(asset_id);
        rig.key(KeyCode::Enter, KeyModifiers::NONE);
        // Done once the answer is shown and the history worker has recorded it.
        let done = rig.wait_until("the lookup", |s| s.fetch_results >= 1 && s.history_results >= 2).await;
        assert_eq!(done.fetch_results, 1);
        assert_eq!(done.timers_started, 1, "one spinner, for the lookup");
        assert_eq!(done.ticks, 0, "the clock stood still while waiting");
        // Frames: start, history, the answer, the record. The batch that typed the ID and
        // pressed Enter only started the lookup, and the answer came within a frame, so the
        // loading state was never drawn.
        assert_eq!(done.redraws, 4);
        assert_eq!(done.messages, 1 + asset_id.chars().count() as u64 + 1 + 2);
        // The HTTP client keeps its connection without a housekeeping timer
        // (`pool_idle_timeout(None)`), so nothing at all is armed while idle.
        rig.idle_and_check(done).await;
        rig.ctrl_c();
    });
    let stats = result.unwrap();
    assert_eq!(stats.timers_started, 1);
    assert_eq!(rig.server.request_count(), 1);
    let screen = screen_text(&terminal);
    assert!(screen.contains("fresh from the server"), "the asset should be on screen:\n{screen}");
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_burst_of_keys_is_drawn_once() {
    let (rig, mut terminal, events, app, ctx) = rig();
    let (result, ()) = tokio::join!(event_loop::run(&mut terminal, events, app, ctx, no_suspend), async {
        let loaded = rig.wait_for_history().await;
        // Keys that arrive together, as from a script: the loop takes them and waits a moment
        // for the rest. Yields let it run without advancing the paused clock.
        rig.type_text("rac");
        yields().await;
        assert_eq!(rig.stats().redraws, loaded.redraws, "nothing drawn while the burst may go on");
        rig.type_text("e");
        yields().await;
        assert_eq!(rig.stats().redraws, loaded.redraws, "a key within the wait joins the burst");
        // The burst is over once the wait has passed: one frame for all of it.
        tokio::time::sleep(Duration::from_millis(5)).await;
        let burst = rig.stats();
        assert_eq!((burst.redraws, burst.messages), (loaded.redraws + 1, loaded.messages + 4));
        // A key on its own, as a person types, is drawn at once.
        rig.type_text("x");
        yields().await;
        assert_eq!(rig.stats().redraws, burst.redraws + 1);
        rig.ctrl_c();
    });
    result.unwrap();
    let screen = screen_text(&terminal);
    assert!(screen.contains("racex"), "the typed text should be on screen:\n{screen}");
}

async fn yields() {
    for _ in 0..20 {
        tokio::task::yield_now().await;
    }
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn ctrl_c_ends_the_loop() {
    let (rig, mut terminal, events, app, ctx) = rig();
    rig.ctrl_c();
    let stats = event_loop::run(&mut terminal, events, app, ctx, no_suspend).await.unwrap();
    assert_eq!(stats.redraws, 1, "only the first frame: quitting draws nothing more");
    assert_eq!(stats.timers_started, 0);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn ctrl_z_goes_to_the_suspend_hook() {
    let (rig, mut terminal, events, app, ctx) = rig();
    let suspended = std::cell::Cell::new(0);
    let on_suspend = |_: &mut Terminal<TestBackend>| {
        suspended.set(suspended.get() + 1);
        Ok(())
    };
    let (result, ()) = tokio::join!(event_loop::run(&mut terminal, events, app, ctx, on_suspend), async {
        let loaded = rig.wait_for_history().await;
        rig.key(KeyCode::Char('z'), KeyModifiers::CONTROL);
        rig.wait_until("Ctrl-Z", |s| s.messages > loaded.messages).await;
        rig.ctrl_c();
    });
    result.unwrap();
    assert_eq!(suspended.get(), 1);
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn the_end_of_input_ends_the_loop() {
    let (rig, mut terminal, events, app, ctx) = rig();
    // With its only sender gone the input stream ends, as when the terminal goes away.
    drop(rig.keys);
    // Ok, whether or not the history's answer came in first (it is handled before input).
    // Bounded, so a loop that fails to end fails the test instead of hanging it.
    let run = event_loop::run(&mut terminal, events, app, ctx, no_suspend);
    tokio::time::timeout(Duration::from_secs(60), run).await.expect("the loop ends when its input ends").unwrap();
}

/// The polling rule through the real loop, on tokio's paused clock: a running task on screen is
/// read again every 5 s (not sooner), and not at all once it has left the screen. The clock is
/// only moved by hand while no request is in flight, so no HTTP timeout can fire early.
#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_running_task_is_read_every_5_s_while_shown_and_never_after() {
    let (rig, mut terminal, events, app, ctx) = rig();
    let (result, ()) = tokio::join!(event_loop::run(&mut terminal, events, app, ctx, no_suspend), async {
        rig.wait_for_history().await;
        rig.type_text(demo::TASK_RUNNING);
        rig.key(KeyCode::Enter, KeyModifiers::NONE);
        // Each read is answered and handled (a fetch result) before the clock moves on.
        rig.wait_until("the first answer", |s| s.fetch_results == 1).await;
        assert_eq!(rig.server.request_count(), 1);
        // 4.9 s on: not yet.
        tokio::time::advance(Duration::from_millis(4_900)).await;
        yields().await;
        std::thread::sleep(Duration::from_millis(50));
        yields().await;
        assert_eq!(rig.server.request_count(), 1, "read again before 5 s");
        // At 5 s: one more read, and only one.
        tokio::time::advance(Duration::from_millis(200)).await;
        rig.wait_until("the second answer", |s| s.fetch_results == 2).await;
        tokio::time::advance(Duration::from_millis(5_100)).await;
        rig.wait_until("the third answer", |s| s.fetch_results == 3).await;
        assert_eq!(rig.server.request_count(), 3);
        // Leave the task: open a sample asset instead (one request), then let a minute pass.
        rig.key(KeyCode::Char('u'), KeyModifiers::CONTROL);
        rig.type_text(demo::samples()[2].0);
        rig.key(KeyCode::Enter, KeyModifiers::NONE);
        rig.wait_until("the asset's lookup", |s| s.fetch_results == 4).await;
        for _ in 0..12 {
            tokio::time::advance(Duration::from_secs(5)).await;
            yields().await;
        }
        std::thread::sleep(Duration::from_millis(100));
        yields().await;
        assert_eq!(rig.server.request_count(), 4, "the task was read again after it left the screen");
        rig.ctrl_c();
    });
    result.unwrap();
    let screen = screen_text(&terminal);
    assert!(screen.contains("narration"), "the audio sample should be on screen:\n{screen}");
}
