//! Staff sessions: who is calling (`Staff`, from the `pishkhan_staff` cookie), CSRF protection
//! of state-changing calls and the admin-only guard; sign-in, sign-out and `me`
//! (`/api/v1/staff/…`), passwords (argon2id), lockout and session tokens (docs/staff-api.md).
//! Managing the accounts themselves is `admin.rs`.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{CACHE_CONTROL, COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use rules::requests::ClearanceOffice;
use rules::workflow::{role_label, Role};
use rules::InputError;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::clock::now_unix;
use crate::error::ApiError;
use crate::requests::{read_body, require_json, AppState, MAX_JSON_BYTES};
use crate::store::{Credentials, NewSession};

/// How long a session lives (docs/staff-api.md: 8 hours).
pub const SESSION_SECONDS: i64 = 8 * 3600;

/// Failed sign-ins in a row that lock an account …
pub const FAILURES_BEFORE_LOCK: i64 = 5;

/// … for this long.
pub const LOCK_SECONDS: i64 = 15 * 60;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "pishkhan_staff";

/// The header a state-changing staff call carries its session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A signed-in clerk (or admin), from a live session.
#[derive(Clone, Debug)]
pub struct Staff {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// `*` or the university, county or faculty the clerk serves (docs/staff-api.md).
    pub scope: String,
    pub csrf_token: String,
}

/// A signed-in admin.
#[derive(Clone, Debug)]
pub struct Admin(pub Staff);

/// SHA-256 (hex) of a secret token: sessions are stored by this, never by the token.
pub fn token_hash(token: &str) -> String {
    crate::hex(&Sha256::digest(token.as_bytes()))
}

/// The value of the session cookie, if the request carries one.
pub fn session_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
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

/// Compares two secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    /// 401 without a live session of an active user; for anything but GET and HEAD, 403 unless
    /// `X-CSRF-Token` is the session's token.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Staff, ApiError> {
        let token = session_token(parts).ok_or_else(not_signed_in)?;
        let now = crate::clock::now_unix();
        let staff = state
            .store
            .staff_session(&token_hash(&token), now)
            .await?
            .ok_or_else(not_signed_in)?;
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !same_secret(sent, &staff.csrf_token) {
                return Err(csrf_failed());
            }
        }
        Ok(staff)
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Admin, ApiError> {
        let staff = Staff::from_request_parts(parts, state).await?;
        if staff.role != Role::Admin {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "FORBIDDEN",
                "only an administrator may do this.",
                "این کار فقط از مدیر سامانه برمی‌آید.",
            ));
        }
        Ok(Admin(staff))
    }
}

/// The sign-in, sign-out and `me` routes, and the admin's (`admin.rs`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/staff/login", post(login))
        .route("/api/v1/staff/me", get(me))
        .route("/api/v1/staff/logout", post(logout))
        .merge(crate::admin::routes())
}

/// argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("OWASP's argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Runs slow work (hashing) off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(std::io::Error::other)?
}

/// The argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) of a password, with a fresh salt.
pub async fn hash_password(password: String) -> std::io::Result<String> {
    blocking(move || {
        let salt = SaltString::encode_b64(&random_bytes::<16>()?).map_err(std::io::Error::other)?;
        let hash = argon2()
            .hash_password(password.as_bytes(), &salt)
            .map_err(std::io::Error::other)?;
        Ok(hash.to_string())
    })
    .await
}

/// Whether `password` is the one `hash` (a PHC string) was made from; false for a bad hash.
pub async fn verify_password(password: String, hash: String) -> std::io::Result<bool> {
    blocking(move || {
        Ok(PasswordHash::new(&hash)
            .is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok()))
    })
    .await
}

/// The hash an unknown username's password is checked against (with the same parameters as
/// every stored hash), so that an unknown user takes as long to refuse as a wrong password. Its
/// password does not matter: the answer is 401 whatever the check says.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$d2LlqKxOj0xg/EjsiVYTBg$MEIJVK7sEBo5miOPIaTt0VMOIEb4tZuzxRUuR6bwVhQ";

fn random_bytes<const N: usize>() -> std::io::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(format!("randomness: {e}")))?;
    Ok(bytes)
}

