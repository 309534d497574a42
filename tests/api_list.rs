//! The list and accounts calls against wiremock: what they send (offset and limit always,
//! clamped; mediaType and email only when set, encoded), how they read pages and accounts,
//! which errors they give, and that account secrets never reach our types or error text.

use std::future::Future;
use std::time::Duration;

use runway_assets::api::{AccountSummary, ApiClient, ApiError, ClientOptions, ListQuery, MediaFilter, Page};
use runway_assets::config::Token;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "user:123456789-l1stT0kenXyz";
const FAILSAFE: Duration = Duration::from_secs(60);
const SECRETS: [&str; 4] = ["PASSWORD-SECRET-ONE", "JWT-SECRET-ONE", "PASSWORD-SECRET-TWO", "JWT-SECRET-TWO"];

fn options(base_url: &str) -> ClientOptions {
    let mut o = ClientOptions::new(base_url, Token::new(TOKEN));
    o.backoff = Duration::from_millis(1);
    o.max_retry_wait = Duration::from_millis(50);
    o
}

fn client(o: ClientOptions) -> ApiClient {
    ApiClient::new(o).expect("a valid client")
}

async fn failsafe<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(FAILSAFE, f).await.expect("an answer within the failsafe")
}

fn query(offset: u32, limit: u32) -> ListQuery {
    ListQuery { offset, limit, media: MediaFilter::All, account: None }
}

