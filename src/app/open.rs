//! `o`: the shown asset's URL handed to the platform's opener, if it is a web address (only
//! `http` and `https`; anything else is refused with a sentence). Starting the opener is an
//! effect; what came of it returns as `Msg::Opened`.

use super::{App, Effect, Status};
use crate::api::files::web_url;

/// What came of handing a URL to the opener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenOutcome {
    /// The opener started (`program` names it).
    Started { program: String },
    /// No opener is installed (or none is known for this platform).
    NoOpener { program: Option<String> },
    /// It could not be started, or it gave up (the sentence says which).
    Failed(String),
}

impl App {
    pub(super) fn open_url(&mut self) -> Vec<Effect> {
        let url = match self.asset_url() {
            Ok(url) => url,
            Err(why) => {
                self.status = Status::info(why);
                return vec![];
            }
        };
        match web_url(&url) {
            Ok(url) => {
                self.status = Status::info("Opening the URL in the browser…".into());
                vec![Effect::Open { url }]
            }
            Err(why) => {
                self.status = Status::warning(format!("Not opened: {why}. Y copies the URL instead."));
                vec![]
            }
        }
    }

    pub(super) fn on_opened(&mut self, outcome: OpenOutcome) {
        self.status = match outcome {
            OpenOutcome::Started { program } => {
                Status::info(format!("Asked {program} to open the URL in the browser."))
            }
            OpenOutcome::NoOpener { program: Some(program) } => Status::warning(format!(
                "The program that opens URLs ({program}) was not found; press Y to copy the URL instead."
            )),
            OpenOutcome::NoOpener { program: None } => Status::warning(
                "No program to open URLs is known on this system; press Y to copy the URL instead.".into(),
            ),
            OpenOutcome::Failed(why) => Status::warning(format!("{why} Press Y to copy the URL instead.")),
        };
    }
}
