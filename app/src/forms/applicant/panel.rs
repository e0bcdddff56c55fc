//! "Act on this request" (on the receipt page and under a looked-up request): the sign-in by
//! one-time code ([`SignIn`], also used by a correction's check page), then the request's state,
//! timeline and the actions offered, each followed by a fresh read of the request.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde_json::json;

use api::applicant::{ApplicantSession, ApplicantView, CodeSent, PaymentStarted};

use super::client::{self, call};
use super::model::{
    action_body, action_name, awaits_payment, code_body, fee, format_rials, moment_date, offers,
    parse_code, revocation_deadline, session_body, state_id_name, state_name, CodeProblem, Failure,
    Token, FILE_JUSTIFICATION, PAY, REPORT_CLEARANCES, RESUBMIT, REVOKE,
};
use super::texts::{field_texts, ActTexts};
use super::{forget_token, keep_token, load_token};
use crate::forms::drafts::Draft;
use crate::forms::requests::editor::{new_id, Editor};
use crate::forms::requests::opening::{resume_target, Loading};
use crate::shell::components::add_to_calendar::deadline_row;
use crate::shell::components::error_summary::ErrorSummary;
use crate::shell::components::field_input::FieldInput;
use crate::shell::form::{dom_id, Answers, Field, FieldError, Kind, Problem};
use crate::shell::http::ServerError;
use crate::shell::i18n::{use_lang, Lang};
use crate::shell::request_forms::flow::EXEMPTION;
use crate::shell::request_forms::texts::FormTexts;

const NATIONAL_ID: Field = Field::new("applicant_national_id", Kind::Digits);
const CODE: Field = Field::new("one_time_code", Kind::Digits);
const JUSTIFICATION: Field = Field::new("justification", Kind::LongText);

/// What the last step came to, said at the top of the section.
#[derive(Clone, PartialEq, Debug)]
pub enum Note {
    Failure(Failure),
    /// The action was taken; the new state is shown.
    Done,
    /// The request moved meanwhile; the new state is shown.
    Stale,
    PaymentOk,
    PaymentFailed,
    /// A payment verified after the request was closed, given back (or still owed).
    PaymentRefunded,
    RefundPending,
    /// The browser's storage refused the correction's draft.
    Storage,
}

impl Note {
    /// The text, and whether it reports a problem (an alert) rather than news (a status).
    pub fn text(&self, lang: Lang) -> (String, bool) {
        let t = ActTexts::of(lang);
        let failure = match self {
            Note::Done => return (t.done.into(), false),
            Note::PaymentOk => return (t.payment_ok.into(), false),
            Note::Stale => return (t.stale.into(), true),
            Note::PaymentFailed => return (t.payment_failed.into(), true),
            Note::PaymentRefunded => return (t.payment_refunded.into(), false),
            Note::RefundPending => return (t.refund_pending.into(), true),
            Note::Storage => return (FormTexts::of(lang).storage_other.into(), true),
            Note::Failure(f) => f,
        };
        let text = match failure {
            Failure::Offline => t.offline.into(),
            Failure::NotFound => t.not_found.into(),
            Failure::NoMobile => t.no_mobile.into(),
            Failure::CodeRefused { expired: false } => t.code_invalid.into(),
            Failure::CodeRefused { expired: true } => t.code_expired.into(),
            Failure::SignedOut => t.signed_out.into(),
            Failure::Stale => t.stale.into(),
            Failure::Refused { fa, en } => in_lang(lang, fa, en),
            Failure::Invalid(errors) => errors
                .iter()
                .map(|e| in_lang(lang, &e.message_fa, &e.message_en))
                .collect::<Vec<_>>()
                .join(" "),
            Failure::TooMany(seconds) => (t.too_many)(&lang.digits(&seconds.to_string())),
        };
        (text, true)
    }
}

