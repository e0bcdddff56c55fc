//! The staff API (docs/staff-api.md): cartables, a request's detail and audit trail, moves
//! (one transaction each, `rules::workflow::apply` the only authority), the police office's
//! exemption A2 filing, attachments, and the admin's notification log and chain verification.

use axum::extract::{Path, Query, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rules::contract::InputError;
use rules::requests::ClearanceOffice;
use rules::tracking::TrackingCode;
use rules::workflow::{
    action_label, audit_action_label, needs, role_label, state_label, Action, ActionData, Process,
    Role,
};
use rules::JalaliDate;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::domain::accounts::Staff;
use crate::domain::clock::{now_unix, stamp};
use crate::domain::required;
use crate::domain::submission::{check_submission, random_uuid};
use crate::domain::workflow::{self, context, Actor, Stored};
use crate::http::answer::{deadlines, grouped, private_json};
use crate::http::auth::Admin;
use crate::http::error::ApiError;
use crate::http::extract::json_body;
use crate::http::moves::{parse_action, refused, stale};
use crate::http::state::AppState;
use crate::store::workflow::Decision;
use crate::store::Submitted;

pub fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "no such request (or not one of yours).",
        "چنین درخواستی نیست (یا در حوزه کاری شما نیست).",
    )
}

/// The 12 digits of a tracking code in a URL; anything else is "not found".
pub fn code_digits(text: &str) -> Result<String, ApiError> {
    TrackingCode::parse(text)
        .map(|c| c.digits().to_owned())
        .map_err(|_| not_found())
}

fn visible_to(staff: &Staff, request: &Stored, offices: &[ClearanceOffice]) -> bool {
    workflow::visible(&staff.role, &staff.scope, request, offices)
}

async fn visible_request(
    state: &AppState,
    staff: &Staff,
    code: &str,
) -> Result<(Stored, Vec<ClearanceOffice>), ApiError> {
    let digits = code_digits(code)?;
    let offices = state.store.offices().await?;
    match state.store.stored_request(&digits).await? {
        Some(r) if visible_to(staff, &r, &offices) => Ok((r, offices)),
        _ => Err(not_found()),
    }
}

fn state_json(request: &Stored, offices: &[ClearanceOffice]) -> Value {
    let label = state_label(&request.state, offices);
    json!({"state": request.state.id(), "state_fa": label.fa, "state_en": label.en})
}

/// The detail page's JSON, with the actions `role` may take now.
async fn detail_json(
    state: &AppState,
    request: &Stored,
    offices: &[ClearanceOffice],
    role: &Role,
) -> Result<Value, ApiError> {
    let audit: Vec<Value> = state
        .store
        .audit_rows(request.id)
        .await?
        .into_iter()
        .map(|row| {
            let e = row.entry;
            let label = audit_action_label(&e.action);
            // The role's name from the office list only the server may read (an office's
            // clerk is named after the office).
            let role = Role::parse(&e.actor_role).map(|r| role_label(&r, offices));
            let (role_fa, role_en) = role.map_or((None, None), |l| (Some(l.fa), Some(l.en)));
            json!({"id": row.id, "at": stamp(e.at), "from": e.from, "to": e.to,
                   "action": e.action, "action_fa": label.fa, "action_en": label.en,
                   "actor": e.actor, "actor_role": e.actor_role,
                   "actor_role_fa": role_fa, "actor_role_en": role_en, "note": e.note,
                   "data": e.data.and_then(|d| serde_json::from_str::<Value>(&d).ok()),
                   "row_hash": row.row_hash})
        })
        .collect();
    let attachments: Vec<Value> = state
        .store
        .request_attachments(request.id)
        .await?
        .into_iter()
        .map(|(field, file_name, a)| {
            json!({"field": field, "file_name": file_name, "media_type": a.media_type,
                   "size": a.size, "sha256": a.sha256,
                   "url": format!("/api/v1/staff/requests/{}/attachments/{field}",
                                  request.tracking_code)})
        })
        .collect();
    let actions: Vec<Value> = workflow::actions_now(role, request, offices)
        .into_iter()
        .map(|a| {
            let label = action_label(a);
            json!({"action": a.id(), "action_fa": label.fa, "action_en": label.en,
                   "needs": needs(request.process, &request.state, a, offices)})
        })
        .collect();
    let mut v = json!({
        "tracking_code": grouped(&request.tracking_code),
        "kind": request.kind,
        "process": request.process.id(),
        "version": request.version,
        "national_id": request.national_id,
        "mobile": request.mobile,
        "submitted_at": stamp(request.submitted_at),
        "answers": request.body["answers"],
        "precheck": request.body.get("precheck"),
        "attachments": attachments,
        "deadlines": deadlines(
            request,
            state.store.revocations_used(&request.national_id).await?,
            offices,
            now_unix(),
        ),
        "audit": audit,
        "actions": actions,
    });
    merge(&mut v, state_json(request, offices));
    Ok(v)
}

