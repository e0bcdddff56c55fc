//! The guards of the law and the seeds, the data each action must carry, and the SMS of a move.

use super::{
    Action, ActionData, Context, Edge, Notification, NotificationKind, Process, State,
    WorkflowError,
};
use crate::reason::Effect;
use crate::requests::{clearance_route, ClearanceOffice};

/// Checks the data and guards of an action whose row and role are already allowed, and picks the
/// next state among `rows`' targets.
pub(super) fn check(
    process: Process,
    state: &State,
    action: Action,
    data: &ActionData,
    ctx: &Context<'_>,
    rows: &[Edge],
) -> Result<State, WorkflowError> {
    match (process, action) {
        // Seed 000 A1 step 6: back to the applicant only if it can be edited, else not issued.
        (Process::ExemptionA1, Action::ReturnForEdit) => match data.editable {
            None => Err(WorkflowError::MissingData { field: "editable" }),
            Some(true) => Ok(State::ReturnedForEdit),
            Some(false) => Ok(State::NotIssued),
        },
        // Seed 001 step 5: the welfare-fund debt is recorded.
        (Process::Withdrawal, Action::ConfirmWelfareDebt) => {
            require(data.debt_rials, "debt_rials")?;
            Ok(rows[0].to.clone())
        }
        (Process::Withdrawal, Action::Revoke) => revocation_n2(ctx).map(|()| State::Revoked),
        (Process::Withdrawal, Action::IssueRuling) => ruling_not_before_final(ctx),
        (Process::Clearance, _) => clearance(state, action, data, ctx),
        _ => Ok(rows[0].to.clone()),
    }
}

/// The data fields `action` must carry in `state` (what [`check`] asks for), `note` excluded.
pub(super) fn needs(
    process: Process,
    state: &State,
    action: Action,
    offices: &[ClearanceOffice],
) -> Vec<&'static str> {
    match (process, action, state) {
        (Process::ExemptionA1, Action::ReturnForEdit, _) => vec!["editable"],
        (Process::Withdrawal, Action::ConfirmWelfareDebt, _) => vec!["debt_rials"],
        (Process::Clearance, Action::Forward, State::AtOffice(id) | State::VisitRequired(id)) => {
            let Some(here) = offices.iter().find(|o| &o.id == id) else {
                return Vec::new();
            };
            let mut fields = Vec::new();
            if here.records_debt {
                fields.push("debt_rials");
            }
            if here.records_instalments {
                fields.extend(["instalments_start", "instalments_end"]);
            }
            fields
        }
        _ => Vec::new(),
    }
}

fn require<T>(value: Option<T>, field: &'static str) -> Result<T, WorkflowError> {
    value.ok_or(WorkflowError::MissingData { field })
}

/// `rules.md` §5 (seed 001 note 2): a revocation only inside the two months, and only once.
fn revocation_n2(ctx: &Context<'_>) -> Result<(), WorkflowError> {
    let outcome = ctx.revocation();
    if outcome.can_revoke {
        return Ok(());
    }
    let blocking = outcome
        .reasons
        .into_iter()
        .filter(|r| r.effect == Effect::Blocks);
    let (fa, en): (Vec<String>, Vec<String>) =
        blocking.map(|r| (r.message_fa, r.message_en)).unzip();
    Err(WorkflowError::Guard {
        rule: "rules.md §5, withdrawal procedure n.2",
        message_fa: fa.join(" "),
        message_en: en.join(" "),
    })
}

/// `rules.md` §5 (seed 001 note 2, step 9): the ruling is never issued before `final_ruling_from`.
fn ruling_not_before_final(ctx: &Context<'_>) -> Result<State, WorkflowError> {
    let from = ctx.final_ruling_from();
    if ctx.today < from {
        return Err(WorkflowError::Guard {
            rule: "rules.md §5, withdrawal procedure n.2",
            message_fa: format!(
                "حکم قطعی انصراف پیش از {} صادر نمی‌شود؛ دانشجو تا پایان مهلت دوماهه می‌تواند از انصراف برگردد.",
                from.to_long_fa()
            ),
            message_en: format!(
                "the withdrawal ruling cannot be issued before {}: the student may take the withdrawal back until the two months end.",
                from.to_slashed()
            ),
        });
    }
    Ok(State::RulingIssued)
}

