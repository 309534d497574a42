//! Opening a web address in the user's browser with the platform's opener (`xdg-open` on Linux
//! and the BSDs, `open` on macOS), or the program named by `RUNWAY_ASSETS_OPENER`.
//!
//! The opener is started directly, never through a shell, with the URL as its one argument, so
//! nothing in a URL can be read as a command. It is detached: its own session (no controlling
//! terminal, so a text-mode browser it might pick cannot draw over the screen or read keys),
//! standard input, output and error on /dev/null, and it outlives the app. A thread waits for it,
//! so it leaves no zombie, and reports when it gave up. The token's variable is not passed on.

use std::ffi::OsString;
use std::io;
use std::process::{Command, Stdio};

use reqwest::Url;

/// The environment variable that names another opener (run as `PROGRAM URL`).
pub const OPENER_VAR: &str = "RUNWAY_ASSETS_OPENER";

/// Variables the opener does not inherit: the browser has no business with the token.
const WITHHELD: &[&str] = &["USEAPI_TOKEN"];

/// The program that opens URLs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opener {
    program: Option<OsString>,
}

/// What came of opening a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenEvent {
    Started {
        program: String,
    },
    /// The opener is not installed (`program`), or none is known for this platform (None).
    NoOpener {
        program: Option<String>,
    },
    /// A sentence: it could not be started, or it exited with a failure.
    Failed(String),
}

impl Opener {
    /// `RUNWAY_ASSETS_OPENER` when set (empty: none), else the platform's.
    pub fn from_env() -> Opener {
        match std::env::var_os(OPENER_VAR) {
            Some(program) if program.is_empty() => Opener { program: None },
            Some(program) => Opener { program: Some(program) },
            None => Opener::platform(),
        }
    }

    pub fn platform() -> Opener {
        let program = if cfg!(target_os = "macos") {
            Some("open")
        } else if cfg!(unix) {
            Some("xdg-open")
        } else {
            None
        };
        Opener { program: program.map(OsString::from) }
    }

    /// A given program (tests use one that records what it was given).
    pub fn named(program: impl Into<OsString>) -> Opener {
        Opener { program: Some(program.into()) }
    }

    fn name(&self) -> Option<String> {
        self.program.as_ref().map(|p| p.to_string_lossy().into_owned())
    }

    /// Starts the opener for `url` and returns at once; `on_failure` hears later if it exits
    /// with a failure (it may run as long as the browser does).
    pub fn open(&self, url: &Url, on_failure: impl FnOnce(OpenEvent) + Send + 'static) -> OpenEvent {
        let Some(program) = &self.program else {
            return OpenEvent::NoOpener { program: None };
        };
        let name = self.name().unwrap_or_default();
        let mut command = Command::new(program);
        command.arg(url.as_str()).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        for var in WITHHELD {
            command.env_remove(var);
        }
        detach(&mut command);
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return OpenEvent::NoOpener { program: Some(name) },
            Err(e) => return OpenEvent::Failed(format!("{name} could not be started ({e}).")),
        };
        let waiter_name = name.clone();
        let waited = std::thread::Builder::new().name("opener-wait".into()).spawn(move || {
            if let Ok(status) = child.wait()
                && !status.success()
            {
                on_failure(OpenEvent::Failed(exit_sentence(&waiter_name, status)));
            }
        });
        // Without the thread the child is only reaped when the app exits: harmless.
        drop(waited);
        OpenEvent::Started { program: name }
    }
}

/// Its own session: no controlling terminal, and no signals from ours.
#[cfg(unix)]
fn detach(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: setsid is async-signal-safe and touches no memory of ours; it is all the child
    // does between fork and exec.
    unsafe {
        command.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn detach(_command: &mut Command) {}

fn exit_sentence(name: &str, status: std::process::ExitStatus) -> String {
    match status.code() {
        // xdg-open's own codes (see its manual).
        Some(3) if name.ends_with("xdg-open") => {
            "xdg-open found no program to open web addresses with (exit status 3).".to_string()
        }
        Some(4) if name.ends_with("xdg-open") => "xdg-open could not open the URL (exit status 4).".to_string(),
        Some(code) => format!("{name} could not open the URL (exit status {code})."),
        None => format!("{name} stopped before opening the URL."),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_missing_opener_is_named() {
        let opener = Opener { program: Some("/nonexistent/runway-opener".into()) };
        let url = Url::parse("https://example.com/").unwrap();
        assert_eq!(
            opener.open(&url, |_| {}),
            OpenEvent::NoOpener { program: Some("/nonexistent/runway-opener".into()) }
        );
        assert_eq!(Opener { program: None }.open(&url, |_| {}), OpenEvent::NoOpener { program: None });
    }

    #[test]
    fn an_opener_that_fails_is_reported_after_it_exits() {
        let opener = Opener { program: Some("false".into()) };
        let url = Url::parse("https://example.com/").unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        assert_eq!(opener.open(&url, move |e| tx.send(e).unwrap()), OpenEvent::Started { program: "false".into() });
        let event = rx.recv_timeout(std::time::Duration::from_secs(30)).unwrap();
        assert_eq!(event, OpenEvent::Failed("false could not open the URL (exit status 1).".into()));
    }
}
