//! Signing in as plain data (tested natively): who is typed (national ID or student number,
//! checked before asking the server), the bodies sent, what each answer of the sign-in API means
//! for the page, where to go back to (`return_to`, a path of this site only) and the start URL of
//! an OpenID provider, the session's state, and the fields of a form the signed-in identity fills
//! (read-only).

use api::signin::{PersonSession, SignedInPerson, SigninCode, SigninProvider, SigninVerify};
use rules::digits::to_ascii_digits;
use serde_json::Value;

use crate::forms::applicant::model::{parse_code, CodeProblem};
use crate::shell::form::{dom_id, Answers, FieldError, Problem};
use crate::shell::http::{server_errors, ServerError};
use crate::shell::request_forms::flow::{RequestForm, NATIONAL_ID};

/// The radio choosing how the person says who they are, and its values (the field names).
pub const SIGNIN_WITH: &str = "signin_with";
pub const STUDENT_NUMBER: &str = "student_number";
pub const FACULTY: &str = "faculty";
/// The university a student number is asked at (its code), when there is more than one.
pub const UNIVERSITY: &str = "university";
/// The code's field (the server names it `code` too).
pub const CODE: &str = "code";
/// Where the person goes after signing in when the link did not say.
pub const DEFAULT_RETURN: &str = "/track";

/// Who the person says they are: the field chosen and its value as sent (a student number with
/// the code of the university chosen, if one had to be: a student number is a university's own).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Who {
    NationalId(String),
    StudentNumber(String, Option<String>),
}

impl Who {
    /// The field the value was typed into.
    pub fn field(&self) -> &'static str {
        match self {
            Who::NationalId(_) => NATIONAL_ID,
            Who::StudentNumber(..) => STUDENT_NUMBER,
        }
    }

    pub fn code_body(&self) -> SigninCode {
        match self {
            Who::NationalId(id) => SigninCode {
                national_id: Some(id.clone()),
                ..SigninCode::default()
            },
            Who::StudentNumber(n, university) => SigninCode {
                national_id: None,
                student_number: Some(n.clone()),
                university: university.clone(),
            },
        }
    }

    pub fn verify_body(&self, code: &str) -> SigninVerify {
        let who = self.code_body();
        SigninVerify {
            national_id: who.national_id,
            student_number: who.student_number,
            university: who.university,
            code: Some(code.to_owned()),
        }
    }
}

/// The field chosen (`signin_with`: national ID unless the student number was picked).
pub fn chosen(answers: &Answers) -> &'static str {
    if answers.get(SIGNIN_WITH) == STUDENT_NUMBER {
        STUDENT_NUMBER
    } else {
        NATIONAL_ID
    }
}

fn rule(field: &'static str, fa: String, en: String) -> FieldError {
    FieldError {
        field,
        focus_id: dom_id(field),
        problem: Problem::Rule { fa, en },
    }
}

fn empty(field: &'static str) -> FieldError {
    FieldError {
        field,
        focus_id: dom_id(field),
        problem: Problem::Empty,
    }
}

/// The national ID or student number as typed (any digit script) → what is sent, or the
/// problem, naming the field (the same checks as the server's). With `choose_university` (the
/// page offers more than one), a student number needs the university chosen.
pub fn read_who(answers: &Answers, choose_university: bool) -> Result<Who, FieldError> {
    let field = chosen(answers);
    let typed = answers.get(field).trim();
    if typed.is_empty() {
        return Err(empty(field));
    }
    if field == NATIONAL_ID {
        return rules::identity::NationalId::parse(typed)
            .map(|id| Who::NationalId(id.as_str().to_owned()))
            .map_err(|e| rule(NATIONAL_ID, e.message_fa(), e.message_en()));
    }
    let ascii = to_ascii_digits(typed).to_ascii_uppercase();
    if (4..=20).contains(&ascii.len()) && ascii.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let university = answers.get(UNIVERSITY).trim();
        if choose_university && university.is_empty() {
            return Err(FieldError {
                field: UNIVERSITY,
                focus_id: dom_id(UNIVERSITY),
                problem: Problem::Choose,
            });
        }
        let university = (!university.is_empty()).then(|| university.to_owned());
        Ok(Who::StudentNumber(ascii, university))
    } else {
        Err(rule(
            STUDENT_NUMBER,
            "۴ تا ۲۰ رقم یا حرف لاتین.".into(),
            "4 to 20 digits or Latin letters.".into(),
        ))
    }
}

