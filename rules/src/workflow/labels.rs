//! Persian and English names of the workflow's roles, states and actions, and parsing of their
//! machine names (`Role::id`, `State::id`), shared by the server, the staff app and the student app.

use super::{Action, Process, Role, State};
use crate::requests::ClearanceOffice;

/// A name in both languages.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize)]
pub struct Label {
    pub fa: String,
    pub en: String,
}

fn label(fa: &str, en: &str) -> Label {
    Label {
        fa: fa.to_owned(),
        en: en.to_owned(),
    }
}

fn office_name(offices: &[ClearanceOffice], id: &str) -> Label {
    offices
        .iter()
        .find(|o| o.id == id)
        .map(|o| label(&o.name_fa, &o.name_en))
        .unwrap_or_else(|| label(id, id))
}

/// The process's name.
pub fn process_label(process: Process) -> Label {
    match process {
        Process::ExemptionA1 => label("معافیت تحصیلی (اینترنتی)", "Educational exemption (online)"),
        Process::ExemptionA2 => label(
            "معافیت تحصیلی (دفتر خدمات الکترونیک انتظامی)",
            "Educational exemption (police e-services office)",
        ),
        Process::Withdrawal => label("انصراف از تحصیل", "Withdrawal from study"),
        Process::Clearance => label("تسویه حساب", "Clearance"),
    }
}

/// The role's name; a clearance office's expert is named after the office.
pub fn role_label(role: &Role, offices: &[ClearanceOffice]) -> Label {
    match role {
        Role::UniversityUser => label("کاربر دانشگاه", "University user"),
        Role::ConscriptionExpert => label("کارشناس اداره وظیفه", "Conscription-office expert"),
        Role::ConscriptionDeputy => label("معاون وظیفه عمومی", "Conscription deputy"),
        Role::PoliceOffice => label("دفتر خدمات الکترونیک انتظامی", "Police e-services office"),
        Role::FacultyExpert => label("کارشناس آموزش دانشکده", "Faculty education expert"),
        Role::StudentAffairsExpert => label("کارشناس امور دانشجویی", "Student-affairs expert"),
        Role::HeadOfFacultyEducation => {
            label("رئیس اداره آموزش دانشکده", "Head of faculty education")
        }
        Role::CentralOfficeExpert => label(
            "کارشناس اداره کل خدمات آموزشی",
            "Central office of educational services",
        ),
        Role::DepartmentExpert => label("کارشناس گروه آموزشی", "Department expert"),
        Role::ClearanceOffice(id) => {
            let office = office_name(offices, id);
            Label {
                fa: format!("کارشناس {}", office.fa),
                en: format!("{} expert", office.en),
            }
        }
        Role::Applicant => label("متقاضی", "Applicant"),
        Role::System => label("سامانه", "System"),
        Role::Admin => label("مدیر سامانه", "Administrator"),
        Role::UniversityAdmin => label("مدیر دانشگاه", "University administrator"),
    }
}

