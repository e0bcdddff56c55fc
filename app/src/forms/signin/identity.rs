//! The signed-in identity on the forms: the national ID, student number and faculty the sign-in
//! proved are written into the open draft and shown read-only, so that a request naming another
//! person is not sent by accident (the server refuses it: 403 `NOT_YOUR_REQUEST`). Without a
//! session the fields are typed as before (drafts need no sign-in).

use leptos::prelude::*;

use super::model::{bound_fields, bound_value, fill_bound, may_be_bound};
use super::texts::SigninTexts;
use super::Session;
use crate::forms::requests::editor::Editor;
use crate::shell::components::field_input::Labels;
use crate::shell::form::{dom_id, Field};
use crate::shell::i18n::use_lang;
use crate::shell::request_forms::flow::RequestForm;

/// Keeps the open draft's identity fields equal to the signed-in person's, whenever a draft is
/// opened or the session changes.
pub fn keep_drafts_bound(editor: Editor, session: Session) {
    let open = Memo::new(move |_| {
        editor
            .draft
            .with(|d| d.as_ref().map(|d| (d.id.clone(), d.kind.clone())))
    });
    Effect::new(move |_| {
        let Some((_, kind)) = open.get() else { return };
        let Some(form) = RequestForm::from_slug(&kind) else {
            return;
        };
        let bound = session
            .state
            .with(|s| s.person().map(|p| bound_fields(form, p)))
            .unwrap_or_default();
        let mut answers = editor.answers.get_untracked();
        if fill_bound(&mut answers, &bound) {
            editor.answers.set(answers);
        }
    });
}

/// How a field of a request page is drawn as far as the sign-in goes (tracked).
#[derive(Clone, PartialEq, Debug)]
pub enum Binding {
    /// Typed by the person.
    Free,
    /// Filled by the sign-in, read-only.
    Bound(String),
    /// Not known yet: the sign-in may fill it, and the server has not said whether there is one.
    Waiting,
}

pub fn binding(session: Session, field: &Field) -> Binding {
    if !may_be_bound(field.name) {
        return Binding::Free;
    }
    if !session.settled.get() {
        return Binding::Waiting;
    }
    session
        .state
        .with(|s| s.person().and_then(|p| bound_value(p, field.name)))
        .map_or(Binding::Free, Binding::Bound)
}

/// A field the sign-in fills: its label (the page's `<h1>` when it is the page's only
/// question), where the value comes from, and the value in a read-only input.
#[component]
pub fn IdentityField(field: Field, value: String, heading: bool) -> impl IntoView {
    let lang = use_lang();
    let labels = Labels::here();
    let id = dom_id(field.name);
    let hint_id = format!("{id}-hint");
    move || {
        let l = lang.get();
        let label = labels.label(l, field.name);
        let label_view = if heading {
            view! { <h1 class="page-heading">{label}</h1> }.into_any()
        } else {
            view! { <span class="field-label">{label}</span> }.into_any()
        };
        view! {
            <div class="field" data-signed-in-field=field.name>
                <label for=id.clone()>{label_view}</label>
                <p class="hint" id=hint_id.clone()>{SigninTexts::of(l).from_sign_in}</p>
                <input
                    id=id.clone()
                    name=field.name
                    class="input input--wide input--readonly"
                    type="text"
                    readonly
                    dir="auto"
                    aria-describedby=hint_id.clone()
                    prop:value=l.digits(&value)
                />
            </div>
        }
    }
}
