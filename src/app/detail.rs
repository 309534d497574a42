//! The detail pane's state: which asset it is about, where that copy came from, the JSON as
//! received (for the raw view), how far it is scrolled; and its text, built here from
//! `present` so that scrolling knows the content's height without drawing it.

use jiff::Timestamp;

use super::load::Load;
use crate::api::{ApiError, Asset};
use crate::present::asset_fields;
use crate::present::format;
use crate::present::wrap::{TextLine, Tone, push_field, push_wrapped};
use crate::sanitize;

/// Where the asset on screen came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Fresh,
    Stored {
        looked_up_at: Timestamp,
    },
    /// From the Account list's page, fetched then; Enter fetches it afresh.
    Listed {
        listed_at: Timestamp,
    },
}

/// An asset on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub asset: Box<Asset>,
    /// The asset's JSON exactly as received.
    pub raw: serde_json::Value,
    pub source: Source,
    /// A fresh copy is on its way.
    pub refreshing: bool,
    /// Why this copy is not fresh, when a refresh failed.
    pub note: Option<String>,
}

/// What the detail pane shows. Whenever it is not idle it names the asset it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    asset_id: String,
    state: Load<Shown>,
    scroll: u16,
}

impl Default for Detail {
    fn default() -> Detail {
        Detail { asset_id: String::new(), state: Load::Idle, scroll: 0 }
    }
}

impl Detail {
    pub fn asset_id(&self) -> Option<&str> {
        (!matches!(self.state, Load::Idle)).then_some(self.asset_id.as_str())
    }

    pub fn state(&self) -> &Load<Shown> {
        &self.state
    }

    pub fn shown(&self) -> Option<&Shown> {
        self.state.loaded()
    }

    pub fn scroll(&self) -> u16 {
        self.scroll
    }

    /// Shows something new, from the top.
    pub(super) fn set(&mut self, asset_id: String, state: Load<Shown>) {
        *self = Detail { asset_id, state, scroll: 0 };
    }

    /// Changes what is known of the same asset, keeping the scroll position.
    pub(super) fn replace_state(&mut self, state: Load<Shown>) {
        self.state = state;
    }

    pub(super) fn take_state(&mut self) -> Load<Shown> {
        std::mem::replace(&mut self.state, Load::Idle)
    }

    pub(super) fn scroll_by(&mut self, delta: i64, content_height: usize, page: usize) {
        let max = content_height.saturating_sub(page).min(u16::MAX as usize) as i64;
        self.scroll = (self.scroll as i64).saturating_add(delta).clamp(0, max) as u16;
    }

    /// The pane's text, wrapped to `width` columns. `hint` shows when there is nothing else;
    /// `spinner` is the current frame of the loading animation.
    pub fn lines(&self, width: u16, now: Timestamp, spinner: &str, hint: Option<&str>) -> Vec<TextLine> {
        let width = width as usize;
        let mut out = Vec::new();
        match &self.state {
            Load::Idle => {
                push_wrapped(&mut out, "Paste or type an assetId above and press Enter.", width, Tone::Hint);
                push_wrapped(&mut out, "", width, Tone::Hint);
                push_wrapped(
                    &mut out,
                    "Or press Tab, then 2 for the account's assets (1 for your history) and Enter to open one. ? lists every key.",
                    width,
                    Tone::Hint,
                );
                if let Some(hint) = hint {
                    push_wrapped(&mut out, "", width, Tone::Hint);
                    push_wrapped(&mut out, hint, width, Tone::Hint);
                }
            }
            Load::Loading => {
                push_wrapped(&mut out, &format!("{spinner} Looking up…"), width, Tone::Pending);
                push_field(&mut out, "Asset ID", Some(&sanitize::clean(&self.asset_id)), width);
            }
            Load::Failed(error) => {
                push_wrapped(&mut out, error.title(), width, Tone::BadTitle);
                push_wrapped(&mut out, &error.to_string(), width, Tone::Bad);
                out.push(TextLine::plain(String::new(), Tone::Plain));
                push_field(&mut out, "Asset ID", Some(&sanitize::clean(&self.asset_id)), width);
            }
            Load::Loaded(shown) => {
                let (mut line, tone) = match shown.source {
                    Source::Fresh => ("● fresh from the server".to_string(), Tone::Good),
                    Source::Stored { looked_up_at } => (
                        format!(
                            "◷ stored copy from {} ({})",
                            format::absolute(looked_up_at),
                            format::age(looked_up_at, now)
                        ),
                        Tone::Pending,
                    ),
                    Source::Listed { listed_at } => (
                        format!(
                            "▤ from the Account list ({}) · Enter fetches a fresh copy",
                            format::age(listed_at, now)
                        ),
                        Tone::Label,
                    ),
                };
                if shown.refreshing {
                    line.push_str(&format!(" · {spinner} refreshing…"));
                }
                push_wrapped(&mut out, &line, width, tone);
                if let Some(note) = &shown.note {
                    push_wrapped(&mut out, note, width, Tone::Bad);
                }
                for field in asset_fields::fields(&self.asset_id, &shown.asset, now) {
                    // Values are clean already when they come from the server; typed IDs may not be.
                    let value = field.value.map(|v| sanitize::clean(&v).into_owned());
                    push_field(&mut out, field.label, value.as_deref(), width);
                }
            }
        }
        out
    }

    /// The pane's title: the asset's name once it is known.
    pub fn title(&self) -> String {
        match &self.state {
            Load::Loaded(shown) => match &shown.asset.name {
                Some(name) => format!(" {name} "),
                None => " Asset ".to_string(),
            },
            _ => " Detail ".to_string(),
        }
    }
}

/// The error a stopped lookup leaves behind.
pub(super) fn cancelled() -> Load<Shown> {
    Load::Failed(ApiError::Cancelled)
}
