//! The frame of every staff page (skip link, header with the language switch and the signed-in
//! clerk, the navigation their role may use, `<main>`) and [`Shell`], which asks `/me` before
//! showing a signed-in page.

use leptos::prelude::*;

use api::staff::StaffSession;

use super::client;
use super::logic;
use super::session::{use_staff, Part};
use super::texts::StaffTexts;
use super::widgets;
use crate::shell::i18n::use_lang;

/// The navigation's links: path, text, the part it opens.
fn nav_links(t: &'static StaffTexts, role: &str) -> Vec<(&'static str, &'static str)> {
    [
        (Part::Cartable.allows(role), "/staff", t.nav_cartable),
        (Part::NewRequest.allows(role), "/staff/new", t.nav_new),
        (Part::Art34.allows(role), "/staff/art34", t.nav_art34),
        (
            Part::Dashboard.allows(role),
            "/staff/dashboard",
            t.nav_dashboard,
        ),
        (Part::Admin.allows(role), "/staff/admin/users", t.nav_users),
        (
            Part::Admin.allows(role),
            "/staff/admin/universities",
            t.nav_universities,
        ),
        (
            Part::Admin.allows(role),
            "/staff/admin/offices",
            t.nav_offices,
        ),
        (
            Part::NationalAdmin.allows(role),
            "/staff/admin/notifications",
            t.nav_notifications,
        ),
        (
            Part::NationalAdmin.allows(role),
            "/staff/admin/audit",
            t.nav_audit,
        ),
    ]
    .into_iter()
    .filter(|(shown, _, _)| *shown)
    .map(|(_, href, text)| (href, text))
    .collect()
}

/// The frame of every page: skip link, header (name, language switch, and once signed in the
/// clerk's name, role and sign-out), the navigation, `<main>`.
#[component]
pub fn Frame(children: Children) -> impl IntoView {
    let lang = use_lang();
    let staff = use_staff();
    let logout = move |_| {
        leptos::task::spawn_local(async move {
            let _ =
                client::send::<()>("POST", "/api/v1/staff/logout", &serde_json::json!({})).await;
            staff.user.set(None);
            if let Some(w) = web_sys::window() {
                let _ = w.location().assign(client::LOGIN_PATH);
            }
        });
    };
    let header = move || {
        let l = lang.get();
        let t = StaffTexts::of(l);
        let user = staff.user.get();
        let who = user.as_ref().map(|u| {
            let role = logic::role_name(&u.role.id, &u.role.fa, &u.role.en, &[], l);
            view! {
                <p class="staff-user" data-testid="staff-user" data-role=u.role.id.clone()>
                    {t.signed_in_as} " " <bdi>{u.display_name.clone()}</bdi> " – " {role}
                </p>
                <a class="lang-switch" href=super::logic::SECOND_FACTOR_PATH data-testid="second-factor-link">{t.nav_second_factor}</a>
                <button type="button" class="lang-switch" data-testid="logout" on:click=logout>
                    {t.logout}
                </button>
            }
        });
        let nav = user.map(|u| {
            view! {
                <nav class="staff-nav" aria-label=t.nav_label>
                    <ul>
                        {nav_links(t, &u.role.id)
                            .into_iter()
                            .map(|(href, text)| view! { <li><a href=href>{text}</a></li> })
                            .collect_view()}
                    </ul>
                </nav>
            }
        });
        view! {
            <a class="skip-link" href="#main">{l.texts().skip_link}</a>
            <header class="site-header">
                <a class="brand" href="/staff">{t.app_name}</a>
                {who}
                <button
                    type="button"
                    class="lang-switch"
                    data-lang-switch=""
                    lang=l.other().code()
                    on:click=move |_| lang.update(|l| *l = l.other())
                >
                    {l.texts().other_lang_name}
                </button>
            </header>
            {nav}
        }
    };
    view! {
        {header}
        <main id="main" class="page staff-page" tabindex="-1">
            {children()}
        </main>
    }
}

/// What [`Shell`] shows.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Access {
    Waiting,
    Failed,
    Denied,
    Allowed,
}

/// A signed-in page: asks `/me` (a 401 leads to the sign-in page; an account that must set up
/// its second factor goes to that page), then shows the page when the clerk's role may use
/// `part`.
#[component]
pub fn Shell(part: Part, children: ChildrenFn) -> impl IntoView {
    let lang = use_lang();
    let staff = use_staff();
    let failed = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();
    leptos::task::spawn_local(async move {
        match client::get::<StaffSession>("/api/v1/staff/me").await {
            Ok(session) => {
                client::set_csrf(&session.csrf_token);
                staff.keep(&session);
                // Nothing else answers until the second factor is set up.
                if session.must_enrol && part != Part::Account {
                    navigate(super::logic::SECOND_FACTOR_PATH, Default::default());
                }
            }
            // A 401 has already gone to the sign-in page.
            Err(_) => failed.set(true),
        }
    });
    // Only a change of what the clerk may see redraws the page: `/me` setting the same user again
    // on every navigation (or a language switch) must not build the page, and call its API, twice.
    let access = Memo::new(move |_| {
        if failed.get() {
            return Access::Failed;
        }
        staff.user.with(|u| match u {
            None => Access::Waiting,
            Some(u) if !part.allows(&u.role.id) => Access::Denied,
            Some(_) => Access::Allowed,
        })
    });
    let body = move || {
        match access.get() {
        Access::Failed => view! {
            <p class="field-error" role="alert">{move || StaffTexts::of(lang.get()).network}</p>
        }
        .into_any(),
        Access::Waiting => view! { <widgets::Loading /> }.into_any(),
        Access::Denied => view! {
            <h1 class="page-heading" tabindex="-1">{move || StaffTexts::of(lang.get()).not_for_role}</h1>
        }
        .into_any(),
        Access::Allowed => children().into_any(),
    }
    };
    view! { <Frame>{body}</Frame> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_navigation_shows_only_what_the_role_may_use() {
        let t = StaffTexts::of(crate::shell::i18n::Lang::En);
        let hrefs = |role: &str| {
            nav_links(t, role)
                .into_iter()
                .map(|(h, _)| h)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            hrefs("police_office"),
            ["/staff", "/staff/new", "/staff/dashboard"]
        );
        assert_eq!(
            hrefs("conscription_expert"),
            ["/staff", "/staff/art34", "/staff/dashboard"]
        );
        assert_eq!(
            hrefs("student_affairs_expert"),
            ["/staff", "/staff/art34", "/staff/dashboard"]
        );
        assert_eq!(
            hrefs("clearance_office:welfare"),
            ["/staff", "/staff/dashboard"]
        );
        assert_eq!(
            hrefs("admin"),
            [
                "/staff/admin/users",
                "/staff/admin/universities",
                "/staff/admin/offices",
                "/staff/admin/notifications",
                "/staff/admin/audit"
            ]
        );
        assert_eq!(
            hrefs("university_admin"),
            [
                "/staff/admin/users",
                "/staff/admin/universities",
                "/staff/admin/offices"
            ]
        );
    }
}
