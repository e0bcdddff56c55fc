//! The error summary at the top of a form: focused when it appears, one link per wrong field.

use leptos::prelude::*;

use crate::shell::components::field_input::{message, Labels};
use crate::shell::form::FieldError;
use crate::shell::i18n::use_lang;
use crate::shell::storage;

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
