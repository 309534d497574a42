//! The real binary in a pseudo-terminal against the embedded server, used as a person would:
//! type an ID, read the detail, quit, start again, find it in the history, reopen it.

mod common;

use common::{Tui, eventually};
use runway_assets::demo::{self, DemoServer};

fn video_sample() -> (&'static str, &'static str) {
    demo::samples().into_iter().find(|(_, json)| json.contains("\"dimensions\"")).unwrap()
}

const TOKEN: &str = "user:42-secret-token";

/// The embedded server standing in for the real API.
struct Api {
    server: DemoServer,
    base: String,
}

impl Api {
    fn start() -> Api {
        let server = DemoServer::start().unwrap();
        let base = server.base_url();
        Api { server, base }
    }

    /// The environment that points the app at this server.
    fn env(&self) -> [(&'static str, &str); 2] {
        [("USEAPI_TOKEN", TOKEN), ("USEAPI_BASE_URL", &self.base)]
    }

    /// The app against this server, with nothing in its history yet.
    fn open_fresh(&self, home: &std::path::Path) -> Tui {
        let tui = Tui::start(&[], &self.env(), home);
        tui.wait_for_text("No lookups yet");
        tui
    }
}

#[test]
fn look_up_quit_restart_and_reopen_from_history() {
    let home = tempfile::tempdir().unwrap();
    let api = Api::start();
    let (id, _) = video_sample();

    // First run: nothing in history yet; look the video up.
    let mut tui = api.open_fresh(home.path());
    tui.send(id);
    tui.send("\r");
    let screen = tui.wait_for_text("1280×768");
    assert!(screen.contains("6.89 MB (6,893,401 bytes)"), "{screen}");
    assert!(screen.contains("0:10.5"), "{screen}");
    assert!(screen.contains("24 fps"), "{screen}");
    tui.wait_for_text("History (1)");
    tui.send("\x03");
    assert!(tui.wait_exit(), "Ctrl-C exits cleanly");

    let history = home.path().join(".config/runway-assets/history.jsonl");
    let text = std::fs::read_to_string(&history).unwrap();
    assert_eq!(text.lines().count(), 1);
    assert!(text.contains(id));
    assert!(!text.contains("secret-token"), "the token never reaches the history");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&history).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    // Second run: the asset is in the history; Tab to it and press Enter to reopen.
    let before = api.server.request_count();
    let mut tui = Tui::start(&[], &api.env(), home.path());
    tui.wait_for_text("Gen-3 Alpha Turbo");
    tui.send("\t");
    tui.send("\r");
    tui.wait_for_text("1280×768");
    eventually("the reopened asset to be fetched afresh", || api.server.request_count() > before);
    tui.wait_for_text("fresh from the server");
    tui.send("q");
    assert!(tui.wait_exit(), "q outside the input quits");
}

