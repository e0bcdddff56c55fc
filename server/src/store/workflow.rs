//! The staff side's SQL: reading requests as the workflow sees them, moving one in a single
//! transaction (state, version, chained audit rows, notifications, Art. 34 events), cartables,
//! reading the audit trail back for the detail page and the chain's verification, and the
//! revocations a person has used (counted from the audit trail).

use rules::requests::ClearanceOffice;
use rules::workflow::{Process, State};
use rules::JalaliDate;
use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::universities::{bind_scope, scope_filter};
use super::{university_of, Store, StoreResult};
use crate::domain::audit::{self, Entry, StoredRow};
use crate::domain::codes::with_code;
use crate::domain::sms::{Attempt, Delivery};
use crate::domain::submission;
use crate::domain::universities::{Scope, UniversityId, DEFAULT_UNIVERSITY};
use crate::domain::workflow::{Planned, Stored};

const REQUEST_COLUMNS: &str = "id, tracking_code, kind, process, status, version, national_id, \
     mobile, body, submitted_at, submitted_jalali, evening_course, university, county, faculty, \
     identity_mobile, updated_at, handle, university_id, route";

fn stored(row: &AnyRow) -> Option<Stored> {
    let body: String = row.get("body");
    let submitted: String = row.get("submitted_jalali");
    let kind: String = row.get("kind");
    let process: Option<String> = row.get("process");
    let process = match process.as_deref() {
        Some(p) => Process::ALL.into_iter().find(|x| x.id() == p)?,
        None => crate::domain::workflow::process_of_kind(&kind),
    };
    let submitted_at: i64 = row.get("submitted_at");
    Some(Stored {
        id: row.get("id"),
        tracking_code: row.get("tracking_code"),
        handle: row.get("handle"),
        kind,
        process,
        state: State::parse(row.get::<String, _>("status").as_str())?,
        version: row.get("version"),
        national_id: row.get("national_id"),
        mobile: row.get("mobile"),
        body: serde_json::from_str(&body).unwrap_or(Value::Null),
        submitted_at,
        submitted: JalaliDate::parse(&submitted).ok()?,
        evening_course: row.get::<i64, _>("evening_course") != 0,
        university: row.get("university"),
        county: row.get("county"),
        faculty: row.get("faculty"),
        identity_mobile: row.get("identity_mobile"),
        university_id: row
            .get::<Option<i64>, _>("university_id")
            .map_or(DEFAULT_UNIVERSITY, UniversityId),
        route: row
            .get::<Option<String>, _>("route")
            .and_then(|r| serde_json::from_str(&r).ok()),
        updated_at: row
            .get::<Option<i64>, _>("updated_at")
            .unwrap_or(submitted_at),
    })
}

/// How long an instance holds the messages it took to send (it sends them within seconds; a
/// dead instance's are sent by another one after this).
pub const CLAIM_SECONDS: i64 = 300;

/// What a move's planner decided.
#[derive(Default)]
pub struct Decision {
    pub moves: Vec<Planned>,
    /// The request's new body (a corrected exemption, a justification), if it changes.
    pub body: Option<Value>,
    /// The payment (its id) whose verification makes these moves: marked `applied` in the same
    /// transaction, so it is never refunded (`routes::payments`).
    pub pays_with: Option<i64>,
}

/// A cartable: per-state counts and the first requests.
pub struct Cartable {
    pub counts: Vec<(String, i64)>,
    pub requests: Vec<Stored>,
}

/// A queued SMS, as the sender gets it (a one-time code's digits put back in from the row's
/// `secret`, which is erased once it is sent).
pub struct Outgoing {
    pub id: i64,
    pub tracking_code: Option<String>,
    pub kind: String,
    pub mobile: Option<String>,
    pub message_fa: String,
    /// A one-time code's digits (the row's `secret`), for a provider's verification template.
    pub code: Option<String>,
    /// The attempts made before this one.
    pub attempts: i64,
}

