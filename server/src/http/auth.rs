//! Who is calling the staff API: the `Staff` extractor (a live session from the
//! `pishkhan_staff` cookie; for anything but GET and HEAD the session's CSRF token in
//! `X-CSRF-Token`) and the `Admin` extractor (a staff member whose role is admin); and what every
//! cookie session shares (the person's too, `person.rs`): reading a cookie, the CSRF check, and
//! the `Set-Cookie` value. A session of someone the deployment requires a second factor of, who
//! has none yet, may only enrol one (`serve --staff-totp`).

use axum::extract::FromRequestParts;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode};
use rules::workflow::Role;

use crate::domain::accounts::{same_secret, token_hash, Staff};
use crate::domain::universities::{Scope, UniversityId};
use crate::http::error::ApiError;
use crate::http::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "pishkhan_staff";

/// The header a state-changing staff call carries its session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What a session that must enrol a second factor may still call.
const WHILE_ENROLLING: &[&str] = &[
    "/api/v1/staff/me",
    "/api/v1/staff/logout",
    "/api/v1/staff/second-factor/enrol",
    "/api/v1/staff/second-factor/confirm",
];

/// Whether `staff` must enrol a second factor before anything else.
pub fn must_enrol(state: &AppState, staff: &Staff) -> bool {
    !staff.second_factor && state.staff_totp.required(&staff.role)
}

fn second_factor_required() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "SECOND_FACTOR_REQUIRED",
        "set up your second factor (an authenticator app) first.",
        "ابتدا عامل دوم ورود (برنامه احراز هویت) را راه‌اندازی کنید.",
    )
}

/// A signed-in national admin.
#[derive(Clone, Debug)]
pub struct Admin(pub Staff);

/// 403 `FORBIDDEN`: not an administrator (of this).
fn not_an_admin() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "FORBIDDEN",
        "only an administrator may do this.",
        "این کار فقط از مدیر سامانه برمی‌آید.",
    )
}

/// A signed-in administrator of users and offices: the national admin (`university` `None`:
/// every university) or a university's admin (its university only).
#[derive(Clone, Debug)]
pub struct Administrator {
    pub staff: Staff,
    pub university: Option<UniversityId>,
}

/// The value of the cookie `name`, if the request carries one.
pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_owned())
}

/// The value of the staff session cookie, if the request carries one.
pub fn session_token(parts: &Parts) -> Option<String> {
    cookie(parts, SESSION_COOKIE)
}

/// For anything but GET and HEAD: 403 unless `X-CSRF-Token` is the session's token.
pub fn check_csrf(parts: &Parts, session_csrf: &str) -> Result<(), ApiError> {
    if matches!(parts.method, Method::GET | Method::HEAD) {
        return Ok(());
    }
    let sent = parts
        .headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if same_secret(sent, session_csrf) {
        Ok(())
    } else {
        Err(csrf_failed())
    }
}

/// A session cookie's `Set-Cookie` value: HttpOnly, on `path`, with its SameSite, for
/// `max_age` seconds (0 clears it), `Secure` when the server is behind TLS.
pub fn session_cookie(
    name: &str,
    token: &str,
    path: &str,
    same_site: &str,
    max_age: i64,
    secure: bool,
) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={token}; HttpOnly; SameSite={same_site}; Path={path}; Max-Age={max_age}{secure}"
    ))
    .expect("a base64url token is a valid header value")
}

pub fn not_signed_in() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "NOT_SIGNED_IN",
        "sign in first (or again: the session has ended).",
        "ابتدا (دوباره) وارد شوید: نشست شما پایان یافته است.",
    )
}

fn csrf_failed() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "CSRF_FAILED",
        "the X-CSRF-Token header is missing or wrong; reload the page.",
        "سرایند X-CSRF-Token نیست یا نادرست است؛ صفحه را دوباره بار کنید.",
    )
    .with_field("X-CSRF-Token")
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    /// 401 without a live session of an active user; for anything but GET and HEAD, 403 unless
    /// `X-CSRF-Token` is the session's token; 403 `SECOND_FACTOR_REQUIRED` for all but
    /// [`WHILE_ENROLLING`] while the user must enrol a second factor.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Staff, ApiError> {
        let token = session_token(parts).ok_or_else(not_signed_in)?;
        let now = crate::domain::clock::now_unix();
        let staff = state
            .store
            .staff_session(&token_hash(&token), now)
            .await?
            .ok_or_else(not_signed_in)?;
        check_csrf(parts, &staff.csrf_token)?;
        if must_enrol(state, &staff) && !WHILE_ENROLLING.contains(&parts.uri.path()) {
            return Err(second_factor_required());
        }
        Ok(staff)
    }
}

impl FromRequestParts<AppState> for Administrator {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Administrator, ApiError> {
        let staff = Staff::from_request_parts(parts, state).await?;
        let university = match (&staff.role, &staff.scope) {
            (Role::Admin, _) => None,
            (Role::UniversityAdmin, Scope::University(u)) => Some(*u),
            _ => return Err(not_an_admin()),
        };
        Ok(Administrator { staff, university })
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Admin, ApiError> {
        let staff = Staff::from_request_parts(parts, state).await?;
        if staff.role != Role::Admin {
            return Err(not_an_admin());
        }
        Ok(Admin(staff))
    }
}
