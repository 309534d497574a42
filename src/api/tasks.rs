//! `GET {base}/v1/runwayml/tasks/{taskId}`: the task behind a generated asset, through the same
//! transport as every other call (token, timeouts, retries, size cap, errors). A 404 is
//! [`ApiError::NotFound`]: the task is gone (deleted) or never existed, while its assets may live on.

use reqwest::Url;

use super::client::{ApiClient, normalize_id};
use super::error::ApiError;
use super::model::FetchedTask;

impl ApiClient {
    /// The URL for one task: the trimmed ID as exactly one path segment (the asset ID rules:
    /// empty, `.`, `..` and over-long IDs are refused before any request).
    pub fn task_url(&self, task_id: &str) -> Result<Url, ApiError> {
        let id = normalize_id(task_id)?;
        self.endpoint(&["v1", "runwayml", "tasks", id])
    }

    /// Looks up one task, retrying rate limits and gateway errors with backoff.
    pub async fn get_task(&self, task_id: &str) -> Result<FetchedTask, ApiError> {
        let url = self.task_url(task_id)?;
        self.get_with_retries(&url, FetchedTask::from_body).await
    }
}
