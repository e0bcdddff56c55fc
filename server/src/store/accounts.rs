//! Staff accounts and sessions in the database (`users`, `sessions`, `staff_devices`): sign-in
//! bookkeeping (failures and locks per account for untrusted attempts and per device cookie,
//! sessions) and the admin's user management.

use rules::workflow::Role;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Store, StoreResult};
use crate::domain::accounts::Staff;
use crate::domain::universities::Scope;

/// A staff account as the admin sees it (never its password hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    pub active: bool,
    /// Unix seconds; in the past once the lock has run out.
    pub locked_until: Option<i64>,
    /// A second factor (TOTP) is enrolled.
    pub second_factor: bool,
}

/// A new account, already validated, with its password hashed.
pub struct NewUser {
    /// Lowercase.
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    pub password_hash: String,
}

/// What the admin changes of an account (`None`: unchanged).
#[derive(Default)]
pub struct UserChange {
    pub active: Option<bool>,
    pub password_hash: Option<String>,
    pub display_name: Option<String>,
}

/// What signing in needs to know of an account.
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

/// A new session: the SHA-256 of its token, its CSRF token and its span (Unix seconds).
pub struct NewSession<'a> {
    pub token_sha256: &'a str,
    pub csrf_token: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

const USER_COLUMNS: &str = "id, username, display_name, role, scope_kind, scope_university_id, \
     scope_faculty, scope_county, active, locked_until, \
     CASE WHEN totp_secret IS NULL THEN 0 ELSE 1 END AS second_factor";

/// A clerk's scope from its typed columns (`domain::universities::Scope::columns`).
fn scope(row: &AnyRow) -> Option<Scope> {
    Scope::from_columns(
        row.get::<String, _>("scope_kind").as_str(),
        row.get("scope_university_id"),
        row.get("scope_faculty"),
        row.get("scope_county"),
    )
}

/// A row of `USER_COLUMNS` (`active` and the second factor as 0 or 1, an integer on both
/// engines); `None` for a role or scope this build does not know (never written by it).
fn user(row: &AnyRow) -> Option<User> {
    Some(User {
        id: row.get("id"),
        username: row.get("username"),
        display_name: row.get("display_name"),
        role: Role::parse(row.get::<String, _>("role").as_str())?,
        scope: scope(row)?,
        active: row.get::<i64, _>("active") != 0,
        locked_until: row.get("locked_until"),
        second_factor: row.get::<i64, _>("second_factor") != 0,
    })
}

