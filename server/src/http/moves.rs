//! What the calls that move a request share (a clerk's, the applicant's, the payment
//! callback's): the action named in the body, and a refused move or a stale version as the API
//! words them.

use axum::http::StatusCode;
use rules::workflow::{Action, WorkflowError};
use rules::InputError;

use crate::domain::required;
use crate::http::error::ApiError;

/// A refused move as the API words it: 403 for a move that is not this role's in this state,
/// 422 for missing data (naming the field) or a guard of the law.
pub fn refused(e: WorkflowError) -> ApiError {
    match e {
        WorkflowError::WrongState { .. } | WorkflowError::RoleNotAllowed { .. } => ApiError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN_ACTION",
            format!("not allowed: {e}."),
            "این اقدام در این مرحله از شما پذیرفته نیست.",
        ),
        WorkflowError::MissingData { field } => ApiError::invalid(vec![InputError::new(
            Some(field),
            format!("{field}: this action must record it."),
            format!("{field}: این اقدام باید آن را ثبت کند."),
        )]),
        WorkflowError::Guard {
            rule,
            message_fa,
            message_en,
        } => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "GUARD",
            format!("{message_en} ({rule})"),
            message_fa,
        ),
    }
}

pub fn stale(current: i64) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::CONFLICT,
        "STALE_VERSION",
        format!(
            "the request was moved by someone else (it is now at version {current}); reload it."
        ),
        crate::fa_digits(&format!(
            "این درخواست را کس دیگری جابه‌جا کرده است (نسخه کنونی {current})؛ دوباره بار کنید."
        )),
    );
    e.field = Some("version".into());
    e
}

/// The action named in a move's body.
pub fn parse_action(text: Option<String>) -> Result<Action, ApiError> {
    let text = required("action", text)?;
    Action::parse(&text).ok_or_else(|| {
        ApiError::invalid(vec![InputError::new(
            Some("action"),
            format!("action: `{text}` is not an action."),
            "action: چنین اقدامی نیست.",
        )])
    })
}
