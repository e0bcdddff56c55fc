//! One form field drawn from its definition: a date as day/month/year, radios, a count, a text
//! or a text area, with its label (or legend), hint and error, bound to the answers by its
//! contract name; the message for a refused field ([`message`]) and an answer as the person reads
//! it back ([`display_answer`]). File fields are drawn by the
//! request forms (`forms::requests::file_input`), the university list by
//! `shell::request_forms::universities`.

use leptos::prelude::*;
use rules::{Level, StudyEnd};

use crate::shell::form::{dom_id, Answers, Field, FieldError, Kind, Problem};
use crate::shell::i18n::{use_lang, Lang};

/// Texts of fields a bundle adds to the shared tables. The request forms provide theirs as
/// context, so the student app's bundle does not carry them.
#[derive(Clone, Copy)]
pub struct FieldTexts {
    pub label: fn(Lang, &str) -> Option<&'static str>,
    pub hint: fn(Lang, &str) -> Option<&'static str>,
    /// The text of a `Kind::Choice` option: field name, value.
    pub option: fn(Lang, &str, &str) -> &'static str,
}

/// Where a field's texts come from: the provided [`FieldTexts`] first, then the shared table.
/// Read once when a component is created (`Labels::here()`), used inside reactive closures.
#[derive(Clone, Copy)]
pub struct Labels(Option<FieldTexts>);

impl Labels {
    pub fn here() -> Labels {
        Labels(use_context::<FieldTexts>())
    }

    pub fn label(self, lang: Lang, name: &str) -> &'static str {
        self.0
            .and_then(|x| (x.label)(lang, name))
            .unwrap_or_else(|| (lang.texts().field_label)(name))
    }

    pub fn hint(self, lang: Lang, name: &str) -> Option<&'static str> {
        self.0
            .and_then(|x| (x.hint)(lang, name))
            .or_else(|| (lang.texts().field_hint)(name))
    }

    pub fn option(self, lang: Lang, name: &str, value: &str) -> &'static str {
        self.0.map_or("", |x| (x.option)(lang, name, value))
    }
}

/// A field of a form. `heading`: the field is the page's only question, so its label is the
/// page's `<h1>`.
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

/// An answer as the person reads it.
pub fn display_answer(lang: Lang, field: &Field, answers: &Answers) -> String {
    let t = lang.texts();
    let value = answers.get(field.name).trim();
    match field.kind {
        Kind::Date => match answers.date(field.name) {
            Some(Ok(d)) => lang.date(d),
            _ => t.not_answered.to_owned(),
        },
        Kind::YesNo | Kind::Section => (if value == "true" { t.yes } else { t.no }).to_owned(),
        Kind::Levels => Level::from_id(value).map_or("", t.level_name).to_owned(),
        Kind::Events => StudyEnd::from_id(value).map_or("", t.event_name).to_owned(),
        Kind::Count => lang.digits(&rules::digits::parse_number(value).unwrap_or(0).to_string()),
        Kind::Digits => lang.digits(value),
        Kind::Text | Kind::LongText | Kind::Choice(_) | Kind::University | Kind::File => {
            value.to_owned()
        }
    }
}

