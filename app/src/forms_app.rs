//! The request forms' root (the second bundle, built from `forms.html` into `dist/forms/`): the
//! drafts editor and its own route table for `/requests/…` and `/drafts`, so the student app's
//! first visit does not carry the forms' code.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Layout;
use crate::i18n::provide_lang;
use crate::requests::drafts_page::DraftsPage;
use crate::requests::editor::Editor;
use crate::requests::{PageRoute, StartRoute};
use crate::start_page::NotFoundPage;

#[component]
pub fn FormsApp() -> impl IntoView {
    provide_lang();
    Editor::provide();
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/requests/:form") view=StartRoute />
                    <Route path=path!("/requests/:form/:id/:page") view=PageRoute />
                    <Route path=path!("/drafts") view=DraftsPage />
                </Routes>
            </Layout>
        </Router>
    }
}