#[test]
fn reopening_offline_shows_the_stored_copy_and_why_it_is_not_fresh() {
    let home = tempfile::tempdir().unwrap();
    let (id, _) = video_sample();
    {
        let api = Api::start();
        let out = std::process::Command::new(common::BIN)
            .args(["get", id])
            .envs(api.env())
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join(".config"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    // The server is gone now: the stored snapshot still shows, marked as stored.
    let env = [("USEAPI_TOKEN", TOKEN), ("USEAPI_BASE_URL", "http://127.0.0.1:9")];
    let mut tui = Tui::start(&["--retries", "0"], &env, home.path());
    tui.wait_for_text("Gen-3 Alpha Turbo");
    tui.send("\t\r");
    let screen = tui.wait_for_text("Could not refresh");
    assert!(screen.contains("stored copy from"), "{screen}");
    assert!(screen.contains("1280×768"), "{screen}");
    tui.send("\x03");
    assert!(tui.wait_exit());
}

#[test]
fn demo_mode_needs_no_token_and_opens_a_sample() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = Tui::start(&["--demo"], &[], home.path());
    tui.wait_for_text("History (");
    tui.send("\t\r");
    tui.wait_for_text("fresh from the server");
    tui.send("\x03");
    assert!(tui.wait_exit());
    assert!(
        !home.path().join(".config/runway-assets/history.jsonl").exists(),
        "the demo never writes the real history"
    );
}

#[test]
fn errors_show_as_sentences_and_the_app_keeps_working() {
    let home = tempfile::tempdir().unwrap();
    let api = Api::start();
    let mut tui = api.open_fresh(home.path());
    tui.send(demo::ID_NOT_FOUND);
    tui.send("\r");
    tui.wait_for_text("No asset with this ID (404)");
    tui.send("\x15"); // Ctrl-U clears the input
    tui.wait_for_text("Paste an assetId");
    tui.send(demo::ID_SERVER_ERROR);
    tui.send("\r");
    tui.wait_for_text("HTML error page");
    // A slow lookup shows its loading state, and Esc abandons it.
    tui.send("\x15");
    tui.send(demo::ID_SLOW);
    tui.send("\r");
    tui.wait_for_text("Looking up");
    tui.send("\x1b");
    tui.wait_for_text("Stopped looking up");
    tui.send("\x03");
    assert!(tui.wait_exit());
}

#[cfg(unix)]
#[test]
fn quitting_the_moment_the_answer_shows_still_saves_it() {
    let home = tempfile::tempdir().unwrap();
    let api = Api::start();
    let (id, _) = video_sample();
    let mut tui = api.open_fresh(home.path());
    // Another copy holds the history's lock, so the write has to wait for it.
    let dir = home.path().join(".config/runway-assets");
    std::fs::create_dir_all(&dir).unwrap();
    let lock =
        std::fs::OpenOptions::new().write(true).create(true).truncate(false).open(dir.join("history.jsonl.lock"));
    let lock = lock.unwrap();
    lock.lock().unwrap();
    tui.send(id);
    tui.send("\r");
    tui.wait_for_text("1280×768");
    // Quit while the write waits; then the other copy lets go. Quitting must not drop the write.
    tui.send("\x03");
    lock.unlock().unwrap();
    assert!(tui.wait_exit(), "Ctrl-C exits cleanly");
    let text = std::fs::read_to_string(dir.join("history.jsonl")).unwrap();
    assert_eq!(text.lines().count(), 1, "the lookup is in the history: {text}");
    assert!(text.contains(id));
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for signal in [libc::SIGTERM, libc::SIGHUP] {
        let home = tempfile::tempdir().unwrap();
        let mut tui = Tui::start(&["--demo"], &[], home.path());
        tui.wait_for_text("History (");
        assert!(tui.alternate_screen(), "the TUI draws on the alternate screen");
        let pid = tui.pid().unwrap() as i32;
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
        tui.wait_exit();
        eventually("the app to leave the alternate screen", || !tui.alternate_screen());
        assert!(!tui.cursor_hidden(), "the cursor is visible again after signal {signal}");
        assert!(!tui.mouse_captured(), "mouse capture is off after signal {signal}");
    }
}

#[test]
fn a_huge_paste_with_newlines_and_controls_stays_responsive() {
    let home = tempfile::tempdir().unwrap();
    let mut tui = Tui::start(&["--demo"], &[], home.path());
    tui.wait_for_text("History (");
    let junk = "ab\n\tc\u{1b}[31m".repeat(100_000); // ~1 MB with newlines, tabs and escapes
    tui.send(&format!("\u{1b}[200~{junk}\u{1b}[201~"));
    tui.wait_for_text("cut to 4096 characters");
    tui.send("\x15");
    tui.wait_for_text("Paste an assetId");
    tui.send(demo::ID_NOT_FOUND);
    tui.send("\r");
    tui.wait_for_text("No asset with this ID (404)");
    tui.send("\x03");
    assert!(tui.wait_exit());
}

/// A new user with a token: `2` lists the account's newest assets, scrolling pages through
/// hundreds of them, `t` narrows to videos, Enter opens one afresh and it is then in History;
/// the first page is cached for next time, without the token; the chooser shows the linked
/// accounts' emails and never their secrets.
#[test]
fn browse_the_account_page_through_filter_open_and_find_it_in_history() {
    let home = tempfile::tempdir().unwrap();
    let api = Api::start();
    let mut env = api.env().to_vec();
    env.push(("USEAPI_ACCOUNT", demo::DEMO_ACCOUNT));
    let mut tui = Tui::start(&[], &env, home.path());
    tui.wait_for_text("No lookups yet");

    tui.send("\t2");
    let screen = tui.wait_for_text("Race car.jpg");
    assert!(screen.contains("demo@example.com · all"), "the title names the account and the filter:\n{screen}");
    assert!(screen.contains("from the Account list"), "the selected row's detail shows at once:\n{screen}");

    // Scroll to the end again and again: pages load ahead until the API's ceiling.
    let start = std::time::Instant::now();
    while !tui.screen().contains("only the newest 1,050") {
        assert!(start.elapsed() < common::DEADLINE, "paging never reached the ceiling:\n{}", tui.screen());
        tui.send("G");
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    assert!(tui.screen().contains("(1,050)"), "the title counts what is listed");

    // Videos only: its own listing, from its first page.
    tui.send("t");
    let list_part = |screen: &str| -> String {
        screen.lines().skip(5).take(8).map(|l| l.chars().take(47).collect::<String>()).collect::<Vec<_>>().join("\n")
    };
    let screen = tui.wait_for("the first videos", |s| s.contains("· video") && list_part(s).contains(" video "));
    let listed = list_part(&screen);
    assert!(!listed.contains(" image ") && !listed.contains(" audio "), "only videos:\n{screen}");

    // Enter opens the selected video afresh, and it lands in History.
    tui.send("\r");
    tui.wait_for_text("fresh from the server");
    tui.send("1");
    tui.wait_for_text("1 History (1)");

    // The first pages were kept in the cache dir, 0600, without the token.
    let cache = home.path().join(".cache/runway-assets");
    let listing_files = || -> Vec<std::path::PathBuf> {
        let Ok(dir) = std::fs::read_dir(&cache) else { return vec![] };
        dir.map(|e| e.unwrap().path()).filter(|p| p.is_file() && p.to_string_lossy().contains("listing-")).collect()
    };
    eventually("the cached first pages", || listing_files().len() >= 2);
    let tasks = std::fs::read_dir(cache.join("tasks"))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_else(|_| vec![]);
    for path in listing_files().into_iter().chain(tasks) {
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains(TOKEN), "{} holds the token", path.display());
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600, "{}", path.display());
    }

    // The chooser lists the linked accounts, the broken one marked, and no secret.
    tui.send("a");
    let screen = tui.wait_for_text(demo::DEMO_ERROR_ACCOUNT);
    assert!(screen.contains("error state"), "{screen}");
    for secret in demo::demo_secrets() {
        assert!(!screen.contains(secret), "a secret reached the screen");
    }
    tui.send("\x1b");
    tui.send("\x03");
    assert!(tui.wait_exit());
}

