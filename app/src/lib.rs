//! Pishkhan's browser side (Leptos, client-side), Persian first: four bundles built from this one
//! crate, each a folder that imports only the shared `shell` and itself — `student` (the student
//! app), `forms` (the request forms), `staff` (the staff area), `kiosk` (kiosk mode) — and the
//! start function each bundle's binary calls.
// Leptos's server-side rendering (the `prerender` feature) nests the forms' view types deeper than
// the default limit.
#![recursion_limit = "256"]

pub mod forms;
pub mod kiosk;
pub mod shell;
pub mod staff;
pub mod student;

use shell::storage;

/// Mounts the student app's main bundle (the start page) on `<body>` and marks the page interactive. A prerendered page's nodes
/// (`#prerendered`: `bin/prerender.rs`) are removed in the same task, so no frame shows neither
/// or both; what was typed or sent before is replayed by `index.html`'s inline script.
pub fn start() {
    start_student(student::app::App);
}

/// Mounts the student app's tools bundle (`tools.html`: the pre-check and the one-page tools,
/// loaded after the first visit) like [`start`].
pub fn start_tools() {
    start_student(student::app::ToolsApp);
}

fn start_student<V: leptos::IntoView + 'static>(root: fn() -> V) {
    console_error_panic_hook::set_once();
    if let Some(prerendered) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("prerendered"))
    {
        prerendered.remove();
    }
    leptos::mount::mount_to_body(root);
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
    leptos::mount::mount_to_body(forms::app::FormsApp);
    storage::mark_ready();
}

/// Mounts the staff area (the fourth bundle, `staff.html`) and marks the page interactive.
pub fn start_staff() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(staff::StaffApp);
    storage::mark_ready();
}
