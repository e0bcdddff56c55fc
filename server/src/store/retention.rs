//! Retention's SQL: in one transaction, erases the cancelled A2 permits that are due (keeping a
//! tombstone row whose audit chain still verifies) and deletes the expired sessions, codes,
//! sign-ins in progress, old idempotency keys and old sent notifications, by the periods of
//! `domain::retention`. A dry run counts the same rows and rolls back. Then `reclaim` makes the
//! erased values leave the database's files (SQLite's log truncated; PostgreSQL's tables
//! vacuumed, or rewritten with `--compact`).

use std::time::Duration;

use super::{Engine, Store, StoreError, StoreResult};
use crate::domain::retention::{Kind, TABLE};

/// What a purge erased (or, dry, would erase): rows per kind, and the files whose last request
/// was erased (paths relative to the data directory: on SQLite removed from disk after the
/// commit; on PostgreSQL their bytes went with their rows, `attachment_blobs` cascading).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub counts: Vec<(&'static str, u64)>,
    pub files: Vec<String>,
}

/// The expired rows of a kind: its table and the moment its period runs from.
fn expiring(kind: Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::IdempotencyKey => "DELETE FROM idempotency_keys WHERE created_at < $1",
        Kind::StaffSession => "DELETE FROM sessions WHERE expires_at < $1",
        Kind::PersonSession => "DELETE FROM person_sessions WHERE expires_at < $1",
        Kind::ApplicantSession => "DELETE FROM applicant_sessions WHERE expires_at < $1",
        Kind::OneTimeCode => "DELETE FROM one_time_codes WHERE expires_at < $1",
        Kind::PersonCode => "DELETE FROM person_codes WHERE expires_at < $1",
        Kind::OidcLogin => "DELETE FROM oidc_logins WHERE expires_at < $1",
        Kind::SentNotification => {
            "DELETE FROM notifications WHERE COALESCE(sent_at, gave_up_at) < $1"
        }
        Kind::SentReminder => "DELETE FROM reminders_sent WHERE queued_at < $1",
        Kind::CancelledA2Permit | Kind::FinishedRequest | Kind::ReminderOptOut => return None,
    })
}

/// Every table a purge erases from (vacuumed after it on PostgreSQL, `Store::reclaim`).
pub const ERASED_TABLES: &[&str] = &[
    "requests",
    "audit",
    "request_attachments",
    "attachments",
    // PostgreSQL only (migration 11): the bytes erased with their `attachments` row.
    "attachment_blobs",
    "uploads",
    "notifications",
    "one_time_codes",
    "applicant_sessions",
    "idempotency_keys",
    "art34_events",
    "sessions",
    "person_sessions",
    "person_codes",
    "oidc_logins",
    "reminders_sent",
];

/// What erasing a request removes beside its own row's personal columns, in this order.
const ERASE_REQUEST: &[&str] = &[
    "UPDATE audit SET note = NULL, data = NULL WHERE request_id = $1",
    "DELETE FROM notifications WHERE request_id = $1",
    "DELETE FROM one_time_codes WHERE request_id = $1",
    "DELETE FROM applicant_sessions WHERE request_id = $1",
    "DELETE FROM idempotency_keys WHERE request_id = $1",
    "DELETE FROM art34_events WHERE request_id = $1",
    "DELETE FROM reminders_sent WHERE request_id = $1",
];

impl Store {
    /// Erases what is due at `now` (Unix seconds) in one transaction; `dry_run` rolls it back.
    pub async fn purge_due(&self, now: i64, dry_run: bool) -> StoreResult<Purged> {
        let (_turn, mut tx) = self.begin_write().await?;
        let mut purged = Purged::default();
        for rule in TABLE {
            let Some(before) = rule.due_before(now) else {
                purged.counts.push((rule.id, 0));
                continue;
            };
            let n = match expiring(rule.kind) {
                Some(statement) => sqlx::query(statement)
                    .bind(before)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected(),
                None => {
                    let due: Vec<i64> = sqlx::query_scalar(
                        "SELECT id FROM requests WHERE process = 'exemption_a2' \
                         AND status = 'permit_cancelled' AND erased_at IS NULL \
                         AND updated_at < $1 ORDER BY id",
                    )
                    .bind(before)
                    .fetch_all(&mut *tx)
                    .await?;
                    for id in &due {
                        purged.files.extend(erase_request(&mut tx, *id, now).await?);
                    }
                    due.len() as u64
                }
            };
            purged.counts.push((rule.id, n));
        }
        purged.counts.push(("file", purged.files.len() as u64));
        if dry_run {
            tx.rollback().await?;
        } else {
            tx.commit().await?;
        }
        Ok(purged)
    }
}

