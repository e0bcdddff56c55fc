//! Deadline reminders' SQL (issue 16, docs/reminders.md): the requests whose deadline may have a
//! reminder due, narrowed by indexed columns (`rules::reminders` decides); queuing a reminder's
//! SMS exactly once per (request, reminder, deadline) — its `reminders_sent` row and the
//! notification in one transaction, the SMS only if the row was new — and the people who turned
//! reminders off (`reminder_opt_outs`, by an HMAC of the national ID).

use rules::level::StudyEnd;
use rules::reminders::Facts;
use rules::workflow::State;
use rules::JalaliDate;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::workflow::queue_notification;
use super::{Store, StoreResult};

/// A request whose deadline may have a reminder due, as the pass needs it.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub request_id: i64,
    pub national_id: String,
    /// The request's bound mobile (`requests.mobile`); `None`: nobody to send to.
    pub mobile: Option<String>,
    /// The applicant answered "no SMS" (`sms_opt_in: false`) on the request.
    pub sms_declined: bool,
    pub facts: Facts,
}

/// One reminder to queue.
pub struct QueuedReminder<'a> {
    pub request_id: i64,
    /// `rules::reminders::Reminder::id`.
    pub reminder: &'a str,
    pub deadline: JalaliDate,
    /// The HMAC of the person's national ID their opt-out would be stored by.
    pub person_hmac: &'a str,
    pub mobile: &'a str,
    pub message_fa: &'a str,
    pub message_en: &'a str,
}

fn declined(row: &AnyRow) -> bool {
    let body: Option<String> = row.get("body");
    body.and_then(|b| serde_json::from_str::<serde_json::Value>(&b).ok())
        .is_some_and(|b| b["answers"]["sms_opt_in"] == false)
}

fn candidate(row: &AnyRow, facts: Facts) -> Candidate {
    Candidate {
        request_id: row.get("id"),
        national_id: row.get("national_id"),
        mobile: row.get("mobile"),
        sms_declined: declined(row),
        facts,
    }
}

fn day(row: &AnyRow, column: &str) -> Option<JalaliDate> {
    JalaliDate::parse(row.get::<Option<String>, _>(column)?.as_str()).ok()
}

impl Store {
    /// Art. 34 events dated in `[from, to]` (`rules::reminders::presentation_event_window`), each
    /// with the request it reminds through — its own (a withdrawal ruling's), else the person's
    /// latest — and whether the person has since had an exemption issued (resumed study).
    pub async fn presentation_candidates(
        &self,
        from: JalaliDate,
        to: JalaliDate,
    ) -> StoreResult<Vec<Candidate>> {
        self.candidates(
            "SELECT r.id, r.national_id, r.mobile, r.body, c.event, c.event_date, c.resumed \
             FROM (SELECT e.event, e.event_date, \
                 COALESCE(e.request_id, (SELECT MAX(x.id) FROM requests x \
                                         WHERE x.national_id = e.national_id)) AS request_id, \
                 CASE WHEN EXISTS (SELECT 1 FROM requests x WHERE x.national_id = e.national_id \
                   AND x.kind = 'exemption' AND x.status = 'issued' \
                   AND x.submitted_jalali >= e.event_date) THEN 1 ELSE 0 END AS resumed \
               FROM art34_events e WHERE e.event_date >= $1 AND e.event_date <= $2) c \
             JOIN requests r ON r.id = c.request_id WHERE r.erased_at IS NULL ORDER BY r.id",
            from,
            to,
            |row| {
                let event = StudyEnd::from_id(row.get::<String, _>("event").as_str())?;
                Some(Facts::Presentation {
                    event,
                    event_date: day(row, "event_date")?,
                    resumed: row.get::<i64, _>("resumed") != 0,
                })
            },
        )
        .await
    }

    /// Issued exemptions ending in `[from, to]`, and whether each was renewed (a later
    /// exemption of the person issued) or its study ended (an Art. 34 event on or after its
    /// filing).
    pub async fn exemption_candidates(
        &self,
        from: JalaliDate,
        to: JalaliDate,
    ) -> StoreResult<Vec<Candidate>> {
        self.candidates(
            "SELECT r.id, r.national_id, r.mobile, r.body, r.status, r.exemption_until, \
                   CASE WHEN EXISTS (SELECT 1 FROM requests x WHERE x.national_id = r.national_id \
                       AND x.kind = 'exemption' AND x.status = 'issued' AND x.id > r.id) \
                     OR EXISTS (SELECT 1 FROM art34_events e WHERE e.national_id = r.national_id \
                       AND e.event_date >= r.submitted_jalali) THEN 1 ELSE 0 END AS superseded \
                 FROM requests r WHERE r.status = 'issued' AND r.exemption_until >= $1 \
                   AND r.exemption_until <= $2 ORDER BY r.id",
            from,
            to,
            |row| {
                Some(Facts::ExemptionEnd {
                    state: State::parse(row.get::<String, _>("status").as_str())?,
                    until: day(row, "exemption_until")?,
                    superseded: row.get::<i64, _>("superseded") != 0,
                })
            },
        )
        .await
    }

