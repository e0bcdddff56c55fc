//! The applicant API of `docs/staff-api.md` ("Applicant actions", "Payments") as the page uses
//! it: the bodies sent and the answers read (the `api` crate's types), what an error answer means
//! for the page, the one-time code as typed, the fee as shown, and the session token kept for one
//! tracking code.

use api::applicant::{ApplicantMove, ApplicantSession, ApplicantView, CodeCheck};
use api::requests::Lookup;
use rules::digits::to_ascii_digits;
use rules::workflow::{audit_action_label, state_label, State};
use serde::{Deserialize, Serialize};
use serde_json::Value;

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

/// `POST /api/v1/applicant/code`: whose request.
pub fn code_body(tracking_code: &str, national_id: &str) -> Lookup {
    Lookup {
        tracking_code: Some(tracking_code.to_owned()),
        national_id: Some(national_id_sent(national_id)),
    }
}

/// `POST /api/v1/applicant/session`: the request and the code from the SMS.
pub fn session_body(tracking_code: &str, national_id: &str, code: &str) -> CodeCheck {
    CodeCheck {
        tracking_code: Some(tracking_code.to_owned()),
        national_id: Some(national_id_sent(national_id)),
        code: Some(code.to_owned()),
    }
}

/// `POST /api/v1/applicant/request/actions`: `{action, version, answers?, justification?}`.
pub fn action_body(
    action: &str,
    version: i64,
    answers: Option<Value>,
    justification: Option<&str>,
) -> ApplicantMove {
    ApplicantMove {
        action: Some(action.to_owned()),
        version: Some(version),
        answers,
        justification: justification.map(|t| t.trim().to_owned()),
    }
}

/// The session token as kept in `sessionStorage` (never `localStorage`: a closed tab or the
/// kiosk's wipe ends it).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Token {
    pub token: String,
    pub expires_at_ms: f64,
}

