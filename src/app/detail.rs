//! The detail pane's state: which asset it is about, where that copy came from, the JSON as
//! received (for the raw view), how far it is scrolled; and its text, built here from
//! `present` so that scrolling knows the content's height without drawing it.

use jiff::Timestamp;

use super::generation::{Generation, TaskShown};
use super::load::Load;
use crate::api::{ApiError, Asset};
use crate::present::format;
use crate::present::wrap::{TextLine, Tone, push_field, push_wrapped};
use crate::present::{asset_fields, task_fields};
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
    /// A task opened by its ID (pasted into the input): the pane shows the task alone.
    task_only: Option<String>,
    scroll: u16,
    /// Changes whenever what the pane is about changes (views built from it compare this).
    version: u64,
}

/// At most this many of a generation's files are listed (the rest are counted).
pub const ARTIFACTS_SHOWN: usize = 20;

impl Default for Detail {
    fn default() -> Detail {
        Detail { asset_id: String::new(), state: Load::Idle, task_only: None, scroll: 0, version: 0 }
    }
}

/// A number no other state of the detail had, for `Detail::version`.
fn next_version() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
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

    /// Different for every asset or state shown (a refresh of the same asset included).
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The task opened by its ID, when the pane shows a task alone.
    pub fn task_only(&self) -> Option<&str> {
        self.task_only.as_deref()
    }

    /// Shows something new, from the top.
    pub(super) fn set(&mut self, asset_id: String, state: Load<Shown>) {
        *self = Detail { asset_id, state, task_only: None, scroll: 0, version: next_version() };
    }

    /// Shows a task alone (its generation section does the rest).
    pub(super) fn set_task(&mut self, task_id: String) {
        *self = Detail { task_only: Some(task_id), version: next_version(), ..Detail::default() };
    }

    /// Scrolls so that line `index` is on a screen of `page` lines.
    pub(super) fn reveal(&mut self, index: usize, page: usize) {
        let scroll = self.scroll as usize;
        if index < scroll {
            self.scroll = index.min(u16::MAX as usize) as u16;
        } else if index >= scroll + page.max(1) {
            self.scroll = (index + 1 - page.max(1)).min(u16::MAX as usize) as u16;
        }
    }

    /// Changes what is known of the same asset, keeping the scroll position.
    pub(super) fn replace_state(&mut self, state: Load<Shown>) {
        self.state = state;
        self.version = next_version();
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
    pub fn lines(
        &self,
        width: u16,
        now: Timestamp,
        spinner: &str,
        hint: Option<&str>,
        generation: Option<&Generation>,
    ) -> Vec<TextLine> {
        let width = width as usize;
        let mut out = Vec::new();
        if let Some(task_id) = &self.task_only {
            push_field(&mut out, "Task ID", Some(&sanitize::clean(task_id)), width);
            generation_lines(&mut out, generation, None, width, now, spinner);
            return out;
        }
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
                generation_lines(&mut out, generation, Some(&shown.asset), width, now, spinner);
            }
        }
        out
    }

    /// The pane's title: the asset's name once it is known.
    pub fn title(&self) -> String {
        if self.task_only.is_some() {
            return " Task ".to_string();
        }
        match &self.state {
            Load::Loaded(shown) => match &shown.asset.name {
                Some(name) => format!(" {name} "),
                None => " Asset ".to_string(),
            },
            _ => " Detail ".to_string(),
        }
    }
}

