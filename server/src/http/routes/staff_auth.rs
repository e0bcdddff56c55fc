//! Staff sign-in (with its second step, the TOTP or a recovery code), sign-out and `me`
//! (`/api/v1/staff/login`, `…/login/second-factor`, `…/me`, `…/logout`; docs/staff-api.md): the session cookie (HttpOnly, SameSite=Strict, `Secure` with
//! `--secure-cookies`) holding a random token whose SHA-256 only is stored, the CSRF token, the
//! signed device cookie a good sign-in leaves (OWASP's "device cookies": failures in a row lock
//! only attempts without it, or only that device), the one 401 for every refusal, and the
//! per-address limit on attempts.

use api::staff::{Login, SecondFactorLogin, StaffSession};
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::domain::accounts::{
    device_cookie_value, device_nonce, random_token, token_hash, verify_password, Staff, DUMMY_HASH,
};
use crate::domain::clock::now_unix;
use crate::domain::required;
use crate::domain::second_factor;
use crate::domain::universities::DEFAULT_UNIVERSITY;
use crate::http::answer::staff_user;
use crate::http::auth::{
    cookie, must_enrol, not_signed_in, session_cookie, session_token, SESSION_COOKIE,
};
use crate::http::error::ApiError;
use crate::http::extract::json_body;
use crate::http::limit::client_ip;
use crate::http::state::AppState;
use crate::store::accounts::{NewSession, User};
use crate::store::second_factor::SecondStep;

/// How long a session lives (docs/staff-api.md: 8 hours).
pub const SESSION_SECONDS: i64 = 8 * 3600;

/// Failed sign-ins in a row that lock an account's untrusted attempts (or one device) …
pub const FAILURES_BEFORE_LOCK: i64 = 5;

/// … for this long.
pub const LOCK_SECONDS: i64 = 15 * 60;

/// The device cookie's name; it is sent to the sign-in call only.
pub const DEVICE_COOKIE: &str = "pishkhan_device";

/// How long the token between the password and the code lives (5 minutes).
pub const SECOND_STEP_SECONDS: i64 = 5 * 60;

/// How long a device cookie lives, renewed at every sign-in with it (a year).
pub const DEVICE_SECONDS: i64 = 365 * 24 * 3600;

/// The `Set-Cookie` value of the session cookie (`max_age` 0 clears it).
fn staff_cookie(token: &str, max_age: i64, secure: bool) -> HeaderValue {
    session_cookie(SESSION_COOKIE, token, "/", "Strict", max_age, secure)
}

