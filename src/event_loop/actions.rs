//! The effects of acting on an asset: the clipboard escape, kept until the frame is out and then
//! written through the frame writer; the opener, started at once (a fork and exec), whose
//! answer is handled in the same batch so the status line says what happened in the next frame.

use std::io;

use ratatui::Terminal;
use tokio::sync::mpsc::UnboundedSender;

use super::LoopBackend;
use crate::app::{Copied, Msg, OpenOutcome};
use crate::terminal::clipboard;
use crate::workers::open::{OpenEvent, Opener};

pub(super) struct Actions {
    opener: Opener,
    tmux: bool,
    /// Escapes to write once the current batch's frame is out.
    after_frame: Vec<u8>,
}

impl Actions {
    pub(super) fn new() -> Actions {
        Actions { opener: Opener::from_env(), tmux: clipboard::in_tmux(), after_frame: Vec::new() }
    }

    /// Queues the clipboard escape. Inside tmux, its settings are asked afresh on a thread (a
    /// user may just have changed them), and `tx` hears if they hold the copy back.
    pub(super) fn copy(&mut self, what: Copied, text: &str, tx: &UnboundedSender<Msg>) {
        self.after_frame.extend(clipboard::osc52(text, self.tmux));
        if self.tmux {
            let tx = tx.clone();
            let _ = std::thread::Builder::new().name("tmux-options".into()).spawn(move || {
                if clipboard::tmux_passes_copies() == Some(false) {
                    let _ = tx.send(Msg::CopyHeldBack { what });
                }
            });
        }
    }

    /// Starts the opener; the message says what came of it (a later failure comes on `tx`).
    pub(super) fn open(&self, url: &reqwest::Url, tx: &UnboundedSender<Msg>) -> Msg {
        let tx = tx.clone();
        let started = self.opener.open(url, move |event| {
            let _ = tx.send(Msg::Opened(event.into()));
        });
        Msg::Opened(started.into())
    }

    /// Writes what waits for the frame, if anything.
    pub(super) fn write_after_frame<B: LoopBackend>(&mut self, terminal: &mut Terminal<B>) -> io::Result<()> {
        if self.after_frame.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::take(&mut self.after_frame);
        B::write_after_frame(terminal, &bytes)
    }
}

impl From<OpenEvent> for OpenOutcome {
    fn from(event: OpenEvent) -> OpenOutcome {
        match event {
            OpenEvent::Started { program } => OpenOutcome::Started { program },
            OpenEvent::NoOpener { program } => OpenOutcome::NoOpener { program },
            OpenEvent::Failed(why) => OpenOutcome::Failed(why),
        }
    }
}
