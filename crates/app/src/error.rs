//! The app's errors: what could not be opened or done, in words a member can act on.

/// Something the app could not do.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The engine refused or failed (boxed: it is large, and errors are rare).
    #[error("{0}")]
    Engine(Box<stones_sync::SyncError>),
    /// The window could not be opened.
    #[error("the window could not be opened: {0}")]
    Window(String),
    /// What was typed into a form is not usable.
    #[error("{0}")]
    Input(String),
    /// A file could not be read or written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl From<stones_sync::SyncError> for AppError {
    fn from(e: stones_sync::SyncError) -> AppError {
        AppError::Engine(Box::new(e))
    }
}
