//! `/staff/login`: username and password; a failure (401), a locked account (423, with its wait)
//! or too many attempts (429) said in the error summary; success goes to the cartable.

use leptos::prelude::*;

use api::staff::{Login, StaffSession};
use rules::workflow::Role;

use super::client;
use super::frame::Frame;
use super::session::use_staff;
use super::texts::StaffTexts;
use super::widgets::{Heading, Problems, Summary, TextInput};
use crate::shell::i18n::use_lang;

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let staff = use_staff();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problems = Problems::new();
    let busy = RwSignal::new(false);
    let navigate = leptos_router::hooks::use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get() {
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        let body = Login {
            username: Some(username.get().trim().to_owned()),
            password: Some(password.get()),
        };
        leptos::task::spawn_local(async move {
            let answer = client::send::<StaffSession>("POST", "/api/v1/staff/login", &body).await;
            busy.set(false);
            let l = lang.get_untracked();
            let t = StaffTexts::of(l);
            match answer {
                Ok(session) => {
                    client::set_csrf(&session.csrf_token);
                    let home = if session.user.role.id == Role::Admin.id() {
                        "/staff/admin/users"
                    } else {
                        "/staff"
                    };
                    staff.user.set(Some(session.user));
                    navigate(home, Default::default());
                }
                Err(e) if e.status == 423 => problems.say((t.locked)(e.retry_after.unwrap_or(900))),
                Err(e) if e.status == 429 => {
                    problems.say((t.rate_limited)(e.retry_after.unwrap_or(60)))
                }
                Err(e) => {
                    password.set(String::new());
                    problems.failed(&e, l);
                }
            }
        });
    };
    view! {
        <Frame>
            <Summary problems=problems />
            <Heading text=|t| t.login_title />
            <form class="staff-form" data-testid="login-form" on:submit=submit novalidate>
                <TextInput id="username" label=|t| t.username value=username autocomplete="username" ltr=true />
                <TextInput id="password" label=|t| t.password value=password kind="password" autocomplete="current-password" ltr=true />
                <button type="submit" class="button" data-testid="login-submit" disabled=move || busy.get()>
                    {move || StaffTexts::of(lang.get()).sign_in}
                </button>
            </form>
        </Frame>
    }
}
