//! Where the real terminal's bytes are gathered, so that a frame reaches the terminal in one
//! write. Writing through `Stdout` sends a frame in 1 KiB pieces, and ratatui's crossterm
//! backend flushes again for each cursor change: five or six writes a frame, each a system call
//! and a wake-up for the terminal, which may also show the frame half drawn.

use std::io::{self, Write};

#[derive(Debug, Default)]
pub struct FrameWriter {
    buf: Vec<u8>,
    /// While a frame is being drawn, flushes are put off until `release`.
    holding: bool,
}

impl FrameWriter {
    /// Puts off flushes until `release`.
    pub fn hold(&mut self) {
        self.holding = true;
    }

    /// Sends everything gathered since `hold`, in one write.
    pub fn release(&mut self) -> io::Result<()> {
        self.holding = false;
        self.flush()
    }
}

impl Write for FrameWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.holding || self.buf.is_empty() {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        // Nothing is kept for a retry: a failed write means the terminal is gone, and the loop
        // ends with the error.
        let written = out.write_all(&self.buf).and_then(|()| out.flush());
        self.buf.clear();
        // A long paste can make one big frame; don't keep its memory for good.
        if self.buf.capacity() > 1 << 20 {
            self.buf.shrink_to(64 * 1024);
        }
        written
    }
}
