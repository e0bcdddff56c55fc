//! Pieces of JSON answers that several resources share: a private (never cached) JSON answer,
//! a tracking code as people read it, a withdrawal's deadlines and an account.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rules::requests::ClearanceOffice;
use rules::tracking::TrackingCode;
use rules::workflow::{role_label, Process, Role};
use serde_json::{json, Value};

use crate::domain::workflow::{context, Stored};

/// A JSON answer that no cache keeps.
pub fn private_json(status: StatusCode, body: impl std::fmt::Display) -> Response {
    (
        status,
        [
            (CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body.to_string(),
    )
        .into_response()
}

/// A stored tracking code (12 digits) as people read it: `1234-5678-9012`.
pub fn grouped(digits: &str) -> String {
    TrackingCode::parse(digits).map_or_else(|_| digits.to_owned(), |c| c.grouped())
}

/// The withdrawal's deadlines (`rules.md` §5), else null.
pub fn deadlines(
    request: &Stored,
    revocations: u32,
    offices: &[ClearanceOffice],
    now: i64,
) -> Value {
    if request.process != Process::Withdrawal {
        return Value::Null;
    }
    let r = context(request, revocations, offices, now).revocation();
    json!({"revocation_deadline": r.revocation_deadline.to_machine(),
           "final_ruling_from": r.final_ruling_from.to_machine(),
           "can_revoke": r.can_revoke})
}

/// An account as the API shows it: `{id, username, display_name, role, role_fa, role_en,
/// scope}`.
pub fn user_json(
    id: i64,
    username: &str,
    display_name: &str,
    role: &Role,
    scope: &str,
    offices: &[ClearanceOffice],
) -> Value {
    let label = role_label(role, offices);
    json!({
        "id": id,
        "username": username,
        "display_name": display_name,
        "role": role.id(),
        "role_fa": label.fa,
        "role_en": label.en,
        "scope": scope,
    })
}
