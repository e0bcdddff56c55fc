//! Who the signed-in person is: the `Person` extractor — a live person session from the
//! `pishkhan_person` cookie and, for anything but GET and HEAD, its CSRF token in
//! `X-CSRF-Token` (the staff session's cookie and CSRF helpers, `auth.rs`) — and the cookie's
//! `Set-Cookie` value. Filing a request requires it, and so do "my requests".

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};

use crate::domain::accounts::token_hash;
use crate::domain::clock::now_unix;
use crate::domain::roster::Person;
use crate::http::auth::{check_csrf, cookie, session_cookie};
use crate::http::error::ApiError;
use crate::http::state::AppState;

/// The person session cookie's name.
pub const PERSON_COOKIE: &str = "pishkhan_person";

/// The `Set-Cookie` value of the person session cookie (HttpOnly, SameSite=Lax, Path=/api, so
/// the app's pages never carry it; `max_age` 0 clears it).
pub fn person_cookie(token: &str, max_age: i64, secure: bool) -> HeaderValue {
    session_cookie(PERSON_COOKIE, token, "/api", "Lax", max_age, secure)
}

/// The person session's token, if the request carries the cookie.
pub fn person_token(parts: &Parts) -> Option<String> {
    cookie(parts, PERSON_COOKIE)
}

/// 401: no live person session.
pub fn sign_in_required() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "SIGN_IN_REQUIRED",
        "sign in first (or again: the session has ended).",
        "ابتدا (دوباره) وارد شوید: نشست شما پایان یافته است.",
    )
}

impl FromRequestParts<AppState> for Person {
    type Rejection = ApiError;

    /// 401 without a live person session; for anything but GET and HEAD, 403 unless
    /// `X-CSRF-Token` is the session's token.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Person, ApiError> {
        let token = person_token(parts).ok_or_else(sign_in_required)?;
        let person = state
            .store
            .person_session(&token_hash(&token), now_unix())
            .await?
            .ok_or_else(sign_in_required)?;
        check_csrf(parts, &person.csrf_token)?;
        Ok(person)
    }
}