fn in_lang(lang: Lang, fa: &str, en: &str) -> String {
    match lang {
        Lang::Fa => fa.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// The note, as an alert or a status.
#[component]
pub fn NoteView(note: RwSignal<Option<Note>>) -> impl IntoView {
    let lang = use_lang();
    move || {
        note.get().map(|n| {
            let (text, alert) = n.text(lang.get());
            if alert {
                view! { <p class="notice notice--warning" role="alert" data-act-note="">{text}</p> }
                    .into_any()
            } else {
                view! { <p class="notice notice--success" role="status" data-act-note="">{text}</p> }
                    .into_any()
            }
        })
    }
}

/// A field's error with the words of the rules (or of this section), in both languages.
fn rule_error(field: &Field, fa: String, en: String) -> FieldError {
    FieldError {
        field: field.name,
        focus_id: dom_id(field.name),
        problem: Problem::Rule { fa, en },
    }
}

fn national_id_error(answers: &Answers) -> Option<FieldError> {
    let typed = answers.get(NATIONAL_ID.name).trim();
    if typed.is_empty() {
        return Some(FieldError {
            field: NATIONAL_ID.name,
            focus_id: dom_id(NATIONAL_ID.name),
            problem: Problem::Empty,
        });
    }
    rules::identity::NationalId::parse(typed)
        .err()
        .map(|e| rule_error(&NATIONAL_ID, e.message_fa(), e.message_en()))
}

fn code_problem(lang: Lang, problem: CodeProblem) -> String {
    let t = ActTexts::of(lang);
    match problem {
        CodeProblem::Empty => t.code_empty.into(),
        CodeProblem::NotDigits => t.code_not_digits.into(),
        CodeProblem::Length(n) => (t.code_length)(n),
    }
}

fn code_error(problem: CodeProblem) -> FieldError {
    rule_error(
        &CODE,
        code_problem(Lang::Fa, problem),
        code_problem(Lang::En, problem),
    )
}

/// A text of this section, following the page's language.
fn text(lang: RwSignal<Lang>, pick: fn(&ActTexts) -> &'static str) -> impl Fn() -> &'static str {
    move || pick(ActTexts::of(lang.get()))
}

/// Signing in to act on request `tracking_code`: the national ID (prefilled when known) →
/// a one-time code by SMS → a session token, kept in `sessionStorage` and handed to
/// `on_signed`.
#[component]
pub fn SignIn(
    tracking_code: String,
    national_id: String,
    on_signed: Callback<Token>,
) -> impl IntoView {
    let lang = use_lang();
    provide_context(field_texts());
    let code = StoredValue::new(tracking_code);
    let mut typed = Answers::default();
    typed.set(NATIONAL_ID.name, national_id);
    let answers = RwSignal::new(typed);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let sent = RwSignal::new(None::<CodeSent>);
    let note = RwSignal::new(None::<Note>);
    let busy = RwSignal::new(false);
    let send_code = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let problems: Vec<FieldError> = answers
            .with_untracked(national_id_error)
            .into_iter()
            .collect();
        note.set(None);
        errors.set(problems.clone());
        if !problems.is_empty() {
            return;
        }
        let body =
            answers.with_untracked(|a| code_body(&code.get_value(), a.get(NATIONAL_ID.name)));
        busy.set(true);
        spawn_local(async move {
            let reply = call("POST", client::CODE, Some(&body), None)
                .await
                .and_then(|v| serde_json::from_value::<CodeSent>(v).map_err(|_| Failure::Offline));
            busy.set(false);
            match reply {
                Ok(s) => {
                    answers.update(|a| a.set(CODE.name, String::new()));
                    sent.set(Some(s));
                    request_animation_frame(|| crate::shell::storage::focus_id(&dom_id(CODE.name)));
                }
                Err(f) => note.set(Some(Note::Failure(f))),
            }
        });
    };
    let verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        note.set(None);
        let digits = match answers.with_untracked(|a| parse_code(a.get(CODE.name))) {
            Ok(d) => d,
            Err(p) => {
                errors.set(vec![code_error(p)]);
                return;
            }
        };
        errors.set(Vec::new());
        let body = answers
            .with_untracked(|a| session_body(&code.get_value(), a.get(NATIONAL_ID.name), &digits));
        busy.set(true);
        spawn_local(async move {
            let reply = call("POST", client::SESSION, Some(&body), None)
                .await
                .and_then(|v| {
                    serde_json::from_value::<ApplicantSession>(v).map_err(|_| Failure::Offline)
                });
            busy.set(false);
            match reply {
                Ok(s) => {
                    let token = Token::from_session(&s, crate::shell::clock::now_ms());
                    keep_token(&code.get_value(), &token);
                    on_signed.run(token);
                }
                Err(Failure::CodeRefused { expired }) => {
                    let t = |l| {
                        let t = ActTexts::of(l);
                        let text = if expired {
                            t.code_expired
                        } else {
                            t.code_invalid
                        };
                        text.to_owned()
                    };
                    errors.set(vec![rule_error(&CODE, t(Lang::Fa), t(Lang::En))]);
                }
                Err(f) => note.set(Some(Note::Failure(f))),
            }
        });
    };
    let step = move || {
        match sent.get() {
        None => view! {
            <form novalidate on:submit=send_code data-send-code-form="">
                <FieldInput field=NATIONAL_ID answers=answers errors=errors heading=false testid="applicant-national-id" />
                <button type="submit" class="button" data-testid="send-code" aria-busy=move || busy.get().then_some("true")>
                    {text(lang, |t| t.send_code)}
                </button>
            </form>
        }
        .into_any(),
        Some(s) => {
            let minutes = s.expires_in.div_ceil(60);
            view! {
                <p role="status" data-sent-to="">
                    {text(lang, |t| t.sent_to)} " " <bdi dir="ltr">{move || lang.get().digits(&s.sent_to)}</bdi> " "
                    {move || (ActTexts::of(lang.get()).sent_valid)(minutes)}
                </p>
                <form novalidate on:submit=verify data-verify-form="">
                    <FieldInput field=CODE answers=answers errors=errors heading=false testid="one-time-code" />
                    <button type="submit" class="button" data-testid="verify-code" aria-busy=move || busy.get().then_some("true")>
                        {text(lang, |t| t.verify)}
                    </button>
                    " "
                    <button type="button" class="button button--secondary" data-testid="send-again" on:click=move |_| {
                        errors.set(Vec::new());
                        sent.set(None);
                    }>
                        {text(lang, |t| t.send_again)}
                    </button>
                </form>
            }
            .into_any()
        }
    }
    };
    view! {
        <div class="sign-in" data-sign-in="">
            <NoteView note=note />
            <ErrorSummary errors=errors />
            {step}
        </div>
    }
}

/// "Act on this request" for `tracking_code` (`national_id` prefills the sign-in). Back from
/// the payment gateway (`?payment=ok|failed|refunded|refund_pending`) it says how the payment
/// went.
#[component]
pub fn ActPanel(
    tracking_code: String,
    #[prop(optional)] national_id: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    provide_context(field_texts());
    let editor = Editor::get();
    let code = StoredValue::new(tracking_code.clone());
    let national_id = StoredValue::new(national_id.unwrap_or_default());
    let token = RwSignal::new(load_token(&tracking_code));
    let request = RwSignal::new(None::<ApplicantView>);
    let note = RwSignal::new(None::<Note>);
    let answers = RwSignal::new(Answers::default());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let go_to = RwSignal::new(None::<String>);
    match use_query_map().read_untracked().get("payment").as_deref() {
        Some("ok") => note.set(Some(Note::PaymentOk)),
        Some("failed") => note.set(Some(Note::PaymentFailed)),
        Some("refunded") => note.set(Some(Note::PaymentRefunded)),
        Some("refund_pending") => note.set(Some(Note::RefundPending)),
        _ => {}
    }
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(href) = go_to.get() {
            navigate(&href, Default::default());
        }
    });
    let sign_out = move || {
        forget_token(&code.get_value());
        token.set(None);
        request.set(None);
    };
    // Reads the request again; `then` says why (after an action).
    let refresh = move |then: Option<Note>| {
        let Some(t) = token.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match client::get_request(&t.token).await {
                Ok(r) => {
                    request.set(Some(r));
                    if then.is_some() {
                        note.set(then);
                    }
                }
                Err(f) => {
                    if f == Failure::SignedOut {
                        sign_out();
                    }
                    note.set(Some(Note::Failure(f)));
                }
            }
        });
    };
    Effect::new(move |_| {
        if token.with(Option::is_some) {
            refresh(None);
        }
    });
    let failed = move |f: Failure| {
        if f == Failure::SignedOut {
            sign_out();
        }
        note.set(Some(Note::Failure(f)));
    };
    let act = move |action: &'static str| {
        let (Some(t), Some(r)) = (token.get_untracked(), request.get_untracked()) else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        let justification = if action == FILE_JUSTIFICATION {
            let text = answers.with_untracked(|a| a.get(JUSTIFICATION.name).trim().to_owned());
            if text.is_empty() {
                errors.set(vec![FieldError {
                    field: JUSTIFICATION.name,
                    focus_id: dom_id(JUSTIFICATION.name),
                    problem: Problem::Empty,
                }]);
                return;
            }
            Some(text)
        } else {
            None
        };
        errors.set(Vec::new());
        note.set(None);
        confirming.set(false);
        let body = action_body(action, r.version, None, justification.as_deref());
        busy.set(true);
        spawn_local(async move {
            let reply = call("POST", client::ACTIONS, Some(&body), Some(&t.token)).await;
            busy.set(false);
            match reply {
                Ok(_) => {
                    answers.set(Answers::default());
                    refresh(Some(Note::Done));
                }
                Err(Failure::Stale) => refresh(Some(Note::Stale)),
                Err(Failure::Invalid(found)) if action == FILE_JUSTIFICATION => {
                    errors.set(justification_errors(&found));
                }
                Err(f) => failed(f),
            }
        });
    };
    let pay = move || {
        let Some(t) = token.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        note.set(None);
        busy.set(true);
        // The gateway returns to the receipt page, which must know the request without its code.
        crate::forms::outbox::receipt::show(&code.get_value());
        spawn_local(async move {
            let reply = call("POST", client::PAYMENT, Some(&json!({})), Some(&t.token)).await;
            busy.set(false);
            match reply {
                Ok(v) => match serde_json::from_value::<PaymentStarted>(v) {
                    Ok(started) => assign(&started.redirect_url),
                    Err(_) => failed(Failure::Offline),
                },
                Err(Failure::Stale) => refresh(Some(Note::Stale)),
                Err(f) => failed(f),
            }
        });
    };
    // A returned exemption: its answers open as a draft correcting this request (the one
    // already started, if any).
    let resubmit = move || {
        let (Some(r), Some(store)) = (request.get_untracked(), editor.store()) else {
            return;
        };
        let code = code.get_value();
        spawn_local(async move {
            let form = &EXEMPTION;
            let started = store.list_drafts().await.ok().and_then(|list| {
                list.drafts.into_iter().find(|d| {
                    d.kind == form.slug && d.correction_of.as_deref() == Some(code.as_str())
                })
            });
            let draft = match started {
                Some(d) => d,
                None => {
                    let mut d = Draft::new(new_id(), form.slug, crate::shell::clock::now_ms());
                    d.answers = form.answers_from(&r.answers);
                    d.correction_of = Some(code);
                    match store.put_draft(&d).await {
                        Ok(written) => written,
                        Err(_) => return note.set(Some(Note::Storage)),
                    }
                }
            };
            go_to.set(Some(
                resume_target(form, &draft.answers).href(form, &draft.id),
            ));
        });
    };
    let signed = Memo::new(move |_| token.with(Option::is_some));
    let body = move || {
        if !signed.get() {
            let on_signed = Callback::new(move |t: Token| {
                note.set(None);
                token.set(Some(t));
            });
            return view! {
                <SignIn tracking_code=code.get_value() national_id=national_id.get_value() on_signed=on_signed />
            }
            .into_any();
        }
        let loaded = move || match request.get() {
            None => view! { <Loading /> }.into_any(),
            Some(r) => request_view(
                lang.get(),
                r,
                answers,
                errors,
                confirming,
                Actions { act, pay, resubmit },
            ),
        };
        loaded.into_any()
    };
    view! {
        <section class="act-panel no-print" aria-labelledby="act-heading" data-act-for=tracking_code>
            <h2 id="act-heading">{text(lang, |t| t.heading)}</h2>
            <p>{text(lang, |t| t.intro)}</p>
            <NoteView note=note />
            {body}
        </section>
    }
}

