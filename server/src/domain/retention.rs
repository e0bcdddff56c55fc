//! The retention table: how long each kind of record is kept and where that comes from, one
//! dated row per kind (docs/retention.md shows the same table; a test keeps the two in step).
//! `services::retention::purge` erases what is due by it.

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// One kind of record the server keeps, and what purging it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An exemption A2 whose registration permit the deputy cancelled (`permit_cancelled`).
    CancelledA2Permit,
    /// A request at any other end of its process (issued, not issued, ruled, cleared, …).
    FinishedRequest,
    /// An `Idempotency-Key` and the answer it replays (a filing in progress or done).
    IdempotencyKey,
    /// A staff session (`sessions`).
    StaffSession,
    /// A signed-in person's session (`person_sessions`).
    PersonSession,
    /// An applicant's session on one request (`applicant_sessions`).
    ApplicantSession,
    /// A one-time code on a request (`one_time_codes`).
    OneTimeCode,
    /// A sign-in code of a person on the roster (`person_codes`).
    PersonCode,
    /// An OpenID sign-in in progress (`oidc_logins`).
    OidcLogin,
    /// An SMS sent (or never sendable) from the outbox (`notifications`).
    SentNotification,
    /// The record that a deadline reminder was queued (`reminders_sent`, docs/reminders.md).
    SentReminder,
    /// A person's "no deadline reminders" (`reminder_opt_outs`, by an HMAC of the national ID).
    ReminderOptOut,
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub kind: Kind,
    /// The kind's name in `pishkhan purge`'s counts and in docs/retention.md.
    pub id: &'static str,
    /// Days kept after `from`; `None`: kept, no period decided.
    pub days: Option<i64>,
    /// The moment the period runs from.
    pub from: &'static str,
    /// What is erased when it is due.
    pub erases: &'static str,
    /// Where the period comes from: the seed or the spec, or "project decision" and why.
    pub source: &'static str,
    /// The day the row took effect (ISO 8601).
    pub since: &'static str,
}

impl Rule {
    /// Records whose `from` moment is before this are due at `now` (Unix seconds); `None`: never.
    pub fn due_before(&self, now: i64) -> Option<i64> {
        self.days.map(|d| now - d * DAY)
    }
}

