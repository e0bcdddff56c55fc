//! The staff-side processes as state machines: roles, states, actions, guards and transitions.
//!
//! One machine per [`Process`] (`shared/spec/processes.md`): exemption A1 over the internet and
//! A2 at a police e-services office (seed 000), withdrawal from study (seed 001) and clearance
//! (seed 002, offices from configuration). The machines are data — [`edges`] lists every move —
//! and [`apply`] is the only way to move: it checks the state, the role, the data the action must
//! carry and the guards of the law, and returns the new state and the SMS to send, if any.
//! Nothing here reads a clock: "today" is in the [`Context`].

mod guards;
mod labels;
mod mermaid;
mod table;
#[cfg(test)]
mod tests;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::date::JalaliDate;
use crate::requests::ClearanceOffice;
use crate::revocation::{withdrawal_revocation_n2, RevocationInput, RevocationOutcome};

pub use labels::{
    action_label, audit_action_label, pay_label, process_label, role_label, state_label, Label,
};
pub use mermaid::{mermaid, workflows_doc};
pub use table::{allowed, allowed_with, edges, end_states, start};

/// The four processes a request can follow.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Process {
    /// Seed 000, A1: educational exemption requested over the internet.
    ExemptionA1,
    /// Seed 000, A2: educational exemption filed at a police e-services office.
    ExemptionA2,
    /// Seed 001: withdrawal from study, 9 steps, revocable once within two months.
    Withdrawal,
    /// Seed 002: clearance through the configured offices.
    Clearance,
}

impl Process {
    pub const ALL: [Process; 4] = [
        Process::ExemptionA1,
        Process::ExemptionA2,
        Process::Withdrawal,
        Process::Clearance,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Process::ExemptionA1 => "exemption_a1",
            Process::ExemptionA2 => "exemption_a2",
            Process::Withdrawal => "withdrawal",
            Process::Clearance => "clearance",
        }
    }
}

/// Who acts (issue 6's role list). A clearance office's expert is [`Role::ClearanceOffice`] with
/// the office's configured id, except the department (seed 002 step 2), whose expert is
/// [`Role::DepartmentExpert`]. [`Role::Admin`] is the national administrator (universities,
/// users and offices everywhere); [`Role::UniversityAdmin`] manages one university's offices
/// and clerks. Neither takes a step.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    UniversityUser,
    ConscriptionExpert,
    ConscriptionDeputy,
    PoliceOffice,
    FacultyExpert,
    StudentAffairsExpert,
    HeadOfFacultyEducation,
    CentralOfficeExpert,
    DepartmentExpert,
    ClearanceOffice(String),
    Applicant,
    System,
    Admin,
    UniversityAdmin,
}

/// The clearance office whose expert is the department expert (seed 002, step 2).
pub const DEPARTMENT_OFFICE_ID: &str = "department";

impl Role {
    /// Every role without an office, in the order the staff pages list them: the clerks' roles,
    /// then the admin, the applicant and the system. A clearance office's role is one per
    /// configured office ([`Role::for_office`]).
    pub const ALL: [Role; 13] = [
        Role::UniversityUser,
        Role::ConscriptionExpert,
        Role::ConscriptionDeputy,
        Role::PoliceOffice,
        Role::FacultyExpert,
        Role::StudentAffairsExpert,
        Role::HeadOfFacultyEducation,
        Role::CentralOfficeExpert,
        Role::DepartmentExpert,
        Role::UniversityAdmin,
        Role::Admin,
        Role::Applicant,
        Role::System,
    ];

    /// The roles whose clerks may serve one university, county or faculty (docs/staff-api.md,
    /// "Scope"); every other role has scope `*`.
    pub const SCOPED: [Role; 6] = [
        Role::UniversityUser,
        Role::ConscriptionExpert,
        Role::ConscriptionDeputy,
        Role::PoliceOffice,
        Role::FacultyExpert,
        Role::HeadOfFacultyEducation,
    ];

