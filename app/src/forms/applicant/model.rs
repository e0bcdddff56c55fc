//! The applicant API of `docs/staff-api.md` ("Applicant actions", "Payments") as plain data: the
//! bodies sent, the answers read, what an error answer means for the page, the one-time code
//! as typed, the fee as shown, and the session token kept for one tracking code.

use rules::digits::to_ascii_digits;
use rules::workflow::{audit_action_label, state_label, State};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::shell::http::{server_errors, ServerError};
use crate::shell::i18n::Lang;

/// How many digits the one-time code has.
pub const CODE_DIGITS: usize = 6;

/// The actions an applicant can take (`Action::id()`), and the payment, which is not one.
pub const REVOKE: &str = "revoke";
pub const FILE_JUSTIFICATION: &str = "file_justification";
pub const RESUBMIT: &str = "resubmit";
/// Seed 001 step 3: the student has cleared accounts with the faculty's units.
pub const REPORT_CLEARANCES: &str = "report_clearances";
pub const PAY: &str = "pay";
/// The state in which the fee is paid.
pub const AWAITING_PAYMENT: &str = "awaiting_payment";

/// A national ID as sent: its ten Latin digits when it is one, else as typed (the server
/// names the problem).
fn national_id_sent(typed: &str) -> String {
    rules::identity::NationalId::parse(typed)
        .map(|n| n.as_str().to_owned())
        .unwrap_or_else(|_| typed.trim().to_owned())
}

pub fn code_body(tracking_code: &str, national_id: &str) -> Value {
    json!({"tracking_code": tracking_code, "national_id": national_id_sent(national_id)})
}

pub fn session_body(tracking_code: &str, national_id: &str, code: &str) -> Value {
    json!({"tracking_code": tracking_code, "national_id": national_id_sent(national_id), "code": code})
}

/// `POST /api/v1/applicant/request/actions`: `{action, version, answers?, justification?}`.
pub fn action_body(
    action: &str,
    version: u64,
    answers: Option<Value>,
    justification: Option<&str>,
) -> Value {
    let mut body = json!({"action": action, "version": version});
    if let Some(answers) = answers {
        body["answers"] = answers;
    }
    if let Some(text) = justification {
        body["justification"] = text.trim().into();
    }
    body
}

/// 202 of `POST /api/v1/applicant/code`.
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct CodeSent {
    /// The masked mobile, `0912***4567`.
    pub sent_to: String,
    /// Seconds.
    pub expires_in: u64,
}

/// 200 of `POST /api/v1/applicant/session`.
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct Session {
    pub token: String,
    /// Seconds.
    pub expires_in: u64,
}

/// The session token as kept in `sessionStorage` (never `localStorage`: a closed tab or the
/// kiosk's wipe ends it).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Token {
    pub token: String,
    pub expires_at_ms: f64,
}

impl Token {
    pub fn from_session(session: &Session, now_ms: f64) -> Token {
        Token {
            token: session.token.clone(),
            expires_at_ms: now_ms + session.expires_in as f64 * 1000.0,
        }
    }

    /// Still usable (with a few seconds to spare).
    pub fn live(&self, now_ms: f64) -> bool {
        now_ms + 5_000.0 < self.expires_at_ms
    }
}

/// The `sessionStorage` key of the token for one request.
pub fn token_key(tracking_code: &str) -> String {
    format!("pishkhan.applicant.{tracking_code}")
}

/// One row of a request's timeline.
#[derive(Clone, PartialEq, Debug, Deserialize)]
pub struct TimelineEntry {
    /// `{jalali, utc}`, or a date string.
    #[serde(default)]
    pub at: Value,
    pub action: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub note: Option<String>,
}

impl TimelineEntry {
    /// The day, as a Jalali date.
    pub fn date(&self) -> Option<rules::JalaliDate> {
        let text = self.at["jalali"].as_str().or(self.at.as_str())?;
        rules::JalaliDate::parse(text.get(..10).unwrap_or(text)).ok()
    }
}

#[derive(Clone, PartialEq, Eq, Debug, Default, Deserialize)]
pub struct Deadlines {
    #[serde(default)]
    pub revocation_deadline: Option<String>,
    #[serde(default)]
    pub final_ruling_from: Option<String>,
}

/// An action offered to the applicant now.
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct Offered {
    pub action: String,
}

#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct Payment {
    pub amount_rials: u64,
    #[serde(default)]
    pub status: String,
}

