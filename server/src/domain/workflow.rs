//! The server's side of `rules::workflow`: a stored request as the machines see it, the guards'
//! context of a request now, the moves a call plans (the clerk's or applicant's move and the
//! system moves that follow it), the moves of a new submission, who may see a request (role and
//! structured scope), and the data a move records.

use rules::requests::{check_exemption, ClearanceOffice, RawExemptionRequest};
use rules::workflow::{
    apply, edges, start, Action, ActionData, Context, Notification, Process, Role, State,
    WorkflowError,
};
use rules::JalaliDate;
use serde_json::Value;

use crate::domain::audit::Entry;
use crate::domain::universities::{Belongs, Scope, UniversityId};

/// A request as the workflow needs it (one row of `requests`).
#[derive(Clone, Debug)]
pub struct Stored {
    pub id: i64,
    pub tracking_code: String,
    /// The opaque random handle that names it in staff URLs (never the tracking code).
    pub handle: String,
    pub kind: String,
    pub process: Process,
    pub state: State,
    pub version: i64,
    pub national_id: String,
    pub mobile: Option<String>,
    /// The stored body: `{kind, answers, …}` (exemptions also keep `raw`, the form's answers).
    pub body: Value,
    pub submitted_at: i64,
    pub submitted: JalaliDate,
    pub evening_course: bool,
    pub university: Option<String>,
    pub county: Option<String>,
    pub faculty: Option<String>,
    /// The university it belongs to (`requests.university_id`).
    pub university_id: UniversityId,
    /// A clearance's offices in order as they were when it was filed (`requests.route`): the
    /// route it walks; `None` for the other processes (and clearances filed before migration
    /// 12, which walk their university's list).
    pub route: Option<Vec<ClearanceOffice>>,
    /// The signed-in identity's mobile it was filed with, which every correction keeps.
    pub identity_mobile: Option<String>,
    pub updated_at: i64,
}

/// Who makes a move.
#[derive(Clone, Debug)]
pub struct Actor {
    /// A username, or the role id of the applicant or the system (`applicant`, `system`).
    pub name: String,
    pub role: Role,
}

impl Actor {
    pub fn system() -> Actor {
        Actor {
            name: Role::System.id(),
            role: Role::System,
        }
    }

    pub fn applicant() -> Actor {
        Actor {
            name: Role::Applicant.id(),
            role: Role::Applicant,
        }
    }
}

