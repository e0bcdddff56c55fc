//! The calls of the person sign-in API (`docs/signin.md`), through the shell's one `fetch`: the
//! session cookie goes by itself, every call other than GET carries the session's CSRF token.
//! Each answers with the `api` crate's type, or what went wrong ([`Failure::Offline`] outside a
//! browser).

use api::applicant::ApplicantSession;
use api::signin::{
    MyRequests, OpenMyRequest, PersonSession, ReminderSetting, SetReminders, SignedOut,
    SigninCodeSent, SigninMethods,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::model::{read_reply, Failure, Who};
use crate::shell::http::{self, Auth};

pub const METHODS: &str = "/api/v1/signin/methods";
pub const CODE: &str = "/api/v1/signin/code";
pub const VERIFY: &str = "/api/v1/signin/verify";
pub use crate::shell::http::{SIGNIN_LOGOUT as LOGOUT, SIGNIN_ME as ME};
pub const MINE: &str = "/api/v1/signin/requests";
pub const OPEN: &str = "/api/v1/signin/requests/open";
pub const REMINDERS: &str = "/api/v1/signin/reminders";

async fn call<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&B>,
    csrf: Option<&str>,
) -> Result<T, Failure> {
    let headers = [("content-type", "application/json")];
    let body =
        body.map(|b| wasm_bindgen::JsValue::from(serde_json::to_string(b).unwrap_or_default()));
    let auth = csrf.map_or(Auth::None, Auth::Csrf);
    let reply = http::fetch(method, path, body.as_ref(), &headers, auth)
        .await
        .map_err(|_| Failure::Offline)?;
    let json = read_reply(reply.status, &reply.body, reply.retry_after.as_deref())?;
    serde_json::from_value(json).map_err(|_| Failure::Offline)
}

/// `GET /api/v1/signin/methods`.
pub async fn methods() -> Result<SigninMethods, Failure> {
    call::<(), _>("GET", METHODS, None, None).await
}

/// `GET /api/v1/signin/me`: the live session, or `SignedOut`.
pub async fn me() -> Result<PersonSession, Failure> {
    call::<(), _>("GET", ME, None, None).await
}

/// `POST /api/v1/signin/code` (202, the same for everyone).
pub async fn send_code(who: &Who) -> Result<SigninCodeSent, Failure> {
    call("POST", CODE, Some(&who.code_body()), None).await
}

/// `POST /api/v1/signin/verify`: the session (its cookie set by the answer).
pub async fn verify(who: &Who, code: &str) -> Result<PersonSession, Failure> {
    call("POST", VERIFY, Some(&who.verify_body(code)), None).await
}

/// `POST /api/v1/signin/logout`: where to end the provider's session too, if anywhere.
/// (A `204` without a body counts as no provider session.)
pub async fn logout(csrf: &str) -> Result<SignedOut, Failure> {
    let out: Option<SignedOut> =
        call("POST", LOGOUT, Some(&serde_json::json!({})), Some(csrf)).await?;
    Ok(out.unwrap_or(SignedOut {
        end_session_url: None,
    }))
}

/// `GET /api/v1/signin/requests`.
pub async fn my_requests() -> Result<MyRequests, Failure> {
    call::<(), _>("GET", MINE, None, None).await
}

/// `POST /api/v1/signin/requests/open`: an applicant session on one of the person's requests.
pub async fn open(csrf: &str, tracking_code: &str) -> Result<ApplicantSession, Failure> {
    let body = OpenMyRequest {
        tracking_code: Some(tracking_code.to_owned()),
    };
    call("POST", OPEN, Some(&body), Some(csrf)).await
}

/// `GET /api/v1/signin/reminders`: whether the person gets deadline reminders.
pub async fn reminders() -> Result<ReminderSetting, Failure> {
    call::<(), _>("GET", REMINDERS, None, None).await
}

/// `PUT /api/v1/signin/reminders`: turns them on or off.
pub async fn set_reminders(csrf: &str, enabled: bool) -> Result<ReminderSetting, Failure> {
    let body = SetReminders {
        enabled: Some(enabled),
    };
    call("PUT", REMINDERS, Some(&body), Some(csrf)).await
}
