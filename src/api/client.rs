//! The HTTP client for `GET {base}/v1/runwayml/assets/{assetId}`: builds a safe URL from
//! whatever the user typed, sends the token, bounds time and size, retries what is worth
//! retrying, and turns every outcome into an `Asset` or an `ApiError`.

use std::error::Error as _;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{self, HeaderValue};
use reqwest::{StatusCode, Url};

use super::error::{ApiError, NetworkKind};
use super::model::Asset;
use crate::config::Token;
use crate::sanitize;

/// An asset ID longer than this cannot be real; it is refused before any request.
pub const MAX_ID_LEN: usize = 1024;

#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub base_url: String,
    pub token: Option<Token>,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub total_timeout: Duration,
    pub max_body_bytes: u64,
    /// Extra attempts after the first for 429 and 502/503/504.
    pub retries: u32,
    /// First backoff; doubled each attempt, with jitter.
    pub backoff: Duration,
    /// The longest wait between attempts, whatever Retry-After asks.
    pub max_retry_wait: Duration,
}

impl ClientOptions {
    /// The defaults, written once: `new` and the command line's help both use these.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
    pub const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(60);
    pub const DEFAULT_MAX_BODY_BYTES: u64 = 4 * 1024 * 1024;
    pub const DEFAULT_RETRIES: u32 = 3;
    pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(500);
    pub const DEFAULT_MAX_RETRY_WAIT: Duration = Duration::from_secs(30);

    pub fn new(base_url: &str, token: Option<Token>) -> ClientOptions {
        ClientOptions {
            base_url: base_url.to_string(),
            token,
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            read_timeout: Self::DEFAULT_READ_TIMEOUT,
            total_timeout: Self::DEFAULT_TOTAL_TIMEOUT,
            max_body_bytes: Self::DEFAULT_MAX_BODY_BYTES,
            retries: Self::DEFAULT_RETRIES,
            backoff: Self::DEFAULT_BACKOFF,
            max_retry_wait: Self::DEFAULT_MAX_RETRY_WAIT,
        }
    }
}

/// A successful lookup: the parsed asset and the JSON as received (compact, one line).
#[derive(Debug, Clone)]
pub struct Fetched {
    pub asset: Asset,
    pub raw: serde_json::Value,
}

#[derive(Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    base: Url,
    opts: ClientOptions,
}

