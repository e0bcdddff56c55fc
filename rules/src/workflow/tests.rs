//! Native tests of every machine: the allowed table, each guard, forbidden roles, full walks.

use super::mermaid::workflows_doc;
use super::*;
use crate::requests::{default_offices, ClearanceOffice};

fn d(text: &str) -> JalaliDate {
    JalaliDate::parse(text).unwrap()
}

/// Submitted on 1403-07-15: the revocation deadline is 1403-09-15, the ruling from 1403-09-16.
fn ctx(offices: &[ClearanceOffice]) -> Context<'_> {
    Context {
        today: d("1403-07-15"),
        submitted: d("1403-07-15"),
        revocations_used: 0,
        evening_course: false,
        offices,
    }
}

fn none() -> ActionData {
    ActionData::default()
}

fn debt(rials: u64) -> ActionData {
    ActionData {
        debt_rials: Some(rials),
        ..ActionData::default()
    }
}

fn welfare(start: &str, end: &str) -> ActionData {
    ActionData {
        debt_rials: Some(0),
        instalments_start: Some(d(start)),
        instalments_end: Some(d(end)),
        ..ActionData::default()
    }
}

fn office(id: &str) -> Role {
    Role::ClearanceOffice(id.into())
}

fn at(id: &str) -> State {
    State::AtOffice(id.into())
}

/// Walks `steps` from the process's start and returns the final state and the last notification.
fn walk(
    process: Process,
    c: &Context<'_>,
    steps: &[(Action, Role, ActionData)],
) -> (State, Option<Notification>) {
    let mut state = start(process, c.offices, c.evening_course);
    let mut last = None;
    for (action, role, data) in steps {
        let t = apply(process, &state, *action, role, data, c)
            .unwrap_or_else(|e| panic!("{} at {}: {e}", action.id(), state.id()));
        state = t.to;
        last = t.notify;
    }
    (state, last)
}

fn table(process: Process) -> Vec<String> {
    allowed(process)
        .iter()
        .map(|(s, a, r)| format!("{} {} {}", s.id(), a.id(), r.id()))
        .collect()
}

