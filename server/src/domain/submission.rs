//! A request as filed, apart from HTTP and SQL: the envelope `{kind, national_id, mobile,
//! answers}` re-checked with `rules::requests` naming every problem, the moves it starts with,
//! and the request to store with the receipt to answer (`NewRequest`).

use api::requests::{Receipt, Submission};
use rules::contract::{decode_raw, InputError};
use rules::identity::Mobile;
use rules::requests::{
    check_clearance, check_exemption, check_withdrawal, withdrawal_preview, Attachment,
    ClearanceOffice, RawClearanceRequest, RawExemptionRequest, RawWithdrawalRequest, RequestKind,
};
use rules::tracking::TrackingCode;
use rules::workflow::{Context, Process};
use rules::{JalaliDate, NationalId};
use serde_json::{json, Value};

use crate::domain::audit::Entry;
use crate::domain::clock::stamp;
use crate::domain::workflow::{process_of_kind, submission, Actor};
use crate::domain::{invalid, not_json, required};

/// A request to store, validated by the caller. The answer to send (and to replay) is made by
/// `receipt` once the tracking code is drawn.
pub struct NewRequest {
    pub idempotency_key: String,
    pub body_sha256: String,
    pub kind: &'static str,
    pub national_id: String,
    /// `rules::workflow::Process::id`.
    pub process: &'static str,
    /// What a clerk's scope is matched against (docs/staff-api.md).
    pub university: Option<String>,
    pub county: Option<String>,
    pub faculty: Option<String>,
    pub mobile: Option<String>,
    pub evening_course: bool,
    /// The validated request as JSON.
    pub body: String,
    /// The state after the submission's moves (`State::id`).
    pub status: String,
    /// The submission and the system moves that followed it, for the audit trail (at least one).
    pub moves: Vec<Entry>,
    pub submitted_at: i64,
    pub submitted_jalali: String,
    pub revocation_deadline: Option<String>,
    pub attachments: Vec<AttachmentRef>,
    /// The 201 answer's body for the drawn tracking code.
    pub receipt: Box<dyn Fn(&TrackingCode) -> String + Send + Sync>,
}

/// An answer of a request referring to an uploaded file.
pub struct AttachmentRef {
    pub field: String,
    pub sha256: String,
    pub file_name: String,
}

/// A submission that passed every check.
pub struct CheckedSubmission {
    pub kind: RequestKind,
    pub national_id: NationalId,
    /// The validated request (and what the rules said of it) as stored.
    pub body: Value,
    /// The mobile SMS go to (the exemption's, or the one beside the answers).
    pub mobile: Option<String>,
    /// Withdrawals: the last day to take it back and the first day of the final ruling.
    pub deadlines: Option<(JalaliDate, JalaliDate)>,
    pub attachments: Vec<(String, Attachment)>,
}

pub fn kind_name(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::Exemption => "exemption",
        RequestKind::Withdrawal => "withdrawal",
        RequestKind::Clearance => "clearance",
    }
}

/// The kind a stored name (`kind_name`) stands for.
pub fn kind_of(name: &str) -> Option<RequestKind> {
    [
        RequestKind::Exemption,
        RequestKind::Withdrawal,
        RequestKind::Clearance,
    ]
    .into_iter()
    .find(|&kind| kind_name(kind) == name)
}

/// A national ID the input must have, checked (its check digit included).
pub fn national_id(value: Option<&str>) -> Result<NationalId, InputError> {
    let value = required("national_id", value)?;
    NationalId::parse(value).map_err(|e| invalid("national_id", e.message_en(), e.message_fa()))
}

/// Runs every check of `rules` on a submission's body as of `today`, naming every problem.
pub fn check_submission(
    bytes: &[u8],
    today: JalaliDate,
) -> Result<CheckedSubmission, Vec<InputError>> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| vec![not_json(e)])?;
    let raw: Submission = decode_raw(value).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let Some(kind) = raw.kind else {
        errors.push(InputError::new(
            Some("kind"),
            "kind: this field is required (exemption, withdrawal or clearance).",
            "kind: نوع درخواست لازم است.",
        ));
        return Err(errors);
    };
    let answers = match raw.answers {
        Some(v @ Value::Object(_)) => v,
        _ => {
            return Err(vec![InputError::new(
                Some("answers"),
                "answers: the request's answers, a JSON object, are required.",
                "answers: پاسخ‌های درخواست (یک شیء JSON) لازم است.",
            )])
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
    Err(errors)
}

impl CheckedSubmission {
    /// Whether the request is a clearance (whose start depends on the offices).
    pub fn is_clearance(&self) -> bool {
        self.kind == RequestKind::Clearance
    }

    pub fn into_new_request(
        self,
        key: String,
        body_sha256: String,
        now: i64,
        offices: &[ClearanceOffice],
    ) -> NewRequest {
        let process = process_of_kind(kind_name(self.kind));
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
        let request_kind = self.kind;
        let kind = kind_name(request_kind);
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
        let (state, moves) = submission(process, &self.body, &ctx, now, actor);
        let text = |field: &str| self.body["answers"][field].as_str().map(str::to_owned);
        let deadlines = self.deadlines;
        let status = state.id();
        let receipt = move |code: &TrackingCode| {
            let receipt = Receipt {
                tracking_code: code.grouped(),
                kind: request_kind,
                status: status.clone(),
                submitted_at: submitted.clone(),
                revocation_deadline: deadlines.map(|(revocation, _)| revocation.to_machine()),
                final_ruling_from: deadlines.map(|(_, ruling)| ruling.to_machine()),
            };
            serde_json::to_string(&receipt).expect("a receipt serialises")
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
