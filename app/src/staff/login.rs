//! `/staff/login`: username and password, then — when the account has a second factor — the
//! authenticator's code or a recovery code (each error named in the summary and linked to its
//! input; too many attempts (429) said with the wait). Success goes to the cartable, the admin's
//! pages, or the second factor's set-up when the account must have one and has none.

use leptos::prelude::*;
use serde::Deserialize;

use api::staff::{Login, SecondFactorLogin, SecondStep, StaffSession};

use super::client::{self, ApiError};
use super::frame::Frame;
use super::logic::code_error;
use super::session::{is_admin, use_staff, Staff};
use super::texts::{field_texts, StaffTexts};
use super::widgets::{Heading, Problems, Summary, TextInput};
use crate::shell::i18n::{use_lang, Lang};

/// What the password step answers: a session (boxed: far larger than the token), or the token
/// the code goes with.
#[derive(Deserialize)]
#[serde(untagged)]
enum Answer {
    Session(Box<StaffSession>),
    Second(SecondStep),
}

/// Where a new session goes: the set-up of the second factor when it must have one, else the
/// role's home.
fn home(session: &StaffSession) -> &'static str {
    if session.must_enrol {
        super::logic::SECOND_FACTOR_PATH
    } else if is_admin(&session.user.role.id) {
        "/staff/admin/users"
    } else {
        "/staff"
    }
}

/// Keeps a new session (its CSRF token, who, their second factor) and goes home.
fn signed_in(
    staff: Staff,
    session: StaffSession,
    navigate: impl Fn(&str, leptos_router::NavigateOptions),
) {
    client::set_csrf(&session.csrf_token);
    let to = home(&session);
    staff.keep(&session);
    navigate(to, Default::default());
}

/// A refusal said in the summary: the code's (named, linked to its input), the wait of 429, or
/// the server's words.
fn refused(problems: Problems, e: &ApiError, lang: Lang) {
    if e.status == 429 {
        problems.say((StaffTexts::of(lang).rate_limited)(
            e.retry_after.unwrap_or(60),
        ));
    } else if let Some(named) = code_error(e) {
        problems.general.set(Vec::new());
        problems.fields.set(vec![named]);
    } else {
        problems.failed(e, lang);
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    provide_context(field_texts());
    let lang = use_lang();
    let staff = use_staff();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let recovery_code = RwSignal::new(String::new());
    // The second step's token once the password was right.
    let second = RwSignal::new(None::<String>);
    let with_recovery = RwSignal::new(false);
    let problems = Problems::new();
    let busy = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();
    let go = navigate.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get() {
            return;
        }
        busy.set(true);
        let navigate = go.clone();
        let body = Login {
            username: Some(username.get().trim().to_owned()),
            password: Some(password.get()),
        };
        leptos::task::spawn_local(async move {
            let answer = client::send::<Answer>("POST", "/api/v1/staff/login", &body).await;
            busy.set(false);
            let l = lang.get_untracked();
            match answer {
                Ok(Answer::Session(session)) => signed_in(staff, *session, navigate),
                Ok(Answer::Second(step)) => {
                    problems.clear();
                    password.set(String::new());
                    second.set(Some(step.second_step_token));
                    request_animation_frame(|| crate::shell::storage::focus_id("code"));
                }
                Err(e) => {
                    password.set(String::new());
                    refused(problems, &e, l);
                }
            }
        });
    };
    let verify = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get() {
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        let recovery = with_recovery.get();
        let body = SecondFactorLogin {
            second_step_token: second.get(),
            code: (!recovery).then(|| code.get().trim().to_owned()),
            recovery_code: recovery.then(|| recovery_code.get().trim().to_owned()),
        };
        leptos::task::spawn_local(async move {
            let answer =
                client::send::<StaffSession>("POST", "/api/v1/staff/login/second-factor", &body)
                    .await;
            busy.set(false);
            let l = lang.get_untracked();
            match answer {
                Ok(session) => signed_in(staff, session, navigate),
                Err(e) => {
                    code.set(String::new());
                    recovery_code.set(String::new());
                    if e.code == "SECOND_STEP_EXPIRED" {
                        // Back to the password, with the server's words.
                        second.set(None);
                    }
                    refused(problems, &e, l);
                }
            }
        });
    };
    let t = move || StaffTexts::of(lang.get());
    let password_step = move || {
        view! {
            <Heading text=|t| t.login_title />
            <form class="staff-form" data-testid="login-form" on:submit=submit.clone() novalidate>
                <TextInput id="username" label=|t| t.username value=username autocomplete="username" ltr=true />
                <TextInput id="password" label=|t| t.password value=password kind="password" autocomplete="current-password" ltr=true />
                <button type="submit" class="button" data-testid="login-submit" disabled=move || busy.get()>
                    {move || t().sign_in}
                </button>
            </form>
        }
    };
    let code_step = move || {
        let field = move || {
            if with_recovery.get() {
                view! {
                    <TextInput id="recovery_code" label=|t| (t.field)("recovery_code").unwrap_or_default() hint=|t| t.recovery_hint value=recovery_code autocomplete="off" ltr=true />
                }
                .into_any()
            } else {
                view! {
                    <TextInput id="code" label=|t| (t.field)("code").unwrap_or_default() hint=|t| t.code_hint value=code autocomplete="one-time-code" ltr=true />
                }
                .into_any()
            }
        };
        view! {
            <Heading text=|t| t.code_title />
            <p>{move || t().code_intro}</p>
            <form class="staff-form" data-testid="code-form" on:submit=verify.clone() novalidate>
                {field}
                <button type="submit" class="button" data-testid="code-submit" disabled=move || busy.get()>
                    {move || t().verify}
                </button>
            </form>
            <p>
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="code-switch"
                    on:click=move |_| {
                        problems.clear();
                        with_recovery.update(|r| *r = !*r);
                    }
                >
                    {move || if with_recovery.get() { t().use_code } else { t().use_recovery }}
                </button>
            </p>
        }
    };
    view! {
        <Frame>
            <Summary problems=problems />
            {move || if second.with(Option::is_some) {
                code_step().into_any()
            } else {
                password_step().into_any()
            }}
        </Frame>
    }
}