impl ApiClient {
    pub fn new(opts: ClientOptions) -> Result<ApiClient, ApiError> {
        let base = parse_base_url(&opts.base_url)?;
        install_crypto_provider();
        let mut builder = reqwest::Client::builder();
        if base.scheme() == "http" {
            // A plain-http API (a local proxy, the demo) makes no TLS connection: skip loading
            // the system trust store, which costs milliseconds at every start.
            builder = builder.tls_certs_only(std::iter::empty());
        }
        let http = builder
            .user_agent(concat!("runway-assets/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(opts.connect_timeout)
            .read_timeout(opts.read_timeout)
            .timeout(opts.total_timeout)
            // reqwest drops Authorization when a redirect leaves the host; also cap the hops.
            .redirect(reqwest::redirect::Policy::limited(5))
            // Keep idle connections without a housekeeping timer, which would wake an idle app;
            // a connection the server has closed is noticed when it is next taken.
            .pool_idle_timeout(None)
            .build()
            .map_err(|e| ApiError::Network {
                kind: NetworkKind::Other,
                detail: sanitize::one_line(&e.to_string(), 200),
            })?;
        Ok(ApiClient { http, base, opts })
    }

    pub fn options(&self) -> &ClientOptions {
        &self.opts
    }

    /// The URL for one asset: the trimmed ID as exactly one path segment.
    pub fn asset_url(&self, asset_id: &str) -> Result<Url, ApiError> {
        asset_url(&self.base, asset_id)
    }

    /// Looks up one asset, retrying rate limits and gateway errors with backoff.
    pub async fn get_asset(&self, asset_id: &str) -> Result<Fetched, ApiError> {
        let url = self.asset_url(asset_id)?;
        self.get_with_retries(&url, |body| {
            let raw = parse_json(&body)?;
            let asset = Asset::from_value(raw.clone()).map_err(|e| ApiError::InvalidJson(e.to_string()))?;
            Ok(Fetched { asset, raw })
        })
        .await
    }

    /// The base URL with `segments` appended as path segments (each encoded as one), no query.
    pub(crate) fn endpoint(&self, segments: &[&str]) -> Result<Url, ApiError> {
        endpoint(&self.base, segments)
    }

    /// One GET that answers JSON, shared by every call: the token (checked before anything is
    /// sent), one deadline for all attempts and waits, retries of 429 and 502/503/504 (honouring
    /// Retry-After), the size cap, and errors made from the status. `parse` reads a 2xx body
    /// (given to it, so that it can keep the bytes without a copy).
    pub(crate) async fn get_with_retries<T>(
        &self,
        url: &Url,
        parse: impl Fn(Vec<u8>) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        self.get_json(url, ErrorText::Quoted, parse).await
    }

    /// As [`ApiClient::get_with_retries`], choosing what of an error body may be quoted.
    pub(crate) async fn get_json<T>(
        &self,
        url: &Url,
        error_text: ErrorText,
        parse: impl Fn(Vec<u8>) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let token = self.opts.token.as_ref().ok_or(ApiError::NoToken)?;
        let mut auth =
            HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| ApiError::MalformedToken)?;
        auth.set_sensitive(true);
        // One deadline for the whole call, retries and waits included.
        let deadline = tokio::time::Instant::now() + self.opts.total_timeout;
        let mut attempt = 0;
        loop {
            let remaining = deadline.saturating_duration_since(tokio::time::Instant::now());
            let result =
                self.get_once(url, &auth, remaining, error_text).await.map_err(|e| redact(e, token)).and_then(&parse);
            match result {
                Err(e) if e.is_retryable() && attempt < self.opts.retries => {
                    let wait = match &e {
                        ApiError::RateLimited { retry_after: Some(d) } => *d,
                        _ => backoff_with_jitter(self.opts.backoff, attempt),
                    }
                    .min(self.opts.max_retry_wait);
                    if tokio::time::Instant::now() + wait >= deadline {
                        log::warn!(target: "api", "GET {}: {e} (no time left to retry)", log_path(url));
                        return Err(e); // no time left to wait for another try
                    }
                    log::info!(target: "api", "GET {}: retry {} in {} ms: {e}", log_path(url), attempt + 1, wait.as_millis());
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(e) => {
                    log::warn!(target: "api", "GET {}: {e}", log_path(url));
                    return Err(e);
                }
                ok => return ok,
            }
        }
    }

    /// One attempt: the body of a 2xx answer, else the error its status (and message) means.
    async fn get_once(
        &self,
        url: &Url,
        auth: &HeaderValue,
        time_left: Duration,
        error_text: ErrorText,
    ) -> Result<Vec<u8>, ApiError> {
        let started = std::time::Instant::now();
        let response = self
            .http
            .get(url.clone())
            .header(header::AUTHORIZATION, auth.clone())
            .header(header::ACCEPT, "application/json")
            .timeout(time_left)
            .send()
            .await
            .map_err(network_error)
            .inspect_err(|e| log::info!(target: "api", "GET {} failed after {} ms: {e}", log_path(url), ms(started)))?;
        let status = response.status();
        let retry_after = response.headers().get(header::RETRY_AFTER).and_then(parse_retry_after);
        let body = read_capped(response, self.opts.max_body_bytes).await;
        let size = body.as_ref().map_or_else(|e| e.to_string(), |b| format!("{} B", b.len()));
        log::info!(target: "api", "GET {} {} {size} {} ms", log_path(url), status.as_u16(), ms(started));
        let body = body?;
        if status.is_success() {
            return Ok(body);
        }
        let message = match error_text {
            ErrorText::Quoted => server_message(&body),
            ErrorText::JsonFieldOnly => json_error_field(&body),
        };
        Err(error_for_status(status, message, retry_after))
    }
}

fn ms(since: std::time::Instant) -> u128 {
    since.elapsed().as_millis()
}

/// A request's path for the log: the API's paging parameters stay, the `email` value is
/// masked, and any other query (a signed file URL's `_jwt`, say) is left out.
pub(crate) fn log_path(url: &Url) -> String {
    let mut text = url.path().to_string();
    let kept: Vec<String> = url
        .query_pairs()
        .filter_map(|(name, value)| match name.as_ref() {
            "offset" | "limit" | "mediaType" => Some(format!("{name}={value}")),
            "email" => Some("email=…".to_string()),
            _ => None,
        })
        .collect();
    if !kept.is_empty() {
        text.push('?');
        text.push_str(&kept.join("&"));
    }
    text
}

/// What of an error answer's body may reach an error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorText {
    /// Its `error`/`message` field, an HTML page's title, or the start of plain text.
    Quoted,
    /// Only a JSON object's `error`/`message` field: for endpoints whose bodies hold secrets.
    JsonFieldOnly,
}

/// A 2xx body as JSON; the error says where it broke, never what it held.
pub(crate) fn parse_json(body: &[u8]) -> Result<serde_json::Value, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::InvalidJson(json_problem(&e, body)))
}

