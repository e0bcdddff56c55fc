//! Sends the outbox (browser only), signed in: for each due submission, uploads its files, then
//! posts the request with its idempotency key and the person session's CSRF token; a 201/200
//! stores the receipt and removes the draft in one transaction, a refusal marks it for
//! correction, a 401 (the session ended) stops the run and leaves it as it was for the next
//! sign-in, anything else (offline, 5xx, 409, 429) waits and retries. Also looks submitted
//! requests up to refresh their status.

use api::requests::Uploaded;

use super::model::{read_answer, Answer, OutboxEntry, OutboxState, Receipt};
use crate::forms::drafts::backend::Store;
use crate::forms::drafts::memory::{OUTBOX, REQUESTS};
use crate::shell::clock::now_ms;
use crate::shell::http::ServerError;
use crate::shell::http::{Auth, Reply};

async fn post(
    url: &str,
    body: &wasm_bindgen::JsValue,
    headers: &[(&str, &str)],
    auth: Auth<'_>,
) -> Result<Reply, String> {
    crate::shell::http::fetch("POST", url, Some(body), headers, auth).await
}

/// What became of one attempt.
enum Outcome {
    Sent,
    Waiting,
    Refused,
    /// 401: no live session; nothing about the entry changed.
    SignIn,
}

/// Sends every due submission with the session's `csrf` token: `Err(())` when the server said
/// the session is not live (the rest wait for the next sign-in). The outbox runs one at a time in
/// a page (another tab may send too: the idempotency key makes that harmless).
pub async fn run(store: &Store, csrf: &str) -> Result<(), ()> {
    let mut result = Ok(());
    let entries = store.all_values(OUTBOX).await.unwrap_or_default();
    for value in entries {
        let Ok(mut entry) = serde_json::from_value::<OutboxEntry>(value) else {
            continue;
        };
        if !entry.due(now_ms()) {
            continue;
        }
        match send(store, &mut entry, Auth::Csrf(csrf)).await {
            Outcome::Sent => {}
            Outcome::SignIn => {
                // Uploads done so far are kept (the files are on the server).
                let _ = store
                    .put_value(OUTBOX, &entry.draft_id, &entry.to_json())
                    .await;
                result = Err(());
                break;
            }
            Outcome::Waiting | Outcome::Refused => {
                let _ = store
                    .put_value(OUTBOX, &entry.draft_id, &entry.to_json())
                    .await;
            }
        }
    }
    result
}

fn retry(entry: &mut OutboxEntry, reason: String, after_ms: Option<f64>) -> Outcome {
    entry.failed(reason, now_ms(), after_ms, js_sys::Math::random());
    Outcome::Waiting
}

/// Refusals of a file, named by its field.
fn on_field(field: &str, mut errors: Vec<ServerError>) -> Vec<ServerError> {
    for e in &mut errors {
        if e.field.is_none() {
            e.field = Some(field.to_owned());
        }
    }
    errors
}

