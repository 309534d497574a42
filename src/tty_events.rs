//! The terminal's input as a stream of crossterm events, read on the UI task itself.
//!
//! crossterm's own `EventStream` parks a helper thread in a blocking poll that holds crossterm's
//! reader lock, and hands every key over through that thread: two thread wake-ups per key, and
//! the UI thread spinning on the lock when it polls in between (seen as runs of `sched_yield`
//! under strace). Here tokio watches the terminal's file descriptor and SIGWINCH instead, and
//! crossterm is only asked for events it already has (`poll` with a zero timeout), so it never
//! blocks and no other thread is involved.

use std::fs::File;
use std::io::{self, IsTerminal};
use std::os::fd::{AsRawFd, RawFd};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crossterm::event::Event;
use futures_util::Stream;
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;
use tokio::signal::unix::{Signal, SignalKind, signal};

/// The file descriptor crossterm reads: stdin when it is the terminal, else `/dev/tty` (crossterm
/// opens its own; this one is only watched for readiness, which is the same terminal's).
enum Source {
    Stdin,
    Tty(File),
}

impl AsRawFd for Source {
    fn as_raw_fd(&self) -> RawFd {
        match self {
            Source::Stdin => libc::STDIN_FILENO,
            Source::Tty(file) => file.as_raw_fd(),
        }
    }
}

pub struct TtyEvents {
    input: AsyncFd<Source>,
    /// Window size changes: crossterm turns them into `Event::Resize` (its own SIGWINCH handler
    /// runs in the same signal delivery), but its pipe is not ours to watch.
    resize: Option<Signal>,
}

impl TtyEvents {
    /// Must be called inside the tokio runtime.
    pub fn new() -> io::Result<TtyEvents> {
        let source = if io::stdin().is_terminal() { Source::Stdin } else { Source::Tty(File::open("/dev/tty")?) };
        // SAFETY: the descriptor stays open and the same for the AsyncFd's life: stdin is never
        // closed by this program, and the /dev/tty `File` is owned by the AsyncFd.
        let input =
            unsafe { AsyncFd::register_with_interest(source, Interest::READABLE) }.map_err(|e| e.into_parts().1)?;
        Ok(TtyEvents { input, resize: signal(SignalKind::window_change()).ok() })
    }

    /// An event crossterm already holds or can read without blocking.
    fn ready_event() -> Option<io::Result<Event>> {
        match crossterm::event::poll(Duration::ZERO) {
            Ok(true) => Some(crossterm::event::read()),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

impl Stream for TtyEvents {
    type Item = io::Result<Event>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            // A terminal that has hung up reads as end-of-file for good, and crossterm, which
            // reads until "would block", would then loop forever on this thread: end the stream
            // (and with it the app) before asking crossterm for anything.
            if hung_up(self.input.get_ref().as_raw_fd()) {
                return Poll::Ready(None);
            }
            if let Some(event) = Self::ready_event() {
                return Poll::Ready(Some(event));
            }
            // Nothing to read: register for the next input or resize, then look once more, since
            // either may have come in since the look above.
            let resized = match &mut self.resize {
                Some(resize) => resize.poll_recv(cx).is_ready(),
                None => false,
            };
            match self.input.poll_read_ready(cx) {
                Poll::Ready(Ok(guard)) if guard.ready().is_read_closed() => return Poll::Ready(None),
                Poll::Ready(Ok(mut guard)) => {
                    if hung_up(self.input.get_ref().as_raw_fd()) {
                        return Poll::Ready(None);
                    }
                    match Self::ready_event() {
                        Some(event) => return Poll::Ready(Some(event)),
                        // Readable, yet crossterm had nothing whole (say, half an escape
                        // sequence): forget this readiness and wait for more bytes. Readiness
                        // that arrived after the guard was taken is kept by tokio, so no input
                        // is missed.
                        None => guard.clear_ready(),
                    }
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e))),
                Poll::Pending if resized => continue,
                Poll::Pending => return Poll::Pending,
            }
        }
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
