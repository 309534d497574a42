//! Background work: requests come in over channels, results go back as each worker's own types.

pub mod download;
pub mod fetch;
pub mod history;
pub mod open;
pub mod preview;
pub mod priority;