/// A notification as the admin page lists it.
pub struct SentNotification {
    pub id: i64,
    pub tracking_code: Option<String>,
    pub kind: String,
    pub mobile: Option<String>,
    pub message_fa: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// When it is tried again (a transient failure).
    pub next_attempt_at: Option<i64>,
    /// When it was given up (a permanent failure, or too many attempts).
    pub gave_up_at: Option<i64>,
    /// The provider's delivery status of a sent message (`domain::sms::Delivery`).
    pub delivery: Option<String>,
}

impl Store {
    /// Withdrawals this person has taken back (`rules.md` §5: only once).
    pub async fn revocations_used(&self, national_id: &str) -> StoreResult<u32> {
        count_revocations(self.pool(), national_id).await
    }

    /// The request with this tracking code (12 digits).
    /// The tracking code (its digits) of the request with this opaque handle (staff URLs).
    pub async fn code_of_handle(&self, handle: &str) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT tracking_code FROM requests WHERE handle = $1")
                .bind(handle)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    pub async fn stored_request(&self, code_digits: &str) -> StoreResult<Option<Stored>> {
        let row = sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM requests WHERE tracking_code = $1"
        ))
        .bind(code_digits)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.as_ref().and_then(stored))
    }

    /// Moves the request with this tracking code in one write transaction: reads it (locking its
    /// row on PostgreSQL), the revocations its student has used and the offices (a clearance's
    /// route, else its university's); asks `decide`
    /// (which checks the role, scope, version and runs `rules::workflow::apply`); then writes
    /// the new state and
    /// version, the chained audit rows, the notifications and Art. 34 events, and commits.
    /// `Ok(None)`: no request has this code. The refusal of `decide` is handed back as is.
    pub async fn move_request<E>(
        &self,
        code_digits: &str,
        now: i64,
        decide: impl FnOnce(&Stored, u32, &[ClearanceOffice]) -> Result<Decision, E>,
    ) -> StoreResult<Option<Result<Stored, E>>> {
        let (_turn, mut tx) = self.begin_write().await?;
        // On PostgreSQL the row stays locked until the commit: a move of the same request from
        // another instance waits here, then reads the version this one wrote.
        let row = sqlx::query(&format!(
            "SELECT {REQUEST_COLUMNS} FROM requests WHERE tracking_code = $1{}",
            self.engine().for_update()
        ))
        .bind(code_digits)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(request) = row.as_ref().and_then(stored) else {
            return Ok(None);
        };
        let revocations = count_revocations(&mut *tx, &request.national_id).await?;
        // A clearance walks the route it was filed with.
        let offices = match &request.route {
            Some(route) => route.clone(),
            None => super::offices::read_offices(&mut tx, request.university_id).await?,
        };
        let decision = match decide(&request, revocations, &offices) {
            Ok(decision) => decision,
            Err(refused) => return Ok(Some(Err(refused))),
        };
        let Some(last) = decision.moves.last() else {
            return Ok(Some(Ok(request)));
        };
        let n = decision.moves.len() as i64;
        let new_body = decision.body.unwrap_or_else(|| request.body.clone());
        // The copied columns follow the body on every write (a correction moves the request to
        // the scope and the mobile it now names).
        let copied = submission::copied(
            &request.kind,
            &new_body,
            request.mobile.clone(),
            request.identity_mobile.as_deref(),
        );
        // The university follows the new answers (`$5`) in the same write.
        let (university_id,): (i64,) = sqlx::query_as(&format!(
            "UPDATE requests SET status = $1, version = version + $2, updated_at = $3, body = $4, \
             university = $5, county = $6, faculty = $7, mobile = $8, university_id = {}, \
             exemption_until = $11 WHERE id = $9 AND version = $10 RETURNING university_id",
            university_of(
                "requests.kind",
                "$5",
                "requests.national_id",
                "requests.identity_university_id"
            )
        ))
        .bind(last.to.id())
        .bind(n)
        .bind(now)
        .bind(new_body.to_string())
        .bind(&copied.university)
        .bind(&copied.county)
        .bind(&copied.faculty)
        .bind(&copied.mobile)
        .bind(request.id)
        .bind(request.version)
        .bind(&copied.exemption_until)
        .fetch_one(&mut *tx)
        .await?;
        let entries: Vec<&Entry> = decision.moves.iter().map(|m| &m.entry).collect();
        append_audit(
            &mut tx,
            self.audit_key(),
            request.id,
            &request.tracking_code,
            &entries,
        )
        .await?;
        let opted_out = new_body["answers"]["sms_opt_in"] == false;
        for planned in &decision.moves {
            if let Some(n) = &planned.notify {
                let mobile = if opted_out {
                    None
                } else {
                    copied.mobile.as_deref()
                };
                let kind = serde_json::to_value(n.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                queue_notification(
                    &mut tx,
                    Some(request.id),
                    &kind,
                    mobile,
                    &n.message_fa,
                    &n.message_en,
                    now,
                )
                .await?;
            }
            if let Some((event, date)) = planned.art34 {
                sqlx::query(
                    "INSERT INTO art34_events (national_id, event, event_date, request_id, \
                     recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&request.national_id)
                .bind(event)
                .bind(date.to_machine())
                .bind(request.id)
                .bind(&planned.entry.actor)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        if let Some(payment) = decision.pays_with {
            sqlx::query("UPDATE payments SET applied = 1 WHERE id = $1")
                .bind(payment)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Some(Ok(Stored {
            state: last.to.clone(),
            version: request.version + n,
            updated_at: now,
            body: new_body,
            university: copied.university,
            county: copied.county,
            faculty: copied.faculty,
            mobile: copied.mobile,
            university_id: UniversityId(university_id),
            ..request
        })))
    }

    /// The requests in `states` of `processes` within `scope` (its university, faculty or
    /// county), with per-state counts; `search` is 12 tracking-code digits or a national ID.
    pub async fn cartable(
        &self,
        states: &[String],
        scope: &Scope,
        process: Option<&str>,
        state: Option<&str>,
        search: Option<&str>,
        limit: i64,
    ) -> StoreResult<Cartable> {
        if states.is_empty() {
            return Ok(Cartable {
                counts: Vec::new(),
                requests: Vec::new(),
            });
        }
        let mut filter = format!(
            " FROM requests WHERE status IN ({})",
            vec!["?"; states.len()].join(", ")
        );
        let (scope_sql, scope_values) = scope_filter(scope, "");
        filter.push_str(&scope_sql);
        if process.is_some() {
            filter.push_str(" AND process = ?");
        }
        if search.is_some() {
            filter.push_str(" AND (tracking_code = ? OR national_id = ?)");
        }
        macro_rules! bind_filter {
            ($q:expr) => {{
                let mut q = $q;
                for s in states {
                    q = q.bind(s);
                }
                q = bind_scope!(q, &scope_values);
                if let Some(p) = process {
                    q = q.bind(p);
                }
                if let Some(s) = search {
                    q = q.bind(s).bind(s);
                }
                q
            }};
        }
        let count_sql = super::numbered(&format!(
            "SELECT status, COUNT(*){filter} GROUP BY status ORDER BY status"
        ));
        let counts: Vec<(String, i64)> = bind_filter!(sqlx::query_as(&count_sql))
            .fetch_all(self.pool())
            .await?;
        let state_filter = if state.is_some() {
            " AND status = ?"
        } else {
            ""
        };
        let list_sql = super::numbered(&format!(
            "SELECT {REQUEST_COLUMNS}{filter}{state_filter} ORDER BY updated_at, id LIMIT ?"
        ));
        let mut q = bind_filter!(sqlx::query(&list_sql));
        if let Some(s) = state {
            q = q.bind(s);
        }
        let rows = q.bind(limit).fetch_all(self.pool()).await?;
        Ok(Cartable {
            counts,
            requests: rows.iter().filter_map(stored).collect(),
        })
    }

    /// A request's audit rows, oldest first.
    pub async fn audit_rows(&self, request_id: i64) -> StoreResult<Vec<StoredRow>> {
        audit_rows_of(self.pool(), request_id).await
    }

    /// Checks every request's chain: (requests, rows, broken: (tracking code, row id, why)).
    pub async fn verify_audit(
        &self,
    ) -> StoreResult<(i64, i64, Vec<(String, Option<i64>, String)>)> {
        let requests: Vec<(i64, String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, tracking_code, version, erased_at FROM requests ORDER BY id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut broken = Vec::new();
        let mut rows_seen = 0;
        for (id, code, version, erased_at) in &requests {
            let rows = self.audit_rows(*id).await?;
            rows_seen += rows.len() as i64;
            let erased = erased_at.is_some();
            if let Some((row, why)) =
                audit::check_chain(self.audit_key(), code, *id, *version, &rows, erased)
            {
                broken.push((code.clone(), row, why.to_owned()));
            }
        }
        Ok((requests.len() as i64, rows_seen, broken))
    }

    /// Chains the audit rows of the chain's older forms in its keyed one, once (migration 0009):
    /// the rows written before the chain existed (migration 0002), and the unkeyed chain's rows
    /// when they verify. A broken older chain is left as it is, and verification shows it.
    pub(super) async fn rechain_audit(&self) -> StoreResult<u64> {
        let pending: Vec<(i64, String)> = sqlx::query_as(
            "SELECT DISTINCT r.id, r.tracking_code FROM audit a JOIN requests r \
             ON r.id = a.request_id WHERE a.note_hash IS NULL",
        )
        .fetch_all(self.pool())
        .await?;
        let mut converted = 0;
        for (id, code) in &pending {
            let (_turn, mut tx) = self.begin_write().await?;
            let rows = audit_rows_of(&mut *tx, *id).await?;
            let Some(chain) = audit::rechain(self.audit_key(), code, *id, &rows) else {
                tracing::warn!(
                    request_id = id,
                    "an older audit chain is broken; left as is"
                );
                continue;
            };
            for row in &chain {
                sqlx::query(
                    "UPDATE audit SET actor_role = $1, note_hash = $2, data_hash = $3, \
                     prev_hash = $4, row_hash = $5 WHERE id = $6",
                )
                .bind(&row.actor_role)
                .bind(&row.hashes.note)
                .bind(&row.hashes.data)
                .bind(&row.prev_hash)
                .bind(&row.row_hash)
                .bind(row.id)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            converted += 1;
        }
        Ok(converted)
    }

    /// Takes up to `limit` messages not sent, not given up and due (`next_attempt_at` passed),
    /// oldest first, for [`CLAIM_SECONDS`] from `now`: no other instance takes them meanwhile
    /// (on PostgreSQL two instances claiming at once pass over each other's rows), and if this
    /// one dies before recording the attempt, they are taken again when the claim has run out.
    pub async fn claim_notifications(&self, now: i64, limit: i64) -> StoreResult<Vec<Outgoing>> {
        let ids: Vec<i64> = sqlx::query_scalar(&format!(
            "UPDATE notifications SET claimed_by = $1, claimed_until = $2 WHERE id IN \
             (SELECT id FROM notifications WHERE sent_at IS NULL AND gave_up_at IS NULL \
              AND (next_attempt_at IS NULL OR next_attempt_at <= $3) \
              AND (claimed_until IS NULL OR claimed_until < $4) ORDER BY id LIMIT $5{}) \
             RETURNING id",
            self.engine().skip_locked()
        ))
        .bind(self.instance())
        .bind(now + CLAIM_SECONDS)
        .bind(now)
        .bind(now)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut params = super::Params::new();
        let list: Vec<String> = ids.iter().map(|id| params.bind(*id)).collect();
        type Row = (
            i64,
            Option<String>,
            String,
            Option<String>,
            String,
            Option<String>,
            i64,
        );
        let sql = format!(
            "SELECT n.id, r.tracking_code, n.kind, n.mobile, n.message_fa, n.secret, \
             CAST(n.attempts AS BIGINT) FROM notifications n \
             LEFT JOIN requests r ON r.id = n.request_id WHERE n.id IN ({}) ORDER BY n.id",
            list.join(", ")
        );
        let rows: Vec<Row> = sqlx::query_as_with(&sql, params.finish()?)
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, tracking_code, kind, mobile, message_fa, secret, attempts)| Outgoing {
                    id,
                    tracking_code,
                    kind,
                    mobile,
                    message_fa: match &secret {
                        Some(code) => with_code(&message_fa, code, true),
                        None => message_fa,
                    },
                    code: secret,
                    attempts,
                },
            )
            .collect())
    }

    /// Records a sending attempt at `now` and ends its claim: sent (the provider's message id
    /// kept; with no mobile, nothing was sent and `last_error` keeps why, its delivery `pending` when there is one to ask about; a code's digits erased),
    /// tried again at `retry_at` with the error, or given up with the error (a code's digits
    /// erased: it will never be sent).
    pub async fn record_attempt(
        &self,
        id: i64,
        now: i64,
        attempt: &Attempt,
        retry_at: i64,
    ) -> StoreResult<()> {
        let query = match attempt {
            Attempt::Sent { provider_id } => sqlx::query(
                "UPDATE notifications SET attempts = attempts + 1, last_attempt_at = $1, \
                 last_error = CASE WHEN mobile IS NULL THEN last_error ELSE NULL END, sent_at = $2, next_attempt_at = NULL, provider_id = $3, \
                 delivery = CASE WHEN $4 IS NULL THEN NULL ELSE 'pending' END, \
                 claimed_by = NULL, claimed_until = NULL, secret = NULL WHERE id = $5",
            )
            .bind(now)
            .bind(now)
            .bind(provider_id.clone())
            .bind(provider_id.clone()),
            Attempt::Retry(error) => sqlx::query(
                "UPDATE notifications SET attempts = attempts + 1, last_attempt_at = $1, \
                 last_error = $2, next_attempt_at = $3, \
                 claimed_by = NULL, claimed_until = NULL WHERE id = $4",
            )
            .bind(now)
            .bind(error.clone())
            .bind(retry_at),
            Attempt::GiveUp(error) => sqlx::query(
                "UPDATE notifications SET attempts = attempts + 1, last_attempt_at = $1, \
                 last_error = $2, gave_up_at = $3, next_attempt_at = NULL, \
                 claimed_by = NULL, claimed_until = NULL, secret = NULL WHERE id = $4",
            )
            .bind(now)
            .bind(error.clone())
            .bind(now),
        };
        query.bind(id).execute(self.pool()).await?;
        Ok(())
    }

    /// Up to `limit` sent messages whose delivery is still `pending` and was last asked before
    /// `asked_before` (or never), sent after `sent_after` (older ones are left as they are):
    /// (row id, the provider's message id).
    pub async fn deliveries_to_check(
        &self,
        asked_before: i64,
        sent_after: i64,
        limit: i64,
    ) -> StoreResult<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT id, provider_id FROM notifications WHERE delivery = 'pending' \
             AND provider_id IS NOT NULL AND sent_at > $1 \
             AND (delivery_checked_at IS NULL OR delivery_checked_at <= $2) \
             ORDER BY sent_at LIMIT $3",
        )
        .bind(sent_after)
        .bind(asked_before)
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    /// Records a message's delivery status as the provider gave it at `now`.
    pub async fn record_delivery(&self, id: i64, delivery: Delivery, now: i64) -> StoreResult<()> {
        sqlx::query(
            "UPDATE notifications SET delivery = $1, delivery_checked_at = $2 WHERE id = $3",
        )
        .bind(delivery.as_str())
        .bind(now)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Erases the digits of the codes queued before `before` and never sent (no sender, or it
    /// kept failing): such a code has expired, so its SMS is dropped (no mobile to send to, as
    /// an SMS declined; `last_error` says why).
    pub async fn forget_code_secrets(&self, before: i64) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE notifications SET secret = NULL, mobile = NULL, \
             last_error = 'the code expired before it was sent' \
             WHERE secret IS NOT NULL AND created_at < $1",
        )
        .bind(before)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// The latest notifications, newest first.
    pub async fn notifications(&self, limit: i64) -> StoreResult<Vec<SentNotification>> {
        let rows = sqlx::query(
            "SELECT n.id, r.tracking_code, n.kind, n.mobile, n.message_fa, n.created_at, \
             n.sent_at, n.attempts, n.last_error, n.next_attempt_at, n.gave_up_at, n.delivery \
             FROM notifications n \
             LEFT JOIN requests r ON r.id = n.request_id ORDER BY n.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| SentNotification {
                id: r.get("id"),
                tracking_code: r.get("tracking_code"),
                kind: r.get("kind"),
                mobile: r.get("mobile"),
                message_fa: r.get("message_fa"),
                created_at: r.get("created_at"),
                sent_at: r.get("sent_at"),
                attempts: r.get("attempts"),
                last_error: r.get("last_error"),
                next_attempt_at: r.get("next_attempt_at"),
                gave_up_at: r.get("gave_up_at"),
                delivery: r.get("delivery"),
            })
            .collect())
    }
}

