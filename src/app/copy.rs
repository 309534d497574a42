//! `y` and `Y`: what is copied for the asset shown in the detail pane, or the plain sentence
//! why nothing can be. The copy itself is an effect (the loop writes the terminal's clipboard
//! escape after the frame); the status line says what went.

use super::{App, Effect, Load, Status};

/// Text longer than this is not copied: the terminal's clipboard escape would be larger than
/// what tmux (1 MiB) and many terminals take in one sequence, and be silently cut.
pub const MAX_COPY_BYTES: usize = 512 * 1024;

/// What was put on the clipboard, for the status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copied {
    AssetId,
    TaskId,
    Url,
    Json,
}

impl Copied {
    pub fn name(self) -> &'static str {
        match self {
            Copied::AssetId => "the asset ID",
            Copied::TaskId => "the task ID",
            Copied::Url => "the URL",
            Copied::Json => "the JSON",
        }
    }
}

impl App {
    /// `y`: the asset's ID (a task shown alone: the task's).
    pub(super) fn copy_id(&mut self) -> Vec<Effect> {
        if let Some(task_id) = self.detail.task_only() {
            let text = task_id.to_string();
            return self.copy(Copied::TaskId, text);
        }
        // The ID the server gave the asset, else the one looked up.
        let id = self
            .detail
            .shown()
            .and_then(|s| s.asset.asset_id.clone())
            .or_else(|| self.detail.asset_id().map(str::to_string));
        match id.filter(|id| !id.is_empty()) {
            Some(id) => self.copy(Copied::AssetId, id),
            None => self.nothing_to_copy(),
        }
    }

    /// `Y`: the asset's URL.
    pub(super) fn copy_url(&mut self) -> Vec<Effect> {
        match self.asset_url() {
            Ok(url) => self.copy(Copied::Url, url),
            Err(why) => {
                self.status = Status::info(why);
                vec![]
            }
        }
    }

    /// The shown asset's URL as the server gave it, or why there is none.
    pub(super) fn asset_url(&self) -> Result<String, String> {
        if self.detail.task_only().is_some() {
            return Err("The detail shows a task, which has no URL of its own; open one of its files first.".into());
        }
        match self.detail.state() {
            Load::Loaded(shown) => match shown.asset.url.as_deref().map(str::trim) {
                Some(url) if !url.is_empty() => Ok(url.to_string()),
                _ => Err("This asset has no URL: the server sent none.".into()),
            },
            Load::Loading => Err("The asset is still loading; its URL is not known yet.".into()),
            Load::Failed(_) | Load::Idle => Err("No asset is shown, so there is no URL. Look one up first.".into()),
        }
    }

    fn nothing_to_copy(&mut self) -> Vec<Effect> {
        self.status = Status::info("No asset is shown, so there is nothing to copy. Look one up first.".into());
        vec![]
    }

    /// tmux keeps escapes from its panes unless told otherwise: say how.
    pub(super) fn on_copy_held_back(&mut self, what: Copied) {
        self.status = Status::warning(format!(
            "tmux kept {} from the clipboard: add `set -g set-clipboard on` to ~/.tmux.conf and reload it.",
            what.name()
        ));
    }

    /// Copies `text` exactly, or says why it is too long to.
    pub(super) fn copy(&mut self, what: Copied, text: String) -> Vec<Effect> {
        if text.len() > MAX_COPY_BYTES {
            self.status = Status::warning(format!(
                "{} is too large to copy through the terminal ({}; at most {}).",
                capitalised(what.name()),
                crate::present::format::size(text.len() as u64),
                crate::present::format::size(MAX_COPY_BYTES as u64)
            ));
            return vec![];
        }
        self.status = Status::info(format!("Copied {}.", what.name()));
        vec![Effect::Copy { what, text }]
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
