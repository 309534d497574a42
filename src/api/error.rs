//! Everything that can go wrong with a lookup, as a type. `Display` is the one sentence a
//! person reads on screen or on stderr; it never contains the token or raw server bytes.

use std::time::Duration;

/// Which kind of network failure happened (no HTTP response at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkKind {
    Refused,
    Dns,
    Tls,
    ConnectTimeout,
    Timeout,
    Other,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("Nothing to look up: type or paste an asset ID.")]
    EmptyId,
    #[error("{0}")]
    InvalidId(String),
    /// No token at all. How to set one is the caller's to say (`present::api_error::describe`).
    #[error("No API token is set.")]
    NoToken,
    #[error("The token holds characters that cannot be sent in an HTTP header: copy it again from useapi.net.")]
    MalformedToken,
    #[error(
        "The base URL {0:?} is not a usable http(s) URL: set --base-url or USEAPI_BASE_URL to e.g. https://api.useapi.net."
    )]
    BadBaseUrl(String),
    #[error("The server rejected the request (400): {0}")]
    BadRequest(String),
    #[error(
        "The server refused the API token (401 Unauthorized): check USEAPI_TOKEN (or token in config.toml) holds your current useapi.net token."
    )]
    Unauthorized,
    #[error("useapi.net says the subscription is missing or expired (402): renew it at useapi.net, then try again.{}", detail(.0))]
    PaymentRequired(String),
    #[error("No asset with this ID (404): it may be mistyped, deleted, or belong to another account.")]
    NotFound,
    #[error("The request could not be completed (412): the linked Runway account may lack credits or access.{}", detail(.0))]
    PreconditionFailed(String),
    #[error("Too many requests (429): the API is rate limiting{}; wait a little and try again.", retry_hint(.retry_after))]
    RateLimited { retry_after: Option<Duration> },
    #[error("The linked Runway account is in an error state (596): re-add the account at useapi.net, then try again.{}", detail(.0))]
    AccountError(String),
    #[error("The server failed (HTTP {status}): {message}")]
    Server { status: u16, message: String },
    #[error("Unexpected answer from the server (HTTP {status}): {message}")]
    UnexpectedStatus { status: u16, message: String },
    #[error("{}", network_sentence(*.kind, .detail))]
    Network { kind: NetworkKind, detail: String },
    #[error("The server's answer could not be read: {0}.")]
    InvalidJson(String),
    /// The list endpoint answered something other than a JSON array (what it was, e.g. "an object").
    #[error("The server's answer was not a list of assets: it sent {0}.")]
    NotAList(&'static str),
    /// The accounts endpoint answered something other than a JSON object keyed by email.
    #[error("The server's answer was not a set of accounts: it sent {0}.")]
    NotAccounts(&'static str),
    /// The task endpoint answered something other than a JSON object.
    #[error("The server's answer was not a task: it sent {0}.")]
    NotATask(&'static str),
    /// Several Runway accounts are linked and the request named none (the server's message).
    /// How to choose one is the caller's to say (`present::api_error::describe`).
    #[error("Several Runway accounts are linked to this token and the request did not say which one to use.{}", detail(.0))]
    AccountRequired(String),
    #[error("The server's answer was too large (over {limit_bytes} bytes) and was not read.")]
    TooLarge { limit_bytes: u64 },
    #[error("The lookup was cancelled.")]
    Cancelled,
}

impl ApiError {
    /// Statuses worth another try: rate limits and gateway trouble.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::RateLimited { .. } => true,
            ApiError::Server { status, .. } => matches!(status, 502..=504),
            ApiError::Network { kind, .. } => matches!(kind, NetworkKind::ConnectTimeout),
            _ => false,
        }
    }

    /// Short label for a status line.
    pub fn title(&self) -> &'static str {
        match self {
            ApiError::EmptyId | ApiError::InvalidId(_) => "Invalid ID",
            ApiError::NoToken | ApiError::MalformedToken | ApiError::Unauthorized => "Token problem",
            ApiError::AccountRequired(_) => "Choose an account",
            ApiError::BadBaseUrl(_) => "Bad base URL",
            ApiError::BadRequest(_) => "Bad request",
            ApiError::PaymentRequired(_) => "Subscription",
            ApiError::NotFound => "Not found",
            ApiError::PreconditionFailed(_) => "Not possible",
            ApiError::RateLimited { .. } => "Rate limited",
            ApiError::AccountError(_) => "Account error",
            ApiError::Server { .. } | ApiError::UnexpectedStatus { .. } => "Server error",
            ApiError::Network { .. } => "Network error",
            ApiError::InvalidJson(_)
            | ApiError::NotAList(_)
            | ApiError::NotAccounts(_)
            | ApiError::NotATask(_)
            | ApiError::TooLarge { .. } => "Bad response",
            ApiError::Cancelled => "Cancelled",
        }
    }
}

fn detail(message: &str) -> String {
    if message.is_empty() { String::new() } else { format!(" Server said: {message}") }
}

fn retry_hint(after: &Option<Duration>) -> String {
    match after {
        Some(d) => format!(" (it asks to wait {} s)", d.as_secs().max(1)),
        None => String::new(),
    }
}

fn network_sentence(kind: NetworkKind, detail: &str) -> String {
    let what = match kind {
        NetworkKind::Refused => {
            "Could not connect: the server refused the connection (is the base URL right, and the server up?)"
        }
        NetworkKind::Dns => {
            "Could not find the server: its host name did not resolve (check the base URL and your network)"
        }
        NetworkKind::Tls => "Could not make a secure connection: the TLS handshake or certificate check failed",
        NetworkKind::ConnectTimeout => "Could not connect: the server did not answer in time",
        NetworkKind::Timeout => "The server took too long to answer, so the lookup was stopped",
        NetworkKind::Other => "The connection failed",
    };
    if detail.is_empty() { format!("{what}.") } else { format!("{what} ({detail}).") }
}
