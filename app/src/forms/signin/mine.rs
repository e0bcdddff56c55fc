//! "All my requests" (`/track/mine`): every request of the signed-in person, from any device
//! (`GET /api/v1/signin/requests`), with its kind, tracking code, day and state in the page's
//! language; "act on this request" opens the applicant panel on its receipt (`/track/receipt`,
//! the code kept out of the address: `outbox::receipt`) with a session
//! from `POST /api/v1/signin/requests/open` (no code by SMS). Without a session it asks to sign
//! in and comes back here. Signed in, the person turns deadline reminders by SMS off or on
//! (`/api/v1/signin/reminders`, docs/reminders.md).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use api::signin::{MyRequest, MyRequests};
use rules::workflow::State;

use super::client;
use super::model::{signin_href, Failure, SessionState};
use super::page::SignedInBox;
use super::texts::SigninTexts;
use super::Session;
use crate::forms::applicant::keep_token;
use crate::forms::applicant::model::{state_id_name, Token};
use crate::forms::requests::drafts_page::tool_of;
use crate::forms::requests::opening::Loading;
use crate::shell::components::add_to_calendar::deadline_row;
use crate::shell::i18n::{page_setup, use_lang, Lang, Tool};
use crate::shell::request_forms::flow::ALL;
use crate::shell::request_forms::texts::FormTexts;

const HERE: &str = "/track/mine";

/// A state's name from `rules::workflow` (the server's words for one this build does not know).
fn state_text(lang: Lang, r: &MyRequest) -> String {
    if State::parse(&r.state.id).is_some() {
        return state_id_name(lang, &r.state.id);
    }
    match lang {
        Lang::Fa => r.state.fa.clone(),
        Lang::En => r.state.en.clone(),
    }
}

fn kind_title(lang: Lang, kind: rules::requests::RequestKind) -> &'static str {
    ALL.iter()
        .find(|f| f.kind == kind)
        .map_or("", |f| (lang.texts().tool_title)(tool_of(f)))
}

fn date_text(lang: Lang, machine: &str) -> String {
    rules::JalaliDate::parse(machine.get(..10).unwrap_or(machine))
        .map_or_else(|_| machine.to_owned(), |d| lang.date(d))
}

