//! `/staff/second-factor`: setting up the signed-in account's second factor — a new secret as a
//! QR code (SVG drawn in the page) and as text to type, confirmed by the app's first code, then
//! the 10 recovery codes shown this once. An account the deployment requires one of is sent here
//! until it is done.

use leptos::prelude::*;

use api::staff::{ConfirmEnrolment, Enrolment, RecoveryCodes};

use super::client;
use super::logic::code_error;
use super::session::{is_admin, use_staff};
use super::texts::{field_texts, StaffTexts};
use super::widgets::{Heading, Loading, Problems, Summary, TextInput};
use crate::shell::i18n::use_lang;
use crate::shell::qr::qr_svg;

/// The base32 key in groups of four, easier to type.
fn grouped_key(key: &str) -> String {
    key.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
pub fn SecondFactorPage() -> impl IntoView {
    provide_context(field_texts());
    let lang = use_lang();
    let staff = use_staff();
    let enrolment = RwSignal::new(None::<Enrolment>);
    let recovery = RwSignal::new(None::<Vec<String>>);
    let code = RwSignal::new(String::new());
    let problems = Problems::new();
    let busy = RwSignal::new(false);
    let t = move || StaffTexts::of(lang.get());
    if !staff.second_factor.get_untracked() {
        leptos::task::spawn_local(async move {
            match client::send::<Enrolment>(
                "POST",
                "/api/v1/staff/second-factor/enrol",
                &serde_json::json!({}),
            )
            .await
            {
                Ok(e) => enrolment.set(Some(e)),
                Err(e) => problems.failed(&e, lang.get_untracked()),
            }
        });
    }
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get() {
            return;
        }
        busy.set(true);
        let body = ConfirmEnrolment {
            code: Some(code.get().trim().to_owned()),
        };
        leptos::task::spawn_local(async move {
            let answer =
                client::send::<RecoveryCodes>("POST", "/api/v1/staff/second-factor/confirm", &body)
                    .await;
            busy.set(false);
            match answer {
                Ok(codes) => {
                    problems.clear();
                    staff.second_factor.set(true);
                    staff.must_enrol.set(false);
                    recovery.set(Some(codes.recovery_codes));
                }
                Err(e) => {
                    code.set(String::new());
                    match code_error(&e) {
                        Some(named) => {
                            problems.general.set(Vec::new());
                            problems.fields.set(vec![named]);
                        }
                        None => problems.failed(&e, lang.get_untracked()),
                    }
                }
            }
        });
    };
    let home = move || {
        let admin = staff
            .user
            .with(|u| u.as_ref().is_some_and(|u| is_admin(&u.role.id)));
        if admin {
            "/staff/admin/users"
        } else {
            "/staff"
        }
    };
    let body = move || {
        if let Some(codes) = recovery.get() {
            return view! {
                <h2>{move || t().recovery_title}</h2>
                <p>{move || t().recovery_intro}</p>
                <ol class="recovery-codes" dir="ltr" data-testid="recovery-codes">
                    {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                </ol>
                <p><a class="button" href=home data-testid="recovery-done">{move || t().recovery_done}</a></p>
            }
            .into_any();
        }
        if staff.second_factor.get() {
            return view! { <p data-testid="enrolled">{move || t().enrolled_already}</p> }
                .into_any();
        }
        match enrolment.get() {
            None => view! { <Loading /> }.into_any(),
            Some(e) => view! {
                <p>{move || t().enrol_intro}</p>
                <div
                    class="qr"
                    role="img"
                    aria-label=move || t().enrol_qr_label
                    data-testid="totp-qr"
                    inner_html=qr_svg(&e.otpauth_uri)
                ></div>
                <p>
                    {move || t().enrol_key} ": "
                    <code dir="ltr" data-testid="totp-secret">{grouped_key(&e.secret_base32)}</code>
                </p>
                <form class="staff-form" data-testid="enrol-form" on:submit=confirm novalidate>
                    <TextInput id="code" label=|t| (t.field)("code").unwrap_or_default() hint=|t| t.code_hint value=code autocomplete="one-time-code" ltr=true />
                    <button type="submit" class="button" data-testid="enrol-submit" disabled=move || busy.get()>
                        {move || t().enrol_confirm}
                    </button>
                </form>
            }
            .into_any(),
        }
    };
    view! {
        <Summary problems=problems />
        <Heading text=|t| t.enrol_title />
        {move || staff.must_enrol.get().then(|| view! { <p class="staff-status" role="status">{move || t().enrol_required}</p> })}
        {body}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_grouped_by_four() {
        assert_eq!(grouped_key("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