/// rustls needs a process-wide crypto provider before any client is built: ring's. Installing
/// it only records which one to use; nothing is initialised until a TLS connection is made.
pub fn install_crypto_provider() {
    // An error only means one is installed already, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn parse_base_url(text: &str) -> Result<Url, ApiError> {
    let url = Url::parse(text.trim()).map_err(|_| ApiError::BadBaseUrl(sanitize::one_line(text, 200)))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() || url.host().is_none() {
        return Err(ApiError::BadBaseUrl(sanitize::one_line(text, 200)));
    }
    Ok(url)
}

/// Checks and trims what the user typed; the result is what gets sent.
pub fn normalize_id(input: &str) -> Result<&str, ApiError> {
    let id = input.trim();
    if id.is_empty() {
        return Err(ApiError::EmptyId);
    }
    if id == "." || id == ".." {
        // URL rules would turn these into "this folder" / "the parent folder".
        return Err(ApiError::InvalidId(format!("\"{id}\" cannot be an asset ID.")));
    }
    if id.chars().count() > MAX_ID_LEN {
        return Err(ApiError::InvalidId(format!(
            "That is {} characters long; an asset ID is far shorter (paste just the ID).",
            id.chars().count()
        )));
    }
    Ok(id)
}

fn asset_url(base: &Url, input: &str) -> Result<Url, ApiError> {
    let id = normalize_id(input)?;
    endpoint(base, &["v1", "runwayml", "assets", id])
}

fn endpoint(base: &Url, segments: &[&str]) -> Result<Url, ApiError> {
    let mut url = base.clone();
    url.set_query(None);
    url.set_fragment(None);
    {
        let mut path = url.path_segments_mut().map_err(|_| ApiError::BadBaseUrl(base.to_string()))?;
        // extend() percent-encodes each item as one segment: `/ ? # %` and spaces stay inside it.
        path.pop_if_empty().extend(segments);
    }
    Ok(url)
}

