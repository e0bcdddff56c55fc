//! The outbox as plain data: a submission waiting to be sent (its idempotency key, the exact
//! body, the files still to upload), what the server's answer means for it, when to try again
//! (exponential backoff with jitter, or the server's `Retry-After`), the receipt kept once
//! the server acknowledged it, and what a lookup found. The bodies are the `api` crate's.

use api::requests::{Status, Submission, TimelineRow};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::forms::drafts::Draft;
use crate::forms::requests::editor::attachments_of;
use crate::shell::http::{server_errors, ServerError};
use crate::shell::request_forms::flow::{RequestForm, MOBILE, NATIONAL_ID};
use rules::requests::RequestKind;

/// First retry after this long; each failure doubles it, up to [`MAX_DELAY_MS`].
pub const BASE_DELAY_MS: f64 = 2_000.0;
pub const MAX_DELAY_MS: f64 = 5.0 * 60_000.0;

/// A file the request refers to, to be uploaded before the request.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct PendingFile {
    pub field: String,
    /// The Blob's key in the attachments store.
    pub blob_key: String,
    pub sha256: String,
    pub uploaded: bool,
}

/// Where a submission is.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting to be sent (again).
    Queued,
    /// The server refused it (4xx): the person must correct the form and submit again.
    Rejected,
}

/// A submission in the outbox, keyed by its draft's id.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub draft_id: String,
    pub kind: String,
    /// Fresh for each submission; every retry sends it again with the very same body.
    pub idempotency_key: String,
    /// The request body exactly as sent, so a retry resends the same bytes.
    pub body: String,
    pub files: Vec<PendingFile>,
    pub state: OutboxState,
    pub attempts: u32,
    pub next_attempt_ms: f64,
    /// Why the last attempt failed (network, server), for the page.
    pub last_error: Option<String>,
    /// The server's refusals, when rejected.
    pub errors: Vec<ServerError>,
    pub created_at_ms: f64,
}

impl OutboxEntry {
    /// A submission of `draft` (already checked by the form) with a fresh `key`: `{kind,
    /// national_id, mobile, answers}` (an exemption's mobile is among its answers).
    pub fn new(form: &RequestForm, draft: &Draft, key: String, now_ms: f64) -> OutboxEntry {
        let mobile = draft.answers.get(MOBILE).trim();
        let body = Submission {
            kind: Some(form.kind),
            national_id: Some(draft.answers.get(NATIONAL_ID).trim().to_owned()),
            mobile: (form.kind != RequestKind::Exemption && !mobile.is_empty())
                .then(|| mobile.to_owned()),
            answers: Some(form.to_json(&draft.answers)),
        };
        let files = attachments_of(&draft.id, &draft.answers)
            .into_iter()
            .filter(|a| {
                form.fields(&draft.answers)
                    .iter()
                    .any(|f| f.name == a.field)
            })
            .map(|a| PendingFile {
                sha256: draft.answers.get(&format!("{}.sha256", a.field)).to_owned(),
                field: a.field,
                blob_key: a.key,
                uploaded: false,
            })
            .collect();
        OutboxEntry {
            draft_id: draft.id.clone(),
            kind: form.slug.to_owned(),
            idempotency_key: key,
            body: serde_json::to_string(&body).expect("plain data"),
            files,
            state: OutboxState::Queued,
            attempts: 0,
            next_attempt_ms: now_ms,
            last_error: None,
            errors: Vec::new(),
            created_at_ms: now_ms,
        }
    }

    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("plain data")
    }

    /// Whether it should be sent now.
    pub fn due(&self, now_ms: f64) -> bool {
        self.state == OutboxState::Queued && self.next_attempt_ms <= now_ms
    }

    /// After a failed attempt: try again later (`retry_after_ms` from the server, else backoff
    /// with `jitter` in 0..1).
    pub fn failed(
        &mut self,
        reason: String,
        now_ms: f64,
        retry_after_ms: Option<f64>,
        jitter: f64,
    ) {
        self.attempts += 1;
        self.last_error = Some(reason);
        self.next_attempt_ms =
            now_ms + retry_after_ms.unwrap_or_else(|| backoff_ms(self.attempts, jitter));
    }

    /// After a refusal: nothing is sent until the person corrects and submits again.
    pub fn rejected(&mut self, errors: Vec<ServerError>) {
        self.state = OutboxState::Rejected;
        self.errors = errors;
    }
}

