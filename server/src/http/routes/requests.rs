//! Filing and looking up requests: `POST /api/v1/requests` (by a signed-in person, in their own
//! name only; idempotent by the `Idempotency-Key` header, a key replayed to the same person only;
//! re-validated with `rules`, stored durably) and `POST /api/v1/requests/lookup` (tracking code
//! and national ID → status and timeline; rate-limited per client).

use api::requests::{Lookup, Status, TimelineRow};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use rules::contract::InputError;
use rules::requests::Attachment;
use rules::requests::RequestKind;
use rules::JalaliDate;
use sha2::{Digest, Sha256};

use crate::domain::accounts::same_secret;
use crate::domain::clock::{now_unix, stamp};
use crate::domain::roster::Person;
use crate::domain::submission::{self, Refused};
use crate::domain::universities::check_exemption_university;
use crate::http::answer::{private_json, private_text};
use crate::http::applicant::{not_theirs, whose};
use crate::http::error::ApiError;
use crate::http::extract::{json_body, read_body, require_json, MAX_JSON_BYTES};
use crate::http::idempotency::idempotency_key;
use crate::http::limit::{client_ip, limited};
use crate::http::state::AppState;
use crate::store::{Store, StoredKey, Submitted};

/// `POST /api/v1/requests`: 401 without a live person session (and 403 without its CSRF token),
/// before anything is read or written; 403 `NOT_YOUR_REQUEST` for a body naming someone else.
pub async fn submit(
    State(state): State<AppState>,
    person: Person,
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
    let earlier = |refused| earlier_answer(&state.store, &key, &body_sha256, &person, refused);
    let today = JalaliDate::today_in_tehran(now);
    let checked = match submission::check_filed_by(&bytes, &person, today) {
        Ok(checked) => checked,
        Err(Refused::NotYours(e)) => return earlier(not_yours(e)).await,
        Err(Refused::Invalid(errors)) => return earlier(ApiError::invalid(errors)).await,
    };
    if let Some(refused) = wrong_sign_in(&state, &person, checked.kind) {
        return earlier(refused).await;
    }
    // Only a body naming a university (the exemption's) needs the list: a read saved on the
    // others' path.
    if let Some(university) = checked.body["answers"]["university"].as_str() {
        let universities = state.store.universities().await?;
        if let Err(e) = check_exemption_university(&universities, Some(university)) {
            return earlier(ApiError::invalid(vec![e])).await;
        }
    }
    if let Err(refused) = check_uploaded(&state.store, &checked.attachments).await {
        return earlier(refused).await;
    }
    // A clearance walks its student's university's offices (the roster's; else the one the
    // sign-in placed the person at; else the default university's), fixed as its route now.
    let offices = if checked.is_clearance() {
        state
            .store
            .offices_of_student(checked.national_id.as_str(), checked.identity_university)
            .await?
    } else {
        Vec::new()
    };
    let new = checked.into_new_request(key.clone(), body_sha256.clone(), now, &offices);
    match state.store.submit(new).await? {
        Submitted::Created(body) => Ok(private_text(StatusCode::CREATED, body)),
        Submitted::Existing(stored) => replay(stored, &body_sha256, &person),
    }
}

/// 403 `NOT_YOUR_REQUEST`: the body names someone other than the signed-in person (the field
/// named); nothing is stored.
fn not_yours(e: InputError) -> ApiError {
    let field = e.field.clone().unwrap_or_default();
    ApiError::new(
        StatusCode::FORBIDDEN,
        "NOT_YOUR_REQUEST",
        e.message_en,
        e.message_fa,
    )
    .with_field(&field)
}

