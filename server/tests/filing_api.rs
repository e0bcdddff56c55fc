//! Filing as a signed-in person, over a real socket against a real SQLite file, with people of
//! the demo roster signed in by the code sent to their roster mobile: no session, an expired one,
//! no CSRF token, a body naming someone else's national ID or student number — each refused
//! before anything is stored; the mobile and faculty taken from the identity; an idempotency key
//! replayed to the person who used it only.

mod common;
mod submit;

use std::path::Path;

use common::{sign_in_by_code, PersonSession, TempDir};
use serde_json::{json, Value};
use submit::{client, new_key, upload, Answer};

/// The demo roster's first two people (README, "Demo roster"): national ID, student number,
/// mobile, faculty.
const ALI: (&str, &str, &str, &str) = ("0123456789", "40112001", "09120000001", "فنی و مهندسی");
const SARA: (&str, &str, &str, &str) = ("0234567899", "40112002", "09120000002", "علوم پایه");

struct Setup {
    server: common::Server,
    _dist: TempDir,
}

/// `serve --demo-users` (the demo roster), the lookups (which the sign-in shares) raised.
fn start(name: &str) -> Setup {
    let dist = TempDir::new(&format!("filing-dist-{name}"));
    let server = common::serve_args(&dist.0, &["--demo-users", "--lookups-per-minute", "1000"]);
    Setup {
        server,
        _dist: dist,
    }
}

impl Setup {
    fn base(&self) -> &str {
        &self.server.base
    }

    fn data(&self) -> &Path {
        &self.server.data_dir
    }

    fn sign_in(&self, who: (&str, &str, &str, &str)) -> PersonSession {
        sign_in_by_code(
            self.base(),
            self.data(),
            &json!({"national_id": who.0}),
            who.2,
        )
    }

    fn file(&self, who: Option<&PersonSession>, key: &str, body: &Value) -> Answer {
        submit::submit(&client(), self.base(), who, Some(key), &body.to_string()).unwrap()
    }

    /// How many requests and idempotency keys are stored.
    fn stored(&self) -> (i64, i64) {
        (
            common::count(self.data(), "SELECT COUNT(*) FROM requests"),
            common::count(self.data(), "SELECT COUNT(*) FROM idempotency_keys"),
        )
    }

    /// The stored request's national ID, mobile and faculty (as a clerk's scope reads them).
    fn request_row(&self, tracking_code: &str) -> Vec<Option<String>> {
        let digits: String = tracking_code.chars().filter(char::is_ascii_digit).collect();
        common::rows(
            self.data(),
            &format!(
                "SELECT national_id, mobile, faculty FROM requests WHERE tracking_code = '{digits}'"
            ),
        )
        .remove(0)
    }
}

fn clearance(national_id: &str, mobile: &str) -> Value {
    json!({"kind": "clearance", "national_id": national_id, "mobile": mobile,
           "answers": {"reason": "withdrawal", "evening_course": false}})
}

fn withdrawal(s: &Setup, national_id: &str, student_number: &str, faculty: &str) -> Value {
    let form = upload(&client(), s.base(), b"%PDF-1.4\nwithdrawal form".to_vec());
    assert_eq!(form.status, 201, "{}", form.body);
    json!({"kind": "withdrawal", "national_id": national_id, "mobile": "09359999999", "answers": {
        "student_number": student_number, "faculty": faculty, "level": "bachelor_continuous",
        "reason": "کار", "early_withdrawal": false, "student_card": "handed_in",
        "withdrawal_form": {"file_name": "form.pdf", "media_type": form.body["media_type"],
                            "size": form.body["size"], "sha256": form.body["sha256"]}}})
}

fn exemption_of(national_id: &str) -> Value {
    let mut body = submit::exemption();
    body["answers"]["national_id"] = json!(national_id);
    body
}

/// A refusal's status, code and field.
fn refusal(a: &Answer) -> (u16, &str, &str) {
    (
        a.status,
        a.code(),
        a.body["error"]["field"].as_str().unwrap_or_default(),
    )
}

