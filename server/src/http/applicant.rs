//! Who the applicant is: a tracking code with its national ID (one "not found" for both
//! mistakes), and the `Applicant` extractor (`Authorization: Bearer <token>` of a session on one
//! request, opened by a one-time code or by the signed-in person from "my requests") with the
//! request it opens.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::StatusCode;
use rules::tracking::TrackingCode;
use rules::NationalId;

use crate::domain::accounts::token_hash;
use crate::domain::clock::now_unix;
use crate::domain::required;
use crate::domain::submission::national_id;
use crate::domain::workflow::Stored;
use crate::http::error::ApiError;
use crate::http::state::AppState;

/// A tracking code and a national ID as a person types them, both checked, naming each bad one.
pub fn whose(
    tracking_code: Option<&str>,
    national_id_text: Option<&str>,
) -> Result<(TrackingCode, NationalId), ApiError> {
    let code = required("tracking_code", tracking_code).and_then(TrackingCode::parse);
    match (code, national_id(national_id_text)) {
        (Ok(code), Ok(id)) => Ok((code, id)),
        (code, id) => Err(ApiError::invalid(
            [code.err(), id.err()].into_iter().flatten().collect(),
        )),
    }
}

/// The one answer for an unknown tracking code and for someone else's national ID.
pub fn not_theirs() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "no request has this tracking code and national ID.",
        "درخواستی با این کد رهگیری و کد ملی پیدا نشد.",
    )
}

/// How long an applicant session lasts, in seconds (opened by a one-time code, or from "my
/// requests").
pub const SESSION_SECONDS: i64 = 1800;

/// The applicant of one request, from `Authorization: Bearer <token>`.
pub struct Applicant {
    pub code_digits: String,
}

pub fn session_required() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "APPLICANT_SESSION_REQUIRED",
        "ask for a one-time code again: the session is missing or has ended.",
        "دوباره کد یکبار مصرف بگیرید: نشست شما نیست یا پایان یافته است.",
    )
}

impl FromRequestParts<AppState> for Applicant {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Applicant, ApiError> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(session_required)?;
        let code = state
            .store
            .applicant_session(&token_hash(token.trim()), now_unix())
            .await?
            .ok_or_else(session_required)?;
        Ok(Applicant { code_digits: code })
    }
}

/// The applicant's request, or 401 if it went away.
pub async fn applicant_request(state: &AppState, who: &Applicant) -> Result<Stored, ApiError> {
    state
        .store
        .stored_request(&who.code_digits)
        .await?
        .ok_or_else(session_required)
}
