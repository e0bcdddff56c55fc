//! `GET /api/v1/openapi.json`: the API's description, served from this one place.

use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

/// The API's description (OpenAPI 3.1, written by hand; `tests/openapi.rs` checks it against the
/// routes).
pub const OPENAPI: &str = include_str!("../openapi.json");

/// `GET /api/v1/openapi.json`.
pub async fn document() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], OPENAPI)
}