/// The code as typed (Persian, Arabic-Indic or Latin digits) → its six Latin digits, or the
/// problem of the code's field.
pub fn read_code(answers: &Answers) -> Result<String, FieldError> {
    parse_code(answers.get(CODE)).map_err(|p| match p {
        CodeProblem::Empty => empty(CODE),
        CodeProblem::NotDigits => rule(
            CODE,
            "کد فقط رقم دارد.".into(),
            "The code has digits only.".into(),
        ),
        CodeProblem::Length(n) => rule(
            CODE,
            rules::digits::to_persian_digits(&format!("کد ۶ رقم است؛ {n} رقم نوشته‌اید.")),
            format!("The code has 6 digits; you entered {n}."),
        ),
    })
}

/// What an answer of the sign-in API means for the page.
#[derive(Clone, PartialEq, Debug)]
pub enum Failure {
    /// No answer (or 5xx).
    Offline,
    /// 401: no live person session (`SIGN_IN_REQUIRED`), or the code did not open one (then
    /// `code` is true).
    SignedOut { code: bool },
    /// 429: after this many seconds.
    TooMany(u64),
    /// 4xx naming fields (or none): the server's words.
    Refused(Vec<ServerError>),
}

/// Reads an answer: the JSON of a 2xx, else what went wrong.
pub fn read_reply(status: u16, body: &str, retry_after: Option<&str>) -> Result<Value, Failure> {
    let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    match status {
        200..=299 => Ok(json),
        401 => Err(Failure::SignedOut {
            code: json["error"]["field"] == CODE
                || json["error"]["code"]
                    .as_str()
                    .is_some_and(|c| c.starts_with("CODE_")),
        }),
        429 => Err(Failure::TooMany(
            retry_after
                .and_then(|s| s.trim().parse().ok())
                .unwrap_or(60),
        )),
        408 | 500..=599 => Err(Failure::Offline),
        _ => Err(Failure::Refused(server_errors(&json, status))),
    }
}

