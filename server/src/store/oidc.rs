//! OpenID Connect sign-ins in progress (`oidc_logins`): stored at the redirect to the provider,
//! consumed once by the callback.

use super::{Store, StoreResult};
use crate::domain::oidc::{PendingLogin, StateCheck};

/// An `oidc_logins` row as the callback reads it: provider, PKCE verifier, nonce, `return_to`,
/// made, expires, consumed.
type LoginRow = (String, String, String, String, i64, i64, Option<i64>);

/// Rows are kept this long after they were made (then deleted when a sign-in starts).
const KEEP_SECONDS: i64 = 24 * 3600;

impl Store {
    /// Stores a sign-in about to be redirected to its provider, and deletes rows older than a
    /// day.
    pub async fn add_oidc_login(&self, login: &PendingLogin) -> StoreResult<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        sqlx::query("DELETE FROM oidc_logins WHERE created_at < $1")
            .bind(login.created_at - KEEP_SECONDS)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO oidc_logins (state_sha256, provider, pkce_verifier, nonce, return_to, \
             created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&login.state_sha256)
        .bind(&login.provider)
        .bind(&login.pkce_verifier)
        .bind(&login.nonce)
        .bind(&login.return_to)
        .bind(login.created_at)
        .bind(login.expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Consumes the sign-in of a callback's state (by its SHA-256), in one transaction: a fresh
    /// one is returned and marked used, so no second callback can use it; an expired one is
    /// marked used too.
    pub async fn consume_oidc_login(
        &self,
        state_sha256: &str,
        now: i64,
    ) -> StoreResult<StateCheck> {
        let (_turn, mut tx) = self.begin_write().await?;
        let row: Option<LoginRow> = sqlx::query_as(
            "SELECT provider, pkce_verifier, nonce, return_to, created_at, expires_at, \
                 consumed_at FROM oidc_logins WHERE state_sha256 = $1",
        )
        .bind(state_sha256)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((provider, pkce_verifier, nonce, return_to, created_at, expires_at, consumed)) =
            row
        else {
            return Ok(StateCheck::Unknown);
        };
        if consumed.is_some() {
            return Ok(StateCheck::Used);
        }
        sqlx::query("UPDATE oidc_logins SET consumed_at = $1 WHERE state_sha256 = $2")
            .bind(now)
            .bind(state_sha256)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        if expires_at <= now {
            return Ok(StateCheck::Expired);
        }
        Ok(StateCheck::Fresh(Box::new(PendingLogin {
            state_sha256: state_sha256.to_owned(),
            provider,
            pkce_verifier,
            nonce,
            return_to,
            created_at,
            expires_at,
        })))
    }
}
