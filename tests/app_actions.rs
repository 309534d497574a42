//! Acting on the asset shown, through `App::update` as the event loop drives it: `y`/`Y` copy
//! exactly the value (or say why not), `o` opens only web addresses, `J` shows the raw JSON,
//! `/` searches it with `n`/`N` and Esc.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use runway_assets::api::client::Fetched;
use runway_assets::api::{ApiError, Asset};
use runway_assets::app::{App, Copied, Effect, Focus, MAX_COPY_BYTES, Msg, OpenOutcome, StartupNotes};
use serde_json::{Value, json};

const ID: &str = "user:1-runwayml:me@example.com-asset:0d9f8e7c-aaaa-bbbb-cccc-1234567890ab";

fn now() -> Timestamp {
    "2026-11-27T12:00:00Z".parse().unwrap()
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Terminal(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now())
}

fn ch(app: &mut App, c: char) -> Vec<Effect> {
    key(app, KeyCode::Char(c))
}

fn status(app: &App) -> String {
    app.status().map(|s| s.text.clone()).unwrap_or_default()
}

/// An app showing the asset `raw` (looked up as `ID`), focus on the list.
fn showing(raw: Value) -> App {
    let mut app = App::new((120, 36), now(), StartupNotes::default());
    app.update(Msg::Terminal(Event::Paste(ID.into())), now());
    let effects = key(&mut app, KeyCode::Enter);
    let request =
        effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None });
    let fetched = Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw };
    app.update(Msg::Fetched { request: request.unwrap(), asset_id: ID.into(), result: Box::new(Ok(fetched)) }, now());
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus(), Focus::List);
    app
}

fn video() -> Value {
    json!({
        "assetId": ID,
        "name": "Coastal drone",
        "url": "https://cdn.example.com/a/b.mp4?X-Amz-Signature=abc&exp=1",
        "mediaType": "video",
        "fileSize": 6893401,
        "private": true,
        "metadata": null
    })
}

fn copied(effects: &[Effect]) -> Option<(Copied, String)> {
    effects.iter().find_map(|e| match e {
        Effect::Copy { what, text } => Some((*what, text.clone())),
        _ => None,
    })
}

#[test]
fn y_copies_exactly_the_asset_id_and_capital_y_the_url() {
    let mut app = showing(video());
    assert_eq!(copied(&ch(&mut app, 'y')), Some((Copied::AssetId, ID.to_string())));
    assert_eq!(status(&app), "Copied the asset ID.");
    let url = "https://cdn.example.com/a/b.mp4?X-Amz-Signature=abc&exp=1";
    assert_eq!(copied(&ch(&mut app, 'Y')), Some((Copied::Url, url.to_string())));
    assert_eq!(status(&app), "Copied the URL.");
    // From the detail too.
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus(), Focus::Detail);
    assert_eq!(copied(&ch(&mut app, 'y')).map(|c| c.1), Some(ID.to_string()));
}

#[test]
fn in_the_input_y_is_text() {
    let mut app = showing(video());
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.focus(), Focus::Input);
    assert_eq!(copied(&ch(&mut app, 'y')), None);
    assert_eq!(app.input().value(), "y");
}

#[test]
fn nothing_shown_nothing_copied_and_a_sentence_says_why() {
    let mut app = App::new((120, 36), now(), StartupNotes::default());
    key(&mut app, KeyCode::Tab);
    assert!(ch(&mut app, 'y').is_empty());
    assert!(status(&app).contains("No asset is shown"), "{}", status(&app));
    assert!(ch(&mut app, 'Y').is_empty());
    assert!(status(&app).contains("No asset is shown"), "{}", status(&app));
    assert!(ch(&mut app, 'o').is_empty());
    assert!(ch(&mut app, 'J').is_empty());
    assert!(app.json_view().is_none());
    assert!(status(&app).contains("no JSON"), "{}", status(&app));
}

#[test]
fn an_asset_without_a_url_says_so() {
    for raw in [
        json!({"assetId": ID, "name": "x"}),
        json!({"assetId": ID, "url": ""}),
        json!({"assetId": ID, "url": null}),
        json!({"assetId": ID, "url": "   "}),
    ] {
        let mut app = showing(raw);
        assert!(ch(&mut app, 'Y').is_empty());
        assert_eq!(status(&app), "This asset has no URL: the server sent none.");
        assert!(ch(&mut app, 'o').is_empty());
        assert_eq!(status(&app), "This asset has no URL: the server sent none.");
    }
}

