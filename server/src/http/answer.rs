//! Pieces of JSON answers that several resources share: a private (never cached) JSON answer,
//! a tracking code as people read it, a withdrawal's deadlines, an account, and a request's
//! audit rows (the staff detail shows them, the applicant's view makes its timeline of them),
//! and a request's refunds (both list them; only the staff see a failed one's attempts).

use api::applicant::PaymentRefund;
use api::common::Deadlines;
use api::labelled::Labelled;
use api::staff::{AuditRow, StaffUser};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rules::requests::ClearanceOffice;
use rules::tracking::TrackingCode;
use rules::workflow::{audit_action_label, role_label, Process, Role};
use serde::Serialize;
use serde_json::Value;

use crate::domain::clock::stamp;
use crate::domain::universities::{Scope, University, UniversityId};
use crate::domain::workflow::{context, Stored};
use crate::http::error::ApiError;
use crate::store::Store;

/// A JSON answer that no cache keeps.
pub fn private_json(status: StatusCode, body: &impl Serialize) -> Response {
    match serde_json::to_string(body) {
        Ok(text) => private_text(status, text),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// An answer already written as JSON (a stored receipt) that no cache keeps.
pub fn private_text(status: StatusCode, json: String) -> Response {
    (
        status,
        [
            (CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        json,
    )
        .into_response()
}

/// A stored tracking code (12 digits) as people read it: `1234-5678-9012`.
pub fn grouped(digits: &str) -> String {
    TrackingCode::parse(digits).map_or_else(|_| digits.to_owned(), |c| c.grouped())
}

/// The withdrawal's deadlines (`rules.md` §5), else none.
pub fn deadlines(
    request: &Stored,
    revocations: u32,
    offices: &[ClearanceOffice],
    now: i64,
) -> Option<Deadlines> {
    if request.process != Process::Withdrawal {
        return None;
    }
    let r = context(request, revocations, offices, now).revocation();
    Some(Deadlines {
        revocation_deadline: r.revocation_deadline.to_machine(),
        final_ruling_from: r.final_ruling_from.to_machine(),
        can_revoke: r.can_revoke,
    })
}

/// An account as the API shows it: `{id, username, display_name, role, role_fa, role_en,
/// scope, scope_kind, scope_university, scope_faculty, scope_county}`.
pub fn staff_user(
    id: i64,
    username: &str,
    display_name: &str,
    role: &Role,
    scope: &Scope,
    offices: &[ClearanceOffice],
    universities: &[University],
) -> StaffUser {
    let code = |u: UniversityId| {
        universities
            .iter()
            .find(|x| x.id == u)
            .map(|x| x.code.clone())
    };
    let (kind, university, faculty, county) = scope.columns();
    StaffUser {
        id,
        username: username.to_owned(),
        display_name: display_name.to_owned(),
        role: Labelled::role(role, offices),
        scope: scope.label(universities),
        scope_kind: kind.to_owned(),
        scope_university: university.and_then(|u| code(UniversityId(u))),
        scope_faculty: faculty.map(str::to_owned),
        scope_county: county.map(str::to_owned),
    }
}

/// A request's chained audit rows, oldest first, each action and role with its labels (the
/// role's from the office list only the server may read: an office's clerk is named after the
/// office; null for a role the server no longer knows).
pub async fn audit_rows(
    store: &Store,
    request_id: i64,
    offices: &[ClearanceOffice],
) -> Result<Vec<AuditRow>, ApiError> {
    Ok(store
        .audit_rows(request_id)
        .await?
        .into_iter()
        .map(|row| {
            let e = row.entry;
            let role = Role::parse(&e.actor_role).map(|r| role_label(&r, offices));
            let (role_fa, role_en) = role.map_or((None, None), |l| (Some(l.fa), Some(l.en)));
            AuditRow {
                id: row.id,
                at: stamp(e.at),
                from: e.from,
                to: Some(e.to),
                action: Labelled::from_label(e.action.clone(), audit_action_label(&e.action)),
                actor: Some(e.actor),
                actor_role: Labelled::new(e.actor_role, role_fa, role_en),
                note: e.note,
                data: e.data.and_then(|d| serde_json::from_str::<Value>(&d).ok()),
                // Never empty here: `http::state` chains the rows older than the chain before
                // the server answers, and every row since is written with its hash.
                row_hash: row.row_hash.unwrap_or_default(),
            }
        })
        .collect())
}

/// The request's refunds, oldest first (docs/payments.md, "Refunds"); `for_staff` adds a
/// failed one's attempts and the gateway's error code.
pub async fn refunds(
    store: &Store,
    request_id: i64,
    for_staff: bool,
) -> Result<Vec<PaymentRefund>, ApiError> {
    Ok(store
        .refunds_of(request_id)
        .await?
        .into_iter()
        .map(|r| {
            let failed = for_staff && r.refund == "failed";
            PaymentRefund {
                amount_rials: r.amount_rials,
                attempts: failed.then_some(r.attempts),
                error: r.error.filter(|_| failed),
                status: r.refund,
                refunded_at: r.refunded_at,
            }
        })
        .collect())
}
