//! The rules for fetching an asset's files (api::files): the token only for the API's origin,
//! redirects checked at every hop, and the size, truncation and stall limits. Loopback only.

use std::time::Duration;

use runway_assets::api::files::{FileClient, FileError, FileLimits, MAX_REDIRECTS, WebUrlError};
use runway_assets::config::Token;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "secret-token-123";

fn client(api: &MockServer) -> FileClient {
    FileClient::new(&api.uri(), Token::new(TOKEN))
}

fn carries_token(request: &Request) -> bool {
    let in_headers = request.headers.values().any(|v| v.to_str().is_ok_and(|v| v.contains(TOKEN)));
    in_headers || request.url.as_str().contains(TOKEN)
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn a_file_host_never_sees_the_token() {
    let api = MockServer::start().await;
    let files = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/a.jpg"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"jpeg"))
        .mount(&files)
        .await;
    let body = client(&api).get(&format!("{}/a.jpg", files.uri()), &FileLimits::default()).await;
    assert_eq!(body.expect("fetched").bytes().await.expect("read"), b"jpeg");
    let seen = requests(&files).await;
    assert_eq!(seen.len(), 1);
    assert!(!seen.iter().any(carries_token), "the file host saw the token");
}

#[tokio::test]
async fn the_apis_own_origin_gets_the_token() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/files/a.jpg"))
        .and(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"ok"))
        .mount(&api)
        .await;
    let body = client(&api).get(&format!("{}/files/a.jpg", api.uri()), &FileLimits::default()).await;
    assert_eq!(body.expect("fetched").bytes().await.expect("read"), b"ok");
    assert!(requests(&api).await.iter().all(carries_token));
}