    /// Whether a clerk of this role may serve one scope rather than `*`.
    pub fn is_scoped(&self) -> bool {
        Role::SCOPED.contains(self)
    }

    /// Who reads the Article 34 list: the conscription office, and the university that reports
    /// to it.
    pub fn reads_art34(&self) -> bool {
        matches!(
            self,
            Role::ConscriptionExpert
                | Role::ConscriptionDeputy
                | Role::UniversityUser
                | Role::CentralOfficeExpert
        )
    }

    /// Who records an expulsion, drop-out or graduation on the Article 34 list.
    pub fn records_art34(&self) -> bool {
        matches!(
            self,
            Role::UniversityUser | Role::StudentAffairsExpert | Role::CentralOfficeExpert
        )
    }

    /// Whether an account can have this role (every role but the applicant's and the system's).
    pub fn is_staff(&self) -> bool {
        !matches!(self, Role::Applicant | Role::System)
    }

    /// The roles an admin can give: [`Role::ALL`]'s staff roles, then one per clearance office
    /// (the department's office has its own role, already among them).
    pub fn staff_roles(offices: &[ClearanceOffice]) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(Role::is_staff)
            .chain(
                offices
                    .iter()
                    .map(|o| Role::for_office(&o.id))
                    .filter(|r| matches!(r, Role::ClearanceOffice(_))),
            )
            .collect()
    }

    /// The role that acts at a clearance office.
    pub fn for_office(office_id: &str) -> Role {
        if office_id == DEPARTMENT_OFFICE_ID {
            Role::DepartmentExpert
        } else {
            Role::ClearanceOffice(office_id.to_owned())
        }
    }

    /// Stable machine name: `faculty_expert`, `clearance_office:welfare`, ….
    pub fn id(&self) -> String {
        let fixed = match self {
            Role::UniversityUser => "university_user",
            Role::ConscriptionExpert => "conscription_expert",
            Role::ConscriptionDeputy => "conscription_deputy",
            Role::PoliceOffice => "police_office",
            Role::FacultyExpert => "faculty_expert",
            Role::StudentAffairsExpert => "student_affairs_expert",
            Role::HeadOfFacultyEducation => "head_of_faculty_education",
            Role::CentralOfficeExpert => "central_office_expert",
            Role::DepartmentExpert => "department_expert",
            Role::ClearanceOffice(id) => return format!("clearance_office:{id}"),
            Role::Applicant => "applicant",
            Role::System => "system",
            Role::Admin => "admin",
            Role::UniversityAdmin => "university_admin",
        };
        fixed.to_owned()
    }
}