#[test]
fn o_opens_only_web_addresses() {
    let mut app = showing(video());
    let effects = ch(&mut app, 'o');
    let url = effects.iter().find_map(|e| if let Effect::Open { url } = e { Some(url.to_string()) } else { None });
    assert_eq!(url.as_deref(), Some("https://cdn.example.com/a/b.mp4?X-Amz-Signature=abc&exp=1"));

    for (bad, says) in [
        ("file:///etc/passwd", "Not opened: it is a file: URL, and only http and https URLs are used."),
        ("javascript:alert(document.cookie)", "it is a javascript: URL"),
        ("data:text/html;base64,PHNjcmlwdD4=", "it is a data: URL"),
        ("/runway/assets/a.mp4", "\"/runway/assets/a.mp4\" is not a full web address"),
        ("../a.mp4", "is not a full web address"),
        ("ftp://example.com/a.mp4", "it is a ftp: URL"),
    ] {
        let mut app = showing(json!({"assetId": ID, "url": bad}));
        let effects = ch(&mut app, 'o');
        assert!(!effects.iter().any(|e| matches!(e, Effect::Open { .. })), "{bad} must not be opened");
        assert!(status(&app).contains(says), "{bad}: {}", status(&app));
        assert!(status(&app).ends_with("Y copies the URL instead."), "{bad}: {}", status(&app));
        // Copying it is still allowed: it is only text.
        assert_eq!(copied(&ch(&mut app, 'Y')).map(|c| c.1), Some(bad.to_string()));
    }
}

#[test]
fn what_came_of_opening_is_said() {
    let mut app = showing(video());
    app.update(Msg::Opened(OpenOutcome::Started { program: "xdg-open".into() }), now());
    assert_eq!(status(&app), "Asked xdg-open to open the URL in the browser.");
    app.update(Msg::Opened(OpenOutcome::NoOpener { program: Some("xdg-open".into()) }), now());
    assert!(status(&app).contains("(xdg-open) was not found; press Y to copy the URL instead"), "{}", status(&app));
    app.update(Msg::Opened(OpenOutcome::NoOpener { program: None }), now());
    assert!(status(&app).contains("press Y"), "{}", status(&app));
    app.update(Msg::Opened(OpenOutcome::Failed("xdg-open could not open the URL (exit status 4).".into())), now());
    assert!(status(&app).ends_with("Press Y to copy the URL instead."), "{}", status(&app));
}

#[test]
fn text_too_large_for_the_terminal_is_not_copied() {
    let mut app = showing(json!({"assetId": ID, "url": format!("https://example.com/{}", "a".repeat(MAX_COPY_BYTES))}));
    assert_eq!(copied(&ch(&mut app, 'Y')), None);
    assert!(status(&app).starts_with("The URL is too large to copy"), "{}", status(&app));
}

#[test]
fn j_shows_the_json_in_the_servers_order_and_y_copies_all_of_it() {
    let text = r#"{"name":"Coastal drone","assetId":"x","url":"https://e.com/a","zeta":[1,2.5,true,null]}"#;
    let raw: Value = serde_json::from_str(text).unwrap();
    let mut app = showing(raw.clone());
    assert!(app.json_view().is_none());
    ch(&mut app, 'J');
    let view = app.json_view().expect("J shows the JSON");
    assert_eq!(view.text().text(), serde_json::to_string_pretty(&raw).unwrap());
    assert!(view.text().text().starts_with("{\n  \"name\""), "server order: {}", view.text().text());
    let (what, copied_text) = copied(&ch(&mut app, 'y')).unwrap();
    assert_eq!(what, Copied::Json);
    assert_eq!(copied_text, view_text(&app));
    assert_eq!(serde_json::from_str::<Value>(&copied_text).unwrap(), raw);
    assert_eq!(status(&app), "Copied the JSON.");
    // Y still copies the URL; J again goes back to the fields.
    assert_eq!(copied(&ch(&mut app, 'Y')).map(|c| c.0), Some(Copied::Url));
    ch(&mut app, 'J');
    assert!(app.json_view().is_none());
    assert_eq!(copied(&ch(&mut app, 'y')).map(|c| c.0), Some(Copied::AssetId));
}

fn view_text(app: &App) -> String {
    app.json_view().unwrap().text().text().to_string()
}

