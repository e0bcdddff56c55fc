//! Creating staff accounts, for the admin's API, the `pishkhan user` commands and the demo users
//! of `serve --demo-users`: the password hashed (slow: argon2id), then the account stored.

use rules::workflow::{role_label, Role};

use crate::domain::accounts::{demo_users, hash_password, CheckedUser, DEMO_PASSWORD};
use crate::domain::clock::now_unix;
use crate::domain::universities::{Scope, DEFAULT_UNIVERSITY};
use crate::store::accounts::{NewUser, User};
use crate::store::{Store, StoreResult};

/// Hashes the password of a checked account and stores it; `None` when the username is taken.
pub async fn add_user(checked: CheckedUser, store: &Store) -> std::io::Result<Option<User>> {
    let password_hash = hash_password(checked.password).await?;
    let new = NewUser {
        username: checked.username,
        display_name: checked.display_name,
        role: checked.role,
        scope: checked.scope,
        password_hash,
    };
    store
        .create_user(&new, now_unix())
        .await
        .map_err(std::io::Error::other)
}

/// Creates the demo users that are missing (password [`DEMO_PASSWORD`], national scope but the
/// university admin's, the default university; named after
/// their role in Persian); how many were created.
pub async fn create_demo_users(store: &Store) -> StoreResult<usize> {
    let offices = store.offices().await?;
    let existing: Vec<String> = store
        .users()
        .await?
        .into_iter()
        .map(|u| u.username)
        .collect();
    let missing: Vec<(String, Role)> = demo_users(&offices)
        .into_iter()
        .filter(|(name, _)| !existing.contains(name))
        .collect();
    if missing.is_empty() {
        return Ok(0);
    }
    let password_hash = hash_password(DEMO_PASSWORD.to_owned()).await?;
    let mut created = 0;
    for (username, role) in missing {
        // The demo university's admin serves the default university; everyone else all.
        let scope = if role == Role::UniversityAdmin {
            Scope::University(DEFAULT_UNIVERSITY)
        } else {
            Scope::National
        };
        let new = NewUser {
            display_name: role_label(&role, &offices).fa,
            username,
            role,
            scope,
            password_hash: password_hash.clone(),
        };
        created += usize::from(store.create_user(&new, now_unix()).await?.is_some());
    }
    Ok(created)
}
