//! The Account list's transitions, driven as a person drives it (keys, clicks) through
//! `App::update`, with the fetch worker's answers played back as messages: the cached first
//! page, paging a screenful ahead, the end and the ceiling, failures, the type filter, reload,
//! typing to narrow, the account chooser, no token, and the mouse.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use jiff::Timestamp;
use runway_assets::api::client::Fetched;
use runway_assets::api::{AccountSummary, ApiError, Asset, ListQuery, MediaFilter, Page};
use runway_assets::app::{App, Effect, Focus, Load, Msg, Paging, RequestId, Shown, Source, StartupNotes, Tab};
use serde_json::{Value, json};

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

fn app_with(width: u16, height: u16, notes: StartupNotes) -> App {
    App::new((width, height), now(), notes)
}

fn app_for(account: &str) -> App {
    app_with(120, 36, StartupNotes { account: Some(account.into()), ..StartupNotes::default() })
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now())
}

fn ch(app: &mut App, c: char) -> Vec<Effect> {
    key(app, KeyCode::Char(c))
}

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))), now())
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        ch(app, c);
    }
}

fn settle(app: &mut App) -> Vec<Effect> {
    app.update(Msg::Settle, now())
}

fn click(app: &mut App, column: u16, row: u16) -> Vec<Effect> {
    let mouse =
        MouseEvent { kind: MouseEventKind::Down(MouseButton::Left), column, row, modifiers: KeyModifiers::NONE };
    app.update(Msg::Terminal(Event::Mouse(mouse)), now())
}

/// One asset as the server lists it.
fn item(i: u32) -> Value {
    json!({
        "assetId": format!("id-{i}"),
        "name": format!("Clip {i}.mp4"),
        "mediaType": "video",
        "createdAt": "2026-11-27T10:00:00Z",
        "metadata": { "width": 1280, "height": 768, "duration": 5 },
    })
}

/// A page as the worker reads it from the server's JSON array.
fn page_of(items: Vec<Value>) -> Page {
    Page::from_value(Value::Array(items)).unwrap()
}

fn page(ids: std::ops::Range<u32>) -> Page {
    page_of(ids.map(item).collect())
}

fn page_requests(effects: &[Effect]) -> Vec<(RequestId, ListQuery)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchPage { request, query } => Some((*request, query.clone())),
            _ => None,
        })
        .collect()
}

/// The one page request among `effects`.
fn one_page_request(effects: &[Effect]) -> (RequestId, ListQuery) {
    let requests = page_requests(effects);
    assert_eq!(requests.len(), 1, "one page request expected in {effects:?}");
    requests.into_iter().next().unwrap()
}

fn answer(app: &mut App, asked: &(RequestId, ListQuery), result: Result<Page, ApiError>) -> Vec<Effect> {
    app.update(Msg::Page { request: asked.0, query: asked.1.clone(), result: Box::new(result) }, now())
}

/// Focus on the list, then `2`: the page request it makes.
fn show_account_list(app: &mut App) -> (RequestId, ListQuery) {
    key(app, KeyCode::Tab);
    assert_eq!(app.focus(), Focus::List);
    one_page_request(&ch(app, '2'))
}

fn paging(app: &App) -> Paging {
    app.browser().listing().unwrap().paging().clone()
}

fn loaded(app: &App) -> usize {
    app.browser().listing().unwrap().loaded_len()
}

fn selected_id(app: &App) -> String {
    app.browser().listing().unwrap().selected_row().unwrap().asset_id.clone().unwrap()
}

fn shown(app: &App) -> &Shown {
    match app.detail().state() {
        Load::Loaded(shown) => shown,
        other => panic!("expected an asset in the detail, got {other:?}"),
    }
}

fn fetches(effects: &[Effect]) -> Vec<(RequestId, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch { request, asset_id } => Some((*request, asset_id.clone())),
            _ => None,
        })
        .collect()
}

fn fetched_asset(raw: Value) -> Box<Result<Fetched, ApiError>> {
    Box::new(Ok(Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw }))
}

fn query(offset: u32, media: MediaFilter, account: Option<&str>) -> ListQuery {
    ListQuery { offset, limit: 50, media, account: account.map(str::to_string) }
}

// 1. Showing the list.

