//! The terminal's input as a stream of crossterm events.
//!
//! One thread reads the terminal with crossterm's blocking `read` and hands the events to the UI
//! task over a channel. Reading there, not on the UI task, matters: crossterm's reader blocks
//! until an event is whole (half an escape sequence waits for the rest), and loops without end
//! on a terminal that has hung up. crossterm's own `EventStream` works the same way, but wakes its
//! thread afresh for every event the UI waits for and makes the UI contend for its reader lock
//! (seen as runs of `sched_yield` under strace); this thread is the lock's only user and blocks
//! in the kernel between keys.
//!
//! Window size changes are watched here too (SIGWINCH, on the UI task): crossterm reports them
//! as well, but drops one that arrives together with a key, and with a fixed viewport a lost
//! resize would stay lost.

use std::fs::File;
use std::io::{self, IsTerminal};
use std::os::fd::{AsRawFd, RawFd};
use std::pin::Pin;
use std::task::{Context, Poll};

use crossterm::event::Event;
use futures_util::Stream;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

pub struct TtyEvents {
    events: UnboundedReceiver<io::Result<Event>>,
    resize: Option<Signal>,
}

impl TtyEvents {
    /// Starts the reading thread. Must be called inside the tokio runtime (for SIGWINCH).
    pub fn new() -> io::Result<TtyEvents> {
        // The descriptor crossterm reads: stdin when it is the terminal, else the controlling
        // terminal, opened here only to watch for a hang-up.
        let tty = if io::stdin().is_terminal() { None } else { Some(File::open("/dev/tty")?) };
        let (tx, events) = unbounded_channel();
        std::thread::Builder::new().name("input".into()).spawn(move || {
            let fd = tty.as_ref().map_or(libc::STDIN_FILENO, File::as_raw_fd);
            read_events(fd, &tx)
        })?;
        Ok(TtyEvents { events, resize: signal(SignalKind::window_change()).ok() })
    }
}

/// Reads until the terminal hangs up, fails, or the UI is gone. Ending drops `out`, which ends
/// the stream, and the app with it.
fn read_events(fd: RawFd, out: &UnboundedSender<io::Result<Event>>) {
    // crossterm would loop forever on a hung-up terminal's end-of-file: look before each read.
    // (A hang-up during a read is ended by the SIGHUP that comes with it.)
    while !hung_up(fd) {
        let event = crossterm::event::read();
        let failed = event.is_err();
        if out.send(event).is_err() || failed {
            return;
        }
    }
}

impl Stream for TtyEvents {
    type Item = io::Result<Event>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(resize) = &mut self.resize {
            match resize.poll_recv(cx) {
                Poll::Ready(Some(())) => {
                    return Poll::Ready(Some(crossterm::terminal::size().map(|(w, h)| Event::Resize(w, h))));
                }
                Poll::Ready(None) => self.resize = None,
                Poll::Pending => {}
            }
        }
        self.events.poll_recv(cx)
    }
}

/// Whether the terminal behind `fd` has hung up (its window closed, its ssh session dropped).
fn hung_up(fd: RawFd) -> bool {
    let mut poll = libc::pollfd { fd, events: 0, revents: 0 };
    // SAFETY: one valid, initialised pollfd, as the count says; a zero timeout never blocks.
    let ready = unsafe { libc::poll(&mut poll, 1, 0) };
    ready > 0 && poll.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

#[cfg(test)]
mod tests {
    use super::hung_up;
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

    /// A pseudo-terminal pair: (the terminal's side, the side a terminal window holds).
    fn pty() -> (OwnedFd, OwnedFd) {
        let (mut controller, mut terminal) = (-1, -1);
        // SAFETY: openpty writes two new descriptors into the two ints; the name, termios and
        // window size pointers may be null.
        let made = unsafe {
            libc::openpty(&mut controller, &mut terminal, std::ptr::null_mut(), std::ptr::null(), std::ptr::null())
        };
        assert_eq!(made, 0, "openpty failed");
        // SAFETY: both descriptors were just opened by openpty and are owned by nothing else.
        unsafe { (OwnedFd::from_raw_fd(terminal), OwnedFd::from_raw_fd(controller)) }
    }

    #[test]
    fn a_terminal_whose_window_closed_has_hung_up() {
        let (terminal, window) = pty();
        assert!(!hung_up(terminal.as_raw_fd()), "an open terminal has not hung up");
        drop(window);
        assert!(hung_up(terminal.as_raw_fd()), "closing the window side hangs the terminal up");
    }
}
