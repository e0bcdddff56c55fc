//! Filing and looking up requests: `POST /api/v1/requests` (idempotent by the `Idempotency-Key`
//! header, re-validated with `rules`, stored durably) and `POST /api/v1/requests/lookup`
//! (tracking code and national ID → status and timeline; rate-limited per client).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rules::contract::{decode, InputError};
use rules::identity::Mobile;
use rules::requests::ClearanceOffice;
use rules::requests::{
    check_clearance, check_exemption, check_withdrawal, withdrawal_preview, Attachment,
    RawClearanceRequest, RawExemptionRequest, RawWithdrawalRequest, RequestKind,
};
use rules::tracking::TrackingCode;
use rules::workflow::{Context, Process};
use rules::{JalaliDate, NationalId};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::clock::{now_unix, stamp};
use crate::error::ApiError;
use crate::limit::RateLimiter;
use crate::store::{AttachmentRef, NewRequest, Store, StoredKey, Submitted};
use crate::workflow::Actor;

/// Largest JSON body a request or a lookup may have.
pub const MAX_JSON_BYTES: usize = 64 * 1024;

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// What the request handlers share.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub lookups: Arc<RateLimiter>,
    pub claims: Arc<Claims>,
    /// Login attempts per client address.
    pub logins: Arc<RateLimiter>,
    /// The staff session cookie is `Secure`.
    pub secure_cookies: bool,
    /// The exemption's service fee in rials.
    pub exemption_fee_rials: u64,
    /// The bank gateway of the service fee (the sandbox by default).
    pub gateway: Arc<dyn crate::payments::Gateway>,
    /// Wakes the notification sender when a move queued an SMS.
    pub notify: Arc<tokio::sync::Notify>,
}

/// Idempotency keys being processed in this process right now: a second request with one of
/// them is answered 409 at once. (The database refuses a second row for a key anyway; this only
/// tells the client to wait instead of making it wait.)
#[derive(Default)]
pub struct Claims(Mutex<HashSet<String>>);

/// A key held while its request is processed; released when dropped.
pub struct Claim<'a>(&'a Claims, String);

impl Claims {
    pub fn claim(&self, key: &str) -> Option<Claim<'_>> {
        let mut keys = self.0.lock().unwrap_or_else(|e| e.into_inner());
        keys.insert(key.to_owned())
            .then(|| Claim(self, key.to_owned()))
    }
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        let mut keys = self.0 .0.lock().unwrap_or_else(|e| e.into_inner());
        keys.remove(&self.1);
    }
}

/// 415 unless the body is declared JSON.
pub fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if json {
        Ok(())
    } else {
        Err(ApiError::for_status(StatusCode::UNSUPPORTED_MEDIA_TYPE))
    }
}

/// The whole body, at most `limit` bytes (413 beyond).
pub async fn read_body(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
        while let Some(s) = source {
            if s.is::<http_body_util::LengthLimitError>() {
                return ApiError::for_status(StatusCode::PAYLOAD_TOO_LARGE);
            }
            source = s.source();
        }
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "the request body could not be read.",
            "بدنه درخواست خوانده نشد.",
        )
    })
}