/// Where the request stands, as the applicant and the clerk read it.
pub fn state_label(state: &State, offices: &[ClearanceOffice]) -> Label {
    match state {
        State::Submitted => label("ثبت شده", "Submitted"),
        State::PrecheckRefused => label("رد در بررسی اولیه", "Refused by the initial check"),
        State::AtDeputy => label(
            "در کارتابل معاون وظیفه عمومی",
            "With the conscription deputy",
        ),
        State::AwaitingPayment => label("در انتظار پرداخت هزینه خدمات", "Awaiting the service fee"),
        State::AtUniversity => label("در کارتابل دانشگاه", "With the university"),
        State::ReturnedForEdit => label("برگشت برای اصلاح", "Returned for editing"),
        State::SystemRecheck => label("بررسی دوباره سامانه", "System re-check"),
        State::AtConscriptionOffice => {
            label("در کارتابل اداره وظیفه", "With the conscription office")
        }
        State::Issued => label("معافیت صادر شد", "Exemption issued"),
        State::NotIssued => label("معافیت صادر نشد", "Exemption not issued"),
        State::Registered => label("ثبت در سامانه وظیفه", "Registered"),
        State::PermitIssued => label("مجوز ثبت نام صادر شد", "Registration permit issued"),
        State::AwaitingDeputyConfirmation => label(
            "در انتظار تأیید معاون وظیفه عمومی",
            "Awaiting the deputy's confirmation",
        ),
        State::StatusSettled => label("تعیین وضعیت شد", "Status settled"),
        State::PermitCancelled => label("مجوز ثبت نام لغو شد", "Registration permit cancelled"),
        State::AwaitingStudentClearances => label(
            "در انتظار تسویه دانشجو با واحدهای دانشکده",
            "Awaiting the student's clearances",
        ),
        State::FacultyCompletion => label("تکمیل پرونده در دانشکده", "Faculty completes the file"),
        State::AtStudentAffairs => label("در امور دانشجویی (صندوق رفاه)", "With student affairs"),
        State::FacultyFinalCheck => label("بررسی نهایی دانشکده", "Faculty's final check"),
        State::AtHeadOfEducation => {
            label("نزد رئیس اداره آموزش دانشکده", "With the head of education")
        }
        State::AtCentralOffice => label("در اداره کل خدمات آموزشی", "With the central office"),
        State::AwaitingRuling => label("در انتظار صدور حکم انصراف", "Awaiting the ruling"),
        State::RulingIssued => label("حکم انصراف صادر شد", "Withdrawal ruling issued"),
        State::Revoked => label("انصراف پس گرفته شد", "Withdrawal revoked"),
        State::AtOffice(id) => {
            let office = office_name(offices, id);
            Label {
                fa: format!("در انتظار تأیید {}", office.fa),
                en: format!("Awaiting {}", office.en),
            }
        }
        State::VisitRequired(id) => {
            let office = office_name(offices, id);
            Label {
                fa: format!("مراجعه حضوری لازم: {}", office.fa),
                en: format!("In-person visit required: {}", office.en),
            }
        }
        State::Cleared => label("تسویه کامل شد", "Cleared"),
    }
}

/// What the action does, as a button says it.
pub fn action_label(action: Action) -> Label {
    use Action as A;
    match action {
        A::PrecheckPass => label("بررسی اولیه: دارای شرایط", "Initial check passed"),
        A::PrecheckFail => label("بررسی اولیه: فاقد شرایط", "Initial check failed"),
        A::FileJustification => label("ثبت توجیه عدم صدور", "File a justification"),
        A::AcceptJustification => label("پذیرش توجیه", "Accept the justification"),
        A::RejectJustification => label("رد توجیه", "Reject the justification"),
        A::ConfirmPayment => label("پرداخت تأیید شد", "Payment verified"),
        A::ReturnForEdit => label("نیاز به اصلاح", "Needs editing"),
        A::Resubmit => label("اصلاح و تأیید دوباره", "Edit and confirm again"),
        A::ConfirmData => label("تأیید اطلاعات", "Confirm the data"),
        A::RecheckPass => label("بررسی دوباره: دارای شرایط", "Re-check passed"),
        A::RecheckFail => label("بررسی دوباره: فاقد شرایط", "Re-check failed"),
        A::Issue => label("صدور معافیت", "Issue the exemption"),
        A::Refuse => label("عدم صدور", "Do not issue"),
        A::GrantPermit => label("صدور مجوز ثبت نام", "Issue the registration permit"),
        A::ReferToDeputy => label("ارسال به معاون وظیفه عمومی", "Refer to the deputy"),
        A::SettleStatus => label("تعیین وضعیت مشمول", "Settle the status"),
        A::SubmitAdmittedList => label("ثبت فهرست پذیرفته‌شدگان", "Record the admitted list"),
        A::CancelPermit => label("لغو مجوز ثبت نام", "Cancel the permit"),
        A::CancelCard => label("ابطال کارت دانشجویی", "Cancel the student card"),
        A::ReportClearances => label("تسویه با واحدهای دانشکده", "Clearances done"),
        A::CompleteFile => label("تکمیل پرونده و ارسال به امور دانشجویی", "Complete the file"),
        A::ConfirmWelfareDebt => label("تأیید بدهی صندوق رفاه", "Confirm the welfare debt"),
        A::SendToHead => label("ارسال به رئیس اداره آموزش", "Send to the head of education"),
        A::SendToCentral => label(
            "ارسال به اداره کل خدمات آموزشی",
            "Send to the central office",
        ),
        A::ConfirmFile => label("تأیید مدارک و پرونده", "Confirm papers and file"),
        A::IssueRuling => label("صدور حکم انصراف", "Issue the ruling"),
        A::Revoke => label("انصراف از انصراف", "Revoke the withdrawal"),
        A::Forward => label("تأیید و ارسال به مرحله بعد", "Forward to the next step"),
        A::RequireVisit => label("مراجعه حضوری دانشجو الزامی است", "In-person visit required"),
    }
}

