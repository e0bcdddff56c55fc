//! The request forms' root (the second bundle, built from `forms.html` into `dist/forms/`): the
//! drafts editor, the outbox, and its own route table for `/requests/…`, `/drafts` and `/track`,
//! so the student app's first visit does not carry the forms' code.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::forms::outbox::pages::{ReceiptPage, TrackPage};
use crate::forms::outbox::Outbox;
use crate::forms::requests::drafts_page::DraftsPage;
use crate::forms::requests::editor::Editor;
use crate::forms::requests::{PageRoute, StartRoute};
use crate::shell::components::layout::Layout;
use crate::shell::components::not_found::NotFoundPage;
use crate::shell::i18n::provide_lang;

#[component]
pub fn FormsApp() -> impl IntoView {
    provide_lang();
    let editor = Editor::provide();
    Outbox::provide(editor);
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/requests/:form") view=StartRoute />
                    <Route path=path!("/requests/:form/:id/:page") view=PageRoute />
                    <Route path=path!("/drafts") view=DraftsPage />
                    <Route path=path!("/track") view=TrackPage />
                    <Route path=path!("/track/:code") view=ReceiptPage />
                </Routes>
            </Layout>
        </Router>
    }
}