#[test]
fn two_outside_the_input_reads_the_cache_then_fetches_the_first_page() {
    let mut app = app_for("me@example.com");
    key(&mut app, KeyCode::Tab);
    let effects = ch(&mut app, '2');
    assert_eq!(app.tab(), Tab::Account);
    let [Effect::ReadCachedPage { account, filter }, Effect::FetchPage { query: q, .. }] = &effects[..] else {
        panic!("expected ReadCachedPage then FetchPage, got {effects:?}");
    };
    assert_eq!((account.as_deref(), *filter), (Some("me@example.com"), MediaFilter::All));
    assert_eq!(q, &query(0, MediaFilter::All, Some("me@example.com")));
    assert!(matches!(paging(&app), Paging::Loading { .. }));
    assert!(app.is_loading());
    // Back to History and to the list again: no second first page.
    assert!(ch(&mut app, '1').is_empty());
    assert_eq!(app.tab(), Tab::History);
    assert!(page_requests(&ch(&mut app, '2')).is_empty(), "the first page is already on its way");
}

#[test]
fn two_typed_in_the_input_is_text() {
    let mut app = app_for("me@example.com");
    assert_eq!(app.focus(), Focus::Input);
    for c in ['2', 't', 'r', 'a'] {
        assert!(ch(&mut app, c).is_empty(), "{c} is text in the input");
    }
    assert_eq!(app.input().value(), "2tra");
    assert_eq!(app.tab(), Tab::History);
    assert!(app.chooser().is_none());
}

// 2. The cached first page.

#[test]
fn the_cached_page_shows_at_once_then_the_fresh_page_keeps_the_selection() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    let saved_at: Timestamp = "2026-11-27T09:00:00Z".parse().unwrap();
    let effects = app.update(
        Msg::CachedPage {
            account: Some("me@example.com".into()),
            filter: MediaFilter::All,
            cached: Some((saved_at, page(0..10))),
        },
        now(),
    );
    assert!(effects.is_empty());
    let listing = app.browser().listing().unwrap();
    assert_eq!(listing.loaded_len(), 10, "the cached rows show at once");
    assert_eq!(listing.cached_at(), Some(saved_at));
    assert!(matches!(listing.paging(), Paging::Loading { .. }), "the fresh page is still on its way");
    assert_eq!(shown(&app).source, Source::Listed { listed_at: saved_at });
    for _ in 0..3 {
        ch(&mut app, 'j');
    }
    assert_eq!(selected_id(&app), "id-3");
    // Two new assets came first: the fresh page replaces the copy, the selection stays on id-3.
    let fresh = page_of([item(900), item(901)].into_iter().chain((0..48).map(item)).collect());
    let effects = answer(&mut app, &first, Ok(fresh));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::StoreCachedPage { items, .. } if items.len() == 50)),
        "the fresh first page is kept for next time: {effects:?}"
    );
    let listing = app.browser().listing().unwrap();
    assert_eq!(listing.cached_at(), None);
    assert_eq!(listing.fetched_at(), Some(now()));
    assert_eq!(listing.loaded_len(), 50);
    assert_eq!(selected_id(&app), "id-3");
    assert_eq!(listing.selected(), 5);
}

#[test]
fn a_late_cache_never_overwrites_the_fresh_page() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    answer(&mut app, &first, Ok(page(0..20)));
    let old: Timestamp = "2026-11-20T09:00:00Z".parse().unwrap();
    app.update(
        Msg::CachedPage {
            account: Some("me@example.com".into()),
            filter: MediaFilter::All,
            cached: Some((old, page(500..505))),
        },
        now(),
    );
    let listing = app.browser().listing().unwrap();
    assert_eq!(listing.loaded_len(), 20);
    assert_eq!(listing.cached_at(), None);
    assert_eq!(listing.row_at(0).unwrap().asset_id.as_deref(), Some("id-0"));
    // A cache for another account is ignored too.
    let mut app = app_for("me@example.com");
    show_account_list(&mut app);
    app.update(
        Msg::CachedPage {
            account: Some("other@example.com".into()),
            filter: MediaFilter::All,
            cached: Some((old, page(0..5))),
        },
        now(),
    );
    assert_eq!(loaded(&app), 0);
}

// 3. The detail of a listed asset.