/// `GET /api/v1/applicant/request`.
#[derive(Clone, PartialEq, Debug, Deserialize)]
pub struct ApplicantRequest {
    pub tracking_code: String,
    pub kind: String,
    pub state: String,
    #[serde(default)]
    pub state_fa: String,
    #[serde(default)]
    pub state_en: String,
    pub version: u64,
    #[serde(default)]
    pub answers: Value,
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    #[serde(default)]
    pub deadlines: Option<Deadlines>,
    #[serde(default)]
    pub actions: Vec<Offered>,
    #[serde(default)]
    pub payment: Option<Payment>,
}

impl ApplicantRequest {
    pub fn offers(&self, action: &str) -> bool {
        self.actions.iter().any(|a| a.action == action)
    }

    /// Whether the fee is to be paid now.
    pub fn awaits_payment(&self) -> bool {
        self.state == AWAITING_PAYMENT
    }

    /// The fee, when the server said it.
    pub fn fee(&self) -> Option<u64> {
        self.payment.as_ref().map(|p| p.amount_rials)
    }

    pub fn revocation_deadline(&self) -> Option<rules::JalaliDate> {
        let d = self.deadlines.as_ref()?.revocation_deadline.as_deref()?;
        rules::JalaliDate::parse(d).ok()
    }
}

/// A state's name from `rules::workflow` (the server's own words for a state this build does
/// not know).
pub fn state_name(lang: Lang, request: &ApplicantRequest) -> String {
    let label =
        State::parse(&request.state).map(|s| state_label(&s, &rules::requests::default_offices()));
    match (lang, label) {
        (Lang::Fa, Some(l)) => l.fa,
        (Lang::En, Some(l)) => l.en,
        (Lang::Fa, None) if !request.state_fa.is_empty() => request.state_fa.clone(),
        (Lang::En, None) if !request.state_en.is_empty() => request.state_en.clone(),
        _ => request.state.clone(),
    }
}

/// A state's name by id (timeline rows).
pub fn state_id_name(lang: Lang, id: &str) -> String {
    let label = State::parse(id)
        .map(|s| state_label(&s, &rules::requests::default_offices()))
        .unwrap_or_else(|| rules::workflow::Label {
            fa: id.to_owned(),
            en: id.to_owned(),
        });
    pick(lang, label)
}

/// An action's (or the filing's) name from `rules::workflow`.
pub fn action_name(lang: Lang, id: &str) -> String {
    pick(lang, audit_action_label(id))
}

fn pick(lang: Lang, label: rules::workflow::Label) -> String {
    match lang {
        Lang::Fa => label.fa,
        Lang::En => label.en,
    }
}

/// `1000000` → `۱٬۰۰۰٬۰۰۰ ریال` / `1,000,000 rials`.
pub fn format_rials(lang: Lang, amount: u64) -> String {
    match lang {
        Lang::Fa => format!("{} ریال", lang.grouped(amount)),
        Lang::En => format!("{} rials", lang.grouped(amount)),
    }
}

/// Why a typed one-time code is refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CodeProblem {
    Empty,
    NotDigits,
    Length(usize),
}

/// The one-time code as typed (Persian, Arabic-Indic or Latin digits, spaces ignored) → its
/// six Latin digits.
pub fn parse_code(typed: &str) -> Result<String, CodeProblem> {
    let latin: String = to_ascii_digits(typed)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if latin.is_empty() {
        return Err(CodeProblem::Empty);
    }
    if !latin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(CodeProblem::NotDigits);
    }
    if latin.len() != CODE_DIGITS {
        return Err(CodeProblem::Length(latin.len()));
    }
    Ok(latin)
}

/// What an answer other than success means for the page.
#[derive(Clone, PartialEq, Debug)]
pub enum Failure {
    /// The server could not be reached (or failed: 5xx).
    Offline,
    /// 404: no such request with this national ID (the same answer for both).
    NotFound,
    /// 422 `NO_MOBILE`: the request has no mobile to send a code to.
    NoMobile,
    /// 401 `CODE_INVALID` / `CODE_EXPIRED` on opening a session.
    CodeRefused { expired: bool },
    /// 401 otherwise: the token is missing or expired; ask for a new code.
    SignedOut,
    /// 409 `STALE_VERSION`: the request moved meanwhile.
    Stale,
    /// 422 `GUARD`, 403 `FORBIDDEN_ACTION`: a rule says no; the server's words.
    Refused { fa: String, en: String },
    /// 422 `INVALID_INPUT`: these fields.
    Invalid(Vec<ServerError>),
    /// 429: try again after this many seconds.
    TooMany(u64),
}

