//! The exemption's university, chosen from `GET /api/v1/universities` (issue 14): the list
//! (kept in local storage, so a form filled offline still offers it), a university's name by
//! its code, an older draft's free text matched to a university's Persian name (or cleared for
//! the student to choose), and the list drawn as a `<select>`, Persian names first (a text input
//! while offline before the list was ever fetched).

use api::common::{Universities, UniversityEntry};
use leptos::prelude::*;

use super::texts::FormTexts;
use crate::shell::components::field_input::{message, Labels};
use crate::shell::form::{dom_id, Answers, Field, FieldError};
use crate::shell::http::{fetch, Auth};
use crate::shell::i18n::{use_lang, Lang};
use crate::shell::storage;

/// The list's place in local storage.
const KEY: &str = "pishkhan.universities";

/// The list as last fetched (empty before the first fetch, and outside a browser).
pub fn cached() -> Vec<UniversityEntry> {
    storage::local_get(KEY)
        .and_then(|text| serde_json::from_str::<Universities>(&text).ok())
        .map_or_else(Vec::new, |u| u.universities)
}

/// The list from the server (kept for next time), else the cached one.
pub async fn load() -> Vec<UniversityEntry> {
    let fetched = fetch("GET", "/api/v1/universities", None, &[], Auth::None)
        .await
        .ok()
        .filter(|reply| reply.status == 200)
        .and_then(|reply| {
            let list = serde_json::from_str::<Universities>(&reply.body).ok()?;
            storage::local_set(KEY, &reply.body);
            Some(list.universities)
        });
    fetched.unwrap_or_else(cached)
}

/// A university's name in `lang`, by its code.
pub fn name_of(list: &[UniversityEntry], code: &str, lang: Lang) -> Option<String> {
    list.iter().find(|u| u.code == code).map(|u| match lang {
        Lang::Fa => u.name_fa.clone(),
        Lang::En => u.name_en.clone(),
    })
}

/// What an answer becomes once the list is known: a code stays; an older draft's text becomes
/// the code of the university with that Persian (or English) name, else nothing (the student
/// chooses).
pub fn matched(list: &[UniversityEntry], answer: &str) -> String {
    let answer = answer.trim();
    list.iter()
        .find(|u| u.code == answer)
        .or_else(|| {
            list.iter()
                .find(|u| u.name_fa == answer || u.name_en == answer)
        })
        .map(|u| u.code.clone())
        .unwrap_or_default()
}

/// The university field: a list of the universities' names (Persian first), its value a code.
#[component]
pub fn UniversitySelect(
    field: Field,
    answers: RwSignal<Answers>,
    errors: RwSignal<Vec<FieldError>>,
    heading: bool,
) -> impl IntoView {
    let lang = use_lang();
    let labels = Labels::here();
    let list = RwSignal::new(cached());
    leptos::task::spawn_local(async move { list.set(load().await) });
    // An older draft's free text, once the list is known: its university's code, or nothing.
    Effect::new(move |_| {
        list.with(|l| {
            if l.is_empty() {
                return;
            }
            let answer = answers.with_untracked(|a| a.get(field.name).to_owned());
            let code = matched(l, &answer);
            if code != answer {
                answers.update(|a| a.set(field.name, code));
            }
        })
    });
    let id = dom_id(field.name);
    let error_id = format!("{id}-error");
    let error = Memo::new(move |_| {
        errors.with(|es| {
            es.iter()
                .find(|e| e.field == field.name)
                .map(|e| message(labels, lang.get(), e))
        })
    });
    let label = move || {
        let text = labels.label(lang.get(), field.name);
        if heading {
            view! { <h1 class="page-heading">{text}</h1> }.into_any()
        } else {
            view! { <span class="field-label">{text}</span> }.into_any()
        }
    };
    let options = move || {
        let l = lang.get();
        list.get()
            .into_iter()
            .map(|u| {
                let (first, second) = match l {
                    Lang::Fa => (u.name_fa, u.name_en),
                    Lang::En => (u.name_en, u.name_fa),
                };
                let code = u.code.clone();
                let selected = move || answers.with(|a| a.get(field.name) == code);
                view! { <option value=u.code selected=selected>{format!("{first} ({second})")}</option> }
            })
            .collect_view()
    };
    let error_view = move || {
        error.get().map(
            |m| view! { <p class="field-error" id=format!("{}-error", dom_id(field.name))>{m}</p> },
        )
    };
    let invalid = move || error.with(Option::is_some).then_some("true");
    // Offline before the list was ever fetched: the name typed, matched once the list comes.
    let typed = move || {
        view! {
            <input
                id=dom_id(field.name)
                name=field.name
                class="input input--wide"
                type="text"
                aria-describedby=error_id.clone()
                aria-invalid=invalid
                prop:value=move || answers.with(|a| a.get(field.name).to_owned())
                on:input=move |ev| answers.update(|a| a.set(field.name, event_target_value(&ev)))
            />
        }
    };
    let chosen = move || {
        view! {
            <select
                id=dom_id(field.name)
                name=field.name
                class="input input--wide"
                aria-describedby=format!("{}-error", dom_id(field.name))
                aria-invalid=invalid
                prop:value=move || answers.with(|a| a.get(field.name).to_owned())
                on:change=move |ev| answers.update(|a| a.set(field.name, event_target_value(&ev)))
            >
                <option value="">{move || FormTexts::of(lang.get()).university_choose}</option>
                {options}
            </select>
        }
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {error_view}
            {move || if list.with(Vec::is_empty) { typed().into_any() } else { chosen().into_any() }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_drafts_text_becomes_its_universitys_code_or_nothing() {
        let list = vec![UniversityEntry {
            code: "ut".into(),
            name_fa: "دانشگاه تهران".into(),
            name_en: "University of Tehran".into(),
        }];
        assert_eq!(matched(&list, "ut"), "ut");
        assert_eq!(matched(&list, " دانشگاه تهران "), "ut");
        assert_eq!(matched(&list, "دانشگاهی دیگر"), "");
        assert_eq!(
            name_of(&list, "ut", Lang::Fa).as_deref(),
            Some("دانشگاه تهران")
        );
        assert_eq!(name_of(&list, "nowhere", Lang::En), None);
    }
}
