//! The exemption pre-check interview: question pages, check answers, result.

pub mod check_page;
pub mod flow;
pub mod question_page;
pub mod result_page;

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use crate::form::Answers;
use crate::storage;
use flow::{Page, Step};

/// The pre-check's answers, shared by its pages and kept in session storage.
pub type PrecheckAnswers = RwSignal<Answers>;

const STORAGE_KEY: &str = "pishkhan.precheck";

/// Loads the kept answers, provides them, and saves every change.
pub fn provide_precheck_answers() {
    let answers: PrecheckAnswers = RwSignal::new(storage::load_answers(STORAGE_KEY));
    Effect::new(move |_| answers.with(|a| storage::save_answers(STORAGE_KEY, a)));
    provide_context(answers);
}

pub fn use_precheck_answers() -> PrecheckAnswers {
    expect_context::<PrecheckAnswers>()
}

/// `/precheck/:step`: a question page, `check` or `result`.
#[component]
pub fn PrecheckRoute() -> impl IntoView {
    let params = use_params_map();
    move || {
        let slug = params.read().get("step").unwrap_or_default();
        match slug.as_str() {
            "check" => view! { <check_page::CheckPage /> }.into_any(),
            "result" => view! { <result_page::ResultPage /> }.into_any(),
            _ => match Step::from_slug(&slug) {
                Some(step) => view! { <question_page::QuestionPage step=step /> }.into_any(),
                None => view! { <Redirect path=Page::Question(Step::Level).href() /> }.into_any(),
            },
        }
    }
}