/// Erases one request inside `tx`: its links to files (and the files' records no other request
/// uses, on PostgreSQL with their bytes: their paths are answered), the personal fields of its audit rows and of its own row,
/// and every row that names it and holds no more than it did; `erased_at` marks the tombstone.
async fn erase_request(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: i64,
    now: i64,
) -> StoreResult<Vec<String>> {
    let linked: Vec<String> =
        sqlx::query_scalar("SELECT sha256 FROM request_attachments WHERE request_id = $1")
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
    sqlx::query("DELETE FROM request_attachments WHERE request_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let mut files = Vec::new();
    for sha256 in &linked {
        let path: Option<String> = sqlx::query_scalar(
            "DELETE FROM attachments WHERE sha256 = $1 AND NOT EXISTS \
             (SELECT 1 FROM request_attachments WHERE sha256 = $2) RETURNING path",
        )
        .bind(sha256)
        .bind(sha256)
        .fetch_optional(&mut **tx)
        .await?;
        files.extend(path);
    }
    for statement in ERASE_REQUEST {
        sqlx::query(statement).bind(id).execute(&mut **tx).await?;
    }
    sqlx::query(
        "UPDATE requests SET national_id = '', body = '{}', mobile = NULL, \
         identity_mobile = NULL, university = NULL, county = NULL, faculty = NULL, \
         erased_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(files)
}

impl Store {
    /// After an erasure, makes the erased values leave the database's files. SQLite (whose
    /// deleted content is zeroed, `secure_delete`): the write-ahead log is copied into the
    /// database and emptied. PostgreSQL: the tables a purge erases from are vacuumed — a plain
    /// `VACUUM` (no lock; the space is reused, the old bytes stay in the files until
    /// overwritten), or with `full` `VACUUM FULL` (each table rewritten and its old files
    /// removed; it locks the table while it runs, so it is for a quiet hour: `pishkhan purge
    /// --compact`). docs/retention.md, "On PostgreSQL".
    pub async fn reclaim(&self, full: bool) -> StoreResult<()> {
        match self.engine() {
            Engine::Sqlite => self.truncate_wal().await,
            Engine::Postgres => {
                if full {
                    self.outlive_older_snapshots().await?;
                }
                for table in ERASED_TABLES {
                    // The files' bytes are never rewritten here: terabytes nationally, locked
                    // for hours (docs/retention.md, "On PostgreSQL").
                    let vacuum = if full && *table != "attachment_blobs" {
                        "VACUUM (FULL)"
                    } else {
                        "VACUUM"
                    };
                    sqlx::query(&format!("{vacuum} {table}"))
                        .execute(self.pool())
                        .await?;
                }
                Ok(())
            }
        }
    }

    /// Waits (at most 30 s) until no other session of the PostgreSQL cluster holds a snapshot
    /// taken before now: `VACUUM FULL` copies every row version such a snapshot may still see,
    /// the erased ones among them (a session starting up anywhere in the cluster holds one for
    /// a moment). Needs the right to read other sessions' `backend_xmin` (`pg_read_all_stats`).
    async fn outlive_older_snapshots(&self) -> StoreResult<()> {
        let mut conn = self.pool().acquire().await?;
        let now: String =
            sqlx::query_scalar("SELECT (pg_current_xact_id()::text::bigint % 4294967296)::text")
                .fetch_one(&mut *conn)
                .await?;
        for _ in 0..600 {
            let older: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() \
                 AND backend_xmin IS NOT NULL AND age(backend_xmin) > age($1::xid)",
            )
            .bind(&now)
            .fetch_one(&mut *conn)
            .await?;
            if older == 0 {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(StoreError(
            "a database session kept a snapshot older than the erasure for 30 s; run \
             `pishkhan purge --compact` again"
                .into(),
        ))
    }
}
