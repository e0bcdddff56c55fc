//! The student app's root: shared state (language, pre-check answers) and its route table, in one
//! place.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::shell::components::layout::Layout;
use crate::shell::components::not_found::NotFoundPage;
use crate::shell::i18n::provide_lang;
use crate::student::precheck::answers::provide_precheck_answers;
use crate::student::precheck::PrecheckRoute;
use crate::student::start_page::StartPage;
use crate::student::tools::forms;
use crate::student::tools::tool_page::ToolPage;

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
