//! The staff area (the fourth bundle, built from `staff.html` into `dist/staff/` and served under
//! `/staff`, so the student's first visit carries none of it): sign-in, the cartable, a request's
//! detail with the clerk's moves, the office dashboard, filing an A2 exemption, the Article 34 list, the admin
//! pages and setting up one's second factor, over the API of docs/staff-api.md. Every page asks `GET /api/v1/staff/me` first; the
//! navigation shows only what the clerk's role may use.

pub mod client;
pub mod logic;
pub mod texts;

mod admin;
mod art34;
mod cartable;
mod dashboard;
mod detail;
mod frame;
mod login;
mod new_request;
mod second_factor;
pub mod session;
mod widgets;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::shell::i18n::provide_lang;
use frame::Shell;
use session::{Part, Staff};

#[component]
pub fn StaffApp() -> impl IntoView {
    provide_lang();
    provide_context(Staff {
        user: RwSignal::new(None),
        university: RwSignal::new(String::new()),
        second_factor: RwSignal::new(false),
        must_enrol: RwSignal::new(false),
    });
    let cartable = || view! { <Shell part=Part::Cartable><cartable::CartablePage /></Shell> };
    view! {
        <Router>
            <Routes fallback=|| view! { <Shell part=Part::Cartable><widgets::NotFound /></Shell> }>
                <Route path=path!("/staff/login") view=login::LoginPage />
                <Route path=path!("/staff") view=cartable />
                <Route path=path!("/staff/") view=cartable />
                <Route
                    path=path!("/staff/requests/:handle")
                    view=|| view! { <Shell part=Part::Cartable><detail::DetailPage /></Shell> }
                />
                <Route
                    path=path!("/staff/new")
                    view=|| view! { <Shell part=Part::NewRequest><new_request::NewRequestPage /></Shell> }
                />
                <Route
                    path=path!("/staff/dashboard")
                    view=|| view! { <Shell part=Part::Dashboard><dashboard::DashboardPage /></Shell> }
                />
                <Route
                    path=path!("/staff/art34")
                    view=|| view! { <Shell part=Part::Art34><art34::Art34Page /></Shell> }
                />
                <Route
                    path=path!("/staff/second-factor")
                    view=|| view! { <Shell part=Part::Account><second_factor::SecondFactorPage /></Shell> }
                />
                <Route
                    path=path!("/staff/admin/users")
                    view=|| view! { <Shell part=Part::Admin><admin::UsersPage /></Shell> }
                />
                <Route
                    path=path!("/staff/admin/universities")
                    view=|| view! { <Shell part=Part::Admin><admin::UniversitiesPage /></Shell> }
                />
                <Route
                    path=path!("/staff/admin/offices")
                    view=|| view! { <Shell part=Part::Admin><admin::OfficesPage /></Shell> }
                />
                <Route
                    path=path!("/staff/admin/notifications")
                    view=|| view! { <Shell part=Part::NationalAdmin><admin::NotificationsPage /></Shell> }
                />
                <Route
                    path=path!("/staff/admin/audit")
                    view=|| view! { <Shell part=Part::NationalAdmin><admin::AuditPage /></Shell> }
                />
            </Routes>
        </Router>
    }
}
