//! The terminals the loop draws on: the real one (one write a frame, in a synchronized update)
//! and ratatui's test backend.

use std::io;

use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use ratatui::layout::Rect;

use crate::app::App;
use crate::terminal::frame_writer::FrameWriter;
use crate::ui;

/// A backend the loop can draw on. The real terminal gets each frame in one write, wrapped in a
/// synchronized update (so it never shows half a frame), and is resized by the loop; a test
/// backend has nothing to wrap and sizes itself.
pub trait LoopBackend: Backend + Sized {
    fn draw_frame(terminal: &mut Terminal<Self>, app: &App) -> io::Result<()>;

    /// The window is now `width` × `height`.
    fn resize(terminal: &mut Terminal<Self>, width: u16, height: u16) -> io::Result<()>;

    /// The window's size, asked afresh.
    fn size_now(terminal: &Terminal<Self>) -> io::Result<(u16, u16)>;

    /// Escapes that draw nothing (the clipboard's), written once a frame is out, in their own
    /// write so they never land inside one. A test backend has no terminal to send them to.
    fn write_after_frame(_terminal: &mut Terminal<Self>, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }
}

impl LoopBackend for CrosstermBackend<FrameWriter> {
    fn draw_frame(terminal: &mut Terminal<Self>, app: &App) -> io::Result<()> {
        use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
        terminal.backend_mut().writer_mut().hold();
        let drawn = crossterm::queue!(terminal.backend_mut(), BeginSynchronizedUpdate)
            .and_then(|()| terminal.draw(|frame| ui::draw(frame, app)).map(drop))
            .and_then(|()| crossterm::queue!(terminal.backend_mut(), EndSynchronizedUpdate));
        let sent = terminal.backend_mut().writer_mut().release();
        drawn.and(sent)
    }

    fn resize(terminal: &mut Terminal<Self>, width: u16, height: u16) -> io::Result<()> {
        // Resizing clears the screen: held, so that goes out with the next frame, in its
        // synchronized update, instead of a blank screen first.
        terminal.backend_mut().writer_mut().hold();
        terminal.resize(Rect::new(0, 0, width, height))
    }

    fn size_now(_terminal: &Terminal<Self>) -> io::Result<(u16, u16)> {
        crossterm::terminal::size()
    }

    fn write_after_frame(terminal: &mut Terminal<Self>, bytes: &[u8]) -> io::Result<()> {
        use std::io::Write;
        let writer = terminal.backend_mut().writer_mut();
        writer.write_all(bytes)?;
        writer.flush()
    }
}

impl LoopBackend for TestBackend {
    fn draw_frame(terminal: &mut Terminal<Self>, app: &App) -> io::Result<()> {
        match terminal.draw(|frame| ui::draw(frame, app)) {
            Ok(_) => Ok(()),
            Err(never) => match never {},
        }
    }

    fn resize(_terminal: &mut Terminal<Self>, _width: u16, _height: u16) -> io::Result<()> {
        Ok(())
    }

    fn size_now(terminal: &Terminal<Self>) -> io::Result<(u16, u16)> {
        let size = terminal.backend().buffer().area;
        Ok((size.width, size.height))
    }
}