/// Withdrawals this person has taken back, read with `db` (the pool, or inside a move).
async fn count_revocations<'e>(
    db: impl sqlx::AnyExecutor<'e>,
    national_id: &str,
) -> StoreResult<u32> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit a JOIN requests r ON r.id = a.request_id \
         WHERE r.national_id = $1 AND a.action = 'revoke'",
    )
    .bind(national_id)
    .fetch_one(db)
    .await?;
    Ok(n as u32)
}

/// A request's audit rows, oldest first, read with `db` (the pool, or inside a transaction).
async fn audit_rows_of<'e>(
    db: impl sqlx::AnyExecutor<'e>,
    request_id: i64,
) -> StoreResult<Vec<StoredRow>> {
    let rows = sqlx::query(
        "SELECT id, at, from_status, to_status, action, actor, actor_role, note, data, \
         note_hash, data_hash, prev_hash, row_hash FROM audit WHERE request_id = $1 ORDER BY id",
    )
    .bind(request_id)
    .fetch_all(db)
    .await?;
    Ok(rows.iter().map(audit_row).collect())
}

fn audit_row(r: &AnyRow) -> StoredRow {
    StoredRow {
        id: r.get("id"),
        entry: Entry {
            at: r.get("at"),
            from: r.get("from_status"),
            to: r.get("to_status"),
            action: r.get("action"),
            actor: r.get("actor"),
            actor_role: r.get::<Option<String>, _>("actor_role").unwrap_or_default(),
            note: r.get("note"),
            data: r.get("data"),
        },
        note_hash: r.get("note_hash"),
        data_hash: r.get("data_hash"),
        prev_hash: r.get("prev_hash"),
        row_hash: r.get("row_hash"),
    }
}