#[test]
fn moving_shows_the_listed_asset_without_a_request_and_enter_fetches_and_records() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    answer(&mut app, &first, Ok(page(0..20)));
    assert_eq!(app.detail().asset_id(), Some("id-0"), "the selected row shows when the page comes");
    let effects = key(&mut app, KeyCode::Down);
    assert!(fetches(&effects).is_empty(), "no request for a listed asset: {effects:?}");
    assert_eq!(app.detail().asset_id(), Some("id-1"));
    assert_eq!(shown(&app).source, Source::Listed { listed_at: now() });
    assert_eq!(shown(&app).asset.name.as_deref(), Some("Clip 1.mp4"));
    assert_eq!(shown(&app).raw, item(1), "the JSON as listed");
    let effects = key(&mut app, KeyCode::Enter);
    let [(request, id)] = &fetches(&effects)[..] else { panic!("Enter fetches the row: {effects:?}") };
    assert_eq!(id, "id-1");
    assert!(app.detail().state().is_loading());
    let effects = app.update(
        Msg::Fetched {
            request: *request,
            asset_id: id.clone(),
            result: fetched_asset(json!({"assetId": "id-1", "name": "Clip 1 (fresh)"})),
        },
        now(),
    );
    assert!(matches!(&effects[..], [Effect::Record(entry)] if entry.asset_id == "id-1"), "{effects:?}");
    assert_eq!(shown(&app).source, Source::Fresh);
    assert_eq!(shown(&app).asset.name.as_deref(), Some("Clip 1 (fresh)"));
}

#[test]
fn a_page_arriving_during_an_enter_lookup_does_not_cancel_it() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    // 120×36 holds 29 rows: the second page is asked for as soon as the first comes.
    let second = one_page_request(&answer(&mut app, &first, Ok(page(0..50))));
    let effects = key(&mut app, KeyCode::Enter);
    let [(request, _)] = &fetches(&effects)[..] else { panic!("{effects:?}") };
    let effects = answer(&mut app, &second, Ok(page(50..100)));
    assert!(!effects.contains(&Effect::Cancel { request: *request }), "the lookup was cancelled: {effects:?}");
    assert_eq!(app.in_flight().map(|f| f.request), Some(*request));
}

#[test]
fn a_cached_page_that_replaces_the_detail_cancels_the_lookup_it_drops() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    answer(&mut app, &first, Ok(page(0..10)));
    let effects = key(&mut app, KeyCode::Enter);
    let [(request, _)] = &fetches(&effects)[..] else { panic!("{effects:?}") };
    ch(&mut app, 't'); // video: its cached rows come next and their first row is shown
    let saved_at: Timestamp = "2026-11-27T09:00:00Z".parse().unwrap();
    let effects = app.update(
        Msg::CachedPage {
            account: Some("me@example.com".into()),
            filter: MediaFilter::Video,
            cached: Some((saved_at, page(100..103))),
        },
        now(),
    );
    if app.in_flight().is_none() {
        assert!(
            effects.contains(&Effect::Cancel { request: *request }),
            "the lookup was dropped silently: {effects:?}"
        );
    }
}

// 4. Paging.

#[test]
fn steady_scrolling_asks_for_the_next_page_a_screenful_ahead() {
    // 100×20: 13 rows on screen, so the first page of 50 does not ask for more at once.
    let mut app = app_with(100, 20, StartupNotes { account: Some("me@example.com".into()), ..StartupNotes::default() });
    let screen = app.layout().list_page();
    assert_eq!(screen, 13);
    let first = show_account_list(&mut app);
    assert!(page_requests(&answer(&mut app, &first, Ok(page(0..50)))).is_empty());
    let mut second = None;
    let mut presses = 0;
    while second.is_none() {
        let effects = key(&mut app, KeyCode::Down);
        presses += 1;
        let listing = app.browser().listing().unwrap();
        assert!(listing.selected() < listing.loaded_len(), "the selection stays on a loaded row");
        if let Some(asked) = page_requests(&effects).into_iter().next() {
            assert_eq!(asked.1, query(50, MediaFilter::All, Some("me@example.com")));
            let remaining = listing.loaded_len() - listing.selected() - 1;
            assert!(remaining >= screen, "asked with {remaining} rows to go, under a screenful ({screen})");
            second = Some(asked);
        }
        assert!(presses < 50, "no page was asked for before the end");
    }
    let second = second.unwrap();
    // While it loads, steady presses ask for nothing more, and never pass the loaded rows.
    for _ in 0..60 {
        let effects = key(&mut app, KeyCode::Down);
        assert!(page_requests(&effects).is_empty(), "one page at a time: {effects:?}");
        let listing = app.browser().listing().unwrap();
        assert!(listing.selected() < listing.loaded_len());
    }
    assert_eq!(app.browser().listing().unwrap().selected(), 49);
    answer(&mut app, &second, Ok(page(50..100)));
    assert_eq!(loaded(&app), 100);
    assert_eq!(selected_id(&app), "id-49", "rows never move under the cursor");
    // PageDown and End page on too.
    let effects = key(&mut app, KeyCode::PageDown);
    let effects = if page_requests(&effects).is_empty() { key(&mut app, KeyCode::End) } else { effects };
    assert_eq!(one_page_request(&effects).1.offset, 100);
}