async fn read_capped(response: reqwest::Response, limit: u64) -> Result<Vec<u8>, ApiError> {
    if response.content_length().is_some_and(|n| n > limit) {
        return Err(ApiError::TooLarge { limit_bytes: limit });
    }
    let mut body = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(network_error)?;
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(ApiError::TooLarge { limit_bytes: limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
fn status_error(status: StatusCode, body: &[u8], retry_after: Option<Duration>) -> ApiError {
    error_for_status(status, server_message(body), retry_after)
}

fn error_for_status(status: StatusCode, message: String, retry_after: Option<Duration>) -> ApiError {
    match status.as_u16() {
        400 => ApiError::BadRequest(if message.is_empty() { "no reason given".into() } else { message }),
        401 => ApiError::Unauthorized,
        402 => ApiError::PaymentRequired(message),
        404 => ApiError::NotFound,
        412 => ApiError::PreconditionFailed(message),
        429 => ApiError::RateLimited { retry_after },
        596 => ApiError::AccountError(message),
        s @ 500..=599 => ApiError::Server { status: s, message: or_default(message, status) },
        s => ApiError::UnexpectedStatus { status: s, message: or_default(message, status) },
    }
}

/// A server that echoes the token back (in an error message) must not get it onto the screen.
fn redact(error: ApiError, token: &Token) -> ApiError {
    let scrub = |m: String| if m.contains(token.expose()) { m.replace(token.expose(), "<redacted>") } else { m };
    match error {
        ApiError::BadRequest(m) => ApiError::BadRequest(scrub(m)),
        ApiError::PaymentRequired(m) => ApiError::PaymentRequired(scrub(m)),
        ApiError::PreconditionFailed(m) => ApiError::PreconditionFailed(scrub(m)),
        ApiError::AccountError(m) => ApiError::AccountError(scrub(m)),
        ApiError::Server { status, message } => ApiError::Server { status, message: scrub(message) },
        ApiError::UnexpectedStatus { status, message } => {
            ApiError::UnexpectedStatus { status, message: scrub(message) }
        }
        other => other,
    }
}

/// The `error`/`message`/`detail` string of a JSON object body; anything else gives "".
fn json_error_field(body: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(map)) => message_field(&map),
        _ => String::new(),
    }
}

fn message_field(map: &serde_json::Map<String, serde_json::Value>) -> String {
    for key in ["error", "message", "detail"] {
        if let Some(serde_json::Value::String(s)) = map.get(key) {
            return sanitize::one_line(s, 200);
        }
    }
    String::new()
}

fn or_default(message: String, status: StatusCode) -> String {
    if message.is_empty() { status.canonical_reason().unwrap_or("no details").to_string() } else { message }
}

/// The human part of an error body: `{"error": …}` or `{"message": …}`, an HTML page's title,
/// or the start of plain text; always one safe line.
pub fn server_message(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(body);
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&text) {
        return message_field(&map);
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("<html") || lower.contains("<!doctype") {
        let title = lower.find("<title>").and_then(|start| {
            let rest = &text[start + 7..];
            rest.to_ascii_lowercase().find("</title>").map(|end| &rest[..end])
        });
        return match title.map(|t| sanitize::one_line(t, MAX)).filter(|t| !t.is_empty()) {
            Some(t) => format!("it sent an HTML error page (\"{t}\")"),
            None => "it sent an HTML error page".to_string(),
        };
    }
    sanitize::one_line(&text, MAX)
}

pub(crate) fn json_problem(e: &serde_json::Error, body: &[u8]) -> String {
    if body.iter().all(u8::is_ascii_whitespace) {
        return "the body was empty".to_string();
    }
    match e.classify() {
        serde_json::error::Category::Eof => "the JSON was cut off before its end".to_string(),
        _ => format!("invalid JSON at line {} column {}", e.line(), e.column()),
    }
}

pub(crate) fn network_error(e: reqwest::Error) -> ApiError {
    let chain = error_chain(&e);
    let lower = chain.to_ascii_lowercase();
    let kind = if e.is_timeout() {
        if e.is_connect() { NetworkKind::ConnectTimeout } else { NetworkKind::Timeout }
    } else if lower.contains("connection refused") {
        NetworkKind::Refused
    } else if lower.contains("dns error")
        || lower.contains("failed to lookup address")
        || lower.contains("name or service not known")
    {
        NetworkKind::Dns
    } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
        NetworkKind::Tls
    } else {
        NetworkKind::Other
    };
    let detail = match kind {
        NetworkKind::Other | NetworkKind::Tls => sanitize::one_line(&chain, 160),
        _ => String::new(),
    };
    ApiError::Network { kind, detail }
}

/// The innermost causes of an error, which say what actually failed; URLs stripped.
fn error_chain(e: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        parts.push(e.without_url_ref().to_string());
    }
    parts.dedup();
    parts.join(": ")
}

trait WithoutUrl {
    fn without_url_ref(&self) -> String;
}

impl WithoutUrl for reqwest::Error {
    fn without_url_ref(&self) -> String {
        let text = self.to_string();
        match self.url() {
            Some(url) => text.replace(url.as_str(), "the server"),
            None => text,
        }
    }
}

/// Retry-After as seconds or an HTTP date; unparseable values are ignored.
pub fn parse_retry_after(value: &HeaderValue) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs.min(3600)));
    }
    let when = httpdate_to_timestamp(text)?;
    let now = jiff::Timestamp::now();
    let secs = (when.as_second() - now.as_second()).max(0) as u64;
    Some(Duration::from_secs(secs.min(3600)))
}

