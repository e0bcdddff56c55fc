//! Sending a correction: a draft marked `correction_of` (a returned exemption opened again) is
//! sent from its check page as the applicant's `resubmit` with the session token, instead of
//! being queued as a new request. Without a live token the check page asks for a new code and
//! then sends; the draft is deleted only once the server answered 200.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use super::client::{self, call};
use super::model::{action_body, Failure, RESUBMIT};
use super::panel::{Note, NoteView, SignIn};
use super::texts::ActTexts;
use super::{forget_token, load_token};
use crate::forms::outbox::receipt::RECEIPT_PATH;
use crate::forms::requests::editor::Editor;
use crate::shell::http::ServerError;
use crate::shell::i18n::use_lang;
use crate::shell::request_forms::flow::{RequestForm, NATIONAL_ID};

/// The state of sending one correction, shared by the check page's button and its section.
#[derive(Clone, Copy)]
pub struct Correction {
    /// The tracking code of the request corrected.
    pub code: StoredValue<String>,
    /// No live token: the section asks for a new code.
    pub need_code: RwSignal<bool>,
    pub note: RwSignal<Option<Note>>,
    /// The server's refusals of the answers (shown like a refused submission's).
    pub refused: RwSignal<Vec<ServerError>>,
    busy: RwSignal<bool>,
    done: RwSignal<Option<String>>,
}

impl Correction {
    pub fn new(code: String) -> Correction {
        Correction {
            code: StoredValue::new(code),
            need_code: RwSignal::new(false),
            note: RwSignal::new(None),
            refused: RwSignal::new(Vec::new()),
            busy: RwSignal::new(false),
            done: RwSignal::new(None),
        }
    }

    /// Sends the open draft's answers (already checked) as the correction.
    pub fn send(self, editor: Editor, form: &'static RequestForm) {
        if self.busy.get_untracked() {
            return;
        }
        let code = self.code.get_value();
        self.note.set(None);
        let Some(token) = load_token(&code) else {
            self.need_code.set(true);
            return;
        };
        let answers = editor.answers.with_untracked(|a| form.to_json(a));
        let Some(draft_id) = editor.draft_id() else {
            return;
        };
        self.busy.set(true);
        spawn_local(async move {
            let sent = async {
                // The version it has now (the correction is of the request as it stands).
                let request = client::get_request(&token.token).await?;
                let body = action_body(RESUBMIT, request.version, Some(answers), None);
                call("POST", client::ACTIONS, Some(&body), Some(&token.token)).await
            }
            .await;
            self.busy.set(false);
            match sent {
                Ok(_) => {
                    self.refused.set(Vec::new());
                    if let Some(store) = editor.store() {
                        let _ = store.delete_draft(&draft_id).await;
                    }
                    // The section leaves for the request's page, then lets go of the draft
                    // (closing it first would take the check page, and this, away).
                    crate::forms::outbox::receipt::show(&code);
                    self.done.set(Some(RECEIPT_PATH.to_owned()));
                }
                Err(Failure::Invalid(found)) => self.refused.set(found),
                Err(Failure::SignedOut) => {
                    forget_token(&code);
                    self.need_code.set(true);
                    self.note.set(Some(Note::Failure(Failure::SignedOut)));
                }
                Err(f) => self.note.set(Some(Note::Failure(f))),
            }
        });
    }
}

/// The check page's part of a correction: which request it corrects, what sending came to,
/// and the sign-in when a new code is needed (after which it sends at once).
#[component]
pub fn CorrectionSection(correction: Correction, form: &'static RequestForm) -> impl IntoView {
    let lang = use_lang();
    let editor = Editor::get();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(href) = correction.done.get() {
            navigate(&href, Default::default());
            editor.close();
        }
    });
    let code = correction.code.get_value();
    let shown = code.clone();
    let sign_in = move || {
        correction.need_code.get().then(|| {
            let national_id = editor
                .answers
                .with_untracked(|a| a.get(NATIONAL_ID).trim().to_owned());
            let on_signed = Callback::new(move |_| {
                correction.need_code.set(false);
                correction.send(editor, form);
            });
            view! {
                <p>{move || ActTexts::of(lang.get()).correction_sign_in}</p>
                <SignIn tracking_code=correction.code.get_value() national_id=national_id on_signed=on_signed />
            }
        })
    };
    view! {
        <section class="notice" aria-labelledby="correction-heading" data-correction-of=code>
            <h2 id="correction-heading">
                {move || ActTexts::of(lang.get()).correction_of} " "
                <bdi class="tracking-code">{move || lang.get().digits(&shown)}</bdi>
            </h2>
            <NoteView note=correction.note />
            {sign_in}
        </section>
    }
}
