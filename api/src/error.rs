//! The one error body of the API: `{"error":{"code","field","message","message_fa","message_en"}}`,
//! with `"errors":[…]` naming every problem when a request had several.

use serde::{Deserialize, Serialize};

/// Every 4xx and 5xx answer under `/api`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Error))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// A stable machine code: `INVALID_INPUT`, `NOT_FOUND`, `RATE_LIMITED`, ….
    #[cfg_attr(
        feature = "openapi",
        schema(examples(
            "INVALID_INPUT",
            "IDEMPOTENCY_KEY_MISSING",
            "IDEMPOTENCY_KEY_INVALID",
            "IDEMPOTENCY_KEY_REUSED",
            "IDEMPOTENCY_KEY_IN_PROGRESS",
            "NOT_FOUND",
            "RATE_LIMITED",
            "FILE_TOO_LARGE",
            "UNSUPPORTED_FILE_TYPE",
            "NOT_SIGNED_IN",
            "CSRF_FAILED",
            "FORBIDDEN",
            "FORBIDDEN_ACTION",
            "LOGIN_FAILED",
            "SECOND_FACTOR_REQUIRED",
            "SECOND_FACTOR_ENROLLED",
            "NOT_ENROLLING",
            "SECOND_STEP_EXPIRED",
            "USERNAME_TAKEN",
            "OFFICE_IN_USE",
            "STALE_VERSION",
            "GUARD",
            "NO_MOBILE",
            "CODE_INVALID",
            "CODE_EXPIRED",
            "APPLICANT_SESSION_REQUIRED",
            "SIGN_IN_REQUIRED",
            "NOTHING_TO_PAY",
            "PAYLOAD_TOO_LARGE",
            "UNSUPPORTED_MEDIA_TYPE",
            "METHOD_NOT_ALLOWED",
            "REQUEST_TIMEOUT",
            "BAD_REQUEST",
            "INTERNAL"
        ))
    )]
    pub code: String,
    /// The bad field as a dotted path (`answers.national_id`), a header name, or null.
    pub field: Option<String>,
    /// The English message (the same as `message_en`).
    pub message: String,
    pub message_fa: String,
    pub message_en: String,
    /// Every problem, when there were several (the first is also above).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One problem of a request with several.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: Option<String>,
    pub message_fa: String,
    pub message_en: String,
}

impl From<rules::InputError> for FieldError {
    fn from(e: rules::InputError) -> FieldError {
        FieldError {
            field: e.field,
            message_fa: e.message_fa,
            message_en: e.message_en,
        }
    }
}

impl ErrorBody {
    /// An error body; `message` repeats `message_en`.
    pub fn new(
        code: impl Into<String>,
        field: Option<String>,
        message_en: impl Into<String>,
        message_fa: impl Into<String>,
        errors: Vec<FieldError>,
    ) -> ErrorBody {
        let message_en = message_en.into();
        ErrorBody {
            error: ErrorDetail {
                code: code.into(),
                field,
                message: message_en.clone(),
                message_fa: message_fa.into(),
                message_en,
                errors,
            },
        }
    }
}