#[component]
pub fn FieldInput(
    field: Field,
    answers: RwSignal<Answers>,
    errors: RwSignal<Vec<FieldError>>,
    heading: bool,
    /// A `data-testid` for the input (a stable hook for the browser tests).
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let labels = Labels::here();
    let base = dom_id(field.name);
    let hint_id = format!("{base}-hint");
    let error_id = format!("{base}-error");
    let error = Memo::new(move |_| {
        errors.with(|es| {
            es.iter()
                .find(|e| e.field == field.name)
                .map(|e| message(labels, lang.get(), e))
        })
    });
    let invalid = move || error.with(Option::is_some).then_some("true");
    move || {
        let l = lang.get();
        let t = l.texts();
        let label = labels.label(l, field.name);
        let label_view = if heading {
            view! { <h1 class="page-heading">{label}</h1> }.into_any()
        } else {
            view! { <span class="field-label">{label}</span> }.into_any()
        };
        let optional = field.optional.then(|| format!(" ({})", t.optional));
        let hint = labels.hint(l, field.name);
        let described = [hint.map(|_| hint_id.clone()), Some(error_id.clone())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let hint_view = hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> });
        let error_view = {
            let error_id = error_id.clone();
            move || {
                error
                    .get()
                    .map(|m| view! { <p class="field-error" id=error_id.clone()>{m}</p> })
            }
        };
        let body = match field.kind {
            Kind::Date => {
                let part = move |p: &'static str, size: &'static str, text: &'static str| {
                    let name = format!("{}.{p}", field.name);
                    let id = dom_id(&name);
                    let key = name.clone();
                    let key2 = name.clone();
                    view! {
                        <div class="date-part">
                            <label for=id.clone()>{text}</label>
                            <input
                                id=id
                                name=name
                                class=format!("input input--{size}")
                                type="text"
                                inputmode="numeric"
                                autocomplete="off"
                                aria-invalid=invalid
                                prop:value=move || answers.with(|a| a.get(&key).to_owned())
                                on:input=move |ev| answers.update(|a| a.set(&key2, event_target_value(&ev)))
                            />
                        </div>
                    }
                };
                view! {
                    <fieldset class="field" role="group" aria-describedby=described>
                        <legend>{label_view}{optional}</legend>
                        {hint_view}
                        {error_view}
                        <div class="date-input">
                            {part("day", "2", t.day)}
                            {part("month", "2", t.month)}
                            {part("year", "4", t.year)}
                        </div>
                    </fieldset>
                }
                .into_any()
            }
            Kind::YesNo | Kind::Section | Kind::Levels | Kind::Events | Kind::Choice(_) => {
                let options: Vec<(String, &'static str)> = match field.kind {
                    Kind::Levels => Level::ALL
                        .iter()
                        .map(|l| (l.id().to_owned(), (t.level_name)(*l)))
                        .collect(),
                    Kind::Events => StudyEnd::ALL
                        .iter()
                        .map(|e| (e.id().to_owned(), (t.event_name)(*e)))
                        .collect(),
                    Kind::Choice(values) => values
                        .iter()
                        .map(|v| ((*v).to_owned(), labels.option(l, field.name, v)))
                        .collect(),
                    _ => vec![("true".into(), t.yes), ("false".into(), t.no)],
                };
                let inline = matches!(field.kind, Kind::YesNo | Kind::Section);
                view! {
                    <fieldset class="field" aria-describedby=described>
                        <legend>{label_view}{optional}</legend>
                        {hint_view}
                        {error_view}
                        <div class="radios" class:radios--inline=inline>
                            {options
                                .into_iter()
                                .enumerate()
                                .map(|(i, (value, text))| {
                                    let id = if i == 0 { dom_id(field.name) } else { format!("{}-{}", dom_id(field.name), i) };
                                    let checked_value = value.clone();
                                    let set_value = value.clone();
                                    view! {
                                        <div class="radio">
                                            <input
                                                type="radio"
                                                id=id.clone()
                                                name=field.name
                                                value=value
                                                aria-invalid=invalid
                                                prop:checked=move || answers.with(|a| a.get(field.name) == checked_value)
                                                on:change=move |_| answers.update(|a| a.set(field.name, set_value.clone()))
                                            />
                                            <label for=id>{text}</label>
                                        </div>
                                    }
                                })
                                .collect_view()}
                        </div>
                    </fieldset>
                }
                .into_any()
            }
            Kind::Count | Kind::Text | Kind::Digits => {
                let id = dom_id(field.name);
                let (class, inputmode, dir, autocomplete) = match field.kind {
                    Kind::Count => ("input input--3", "numeric", None, "off"),
                    Kind::Digits => (
                        "input input--12",
                        "numeric",
                        Some("ltr"),
                        digits_autocomplete(field.name),
                    ),
                    _ => ("input input--wide", "text", None, "on"),
                };
                view! {
                    <div class="field">
                        <label for=id.clone()>{label_view}{optional}</label>
                        {hint_view}
                        {error_view}
                        <input
                            id=id
                            name=field.name
                            class=class
                            type="text"
                            inputmode=inputmode
                            dir=dir
                            autocomplete=autocomplete
                            spellcheck="false"
                            data-testid=testid
                            aria-describedby=described
                            aria-invalid=invalid
                            prop:value=move || answers.with(|a| a.get(field.name).to_owned())
                            on:input=move |ev| answers.update(|a| a.set(field.name, event_target_value(&ev)))
                        />
                    </div>
                }
                .into_any()
            }
            Kind::LongText => {
                let id = dom_id(field.name);
                view! {
                    <div class="field">
                        <label for=id.clone()>{label_view}{optional}</label>
                        {hint_view}
                        {error_view}
                        <textarea
                            id=id
                            name=field.name
                            class="input input--area"
                            rows="4"
                            data-testid=testid
                            aria-describedby=described
                            aria-invalid=invalid
                            prop:value=move || answers.with(|a| a.get(field.name).to_owned())
                            on:input=move |ev| answers.update(|a| a.set(field.name, event_target_value(&ev)))
                        ></textarea>
                    </div>
                }
                .into_any()
            }
            // Drawn by the request forms: a file input needs the draft's storage, the university
            // list the server's (`shell::request_forms::universities`).
            Kind::File | Kind::University => ().into_any(),
        };
        body
    }
}

/// The browser's autofill hint for a digits field.
fn digits_autocomplete(name: &str) -> &'static str {
    match name {
        "mobile" => "tel",
        "postal_code" => "postal-code",
        _ => "off",
    }
}