/// The table, one row per kind.
pub const TABLE: &[Rule] = &[
    Rule {
        kind: Kind::CancelledA2Permit,
        id: "cancelled_a2_permit",
        days: Some(30),
        from: "the cancellation (the request's last move, into permit_cancelled)",
        erases:
            "the body, national ID, mobiles, university, county and faculty, the attached files \
                 (their bytes too, unless another request uses the same file), the audit rows' \
                 notes and data, its notifications, codes, sessions, idempotency keys and Art. 34 \
                 events; the row stays as a tombstone (tracking code, process, state, version, \
                 dates, erased_at) and its audit chain still verifies",
        source: "Seed 000 A2 step 5 and spec/processes.md A2 step 5: the deputy records the \
                 cancellation and destroys the records \"by the applicable procedure\". The \
                 procedure gives no period; project decision: 30 days, so that a cancellation \
                 made in error can still be seen and the paper records destroyed alongside",
        since: "2026-12-07",
    },
    Rule {
        kind: Kind::FinishedRequest,
        id: "finished_request",
        days: None,
        from: "the request's last move",
        erases: "nothing yet",
        source: "Project decision: an issued exemption, a withdrawal ruling or a clearance is the \
                 student's proof for years (Art. 34 deadlines, later levels of study); no \
                 procedure we have names a period, so none is set until one is given",
        since: "2026-12-07",
    },
    Rule {
        kind: Kind::IdempotencyKey,
        id: "idempotency_key",
        days: Some(30),
        from: "its use (created_at)",
        erases: "the key and the answer it replays, whatever its state (an abandoned filing's too)",
        source: "Project decision: no client retries a filing after a month (the app's outbox \
                 sends within minutes or days); the request itself keeps its receipt's facts. \
                 The only server-side drafts are these keys: drafts live on the device",
        since: "2026-12-07",
    },
    Rule {
        kind: Kind::StaffSession,
        id: "staff_session",
        days: Some(1),
        from: "its expiry",
        erases: "the session row",
        source: "Project decision: an expired session signs no one in; a day covers a clock step",
        since: "2026-12-07",
    },
    Rule {
        kind: Kind::PersonSession,
        id: "person_session",
        days: Some(1),
        from: "its expiry",
        erases: "the session row (national ID, student number, mobile, faculty, level)",
        source: "Project decision: an expired session signs no one in; a day covers a clock step",
        since: "2026-12-07",
    },
    Rule {
        kind: Kind::ApplicantSession,
        id: "applicant_session",
        days: Some(1),
        from: "its expiry",
        erases: "the session row",
        source: "Project decision: an expired session signs no one in; a day covers a clock step",
        since: "2026-12-07",
    },
    Rule {
        kind: Kind::OneTimeCode,
        id: "one_time_code",
        days: Some(1),
        from: "its expiry",
        erases: "the code's hash and its attempts",
        source: "Project decision: the per-person limit looks back 15 minutes; an expired code \
                 is of no use after that",
        since: "2026-12-07",
    },
    Rule {
        kind: Kind::PersonCode,
        id: "person_code",
        days: Some(1),
        from: "its expiry",
        erases: "the code's hash, the national ID it was for, its attempts",
        source: "Project decision: the per-person limit looks back 15 minutes; an expired code \
                 is of no use after that",
        since: "2026-12-07",
    },
    Rule {
        kind: Kind::OidcLogin,
        id: "oidc_login",
        days: Some(1),
        from: "its expiry (ten minutes after the redirect)",
        erases: "the state's hash, PKCE verifier, nonce and return address",
        source: "Project decision: a sign-in in progress is single-use and lives ten minutes",
        since: "2026-12-07",
    },
    Rule {
        kind: Kind::SentNotification,
        id: "sent_notification",
        days: Some(90),
        from: "its sending or giving up (sent_at, gave_up_at)",
        erases: "the message row (mobile and text)",
        source: "Project decision: the admin's SMS log answers \"was I told?\" for a season; the \
                 move it told of stays in the audit trail",
        since: "2026-12-07",
    },
    Rule {
        kind: Kind::SentReminder,
        id: "sent_reminder",
        days: Some(90),
        from: "its queuing (queued_at)",
        erases: "the row (request, reminder, deadline, the notification's id); also with its \
                 request when that is erased",
        source: "Project decision: the row keeps a reminder from being sent twice; a reminder is \
                 queued at most 60 days before its deadline and never after it, so 90 days on \
                 its deadline has passed and the row guards nothing (docs/reminders.md)",
        since: "2026-12-07",
    },
    Rule {
        kind: Kind::ReminderOptOut,
        id: "reminder_opt_out",
        days: None,
        from: "the person turning reminders off",
        erases: "nothing by time: the row (an HMAC of the national ID, the moment) is deleted \
                 when the person turns reminders on again",
        source: "Project decision: the person's own choice, kept until they change it; it names \
                 no one (the HMAC under the server key cannot be read back)",
        since: "2026-12-07",
    },
];

/// The row of a kind.
pub fn rule(kind: Kind) -> &'static Rule {
    TABLE
        .iter()
        .find(|r| r.kind == kind)
        .expect("every kind has a row")
}

/// The table as docs/retention.md shows it (a Markdown table).
pub fn markdown() -> String {
    let mut out = String::from(
        "| kind | kept | from | erases | source | since |\n|---|---|---|---|---|---|\n",
    );
    for r in TABLE {
        let kept = r
            .days
            .map_or("no period decided".to_owned(), |d| format!("{d} days"));
        out.push_str(&format!(
            "| `{}` | {kept} | {} | {} | {} | {} |\n",
            r.id, r.from, r.erases, r.source, r.since
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_kind_and_the_doc_shows_the_table() {
        let mut ids: Vec<&str> = TABLE.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), TABLE.len());
        let doc =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/retention.md"))
                .unwrap();
        assert!(
            doc.contains(&markdown()),
            "docs/retention.md must hold the table as domain::retention::markdown() writes it:\n{}",
            markdown()
        );
    }

    #[test]
    fn due_is_the_period_before_now() {
        let r = rule(Kind::CancelledA2Permit);
        assert_eq!(r.due_before(100 * DAY), Some(70 * DAY));
        assert_eq!(rule(Kind::FinishedRequest).due_before(100 * DAY), None);
    }
}
