//! The Account list at work: showing it, paging it as the selection nears its end, the type
//! filter, reloading, the cached first page, showing a listed asset's detail, and choosing the
//! account (also when the API says one must be chosen).

use super::browser::{PAGE_SIZE, Paging};
use super::chooser::Chooser;
use super::detail::{Shown, Source};
use super::{App, Effect, Load, RequestId, Status, Tab};
use crate::api::{AccountSummary, ApiError, ListQuery, MediaFilter, Page};

impl App {
    /// `1` / `2`, or a click on a tab title.
    pub(super) fn show_tab(&mut self, tab: Tab) -> Vec<Effect> {
        self.tab = tab;
        // What is typed narrows the list shown, whichever it is (applied with the frame).
        self.filter_dirty = !self.input.value().trim().is_empty();
        match tab {
            Tab::History => vec![],
            Tab::Account => {
                let mut effects = self.start_listing();
                effects.extend(self.show_listed_selection());
                effects
            }
        }
    }

    /// The first look at a listing: its cached first page at once, and a fresh one.
    fn start_listing(&mut self) -> Vec<Effect> {
        let account = self.browser.account().map(str::to_string);
        let filter = self.browser.filter();
        let listing = self.browser.listing_mut();
        if listing.is_started() {
            return self.more_if_needed();
        }
        let mut effects = vec![Effect::ReadCachedPage { account, filter }];
        effects.extend(self.fetch_page(0));
        effects
    }

    /// Asks for the page at `offset` of the listing shown.
    fn fetch_page(&mut self, offset: u32) -> Vec<Effect> {
        if self.settings.no_token {
            let screen = self.layout.list_page();
            self.browser.listing_mut().fail(ApiError::NoToken, screen);
            return vec![];
        }
        let request = self.take_request_id();
        let query = ListQuery {
            offset,
            limit: PAGE_SIZE,
            media: self.browser.filter(),
            account: self.browser.account().map(str::to_string),
        };
        self.browser.listing_mut().start_loading(request);
        self.spinner = 0;
        vec![Effect::FetchPage { request, query }]
    }

    /// The next page, when the selection is within a screenful of the end.
    pub(super) fn more_if_needed(&mut self) -> Vec<Effect> {
        let page = self.layout.list_page();
        let listing = self.browser.listing_mut();
        if listing.wants_next_page(page) {
            let offset = listing.next_offset();
            return self.fetch_page(offset);
        }
        vec![]
    }

    /// Moving past the end of a list whose last page failed tries it again.
    pub(super) fn retry_at_the_end(&mut self) -> Vec<Effect> {
        let listing = self.browser.listing_mut();
        let at_end = listing.selected() + 1 >= listing.visible_len();
        if at_end && matches!(listing.paging(), Paging::Failed(_)) {
            let offset = listing.next_offset();
            return self.fetch_page(offset);
        }
        vec![]
    }

    /// `t`: the next type filter; each keeps its own listing.
    pub(super) fn cycle_filter(&mut self) -> Vec<Effect> {
        if self.tab != Tab::Account {
            self.status = Status::info("t filters the Account list by type: press 2 to show it.".into());
            return vec![];
        }
        let mut effects = self.leave_listing();
        self.browser.set_filter(self.browser.filter().next());
        self.filter_dirty = true;
        effects.extend(self.start_listing());
        effects.extend(self.show_listed_selection());
        effects
    }

    /// `r`: the listing from its first page again; its rows stay until the fresh page comes.
    pub(super) fn reload_listing(&mut self) -> Vec<Effect> {
        if self.tab != Tab::Account {
            self.status = Status::info("r reloads the Account list: press 2 to show it.".into());
            return vec![];
        }
        let mut effects = self.leave_listing();
        self.browser.listing_mut().reload();
        effects.extend(self.fetch_page(0));
        effects
    }

    /// Stops the page the listing shown is waiting for (it is asked again when needed).
    pub(super) fn leave_listing(&mut self) -> Vec<Effect> {
        let listing = self.browser.listing_mut();
        let request = listing.loading_request();
        listing.abandon_loading();
        request.map(|request| Effect::Cancel { request }).into_iter().collect()
    }

    /// Esc while a page loads: stop it. None when no page was loading.
    pub(super) fn stop_page(&mut self) -> Option<Vec<Effect>> {
        if self.tab != Tab::Account || self.browser.listing().and_then(|l| l.loading_request()).is_none() {
            return None;
        }
        self.status = Status::info("Stopped loading the Account list; scroll down or press r to go on.".into());
        Some(self.leave_listing())
    }

    /// Moves the Account list's selection and shows the asset now selected.
    pub(super) fn move_listing(&mut self, delta: isize) -> Vec<Effect> {
        let screen = self.layout.list_page();
        let before = self.browser.listing().map(|l| l.selected());
        self.browser.listing_mut().move_by(delta, screen);
        let mut effects = if delta > 0 { self.retry_at_the_end() } else { vec![] };
        if self.browser.listing().map(|l| l.selected()) != before {
            effects.extend(self.show_listed_selection());
        }
        effects.extend(self.more_if_needed());
        effects
    }

    pub(super) fn click_listing(&mut self, row: usize) -> Vec<Effect> {
        let screen = self.layout.list_page();
        self.browser.listing_mut().select_on_screen(row, screen);
        let mut effects = self.show_listed_selection();
        effects.extend(self.more_if_needed());
        effects
    }

