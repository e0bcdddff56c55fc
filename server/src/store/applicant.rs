//! One-time codes (the applicant's on one request and a roster person's sign-in code: kept,
//! tried and used up alike), applicant sessions, payments and the sandbox gateway's ledger, and
//! Art. 34 events, in the database.

use sqlx::Row;

use super::universities::{bind_scope, scope_filter, ScopeValue};
use super::workflow::queue_notification;
use super::{Store, StoreResult};
use crate::domain::codes::{code_mac, CODE_TRIES};
use crate::domain::secret::SecretKey;
use crate::domain::universities::Scope;

/// How a one-time code check ended.
#[derive(Debug, PartialEq, Eq)]
pub enum CodeCheck {
    Valid,
    Invalid,
    /// Expired, used up or never sent: a new code is needed.
    Expired,
}

/// A payment as the server keeps it.
#[derive(Clone, Debug)]
pub struct Payment {
    pub id: i64,
    pub request_id: i64,
    pub authority: String,
    /// The fee asked.
    pub amount_rials: i64,
    pub status: String,
    /// Why a failed payment failed, when known (`amount_mismatch`).
    pub failure: Option<String>,
    /// Its verification moved the request past the payment (never refunded).
    pub applied: bool,
    /// `refunding`, `refunded` or `failed` when a refund is owed (migration 0016).
    pub refund: Option<String>,
}

/// A refund as the applicant's view lists it.
pub struct RefundRow {
    pub amount_rials: i64,
    /// `refunding`, `refunded` or `failed` (tried again by a callback or the periodic pass
    /// while it has attempts left; else the university).
    pub refund: String,
    pub refunded_at: Option<i64>,
    /// How often the gateway was asked.
    pub attempts: i64,
    /// The gateway's short error code of the last failed attempt (`-61`, `timeout`, …).
    pub error: Option<String>,
}

/// How often a refund is tried at most (the callback's first try included; docs/payments.md,
/// "Refunds"); a refund that reached it stays `failed`.
pub const REFUND_ATTEMPTS: i64 = 24;
/// The back-off of a failed refund, per attempt made: tried again no sooner than this many
/// seconds times its attempts after its last claim (an hour after the first, two after the
/// second, …).
pub const REFUND_BACKOFF: i64 = 3600;
/// A `refunding` claim older than this (seconds) was interrupted (the gateway answers within
/// its timeout, seconds): the periodic pass takes it over.
pub const REFUND_STALE: i64 = 900;

/// The payments whose refund the periodic pass may try again, with `$1` now, `$2`
/// [`REFUND_ATTEMPTS`], `$3` [`REFUND_BACKOFF`] and `$4` [`REFUND_STALE`].
const REFUND_DUE: &str = "refund IN ('failed', 'refunding') AND status = 'verified' \
    AND applied = 0 AND refund_attempts < $2 \
    AND ((refund = 'failed' AND COALESCE(refund_claimed_at, 0) <= $1 - $3 * refund_attempts) \
    OR (refund = 'refunding' AND COALESCE(refund_claimed_at, 0) <= $1 - $4))";

fn payment_of(r: &sqlx::any::AnyRow) -> Payment {
    Payment {
        id: r.get("id"),
        request_id: r.get("request_id"),
        authority: r.get("authority"),
        amount_rials: r.get("amount_rials"),
        status: r.get("status"),
        failure: r.get("failure"),
        applied: r.get::<i64, _>("applied") != 0,
        refund: r.get("refund"),
    }
}

/// How a payment ended, as [`Store::settle_payment`] records it.
pub enum Settled<'a> {
    /// The gateway reports it paid, the fee asked.
    Verified { reference: &'a str, amount: i64 },
    /// The gateway reports another amount paid than the fee asked (what it reports, when it
    /// says): never paid.
    AmountMismatch { reported: Option<i64> },
    /// Not paid (cancelled, or unknown to the gateway).
    Failed,
}

/// A row of the sandbox gateway's ledger.
pub struct SandboxPayment {
    /// The amount the payment was created for.
    pub amount_rials: i64,
    /// The amount the payer's form paid.
    pub paid_rials: Option<i64>,
    pub callback_url: String,
    /// `pending`, `paid` or `cancelled`.
    pub status: String,
    pub reference: Option<String>,
}

