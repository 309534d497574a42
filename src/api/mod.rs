//! The useapi.net RunwayML API: the models, the error type, and the HTTP client (one transport
//! in `client`, one file per endpoint family). Nothing here touches the terminal or the disk.

pub mod account;
pub mod accounts;
pub mod client;
pub mod error;
pub mod files;
pub mod listing;
pub mod model;
pub mod tasks;

pub use client::{ApiClient, ClientOptions};
pub use error::{ApiError, NetworkKind};
pub use model::{
    AccountSummary, Artifact, Asset, FetchedTask, ListQuery, ListedAsset, MAX_LIMIT, MAX_OFFSET, MediaFilter, Metadata,
    Page, Task, TaskJson, as_task_id,
};