async fn send(store: &Store, entry: &mut OutboxEntry, auth: Auth<'_>) -> Outcome {
    for i in 0..entry.files.len() {
        if entry.files[i].uploaded {
            continue;
        }
        let file = entry.files[i].clone();
        let Ok(Some(blob)) = store.get_attachment(&file.blob_key).await else {
            entry.rejected(vec![ServerError {
                field: Some(file.field.clone()),
                message_fa: "فایل در این مرورگر پیدا نشد؛ دوباره انتخابش کنید.".into(),
                message_en: "The file is no longer in this browser; choose it again.".into(),
            }]);
            return Outcome::Refused;
        };
        let reply = match post(
            "/api/v1/attachments",
            &blob.into(),
            &[("content-type", "application/octet-stream")],
            auth,
        )
        .await
        {
            Ok(r) => r,
            Err(e) => return retry(entry, e, None),
        };
        match read_answer(reply.status, &reply.body, reply.retry_after.as_deref()) {
            Answer::Accepted(v)
                if serde_json::from_value::<Uploaded>(v.clone())
                    .is_ok_and(|u| u.sha256 == file.sha256) =>
            {
                entry.files[i].uploaded = true;
            }
            Answer::Accepted(_) => {
                return retry(
                    entry,
                    "the upload came back with another digest".into(),
                    None,
                )
            }
            Answer::Refused(errors) => {
                entry.rejected(on_field(&file.field, errors));
                return Outcome::Refused;
            }
            Answer::Retry { reason, after_ms } => return retry(entry, reason, after_ms),
            Answer::SignIn => return Outcome::SignIn,
        }
    }
    let reply = match post(
        "/api/v1/requests",
        &entry.body.clone().into(),
        &[
            ("content-type", "application/json"),
            ("idempotency-key", &entry.idempotency_key),
        ],
        auth,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return retry(entry, e, None),
    };
    match read_answer(reply.status, &reply.body, reply.retry_after.as_deref()) {
        Answer::Accepted(answer) => {
            let national_id = super::model::body_national_id(&entry.body);
            let Some(receipt) = Receipt::from_answer(&answer, &national_id) else {
                return retry(entry, "an unreadable receipt".into(), None);
            };
            match store
                .finish_submission(&entry.draft_id, &receipt.tracking_code, &receipt.to_json())
                .await
            {
                Ok(()) => Outcome::Sent,
                // Not stored: send again (the same key gets the same receipt).
                Err(e) => retry(entry, e.to_string(), None),
            }
        }
        Answer::Refused(errors) => {
            entry.rejected(errors);
            Outcome::Refused
        }
        Answer::Retry { reason, after_ms } => retry(entry, reason, after_ms),
        Answer::SignIn => Outcome::SignIn,
    }
}

/// The earliest time a queued submission is due, if any.
pub async fn next_due(store: &Store) -> Option<f64> {
    store
        .all_values(OUTBOX)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| serde_json::from_value::<OutboxEntry>(v).ok())
        .filter(|e| e.state == OutboxState::Queued)
        .map(|e| e.next_attempt_ms)
        .reduce(f64::min)
}

/// Asks the server for a request's status and timeline: the status and body of its answer, or
/// `Err` when the server could not be reached.
pub async fn lookup(
    tracking_code: &str,
    national_id: &str,
) -> Result<(u16, String, Option<String>), String> {
    let body = api::requests::Lookup {
        tracking_code: Some(tracking_code.to_owned()),
        national_id: Some(national_id.to_owned()),
    };
    let reply = post(
        "/api/v1/requests/lookup",
        &serde_json::to_string(&body).unwrap_or_default().into(),
        &[("content-type", "application/json")],
        Auth::None,
    )
    .await?;
    Ok((reply.status, reply.body, reply.retry_after))
}

/// Reads each kept request's status from the server (when online): signed in, all of them in one
/// call (`GET /api/v1/signin/requests`), else each by a lookup; `true` when any changed.
pub async fn refresh(store: &Store, signed_in: bool) -> bool {
    if signed_in {
        if let Ok(mine) = crate::forms::signin::client::my_requests().await {
            let mut changed = false;
            for value in store.all_values(REQUESTS).await.unwrap_or_default() {
                let Ok(mut receipt) = serde_json::from_value::<Receipt>(value) else {
                    continue;
                };
                let Some(r) = mine
                    .requests
                    .iter()
                    .find(|r| r.tracking_code == receipt.tracking_code)
                else {
                    continue;
                };
                receipt.set_status(&r.state.id, now_ms());
                let _ = store
                    .put_value(REQUESTS, &receipt.tracking_code, &receipt.to_json())
                    .await;
                changed = true;
            }
            return changed;
        }
    }
    let mut changed = false;
    for value in store.all_values(REQUESTS).await.unwrap_or_default() {
        let Ok(mut receipt) = serde_json::from_value::<Receipt>(value) else {
            continue;
        };
        let Ok((status, body, _)) = lookup(&receipt.tracking_code, &receipt.national_id).await
        else {
            return changed;
        };
        if let (200, Ok(answer)) = (status, serde_json::from_str::<api::requests::Status>(&body)) {
            receipt.update(answer, now_ms());
            let _ = store
                .put_value(REQUESTS, &receipt.tracking_code, &receipt.to_json())
                .await;
            changed = true;
        }
    }
    changed
}
