//! `GET {base}/v1/runwayml/accounts`: the Runway accounts linked to the token. The answer holds
//! each account's password and session JWT; only emails and error states are ever read.

use super::client::{ApiClient, ErrorText};
use super::error::ApiError;
use super::model::AccountSummary;

impl ApiClient {
    /// The linked accounts, sorted by email. A 404 means no account is configured at
    /// useapi.net, and is answered as an empty list (the caller says what that means). Error
    /// answers are quoted only through a JSON `error` field, never as raw text.
    pub async fn accounts(&self) -> Result<Vec<AccountSummary>, ApiError> {
        let url = self.endpoint(&["v1", "runwayml", "accounts"])?;
        match self.get_json(&url, ErrorText::JsonFieldOnly, |body| AccountSummary::list_from_json(&body)).await {
            Err(ApiError::NotFound) => Ok(Vec::new()),
            other => other,
        }
    }
}
