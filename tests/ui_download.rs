//! The status line while downloads run, pinned with snapshots: the progress (name, bytes of the
//! total, speed, time left, how many more), a message after it, and the quit question before it.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runway_assets::api::client::Fetched;
use runway_assets::api::{ApiError, Asset};
use runway_assets::app::{App, Effect, Msg, StartupNotes};
use runway_assets::download::{DownloadError, DownloadEvent, Progress};
use runway_assets::ui;

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now())
}

/// The last line of the screen, as drawn.
fn status_line(app: &mut App) -> String {
    app.update(Msg::Settle, now());
    let (w, h) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::draw(f, app)).unwrap();
    terminal.backend().to_string().lines().last().unwrap().to_string()
}

/// An app showing `name`, with its download started; returns the job.
fn downloading(app: &mut App, id: &str, name: &str) -> u64 {
    app.update(Msg::Terminal(Event::Paste(id.into())), now());
    let effects = key(app, KeyCode::Enter);
    let request =
        effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None });
    let raw = serde_json::json!({ "name": name, "url": "https://cdn.example/x", "fileSize": 200_000_000 });
    let result = Box::new(Ok::<_, ApiError>(Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw }));
    app.update(Msg::Fetched { request: request.unwrap(), asset_id: id.into(), result }, now());
    key(app, KeyCode::Tab);
    let job = match key(app, KeyCode::Char('d')).as_slice() {
        [Effect::Download { job, .. }] => *job,
        other => panic!("{other:?}"),
    };
    app.update(
        Msg::Download(DownloadEvent::Started { job, file_name: format!("{name}.mp4"), total: Some(200_000_000) }),
        now(),
    );
    job
}

#[test]
fn progress_a_message_and_the_quit_question() {
    let mut app = App::new((120, 30), now(), StartupNotes::default());
    let job = downloading(&mut app, "id-1", "Coastal drone");
    let progress = Progress { job, received: 52_400_000, total: Some(200_000_000), bytes_per_sec: 41_000_000 };
    app.update(Msg::Download(DownloadEvent::Progress(vec![progress])), now());
    let running = status_line(&mut app);
    let second = downloading(&mut app, "id-2", "Street interview");
    let outcome = Err(DownloadError::Host("the file host answered 404 Not Found".into()));
    app.update(Msg::Download(DownloadEvent::Done { job: second, outcome }), now());
    let with_error = status_line(&mut app);
    key(&mut app, KeyCode::Char('q'));
    let asking = status_line(&mut app);
    key(&mut app, KeyCode::Char('j'));
    let went_on = status_line(&mut app);
    insta::assert_snapshot!(format!("{running}\n{with_error}\n{asking}\n{went_on}"));
}