fn guard_rule(result: Result<Transition, WorkflowError>) -> &'static str {
    match result {
        Err(WorkflowError::Guard {
            rule,
            message_fa,
            message_en,
        }) => {
            assert!(!message_fa.is_empty() && !message_en.is_empty());
            rule
        }
        other => panic!("expected a guard, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// The allowed tables

#[test]
fn allowed_exemption_a1() {
    assert_eq!(
        table(Process::ExemptionA1),
        [
            "submitted precheck_pass system",
            "submitted precheck_fail system",
            "precheck_refused file_justification applicant",
            "at_deputy accept_justification conscription_deputy",
            "at_deputy reject_justification conscription_deputy",
            "awaiting_payment confirm_payment system",
            "at_university return_for_edit university_user",
            "at_university confirm_data university_user",
            "returned_for_edit resubmit applicant",
            "system_recheck recheck_pass system",
            "system_recheck recheck_fail system",
            "at_conscription_office issue conscription_expert",
            "at_conscription_office refuse conscription_expert",
        ]
    );
}

#[test]
fn allowed_exemption_a2() {
    assert_eq!(
        table(Process::ExemptionA2),
        [
            "registered grant_permit police_office",
            "registered refer_to_deputy police_office",
            "at_deputy settle_status conscription_deputy",
            "permit_issued submit_admitted_list university_user",
            "awaiting_deputy_confirmation issue conscription_deputy",
            "awaiting_deputy_confirmation cancel_permit conscription_deputy",
        ]
    );
}

#[test]
fn allowed_withdrawal() {
    assert_eq!(
        table(Process::Withdrawal),
        [
            "submitted cancel_card faculty_expert",
            "submitted revoke applicant",
            "awaiting_student_clearances report_clearances applicant",
            "awaiting_student_clearances revoke applicant",
            "faculty_completion complete_file faculty_expert",
            "faculty_completion revoke applicant",
            "at_student_affairs confirm_welfare_debt student_affairs_expert",
            "at_student_affairs revoke applicant",
            "faculty_final_check send_to_head faculty_expert",
            "faculty_final_check revoke applicant",
            "at_head_of_education send_to_central head_of_faculty_education",
            "at_head_of_education revoke applicant",
            "at_central_office confirm_file central_office_expert",
            "at_central_office revoke applicant",
            "awaiting_ruling issue_ruling central_office_expert",
            "awaiting_ruling revoke applicant",
        ]
    );
}

#[test]
fn allowed_clearance_default_offices() {
    assert_eq!(
        table(Process::Clearance),
        [
        "at_office:department require_visit department_expert",
        "at_office:department forward department_expert",
        "visit_required:department forward department_expert",
        "at_office:kharazmi_library require_visit clearance_office:kharazmi_library",
        "at_office:kharazmi_library forward clearance_office:kharazmi_library",
        "visit_required:kharazmi_library forward clearance_office:kharazmi_library",
        "at_office:mirza_shirazi_library require_visit clearance_office:mirza_shirazi_library",
        "at_office:mirza_shirazi_library forward clearance_office:mirza_shirazi_library",
        "visit_required:mirza_shirazi_library forward clearance_office:mirza_shirazi_library",
        "at_office:molla_sadra_library require_visit clearance_office:molla_sadra_library",
        "at_office:molla_sadra_library forward clearance_office:molla_sadra_library",
        "visit_required:molla_sadra_library forward clearance_office:molla_sadra_library",
        "at_office:counselling_centre require_visit clearance_office:counselling_centre",
        "at_office:counselling_centre forward clearance_office:counselling_centre",
        "visit_required:counselling_centre forward clearance_office:counselling_centre",
        "at_office:food_service require_visit clearance_office:food_service",
        "at_office:food_service forward clearance_office:food_service",
        "visit_required:food_service forward clearance_office:food_service",
        "at_office:student_accounting require_visit clearance_office:student_accounting",
        "at_office:student_accounting forward clearance_office:student_accounting",
        "visit_required:student_accounting forward clearance_office:student_accounting",
        "at_office:dormitory require_visit clearance_office:dormitory",
        "at_office:dormitory forward clearance_office:dormitory",
        "visit_required:dormitory forward clearance_office:dormitory",
        "at_office:welfare require_visit clearance_office:welfare",
        "at_office:welfare forward clearance_office:welfare",
        "visit_required:welfare forward clearance_office:welfare",
        "at_office:evening_course_accounting require_visit clearance_office:evening_course_accounting",
        "at_office:evening_course_accounting forward clearance_office:evening_course_accounting",
        "visit_required:evening_course_accounting forward clearance_office:evening_course_accounting",
        ]
    );
}

#[test]
fn clearance_rows_follow_configured_offices() {
    let offices = &default_offices()[..2];
    let rows: Vec<String> = edges(Process::Clearance, offices)
        .iter()
        .map(|e| format!("{} {} {}", e.from.id(), e.action.id(), e.to.id()))
        .collect();
    assert_eq!(
        rows,
        [
            "at_office:department require_visit visit_required:department",
            "at_office:department forward at_office:kharazmi_library",
            "visit_required:department forward at_office:kharazmi_library",
            "at_office:kharazmi_library require_visit visit_required:kharazmi_library",
            "at_office:kharazmi_library forward cleared",
            "visit_required:kharazmi_library forward cleared",
        ]
    );
    // The welfare office forwards to the evening-course office or to the end.
    let targets: Vec<String> = edges(Process::Clearance, &default_offices())
        .into_iter()
        .filter(|e| e.from == at("welfare") && e.action == Action::Forward)
        .map(|e| e.to.id())
        .collect();
    assert_eq!(targets, ["at_office:evening_course_accounting", "cleared"]);
}

// ---------------------------------------------------------------------------------------------
// The shape of each machine

#[test]
fn every_end_reachable_no_dead_ends() {
    let offices = default_offices();
    for process in Process::ALL {
        let rows = edges(process, &offices);
        let ends = end_states(process);
        let mut seen = vec![start(process, &offices, true)];
        let mut i = 0;
        while i < seen.len() {
            let from = seen[i].clone();
            for e in rows.iter().filter(|e| e.from == from) {
                if !seen.contains(&e.to) {
                    seen.push(e.to.clone());
                }
            }
            i += 1;
        }
        for end in &ends {
            assert!(
                seen.contains(end),
                "{}: {} unreachable",
                process.id(),
                end.id()
            );
            assert!(
                !rows.iter().any(|e| &e.from == end),
                "{} leaves an end",
                end.id()
            );
        }
        for state in &seen {
            let leaves = rows.iter().any(|e| &e.from == state);
            assert_eq!(
                leaves,
                !ends.contains(state),
                "{}: {}",
                process.id(),
                state.id()
            );
        }
    }
}

fn all_roles() -> Vec<Role> {
    let mut roles = Role::ALL.to_vec();
    roles.push(office(DEPARTMENT_OFFICE_ID));
    roles.extend(default_offices().iter().map(|o| office(&o.id)));
    roles
}

#[test]
fn every_forbidden_role_is_refused() {
    let offices = default_offices();
    let c = Context {
        evening_course: true,
        ..ctx(&offices)
    };
    let mut refused = 0;
    for process in Process::ALL {
        let triples = allowed(process);
        for (state, action, _) in &triples {
            for role in all_roles() {
                if triples.contains(&(state.clone(), *action, role.clone())) {
                    continue;
                }
                let result = apply(
                    process,
                    state,
                    *action,
                    &role,
                    &welfare("1403-08-01", "1404-08-01"),
                    &c,
                );
                assert_eq!(
                    result,
                    Err(WorkflowError::RoleNotAllowed {
                        role: role.clone(),
                        state: state.clone(),
                        action: *action,
                    })
                );
                refused += 1;
            }
        }
    }
    assert!(refused > 500);
}

#[test]
fn every_allowed_triple_is_accepted() {
    let offices = default_offices();
    let c = Context {
        today: d("1403-09-16"),
        evening_course: true,
        ..ctx(&offices)
    };
    let data = ActionData {
        editable: Some(true),
        ..welfare("1403-08-01", "1404-08-01")
    };
    for process in Process::ALL {
        for (state, action, role) in allowed(process) {
            if action == Action::Revoke {
                continue; // outside the window on this day; see the revocation tests
            }
            let t = apply(process, &state, action, &role, &data, &c);
            assert!(
                t.is_ok(),
                "{} {} {}: {t:?}",
                state.id(),
                action.id(),
                role.id()
            );
        }
    }
}

#[test]
fn action_outside_its_state_is_wrong_state() {
    let offices = default_offices();
    let c = ctx(&offices);
    // A1: the exemption is issued only after the system re-check passed.
    for state in [State::SystemRecheck, State::AtUniversity, State::Submitted] {
        assert_eq!(
            apply(
                Process::ExemptionA1,
                &state,
                Action::Issue,
                &Role::ConscriptionExpert,
                &none(),
                &c
            ),
            Err(WorkflowError::WrongState {
                process: Process::ExemptionA1,
                state,
                action: Action::Issue,
            })
        );
    }
    // Another process's state, an unknown office, an end state.
    assert!(matches!(
        apply(
            Process::Withdrawal,
            &State::AtUniversity,
            Action::Revoke,
            &Role::Applicant,
            &none(),
            &c
        ),
        Err(WorkflowError::WrongState { .. })
    ));
    assert!(matches!(
        apply(
            Process::Clearance,
            &at("gym"),
            Action::Forward,
            &office("gym"),
            &none(),
            &c
        ),
        Err(WorkflowError::WrongState { .. })
    ));
    assert!(matches!(
        apply(
            Process::ExemptionA1,
            &State::Issued,
            Action::Refuse,
            &Role::ConscriptionExpert,
            &none(),
            &c
        ),
        Err(WorkflowError::WrongState { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Exemption A1 (seed 000)

#[test]
fn a1_walks_to_every_end() {
    use Action as A;
    use Role as R;
    let offices = default_offices();
    let c = ctx(&offices);
    let editable = |v| ActionData {
        editable: Some(v),
        ..ActionData::default()
    };
    let happy = [
        (A::PrecheckPass, R::System, none()),
        (A::ConfirmPayment, R::System, none()),
        (A::ReturnForEdit, R::UniversityUser, editable(true)),
        (A::Resubmit, R::Applicant, none()),
        (A::ConfirmData, R::UniversityUser, none()),
        (A::RecheckPass, R::System, none()),
        (A::Issue, R::ConscriptionExpert, none()),
    ];
    let (end, sms) = walk(Process::ExemptionA1, &c, &happy);
    assert_eq!(end, State::Issued);
    assert_eq!(sms.unwrap().kind, NotificationKind::Issued);

    let justified = [
        (A::PrecheckFail, R::System, none()),
        (A::FileJustification, R::Applicant, none()),
        (A::AcceptJustification, R::ConscriptionDeputy, none()),
        (A::ConfirmPayment, R::System, none()),
        (A::ConfirmData, R::UniversityUser, none()),
        (A::RecheckPass, R::System, none()),
        (A::Refuse, R::ConscriptionExpert, none()),
    ];
    let (end, sms) = walk(Process::ExemptionA1, &c, &justified);
    assert_eq!(end, State::NotIssued);
    assert_eq!(sms.unwrap().kind, NotificationKind::NotIssued);

    let rejected = [
        (A::PrecheckFail, R::System, none()),
        (A::FileJustification, R::Applicant, none()),
        (A::RejectJustification, R::ConscriptionDeputy, none()),
    ];
    assert_eq!(
        walk(Process::ExemptionA1, &c, &rejected).0,
        State::NotIssued
    );

    let recheck_failed = [
        (A::PrecheckPass, R::System, none()),
        (A::ConfirmPayment, R::System, none()),
        (A::ConfirmData, R::UniversityUser, none()),
        (A::RecheckFail, R::System, none()),
    ];
    assert_eq!(
        walk(Process::ExemptionA1, &c, &recheck_failed).0,
        State::NotIssued
    );
}

#[test]
fn a1_return_for_edit_goes_back_only_if_editable() {
    let offices = default_offices();
    let c = ctx(&offices);
    let ret = |editable| {
        let data = ActionData {
            editable,
            ..ActionData::default()
        };
        apply(
            Process::ExemptionA1,
            &State::AtUniversity,
            Action::ReturnForEdit,
            &Role::UniversityUser,
            &data,
            &c,
        )
    };
    let back = ret(Some(true)).unwrap();
    assert_eq!(back.to, State::ReturnedForEdit);
    assert_eq!(back.notify.unwrap().kind, NotificationKind::ReturnedForEdit);
    let ended = ret(Some(false)).unwrap();
    assert_eq!(ended.to, State::NotIssued);
    assert_eq!(ended.notify.unwrap().kind, NotificationKind::NotIssued);
    assert_eq!(
        ret(None),
        Err(WorkflowError::MissingData { field: "editable" })
    );
}

// ---------------------------------------------------------------------------------------------
// Exemption A2 (seed 000)

#[test]
fn a2_walks_to_every_end() {
    use Action as A;
    use Role as R;
    let offices = default_offices();
    let c = ctx(&offices);
    let granted = |last: Action| {
        [
            (A::GrantPermit, R::PoliceOffice, none()),
            (A::SubmitAdmittedList, R::UniversityUser, none()),
            (last, R::ConscriptionDeputy, none()),
        ]
    };
    assert_eq!(
        walk(Process::ExemptionA2, &c, &granted(A::Issue)).0,
        State::Issued
    );
    assert_eq!(
        walk(Process::ExemptionA2, &c, &granted(A::CancelPermit)).0,
        State::PermitCancelled
    );
    let referred = [
        (A::ReferToDeputy, R::PoliceOffice, none()),
        (A::SettleStatus, R::ConscriptionDeputy, none()),
    ];
    assert_eq!(
        walk(Process::ExemptionA2, &c, &referred).0,
        State::StatusSettled
    );
}

// ---------------------------------------------------------------------------------------------
// Withdrawal (seed 001, rules.md §5)

fn withdrawal_steps() -> Vec<(Action, Role, ActionData)> {
    use Action as A;
    use Role as R;
    vec![
        (A::CancelCard, R::FacultyExpert, none()),
        (A::ReportClearances, R::Applicant, none()),
        (A::CompleteFile, R::FacultyExpert, none()),
        (A::ConfirmWelfareDebt, R::StudentAffairsExpert, debt(0)),
        (A::SendToHead, R::FacultyExpert, none()),
        (A::SendToCentral, R::HeadOfFacultyEducation, none()),
        (A::ConfirmFile, R::CentralOfficeExpert, none()),
        (A::IssueRuling, R::CentralOfficeExpert, none()),
    ]
}

#[test]
fn withdrawal_walks_to_every_end() {
    let offices = default_offices();
    let c = Context {
        today: d("1403-09-16"),
        ..ctx(&offices)
    };
    let (end, sms) = walk(Process::Withdrawal, &c, &withdrawal_steps());
    assert_eq!(end, State::RulingIssued);
    assert_eq!(sms.unwrap().kind, NotificationKind::RulingIssued);

    let early = Context {
        today: d("1403-08-01"),
        ..c
    };
    let mut steps = withdrawal_steps()[..3].to_vec();
    steps.push((Action::Revoke, Role::Applicant, none()));
    let (end, sms) = walk(Process::Withdrawal, &early, &steps);
    assert_eq!(end, State::Revoked);
    assert_eq!(sms.unwrap().kind, NotificationKind::Revoked);
}

#[test]
fn ruling_on_final_ruling_from_accepted_day_before_refused() {
    let offices = default_offices();
    let on = |today: &str| {
        let c = Context {
            today: d(today),
            ..ctx(&offices)
        };
        apply(
            Process::Withdrawal,
            &State::AwaitingRuling,
            Action::IssueRuling,
            &Role::CentralOfficeExpert,
            &none(),
            &c,
        )
    };
    assert_eq!(on("1403-09-16").unwrap().to, State::RulingIssued);
    assert_eq!(
        guard_rule(on("1403-09-15")),
        "rules.md §5, withdrawal procedure n.2"
    );
    assert!(guard_rule(on("1403-07-15")).contains("§5"));
}

#[test]
fn revocation_on_deadline_day_accepted_day_after_refused() {
    let offices = default_offices();
    let on = |today: &str, used: u32| {
        let c = Context {
            today: d(today),
            revocations_used: used,
            ..ctx(&offices)
        };
        apply(
            Process::Withdrawal,
            &State::AtCentralOffice,
            Action::Revoke,
            &Role::Applicant,
            &none(),
            &c,
        )
    };
    assert_eq!(on("1403-07-15", 0).unwrap().to, State::Revoked);
    assert_eq!(on("1403-09-15", 0).unwrap().to, State::Revoked);
    assert!(guard_rule(on("1403-09-16", 0)).contains("§5"));
    // Only once per student: a second revocation, even inside the window, is refused.
    assert!(guard_rule(on("1403-08-01", 1)).contains("§5"));
    // And a revoked request cannot be revoked again.
    let c = ctx(&offices);
    assert!(matches!(
        apply(
            Process::Withdrawal,
            &State::Revoked,
            Action::Revoke,
            &Role::Applicant,
            &none(),
            &c
        ),
        Err(WorkflowError::WrongState { .. })
    ));
}

#[test]
fn withdrawal_welfare_debt_required() {
    let offices = default_offices();
    let c = ctx(&offices);
    let confirm = |data: &ActionData| {
        apply(
            Process::Withdrawal,
            &State::AtStudentAffairs,
            Action::ConfirmWelfareDebt,
            &Role::StudentAffairsExpert,
            data,
            &c,
        )
    };
    assert_eq!(
        confirm(&none()),
        Err(WorkflowError::MissingData {
            field: "debt_rials"
        })
    );
    assert_eq!(
        confirm(&debt(1_500_000)).unwrap().to,
        State::FacultyFinalCheck
    );
}

// ---------------------------------------------------------------------------------------------
// Clearance (seed 002)

fn clearance_steps(evening: bool) -> Vec<(Action, Role, ActionData)> {
    let mut steps = vec![
        (Action::RequireVisit, Role::DepartmentExpert, none()),
        (Action::Forward, Role::DepartmentExpert, none()),
    ];
    for id in [
        "kharazmi_library",
        "mirza_shirazi_library",
        "molla_sadra_library",
        "counselling_centre",
        "food_service",
        "student_accounting",
    ] {
        steps.push((Action::Forward, office(id), none()));
    }
    steps.push((Action::Forward, office("dormitory"), debt(2_000_000)));
    steps.push((
        Action::Forward,
        office("welfare"),
        welfare("1403-08-01", "1404-07-30"),
    ));
    if evening {
        steps.push((Action::Forward, office("evening_course_accounting"), none()));
    }
    steps
}

#[test]
fn clearance_walks_to_the_end_with_and_without_evening_course() {
    let offices = default_offices();
    for evening in [false, true] {
        let c = Context {
            evening_course: evening,
            ..ctx(&offices)
        };
        let (end, sms) = walk(Process::Clearance, &c, &clearance_steps(evening));
        assert_eq!(end, State::Cleared);
        assert_eq!(sms.unwrap().kind, NotificationKind::Cleared);
    }
}

#[test]
fn evening_course_office_only_for_evening_course_students() {
    let offices = default_offices();
    let data = welfare("1403-08-01", "1403-08-01");
    let from_welfare = |evening| {
        let c = Context {
            evening_course: evening,
            ..ctx(&offices)
        };
        apply(
            Process::Clearance,
            &at("welfare"),
            Action::Forward,
            &office("welfare"),
            &data,
            &c,
        )
        .unwrap()
        .to
    };
    assert_eq!(from_welfare(false), State::Cleared);
    assert_eq!(from_welfare(true), at("evening_course_accounting"));
    let c = ctx(&offices);
    let evening = office("evening_course_accounting");
    for action in [Action::Forward, Action::RequireVisit] {
        let result = apply(
            Process::Clearance,
            &at("evening_course_accounting"),
            action,
            &evening,
            &none(),
            &c,
        );
        assert_eq!(guard_rule(result), "seed 002 step 11");
    }
    // An evening-course-only office first on the list is skipped at the start, too.
    let mut first = offices.clone();
    first.rotate_right(1);
    assert_eq!(start(Process::Clearance, &first, false), at("department"));
    assert_eq!(
        start(Process::Clearance, &first, true),
        at("evening_course_accounting")
    );
}

#[test]
fn dormitory_and_welfare_must_record_the_debt() {
    let offices = default_offices();
    let c = ctx(&offices);
    let forward = |id: &str, data: &ActionData| {
        apply(
            Process::Clearance,
            &at(id),
            Action::Forward,
            &office(id),
            data,
            &c,
        )
    };
    let missing = |field| Err(WorkflowError::MissingData { field });
    assert_eq!(forward("dormitory", &none()), missing("debt_rials"));
    assert_eq!(forward("dormitory", &debt(0)).unwrap().to, at("welfare"));
    assert_eq!(forward("welfare", &none()), missing("debt_rials"));
    assert_eq!(forward("welfare", &debt(10)), missing("instalments_start"));
    let no_end = ActionData {
        instalments_end: None,
        ..welfare("1403-08-01", "1403-08-01")
    };
    assert_eq!(forward("welfare", &no_end), missing("instalments_end"));
    let reversed = forward("welfare", &welfare("1403-08-02", "1403-08-01"));
    assert_eq!(guard_rule(reversed), "seed 002 step 10");
    assert_eq!(
        forward("welfare", &welfare("1403-08-01", "1403-08-01"))
            .unwrap()
            .to,
        State::Cleared
    );
    // Other offices need no data.
    assert_eq!(
        forward("food_service", &none()).unwrap().to,
        at("student_accounting")
    );
}

#[test]
fn in_person_mark_keeps_the_request_at_the_office_and_notifies() {
    let offices = default_offices();
    let c = ctx(&offices);
    let role = office("food_service");
    let t = apply(
        Process::Clearance,
        &at("food_service"),
        Action::RequireVisit,
        &role,
        &none(),
        &c,
    )
    .unwrap();
    assert_eq!(t.to, State::VisitRequired("food_service".into()));
    let sms = t.notify.unwrap();
    assert_eq!(sms.kind, NotificationKind::InPersonVisitRequired);
    assert!(sms.message_fa.contains("اداره تغذیه") && sms.message_fa.contains("الزامی"));
    // Only that office's expert moves it on, and only by forwarding.
    assert!(matches!(
        apply(
            Process::Clearance,
            &t.to,
            Action::Forward,
            &office("student_accounting"),
            &none(),
            &c
        ),
        Err(WorkflowError::RoleNotAllowed { .. })
    ));
    assert!(matches!(
        apply(
            Process::Clearance,
            &t.to,
            Action::RequireVisit,
            &role,
            &none(),
            &c
        ),
        Err(WorkflowError::WrongState { .. })
    ));
    let on = apply(
        Process::Clearance,
        &t.to,
        Action::Forward,
        &role,
        &none(),
        &c,
    )
    .unwrap();
    assert_eq!(
        on,
        Transition {
            to: at("student_accounting"),
            notify: None
        }
    );
}

#[test]
fn clearance_offices_are_configuration() {
    // Seed 001's faculty units instead of seed 002's list.
    let office = |id: &str, debt: bool| ClearanceOffice {
        id: id.into(),
        name_fa: id.into(),
        name_en: id.into(),
        receives_student_card: false,
        records_debt: debt,
        records_instalments: false,
        evening_course_only: false,
    };
    let offices = vec![office("library", false), office("accounting", true)];
    let c = ctx(&offices);
    let steps = [
        (
            Action::Forward,
            Role::ClearanceOffice("library".into()),
            none(),
        ),
        (
            Action::Forward,
            Role::ClearanceOffice("accounting".into()),
            debt(5),
        ),
    ];
    assert_eq!(walk(Process::Clearance, &c, &steps).0, State::Cleared);
    assert_eq!(allowed_with(Process::Clearance, &offices).len(), 6);
}

// ---------------------------------------------------------------------------------------------
// Wire format and docs

#[test]
fn wire_names() {
    let data: ActionData = serde_json::from_value(serde_json::json!({
        "debt_rials": 1200, "instalments_start": "1403-08-01", "instalments_end": "1404/07/30"
    }))
    .unwrap();
    assert_eq!(data.instalments_end, Some(d("1404-07-30")));
    assert!(serde_json::from_value::<ActionData>(serde_json::json!({"debt": 1})).is_err());
    assert_eq!(
        serde_json::to_value(at("welfare")).unwrap(),
        serde_json::json!({"at_office": "welfare"})
    );
    assert_eq!(
        serde_json::to_value(Action::ReturnForEdit).unwrap(),
        "return_for_edit"
    );
    let err = WorkflowError::MissingData {
        field: "debt_rials",
    };
    assert_eq!(
        serde_json::to_value(&err).unwrap(),
        serde_json::json!({"kind": "missing_data", "field": "debt_rials"})
    );
    assert_eq!(err.to_string(), "the action must carry `debt_rials`");
}

/// `docs/workflows.md` is generated; `UPDATE_DOCS=1 cargo test -p rules workflow` rewrites it.
#[test]
fn docs_workflows_md_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/workflows.md");
    let expected = workflows_doc();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &expected).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == expected,
        "docs/workflows.md differs from the workflows in rules/src/workflow/; regenerate it with \
         `UPDATE_DOCS=1 cargo test -p rules workflow` and commit the result"
    );
}

/// `needs` says exactly which data `apply` asks for: without it every such move is refused
/// naming the first field, with it none is refused for missing data.
#[test]
fn needs_matches_the_data_apply_requires() {
    let offices = crate::requests::default_offices();
    let day = |s: &str| JalaliDate::parse(s).unwrap();
    let ctx = Context {
        today: day("1404-01-10"),
        submitted: day("1403-07-01"),
        revocations_used: 0,
        evening_course: true,
        offices: &offices,
    };
    let full = ActionData {
        editable: Some(true),
        debt_rials: Some(0),
        instalments_start: Some(day("1404-02-01")),
        instalments_end: Some(day("1404-12-01")),
        note: None,
    };
    let mut with_needs = 0;
    for process in Process::ALL {
        for e in edges(process, &offices) {
            let needs = needs(process, &e.from, e.action, &offices);
            let bare = apply(
                process,
                &e.from,
                e.action,
                &e.role,
                &ActionData::default(),
                &ctx,
            );
            match needs.first() {
                Some(first) => {
                    with_needs += 1;
                    assert_eq!(
                        bare,
                        Err(WorkflowError::MissingData { field: first }),
                        "{e:?}"
                    );
                }
                None => assert!(
                    !matches!(bare, Err(WorkflowError::MissingData { .. })),
                    "{e:?}"
                ),
            }
            let filled = apply(process, &e.from, e.action, &e.role, &full, &ctx);
            assert!(
                !matches!(filled, Err(WorkflowError::MissingData { .. })),
                "{e:?}"
            );
        }
    }
    assert!(with_needs >= 6, "{with_needs}");
}

#[test]
fn one_list_of_roles() {
    for role in Role::ALL {
        assert_eq!(Role::parse(&role.id()), Some(role.clone()));
    }
    let offices = default_offices();
    let staff = Role::staff_roles(&offices);
    assert!(staff.iter().all(Role::is_staff));
    assert!(!staff.contains(&Role::Applicant) && !staff.contains(&Role::System));
    let mut ids: Vec<String> = staff.iter().map(Role::id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), staff.len(), "no role twice");
    assert!(staff.contains(&Role::DepartmentExpert));
    assert!(staff.contains(&office("welfare")));
    assert!(Role::SCOPED.iter().all(|r| r.is_scoped() && r.is_staff()));
    assert!(!Role::Admin.is_scoped() && !office("welfare").is_scoped());
}
