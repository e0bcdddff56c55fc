//! The three request forms (exemption, withdrawal, clearance) and "my drafts": the forms as data
//! (`flow`), their texts (`texts`), the draft being edited and its autosave (`editor`), and the
//! pages (`question_page`, `check_page`, `file_input`, `drafts_page`, `banners`). Routes:
//! `/requests/<form>` starts or resumes, `/requests/<form>/<draft id>/<page>` is one page,
//! `/drafts` lists the drafts.

pub mod banners;
pub mod check_page;
pub mod drafts_page;
pub mod editor;
pub mod export;
pub mod file_input;
pub mod flow;
pub mod question_page;
pub mod texts;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

use crate::drafts::DraftStatus;
use crate::i18n::use_lang;
use editor::Editor;
use flow::{RequestForm, Target};
use texts::FormTexts;

/// Where a draft opens: its first unanswered page, else its check-answers page.
pub fn resume_target(form: &RequestForm, answers: &crate::form::Answers) -> Target {
    form.first_unanswered(answers)
        .map_or(Target::Check, |p| Target::Page(p.slug))
}

fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

/// "Loading…" while the storage opens or a draft loads.
#[component]
pub fn Loading() -> impl IntoView {
    let lang = use_lang();
    view! { <p class="loading" role="status">{move || FormTexts::of(lang.get()).loading}</p> }
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
            return view! { <crate::start_page::NotFoundPage /> }.into_any();
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
            None => view! { <crate::start_page::NotFoundPage /> }.into_any(),
        }
    }
}