/// Appends chained rows to a request's trail (after its last row, or from its genesis), each
/// counted for the dashboard (`move_deltas`, with the request's place as its row now says).
pub(super) async fn append_audit(
    conn: &mut AnyConnection,
    key: &audit::Key,
    request_id: i64,
    code_digits: &str,
    entries: &[&Entry],
) -> StoreResult<()> {
    let last: Option<(Option<String>, i64)> = sqlx::query_as(
        "SELECT row_hash, at FROM audit WHERE request_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(request_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (mut prev, mut previous_at) = match last {
        Some((hash, at)) => (hash.unwrap_or_default(), Some(at)),
        None => (audit::genesis(code_digits), None),
    };
    for entry in entries {
        super::dashboard::append_move_delta(conn, request_id, entry, previous_at).await?;
        previous_at = Some(entry.at);
        let hashes = audit::hashes(key, entry);
        let hash = audit::row_hash(&prev, request_id, entry, &hashes);
        sqlx::query(
            "INSERT INTO audit (request_id, at, from_status, to_status, action, actor, \
             actor_role, note, data, note_hash, data_hash, prev_hash, row_hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(request_id)
        .bind(entry.at)
        .bind(&entry.from)
        .bind(&entry.to)
        .bind(&entry.action)
        .bind(&entry.actor)
        .bind(&entry.actor_role)
        .bind(&entry.note)
        .bind(&entry.data)
        .bind(&hashes.note)
        .bind(&hashes.data)
        .bind(&prev)
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
        prev = hash;
    }
    Ok(())
}

/// Queues one SMS in the outbox (`services::notify` sends it): its row id.
pub(super) async fn queue_notification(
    conn: &mut AnyConnection,
    request_id: Option<i64>,
    kind: &str,
    mobile: Option<&str>,
    message_fa: &str,
    message_en: &str,
    now: i64,
) -> StoreResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO notifications (request_id, kind, mobile, message_fa, message_en, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(request_id)
    .bind(kind)
    .bind(mobile)
    .bind(message_fa)
    .bind(message_en)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}
