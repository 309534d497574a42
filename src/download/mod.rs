//! Saving an asset's file to disk: the safe file name (`file_name`), the folder and the free
//! name in it (`target`), and the `.part` file that becomes the finished file only when every
//! byte is on disk (`part_file`). Also what a download reports (`DownloadEvent`) and why one
//! failed (`DownloadError`), shared by the worker that runs downloads, the app and the command
//! line. A leaf: it never imports `app`, `ui`, `workers`, `terminal`, `event_loop` or `cli`.

pub mod error;
pub mod file_name;
pub mod part_file;
pub mod progress;
pub mod target;

pub use error::DownloadError;
pub use file_name::FileName;
pub use part_file::PartFile;
pub use progress::{DownloadEvent, JobId, Outcome, Progress};
