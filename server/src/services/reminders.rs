//! The reminders' pass (issue 16, docs/reminders.md): for `today`, the requests whose deadline
//! may have a reminder due (the store's windows, narrowed by indexed columns), what
//! `rules::reminders` says is due for each, and each due reminder's SMS queued once in the
//! notifications outbox (`Store::queue_reminder`). The server runs it hourly, claimed once
//! across instances ([`run_hourly`]); `pishkhan reminders --today` runs it by hand.

use std::time::Duration;

use rules::reminders::{deadline_window, presentation_event_window, reminder_due, Series};
use rules::JalaliDate;

use crate::store::reminders::{Candidate, QueuedReminder};
use crate::store::{Store, StoreResult};

/// What one pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    /// Requests looked at (the store's candidates).
    pub candidates: usize,
    /// Reminders due today.
    pub due: usize,
    /// Reminders queued now (due, not queued before, the person not opted out).
    pub queued: usize,
    /// Due but not queued: queued before, or the person turned reminders off.
    pub skipped: usize,
    /// Due but nobody to send to: no mobile, or the request declined SMS.
    pub no_mobile: usize,
}

/// Runs the pass for `today` (a Jalali day in Tehran), queuing at `now` (Unix seconds).
pub async fn run(store: &Store, today: JalaliDate, now: i64) -> StoreResult<Pass> {
    let (from, to) = presentation_event_window(today);
    let mut candidates: Vec<Candidate> = store.presentation_candidates(from, to).await?;
    let (from, to) = deadline_window(Series::ExemptionEnd, today);
    candidates.extend(store.exemption_candidates(from, to).await?);
    let (from, to) = deadline_window(Series::RevocationClosing, today);
    candidates.extend(store.revocation_candidates(from, to).await?);
    let mut pass = Pass {
        candidates: candidates.len(),
        ..Pass::default()
    };
    for c in &candidates {
        let Some(due) = reminder_due(&c.facts, today) else {
            continue;
        };
        pass.due += 1;
        let Some(mobile) = c.mobile.as_deref().filter(|_| !c.sms_declined) else {
            pass.no_mobile += 1;
            continue;
        };
        let person = store.secret_key().reminders_person(&c.national_id);
        let reminder = due.reminder.id();
        let queued = store
            .queue_reminder(
                &QueuedReminder {
                    request_id: c.request_id,
                    reminder: &reminder,
                    deadline: due.deadline,
                    person_hmac: &person,
                    mobile,
                    message_fa: &due.message_fa,
                    message_en: &due.message_en,
                },
                now,
            )
            .await?;
        if queued {
            pass.queued += 1;
        } else {
            pass.skipped += 1;
        }
    }
    Ok(pass)
}

/// The pass's period: an hour (a day's reminders go out within the hour after midnight in
/// Tehran, or after the server starts).
const HOUR: i64 = 3600;

/// The server's pass, once an hour across the instances sharing the database: each looks every
/// five minutes (and at start) whether it is due, and the one that claims it runs it for today
/// in Tehran.
pub async fn run_hourly(store: Store) {
    let store = &store;
    super::tasks::claimed_every(
        store,
        "reminders",
        Duration::from_secs(300),
        HOUR,
        |now| async move {
            match run(store, JalaliDate::today_in_tehran(now), now).await {
                Ok(p) => tracing::info!(
                    candidates = p.candidates,
                    due = p.due,
                    queued = p.queued,
                    "reminders pass"
                ),
                Err(e) => tracing::error!(error = %e, "reminders pass failed"),
            }
        },
    )
    .await
}