fn merge(into: &mut Value, from: Value) {
    if let (Some(a), Value::Object(b)) = (into.as_object_mut(), from) {
        a.extend(b);
    }
}

#[derive(Deserialize)]
pub struct CartableQuery {
    process: Option<String>,
    state: Option<String>,
    q: Option<String>,
}

/// `GET /api/v1/staff/cartable`.
pub async fn cartable(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<CartableQuery>,
) -> Result<Response, ApiError> {
    let offices = state.store.offices().await?;
    let states: Vec<String> = workflow::cartable_states(&staff.role, &offices)
        .iter()
        .map(|s| s.id())
        .collect();
    let column = workflow::scope_column(&staff.role);
    let scope = column
        .filter(|_| staff.scope != "*")
        .map(|c| (c, staff.scope.as_str()));
    let search: Option<String> = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(|q| {
            let digits = rules::digits::to_ascii_digits(q);
            let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
            digits
        });
    let process = query.process.as_deref().filter(|p| !p.is_empty());
    let only = query.state.as_deref().filter(|s| !s.is_empty());
    let found = state
        .store
        .cartable(&states, scope, process, only, search.as_deref(), 200)
        .await?;
    // A scope of `*` on a scoped role, or a role without a scope, still only sees processes it
    // takes part in (the states already say so).
    let requests: Vec<Value> = found
        .requests
        .iter()
        .filter(|r| visible_to(&staff, r, &offices))
        .map(|r| {
            let mut v = json!({
                "tracking_code": grouped(&r.tracking_code),
                "kind": r.kind,
                "process": r.process.id(),
                "national_id": r.national_id,
                "submitted_jalali": r.submitted.to_machine(),
                "updated_jalali": JalaliDate::today_in_tehran(r.updated_at).to_machine(),
                "version": r.version,
            });
            merge(&mut v, state_json(r, &offices));
            v
        })
        .collect();
    let counts: Vec<Value> = found
        .counts
        .iter()
        .filter_map(|(s, n)| {
            let parsed = rules::workflow::State::parse(s)?;
            let label = state_label(&parsed, &offices);
            Some(json!({"state": s, "state_fa": label.fa, "state_en": label.en, "n": n}))
        })
        .collect();
    let total: i64 = found.counts.iter().map(|(_, n)| n).sum();
    Ok(private_json(
        StatusCode::OK,
        json!({"counts": counts, "total": total, "requests": requests}),
    ))
}

/// `GET /api/v1/staff/requests/{code}`.
pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let (request, offices) = visible_request(&state, &staff, &code).await?;
    let v = detail_json(&state, &request, &offices, &staff.role).await?;
    Ok(private_json(StatusCode::OK, &v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMove {
    action: Option<String>,
    version: Option<i64>,
    #[serde(default)]
    data: Option<ActionData>,
}

/// `POST /api/v1/staff/requests/{code}/actions`.
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let digits = code_digits(&code)?;
    let raw: RawMove = json_body(request).await?;
    let action = parse_action(raw.action)?;
    let version = required("version", raw.version)?;
    let data = raw.data.unwrap_or_default();
    if data.note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        return Err(ApiError::invalid(vec![InputError::new(
            Some("note"),
            "note: at most 2,000 characters.",
            "note: یادداشت حداکثر ۲۰۰۰ نویسه است.",
        )]));
    }
    let actor = Actor {
        name: staff.username.clone(),
        role: staff.role.clone(),
    };
    let now = now_unix();
    let moved = state
        .store
        .move_request(&digits, now, |request, revocations, offices| {
            if !visible_to(&staff, request, offices) {
                return Err(not_found());
            }
            if request.version != version {
                return Err(stale(request.version));
            }
            let ctx = context(request, revocations, offices, now);
            let moves =
                workflow::plan(request, action, &actor, &data, &ctx, now).map_err(refused)?;
            let body = (action == Action::AcceptJustification).then(|| {
                let mut body = request.body.clone();
                body["justification_accepted"] = json!(true);
                body
            });
            Ok(Decision { moves, body })
        })
        .await?
        .ok_or_else(not_found)??;
    state.notify.notify_one();
    let offices = state.store.offices().await?;
    let v = detail_json(&state, &moved, &offices, &staff.role).await?;
    Ok(private_json(StatusCode::OK, &v))
}