/// Reads an answer: the JSON of a success (2xx), else what went wrong.
pub fn read_reply(status: u16, body: &str, retry_after: Option<&str>) -> Result<Value, Failure> {
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    if (200..300).contains(&status) {
        return Ok(json);
    }
    let code = json["error"]["code"].as_str().unwrap_or_default();
    let first = || {
        server_errors(&json, status)
            .into_iter()
            .next()
            .expect("one at least")
    };
    Err(match (status, code) {
        (404, _) => Failure::NotFound,
        (401, "CODE_INVALID") => Failure::CodeRefused { expired: false },
        (401, "CODE_EXPIRED") => Failure::CodeRefused { expired: true },
        (401, _) => Failure::SignedOut,
        (409, _) => Failure::Stale,
        (422, "NO_MOBILE") => Failure::NoMobile,
        (422, "INVALID_INPUT") => Failure::Invalid(server_errors(&json, status)),
        (429, _) => Failure::TooMany(
            retry_after
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(60),
        ),
        (408 | 500..=599, _) => Failure::Offline,
        _ => {
            let e = first();
            Failure::Refused {
                fa: e.message_fa,
                en: e.message_en,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUEST: &str = r#"{"tracking_code":"2304-3456-7882","kind":"withdrawal","process":"withdrawal",
        "state":"faculty_completion","state_fa":"x","state_en":"y","version":4,
        "answers":{"faculty":"فنی"},
        "timeline":[{"at":{"jalali":"1405-09-01","utc":"2026-11-22T00:45:56Z"},"action":"submit","action_fa":"","action_en":"","to":"submitted","to_fa":"","to_en":"","note":null},
                    {"at":"1405-09-03","action":"cancel_card","to":"awaiting_student_clearances","note":"کارت باطل شد"}],
        "deadlines":{"revocation_deadline":"1405-11-01","final_ruling_from":"1405-11-02"},
        "actions":[{"action":"revoke","action_fa":"انصراف از انصراف","action_en":"Revoke"}],
        "payment":null}"#;

    #[test]
    fn the_request_is_read_with_names_from_the_rules() {
        let r: ApplicantRequest = serde_json::from_str(REQUEST).unwrap();
        assert_eq!(r.version, 4);
        assert!(r.offers(REVOKE) && !r.offers(RESUBMIT));
        assert!(!r.awaits_payment());
        assert_eq!(r.fee(), None);
        assert_eq!(
            r.revocation_deadline(),
            rules::JalaliDate::parse("1405-11-01").ok()
        );
        assert_eq!(state_name(Lang::Fa, &r), "تکمیل پرونده در دانشکده");
        assert_eq!(state_name(Lang::En, &r), "Faculty completes the file");
        assert_eq!(r.timeline.len(), 2);
        assert_eq!(
            r.timeline[0].date(),
            rules::JalaliDate::parse("1405-09-01").ok()
        );
        assert_eq!(
            r.timeline[1].date(),
            rules::JalaliDate::parse("1405-09-03").ok()
        );
        assert_eq!(r.timeline[1].note.as_deref(), Some("کارت باطل شد"));
        assert_eq!(action_name(Lang::En, "submit"), "Request filed");
        assert_eq!(action_name(Lang::Fa, "revoke"), "انصراف از انصراف");
        assert_eq!(state_id_name(Lang::En, "submitted"), "Submitted");
        // A state this build does not know: the server's words.
        let mut odd = r.clone();
        odd.state = "somewhere_new".into();
        assert_eq!(state_name(Lang::Fa, &odd), "x");
    }

    #[test]
    fn the_fee_is_due_while_awaiting_payment() {
        let json = REQUEST
            .replace("\"faculty_completion\"", "\"awaiting_payment\"")
            .replace(
                "\"payment\":null",
                "\"payment\":{\"amount_rials\":1000000,\"status\":\"pending\"}",
            );
        let r: ApplicantRequest = serde_json::from_str(&json).unwrap();
        assert!(r.awaits_payment());
        assert_eq!(r.fee(), Some(1_000_000));
        assert_eq!(format_rials(Lang::Fa, 1_000_000), "۱٬۰۰۰٬۰۰۰ ریال");
        assert_eq!(format_rials(Lang::En, 1_000_000), "1,000,000 rials");
        assert_eq!(format_rials(Lang::En, 999), "999 rials");
        assert_eq!(format_rials(Lang::En, 12_345), "12,345 rials");
        assert_eq!(format_rials(Lang::Fa, 0), "۰ ریال");
    }

    #[test]
    fn bodies_follow_the_contract() {
        assert_eq!(
            code_body("2304-3456-7882", " 0084575948 "),
            json!({"tracking_code": "2304-3456-7882", "national_id": "0084575948"})
        );
        assert_eq!(
            code_body("2304-3456-7887", "۰۰۸۴۵۷۵۹۴۸")["national_id"],
            "0084575948"
        );
        assert_eq!(session_body("c", "n", "123456")["code"], "123456");
        assert_eq!(
            action_body(REVOKE, 4, None, None),
            json!({"action": "revoke", "version": 4})
        );
        assert_eq!(
            action_body(FILE_JUSTIFICATION, 2, None, Some(" دلیل ")),
            json!({"action": "file_justification", "version": 2, "justification": "دلیل"})
        );
        let b = action_body(RESUBMIT, 7, Some(json!({"level": "phd"})), None);
        assert_eq!(b["answers"]["level"], "phd");
        let sent: CodeSent =
            serde_json::from_str(r#"{"sent_to":"0912***4567","expires_in":300}"#).unwrap();
        assert_eq!(sent.sent_to, "0912***4567");
        let s: Session = serde_json::from_str(r#"{"token":"t","expires_in":1800}"#).unwrap();
        let t = Token::from_session(&s, 1_000.0);
        assert_eq!(t.expires_at_ms, 1_801_000.0);
        assert!(t.live(2_000.0) && !t.live(1_800_000.0));
        assert_eq!(
            token_key("2304-3456-7882"),
            "pishkhan.applicant.2304-3456-7882"
        );
    }

    #[test]
    fn codes_are_six_digits_in_any_script() {
        assert_eq!(parse_code("۱۲۳۴۵۶").as_deref(), Ok("123456"));
        assert_eq!(parse_code("١٢٣ ٤٥٦").as_deref(), Ok("123456"));
        assert_eq!(parse_code(" 123456 ").as_deref(), Ok("123456"));
        assert_eq!(parse_code(""), Err(CodeProblem::Empty));
        assert_eq!(parse_code("12a456"), Err(CodeProblem::NotDigits));
        assert_eq!(parse_code("12345"), Err(CodeProblem::Length(5)));
        assert_eq!(parse_code("1234567"), Err(CodeProblem::Length(7)));
    }

    #[test]
    fn error_answers_mean_what_the_contract_says() {
        let err = |code: &str, fa: &str| {
            format!(
                r#"{{"error":{{"code":"{code}","field":null,"message_fa":"{fa}","message_en":"en","message":"en"}}}}"#
            )
        };
        assert_eq!(read_reply(202, r#"{"a":1}"#, None), Ok(json!({"a": 1})));
        assert_eq!(
            read_reply(404, &err("NOT_FOUND", "x"), None),
            Err(Failure::NotFound)
        );
        assert_eq!(
            read_reply(422, &err("NO_MOBILE", "x"), None),
            Err(Failure::NoMobile)
        );
        assert_eq!(
            read_reply(401, &err("CODE_EXPIRED", "x"), None),
            Err(Failure::CodeRefused { expired: true })
        );
        assert_eq!(
            read_reply(401, &err("CODE_INVALID", "x"), None),
            Err(Failure::CodeRefused { expired: false })
        );
        assert_eq!(
            read_reply(401, &err("NOT_SIGNED_IN", "x"), None),
            Err(Failure::SignedOut)
        );
        assert_eq!(
            read_reply(409, &err("STALE_VERSION", "x"), None),
            Err(Failure::Stale)
        );
        assert_eq!(
            read_reply(422, &err("GUARD", "مهلت گذشته است"), None),
            Err(Failure::Refused {
                fa: "مهلت گذشته است".into(),
                en: "en".into()
            })
        );
        assert_eq!(
            read_reply(429, &err("RATE_LIMITED", "x"), Some("17")),
            Err(Failure::TooMany(17))
        );
        assert_eq!(read_reply(429, "", None), Err(Failure::TooMany(60)));
        assert_eq!(read_reply(503, "", None), Err(Failure::Offline));
        let invalid = r#"{"error":{"code":"INVALID_INPUT","field":"justification","message_fa":"ف","message_en":"e"}}"#;
        let Err(Failure::Invalid(errors)) = read_reply(422, invalid, None) else {
            panic!()
        };
        assert_eq!(errors[0].field.as_deref(), Some("justification"));
    }
}