/// The label of an audit row's action: an [`Action`]'s id, or `submit` for the filing itself.
pub fn audit_action_label(id: &str) -> Label {
    match Action::parse(id) {
        Some(action) => action_label(action),
        None if id == "submit" => label("ثبت درخواست", "Request filed"),
        None => label(id, id),
    }
}

/// `pay`, the applicant's step of paying the service fee: no action of the machines (the
/// payment's verification moves the request), but offered beside the applicant's actions.
pub fn pay_label() -> Label {
    label("پرداخت هزینه خدمات", "Pay the service fee")
}

impl Role {
    /// The role named by [`Role::id`].
    pub fn parse(id: &str) -> Option<Role> {
        if let Some(office) = id.strip_prefix("clearance_office:") {
            return (!office.is_empty()).then(|| Role::for_office(office));
        }
        Role::ALL.into_iter().find(|r| r.id() == id)
    }
}

impl State {
    /// The state named by [`State::id`].
    pub fn parse(id: &str) -> Option<State> {
        if let Some(office) = id.strip_prefix("at_office:") {
            return Some(State::AtOffice(office.to_owned()));
        }
        if let Some(office) = id.strip_prefix("visit_required:") {
            return Some(State::VisitRequired(office.to_owned()));
        }
        ALL_FIXED.iter().find(|s| s.id() == id).cloned()
    }
}

impl Action {
    /// The action named by [`Action::id`].
    pub fn parse(id: &str) -> Option<Action> {
        serde_json::from_value(serde_json::Value::String(id.to_owned())).ok()
    }
}

/// Every state without an office.
const ALL_FIXED: [State; 25] = [
    State::Submitted,
    State::PrecheckRefused,
    State::AtDeputy,
    State::AwaitingPayment,
    State::AtUniversity,
    State::ReturnedForEdit,
    State::SystemRecheck,
    State::AtConscriptionOffice,
    State::Issued,
    State::NotIssued,
    State::Registered,
    State::PermitIssued,
    State::AwaitingDeputyConfirmation,
    State::StatusSettled,
    State::PermitCancelled,
    State::AwaitingStudentClearances,
    State::FacultyCompletion,
    State::AtStudentAffairs,
    State::FacultyFinalCheck,
    State::AtHeadOfEducation,
    State::AtCentralOffice,
    State::AwaitingRuling,
    State::RulingIssued,
    State::Revoked,
    State::Cleared,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requests::default_offices;
    use crate::workflow::{edges, Process};

    #[test]
    fn every_name_parses_back_and_has_labels() {
        let offices = default_offices();
        for process in Process::ALL {
            for e in edges(process, &offices) {
                for s in [&e.from, &e.to] {
                    assert_eq!(State::parse(&s.id()).as_ref(), Some(s));
                    let l = state_label(s, &offices);
                    assert!(!l.fa.is_empty() && !l.en.is_empty());
                    assert!(!l.fa.contains('_'), "{}", l.fa);
                }
                assert_eq!(Role::parse(&e.role.id()), Some(e.role.clone()));
                assert_eq!(Action::parse(&e.action.id()), Some(e.action));
                assert_ne!(action_label(e.action).fa, action_label(e.action).en);
            }
        }
        assert_eq!(
            Role::parse("clearance_office:department"),
            Some(Role::DepartmentExpert)
        );
        assert_eq!(Role::parse("nobody"), None);
        assert_eq!(Role::parse("clearance_office:"), None);
        assert_eq!(State::parse("nowhere"), None);
        assert_eq!(
            state_label(&State::AtOffice("welfare".into()), &offices).en,
            "Awaiting Welfare office"
        );
    }
}
