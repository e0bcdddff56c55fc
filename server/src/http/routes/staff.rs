//! The staff API (docs/staff-api.md): cartables and their search (in a body), a request's detail
//! and audit trail, moves (one transaction each, `rules::workflow::apply` the only authority),
//! the police office's exemption A2 filing, attachments — a request named in URLs by its opaque
//! handle, never its tracking code — and the admin's notification log and chain verification.

use api::labelled::Labelled;
use api::requests::{Receipt, Submission};
use api::staff::{
    ActionOffer, AuditCheck, BrokenRow, Cartable, CartableQuery, CartableRow, CartableSearch,
    Detail, Erasure, FileA2, Move, Notification, Notifications, RequestFile, StateCount,
};
use axum::extract::{Path, Query, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rules::contract::InputError;
use rules::requests::{ClearanceOffice, RequestKind};
use rules::workflow::{needs, state_label, Action, Process, Role};
use rules::JalaliDate;
use serde_json::Value;

use crate::domain::accounts::Staff;
use crate::domain::clock::{now_unix, stamp};
use crate::domain::required;
use crate::domain::submission::{check_submission, random_uuid};
use crate::domain::universities::{Scope, DEFAULT_UNIVERSITY};
use crate::domain::workflow::{self, context, Actor, Stored};
use crate::http::answer::{audit_rows, deadlines, grouped, private_json, refunds};
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

/// The tracking code (its 12 digits) of the request an opaque handle of a URL names; anything
/// else is "not found".
async fn code_of(state: &AppState, handle: &str) -> Result<String, ApiError> {
    let well_formed = handle.len() == 32
        && handle
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if !well_formed {
        return Err(not_found());
    }
    state
        .store
        .code_of_handle(handle)
        .await?
        .ok_or_else(not_found)
}

fn visible_to(staff: &Staff, request: &Stored, offices: &[ClearanceOffice]) -> bool {
    workflow::visible(&staff.role, &staff.scope, request, offices)
}

/// The request of this tracking code (digits), if the clerk may see it.
async fn visible_request(
    state: &AppState,
    staff: &Staff,
    digits: &str,
) -> Result<(Stored, Vec<ClearanceOffice>), ApiError> {
    let Some(request) = state.store.stored_request(digits).await? else {
        return Err(not_found());
    };
    // The request's own offices (a clearance's route as filed, else its university's).
    let offices = state.store.offices_for(&request).await?;
    if visible_to(staff, &request, &offices) {
        Ok((request, offices))
    } else {
        Err(not_found())
    }
}

/// The detail page's answer, with the actions `role` may take now.
async fn detail_answer(
    state: &AppState,
    request: &Stored,
    offices: &[ClearanceOffice],
    role: &Role,
) -> Result<Detail, ApiError> {
    let attachments = state
        .store
        .request_attachments(request.id)
        .await?
        .into_iter()
        .map(|(field, file_name, a)| RequestFile {
            url: format!(
                "/api/v1/staff/requests/{}/attachments/{field}",
                request.handle
            ),
            field,
            file_name,
            media_type: a.media_type,
            size: a.size,
            sha256: a.sha256,
        })
        .collect();
    let actions = workflow::actions_now(role, request, offices)
        .into_iter()
        .map(|a| ActionOffer {
            action: Labelled::action(a),
            needs: needs(request.process, &request.state, a, offices)
                .into_iter()
                .map(str::to_owned)
                .collect(),
        })
        .collect();
    Ok(Detail {
        handle: request.handle.clone(),
        tracking_code: grouped(&request.tracking_code),
        kind: request.kind.clone(),
        process: request.process.id().to_owned(),
        version: request.version,
        national_id: request.national_id.clone(),
        mobile: request.mobile.clone(),
        submitted_at: stamp(request.submitted_at),
        answers: request.body["answers"].clone(),
        precheck: request.body.get("precheck").cloned(),
        attachments,
        deadlines: deadlines(
            request,
            state.store.revocations_used(&request.national_id).await?,
            offices,
            now_unix(),
        ),
        audit: audit_rows(&state.store, request.id, offices).await?,
        actions,
        state: Labelled::state(&request.state, offices),
        erased: state.store.erased_at(request.id).await?.map(|at| Erasure {
            at: stamp(at),
            message_fa: "طبق جدول نگهداری سوابق امحا شد".into(),
            message_en: "Erased under retention".into(),
        }),
        refunds: refunds(&state.store, request.id, true).await?,
    })
}

/// `GET /api/v1/staff/cartable`.
pub async fn cartable(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<CartableQuery>,
) -> Result<Response, ApiError> {
    let search = CartableSearch {
        process: query.process,
        state: query.state,
        q: None,
    };
    cartable_answer(&state, &staff, search).await
}

/// `POST /api/v1/staff/cartable/search`: the search in the body, never in the URL.
pub async fn search(
    State(state): State<AppState>,
    staff: Staff,
    request: Request,
) -> Result<Response, ApiError> {
    let search: CartableSearch = json_body(request).await?;
    if search.q.as_ref().is_some_and(|q| q.chars().count() > 64) {
        return Err(ApiError::invalid(vec![InputError::new(
            Some("q"),
            "q: at most 64 characters.",
            "q: حداکثر ۶۴ نویسه.",
        )]));
    }
    cartable_answer(&state, &staff, search).await
}

/// The clerk's cartable, filtered and searched.
async fn cartable_answer(
    state: &AppState,
    staff: &Staff,
    query: CartableSearch,
) -> Result<Response, ApiError> {
    let offices = state
        .store
        .offices_of(staff.scope.university().unwrap_or(DEFAULT_UNIVERSITY))
        .await?;
    let states: Vec<String> = workflow::cartable_states(&staff.role, &offices)
        .iter()
        .map(|s| s.id())
        .collect();
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
        .cartable(&states, &staff.scope, process, only, search.as_deref(), 200)
        .await?;
    // A scope of `*` on a scoped role, or a role without a scope, still only sees processes it
    // takes part in (the states already say so). A clearance is named from its own route; only
    // one filed before routes were kept (migration 12: all the default university's) falls back
    // to the clerk's university's list.
    let requests = found
        .requests
        .iter()
        .filter(|r| visible_to(staff, r, r.route.as_deref().unwrap_or(&offices)))
        .map(|r| CartableRow {
            handle: r.handle.clone(),
            tracking_code: grouped(&r.tracking_code),
            kind: r.kind.clone(),
            process: r.process.id().to_owned(),
            national_id: r.national_id.clone(),
            submitted_jalali: r.submitted.to_machine(),
            updated_jalali: JalaliDate::today_in_tehran(r.updated_at).to_machine(),
            version: r.version,
            state: Labelled::state(&r.state, r.route.as_deref().unwrap_or(&offices)),
        })
        .collect();
    let counts = found
        .counts
        .iter()
        .filter_map(|(s, n)| {
            let parsed = rules::workflow::State::parse(s)?;
            Some(StateCount {
                state: Labelled::from_label(s.clone(), state_label(&parsed, &offices)),
                n: *n,
            })
        })
        .collect();
    let total: i64 = found.counts.iter().map(|(_, n)| n).sum();
    Ok(private_json(
        StatusCode::OK,
        &Cartable {
            counts,
            total,
            requests,
        },
    ))
}

/// `GET /api/v1/staff/requests/{handle}`.
pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(handle): Path<String>,
) -> Result<Response, ApiError> {
    let digits = code_of(&state, &handle).await?;
    let (request, offices) = visible_request(&state, &staff, &digits).await?;
    let v = detail_answer(&state, &request, &offices, &staff.role).await?;
    Ok(private_json(StatusCode::OK, &v))
}

