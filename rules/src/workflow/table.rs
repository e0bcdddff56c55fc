//! The machines as data: every (from, action, role, to) row of each process, start and end states.

use super::{Action, Edge, Process, Role, State};
use crate::requests::{clearance_route, default_offices, ClearanceOffice};

fn row(from: State, action: Action, role: Role, to: State) -> Edge {
    Edge {
        from,
        action,
        role,
        to,
    }
}

/// Every move of `process`. `offices` is the clearance configuration (ignored by the others).
pub fn edges(process: Process, offices: &[ClearanceOffice]) -> Vec<Edge> {
    use Action as A;
    use Role as R;
    use State as S;
    match process {
        // Seed 000, A1 steps 5–7.
        Process::ExemptionA1 => vec![
            row(S::Submitted, A::PrecheckPass, R::System, S::AwaitingPayment),
            row(S::Submitted, A::PrecheckFail, R::System, S::PrecheckRefused),
            row(
                S::PrecheckRefused,
                A::FileJustification,
                R::Applicant,
                S::AtDeputy,
            ),
            row(
                S::AtDeputy,
                A::AcceptJustification,
                R::ConscriptionDeputy,
                S::AwaitingPayment,
            ),
            row(
                S::AtDeputy,
                A::RejectJustification,
                R::ConscriptionDeputy,
                S::NotIssued,
            ),
            row(
                S::AwaitingPayment,
                A::ConfirmPayment,
                R::System,
                S::AtUniversity,
            ),
            row(
                S::AtUniversity,
                A::ReturnForEdit,
                R::UniversityUser,
                S::ReturnedForEdit,
            ),
            row(
                S::AtUniversity,
                A::ReturnForEdit,
                R::UniversityUser,
                S::NotIssued,
            ),
            row(
                S::AtUniversity,
                A::ConfirmData,
                R::UniversityUser,
                S::SystemRecheck,
            ),
            row(
                S::ReturnedForEdit,
                A::Resubmit,
                R::Applicant,
                S::AtUniversity,
            ),
            row(
                S::SystemRecheck,
                A::RecheckPass,
                R::System,
                S::AtConscriptionOffice,
            ),
            row(S::SystemRecheck, A::RecheckFail, R::System, S::NotIssued),
            row(
                S::AtConscriptionOffice,
                A::Issue,
                R::ConscriptionExpert,
                S::Issued,
            ),
            row(
                S::AtConscriptionOffice,
                A::Refuse,
                R::ConscriptionExpert,
                S::NotIssued,
            ),
        ],
        // Seed 000, A2 steps 2–5.
        Process::ExemptionA2 => vec![
            row(
                S::Registered,
                A::GrantPermit,
                R::PoliceOffice,
                S::PermitIssued,
            ),
            row(
                S::Registered,
                A::ReferToDeputy,
                R::PoliceOffice,
                S::AtDeputy,
            ),
            row(
                S::AtDeputy,
                A::SettleStatus,
                R::ConscriptionDeputy,
                S::StatusSettled,
            ),
            row(
                S::PermitIssued,
                A::SubmitAdmittedList,
                R::UniversityUser,
                S::AwaitingDeputyConfirmation,
            ),
            row(
                S::AwaitingDeputyConfirmation,
                A::Issue,
                R::ConscriptionDeputy,
                S::Issued,
            ),
            row(
                S::AwaitingDeputyConfirmation,
                A::CancelPermit,
                R::ConscriptionDeputy,
                S::PermitCancelled,
            ),
        ],
        // Seed 001 steps 2–9, and note 2 (revocation from any step before the ruling).
        Process::Withdrawal => {
            let steps = [
                (
                    S::Submitted,
                    A::CancelCard,
                    R::FacultyExpert,
                    S::AwaitingStudentClearances,
                ),
                (
                    S::AwaitingStudentClearances,
                    A::ReportClearances,
                    R::Applicant,
                    S::FacultyCompletion,
                ),
                (
                    S::FacultyCompletion,
                    A::CompleteFile,
                    R::FacultyExpert,
                    S::AtStudentAffairs,
                ),
                (
                    S::AtStudentAffairs,
                    A::ConfirmWelfareDebt,
                    R::StudentAffairsExpert,
                    S::FacultyFinalCheck,
                ),
                (
                    S::FacultyFinalCheck,
                    A::SendToHead,
                    R::FacultyExpert,
                    S::AtHeadOfEducation,
                ),
                (
                    S::AtHeadOfEducation,
                    A::SendToCentral,
                    R::HeadOfFacultyEducation,
                    S::AtCentralOffice,
                ),
                (
                    S::AtCentralOffice,
                    A::ConfirmFile,
                    R::CentralOfficeExpert,
                    S::AwaitingRuling,
                ),
                (
                    S::AwaitingRuling,
                    A::IssueRuling,
                    R::CentralOfficeExpert,
                    S::RulingIssued,
                ),
            ];
            let mut rows = Vec::new();
            for (from, action, role, to) in steps {
                rows.push(row(from.clone(), action, role, to));
                rows.push(row(from, A::Revoke, R::Applicant, S::Revoked));
            }
            rows
        }
        // Seed 002 steps 2–11: forward to the next office the student may pass, or mark
        // "in-person visit required" and stay at the office.
        Process::Clearance => {
            let mut rows = Vec::new();
            for (i, office) in offices.iter().enumerate() {
                let role = Role::for_office(&office.id);
                let here = S::AtOffice(office.id.clone());
                let waiting = S::VisitRequired(office.id.clone());
                let mut next = Vec::new();
                let mut reached_end = true;
                for later in &offices[i + 1..] {
                    next.push(S::AtOffice(later.id.clone()));
                    if !later.evening_course_only {
                        reached_end = false;
                        break;
                    }
                }
                if reached_end {
                    next.push(S::Cleared);
                }
                rows.push(row(
                    here.clone(),
                    A::RequireVisit,
                    role.clone(),
                    waiting.clone(),
                ));
                for from in [here, waiting] {
                    for to in &next {
                        rows.push(row(from.clone(), A::Forward, role.clone(), to.clone()));
                    }
                }
            }
            rows
        }
    }
}

