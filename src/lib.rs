//! runway-assets: a terminal UI for inspecting Runway assets through useapi.net's RunwayML API.

// Bad data must never crash the app: no unwrap, expect or panic outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod api;
pub mod app;
pub mod cache;
pub mod cli;
pub mod config;
pub mod demo;
pub mod event_loop;
pub mod history;
pub mod present;
pub mod sanitize;
pub mod terminal;
pub mod ui;
pub mod workers;
