//! The API's one error type: every 4xx and 5xx answer under `/api` is
//! `{"error":{"code","field","message","message_fa","message_en"}}` (with `"errors":[…]` listing
//! every problem when a request has several), written as `api::ErrorBody`. Faults of the server
//! show only a generic message; the detail goes to the log.

use api::error::{ErrorBody, ErrorDetail, FieldError};
use axum::extract::Request;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rules::InputError;
use serde_json::Value;

/// An answer other than success (boxed: it travels in every `Result` of the handlers).
#[derive(Debug)]
pub struct ApiError(Box<Failure>);

/// What an [`ApiError`] says: its status, its body (`api::ErrorBody`, read through this as
/// `e.code`, `e.field`, `e.errors`, …) and when to try again.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub body: ErrorBody,
    /// Seconds to wait before trying again (429, 409).
    pub retry_after: Option<u64>,
}

impl std::ops::Deref for Failure {
    type Target = ErrorDetail;
    fn deref(&self) -> &ErrorDetail {
        &self.body.error
    }
}

impl std::ops::DerefMut for Failure {
    fn deref_mut(&mut self) -> &mut ErrorDetail {
        &mut self.body.error
    }
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &str,
        message_en: impl Into<String>,
        message_fa: impl Into<String>,
    ) -> ApiError {
        ApiError::with_body(
            status,
            ErrorBody::new(code, None, message_en, message_fa, Vec::new()),
        )
    }

    fn with_body(status: StatusCode, body: ErrorBody) -> ApiError {
        ApiError(Box::new(Failure {
            status,
            body,
            retry_after: None,
        }))
    }

    pub fn with_field(mut self, field: &str) -> ApiError {
        self.field = Some(field.to_owned());
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }

    /// 422 `INVALID_INPUT` naming every bad field (the first one at the top).
    pub fn invalid(errors: Vec<InputError>) -> ApiError {
        let first = errors.first().cloned().unwrap_or_else(|| {
            InputError::new(None, "the input is not valid.", "ورودی معتبر نیست.")
        });
        let errors = if errors.len() > 1 {
            errors.into_iter().map(FieldError::from).collect()
        } else {
            Vec::new()
        };
        ApiError::with_body(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorBody::new(
                "INVALID_INPUT",
                first.field,
                first.message_en,
                first.message_fa,
                errors,
            ),
        )
    }

    /// A body that is not JSON at all.
    pub fn not_json(detail: impl std::fmt::Display) -> ApiError {
        ApiError::invalid(vec![crate::domain::not_json(detail)])
    }

    /// A fault of the server: logged here, answered with a generic 500.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %detail, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "something went wrong on the server; please try again.",
            "خطایی در سرور رخ داد؛ لطفاً دوباره تلاش کنید.",
        )
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("{what} not found."),
            "پیدا نشد.",
        )
    }

    /// The generic error for a bare status another layer produced (405 from the router, …).
    pub fn for_status(status: StatusCode) -> ApiError {
        let (code, en, fa) = match status.as_u16() {
            400 => (
                "BAD_REQUEST",
                "the request is malformed.",
                "درخواست نادرست است.",
            ),
            404 => ("NOT_FOUND", "no such endpoint.", "چنین نشانی‌ای وجود ندارد."),
            405 => (
                "METHOD_NOT_ALLOWED",
                "this method is not allowed here.",
                "این روش درخواست اینجا پذیرفته نیست.",
            ),
            408 => (
                "REQUEST_TIMEOUT",
                "the request took too long; please try again.",
                "درخواست بیش از حد طول کشید؛ دوباره تلاش کنید.",
            ),
            413 => (
                "PAYLOAD_TOO_LARGE",
                "the request body is too large.",
                "حجم درخواست بیش از حد مجاز است.",
            ),
            415 => (
                "UNSUPPORTED_MEDIA_TYPE",
                "send the body as application/json.",
                "بدنه درخواست باید application/json باشد.",
            ),
            s if s >= 500 => (
                "INTERNAL",
                "something went wrong on the server; please try again.",
                "خطایی در سرور رخ داد؛ لطفاً دوباره تلاش کنید.",
            ),
            _ => (
                "BAD_REQUEST",
                "the request was refused.",
                "درخواست پذیرفته نشد.",
            ),
        };
        ApiError::new(status, code, en, fa)
    }

    /// The body as JSON (`{"error": {…}}`).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(&self.body).expect("an error body serialises")
    }
}

impl std::ops::Deref for ApiError {
    type Target = Failure;
    fn deref(&self) -> &Failure {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut Failure {
        &mut self.0
    }
}

impl From<InputError> for ApiError {
    fn from(e: InputError) -> ApiError {
        ApiError::invalid(vec![e])
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> ApiError {
        ApiError::internal(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(&self.body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Under `/api`, an error answer that is not already our JSON (a 405 from the router, a 413 from
/// a body limit, a 408 from the timeout, …) is replaced by the generic [`ApiError`] for its
/// status; its other headers (`Allow`, `Retry-After`) are kept.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !api || !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let replacement = ApiError::for_status(status).into_response();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let (new_parts, body) = replacement.into_parts();
    parts.headers.extend(new_parts.headers);
    Response::from_parts(parts, body)
}
