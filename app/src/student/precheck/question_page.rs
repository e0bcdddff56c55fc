//! One pre-check question page: back link, error summary, the step's fields, one submit button.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::shell::components::error_summary::ErrorSummary;
use crate::shell::components::field_input::FieldInput;
use crate::shell::i18n::{page_setup, use_lang};
use crate::student::precheck::answers::use_precheck_answers;
use crate::student::precheck::flow::{self, Step};

#[component]
pub fn QuestionPage(step: Step) -> impl IntoView {
    let fields = step.fields();
    page_setup(move |t| match fields {
        [only] => (t.field_label)(only.name).to_owned(),
        _ => (t.step_title)(step.slug()).to_owned(),
    });
    let lang = use_lang();
    let answers = use_precheck_answers();
    let errors = RwSignal::new(Vec::new());
    let query = use_query_map();
    let returning = move || query.read().get("return").as_deref() == Some("check");
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let found = answers.with(|a| flow::errors(step, a));
        if found.is_empty() {
            errors.set(Vec::new());
            let target = answers.with(|a| flow::next(step, a, returning()));
            navigate(&target.href(), Default::default());
        } else {
            errors.set(found);
        }
    };
    let single = fields.len() == 1;
    view! {
        <a class="back-link" href=move || answers.with(|a| flow::back(step, a).href())>
            {move || lang.get().texts().back}
        </a>
        <form class="question" novalidate on:submit=on_submit>
            <ErrorSummary errors=errors />
            {(!single).then(|| view! { <h1 class="page-heading">{move || (lang.get().texts().step_title)(step.slug())}</h1> })}
            {fields
                .iter()
                .map(|f| view! { <FieldInput field=*f answers=answers errors=errors heading=single /> })
                .collect_view()}
            <button type="submit" class="button">{move || lang.get().texts().continue_}</button>
        </form>
    }
}