#[test]
fn a_short_page_ends_the_list_and_repeats_are_dropped() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    // 29 rows on screen: the next page is asked for as soon as the first comes.
    let second = one_page_request(&answer(&mut app, &first, Ok(page(0..50))));
    assert_eq!(second.1.offset, 50);
    // The account gained two assets meanwhile: the next page repeats two already listed.
    let effects = answer(&mut app, &second, Ok(page(48..98)));
    assert_eq!(loaded(&app), 98, "no duplicates");
    let listing = app.browser().listing().unwrap();
    let mut ids: Vec<_> = (0..listing.loaded_len()).map(|p| listing.row_at(p).unwrap().asset_id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 98);
    assert!(page_requests(&effects).is_empty(), "the selection is far from the end");
    let third = one_page_request(&key(&mut app, KeyCode::End));
    assert_eq!(third.1.offset, 100, "offsets follow what the server sent, repeats included");
    answer(&mut app, &third, Ok(page(98..110)));
    assert_eq!(paging(&app), Paging::End);
    assert_eq!(loaded(&app), 110);
    assert!(app.tab_titles()[1].contains("(110)"), "{}", app.tab_titles()[1]);
    assert!(page_requests(&key(&mut app, KeyCode::End)).is_empty());
    assert!(page_requests(&key(&mut app, KeyCode::Down)).is_empty());
    assert!(!app.is_loading());
}

#[test]
fn the_ceiling_stops_paging_at_1050() {
    let mut app = app_for("me@example.com");
    let mut asked = show_account_list(&mut app);
    for n in 0..21u32 {
        assert_eq!(asked.1.offset, n * 50);
        let effects = answer(&mut app, &asked, Ok(page(n * 50..n * 50 + 50)));
        if n == 20 {
            assert!(page_requests(&effects).is_empty());
            break;
        }
        let mut requests = page_requests(&effects);
        if requests.is_empty() {
            requests = page_requests(&ch(&mut app, 'G'));
        }
        assert_eq!(requests.len(), 1, "page {n}");
        asked = requests.remove(0);
    }
    assert_eq!(paging(&app), Paging::Ceiling);
    assert_eq!(loaded(&app), 1050);
    assert!(app.tab_titles()[1].contains("(1,050)"), "{}", app.tab_titles()[1]);
    for code in [KeyCode::End, KeyCode::Down, KeyCode::PageDown] {
        assert!(page_requests(&key(&mut app, code)).is_empty());
    }
    assert!(!app.is_loading());
}

// 5. Failures.

#[test]
fn a_failed_page_keeps_the_rows_and_down_at_the_end_retries() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    let second = one_page_request(&answer(&mut app, &first, Ok(page(0..50))));
    let failure = ApiError::Server { status: 500, message: "it sent an HTML error page".into() };
    assert!(answer(&mut app, &second, Err(failure.clone())).is_empty());
    assert_eq!(loaded(&app), 50, "the loaded rows stay");
    assert_eq!(paging(&app), Paging::Failed(failure));
    assert!(app.status().unwrap().text.contains("500"));
    // Moving within the rows asks nothing; moving past the end retries the page.
    assert!(page_requests(&key(&mut app, KeyCode::Down)).is_empty());
    let mut again = None;
    while again.is_none() {
        let effects = key(&mut app, KeyCode::Down);
        again = page_requests(&effects).into_iter().next();
        assert!(again.is_none() || app.browser().listing().unwrap().selected() == 49, "asked before the end");
    }
    let again = again.unwrap();
    assert_eq!(again.1.offset, 50);
    assert!(page_requests(&key(&mut app, KeyCode::Down)).is_empty(), "one at a time");
    answer(&mut app, &again, Ok(page(50..60)));
    assert_eq!((loaded(&app), paging(&app)), (60, Paging::End));
}

