//! The staff's second factor in the database (`users.totp_*`, `staff_recovery_codes`,
//! `staff_second_steps`): enrolment and its confirmation, the steps and recovery codes used, the
//! token between the password and the code, and the admin's reset.

use super::{Store, StoreResult};

/// An account's TOTP columns: the sealed secret, the sealed one being enrolled, the last step
/// accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecondFactor {
    pub secret: Option<String>,
    pub pending: Option<String>,
    pub last_step: Option<i64>,
}

/// A live second step: whose, the device nonce the sign-in will leave, whether the password came
/// with a valid device cookie, and the wrong codes so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecondStep {
    pub user_id: i64,
    pub device_nonce: String,
    pub trusted: bool,
    pub attempts: i64,
}

impl Store {
    /// The TOTP columns of account `user_id`.
    pub async fn second_factor(&self, user_id: i64) -> StoreResult<SecondFactor> {
        let row: Option<(Option<String>, Option<String>, Option<i64>)> = sqlx::query_as(
            "SELECT totp_secret, totp_pending, totp_last_step FROM users WHERE id = $1",
        )
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(
            row.map_or_else(SecondFactor::default, |(secret, pending, last_step)| {
                SecondFactor {
                    secret,
                    pending,
                    last_step,
                }
            }),
        )
    }

    /// Keeps a (sealed) secret being enrolled; false when the account has a second factor.
    pub async fn enrol_second_factor(&self, user_id: i64, sealed: &str) -> StoreResult<bool> {
        Ok(
            sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2 AND totp_secret IS NULL")
                .bind(sealed)
                .bind(user_id)
                .execute(self.pool())
                .await?
                .rows_affected()
                == 1,
        )
    }

    /// The pending secret `sealed` becomes the account's, `step` used, with these recovery codes
    /// (HMACs) in place of any older ones; false when it is no longer the pending one.
    pub async fn confirm_second_factor(
        &self,
        user_id: i64,
        sealed: &str,
        step: i64,
        recovery_hmacs: &[String],
    ) -> StoreResult<bool> {
        let (_turn, mut tx) = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, \
             totp_last_step = $1 WHERE id = $2 AND totp_pending = $3 AND totp_secret IS NULL",
        )
        .bind(step)
        .bind(user_id)
        .bind(sealed)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if done {
            sqlx::query("DELETE FROM staff_recovery_codes WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            for hmac in recovery_hmacs {
                sqlx::query(
                    "INSERT INTO staff_recovery_codes (user_id, code_hmac) VALUES ($1, $2)",
                )
                .bind(user_id)
                .bind(hmac)
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(done)
    }

    /// Takes TOTP step `step` for the account: false when it (or a later one) was used already.
    pub async fn use_totp_step(&self, user_id: i64, step: i64) -> StoreResult<bool> {
        Ok(sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 \
             AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user_id)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    /// Uses the recovery code with this HMAC: false when there is no such unused code.
    pub async fn use_recovery_code(&self, user_id: i64, hmac: &str, now: i64) -> StoreResult<bool> {
        Ok(sqlx::query(
            "UPDATE staff_recovery_codes SET used_at = $1 \
             WHERE user_id = $2 AND code_hmac = $3 AND used_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .bind(hmac)
        .execute(self.pool())
        .await?
        .rows_affected()
            > 0)
    }

    /// Unused recovery codes of the account.
    pub async fn recovery_codes_left(&self, user_id: i64) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM staff_recovery_codes WHERE user_id = $1 AND used_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(self.pool())
        .await?)
    }

    /// The admin's reset: no second factor, no recovery codes, no session or second step of the
    /// account; false when there is no such account.
    pub async fn reset_second_factor(&self, user_id: i64) -> StoreResult<bool> {
        let (_turn, mut tx) = self.begin_write().await?;
        let found = sqlx::query(
            "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL \
             WHERE id = $1",
        )
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        for table in ["staff_recovery_codes", "staff_second_steps", "sessions"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(found)
    }

    /// Stores a second step (expired ones, anyone's, are deleted).
    pub async fn start_second_step(
        &self,
        token_sha256: &str,
        step: &SecondStep,
        now: i64,
        expires_at: i64,
    ) -> StoreResult<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        sqlx::query("DELETE FROM staff_second_steps WHERE expires_at <= $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO staff_second_steps (token_sha256, user_id, device_nonce, trusted, \
             attempts, expires_at) VALUES ($1, $2, $3, $4, 0, $5)",
        )
        .bind(token_sha256)
        .bind(step.user_id)
        .bind(&step.device_nonce)
        .bind(i64::from(step.trusted))
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The live second step of this token.
    pub async fn second_step(
        &self,
        token_sha256: &str,
        now: i64,
    ) -> StoreResult<Option<SecondStep>> {
        let row: Option<(i64, String, i64, i64)> = sqlx::query_as(
            "SELECT user_id, device_nonce, trusted, attempts FROM staff_second_steps \
             WHERE token_sha256 = $1 AND expires_at > $2",
        )
        .bind(token_sha256)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        Ok(
            row.map(|(user_id, device_nonce, trusted, attempts)| SecondStep {
                user_id,
                device_nonce,
                trusted: trusted != 0,
                attempts,
            }),
        )
    }

    /// Counts a wrong code of a second step; the `limit`th ends it.
    pub async fn second_step_failed(&self, token_sha256: &str, limit: i64) -> StoreResult<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        sqlx::query(
            "UPDATE staff_second_steps SET attempts = attempts + 1 WHERE token_sha256 = $1",
        )
        .bind(token_sha256)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM staff_second_steps WHERE token_sha256 = $1 AND attempts >= $2")
            .bind(token_sha256)
            .bind(limit)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends a second step (the code was good).
    pub async fn end_second_step(&self, token_sha256: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM staff_second_steps WHERE token_sha256 = $1")
            .bind(token_sha256)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
