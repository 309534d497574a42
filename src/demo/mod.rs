//! The embedded demo server: a fake useapi.net `GET /v1/runwayml/assets/{assetId}` on 127.0.0.1,
//! answering from the sample assets in `assets/` (compiled in) and from a few special ids that
//! produce each error the real API can send. It owns those samples; it never listens beyond
//! loopback, never reads the user's token (any bearer token is accepted) and never panics on input.
//!
//! It also serves the list endpoint `GET /v1/runwayml/assets/?offset=&limit=[&mediaType=][&email=]`
//! for two linked accounts (see [`account`]: a main one with [`DEMO_ASSET_COUNT`] generated assets,
//! each also served by id, and one in an error state) and `GET /v1/runwayml/accounts`, which sends
//! passwords and session tokens as the real one does ([`demo_secrets`]).
//!
//! Benchmarks: when the environment variable [`PAGE_DELAY_ENV`] (`RUNWAY_ASSETS_DEMO_PAGE_DELAY_MS`)
//! holds a whole number of milliseconds as [`DemoServer::start`] runs, every answer of the list
//! endpoint waits that long (none by default; also settable with [`DemoServer::set_page_delay`]).

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode, Uri};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub mod account;
mod files;
mod routes;
mod tasks;

pub use account::{
    DEMO_ACCOUNT, DEMO_ACCOUNT_ERROR_MESSAGE, DEMO_ASSET_COUNT, DEMO_ERROR_ACCOUNT, DEMO_ERROR_SECRET_JWT,
    DEMO_ERROR_SECRET_PASSWORD, DEMO_SECRET_JWT, DEMO_SECRET_PASSWORD, demo_secrets,
};
pub use files::EXPIRED_SIGNATURE;
pub use tasks::{
    MANY_ARTIFACTS, TASK_ACT_TWO, TASK_FAILED, TASK_GEN3, TASK_GEN4, TASK_MANY_ARTIFACTS, TASK_NOT_FOUND, TASK_RUNNING,
};

/// Milliseconds each list page waits, read when the server starts (for benchmarks; unset: none).
pub const PAGE_DELAY_ENV: &str = "RUNWAY_ASSETS_DEMO_PAGE_DELAY_MS";
/// The longest page delay the variable can ask for.
const MAX_PAGE_DELAY_MS: u64 = 600_000;

/// The token the demo accepts (any non-empty bearer token is accepted; this is what --demo uses).
pub const DEMO_TOKEN: &str = "demo-token";
/// Answers 400 with a JSON error.
pub const ID_BAD_REQUEST: &str = "demo-bad-request";
/// Answers 404 `Not found.` (as does any id that is not a sample).
pub const ID_NOT_FOUND: &str = "demo-not-found";
/// Answers 429 with `Retry-After: 1` on the 1st, 3rd, 5th… request, and an asset in between.
pub const ID_RATE_LIMITED_ONCE: &str = "demo-rate-limited";
/// Answers 500 with an HTML body, as a proxy would.
pub const ID_SERVER_ERROR: &str = "demo-server-error";
/// Answers with an asset after three seconds.
pub const ID_SLOW: &str = "demo-slow";
/// Answers 596: the linked Runway account is in an error state.
pub const ID_ACCOUNT_ERROR: &str = "demo-account-error";

const PATH_PREFIX: &str = "/v1/runwayml/assets/";
const TASKS_PREFIX: &str = "/v1/runwayml/tasks/";
const SLOW_DELAY: Duration = Duration::from_secs(3);
const SERVER_ERROR_HTML: &str = "<html><head><title>500 Internal Server Error</title></head>\
<body><h1>Internal Server Error</h1></body></html>";

type Sample = (&'static str, &'static str);

/// A sample: its assetId (account 1000000001, demo@example.com) and its JSON file in `assets/`.
macro_rules! sample {
    ($uuid:literal, $file:literal) => {
        (
            concat!("user:1000000001-runwayml:demo@example.com-asset:", $uuid),
            include_str!(concat!("../../assets/", $file)),
        )
    };
}

