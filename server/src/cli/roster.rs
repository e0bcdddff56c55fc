//! `pishkhan roster import [--university CODE]`: a roster from a CSV file, as the national
//! admin imports it (into the university named, else each row's), with the same checks and the
//! same one-transaction upsert as the admin's API (`services::roster`); every bad row is printed
//! by line and field and nothing is imported.

use std::path::{Path, PathBuf};

use rules::InputError;

use super::CommandError;
use crate::domain::roster::ImportInto;
use crate::domain::universities::by_code;
use crate::services::roster::import;
use crate::store::Store;

/// `pishkhan roster …`.
#[derive(clap::Subcommand)]
pub enum RosterCommand {
    /// Import a roster: UTF-8 CSV with the header
    /// student_number,national_id,mobile,faculty,level,status (and optionally university).
    /// People are matched by national ID: new ones added, known ones updated, nobody removed;
    /// one bad row and nothing is imported. Prints the counts: added, updated, unchanged.
    /// Every row goes to the university `--university` names (a row whose `university` column
    /// names another is refused; someone on another university's roster moves there); without
    /// it, to the university each row's column names (code or Persian name), else the default.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// The university's code (`pishkhan university list`).
        #[arg(long)]
        university: Option<String>,
    },
}

/// Runs a roster command on the data directory (migrated on opening); what to print.
pub async fn run_roster_command(
    data_dir: &Path,
    database: Option<&str>,
    command: RosterCommand,
) -> Result<String, CommandError> {
    let RosterCommand::Import { file, university } = command;
    let bytes = std::fs::read(&file)
        .map_err(|e| CommandError::Fault(format!("cannot read {}: {e}", file.display())))?;
    let store = Store::connect(data_dir, database).await?;
    let into = match university {
        Some(code) => ImportInto::University(
            by_code(&store.universities().await?, &code)
                .map_err(|e| CommandError::Input(vec![e]))?
                .id,
        ),
        None => ImportInto::ByColumn,
    };
    match import(&store, &bytes, into).await? {
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
