//! The loop's contract with the app: what can happen (`Msg`) and what the app asks the loop to
//! do (`Effect`). The loop turns worker results and terminal input into messages.

use crossterm::event::Event;

use crate::api::ApiError;
use crate::api::client::Fetched;
use crate::history::{HistoryEntry, HistoryError, HistoryRow, Loaded};

/// Identifies one request, so a late answer to an abandoned one is recognised and dropped.
pub type RequestId = u64;

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Msg {
    Terminal(Event),
    Fetched {
        request: RequestId,
        asset_id: String,
        result: Box<Result<Fetched, ApiError>>,
    },
    /// The newest rows, read from the end of the file for the first frame.
    HistoryRecent(Vec<HistoryRow>),
    HistoryLoaded(Result<Loaded, HistoryError>),
    Recorded(Result<HistoryRow, HistoryError>),
    Snapshot {
        request: RequestId,
        result: Result<HistoryEntry, HistoryError>,
    },
    /// The spinner's timer; it only runs while something is loading.
    Tick,
    /// Every message of a batch is handled: do the work deferred until then (filtering the
    /// list by the input), once per frame rather than once per key.
    Settle,
}

/// Work for the event loop to carry out on the app's behalf.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Fetch { request: RequestId, asset_id: String },
    Cancel { request: RequestId },
    Record(HistoryEntry),
    ReadSnapshot { request: RequestId, row: HistoryRow },
    Quit,
}