impl Token {
    pub fn from_session(session: &ApplicantSession, now_ms: f64) -> Token {
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

/// The day of a moment, as a Jalali date.
pub fn moment_date(at: &api::common::Moment) -> Option<rules::JalaliDate> {
    rules::JalaliDate::parse(at.jalali.get(..10).unwrap_or(&at.jalali)).ok()
}

/// Whether the applicant may take `action` now.
pub fn offers(request: &ApplicantView, action: &str) -> bool {
    request.actions.iter().any(|a| a.id == action)
}

/// Whether the fee is to be paid now.
pub fn awaits_payment(request: &ApplicantView) -> bool {
    request.state.id == AWAITING_PAYMENT
}

/// The fee, when the server said it.
pub fn fee(request: &ApplicantView) -> Option<u64> {
    request.payment.as_ref().map(|p| p.amount_rials)
}

pub fn revocation_deadline(request: &ApplicantView) -> Option<rules::JalaliDate> {
    rules::JalaliDate::parse(&request.deadlines.as_ref()?.revocation_deadline).ok()
}

/// A state's name from `rules::workflow` (the server's own words for a state this build does
/// not know).
pub fn state_name(lang: Lang, request: &ApplicantView) -> String {
    let state = &request.state;
    let label =
        State::parse(&state.id).map(|s| state_label(&s, &rules::requests::default_offices()));
    match (lang, label) {
        (Lang::Fa, Some(l)) => l.fa,
        (Lang::En, Some(l)) => l.en,
        (Lang::Fa, None) if !state.fa.is_empty() => state.fa.clone(),
        (Lang::En, None) if !state.en.is_empty() => state.en.clone(),
        _ => state.id.clone(),
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

pub use crate::shell::i18n::format_rials;

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
        // But a deployment without a payment gateway: the server's words (contact the university).
        (408 | 500..=599, c) if c != "PAYMENT_UNAVAILABLE" => Failure::Offline,
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

    use serde_json::json;

    /// As the server sends it (`api::applicant::ApplicantView`).
    const REQUEST: &str = r#"{"tracking_code":"2304-3456-7882","kind":"withdrawal","process":"withdrawal",
        "state":"faculty_completion","state_fa":"x","state_en":"y","version":4,
        "answers":{"faculty":"فنی"},
        "timeline":[{"at":{"jalali":"1405-09-01","utc":"2026-11-22T00:45:56Z"},"action":"submit","action_fa":"","action_en":"","to":"submitted","to_fa":"","to_en":"","note":null},
                    {"at":{"jalali":"1405-09-03","utc":"2026-11-24T08:00:00Z"},"action":"cancel_card","action_fa":"","action_en":"","to":"awaiting_student_clearances","to_fa":null,"to_en":null,"note":"کارت باطل شد"}],
        "deadlines":{"revocation_deadline":"1405-11-01","final_ruling_from":"1405-11-02","can_revoke":true},
        "actions":[{"action":"revoke","action_fa":"انصراف از انصراف","action_en":"Revoke"}],
        "payment":null}"#;

    #[test]
    fn the_request_is_read_with_names_from_the_rules() {
        let r: ApplicantView = serde_json::from_str(REQUEST).unwrap();
        assert_eq!(r.version, 4);
        assert!(offers(&r, REVOKE) && !offers(&r, RESUBMIT));
        assert!(!awaits_payment(&r));
        assert_eq!(fee(&r), None);
        assert_eq!(
            revocation_deadline(&r),
            rules::JalaliDate::parse("1405-11-01").ok()
        );
        assert_eq!(state_name(Lang::Fa, &r), "تکمیل پرونده در دانشکده");
        assert_eq!(state_name(Lang::En, &r), "Faculty completes the file");
        assert_eq!(r.timeline.len(), 2);
        assert_eq!(
            moment_date(&r.timeline[0].at),
            rules::JalaliDate::parse("1405-09-01").ok()
        );
        assert_eq!(
            moment_date(&r.timeline[1].at),
            rules::JalaliDate::parse("1405-09-03").ok()
        );
        assert_eq!(r.timeline[1].note.as_deref(), Some("کارت باطل شد"));
        assert_eq!(action_name(Lang::En, "submit"), "Request filed");
        assert_eq!(action_name(Lang::Fa, "revoke"), "انصراف از انصراف");
        assert_eq!(state_id_name(Lang::En, "submitted"), "Submitted");
        // A state this build does not know: the server's words.
        let mut odd = r.clone();
        odd.state.id = "somewhere_new".into();
        assert_eq!(state_name(Lang::Fa, &odd), "x");
    }

    #[test]
    fn the_fee_is_due_while_awaiting_payment() {
        let json = REQUEST
            .replace("\"faculty_completion\"", "\"awaiting_payment\"")
            .replace(
                "\"payment\":null",
                "\"payment\":{\"amount_rials\":1000000,\"status\":\"created\"}",
            );
        let r: ApplicantView = serde_json::from_str(&json).unwrap();
        assert!(awaits_payment(&r));
        assert_eq!(fee(&r), Some(1_000_000));
        assert_eq!(format_rials(Lang::Fa, 1_000_000), "۱٬۰۰۰٬۰۰۰ ریال");
        assert_eq!(format_rials(Lang::En, 1_000_000), "1,000,000 rials");
        assert_eq!(format_rials(Lang::En, 999), "999 rials");
        assert_eq!(format_rials(Lang::En, 12_345), "12,345 rials");
        assert_eq!(format_rials(Lang::Fa, 0), "۰ ریال");
    }

    #[test]
    fn refunds_are_read_when_the_server_lists_them() {
        let r: ApplicantView = serde_json::from_str(REQUEST).unwrap();
        assert!(r.refunds.is_empty(), "absent: none");
        let json = REQUEST.replace(
            "\"payment\":null",
            "\"payment\":null,\"refunds\":[{\"amount_rials\":1000000,\"status\":\"refunded\",\
             \"refunded_at\":1765000000}]",
        );
        let r: ApplicantView = serde_json::from_str(&json).unwrap();
        assert_eq!(r.refunds.len(), 1);
        assert_eq!(r.refunds[0].status, "refunded");
        assert_eq!(r.refunds[0].amount_rials, 1_000_000);
    }

    /// A body as sent.
    fn sent_as<T: Serialize>(body: &T) -> Value {
        serde_json::to_value(body).unwrap()
    }

    #[test]
    fn bodies_follow_the_contract() {
        assert_eq!(
            sent_as(&code_body("2304-3456-7882", " 0084575948 ")),
            json!({"tracking_code": "2304-3456-7882", "national_id": "0084575948"})
        );
        assert_eq!(
            code_body("2304-3456-7887", "۰۰۸۴۵۷۵۹۴۸")
                .national_id
                .as_deref(),
            Some("0084575948")
        );
        assert_eq!(sent_as(&session_body("c", "n", "123456"))["code"], "123456");
        assert_eq!(
            sent_as(&action_body(REVOKE, 4, None, None)),
            json!({"action": "revoke", "version": 4})
        );
        assert_eq!(
            sent_as(&action_body(FILE_JUSTIFICATION, 2, None, Some(" دلیل "))),
            json!({"action": "file_justification", "version": 2, "justification": "دلیل"})
        );
        let b = sent_as(&action_body(
            RESUBMIT,
            7,
            Some(json!({"level": "phd"})),
            None,
        ));
        assert_eq!(b["answers"]["level"], "phd");
        let sent: api::applicant::CodeSent =
            serde_json::from_str(r#"{"sent_to":"0912***4567","expires_in":300}"#).unwrap();
        assert_eq!(sent.sent_to, "0912***4567");
        let s: ApplicantSession =
            serde_json::from_str(r#"{"token":"t","expires_in":1800}"#).unwrap();
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
        assert_eq!(
            read_reply(
                503,
                &err("PAYMENT_UNAVAILABLE", "با دانشگاه تماس بگیرید"),
                None
            ),
            Err(Failure::Refused {
                fa: "با دانشگاه تماس بگیرید".into(),
                en: "en".into()
            })
        );
        let invalid = r#"{"error":{"code":"INVALID_INPUT","field":"justification","message_fa":"ف","message_en":"e"}}"#;
        let Err(Failure::Invalid(errors)) = read_reply(422, invalid, None) else {
            panic!()
        };
        assert_eq!(errors[0].field.as_deref(), Some("justification"));
    }
}
