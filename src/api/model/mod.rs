//! The API's data, read leniently: every field optional, numbers accepted as strings.

pub mod asset;
pub mod lenient;

pub use asset::{Asset, Metadata};