impl Store {
    /// The active user of a live session, by the SHA-256 of its token.
    pub async fn staff_session(&self, token_sha256: &str, now: i64) -> StoreResult<Option<Staff>> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.role, u.scope_kind, \
             u.scope_university_id, u.scope_faculty, u.scope_county, s.csrf_token, \
             CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS second_factor \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_sha256 = $1 AND s.expires_at > $2 AND u.active = 1",
        )
        .bind(token_sha256)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        // The scope is parsed here, once per request; a clerk whose row this build cannot read
        // is not signed in.
        Ok(row.and_then(|row| {
            Some(Staff {
                id: row.get("id"),
                username: row.get("username"),
                display_name: row.get("display_name"),
                role: Role::parse(row.get::<String, _>("role").as_str())?,
                scope: scope(&row)?,
                csrf_token: row.get("csrf_token"),
                second_factor: row.get::<i64, _>("second_factor") != 0,
            })
        }))
    }

    /// Every account, by username.
    pub async fn users(&self) -> StoreResult<Vec<User>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY username"
        ))
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().filter_map(user).collect())
    }

    /// The account with this id.
    pub async fn user(&self, id: i64) -> StoreResult<Option<User>> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().and_then(user))
    }

    /// The account with this (lowercase) username and its password hash.
    pub async fn credentials(&self, username: &str) -> StoreResult<Option<Credentials>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1"
        ))
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.and_then(|row| {
            Some(Credentials {
                user: user(&row)?,
                password_hash: row.get("password_hash"),
            })
        }))
    }

    /// Stores a new account; `None` when its username is taken.
    pub async fn create_user(&self, new: &NewUser, now: i64) -> StoreResult<Option<User>> {
        let (kind, university, faculty, county) = new.scope.columns();
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO users (username, display_name, role, scope_kind, scope_university_id, \
             scope_faculty, scope_county, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (username) DO NOTHING RETURNING id",
        )
        .bind(&new.username)
        .bind(&new.display_name)
        .bind(new.role.id())
        .bind(kind)
        .bind(university)
        .bind(faculty)
        .bind(county)
        .bind(&new.password_hash)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        match id {
            Some(id) => self.user(id).await,
            None => Ok(None),
        }
    }

    /// Changes an account; a new password or disabling ends its sessions. `None` when there is
    /// no such account.
    pub async fn update_user(&self, id: i64, change: &UserChange) -> StoreResult<Option<User>> {
        let (_turn, mut tx) = self.begin_write().await?;
        let found = sqlx::query(
            "UPDATE users SET active = COALESCE($1, active), \
             password_hash = COALESCE($2, password_hash), \
             display_name = COALESCE($3, display_name) WHERE id = $4",
        )
        .bind(change.active.map(i64::from))
        .bind(change.password_hash.as_deref())
        .bind(change.display_name.as_deref())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if found && (change.password_hash.is_some() || change.active == Some(false)) {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        if found {
            self.user(id).await
        } else {
            Ok(None)
        }
    }

    /// Counts a failed untrusted sign-in (without the account's device cookie); the `limit`th in
    /// a row locks untrusted attempts until `lock_until` (and starts the count again).
    pub async fn login_failed(&self, id: i64, limit: i64, lock_until: i64) -> StoreResult<()> {
        sqlx::query(
            "UPDATE users SET \
             locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END, \
             failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 ELSE failed_logins + 1 END \
             WHERE id = $3",
        )
        .bind(limit)
        .bind(lock_until)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Until when the device cookie `nonce` of account `user_id` is locked (`None`: it is not,
    /// or there is no such device).
    pub async fn device_locked_until(&self, nonce: &str, user_id: i64) -> StoreResult<Option<i64>> {
        let until: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT locked_until FROM staff_devices WHERE nonce = $1 AND user_id = $2",
        )
        .bind(nonce)
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(until.flatten())
    }

    /// Counts a failed sign-in with the device cookie `nonce`; the `limit`th in a row locks that
    /// device (only) until `lock_until`.
    pub async fn device_failed(
        &self,
        nonce: &str,
        user_id: i64,
        limit: i64,
        now: i64,
        lock_until: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO staff_devices (nonce, user_id, failed_logins, locked_until, last_seen) \
             VALUES ($1, $2, CASE WHEN $3 <= 1 THEN 0 ELSE 1 END, \
                     CASE WHEN $3 <= 1 THEN $5 END, $4) \
             ON CONFLICT (nonce) DO UPDATE SET \
             locked_until = CASE WHEN staff_devices.failed_logins + 1 >= $3 THEN $5 \
                            ELSE staff_devices.locked_until END, \
             failed_logins = CASE WHEN staff_devices.failed_logins + 1 >= $3 THEN 0 \
                             ELSE staff_devices.failed_logins + 1 END, \
             last_seen = $4 WHERE staff_devices.user_id = $2",
        )
        .bind(nonce)
        .bind(user_id)
        .bind(limit)
        .bind(now)
        .bind(lock_until)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Starts a session after a good sign-in: the failure count of what was used (the device
    /// `nonce`, which is remembered, or else the account's untrusted one) starts again, devices
    /// unseen for `device_seconds` and sessions that have run out (anyone's) are deleted.
    pub async fn start_session(
        &self,
        user_id: i64,
        nonce: &str,
        trusted: bool,
        device_seconds: i64,
        session: &NewSession<'_>,
    ) -> StoreResult<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        if !trusted {
            sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO staff_devices (nonce, user_id, last_seen) VALUES ($1, $2, $3) \
             ON CONFLICT (nonce) DO UPDATE SET failed_logins = 0, locked_until = NULL, \
             last_seen = $3 WHERE staff_devices.user_id = $2",
        )
        .bind(nonce)
        .bind(user_id)
        .bind(session.now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM staff_devices WHERE last_seen <= $1")
            .bind(session.now - device_seconds)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(session.now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_sha256, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(session.token_sha256)
        .bind(user_id)
        .bind(session.csrf_token)
        .bind(session.now)
        .bind(session.expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends a session.
    pub async fn end_session(&self, token_sha256: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_sha256 = $1")
            .bind(token_sha256)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
