//! `/staff/new` (police e-services office): files an exemption (path A2) for a student — the
//! student form's questions (`shell::request_forms::flow::EXEMPTION`, its labels and checks) on one page; the
//! server's refusals are shown on their fields; a filed request opens its detail page.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use api::staff::{Detail, FileA2};

use super::client;
use super::logic::split_errors;
use super::texts::StaffTexts;
use super::widgets::{Heading, Problems, Summary};
use crate::shell::components::field_input::FieldInput;
use crate::shell::form::{to_json, validate_all, Answers, Field, Kind};
use crate::shell::i18n::use_lang;
use crate::shell::request_forms::flow::EXEMPTION;
use crate::shell::request_forms::texts::field_texts;
use crate::shell::request_forms::universities::UniversitySelect;

/// The exemption form's fields that apply to these answers, every page at once (the page that
/// ends the student's form is not one: the office files what the student answers).
pub fn exemption_fields(answers: &Answers) -> Vec<Field> {
    EXEMPTION
        .pages
        .iter()
        .filter(|p| !p.ends_form && (p.applies)(answers))
        .flat_map(|p| p.fields.iter().copied())
        .chain(EXEMPTION.check_fields.iter().copied())
        .collect()
}

#[component]
pub fn NewRequestPage() -> impl IntoView {
    let lang = use_lang();
    provide_context(field_texts(rules::requests::RequestKind::Exemption));
    let answers = RwSignal::new(Answers::default());
    let problems = Problems::new();
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let fields = Memo::new(move |_| answers.with(exemption_fields));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let fields = fields.get_untracked();
        let errors = answers.with_untracked(|a| validate_all(&fields, a));
        if !errors.is_empty() {
            problems.general.set(Vec::new());
            problems.fields.set(errors);
            return;
        }
        let body = FileA2 {
            answers: Some(answers.with_untracked(|a| to_json(&fields, a, &[]))),
        };
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = client::send::<Detail>("POST", "/api/v1/staff/requests", &body).await;
            busy.set(false);
            let l = lang.get_untracked();
            match answer {
                Ok(d) => navigate(
                    &format!("/staff/requests/{}", client::encode(&d.handle)),
                    Default::default(),
                ),
                Err(e) if e.status == 422 => {
                    let (named, general) = split_errors(&e.errors, &fields, l);
                    problems.fields.set(named);
                    problems.general.set(general);
                }
                Err(e) => problems.failed(&e, l),
            }
        });
    };
    view! {
        <Summary problems=problems />
        <Heading text=|t| t.new_title />
        <p>{move || StaffTexts::of(lang.get()).new_intro}</p>
        <form class="staff-form" data-testid="new-request" novalidate on:submit=submit>
            <For each=move || fields.get() key=|f| f.name let:field>
                {if field.kind == Kind::University {
                    view! { <UniversitySelect field=field answers=answers errors=problems.fields heading=false /> }.into_any()
                } else {
                    view! { <FieldInput field=field answers=answers errors=problems.fields heading=false /> }.into_any()
                }}
            </For>
            <button type="submit" class="button" data-testid="file-request" disabled=move || busy.get()>
                {move || StaffTexts::of(lang.get()).file_request}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::form::answers;

    #[test]
    fn every_page_of_the_exemption_form_is_on_one_page() {
        let names = |a: &Answers| {
            exemption_fields(a)
                .iter()
                .map(|f| f.name)
                .collect::<Vec<_>>()
        };
        let first = names(&Answers::default());
        assert!(first.contains(&"has_sakha_code") && first.contains(&"national_id"));
        assert!(first.contains(&"justification") && first.contains(&"commission_extension"));
        assert!(!first.contains(&"withdrew_from_same_level"));
        // No Sakha code does not end the office's form.
        let more = names(&answers(&[
            ("has_sakha_code", "false"),
            ("prior_exemption_same_level", "true"),
            ("withdrew_from_same_level", "true"),
        ]));
        assert!(more.contains(&"withdrawn_renewals_used") && more.contains(&"level"));
    }
}