/// `POST /api/v1/staff/requests/{handle}/actions`.
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(handle): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    let digits = code_of(&state, &handle).await?;
    let raw: Move = json_body(request).await?;
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
                body["justification_accepted"] = Value::Bool(true);
                body
            });
            Ok(Decision {
                moves,
                body,
                ..Decision::default()
            })
        })
        .await?
        .ok_or_else(not_found)??;
    state.notify.notify_one();
    // Named from the request's own route (its university's list for the other processes).
    let offices = state.store.offices_for(&moved).await?;
    let v = detail_answer(&state, &moved, &offices, &staff.role).await?;
    Ok(private_json(StatusCode::OK, &v))
}

/// `GET /api/v1/staff/requests/{handle}/attachments/{field}`.
pub async fn attachment(
    State(state): State<AppState>,
    staff: Staff,
    Path((handle, field)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let digits = code_of(&state, &handle).await?;
    let (request, _) = visible_request(&state, &staff, &digits).await?;
    let found = state
        .store
        .request_attachments(request.id)
        .await?
        .into_iter()
        .find(|(f, _, _)| *f == field)
        .ok_or_else(|| ApiError::not_found("attachment"))?;
    let (_, file_name, stored) = found;
    let bytes = state.store.read_file(&stored).await?;
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
    let raw: FileA2 = json_body(request).await?;
    let mut answers = required("answers", raw.answers.filter(Value::is_object))?;
    // At the office the applicant needs no Sakha code of his own (seed 000 A2).
    answers["has_sakha_code"] = Value::Bool(true);
    if let Scope::County(county) = &staff.scope {
        if answers["residence_city"].as_str() != Some(county.as_str()) {
            return Err(ApiError::invalid(vec![InputError::new(
                Some("residence_city"),
                format!("residence_city: your office files requests of {county} only."),
                format!("residence_city: این دفتر فقط درخواست‌های {county} را ثبت می‌کند."),
            )]));
        }
    }
    let now = now_unix();
    let submission = Submission {
        kind: Some(RequestKind::Exemption),
        answers: Some(answers),
        ..Submission::default()
    };
    let submission = serde_json::to_vec(&submission).map_err(ApiError::internal)?;
    let checked = check_submission(&submission, JalaliDate::today_in_tehran(now))
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
            serde_json::from_str::<Receipt>(&receipt)
                .map_err(ApiError::internal)?
                .tracking_code
        }
        Submitted::Existing(_) => return Err(ApiError::internal("key reused")),
    };
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    let (request, offices) = visible_request(&state, &staff, &digits).await?;
    let v = detail_answer(&state, &request, &offices, &staff.role).await?;
    Ok(private_json(StatusCode::CREATED, &v))
}