/// Where a request stands. One enum for all processes; [`edges`] says which states a process
/// uses. Clearance states carry the office id from configuration.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    // Exemption A1 (seed 000, A1 steps 5–8); `Submitted` also starts the withdrawal.
    /// Filed and confirmed by the applicant, waiting for the initial check (A1 step 5) or, for a
    /// withdrawal, for the faculty expert (seed 001 step 1 done).
    Submitted,
    /// The initial check said no; the applicant may file a justification (A1 step 5).
    PrecheckRefused,
    /// In the conscription deputy's cartable (A1 step 5 justification, A2 step 3 "no").
    AtDeputy,
    /// Waiting for the service fee (A1 step 5 "yes").
    AwaitingPayment,
    /// In the university's cartable (A1 step 6).
    AtUniversity,
    /// Back in the applicant's cartable for editing (A1 step 6).
    ReturnedForEdit,
    /// Confirmed by the university; the system checks the conditions again (A1 step 7).
    SystemRecheck,
    /// In the cartable of the conscription office of the place of study (A1 step 7).
    AtConscriptionOffice,
    /// The exemption was issued (A1 step 7, A2 step 5). End.
    Issued,
    /// The exemption was not issued (A1 steps 6–7). End.
    NotIssued,
    // Exemption A2 (seed 000, A2).
    /// The police e-services office registered the request in the conscription system (step 2).
    Registered,
    /// The study registration permit was issued; waiting for the university's list (steps 3–4).
    PermitIssued,
    /// The university's list is in; the county conscription deputy decides (step 5).
    AwaitingDeputyConfirmation,
    /// The deputy settled the person's status after a referral (step 3 "no"). End.
    StatusSettled,
    /// The registration permit was cancelled (step 5 "no"). End.
    PermitCancelled,
    // Withdrawal (seed 001).
    /// Step 3: the student clears accounts with the faculty units.
    AwaitingStudentClearances,
    /// Step 4: the faculty expert completes the file.
    FacultyCompletion,
    /// Step 5: the student-affairs expert checks the welfare-fund debt.
    AtStudentAffairs,
    /// Step 6: the faculty expert's final check.
    FacultyFinalCheck,
    /// Step 7: the head of faculty education reviews.
    AtHeadOfEducation,
    /// Step 8: the central office expert checks and confirms.
    AtCentralOffice,
    /// Step 9: waiting for the ruling, which may not be issued before `final_ruling_from`.
    AwaitingRuling,
    /// The withdrawal ruling was issued (step 9). End.
    RulingIssued,
    /// The student took the withdrawal back (note 2, `rules.md` §5). End.
    Revoked,
    // Clearance (seed 002).
    /// At an office's expert (steps 2–11).
    AtOffice(String),
    /// Marked "in-person visit required": still at that office until its expert forwards it.
    VisitRequired(String),
    /// Every office on the student's route forwarded the request. End.
    Cleared,
}

impl State {
    /// Stable machine name: `at_university`, `at_office:welfare`, ….
    pub fn id(&self) -> String {
        let fixed = match self {
            State::Submitted => "submitted",
            State::PrecheckRefused => "precheck_refused",
            State::AtDeputy => "at_deputy",
            State::AwaitingPayment => "awaiting_payment",
            State::AtUniversity => "at_university",
            State::ReturnedForEdit => "returned_for_edit",
            State::SystemRecheck => "system_recheck",
            State::AtConscriptionOffice => "at_conscription_office",
            State::Issued => "issued",
            State::NotIssued => "not_issued",
            State::Registered => "registered",
            State::PermitIssued => "permit_issued",
            State::AwaitingDeputyConfirmation => "awaiting_deputy_confirmation",
            State::StatusSettled => "status_settled",
            State::PermitCancelled => "permit_cancelled",
            State::AwaitingStudentClearances => "awaiting_student_clearances",
            State::FacultyCompletion => "faculty_completion",
            State::AtStudentAffairs => "at_student_affairs",
            State::FacultyFinalCheck => "faculty_final_check",
            State::AtHeadOfEducation => "at_head_of_education",
            State::AtCentralOffice => "at_central_office",
            State::AwaitingRuling => "awaiting_ruling",
            State::RulingIssued => "ruling_issued",
            State::Revoked => "revoked",
            State::AtOffice(id) => return format!("at_office:{id}"),
            State::VisitRequired(id) => return format!("visit_required:{id}"),
            State::Cleared => "cleared",
        };
        fixed.to_owned()
    }
}

impl Context<'_> {
    /// `rules.md` §5 for this request: the revocation deadline, whether a revocation is still
    /// possible, and `final_ruling_from` (`withdrawal_revocation_n2`).
    pub fn revocation(&self) -> RevocationOutcome {
        withdrawal_revocation_n2(&RevocationInput {
            today: self.today,
            submitted: self.submitted,
            revocations_used: self.revocations_used,
        })
    }

    /// The first day the withdrawal ruling may be issued (`rules.md` §5).
    pub fn final_ruling_from(&self) -> JalaliDate {
        self.revocation().final_ruling_from
    }
}