fn json_body(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

async fn serve_list(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/v1/runwayml/assets/")).respond_with(template).mount(&server).await;
    server
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

fn pairs(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

async fn list(server: &MockServer, q: &ListQuery) -> Result<Page, ApiError> {
    failsafe(client(options(&server.uri())).list_assets(q)).await
}

#[tokio::test(flavor = "current_thread")]
async fn offset_and_limit_are_always_sent_and_clamped() {
    let server = serve_list(json_body(200, "[]")).await;
    for (q, expected) in [(query(0, 50), ("0", "50")), (query(5000, 0), ("1000", "1")), (query(7, 999), ("7", "50"))] {
        list(&server, &q).await.expect("an empty page");
        let sent = requests(&server).await;
        let last = sent.last().expect("a request");
        assert_eq!(last.url.path(), "/v1/runwayml/assets/");
        assert_eq!(pairs(last), [("offset".into(), expected.0.into()), ("limit".into(), expected.1.into())]);
        assert_eq!(last.headers.get("authorization").unwrap().to_str().unwrap(), format!("Bearer {TOKEN}"));
    }
}

#[tokio::test(flavor = "current_thread")]
async fn media_type_and_email_are_sent_only_when_set_and_encoded() {
    let server = serve_list(json_body(200, "[]")).await;
    let q =
        ListQuery { offset: 0, limit: 10, media: MediaFilter::Video, account: Some(" me+runway@example.com ".into()) };
    list(&server, &q).await.expect("an empty page");
    let q2 = ListQuery { media: MediaFilter::All, account: Some("  ".into()), ..q.clone() };
    list(&server, &q2).await.expect("an empty page");
    let sent = requests(&server).await;
    assert_eq!(
        pairs(&sent[0]),
        [
            ("offset".into(), "0".into()),
            ("limit".into(), "10".into()),
            ("mediaType".into(), "video".into()),
            ("email".into(), "me+runway@example.com".into())
        ]
    );
    let raw = sent[0].url.query().unwrap_or_default();
    assert!(raw.contains("email=me%2Brunway%40example.com"), "{raw}");
    assert_eq!(pairs(&sent[1]), [("offset".into(), "0".into()), ("limit".into(), "10".into())]);
}

#[tokio::test(flavor = "current_thread")]
async fn items_are_kept_as_received_and_bad_ones_skipped_and_counted() {
    let body = r#"[{"assetId":"a","name":"One","mediaType":"video","metadata":{"width":1280,"height":768}},
                   42, "text", null, {"assetId":"b","fileSize":"123"}]"#;
    let server = serve_list(json_body(200, body)).await;
    let page = list(&server, &query(0, 50)).await.expect("a page");
    assert_eq!((page.received, page.skipped, page.items.len()), (5, 3, 2));
    assert_eq!(page.items[0].asset.name.as_deref(), Some("One"));
    assert_eq!(page.items[0].asset.width(), Some(1280));
    assert_eq!(page.items[1].asset.file_size, Some(123));
    assert_eq!(page.items[1].raw_value(), json!({"assetId": "b", "fileSize": "123"}));
}

#[tokio::test(flavor = "current_thread")]
async fn an_answer_that_is_not_an_array_is_a_clear_error() {
    let server = serve_list(json_body(200, r#"{"assets":[]}"#)).await;
    let e = list(&server, &query(0, 50)).await.unwrap_err();
    assert_eq!(e, ApiError::NotAList("an object"));
    assert_eq!(e.to_string(), "The server's answer was not a list of assets: it sent an object.");
    let server = serve_list(json_body(200, "[{\"name\":")).await;
    assert!(matches!(list(&server, &query(0, 50)).await, Err(ApiError::InvalidJson(_))));
}

#[tokio::test(flavor = "current_thread")]
async fn a_400_asking_for_an_email_means_choose_an_account_unless_one_was_sent() {
    let body = r#"{"error":"Parameter Email is required when several accounts are configured","code":400}"#;
    let server = serve_list(json_body(400, body)).await;
    let e = list(&server, &query(0, 50)).await.unwrap_err();
    assert!(matches!(&e, ApiError::AccountRequired(m) if m.contains("several accounts")), "{e:?}");
    let with_account = ListQuery { account: Some("me@example.com".into()), ..query(0, 50) };
    let e = list(&server, &with_account).await.unwrap_err();
    assert!(matches!(&e, ApiError::BadRequest(m) if m.contains("Email is required")), "{e:?}");
    let other = serve_list(json_body(400, r#"{"error":"limit out of range"}"#)).await;
    assert_eq!(list(&other, &query(0, 50)).await, Err(ApiError::BadRequest("limit out of range".into())));
    assert_eq!(requests(&server).await.len(), 2, "a 400 is never retried");
}

#[tokio::test(flavor = "current_thread")]
async fn a_rate_limit_is_retried_then_the_page_arrives() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_body(200, r#"[{"assetId":"a"}]"#))
        .with_priority(2)
        .mount(&server)
        .await;
    let page = list(&server, &query(0, 50)).await.expect("a page after one retry");
    assert_eq!(page.items.len(), 1);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test(flavor = "current_thread")]
async fn unauthorized_payment_and_account_error_have_their_sentences() {
    let cases = [
        (401, r#"{"error":"Unauthorized","code":401}"#, "refused the API token (401"),
        (
            402,
            r#"{"error":"Account has no subscription or subscription expired"}"#,
            "subscription is missing or expired (402)",
        ),
        (596, r#"{"error":"Refresh token rejected"}"#, "error state (596)"),
    ];
    for (status, body, needle) in cases {
        let server = serve_list(json_body(status, body)).await;
        let e = list(&server, &query(0, 50)).await.unwrap_err();
        assert!(e.to_string().contains(needle), "{status}: {e}");
        assert!(!e.to_string().contains(TOKEN));
        assert_eq!(requests(&server).await.len(), 1, "{status} is not retried");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn an_oversized_page_is_refused() {
    let big = format!("[{}]", vec![r#"{"name":"xxxxxxxxxxxxxxxx"}"#; 500].join(","));
    let server = serve_list(json_body(200, &big)).await;
    let mut o = options(&server.uri());
    o.max_body_bytes = 1000;
    let e = failsafe(client(o).list_assets(&query(0, 50))).await.unwrap_err();
    assert_eq!(e, ApiError::TooLarge { limit_bytes: 1000 });
}

#[tokio::test(flavor = "current_thread")]
async fn no_token_and_a_malformed_token_fail_before_any_request() {
    let server = serve_list(json_body(200, "[]")).await;
    let mut o = options(&server.uri());
    o.token = None;
    assert_eq!(failsafe(client(o.clone()).list_assets(&query(0, 50))).await, Err(ApiError::NoToken));
    assert_eq!(failsafe(client(o).accounts()).await, Err(ApiError::NoToken));
    let mut o = options(&server.uri());
    o.token = Token::new("user:1-abc\ndef");
    let e = failsafe(client(o).list_assets(&query(0, 50))).await.unwrap_err();
    assert_eq!(e, ApiError::MalformedToken);
    assert!(!e.to_string().contains("abc"), "{e}");
    assert!(requests(&server).await.is_empty(), "nothing is sent without a usable token");
}

const ACCOUNTS: &str = r#"{
  "zed+two@example.com": {"email": "zed+two@example.com", "password": "PASSWORD-SECRET-TWO", "maxJobs": 5,
                          "jwt": {"token": "JWT-SECRET-TWO", "exp": 1734858598.864, "iat": 1732266598.864, "id": 7}},
  "amy@example.com": {"email": "amy@example.com", "password": "PASSWORD-SECRET-ONE", "maxJobs": 3,
                      "jwt": {"token": "JWT-SECRET-ONE"}, "error": "Refresh token rejected"}
}"#;

async fn serve_accounts(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/v1/runwayml/accounts")).respond_with(template).mount(&server).await;
    server
}

async fn accounts(server: &MockServer) -> Result<Vec<AccountSummary>, ApiError> {
    failsafe(client(options(&server.uri())).accounts()).await
}

fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    assert!(!text.contains("SECRET"), "{text}");
}

#[tokio::test(flavor = "current_thread")]
async fn accounts_give_emails_and_errors_only_sorted() {
    let server = serve_accounts(json_body(200, ACCOUNTS)).await;
    let result = accounts(&server).await;
    assert_no_secret(&format!("{result:?} {result:#?}"));
    let list = result.expect("accounts");
    assert_eq!(
        list,
        [
            AccountSummary { email: "amy@example.com".into(), error: Some("Refresh token rejected".into()) },
            AccountSummary { email: "zed+two@example.com".into(), error: None },
        ]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn broken_accounts_answers_never_quote_the_secrets() {
    let bodies = [
        ACCOUNTS[..ACCOUNTS.len() / 2].to_string(),
        ACCOUNTS.replace("\"maxJobs\": 5,", "\"maxJobs\": 5,,"),
        format!("[{ACCOUNTS}]"),
        "\"PASSWORD-SECRET-ONE\"".to_string(),
        ACCOUNTS.replace('{', "<"),
    ];
    for body in bodies {
        for status in [200, 400, 500] {
            let server = serve_accounts(json_body(status, &body)).await;
            let e = accounts(&server).await.expect_err("a broken answer is an error");
            assert_no_secret(&format!("{e} {e:?}"));
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn no_accounts_configured_is_an_empty_list() {
    let server = serve_accounts(json_body(404, r#"{"error":"Configuration not found.","code":404}"#)).await;
    assert_eq!(accounts(&server).await, Ok(Vec::new()));
}
