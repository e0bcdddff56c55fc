//! Reading a request's body: 415 unless declared JSON, 413 beyond a limit, and the one JSON body
//! reader (`json_body`), which names the bad field (filing a request reads the bytes itself, to
//! hash them; an upload streams them).

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use rules::contract::decode_raw;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::http::error::ApiError;

/// Largest JSON body a request may have.
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// 415 unless the body is declared JSON.
pub fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if json {
        Ok(())
    } else {
        Err(ApiError::for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE))
    }
}

/// The whole body, at most `limit` bytes (413 beyond).
pub async fn read_body(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(s) = source {
            if s.is::<http_body_util::LengthLimitError>() {
                return ApiError::for_status(StatusCode::PAYLOAD_TOO_LARGE);
            }
            source = s.source();
        }
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "the request body could not be read.",
            "بدنه درخواست خوانده نشد.",
        )
    })
}

/// A JSON body of `T`: 415 unless declared JSON, 413 beyond [`MAX_JSON_BYTES`], 422 unless it
/// is a JSON object that decodes (a wrong type or an unknown field named by its path).
pub async fn json_body<T: DeserializeOwned>(request: Request) -> Result<T, ApiError> {
    require_json(request.headers())?;
    let bytes = read_body(request.into_body(), MAX_JSON_BYTES).await?;
    let value: Value = serde_json::from_slice(&bytes).map_err(ApiError::not_json)?;
    Ok(decode_raw::<T>(value)?)
}