/// One planned move: its audit entry, the state it leads to, and what it records beside.
#[derive(Clone, Debug)]
pub struct Planned {
    pub entry: Entry,
    pub to: State,
    pub notify: Option<Notification>,
    /// Art. 34 event this move records (a withdrawal ruling): (event, Jalali date).
    pub art34: Option<(&'static str, JalaliDate)>,
}

/// The process a submission of `kind` follows online.
pub fn process_of_kind(kind: &str) -> Process {
    match kind {
        "withdrawal" => Process::Withdrawal,
        "clearance" => Process::Clearance,
        _ => Process::ExemptionA1,
    }
}

/// Takes `action` as `actor` and then every system move that follows, as of `today`. The first
/// move's refusal is the caller's error; the system moves follow the table (`rules::workflow`).
pub fn plan(
    request: &Stored,
    action: Action,
    actor: &Actor,
    data: &ActionData,
    ctx: &Context<'_>,
    now: i64,
) -> Result<Vec<Planned>, WorkflowError> {
    let mut moves = vec![one(
        request.process,
        &request.state,
        action,
        actor,
        data,
        ctx,
        now,
    )?];
    follow(request.process, &request.body, ctx, now, &mut moves);
    Ok(moves)
}

/// The moves of a new submission: filed into the process's start state, then the system moves
/// (seed 000 A1 step 5: the initial check, and the justification filed with the request).
pub fn submission(
    process: Process,
    body: &Value,
    ctx: &Context<'_>,
    now: i64,
    actor: &Actor,
) -> (State, Vec<Planned>) {
    let first = start(process, ctx.offices, ctx.evening_course);
    let mut moves = vec![Planned {
        entry: Entry {
            at: now,
            from: None,
            to: first.id(),
            action: "submit".into(),
            actor: actor.name.clone(),
            actor_role: actor.role.id(),
            note: None,
            data: None,
        },
        to: first.clone(),
        notify: None,
        art34: None,
    }];
    follow(process, body, ctx, now, &mut moves);
    let last = moves.last().map_or(first, |m| m.to.clone());
    (last, moves)
}

fn one(
    process: Process,
    state: &State,
    action: Action,
    actor: &Actor,
    data: &ActionData,
    ctx: &Context<'_>,
    now: i64,
) -> Result<Planned, WorkflowError> {
    let t = apply(process, state, action, &actor.role, data, ctx)?;
    let recorded = ActionData {
        note: None,
        ..data.clone()
    };
    let art34 = (t.to == State::RulingIssued).then_some(("withdrawal", ctx.today));
    Ok(Planned {
        entry: Entry {
            at: now,
            from: Some(state.id()),
            to: t.to.id(),
            action: action.id(),
            actor: actor.name.clone(),
            actor_role: actor.role.id(),
            note: data.note.clone().filter(|n| !n.trim().is_empty()),
            data: (recorded != ActionData::default())
                .then(|| serde_json::to_string(&recorded).unwrap_or_default()),
        },
        to: t.to,
        notify: t.notify,
        art34,
    })
}

/// Appends the system moves that follow the last of `moves`.
fn follow(process: Process, body: &Value, ctx: &Context<'_>, now: i64, moves: &mut Vec<Planned>) {
    for _ in 0..4 {
        let state = moves
            .last()
            .map(|m| m.to.clone())
            .expect("a move was planned");
        let Some((action, actor)) = system_next(process, &state, body, ctx.today) else {
            return;
        };
        match one(
            process,
            &state,
            action,
            &actor,
            &ActionData::default(),
            ctx,
            now,
        ) {
            Ok(next) => moves.push(next),
            Err(_) => return,
        }
    }
}

/// The move the system makes by itself in `state`, if any: the initial check (A1 step 5), the
/// justification filed with the request, the re-check after the university's confirmation (A1
/// step 7).
fn system_next(
    process: Process,
    state: &State,
    body: &Value,
    today: JalaliDate,
) -> Option<(Action, Actor)> {
    if process != Process::ExemptionA1 {
        return None;
    }
    match state {
        State::Submitted => Some(if body["precheck"]["verdict"] == "eligible" {
            (Action::PrecheckPass, Actor::system())
        } else {
            (Action::PrecheckFail, Actor::system())
        }),
        State::PrecheckRefused => body["answers"]["justification"]
            .as_str()
            .filter(|j| !j.trim().is_empty())
            .map(|_| (Action::FileJustification, Actor::applicant())),
        State::SystemRecheck => Some(if recheck(body, today) {
            (Action::RecheckPass, Actor::system())
        } else {
            (Action::RecheckFail, Actor::system())
        }),
        _ => None,
    }
}

/// Seed 000 A1 step 7: the conditions checked again, as of `today`, on the answers as filed (or
/// as last corrected). A request the deputy let through after a justification passes unless its
/// answers no longer validate.
fn recheck(body: &Value, today: JalaliDate) -> bool {
    let Ok(raw) = serde_json::from_value::<RawExemptionRequest>(body["raw"].clone()) else {
        return false;
    };
    match check_exemption(raw, today) {
        Ok((_, outcome)) => {
            let verdict = serde_json::to_value(outcome.verdict).unwrap_or_default();
            verdict == "eligible" || body["justification_accepted"] == true
        }
        Err(_) => false,
    }
}

/// What a clerk's scope is matched against: the request's university, faculty and county.
pub fn belongs(request: &Stored) -> Belongs<'_> {
    Belongs {
        university: Some(request.university_id),
        faculty: request.faculty.as_deref(),
        county: request.county.as_deref(),
    }
}

/// Whether a clerk of `role` and `scope` may see the request: the role takes a step of its
/// process, and the scope covers the request's university, faculty or county.
pub fn visible(role: &Role, scope: &Scope, request: &Stored, offices: &[ClearanceOffice]) -> bool {
    let takes_part = edges(request.process, offices)
        .iter()
        .any(|e| &e.role == role);
    takes_part && scope.covers(belongs(request))
}

/// The actions `role` may take on the request now.
pub fn actions_now(role: &Role, request: &Stored, offices: &[ClearanceOffice]) -> Vec<Action> {
    let mut actions: Vec<Action> = edges(request.process, offices)
        .into_iter()
        .filter(|e| e.from == request.state && &e.role == role)
        .map(|e| e.action)
        .collect();
    actions.dedup();
    actions
}

/// The states in which `role` takes a step of some process: its cartable's states.
pub fn cartable_states(role: &Role, offices: &[ClearanceOffice]) -> Vec<State> {
    let mut states: Vec<State> = Vec::new();
    for process in Process::ALL {
        for e in edges(process, offices) {
            if &e.role == role && !states.contains(&e.from) {
                states.push(e.from);
            }
        }
    }
    states
}