/// What an actor does to a request.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Action {
    // Exemption A1.
    /// A1 step 5: the initial check of the conditions passed.
    PrecheckPass,
    /// A1 step 5: the initial check did not pass.
    PrecheckFail,
    /// A1 step 5: the applicant asks the deputy to review (توجیه عدم صدور).
    FileJustification,
    /// A1 step 5: the deputy accepts the justification; the request goes on to payment.
    AcceptJustification,
    /// A1 step 5: the deputy rejects it; not issued.
    RejectJustification,
    /// A1 step 5: the service fee's payment was verified; on to the university.
    ConfirmPayment,
    /// A1 step 6: needs editing. Carries `editable`: back to the applicant if it can be edited, else not issued.
    ReturnForEdit,
    /// A1 step 6: the applicant edited and confirmed again.
    Resubmit,
    /// A1 step 6: the university user confirms the data.
    ConfirmData,
    /// A1 step 7: the system's second check passed.
    RecheckPass,
    /// A1 step 7: the system's second check failed; not issued.
    RecheckFail,
    /// A1 step 7 (conscription-office expert), A2 step 5 (deputy): the exemption is issued.
    Issue,
    /// A1 step 7: conditions not met; not issued.
    Refuse,
    // Exemption A2.
    /// A2 step 3: eligible; the police office issues the study registration permit.
    GrantPermit,
    /// A2 step 3: not eligible; the papers go to the county conscription deputy.
    ReferToDeputy,
    /// A2 step 3: the deputy settles the person's status.
    SettleStatus,
    /// A2 step 4: the university's representative hands in the list of admitted students.
    SubmitAdmittedList,
    /// A2 step 5: not eligible to study; the permit is cancelled.
    CancelPermit,
    // Withdrawal.
    /// Seed 001 step 2: the faculty expert cancels the card and checks the papers.
    CancelCard,
    /// Seed 001 step 3: the student has cleared accounts with the faculty units.
    ReportClearances,
    /// Seed 001 step 4: papers completed, withdrawal date recorded, sent to student affairs.
    CompleteFile,
    /// Seed 001 step 5: the welfare-fund debt checked. Carries `debt_rials`.
    ConfirmWelfareDebt,
    /// Seed 001 step 6: final check done; to the head of faculty education.
    SendToHead,
    /// Seed 001 step 7: to the central office of educational services.
    SendToCentral,
    /// Seed 001 step 8: the central office expert confirms papers and file.
    ConfirmFile,
    /// Seed 001 step 9: the withdrawal ruling, never before `final_ruling_from` (`rules.md` §5).
    IssueRuling,
    /// Seed 001 note 2: the student takes the withdrawal back, once, inside two months.
    Revoke,
    // Clearance.
    /// Seed 002: on to the next office of the route. Carries `debt_rials` at a debt office, and the instalment dates at the welfare office.
    Forward,
    /// Seed 002: "in-person visit required"; the request stays at the office, the student is told.
    RequireVisit,
}

impl Action {
    /// Stable machine name, the serde name: `return_for_edit`, ….
    pub fn id(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// The data an action may carry; which fields are required depends on the action and office.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionData {
    /// A1 step 6, `return_for_edit`: can the applicant edit the request?
    #[serde(default)]
    pub editable: Option<bool>,
    /// The student's debt in rials (seed 001 step 5; seed 002 steps 9–10).
    #[serde(default, deserialize_with = "crate::contract::whole_number")]
    pub debt_rials: Option<u64>,
    /// Seed 002 step 10: the first instalment's date.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::JalaliDateText>))]
    pub instalments_start: Option<JalaliDate>,
    /// Seed 002 step 10: the last instalment's date (not before the first).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::JalaliDateText>))]
    pub instalments_end: Option<JalaliDate>,
    /// Free text for the audit trail.
    #[serde(default)]
    pub note: Option<String>,
}

/// What the guards need to know about the request and the day.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub today: JalaliDate,
    /// The day the request was submitted (the withdrawal's two months run from it).
    pub submitted: JalaliDate,
    /// Revocations this student has already used (`rules.md` §5).
    pub revocations_used: u32,
    /// Evening-course (نوبت دوم) student (seed 002 step 11).
    pub evening_course: bool,
    /// The clearance offices, in order (configuration; seed 002's list by default).
    pub offices: &'a [ClearanceOffice],
}

