//! GET of the files an asset points at (its `url`, its `previewUrls`): hosts that are not the
//! API. Shared by previews and downloads, so the rules that keep the user safe live once:
//!
//! - only `http` and `https` URLs, at every hop;
//! - redirects followed by hand, at most [`MAX_REDIRECTS`], each hop checked again;
//! - the token goes only to the API's own origin (scheme, host and port of the base URL), and
//!   never again once a hop has left it, so a file host cannot bounce us back to the API with it;
//! - a size cap checked against `Content-Length` and while reading, a stall limit between chunks
//!   and an optional deadline for the whole transfer;
//! - the body streamed chunk by chunk, never held whole unless asked ([`FileBody::bytes`]).
//!
//! The HTTP clients are built on first use: building one for https loads the trust store, which
//! start-up should not pay for a feature not yet used.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{self, HeaderValue};
use reqwest::{StatusCode, Url};

use super::client::{install_crypto_provider, network_error};
use super::error::{ApiError, NetworkKind};
use crate::config::Token;
use crate::sanitize;

/// Redirects followed before giving up (a loop ends here too).
pub const MAX_REDIRECTS: usize = 5;
/// How long a file host may take to connect.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a URL is not fetched or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebUrlError {
    #[error("there is no URL")]
    Empty,
    #[error("\"{0}\" is not a full web address")]
    NotAUrl(String),
    #[error("it is a {0}: URL, and only http and https URLs are used")]
    Scheme(String),
    #[error("the URL names no host")]
    NoHost,
}

/// A URL that may be fetched or opened: `http` or `https`, absolute, with a host.
///
/// # Errors
/// [`WebUrlError`] saying why not (a relative path, `file:`, `javascript:`, `data:`, …).
pub fn web_url(text: &str) -> Result<Url, WebUrlError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(WebUrlError::Empty);
    }
    let url = Url::parse(text).map_err(|_| WebUrlError::NotAUrl(sanitize::one_line(text, 60)))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(WebUrlError::Scheme(sanitize::one_line(url.scheme(), 20)));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(WebUrlError::NoHost);
    }
    Ok(url)
}

/// Why a file could not be fetched. `Display` is a phrase that completes "Download failed: …"
/// or "Preview unavailable: …".
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FileError {
    #[error("{0}")]
    NotWebUrl(WebUrlError),
    #[error("the file host redirected to a URL that is not used: {0}")]
    BadRedirect(WebUrlError),
    #[error("the file host redirected more than {MAX_REDIRECTS} times")]
    TooManyRedirects,
    #[error("the file host answered {}", status_text(*.0))]
    Status(u16),
    #[error("the file is larger than the {} limit", human_bytes(*limit))]
    TooBig { limit: u64 },
    #[error("the file host stopped after {} of {}", human_bytes(*received), human_bytes(*expected))]
    Truncated { received: u64, expected: u64 },
    #[error("the file host sent nothing for {} s", .0.as_secs())]
    Stalled(Duration),
    #[error("the transfer took longer than {} s", .0.as_secs())]
    DeadlinePassed(Duration),
    #[error("{}", network_phrase(*kind, detail))]
    Network { kind: NetworkKind, detail: String },
}

impl FileError {
    /// The file host refused a URL that may simply have expired (asset URLs are signed): worth
    /// asking the API for a fresh one and trying once more.
    pub fn is_expired_url(&self) -> bool {
        matches!(self, FileError::Status(401 | 403 | 410))
    }
}

fn status_text(code: u16) -> String {
    match StatusCode::from_u16(code).ok().and_then(|s| s.canonical_reason()) {
        Some(reason) => format!("{code} {reason}"),
        None => code.to_string(),
    }
}

fn human_bytes(n: u64) -> String {
    humansize::format_size(n, humansize::BINARY)
}

fn network_phrase(kind: NetworkKind, detail: &str) -> String {
    let what = match kind {
        NetworkKind::Refused => "the file host refused the connection",
        NetworkKind::Dns => "the file host's name could not be resolved",
        NetworkKind::Tls => "the secure connection to the file host failed",
        NetworkKind::ConnectTimeout => "the file host did not answer in time",
        NetworkKind::Timeout => "the file host took too long",
        NetworkKind::Other => "the connection to the file host failed",
    };
    if detail.is_empty() { what.to_owned() } else { format!("{what} ({detail})") }
}

impl From<ApiError> for FileError {
    fn from(e: ApiError) -> FileError {
        match e {
            ApiError::Network { kind, detail } => FileError::Network { kind, detail },
            other => {
                FileError::Network { kind: NetworkKind::Other, detail: sanitize::one_line(&other.to_string(), 160) }
            }
        }
    }
}