/// The server's refusals as errors of this form's fields (`field: ` dropped from the message:
/// the label says it), those of no known field on the first of `fallback`.
pub fn field_errors(found: &[ServerError], known: &[&'static str]) -> Vec<FieldError> {
    found
        .iter()
        .map(|e| {
            let field = e
                .field
                .as_deref()
                .and_then(|f| known.iter().copied().find(|k| *k == f))
                .unwrap_or(known[0]);
            let strip = |m: &str| {
                m.strip_prefix(&format!("{field}: "))
                    .unwrap_or(m)
                    .to_owned()
            };
            rule(field, strip(&e.message_fa), strip(&e.message_en))
        })
        .collect()
}

/// `return_to` as given in the sign-in page's address: a path of this site (`/…`, not `//…`
/// nor `/\…`, at most 512 bytes, as the server accepts it), else the default.
pub fn return_to(given: Option<&str>) -> String {
    match given {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && !p.starts_with("/\\")
                && !p.contains('\\')
                && p.len() <= 512 =>
        {
            p.to_owned()
        }
        _ => DEFAULT_RETURN.to_owned(),
    }
}

/// A query value, percent-encoded (everything but unreserved characters and `/`).
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The sign-in page's address, coming back to `path` afterwards.
pub fn signin_href(path: &str) -> String {
    format!("/signin?return_to={}", encode(path))
}

/// Whether `provider` serves the university chosen (its code; empty: none chosen, every
/// provider is offered). A national provider serves every university.
pub fn serves(provider: &SigninProvider, chosen: &str) -> bool {
    chosen.is_empty()
        || provider
            .universities
            .as_ref()
            .is_none_or(|codes| codes.iter().any(|c| c == chosen))
}

/// Where an OpenID sign-in with `provider` starts; `fresh` at a shared kiosk (the provider signs
/// the person in afresh, whatever session it still holds).
pub fn start_href(provider: &str, return_to: &str, fresh: bool) -> String {
    let mut href = format!(
        "/api/v1/signin/oidc/{}/start?return_to={}",
        encode(provider),
        encode(return_to)
    );
    if fresh {
        href.push_str("&fresh=true");
    }
    href
}

/// Whether the app's own router can show `path` (a page of the forms bundle), or it needs a
/// full page load (the student app's pages).
pub fn forms_route(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.starts_with("/requests/")
        || ["/drafts", "/track", "/signin"]
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// What this page knows of the person session.
#[derive(Clone, PartialEq, Debug, Default)]
pub enum SessionState {
    /// Not known yet: asking the server, or it could not be asked (offline).
    #[default]
    Unknown,
    SignedIn(Box<PersonSession>),
    /// No session.
    SignedOut,
    /// The session this page had ended (expired, or signed out elsewhere): a call that needed it
    /// was answered 401.
    Ended,
}

impl SessionState {
    pub fn person(&self) -> Option<&SignedInPerson> {
        match self {
            SessionState::SignedIn(s) => Some(&s.person),
            _ => None,
        }
    }

    pub fn csrf(&self) -> Option<&str> {
        match self {
            SessionState::SignedIn(s) => Some(&s.csrf_token),
            _ => None,
        }
    }

    /// After a 401 from the server: `Ended` when this page had a session, else `SignedOut`.
    pub fn after_401(&self) -> SessionState {
        match self {
            SessionState::SignedIn(_) | SessionState::Ended => SessionState::Ended,
            _ => SessionState::SignedOut,
        }
    }

    /// The attribute of the "sign in to send" notice: `ended`, `signed_out`, or none (signed
    /// in, or not known yet).
    pub fn needs_sign_in(&self) -> Option<&'static str> {
        match self {
            SessionState::Ended => Some("ended"),
            SessionState::SignedOut => Some("signed_out"),
            _ => None,
        }
    }
}

/// The fields of `form` the signed-in identity fills, with its values: the national ID always;
/// the student number and the faculty when the sign-in gave them.
pub fn bound_fields(form: &RequestForm, person: &SignedInPerson) -> Vec<(&'static str, String)> {
    form.pages
        .iter()
        .flat_map(|p| p.fields.iter())
        .filter_map(|f| Some((f.name, bound_value(person, f.name)?)))
        .collect()
}

/// Whether a sign-in may give field `name` (whether it does depends on the sign-in).
pub fn may_be_bound(name: &str) -> bool {
    [NATIONAL_ID, STUDENT_NUMBER, FACULTY].contains(&name)
}

/// The value the signed-in identity gives field `name`, if it gives one.
pub fn bound_value(person: &SignedInPerson, name: &str) -> Option<String> {
    match name {
        NATIONAL_ID => Some(person.national_id.clone()),
        STUDENT_NUMBER => person.student_number.clone(),
        FACULTY => person.faculty.clone(),
        _ => None,
    }
}

/// Fills the bound fields into `answers`; whether anything changed.
pub fn fill_bound(answers: &mut Answers, bound: &[(&'static str, String)]) -> bool {
    let mut changed = false;
    for (name, value) in bound {
        if answers.get(name) != value {
            answers.set(name, value.clone());
            changed = true;
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::form::answers;
    use crate::shell::request_forms::flow::{CLEARANCE, EXEMPTION, WITHDRAWAL};
    use api::common::Moment;
    use api::signin::SigninSource;

    fn person(student_number: Option<&str>) -> SignedInPerson {
        SignedInPerson {
            national_id: "0123456789".into(),
            student_number: student_number.map(str::to_owned),
            faculty: student_number.map(|_| "فنی و مهندسی".to_owned()),
            level: None,
            mobile_masked: None,
            source: SigninSource::Roster,
            provider: None,
            expires_at: Moment::default(),
            university: None,
        }
    }

    #[test]
    fn who_is_read_in_any_digits_and_named_when_wrong() {
        assert_eq!(
            read_who(&answers(&[("national_id", "۰۱۲۳۴۵۶۷۸۹")]), true),
            Ok(Who::NationalId("0123456789".into()))
        );
        let wrong = read_who(&answers(&[("national_id", "0123456788")]), false).unwrap_err();
        assert_eq!(wrong.field, "national_id");
        assert_eq!(
            read_who(&answers(&[("national_id", " ")]), false)
                .unwrap_err()
                .problem,
            Problem::Empty
        );
        let number = answers(&[
            ("signin_with", "student_number"),
            ("student_number", "٤٠١١٢٠٠١"),
        ]);
        let who = read_who(&number, false).unwrap();
        assert_eq!(who, Who::StudentNumber("40112001".into(), None));
        assert_eq!(
            serde_json::to_value(who.code_body()).unwrap(),
            serde_json::json!({"student_number": "40112001"})
        );
        assert_eq!(
            serde_json::to_value(who.verify_body("123456")).unwrap(),
            serde_json::json!({"student_number": "40112001", "code": "123456"})
        );
        let short = answers(&[("signin_with", "student_number"), ("student_number", "12")]);
        assert_eq!(read_who(&short, false).unwrap_err().field, "student_number");
        // With more than one university, a student number names its own.
        let unchosen = read_who(&number, true).unwrap_err();
        assert_eq!(
            (unchosen.field, unchosen.problem),
            ("university", Problem::Choose)
        );
        let at = answers(&[
            ("signin_with", "student_number"),
            ("student_number", "40112001"),
            ("university", "sharif"),
        ]);
        let who = read_who(&at, true).unwrap();
        assert_eq!(
            serde_json::to_value(who.verify_body("123456")).unwrap(),
            serde_json::json!({"student_number": "40112001", "university": "sharif", "code": "123456"})
        );
    }

    #[test]
    fn the_providers_of_the_chosen_university_are_offered() {
        let provider = |universities: Option<&[&str]>| SigninProvider {
            id: "p".into(),
            name_fa: "p".into(),
            name_en: "p".into(),
            processes: Vec::new(),
            universities: universities.map(|u| u.iter().map(|c| c.to_string()).collect()),
        };
        let sharif = provider(Some(&["sharif"]));
        let national = provider(None);
        assert!(serves(&sharif, "sharif") && serves(&sharif, ""));
        assert!(!serves(&sharif, "ut"));
        assert!(serves(&national, "ut"));
    }

    #[test]
    fn codes_are_six_digits_named_by_their_field() {
        assert_eq!(
            read_code(&answers(&[("code", "۱۲۳ ۴۵۶")])).as_deref(),
            Ok("123456")
        );
        for typed in ["", "12a456", "12345"] {
            assert_eq!(
                read_code(&answers(&[("code", typed)])).unwrap_err().field,
                "code"
            );
        }
    }

    #[test]
    fn answers_mean_what_the_api_says() {
        assert_eq!(
            read_reply(202, r#"{"expires_in":300}"#, None).unwrap()["expires_in"],
            300
        );
        let refused = r#"{"error":{"code":"CODE_INVALID","field":"code","message_fa":"code: کد","message_en":"code: wrong"}}"#;
        assert_eq!(
            read_reply(401, refused, None),
            Err(Failure::SignedOut { code: true })
        );
        let gone = r#"{"error":{"code":"SIGN_IN_REQUIRED","field":null,"message_fa":"x","message_en":"y"}}"#;
        assert_eq!(
            read_reply(401, gone, None),
            Err(Failure::SignedOut { code: false })
        );
        assert_eq!(read_reply(429, "", Some("17")), Err(Failure::TooMany(17)));
        assert_eq!(read_reply(503, "", None), Err(Failure::Offline));
        let invalid = r#"{"error":{"code":"INVALID_INPUT","field":"national_id","message_fa":"national_id: رقم","message_en":"national_id: digits"}}"#;
        let Err(Failure::Refused(found)) = read_reply(422, invalid, None) else {
            panic!()
        };
        let errors = field_errors(&found, &["national_id", "code"]);
        assert_eq!(errors[0].field, "national_id");
        assert_eq!(
            errors[0].problem,
            Problem::Rule {
                fa: "رقم".into(),
                en: "digits".into()
            }
        );
        // A field this form does not have: on its first field.
        let other = vec![ServerError {
            field: Some("mobile".into()),
            message_fa: "م".into(),
            message_en: "m".into(),
        }];
        assert_eq!(field_errors(&other, &["code"])[0].field, "code");
    }

    #[test]
    fn return_to_is_a_path_of_this_site() {
        assert_eq!(return_to(Some("/track")), "/track");
        assert_eq!(return_to(Some("/track/mine")), "/track/mine");
        for bad in [
            "//evil.example",
            "https://evil.example/",
            "/\\evil",
            "track",
            "",
        ] {
            assert_eq!(return_to(Some(bad)), DEFAULT_RETURN, "{bad}");
        }
        assert_eq!(return_to(None), DEFAULT_RETURN);
        assert_eq!(
            return_to(Some(&format!("/{}", "a".repeat(600)))),
            DEFAULT_RETURN
        );
        assert_eq!(signin_href("/track/mine"), "/signin?return_to=/track/mine");
        assert_eq!(signin_href("/a?b=c&d"), "/signin?return_to=/a%3Fb%3Dc%26d");
        assert_eq!(
            start_href("university", "/track", true),
            "/api/v1/signin/oidc/university/start?return_to=/track&fresh=true"
        );
        assert_eq!(
            start_href("national", "/track", false),
            "/api/v1/signin/oidc/national/start?return_to=/track"
        );
        assert!(forms_route("/track") && forms_route("/track/mine") && forms_route("/signin"));
        assert!(forms_route("/requests/withdrawal/x/check") && forms_route("/drafts?x=1"));
        assert!(!forms_route("/") && !forms_route("/precheck") && !forms_route("/tracking"));
    }

    #[test]
    fn a_401_ends_a_session_this_page_had() {
        let s = SessionState::SignedIn(Box::new(PersonSession {
            csrf_token: "t".into(),
            person: person(None),
        }));
        assert_eq!(s.csrf(), Some("t"));
        assert_eq!(s.after_401(), SessionState::Ended);
        assert_eq!(SessionState::Unknown.after_401(), SessionState::SignedOut);
        assert_eq!(SessionState::Ended.needs_sign_in(), Some("ended"));
        assert_eq!(SessionState::SignedOut.needs_sign_in(), Some("signed_out"));
        assert_eq!(SessionState::Unknown.needs_sign_in(), None);
        assert_eq!(s.needs_sign_in(), None);
    }

    #[test]
    fn the_identity_fills_the_fields_the_form_has() {
        let roster = person(Some("40112001"));
        assert_eq!(
            bound_fields(&WITHDRAWAL, &roster),
            vec![
                ("student_number", "40112001".to_owned()),
                ("national_id", "0123456789".to_owned()),
                ("faculty", "فنی و مهندسی".to_owned())
            ]
        );
        assert_eq!(bound_value(&roster, "mobile"), None);
        assert!(may_be_bound("faculty") && !may_be_bound("mobile"));
        assert_eq!(
            bound_fields(&EXEMPTION, &roster),
            vec![("national_id", "0123456789".to_owned())]
        );
        // A national sign-in without a student number leaves it to be typed.
        assert_eq!(bound_fields(&WITHDRAWAL, &person(None)).len(), 1);
        let bound = bound_fields(&CLEARANCE, &roster);
        let mut a = answers(&[("national_id", "0084575948"), ("mobile", "09121234567")]);
        assert!(fill_bound(&mut a, &bound));
        assert_eq!(a.get("national_id"), "0123456789");
        assert_eq!(a.get("mobile"), "09121234567");
        assert!(
            !fill_bound(&mut a, &bound),
            "nothing changes the second time"
        );
    }
}
