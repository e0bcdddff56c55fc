//! Taking back a withdrawal from study (`rules.md` §5, note 2 of the withdrawal procedure).

use serde::Serialize;

use crate::date::JalaliDate;
use crate::params::{self, Limit};
use crate::reason::{Code, Effect, Reason};

/// A validated revocation question.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RevocationInput {
    pub today: JalaliDate,
    pub submitted: JalaliDate,
    pub revocations_used: u32,
}

/// Until when the withdrawal can be taken back, and from when the final ruling may be issued.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct RevocationOutcome {
    pub revocation_deadline: JalaliDate,
    pub can_revoke: bool,
    pub final_ruling_from: JalaliDate,
    pub reasons: Vec<Reason>,
}

/// Withdrawal procedure (seed 001), note 2: the student may take the withdrawal request back only
/// once, and at most two months after submitting it (the last day of the two months included);
/// after that the final withdrawal ruling is issued, never before the day after the deadline.
pub fn withdrawal_revocation_n2(input: &RevocationInput) -> RevocationOutcome {
    let months = params::value(Limit::RevocationWindowMonths, input.submitted);
    let allowed = params::value(Limit::RevocationsAllowed, input.submitted);
    let deadline = input.submitted.add_months(months as i32);
    let final_ruling_from = deadline.add_days(1);
    let in_window = input.today <= deadline;
    let used_up = input.revocations_used >= allowed;
    let article = "withdrawal procedure n.2";
    let mut reasons = Vec::new();
    if !in_window {
        reasons.push(Reason::new(
            Code::RevocationDeadlinePassed,
            article,
            Effect::Blocks,
            format!(
                "مهلت دوماهه انصراف از انصراف (درخواست ثبت‌شده در {}) در {} تمام شد؛ حکم قطعی انصراف از {} صادر می‌شود.",
                input.submitted.to_long_fa(),
                deadline.to_long_fa(),
                final_ruling_from.to_long_fa()
            ),
            format!(
                "the two-month window to take back the withdrawal submitted on {} ended on {}; the final ruling may be issued from {}.",
                input.submitted.to_slashed(),
                deadline.to_slashed(),
                final_ruling_from.to_slashed()
            ),
        ));
    }
    if used_up {
        reasons.push(Reason::new(
            Code::RevocationAlreadyUsed,
            article,
            Effect::Blocks,
            "شما یک بار از انصراف خود برگشته‌اید و این کار فقط یک بار مجاز است.".into(),
            "you have already taken back a withdrawal once, and it is allowed only once.".into(),
        ));
    }
    if in_window && !used_up {
        reasons.push(Reason::new(
            Code::RevocationWindowOpen,
            article,
            Effect::Info,
            format!(
                "تا {} (دو ماه پس از ثبت درخواست در {}) می‌توانید یک بار از انصراف خود برگردید؛ حکم قطعی از {} صادر می‌شود.",
                deadline.to_long_fa(),
                input.submitted.to_long_fa(),
                final_ruling_from.to_long_fa()
            ),
            format!(
                "you may take back your withdrawal once, until {} (two months after submitting it on {}); the final ruling comes from {}.",
                deadline.to_slashed(),
                input.submitted.to_slashed(),
                final_ruling_from.to_slashed()
            ),
        ));
    }
    RevocationOutcome {
        revocation_deadline: deadline,
        can_revoke: in_window && !used_up,
        final_ruling_from,
        reasons,
    }
}