const RACE_CAR_IMAGE: Sample = sample!("3f6c2a9e-8b1d-4c7a-9e52-1d0b7a4f6e21", "race-car-image.json");
const VIDEO_NEW_METADATA: Sample = sample!("b7e41d05-2c9a-4f3e-8a61-5c2d9e0f7b34", "video-new-metadata.json");
const AUDIO_MP3: Sample = sample!("c2a98f14-7d3e-4b61-a0c5-9e8b4d2f1a76", "audio-mp3.json");
const VIDEO_STRING_NUMBERS: Sample = sample!("e5d3b8a2-1f7c-4e09-b6d4-8c2a0f9e3b17", "video-string-numbers.json");
const VIDEO_OLD_METADATA: Sample = sample!("a1f0c7d9-5e2b-4a38-9d61-0b4e8c7f2a95", "video-old-metadata.json");
/// What `ID_RATE_LIMITED_ONCE` returns when it succeeds.
const RATE_LIMITED_IMAGE: Sample = sample!("d4b6e2f8-9a1c-4d73-8e25-7f0a3c6b9d12", "rate-limited-image.json");
/// What `ID_SLOW` returns.
const SLOW_VIDEO: Sample = sample!("f8c1a3e6-0d4b-4b92-a7f3-5e9d2c8b1f40", "slow-video.json");

/// The sample assets, newest first: (assetId, raw JSON text). Used to pre-fill the demo's history.
pub fn samples() -> Vec<(&'static str, &'static str)> {
    vec![RACE_CAR_IMAGE, VIDEO_NEW_METADATA, AUDIO_MP3, VIDEO_STRING_NUMBERS, VIDEO_OLD_METADATA]
}

/// Every asset the server knows by its real id: the samples and the two behind special ids.
fn known_assets() -> impl Iterator<Item = Sample> {
    samples().into_iter().chain([RATE_LIMITED_IMAGE, SLOW_VIDEO])
}

/// A running demo server; dropping it stops the server and waits for its thread.
#[derive(Debug)]
pub struct DemoServer {
    addr: SocketAddr,
    files_addr: SocketAddr,
    state: Arc<State>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Debug, Default)]
struct State {
    /// `http://127.0.0.1:{files port}/runway/`: what [`files::FILES_PLACEHOLDER`] becomes.
    files_base: String,
    /// `http://127.0.0.1:{api port}`, for the file host's redirect back to the API.
    api_base: String,
    file_requests: AtomicUsize,
    /// File-host requests that carried an Authorization header or the token: must stay 0.
    file_requests_with_token: AtomicUsize,
    requests: AtomicUsize,
    rate_limited_hits: AtomicUsize,
    /// Requests for the running task so far (its progress moves with each).
    running_task_hits: AtomicUsize,
    /// How long each list answer waits, in milliseconds (0: not at all).
    page_delay_ms: AtomicU64,
}

impl DemoServer {
    /// Starts the server on its own thread (a tokio current-thread runtime running hyper), bound
    /// to 127.0.0.1 on a free port, with its file host on another. Returns once both listen.
    ///
    /// # Errors
    /// When the port cannot be bound or the runtime or thread cannot be created.
    pub fn start() -> std::io::Result<DemoServer> {
        let (api_std, files_std) = (loopback_listener()?, loopback_listener()?);
        let (addr, files_addr) = (api_std.local_addr()?, files_std.local_addr()?);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let (listener, files_listener) = {
            let _context = runtime.enter();
            (TcpListener::from_std(api_std)?, TcpListener::from_std(files_std)?)
        };
        let state = Arc::new(State {
            files_base: format!("http://{files_addr}/runway/"),
            api_base: format!("http://{addr}"),
            ..State::default()
        });
        let delay = std::env::var(PAGE_DELAY_ENV).ok().and_then(|ms| ms.trim().parse::<u64>().ok());
        state.page_delay_ms.store(delay.unwrap_or(0).min(MAX_PAGE_DELAY_MS), Ordering::SeqCst);
        let (shutdown, shutdown_rx) = oneshot::channel();
        let served = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name("runway-assets-demo".to_owned())
            .spawn(move || runtime.block_on(serve(listener, files_listener, served, shutdown_rx)))?;
        Ok(DemoServer { addr, files_addr, state, shutdown: Some(shutdown), thread: Some(thread) })
    }

    /// `http://127.0.0.1:PORT` of the file host, where the demo's asset and preview URLs point.
    pub fn files_url(&self) -> String {
        format!("http://{}", self.files_addr)
    }

    /// How many requests the file host has answered.
    pub fn file_requests(&self) -> usize {
        self.state.file_requests.load(Ordering::SeqCst)
    }