/// The `Idempotency-Key` header: a UUID, bare or quoted (the IETF draft's structured-field
/// string), compared in lowercase.
pub fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "IDEMPOTENCY_KEY_MISSING",
            "the Idempotency-Key header (a UUID) is required.",
            "سرآیند Idempotency-Key (یک UUID) لازم است.",
        )
        .with_field("Idempotency-Key"));
    };
    let text = value.to_str().unwrap_or_default().trim();
    let text = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    if is_uuid(text) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "IDEMPOTENCY_KEY_INVALID",
            "the Idempotency-Key header must be a UUID (8-4-4-4-12 hexadecimal digits).",
            "سرآیند Idempotency-Key باید یک UUID باشد.",
        )
        .with_field("Idempotency-Key"))
    }
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hexadecimal digits, any version.
/// A fresh random UUID (version 4), for a submission the server makes itself.
pub fn random_uuid() -> String {
    let h = crate::random_hex(16);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `POST /api/v1/requests`.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let key = idempotency_key(&headers)?;
    let bytes = read_body(body, MAX_JSON_BYTES).await?;
    let body_sha256 = crate::hex(&Sha256::digest(&bytes));
    let Some(_claim) = state.claims.claim(&key) else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "IDEMPOTENCY_KEY_IN_PROGRESS",
            "a request with this Idempotency-Key is still being processed; try again shortly.",
            "درخواستی با همین Idempotency-Key هنوز در حال پردازش است؛ کمی بعد دوباره تلاش کنید.",
        )
        .retry_after(1));
    };
    // A key used before is answered by the writer (which looks the batch's keys up anyway), so
    // the usual path reads nothing here. A body refused today may still be a retry of one
    // accepted earlier (the pre-check depends on the day): then the earlier answer is replayed.
    let now = now_unix();
    let checked = match check_submission(&bytes, JalaliDate::today_in_tehran(now)) {
        Ok(checked) => checked,
        Err(refused) => return earlier_answer(&state.store, &key, &body_sha256, refused).await,
    };
    if let Err(refused) = check_uploaded(&state.store, &checked.attachments).await {
        return earlier_answer(&state.store, &key, &body_sha256, refused).await;
    }
    let offices = if checked.is_clearance() {
        state.store.offices().await?
    } else {
        Vec::new()
    };
    let new = checked.into_new_request(key, body_sha256.clone(), now, &offices);
    match state.store.submit(new).await? {
        Submitted::Created(body) => Ok(json_response(StatusCode::CREATED, body)),
        Submitted::Existing(stored) => replay(stored, &body_sha256),
    }
}

/// The stored answer of `key` if it was used before, else `refused`.
async fn earlier_answer(
    store: &Store,
    key: &str,
    body_sha256: &str,
    refused: ApiError,
) -> Result<Response, ApiError> {
    match store.find_key(key).await? {
        Some(stored) => replay(stored, body_sha256),
        None => Err(refused),
    }
}

/// A JSON answer about a person's request: never stored by a cache.
fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response()
}

/// The stored answer of a key used before: the same answer for the same body, 422 for another.
fn replay(stored: StoredKey, body_sha256: &str) -> Result<Response, ApiError> {
    if stored.body_sha256 != body_sha256 {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "IDEMPOTENCY_KEY_REUSED",
            "this Idempotency-Key was used for another request body; use a new key for a new request.",
            "این Idempotency-Key برای درخواست دیگری به کار رفته است؛ برای درخواست تازه کلید تازه بسازید.",
        )
        .with_field("Idempotency-Key"));
    }
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::CREATED);
    let mut response = json_response(status, stored.body);
    response.headers_mut().insert(
        HeaderName::from_static("idempotent-replayed"),
        HeaderValue::from_static("true"),
    );
    Ok(response)
}

/// A raw struct of the contract, decoded with `rules`' field-naming errors (the checks that name
/// every problem come after, in `rules::requests`).
struct Decoded<T>(T);

macro_rules! decoded {
    ($($raw:ty),*) => {$(
        impl TryFrom<$raw> for Decoded<$raw> {
            type Error = InputError;
            fn try_from(raw: $raw) -> Result<Self, InputError> {
                Ok(Decoded(raw))
            }
        }
    )*};
}

decoded!(
    RawSubmission,
    RawLookup,
    RawExemptionRequest,
    RawWithdrawalRequest,
    RawClearanceRequest
);

fn decode_raw<T>(value: Value) -> Result<T, InputError>
where
    T: serde::de::DeserializeOwned,
    Decoded<T>: TryFrom<T, Error = InputError>,
{
    decode::<T, Decoded<T>>(value).map(|d| d.0)
}

