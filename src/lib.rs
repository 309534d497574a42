//! runway-assets: a terminal UI for inspecting Runway assets through useapi.net's RunwayML API.
//!
//! # Where to start reading
//! 1. `main.rs`: the command line picks the TUI, the demo, or a subcommand (`cli/`).
//! 2. `event_loop`: terminal input and worker results become `app::Msg`s; the effects `App`
//!    returns go to the workers; one frame is drawn per batch.
//! 3. `app/mod.rs`: `App`, all the state, changed only by `App::update(msg)`; one file per piece
//!    of state (`detail`, `history_list`, …), the `keymap`, the `layout` and `load` states.
//! 4. `ui/mod.rs`: drawing, a pure function of `&App`, one file per pane, styles in `theme`.
//!
//! # The folders
//! - `api/`: HTTP to useapi.net (client, errors) and its data (`api/model/`). New endpoints go
//!   beside `client.rs`; their types into `model/`.
//! - `download/`: saving an asset's file: the safe name, the folder, the `.part` file renamed
//!   into place when complete; a leaf like `api/`.
//! - `history/`: the history file on disk. `cache/` (as it comes): other files kept.
//! - `logfile`: the `--log` file (a `log` logger with a writer thread); a leaf like `config`.
//! - `preview/`: an asset's picture as data: which URL, safe decoding, scaling (a leaf).
//! - `present/`: text for people, shared by the TUI and the command line (fields, formats,
//!   wrapping).
//! - `app/`: state and transitions. `ui/`: drawing. `workers/`: background work (fetching, the
//!   history thread; downloads and picture decoding as they come), each reporting in its own
//!   types. `terminal/`: the tty (raw mode, the input thread, the frame writer; graphics and
//!   clipboard escapes as they come). `cli/`: one file per subcommand. `demo/`: the embedded
//!   server.
//!
//! # Dependency rules (checked by `tests/architecture.rs`)
//! - `api`, `history`, `present`, `preview`, `sanitize`, `config`, `cache`, `logfile` and `download` never
//!   import `app`, `ui`,
//!   `workers`, `terminal`, `event_loop`, `cli` or `demo`.
//! - `app` never imports `ui`, `workers`, `terminal`, `event_loop`, `cli` or `demo`.
//! - `ui` imports only `app` and `present` of ours.
//! - `workers` never import `app`, `ui`, `terminal` or `event_loop`: they report in their own
//!   types, which `event_loop` maps to messages.
//! - `event_loop` and `main.rs` are the ones that know everything.

// Bad data must never crash the app: no unwrap, expect or panic outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod api;
pub mod app;
pub mod cache;
pub mod cli;
pub mod config;
pub mod demo;
pub mod download;
pub mod event_loop;
pub mod history;
pub mod logfile;
pub mod present;
pub mod preview;
pub mod private_files;
pub mod sanitize;
pub mod terminal;
pub mod ui;
pub mod workers;
