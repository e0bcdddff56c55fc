//! Deadline reminders by SMS (issue 16): which reminders a request's deadlines have, on which
//! day each is due, whether the person has already acted, and the Persian text of each.
//!
//! Three series, each counted back from a deadline another rule computes:
//! - the Art. 34 presentation deadline (`present_by`, `presentation_deadline_art34_n1`): 30 and
//!   7 days before;
//! - an issued exemption's end (`exemption_until`, Art. 33 n.1, `precheck`): 60 and 14 days
//!   before;
//! - the withdrawal's revocation window closing (`revocation_deadline`,
//!   `withdrawal_revocation_n2`): 3 days before, while it can still be revoked.
//!
//! A reminder is due from its day up to the day before the deadline, and only the nearest of its
//! series whose day has come ([`due_in_series`]): a server that was down on the exact day sends
//! it later, never on or after the deadline, and never two of one series at once. The caller
//! sends each reminder at most once. "Today" is an argument; nothing here reads a clock.

use crate::date::JalaliDate;
use crate::digits::to_persian_digits;
use crate::level::StudyEnd;
use crate::presentation::{presentation_deadline_art34_n1, PresentationInput};
use crate::revocation::{withdrawal_revocation_n2, RevocationInput};
use crate::workflow::{edges, Action, Process, State};

/// A series of reminders before one kind of deadline.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Series {
    /// Art. 34 n.1: the last day to present for service (`present_by`).
    Presentation,
    /// Art. 33 n.1 (and n.2 with the commission's year): an issued exemption's last day.
    ExemptionEnd,
    /// Withdrawal procedure (seed 001) n.2: the last day a withdrawal can be taken back.
    RevocationClosing,
}

impl Series {
    pub const ALL: [Series; 3] = [
        Series::Presentation,
        Series::ExemptionEnd,
        Series::RevocationClosing,
    ];

    /// The days before the deadline on which a reminder is due, farthest first. The project's
    /// choice (issue 16), not a limit of the law.
    pub fn days_before(self) -> &'static [u32] {
        match self {
            Series::Presentation => &[30, 7],
            Series::ExemptionEnd => &[60, 14],
            Series::RevocationClosing => &[3],
        }
    }

    /// The deadline's name, the stem of each reminder's id.
    pub fn id(self) -> &'static str {
        match self {
            Series::Presentation => "present_by",
            Series::ExemptionEnd => "exemption_until",
            Series::RevocationClosing => "revocation_deadline",
        }
    }

    /// The article the deadline comes from.
    pub fn article(self) -> &'static str {
        match self {
            Series::Presentation => "Art. 34 n.1",
            Series::ExemptionEnd => "Art. 33 n.1",
            Series::RevocationClosing => "withdrawal procedure (seed 001) n.2",
        }
    }

    /// Every reminder of the series for `deadline`, with the day each is due, farthest first.
    pub fn schedule(self, deadline: JalaliDate) -> Vec<(Reminder, JalaliDate)> {
        self.days_before()
            .iter()
            .map(|&days| {
                (
                    Reminder {
                        series: self,
                        days_before: days,
                    },
                    deadline.add_days(-i64::from(days)),
                )
            })
            .collect()
    }
}

/// One reminder of a series: `days_before` the deadline.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Reminder {
    pub series: Series,
    pub days_before: u32,
}

impl Reminder {
    /// Stable machine name: `present_by_30`, `exemption_until_14`, `revocation_deadline_3`.
    pub fn id(self) -> String {
        format!("{}_{}", self.series.id(), self.days_before)
    }
}

/// The reminder of `series` due on `today` for `deadline`, if any: the nearest one (fewest days
/// before) whose day has come, while `today` is before the deadline. On the deadline itself and
/// after it, none: a reminder is for acting before it. A reminder missed on its day (the server
/// was down) is still due on the following days, until a nearer one of the series takes its
/// place.
pub fn due_in_series(series: Series, deadline: JalaliDate, today: JalaliDate) -> Option<Reminder> {
    if today >= deadline {
        return None;
    }
    series
        .schedule(deadline)
        .into_iter()
        .filter(|(_, on)| *on <= today)
        .map(|(reminder, _)| reminder)
        .next_back()
}

