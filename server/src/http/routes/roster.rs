//! The roster import (`POST /api/v1/admin/roster`, docs/signin.md) of the national admin or of a
//! university's admin (into that university's roster): a UTF-8 CSV body
//! (`text/csv`, at most 5 MiB) upserted by national ID in one transaction — the counts, or 422
//! with every bad row by line and field and nothing imported. `pishkhan roster import` does the
//! same from the command line.

use api::error::{ErrorBody, FieldError};
use api::signin::UniversityQuery;
use api::signin::{RosterImported, RosterRejected, RosterRowError};
use axum::extract::{Query, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::Response;
use rules::InputError;

use crate::domain::roster::{ImportInto, RowError, MAX_ROSTER_BYTES};
use crate::domain::universities::by_code;
use crate::http::answer::private_json;
use crate::http::auth::Administrator;
use crate::http::error::ApiError;
use crate::http::extract::read_body;
use crate::http::state::AppState;
use crate::services::roster::import;

/// 415 unless the body is declared `text/csv`.
fn require_csv(request: &Request) -> Result<(), ApiError> {
    let csv = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("text/csv"));
    if csv {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "send the roster as text/csv (UTF-8).",
            "فهرست را با نوع text/csv (UTF-8) بفرستید.",
        ))
    }
}

/// 422: the first bad row as the error, every bad row in `errors` and by line in `rows`.
fn rejected(rows: Vec<RowError>) -> Response {
    let first = rows[0].clone();
    let errors = rows
        .iter()
        .map(|r| FieldError {
            field: Some(r.field.clone()),
            message_fa: r.message_fa.clone(),
            message_en: r.message_en.clone(),
        })
        .collect();
    let body = ErrorBody::new(
        "INVALID_INPUT",
        Some(first.field),
        first.message_en,
        first.message_fa,
        errors,
    );
    private_json(
        StatusCode::UNPROCESSABLE_ENTITY,
        &RosterRejected {
            error: body.error,
            rows: rows
                .into_iter()
                .map(|r| RosterRowError {
                    line: r.line,
                    field: r.field,
                    message_fa: r.message_fa,
                    message_en: r.message_en,
                })
                .collect(),
        },
    )
}

/// 422 for the query's `university`, in the shape of a refused roster (no rows).
fn query_refused(e: InputError) -> Response {
    let field = e.field.clone();
    let body = ErrorBody::new(
        "INVALID_INPUT",
        field,
        e.message_en.clone(),
        e.message_fa.clone(),
        vec![FieldError {
            field: e.field,
            message_fa: e.message_fa,
            message_en: e.message_en,
        }],
    );
    private_json(
        StatusCode::UNPROCESSABLE_ENTITY,
        &RosterRejected {
            error: body.error,
            rows: Vec::new(),
        },
    )
}

/// `POST /api/v1/admin/roster[?university=CODE]`: a university's admin's into their university's
/// roster (the query, if given, must name it); the national admin's into the university the
/// query names, else each row's (`ImportInto`).
pub async fn import_roster(
    admin: Administrator,
    State(state): State<AppState>,
    Query(q): Query<UniversityQuery>,
    request: Request,
) -> Result<Response, ApiError> {
    let named = match q.university.as_deref() {
        Some(code) => match by_code(&state.store.universities().await?, code) {
            Ok(u) => Some(u.id),
            Err(e) => return Ok(query_refused(e)),
        },
        None => None,
    };
    let into = match (admin.university, named) {
        (Some(own), Some(other)) if own != other => {
            return Ok(query_refused(crate::domain::invalid(
                "university",
                "you import your own university's roster only.",
                "تنها فهرست دانشگاه خود را می‌توانید وارد کنید.",
            )))
        }
        (Some(own), _) => ImportInto::OwnUniversity(own),
        (None, Some(u)) => ImportInto::University(u),
        (None, None) => ImportInto::ByColumn,
    };
    require_csv(&request)?;
    let bytes = read_body(request.into_body(), MAX_ROSTER_BYTES).await?;
    Ok(match import(&state.store, &bytes, into).await? {
        Ok(counts) => {
            tracing::info!(
                counts.added,
                counts.updated,
                counts.unchanged,
                "roster imported"
            );
            private_json(
                StatusCode::OK,
                &RosterImported {
                    added: counts.added,
                    updated: counts.updated,
                    unchanged: counts.unchanged,
                },
            )
        }
        Err(rows) => rejected(rows),
    })
}