#[test]
fn r_after_a_failure_reloads_from_the_first_page_keeping_the_rows() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    let second = one_page_request(&answer(&mut app, &first, Ok(page(0..50))));
    answer(&mut app, &second, Err(ApiError::Server { status: 500, message: "boom".into() }));
    let reload = one_page_request(&ch(&mut app, 'r'));
    assert_eq!(reload.1.offset, 0);
    assert_eq!(loaded(&app), 50);
}

#[test]
fn unauthorized_mid_paging_keeps_the_rows() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    let second = one_page_request(&answer(&mut app, &first, Ok(page(0..50))));
    answer(&mut app, &second, Err(ApiError::Unauthorized));
    assert_eq!(loaded(&app), 50);
    assert_eq!(paging(&app), Paging::Failed(ApiError::Unauthorized));
    assert!(app.status().unwrap().text.contains("401"));
    assert!(app.chooser().is_none());
    let again = one_page_request(&key(&mut app, KeyCode::End));
    assert_eq!(again.1.offset, 50);
}

// 6. The type filter, leaving and Esc.

#[test]
fn t_cycles_the_type_filters_each_its_own_listing() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    answer(&mut app, &first, Ok(page(0..5)));
    let mut offset = 100;
    for media in [MediaFilter::Video, MediaFilter::Image, MediaFilter::Audio] {
        let effects = ch(&mut app, 't');
        assert_eq!(app.browser().filter(), media);
        assert!(
            effects.contains(&Effect::ReadCachedPage { account: Some("me@example.com".into()), filter: media }),
            "{effects:?}"
        );
        let asked = one_page_request(&effects);
        assert_eq!(asked.1, query(0, media, Some("me@example.com")));
        assert_eq!(loaded(&app), 0, "a listing of its own");
        answer(&mut app, &asked, Ok(page(offset..offset + 3)));
        assert_eq!(loaded(&app), 3);
        assert!(app.tab_titles()[1].contains(media.label()), "{}", app.tab_titles()[1]);
        offset += 100;
    }
    // Back to All: the earlier rows, no request.
    let effects = ch(&mut app, 't');
    assert_eq!(app.browser().filter(), MediaFilter::All);
    assert!(
        effects.iter().all(|e| !matches!(e, Effect::FetchPage { .. } | Effect::ReadCachedPage { .. })),
        "{effects:?}"
    );
    assert_eq!(loaded(&app), 5);
    assert_eq!(selected_id(&app), "id-0");
    // And Video still holds its own.
    ch(&mut app, 't');
    assert_eq!(selected_id(&app), "id-100");
    assert_eq!(app.detail().asset_id(), Some("id-100"));
}

#[test]
fn switching_type_while_a_page_loads_cancels_it() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    let effects = ch(&mut app, 't');
    assert!(effects.contains(&Effect::Cancel { request: first.0 }), "{effects:?}");
    let video = one_page_request(&effects);
    // The abandoned page's late answer changes nothing.
    answer(&mut app, &first, Ok(page(0..50)));
    assert_eq!(loaded(&app), 0);
    assert_eq!(app.browser().filter(), MediaFilter::Video);
    answer(&mut app, &video, Ok(page(100..103)));
    assert_eq!(loaded(&app), 3);
    // Switching away from All left it without a page: coming back asks for it again.
    ch(&mut app, 't');
    ch(&mut app, 't');
    let effects = ch(&mut app, 't');
    assert_eq!(app.browser().filter(), MediaFilter::All);
    assert_eq!(one_page_request(&effects).1, query(0, MediaFilter::All, Some("me@example.com")));
    assert_eq!(loaded(&app), 0);
}

#[test]
fn esc_stops_a_loading_page_and_says_so() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    let effects = key(&mut app, KeyCode::Esc);
    assert_eq!(effects, vec![Effect::Cancel { request: first.0 }]);
    assert!(!app.is_loading());
    assert_eq!(paging(&app), Paging::More);
    assert!(app.status().unwrap().text.contains("Stopped loading the Account list"), "{:?}", app.status());
    assert_eq!(app.focus(), Focus::List, "the first Esc stops the page; it does not move the focus");
    answer(&mut app, &first, Ok(page(0..5)));
    assert_eq!(loaded(&app), 0, "the stopped page's answer is dropped");
    // Nothing loading: Esc goes back to the input.
    assert!(key(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.focus(), Focus::Input);
    // Scrolling (here, r) asks again.
    key(&mut app, KeyCode::Tab);
    assert_eq!(one_page_request(&ch(&mut app, 'r')).1.offset, 0);
}

