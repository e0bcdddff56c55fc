//! "Check your answers": every answer that counts, each with a change link, then the result.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;

use crate::shell::components::field_input::display_answer;
use crate::shell::i18n::{page_setup, use_lang};
use crate::student::precheck::answers::use_precheck_answers;
use crate::student::precheck::flow::{self, Page};

#[component]
pub fn CheckPage() -> impl IntoView {
    let lang = use_lang();
    let answers = use_precheck_answers();
    let navigate = use_navigate();
    // Opened before every question is answered: go to the first one missing.
    if let Some(step) = answers.with_untracked(flow::first_unanswered) {
        return view! { <Redirect path=Page::Question(step).href() /> }.into_any();
    }
    page_setup(|t| t.check_title.to_owned());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let target = answers
            .with(flow::first_unanswered)
            .map_or(Page::Result, Page::Question);
        navigate(&target.href(), Default::default());
    };
    view! {
        <a class="back-link" href=move || Page::Question(answers.with(flow::last_step)).href()>
            {move || lang.get().texts().back}
        </a>
        <h1 class="page-heading">{move || lang.get().texts().check_title}</h1>
        <p>{move || lang.get().texts().check_intro}</p>
        {move || {
            let l = lang.get();
            let t = l.texts();
            answers.with(|a| {
                let rows = flow::sequence(a)
                    .into_iter()
                    .flat_map(|step| step.fields().iter().map(move |f| (step, *f)))
                    .map(|(step, f)| {
                        let label = (t.field_label)(f.name);
                        let href = format!("{}?return=check", Page::Question(step).href());
                        view! {
                            <div class="summary-row">
                                <dt>{label}</dt>
                                <dd>{display_answer(l, &f, a)}</dd>
                                <dd class="summary-action">
                                    <a href=href data-change=f.name>
                                        {t.change}
                                        <span class="visually-hidden">" " {label}</span>
                                    </a>
                                </dd>
                            </div>
                        }
                    })
                    .collect_view();
                view! { <dl class="summary">{rows}</dl> }
            })
        }}
        <form novalidate on:submit=on_submit>
            <button type="submit" class="button">{move || lang.get().texts().see_result}</button>
        </form>
    }
    .into_any()
}
