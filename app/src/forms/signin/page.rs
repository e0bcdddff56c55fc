//! The sign-in page (`/signin?return_to=<path>`): with more than one university, the person's
//! university chosen from `GET /api/v1/universities` (a student number is a university's own, and
//! each university may have its own OpenID provider); the OpenID providers this deployment has
//! for it, each a plain link to its start URL (`fresh=true` at a kiosk), and the roster's sign-in
//! — national ID or student number (at the chosen university) → "code sent" → the 6-digit code
//! (any digit script) — with the forms' error summary; once signed in, back to `return_to`. Also
//! the "signed in as" box other pages show.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

use api::signin::{PersonSession, SigninMethods, SigninSource};

use super::client;
use super::model::{
    chosen, field_errors, forms_route, read_code, read_who, return_to, serves, start_href, Failure,
    Who, CODE, SIGNIN_WITH, STUDENT_NUMBER, UNIVERSITY,
};
use super::texts::{field_texts, SigninTexts};
use super::Session;
use crate::forms::requests::drafts_page::tool_of;
use crate::forms::requests::opening::Loading;
use crate::shell::components::error_summary::ErrorSummary;
use crate::shell::components::field_input::FieldInput;
use crate::shell::form::{Answers, Field, FieldError, Kind};
use crate::shell::i18n::{page_setup, use_lang, Lang};
use crate::shell::request_forms::flow::{RequestForm, ALL, NATIONAL_ID};
use crate::shell::request_forms::universities::{self, UniversitySelect};

const WITH: Field = Field::new(SIGNIN_WITH, Kind::Choice(&[NATIONAL_ID, STUDENT_NUMBER]));
const CODE_FIELD: Field = Field::new(CODE, Kind::Digits);
const UNIVERSITY_FIELD: Field = Field::new(UNIVERSITY, Kind::Text);

/// Goes to `path`: inside the forms when they show it, else a full page load (another bundle).
fn go(navigate: &impl Fn(&str, leptos_router::NavigateOptions), path: &str) {
    if forms_route(path) {
        navigate(path, Default::default());
    } else {
        assign(path);
    }
}

/// A full navigation (another bundle, a provider).
pub fn assign(url: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(url);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = url;
}

/// A problem said above the form (not a field's).
#[derive(Clone, PartialEq, Debug)]
enum Note {
    Offline,
    TooMany(u64),
}

impl Note {
    fn text(&self, lang: Lang) -> String {
        let t = SigninTexts::of(lang);
        match self {
            Note::Offline => t.offline.to_owned(),
            Note::TooMany(s) => (t.too_many)(&lang.digits(&s.to_string())),
        }
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_lang();
    page_setup(move |_| SigninTexts::of(lang.get_untracked()).title.to_owned());
    let session = Session::get();
    let query = use_query_map();
    let back = Memo::new(move |_| return_to(query.read().get("return_to").as_deref()));
    let methods = RwSignal::new(None::<Result<SigninMethods, Failure>>);
    let load = move || {
        methods.set(None);
        spawn_local(async move { methods.set(Some(client::methods().await)) });
    };
    load();
    let navigate = use_navigate();
    let on_signed = Callback::new(move |s: PersonSession| {
        session.signed_in(s);
        go(&navigate, &back.get_untracked());
    });
    let text =
        move |pick: fn(&SigninTexts) -> &'static str| move || pick(SigninTexts::of(lang.get()));
    let signed_in = Memo::new(move |_| session.is_signed_in());
    // The form's answers (the university chosen among them) and problems, shared by the
    // university's select, the providers offered for it and the roster's sign-in.
    provide_context(field_texts());
    let mut first = Answers::default();
    first.set(SIGNIN_WITH, NATIONAL_ID.to_owned());
    let answers = RwSignal::new(first);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let list = RwSignal::new(universities::cached());
    spawn_local(async move { list.set(universities::load().await) });
    let several = Memo::new(move |_| list.with(|l| l.len() > 1));
    let university = Memo::new(move |_| answers.with(|a| a.get(UNIVERSITY).to_owned()));
    let select = move || {
        several.get().then(|| {
            view! {
                <div data-signin-university="">
                    <UniversitySelect field=UNIVERSITY_FIELD answers=answers errors=errors heading=false />
                </div>
            }
        })
    };
    // Drawn again only when the session or the methods change (the texts follow the language
    // inside, so a half-done sign-in survives a language switch).
    let body = move || {
        if signed_in.get() {
            return view! {
                <SignedInBox />
                <p><a class="button" href=back.get() data-signin-continue="">{text(|t| t.continue_)}</a></p>
            }
            .into_any();
        }
        match methods.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(_)) => view! {
                <p class="notice notice--warning" role="alert" data-signin-note="">{text(|t| t.offline)}</p>
                <button type="button" class="button button--secondary" on:click=move |_| load()>{text(|t| t.retry)}</button>
            }
            .into_any(),
            Some(Ok(m)) => {
                let providers = (!m.providers.is_empty()).then(|| {
                    view! { <Providers methods=m.clone() back=back.get_untracked() university=university /> }
                });
                let roster = m.roster.then(|| {
                    view! { <RosterSignIn on_signed=on_signed answers=answers errors=errors several=several /> }
                });
                let none = (!m.roster && m.providers.is_empty()).then(|| {
                    view! { <p class="notice notice--warning" role="alert">{text(|t| t.no_methods)}</p> }
                });
                let select = (m.roster || !m.providers.is_empty()).then_some(select);
                view! { {select} {roster} {providers} {none} }.into_any()
            }
        }
    };
    view! {
        <h1 class="page-heading">{move || SigninTexts::of(lang.get()).title}</h1>
        <p>{move || SigninTexts::of(lang.get()).intro}</p>
        {body}
    }
}

