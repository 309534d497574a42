//! The generation behind the asset on screen: which task, whether it is known (from the
//! cache of finished tasks, or fetched), polled every 5 s while it runs and is on screen, and
//! which of the files it made is selected. The task follows the detail: `sync_generation`
//! runs after every message and starts, keeps or drops it.

use std::time::Duration;

use super::load::Load;
use super::msg::RequestId;
use super::{App, Effect, Status};
use crate::api::{ApiError, Task};

/// A running task is read again this often while it is on screen, never more.
pub const POLL_EVERY: Duration = Duration::from_secs(5);

/// A task on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskShown {
    pub task: Box<Task>,
    /// Remembered from an earlier visit (finished tasks never change).
    pub remembered: bool,
}

#[derive(Debug)]
pub struct Generation {
    task_id: String,
    state: Load<TaskShown>,
    /// The fetch on its way, or the poll timer waiting, if any.
    request: Option<RequestId>,
    /// The artifact chosen with [ and ], to open with Enter.
    selected: Option<usize>,
}

impl Generation {
    pub fn task_id(&self) -> &str {
        &self.task_id
    }

    pub fn state(&self) -> &Load<TaskShown> {
        &self.state
    }

    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    pub fn is_loading(&self) -> bool {
        self.state.is_loading()
    }
}

