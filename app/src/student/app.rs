//! The student app's roots, in one place: `App` (the main bundle, all a first visit to `/`
//! downloads: the start page in the page frame, no router — every link on it is a page load) and
//! `ToolsApp` (the tools bundle, loaded later: the pre-check, the one-page tools, and their route
//! table), with the shared state they provide. A route of another bundle reached by the tools'
//! router is loaded again from the server (`OtherBundle`).

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::{path, NavigateOptions};

use crate::shell::components::layout::Layout;
use crate::shell::components::not_found::NotFoundPage;
use crate::shell::components::other_bundle::OtherBundle;
use crate::shell::i18n::provide_lang;
use crate::shell::storage;
use crate::student::precheck::answers::provide_precheck_answers;
use crate::student::precheck::PrecheckRoute;
use crate::student::start_page::StartPage;
use crate::student::tools::forms;
use crate::student::tools::tool_page::ToolPage;

/// The tools bundle's routes (`bin/tools.rs`) besides the pre-check's (`/precheck`,
/// `/precheck/…`), which the server and the service worker answer with `dist/tools/index.html`
/// (`server/src/http/static_files.rs`, `public/sw.js`).
pub const TOOLS_ROUTES: [&str; 4] = [
    "/deadline/revocation",
    "/deadline/presentation",
    "/travel",
    "/discharge",
];

/// Whether `path` is a route of the tools bundle (a trailing `/` allowed): the pre-check's or
/// one of [`TOOLS_ROUTES`].
pub fn is_tools_route(path: &str) -> bool {
    let path = path.strip_suffix('/').unwrap_or(path);
    path == "/precheck" || path.starts_with("/precheck/") || TOOLS_ROUTES.contains(&path)
}

/// The main bundle (`main.rs`): the start page at `/`, "page not found" anywhere else the server
/// answers with it. No router: the start page's links all lead to other bundles.
#[component]
pub fn App() -> impl IntoView {
    provide_lang();
    // Natively (the prerenderer) there is no address: it draws `/` only.
    let start = storage::pathname().is_none_or(|path| path == "/");
    view! {
        <Layout>
            {if start { view! { <StartPage /> }.into_any() } else { view! { <NotFoundPage /> }.into_any() }}
        </Layout>
    }
}

/// The tools bundle (`bin/tools.rs`): the pre-check and the one-page tools; any other route is
/// the main bundle's (or another's).
#[component]
pub fn ToolsApp() -> impl IntoView {
    provide_lang();
    provide_precheck_answers();
    view! {
        <Router>
            <Layout>
                <Routes fallback=OtherBundle>
                    <Route path=path!("/precheck") view=FirstQuestion />
                    <Route path=path!("/precheck/:step") view=PrecheckRoute />
                    <Route path=path!("/deadline/revocation") view=|| view! { <ToolPage def=forms::REVOCATION /> } />
                    <Route path=path!("/deadline/presentation") view=|| view! { <ToolPage def=forms::PRESENTATION /> } />
                    <Route path=path!("/travel") view=|| view! { <ToolPage def=forms::TRAVEL /> } />
                    <Route path=path!("/discharge") view=|| view! { <ToolPage def=forms::DISCHARGE /> } />
                </Routes>
            </Layout>
        </Router>
    }
}

/// `/precheck` (the start page's link, a page load): the first question, in place of `/precheck`
/// in the history, so that "back" leads to the start page.
#[component]
fn FirstQuestion() -> impl IntoView {
    let replace = NavigateOptions {
        replace: true,
        ..Default::default()
    };
    view! { <Redirect path="/precheck/level" options=replace /> }
}

#[cfg(test)]
mod tests {
    use super::is_tools_route;

    #[test]
    fn the_pre_check_and_the_tools_are_the_tools_bundles() {
        for path in [
            "/precheck",
            "/precheck/",
            "/precheck/level",
            "/precheck/check",
            "/precheck/result",
            "/travel",
            "/travel/",
            "/deadline/revocation",
        ] {
            assert!(is_tools_route(path), "{path}");
        }
        for path in [
            "/",
            "/prechecks",
            "/deadline",
            "/requests/exemption",
            "/x/travel",
        ] {
            assert!(!is_tools_route(path), "{path}");
        }
    }
}