/// The wait before retry `attempt` (1, 2, …): `BASE × 2^(attempt-1)`, at most `MAX`, scaled by
/// a jitter in [0.5, 1) so many clients coming back online do not retry in step.
pub fn backoff_ms(attempt: u32, jitter: f64) -> f64 {
    let exp = BASE_DELAY_MS * 2f64.powi(attempt.saturating_sub(1).min(20) as i32);
    exp.min(MAX_DELAY_MS) * (0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// What an answer of the server means for a submission.
#[derive(Clone, PartialEq, Debug)]
pub enum Answer {
    /// Stored (201, or 200 for a replay): the receipt.
    Accepted(Value),
    /// Refused for good (4xx other than 408, 409, 429): the fields and messages.
    Refused(Vec<ServerError>),
    /// Try again (409 in progress, 408, 429, 5xx), after `Retry-After` if given.
    Retry {
        reason: String,
        after_ms: Option<f64>,
    },
    /// No live person session (401 `SIGN_IN_REQUIRED`), or not this session's CSRF token (403
    /// `CSRF_FAILED`: signed in again elsewhere): it waits, unchanged, for a sign-in.
    SignIn,
}

/// Reads the server's answer to a submission (or an upload).
pub fn read_answer(status: u16, body: &str, retry_after: Option<&str>) -> Answer {
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let after_ms = retry_after
        .and_then(|s| s.trim().parse::<f64>().ok())
        .map(|s| s * 1000.0);
    match status {
        200 | 201 => Answer::Accepted(json),
        401 => Answer::SignIn,
        403 if json["error"]["code"] == "CSRF_FAILED" => Answer::SignIn,
        408 | 409 | 425 | 429 | 500..=599 => Answer::Retry {
            reason: format!("HTTP {status}"),
            after_ms,
        },
        _ => Answer::Refused(server_errors(&json, status)),
    }
}

/// A request the server acknowledged, as kept for "my requests" (the server's receipt, plus the
/// national ID for looking it up, and the latest status seen).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Receipt {
    pub tracking_code: String,
    pub kind: String,
    pub national_id: String,
    pub status: String,
    /// Jalali `YYYY-MM-DD` and UTC.
    pub submitted_jalali: String,
    pub submitted_utc: String,
    #[serde(default)]
    pub revocation_deadline: Option<String>,
    #[serde(default)]
    pub final_ruling_from: Option<String>,
    /// The timeline from the last lookup, as the server gave it.
    #[serde(default)]
    pub timeline: Vec<TimelineRow>,
    /// When the status was last read from the server (ms), `None`: only the receipt.
    #[serde(default)]
    pub checked_at_ms: Option<f64>,
}

impl Receipt {
    /// From the server's 201 answer (`api::requests::Receipt`) and the submission's national ID.
    pub fn from_answer(answer: &Value, national_id: &str) -> Option<Receipt> {
        let r: api::requests::Receipt = serde_json::from_value(answer.clone()).ok()?;
        Some(Receipt {
            tracking_code: r.tracking_code,
            kind: serde_json::to_value(r.kind).ok()?.as_str()?.to_owned(),
            national_id: national_id.to_owned(),
            status: r.status,
            submitted_jalali: r.submitted_at.jalali,
            submitted_utc: r.submitted_at.utc,
            revocation_deadline: r.revocation_deadline,
            final_ruling_from: r.final_ruling_from,
            timeline: Vec::new(),
            checked_at_ms: None,
        })
    }

    /// Takes in a lookup's answer (status and timeline).
    pub fn update(&mut self, lookup: Status, now_ms: f64) {
        self.status = lookup.status;
        self.timeline = lookup.timeline;
        self.checked_at_ms = Some(now_ms);
    }

    /// Takes in a status read from "my requests" (no timeline there: the last one is kept).
    pub fn set_status(&mut self, status: &str, now_ms: f64) {
        self.status = status.to_owned();
        self.checked_at_ms = Some(now_ms);
    }

    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("plain data")
    }
}

/// What a lookup of a request filed elsewhere found.
#[derive(Clone, PartialEq, Debug)]
pub enum LookupResult {
    /// The request, as a receipt with its latest status and timeline.
    Request(Box<Receipt>),
    /// No such request with this national ID (the same answer for both), or an answer not read.
    Unknown,
    /// 429: try again after this many seconds (as the server said it).
    TooMany(String),
    /// The server could not be reached (or failed: 5xx).
    Offline,
}

