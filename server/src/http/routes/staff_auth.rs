//! Staff sign-in, sign-out and `me` (`/api/v1/staff/login`, `…/me`, `…/logout`;
//! docs/staff-api.md): the session cookie (HttpOnly, SameSite=Strict, `Secure` with
//! `--secure-cookies`) holding a random token whose SHA-256 only is stored, the CSRF token, the
//! lockout after failures in a row and the per-address limit on attempts.

use api::staff::{Login, StaffSession};
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::domain::accounts::{random_token, token_hash, verify_password, Staff, DUMMY_HASH};
use crate::domain::clock::now_unix;
use crate::domain::required;
use crate::http::answer::staff_user;
use crate::http::auth::{not_signed_in, session_cookie, session_token, SESSION_COOKIE};
use crate::http::error::ApiError;
use crate::http::extract::json_body;
use crate::http::limit::client_ip;
use crate::http::state::AppState;
use crate::store::accounts::{Credentials, NewSession};

/// How long a session lives (docs/staff-api.md: 8 hours).
pub const SESSION_SECONDS: i64 = 8 * 3600;

/// Failed sign-ins in a row that lock an account …
pub const FAILURES_BEFORE_LOCK: i64 = 5;

/// … for this long.
pub const LOCK_SECONDS: i64 = 15 * 60;

/// The `Set-Cookie` value of the session cookie (`max_age` 0 clears it).
fn staff_cookie(token: &str, max_age: i64, secure: bool) -> HeaderValue {
    session_cookie(SESSION_COOKIE, token, "/", "Strict", max_age, secure)
}

/// `{user, csrf_token}`, never cached.
async fn session_answer(state: &AppState, staff: &Staff) -> Result<Response, ApiError> {
    let offices = state.store.offices().await?;
    let user = staff_user(
        staff.id,
        &staff.username,
        &staff.display_name,
        &staff.role,
        &staff.scope,
        &offices,
    );
    Ok((
        [(CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(StaffSession {
            user,
            csrf_token: staff.csrf_token.clone(),
        }),
    )
        .into_response())
}

fn login_failed() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "LOGIN_FAILED",
        "the username or the password is wrong.",
        "نام کاربری یا گذرواژه نادرست است.",
    )
}

fn account_locked(seconds: i64) -> ApiError {
    let minutes = (seconds + 59) / 60;
    ApiError::new(
        StatusCode::LOCKED,
        "ACCOUNT_LOCKED",
        format!("too many failed sign-ins; the account is locked for {minutes} more minutes."),
        crate::fa_digits(&format!(
            "به دلیل ورودهای ناموفق پیاپی، حساب تا {minutes} دقیقه دیگر قفل است."
        )),
    )
    .retry_after(seconds.max(1) as u64)
}

fn too_many_logins(wait: u64) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "RATE_LIMITED",
        format!("too many sign-in attempts; try again in {wait} seconds."),
        crate::fa_digits(&format!(
            "تلاش برای ورود بیش از حد است؛ {wait} ثانیه دیگر دوباره تلاش کنید."
        )),
    )
    .retry_after(wait)
}

/// `POST /api/v1/staff/login`: `{username, password}` → `{user, csrf_token}` and the session
/// cookie. Every attempt counts against the client address's limit; the same 401 for an
/// unknown user, a wrong password and a disabled account (an unknown user's password is checked
/// against a dummy hash, so the time does not tell either); 5 failures in a row lock the account.
pub async fn login(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let client = client_ip(request.extensions());
    state.logins.check(client).map_err(too_many_logins)?;
    let raw: Login = json_body(request).await?;
    let username = required("username", raw.username)?.trim().to_lowercase();
    let password = required("password", raw.password)?;
    let now = now_unix();
    let found = state.store.credentials(&username).await?;
    if let Some(until) = found
        .as_ref()
        .and_then(|c| c.user.locked_until)
        .filter(|&until| until > now)
    {
        return Err(account_locked(until - now));
    }
    let hash = found
        .as_ref()
        .map_or(DUMMY_HASH, |c| c.password_hash.as_str())
        .to_owned();
    let good = verify_password(password, hash)
        .await
        .map_err(ApiError::internal)?;
    let Some(Credentials { user, .. }) = found else {
        return Err(login_failed());
    };
    if !good || !user.active {
        let locked = state
            .store
            .login_failed(user.id, FAILURES_BEFORE_LOCK, now + LOCK_SECONDS)
            .await?;
        return Err(match locked {
            Some(until) => account_locked(until - now),
            None => login_failed(),
        });
    }
    let token = random_token().map_err(ApiError::internal)?;
    let csrf_token = random_token().map_err(ApiError::internal)?;
    let session = NewSession {
        token_sha256: &token_hash(&token),
        csrf_token: &csrf_token,
        now,
        expires_at: now + SESSION_SECONDS,
    };
    state.store.start_session(user.id, &session).await?;
    tracing::info!(user = %user.username, "staff signed in");
    let staff = Staff {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        scope: user.scope,
        csrf_token,
    };
    let mut response = session_answer(&state, &staff).await?;
    response.headers_mut().insert(
        SET_COOKIE,
        staff_cookie(&token, SESSION_SECONDS, state.secure_cookies),
    );
    Ok(response)
}

/// `GET /api/v1/staff/me`: the signed-in user and the session's CSRF token.
pub async fn me(State(state): State<AppState>, staff: Staff) -> Result<Response, ApiError> {
    session_answer(&state, &staff).await
}

/// `POST /api/v1/staff/logout`: deletes the session and clears the cookie.
pub async fn logout(
    State(state): State<AppState>,
    _staff: Staff,
    parts: Parts,
) -> Result<Response, ApiError> {
    let token = session_token(&parts).ok_or_else(not_signed_in)?;
    state.store.end_session(&token_hash(&token)).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(SET_COOKIE, staff_cookie("", 0, state.secure_cookies))],
    )
        .into_response())
}
