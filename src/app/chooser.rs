//! The account chooser: the linked Runway accounts (emails and error states only), which one
//! is selected, and why the chooser opened.

use super::load::Load;
use super::msg::RequestId;
use crate::api::AccountSummary;

#[derive(Debug)]
pub struct Chooser {
    accounts: Load<Vec<AccountSummary>>,
    request: RequestId,
    selected: usize,
    /// Shown above the list: why a choice is needed, when the API asked for one.
    reason: Option<String>,
}

impl Chooser {
    pub(super) fn new(request: RequestId, reason: Option<String>) -> Chooser {
        Chooser { accounts: Load::Loading, request, selected: 0, reason }
    }

    pub fn accounts(&self) -> &Load<Vec<AccountSummary>> {
        &self.accounts
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }

    pub(super) fn request(&self) -> RequestId {
        self.request
    }

    /// Takes the answer to its own request; `current` is preselected when it is listed.
    pub(super) fn answered(&mut self, result: Load<Vec<AccountSummary>>, current: Option<&str>) {
        if let (Load::Loaded(list), Some(current)) = (&result, current) {
            self.selected = list.iter().position(|a| a.email == current).unwrap_or(0);
        }
        self.accounts = result;
    }

    pub(super) fn move_by(&mut self, delta: isize) {
        if let Load::Loaded(list) = &self.accounts
            && !list.is_empty()
        {
            self.selected = (self.selected as isize).saturating_add(delta).clamp(0, list.len() as isize - 1) as usize;
        }
    }

    pub(super) fn chosen(&self) -> Option<&AccountSummary> {
        self.accounts.loaded().and_then(|list| list.get(self.selected))
    }
}
