//! Small pieces the staff pages share: the error summary (fields named, focused when it appears),
//! a labelled text input, the status line read out by screen readers, "loading" and "not found".

use leptos::prelude::*;

use super::client::ApiError;
use super::texts::StaffTexts;
use crate::shell::components::error_summary::SUMMARY_ID;
use crate::shell::components::field_input::{message, Labels};
use crate::shell::form::FieldError;
use crate::shell::i18n::{page_setup, use_lang, Lang};
use crate::shell::storage;

/// A page's title and its `<h1>` (focused when the page opens).
#[component]
pub fn Heading(text: fn(&'static StaffTexts) -> &'static str) -> impl IntoView {
    let lang = use_lang();
    page_setup(move |_| text(StaffTexts::of(lang.get_untracked())).to_owned());
    view! { <h1 class="page-heading" tabindex="-1">{move || text(StaffTexts::of(lang.get()))}</h1> }
}

#[component]
pub fn Loading() -> impl IntoView {
    let lang = use_lang();
    view! { <p class="loading" role="status">{move || StaffTexts::of(lang.get()).loading}</p> }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let lang = use_lang();
    view! { <h1 class="page-heading" tabindex="-1">{move || lang.get().texts().not_found}</h1> }
}

/// The status line (`role="status"`): what the last action did.
#[component]
pub fn Status(text: RwSignal<String>) -> impl IntoView {
    view! { <p class="staff-status" role="status" aria-live="polite" data-testid="status">{move || text.get()}</p> }
}

/// What went wrong: field errors (each a link to its input) and messages not tied to a field.
#[derive(Clone, Copy)]
pub struct Problems {
    pub fields: RwSignal<Vec<FieldError>>,
    pub general: RwSignal<Vec<String>>,
}

impl Problems {
    pub fn new() -> Problems {
        Problems {
            fields: RwSignal::new(Vec::new()),
            general: RwSignal::new(Vec::new()),
        }
    }

    pub fn clear(self) {
        self.fields.set(Vec::new());
        self.general.set(Vec::new());
    }

    /// One message, not tied to a field.
    pub fn say(self, text: impl Into<String>) {
        self.fields.set(Vec::new());
        self.general.set(vec![text.into()]);
    }

    /// A failed call's messages (the network's when there was no answer).
    pub fn failed(self, e: &ApiError, lang: Lang) {
        let messages = e.messages(lang == Lang::Fa);
        if e.status == 0 || messages.is_empty() {
            self.say(StaffTexts::of(lang).network);
        } else {
            self.fields.set(Vec::new());
            self.general.set(messages);
        }
    }
}

/// The error summary: like the forms' (same id, classes and focus), plus messages that name no
/// field.
#[component]
pub fn Summary(problems: Problems) -> impl IntoView {
    let lang = use_lang();
    let labels = Labels::here();
    let Problems { fields, general } = problems;
    let empty = move || fields.with(Vec::is_empty) && general.with(Vec::is_empty);
    Effect::new(move |_| {
        if !empty() {
            request_animation_frame(|| storage::focus_id(SUMMARY_ID));
        }
    });
    move || {
        (!empty()).then(|| {
            let l = lang.get();
            let linked = fields
                .get()
                .into_iter()
                .map(|e| {
                    let id = e.focus_id.clone();
                    view! {
                        <li>
                            <a
                                href=format!("#{}", e.focus_id)
                                on:click=move |ev| {
                                    ev.prevent_default();
                                    storage::focus_id(&id);
                                }
                            >
                                {message(labels, l, &e)}
                            </a>
                        </li>
                    }
                })
                .collect_view();
            let plain = general
                .get()
                .into_iter()
                .map(|m| view! { <li>{m}</li> })
                .collect_view();
            view! {
                <div class="error-summary" id=SUMMARY_ID role="alert" tabindex="-1" aria-labelledby="error-summary-title">
                    <h2 id="error-summary-title">{l.texts().error_summary_title}</h2>
                    <ul>{linked}{plain}</ul>
                </div>
            }
        })
    }
}

/// A labelled one-line input (`id` and `name` equal), with a hint.
#[component]
pub fn TextInput(
    id: &'static str,
    label: fn(&'static StaffTexts) -> &'static str,
    value: RwSignal<String>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] hint: Option<fn(&'static StaffTexts) -> &'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] ltr: bool,
) -> impl IntoView {
    let lang = use_lang();
    let hint_id = format!("{id}-hint");
    let t = move || StaffTexts::of(lang.get());
    view! {
        <div class="field">
            <label for=id>{move || label(t())}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{move || h(t())}</p> })}
            <input
                id=id
                name=id
                class="input input--wide"
                type=kind.unwrap_or("text")
                dir=ltr.then_some("ltr")
                autocomplete=autocomplete.unwrap_or("off")
                spellcheck="false"
                aria-describedby=hint.map(|_| format!("{id}-hint"))
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </div>
    }
}