/// 403 `SIGN_IN_NOT_FOR_THIS_REQUEST` (field `kind`) when the person signed in at an OpenID
/// provider that is not configured for this kind of request (`processes` in pishkhan.toml: a
/// national sign-in for the exemption, the university's for withdrawals and clearances). A
/// roster sign-in is the university's own and serves every kind.
fn wrong_sign_in(state: &AppState, person: &Person, kind: RequestKind) -> Option<ApiError> {
    let provider = person.provider.as_deref()?;
    let kind = submission::kind_name(kind);
    let serves = state
        .oidc
        .providers()
        .iter()
        .any(|p| p.id == provider && p.processes.iter().any(|q| q == kind));
    (!serves).then(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "SIGN_IN_NOT_FOR_THIS_REQUEST",
            "kind: the sign-in you used does not serve this kind of request; sign out and sign in with the one offered for it.",
            "kind: ورودی که با آن وارد شده‌اید برای این نوع درخواست نیست؛ خارج شوید و با ورود مخصوص این درخواست وارد شوید.",
        )
        .with_field("kind")
    })
}

/// The stored answer of `key` if `person` used it before, else `refused`.
async fn earlier_answer(
    store: &Store,
    key: &str,
    body_sha256: &str,
    person: &Person,
    refused: ApiError,
) -> Result<Response, ApiError> {
    match store.find_key(key).await? {
        Some(stored) if same_person(&stored, person) => replay(stored, body_sha256, person),
        _ => Err(refused),
    }
}

/// Whether a used key filed `person`'s request.
fn same_person(stored: &StoredKey, person: &Person) -> bool {
    stored
        .national_id
        .as_deref()
        .is_some_and(|id| same_secret(id, &person.national_id))
}

/// The stored answer of a key used before: the same answer for the same body and person, 422
/// for another body or another person's key.
fn replay(stored: StoredKey, body_sha256: &str, person: &Person) -> Result<Response, ApiError> {
    if stored.body_sha256 != body_sha256 || !same_person(&stored, person) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "IDEMPOTENCY_KEY_REUSED",
            "this Idempotency-Key was used for another request body; use a new key for a new request.",
            "این Idempotency-Key برای درخواست دیگری به کار رفته است؛ برای درخواست تازه کلید تازه بسازید.",
        )
        .with_field("Idempotency-Key"));
    }
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::CREATED);
    let mut response = private_text(status, stored.body);
    response.headers_mut().insert(
        HeaderName::from_static("idempotent-replayed"),
        HeaderValue::from_static("true"),
    );
    Ok(response)
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

/// `POST /api/v1/requests/lookup`: `{tracking_code, national_id}` → the request's status and
/// timeline. One 404 for an unknown code and for a wrong national ID; every attempt counts
/// against the client's rate limit (429 with `Retry-After` beyond it).
pub async fn lookup(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    limited(&state.lookups, client_ip(request.extensions()))?;
    let raw: Lookup = json_body(request).await?;
    let (code, id) = whose(raw.tracking_code.as_deref(), raw.national_id.as_deref())?;
    let found = state.store.find_request(&code).await?;
    let Some(found) = found.filter(|f| same_secret(&f.national_id, id.as_str())) else {
        return Err(not_theirs());
    };
    let kind = submission::kind_of(&found.kind)
        .ok_or_else(|| ApiError::internal(format!("a stored kind {:?}", found.kind)))?;
    let timeline = found
        .timeline
        .into_iter()
        .map(|row| TimelineRow {
            at: stamp(row.at),
            from: row.from,
            to: row.to,
            action: row.action,
            actor: row.actor,
            note: row.note,
        })
        .collect();
    let answer = Status {
        tracking_code: found.tracking_code.grouped(),
        kind,
        status: found.status,
        submitted_at: stamp(found.submitted_at),
        timeline,
        revocation_deadline: found.revocation_deadline,
        exemption_until: found.exemption_until,
    };
    Ok(private_json(StatusCode::OK, &answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The domain's check as this route answers it.
    fn check_submission(
        bytes: &[u8],
        today: JalaliDate,
    ) -> Result<submission::CheckedSubmission, ApiError> {
        submission::check_submission(bytes, today).map_err(ApiError::invalid)
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
}