/// What the server knows of one request's deadline, read from the store.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Facts {
    /// An Art. 34 event (a withdrawal ruling, drop-out, expulsion or graduation). `resumed`: the
    /// person has since had an exemption issued for a new study (filed after the event), so they
    /// need not present (Art. 35); the system records no presentation itself.
    Presentation {
        event: StudyEnd,
        event_date: JalaliDate,
        resumed: bool,
    },
    /// An exemption request in `state`, whose exemption runs `until` (its pre-check's
    /// `exemption_until`). `superseded`: a later exemption of the person was issued (renewed),
    /// or their study ended (an Art. 34 event on or after the filing).
    ExemptionEnd {
        state: State,
        until: JalaliDate,
        superseded: bool,
    },
    /// A withdrawal request in `state`, submitted on `submitted`; the person's revocations so far.
    Revocation {
        state: State,
        submitted: JalaliDate,
        revocations_used: u32,
    },
}

/// A reminder to send today: which, its deadline, and the SMS text.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Due {
    pub reminder: Reminder,
    pub deadline: JalaliDate,
    pub message_fa: String,
    pub message_en: String,
}

/// Whether a withdrawal in `state` can still be taken back: the machine has a `revoke` move from
/// it (seed 001 note 2; every step before the ruling).
pub fn revocable_state(state: &State) -> bool {
    edges(Process::Withdrawal, &[])
        .iter()
        .any(|e| &e.from == state && e.action == Action::Revoke)
}

/// The reminder due on `today` for these facts, if any, with its text.
///
/// - Art. 34 n.1: 30 and 7 days before `present_by` (one year after the event), unless the
///   person has resumed study with a new exemption.
/// - Art. 33 n.1: 60 and 14 days before an issued exemption's last day, unless renewed or
///   study ended; a request not (or no longer) `issued` has none.
/// - Withdrawal procedure n.2: 3 days before the revocation deadline, only while the withdrawal
///   can still be revoked (`can_revoke`: in the window and none used) and its request is at a
///   step from which it may be revoked.
pub fn reminder_due(facts: &Facts, today: JalaliDate) -> Option<Due> {
    match facts {
        Facts::Presentation {
            event,
            event_date,
            resumed,
        } => {
            if *resumed {
                return None;
            }
            let present_by = presentation_deadline_art34_n1(&PresentationInput {
                today,
                event: *event,
                event_date: *event_date,
            })
            .present_by;
            let reminder = due_in_series(Series::Presentation, present_by, today)?;
            let left = days_fa(today, present_by);
            Some(Due {
                reminder,
                deadline: present_by,
                message_fa: format!(
                    "پیشخوان، یادآوری: مهلت معرفی شما برای خدمت (ماده ۳۴ قانون خدمت وظیفه عمومی، تبصره ۱) پس از {} در {} تا {} است ({} روز مانده)؛ پس از آن غایب محسوب می‌شوید.",
                    event.name_fa(),
                    event_date.to_long_fa(),
                    present_by.to_long_fa(),
                    left
                ),
                message_en: format!(
                    "Pishkhan reminder: your deadline to present for service (Art. 34 n.1) after {} on {} is {} ({} days left); after it you count as absent.",
                    event.name_en(),
                    event_date.to_slashed(),
                    present_by.to_slashed(),
                    today.days_until(present_by)
                ),
            })
        }
        Facts::ExemptionEnd {
            state,
            until,
            superseded,
        } => {
            if *state != State::Issued || *superseded {
                return None;
            }
            let reminder = due_in_series(Series::ExemptionEnd, *until, today)?;
            Some(Due {
                reminder,
                deadline: *until,
                message_fa: format!(
                    "پیشخوان، یادآوری: معافیت تحصیلی شما (ماده ۳۳ قانون خدمت وظیفه عمومی، تبصره ۱) تا {} اعتبار دارد ({} روز مانده)؛ برای ادامه تحصیل یا تمدید پیش از آن اقدام کنید.",
                    until.to_long_fa(),
                    days_fa(today, *until)
                ),
                message_en: format!(
                    "Pishkhan reminder: your educational exemption (Art. 33 n.1) runs until {} ({} days left); act before then to continue or extend it.",
                    until.to_slashed(),
                    today.days_until(*until)
                ),
            })
        }
        Facts::Revocation {
            state,
            submitted,
            revocations_used,
        } => {
            let outcome = withdrawal_revocation_n2(&RevocationInput {
                today,
                submitted: *submitted,
                revocations_used: *revocations_used,
            });
            if !outcome.can_revoke || !revocable_state(state) {
                return None;
            }
            let deadline = outcome.revocation_deadline;
            let reminder = due_in_series(Series::RevocationClosing, deadline, today)?;
            Some(Due {
                reminder,
                deadline,
                message_fa: format!(
                    "پیشخوان، یادآوری: تا {} ({} روز مانده) می‌توانید یک بار از درخواست انصراف از تحصیل خود برگردید (تبصره ۲ دستورالعمل انصراف)؛ پس از آن حکم قطعی انصراف صادر می‌شود.",
                    deadline.to_long_fa(),
                    days_fa(today, deadline)
                ),
                message_en: format!(
                    "Pishkhan reminder: until {} ({} days left) you may take back your withdrawal from study once (withdrawal procedure n.2); after that the final ruling is issued.",
                    deadline.to_slashed(),
                    today.days_until(deadline)
                ),
            })
        }
    }
}