/// The request kinds a provider signs in for, by their titles.
fn processes(lang: Lang, kinds: &[rules::requests::RequestKind]) -> String {
    kinds
        .iter()
        .filter_map(|k| ALL.iter().find(|f| f.kind == *k).copied())
        .map(|f: &RequestForm| (lang.texts().tool_title)(tool_of(f)))
        .collect::<Vec<_>>()
        .join(if lang == Lang::Fa { "، " } else { ", " })
}

/// The OpenID providers of the university chosen (every one while none is): each a plain link
/// to its start (a full navigation to the provider).
#[component]
fn Providers(methods: SigninMethods, back: String, university: Memo<String>) -> impl IntoView {
    let lang = use_lang();
    let fresh = crate::shell::storage::kiosk();
    move || {
        let l = lang.get();
        let t = SigninTexts::of(l);
        let chosen = university.get();
        let offered: Vec<_> = methods
            .providers
            .iter()
            .filter(|p| serves(p, &chosen))
            .collect();
        if offered.is_empty() {
            return None;
        }
        let items = offered
            .into_iter()
            .map(|p| {
                let name = match l {
                    Lang::Fa => p.name_fa.clone(),
                    Lang::En => p.name_en.clone(),
                };
                let href = start_href(&p.id, &back, fresh);
                let kinds = (!p.processes.is_empty())
                    .then(|| view! { <p class="hint">{t.provider_for} " " {processes(l, &p.processes)}</p> });
                view! {
                    <li class="provider">
                        <a class="button" href=href rel="external" data-provider=p.id.clone()>{(t.with_provider)(&name)}</a>
                        {kinds}
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section aria-labelledby="providers-heading">
                <h2 id="providers-heading">{t.providers_heading}</h2>
                <ul class="provider-list">{items}</ul>
            </section>
        })
    }
}

/// The roster's sign-in: who (national ID, or student number at the university chosen when
/// there are `several`) → a code by SMS to the roster's mobile → the code → the session, handed
/// to `on_signed`.
#[component]
fn RosterSignIn(
    on_signed: Callback<PersonSession>,
    answers: RwSignal<Answers>,
    errors: RwSignal<Vec<FieldError>>,
    several: Memo<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let note = RwSignal::new(None::<Note>);
    let busy = RwSignal::new(false);
    // The person asked for, and how long the code lasts (seconds): the code's step.
    let sent = RwSignal::new(None::<(Who, u64)>);
    let field = Memo::new(move |_| answers.with(chosen));
    let failed = move |f: Failure, known: &[&'static str]| match f {
        Failure::Offline => note.set(Some(Note::Offline)),
        Failure::TooMany(s) => note.set(Some(Note::TooMany(s))),
        Failure::Refused(found) => errors.set(field_errors(&found, known)),
        Failure::SignedOut { .. } => {
            let t = |l| SigninTexts::of(l).code_refused.to_owned();
            errors.set(vec![FieldError {
                field: CODE,
                focus_id: CODE.to_owned(),
                problem: crate::shell::form::Problem::Rule {
                    fa: t(Lang::Fa),
                    en: t(Lang::En),
                },
            }]);
        }
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        note.set(None);
        let who = match answers.with_untracked(|a| read_who(a, several.get_untracked())) {
            Ok(who) => who,
            Err(e) => return errors.set(vec![e]),
        };
        errors.set(Vec::new());
        busy.set(true);
        spawn_local(async move {
            let reply = client::send_code(&who).await;
            busy.set(false);
            match reply {
                Ok(s) => {
                    answers.update(|a| a.set(CODE, String::new()));
                    sent.set(Some((who, s.expires_in)));
                    request_animation_frame(|| crate::shell::storage::focus_id(CODE));
                }
                Err(f) => {
                    let known = [who.field(), UNIVERSITY];
                    failed(f, &known);
                }
            }
        });
    };
    let verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        note.set(None);
        let Some((who, _)) = sent.get_untracked() else {
            return;
        };
        let code = match answers.with_untracked(read_code) {
            Ok(code) => code,
            Err(e) => return errors.set(vec![e]),
        };
        errors.set(Vec::new());
        busy.set(true);
        spawn_local(async move {
            let reply = client::verify(&who, &code).await;
            busy.set(false);
            match reply {
                Ok(s) => on_signed.run(s),
                Err(f) => failed(f, &[CODE, who.field(), UNIVERSITY]),
            }
        });
    };
    let again = move |_| {
        errors.set(Vec::new());
        note.set(None);
        sent.set(None);
        let focus = field.get_untracked();
        request_animation_frame(move || crate::shell::storage::focus_id(focus));
    };
    let step = move || {
        match sent.get() {
        None => view! {
            <form novalidate on:submit=send data-signin-roster="">
                <FieldInput field=WITH answers=answers errors=errors heading=false />
                {move || {
                    let f = Field::new(field.get(), Kind::Digits);
                    view! { <FieldInput field=f answers=answers errors=errors heading=false /> }
                }}
                <button type="submit" class="button" data-signin-send="" aria-busy=move || busy.get().then_some("true")>
                    {move || SigninTexts::of(lang.get()).send_code}
                </button>
            </form>
        }
        .into_any(),
        Some((_, seconds)) => {
            let minutes = seconds.div_ceil(60);
            view! {
                <p class="notice notice--success" role="status" data-code-sent="">
                    {move || (SigninTexts::of(lang.get()).code_sent)(minutes)}
                </p>
                <form novalidate on:submit=verify data-signin-verify-form="">
                    <FieldInput field=CODE_FIELD answers=answers errors=errors heading=false />
                    <button type="submit" class="button" data-signin-verify="" aria-busy=move || busy.get().then_some("true")>
                        {move || SigninTexts::of(lang.get()).verify}
                    </button>
                    " "
                    <button type="button" class="button button--secondary" data-signin-again="" on:click=again>
                        {move || SigninTexts::of(lang.get()).start_again}
                    </button>
                </form>
            }
            .into_any()
        }
    }
    };
    view! {
        <section aria-labelledby="roster-heading" data-signin-roster-section="">
            <h2 id="roster-heading">{move || SigninTexts::of(lang.get()).roster_heading}</h2>
            <p>{move || SigninTexts::of(lang.get()).roster_intro}</p>
            {move || note.get().map(|n| view! {
                <p class="notice notice--warning" role="alert" data-signin-note="">{n.text(lang.get())}</p>
            })}
            <ErrorSummary errors=errors />
            {step}
        </section>
    }
}