#[component]
pub fn MyRequestsPage() -> impl IntoView {
    let lang = use_lang();
    page_setup(move |_| SigninTexts::of(lang.get_untracked()).mine_title.to_owned());
    let session = Session::get();
    let list = RwSignal::new(None::<Result<MyRequests, Failure>>);
    let note = RwSignal::new(None::<Failure>);
    Effect::new(move |_| {
        if !session.is_signed_in() {
            return;
        }
        spawn_local(async move {
            let found = client::my_requests().await;
            if matches!(found, Err(Failure::SignedOut { .. })) {
                session.ended();
            }
            list.set(Some(found));
        });
    });
    let navigate = use_navigate();
    let act_on = move |code: String| {
        let Some(csrf) = session.csrf() else { return };
        note.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            match client::open(&csrf, &code).await {
                Ok(s) => {
                    keep_token(
                        &code,
                        &Token::from_session(&s, crate::shell::clock::now_ms()),
                    );
                    crate::forms::outbox::receipt::open(&navigate, &code);
                }
                Err(f) => {
                    if matches!(f, Failure::SignedOut { .. }) {
                        session.ended();
                    }
                    note.set(Some(f));
                }
            }
        });
    };
    let act_on = StoredValue::new(act_on);
    let body = move || {
        let l = lang.get();
        let t = SigninTexts::of(l);
        let ft = FormTexts::of(l);
        let state = session.state.get();
        if state.needs_sign_in().is_some() {
            return view! {
                <div data-sign-in-needed=state.needs_sign_in()>
                    <p>{t.mine_sign_in}</p>
                    <p><a class="button" href=signin_href(HERE) data-sign-in-link="">{t.sign_in}</a></p>
                </div>
            }
            .into_any();
        }
        if state == SessionState::Unknown && !crate::shell::storage::online() {
            return view! { <p class="notice notice--warning" role="alert">{t.offline}</p> }
                .into_any();
        }
        let requests = match list.get() {
            Some(Ok(found)) => found.requests,
            Some(Err(Failure::SignedOut { .. })) | None => return view! { <Loading /> }.into_any(),
            Some(Err(_)) => {
                return view! { <p class="notice notice--warning" role="alert">{t.offline}</p> }
                    .into_any()
            }
        };
        if requests.is_empty() {
            return view! { <p data-no-requests="">{t.mine_none}</p> }.into_any();
        }
        let items = requests
            .into_iter()
            .map(|r| {
                let code = r.tracking_code.clone();
                let deadline = r.revocation_deadline.as_deref().map(|d| {
                    deadline_row("revocation_deadline", (ft.preview_label)("revocation_deadline"), d, l)
                });
                let until = r.exemption_until.as_deref().map(|d| {
                    deadline_row("exemption_until", (l.texts().date_label)("exemption_until"), d, l)
                });
                view! {
                    <li class="draft" data-my-request=code.clone() data-state=r.state.id.clone()>
                        <h2 class="draft-title">{kind_title(l, r.kind)}</h2>
                        <dl class="summary">
                            <div class="summary-row"><dt>{ft.tracking_code}</dt><dd class="tracking-code"><bdi>{l.digits(&r.tracking_code)}</bdi></dd></div>
                            <div class="summary-row"><dt>{ft.submitted_on}</dt><dd>{date_text(l, &r.submitted_at.jalali)}</dd></div>
                            <div class="summary-row"><dt>{ft.draft_status}</dt><dd>{state_text(l, &r)}</dd></div>
                            {deadline}
                            {until}
                        </dl>
                        <button type="button" class="button button--secondary" data-act-on=code.clone()
                            on:click={
                                let code = code.clone();
                                move |_| act_on.with_value(|f| f(code.clone()))
                            }>
                            {t.act_on}
                            <span class="visually-hidden">" " <bdi>{l.digits(&r.tracking_code)}</bdi></span>
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! {
            <p>{t.mine_intro}</p>
            <ul class="draft-list">{items}</ul>
        }
        .into_any()
    };
    let note_view = move || {
        note.get().map(|f| {
            let l = lang.get();
            let t = SigninTexts::of(l);
            let text = match f {
                Failure::Offline => t.offline.to_owned(),
                Failure::TooMany(s) => (t.too_many)(&l.digits(&s.to_string())),
                Failure::SignedOut { .. } => t.mine_sign_in.to_owned(),
                Failure::Refused(errors) => errors
                    .iter()
                    .map(|e| match l {
                        Lang::Fa => e.message_fa.clone(),
                        Lang::En => e.message_en.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            view! { <p class="notice notice--warning" role="alert" data-act-note="">{text}</p> }
        })
    };
    view! {
        <h1 class="page-heading">{move || SigninTexts::of(lang.get()).mine_title}</h1>
        <SignedInBox />
        {note_view}
        {body}
        <RemindersToggle />
        <p><a href="/track">{move || (lang.get().texts().tool_title)(Tool::Track)}</a></p>
    }
}

/// The person's deadline reminders by SMS: a checkbox, saved at once, and what was saved.
#[component]
fn RemindersToggle() -> impl IntoView {
    let lang = use_lang();
    let session = Session::get();
    let enabled = RwSignal::new(None::<bool>);
    // What the last change did: saved (the setting), or failed.
    let saved = RwSignal::new(None::<Result<bool, ()>>);
    Effect::new(move |_| {
        if !session.is_signed_in() {
            return;
        }
        spawn_local(async move {
            if let Ok(s) = client::reminders().await {
                enabled.set(Some(s.enabled));
            }
        });
    });
    let change = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let Some(csrf) = session.csrf() else { return };
        spawn_local(async move {
            match client::set_reminders(&csrf, on).await {
                Ok(s) => {
                    enabled.set(Some(s.enabled));
                    saved.set(Some(Ok(s.enabled)));
                }
                Err(f) => {
                    if matches!(f, Failure::SignedOut { .. }) {
                        session.ended();
                    }
                    enabled.set(Some(!on));
                    saved.set(Some(Err(())));
                }
            }
        });
    };
    // Drawn once the setting is known; the checkbox and the status change in place (the focus
    // stays on the checkbox).
    let known = Memo::new(move |_| enabled.with(Option::is_some));
    move || {
        if !known.get() {
            return None;
        }
        let t = SigninTexts::of(lang.get());
        let on = move || enabled.get().unwrap_or(false);
        let status = move || match saved.get() {
            Some(Ok(true)) => t.reminders_on,
            Some(Ok(false)) => t.reminders_off,
            Some(Err(())) => t.reminders_failed,
            None => "",
        };
        Some(view! {
            <section class="reminders" data-reminders=move || if on() { "on" } else { "off" }>
                <h2>{t.reminders_title}</h2>
                <p id="reminders-hint" class="hint">{t.reminders_hint}</p>
                <div class="radio">
                    <input type="checkbox" id="reminders" name="reminders" prop:checked=on
                        aria-describedby="reminders-hint" on:change=change />
                    <label for="reminders">{t.reminders_label}</label>
                </div>
                <p role="status" data-reminders-status="">{status}</p>
            </section>
        })
    }
}