/// What the buttons do.
#[derive(Clone, Copy)]
struct Actions<A, P, R> {
    act: A,
    pay: P,
    resubmit: R,
}

/// The request as read: its state, its timeline, and what the applicant can do now.
fn request_view<A, P, R>(
    l: Lang,
    r: ApplicantView,
    answers: RwSignal<Answers>,
    errors: RwSignal<Vec<FieldError>>,
    confirming: RwSignal<bool>,
    actions: Actions<A, P, R>,
) -> AnyView
where
    A: Fn(&'static str) + Copy + Send + Sync + 'static,
    P: Fn() + Copy + Send + Sync + 'static,
    R: Fn() + Copy + Send + Sync + 'static,
{
    let t = ActTexts::of(l);
    let ft = FormTexts::of(l);
    let Actions { act, pay, resubmit } = actions;
    let timeline = r
        .timeline
        .iter()
        .map(|e| {
            let date = moment_date(&e.at).map(|d| l.date(d)).unwrap_or_default();
            let to = (!e.to.id.is_empty()).then(|| format!(" → {}", state_id_name(l, &e.to.id)));
            let note = e.note.clone().filter(|n| !n.trim().is_empty());
            view! {
                <li data-timeline-action=e.action.id.clone()>
                    <time>{date}</time> " — " {action_name(l, &e.action.id)} {to}
                    {note.map(|n| view! { <p class="hint"><bdi>{n}</bdi></p> })}
                </li>
            }
        })
        .collect_view();
    let fee = awaits_payment(&r).then(|| {
        let amount = fee(&r);
        view! {
            <div class="act" data-fee=amount.map(|a| a.to_string())>
                {amount.map(|a| view! { <p>{t.fee} " " <strong>{format_rials(l, a)}</strong></p> })}
                <p class="hint">{t.pay_intro}</p>
                <button type="button" class="button" data-action=PAY on:click=move |_| pay()>{t.pay}</button>
            </div>
        }
    });
    let refunds = (!r.refunds.is_empty()).then(|| {
        let items = r
            .refunds
            .iter()
            .map(|refund| {
                let status = match refund.status.as_str() {
                    "refunded" => t.refund_refunded,
                    "refunding" => t.refund_refunding,
                    _ => t.refund_failed,
                };
                let amount = format_rials(l, refund.amount_rials.max(0) as u64);
                view! { <li data-refund=refund.status.clone()>{amount} " — " {status}</li> }
            })
            .collect_view();
        view! {
            <div class="act" data-refunds="">
                <p>{t.refunds}</p>
                <ul>{items}</ul>
            </div>
        }
    });
    let deadline = revocation_deadline(&r).map(|d| l.date(d));
    let revoke = offers(&r, REVOKE).then(|| {
        let name = action_name(l, REVOKE);
        move || {
            if !confirming.get() {
                let name = name.clone();
                return view! {
                    <div class="act">
                        <button type="button" class="button" data-action=REVOKE on:click=move |_| {
                            confirming.set(true);
                            request_animation_frame(|| crate::shell::storage::focus_id("revoke-confirm-heading"));
                        }>{name}</button>
                    </div>
                }
                .into_any();
            }
            view! {
                <section class="act notice notice--warning" aria-labelledby="revoke-confirm-heading" data-confirm=REVOKE>
                    <h3 id="revoke-confirm-heading" tabindex="-1">{name.clone()}</h3>
                    {deadline.clone().map(|d| view! { <p data-date="revocation_deadline">{(t.revoke_warning)(&d)}</p> })}
                    <p>{t.revoke_once}</p>
                    <button type="button" class="button" data-confirm-action=REVOKE on:click=move |_| act(REVOKE)>{t.revoke_confirm}</button>
                    " "
                    <button type="button" class="button button--secondary" data-cancel-action="" on:click=move |_| confirming.set(false)>{t.back}</button>
                </section>
            }
            .into_any()
        }
    });
    let justification = offers(&r, FILE_JUSTIFICATION).then(|| {
        view! {
            <form novalidate class="act" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                act(FILE_JUSTIFICATION);
            }>
                <p>{t.justification_intro}</p>
                <FieldInput field=JUSTIFICATION answers=answers errors=errors heading=false testid="justification" />
                <button type="submit" class="button" data-action=FILE_JUSTIFICATION>{action_name(l, FILE_JUSTIFICATION)}</button>
            </form>
        }
    });
    let correct = offers(&r, RESUBMIT).then(|| {
        view! {
            <div class="act">
                <p>{t.resubmit_intro}</p>
                <button type="button" class="button" data-action=RESUBMIT on:click=move |_| resubmit()>{action_name(l, RESUBMIT)}</button>
            </div>
        }
    });
    let clearances = offers(&r, REPORT_CLEARANCES).then(|| {
        view! {
            <div class="act">
                <p>{t.clearances_intro}</p>
                <button type="button" class="button" data-action=REPORT_CLEARANCES on:click=move |_| act(REPORT_CLEARANCES)>{action_name(l, REPORT_CLEARANCES)}</button>
            </div>
        }
    });
    let nothing = (fee.is_none()
        && revoke.is_none()
        && justification.is_none()
        && correct.is_none()
        && clearances.is_none())
    .then(|| view! { <p data-no-actions="">{t.no_actions}</p> });
    view! {
        <ErrorSummary errors=errors />
        <p class="lead" data-state=r.state.id.clone()>{t.state} " " <strong>{state_name(l, &r)}</strong></p>
        {r.exemption_until.as_deref().map(|d| view! {
            <dl class="summary" data-exemption-until="">{deadline_row("exemption_until", (l.texts().date_label)("exemption_until"), d, l)}</dl>
        })}
        <h3>{ft.timeline_heading}</h3>
        <ol class="timeline" data-timeline="">{timeline}</ol>
        {fee}
        {refunds}
        {revoke}
        {justification}
        {correct}
        {clearances}
        {nothing}
    }
    .into_any()
}

/// The server's refusals of a justification, as errors of its field.
fn justification_errors(found: &[ServerError]) -> Vec<FieldError> {
    found
        .iter()
        .map(|e| rule_error(&JUSTIFICATION, e.message_fa.clone(), e.message_en.clone()))
        .collect()
}

/// Goes to the payment gateway.
fn assign(url: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(url);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = url;
}