/// Who is signed in (national ID, how, at which university), with "all my requests" and "sign out"; nothing when no
/// one is.
#[component]
pub fn SignedInBox() -> impl IntoView {
    let lang = use_lang();
    let session = Session::get();
    let signed_out = RwSignal::new(false);
    let sign_out = move |_| {
        spawn_local(async move {
            match session.sign_out().await {
                Some(url) => assign(&url),
                None => signed_out.set(true),
            }
        });
    };
    move || {
        let l = lang.get();
        let t = SigninTexts::of(l);
        if signed_out.get() && !session.is_signed_in() {
            return Some(
                view! { <p class="notice notice--success" role="status" data-signed-out="">{t.signed_out}</p> }
                    .into_any(),
            );
        }
        let person = session.state.with(|s| s.person().cloned())?;
        // The university a withdrawal or clearance will be filed at.
        let university = person.university.as_ref().map(|u| {
            let name = match l {
                Lang::Fa => u.name_fa.clone(),
                Lang::En => u.name_en.clone(),
            };
            (u.code.clone(), name)
        });
        let how = match person.source {
            SigninSource::Roster => t.source_roster,
            SigninSource::Oidc => t.source_provider,
        };
        Some(
            view! {
                <section class="notice signed-in" aria-label=t.signed_in_as data-signed-in=person.national_id.clone()>
                    <p>
                        {t.signed_in_as} " " <bdi class="tracking-code">{l.digits(&person.national_id)}</bdi>
                        " (" {how} ")"
                    </p>
                    {university.map(|(code, name)| view! {
                        <p data-signed-in-university=code>{t.at_university} " " {name}</p>
                    })}
                    <p class="result-actions">
                        <a href="/track/mine" data-my-requests-link="">{t.my_requests}</a>
                        " "
                        <button type="button" class="button button--secondary" data-sign-out="" on:click=sign_out>{t.sign_out}</button>
                    </p>
                </section>
            }
            .into_any(),
        )
    }
}