/// One Art. 34 event with the request it came from.
pub struct Art34Event {
    pub national_id: String,
    pub event: String,
    pub event_date: String,
    pub tracking_code: Option<String>,
    /// The request's opaque handle (staff URLs).
    pub handle: Option<String>,
}

/// An SMS with a one-time code to queue: its messages with the code masked
/// (`domain::codes::code_sms`), and the digits, kept apart until the SMS is sent.
pub struct NewSms<'a> {
    pub mobile: &'a str,
    pub message_fa: &'a str,
    pub message_en: &'a str,
    pub code: &'a str,
}

/// Whose one-time code: an applicant's on one request (`one_time_codes`), or a roster person's
/// sign-in code (`person_codes`). Both are kept, tried and used up alike.
#[derive(Clone, Copy, Debug)]
pub enum CodeFor<'a> {
    Request(i64),
    /// By national ID.
    Person(&'a str),
}

impl CodeFor<'_> {
    /// The table and its owner column.
    fn table(self) -> (&'static str, &'static str) {
        match self {
            CodeFor::Request(_) => ("one_time_codes", "request_id"),
            CodeFor::Person(_) => ("person_codes", "national_id"),
        }
    }

    /// The code's MAC under the server's key (`domain::codes::code_mac`): its purpose and
    /// subject are the owner.
    pub fn mac(self, key: &SecretKey, code: &str) -> String {
        match self {
            CodeFor::Request(id) => code_mac(key, "request", &id.to_string(), code),
            CodeFor::Person(national_id) => code_mac(key, "person", national_id, code),
        }
    }
}

/// `$query.bind(<the owner>)`, whichever type the owner is.
macro_rules! bind_owner {
    ($query:expr, $owner:expr) => {
        match $owner {
            CodeFor::Request(id) => $query.bind(id),
            CodeFor::Person(national_id) => $query.bind(national_id),
        }
    };
}

