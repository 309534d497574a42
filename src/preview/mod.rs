//! Pictures for the detail pane, as data: which URL an asset's picture comes from (`source`),
//! and turning fetched bytes into a small picture safely (`decode`: the format sniffed from the
//! content, explicit size and memory limits, scaled down at once).
//!
//! A leaf like `api` and `cache`: it never touches the network, the terminal or the app.

pub mod decode;
pub mod encode;
pub mod source;

pub use decode::{DecodeError, MAX_ALLOC, MAX_SIDE, THUMB_SIDE, decode, decode_thumbnail, fit_cells};
pub use encode::{Encoded, Graphics, encode};
pub use source::{NoPreview, PreviewKey, pick_url};