/// The "Generation" section: the task behind the asset (or the task opened alone).
fn generation_lines(
    out: &mut Vec<TextLine>,
    generation: Option<&Generation>,
    asset: Option<&Asset>,
    width: usize,
    now: Timestamp,
    spinner: &str,
) {
    out.push(TextLine::plain(String::new(), Tone::Plain));
    push_wrapped(out, "Generation", width, Tone::Heading);
    let Some(generation) = generation else {
        let text = if asset.and_then(|a| a.is_user_upload) == Some(true) {
            "Uploaded, not generated: no task made this asset."
        } else {
            "No generation task is recorded for this asset."
        };
        push_wrapped(out, text, width, Tone::Hint);
        return;
    };
    match generation.state() {
        Load::Idle | Load::Loading => {
            push_wrapped(out, &format!("{spinner} Fetching the task…"), width, Tone::Pending);
        }
        Load::Failed(ApiError::NotFound) => {
            let what = if asset.is_some() { "The task behind this asset" } else { "This task" };
            push_wrapped(
                out,
                &format!("{what} is gone (404): its prompt and settings can no longer be read."),
                width,
                Tone::Bad,
            );
            if let Some(name) = asset.and_then(|a| a.name.as_deref()) {
                push_field(
                    out,
                    "Best known",
                    Some(&format!("{name} (the asset's name, which begins with its prompt)")),
                    width,
                );
            }
        }
        Load::Failed(error) => {
            push_wrapped(out, &format!("{error} Press r in the detail to try again."), width, Tone::Bad);
        }
        Load::Loaded(shown) => task_lines(out, shown, generation.selected(), width, now),
    }
}

fn task_lines(out: &mut Vec<TextLine>, shown: &TaskShown, selected: Option<usize>, width: usize, now: Timestamp) {
    let task = &shown.task;
    push_field(out, "Model", Some(&task_fields::heading(task)), width);
    let mut status = task_fields::status_line(task);
    if shown.remembered {
        status.push_str(" (remembered: a finished task does not change)");
    }
    push_field(out, "Status", Some(&status), width);
    match task.prompt() {
        Some(prompt) => push_field(out, "Prompt", Some(prompt), width),
        None => push_field(out, "Prompt", Some("none (this kind of task has no text prompt)"), width),
    }
    push_field(out, "Seed", task.seed().map(|s| s.to_string()).as_deref(), width);
    let options: Vec<String> = task.option_pairs().into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
    if !options.is_empty() {
        push_field(out, "Options", Some(&options.join(" · ")), width);
    }
    if let Some(created) = &task.created_at {
        push_field(out, "Created", Some(&format::date_with_age(created, now)), width);
    }
    if let Some(error) = &task.error {
        push_field(out, "Error", Some(error), width);
    }
    let count = task.artifacts.len();
    let files = match count {
        0 => "none listed".to_string(),
        1 => "1 file · [ ] choose, Enter opens".to_string(),
        n => format!("{n} files · [ ] choose, Enter opens"),
    };
    push_field(out, "Made", Some(&files), width);
    for (i, artifact) in task.artifacts.iter().take(ARTIFACTS_SHOWN).enumerate() {
        let marker = if selected == Some(i) { "▶ " } else { "  " };
        let mut parts = vec![artifact.name.clone().unwrap_or_else(|| "(no name)".to_string())];
        if let (Some(w), Some(h)) = (artifact.width, artifact.height) {
            parts.push(format!("{w}×{h}"));
        }
        if let Some(d) = artifact.duration {
            parts.push(format::duration(d));
        }
        if let Some(size) = artifact.file_size {
            parts.push(format::size(size));
        }
        let tone = if selected == Some(i) { Tone::Selected } else { Tone::Plain };
        for (j, chunk) in
            crate::present::wrap::wrap(&parts.join(" · "), width.saturating_sub(2)).into_iter().enumerate()
        {
            let head = if j == 0 { marker } else { "  " };
            out.push(TextLine { spans: vec![(head.to_string(), tone), (chunk, tone)] });
        }
    }
    if count > ARTIFACTS_SHOWN {
        push_wrapped(out, &format!("  … and {} more", count - ARTIFACTS_SHOWN), width, Tone::Hint);
    }
    if task.skipped_artifacts > 0 {
        push_wrapped(
            out,
            &format!("  ({} unreadable file entries skipped)", task.skipped_artifacts),
            width,
            Tone::Hint,
        );
    }
}

/// The error a stopped lookup leaves behind.
pub(super) fn cancelled() -> Load<Shown> {
    Load::Failed(ApiError::Cancelled)
}