// 7. Reload.

#[test]
fn r_reloads_from_offset_0_and_keeps_the_rows_until_the_answer() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    answer(&mut app, &first, Ok(page(0..20)));
    ch(&mut app, 'j');
    ch(&mut app, 'j');
    let effects = ch(&mut app, 'r');
    let reload = one_page_request(&effects);
    assert_eq!(reload.1, query(0, MediaFilter::All, Some("me@example.com")));
    assert!(effects.iter().all(|e| !matches!(e, Effect::ReadCachedPage { .. })));
    assert_eq!(loaded(&app), 20, "the rows stay on screen");
    assert_eq!(selected_id(&app), "id-2");
    // r again while it loads: the first reload is cancelled.
    let effects = ch(&mut app, 'r');
    assert!(effects.contains(&Effect::Cancel { request: reload.0 }), "{effects:?}");
    let reload = one_page_request(&effects);
    answer(&mut app, &reload, Ok(page_of([item(7), item(0), item(1), item(2), item(3)].to_vec())));
    assert_eq!(loaded(&app), 5, "the fresh first page replaces the rows");
    assert_eq!(selected_id(&app), "id-2");
    assert_eq!(paging(&app), Paging::End);
    // r on History only explains.
    ch(&mut app, '1');
    assert!(ch(&mut app, 'r').is_empty());
    assert!(app.status().unwrap().text.contains("press 2"));
}

// 8. Typing narrows the loaded rows.

#[test]
fn typing_narrows_the_loaded_rows_and_a_filtered_list_requests_no_pages() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    let second = one_page_request(&answer(&mut app, &first, Ok(page(0..50))));
    answer(&mut app, &second, Ok(page(50..100)));
    ch(&mut app, '/');
    assert_eq!(app.focus(), Focus::Input);
    type_text(&mut app, "CLIP 1");
    assert_eq!(app.browser().listing().unwrap().visible_len(), 100, "the filter follows at the frame");
    assert!(page_requests(&settle(&mut app)).is_empty());
    let listing = app.browser().listing().unwrap();
    assert!(listing.is_filtered());
    assert_eq!(listing.visible_len(), 11, "Clip 1 and Clip 10…19");
    assert!(app.tab_titles()[1].contains("(11 of 100)"), "{}", app.tab_titles()[1]);
    // Down in the input moves in the narrowed list, right to its end: no page is asked for.
    for _ in 0..20 {
        assert!(page_requests(&key(&mut app, KeyCode::Down)).is_empty());
    }
    assert_eq!(selected_id(&app), "id-19");
    // By ID too, whatever the case.
    ctrl(&mut app, 'u');
    type_text(&mut app, "ID-4");
    settle(&mut app);
    let listing = app.browser().listing().unwrap();
    let ids: Vec<_> =
        (0..listing.visible_len()).map(|p| listing.row_at(p).unwrap().asset_id.clone().unwrap()).collect();
    assert_eq!(ids.len(), 11);
    assert!(ids.iter().all(|id| id.starts_with("id-4")), "{ids:?}");
    // No match at all.
    type_text(&mut app, "zzz");
    assert!(page_requests(&settle(&mut app)).is_empty());
    assert_eq!(app.browser().listing().unwrap().visible_len(), 0);
    // Cleared: every row again, and paging goes on.
    ctrl(&mut app, 'u');
    settle(&mut app);
    assert!(!app.browser().listing().unwrap().is_filtered());
    assert_eq!(app.browser().listing().unwrap().visible_len(), 100);
}

#[test]
fn text_typed_before_the_list_is_shown_narrows_it_too() {
    let mut app = app_for("me@example.com");
    type_text(&mut app, "clip 1");
    settle(&mut app);
    let first = show_account_list(&mut app);
    answer(&mut app, &first, Ok(page(0..20)));
    settle(&mut app);
    let listing = app.browser().listing().unwrap();
    assert!(listing.is_filtered(), "the input says \"clip 1\" but every row shows");
    assert_eq!(listing.visible_len(), 11);
}

