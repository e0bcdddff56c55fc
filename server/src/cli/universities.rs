//! `pishkhan university …`: the universities and their faculties from the command line (add,
//! list; `faculty add`, `faculty list`), with the same checks as the national admin's API; a new
//! university starts with seed 002's offices.

use std::path::Path;

use super::CommandError;
use crate::domain::invalid;
use crate::domain::universities::{check_faculty, check_university};
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
    /// A university's faculties.
    #[command(subcommand)]
    Faculty(FacultyCommand),
}

/// `pishkhan university faculty …`.
#[derive(clap::Subcommand)]
pub enum FacultyCommand {
    /// Add a faculty to a university.
    Add {
        /// The university's code.
        #[arg(long)]
        university: String,
        /// 1 to 100 characters, not `*`: what the roster and requests name the faculty by.
        #[arg(long)]
        code: String,
        #[arg(long)]
        name_fa: String,
        #[arg(long)]
        name_en: String,
    },
    /// List a university's faculties.
    List {
        /// The university's code.
        #[arg(long)]
        university: String,
    },
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
        UniversityCommand::Faculty(command) => run_faculty_command(&store, command).await,
    }
}

/// `pishkhan university faculty …` on an open store.
async fn run_faculty_command(
    store: &Store,
    command: FacultyCommand,
) -> Result<String, CommandError> {
    let code_of = match &command {
        FacultyCommand::Add { university, .. } | FacultyCommand::List { university } => {
            university.trim().to_owned()
        }
    };
    let universities = store.universities().await?;
    let university = universities
        .iter()
        .find(|u| u.code == code_of)
        .ok_or_else(|| {
            CommandError::Input(vec![invalid(
                "university",
                format!("there is no university {code_of:?}."),
                format!("دانشگاه «{code_of}» تعریف نشده است."),
            )])
        })?;
    match command {
        FacultyCommand::Add {
            code,
            name_fa,
            name_en,
            ..
        } => {
            let (code, name_fa, name_en) = check_faculty(Some(code), Some(name_fa), Some(name_en))
                .map_err(CommandError::Input)?;
            match store
                .add_faculty(university.id, &code, &name_fa, &name_en)
                .await?
            {
                Some(f) => Ok(format!("added {} to {}", f.code, university.code)),
                None => Err(CommandError::Input(vec![invalid(
                    "code",
                    format!("{code:?} is taken."),
                    "این شناسه پیش‌تر گرفته شده است.",
                )])),
            }
        }
        FacultyCommand::List { .. } => {
            let mut out = String::from("code\tname_fa\tname_en\n");
            for f in store.faculties(university.id).await? {
                out.push_str(&format!("{}\t{}\t{}\n", f.code, f.name_fa, f.name_en));
            }
            Ok(out.trim_end().to_owned())
        }
    }
}
