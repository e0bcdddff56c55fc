//! `pishkhan university …`: the universities from the command line (add, list), with the same
//! checks as the national admin's API; a new university starts with seed 002's offices.

use std::path::Path;

use super::CommandError;
use crate::domain::invalid;
use crate::domain::universities::check_university;
use crate::store::Store;

/// `pishkhan university …`.
#[derive(clap::Subcommand)]
pub enum UniversityCommand {
    /// Add a university (with seed 002's clearance offices, which its admin may change).
    Add {
        /// 1 to 32 of `a-z 0-9 _ -`: what requests name it by.
        #[arg(long)]
        code: String,
        #[arg(long)]
        name_fa: String,
        #[arg(long)]
        name_en: String,
    },
    /// List the universities.
    List,
}

/// Runs a university command on the data directory (migrated on opening); what to print.
pub async fn run_university_command(
    data_dir: &Path,
    database: Option<&str>,
    command: UniversityCommand,
) -> Result<String, CommandError> {
    let store = Store::connect(data_dir, database).await?;
    match command {
        UniversityCommand::Add {
            code,
            name_fa,
            name_en,
        } => {
            let (code, name_fa, name_en) =
                check_university(Some(code), Some(name_fa), Some(name_en))
                    .map_err(CommandError::Input)?;
            match store.add_university(&code, &name_fa, &name_en).await? {
                Some(u) => Ok(format!("added {} ({})", u.code, u.id.0)),
                None => Err(CommandError::Input(vec![invalid(
                    "code",
                    format!("{code:?} is taken."),
                    "این شناسه پیش‌تر گرفته شده است.",
                )])),
            }
        }
        UniversityCommand::List => {
            let mut out = String::from("id\tcode\tname_fa\tname_en\n");
            for u in store.universities().await? {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\n",
                    u.id.0, u.code, u.name_fa, u.name_en
                ));
            }
            Ok(out.trim_end().to_owned())
        }
    }
}