/// The guards' context for a request as of `now`.
pub fn context<'a>(
    request: &Stored,
    revocations: u32,
    offices: &'a [ClearanceOffice],
    now: i64,
) -> Context<'a> {
    Context {
        today: JalaliDate::today_in_tehran(now),
        submitted: request.submitted,
        revocations_used: revocations,
        evening_course: request.evening_course,
        offices,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rules::requests::default_offices;
    use serde_json::json;

    fn ctx(offices: &[ClearanceOffice]) -> Context<'_> {
        Context {
            today: JalaliDate::new(1403, 7, 15).unwrap(),
            submitted: JalaliDate::new(1403, 7, 15).unwrap(),
            revocations_used: 0,
            evening_course: false,
            offices,
        }
    }

    #[test]
    fn a_submission_runs_the_initial_check_and_files_the_justification() {
        let offices = default_offices();
        let ctx = ctx(&offices);
        let eligible = json!({"precheck": {"verdict": "eligible"}, "answers": {}});
        let (state, moves) = submission(
            Process::ExemptionA1,
            &eligible,
            &ctx,
            1,
            &Actor::applicant(),
        );
        assert_eq!(state, State::AwaitingPayment);
        let actions: Vec<_> = moves.iter().map(|m| m.entry.action.as_str()).collect();
        assert_eq!(actions, ["submit", "precheck_pass"]);
        let refused = json!({"precheck": {"verdict": "ineligible"},
                             "answers": {"justification": "I was ill."}});
        let (state, moves) =
            submission(Process::ExemptionA1, &refused, &ctx, 1, &Actor::applicant());
        assert_eq!(state, State::AtDeputy);
        assert_eq!(moves[2].entry.actor_role, "applicant");
        let (state, _) = submission(
            Process::ExemptionA1,
            &json!({"precheck": {"verdict": "ineligible"}, "answers": {}}),
            &ctx,
            1,
            &Actor::applicant(),
        );
        assert_eq!(state, State::PrecheckRefused);
        let (state, moves) =
            submission(Process::Clearance, &json!({}), &ctx, 1, &Actor::applicant());
        assert_eq!(state, State::AtOffice("department".into()));
        assert_eq!(moves.len(), 1);
    }

    #[test]
    fn a_ruling_records_its_art34_event_and_data_is_kept_without_the_note() {
        let offices = default_offices();
        let mut c = ctx(&offices);
        c.submitted = JalaliDate::new(1403, 1, 1).unwrap();
        let request = Stored {
            id: 1,
            tracking_code: "1".into(),
            handle: "h".into(),
            kind: "withdrawal".into(),
            process: Process::Withdrawal,
            state: State::AwaitingRuling,
            version: 9,
            national_id: "0084575948".into(),
            mobile: None,
            body: json!({}),
            submitted_at: 0,
            submitted: c.submitted,
            evening_course: false,
            university: None,
            county: None,
            faculty: Some("Engineering".into()),
            university_id: UniversityId(2),
            route: None,
            identity_mobile: None,
            updated_at: 0,
        };
        let actor = Actor {
            name: "central".into(),
            role: Role::CentralOfficeExpert,
        };
        let data = ActionData {
            note: Some("signed".into()),
            ..ActionData::default()
        };
        let moves = plan(&request, Action::IssueRuling, &actor, &data, &c, 5).unwrap();
        assert_eq!(moves.len(), 1);
        assert_eq!(moves[0].art34, Some(("withdrawal", c.today)));
        assert_eq!(moves[0].entry.note.as_deref(), Some("signed"));
        assert_eq!(moves[0].entry.data, None);
        let faculty = |u: i64, f: &str| Scope::Faculty(UniversityId(u), f.into());
        assert!(visible(
            &Role::FacultyExpert,
            &faculty(2, "Engineering"),
            &request,
            &offices
        ));
        assert!(!visible(
            &Role::FacultyExpert,
            &faculty(2, "Law"),
            &request,
            &offices
        ));
        // The same faculty's code at another university is another faculty.
        assert!(!visible(
            &Role::FacultyExpert,
            &faculty(3, "Engineering"),
            &request,
            &offices
        ));
        let central = Role::CentralOfficeExpert;
        assert!(visible(&central, &Scope::National, &request, &offices));
        let ours = Scope::University(UniversityId(2));
        assert!(visible(&central, &ours, &request, &offices));
        let theirs = Scope::University(UniversityId(3));
        assert!(!visible(&central, &theirs, &request, &offices));
        assert!(!visible(
            &Role::UniversityUser,
            &Scope::National,
            &request,
            &offices
        ));
        assert!(!visible(&Role::Admin, &Scope::National, &request, &offices));
    }
}
