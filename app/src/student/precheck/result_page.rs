//! The pre-check result: the verdict in one sentence, the dates (Jalali and Gregorian), every
//! reason with its article, the consular outcome, and what to do next.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;

use crate::shell::clock;
use crate::shell::components::result_parts::{date_rows, precheck_dates, ReasonList};
use crate::shell::i18n::{page_setup, use_lang};
use crate::student::precheck::answers::use_precheck_answers;
use crate::student::precheck::flow::{self, Page};

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
    let verdict_id = outcome.verdict.id();
    let dates = precheck_dates(&outcome);
    let reasons = outcome.reasons.clone();
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
    let texts = move || {
        let l = lang.get();
        let t = l.texts();
        view! {
            <h1 class="page-heading">{t.result_title}</h1>
            <p class=format!("verdict verdict--{verdict_id}")>{(t.verdict_sentence)(verdict)}</p>
            {date_rows(&dates)}
            <p class="as-of">
                {t.answers_as_of} " "
                <time data-date="today" data-value=today.to_machine()>{l.date(today)}</time>
            </p>
            <h2>{t.reasons_heading}</h2>
        }
    };
    let after = move || {
        let t = lang.get().texts();
        view! {
            {abroad.as_ref().map(|a| {
                let case = format!("{:?}", a.case).to_lowercase();
                view! {
                    <h2>{t.abroad_heading}</h2>
                    <ul class="abroad-outcome" data-consular-case=case>
                        {(t.abroad_lines)(a).into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                    </ul>
                }
            })}
            <h2>{t.next_steps_heading}</h2>
            <ul class="next-steps">
                {(t.next_steps)(verdict).iter().map(|s| view! { <li>{*s}</li> }).collect_view()}
            </ul>
            <p class="result-actions">
                <a href=Page::Check.href()>{t.change}</a>
                <button type="button" class="button button--secondary" on:click=start_again.clone()>
                    {t.start_again}
                </button>
            </p>
        }
    };
    view! {
        <div class="result" data-verdict=verdict_id>
            {texts}
            <ReasonList reasons=reasons />
            {after}
        </div>
    }
    .into_any()
}