// 9. Choosing the account.

fn two_accounts() -> Vec<AccountSummary> {
    vec![
        AccountSummary { email: "a@example.com".into(), error: None },
        AccountSummary { email: "b@example.com".into(), error: Some("session expired".into()) },
    ]
}

fn accounts_request(effects: &[Effect]) -> RequestId {
    let found: Vec<_> = effects
        .iter()
        .filter_map(|e| if let Effect::FetchAccounts { request } = e { Some(*request) } else { None })
        .collect();
    assert_eq!(found.len(), 1, "one accounts request in {effects:?}");
    found[0]
}

#[test]
fn account_required_opens_the_chooser_and_choosing_lists_that_account() {
    let notes =
        StartupNotes { config_file: "/home/me/.config/runway-assets/config.toml".into(), ..StartupNotes::default() };
    let mut app = app_with(120, 36, notes);
    let first = show_account_list(&mut app);
    assert_eq!(first.1.account, None);
    let effects = answer(&mut app, &first, Err(ApiError::AccountRequired("email is required".into())));
    let request = accounts_request(&effects);
    let chooser = app.chooser().expect("the chooser opens");
    assert!(chooser.reason().unwrap().contains("choose"));
    assert!(chooser.accounts().is_loading());
    app.update(Msg::Accounts { request, result: Ok(two_accounts()) }, now());
    assert_eq!(app.chooser().unwrap().selected(), 0);
    // The chooser takes the keys: t does not cycle the type.
    assert!(ch(&mut app, 't').is_empty());
    assert_eq!(app.browser().filter(), MediaFilter::All);
    key(&mut app, KeyCode::Down);
    assert_eq!(app.chooser().unwrap().selected(), 1);
    let effects = key(&mut app, KeyCode::Enter);
    assert!(app.chooser().is_none());
    assert_eq!(app.browser().account(), Some("b@example.com"));
    let asked = one_page_request(&effects);
    assert_eq!(asked.1, query(0, MediaFilter::All, Some("b@example.com")));
    assert!(
        effects.contains(&Effect::ReadCachedPage { account: Some("b@example.com".into()), filter: MediaFilter::All })
    );
    let status = &app.status().unwrap().text;
    assert!(status.contains("/home/me/.config/runway-assets/config.toml"), "{status}");
    assert!(status.contains("account = \"b@example.com\""), "{status}");
    assert!(status.contains("error state"), "the account's error state is mentioned: {status}");
    // A late answer for the listing without an account changes nothing.
    answer(&mut app, &first, Ok(page(0..5)));
    assert_eq!(loaded(&app), 0);
    answer(&mut app, &asked, Ok(page(0..5)));
    assert_eq!(loaded(&app), 5);
    assert!(app.tab_titles()[1].contains("b@example.com"));
}

#[test]
fn a_opens_the_chooser_any_time_and_a_stale_page_for_the_previous_account_is_ignored() {
    let mut app = app_for("a@example.com");
    // From History, with nothing listed yet.
    key(&mut app, KeyCode::Tab);
    let request = accounts_request(&ch(&mut app, 'a'));
    assert!(app.chooser().unwrap().reason().is_none());
    assert!(key(&mut app, KeyCode::Esc).is_empty());
    assert!(app.chooser().is_none(), "Esc closes it");
    assert_eq!(app.focus(), Focus::List);
    // An answer to the closed chooser is dropped.
    app.update(Msg::Accounts { request, result: Ok(two_accounts()) }, now());
    assert!(app.chooser().is_none());
    // While a page for a@ loads, choose b@.
    let first = one_page_request(&ch(&mut app, '2'));
    let request = accounts_request(&ch(&mut app, 'a'));
    app.update(Msg::Accounts { request, result: Ok(two_accounts()) }, now());
    assert_eq!(app.chooser().unwrap().selected(), 0, "the account listed now is preselected");
    key(&mut app, KeyCode::Down);
    let effects = key(&mut app, KeyCode::Enter);
    assert!(effects.contains(&Effect::Cancel { request: first.0 }), "{effects:?}");
    let second = one_page_request(&effects);
    assert_eq!(second.1.account.as_deref(), Some("b@example.com"));
    // a@'s page arrives late: ignored.
    answer(&mut app, &first, Ok(page(0..5)));
    assert_eq!(loaded(&app), 0);
    assert!(matches!(paging(&app), Paging::Loading { .. }));
    answer(&mut app, &second, Ok(page(10..12)));
    assert_eq!(selected_id(&app), "id-10");
    // A failed accounts answer says why in the chooser and the status.
    let request = accounts_request(&ch(&mut app, 'a'));
    app.update(Msg::Accounts { request, result: Err(ApiError::Unauthorized) }, now());
    assert!(matches!(app.chooser().unwrap().accounts(), Load::Failed(ApiError::Unauthorized)));
    assert!(app.status().unwrap().text.contains("401"));
    // Enter with nothing to choose just closes it.
    assert!(key(&mut app, KeyCode::Enter).is_empty());
    assert!(app.chooser().is_none());
    assert_eq!(app.browser().account(), Some("b@example.com"));
}