/// Bounds for one transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLimits {
    /// The most bytes accepted (`None`: any size).
    pub max_bytes: Option<u64>,
    /// The longest wait for the answer's headers or for the next chunk of its body.
    pub stall: Duration,
    /// The longest the whole transfer may take, from the request (`None`: no limit).
    pub deadline: Option<Duration>,
}

impl Default for FileLimits {
    fn default() -> FileLimits {
        FileLimits { max_bytes: None, stall: Duration::from_secs(30), deadline: None }
    }
}

/// Fetches files for one API base URL and token. Cheap to clone.
#[derive(Clone)]
pub struct FileClient {
    inner: Arc<Inner>,
}

struct Inner {
    api_base: Option<Url>,
    token: Option<Token>,
    /// For http URLs: no trust store to load.
    plain: OnceLock<reqwest::Client>,
    /// For https URLs.
    secure: OnceLock<reqwest::Client>,
}

impl fmt::Debug for FileClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileClient").field("api_base", &self.inner.api_base).finish_non_exhaustive()
    }
}

impl FileClient {
    /// `api_base` is the API's base URL: only URLs on its origin ever get `token`. A base that
    /// does not parse gives the token to no one.
    pub fn new(api_base: &str, token: Option<Token>) -> FileClient {
        let api_base = Url::parse(api_base.trim()).ok();
        FileClient { inner: Arc::new(Inner { api_base, token, plain: OnceLock::new(), secure: OnceLock::new() }) }
    }

    /// Starts a GET of `url`, following redirects under the rules above, and returns once a
    /// success status and its headers have arrived; read the body with [`FileBody::chunk`].
    ///
    /// # Errors
    /// [`FileError`] for a refused URL or redirect, an error status, a `Content-Length` over the
    /// cap, a stall, the deadline, or a network failure.
    pub async fn get(&self, url: &str, limits: &FileLimits) -> Result<FileBody, FileError> {
        let started = Instant::now();
        let mut url = web_url(url).map_err(FileError::NotWebUrl)?;
        // Once a hop leaves the API's origin, no later hop gets the token, even one back on it.
        let mut token_allowed = true;
        for hop in 0..=MAX_REDIRECTS {
            token_allowed &= self.is_api_origin(&url);
            let mut request = self.http(&url)?.get(url.clone());
            if token_allowed && let Some(token) = &self.inner.token {
                let value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                    .map_err(|_| FileError::from(ApiError::MalformedToken))?;
                request = request.header(header::AUTHORIZATION, value);
            }
            let response = within(limits, started, request.send()).await?.map_err(|e| network(e.without_url()))?;
            let status = response.status();
            if status.is_redirection()
                && let Some(location) = response.headers().get(header::LOCATION)
            {
                if hop == MAX_REDIRECTS {
                    return Err(FileError::TooManyRedirects);
                }
                let location = location.to_str().unwrap_or_default();
                let next = url
                    .join(location)
                    .map_err(|_| FileError::BadRedirect(WebUrlError::NotAUrl(sanitize::one_line(location, 60))))?;
                url = web_url(next.as_str()).map_err(FileError::BadRedirect)?;
                continue;
            }
            if !status.is_success() {
                return Err(FileError::Status(status.as_u16()));
            }
            let content_length = response.content_length();
            if let (Some(limit), Some(length)) = (limits.max_bytes, content_length)
                && length > limit
            {
                return Err(FileError::TooBig { limit });
            }
            let content_type = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(|v| sanitize::one_line(v, 100));
            return Ok(FileBody {
                response,
                content_length,
                content_type,
                received: 0,
                limits: limits.clone(),
                started,
            });
        }
        Err(FileError::TooManyRedirects)
    }

    fn is_api_origin(&self, url: &Url) -> bool {
        self.inner.api_base.as_ref().is_some_and(|base| base.origin() == url.origin())
    }

    fn http(&self, url: &Url) -> Result<&reqwest::Client, FileError> {
        let (cell, plain) =
            if url.scheme() == "http" { (&self.inner.plain, true) } else { (&self.inner.secure, false) };
        if let Some(client) = cell.get() {
            return Ok(client);
        }
        let client = build_client(plain)?;
        Ok(cell.get_or_init(|| client))
    }
}