    /// Withdrawals whose revocation deadline is in `[from, to]`, with the person's revocations.
    pub async fn revocation_candidates(
        &self,
        from: JalaliDate,
        to: JalaliDate,
    ) -> StoreResult<Vec<Candidate>> {
        self.candidates(
            "SELECT r.id, r.national_id, r.mobile, r.body, r.status, r.submitted_jalali, \
                   (SELECT COUNT(*) FROM audit a JOIN requests x ON x.id = a.request_id \
                    WHERE x.national_id = r.national_id AND a.action = 'revoke') AS revocations \
                 FROM requests r WHERE r.revocation_deadline IS NOT NULL \
                   AND r.revocation_deadline >= $1 AND r.revocation_deadline <= $2 ORDER BY r.id",
            from,
            to,
            |row| {
                Some(Facts::Revocation {
                    state: State::parse(row.get::<String, _>("status").as_str())?,
                    submitted: day(row, "submitted_jalali")?,
                    revocations_used: u32::try_from(row.get::<i64, _>("revocations")).ok()?,
                })
            },
        )
        .await
    }

    /// The candidates a query finds (`$1`, `$2`: the window's first and last day), each with
    /// the facts `facts` reads from its row (a row it cannot read is left out).
    async fn candidates(
        &self,
        sql: &str,
        from: JalaliDate,
        to: JalaliDate,
        facts: impl Fn(&AnyRow) -> Option<Facts>,
    ) -> StoreResult<Vec<Candidate>> {
        let rows = sqlx::query(sql)
            .bind(from.to_machine())
            .bind(to.to_machine())
            .fetch_all(self.pool())
            .await?;
        Ok(rows
            .iter()
            .filter_map(|row| Some(candidate(row, facts(row)?)))
            .collect())
    }

    /// Queues a reminder's SMS unless the person turned reminders off or it was queued before:
    /// its `reminders_sent` row (`ON CONFLICT DO NOTHING`) and the notification are written in
    /// one transaction, the notification only when the row is new. Whether it was queued now.
    /// Two passes at once (two instances) both try the insert; the second waits for the first's
    /// commit (its key is taken) and queues nothing.
    pub async fn queue_reminder(&self, r: &QueuedReminder<'_>, now: i64) -> StoreResult<bool> {
        let (_turn, mut tx) = self.begin_write().await?;
        let off: Option<i64> =
            sqlx::query_scalar("SELECT opted_out_at FROM reminder_opt_outs WHERE person_hmac = $1")
                .bind(r.person_hmac)
                .fetch_optional(&mut *tx)
                .await?;
        if off.is_some() {
            tx.rollback().await?;
            return Ok(false);
        }
        let deadline = r.deadline.to_machine();
        let new: Option<i64> = sqlx::query_scalar(
            "INSERT INTO reminders_sent (request_id, reminder, deadline, queued_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING request_id",
        )
        .bind(r.request_id)
        .bind(r.reminder)
        .bind(&deadline)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        if new.is_none() {
            tx.rollback().await?;
            return Ok(false);
        }
        let id = queue_notification(
            &mut tx,
            Some(r.request_id),
            &format!("reminder:{}", r.reminder),
            Some(r.mobile),
            r.message_fa,
            r.message_en,
            now,
        )
        .await?;
        sqlx::query(
            "UPDATE reminders_sent SET notification_id = $1 \
             WHERE request_id = $2 AND reminder = $3 AND deadline = $4",
        )
        .bind(id)
        .bind(r.request_id)
        .bind(r.reminder)
        .bind(&deadline)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Turns the person's reminders off (`true`) or on again (`false`).
    pub async fn set_reminders_off(
        &self,
        person_hmac: &str,
        off: bool,
        now: i64,
    ) -> StoreResult<()> {
        let statement = if off {
            "INSERT INTO reminder_opt_outs (person_hmac, opted_out_at) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING"
        } else {
            "DELETE FROM reminder_opt_outs WHERE person_hmac = $1 AND $2 >= 0"
        };
        sqlx::query(statement)
            .bind(person_hmac)
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Whether the person turned reminders off.
    pub async fn reminders_off(&self, person_hmac: &str) -> StoreResult<bool> {
        let off: Option<i64> =
            sqlx::query_scalar("SELECT opted_out_at FROM reminder_opt_outs WHERE person_hmac = $1")
                .bind(person_hmac)
                .fetch_optional(self.pool())
                .await?;
        Ok(off.is_some())
    }
}