/// What made this video: its generation shows under the fields, a sibling file opens from
/// there, a pasted task ID opens the task, and a remembered finished task comes back without
/// asking the server.
#[test]
fn read_the_generation_open_a_sibling_and_open_a_task_by_id() {
    let home = tempfile::tempdir().unwrap();
    let api = Api::start();
    let (id, _) = video_sample();
    let mut tui = api.open_fresh(home.path());
    tui.send(id);
    tui.send("\r");
    let screen = tui.wait_for_text("gen3a_turbo");
    assert!(screen.contains("Generation") && screen.contains("Prompt") && screen.contains("SUCCEEDED"), "{screen}");

    // Into the detail, choose the second file the task made, open it.
    tui.send("\t\t]]");
    tui.wait_for_text("▶ ");
    tui.send("\r");
    tui.wait_for("the sibling opened afresh", |s| {
        s.contains("fresh from the server") && !s.contains("Race car on wet track.mp4 ─")
    });
    tui.wait_for_text("1 History (2)");

    // A task ID pasted into the input opens the task itself.
    tui.send("/");
    tui.send("\x15");
    tui.send(demo::TASK_FAILED);
    tui.send("\r");
    let screen = tui.wait_for_text("FAILED");
    assert!(screen.contains(" Task "), "the pane shows the task:\n{screen}");

    // The finished task was remembered in the cache.
    let tasks = home.path().join(".cache/runway-assets/tasks");
    eventually("the finished tasks remembered", || std::fs::read_dir(&tasks).is_ok_and(|d| d.count() >= 2));
    tui.send("\x03");
    assert!(tui.wait_exit());
}
