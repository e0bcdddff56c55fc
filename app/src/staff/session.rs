//! Who is signed in ([`Staff`], provided by the staff app's root, with their second factor's
//! state and the university an administrator works on) and what a role may use ([`Part`], the
//! Article 34 list's readers and writers, the administrators).

use leptos::prelude::*;
use rules::workflow::Role;

use api::staff::{StaffSession, StaffUser};

/// Who is signed in, and the university an administrator's pages work on (its code: the
/// national admin's choice, kept across the admin pages; a university admin's own). Office
/// names come from the server, which names them from the right university's list.
#[derive(Clone, Copy)]
pub struct Staff {
    pub user: RwSignal<Option<StaffUser>>,
    pub university: RwSignal<String>,
    /// The signed-in account has a second factor.
    pub second_factor: RwSignal<bool>,
    /// … and must set one up before anything else.
    pub must_enrol: RwSignal<bool>,
}

impl Staff {
    /// Keeps who a session (from the sign-in or `/me`) is.
    pub fn keep(self, session: &StaffSession) {
        self.second_factor.set(session.second_factor_enrolled);
        self.must_enrol.set(session.must_enrol);
        if let Some(own) = &session.user.scope_university {
            if session.user.role.id == Role::UniversityAdmin.id() {
                self.university.set(own.clone());
            }
        }
        self.user.set(Some(session.user.clone()));
    }
}

pub fn use_staff() -> Staff {
    expect_context::<Staff>()
}

/// Which roles may use a part of the staff area.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Part {
    Cartable,
    /// The office dashboard: every role that takes a step (as the cartable).
    Dashboard,
    NewRequest,
    /// The list (`can_list_art34`) or the events form (`can_record_art34`), or both.
    Art34,
    /// The administrators' pages (users, universities and faculties, offices): the national
    /// admin's and a university admin's.
    Admin,
    /// The national admin's only (the SMS log, the audit check).
    NationalAdmin,
    /// The account's own settings (the second factor): everyone's.
    Account,
}

/// Who reads the Article 34 list (`Role::reads_art34`).
pub fn can_list_art34(role: &str) -> bool {
    Role::parse(role).is_some_and(|r| r.reads_art34())
}

/// Who records expulsions, dropouts and graduations (`Role::records_art34`).
pub fn can_record_art34(role: &str) -> bool {
    Role::parse(role).is_some_and(|r| r.records_art34())
}

/// The national admin or a university's admin: they take no step and see no request.
pub fn is_admin(role: &str) -> bool {
    role == Role::Admin.id() || role == Role::UniversityAdmin.id()
}

impl Part {
    pub fn allows(self, role: &str) -> bool {
        match self {
            Part::Cartable | Part::Dashboard => !is_admin(role),
            Part::NewRequest => role == Role::PoliceOffice.id(),
            Part::Art34 => can_list_art34(role) || can_record_art34(role),
            Part::Admin => is_admin(role),
            Part::NationalAdmin => role == Role::Admin.id(),
            Part::Account => true,
        }
    }
}
