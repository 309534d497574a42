//! `GET {base}/v1/runwayml/assets/?offset=&limit=[&mediaType=][&email=]`: one page of an
//! account's assets, through the same transport as every other call.

use reqwest::Url;

use super::client::ApiClient;
use super::error::ApiError;
use super::model::{ListQuery, Page};

impl ApiClient {
    /// The URL for one page: `offset` and `limit` always (clamped to what the API accepts),
    /// `mediaType` and `email` only when set, every value form-encoded (`+` in an email too).
    pub fn list_url(&self, query: &ListQuery) -> Result<Url, ApiError> {
        // The trailing empty segment gives `.../assets/`, the documented path.
        let mut url = self.endpoint(&["v1", "runwayml", "assets", ""])?;
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("offset", &query.sent_offset().to_string());
            pairs.append_pair("limit", &query.sent_limit().to_string());
            if let Some(media) = query.media.query_value() {
                pairs.append_pair("mediaType", media);
            }
            if let Some(email) = query.sent_account() {
                pairs.append_pair("email", email);
            }
        }
        Ok(url)
    }

    /// One page of the account's assets. A 400 that asks for an email when none was sent
    /// becomes `AccountRequired`; with an account set it stays `BadRequest`.
    pub async fn list_assets(&self, query: &ListQuery) -> Result<Page, ApiError> {
        let url = self.list_url(query)?;
        let result = self.get_with_retries(&url, |body| Page::from_json(&body)).await;
        match result {
            Err(ApiError::BadRequest(message))
                if query.sent_account().is_none() && message.to_ascii_lowercase().contains("email") =>
            {
                Err(ApiError::AccountRequired(message))
            }
            other => other,
        }
    }
}
