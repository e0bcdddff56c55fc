//! The three request forms' pages (exemption, withdrawal, clearance) and "my drafts": the forms
//! as data and their texts are the shell's (`shell::request_forms`, which the staff bundle shares);
//! here are the draft being edited and its autosave (`editor`), where a draft opens (`opening`),
//! and the pages (`question_page`, `check_page`, `file_input`, `drafts_page`, `banners`). Routes:
//! `/requests/<form>` starts or resumes, `/requests/<form>/<draft id>/<page>` is one page,
//! `/drafts` lists the drafts.

pub mod banners;
pub mod check_page;
pub mod drafts_page;
pub mod editor;
pub mod export;
pub mod file_input;
pub mod opening;
pub mod question_page;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::forms::drafts::DraftStatus;
use crate::forms::requests::editor::Editor;
use crate::forms::requests::opening::{resume_target, Loading};
use crate::shell::request_forms::flow::{RequestForm, Target};
use crate::shell::request_forms::texts;

fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

/// `/requests/<form>`: resumes the most recent unfinished draft of this form, or starts a new
/// one (always new with `?new=1`).
#[component]
pub fn StartRoute() -> impl IntoView {
    let editor = Editor::get();
    let params = use_params_map();
    let query = use_query_map();
    let navigate = use_navigate();
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || !editor.ready.get() {
            return done.unwrap_or(false);
        }
        let slug = params.read_untracked().get("form").unwrap_or_default();
        let Some(form) = RequestForm::from_slug(&slug) else {
            navigate("/drafts", replace());
            return true;
        };
        let fresh = query.read_untracked().get("new").is_some();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let mut target = None;
            if let (false, Some(store)) = (fresh, editor.store()) {
                if let Ok(list) = store.list_drafts().await {
                    target = list
                        .drafts
                        .into_iter()
                        .find(|d| {
                            d.kind == form.slug
                                && d.status == DraftStatus::InProgress
                                && d.correction_of.is_none()
                        })
                        .map(|d| resume_target(form, &d.answers).href(form, &d.id));
                }
            }
            let target = target
                .unwrap_or_else(|| Target::Page(form.pages[0].slug).href(form, &editor::new_id()));
            navigate(&target, replace());
        });
        true
    });
    view! { <Loading /> }
}

/// `/requests/<form>/<draft id>/<page>`: opens the draft and shows the page.
#[component]
pub fn PageRoute() -> impl IntoView {
    let editor = Editor::get();
    let params = use_params_map();
    let route = Memo::new(move |_| {
        let p = params.read();
        (
            p.get("form").unwrap_or_default(),
            p.get("id").unwrap_or_default(),
            p.get("page").unwrap_or_default(),
        )
    });
    Effect::new(move |_| {
        let (form, id, _) = route.get();
        if editor.ready.get() && RequestForm::from_slug(&form).is_some() {
            editor.open(&form, &id);
        }
    });
    // Which draft is loaded — not the draft itself, which every save replaces: the page is
    // drawn once per draft and page, never again while the person types.
    let loaded_id = Memo::new(move |_| editor.draft.with(|d| d.as_ref().map(|d| d.id.clone())));
    move || {
        let (slug, id, page) = route.get();
        let Some(form) = RequestForm::from_slug(&slug) else {
            return view! { <crate::shell::components::not_found::NotFoundPage /> }.into_any();
        };
        if loaded_id.with(|l| l.as_deref() != Some(id.as_str())) {
            return view! { <Loading /> }.into_any();
        }
        provide_context(texts::field_texts(form.kind));
        if page == "check" {
            return view! { <check_page::CheckPage form=form /> }.into_any();
        }
        match form.page(&page) {
            Some(p) => view! { <question_page::QuestionPage form=form page=p /> }.into_any(),
            None => view! { <crate::shell::components::not_found::NotFoundPage /> }.into_any(),
        }
    }
}
