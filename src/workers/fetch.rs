//! The background task that owns the HTTP client. Requests (lookups, list pages, the accounts)
//! come in over a channel, each runs as its own future (so a slow one never blocks a newer
//! one), and results go back to the UI loop as `FetchEvent`s. A cancelled or superseded request
//! is aborted, not left running.

use std::collections::HashMap;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::{AbortHandle, JoinSet};

use crate::api::client::Fetched;
use crate::api::{AccountSummary, ApiClient, ApiError, ClientOptions, FetchedTask, ListQuery, Page};

/// Identifies one request, so a late answer to an abandoned one can be recognised.
pub type RequestId = u64;

/// What the fetch task reports.
#[derive(Debug)]
pub enum FetchEvent {
    Looked { request: RequestId, asset_id: String, result: Box<Result<Fetched, ApiError>> },
    Listed { request: RequestId, query: ListQuery, result: Box<Result<Page, ApiError>> },
    Accounts { request: RequestId, result: Result<Vec<AccountSummary>, ApiError> },
    Task { request: RequestId, result: Box<Result<FetchedTask, ApiError>> },
}

#[derive(Debug)]
pub enum FetchCommand {
    Lookup { request: RequestId, asset_id: String },
    Page { request: RequestId, query: ListQuery },
    Accounts { request: RequestId },
    Task { request: RequestId, task_id: String },
    Cancel { request: RequestId },
}

/// Spawns the fetch task on the current tokio runtime; returns where to send it commands.
/// An https client is built on the first lookup, so start-up never pays for the trust store.
pub fn spawn<T>(options: ClientOptions, results: UnboundedSender<T>) -> UnboundedSender<FetchCommand>
where
    T: From<FetchEvent> + Send + 'static,
{
    let (tx, rx) = unbounded_channel();
    tokio::spawn(run(options, rx, results));
    tx
}

async fn run<T>(options: ClientOptions, mut commands: UnboundedReceiver<FetchCommand>, results: UnboundedSender<T>)
where
    T: From<FetchEvent> + Send + 'static,
{
    // A plain-http client costs next to nothing to build, so it is ready before the first
    // lookup; an https one loads the system trust store, which waits for a lookup to need it.
    let mut client: Option<Result<ApiClient, ApiError>> =
        options.base_url.trim_start().starts_with("http://").then(|| ApiClient::new(options.clone()));
    let mut running: JoinSet<()> = JoinSet::new();
    let mut handles: HashMap<RequestId, AbortHandle> = HashMap::new();
    loop {
        tokio::select! {
            command = commands.recv() => match command {
                None => break,
                Some(command @ (FetchCommand::Lookup { .. }
                    | FetchCommand::Page { .. }
                    | FetchCommand::Accounts { .. }
                    | FetchCommand::Task { .. })) => {
                    let client = client.get_or_insert_with(|| ApiClient::new(options.clone())).clone();
                    let results = results.clone();
                    let request = command.request();
                    let handle = running.spawn(async move {
                        // The UI may have quit; then nobody needs the answer.
                        if let Some(event) = answer(client, command).await {
                            let _ = results.send(event.into());
                        }
                    });
                    handles.insert(request, handle);
                }
                Some(FetchCommand::Cancel { request }) => {
                    if let Some(handle) = handles.remove(&request) {
                        handle.abort();
                    }
                }
            },
            Some(_) = running.join_next(), if !running.is_empty() => {
                handles.retain(|_, handle| !handle.is_finished());
            }
        }
    }
    running.shutdown().await;
}

impl FetchCommand {
    fn request(&self) -> RequestId {
        match self {
            FetchCommand::Lookup { request, .. }
            | FetchCommand::Page { request, .. }
            | FetchCommand::Accounts { request }
            | FetchCommand::Task { request, .. }
            | FetchCommand::Cancel { request } => *request,
        }
    }
}

/// Carries out one request (a client that could not be built answers with its error); None for
/// a command that asks for nothing (a cancel).
async fn answer(client: Result<ApiClient, ApiError>, command: FetchCommand) -> Option<FetchEvent> {
    let event = match command {
        FetchCommand::Lookup { request, asset_id } => {
            let result = match client {
                Ok(client) => client.get_asset(&asset_id).await,
                Err(error) => Err(error),
            };
            FetchEvent::Looked { request, asset_id, result: Box::new(result) }
        }
        FetchCommand::Page { request, query } => {
            let result = match client {
                Ok(client) => client.list_assets(&query).await,
                Err(error) => Err(error),
            };
            FetchEvent::Listed { request, query, result: Box::new(result) }
        }
        FetchCommand::Task { request, task_id } => {
            let result = match client {
                Ok(client) => client.get_task(&task_id).await,
                Err(error) => Err(error),
            };
            FetchEvent::Task { request, result: Box::new(result) }
        }
        FetchCommand::Accounts { request } => {
            let result = match client {
                Ok(client) => client.accounts().await,
                Err(error) => Err(error),
            };
            FetchEvent::Accounts { request, result }
        }
        FetchCommand::Cancel { .. } => return None,
    };
    Some(event)
}