// 10. No token.

#[test]
fn no_token_says_so_and_fetches_nothing() {
    let notes = StartupNotes { no_token: true, config_file: "/etc/ra.toml".into(), ..StartupNotes::default() };
    let mut app = app_with(120, 36, notes);
    key(&mut app, KeyCode::Tab);
    let effects = ch(&mut app, '2');
    assert!(page_requests(&effects).is_empty(), "{effects:?}");
    assert_eq!(paging(&app), Paging::Failed(ApiError::NoToken));
    assert!(!app.is_loading());
    let sentence = app.error_sentence(&ApiError::NoToken);
    assert!(sentence.contains("USEAPI_TOKEN") && sentence.contains("/etc/ra.toml"), "{sentence}");
    for c in ['r', 't', 'j', 'G'] {
        assert!(page_requests(&ch(&mut app, c)).is_empty(), "{c}");
    }
    assert!(ch(&mut app, 'a').is_empty(), "no accounts request without a token");
    assert!(app.chooser().is_none());
    assert!(app.status().unwrap().text.contains("USEAPI_TOKEN"));
}

// 11. Hostile names arrive cleaned.

#[test]
fn hostile_names_arrive_cleaned() {
    let mut app = app_for("me@example.com");
    let first = show_account_list(&mut app);
    let hostile = vec![
        json!({"assetId": "id-esc", "name": "a\u{1b}]0;pwned\u{7}b\u{1b}[2J"}),
        json!({"assetId": "id-rlo\u{202e}", "name": "evil\u{202e}4pm.exe"}),
        json!({"assetId": "id-long", "name": "x".repeat(10_000)}),
    ];
    answer(&mut app, &first, Ok(page_of(hostile)));
    let listing = app.browser().listing().unwrap();
    assert_eq!(listing.loaded_len(), 3);
    for p in 0..3 {
        let asset = listing.row_at(p).unwrap();
        for text in [asset.name.as_deref().unwrap(), asset.asset_id.as_deref().unwrap()] {
            assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}') && !text.contains('\u{7}'), "{text:?}");
        }
    }
}

// 12. The mouse.

#[test]
fn clicking_the_tab_titles_and_a_row() {
    let mut app = app_for("me@example.com");
    let list = app.layout().list;
    let [history, account] = app.tab_titles();
    let second_title_x = list.x + 1 + history.chars().count() as u16 + 2;
    assert!(account.starts_with(" 2 "));
    let effects = click(&mut app, second_title_x, list.y);
    assert_eq!(app.tab(), Tab::Account);
    assert_eq!(app.focus(), Focus::List);
    let first = one_page_request(&effects);
    answer(&mut app, &first, Ok(page(0..20)));
    let rows = app.layout().list_rows();
    let effects = click(&mut app, rows.x + 4, rows.y + 6);
    assert!(fetches(&effects).is_empty() && page_requests(&effects).is_empty(), "{effects:?}");
    assert_eq!(selected_id(&app), "id-6");
    assert_eq!(app.detail().asset_id(), Some("id-6"));
    assert_eq!(shown(&app).source, Source::Listed { listed_at: now() });
    // Below the last row: nothing changes.
    click(&mut app, rows.x + 4, rows.y + 25);
    assert_eq!(selected_id(&app), "id-6");
    // The first title shows History again.
    click(&mut app, list.x + 3, list.y);
    assert_eq!(app.tab(), Tab::History);
    // Back to the list: its rows, no new request.
    let effects = click(&mut app, second_title_x, list.y);
    assert!(page_requests(&effects).is_empty());
    assert_eq!(selected_id(&app), "id-6");
}