#[test]
fn the_view_follows_the_next_asset_and_scrolls_like_the_detail() {
    let long: Value = json!({ "items": (0..200).map(|i| json!({"n": i})).collect::<Vec<_>>() });
    let mut app = showing(long);
    ch(&mut app, 'J');
    key(&mut app, KeyCode::Tab); // to the detail
    assert_eq!(app.json_view().unwrap().scroll(), 0);
    ch(&mut app, 'j');
    key(&mut app, KeyCode::PageDown);
    let page = app.layout().detail_page();
    assert_eq!(app.json_view().unwrap().scroll(), 1 + page);
    ch(&mut app, 'G');
    let rows = app.json_view().unwrap().rows().len();
    assert_eq!(app.json_view().unwrap().scroll(), rows - page);
    ch(&mut app, 'g');
    assert_eq!(app.json_view().unwrap().scroll(), 0);

    // Another asset looked up: still the JSON view, now of it.
    app.update(Msg::Terminal(Event::Paste("other-id".into())), now());
    let effects = key(&mut app, KeyCode::Enter);
    assert!(app.json_view().is_none(), "loading: the pane shows that");
    let request =
        effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None });
    let raw = json!({"name": "second"});
    let fetched = Fetched { asset: Asset::from_value(raw.clone()).unwrap(), raw };
    app.update(
        Msg::Fetched { request: request.unwrap(), asset_id: "other-id".into(), result: Box::new(Ok(fetched)) },
        now(),
    );
    assert!(view_text(&app).contains("second"));
}

#[test]
fn a_failed_lookup_shows_its_error_not_json() {
    let mut app = showing(video());
    ch(&mut app, 'J');
    app.update(Msg::Terminal(Event::Paste("bad-id".into())), now());
    key(&mut app, KeyCode::Esc); // focus the input
    let effects = key(&mut app, KeyCode::Enter);
    let request =
        effects.iter().find_map(|e| if let Effect::Fetch { request, .. } = e { Some(*request) } else { None });
    app.update(
        Msg::Fetched {
            request: request.unwrap(),
            asset_id: "bad-id".into(),
            result: Box::new(Err(ApiError::NotFound)),
        },
        now(),
    );
    assert!(app.json_view().is_none());
}

#[test]
fn slash_searches_n_and_capital_n_move_esc_ends() {
    let raw = json!({"a": "cat", "b": "dog", "c": "Cat and cat", "d": "concatenate"});
    let mut app = showing(raw);
    ch(&mut app, 'J');
    ch(&mut app, '/');
    assert!(app.typing_json_search());
    assert_eq!(app.focus(), Focus::Input);
    for c in "cat".chars() {
        ch(&mut app, c);
    }
    assert_eq!(status(&app), "match 1 of 4");
    assert_eq!(app.input().value(), "", "the asset ID input is left alone");
    // Enter keeps the matches and goes back to the JSON.
    key(&mut app, KeyCode::Enter);
    assert!(!app.typing_json_search());
    assert_eq!(app.focus(), Focus::Detail);
    ch(&mut app, 'n');
    assert_eq!(status(&app), "match 2 of 4");
    ch(&mut app, 'n');
    ch(&mut app, 'n');
    assert_eq!(status(&app), "match 4 of 4");
    ch(&mut app, 'n');
    assert_eq!(status(&app), "match 1 of 4", "n wraps around");
    ch(&mut app, 'N');
    assert_eq!(status(&app), "match 4 of 4", "N wraps back");
    let search = app.json_view().unwrap().search().unwrap();
    let at = search.matches()[search.current().unwrap()] as usize;
    assert_eq!(&view_text(&app)[at..at + 3], "cat");
    // Esc ends the search; the next Esc does what it always does.
    key(&mut app, KeyCode::Esc);
    assert!(app.json_view().unwrap().search().is_none());
    assert_eq!(app.focus(), Focus::Detail);
    assert!(app.json_view().is_some(), "the view stays");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.focus(), Focus::Input);
}

#[test]
fn a_search_with_capitals_counts_case_and_no_match_is_said() {
    let mut app = showing(json!({"c": "Cat and cat"}));
    ch(&mut app, 'J');
    ch(&mut app, '/');
    for c in "Cat".chars() {
        ch(&mut app, c);
    }
    assert_eq!(status(&app), "match 1 of 1");
    ch(&mut app, 'z');
    assert_eq!(status(&app), "No match for “Catz”.");
    key(&mut app, KeyCode::Enter);
    ch(&mut app, 'n');
    assert_eq!(status(&app), "No match for “Catz”.");
}

