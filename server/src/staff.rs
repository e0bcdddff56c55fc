//! The staff API (docs/staff-api.md): cartables, a request's detail and audit trail, moves
//! (one transaction each, `rules::workflow::apply` the only authority), the police office's
//! exemption A2 filing, attachments, and the admin's notification log and chain verification.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use rules::contract::{decode_raw, InputError};
use rules::requests::ClearanceOffice;
use rules::tracking::TrackingCode;
use rules::workflow::{
    action_label, audit_action_label, needs, role_label, state_label, Action, ActionData, Context,
    Process, Role, WorkflowError,
};
use rules::JalaliDate;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::{Admin, Staff};
use crate::clock::{now_unix, stamp};
use crate::error::ApiError;
use crate::requests::{read_body, require_json, AppState, MAX_JSON_BYTES};
use crate::store::Decision;
use crate::workflow::{self, Actor, Stored};

/// The staff and admin routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/staff/cartable", get(cartable))
        .route("/api/v1/staff/requests", post(file_a2))
        .route("/api/v1/staff/requests/{code}", get(detail))
        .route("/api/v1/staff/requests/{code}/actions", post(act))
        .route(
            "/api/v1/staff/requests/{code}/attachments/{field}",
            get(attachment),
        )
        .route("/api/v1/admin/notifications", get(notifications))
        .route("/api/v1/admin/audit/verify", get(verify_audit))
}

/// A JSON body of a declared JSON request, decoded with field-naming errors.
pub async fn json_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
) -> Result<T, ApiError> {
    require_json(headers)?;
    let bytes = read_body(body, MAX_JSON_BYTES).await?;
    let value: Value = serde_json::from_slice(&bytes).map_err(ApiError::not_json)?;
    Ok(decode_raw::<T>(value)?)
}

/// A JSON answer that no cache keeps.
pub fn private_json(status: StatusCode, value: &Value) -> Response {
    (
        status,
        [
            (CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        value.to_string(),
    )
        .into_response()
}

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

/// The guards' context for a request as of `now`.
pub fn context<'a>(
    request: &Stored,
    revocations: u32,
    offices: &'a [ClearanceOffice],
    now: i64,
) -> Context<'a> {
    Context {
        today: JalaliDate::today_in_tehran(now),
        submitted: request.submitted,
        revocations_used: revocations,
        evening_course: request.evening_course,
        offices,
    }
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

/// A stored tracking code (12 digits) as people read it: `1234-5678-9012`.
pub fn grouped(digits: &str) -> String {
    TrackingCode::parse(digits).map_or_else(|_| digits.to_owned(), |c| c.grouped())
}

fn state_json(request: &Stored, offices: &[ClearanceOffice]) -> Value {
    let label = state_label(&request.state, offices);
    json!({"state": request.state.id(), "state_fa": label.fa, "state_en": label.en})
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
struct CartableQuery {
    process: Option<String>,
    state: Option<String>,
    q: Option<String>,
}

/// `GET /api/v1/staff/cartable`.
async fn cartable(
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
        &json!({"counts": counts, "total": total, "requests": requests}),
    ))
}

/// `GET /api/v1/staff/requests/{code}`.
async fn detail(
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

fn required<T>(value: Option<T>, field: &'static str) -> Result<T, ApiError> {
    value.ok_or_else(|| {
        ApiError::invalid(vec![InputError::new(
            Some(field),
            format!("{field}: this field is required."),
            format!("{field}: این فیلد لازم است."),
        )])
    })
}

/// The action named in a move's body.
pub fn parse_action(text: Option<String>) -> Result<Action, ApiError> {
    let text = required(text, "action")?;
    Action::parse(&text).ok_or_else(|| {
        ApiError::invalid(vec![InputError::new(
            Some("action"),
            format!("action: `{text}` is not an action."),
            "action: چنین اقدامی نیست.",
        )])
    })
}

/// `POST /api/v1/staff/requests/{code}/actions`.
async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let digits = code_digits(&code)?;
    let raw: RawMove = json_body(&headers, body).await?;
    let action = parse_action(raw.action)?;
    let version = required(raw.version, "version")?;
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
async fn attachment(
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
async fn file_a2(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    if staff.role != Role::PoliceOffice {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN_ACTION",
            "only a police e-services office files an exemption for a student.",
            "فقط دفاتر خدمات الکترونیک انتظامی درخواست را برای متقاضی ثبت می‌کنند.",
        ));
    }
    let raw: RawA2 = json_body(&headers, body).await?;
    let mut answers = match raw.answers {
        Some(v @ Value::Object(_)) => v,
        _ => return Err(required::<()>(None, "answers").unwrap_err()),
    };
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
    let checked = crate::requests::check_submission(
        submission.to_string().as_bytes(),
        JalaliDate::today_in_tehran(now),
    )?;
    let actor = Actor {
        name: staff.username.clone(),
        role: staff.role.clone(),
    };
    let key = crate::requests::random_uuid();
    let new =
        checked.into_new_request_as(key, String::new(), now, &[], Process::ExemptionA2, &actor);
    let code = match state.store.submit(new).await? {
        crate::store::Submitted::Created(receipt) => {
            let v: Value = serde_json::from_str(&receipt).map_err(ApiError::internal)?;
            v["tracking_code"].as_str().unwrap_or_default().to_owned()
        }
        crate::store::Submitted::Existing(_) => return Err(ApiError::internal("key reused")),
    };
    let (request, offices) = visible_request(&state, &staff, &code).await?;
    let v = detail_json(&state, &request, &offices, &staff.role).await?;
    Ok(private_json(StatusCode::CREATED, &v))
}

/// `GET /api/v1/admin/notifications`.
async fn notifications(State(state): State<AppState>, _admin: Admin) -> Result<Response, ApiError> {
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
    Ok(private_json(
        StatusCode::OK,
        &json!({"notifications": rows}),
    ))
}

/// `GET /api/v1/admin/audit/verify`.
async fn verify_audit(State(state): State<AppState>, _admin: Admin) -> Result<Response, ApiError> {
    let (requests, rows, broken) = state.store.verify_audit().await?;
    let broken: Vec<Value> = broken
        .into_iter()
        .map(|(code, row, why)| json!({"tracking_code": grouped(&code), "audit_id": row, "reason": why}))
        .collect();
    Ok(private_json(
        StatusCode::OK,
        &json!({"ok": broken.is_empty(), "requests": requests, "rows": rows, "broken": broken}),
    ))
}