/// Parses an IMF-fixdate such as `Wed, 21 Oct 2015 07:28:00 GMT`.
fn httpdate_to_timestamp(text: &str) -> Option<jiff::Timestamp> {
    let rest = text.split_once(", ").map(|(_, r)| r).unwrap_or(text);
    let rest = rest.strip_suffix(" GMT")?;
    jiff::civil::DateTime::strptime("%d %b %Y %H:%M:%S", rest)
        .ok()?
        .to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

fn backoff_with_jitter(base: Duration, attempt: u32) -> Duration {
    use std::hash::{BuildHasher, RandomState};
    let exp = base.saturating_mul(2u32.saturating_pow(attempt.min(16)));
    // Random jitter of up to half the wait, so clients that failed together retry apart.
    let random = RandomState::new().hash_one(attempt);
    let jitter_ms = random % (exp.as_millis() as u64 / 2 + 1);
    exp + Duration::from_millis(jitter_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("http://127.0.0.1:9/prefix/").unwrap()
    }

    #[test]
    fn real_ids_keep_colon_and_at() {
        let id = "user:123-runwayml:me@example.com-asset:9f1c-4d2e";
        let url = asset_url(&base(), &format!("  {id}\n")).unwrap();
        assert_eq!(url.as_str(), format!("http://127.0.0.1:9/prefix/v1/runwayml/assets/{id}"));
    }

    #[test]
    fn hostile_ids_stay_one_segment() {
        for id in ["a/../../admin", "x?token=1", "x#frag", "50%", "a b", "../x", "a\\b", "%2e%2e"] {
            let url = asset_url(&base(), id).unwrap();
            let segments: Vec<_> = url.path_segments().unwrap().collect();
            assert_eq!(segments.len(), 5, "{id} -> {url}");
            assert_eq!(&segments[..4], ["prefix", "v1", "runwayml", "assets"]);
            assert_eq!(url.query(), None, "{id}");
            assert_eq!(url.fragment(), None, "{id}");
        }
    }

    #[test]
    fn empty_dot_and_huge_ids_are_refused_locally() {
        assert_eq!(asset_url(&base(), "   "), Err(ApiError::EmptyId));
        assert!(matches!(asset_url(&base(), ".."), Err(ApiError::InvalidId(_))));
        assert!(matches!(asset_url(&base(), " . "), Err(ApiError::InvalidId(_))));
        assert!(matches!(asset_url(&base(), &"a".repeat(MAX_ID_LEN + 1)), Err(ApiError::InvalidId(_))));
    }

    #[test]
    fn base_urls_are_checked() {
        assert!(parse_base_url("https://api.useapi.net").is_ok());
        assert!(parse_base_url("ftp://x").is_err());
        assert!(parse_base_url("not a url").is_err());
        assert!(parse_base_url("mailto:a@b").is_err());
    }

    #[test]
    fn server_messages_are_extracted_and_safe() {
        assert_eq!(server_message(br#"{"error":"Bad \u001b[31m id","code":400}"#), "Bad \u{FFFD}[31m id");
        assert_eq!(
            server_message(b"<html><head><title>502 Bad Gateway</title></head><body>x</body></html>"),
            "it sent an HTML error page (\"502 Bad Gateway\")"
        );
        assert_eq!(server_message(b"<!DOCTYPE html><p>oops"), "it sent an HTML error page");
        assert_eq!(server_message(b"plain\ntext"), "plain text");
        assert_eq!(server_message(&[0xff, 0xfe, b'a']), "\u{FFFD}\u{FFFD}a");
    }

    #[test]
    fn a_token_echoed_by_the_server_is_redacted() {
        let token = Token::new("user:42-s3cret").unwrap();
        let e = redact(status_error(StatusCode::BAD_REQUEST, br#"{"error":"bad token user:42-s3cret"}"#, None), &token);
        assert_eq!(e, ApiError::BadRequest("bad token <redacted>".into()));
    }

    #[test]
    fn statuses_map_to_errors() {
        assert_eq!(
            status_error(StatusCode::BAD_REQUEST, br#"{"error":"bad id"}"#, None),
            ApiError::BadRequest("bad id".into())
        );
        assert_eq!(status_error(StatusCode::UNAUTHORIZED, b"", None), ApiError::Unauthorized);
        assert_eq!(status_error(StatusCode::NOT_FOUND, b"", None), ApiError::NotFound);
        assert!(matches!(status_error(StatusCode::from_u16(596).unwrap(), b"{}", None), ApiError::AccountError(_)));
        assert!(matches!(status_error(StatusCode::BAD_GATEWAY, b"", None), ApiError::Server { status: 502, .. }));
        assert!(matches!(
            status_error(StatusCode::IM_A_TEAPOT, b"", None),
            ApiError::UnexpectedStatus { status: 418, .. }
        ));
    }

    #[test]
    fn retry_after_accepts_seconds_and_dates() {
        assert_eq!(parse_retry_after(&HeaderValue::from_static("7")), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(&HeaderValue::from_static("99999999")), Some(Duration::from_secs(3600)));
        assert_eq!(parse_retry_after(&HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT")), Some(Duration::ZERO));
        assert_eq!(parse_retry_after(&HeaderValue::from_static("soon")), None);
        assert!(httpdate_to_timestamp("Wed, 21 Oct 2015 07:28:00 GMT").is_some());
    }

    #[test]
    fn backoff_grows_and_stays_bounded() {
        let b = Duration::from_millis(100);
        let first = backoff_with_jitter(b, 0);
        assert!(first >= b && first <= b * 3 / 2);
        let third = backoff_with_jitter(b, 2);
        assert!(third >= b * 4 && third <= b * 6);
    }
}
