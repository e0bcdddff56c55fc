//! Staff accounts and sessions in the database (`users`, `sessions`).

use rules::workflow::Role;

use super::{Store, StoreResult};
use crate::auth::Staff;

impl Store {
    /// The active user of a live session, by the SHA-256 of its token.
    pub async fn staff_session(&self, token_sha256: &str, now: i64) -> StoreResult<Option<Staff>> {
        let row: Option<(i64, String, String, String, String, String)> = sqlx::query_as(
            "SELECT u.id, u.username, u.display_name, u.role, u.scope, s.csrf_token \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_sha256 = ? AND s.expires_at > ? AND u.active = 1",
        )
        .bind(token_sha256)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.and_then(|(id, username, display_name, role, scope, csrf_token)| {
            Some(Staff {
                id,
                username,
                display_name,
                role: Role::parse(&role)?,
                scope,
                csrf_token,
            })
        }))
    }
}
