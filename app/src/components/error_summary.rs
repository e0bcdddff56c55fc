//! The error summary at the top of a form: focused when it appears, one link per wrong field.

use leptos::prelude::*;

use crate::components::field_input::Labels;
use crate::form::{FieldError, Problem};
use crate::i18n::{use_lang, Lang};
use crate::storage;

/// The message for a refused field, in the page's language.
pub fn message(labels: Labels, lang: Lang, error: &FieldError) -> String {
    let t = lang.texts();
    let label = labels.label(lang, error.field);
    match &error.problem {
        Problem::Choose => (t.err_choose)(label),
        Problem::DateIncomplete => (t.err_date_incomplete)(label),
        Problem::DateNotDigits | Problem::Count => (t.err_count)(label),
        Problem::Date(e) => (t.date_error)(e),
        Problem::Empty => (t.err_empty)(label),
        Problem::NoFile => (t.err_no_file)(label),
        Problem::Rule { fa, en } => {
            let text = match lang {
                Lang::Fa => fa,
                Lang::En => en,
            };
            format!("{label}: {text}")
        }
    }
}

pub const SUMMARY_ID: &str = "error-summary";

#[component]
pub fn ErrorSummary(errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let lang = use_lang();
    let labels = Labels::here();
    Effect::new(move |_| {
        if !errors.with(Vec::is_empty) {
            request_animation_frame(|| storage::focus_id(SUMMARY_ID));
        }
    });
    move || {
        let list = errors.get();
        (!list.is_empty()).then(|| {
            let l = lang.get();
            view! {
                <div class="error-summary" id=SUMMARY_ID role="alert" tabindex="-1" aria-labelledby="error-summary-title">
                    <h2 id="error-summary-title">{l.texts().error_summary_title}</h2>
                    <ul>
                        {list
                            .iter()
                            .map(|e| {
                                let href = format!("#{}", e.focus_id);
                                let id = e.focus_id.clone();
                                view! {
                                    <li>
                                        <a
                                            href=href
                                            on:click=move |ev| {
                                                ev.prevent_default();
                                                storage::focus_id(&id);
                                            }
                                        >
                                            {message(labels, l, e)}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}