/// What the applicant is told, by SMS (seed 000 A1 steps 6–7, seed 002's initial confirmation).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    ReturnedForEdit,
    NotIssued,
    Issued,
    InPersonVisitRequired,
    RulingIssued,
    Revoked,
    Cleared,
}

/// A message to the applicant, queued by the server with the move.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Notification {
    pub kind: NotificationKind,
    pub message_fa: String,
    pub message_en: String,
}

/// The result of an allowed move.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Transition {
    pub to: State,
    pub notify: Option<Notification>,
}

/// Why a move is refused.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkflowError {
    /// The action cannot be taken in this state of this process.
    WrongState {
        process: Process,
        state: State,
        action: Action,
    },
    /// The action exists here, but not for this role.
    RoleNotAllowed {
        role: Role,
        state: State,
        action: Action,
    },
    /// The action must carry this data field.
    MissingData { field: &'static str },
    /// A rule of the law or the seeds forbids the move now.
    Guard {
        rule: &'static str,
        message_fa: String,
        message_en: String,
    },
}

impl fmt::Display for WorkflowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkflowError::WrongState {
                process,
                state,
                action,
            } => write!(
                f,
                "{}: `{}` is not possible in state `{}`",
                process.id(),
                action.id(),
                state.id()
            ),
            WorkflowError::RoleNotAllowed {
                role,
                state,
                action,
            } => write!(
                f,
                "role `{}` may not `{}` in state `{}`",
                role.id(),
                action.id(),
                state.id()
            ),
            WorkflowError::MissingData { field } => write!(f, "the action must carry `{field}`"),
            WorkflowError::Guard {
                rule, message_en, ..
            } => write!(f, "{message_en} ({rule})"),
        }
    }
}

impl std::error::Error for WorkflowError {}

/// The data fields an action must carry in a state (`editable`, `debt_rials`,
/// `instalments_start`, `instalments_end`); a `note` may always come along.
pub fn needs(
    process: Process,
    state: &State,
    action: Action,
    offices: &[ClearanceOffice],
) -> Vec<&'static str> {
    guards::needs(process, state, action, offices)
}

/// One row of a machine: in `from`, `role` may take `action`, which leads to `to`. An action with
/// more than one row from the same state leads to one of their `to`s, chosen by its data or the
/// [`Context`] (e.g. `return_for_edit` by `editable`).
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Edge {
    pub from: State,
    pub action: Action,
    pub role: Role,
    pub to: State,
}

/// Takes `action` as `role` on a request of `process` in `state`: the only way a request moves.
/// Checks, in order: the action exists in this state, the role may take it, the data it must
/// carry, and the guards (see `guards.rs`); then returns the next state and the notification.
pub fn apply(
    process: Process,
    state: &State,
    action: Action,
    role: &Role,
    data: &ActionData,
    ctx: &Context<'_>,
) -> Result<Transition, WorkflowError> {
    let rows: Vec<Edge> = edges(process, ctx.offices)
        .into_iter()
        .filter(|e| &e.from == state && e.action == action)
        .collect();
    if rows.is_empty() {
        return Err(WorkflowError::WrongState {
            process,
            state: state.clone(),
            action,
        });
    }
    if !rows.iter().any(|e| &e.role == role) {
        return Err(WorkflowError::RoleNotAllowed {
            role: role.clone(),
            state: state.clone(),
            action,
        });
    }
    let to = guards::check(process, state, action, data, ctx, &rows)?;
    debug_assert!(rows.iter().any(|e| e.to == to), "target not in the table");
    let notify = guards::notification(action, &to, ctx);
    Ok(Transition { to, notify })
}
