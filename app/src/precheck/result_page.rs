//! The pre-check result: the verdict in one sentence, the dates (Jalali and Gregorian), every
//! reason with its article, the consular outcome, and what to do next.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;

use crate::clock;
use crate::components::result_parts::{date_rows, ReasonList};
use crate::i18n::{page_setup, use_lang};
use crate::precheck::flow::{self, Page};
use crate::precheck::use_precheck_answers;

#[component]
pub fn ResultPage() -> impl IntoView {
    let lang = use_lang();
    let answers = use_precheck_answers();
    let today = clock::today();
    let outcome = match answers.with_untracked(|a| flow::outcome(a, today)) {
        Ok(outcome) => outcome,
        Err(step) => return view! { <Redirect path=Page::Question(step).href() /> }.into_any(),
    };
    page_setup(|t| t.result_title.to_owned());
    let json = serde_json::to_value(&outcome).unwrap_or_default();
    let verdict_id = json["verdict"].as_str().unwrap_or_default().to_owned();
    let reasons = json["reasons"].as_array().cloned().unwrap_or_default();
    let navigate = use_navigate();
    let start_again = move |_| {
        answers.set(Default::default());
        navigate(
            &Page::Question(flow::Step::Level).href(),
            Default::default(),
        );
    };
    let verdict = outcome.verdict;
    let abroad = outcome.abroad.clone();
    view! {
        <div class="result" data-verdict=verdict_id.clone()>
            <h1 class="page-heading">{move || lang.get().texts().result_title}</h1>
            <p class=format!("verdict verdict--{verdict_id}")>
                {move || (lang.get().texts().verdict_sentence)(verdict)}
            </p>
            {date_rows(&json, &["exemption_until", "study_until", "study_until_with_commission"])}
            <p class="as-of">
                {move || lang.get().texts().answers_as_of} " "
                <time data-date="today" data-value=today.to_machine()>{move || lang.get().date(today)}</time>
            </p>
            <h2>{move || lang.get().texts().reasons_heading}</h2>
            <ReasonList reasons=reasons />
            {abroad.map(|a| {
                let case = format!("{:?}", a.case).to_lowercase();
                view! {
                    <h2>{move || lang.get().texts().abroad_heading}</h2>
                    <ul class="abroad-outcome" data-consular-case=case>
                        {move || {
                            (lang.get().texts().abroad_lines)(&a)
                                .into_iter()
                                .map(|line| view! { <li>{line}</li> })
                                .collect_view()
                        }}
                    </ul>
                }
            })}
            <h2>{move || lang.get().texts().next_steps_heading}</h2>
            <ul class="next-steps">
                {move || {
                    (lang.get().texts().next_steps)(verdict)
                        .iter()
                        .map(|s| view! { <li>{*s}</li> })
                        .collect_view()
                }}
            </ul>
            <p class="result-actions">
                <a href=Page::Check.href()>{move || lang.get().texts().change}</a>
                <button type="button" class="button button--secondary" on:click=start_again>
                    {move || lang.get().texts().start_again}
                </button>
            </p>
        </div>
    }
    .into_any()
}
