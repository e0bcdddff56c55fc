//! Creating staff accounts, for the admin's API, the `pishkhan user` commands and the demo users
//! of `serve --demo-users`: a new account checked against the university it is for (its offices
//! and faculties), the password hashed (slow: argon2id), then the account stored.

use rules::requests::ClearanceOffice;
use rules::workflow::{role_label, Role};
use rules::InputError;

use crate::domain::accounts::{check_user, demo_users, hash_password, CheckedUser, DEMO_PASSWORD};
use crate::domain::clock::now_unix;
use crate::domain::universities::{
    named, Faculty, Scope, University, UniversityId, DEFAULT_UNIVERSITY,
};
use crate::store::accounts::{NewUser, User};
use crate::store::{Store, StoreResult};

/// What a new account is checked against: every university, and the clearance offices and
/// faculties of the university the account is for.
pub struct Directory {
    pub universities: Vec<University>,
    pub offices: Vec<ClearanceOffice>,
    pub faculties: Vec<Faculty>,
}

/// Checks a new account (`domain::accounts::check_user`) against the university its
/// `university` names (a code, or a Persian name), else `fallback`'s offices and faculties; the
/// directory it was checked against comes back with the verdict.
pub async fn check_new_user(
    store: &Store,
    raw: api::staff::NewUser,
    fallback: UniversityId,
) -> StoreResult<(Directory, Result<CheckedUser, Vec<InputError>>)> {
    let universities = store.universities().await?;
    let university = raw
        .university
        .as_deref()
        .and_then(|text| named(&universities, text))
        .map_or(fallback, |u| u.id);
    let directory = Directory {
        offices: store.offices_of(university).await?,
        faculties: store.faculties(university).await?,
        universities,
    };
    let checked = check_user(
        raw,
        &directory.offices,
        &directory.universities,
        &directory.faculties,
    );
    Ok((directory, checked))
}

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