/// 32 random bytes from the OS, base64url without padding (session and CSRF tokens).
pub fn random_token() -> std::io::Result<String> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// The `Set-Cookie` value of the session cookie (`max_age` 0 clears it).
fn session_cookie(token: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    ))
    .expect("a base64url token is a valid header value")
}

/// A JSON body of `T`: 415 unless declared JSON, 413 beyond [`MAX_JSON_BYTES`], 422 unless it
/// decodes.
pub async fn json_body<T: DeserializeOwned>(request: Request) -> Result<T, ApiError> {
    require_json(request.headers())?;
    let bytes = read_body(request.into_body(), MAX_JSON_BYTES).await?;
    serde_json::from_slice(&bytes).map_err(ApiError::not_json)
}

/// A field the body must have: 422 naming it otherwise.
pub fn required<T>(field: &str, value: Option<T>) -> Result<T, InputError> {
    value.ok_or_else(|| {
        InputError::new(
            Some(field),
            format!("{field}: this field is required."),
            format!("{field}: این فیلد لازم است."),
        )
    })
}

/// An account as the API shows it: `{id, username, display_name, role, role_fa, role_en,
/// scope}`.
pub fn user_json(
    id: i64,
    username: &str,
    display_name: &str,
    role: &Role,
    scope: &str,
    offices: &[ClearanceOffice],
) -> Value {
    let label = role_label(role, offices);
    json!({
        "id": id,
        "username": username,
        "display_name": display_name,
        "role": role.id(),
        "role_fa": label.fa,
        "role_en": label.en,
        "scope": scope,
    })
}

/// `{user, csrf_token}`, never cached.
async fn session_answer(state: &AppState, staff: &Staff) -> Result<Response, ApiError> {
    let offices = state.store.offices().await?;
    let user = user_json(
        staff.id,
        &staff.username,
        &staff.display_name,
        &staff.role,
        &staff.scope,
        &offices,
    );
    Ok((
        [(CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(json!({"user": user, "csrf_token": staff.csrf_token})),
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLogin {
    username: Option<String>,
    password: Option<String>,
}

/// `POST /api/v1/staff/login`: `{username, password}` → `{user, csrf_token}` and the session
/// cookie. Every attempt counts against the client address's limit; the same 401 for an
/// unknown user, a wrong password and a disabled account (an unknown user's password is checked
/// against a dummy hash, so the time does not tell either); 5 failures in a row lock the account.
async fn login(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let client = crate::limit::client_ip(request.extensions());
    state.logins.check(client).map_err(too_many_logins)?;
    let raw: RawLogin = json_body(request).await?;
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
        session_cookie(&token, SESSION_SECONDS, state.secure_cookies),
    );
    Ok(response)
}

/// `GET /api/v1/staff/me`: the signed-in user and the session's CSRF token.
async fn me(State(state): State<AppState>, staff: Staff) -> Result<Response, ApiError> {
    session_answer(&state, &staff).await
}

/// `POST /api/v1/staff/logout`: deletes the session and clears the cookie.
async fn logout(
    State(state): State<AppState>,
    _staff: Staff,
    parts: Parts,
) -> Result<Response, ApiError> {
    let token = session_token(&parts).ok_or_else(not_signed_in)?;
    state.store.end_session(&token_hash(&token)).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(SET_COOKIE, session_cookie("", 0, state.secure_cookies))],
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_dummy_hash_costs_what_a_stored_hash_costs() {
        let hash = hash_password("a-long-password".into()).await.unwrap();
        let params = |h: &str| h.rsplitn(3, '$').nth(2).unwrap().to_owned();
        assert_eq!(params(&hash), "$argon2id$v=19$m=19456,t=2,p=1");
        assert_eq!(params(DUMMY_HASH), params(&hash));
        assert!(verify_password("a-long-password".into(), hash.clone())
            .await
            .unwrap());
        assert!(!verify_password("another-password".into(), hash)
            .await
            .unwrap());
        assert!(!verify_password("x".into(), "not a hash".into())
            .await
            .unwrap());
    }

    #[test]
    fn tokens_are_32_random_bytes_in_base64url() {
        let (a, b) = (random_token().unwrap(), random_token().unwrap());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
    }
}
