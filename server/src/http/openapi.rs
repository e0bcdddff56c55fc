//! `GET /api/v1/openapi.json`: the API's description, generated from the API's types
//! (`api::openapi`) and served from this one place.

use std::sync::LazyLock;

use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

/// The document (OpenAPI 3.1), generated once: `tests/requests_api.rs` checks it against the
/// routes, `scripts/schemathesis.sh` against the server's answers.
static DOCUMENT: LazyLock<String> = LazyLock::new(api::openapi::json);

/// `GET /api/v1/openapi.json`.
pub async fn document() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], DOCUMENT.as_str())
}