/// `GET /api/v1/admin/notifications`.
pub async fn notifications(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Response, ApiError> {
    let notifications = state
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
            Notification {
                id: n.id,
                tracking_code: n.tracking_code.as_deref().map(grouped),
                kind: n.kind,
                mobile: n.mobile,
                message_fa,
                created_at: stamp(n.created_at),
                sent_at: n.sent_at.map(stamp),
                attempts: n.attempts,
                last_error: n.last_error,
                next_attempt_at: n.next_attempt_at.map(stamp),
                gave_up_at: n.gave_up_at.map(stamp),
                delivery: n.delivery,
            }
        })
        .collect();
    Ok(private_json(
        StatusCode::OK,
        &Notifications { notifications },
    ))
}

/// `GET /api/v1/admin/audit/verify`.
pub async fn verify_audit(
    State(state): State<AppState>,
    _admin: Admin,
) -> Result<Response, ApiError> {
    let (requests, rows, broken) = state.store.verify_audit().await?;
    let broken: Vec<BrokenRow> = broken
        .into_iter()
        .map(|(code, row, why)| BrokenRow {
            tracking_code: grouped(&code),
            audit_id: row,
            reason: why,
        })
        .collect();
    Ok(private_json(
        StatusCode::OK,
        &AuditCheck {
            ok: broken.is_empty(),
            requests,
            rows,
            broken,
        },
    ))
}
