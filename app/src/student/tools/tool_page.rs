//! A one-page tool: its fields, one submit button, and the answer below with dates, a countdown
//! in days, and every reason.

use leptos::prelude::*;

use crate::shell::clock;
use crate::shell::components::error_summary::ErrorSummary;
use crate::shell::components::field_input::FieldInput;
use crate::shell::components::result_parts::{date_rows, ReasonList};
use crate::shell::i18n::{self, page_setup, use_lang};
use crate::shell::storage;
use crate::student::tools::forms::{FormDef, ToolAnswer};

fn page_tool(def: &FormDef) -> i18n::Tool {
    match def.tool {
        rules::Tool::Revocation => i18n::Tool::Revocation,
        rules::Tool::Presentation => i18n::Tool::Presentation,
        rules::Tool::Travel => i18n::Tool::Travel,
        rules::Tool::Discharge | rules::Tool::Precheck => i18n::Tool::Discharge,
    }
}

#[component]
pub fn ToolPage(def: FormDef) -> impl IntoView {
    let lang = use_lang();
    let key = def.storage_key();
    let answers = RwSignal::new(storage::load_answers(&key));
    storage::save_answers_on_change(key, answers);
    let errors = RwSignal::new(Vec::new());
    let result: RwSignal<Option<(ToolAnswer, rules::JalaliDate)>> = RwSignal::new(None);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let found = answers.with(|a| def.errors(a));
        if !found.is_empty() {
            result.set(None);
            errors.set(found);
            return;
        }
        errors.set(Vec::new());
        let today = clock::today();
        result.set(
            answers
                .with(|a| def.answer(a, today))
                .ok()
                .map(|v| (v, today)),
        );
        request_animation_frame(|| storage::focus_id("tool-result"));
    };
    let tool = page_tool(&def);
    page_setup(move |t| (t.tool_title)(tool).to_owned());
    let heading = move || {
        let t = lang.get().texts();
        view! {
            <a class="back-link" href="/">{t.back}</a>
            <h1 class="page-heading">{(t.tool_title)(tool)}</h1>
            <p>{(t.tool_intro)(tool)}</p>
        }
    };
    view! {
        {heading}
        <form class="question" novalidate on:submit=on_submit>
            <ErrorSummary errors=errors />
            {def
                .fields
                .iter()
                .map(|f| view! { <FieldInput field=*f answers=answers errors=errors heading=false /> })
                .collect_view()}
            <button type="submit" class="button">{move || lang.get().texts().show_answer}</button>
        </form>
        {move || {
            let l = lang.get();
            let t = l.texts();
            result
                .get()
                .map(|(answer, today)| {
                    let flag = answer.flag;
                    let options: Vec<&'static str> =
                        answer.options.iter().map(|o| (t.option_name)(o)).collect();
                    let days_left = answer.countdown.map(|d| today.days_until(d));
                    let sentence = match def.tool {
                        rules::Tool::Revocation => (t.revocation_answer)(flag),
                        rules::Tool::Presentation => (t.presentation_answer)(flag),
                        rules::Tool::Travel => (t.travel_answer)(flag),
                        _ => (t.discharge_answer)(flag),
                    };
                    view! {
                        <section class="result" id="tool-result" tabindex="-1" data-tool=def.tool.name()>
                            <h2 class="result-sentence">{sentence}</h2>
                            {date_rows(&answer.dates)}
                            {days_left.map(|n| view! {
                                <p class="countdown" data-days-left=n.to_string()>{(t.days_left)(n)}</p>
                            })}
                            {(!options.is_empty()).then(|| view! {
                                <h3>{t.options_heading}</h3>
                                <ul class="options">
                                    {options.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}
                                </ul>
                            })}
                            <ReasonList reasons=answer.reasons />
                        </section>
                    }
                })
        }}
    }
}
