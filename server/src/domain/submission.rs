//! A request as filed, apart from HTTP and SQL: the envelope `{kind, national_id, mobile,
//! answers}` bound to the signed-in person who files it (`file_as`: a body naming someone else is
//! refused; the mobile and faculty are the identity's), re-checked with `rules::requests` naming
//! every problem, the moves it starts with, and the request to store with the receipt to answer
//! (`NewRequest`).

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
use serde_json::{json, Map, Value};

use crate::domain::audit::Entry;
use crate::domain::clock::stamp;
use crate::domain::roster::{student_number, Person};
use crate::domain::universities::UniversityId;
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
    /// What a clerk's scope is matched against and where SMS go, copied from the body.
    pub copied: Copied,
    /// The signed-in identity's mobile the request is filed with, if it had one.
    pub identity_mobile: Option<String>,
    /// The university the identity's sign-in placed the person at, if any: a withdrawal or
    /// clearance of someone the roster does not place is filed there
    /// (`store::UNIVERSITY_OF_REQUEST`).
    pub identity_university: Option<UniversityId>,
    pub evening_course: bool,
    /// A clearance's offices in order as they are when it is filed (JSON), the route it walks
    /// whatever its university's list becomes; `None` for the other processes.
    pub route: Option<String>,
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
    /// The mobile of the signed-in identity that files it, if it has one ([`check_filed_by`]):
    /// every later write keeps it ([`copied`]).
    pub identity_mobile: Option<String>,
    /// The university the signed-in identity's sign-in placed the person at, if any.
    pub identity_university: Option<UniversityId>,
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

/// Why the signed-in person may not file a body: it names someone else. The error names the
/// field (`national_id`, or a withdrawal's `student_number`), in both languages.
fn not_yours(field: &str) -> InputError {
    let (en, fa) = match field {
        "student_number" => (
            "this is not the student number you signed in with; a student files their own request.",
            "این شماره دانشجویی با شماره دانشجویی شما که با آن وارد شده‌اید یکی نیست؛ هر دانشجو درخواست خود را ثبت می‌کند.",
        ),
        _ => (
            "this is not the national ID you signed in with; a person files their own request.",
            "این کد ملی با کد ملی شما که با آن وارد شده‌اید یکی نیست؛ هر کس درخواست خود را ثبت می‌کند.",
        ),
    };
    invalid(field, en, fa)
}

/// Binds a submission's body to the signed-in person who files it, before it is checked: the
/// national ID — beside the answers, and among an exemption's, wherever given — must be the
/// person's, and so must a withdrawal's student number when the person has one. The mobile (a
/// withdrawal's or clearance's beside the answers, an exemption's among them) and a withdrawal's
/// faculty are the person's when the identity has them, whatever the body says. What the body
/// must carry it still must (the form shows the identity's values): a missing field, or a value
/// that is not a valid national ID or student number, is left for the check to name; so is a
/// body that is not an envelope.
pub fn file_as(body: &mut Value, person: &Person) -> Result<(), InputError> {
    let kind = body.get("kind").and_then(Value::as_str).and_then(kind_of);
    let Some(envelope) = body.as_object_mut() else {
        return Ok(());
    };
    // Someone else's national ID: a valid one that is not the person's.
    let someone_else = |v: &Value| {
        v.as_str()
            .and_then(|s| NationalId::parse(s).ok())
            .is_some_and(|id| id.as_str() != person.national_id)
    };
    if envelope.get("national_id").is_some_and(someone_else) {
        return Err(not_yours("national_id"));
    }
    let own = |v: &str| Value::String(v.to_owned());
    if let (Some(RequestKind::Withdrawal | RequestKind::Clearance), Some(mobile)) =
        (kind, &person.mobile)
    {
        envelope.insert("mobile".into(), own(mobile));
    }
    let Some(answers) = envelope.get_mut("answers").and_then(Value::as_object_mut) else {
        return Ok(());
    };
    if answers.get("national_id").is_some_and(someone_else) {
        return Err(not_yours("national_id"));
    }
    match kind {
        Some(RequestKind::Exemption) => overwrite(answers, "mobile", &person.mobile),
        Some(RequestKind::Withdrawal) => {
            let given = answers.get("student_number").and_then(Value::as_str);
            if let (Some(Ok(given)), Some(number)) =
                (given.map(student_number), &person.student_number)
            {
                if given != *number {
                    return Err(not_yours("student_number"));
                }
            }
            overwrite(answers, "faculty", &person.faculty);
        }
        Some(RequestKind::Clearance) | None => {}
    }
    Ok(())
}

