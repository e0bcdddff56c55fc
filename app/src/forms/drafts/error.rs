//! What can go wrong storing drafts, as one typed error shared by the IndexedDB and in-memory
//! stores, and the revision rule that keeps two tabs from silently overwriting each other.

use std::fmt;

use super::model::MigrateError;

/// A storage failure, named so the app can tell the person what happened.
#[derive(Clone, PartialEq, Debug)]
pub enum StoreError {
    /// IndexedDB is missing or refused (private mode, blocked storage, no window).
    Unavailable(String),
    /// The browser's storage quota is full (`QuotaExceededError`).
    Quota,
    /// The stored draft was written after the copy being saved was read (another tab saved it).
    Conflict { stored_revision: u64, yours: u64 },
    /// A stored draft could not be read forward to the current schema.
    Migrate(MigrateError),
    /// Anything else, with the browser's message.
    Other(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable(m) => write!(f, "browser storage is unavailable: {m}"),
            StoreError::Quota => write!(f, "browser storage is full"),
            StoreError::Conflict {
                stored_revision,
                yours,
            } => write!(
                f,
                "the draft was changed elsewhere (stored revision {stored_revision}, this copy {yours})"
            ),
            StoreError::Migrate(e) => e.fmt(f),
            StoreError::Other(m) => write!(f, "storage error: {m}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<MigrateError> for StoreError {
    fn from(e: MigrateError) -> Self {
        StoreError::Migrate(e)
    }
}

impl StoreError {
    /// Classifies a `DOMException` by its name. `opening` says whether it came from opening the
    /// database, where `InvalidStateError` and `SecurityError` mean storage is not allowed here.
    pub fn from_dom(name: &str, message: &str, opening: bool) -> StoreError {
        match name {
            "QuotaExceededError" => StoreError::Quota,
            "SecurityError" => StoreError::Unavailable(message.to_owned()),
            "InvalidStateError" | "UnknownError" if opening => {
                StoreError::Unavailable(message.to_owned())
            }
            _ => StoreError::Other(format!("{name}: {message}")),
        }
    }
}

/// The revision a write gets, or a conflict: a draft read at revision `yours` may be written
/// over a stored revision that is not newer; the written copy gets `yours + 1`.
pub fn next_revision(stored: Option<u64>, yours: u64) -> Result<u64, StoreError> {
    match stored {
        Some(stored_revision) if stored_revision > yours => Err(StoreError::Conflict {
            stored_revision,
            yours,
        }),
        _ => Ok(yours + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dom_names_are_classified() {
        assert_eq!(
            StoreError::from_dom("QuotaExceededError", "full", false),
            StoreError::Quota
        );
        assert_eq!(
            StoreError::from_dom("QuotaExceededError", "full", true),
            StoreError::Quota
        );
        assert!(matches!(
            StoreError::from_dom("InvalidStateError", "private", true),
            StoreError::Unavailable(_)
        ));
        assert!(matches!(
            StoreError::from_dom("InvalidStateError", "closing", false),
            StoreError::Other(_)
        ));
        assert!(matches!(
            StoreError::from_dom("SecurityError", "denied", false),
            StoreError::Unavailable(_)
        ));
    }

    #[test]
    fn revisions() {
        assert_eq!(next_revision(None, 0), Ok(1));
        assert_eq!(next_revision(Some(3), 3), Ok(4));
        assert_eq!(next_revision(Some(1), 3), Ok(4));
        assert_eq!(
            next_revision(Some(4), 3),
            Err(StoreError::Conflict {
                stored_revision: 4,
                yours: 3
            })
        );
    }
}