/// Days from `today` to `deadline` in Persian digits.
fn days_fa(today: JalaliDate, deadline: JalaliDate) -> String {
    to_persian_digits(&today.days_until(deadline).to_string())
}

/// The Art. 34 events whose `present_by` may fall in `(today, today + 30 days]`: a range of
/// event dates a little wider than exact (one year back, the month's clamping aside), for the
/// store to narrow by; [`reminder_due`] decides.
pub fn presentation_event_window(today: JalaliDate) -> (JalaliDate, JalaliDate) {
    let widest = i64::from(Series::Presentation.days_before()[0]);
    (
        today.add_months(-12).add_days(-3),
        today.add_days(widest).add_months(-12).add_days(3),
    )
}

/// The deadlines of `series` for which a reminder may be due on `today`: `(today, today + the
/// series' farthest reminder]`, for the store to narrow by.
pub fn deadline_window(series: Series, today: JalaliDate) -> (JalaliDate, JalaliDate) {
    let widest = series.days_before().iter().copied().max().unwrap_or(0);
    (today.add_days(1), today.add_days(i64::from(widest)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> JalaliDate {
        JalaliDate::parse(s).unwrap()
    }

    fn id(facts: &Facts, today: &str) -> Option<String> {
        reminder_due(facts, d(today)).map(|due| due.reminder.id())
    }

    #[test]
    fn each_series_has_its_days_and_ids() {
        let ids: Vec<String> = Series::ALL
            .iter()
            .flat_map(|s| s.schedule(d("1405-01-01")))
            .map(|(r, _)| r.id())
            .collect();
        assert_eq!(
            ids,
            [
                "present_by_30",
                "present_by_7",
                "exemption_until_60",
                "exemption_until_14",
                "revocation_deadline_3"
            ]
        );
        let days: Vec<String> = Series::ExemptionEnd
            .schedule(d("1405-03-01"))
            .into_iter()
            .map(|(_, on)| on.to_machine())
            .collect();
        assert_eq!(days, ["1405-01-03", "1405-02-18"]);
    }

    #[test]
    fn presentation_reminders_art34_fall_30_and_7_days_before_present_by() {
        // Graduation on 1404-02-10 → present_by 1405-02-10; 30 days before: 1405-01-11.
        let facts = Facts::Presentation {
            event: StudyEnd::Graduation,
            event_date: d("1404-02-10"),
            resumed: false,
        };
        assert_eq!(id(&facts, "1405-01-10"), None, "the day before");
        assert_eq!(id(&facts, "1405-01-11").as_deref(), Some("present_by_30"));
        assert_eq!(id(&facts, "1405-02-02").as_deref(), Some("present_by_30"));
        assert_eq!(id(&facts, "1405-02-03").as_deref(), Some("present_by_7"));
        assert_eq!(id(&facts, "1405-02-09").as_deref(), Some("present_by_7"));
        assert_eq!(id(&facts, "1405-02-10"), None, "never on the deadline");
        assert_eq!(id(&facts, "1405-02-11"), None, "nor after it");
        let resumed = Facts::Presentation {
            event: StudyEnd::Graduation,
            event_date: d("1404-02-10"),
            resumed: true,
        };
        assert_eq!(id(&resumed, "1405-02-03"), None, "the person acted");
    }

    #[test]
    fn the_text_is_persian_with_persian_digits_the_jalali_deadline_and_the_article() {
        let facts = Facts::Presentation {
            event: StudyEnd::Graduation,
            event_date: d("1404-02-10"),
            resumed: false,
        };
        let due = reminder_due(&facts, d("1405-01-11")).unwrap();
        assert_eq!(due.deadline, d("1405-02-10"));
        assert!(
            due.message_fa.contains("۱۰ اردیبهشت ۱۴۰۵"),
            "{}",
            due.message_fa
        );
        assert!(
            due.message_fa.contains("۳۰ روز مانده"),
            "{}",
            due.message_fa
        );
        assert!(due.message_fa.contains("ماده ۳۴"));
        assert!(!due.message_fa.chars().any(|c| c.is_ascii_digit()));
    }

    #[test]
    fn exemption_reminders_art33_fall_60_and_14_days_before_its_end_only_when_issued() {
        let until = d("1405-07-01");
        let issued = |superseded| Facts::ExemptionEnd {
            state: State::Issued,
            until,
            superseded,
        };
        let sixty = until.add_days(-60).to_machine();
        let fourteen = until.add_days(-14).to_machine();
        assert_eq!(id(&issued(false), &until.add_days(-61).to_machine()), None);
        assert_eq!(
            id(&issued(false), &sixty).as_deref(),
            Some("exemption_until_60")
        );
        assert_eq!(
            id(&issued(false), &until.add_days(-15).to_machine()).as_deref(),
            Some("exemption_until_60")
        );
        assert_eq!(
            id(&issued(false), &fourteen).as_deref(),
            Some("exemption_until_14")
        );
        assert_eq!(
            id(&issued(false), &until.add_days(-1).to_machine()).as_deref(),
            Some("exemption_until_14")
        );
        assert_eq!(id(&issued(false), "1405-07-01"), None);
        assert_eq!(id(&issued(true), &fourteen), None, "renewed or ended");
        let pending = Facts::ExemptionEnd {
            state: State::AtConscriptionOffice,
            until,
            superseded: false,
        };
        assert_eq!(id(&pending, &fourteen), None, "not issued");
    }

    #[test]
    fn the_revocation_reminder_falls_3_days_before_while_it_can_be_revoked() {
        // Submitted 1403-10-01 → deadline 1403-12-01 (two months).
        let facts = |state, used| Facts::Revocation {
            state,
            submitted: d("1403-10-01"),
            revocations_used: used,
        };
        let open = facts(State::FacultyCompletion, 0);
        assert_eq!(id(&open, "1403-11-27"), None, "the day before");
        assert_eq!(
            id(&open, "1403-11-28").as_deref(),
            Some("revocation_deadline_3")
        );
        assert_eq!(
            id(&open, "1403-11-30").as_deref(),
            Some("revocation_deadline_3")
        );
        assert_eq!(id(&open, "1403-12-01"), None, "the deadline itself");
        assert_eq!(id(&facts(State::FacultyCompletion, 1), "1403-11-28"), None);
        assert_eq!(id(&facts(State::Revoked, 0), "1403-11-28"), None);
        assert_eq!(id(&facts(State::RulingIssued, 0), "1403-11-28"), None);
        assert!(revocable_state(&State::Submitted));
        assert!(revocable_state(&State::AwaitingRuling));
        assert!(!revocable_state(&State::Issued));
    }

    #[test]
    fn a_missed_day_is_caught_up_before_the_deadline_and_only_the_nearest_of_a_series() {
        let deadline = d("1405-02-10");
        let on = |days: i64| deadline.add_days(-days);
        let due = |days| due_in_series(Series::Presentation, deadline, on(days)).map(Reminder::id);
        assert_eq!(due(31), None);
        assert_eq!(due(30).as_deref(), Some("present_by_30"));
        // Down from day 30 to day 20: the 30-day reminder is still due on day 20.
        assert_eq!(due(20).as_deref(), Some("present_by_30"));
        // Down until day 5: both days have come; only the 7-day one is due.
        assert_eq!(due(5).as_deref(), Some("present_by_7"));
        assert_eq!(due(1).as_deref(), Some("present_by_7"));
        assert_eq!(due(0), None);
    }

    #[test]
    fn the_store_windows_hold_every_due_deadline() {
        let today = d("1404-12-25");
        let (from, to) = deadline_window(Series::ExemptionEnd, today);
        assert_eq!((from, to), (d("1404-12-26"), today.add_days(60)));
        let (from, to) = presentation_event_window(today);
        for offset in -3..=40 {
            let event = today.add_months(-12).add_days(offset);
            let present_by = event.add_months(12);
            let in_window = present_by > today && present_by <= today.add_days(30);
            if in_window {
                assert!(event >= from && event <= to, "{}", event.to_machine());
            }
        }
    }
}
