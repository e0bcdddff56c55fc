//! Sign-in by OpenID Connect: `GET /api/v1/signin/oidc/{provider}/start` (303 to the provider)
//! and `GET /api/v1/signin/oidc/callback` (the identity verified, the person session opened by
//! `services::signin::identity_verified`, then 303 to the sign-in's `return_to` with the
//! `pishkhan_person` cookie). Every failure is a JSON error naming its field, never a 500 for the
//! provider's or the visitor's mistakes.

use api::oidc::{OidcCallbackQuery, OidcStartQuery};
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::domain::clock::now_unix;
use crate::domain::oidc::OidcError;
use crate::domain::roster::SESSION_SECONDS;
use crate::http::error::ApiError;
use crate::http::person::person_cookie;
use crate::http::state::AppState;
use crate::services::oidc::{Callback, SigninError};
use crate::services::signin;

/// `GET /api/v1/signin/oidc/{provider}/start?return_to=/path[&fresh=true]`: 303 to the provider.
pub async fn start(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    Query(q): Query<OidcStartQuery>,
) -> Result<Response, ApiError> {
    let url = state
        .oidc
        .begin(
            &state.store,
            &provider,
            q.return_to.as_deref(),
            q.fresh == Some(true),
            now_unix(),
        )
        .await
        .map_err(refused)?;
    Ok(see_other(&url))
}

/// `GET /api/v1/signin/oidc/callback?state&code`: the sign-in finished, the person session
/// opened, 303 to its `return_to` with the session's cookie.
pub async fn callback(
    State(state): State<AppState>,
    Query(q): Query<OidcCallbackQuery>,
) -> Result<Response, ApiError> {
    let Some(login_state) = q.state.as_deref().filter(|s| !s.is_empty()) else {
        return Err(missing("state"));
    };
    let answer = match (q.error.as_deref(), q.code.as_deref()) {
        (Some(error), _) => Callback::Error(error),
        (None, Some(code)) if !code.is_empty() => Callback::Code {
            code,
            iss: q.iss.as_deref(),
        },
        (None, _) => return Err(missing("code")),
    };
    let now = now_unix();
    let finished = state
        .oidc
        .finish(&state.store, login_state, answer, now)
        .await
        .map_err(refused)?;
    let provider = state
        .oidc
        .providers()
        .iter()
        .find(|p| p.id == finished.identity.provider);
    let (token, _person) = signin::identity_verified(
        &state.store,
        &finished.identity,
        provider,
        finished.end_session_url.as_deref(),
        now,
    )
    .await?;
    let mut response = see_other(&finished.return_to);
    response.headers_mut().insert(
        SET_COOKIE,
        person_cookie(&token, SESSION_SECONDS, state.secure_cookies),
    );
    Ok(response)
}

fn see_other(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(LOCATION, location), (CACHE_CONTROL, "no-store")],
    )
        .into_response()
}

fn missing(field: &str) -> ApiError {
    ApiError::invalid(vec![crate::domain::invalid(
        field,
        "this field is required.",
        "این فیلد لازم است.",
    )])
}

/// A failed sign-in as the API words it; the details go to the log (never a claim's value).
fn refused(e: SigninError) -> ApiError {
    let e = match e {
        SigninError::Store(e) => return e.into(),
        SigninError::Oidc(e) => e,
    };
    let (status, code) = match &e {
        OidcError::UnknownProvider => (StatusCode::NOT_FOUND, "NOT_FOUND"),
        OidcError::ReturnTo(e) => return ApiError::invalid(vec![e.clone()]),
        OidcError::State(_) => (StatusCode::BAD_REQUEST, "BAD_STATE"),
        OidcError::Denied(_) => (StatusCode::BAD_REQUEST, "SIGNIN_CANCELLED"),
        OidcError::Claim { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "CLAIM_INVALID"),
        OidcError::Provider(detail) => {
            tracing::warn!(detail, "OpenID provider failed");
            (StatusCode::BAD_GATEWAY, "PROVIDER_ERROR")
        }
        OidcError::IdToken(detail) => {
            tracing::warn!(detail, "ID token refused");
            (StatusCode::BAD_GATEWAY, "ID_TOKEN_INVALID")
        }
    };
    let (field, en, fa) = e.describe();
    ApiError::new(status, code, en, fa).with_field(field)
}