/// The submission as sent: `{kind, national_id, answers}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubmission {
    kind: Option<RequestKind>,
    national_id: Option<String>,
    /// Withdrawals and clearances: the student's mobile, for SMS and one-time codes.
    mobile: Option<String>,
    answers: Option<Value>,
}

/// A submission that passed every check.
pub struct CheckedSubmission {
    kind: RequestKind,
    national_id: NationalId,
    /// The validated request (and what the rules said of it) as stored.
    body: Value,
    /// The mobile SMS go to (the exemption's, or the one beside the answers).
    mobile: Option<String>,
    /// Withdrawals: the last day to take it back and the first day of the final ruling.
    deadlines: Option<(JalaliDate, JalaliDate)>,
    attachments: Vec<(String, Attachment)>,
}

pub fn kind_name(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Exemption => "exemption",
        RequestKind::Withdrawal => "withdrawal",
        RequestKind::Clearance => "clearance",
    }
}

fn national_id(value: Option<&str>) -> Result<NationalId, InputError> {
    let value = value.ok_or_else(|| {
        InputError::new(
            Some("national_id"),
            "national_id: this field is required.",
            "national_id: این فیلد لازم است.",
        )
    })?;
    NationalId::parse(value).map_err(|e| {
        InputError::new(
            Some("national_id"),
            format!("national_id: {}", e.message_en()),
            format!("national_id: {}", e.message_fa()),
        )
    })
}

/// Runs every check of `rules` on a submission's body as of `today`, naming every problem.
pub fn check_submission(bytes: &[u8], today: JalaliDate) -> Result<CheckedSubmission, ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(ApiError::not_json)?;
    let raw: RawSubmission = decode_raw(value)?;
    let mut errors = Vec::new();
    let Some(kind) = raw.kind else {
        errors.push(InputError::new(
            Some("kind"),
            "kind: this field is required (exemption, withdrawal or clearance).",
            "kind: نوع درخواست لازم است.",
        ));
        return Err(ApiError::invalid(errors));
    };
    let answers = match raw.answers {
        Some(v @ Value::Object(_)) => v,
        _ => {
            return Err(ApiError::invalid(vec![InputError::new(
                Some("answers"),
                "answers: the request's answers, a JSON object, are required.",
                "answers: پاسخ‌های درخواست (یک شیء JSON) لازم است.",
            )]))
        }
    };
    // Exemptions carry the national ID among their answers; the others beside them.
    let envelope_id = match (kind, raw.national_id.as_deref()) {
        (RequestKind::Exemption, None) => None,
        (_, given) => match national_id(given) {
            Ok(id) => Some(id),
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };
    let envelope_mobile = match raw.mobile.as_deref() {
        None => None,
        Some(_) if kind == RequestKind::Exemption => {
            errors.push(InputError::new(
                Some("mobile"),
                "mobile: an exemption request carries its mobile among its answers.",
                "mobile: شماره همراه درخواست معافیت درون پاسخ‌های آن است.",
            ));
            None
        }
        Some(given) => match Mobile::parse(given) {
            Ok(m) => Some(m.as_str().to_owned()),
            Err(e) => {
                errors.push(InputError::new(
                    Some("mobile"),
                    format!("mobile: {}", e.message_en()),
                    format!("mobile: {}", e.message_fa()),
                ));
                None
            }
        },
    };
    // Per kind: the national ID among the answers (exemptions), the stored body, the deadlines
    // and the files referred to.
    type Checked = (
        Option<NationalId>,
        Value,
        Option<(JalaliDate, JalaliDate)>,
        Vec<(String, Attachment)>,
    );
    let checked: Result<Checked, Vec<InputError>> = match kind {
        RequestKind::Exemption => decode_raw::<RawExemptionRequest>(answers.clone())
            .map_err(|e| vec![e])
            .and_then(|raw| check_exemption(raw, today))
            .and_then(|(request, precheck)| {
                if envelope_id
                    .as_ref()
                    .is_some_and(|id| *id != request.national_id)
                {
                    return Err(vec![InputError::new(
                        Some("national_id"),
                        "national_id: differs from the one in the answers.",
                        "national_id: با کد ملی درون پاسخ‌ها یکی نیست.",
                    )]);
                }
                let id = request.national_id.clone();
                let body = json!({"kind": "exemption", "answers": request, "precheck": precheck,
                                  "raw": answers});
                Ok((Some(id), body, None, Vec::new()))
            }),
        RequestKind::Withdrawal => decode_raw::<RawWithdrawalRequest>(answers)
            .map_err(|e| vec![e])
            .and_then(check_withdrawal)
            .map(|request| {
                let preview = withdrawal_preview(today);
                let files = [
                    ("withdrawal_form", Some(&request.withdrawal_form)),
                    (
                        "early_withdrawal_form",
                        request.early_withdrawal_form.as_ref(),
                    ),
                    (
                        "notarised_undertaking",
                        request.notarised_undertaking.as_ref(),
                    ),
                ]
                .into_iter()
                .filter_map(|(field, a)| a.map(|a| (field.to_owned(), a.clone())))
                .collect();
                let body = json!({"kind": "withdrawal", "answers": request, "preview": preview});
                let deadlines = (preview.revocation_deadline, preview.final_ruling_from);
                (None, body, Some(deadlines), files)
            }),
        RequestKind::Clearance => decode_raw::<RawClearanceRequest>(answers)
            .map_err(|e| vec![e])
            .and_then(check_clearance)
            .map(|request| {
                let body = json!({"kind": "clearance", "answers": request});
                (None, body, None, Vec::new())
            }),
    };
    match checked {
        Err(more) => errors.extend(more),
        Ok((answers_id, body, deadlines, attachments)) if errors.is_empty() => {
            if let Some(national_id) = answers_id.or(envelope_id) {
                let mobile = body["answers"]["mobile"]
                    .as_str()
                    .map(str::to_owned)
                    .or(envelope_mobile);
                return Ok(CheckedSubmission {
                    kind,
                    national_id,
                    mobile,
                    body,
                    deadlines,
                    attachments,
                });
            }
        }
        Ok(_) => {}
    }
    Err(ApiError::invalid(errors))
}

