//! `GET {base}/v2/account`: the useapi.net account the token belongs to, for checking the
//! token. Only the email and the subscription marker are read; `replyUrl` (which may hold
//! secrets) and the rest are left alone.

use super::client::{ApiClient, ErrorText, parse_json};
use super::error::ApiError;

/// What `doctor` shows of the useapi.net account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseapiAccount {
    pub email: Option<String>,
    /// `sub`: a YYMMDD subscription marker (its exact meaning is not documented).
    pub sub: Option<String>,
}

impl ApiClient {
    /// The token's useapi.net account: 401 for a refused token, 402 for no subscription.
    pub async fn useapi_account(&self) -> Result<UseapiAccount, ApiError> {
        let url = self.endpoint(&["v2", "account"])?;
        self.get_json(&url, ErrorText::JsonFieldOnly, |body| {
            let value = parse_json(&body)?;
            let serde_json::Value::Object(map) = value else {
                return Err(ApiError::InvalidJson("it was JSON but not an account object".into()));
            };
            let field = |name: &str| {
                map.get(name).and_then(serde_json::Value::as_str).map(|s| crate::sanitize::one_line(s, 120))
            };
            if field("email").is_none() && field("sub").is_none() {
                return Err(ApiError::InvalidJson("it was JSON but had no account email".into()));
            }
            Ok(UseapiAccount { email: field("email"), sub: field("sub") })
        })
        .await
    }
}
