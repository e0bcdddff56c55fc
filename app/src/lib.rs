//! Pishkhan's student app (Leptos, client-side): the pre-check interview, the deadline tools and
//! the start page, Persian first. `main.rs` mounts [`app::App`]; the modules hold the rest.

pub mod app;
pub mod applicant;
pub mod clock;
pub mod components;
pub mod drafts;
pub mod form;
pub mod forms_app;
#[cfg(target_arch = "wasm32")]
pub mod http;
pub mod i18n;
pub mod kiosk;
pub mod outbox;
pub mod precheck;
pub mod requests;
pub mod staff;
pub mod start_page;
pub mod storage;
pub mod tools;

/// Mounts the student app on `<body>` and marks the page interactive.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    storage::mark_ready();
}

/// Starts kiosk mode (the third bundle, `kiosk.html`, loaded only when kiosk mode is on) with the
/// page's query string: no Leptos, only the kiosk's own listeners and DOM (`kiosk::start`).
pub fn start_kiosk(query: &str) {
    console_error_panic_hook::set_once();
    kiosk::start(query);
}

/// Mounts the request forms (the second bundle, `forms.html`) and marks the page interactive.
pub fn start_forms() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(forms_app::FormsApp);
    storage::mark_ready();
}

/// Mounts the staff area (the fourth bundle, `staff.html`) and marks the page interactive.
pub fn start_staff() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(staff::StaffApp);
    storage::mark_ready();
}
