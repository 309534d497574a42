//! The useapi.net RunwayML API: the asset model, the error type, and the HTTP client.
//! Nothing here touches the terminal or the disk.

pub mod client;
pub mod error;
pub mod model;

pub use client::{ApiClient, ClientOptions};
pub use error::{ApiError, NetworkKind};
pub use model::{Asset, Metadata};