/// Replaces an answer the body gives with the identity's value, when the identity has one.
fn overwrite(answers: &mut Map<String, Value>, field: &str, value: &Option<String>) {
    if let (Some(given), Some(value)) = (answers.get_mut(field), value) {
        *given = Value::String(value.clone());
    }
}

/// The columns a request copies from its body: what a clerk's scope is matched against
/// (docs/staff-api.md, "Scope") and where SMS and one-time codes go. Derived by [`copied`] on
/// every write of the body — at filing and at each correction — never kept from an older body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Copied {
    /// An exemption's `university`.
    pub university: Option<String>,
    /// An exemption's `residence_city`.
    pub county: Option<String>,
    /// A withdrawal's `faculty`.
    pub faculty: Option<String>,
    pub mobile: Option<String>,
    /// An exemption's last day, its pre-check's `exemption_until` (the reminders' deadline).
    pub exemption_until: Option<String>,
}

/// The copied columns of a stored body of `kind` (`kind_name`). The mobile is the signed-in
/// identity's the request was filed with (`identity_mobile`) when it had one, else the
/// answers' (an exemption's), else `beside`: the mobile beside the answers — the envelope's at
/// filing, the stored one afterwards (a correction changes only the answers).
pub fn copied(
    kind: &str,
    body: &Value,
    beside: Option<String>,
    identity_mobile: Option<&str>,
) -> Copied {
    let text = |field: &str| body["answers"][field].as_str().map(str::to_owned);
    let exemption = kind == kind_name(RequestKind::Exemption);
    Copied {
        university: exemption.then(|| text("university")).flatten(),
        county: exemption.then(|| text("residence_city")).flatten(),
        faculty: (kind == kind_name(RequestKind::Withdrawal))
            .then(|| text("faculty"))
            .flatten(),
        mobile: identity_mobile
            .map(str::to_owned)
            .or_else(|| text("mobile"))
            .or(beside),
        exemption_until: exemption
            .then(|| {
                body["precheck"]["exemption_until"]
                    .as_str()
                    .map(str::to_owned)
            })
            .flatten(),
    }
}

/// Puts the identity's mobile in an exemption's answers (the form's, before they are checked)
/// in place of the one they give: at filing ([`file_as`]) and at a correction.
pub fn bind_mobile(answers: &mut Value, identity_mobile: Option<&str>) {
    if let Some(answers) = answers.as_object_mut() {
        overwrite(answers, "mobile", &identity_mobile.map(str::to_owned));
    }
}

/// Why a body is not filed.
#[derive(Debug)]
pub enum Refused {
    /// It names someone other than the signed-in person (`file_as`).
    NotYours(InputError),
    /// It is not a valid request: every problem.
    Invalid(Vec<InputError>),
}

/// A submission's body as `person` files it ([`file_as`]), then every check of `rules` as of
/// `today` ([`check_submission`]).
pub fn check_filed_by(
    bytes: &[u8],
    person: &Person,
    today: JalaliDate,
) -> Result<CheckedSubmission, Refused> {
    let mut value: Value =
        serde_json::from_slice(bytes).map_err(|e| Refused::Invalid(vec![not_json(e)]))?;
    file_as(&mut value, person).map_err(Refused::NotYours)?;
    let mut checked = check_value(value, today).map_err(Refused::Invalid)?;
    checked.identity_mobile = person.mobile.clone();
    checked.identity_university = person.university;
    Ok(checked)
}

