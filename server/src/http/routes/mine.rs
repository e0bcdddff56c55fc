//! The signed-in person's own requests ("my requests", docs/signin.md): every request filed under
//! their national ID, from any device and by anyone (the police office's A2 too), newest first,
//! with its state and its receipt; opening one of them to act on it — the same applicant
//! session a one-time code opens, with no code, for their own requests only; and their deadline
//! reminders by SMS turned off or on (docs/reminders.md).

use api::applicant::ApplicantSession;
use api::labelled::Labelled;
use api::requests::Receipt;
use api::signin::{MyRequest, MyRequests, OpenMyRequest, ReminderSetting, SetReminders};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use rules::tracking::TrackingCode;
use rules::workflow::State as Step;

use crate::domain::accounts::{same_secret, token_hash};
use crate::domain::clock::{now_unix, stamp};
use crate::domain::required;
use crate::domain::roster::Person;
use crate::domain::submission::{kind_of, receipt, stored_deadlines};
use crate::http::answer::private_json;
use crate::http::applicant::SESSION_SECONDS;
use crate::http::error::ApiError;
use crate::http::extract::json_body;
use crate::http::state::AppState;
use crate::store::offices::OfficeBook;
use crate::store::OwnRequest;
use rules::InputError;

/// One stored request as the list shows it: its receipt as answered at filing, or made again
/// once the key that kept it is gone.
fn listed(
    r: OwnRequest,
    offices: &[rules::requests::ClearanceOffice],
) -> Result<MyRequest, ApiError> {
    let broken = |what: &str| ApiError::internal(format!("a stored request's {what}"));
    let code = TrackingCode::parse(&r.tracking_code).map_err(|_| broken("tracking code"))?;
    let kind = kind_of(&r.kind).ok_or_else(|| broken("kind"))?;
    let step = Step::parse(&r.status).ok_or_else(|| broken("state"))?;
    let kept = r
        .receipt
        .as_deref()
        .and_then(|text| serde_json::from_str::<Receipt>(text).ok());
    let receipt = match kept {
        Some(kept) => kept,
        None => {
            let body = serde_json::from_str(&r.body).map_err(|_| broken("body"))?;
            let filed = r.filed_status.as_deref().unwrap_or(&r.status);
            receipt(&code, kind, filed, r.submitted_at, stored_deadlines(&body))
        }
    };
    Ok(MyRequest {
        tracking_code: code.grouped(),
        kind,
        state: Labelled::state(&step, offices),
        submitted_at: stamp(r.submitted_at),
        revocation_deadline: r.revocation_deadline,
        exemption_until: r.exemption_until,
        receipt,
    })
}

/// `GET /api/v1/signin/requests`: the person's requests, newest first, each state named from
/// the request's own route (else its university's offices).
pub async fn list(State(state): State<AppState>, person: Person) -> Result<Response, ApiError> {
    let mut book = OfficeBook::default();
    let mut requests = Vec::new();
    for mut r in state.store.requests_of(&person.national_id).await? {
        let route = r.route.take();
        let offices = match &route {
            Some(route) => route.as_slice(),
            None => book.of(&state.store, r.university_id).await?,
        };
        requests.push(listed(r, offices)?);
    }
    Ok(private_json(StatusCode::OK, &MyRequests { requests }))
}

/// The one answer for a tracking code no request has and for someone else's request.
fn not_yours() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "tracking_code: none of your requests has this tracking code.",
        "tracking_code: هیچ‌یک از درخواست‌های شما این کد رهگیری را ندارد.",
    )
    .with_field("tracking_code")
}

/// `POST /api/v1/signin/requests/open`: `{tracking_code}` of one of the person's requests → an
/// applicant session on it (`Authorization: Bearer <token>` for `/api/v1/applicant/…`).
pub async fn open(
    State(state): State<AppState>,
    person: Person,
    request: Request,
) -> Result<Response, ApiError> {
    let raw: OpenMyRequest = json_body(request).await?;
    let code = required("tracking_code", raw.tracking_code.as_deref())
        .and_then(TrackingCode::parse)
        .map_err(|e| ApiError::invalid(vec![e]))?;
    let found = state.store.stored_request(code.digits()).await?;
    let Some(found) = found.filter(|r| same_secret(&r.national_id, &person.national_id)) else {
        return Err(not_yours());
    };
    let token = crate::random_hex(32);
    let now = now_unix();
    state
        .store
        .add_applicant_session(found.id, &token_hash(&token), now, now + SESSION_SECONDS)
        .await?;
    Ok(private_json(
        StatusCode::OK,
        &ApplicantSession {
            token,
            expires_in: SESSION_SECONDS as u64,
        },
    ))
}

/// What the person's reminder setting is kept by: the HMAC of their national ID.
fn reminders_key(state: &AppState, person: &Person) -> String {
    state
        .store
        .secret_key()
        .reminders_person(&person.national_id)
}

/// `GET /api/v1/signin/reminders`: whether the person gets deadline reminders (on unless they
/// turned them off).
pub async fn reminders(
    State(state): State<AppState>,
    person: Person,
) -> Result<Response, ApiError> {
    let key = reminders_key(&state, &person);
    let off = state.store.reminders_off(&key).await?;
    Ok(private_json(
        StatusCode::OK,
        &ReminderSetting { enabled: !off },
    ))
}

/// `PUT /api/v1/signin/reminders`: `{enabled}` turns the person's reminders on or off, kept by
/// the HMAC of their national ID (never the ID).
pub async fn set_reminders(
    State(state): State<AppState>,
    person: Person,
    request: Request,
) -> Result<Response, ApiError> {
    let raw: SetReminders = json_body(request).await?;
    let Some(enabled) = raw.enabled else {
        return Err(ApiError::invalid(vec![InputError::new(
            Some("enabled"),
            "enabled: required: true to get deadline reminders by SMS, false to stop them.",
            "enabled: لازم است: true برای دریافت پیامک یادآوری مهلت‌ها، false برای قطع آن.",
        )]));
    };
    let key = reminders_key(&state, &person);
    state
        .store
        .set_reminders_off(&key, !enabled, now_unix())
        .await?;
    Ok(private_json(StatusCode::OK, &ReminderSetting { enabled }))
}