/// The allowed (state, action, role) triples of `process`, in table order, each once; clearance
/// with seed 002's offices.
pub fn allowed(process: Process) -> Vec<(State, Action, Role)> {
    allowed_with(process, &default_offices())
}

/// [`allowed`] with a configured list of clearance offices.
pub fn allowed_with(process: Process, offices: &[ClearanceOffice]) -> Vec<(State, Action, Role)> {
    let mut out: Vec<(State, Action, Role)> = Vec::new();
    for e in edges(process, offices) {
        let triple = (e.from, e.action, e.role);
        if !out.contains(&triple) {
            out.push(triple);
        }
    }
    out
}

/// The state a new request starts in. A clearance starts at the first office of the student's
/// route (`clearance_route`).
pub fn start(process: Process, offices: &[ClearanceOffice], evening_course: bool) -> State {
    match process {
        Process::ExemptionA1 | Process::Withdrawal => State::Submitted,
        Process::ExemptionA2 => State::Registered,
        Process::Clearance => clearance_route(offices, evening_course)
            .first()
            .map_or(State::Cleared, |o| State::AtOffice(o.id.clone())),
    }
}

/// The states no move leaves.
pub fn end_states(process: Process) -> Vec<State> {
    match process {
        Process::ExemptionA1 => vec![State::Issued, State::NotIssued],
        Process::ExemptionA2 => vec![State::StatusSettled, State::Issued, State::PermitCancelled],
        Process::Withdrawal => vec![State::RulingIssued, State::Revoked],
        Process::Clearance => vec![State::Cleared],
    }
}
