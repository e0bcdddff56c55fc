//! `pishkhan user …`: the staff accounts from the command line (add, list, passwd, disable),
//! with the same checks as the admin's API; passwords are read from standard input.

use std::io::BufRead;
use std::path::Path;

use api::staff::NewUser;

use super::CommandError;
use crate::domain::accounts::{check_password, hash_password};
use crate::domain::invalid;
use crate::domain::universities::DEFAULT_UNIVERSITY;
use crate::services::accounts::{add_user, check_new_user};
use crate::store::accounts::UserChange;
use crate::store::Store;

/// `pishkhan user …`: the staff accounts from the command line. Passwords are read from the
/// first line of standard input, never taken as arguments.
#[derive(clap::Subcommand)]
pub enum UserCommand {
    /// Add an account (the password: the first line of standard input).
    Add {
        #[arg(long)]
        username: String,
        /// A role id (docs/staff-api.md): university_user, conscription_expert, …,
        /// clearance_office:<office id>, admin.
        #[arg(long)]
        role: String,
        /// `*` or the university (code or Persian name), county or faculty (code) the clerk
        /// serves.
        #[arg(long, default_value = "*")]
        scope: String,
        /// A university's code: a university role serves that university only (a faculty
        /// role: the faculty `--scope` names, of that university).
        #[arg(long)]
        university: Option<String>,
        #[arg(long)]
        display_name: String,
    },
    /// List the accounts (never their password hashes).
    List,
    /// Set an account's password (the first line of standard input); ends its sessions.
    Passwd {
        #[arg(long)]
        username: String,
    },
    /// Disable an account; ends its sessions.
    Disable {
        #[arg(long)]
        username: String,
    },
}

fn bad_input(field: &str, en: &str, fa: &str) -> CommandError {
    CommandError::Input(vec![invalid(field, en, fa)])
}

/// The first line of `input`, without its line ending.
fn read_password(input: &mut impl BufRead) -> Result<String, CommandError> {
    let mut line = String::new();
    input.read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(bad_input(
            "password",
            "give the password on the first line of standard input.",
            "گذرواژه را در نخستین خط ورودی استاندارد بدهید.",
        ));
    }
    Ok(password)
}

/// The id of the account with this username.
async fn user_id(store: &Store, username: &str) -> Result<i64, CommandError> {
    let username = username.trim().to_lowercase();
    match store.credentials(&username).await? {
        Some(c) => Ok(c.user.id),
        None => Err(bad_input(
            "username",
            &format!("there is no user {username:?}."),
            "چنین کاربری وجود ندارد.",
        )),
    }
}

/// Runs a user command on the data directory (migrated on opening); what to print.
pub async fn run_user_command(
    data_dir: &Path,
    database: Option<&str>,
    command: UserCommand,
    input: &mut impl BufRead,
) -> Result<String, CommandError> {
    let store = Store::connect(data_dir, database).await?;
    match command {
        UserCommand::Add {
            username,
            role,
            scope,
            university,
            display_name,
        } => {
            let raw = NewUser {
                username: Some(username),
                display_name: Some(display_name),
                role: Some(role),
                scope: Some(scope),
                university,
                password: Some(read_password(input)?),
            };
            let (_, checked) = check_new_user(&store, raw, DEFAULT_UNIVERSITY).await?;
            let checked = checked.map_err(CommandError::Input)?;
            let username = checked.username.clone();
            match add_user(checked, &store).await? {
                Some(user) => Ok(format!("added {} ({})", user.username, user.role.id())),
                None => Err(bad_input(
                    "username",
                    &format!("{username:?} is taken."),
                    "این نام کاربری پیش‌تر گرفته شده است.",
                )),
            }
        }
        UserCommand::List => {
            let mut out = String::from("id\tusername\trole\tscope\tactive\tdisplay_name\n");
            let universities = store.universities().await?;
            for u in store.users().await? {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\t{}\n",
                    u.id,
                    u.username,
                    u.role.id(),
                    u.scope.label(&universities),
                    if u.active { "yes" } else { "no" },
                    u.display_name
                ));
            }
            Ok(out.trim_end().to_owned())
        }
        UserCommand::Passwd { username } => {
            let password =
                check_password(read_password(input)?).map_err(|e| CommandError::Input(vec![e]))?;
            let id = user_id(&store, &username).await?;
            let change = UserChange {
                password_hash: Some(hash_password(password).await?),
                ..UserChange::default()
            };
            store.update_user(id, &change).await?;
            Ok(format!(
                "password of {username} changed; its sessions ended"
            ))
        }
        UserCommand::Disable { username } => {
            let id = user_id(&store, &username).await?;
            let change = UserChange {
                active: Some(false),
                ..UserChange::default()
            };
            store.update_user(id, &change).await?;
            Ok(format!("{username} disabled; its sessions ended"))
        }
    }
}
