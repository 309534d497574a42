//! runway-assets: a terminal UI for inspecting Runway assets through useapi.net's RunwayML API.

// Bad data must never crash the app: no unwrap, expect or panic outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod api;
pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod event;
pub mod fetcher;
pub mod format;
pub mod frame_writer;
pub mod get;
pub mod history;
pub mod history_list;
pub mod history_worker;
pub mod sanitize;
pub mod summary;
pub mod terminal;
#[cfg(unix)]
pub mod tty_events;
pub mod ui;
