//! The student app's roots and their route tables, in one place: `App` (the main bundle: the start
//! page and the pre-check's questions) and `ToolsApp` (the tools bundle, loaded later: the one-page
//! tools and the pre-check's result), with the shared state they provide. A route of the other
//! one is loaded again from the server (`OtherBundle`).

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::shell::components::layout::Layout;
use crate::shell::components::not_found::NotFoundPage;
use crate::shell::components::other_bundle::OtherBundle;
use crate::shell::i18n::provide_lang;
use crate::student::precheck::answers::provide_precheck_answers;
use crate::student::precheck::result_page::ResultPage;
use crate::student::precheck::PrecheckRoute;
use crate::student::start_page::StartPage;
use crate::student::tools::forms;
use crate::student::tools::tool_page::ToolPage;

/// The tools bundle's routes (`bin/tools.rs`), which the server and the service worker answer
/// with `dist/tools/index.html` (`server/src/http/static_files.rs`, `public/sw.js`).
pub const TOOLS_ROUTES: [&str; 5] = [
    "/deadline/revocation",
    "/deadline/presentation",
    "/travel",
    "/discharge",
    "/precheck/result",
];

/// The main bundle (`main.rs`): the start page and the pre-check's questions.
#[component]
pub fn App() -> impl IntoView {
    provide_lang();
    provide_precheck_answers();
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=StartPage />
                    <Route path=path!("/precheck") view=|| view! { <Redirect path="/precheck/level" /> } />
                    <Route path=path!("/precheck/:step") view=PrecheckRoute />
                    <Route path=path!("/deadline/revocation") view=OtherBundle />
                    <Route path=path!("/deadline/presentation") view=OtherBundle />
                    <Route path=path!("/travel") view=OtherBundle />
                    <Route path=path!("/discharge") view=OtherBundle />
                </Routes>
            </Layout>
        </Router>
    }
}

/// The tools bundle (`bin/tools.rs`): the one-page tools and the pre-check's result; any other
/// route is the main bundle's (or another's).
#[component]
pub fn ToolsApp() -> impl IntoView {
    provide_lang();
    provide_precheck_answers();
    view! {
        <Router>
            <Layout>
                <Routes fallback=OtherBundle>
                    <Route path=path!("/deadline/revocation") view=|| view! { <ToolPage def=forms::REVOCATION /> } />
                    <Route path=path!("/deadline/presentation") view=|| view! { <ToolPage def=forms::PRESENTATION /> } />
                    <Route path=path!("/travel") view=|| view! { <ToolPage def=forms::TRAVEL /> } />
                    <Route path=path!("/discharge") view=|| view! { <ToolPage def=forms::DISCHARGE /> } />
                    <Route path=path!("/precheck/result") view=ResultPage />
                </Routes>
            </Layout>
        </Router>
    }
}
