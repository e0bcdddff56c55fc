//! Opening a draft: the page it opens on ([`resume_target`]) and what shows while the storage opens
//! or the draft loads ([`Loading`]); used by the forms' pages, "my requests" and the applicant's
//! panel.

use leptos::prelude::*;

use crate::shell::form::Answers;
use crate::shell::i18n::use_lang;
use crate::shell::request_forms::flow::{RequestForm, Target};
use crate::shell::request_forms::texts::FormTexts;

/// Where a draft opens: its first unanswered page, else its check-answers page.
pub fn resume_target(form: &RequestForm, answers: &Answers) -> Target {
    form.first_unanswered(answers)
        .map_or(Target::Check, |p| Target::Page(p.slug))
}

/// "Loading…" while the storage opens or a draft loads.
#[component]
pub fn Loading() -> impl IntoView {
    let lang = use_lang();
    view! { <p class="loading" role="status">{move || FormTexts::of(lang.get()).loading}</p> }
}