fn build_client(plain: bool) -> Result<reqwest::Client, FileError> {
    install_crypto_provider();
    let mut builder = reqwest::Client::builder();
    if plain {
        builder = builder.tls_certs_only(std::iter::empty());
    }
    builder
        .user_agent(concat!("runway-assets/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(CONNECT_TIMEOUT)
        // Redirects are followed by hand, so that each hop is checked and the token kept back.
        .redirect(reqwest::redirect::Policy::none())
        // No housekeeping timer to wake an idle app.
        .pool_idle_timeout(None)
        .build()
        .map_err(network)
}

fn network(e: reqwest::Error) -> FileError {
    FileError::from(network_error(e))
}

/// Runs `future` under the stall limit and what is left of the deadline.
async fn within<F: std::future::Future>(
    limits: &FileLimits,
    started: Instant,
    future: F,
) -> Result<F::Output, FileError> {
    let left = limits.deadline.map(|d| d.saturating_sub(started.elapsed()));
    let wait = left.map_or(limits.stall, |left| left.min(limits.stall));
    match tokio::time::timeout(wait, future).await {
        Ok(output) => Ok(output),
        Err(_) => match (limits.deadline, left) {
            (Some(deadline), Some(left)) if left <= limits.stall => Err(FileError::DeadlinePassed(deadline)),
            _ => Err(FileError::Stalled(limits.stall)),
        },
    }
}

/// The body of a successful answer, read chunk by chunk under the limits.
#[derive(Debug)]
pub struct FileBody {
    response: reqwest::Response,
    content_length: Option<u64>,
    content_type: Option<String>,
    received: u64,
    limits: FileLimits,
    started: Instant,
}

impl FileBody {
    /// What the host announced in `Content-Length`.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The `Content-Type` as sent (made safe to show); a claim, not a fact.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The host says it sent a web page (an error or login page standing in for a file).
    pub fn is_html(&self) -> bool {
        self.content_type.as_deref().is_some_and(|t| {
            let t = t.trim_start().to_ascii_lowercase();
            t.starts_with("text/html") || t.starts_with("application/xhtml")
        })
    }

    /// Bytes read so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// The next chunk; `None` once the whole body has arrived.
    ///
    /// # Errors
    /// [`FileError::TooBig`] past the cap, [`FileError::Truncated`] when the body ends before its
    /// `Content-Length`, [`FileError::Stalled`], [`FileError::DeadlinePassed`], or a network failure.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, FileError> {
        let next = within(&self.limits, self.started, self.response.chunk()).await?;
        match next {
            Ok(Some(chunk)) => {
                self.received = self.received.saturating_add(chunk.len() as u64);
                if let Some(limit) = self.limits.max_bytes
                    && self.received > limit
                {
                    return Err(FileError::TooBig { limit });
                }
                Ok(Some(chunk))
            }
            Ok(None) => match self.content_length {
                Some(expected) if self.received < expected => {
                    Err(FileError::Truncated { received: self.received, expected })
                }
                _ => Ok(None),
            },
            Err(e) => match self.content_length {
                // hyper reports a body cut short of its Content-Length as an error.
                Some(expected) if self.received < expected && !e.is_timeout() => {
                    Err(FileError::Truncated { received: self.received, expected })
                }
                _ => Err(network(e.without_url())),
            },
        }
    }

    /// The whole body, under the limits (for small files: previews).
    ///
    /// # Errors
    /// As [`FileBody::chunk`].
    pub async fn bytes(mut self) -> Result<Vec<u8>, FileError> {
        let capacity = self.content_length.unwrap_or(0).min(self.limits.max_bytes.unwrap_or(u64::MAX)).min(64 << 20);
        let mut body = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        while let Some(chunk) = self.chunk().await? {
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_http_and_https_urls_are_used() {
        assert!(web_url("https://cdn.example/a.mp4?x=1").is_ok());
        assert!(web_url("  HTTP://cdn.example/a.mp4 ").is_ok());
        assert_eq!(web_url(""), Err(WebUrlError::Empty));
        assert_eq!(web_url("file:///etc/passwd"), Err(WebUrlError::Scheme("file".into())));
        assert_eq!(web_url("javascript:alert(1)"), Err(WebUrlError::Scheme("javascript".into())));
        assert_eq!(web_url("data:image/png;base64,AAAA"), Err(WebUrlError::Scheme("data".into())));
        assert!(matches!(web_url("/relative/path.mp4"), Err(WebUrlError::NotAUrl(_))));
        assert!(matches!(web_url("cdn.example/a.mp4"), Err(WebUrlError::NotAUrl(_))));
        assert!(web_url("http://").is_err());
    }

    #[test]
    fn errors_read_as_phrases() {
        assert_eq!(FileError::Status(403).to_string(), "the file host answered 403 Forbidden");
        assert_eq!(
            FileError::NotWebUrl(WebUrlError::Scheme("file".into())).to_string(),
            "it is a file: URL, and only http and https URLs are used"
        );
        assert!(FileError::Status(410).is_expired_url());
        assert!(!FileError::Status(404).is_expired_url());
        assert_eq!(
            FileError::Truncated { received: 10, expected: 2048 }.to_string(),
            "the file host stopped after 10 B of 2 KiB"
        );
    }
}
