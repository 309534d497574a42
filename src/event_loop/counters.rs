//! What the loop did, counted, so tests can check that idling does nothing.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::app::Msg;

/// Counts what the loop did, so tests can check that idling does nothing.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LoopStats {
    /// Frames drawn.
    pub redraws: u64,
    /// Messages handled, of every kind (the three below, terminal events and Ctrl-Z included).
    pub messages: u64,
    /// Spinner intervals created: one per stretch of time with a lookup in flight.
    pub timers_started: u64,
    /// Spinner ticks handled.
    pub ticks: u64,
    /// Lookup results handled (`Msg::Fetched`).
    pub fetch_results: u64,
    /// History worker answers handled (`HistoryLoaded`, `Recorded`, `Snapshot`).
    pub history_results: u64,
    /// Picture worker answers handled (`Msg::Preview`).
    pub preview_results: u64,
}

/// The loop's counts, readable while it runs (from the loop's own thread or any other).
#[derive(Debug, Default)]
pub struct LoopCounters {
    pub(super) redraws: AtomicU64,
    messages: AtomicU64,
    pub(super) timers_started: AtomicU64,
    ticks: AtomicU64,
    fetch_results: AtomicU64,
    history_results: AtomicU64,
    preview_results: AtomicU64,
}

impl LoopCounters {
    pub fn snapshot(&self) -> LoopStats {
        // Plain counts that order nothing else, so Relaxed is enough.
        let get = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        LoopStats {
            redraws: get(&self.redraws),
            messages: get(&self.messages),
            timers_started: get(&self.timers_started),
            ticks: get(&self.ticks),
            fetch_results: get(&self.fetch_results),
            history_results: get(&self.history_results),
            preview_results: get(&self.preview_results),
        }
    }

    pub(super) fn count_message(&self, msg: &Msg) {
        bump(&self.messages);
        match msg {
            Msg::Tick => bump(&self.ticks),
            Msg::Fetched { .. } | Msg::Page { .. } | Msg::Accounts { .. } | Msg::Task { .. } => {
                bump(&self.fetch_results)
            }
            Msg::HistoryRecent(_) | Msg::HistoryLoaded(_) | Msg::Recorded(_) | Msg::Snapshot { .. } => {
                bump(&self.history_results)
            }
            Msg::Terminal(_)
            | Msg::Settle
            | Msg::CachedPage { .. }
            | Msg::CachedTask { .. }
            | Msg::PollTask { .. }
            | Msg::KnownPrompts(_)
            | Msg::Opened(_)
            | Msg::CopyHeldBack { .. } => {}
            Msg::Download(_) => {}
            // -- preview --
            Msg::PreviewSetup { .. } => {}
            Msg::Preview { .. } => bump(&self.preview_results),
        }
    }
}

pub(super) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}