#[test]
fn while_typing_a_search_keys_are_text_but_ctrl_c_still_quits() {
    let mut app = showing(video());
    ch(&mut app, 'J');
    ch(&mut app, '/');
    for c in "qyJn".chars() {
        assert!(ch(&mut app, c).is_empty(), "{c} is text in a search");
    }
    assert_eq!(app.json_view().unwrap().search().unwrap().input().value(), "qyJn");
    let quit = app.update(Msg::Terminal(Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))), now());
    assert_eq!(quit, vec![Effect::Quit]);
    // Esc while typing ends the search and returns to the JSON.
    key(&mut app, KeyCode::Esc);
    assert!(app.json_view().unwrap().search().is_none());
    assert_eq!(app.focus(), Focus::Detail);
}

#[test]
fn a_pasted_search_is_one_clean_line() {
    let mut app = showing(json!({"name": "a b"}));
    ch(&mut app, 'J');
    ch(&mut app, '/');
    app.update(Msg::Terminal(Event::Paste("a\u{1b}[31m\n b\u{202e}".into())), now());
    assert_eq!(app.json_view().unwrap().search().unwrap().input().value(), "a[31m b");
    assert_eq!(app.input().value(), "", "the paste went to the search, not the asset ID");
}

#[test]
fn a_match_off_screen_is_scrolled_into_view() {
    let mut items: Vec<Value> = (0..300).map(|i| json!(format!("filler {i}"))).collect();
    items.push(json!("needle"));
    let mut app = showing(json!({ "items": items }));
    ch(&mut app, 'J');
    ch(&mut app, '/');
    for c in "needle".chars() {
        ch(&mut app, c);
    }
    let view = app.json_view().unwrap();
    let at = view.search().unwrap().matches()[0] as usize;
    let row = view.rows().iter().position(|r| r.contains(&at)).unwrap();
    let page = app.layout().detail_page();
    assert!(view.scroll() <= row && row < view.scroll() + page, "row {row} on screen from {}", view.scroll());
}

#[test]
fn a_resize_rewraps_the_json() {
    let mut app = showing(json!({"url": format!("https://example.com/{}", "x".repeat(300))}));
    ch(&mut app, 'J');
    let wide = app.json_view().unwrap().rows().len();
    app.update(Msg::Terminal(Event::Resize(60, 30)), now());
    let narrow = app.json_view().unwrap().rows().len();
    assert!(narrow > wide, "{narrow} rows at 60 columns, {wide} at 120");
    let width = app.layout().detail_text().width as usize;
    for row in app.json_view().unwrap().rows() {
        assert!(view_text(&app)[row.clone()].chars().count() <= width);
    }
}

#[test]
fn a_task_shown_alone_copies_its_id_and_has_no_url_or_json() {
    let mut app = App::new((120, 36), now(), StartupNotes::default());
    let task = "user:1-runwayml:me@example.com-task:0b6f7a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
    app.update(Msg::Terminal(Event::Paste(task.into())), now());
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.detail().task_only(), Some(task));
    key(&mut app, KeyCode::Tab);
    assert_eq!(copied(&ch(&mut app, 'y')), Some((Copied::TaskId, task.to_string())));
    assert_eq!(status(&app), "Copied the task ID.");
    assert!(ch(&mut app, 'Y').is_empty());
    assert!(status(&app).contains("shows a task"), "{}", status(&app));
    ch(&mut app, 'J');
    assert!(app.json_view().is_none());
    assert!(status(&app).contains("shows a task"), "{}", status(&app));
}

#[test]
fn a_copy_that_tmux_holds_back_says_how_to_let_it_through() {
    let mut app = showing(video());
    ch(&mut app, 'y');
    app.update(Msg::CopyHeldBack { what: Copied::AssetId }, now());
    assert_eq!(
        status(&app),
        "tmux kept the asset ID from the clipboard: add `set -g set-clipboard on` to ~/.tmux.conf and reload it."
    );
}

#[test]
fn a_terminal_too_small_for_panes_does_not_cut_the_json_into_letters() {
    let mut app = showing(json!({"url": format!("https://example.com/{}", "x".repeat(3000))}));
    ch(&mut app, 'J');
    app.update(Msg::Terminal(Event::Resize(10, 5)), now());
    let rows = app.json_view().unwrap().rows().len();
    assert!(rows < 200, "{rows} rows");
    app.update(Msg::Terminal(Event::Resize(120, 36)), now());
    assert!(app.json_view().unwrap().rows().len() < 60, "back to the pane's width");
}
