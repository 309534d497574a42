//! Looking an asset up: starting a lookup (typed or reopened from history), cancelling it, and
//! what its answer, or the stored copy read meanwhile, does to the detail pane.

use super::detail::{Shown, Source, cancelled};
use super::{App, Effect, InFlight, Load, RequestId, Status, short};
use crate::api::client::{Fetched, normalize_id};
use crate::api::{ApiError, Asset, as_task_id};
use crate::history::{HistoryEntry, HistoryError};

impl App {
    /// Starts a lookup of what the user typed; empty input sends nothing.
    pub(super) fn submit(&mut self) -> Vec<Effect> {
        let text = self.input.value().to_string();
        match normalize_id(&text) {
            Ok(id) if as_task_id(id).is_some() => {
                // A task is an address too: the pane shows the task and the files it made.
                self.filter_dirty = false;
                let mut effects = self.cancel_in_flight();
                self.detail.set_task(id.to_string());
                self.status = None;
                effects.extend(self.sync_generation());
                effects
            }
            Ok(id) => {
                // Filtering the history by an ID just submitted helps no one, and would delay
                // the frame that shows the lookup starting.
                self.filter_dirty = false;
                self.start_lookup(id.to_string())
            }
            Err(ApiError::EmptyId) => {
                self.status = Status::info(ApiError::EmptyId.to_string());
                vec![]
            }
            Err(error) => {
                self.status = Status::error(error.to_string());
                vec![]
            }
        }
    }

    /// Shows the stored copy of the selected history row as soon as the disk answers, and
    /// fetches a fresh one.
    pub(super) fn reopen_selected(&mut self) -> Vec<Effect> {
        let Some(row) = self.history.selected_row() else {
            return vec![];
        };
        let mut effects = self.start_lookup(row.asset_id.clone());
        if let Some(Effect::Fetch { request, .. }) = effects.last() {
            let read = Effect::ReadSnapshot { request: *request, row };
            effects.insert(effects.len() - 1, read);
        }
        effects
    }

    pub(super) fn start_lookup(&mut self, asset_id: String) -> Vec<Effect> {
        let mut effects = self.cancel_in_flight();
        self.detail.set(asset_id.clone(), Load::Loading);
        let request = self.take_request_id();
        self.last_lookup = request;
        self.spinner = 0;
        self.status = None;
        self.in_flight = Some(InFlight { request, asset_id: asset_id.clone() });
        effects.push(Effect::Fetch { request, asset_id });
        effects
    }

    pub(super) fn cancel_in_flight(&mut self) -> Vec<Effect> {
        self.in_flight.take().map(|f| Effect::Cancel { request: f.request }).into_iter().collect()
    }

    /// Esc: stops the lookup in flight; a stored copy on screen stays, marked as not refreshed.
    /// Returns None when nothing was in flight.
    pub(super) fn stop_lookup(&mut self) -> Option<Vec<Effect>> {
        let flight = self.in_flight.take()?;
        self.status = Status::info(format!("Stopped looking up {}.", short(&flight.asset_id)));
        let state = match self.detail.take_state() {
            Load::Loaded(shown) => Load::Loaded(Shown { refreshing: false, note: None, ..shown }),
            Load::Loading => cancelled(),
            other => other,
        };
        self.detail.replace_state(state);
        Some(vec![Effect::Cancel { request: flight.request }])
    }

    pub(super) fn on_fetched(
        &mut self,
        request: RequestId,
        asset_id: String,
        result: Result<Fetched, ApiError>,
    ) -> Vec<Effect> {
        if self.in_flight.as_ref().map(|f| f.request) != Some(request) {
            return vec![]; // an abandoned lookup's late answer
        }
        self.in_flight = None;
        match result {
            Ok(fetched) => {
                let entry = HistoryEntry::from_lookup(&asset_id, &fetched, self.now);
                // The typed ID has done its job; clearing it lets the history show every row again.
                if normalize_id(self.input.value()).is_ok_and(|typed| typed == asset_id) {
                    self.input.reset();
                    self.filter_dirty = true;
                }
                let shown = Shown {
                    asset: Box::new(fetched.asset),
                    raw: fetched.raw,
                    source: Source::Fresh,
                    refreshing: false,
                    note: None,
                };
                self.detail.set(entry.asset_id.clone(), Load::Loaded(shown));
                vec![Effect::Record(entry)]
            }
            Err(error) => {
                // The sentence says how to fix what the user can (a missing token, say).
                let text = self.error_sentence(&error);
                let state = match self.detail.take_state() {
                    // A refresh of a stored copy failed: keep the copy, say why it is not fresh.
                    Load::Loaded(shown) => Load::Loaded(Shown {
                        refreshing: false,
                        note: Some(format!("Could not refresh: {text}")),
                        ..shown
                    }),
                    _ => Load::Failed(error),
                };
                self.detail.replace_state(state);
                self.status = Status::error(text);
                vec![]
            }
        }
    }

    pub(super) fn on_snapshot(&mut self, request: RequestId, result: Result<HistoryEntry, HistoryError>) {
        // Only the latest lookup's snapshot counts, and only until its fresh copy has arrived.
        let latest = self.last_lookup == request;
        let refresh_failed = match self.detail.state() {
            Load::Loading if latest => None,
            // The refresh failed before the disk answered (offline, say): the stored copy is
            // still worth showing, with the reason it is not fresh.
            Load::Failed(error) if latest => Some(error.to_string()),
            _ => return,
        };
        match result {
            Ok(entry) => match Asset::from_value(entry.asset.clone()) {
                Ok(asset) => {
                    let shown = Shown {
                        asset: Box::new(asset),
                        raw: entry.asset,
                        source: Source::Stored { looked_up_at: entry.looked_up_at },
                        refreshing: refresh_failed.is_none(),
                        note: refresh_failed.map(|e| format!("Could not refresh: {e}")),
                    };
                    self.detail.set(entry.asset_id, Load::Loaded(shown));
                }
                Err(e) => {
                    self.status = Status::warning(format!("The stored copy is unreadable ({e}); fetching a fresh one."))
                }
            },
            Err(e) => self.status = Status::warning(format!("{e} Fetching a fresh copy.")),
        }
    }
}