    /// How many file-host requests carried an Authorization header or the token: must stay 0.
    pub fn file_requests_with_token(&self) -> usize {
        self.state.file_requests_with_token.load(Ordering::SeqCst)
    }

    /// `json` (a sample's text) as this server's API sends it: file URLs on its file host, freshly
    /// signed.
    pub fn as_served(&self, json: &str) -> String {
        self.with_file_urls(json).replace(files::EXPIRED_SIGNATURE, "_jwt=fresh")
    }

    /// `json` (a sample's text) with its file URLs pointing at this server's file host, as a
    /// copy kept from an earlier answer would hold them (signatures left as they were).
    pub fn with_file_urls(&self, json: &str) -> String {
        json.replace(files::FILES_PLACEHOLDER, &self.state.files_base)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Makes every list answer wait `delay` (`None`: answer at once), as [`PAGE_DELAY_ENV`] does.
    pub fn set_page_delay(&self, delay: Option<Duration>) {
        let ms = delay.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX).min(MAX_PAGE_DELAY_MS));
        self.state.page_delay_ms.store(ms, Ordering::SeqCst);
    }

    /// How many requests it has answered so far.
    pub fn request_count(&self) -> usize {
        self.state.requests.load(Ordering::SeqCst)
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // An error means the server loop has already ended: nothing left to stop.
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn loopback_listener() -> std::io::Result<std::net::TcpListener> {
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// Runs the API and the file host until told to stop; ending drops the runtime and every
/// connection with it.
async fn serve(listener: TcpListener, files: TcpListener, state: Arc<State>, shutdown: oneshot::Receiver<()>) {
    let file_host = tokio::spawn(serve_files(files, Arc::clone(&state)));
    serve_api(listener, state, shutdown).await;
    file_host.abort();
}

async fn serve_files(listener: TcpListener, state: Arc<State>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = service_fn(move |request: Request<Incoming>| {
                let reply = files::answer(request.method(), request.headers(), request.uri(), &state, &state.api_base);
                async move { Ok::<_, Infallible>(reply) }
            });
            let _ =
                http1::Builder::new().timer(TokioTimer::new()).serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

/// Accepts API connections until told to stop.
async fn serve_api(listener: TcpListener, state: Arc<State>, mut shutdown: oneshot::Receiver<()>) {
    loop {
        let stream = tokio::select! {
            biased;
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // E.g. out of file descriptors: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(request, Arc::clone(&state)));
            // A broken connection concerns only its client.
            let _ =
                http1::Builder::new().timer(TokioTimer::new()).serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

enum Reply {
    Now(Response<Full<Bytes>>),
    After(Duration, Response<Full<Bytes>>),
}

async fn handle(request: Request<Incoming>, state: Arc<State>) -> Result<Response<Full<Bytes>>, Infallible> {
    let reply = route(request.method(), request.headers(), request.uri(), &state);
    drop(request);
    let response = match reply {
        Reply::Now(response) => response,
        Reply::After(delay, response) => {
            tokio::time::sleep(delay).await;
            response
        }
    };
    state.requests.fetch_add(1, Ordering::SeqCst);
    Ok(with_fresh_file_urls(response, &state).await)
}

/// The answer with its file URLs pointing at the file host, freshly signed (an expired
/// signature is what a copy kept from long ago holds; the API always hands out fresh ones).
async fn with_fresh_file_urls(response: Response<Full<Bytes>>, state: &State) -> Response<Full<Bytes>> {
    let (parts, body) = response.into_parts();
    let body = body.collect().await.map(http_body_util::Collected::to_bytes).unwrap_or_default();
    if memchr::memmem::find(&body, files::FILES_PLACEHOLDER.as_bytes()).is_none() {
        return Response::from_parts(parts, Full::new(body));
    }
    let text = String::from_utf8_lossy(&body)
        .replace(files::FILES_PLACEHOLDER, &state.files_base)
        .replace(files::EXPIRED_SIGNATURE, "_jwt=fresh");
    Response::from_parts(parts, Full::new(Bytes::from(text)))
}

fn route(method: &Method, headers: &HeaderMap, uri: &Uri, state: &State) -> Reply {
    let path = uri.path();
    if method != Method::GET {
        let mut response = json_error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed.");
        let allow = HeaderValue::from_static("GET");
        response.headers_mut().insert(header::ALLOW, allow);
        return Reply::Now(response);
    }
    if !authorized(headers) {
        return Reply::Now(json_error(StatusCode::UNAUTHORIZED, "Unauthorized"));
    }
    if routes::is_list(path) {
        let answer = routes::list(uri.query());
        return match state.page_delay_ms.load(Ordering::SeqCst) {
            0 => Reply::Now(answer),
            ms => Reply::After(Duration::from_millis(ms), answer),
        };
    }
    if let Some(answer) = routes::accounts(path).or_else(|| routes::useapi_account(path)) {
        return Reply::Now(answer);
    }
    if let Some(segment) = path.strip_prefix(TASKS_PREFIX) {
        return Reply::Now(task(segment, state));
    }
    let segment = match path.strip_prefix(PATH_PREFIX) {
        Some(segment) if !segment.is_empty() && !segment.contains('/') => segment,
        _ => return Reply::Now(json_error(StatusCode::NOT_FOUND, "No such endpoint.")),
    };
    let Some(id) = percent_decode(segment) else {
        let message = "assetId is not valid percent-encoded UTF-8";
        return Reply::Now(json_error(StatusCode::BAD_REQUEST, message));
    };
    Reply::Now(match id.as_str() {
        ID_BAD_REQUEST => {
            let message = format!("assetId {id} is not a valid asset id");
            json_error(StatusCode::BAD_REQUEST, &message)
        }
        ID_RATE_LIMITED_ONCE => {
            if state.rate_limited_hits.fetch_add(1, Ordering::SeqCst).is_multiple_of(2) {
                let mut response = json_error(StatusCode::TOO_MANY_REQUESTS, "Too many requests.");
                let retry = HeaderValue::from_static("1");
                response.headers_mut().insert(header::RETRY_AFTER, retry);
                response
            } else {
                asset(RATE_LIMITED_IMAGE)
            }
        }
        ID_SERVER_ERROR => {
            let html = HeaderValue::from_static("text/html; charset=utf-8");
            respond(StatusCode::INTERNAL_SERVER_ERROR, html, SERVER_ERROR_HTML.into())
        }
        ID_SLOW => return Reply::After(SLOW_DELAY, asset(SLOW_VIDEO)),
        ID_ACCOUNT_ERROR => {
            let status = StatusCode::from_u16(596).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            json_error(status, "Runway account demo@example.com has error state")
        }
        other => match known_assets().find(|(known, _)| *known == other) {
            Some(sample) => asset(sample),
            None => match account::Listing::get().find(other) {
                Some(json) => respond(StatusCode::OK, HeaderValue::from_static("application/json"), json),
                None => json_error(StatusCode::NOT_FOUND, "Not found."),
            },
        },
    })
}

/// `GET /v1/runwayml/tasks/{taskId}`: the task, or 404 `Not found.` as the real API answers
/// for an unknown or deleted task.
fn task(segment: &str, state: &State) -> Response<Full<Bytes>> {
    if segment.is_empty() || segment.contains('/') {
        return json_error(StatusCode::NOT_FOUND, "No such endpoint.");
    }
    let Some(id) = percent_decode(segment) else {
        return json_error(StatusCode::BAD_REQUEST, "taskId is not valid percent-encoded UTF-8");
    };
    let found = if tasks::is_demo_task(&id) {
        tasks::answer(&id, || state.running_task_hits.fetch_add(1, Ordering::SeqCst))
    } else {
        None
    };
    match found {
        Some(json) => respond(StatusCode::OK, HeaderValue::from_static("application/json"), json),
        None => json_error(StatusCode::NOT_FOUND, "Not found."),
    }
}

fn authorized(headers: &HeaderMap) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .is_some_and(|token| !token.trim().is_empty())
}

/// Decodes `%XX` escapes; `None` for a broken escape or bytes that are not UTF-8.
fn percent_decode(segment: &str) -> Option<String> {
    let mut bytes = segment.bytes();
    let mut decoded = Vec::with_capacity(segment.len());
    while let Some(byte) = bytes.next() {
        if byte == b'%' {
            let high = char::from(bytes.next()?).to_digit(16)?;
            let low = char::from(bytes.next()?).to_digit(16)?;
            decoded.push(u8::try_from(high * 16 + low).ok()?);
        } else {
            decoded.push(byte);
        }
    }
    String::from_utf8(decoded).ok()
}

fn asset((_, json): Sample) -> Response<Full<Bytes>> {
    let content_type = HeaderValue::from_static("application/json");
    respond(StatusCode::OK, content_type, json.into())
}

fn json_error(status: StatusCode, message: &str) -> Response<Full<Bytes>> {
    let body = format!("{{\"error\":{},\"code\":{}}}", serde_json::Value::from(message), status.as_u16());
    let content_type = HeaderValue::from_static("application/json");
    respond(status, content_type, body.into())
}

fn respond(status: StatusCode, content_type: HeaderValue, body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, content_type);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    const BEARER: Option<&str> = Some("Bearer demo-token");
    const NOT_FOUND: &str = r#"{"error":"Not found.","code":404}"#;

    /// One raw HTTP/1.1 request with `Connection: close`: (status, lower-cased head, body).
    fn send(server: &DemoServer, method: &str, path: &str, auth: Option<&str>) -> (u16, String, String) {
        let mut stream = TcpStream::connect(server.addr()).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
        let auth = auth.map(|a| format!("Authorization: {a}\r\n")).unwrap_or_default();
        let head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: close\r\n\r\n");
        stream.write_all(head.as_bytes()).expect("write");
        let mut raw = String::new();
        stream.read_to_string(&mut raw).expect("read");
        let (head, body) = raw.split_once("\r\n\r\n").expect("a head");
        let status = head.get(9..12).and_then(|s| s.parse().ok()).expect("status");
        (status, head.to_ascii_lowercase(), body.to_owned())
    }

    fn get(server: &DemoServer, id: &str) -> (u16, String, String) {
        send(server, "GET", &format!("{PATH_PREFIX}{id}"), BEARER)
    }

    fn asset_id_of(body: &str) -> String {
        let value: serde_json::Value = serde_json::from_str(body).expect("JSON");
        value["assetId"].as_str().expect("assetId").to_owned()
    }

    #[test]
    fn every_sample_is_an_object_with_its_own_ids_newest_first() {
        let parse = |json: &str| serde_json::from_str::<serde_json::Value>(json).expect("JSON");
        let created: Vec<String> = samples().iter().map(|(_, json)| parse(json)["createdAt"].to_string()).collect();
        assert!(created.windows(2).all(|pair| pair[0] > pair[1]), "{created:?}");
        for (id, json) in known_assets() {
            let value = parse(json);
            assert!(value.is_object() && value["assetId"].as_str() == Some(id), "{id}");
            assert_eq!(value["id"].as_str(), id.rsplit("-asset:").next(), "{id}");
        }
    }

    #[test]
    fn each_id_gets_its_answer_and_is_counted() {
        let encoded = AUDIO_MP3.0.replace(':', "%3A").replace('@', "%40");
        let mut cases: Vec<(&str, u16, &str)> = samples().into_iter().map(|(id, json)| (id, 200, json)).collect();
        cases.extend([
            (encoded.as_str(), 200, AUDIO_MP3.1),
            (ID_BAD_REQUEST, 400, r#"{"error":"assetId demo-bad-request is not a valid asset id","code":400}"#),
            (ID_NOT_FOUND, 404, NOT_FOUND),
            ("user:1-runwayml:x@example.com-asset:gone", 404, NOT_FOUND),
            ("a%2Fb", 404, NOT_FOUND),
            (ID_SERVER_ERROR, 500, SERVER_ERROR_HTML),
            (ID_ACCOUNT_ERROR, 596, r#"{"error":"Runway account demo@example.com has error state","code":596}"#),
        ]);
        let server = DemoServer::start().expect("start");
        assert!(server.base_url().starts_with("http://127.0.0.1:"));
        assert_eq!(server.request_count(), 0);
        for (id, status, body) in &cases {
            let reply = get(&server, id);
            assert_eq!((reply.0, reply.2.as_str()), (*status, server.as_served(body).as_str()), "{id}");
            let content_type = if *status == 500 { "text/html" } else { "application/json" };
            assert!(reply.1.contains(&format!("content-type: {content_type}")), "{id}");
        }
        assert_eq!(get(&server, "bad%zz").0, 400);
        assert_eq!(server.request_count(), cases.len() + 1);
    }

    #[test]
    fn missing_or_malformed_authorization_is_401() {
        let server = DemoServer::start().expect("start");
        let path = format!("{PATH_PREFIX}{}", RACE_CAR_IMAGE.0);
        for auth in [None, Some("Basic abc"), Some("Bearer "), Some("Bearer   "), Some("demo")] {
            let reply = send(&server, "GET", &path, auth);
            assert_eq!((reply.0, reply.2.as_str()), (401, r#"{"error":"Unauthorized","code":401}"#));
        }
        assert_eq!(send(&server, "GET", &path, Some("Bearer user:1-x")).0, 200);
    }

    #[test]
    fn rate_limited_id_alternates_429_and_success() {
        let server = DemoServer::start().expect("start");
        for _ in 0..2 {
            let (status, head, body) = get(&server, ID_RATE_LIMITED_ONCE);
            assert_eq!(status, 429);
            assert!(head.contains("retry-after: 1\r\n") && body.contains(r#""code":429"#));
            let (status, _, body) = get(&server, ID_RATE_LIMITED_ONCE);
            assert_eq!((status, asset_id_of(&body)), (200, RATE_LIMITED_IMAGE.0.to_owned()));
        }
    }

    #[test]
    fn slow_id_answers_an_asset_and_others_are_served_meanwhile() {
        let server = Arc::new(DemoServer::start().expect("start"));
        let slow_server = Arc::clone(&server);
        let slow = std::thread::spawn(move || get(&slow_server, ID_SLOW));
        assert_eq!(get(&server, RACE_CAR_IMAGE.0).0, 200);
        let (status, _, body) = slow.join().expect("slow request");
        assert_eq!((status, asset_id_of(&body)), (200, SLOW_VIDEO.0.to_owned()));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn serves_reqwest_from_inside_a_runtime() {
        let server = DemoServer::start().expect("start");
        let url = format!("{}{PATH_PREFIX}{}", server.base_url(), VIDEO_OLD_METADATA.0);
        crate::api::client::install_crypto_provider();
        let response = reqwest::Client::new().get(url).bearer_auth(DEMO_TOKEN).send().await.expect("send");
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.text().await.expect("body"), server.as_served(VIDEO_OLD_METADATA.1));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%2Fb").as_deref(), Some("a/b"));
        assert_eq!(percent_decode("user%3a1%40x").as_deref(), Some("user:1@x"));
        assert_eq!(percent_decode("%e2%9c%93").as_deref(), Some("\u{2713}"));
        for broken in ["%", "%4", "%zz", "%ff"] {
            assert_eq!(percent_decode(broken), None, "{broken}");
        }
    }

    #[test]
    fn other_paths_and_methods_are_refused() {
        let server = DemoServer::start().expect("start");
        let extra = format!("{PATH_PREFIX}{}/more", AUDIO_MP3.0);
        for path in [extra.as_str(), "/v1/runwayml/assetsx", "/", "/v2/accounts", "/v1/runwayml/accounts/a/b"] {
            let (status, _, body) = send(&server, "GET", path, BEARER);
            assert_eq!((status, body.contains(r#""code":404"#)), (404, true), "{path}");
        }
        let (status, head, _) = send(&server, "DELETE", &format!("{PATH_PREFIX}{}", AUDIO_MP3.0), BEARER);
        assert_eq!((status, head.contains("allow: get")), (405, true));
    }

    #[test]
    fn v2_account_answers_a_made_up_useapi_account() {
        let server = DemoServer::start().expect("start");
        let (status, _, body) = send(&server, "GET", "/v2/account", BEARER);
        assert_eq!(status, 200);
        assert!(body.contains(r#""email":"newcomer@example.com""#) && body.contains(r#""sub":"261231""#), "{body}");
        let (status, _, _) = send(&server, "GET", "/v2/account", None);
        assert_eq!(status, 401);
    }

    #[test]
    fn dropping_the_server_stops_it() {
        let server = DemoServer::start().expect("start");
        let addr = server.addr();
        assert_eq!(get(&server, RACE_CAR_IMAGE.0).0, 200);
        drop(server);
        if let Ok(mut stream) = TcpStream::connect(addr) {
            // Only possible if another process took the port meanwhile: it must not be us.
            let _ = stream.write_all(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
            let mut raw = String::new();
            let _ = stream.read_to_string(&mut raw);
            assert!(!raw.contains("\"code\""));
        }
    }
}
