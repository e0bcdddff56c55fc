//! `pishkhan roster import`: the university's roster from a CSV file, with the same checks and
//! the same one-transaction upsert as the admin's API (`services::roster`); every bad row is
//! printed by line and field and nothing is imported.

use std::path::{Path, PathBuf};

use rules::InputError;

use super::CommandError;
use crate::services::roster::import;
use crate::store::Store;

/// `pishkhan roster …`.
#[derive(clap::Subcommand)]
pub enum RosterCommand {
    /// Import a roster: UTF-8 CSV with the header
    /// student_number,national_id,mobile,faculty,level,status (and optionally university).
    /// People are matched by national ID: new ones added, known ones updated, nobody removed;
    /// one bad row and nothing is imported. Prints the counts: added, updated, unchanged.
    Import {
        /// The CSV file.
        file: PathBuf,
    },
}

/// Runs a roster command on the data directory (migrated on opening); what to print.
pub async fn run_roster_command(
    data_dir: &Path,
    database: Option<&str>,
    command: RosterCommand,
) -> Result<String, CommandError> {
    let RosterCommand::Import { file } = command;
    let bytes = std::fs::read(&file)
        .map_err(|e| CommandError::Fault(format!("cannot read {}: {e}", file.display())))?;
    let store = Store::connect(data_dir, database).await?;
    match import(&store, &bytes, None).await? {
        Ok(c) => Ok(format!(
            "added {}, updated {}, unchanged {}",
            c.added, c.updated, c.unchanged
        )),
        Err(rows) => Err(CommandError::Input(
            rows.into_iter()
                .map(|r| InputError::new(Some(&r.field), r.message_en, r.message_fa))
                .collect(),
        )),
    }
}