/// `{user, csrf_token}`, never cached; an office role named from the clerk's university's
/// offices.
async fn session_answer(state: &AppState, staff: &Staff) -> Result<Response, ApiError> {
    let university = staff.scope.university().unwrap_or(DEFAULT_UNIVERSITY);
    let offices = state.store.offices_of(university).await?;
    let universities = state.store.universities().await?;
    let user = staff_user(
        staff.id,
        &staff.username,
        &staff.display_name,
        &staff.role,
        &staff.scope,
        &offices,
        &universities,
    );
    Ok((
        [(CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(StaffSession {
            user,
            csrf_token: staff.csrf_token.clone(),
            second_factor_enrolled: staff.second_factor,
            must_enrol: must_enrol(state, staff),
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

/// `POST /api/v1/staff/login`: `{username, password}` → `{user, csrf_token}`, the session cookie
/// and the device cookie. Every attempt counts against the client address's limit (429). Every
/// refusal is the same 401, and costs the same password check: an unknown user (checked against
/// a dummy hash), a wrong password, a disabled account, and a locked one — 5 failures in a row
/// without the account's device cookie lock such attempts for 15 minutes, while a device cookie's
/// own 5 failures lock only that device; so a stranger cannot lock a clerk out of their browser.
/// An account with a second factor answers 202 `{second_step_token, expires_in_seconds}` instead
/// (no cookie): the code goes to [`login_second_factor`].
pub async fn login(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let client = client_ip(request.extensions());
    state.logins.check(client).map_err(too_many_logins)?;
    let (parts, body) = request.into_parts();
    let device_value = cookie(&parts, DEVICE_COOKIE);
    let raw: Login = json_body(Request::from_parts(parts, body)).await?;
    let username = required("username", raw.username)?.trim().to_lowercase();
    let password = required("password", raw.password)?;
    let now = now_unix();
    let found = state.store.credentials(&username).await?;
    let hash = found
        .as_ref()
        .map_or(DUMMY_HASH, |c| c.password_hash.as_str())
        .to_owned();
    let good = verify_password(password, hash)
        .await
        .map_err(ApiError::internal)?;
    let Some(user) = found.map(|c| c.user) else {
        return Err(login_failed());
    };
    let device = device_value.and_then(|v| device_nonce(state.secret.bytes(), &username, &v));
    if locked(&state, &user, device.as_deref(), now).await? {
        return Err(login_failed());
    }
    if !good || !user.active {
        count_failure(&state, user.id, device.as_deref(), now).await?;
        return Err(login_failed());
    }
    let trusted = device.is_some();
    let nonce = match device {
        Some(nonce) => nonce,
        None => random_token().map_err(ApiError::internal)?,
    };
    if user.second_factor {
        // The password was right; the code comes next, with this token.
        let token = random_token().map_err(ApiError::internal)?;
        let step = SecondStep {
            user_id: user.id,
            device_nonce: nonce,
            trusted,
            attempts: 0,
        };
        state
            .store
            .start_second_step(&token_hash(&token), &step, now, now + SECOND_STEP_SECONDS)
            .await?;
        return Ok((
            StatusCode::ACCEPTED,
            [(CACHE_CONTROL, HeaderValue::from_static("no-store"))],
            Json(api::staff::SecondStep {
                second_step_token: token,
                expires_in_seconds: SECOND_STEP_SECONDS,
            }),
        )
            .into_response());
    }
    signed_in(&state, user, &nonce, trusted, now).await
}

/// Counts a failed attempt (a wrong password or code) on the device cookie's counter, or else
/// on the account's untrusted one.
async fn count_failure(
    state: &AppState,
    user_id: i64,
    device: Option<&str>,
    now: i64,
) -> Result<(), ApiError> {
    let lock_until = now + LOCK_SECONDS;
    match device {
        Some(nonce) => {
            state
                .store
                .device_failed(nonce, user_id, FAILURES_BEFORE_LOCK, now, lock_until)
                .await?
        }
        None => {
            state
                .store
                .login_failed(user_id, FAILURES_BEFORE_LOCK, lock_until)
                .await?
        }
    }
    Ok(())
}

/// Whether attempts on `user`'s account with this device cookie (or, `None`, without a valid
/// one) are locked now.
async fn locked(
    state: &AppState,
    user: &User,
    device: Option<&str>,
    now: i64,
) -> Result<bool, ApiError> {
    let until = match device {
        Some(nonce) => state.store.device_locked_until(nonce, user.id).await?,
        None => user.locked_until,
    };
    Ok(until.is_some_and(|until| until > now))
}

/// The end of a good sign-in: a session, `{user, csrf_token, …}`, the session cookie and the
/// device cookie (`nonce`, signed for the username).
async fn signed_in(
    state: &AppState,
    user: User,
    nonce: &str,
    trusted: bool,
    now: i64,
) -> Result<Response, ApiError> {
    let token = random_token().map_err(ApiError::internal)?;
    let csrf_token = random_token().map_err(ApiError::internal)?;
    let session = NewSession {
        token_sha256: &token_hash(&token),
        csrf_token: &csrf_token,
        now,
        expires_at: now + SESSION_SECONDS,
    };
    state
        .store
        .start_session(user.id, nonce, trusted, DEVICE_SECONDS, &session)
        .await?;
    tracing::info!(user = %user.username, trusted, "staff signed in");
    let staff = Staff {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        scope: user.scope,
        csrf_token,
        second_factor: user.second_factor,
    };
    let mut response = session_answer(state, &staff).await?;
    let headers = response.headers_mut();
    headers.insert(
        SET_COOKIE,
        staff_cookie(&token, SESSION_SECONDS, state.secure_cookies),
    );
    headers.append(
        SET_COOKIE,
        session_cookie(
            DEVICE_COOKIE,
            &device_cookie_value(state.secret.bytes(), &staff.username, nonce),
            "/api/v1/staff/login",
            "Strict",
            DEVICE_SECONDS,
            state.secure_cookies,
        ),
    );
    Ok(response)
}

fn code_invalid(field: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "CODE_INVALID",
        format!("{field}: the code is wrong or has been used; enter the one your app shows now."),
        format!("{field}: کد نادرست است یا پیش‌تر به کار رفته است؛ کدی را که اکنون برنامه نشان می‌دهد وارد کنید."),
    )
    .with_field(field)
}

fn second_step_expired() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "SECOND_STEP_EXPIRED",
        "this sign-in has run out or had too many wrong codes; enter your password again.",
        "این ورود منقضی شده یا کدهای نادرست بسیاری داشته است؛ دوباره گذرواژه را وارد کنید.",
    )
    .with_field("second_step_token")
}

/// `POST /api/v1/staff/login/second-factor`: `{second_step_token, code}` (the authenticator's
/// code: one step either side of now, a step never twice) or `{second_step_token,
/// recovery_code}` (each once) → what `login` answers for an account without one. A wrong code is
/// 401 `CODE_INVALID` naming the field and counts as a failed sign-in (on the device or the
/// account, as a wrong password does); the token dies after 5 wrong codes or 5 minutes (401
/// `SECOND_STEP_EXPIRED`). Every attempt counts against the client address's limit.
pub async fn login_second_factor(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    let client = client_ip(request.extensions());
    state.logins.check(client).map_err(too_many_logins)?;
    let raw: SecondFactorLogin = json_body(request).await?;
    let token = required("second_step_token", raw.second_step_token)?;
    let token_sha256 = token_hash(&token);
    let now = now_unix();
    let step = state
        .store
        .second_step(&token_sha256, now)
        .await?
        .ok_or_else(second_step_expired)?;
    let user = state
        .store
        .user(step.user_id)
        .await?
        .filter(|u| u.active)
        .ok_or_else(second_step_expired)?;
    let device = step.trusted.then_some(step.device_nonce.as_str());
    let (field, good) = match (raw.code, raw.recovery_code) {
        (Some(code), None) => {
            let factor = state.store.second_factor(user.id).await?;
            let secret = factor
                .secret
                .as_deref()
                .and_then(|s| second_factor::open(state.secret.bytes(), s));
            let step_used =
                secret.and_then(|s| second_factor::check_code(&s, &code, now, factor.last_step));
            let good = match step_used {
                Some(used) => state.store.use_totp_step(user.id, used).await?,
                None => false,
            };
            ("code", good)
        }
        (None, Some(recovery)) => {
            let hmac = second_factor::recovery_hmac(state.secret.bytes(), user.id, &recovery);
            let good = state.store.use_recovery_code(user.id, &hmac, now).await?;
            if good {
                let left = state.store.recovery_codes_left(user.id).await?;
                tracing::info!(user = %user.username, left, "recovery code used");
            }
            ("recovery_code", good)
        }
        (None, None) => {
            return Err(ApiError::from(
                required::<()>("code", None).expect_err("nothing was sent"),
            ))
        }
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(vec![crate::domain::invalid(
                "recovery_code",
                "send either the code or a recovery code, not both.",
                "یا کد را بفرستید یا یک کد بازیابی را، نه هر دو.",
            )]))
        }
    };
    if !good || locked(&state, &user, device, now).await? {
        if !good {
            count_failure(&state, user.id, device, now).await?;
        }
        state
            .store
            .second_step_failed(&token_sha256, FAILURES_BEFORE_LOCK)
            .await?;
        return Err(code_invalid(field));
    }
    state.store.end_second_step(&token_sha256).await?;
    let nonce = step.device_nonce;
    signed_in(&state, user, &nonce, step.trusted, now).await
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