#[tokio::test]
async fn a_redirect_to_another_host_is_followed_without_the_token() {
    let api = MockServer::start().await;
    let first = MockServer::start().await;
    let second = MockServer::start().await;
    Mock::given(path("/a.jpg"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/real.jpg", second.uri())))
        .mount(&first)
        .await;
    Mock::given(path("/real.jpg"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"real"))
        .mount(&second)
        .await;
    let body = client(&api).get(&format!("{}/a.jpg", first.uri()), &FileLimits::default()).await;
    assert_eq!(body.expect("fetched").bytes().await.expect("read"), b"real");
    assert!(!requests(&first).await.iter().any(carries_token));
    assert!(!requests(&second).await.iter().any(carries_token));
}

#[tokio::test]
async fn a_file_host_cannot_bounce_us_back_to_the_api_with_the_token() {
    let api = MockServer::start().await;
    let files = MockServer::start().await;
    Mock::given(path("/a.jpg"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", format!("{}/v1/runwayml/accounts", api.uri())),
        )
        .mount(&files)
        .await;
    Mock::given(path("/v1/runwayml/accounts")).respond_with(ResponseTemplate::new(401)).mount(&api).await;
    let result = client(&api).get(&format!("{}/a.jpg", files.uri()), &FileLimits::default()).await;
    assert_eq!(result.err(), Some(FileError::Status(401)));
    assert!(!requests(&api).await.iter().any(carries_token), "the API was called with the token after a bounce");
}

#[tokio::test]
async fn a_redirect_loop_ends_after_the_limit() {
    let api = MockServer::start().await;
    let files = MockServer::start().await;
    Mock::given(path("/loop"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/loop"))
        .mount(&files)
        .await;
    let result = client(&api).get(&format!("{}/loop", files.uri()), &FileLimits::default()).await;
    assert_eq!(result.err(), Some(FileError::TooManyRedirects));
    assert_eq!(requests(&files).await.len(), MAX_REDIRECTS + 1);
}

#[tokio::test]
async fn a_redirect_to_a_file_url_is_refused() {
    let api = MockServer::start().await;
    let files = MockServer::start().await;
    Mock::given(path("/a.jpg"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "file:///etc/passwd"))
        .mount(&files)
        .await;
    let result = client(&api).get(&format!("{}/a.jpg", files.uri()), &FileLimits::default()).await;
    assert_eq!(result.err(), Some(FileError::BadRedirect(WebUrlError::Scheme("file".into()))));
}

#[tokio::test]
async fn an_error_status_is_reported_and_an_expired_url_recognised() {
    let api = MockServer::start().await;
    let files = MockServer::start().await;
    for (route, status) in [("/403", 403), ("/404", 404), ("/500", 500)] {
        Mock::given(path(route)).respond_with(ResponseTemplate::new(status)).mount(&files).await;
    }
    let client = client(&api);
    let limits = FileLimits::default();
    let mut errors = Vec::new();
    for route in ["/403", "/404", "/500"] {
        errors.push(client.get(&format!("{}{route}", files.uri()), &limits).await.err());
    }
    assert!(errors[0].as_ref().is_some_and(FileError::is_expired_url));
    assert_eq!(errors[1], Some(FileError::Status(404)));
    assert_eq!(
        errors[2].as_ref().map(ToString::to_string).as_deref(),
        Some("the file host answered 500 Internal Server Error")
    );
}

#[tokio::test]
async fn urls_that_are_not_http_are_refused_before_any_request() {
    let api = MockServer::start().await;
    let client = client(&api);
    for url in ["file:///etc/passwd", "javascript:alert(1)", "data:image/png;base64,AAAA", "/relative.jpg", ""] {
        let result = client.get(url, &FileLimits::default()).await;
        assert!(matches!(result, Err(FileError::NotWebUrl(_))), "{url}: {result:?}");
    }
    assert!(requests(&api).await.is_empty());
}

#[tokio::test]
async fn an_announced_size_over_the_cap_is_refused_before_reading() {
    let api = MockServer::start().await;
    let files = MockServer::start().await;
    Mock::given(path("/big"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(vec![0u8; 4096]))
        .mount(&files)
        .await;
    let limits = FileLimits { max_bytes: Some(1024), ..FileLimits::default() };
    let result = client(&api).get(&format!("{}/big", files.uri()), &limits).await;
    assert_eq!(result.err(), Some(FileError::TooBig { limit: 1024 }));
}

/// A one-connection HTTP server that answers with `head` then `body`, then waits or closes.
async fn raw_server(head: &'static str, body: Vec<u8>, then_hang: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        if let Ok((mut stream, _)) = listener.accept().await {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request).await;
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(&body).await;
            let _ = stream.flush().await;
            if then_hang {
                // Keep the connection open and silent until the client gives up.
                let _ = stream.read(&mut request).await;
            }
        }
    });
    format!("http://{addr}/file")
}

#[tokio::test]
async fn a_body_shorter_than_announced_is_truncated() {
    let api = MockServer::start().await;
    let url =
        raw_server("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n", vec![7u8; 10], false).await;
    let body = client(&api).get(&url, &FileLimits::default()).await.expect("headers");
    assert_eq!(body.content_length(), Some(1000));
    assert_eq!(body.bytes().await.err(), Some(FileError::Truncated { received: 10, expected: 1000 }));
}

#[tokio::test]
async fn a_body_without_length_is_capped_while_reading() {
    let api = MockServer::start().await;
    let url = raw_server("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", vec![1u8; 64 * 1024], false).await;
    let limits = FileLimits { max_bytes: Some(1000), ..FileLimits::default() };
    let body = client(&api).get(&url, &limits).await.expect("headers");
    assert_eq!(body.content_length(), None);
    assert_eq!(body.bytes().await.err(), Some(FileError::TooBig { limit: 1000 }));
}

#[tokio::test]
async fn a_host_that_stalls_mid_file_is_given_up_on() {
    let api = MockServer::start().await;
    let url = raw_server("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", vec![7u8; 10], true).await;
    let limits = FileLimits { stall: Duration::from_millis(300), ..FileLimits::default() };
    let mut body = client(&api).get(&url, &limits).await.expect("headers");
    let mut result = Ok(None);
    // The ten bytes may arrive as one chunk or several; then the host goes quiet.
    for _ in 0..11 {
        result = body.chunk().await;
        if result.is_err() {
            break;
        }
    }
    assert_eq!(result.err(), Some(FileError::Stalled(Duration::from_millis(300))));
}

#[tokio::test]
async fn a_web_page_in_place_of_a_file_is_recognised() {
    let api = MockServer::start().await;
    let files = MockServer::start().await;
    Mock::given(path("/a.mp4"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>sign in</html>", "text/html; charset=utf-8"))
        .mount(&files)
        .await;
    let body = client(&api).get(&format!("{}/a.mp4", files.uri()), &FileLimits::default()).await.expect("headers");
    assert!(body.is_html());
}
