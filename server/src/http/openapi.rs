//! `GET /api/v1/openapi.json`: the API's description, served from this one place.

use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

/// The API's description (OpenAPI 3.1, written by hand; `tests/openapi.rs` checks it against the
/// routes).
pub const OPENAPI: &str = include_str!("../openapi.json");

/// The document served: the hand-written [`OPENAPI`], or with the feature `generated-openapi` the
/// one `api::openapi` generates from the API's types.
fn text() -> &'static str {
    #[cfg(feature = "generated-openapi")]
    {
        static GENERATED: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(api::openapi::json);
        GENERATED.as_str()
    }
    #[cfg(not(feature = "generated-openapi"))]
    OPENAPI
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], text())
}
