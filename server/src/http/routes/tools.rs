//! The rules API (`rules.md` §8): `POST /api/v1/<rule>` answers the same JSON as the CLI, and
//! `GET /api/v1/health`.

use api::common::Health;
use axum::body::Bytes;
use axum::extract::Path as UrlPath;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rules::Tool;
use serde_json::Value;

use crate::domain::not_json;
use crate::http::error::ApiError;

/// `GET /api/v1/health`.
pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
    })
}

/// `POST /api/v1/<rule>`: the same JSON as the CLI; 200 with the answer, 422 with the
/// contract's error naming the field, 404 for a rule that does not exist.
pub async fn answer_rule(UrlPath(rule): UrlPath<String>, body: Bytes) -> Response {
    let Some(tool) = Tool::from_name(&rule) else {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("no rule named {rule:?}"),
            "چنین قاعده‌ای وجود ندارد.",
        )
        .into_response();
    };
    let answer = serde_json::from_slice::<Value>(&body)
        .map_err(not_json)
        .and_then(|value| tool.answer(value));
    match answer {
        Ok(v) => (StatusCode::OK, Json(v)).into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}