    /// The selected row's detail, from the listing itself: no request.
    pub(super) fn show_listed_selection(&mut self) -> Vec<Effect> {
        let Some(listing) = self.browser.listing() else { return vec![] };
        let Some(row) = listing.selected_row() else { return vec![] };
        let Some(id) = row.asset_id.clone() else { return vec![] };
        // Already about this asset (listed, being fetched, or fresh): leave it be.
        if self.detail.asset_id() == Some(id.as_str()) {
            return vec![];
        }
        let listed_at = listing.fetched_at().or(listing.cached_at()).unwrap_or(self.now);
        let shown = Shown {
            asset: Box::new(row.asset().unwrap_or_default()),
            raw: row.raw_value(),
            source: Source::Listed { listed_at },
            refreshing: false,
            note: None,
        };
        let effects = self.cancel_in_flight();
        self.detail.set(id, Load::Loaded(shown));
        effects
    }

    /// Enter on an Account list row: a fresh copy by ID, recorded in History.
    pub(super) fn open_listed(&mut self) -> Vec<Effect> {
        let id = self.browser.listing().and_then(|l| l.selected_row()).and_then(|r| r.asset_id.clone());
        match id {
            Some(id) => self.start_lookup(id),
            None => vec![],
        }
    }

    pub(super) fn on_page(
        &mut self,
        request: RequestId,
        query: ListQuery,
        result: Result<Page, ApiError>,
    ) -> Vec<Effect> {
        let screen = self.layout.list_page();
        let now = self.now;
        if query.account.as_deref() != self.browser.account() {
            return vec![]; // for an account no longer shown
        }
        let Some((filter, listing)) = self.browser.listing_waiting_for(request) else {
            return vec![]; // abandoned
        };
        match result {
            Ok(page) => {
                if page.skipped > 0 {
                    self.status = Status::warning(format!(
                        "{} item(s) of the Account list were not readable assets and were skipped.",
                        page.skipped
                    ));
                }
                let items = (query.offset == 0).then(|| page.items.iter().map(|i| i.raw.get().to_string()).collect());
                listing.add_page(query.offset, page, now, screen);
                let mut effects: Vec<Effect> = items
                    .map(|items| Effect::StoreCachedPage { account: query.account.clone(), filter, items })
                    .into_iter()
                    .collect();
                if filter == self.browser.filter() && self.tab == Tab::Account {
                    if self.focus == super::Focus::List {
                        effects.extend(self.show_listed_selection());
                    }
                    effects.extend(self.more_if_needed());
                }
                effects
            }
            Err(ApiError::AccountRequired(message)) if query.account.is_none() => {
                listing.fail(ApiError::AccountRequired(message.clone()), screen);
                self.open_chooser(Some(
                    "Several Runway accounts are linked to this token: choose the one to list.".to_string(),
                ))
            }
            Err(error) => {
                listing.fail(error.clone(), screen);
                self.status = Status::error(self.error_sentence(&error));
                vec![]
            }
        }
    }

    pub(super) fn on_cached_page(
        &mut self,
        account: Option<String>,
        filter: MediaFilter,
        cached: Option<(jiff::Timestamp, Page)>,
    ) -> Vec<Effect> {
        if account.as_deref() != self.browser.account() {
            return vec![];
        }
        let screen = self.layout.list_page();
        if let Some((saved_at, page)) = cached {
            self.browser.listing_for(filter).show_cached(page, saved_at, screen);
            if filter == self.browser.filter() && self.focus == super::Focus::List {
                return self.show_listed_selection();
            }
        }
        vec![]
    }

    /// `a`, or the API asking for an account: the chooser, and the accounts fetched for it.
    pub(super) fn open_chooser(&mut self, reason: Option<String>) -> Vec<Effect> {
        if self.settings.no_token {
            self.status = Status::error(self.error_sentence(&ApiError::NoToken));
            return vec![];
        }
        let request = self.take_request_id();
        self.chooser = Some(Chooser::new(request, reason));
        vec![Effect::FetchAccounts { request }]
    }

    pub(super) fn on_accounts(&mut self, request: RequestId, result: Result<Vec<AccountSummary>, ApiError>) {
        let current = self.browser.account().map(str::to_string);
        let sentence = result.as_ref().err().map(|e| self.error_sentence(e));
        let Some(chooser) = self.chooser.as_mut().filter(|c| c.request() == request) else { return };
        let state = match result {
            Ok(list) => Load::Loaded(list),
            Err(error) => Load::Failed(error),
        };
        chooser.answered(state, current.as_deref());
        if let Some(sentence) = sentence {
            self.status = Status::error(sentence);
        }
    }

    pub(super) fn move_chooser(&mut self, delta: isize) {
        if let Some(chooser) = &mut self.chooser {
            chooser.move_by(delta);
        }
    }

    /// Enter in the chooser: list that account, for this session.
    pub(super) fn choose_account(&mut self) -> Vec<Effect> {
        let Some(chosen) = self.chooser.as_ref().and_then(|c| c.chosen()).cloned() else {
            self.chooser = None;
            return vec![];
        };
        self.chooser = None;
        let mut effects: Vec<Effect> =
            self.browser.loading_requests().into_iter().map(|request| Effect::Cancel { request }).collect();
        self.browser.set_account(Some(chosen.email.clone()));
        self.filter_dirty = !self.input.value().trim().is_empty();
        let warning = chosen.error.as_ref().map(|e| format!(" It is in an error state ({e}): listing it may fail."));
        self.status = Status::info(format!(
            "Listing {} for this session. To make it permanent, put account = \"{}\" in {} (or set USEAPI_ACCOUNT).{}",
            chosen.email,
            chosen.email,
            self.settings.config_file,
            warning.unwrap_or_default()
        ));
        effects.extend(self.show_tab(Tab::Account));
        effects
    }
}