impl LookupResult {
    /// Reads the answer to `POST /api/v1/requests/lookup` (`Err`: no answer) for `national_id`.
    pub fn read(
        reply: Result<(u16, String, Option<String>), String>,
        national_id: &str,
        now_ms: f64,
    ) -> LookupResult {
        match reply {
            Err(_) => LookupResult::Offline,
            Ok((200, body, _)) => {
                let json: Value = serde_json::from_str(&body).unwrap_or_default();
                let status = serde_json::from_value::<Status>(json.clone());
                match (Receipt::from_answer(&json, national_id), status) {
                    (Some(mut r), Ok(status)) => {
                        r.update(status, now_ms);
                        LookupResult::Request(Box::new(r))
                    }
                    _ => LookupResult::Unknown,
                }
            }
            Ok((429, _, wait)) => LookupResult::TooMany(wait.unwrap_or_else(|| "60".into())),
            Ok((500..=599, _, _)) => LookupResult::Offline,
            Ok(_) => LookupResult::Unknown,
        }
    }
}

/// The national ID a submission's body carries.
pub fn body_national_id(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v[NATIONAL_ID].as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::form::answers;
    use crate::shell::request_forms::flow::{CLEARANCE, WITHDRAWAL};

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        assert_eq!(backoff_ms(1, 1.0), 2_000.0);
        assert_eq!(backoff_ms(2, 1.0), 4_000.0);
        assert_eq!(backoff_ms(3, 0.0), 4_000.0);
        assert_eq!(backoff_ms(30, 1.0), MAX_DELAY_MS);
        assert!(backoff_ms(5, 0.3) < backoff_ms(5, 0.9));
    }

    #[test]
    fn a_submission_carries_the_exact_body_and_the_files_to_upload() {
        let mut d = Draft::new("d1", "withdrawal", 1.0);
        d.answers = answers(&[
            ("national_id", "۰۰۸۴۵۷۵۹۴۸"),
            ("mobile", "09121234567"),
            ("student_number", "810199123"),
            ("early_withdrawal", "false"),
            ("withdrawal_form.file_name", "f.pdf"),
            ("withdrawal_form.media_type", "application/pdf"),
            ("withdrawal_form.size", "10"),
            ("withdrawal_form.sha256", "ab"),
            // A file of a page no longer asked is not sent.
            ("early_withdrawal_form.file_name", "e.pdf"),
            ("early_withdrawal_form.sha256", "cd"),
        ]);
        let e = OutboxEntry::new(&WITHDRAWAL, &d, "k".into(), 5.0);
        let body: Value = serde_json::from_str(&e.body).unwrap();
        assert_eq!(body["kind"], "withdrawal");
        assert_eq!(body["national_id"], "۰۰۸۴۵۷۵۹۴۸");
        assert!(body["answers"].get("national_id").is_none());
        assert_eq!(body["mobile"], "09121234567");
        assert!(body["answers"].get("mobile").is_none());
        assert_eq!(body["answers"]["withdrawal_form"]["sha256"], "ab");
        assert!(body["answers"].get("early_withdrawal_form").is_none());
        assert_eq!(e.files.len(), 1);
        assert_eq!(e.files[0].blob_key, "d1/withdrawal_form/0");
        assert!(e.due(5.0));
        assert_eq!(body_national_id(&e.body), "۰۰۸۴۵۷۵۹۴۸");
        let c = OutboxEntry::new(
            &CLEARANCE,
            &Draft::new("d2", "clearance", 1.0),
            "k2".into(),
            1.0,
        );
        assert!(c.files.is_empty());
    }

    #[test]
    fn answers_are_read_by_status() {
        let receipt = r#"{"tracking_code":"1234-5678-9012","kind":"clearance","status":"submitted","submitted_at":{"jalali":"1403-07-15","utc":"2024-10-06T08:30:00Z"}}"#;
        let Answer::Accepted(v) = read_answer(201, receipt, None) else {
            panic!()
        };
        let r = Receipt::from_answer(&v, "0084575948").unwrap();
        assert_eq!(r.tracking_code, "1234-5678-9012");
        assert_eq!(r.revocation_deadline, None);
        assert!(matches!(
            read_answer(200, receipt, None),
            Answer::Accepted(_)
        ));
        assert_eq!(
            read_answer(409, "{}", Some("1")),
            Answer::Retry {
                reason: "HTTP 409".into(),
                after_ms: Some(1000.0)
            }
        );
        assert!(matches!(
            read_answer(503, "", None),
            Answer::Retry { after_ms: None, .. }
        ));
        let refused = r#"{"error":{"code":"INVALID_INPUT","field":"mobile","message_fa":"م","message_en":"m",
            "errors":[{"field":"mobile","message_fa":"م","message_en":"m"},{"field":"faculty","message_fa":"ف","message_en":"f"}]}}"#;
        let Answer::Refused(errors) = read_answer(422, refused, None) else {
            panic!()
        };
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[1].field.as_deref(), Some("faculty"));
        let Answer::Refused(one) = read_answer(
            415,
            r#"{"error":{"code":"UNSUPPORTED_FILE_TYPE","field":null,"message_fa":"x","message_en":"y"}}"#,
            None,
        ) else {
            panic!()
        };
        assert_eq!(one[0].field, None);
        // Signed out, or another session's token: waits for a sign-in, not refused.
        let signed_out = r#"{"error":{"code":"SIGN_IN_REQUIRED","field":null,"message_fa":"x","message_en":"y"}}"#;
        assert_eq!(read_answer(401, signed_out, None), Answer::SignIn);
        let csrf =
            r#"{"error":{"code":"CSRF_FAILED","field":null,"message_fa":"x","message_en":"y"}}"#;
        assert_eq!(read_answer(403, csrf, None), Answer::SignIn);
        // Another person's request: refused, naming the field.
        let other = r#"{"error":{"code":"NOT_YOUR_REQUEST","field":"national_id","message_fa":"x","message_en":"y"}}"#;
        let Answer::Refused(mine) = read_answer(403, other, None) else {
            panic!()
        };
        assert_eq!(mine[0].field.as_deref(), Some("national_id"));
        let Answer::Refused(odd) = read_answer(418, "teapot", None) else {
            panic!()
        };
        assert!(odd[0].message_en.contains("418"));
    }

    #[test]
    fn lookups_are_read_as_the_server_answers() {
        let status = r#"{"tracking_code":"123456789012","kind":"withdrawal","status":"faculty_completion",
            "submitted_at":{"jalali":"1403-07-15","utc":"2024-10-06T08:30:00Z"},
            "timeline":[{"at":{"jalali":"1403-07-15","utc":"2024-10-06T08:30:00Z"},"from":null,"to":"submitted","action":"submit","actor":"applicant","note":null},
                        {"at":{"jalali":"1403-07-16","utc":"2024-10-07T08:30:00Z"},"from":"submitted","to":"faculty_completion","action":"cancel_card","actor":"faculty","note":"ok"}],
            "revocation_deadline":"1403-09-15"}"#;
        let LookupResult::Request(r) =
            LookupResult::read(Ok((200, status.into(), None)), "0084575948", 7.0)
        else {
            panic!()
        };
        assert_eq!(
            (r.kind.as_str(), r.status.as_str(), r.national_id.as_str()),
            ("withdrawal", "faculty_completion", "0084575948")
        );
        assert_eq!(r.timeline[1].to, "faculty_completion");
        assert_eq!(r.revocation_deadline.as_deref(), Some("1403-09-15"));
        assert_eq!(r.checked_at_ms, Some(7.0));
        assert_eq!(
            LookupResult::read(Ok((404, String::new(), None)), "x", 0.0),
            LookupResult::Unknown
        );
        assert_eq!(
            LookupResult::read(Ok((429, String::new(), Some("17".into()))), "x", 0.0),
            LookupResult::TooMany("17".into())
        );
        assert_eq!(
            LookupResult::read(Ok((503, String::new(), None)), "x", 0.0),
            LookupResult::Offline
        );
        assert_eq!(
            LookupResult::read(Err("network".into()), "x", 0.0),
            LookupResult::Offline
        );
    }

    #[test]
    fn failures_wait_longer_and_refusals_stop() {
        let mut e = OutboxEntry::new(
            &CLEARANCE,
            &Draft::new("d", "clearance", 0.0),
            "k".into(),
            0.0,
        );
        e.failed("offline".into(), 1_000.0, None, 1.0);
        assert_eq!(e.next_attempt_ms, 3_000.0);
        assert!(!e.due(2_000.0));
        e.failed("HTTP 409".into(), 3_000.0, Some(1_000.0), 1.0);
        assert_eq!(e.next_attempt_ms, 4_000.0);
        e.rejected(vec![]);
        assert!(!e.due(1e12));
    }
}
