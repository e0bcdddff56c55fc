//! The exemption pre-check interview (the tools bundle's: `student::app::ToolsApp`): its answers
//! (`answers`), the interview as data (`flow`), and the route `/precheck/:step` to its question
//! pages, check answers and result.

pub mod answers;
pub mod check_page;
pub mod flow;
pub mod question_page;
pub mod result_page;

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_params_map;

use flow::{Page, Step};

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
