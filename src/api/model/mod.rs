//! The API's data, read leniently: every field optional, numbers accepted as strings.

pub mod account;
pub mod asset;
pub mod lenient;
pub mod page;
pub mod task;
mod task_wire;

pub use account::AccountSummary;
pub use asset::{Asset, Metadata};
pub use page::{ListQuery, ListedAsset, MAX_LIMIT, MAX_OFFSET, MediaFilter, Page};
pub use task::{Artifact, FetchedTask, MAX_ARTIFACTS, Task, TaskJson, as_task_id};
