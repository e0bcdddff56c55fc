//! The request forms' root (the second bundle, built from `forms.html` into `dist/forms/`): the
//! drafts editor, the person session, the outbox, and its own route table for `/requests/…`,
//! `/drafts`, `/track` and `/signin`, so the student app's first visit does not carry the forms'
//! code (nor signing in).

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::forms::outbox::pages::{ReceiptPage, TrackPage};
use crate::forms::outbox::receipt::OldReceiptLink;
use crate::forms::outbox::Outbox;
use crate::forms::requests::drafts_page::DraftsPage;
use crate::forms::requests::editor::Editor;
use crate::forms::requests::{PageRoute, StartRoute};
use crate::forms::signin::identity::keep_drafts_bound;
use crate::forms::signin::mine::MyRequestsPage;
use crate::forms::signin::page::SignInPage;
use crate::forms::signin::Session;
use crate::shell::components::layout::Layout;
use crate::shell::components::not_found::NotFoundPage;
use crate::shell::i18n::provide_lang;

#[component]
pub fn FormsApp() -> impl IntoView {
    provide_lang();
    let editor = Editor::provide();
    let session = Session::provide();
    keep_drafts_bound(editor, session);
    Outbox::provide(editor, session);
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/requests/:form") view=StartRoute />
                    <Route path=path!("/requests/:form/:id/:page") view=PageRoute />
                    <Route path=path!("/drafts") view=DraftsPage />
                    <Route path=path!("/track") view=TrackPage />
                    <Route path=path!("/track/mine") view=MyRequestsPage />
                    <Route path=path!("/signin") view=SignInPage />
                    <Route path=path!("/track/receipt") view=ReceiptPage />
                    <Route path=path!("/track/:code") view=OldReceiptLink />
                </Routes>
            </Layout>
        </Router>
    }
}