/// Checks a code against the owner's latest one, counting the try (inside the caller's
/// transaction, which opens a session when it is valid and commits); a valid code is used up.
pub(super) async fn try_code(
    tx: &mut sqlx::AnyConnection,
    owner: CodeFor<'_>,
    code_hmac: &str,
    now: i64,
) -> StoreResult<CodeCheck> {
    let (table, column) = owner.table();
    let sql = format!(
        "SELECT id, code_hmac, expires_at, attempts, used_at FROM {table} \
         WHERE {column} = $1 ORDER BY id DESC LIMIT 1"
    );
    let latest: Option<(i64, String, i64, i64, Option<i64>)> =
        bind_owner!(sqlx::query_as(&sql), owner)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((id, hash, expires_at, attempts, used_at)) = latest else {
        return Ok(CodeCheck::Expired);
    };
    if used_at.is_some() || expires_at <= now || attempts >= CODE_TRIES {
        return Ok(CodeCheck::Expired);
    }
    let valid = crate::domain::accounts::same_secret(&hash, code_hmac);
    sqlx::query(&format!(
        "UPDATE {table} SET attempts = attempts + 1, used_at = $1 WHERE id = $2"
    ))
    .bind(valid.then_some(now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    Ok(if valid {
        CodeCheck::Valid
    } else {
        CodeCheck::Invalid
    })
}

/// Inserts an applicant session (inside the caller's transaction).
async fn insert_applicant_session(
    tx: &mut sqlx::AnyConnection,
    request_id: i64,
    token_sha256: &str,
    now: i64,
    expires_at: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO applicant_sessions (token_sha256, request_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_sha256)
    .bind(request_id)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

impl Store {
    /// Stores a new one-time code (by its MAC) and queues its SMS, in one transaction; the
    /// owner's earlier codes stop working.
    pub async fn new_code(
        &self,
        owner: CodeFor<'_>,
        code_hmac: &str,
        sms: &NewSms<'_>,
        now: i64,
        expires_at: i64,
    ) -> StoreResult<()> {
        let (table, column) = owner.table();
        let (_turn, mut tx) = self.begin_write().await?;
        let sql =
            format!("UPDATE {table} SET used_at = $1 WHERE {column} = $2 AND used_at IS NULL");
        bind_owner!(sqlx::query(&sql).bind(now), owner)
            .execute(&mut *tx)
            .await?;
        let sql = format!(
            "INSERT INTO {table} ({column}, code_hmac, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)"
        );
        bind_owner!(sqlx::query(&sql), owner)
            .bind(code_hmac)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        let request_id = match owner {
            CodeFor::Request(id) => Some(id),
            CodeFor::Person(_) => None,
        };
        let queued = queue_notification(
            &mut tx,
            request_id,
            "one_time_code",
            Some(sms.mobile),
            sms.message_fa,
            sms.message_en,
            now,
        )
        .await?;
        sqlx::query("UPDATE notifications SET secret = $1 WHERE id = $2")
            .bind(sms.code)
            .bind(queued)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks a code against the request's latest one, counting the try; a valid code is used up
    /// and opens an applicant session (`token_sha256`, until `session_expires`).
    pub async fn check_code(
        &self,
        request_id: i64,
        code_hmac: &str,
        now: i64,
        token_sha256: &str,
        session_expires: i64,
    ) -> StoreResult<CodeCheck> {
        let (_turn, mut tx) = self.begin_write().await?;
        let check = try_code(&mut tx, CodeFor::Request(request_id), code_hmac, now).await?;
        if check == CodeCheck::Valid {
            insert_applicant_session(&mut tx, request_id, token_sha256, now, session_expires)
                .await?;
        }
        tx.commit().await?;
        Ok(check)
    }

    /// Opens an applicant session on a request with no code: the signed-in person is its
    /// applicant.
    pub async fn add_applicant_session(
        &self,
        request_id: i64,
        token_sha256: &str,
        now: i64,
        session_expires: i64,
    ) -> StoreResult<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        insert_applicant_session(&mut tx, request_id, token_sha256, now, session_expires).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The tracking code (digits) of a live applicant session's request.
    pub async fn applicant_session(
        &self,
        token_sha256: &str,
        now: i64,
    ) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT r.tracking_code FROM applicant_sessions s JOIN requests r ON r.id = s.request_id \
             WHERE s.token_sha256 = $1 AND s.expires_at > $2",
        )
        .bind(token_sha256)
        .bind(now)
        .fetch_optional(self.pool())
        .await?)
    }

    /// The tracking code (digits) of a request by its row id.
    pub async fn tracking_code_of(&self, request_id: i64) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT tracking_code FROM requests WHERE id = $1")
                .bind(request_id)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// Records a payment created at the gateway.
    pub async fn new_payment(
        &self,
        request_id: i64,
        gateway: &str,
        authority: &str,
        amount_rials: i64,
        now: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO payments (request_id, gateway, authority, amount_rials, status, created_at) \
             VALUES ($1, $2, $3, $4, 'created', $5)",
        )
        .bind(request_id)
        .bind(gateway)
        .bind(authority)
        .bind(amount_rials)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn payment(&self, authority: &str) -> StoreResult<Option<Payment>> {
        let row = sqlx::query(
            "SELECT id, request_id, authority, amount_rials, status, failure, applied, refund \
             FROM payments WHERE authority = $1",
        )
        .bind(authority)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().map(payment_of))
    }

    /// Claims the refund of a verified payment its request did not take (`applied` 0) at `now`:
    /// once, across instances (a conditional update); a failed refund may be claimed again
    /// while it has attempts left ([`REFUND_ATTEMPTS`]). False when there is nothing to refund
    /// or another callback or pass has it.
    pub async fn claim_refund(&self, payment_id: i64, now: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE payments SET refund = 'refunding', refund_claimed_at = $1, \
             refund_attempts = refund_attempts + 1 WHERE id = $2 AND status = 'verified' \
             AND applied = 0 AND (refund IS NULL OR (refund = 'failed' AND refund_attempts < $3))",
        )
        .bind(now)
        .bind(payment_id)
        .bind(REFUND_ATTEMPTS)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The refunds the periodic pass may try again at `now` (oldest first): failed ones with
    /// attempts left whose back-off has passed, and `refunding` ones claimed longer than
    /// [`REFUND_STALE`] ago (a crash between the claim and the gateway's answer).
    pub async fn refunds_due(&self, now: i64) -> StoreResult<Vec<Payment>> {
        let rows = sqlx::query(&format!(
            "SELECT id, request_id, authority, amount_rials, status, failure, applied, refund \
             FROM payments WHERE {REFUND_DUE} ORDER BY id"
        ))
        .bind(now)
        .bind(REFUND_ATTEMPTS)
        .bind(REFUND_BACKOFF)
        .bind(REFUND_STALE)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(payment_of).collect())
    }

    /// Claims a due refund ([`Store::refunds_due`]) for the pass at `now`: the same conditional
    /// update as a callback's claim, so that two passes, or a pass and a callback, never both
    /// ask the gateway. False when it is no longer due.
    pub async fn claim_due_refund(&self, payment_id: i64, now: i64) -> StoreResult<bool> {
        let done = sqlx::query(&format!(
            "UPDATE payments SET refund = 'refunding', refund_claimed_at = $1, \
             refund_attempts = refund_attempts + 1 WHERE id = $5 AND {REFUND_DUE}"
        ))
        .bind(now)
        .bind(REFUND_ATTEMPTS)
        .bind(REFUND_BACKOFF)
        .bind(REFUND_STALE)
        .bind(payment_id)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A refund left `refunding` by a crash on its last attempt gives up at `now`: `failed`
    /// (`refund_error` `interrupted`), for the university to give back by hand. How many.
    pub async fn give_up_stale_refunds(&self, now: i64) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE payments SET refund = 'failed', refund_error = 'interrupted' \
             WHERE refund = 'refunding' AND refund_attempts >= $1 \
             AND COALESCE(refund_claimed_at, 0) <= $2 - $3",
        )
        .bind(REFUND_ATTEMPTS)
        .bind(now)
        .bind(REFUND_STALE)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// Records how a claimed refund went: `Ok` refunded at `now`, `Err` the gateway's error
    /// (its code and message, nothing personal).
    pub async fn record_refund(
        &self,
        payment_id: i64,
        outcome: Result<(), &str>,
        now: i64,
    ) -> StoreResult<()> {
        let (refund, at, error) = match outcome {
            Ok(()) => ("refunded", Some(now), None),
            Err(e) => ("failed", None, Some(e)),
        };
        sqlx::query(
            "UPDATE payments SET refund = $1, refunded_at = $2, refund_error = $3 \
             WHERE id = $4 AND refund = 'refunding'",
        )
        .bind(refund)
        .bind(at)
        .bind(error)
        .bind(payment_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The request's payments owed back or given back, oldest first.
    pub async fn refunds_of(&self, request_id: i64) -> StoreResult<Vec<RefundRow>> {
        let rows = sqlx::query(
            "SELECT amount_rials, refund, refunded_at, refund_attempts, refund_error \
             FROM payments WHERE request_id = $1 AND refund IS NOT NULL ORDER BY id",
        )
        .bind(request_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| RefundRow {
                amount_rials: r.get("amount_rials"),
                refund: r.get("refund"),
                refunded_at: r.get("refunded_at"),
                attempts: r.get("refund_attempts"),
                error: r.get("refund_error"),
            })
            .collect())
    }

    /// The request's latest payment.
    pub async fn latest_payment(&self, request_id: i64) -> StoreResult<Option<Payment>> {
        let authority: Option<String> = sqlx::query_scalar(
            "SELECT authority FROM payments WHERE request_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(request_id)
        .fetch_optional(self.pool())
        .await?;
        match authority {
            Some(a) => self.payment(&a).await,
            None => Ok(None),
        }
    }

    /// Settles a payment once: `created` → `verified` (with the bank's reference) or `failed`
    /// (with why, when known: `amount_mismatch`), with the amount the gateway reported.
    /// False when it was settled before (a repeated callback changes nothing).
    pub async fn settle_payment(
        &self,
        authority: &str,
        outcome: Settled<'_>,
        now: i64,
    ) -> StoreResult<bool> {
        let (status, reference, reported, failure) = match outcome {
            Settled::Verified { reference, amount } => {
                ("verified", Some(reference), Some(amount), None)
            }
            Settled::AmountMismatch { reported } => {
                ("failed", None, reported, Some("amount_mismatch"))
            }
            Settled::Failed => ("failed", None, None, None),
        };
        let done = sqlx::query(
            "UPDATE payments SET status = $1, reference = $2, verified_at = $3, \
             reported_amount_rials = $4, failure = $5 WHERE authority = $6 AND status = 'created'",
        )
        .bind(status)
        .bind(reference)
        .bind(now)
        .bind(reported)
        .bind(failure)
        .bind(authority)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The sandbox gateway's ledger: a new pending payment.
    pub async fn sandbox_create(
        &self,
        authority: &str,
        amount: i64,
        callback: &str,
        now: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sandbox_payments (authority, amount_rials, callback_url, status, created_at) \
             VALUES ($1, $2, $3, 'pending', $4)",
        )
        .bind(authority)
        .bind(amount)
        .bind(callback)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The sandbox ledger's row.
    pub async fn sandbox_payment(&self, authority: &str) -> StoreResult<Option<SandboxPayment>> {
        let row = sqlx::query(
            "SELECT amount_rials, paid_rials, callback_url, status, reference \
             FROM sandbox_payments WHERE authority = $1",
        )
        .bind(authority)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|r| SandboxPayment {
            amount_rials: r.get("amount_rials"),
            paid_rials: r.get("paid_rials"),
            callback_url: r.get("callback_url"),
            status: r.get("status"),
            reference: r.get("reference"),
        }))
    }

    /// The payer's choice at the sandbox page; only a pending payment changes.
    /// `paid`: the amount the payer's form paid (`None`: cancelled).
    pub async fn sandbox_decide(
        &self,
        authority: &str,
        paid: Option<i64>,
        reference: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE sandbox_payments SET status = $1, reference = $2, paid_rials = $3 \
             WHERE authority = $4 AND status = 'pending'",
        )
        .bind(if paid.is_some() { "paid" } else { "cancelled" })
        .bind(paid.is_some().then_some(reference))
        .bind(paid)
        .bind(authority)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Whether this person has a stored request within `scope`: the Art. 34 scope of a clerk
    /// (docs/staff-api.md).
    pub async fn person_in_scope(&self, national_id: &str, scope: &Scope) -> StoreResult<bool> {
        let (condition, values) = in_scope("?", scope);
        let sql = super::numbered(&format!("SELECT CASE WHEN {condition} THEN 1 ELSE 0 END"));
        let (found,): (i64,) = bind_scope!(sqlx::query_as(&sql).bind(national_id), &values)
            .fetch_one(self.pool())
            .await?;
        Ok(found != 0)
    }

    /// Records an expulsion, drop-out or graduation (Art. 34).
    pub async fn add_art34_event(
        &self,
        national_id: &str,
        event: &str,
        event_date: &str,
        recorded_by: &str,
        now: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO art34_events (national_id, event, event_date, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(national_id)
        .bind(event)
        .bind(event_date)
        .bind(recorded_by)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The Art. 34 events in a scope: every one (national), or those of people with a stored
    /// request within it.
    pub async fn art34_events(&self, scope: &Scope) -> StoreResult<Vec<Art34Event>> {
        let mut sql = String::from(
            "SELECT e.national_id, e.event, e.event_date, r.tracking_code, r.handle \
             FROM art34_events e \
             LEFT JOIN requests r ON r.id = e.request_id",
        );
        let (condition, values) = in_scope("e.national_id", scope);
        if *scope != Scope::National {
            sql.push_str(&format!(" WHERE {condition}"));
        }
        sql.push_str(" ORDER BY e.event_date, e.id");
        let sql = super::numbered(&sql);
        let mut query = sqlx::query(&sql);
        if *scope != Scope::National {
            query = bind_scope!(query, &values);
        }
        let rows = query.fetch_all(self.pool()).await?;
        Ok(rows
            .iter()
            .map(|r| Art34Event {
                national_id: r.get("national_id"),
                event: r.get("event"),
                event_date: r.get("event_date"),
                tracking_code: r.get("tracking_code"),
                handle: r.get("handle"),
            })
            .collect())
    }
}

/// SQL that is true when the person `national_id` (an expression) has a stored request within
/// `scope` (`?` placeholders after those `national_id` may hold), and the values it binds.
fn in_scope<'a>(national_id: &str, scope: &'a Scope) -> (String, Vec<ScopeValue<'a>>) {
    let (conditions, values) = scope_filter(scope, "s");
    (
        format!(
            "EXISTS (SELECT 1 FROM requests s WHERE s.national_id = {national_id}{conditions})"
        ),
        values,
    )
}