fn office<'a>(ctx: &Context<'a>, id: &str) -> Option<&'a ClearanceOffice> {
    ctx.offices.iter().find(|o| o.id == id)
}

/// Seed 002: the evening-course office only for evening-course students; the debt (and the
/// welfare instalments, start ≤ end) recorded when forwarding; the next office on the route.
fn clearance(
    state: &State,
    action: Action,
    data: &ActionData,
    ctx: &Context<'_>,
) -> Result<State, WorkflowError> {
    let id = match state {
        State::AtOffice(id) | State::VisitRequired(id) => id,
        _ => unreachable!("clearance rows start at an office"),
    };
    let here = office(ctx, id).expect("rows come from ctx.offices");
    if here.evening_course_only && !ctx.evening_course {
        return Err(WorkflowError::Guard {
            rule: "seed 002 step 11",
            message_fa: format!(
                "{} فقط برای دانشجویان نوبت دوم است و این دانشجو نوبت دوم نیست.",
                here.name_fa
            ),
            message_en: format!(
                "{} is only for evening-course students, and this student is not one.",
                here.name_en
            ),
        });
    }
    if action == Action::RequireVisit {
        return Ok(State::VisitRequired(id.clone()));
    }
    if here.records_debt {
        require(data.debt_rials, "debt_rials")?;
    }
    if here.records_instalments {
        let start = require(data.instalments_start, "instalments_start")?;
        let end = require(data.instalments_end, "instalments_end")?;
        if start > end {
            return Err(WorkflowError::Guard {
                rule: "seed 002 step 10",
                message_fa: format!(
                    "تاریخ پایان اقساط ({}) پیش از تاریخ شروع آن ({}) است.",
                    end.to_long_fa(),
                    start.to_long_fa()
                ),
                message_en: format!(
                    "the instalments end ({}) before they start ({}).",
                    end.to_slashed(),
                    start.to_slashed()
                ),
            });
        }
    }
    let route = clearance_route(ctx.offices, ctx.evening_course);
    let next = route
        .iter()
        .skip_while(|o| o.id != *id)
        .nth(1)
        .map_or(State::Cleared, |o| State::AtOffice(o.id.clone()));
    Ok(next)
}

/// The SMS a move sends to the applicant, if any (seed 000 A1 steps 6–7, seed 001 step 9 and
/// note 2, seed 002's initial confirmation and the end of the clearance).
pub(super) fn notification(action: Action, to: &State, ctx: &Context<'_>) -> Option<Notification> {
    let (kind, fa, en) = match (action, to) {
        (_, State::ReturnedForEdit) => (
            NotificationKind::ReturnedForEdit,
            "درخواست معافیت تحصیلی شما برای اصلاح به کارتابل شما برگشت.".to_owned(),
            "your exemption request was returned to you for editing.".to_owned(),
        ),
        (_, State::NotIssued) => (
            NotificationKind::NotIssued,
            "معافیت تحصیلی شما صادر نشد.".to_owned(),
            "your educational exemption was not issued.".to_owned(),
        ),
        (_, State::Issued) => (
            NotificationKind::Issued,
            "معافیت تحصیلی شما صادر شد.".to_owned(),
            "your educational exemption was issued.".to_owned(),
        ),
        (_, State::RulingIssued) => (
            NotificationKind::RulingIssued,
            "حکم انصراف از تحصیل شما صادر شد.".to_owned(),
            "your withdrawal ruling was issued.".to_owned(),
        ),
        (_, State::Revoked) => (
            NotificationKind::Revoked,
            "درخواست انصراف از تحصیل شما پس گرفته شد.".to_owned(),
            "your withdrawal request was taken back.".to_owned(),
        ),
        (_, State::Cleared) => (
            NotificationKind::Cleared,
            "تسویه حساب شما در همه واحدها انجام شد.".to_owned(),
            "every office has cleared your accounts.".to_owned(),
        ),
        (Action::RequireVisit, State::VisitRequired(id)) => {
            let (name_fa, name_en) =
                office(ctx, id).map_or((id.as_str(), id.as_str()), |o| (&o.name_fa, &o.name_en));
            (
                NotificationKind::InPersonVisitRequired,
                format!("مراجعه حضوری دانشجو به {name_fa} الزامی است."),
                format!("you must visit the {name_en} in person."),
            )
        }
        _ => return None,
    };
    Some(Notification {
        kind,
        message_fa: fa,
        message_en: en,
    })
}