/// `GET /api/v1/staff/requests/{code}/attachments/{field}`.
pub async fn attachment(
    State(state): State<AppState>,
    staff: Staff,
    Path((code, field)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (request, _) = visible_request(&state, &staff, &code).await?;
    let found = state
        .store
        .request_attachments(request.id)
        .await?
        .into_iter()
        .find(|(f, _, _)| *f == field)
        .ok_or_else(|| ApiError::not_found("attachment"))?;
    let (_, file_name, stored) = found;
    let bytes = tokio::fs::read(state.store.data_dir().join(&stored.path))
        .await
        .map_err(ApiError::internal)?;
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (CONTENT_TYPE, stored.media_type),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\""),
            ),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawA2 {
    answers: Option<Value>,
}

/// `POST /api/v1/staff/requests`: a police e-services office files an exemption for a student
/// (seed 000 A2 step 2); it starts registered.
pub async fn file_a2(
    State(state): State<AppState>,
    staff: Staff,
    request: Request,
) -> Result<Response, ApiError> {
    if staff.role != Role::PoliceOffice {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN_ACTION",
            "only a police e-services office files an exemption for a student.",
            "فقط دفاتر خدمات الکترونیک انتظامی درخواست را برای متقاضی ثبت می‌کنند.",
        ));
    }
    let raw: RawA2 = json_body(request).await?;
    let mut answers = required("answers", raw.answers.filter(Value::is_object))?;
    // At the office the applicant needs no Sakha code of his own (seed 000 A2).
    answers["has_sakha_code"] = json!(true);
    if staff.scope != "*" && answers["residence_city"].as_str() != Some(staff.scope.as_str()) {
        return Err(ApiError::invalid(vec![InputError::new(
            Some("residence_city"),
            format!(
                "residence_city: your office files requests of {} only.",
                staff.scope
            ),
            format!(
                "residence_city: این دفتر فقط درخواست‌های {} را ثبت می‌کند.",
                staff.scope
            ),
        )]));
    }
    let now = now_unix();
    let submission = json!({"kind": "exemption", "answers": answers});
    let checked = check_submission(
        submission.to_string().as_bytes(),
        JalaliDate::today_in_tehran(now),
    )
    .map_err(ApiError::invalid)?;
    let actor = Actor {
        name: staff.username.clone(),
        role: staff.role.clone(),
    };
    let key = random_uuid();
    let new =
        checked.into_new_request_as(key, String::new(), now, &[], Process::ExemptionA2, &actor);
    let code = match state.store.submit(new).await? {
        Submitted::Created(receipt) => {
            let v: Value = serde_json::from_str(&receipt).map_err(ApiError::internal)?;
            v["tracking_code"].as_str().unwrap_or_default().to_owned()
        }
        Submitted::Existing(_) => return Err(ApiError::internal("key reused")),
    };
    let (request, offices) = visible_request(&state, &staff, &code).await?;
    let v = detail_json(&state, &request, &offices, &staff.role).await?;
    Ok(private_json(StatusCode::CREATED, &v))
}

/// `GET /api/v1/admin/notifications`.
pub async fn notifications(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Response, ApiError> {
    let rows: Vec<Value> = state
        .store
        .notifications(200)
        .await?
        .into_iter()
        .map(|n| {
            // One-time codes are the student's alone: not even the admin reads them.
            let message_fa = if n.kind == "one_time_code" {
                "کد یکبار مصرف (پنهان)".to_owned()
            } else {
                n.message_fa
            };
            json!({"id": n.id, "tracking_code": n.tracking_code.as_deref().map(grouped),
                   "kind": n.kind, "mobile": n.mobile, "message_fa": message_fa,
                   "created_at": stamp(n.created_at), "sent_at": n.sent_at.map(stamp),
                   "attempts": n.attempts, "last_error": n.last_error})
        })
        .collect();
    Ok(private_json(StatusCode::OK, json!({"notifications": rows})))
}

/// `GET /api/v1/admin/audit/verify`.
pub async fn verify_audit(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Response, ApiError> {
    let (requests, rows, broken) = state.store.verify_audit().await?;
    let broken: Vec<Value> = broken
        .into_iter()
        .map(|(code, row, why)| json!({"tracking_code": grouped(&code), "audit_id": row, "reason": why}))
        .collect();
    Ok(private_json(
        StatusCode::OK,
        json!({"ok": broken.is_empty(), "requests": requests, "rows": rows, "broken": broken}),
    ))
}
