//! The state of anything fetched in the background: nothing asked yet, on its way, here, or
//! failed. One shape for the detail, and for pages, tasks and previews as they come, so the
//! screen can never show a spinner with nothing behind it, or stale data as fresh.

use crate::api::ApiError;

#[derive(Debug, Clone, PartialEq)]
pub enum Load<T, E = ApiError> {
    Idle,
    Loading,
    Loaded(T),
    Failed(E),
}

impl<T, E> Load<T, E> {
    pub fn is_loading(&self) -> bool {
        matches!(self, Load::Loading)
    }

    pub fn loaded(&self) -> Option<&T> {
        match self {
            Load::Loaded(value) => Some(value),
            _ => None,
        }
    }

    pub fn loaded_mut(&mut self) -> Option<&mut T> {
        match self {
            Load::Loaded(value) => Some(value),
            _ => None,
        }
    }

    pub fn error(&self) -> Option<&E> {
        match self {
            Load::Failed(error) => Some(error),
            _ => None,
        }
    }
}
