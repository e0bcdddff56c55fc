//! A route another bundle answers, reached by the router without a page load (a link, a redirect,
//! the history): the page is loaded from the server (or the service worker), which answers it
//! with the right bundle.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn OtherBundle() -> impl IntoView {
    let location = use_location();
    let mut target = location.pathname.get_untracked();
    let search = location.search.get_untracked();
    if !search.is_empty() {
        target = format!("{target}?{search}");
    }
    // After the router has written the new address into the history (a task later), so that the
    // load replaces that entry and "back" still leads to the page the click came from.
    set_timeout(
        move || {
            if let Some(window) = web_sys::window() {
                let _ = window.location().replace(&target);
            }
        },
        Duration::ZERO,
    );
}
