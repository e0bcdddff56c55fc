//! The command line's work outside HTTP: the rules stream (`batch.rs`), the staff account
//! commands `pishkhan user …` (`users.rs`) and the roster's import `pishkhan roster import`
//! (`roster.rs`), the universities `pishkhan university …` (`universities.rs`), the retention purge `pishkhan purge` (`retention.rs`), the deadline reminders' pass
//! `pishkhan reminders` (`reminders.rs`), the refunds' pass `pishkhan refunds` (`refunds.rs`), the dashboard's summary counted again `pishkhan
//! dashboard-rebuild` (`dashboard.rs`) and `pishkhan backup` / `restore` (`backup.rs`). `main.rs` parses the arguments and calls these.

pub mod backup;
pub mod batch;
pub mod dashboard;
pub mod refunds;
pub mod reminders;
pub mod retention;
pub mod roster;
pub mod universities;
pub mod users;

use rules::InputError;

/// Why a command failed: bad input (exit 2; each message printed) or a fault (exit 1).
#[derive(Debug)]
pub enum CommandError {
    Input(Vec<InputError>),
    Fault(String),
}

impl From<std::io::Error> for CommandError {
    fn from(e: std::io::Error) -> CommandError {
        CommandError::Fault(e.to_string())
    }
}

impl From<crate::store::StoreError> for CommandError {
    fn from(e: crate::store::StoreError) -> CommandError {
        CommandError::Fault(e.to_string())
    }
}
