//! Idle with a picture on screen: once the picture has arrived and been drawn, an hour of paused
//! time passes with no frame, no message and no timer (counts, never timings). The picture comes
//! from the demo's file host through the real worker, as half blocks.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runway_assets::api::ClientOptions;
use runway_assets::api::files::FileClient;
use runway_assets::app::App;
use runway_assets::config::Token;
use runway_assets::demo::{self, DemoServer};
use runway_assets::event_loop::{self, Context, LoopCounters, LoopStats};
use runway_assets::preview::Graphics;
use runway_assets::workers::preview::PreviewSetup;
use tokio::sync::mpsc::unbounded_channel;

const IDLE: Duration = Duration::from_secs(3600);

/// Lets the loop and the threads run until `done` holds (real sleeps for the server's thread,
/// yields for the loop); bounded by a count, not a clock.
async fn wait_until(counters: &LoopCounters, what: &str, done: impl Fn(&LoopStats) -> bool) -> LoopStats {
    for _ in 0..15_000 {
        let stats = counters.snapshot();
        if done(&stats) {
            return stats;
        }
        std::thread::sleep(Duration::from_millis(2));
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
    }
    panic!("gave up waiting for {what}: {:?}", counters.snapshot());
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn idle_with_a_picture_on_screen_draws_nothing_and_arms_no_timer() {
    let server = DemoServer::start().unwrap();
    let counters = Arc::new(LoopCounters::default());
    let token = Token::new(demo::DEMO_TOKEN);
    let ctx = Context {
        client: ClientOptions::new(&server.base_url(), token.clone()),
        history: None,
        seed: Vec::new(),
        max_history: 500,
        cache: None,
        tasks: None,
        counters: Arc::clone(&counters),
        download_dir: None,
        first_frames: None,
        preview: Some(PreviewSetup {
            files: FileClient::new(&server.base_url(), token),
            cache: None,
            graphics: Graphics::Halfblocks,
            max_bytes: 16 << 20,
        }),
    };
    let (keys, mut rx) = unbounded_channel::<io::Result<Event>>();
    let events = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let app = App::new((120, 40), jiff::Timestamp::now(), runway_assets::app::StartupNotes::default());
    let press = |code| keys.send(Ok(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))).unwrap();
    let id = demo::samples().into_iter().find(|(_, j)| j.contains("Race car")).unwrap().0;
    let (result, ()) = tokio::join!(event_loop::run(&mut terminal, events, app, ctx, |_| Ok(())), async {
        wait_until(&counters, "the first frame", |s| s.redraws >= 1).await;
        for c in id.chars() {
            press(KeyCode::Char(c));
        }
        press(KeyCode::Enter);
        // The sample is an upload: no task to fetch. Once the picture is in, nothing is left.
        // (The history worker answers twice: its load, then the lookup recorded.)
        let before = wait_until(&counters, "the picture", |s| {
            s.fetch_results >= 1 && s.preview_results >= 1 && s.history_results >= 2
        })
        .await;
        let start = tokio::time::Instant::now();
        tokio::time::sleep(IDLE).await;
        assert!(start.elapsed() >= IDLE);
        assert_eq!(counters.snapshot(), before, "the loop did something while idle with a picture shown");
        keys.send(Ok(Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)))).unwrap();
    });
    let stats = result.unwrap();
    assert_eq!(stats.preview_results, 1, "one picture, fetched once");
    let screen: String = terminal.backend().buffer().content.iter().map(|c| c.symbol()).collect();
    assert!(screen.matches('▄').count() + screen.matches('▀').count() > 100, "the picture is on screen");
    assert_eq!(server.file_requests_with_token(), 0);
}