/// Runs every check of `rules` on a submission's body as of `today`, naming every problem.
pub fn check_submission(
    bytes: &[u8],
    today: JalaliDate,
) -> Result<CheckedSubmission, Vec<InputError>> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| vec![not_json(e)])?;
    check_value(value, today)
}

/// [`check_submission`] on the body as JSON.
fn check_value(value: Value, today: JalaliDate) -> Result<CheckedSubmission, Vec<InputError>> {
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
                    identity_mobile: None,
                    identity_university: None,
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
        let copied = copied(
            kind,
            &self.body,
            self.mobile,
            self.identity_mobile.as_deref(),
        );
        let deadlines = self.deadlines;
        let status = state.id();
        let receipt = move |code: &TrackingCode| {
            let receipt = receipt(code, request_kind, &status, now, deadlines);
            serde_json::to_string(&receipt).expect("a receipt serialises")
        };
        NewRequest {
            idempotency_key: key,
            body_sha256,
            kind,
            national_id: self.national_id.as_str().to_owned(),
            process: process.id(),
            copied,
            identity_mobile: self.identity_mobile,
            identity_university: self.identity_university,
            evening_course,
            route: (process == Process::Clearance)
                .then(|| serde_json::to_string(offices).expect("offices serialise")),
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

/// The receipt of a filed request: its tracking code, kind, the state it started in, when, and a
/// withdrawal's deadlines. Answered at filing (and kept with its idempotency key); "my requests"
/// makes it again once that key is gone.
pub fn receipt(
    code: &TrackingCode,
    kind: RequestKind,
    status: &str,
    submitted_at: i64,
    deadlines: Option<(JalaliDate, JalaliDate)>,
) -> Receipt {
    Receipt {
        tracking_code: code.grouped(),
        kind,
        status: status.to_owned(),
        submitted_at: stamp(submitted_at),
        revocation_deadline: deadlines.map(|(revocation, _)| revocation.to_machine()),
        final_ruling_from: deadlines.map(|(_, ruling)| ruling.to_machine()),
    }
}

/// A withdrawal's deadlines as its stored body keeps them (`preview`): the last day to take it
/// back and the first day of the final ruling.
pub fn stored_deadlines(body: &Value) -> Option<(JalaliDate, JalaliDate)> {
    let day = |field: &str| serde_json::from_value(body["preview"][field].clone()).ok();
    Some((day("revocation_deadline")?, day("final_ruling_from")?))
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

#[cfg(test)]
mod tests {
    use api::signin::SigninSource;

    use super::*;

    const ID: &str = "0084575948";
    const OTHER: &str = "0012345679";

    /// A person with everything a roster gives, or (`full` false) a national ID alone.
    fn person(full: bool) -> Person {
        let some = |v: &str| full.then(|| v.to_owned());
        Person {
            national_id: ID.into(),
            student_number: some("810199123"),
            mobile: some("09121234567"),
            faculty: some("دانشکده فنی"),
            level: some("bachelor_continuous"),
            source: SigninSource::Roster,
            provider: None,
            university: None,
            csrf_token: "csrf".into(),
            expires_at: 0,
        }
    }

    fn filed(mut body: Value, person: &Person) -> Result<Value, String> {
        file_as(&mut body, person)
            .map(|()| body)
            .map_err(|e| e.field.unwrap_or_default())
    }

    fn withdrawal(national_id: Option<&str>, number: Option<&str>) -> Value {
        let mut body = json!({"kind": "withdrawal", "mobile": "09350000000",
            "answers": {"faculty": "علوم", "level": "phd", "reason": "کار"}});
        if let Some(id) = national_id {
            body["national_id"] = json!(id);
        }
        if let Some(n) = number {
            body["answers"]["student_number"] = json!(n);
        }
        body
    }

    #[test]
    fn a_body_naming_someone_else_is_not_filed() {
        let p = person(true);
        assert_eq!(
            filed(withdrawal(Some(OTHER), None), &p).unwrap_err(),
            "national_id"
        );
        let clearance = json!({"kind": "clearance", "national_id": OTHER, "answers": {}});
        assert_eq!(filed(clearance, &p).unwrap_err(), "national_id");
        // An exemption's national ID is among its answers; the envelope's is checked too.
        let exemption = json!({"kind": "exemption", "answers": {"national_id": OTHER}});
        assert_eq!(filed(exemption, &p).unwrap_err(), "national_id");
        let exemption = json!({"kind": "exemption", "national_id": OTHER,
                               "answers": {"national_id": ID}});
        assert_eq!(filed(exemption, &p).unwrap_err(), "national_id");
        // Whatever the kind says.
        let unknown = json!({"kind": "parking", "national_id": OTHER});
        assert_eq!(filed(unknown, &p).unwrap_err(), "national_id");
        // A withdrawal's student number, when the person has one.
        assert_eq!(
            filed(withdrawal(Some(ID), Some("810199124")), &p).unwrap_err(),
            "student_number"
        );
        let e = file_as(&mut withdrawal(Some(OTHER), None), &p).unwrap_err();
        assert!(e
            .message_en
            .starts_with("national_id: this is not the national ID you signed in with"));
        assert!(e.message_fa.starts_with("national_id: این کد ملی"));
        let e = file_as(&mut withdrawal(None, Some("1")), &person(true));
        assert!(
            e.is_ok(),
            "an invalid student number is the check's to name"
        );
    }

    #[test]
    fn the_persons_own_values_in_any_digits_are_theirs() {
        let p = person(true);
        let body = filed(withdrawal(Some("۰۰۸۴۵۷۵۹۴۸"), Some(" ۸۱۰۱۹۹۱۲۳ ")), &p).unwrap();
        assert_eq!(body["national_id"], "۰۰۸۴۵۷۵۹۴۸");
        assert_eq!(body["answers"]["student_number"], " ۸۱۰۱۹۹۱۲۳ ");
        // A value that is no national ID at all is left for the check to name.
        assert!(filed(withdrawal(Some("123"), None), &p).is_ok());
        assert!(filed(json!([1, 2]), &p).is_ok());
    }

    #[test]
    fn the_identity_overrides_the_mobile_and_faculty() {
        let p = person(true);
        let body = filed(withdrawal(Some(ID), Some("810199123")), &p).unwrap();
        assert_eq!(body["mobile"], "09121234567");
        assert_eq!(body["answers"]["faculty"], "دانشکده فنی");
        // The level is the body's.
        assert_eq!(body["answers"]["level"], "phd");
        // A clearance's mobile beside its answers is optional: the identity's.
        let clearance = json!({"kind": "clearance", "national_id": ID,
                               "answers": {"reason": "withdrawal"}});
        let body = filed(clearance, &p).unwrap();
        assert_eq!(body["mobile"], "09121234567");
        assert!(body["answers"].get("faculty").is_none());
        let exemption = json!({"kind": "exemption",
                               "answers": {"national_id": ID, "mobile": "09350000000"}});
        let body = filed(exemption, &p).unwrap();
        assert_eq!(body["answers"]["mobile"], "09121234567");
        assert!(body.get("mobile").is_none() && body.get("national_id").is_none());
        // What the body must carry it still must: nothing is filled in for it.
        let body = filed(withdrawal(None, None), &p).unwrap();
        assert!(body.get("national_id").is_none());
        assert!(body["answers"].get("student_number").is_none());
        let bare = filed(json!({"kind": "exemption", "answers": {}}), &p).unwrap();
        assert_eq!(bare["answers"], json!({}));
    }

    #[test]
    fn without_them_in_the_identity_the_body_says_the_mobile_faculty_and_student_number() {
        let p = person(false);
        let body = filed(withdrawal(Some(ID), Some("98123456")), &p).unwrap();
        assert_eq!(body["mobile"], "09350000000");
        assert_eq!(body["answers"]["faculty"], "علوم");
        assert_eq!(body["answers"]["student_number"], "98123456");
    }

    #[test]
    fn someone_elses_body_is_refused_before_it_is_checked() {
        let today = JalaliDate::new(1403, 7, 15).unwrap();
        let p = person(true);
        let bad = br#"{"kind":"clearance","national_id":"0012345679","answers":{}}"#;
        assert!(matches!(
            check_filed_by(bad, &p, today),
            Err(Refused::NotYours(e)) if e.field.as_deref() == Some("national_id")
        ));
        let refused = check_filed_by(b"{", &p, today);
        assert!(matches!(refused, Err(Refused::Invalid(e)) if e.len() == 1));
        let ok = br#"{"kind":"clearance","national_id":"0084575948",
                      "answers":{"reason":"withdrawal","evening_course":false}}"#;
        let checked = check_filed_by(ok, &p, today).unwrap();
        assert_eq!(checked.national_id.as_str(), ID);
        assert_eq!(checked.mobile.as_deref(), Some("09121234567"));
    }

    #[test]
    fn a_receipt_is_made_again_from_the_stored_request_as_it_was_given() {
        let now = 1_760_000_000;
        let attachment = json!({"file_name": "f.pdf", "media_type": "application/pdf",
                                "size": 9, "sha256": "ab".repeat(32)});
        let body = json!({"kind": "withdrawal", "national_id": ID, "answers": {
            "student_number": "810199123", "faculty": "فنی", "level": "bachelor_continuous",
            "reason": "کار", "early_withdrawal": false, "student_card": "handed_in",
            "withdrawal_form": attachment}});
        let today = JalaliDate::today_in_tehran(now);
        let checked = check_submission(body.to_string().as_bytes(), today).unwrap();
        let new = checked.into_new_request("k".into(), "h".into(), now, &[]);
        let code = TrackingCode::from_number(42);
        let given: Receipt = serde_json::from_str(&(new.receipt)(&code)).unwrap();
        let stored: Value = serde_json::from_str(&new.body).unwrap();
        let again = receipt(
            &code,
            RequestKind::Withdrawal,
            &new.status,
            now,
            stored_deadlines(&stored),
        );
        assert_eq!(again, given);
        assert!(given.final_ruling_from.is_some());
        assert_eq!(stored_deadlines(&json!({"kind": "clearance"})), None);
    }

    #[test]
    fn the_copied_columns_come_from_the_body_and_the_identitys_mobile_wins() {
        let exemption = json!({"kind": "exemption", "answers": {"university": "شریف",
            "residence_city": "شیراز", "mobile": "09351112233", "faculty": "فنی"},
            "precheck": {"exemption_until": "1408-07-01"}});
        let bound = copied("exemption", &exemption, None, Some("09121234567"));
        assert_eq!(
            bound,
            Copied {
                university: Some("شریف".into()),
                county: Some("شیراز".into()),
                faculty: None,
                mobile: Some("09121234567".into()),
                exemption_until: Some("1408-07-01".into()),
            }
        );
        let unbound = copied("exemption", &exemption, None, None);
        assert_eq!(unbound.mobile.as_deref(), Some("09351112233"));
        // A withdrawal's mobile is beside its answers (the stored one after filing).
        let withdrawal = json!({"kind": "withdrawal", "answers": {"faculty": "فنی"}});
        let w = copied("withdrawal", &withdrawal, Some("09350000000".into()), None);
        assert_eq!(
            (w.university, w.faculty.as_deref(), w.mobile.as_deref()),
            (None, Some("فنی"), Some("09350000000"))
        );
        // At a correction the form's mobile becomes the identity's, as at filing.
        let mut answers = json!({"mobile": "09351112233"});
        bind_mobile(&mut answers, Some("09121234567"));
        assert_eq!(answers["mobile"], "09121234567");
        bind_mobile(&mut answers, None);
        assert_eq!(answers["mobile"], "09121234567");
    }
}
