//! Who is signed in ([`Staff`], provided by the staff app's root, with their second factor's
//! state) and what a role may use ([`Part`], the Article 34 list's readers and writers).

use leptos::prelude::*;
use rules::workflow::Role;

use api::staff::{StaffSession, StaffUser};
use rules::requests::ClearanceOffice;

/// Who is signed in and the clearance offices known to this page (for the names of office
/// roles and states; only the admin can read them).
#[derive(Clone, Copy)]
pub struct Staff {
    pub user: RwSignal<Option<StaffUser>>,
    pub offices: RwSignal<Vec<ClearanceOffice>>,
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
    NewRequest,
    /// The list (`can_list_art34`) or the events form (`can_record_art34`), or both.
    Art34,
    Admin,
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

impl Part {
    pub fn allows(self, role: &str) -> bool {
        match self {
            Part::Cartable => role != Role::Admin.id(),
            Part::NewRequest => role == Role::PoliceOffice.id(),
            Part::Art34 => can_list_art34(role) || can_record_art34(role),
            Part::Admin => role == Role::Admin.id(),
            Part::Account => true,
        }
    }
}