/// What the detail wants to know the generation of.
fn wanted(app: &App) -> Option<String> {
    if let Some(task_id) = app.detail.task_only() {
        return Some(task_id.to_string());
    }
    let shown = app.detail.shown()?;
    shown.asset.task_id.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

impl App {
    /// Keeps the generation in step with the detail: a new task is looked for in the cache of
    /// finished tasks at once (drawn in the same frame) and else fetched; one no longer shown
    /// is dropped with its request or poll.
    pub(super) fn sync_generation(&mut self) -> Vec<Effect> {
        let wanted = wanted(self);
        if self.generation.as_ref().map(|g| g.task_id.as_str()) == wanted.as_deref() {
            return vec![];
        }
        let mut effects: Vec<Effect> = self
            .generation
            .take()
            .and_then(|g| g.request)
            .map(|request| Effect::Cancel { request })
            .into_iter()
            .collect();
        if let Some(task_id) = wanted {
            self.generation =
                Some(Generation { task_id: task_id.clone(), state: Load::Loading, request: None, selected: None });
            effects.push(Effect::ReadCachedTask { task_id });
        }
        effects
    }

    /// The cache answered: a finished task is shown with no request; else it is fetched.
    pub(super) fn on_cached_task(&mut self, task_id: String, task: Option<Box<Task>>) -> Vec<Effect> {
        let waiting = self
            .generation
            .as_ref()
            .is_some_and(|g| g.task_id == task_id && g.request.is_none() && g.state.is_loading());
        if !waiting {
            return vec![];
        }
        if let Some(task) = task.filter(|t| t.is_finished()) {
            let origin = self.detail.shown().and_then(|s| s.asset.asset_id.clone());
            self.remember_prompts(&task, origin.as_deref());
            if let Some(g) = self.generation.as_mut() {
                g.state = Load::Loaded(TaskShown { task, remembered: true });
            }
            return vec![];
        }
        self.fetch_task()
    }

    fn fetch_task(&mut self) -> Vec<Effect> {
        if self.settings.no_token {
            if let Some(g) = self.generation.as_mut() {
                g.state = Load::Failed(ApiError::NoToken);
            }
            return vec![];
        }
        let request = self.take_request_id();
        let Some(generation) = self.generation.as_mut() else { return vec![] };
        generation.request = Some(request);
        if !matches!(generation.state, Load::Loaded(_)) {
            generation.state = Load::Loading;
        }
        vec![Effect::FetchTask { request, task_id: generation.task_id.clone() }]
    }

    pub(super) fn on_task(
        &mut self,
        request: RequestId,
        result: Result<crate::api::FetchedTask, ApiError>,
    ) -> Vec<Effect> {
        let Some(generation) = self.generation.as_mut().filter(|g| g.request == Some(request)) else {
            return vec![]; // for a task no longer shown
        };
        generation.request = None;
        match result {
            Ok(fetched) => {
                let task = fetched.task;
                let task_id = generation.task_id.clone();
                let mut effects = Vec::new();
                if task.is_finished() {
                    effects.push(Effect::StoreTask { task_id, raw: fetched.raw });
                } else if task.is_running() {
                    let poll = self.take_request_id();
                    effects.push(Effect::PollTaskAfter { request: poll, delay: POLL_EVERY });
                    if let Some(g) = self.generation.as_mut() {
                        g.request = Some(poll);
                    }
                }
                let origin = self.detail.shown().and_then(|s| s.asset.asset_id.clone());
                self.remember_prompts(&task, origin.as_deref());
                if let Some(g) = self.generation.as_mut() {
                    g.state = Load::Loaded(TaskShown { task: Box::new(task), remembered: false });
                }
                effects
            }
            Err(error) => {
                // A running task that could not be re-read keeps what was shown.
                if !matches!(generation.state, Load::Loaded(_)) {
                    generation.state = Load::Failed(error);
                }
                vec![]
            }
        }
    }

    /// The poll timer fired: read the task again, if it is still on screen.
    pub(super) fn on_poll_task(&mut self, request: RequestId) -> Vec<Effect> {
        match self.generation.as_mut() {
            Some(g) if g.request == Some(request) => {
                g.request = None;
                self.fetch_task()
            }
            _ => vec![],
        }
    }

    /// `r` in the detail: the generation again (after a failure, or to refresh a running one).
    pub(super) fn retry_generation(&mut self) -> Vec<Effect> {
        let Some(generation) = self.generation.as_mut() else {
            self.status = Status::info("This asset has no generation to fetch.".into());
            return vec![];
        };
        let mut effects: Vec<Effect> =
            generation.request.take().map(|request| Effect::Cancel { request }).into_iter().collect();
        effects.extend(self.fetch_task());
        effects
    }

    /// `[` / `]`: the previous or next file the generation made.
    pub(super) fn select_artifact(&mut self, delta: isize) {
        let Some(generation) = self.generation.as_mut() else { return };
        let Some(shown) = generation.state.loaded() else { return };
        let count = shown.task.artifacts.len().min(super::detail::ARTIFACTS_SHOWN);
        if count == 0 {
            return;
        }
        let next = match generation.selected {
            None if delta >= 0 => 0,
            None => count - 1,
            Some(i) => (i as isize + delta).clamp(0, count as isize - 1) as usize,
        };
        generation.selected = Some(next);
        // Scroll the chosen file into view.
        let lines = self.detail_lines();
        if let Some(index) = lines.iter().position(|l| l.spans.first().is_some_and(|(t, _)| t == "▶ ")) {
            self.detail.reveal(index, self.layout.detail_page());
        }
    }

    /// Enter in the detail: open the selected artifact, as a lookup.
    pub(super) fn open_artifact(&mut self) -> Vec<Effect> {
        let id = self.generation.as_ref().and_then(|g| {
            let index = g.selected?;
            g.state.loaded()?.task.artifacts.get(index)?.asset_id.clone()
        });
        match id {
            Some(id) => self.start_lookup(id),
            None => {
                self.status = Status::info(
                    "Choose one of the files the generation made with [ and ], then Enter opens it.".into(),
                );
                vec![]
            }
        }
    }

    /// Keeps what a task says of its prompt, for the lists' filter: under each file it made,
    /// and the asset it was reached from.
    fn remember_prompts(&mut self, task: &Task, origin: Option<&str>) {
        let Some(prompt) = task.prompt() else { return };
        let ids = task.artifacts.iter().filter_map(|a| a.asset_id.as_deref()).chain(origin);
        for id in ids {
            self.prompts.insert(id, prompt);
        }
    }

    /// Prompts remembered from earlier sessions, read in the background at start.
    pub(super) fn on_known_prompts(&mut self, known: Vec<(String, String)>) {
        for (id, prompt) in known {
            self.prompts.insert_if_absent(&id, &prompt);
        }
        self.filter_dirty = !self.input.value().trim().is_empty();
    }
}
