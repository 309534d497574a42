//! Text for people, shared by the TUI and the command line: an asset's fields, a task's heading and
//! status, sizes, durations and dates, and wrapping. Pure functions; no ratatui widgets, no I/O.

pub mod api_error;
pub mod asset_fields;
pub mod format;
pub mod json;
pub mod task_fields;
pub mod wrap;