#[test]
fn nothing_is_filed_without_a_live_session_of_the_person_it_names() {
    let s = start("refusals");
    // No session: 401 before anything is read.
    let a = s.file(None, &new_key(), &clearance(ALI.0, ALI.2));
    assert_eq!(refusal(&a), (401, "SIGN_IN_REQUIRED", ""));
    assert_eq!(s.stored(), (0, 0));
    let ali = s.sign_in(ALI);
    // Without the session's CSRF token.
    let no_csrf = PersonSession {
        csrf: "x".repeat(43),
        ..ali.clone()
    };
    let a = s.file(Some(&no_csrf), &new_key(), &clearance(ALI.0, ALI.2));
    assert_eq!(refusal(&a), (403, "CSRF_FAILED", "X-CSRF-Token"));
    // Someone else's national ID: beside a clearance's answers, among an exemption's.
    for body in [clearance(SARA.0, SARA.2), exemption_of(SARA.0)] {
        let a = s.file(Some(&ali), &new_key(), &body);
        assert_eq!(
            refusal(&a),
            (403, "NOT_YOUR_REQUEST", "national_id"),
            "{}",
            a.body
        );
        assert!(a.body["error"]["message_en"]
            .as_str()
            .unwrap()
            .contains("not the national ID you signed in with"));
        assert!(a.body["error"]["message_fa"]
            .as_str()
            .unwrap()
            .contains("کد ملی"));
    }
    // His national ID with someone else's student number.
    let theirs = withdrawal(&s, ALI.0, SARA.1, ALI.3);
    let a = s.file(Some(&ali), &new_key(), &theirs);
    assert_eq!(refusal(&a), (403, "NOT_YOUR_REQUEST", "student_number"));
    assert_eq!(s.stored(), (0, 0), "nothing stored for a refusal");

    // His own, in Persian digits, is filed.
    let own = clearance("۰۱۲۳۴۵۶۷۸۹", ALI.2);
    let a = s.file(Some(&ali), &new_key(), &own);
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(s.stored(), (1, 1));

    // A session past its 30 minutes files nothing.
    let moved = common::sql(
        s.data(),
        "UPDATE person_sessions SET expires_at = expires_at - 1800",
    );
    assert_eq!(moved, 1);
    let a = s.file(Some(&ali), &new_key(), &clearance(ALI.0, ALI.2));
    assert_eq!(refusal(&a), (401, "SIGN_IN_REQUIRED", ""));
    assert_eq!(s.stored(), (1, 1));
}

#[test]
fn the_national_id_mobile_and_faculty_are_the_identitys() {
    let s = start("identity");
    let ali = s.sign_in(ALI);
    // Another mobile: his, from the roster.
    let a = s.file(Some(&ali), &new_key(), &clearance(ALI.0, "09351111111"));
    assert_eq!(a.status, 201, "{}", a.body);
    let code = a.body["tracking_code"].as_str().unwrap();
    assert_eq!(
        s.request_row(code),
        [Some(ALI.0.to_owned()), Some(ALI.2.to_owned()), None]
    );
    // A withdrawal naming another faculty (a faculty's clerk sees it by this) and mobile: his.
    let a = s.file(
        Some(&ali),
        &new_key(),
        &withdrawal(&s, ALI.0, ALI.1, "حقوق"),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let code = a.body["tracking_code"].as_str().unwrap();
    assert_eq!(
        s.request_row(code),
        [
            Some(ALI.0.to_owned()),
            Some(ALI.2.to_owned()),
            Some(ALI.3.to_owned())
        ]
    );
    // The one-time code of the kiosk's receipt goes to that mobile, bound at filing.
    let before = common::sms_lines(s.data()).len();
    let sent = submit::post_json(
        &client(),
        s.base(),
        "/api/v1/applicant/code",
        &json!({"tracking_code": code, "national_id": ALI.0}),
    );
    assert_eq!(sent.status, 202, "{}", sent.body);
    common::code_for(s.data(), ALI.2, before);
}

#[test]
fn a_key_is_replayed_to_the_person_who_used_it_only() {
    let s = start("replay");
    let (ali, sara) = (s.sign_in(ALI), s.sign_in(SARA));
    let key = new_key();
    let body = clearance(ALI.0, ALI.2);
    let first = s.file(Some(&ali), &key, &body);
    assert_eq!(first.status, 201, "{}", first.body);
    let again = s.file(Some(&ali), &key, &body);
    assert_eq!((again.status, &again.body), (201, &first.body));
    assert_eq!(again.headers["idempotent-replayed"], "true");
    // Sara with Ali's key and body: his request is not hers to file (nor to see replayed).
    let a = s.file(Some(&sara), &key, &body);
    assert_eq!(refusal(&a), (403, "NOT_YOUR_REQUEST", "national_id"));
    // With her own body under his key: a key is one request's.
    let a = s.file(Some(&sara), &key, &clearance(SARA.0, SARA.2));
    assert_eq!(
        refusal(&a),
        (422, "IDEMPOTENCY_KEY_REUSED", "Idempotency-Key")
    );
    assert_eq!(s.stored(), (1, 1));
}
