//! The app root: shared state (language, pre-check answers) and the route table, in one place.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Layout;
use crate::i18n::provide_lang;
use crate::precheck::{provide_precheck_answers, PrecheckRoute};
use crate::start_page::{NotFoundPage, StartPage};
use crate::tools::forms;
use crate::tools::tool_page::ToolPage;

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
                    <Route path=path!("/deadline/revocation") view=|| view! { <ToolPage def=forms::REVOCATION /> } />
                    <Route path=path!("/deadline/presentation") view=|| view! { <ToolPage def=forms::PRESENTATION /> } />
                    <Route path=path!("/travel") view=|| view! { <ToolPage def=forms::TRAVEL /> } />
                    <Route path=path!("/discharge") view=|| view! { <ToolPage def=forms::DISCHARGE /> } />
                </Routes>
            </Layout>
        </Router>
    }
}
