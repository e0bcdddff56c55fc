//! Who is signed in ([`Staff`], provided by the staff app's root) and what a role may use
//! ([`Part`], the Article 34 list's readers and writers).

use leptos::prelude::*;
use rules::workflow::Role;

use api::staff::StaffUser;
use rules::requests::ClearanceOffice;

/// Who is signed in and the clearance offices known to this page (for the names of office
/// roles and states; only the admin can read them).
#[derive(Clone, Copy)]
pub struct Staff {
    pub user: RwSignal<Option<StaffUser>>,
    pub offices: RwSignal<Vec<ClearanceOffice>>,
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
        }
    }
}
