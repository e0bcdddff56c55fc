//! One page of a request form: back link, the saving state and storage banners, error summary,
//! the page's fields, one continue button. A page that ends the form (no Sakha code) says what
//! to do instead and keeps the draft.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::forms::requests::banners::Banners;
use crate::forms::requests::editor::Editor;
use crate::forms::requests::file_input::FileInput;
use crate::forms::requests::opening::Loading;
use crate::forms::signin::identity::{self, Binding, IdentityField};
use crate::forms::signin::Session;
use crate::shell::clock;
use crate::shell::components::error_summary::ErrorSummary;
use crate::shell::components::field_input::{FieldInput, Labels};
use crate::shell::form::{Field, Kind};
use crate::shell::i18n::{page_setup, use_lang, Lang};
use crate::shell::request_forms::flow::{Page, RequestForm, Target};
use crate::shell::request_forms::texts::FormTexts;
use crate::shell::request_forms::universities::UniversitySelect;

/// The page's heading: the only field's label, else the page's title.
fn heading(labels: Labels, lang: Lang, page: &Page) -> String {
    match page.fields {
        [only] => labels.label(lang, only.name).to_owned(),
        _ => (FormTexts::of(lang).page_title)(page.slug)
            .unwrap_or_default()
            .to_owned(),
    }
}

/// A field of a request page: files need the draft's storage, a field the sign-in fills is shown
/// read-only while signed in, the rest are shared inputs.
pub fn field_view(
    field: Field,
    errors: RwSignal<Vec<crate::shell::form::FieldError>>,
    heading: bool,
) -> AnyView {
    let editor = Editor::get();
    if field.kind == Kind::File {
        return view! { <FileInput field=field errors=errors heading=heading /> }.into_any();
    }
    if field.kind == Kind::University {
        return view! { <UniversitySelect field=field answers=editor.answers errors=errors heading=heading /> }
            .into_any();
    }
    let session = Session::get();
    let binding = Memo::new(move |_| identity::binding(session, &field));
    (move || match binding.get() {
        Binding::Bound(value) => view! { <IdentityField field=field value=value heading=heading /> }.into_any(),
        Binding::Free => view! { <FieldInput field=field answers=editor.answers errors=errors heading=heading /> }
            .into_any(),
        Binding::Waiting => view! { <Loading /> }.into_any(),
    })
    .into_any()
}

#[component]
pub fn QuestionPage(form: &'static RequestForm, page: &'static Page) -> impl IntoView {
    let lang = use_lang();
    let labels = Labels::here();
    let editor = Editor::get();
    page_setup(move |_| heading(labels, lang.get_untracked(), page));
    let draft_id = editor.draft_id().unwrap_or_default();
    let id = draft_id.clone();
    let back = move || editor.answers.with(|a| form.back(page, a).href(form, &id));
    if page.ends_form {
        let id = draft_id.clone();
        return view! {
            <a class="back-link" href=back>{move || lang.get().texts().back}</a>
            <Banners />
            <h1 class="page-heading">{move || heading(labels, lang.get(), page)}</h1>
            {move || {
                let ft = FormTexts::of(lang.get());
                view! {
                    <div class="notice" data-form-ended=page.slug>
                        {ft.no_sakha_lines.iter().map(|l| view! { <p>{*l}</p> }).collect_view()}
                        <p>{ft.no_sakha_bring}</p>
                        <ul>{ft.no_sakha_items.iter().map(|l| view! { <li>{*l}</li> }).collect_view()}</ul>
                        <p>{ft.no_sakha_kept}</p>
                    </div>
                    <p><a href="/drafts" data-draft=id.clone()>{ft.to_drafts}</a></p>
                }
            }}
        }
        .into_any();
    }
    let errors = RwSignal::new(Vec::new());
    let query = use_query_map();
    let returning = move || query.read().get("return").as_deref() == Some("check");
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let found = editor
            .answers
            .with(|a| form.errors_in(page.fields, a, clock::today()));
        if found.is_empty() {
            errors.set(Vec::new());
            editor.save_now();
            let target: Target = editor.answers.with(|a| form.next(page, a, returning()));
            navigate(&target.href(form, &draft_id), Default::default());
        } else {
            errors.set(found);
        }
    };
    let single = page.fields.len() == 1;
    view! {
        <a class="back-link" href=back>{move || lang.get().texts().back}</a>
        <Banners />
        <form class="question" novalidate on:submit=on_submit>
            <ErrorSummary errors=errors />
            {(!single).then(|| view! { <h1 class="page-heading">{move || heading(labels, lang.get(), page)}</h1> })}
            {page.fields.iter().map(|f| field_view(*f, errors, single)).collect_view()}
            <button type="submit" class="button">{move || lang.get().texts().continue_}</button>
        </form>
    }
    .into_any()
}