/// 422 unless every file the request refers to was uploaded, with the same size and type.
async fn check_uploaded(
    store: &Store,
    attachments: &[(String, Attachment)],
) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    for (field, a) in attachments {
        let stored = store.attachment(&a.sha256).await?;
        let matches = stored
            .as_ref()
            .is_some_and(|s| s.size == a.size && s.media_type == a.media_type.mime());
        if !matches {
            let field = format!("{field}.sha256");
            errors.push(match stored {
                None => InputError::new(
                    Some(&field),
                    format!("{field}: no file with this SHA-256 was uploaded; upload it first (POST /api/v1/attachments)."),
                    format!("{field}: این فایل بارگذاری نشده است؛ ابتدا آن را بارگذاری کنید."),
                ),
                Some(_) => InputError::new(
                    Some(&field),
                    format!("{field}: the uploaded file has another size or type."),
                    format!("{field}: حجم یا نوع فایل بارگذاری‌شده با این پیوست یکی نیست."),
                ),
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(errors))
    }
}

impl CheckedSubmission {
    /// Whether the request is a clearance (whose start depends on the offices).
    pub fn is_clearance(&self) -> bool {
        self.kind == RequestKind::Clearance
    }

    fn into_new_request(
        self,
        key: String,
        body_sha256: String,
        now: i64,
        offices: &[ClearanceOffice],
    ) -> NewRequest {
        let process = crate::workflow::process_of_kind(kind_name(self.kind));
        self.into_new_request_as(key, body_sha256, now, offices, process, &Actor::applicant())
    }

    /// The request to store, filed by `actor` into `process` (the applicant online, or a police
    /// e-services office for exemption A2).
    pub fn into_new_request_as(
        self,
        key: String,
        body_sha256: String,
        now: i64,
        offices: &[ClearanceOffice],
        process: Process,
        actor: &Actor,
    ) -> NewRequest {
        let kind = kind_name(self.kind);
        let submitted = stamp(now);
        let today = JalaliDate::today_in_tehran(now);
        let evening_course = self.body["answers"]["evening_course"] == true;
        let ctx = Context {
            today,
            submitted: today,
            revocations_used: 0,
            evening_course,
            offices,
        };
        let (state, moves) = crate::workflow::submission(process, &self.body, &ctx, now, actor);
        let text = |field: &str| self.body["answers"][field].as_str().map(str::to_owned);
        let deadlines = self.deadlines;
        let status = state.id();
        let receipt = move |code: &TrackingCode| {
            let mut receipt = json!({
                "tracking_code": code.grouped(),
                "kind": kind,
                "status": status,
                "submitted_at": submitted,
            });
            if let Some((revocation, ruling)) = deadlines {
                receipt["revocation_deadline"] = json!(revocation.to_machine());
                receipt["final_ruling_from"] = json!(ruling.to_machine());
            }
            receipt.to_string()
        };
        NewRequest {
            idempotency_key: key,
            body_sha256,
            kind,
            national_id: self.national_id.as_str().to_owned(),
            process: process.id(),
            university: if kind == "exemption" {
                text("university")
            } else {
                None
            },
            county: if kind == "exemption" {
                text("residence_city")
            } else {
                None
            },
            faculty: if kind == "withdrawal" {
                text("faculty")
            } else {
                None
            },
            mobile: self.mobile,
            evening_course,
            body: self.body.to_string(),
            status: state.id(),
            moves: moves.into_iter().map(|m| m.entry).collect(),
            submitted_at: now,
            submitted_jalali: JalaliDate::today_in_tehran(now).to_machine(),
            revocation_deadline: deadlines.map(|d| d.0.to_machine()),
            attachments: self
                .attachments
                .into_iter()
                .map(|(field, a)| AttachmentRef {
                    field,
                    sha256: a.sha256,
                    file_name: a.file_name,
                })
                .collect(),
            receipt: Box::new(receipt),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLookup {
    tracking_code: Option<String>,
    national_id: Option<String>,
}

/// `POST /api/v1/requests/lookup`: `{tracking_code, national_id}` → the request's status and
/// timeline. One 404 for an unknown code and for a wrong national ID; every attempt counts
/// against the client's rate limit (429 with `Retry-After` beyond it).
pub async fn lookup(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    limited(
        &state.lookups,
        crate::limit::client_ip(request.extensions()),
    )?;
    let (parts, body) = request.into_parts();
    require_json(&parts.headers)?;
    let bytes = read_body(body, MAX_JSON_BYTES).await?;
    let value: Value = serde_json::from_slice(&bytes).map_err(ApiError::not_json)?;
    let raw: RawLookup = decode_raw(value)?;
    let (code, id) = whose(raw.tracking_code.as_deref(), raw.national_id.as_deref())?;
    let found = state.store.find_request(&code).await?;
    let Some(found) = found.filter(|f| same_digits(&f.national_id, id.as_str())) else {
        return Err(not_theirs());
    };
    let timeline: Vec<Value> = found
        .timeline
        .iter()
        .map(|row| {
            json!({"at": stamp(row.at), "from": row.from, "to": row.to, "action": row.action,
                   "actor": row.actor, "note": row.note})
        })
        .collect();
    let mut answer = json!({
        "tracking_code": found.tracking_code.grouped(),
        "kind": found.kind,
        "status": found.status,
        "submitted_at": stamp(found.submitted_at),
        "timeline": timeline,
    });
    if let Some(deadline) = found.revocation_deadline {
        answer["revocation_deadline"] = json!(deadline);
    }
    Ok(json_response(StatusCode::OK, answer.to_string()))
}

/// 429 with `Retry-After` once `client` has used up its tries of `limiter`.
pub fn limited(limiter: &RateLimiter, client: std::net::IpAddr) -> Result<(), ApiError> {
    limiter.check(client).map_err(|wait| {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            format!("too many tries; try again in {wait} seconds."),
            crate::fa_digits(&format!(
                "تعداد تلاش‌ها بیش از حد است؛ {wait} ثانیه دیگر دوباره تلاش کنید."
            )),
        )
        .retry_after(wait)
    })
}

/// A tracking code and a national ID as a person types them, both checked, naming each bad one.
pub fn whose(
    tracking_code: Option<&str>,
    national_id_text: Option<&str>,
) -> Result<(TrackingCode, NationalId), ApiError> {
    let code = tracking_code
        .ok_or_else(|| {
            InputError::new(
                Some("tracking_code"),
                "tracking_code: this field is required.",
                "tracking_code: این فیلد لازم است.",
            )
        })
        .and_then(TrackingCode::parse);
    match (code, national_id(national_id_text)) {
        (Ok(code), Ok(id)) => Ok((code, id)),
        (code, id) => Err(ApiError::invalid(
            [code.err(), id.err()].into_iter().flatten().collect(),
        )),
    }
}

/// The one answer for an unknown tracking code and for someone else's national ID.
pub fn not_theirs() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "no request has this tracking code and national ID.",
        "درخواستی با این کد رهگیری و کد ملی پیدا نشد.",
    )
}

/// Compares two national IDs in time that does not depend on where they differ.
pub fn same_digits(a: &str, b: &str) -> bool {
    crate::auth::same_secret(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_are_uuids_bare_or_quoted() {
        let mut h = HeaderMap::new();
        assert_eq!(
            idempotency_key(&h).unwrap_err().code,
            "IDEMPOTENCY_KEY_MISSING"
        );
        h.insert(
            IDEMPOTENCY_KEY,
            HeaderValue::from_static("\"8E03978E-40D5-43E8-BC93-6894A57F9324\""),
        );
        assert_eq!(
            idempotency_key(&h).unwrap(),
            "8e03978e-40d5-43e8-bc93-6894a57f9324"
        );
        for bad in [
            "abc",
            "8e03978e40d543e8bc936894a57f9324",
            "8e03978e-40d5-43e8-bc93-6894a57f932g",
        ] {
            h.insert(IDEMPOTENCY_KEY, HeaderValue::from_static(bad));
            assert_eq!(
                idempotency_key(&h).unwrap_err().code,
                "IDEMPOTENCY_KEY_INVALID",
                "{bad}"
            );
        }
    }

    #[test]
    fn a_submission_names_every_problem_across_envelope_and_answers() {
        let today = JalaliDate::new(1403, 7, 15).unwrap();
        let e = check_submission(br#"{"kind":"clearance","answers":{}}"#, today)
            .err()
            .unwrap();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.clone().unwrap()).collect();
        assert_eq!(fields, ["national_id", "reason", "evening_course"]);
        let e = check_submission(br#"{"kind":"parking","answers":{}}"#, today)
            .err()
            .unwrap();
        assert_eq!(e.field.as_deref(), Some("kind"));
        let e = check_submission(br#"{"kind":"clearance","answers":[]}"#, today)
            .err()
            .unwrap();
        assert_eq!(e.field.as_deref(), Some("answers"));
        let e = check_submission(b"[1,2", today).err().unwrap();
        assert_eq!(
            (e.status, e.field.clone()),
            (StatusCode::UNPROCESSABLE_ENTITY, None)
        );
        let ok = check_submission(
            br#"{"kind":"clearance","national_id":"0084575948","answers":{"reason":"withdrawal","evening_course":false}}"#,
            today,
        );
        assert!(ok.is_ok());
    }

    #[test]
    fn claims_are_exclusive_until_dropped() {
        let claims = Claims::default();
        let first = claims.claim("k").unwrap();
        assert!(claims.claim("k").is_none());
        drop(first);
        assert!(claims.claim("k").is_some());
    }
}
