//! The demo's list and accounts routes: `GET /v1/runwayml/assets/?offset=&limit=[&mediaType=][&email=]`
//! validated as the real API documents it, and `GET /v1/runwayml/accounts[/{email}]`, which sends
//! the accounts' secrets as the real endpoint does (clients must drop them).

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::HeaderValue;
use hyper::{Response, StatusCode};

use super::account::{DEMO_ACCOUNT, DEMO_ACCOUNT_ERROR_MESSAGE, DEMO_ERROR_ACCOUNT, Listing, Media};
use super::{json_error, percent_decode, respond};

/// The list endpoint (also answered without the trailing slash).
pub(super) const LIST_PATH: &str = "/v1/runwayml/assets/";
const ACCOUNTS_PATH: &str = "/v1/runwayml/accounts";
const MAX_OFFSET: usize = 1000;
const MAX_LIMIT: usize = 50;
/// What the real API says when several accounts are linked and no `email` is given.
pub(super) const MULTIPLE_ACCOUNTS: &str = "Multiple accounts configured, please specify email parameter";
/// Longest echo of a caller's value in an error message.
const ECHO_CHARS: usize = 100;

type Answer = Response<Full<Bytes>>;

/// Whether the path is the list endpoint.
pub(super) fn is_list(path: &str) -> bool {
    path == LIST_PATH || Some(path) == LIST_PATH.strip_suffix('/')
}

/// The list endpoint's answer to a query string: a page (a bare JSON array) or a JSON error.
pub(super) fn list(query: Option<&str>) -> Answer {
    match page(query.unwrap_or_default()) {
        Ok(body) => respond(StatusCode::OK, HeaderValue::from_static("application/json"), body),
        Err(Refusal(status, message)) => json_error(status, &message),
    }
}

/// Why a list request is refused: the status and the error message.
struct Refusal(StatusCode, String);

fn page(query: &str) -> Result<Bytes, Refusal> {
    let params = Params::parse(query)?;
    let offset = params.number("offset", 0, MAX_OFFSET)?;
    let limit = params.number("limit", 1, MAX_LIMIT)?;
    let media = match params.get("mediaType") {
        None => None,
        Some(value) => Some(Media::parse(value).ok_or_else(|| bad("mediaType must be one of video, image, audio"))?),
    };
    let email = match params.get("email") {
        None | Some("") => return Err(bad(MULTIPLE_ACCOUNTS)),
        Some(email) => email,
    };
    if email.eq_ignore_ascii_case(DEMO_ACCOUNT) {
        Ok(Listing::get().page(media, offset, limit))
    } else if email.eq_ignore_ascii_case(DEMO_ERROR_ACCOUNT) {
        let message = format!("Runway account {DEMO_ERROR_ACCOUNT} has error state: {DEMO_ACCOUNT_ERROR_MESSAGE}");
        Err(Refusal(StatusCode::from_u16(596).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), message))
    } else {
        let shown: String = email.chars().take(ECHO_CHARS).collect();
        Err(bad(&format!("Account {shown} is not configured: the email parameter must name a linked account")))
    }
}

fn bad(message: &str) -> Refusal {
    Refusal(StatusCode::BAD_REQUEST, message.to_owned())
}

/// A query string's parameters, percent-decoded (`+` is a space, as in a form).
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(query: &str) -> Result<Params, Refusal> {
        let mut params: Vec<(String, String)> = Vec::new();
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |text: &str| percent_decode(&text.replace('+', " "));
            let (Some(name), Some(value)) = (decode(name), decode(value)) else {
                return Err(bad("The query string is not valid percent-encoded UTF-8"));
            };
            if params.iter().any(|(known, _)| *known == name) {
                let shown: String = name.chars().take(ECHO_CHARS).collect();
                return Err(bad(&format!("Parameter {shown} is given more than once")));
            }
            params.push((name, value));
        }
        Ok(Params(params))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(known, _)| known == name).map(|(_, value)| value.as_str())
    }

    /// A required whole number within `min..=max`.
    fn number(&self, name: &str, min: usize, max: usize) -> Result<usize, Refusal> {
        let Some(value) = self.get(name) else {
            return Err(bad(&format!("{name} is required: an integer from {min} to {max}")));
        };
        let digits = !value.is_empty() && value.len() <= 9 && value.bytes().all(|b| b.is_ascii_digit());
        match value.parse::<usize>() {
            Ok(number) if digits && (min..=max).contains(&number) => Ok(number),
            _ => Err(bad(&format!("{name} must be an integer from {min} to {max}"))),
        }
    }
}

/// `GET /v1/runwayml/accounts` (every linked account) or `/v1/runwayml/accounts/{email}` (one),
/// secrets included as the real API sends them; `None` for any other path.
pub(super) fn accounts(path: &str) -> Option<Answer> {
    let rest = path.strip_prefix(ACCOUNTS_PATH)?;
    let json = HeaderValue::from_static("application/json");
    let value = match rest {
        "" | "/" => super::account::accounts_json(),
        _ => {
            let email = rest.strip_prefix('/').filter(|email| !email.contains('/'))?;
            match percent_decode(email).and_then(|email| super::account::account_json(&email)) {
                Some(value) => value,
                None => {
                    let message = "Configuration not found. To create configuration use POST /accounts/email.";
                    return Some(json_error(StatusCode::NOT_FOUND, message));
                }
            }
        }
    };
    Some(respond(StatusCode::OK, json, Bytes::from(value.to_string())))
}

/// `GET /v2/account`: the useapi.net account behind the demo token (made up, like the rest).
pub(super) fn useapi_account(path: &str) -> Option<Answer> {
    (path == "/v2/account" || path == "/v2/account/").then(|| {
        let body = serde_json::json!({
            "email": "newcomer@example.com",
            "created": "2026-01-05T10:00:00.000Z",
            "name": "Demo User",
            "verified": "2026-01-05T10:02:00.000Z",
            "sub": "261231",
        });
        respond(StatusCode::OK, HeaderValue::from_static("application/json"), Bytes::from(body.to_string()))
    })
}
