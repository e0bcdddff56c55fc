//! The request forms' root (the second bundle, built from `forms.html` into `dist/forms/`): its
//! own route table for `/requests/…` and `/drafts`, so the student app's first visit does not
//! carry the forms' code. The forms themselves arrive with issue 4; these routes say so for now.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Layout;
use crate::i18n::{provide_lang, Tool};
use crate::start_page::{NotFoundPage, PlaceholderPage};

#[component]
pub fn FormsApp() -> impl IntoView {
    provide_lang();
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/requests/exemption") view=|| view! { <PlaceholderPage tool=Tool::ExemptionRequest /> } />
                    <Route path=path!("/requests/withdrawal") view=|| view! { <PlaceholderPage tool=Tool::WithdrawalRequest /> } />
                    <Route path=path!("/requests/clearance") view=|| view! { <PlaceholderPage tool=Tool::ClearanceRequest /> } />
                    <Route path=path!("/drafts") view=|| view! { <PlaceholderPage tool=Tool::Drafts /> } />
                </Routes>
            </Layout>
        </Router>
    }
}
