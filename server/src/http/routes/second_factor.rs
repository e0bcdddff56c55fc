//! Enrolling the signed-in staff member's second factor (`/api/v1/staff/second-factor/…`,
//! docs/staff-api.md): a new TOTP secret (its `otpauth://` URI for the QR code and its base32
//! text), then its first code confirms it and answers the 10 recovery codes, shown this once.

use api::staff::{ConfirmEnrolment, Enrolment, RecoveryCodes};
use axum::extract::{Request, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::domain::accounts::Staff;
use crate::domain::clock::now_unix;
use crate::domain::required;
use crate::domain::second_factor::{
    base32, check_code, new_recovery_codes, new_secret, open, otpauth_uri, recovery_hmac, seal,
};
use crate::http::error::ApiError;
use crate::http::extract::json_body;
use crate::http::state::AppState;

fn already_enrolled() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "SECOND_FACTOR_ENROLLED",
        "a second factor is set up already; an administrator can reset it.",
        "عامل دوم پیش‌تر راه‌اندازی شده است؛ مدیر سامانه می‌تواند آن را بازنشانی کند.",
    )
}

fn not_enrolling() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "NOT_ENROLLING",
        "start the set-up first (a new secret), then confirm it with its code.",
        "ابتدا راه‌اندازی را آغاز کنید (کلید تازه)، سپس آن را با کدش تأیید کنید.",
    )
}

/// A JSON answer never cached (it holds a secret).
fn secret_answer<T: serde::Serialize>(body: T) -> Response {
    (
        [(CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(body),
    )
        .into_response()
}

/// `POST /api/v1/staff/second-factor/enrol` → `{secret_base32, otpauth_uri}`: a new secret,
/// kept (sealed) until its first code confirms it; asking again replaces it. 409
/// `SECOND_FACTOR_ENROLLED` when one is set up.
pub async fn enrol(State(state): State<AppState>, staff: Staff) -> Result<Response, ApiError> {
    let secret = new_secret().map_err(ApiError::internal)?;
    let sealed = seal(state.secret.bytes(), &secret).map_err(ApiError::internal)?;
    if !state.store.enrol_second_factor(staff.id, &sealed).await? {
        return Err(already_enrolled());
    }
    Ok(secret_answer(Enrolment {
        secret_base32: base32(&secret),
        otpauth_uri: otpauth_uri(&secret, &staff.username),
    }))
}

/// `POST /api/v1/staff/second-factor/confirm` `{code}` → `{recovery_codes}` (10, shown once;
/// only their HMACs are kept). A wrong code is 422 `CODE_INVALID` naming `code`; 409
/// `NOT_ENROLLING` without a secret being enrolled.
pub async fn confirm(
    State(state): State<AppState>,
    staff: Staff,
    request: Request,
) -> Result<Response, ApiError> {
    let raw: ConfirmEnrolment = json_body(request).await?;
    let code = required("code", raw.code)?;
    let factor = state.store.second_factor(staff.id).await?;
    if factor.secret.is_some() {
        return Err(already_enrolled());
    }
    let sealed = factor.pending.ok_or_else(not_enrolling)?;
    let secret = open(state.secret.bytes(), &sealed).ok_or_else(not_enrolling)?;
    let step = check_code(&secret, &code, now_unix(), None).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "CODE_INVALID",
            "code: the code does not match; enter the 6 digits your app shows now.",
            "code: کد با کلید جور نیست؛ ۶ رقمی را که اکنون برنامه نشان می‌دهد وارد کنید.",
        )
        .with_field("code")
    })?;
    let codes = new_recovery_codes().map_err(ApiError::internal)?;
    let hmacs: Vec<String> = codes
        .iter()
        .map(|c| recovery_hmac(state.secret.bytes(), staff.id, c))
        .collect();
    if !state
        .store
        .confirm_second_factor(staff.id, &sealed, step, &hmacs)
        .await?
    {
        return Err(not_enrolling());
    }
    tracing::info!(user = %staff.username, "second factor enrolled");
    Ok(secret_answer(RecoveryCodes {
        recovery_codes: codes,
    }))
}
