//! A person's sign-in from the roster, over a real socket against a real database: the
//! roster's import by the admin's API (bad rows named by line and field, nothing imported;
//! Persian digits; admin only) and by `pishkhan roster import` as a process; the sign-in code sent
//! to the roster's mobile only, the same answer for someone not on the roster, five wrong tries
//! and expiry, the session's `me` and sign-out (CSRF), the per-person limit, and the sign-in
//! methods offered.

mod common;
mod submit;

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use common::{sms_lines, Server, TempDir};
use serde_json::{json, Value};
use submit::{answer, client, post_json, Answer};

/// The demo roster's first person (README, "Demo roster").
const ALI: (&str, &str, &str) = ("0123456789", "40112001", "09120000001");
/// The demo roster's second person.
const SARA: (&str, &str, &str) = ("0234567899", "40112002", "09120000002");

const HEADER: &str = "student_number,national_id,mobile,faculty,level,status\n";

struct Setup {
    server: Server,
    data: TempDir,
    _dist: TempDir,
}

/// `serve --demo-users` (the demo roster too), lookups raised so that only the limit a test
/// means is met, and these extra arguments.
fn start(name: &str, args: &[&str]) -> Setup {
    let dist = TempDir::new(&format!("signin-dist-{name}"));
    dist.write("index.html", b"<!doctype html><title>x</title>");
    let data = TempDir::new(&format!("signin-data-{name}"));
    let mut all = vec!["--demo-users", "--lookups-per-minute", "1000"];
    all.extend_from_slice(args);
    let server = common::serve_with(&dist.0, &data.0, &all);
    Setup {
        server,
        data,
        _dist: dist,
    }
}

impl Setup {
    fn base(&self) -> &str {
        &self.server.base
    }

    fn post(&self, path: &str, body: Value) -> Answer {
        post_json(&client(), self.base(), path, &body)
    }

    fn ask_code(&self, body: Value) -> Answer {
        self.post("/api/v1/signin/code", body)
    }

    fn verify(&self, body: Value) -> Answer {
        self.post("/api/v1/signin/verify", body)
    }

    /// Every line of the SMS log, each a whole JSON line.
    fn sms(&self) -> Vec<Value> {
        sms_lines(&self.data.0)
    }

    /// The code of the first SMS to `mobile` after the first `after` lines, once the sender has
    /// written it.
    fn code_for(&self, mobile: &str, after: usize) -> String {
        common::code_for(&self.data.0, mobile, after)
    }

    /// Signs `who` in (asking for a code first): the answer and the session.
    fn sign_in(&self, who: Value, mobile: &str) -> (Answer, Session) {
        let before = self.sms().len();
        let sent = self.ask_code(who.clone());
        assert_eq!(sent.status, 202, "{}", sent.body);
        let code = self.code_for(mobile, before);
        let mut body = who;
        body["code"] = json!(rules::digits::to_persian_digits(&code));
        let a = self.verify(body);
        assert_eq!(a.status, 200, "{}", a.body);
        let session = Session {
            cookie: set_cookie(&a).split(';').next().unwrap().to_owned(),
            csrf: a.body["csrf_token"].as_str().unwrap().to_owned(),
        };
        (a, session)
    }

    fn call(&self, method: &str, path: &str, cookie: Option<&str>, csrf: Option<&str>) -> Answer {
        let c = client();
        let url = format!("{}{path}", self.base());
        let mut request = if method == "GET" {
            c.get(url)
        } else {
            c.post(url)
        };
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        if let Some(csrf) = csrf {
            request = request.header("x-csrf-token", csrf);
        }
        answer(request.send().unwrap())
    }

    /// Signs in as a demo staff user (enrolling a second factor if it must): the cookie and CSRF
    /// token.
    fn staff(&self, username: &str) -> Session {
        let a = self.post(
            "/api/v1/staff/login",
            json!({"username": username, "password": "pishkhan-demo"}),
        );
        assert_eq!(a.status, 200, "{}", a.body);
        let session = Session {
            cookie: set_cookie(&a).split(';').next().unwrap().to_owned(),
            csrf: a.body["csrf_token"].as_str().unwrap().to_owned(),
        };
        if a.body["must_enrol"] == true {
            common::enrol_second_factor(self.base(), &session.cookie, &session.csrf);
        }
        session
    }

    /// `POST /api/v1/admin/roster` with a CSV body as `session`.
    fn import(&self, session: Option<&Session>, content_type: &str, csv: Vec<u8>) -> Answer {
        let mut request = client()
            .post(format!("{}/api/v1/admin/roster", self.base()))
            .header("content-type", content_type)
            .body(csv);
        if let Some(s) = session {
            request = request
                .header("cookie", &s.cookie)
                .header("x-csrf-token", &s.csrf);
        }
        answer(request.send().unwrap())
    }
}

impl Setup {
    /// `POST /api/v1/admin/roster?university=<code>` with a CSV body as `session`.
    fn import_into(&self, session: &Session, university: &str, csv: &str) -> Answer {
        answer(
            client()
                .post(format!("{}/api/v1/admin/roster", self.base()))
                .query(&[("university", university)])
                .header("content-type", "text/csv")
                .header("cookie", &session.cookie)
                .header("x-csrf-token", &session.csrf)
                .body(csv.to_owned())
                .send()
                .unwrap(),
        )
    }

    /// A staff member's JSON `POST`.
    fn staff_post(&self, session: &Session, path: &str, body: Value) -> Answer {
        answer(
            client()
                .post(format!("{}{path}", self.base()))
                .header("content-type", "application/json")
                .header("cookie", &session.cookie)
                .header("x-csrf-token", &session.csrf)
                .body(body.to_string())
                .send()
                .unwrap(),
        )
    }

    /// The national admin adds the university `code` («دانشگاه <code>»).
    fn add_university(&self, admin: &Session, code: &str) {
        let body = json!({"code": code, "name_fa": format!("دانشگاه {code}"),
                          "name_en": format!("University {code}")});
        let a = self.staff_post(admin, "/api/v1/admin/universities", body);
        assert_eq!(a.status, 201, "{}", a.body);
    }

    /// The code of the university whose roster has this national ID.
    fn university_of(&self, national_id: &str) -> Option<String> {
        common::rows(
            &self.data.0,
            &format!(
                "SELECT u.code FROM roster r JOIN universities u ON u.id = r.university_id \
                 WHERE r.national_id = '{national_id}'"
            ),
        )
        .into_iter()
        .next()
        .and_then(|r| r[0].clone())
    }
}

/// The lines and fields of a refused import.
fn rows_of(a: &Answer) -> Vec<(u64, String)> {
    a.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A session cookie (`name=value`) and its CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

fn set_cookie(a: &Answer) -> String {
    a.headers["set-cookie"].to_str().unwrap().to_owned()
}

fn national_id(n: u32) -> String {
    submit::national_id(n)
}

/// `pishkhan roster import --data-dir <data> <file>`.
fn roster_cli(data: &Path, file: &Path) -> Output {
    common::pishkhan(data)
        .args(["roster", "import", "--data-dir"])
        .arg(data)
        .arg(file)
        .output()
        .unwrap()
}

#[test]
fn the_admin_imports_a_roster_bad_rows_are_named_and_nothing_is_half_imported() {
    let s = start("import", &[]);
    let admin = s.staff("admin");
    let good = |n: u32, digits: bool| {
        let row = format!(
            "{},{},0913{:07},فنی و مهندسی,bachelor_continuous,student\n",
            50_000_000 + n,
            national_id(900 + n),
            n
        );
        if digits {
            rules::digits::to_persian_digits(&row)
        } else {
            row
        }
    };
    // Line 3: a wrong check digit and a level that is not one; line 4: a missing field; line 5:
    // the national ID of line 2 again; line 6: a demo student's number for someone else.
    let bad = format!(
        "{HEADER}{}50000002,{}9,0913000002,فنی,master,student\n50000003,{},09130000003,فنی,phd\n{}\
         {},{},09130000006,فنی,phd,admitted\n",
        good(1, true),
        &national_id(902)[..9],
        national_id(903),
        good(1, false).replacen("50000001", "50000005", 1),
        ALI.1,
        national_id(906),
    );
    let a = s.import(Some(&admin), "text/csv; charset=utf-8", bad.into_bytes());
    assert_eq!((a.status, a.code()), (422, "INVALID_INPUT"), "{}", a.body);
    let rows: Vec<(u64, String)> = a.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        (3, "national_id"),
        (3, "mobile"),
        (3, "level"),
        (4, "row"),
        (5, "national_id"),
    ];
    assert_eq!(
        rows,
        expected.map(|(l, f)| (l, f.to_owned())).to_vec(),
        "{}",
        a.body
    );
    assert_eq!(a.body["error"]["field"], "national_id");
    assert!(a.body["rows"][0]["message_fa"]
        .as_str()
        .unwrap()
        .starts_with("سطر ۳، national_id:"));
    assert!(a.body["rows"][0]["message_en"]
        .as_str()
        .unwrap()
        .starts_with("line 3, national_id:"));
    assert_eq!(a.body["error"]["errors"].as_array().unwrap().len(), 5);
    // The rows themselves good, the demo student's number still refuses the whole file.
    let taken = format!(
        "{HEADER}{}{},{},09130000006,فنی,phd,admitted\n",
        good(1, true),
        ALI.1,
        national_id(906)
    );
    let a = s.import(Some(&admin), "text/csv", taken.into_bytes());
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(
        a.body["rows"],
        json!([{"line": 3, "field": "student_number",
        "message_en": "line 3, student_number: this student number belongs to another person on the roster.",
        "message_fa": "سطر ۳، student_number: این شماره دانشجویی در فهرست از آنِ کس دیگری است."}])
    );
    // Nothing of either file was imported: all of a good one is new.
    let fixed = format!("{HEADER}{}{}", good(1, true), good(2, false));
    let a = s.import(Some(&admin), "text/csv", fixed.clone().into_bytes());
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body, json!({"added": 2, "updated": 0, "unchanged": 0}));
    // Again: unchanged; a new mobile and a demo student's new number (given back to nobody):
    // updated, the demo roster's others untouched.
    assert_eq!(
        s.import(Some(&admin), "text/csv", fixed.into_bytes()).body,
        json!({"added": 0, "updated": 0, "unchanged": 2})
    );
    let changed = format!(
        "{HEADER}{}99990001,{},09120000001,فنی و مهندسی,bachelor_continuous,student\n",
        good(1, false).replace("09130000001", "09139999999"),
        ALI.0
    );
    assert_eq!(
        s.import(Some(&admin), "text/csv", changed.into_bytes())
            .body,
        json!({"added": 0, "updated": 2, "unchanged": 0})
    );
    // The roster's new data is what signs in: the Persian-digit row, by its new mobile.
    let (me, _) = s.sign_in(json!({"student_number": "50000001"}), "09139999999");
    assert_eq!(me.body["person"]["national_id"], national_id(901));
    let (me, _) = s.sign_in(json!({"student_number": "۹۹۹۹۰۰۰۱"}), ALI.2);
    assert_eq!(me.body["person"]["national_id"], ALI.0);
}

#[test]
fn only_the_admin_imports_as_csv_within_5_mib() {
    let s = start("admin-only", &[]);
    let csv = format!(
        "{HEADER}50000001,{},09130000001,فنی,phd,student\n",
        national_id(1)
    );
    let anonymous = s.import(None, "text/csv", csv.clone().into_bytes());
    assert_eq!((anonymous.status, anonymous.code()), (401, "NOT_SIGNED_IN"));
    let clerk = s.staff("police");
    let a = s.import(Some(&clerk), "text/csv", csv.clone().into_bytes());
    assert_eq!((a.status, a.code()), (403, "FORBIDDEN"));
    let admin = s.staff("admin");
    let no_csrf = Session {
        cookie: admin.cookie.clone(),
        csrf: String::new(),
    };
    let a = s.import(Some(&no_csrf), "text/csv", csv.clone().into_bytes());
    assert_eq!((a.status, a.code()), (403, "CSRF_FAILED"));
    let a = s.import(Some(&admin), "application/json", csv.clone().into_bytes());
    assert_eq!((a.status, a.code()), (415, "UNSUPPORTED_MEDIA_TYPE"));
    let mut huge = csv.clone().into_bytes();
    huge.resize(5 * 1024 * 1024 + 1, b'\n');
    let a = s.import(Some(&admin), "text/csv", huge);
    assert_eq!((a.status, a.code()), (413, "PAYLOAD_TOO_LARGE"));
    let a = s.import(Some(&admin), "text/csv", csv.into_bytes());
    assert_eq!(a.body, json!({"added": 1, "updated": 0, "unchanged": 0}));
}

#[test]
fn pishkhan_roster_import_upserts_and_refuses_a_bad_file_whole() {
    let dir = TempDir::new("roster-cli");
    let data = dir.0.join("data");
    let file = dir.0.join("roster.csv");
    let first = format!(
        "\u{feff}{HEADER}۵۰۰۰۰۰۰۱,{},۰۹۱۳۰۰۰۰۰۰۱,فنی,phd,student\r\n50000002,{},09130000002,علوم,master_continuous,admitted\r\n",
        rules::digits::to_persian_digits(&national_id(11)),
        national_id(12)
    );
    std::fs::write(&file, &first).unwrap();
    let out = roster_cli(&data, &file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "added 2, updated 0, unchanged 0"
    );
    // A bad row: exit 2, each problem on standard error, nothing written.
    let bad = format!("{first}50000003,{},0913,فنی,phd,student\n", national_id(13));
    std::fs::write(&file, bad).unwrap();
    let out = roster_cli(&data, &file);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        ["pishkhan: line 4, mobile: 4 digits were given; 11 are needed."],
        "{stderr}"
    );
    let changed = first.replace("09130000002", "09130000022");
    std::fs::write(&file, changed).unwrap();
    let out = roster_cli(&data, &file);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "added 0, updated 1, unchanged 1"
    );
    // The server on that data directory signs the imported people in.
    let dist = TempDir::new("roster-cli-dist");
    let server = common::serve_with(&dist.0, &data, &[]);
    let s = Setup {
        server,
        data: TempDir::new("roster-cli-unused"),
        _dist: dist,
    };
    let sent = s.ask_code(json!({"national_id": national_id(12)}));
    assert_eq!(sent.status, 202);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !sms_lines(&data).iter().any(|m| m["to"] == "09130000022") {
        assert!(Instant::now() < deadline, "no SMS to the imported mobile");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_code_goes_to_the_roster_mobile_only_and_strangers_get_the_same_answer() {
    let s = start("code", &[]);
    // A mobile in the body is refused: the code only ever goes to the roster's.
    let a = s.ask_code(json!({"national_id": ALI.0, "mobile": "09999999999"}));
    assert_eq!((a.status, a.code()), (422, "INVALID_INPUT"), "{}", a.body);
    // Neither, or both.
    for body in [
        json!({}),
        json!({"national_id": ALI.0, "student_number": ALI.1}),
    ] {
        let a = s.ask_code(body);
        assert_eq!(
            (a.status, a.body["error"]["field"].as_str()),
            (422, Some("national_id"))
        );
    }
    // Someone not on the roster, by national ID and by student number, then Ali: one answer.
    let stranger = s.ask_code(json!({"national_id": national_id(77)}));
    let stranger_number = s.ask_code(json!({"student_number": "77777777"}));
    let ali = s.ask_code(json!({"national_id": ALI.0}));
    for a in [&stranger, &stranger_number, &ali] {
        assert_eq!(a.status, 202);
        assert_eq!(a.body, json!({"expires_in": 300}));
        assert_eq!(a.headers["cache-control"], "no-store");
    }
    // The strangers' answers came before Ali's was even sent: once his SMS is written, the log
    // is complete, and it holds his alone, to the roster's mobile.
    let code = s.code_for(ALI.2, 0);
    let log = s.sms();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["to"], ALI.2);
    assert_eq!(log[0]["kind"], "one_time_code");
    assert!(log[0]["text"].as_str().unwrap().contains("کد ورود"));
    // Someone not on the roster cannot sign in, whatever the code: the answer of a wrong code.
    let a = s.verify(json!({"national_id": national_id(77), "code": code}));
    assert_eq!((a.status, a.code()), (401, "CODE_INVALID"));
    assert_eq!(a.body["error"]["field"], "code");
    // The code's owner can, by student number as well.
    let a = s.verify(json!({"student_number": ALI.1, "code": code}));
    assert_eq!(a.status, 200, "{}", a.body);
    // A code is used once.
    let again = s.verify(json!({"national_id": ALI.0, "code": code}));
    assert_eq!((again.status, again.code()), (401, "CODE_INVALID"));
    // A code that is not six digits is bad input, named.
    let a = s.verify(json!({"national_id": ALI.0, "code": "12345"}));
    assert_eq!(
        (a.status, a.body["error"]["field"].as_str()),
        (422, Some("code"))
    );
}

#[test]
fn five_wrong_tries_lock_the_code_and_an_expired_code_opens_nothing() {
    let s = start("tries", &["--codes-per-person", "10"]);
    let before = s.sms().len();
    assert_eq!(s.ask_code(json!({"national_id": SARA.0})).status, 202);
    let code = s.code_for(SARA.2, before);
    let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
    for i in 0..5 {
        let a = s.verify(json!({"national_id": SARA.0, "code": wrong}));
        assert_eq!((a.status, a.code()), (401, "CODE_INVALID"), "try {i}");
    }
    let a = s.verify(json!({"national_id": SARA.0, "code": code}));
    assert_eq!(
        (a.status, a.code()),
        (401, "CODE_INVALID"),
        "the right code after five wrong tries"
    );
    // A fresh code, past its five minutes.
    let before = s.sms().len();
    assert_eq!(s.ask_code(json!({"student_number": SARA.1})).status, 202);
    let code = s.code_for(SARA.2, before);
    let moved = common::sql(
        &s.data.0,
        &format!(
            "UPDATE person_codes SET expires_at = expires_at - 301 WHERE national_id = '{}' AND used_at IS NULL",
            SARA.0
        ),
    );
    assert_eq!(moved, 1);
    let a = s.verify(json!({"national_id": SARA.0, "code": code}));
    assert_eq!((a.status, a.code()), (401, "CODE_INVALID"));
    // A newer code retires the one before it.
    let before = s.sms().len();
    assert_eq!(s.ask_code(json!({"national_id": SARA.0})).status, 202);
    let older = s.code_for(SARA.2, before);
    let before = s.sms().len();
    assert_eq!(s.ask_code(json!({"national_id": SARA.0})).status, 202);
    let newer = s.code_for(SARA.2, before);
    if older != newer {
        let a = s.verify(json!({"national_id": SARA.0, "code": older}));
        assert_eq!(a.status, 401);
    }
    assert_eq!(
        s.verify(json!({"national_id": SARA.0, "code": newer}))
            .status,
        200
    );
}

#[test]
fn a_session_says_who_is_signed_in_until_it_ends_and_sign_out_needs_the_csrf_token() {
    let s = start("session", &["--secure-cookies"]);
    assert_eq!(
        s.call("GET", "/api/v1/signin/me", None, None).code(),
        "SIGN_IN_REQUIRED"
    );
    let (a, session) = s.sign_in(json!({"national_id": "۰۲۳۴۵۶۷۸۹۹"}), SARA.2);
    let cookie = set_cookie(&a);
    for part in [
        "HttpOnly",
        "SameSite=Lax",
        "Path=/api",
        "Max-Age=1800",
        "Secure",
    ] {
        assert!(cookie.split("; ").any(|p| p == part), "{part} in {cookie}");
    }
    assert!(cookie.starts_with("pishkhan_person="));
    assert_eq!(a.headers["cache-control"], "no-store");
    let person = &a.body["person"];
    assert_eq!(person["national_id"], SARA.0);
    assert_eq!(person["student_number"], SARA.1);
    assert_eq!(person["faculty"], "علوم پایه");
    assert_eq!(person["level"], "master_noncontinuous");
    assert!(person["expires_at"]["utc"].as_str().unwrap().ends_with('Z'));
    assert!(person.get("mobile").is_none(), "{person}");
    assert_eq!(person["mobile_masked"], "0912***0002");
    assert_eq!(person["source"], "roster");
    assert!(person.get("provider").is_none(), "{person}");
    let me = s.call("GET", "/api/v1/signin/me", Some(&session.cookie), None);
    assert_eq!(me.status, 200);
    assert_eq!(me.body, a.body);
    // Sign-out: not without the session's CSRF token.
    for csrf in [None, Some("x".repeat(43))] {
        let out = s.call(
            "POST",
            "/api/v1/signin/logout",
            Some(&session.cookie),
            csrf.as_deref(),
        );
        assert_eq!((out.status, out.code()), (403, "CSRF_FAILED"));
    }
    assert_eq!(
        s.call("GET", "/api/v1/signin/me", Some(&session.cookie), None)
            .status,
        200
    );
    // A staff session is not a person's, nor the other way round.
    let staff = s.staff("admin");
    assert_eq!(
        s.call("GET", "/api/v1/signin/me", Some(&staff.cookie), None)
            .status,
        401
    );
    assert_eq!(
        s.call("GET", "/api/v1/staff/me", Some(&session.cookie), None)
            .status,
        401
    );
    let out = s.call(
        "POST",
        "/api/v1/signin/logout",
        Some(&session.cookie),
        Some(&session.csrf),
    );
    // Signed in from the roster, there is no provider's session to end.
    assert_eq!((out.status, &out.body), (200, &json!({})));
    let cleared = set_cookie(&out);
    assert!(
        cleared.starts_with("pishkhan_person=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    let me = s.call("GET", "/api/v1/signin/me", Some(&session.cookie), None);
    assert_eq!((me.status, me.code()), (401, "SIGN_IN_REQUIRED"));
    // A session ends 30 minutes after sign-in, used or not.
    let (_, later) = s.sign_in(json!({"student_number": SARA.1}), SARA.2);
    assert_eq!(
        s.call("GET", "/api/v1/signin/me", Some(&later.cookie), None)
            .status,
        200
    );
    let moved = common::sql(
        &s.data.0,
        "UPDATE person_sessions SET expires_at = expires_at - 1800",
    );
    assert_eq!(moved, 1);
    let me = s.call("GET", "/api/v1/signin/me", Some(&later.cookie), None);
    assert_eq!((me.status, me.code()), (401, "SIGN_IN_REQUIRED"));
}

#[test]
fn a_person_gets_three_codes_a_quarter_of_an_hour_whichever_way_they_ask() {
    let s = start("limit", &["--frozen-rate-limits"]);
    for (i, body) in [
        json!({"national_id": ALI.0}),
        json!({"student_number": ALI.1}),
        json!({"national_id": "۰۱۲۳۴۵۶۷۸۹"}),
    ]
    .into_iter()
    .enumerate()
    {
        assert_eq!(s.ask_code(body).status, 202, "code {i}");
    }
    for body in [
        json!({"national_id": ALI.0}),
        json!({"student_number": ALI.1}),
    ] {
        let a = s.ask_code(body);
        assert_eq!((a.status, a.code()), (429, "RATE_LIMITED"), "{}", a.body);
        assert!(a.headers.contains_key("retry-after"));
    }
    // Someone else still may; someone not on the roster is limited alike.
    assert_eq!(s.ask_code(json!({"national_id": SARA.0})).status, 202);
    for _ in 0..3 {
        assert_eq!(
            s.ask_code(json!({"national_id": national_id(55)})).status,
            202
        );
    }
    assert_eq!(
        s.ask_code(json!({"national_id": national_id(55)})).status,
        429
    );
}

#[test]
fn serve_codes_per_person_sets_the_limit() {
    let s = start(
        "limit-flag",
        &["--frozen-rate-limits", "--codes-per-person", "1"],
    );
    assert_eq!(s.ask_code(json!({"national_id": ALI.0})).status, 202);
    assert_eq!(s.ask_code(json!({"national_id": ALI.0})).status, 429);
}

#[test]
fn the_methods_offer_the_roster_once_it_has_anyone() {
    let empty = {
        let dist = TempDir::new("methods-dist");
        let data = TempDir::new("methods-data");
        let server = common::serve_with(&dist.0, &data.0, &[]);
        Setup {
            server,
            data,
            _dist: dist,
        }
    };
    let a = empty.call("GET", "/api/v1/signin/methods", None, None);
    assert_eq!(a.status, 200);
    assert_eq!(a.body, json!({"roster": false, "providers": []}));
    let s = start("methods", &[]);
    let a = s.call("GET", "/api/v1/signin/methods", None, None);
    assert_eq!(a.body, json!({"roster": true, "providers": []}));
}

/// A student number is a university's own: the national admin imports the demo student Ali's
/// number at a second university for someone else; each signs in at their own university with
/// it (the default university without `university`), strangers get the same answer, and an
/// unknown university is named.
#[test]
fn the_same_student_number_at_two_universities_signs_each_in_at_their_own() {
    let s = start("two-universities", &[]);
    let admin = s.staff("admin");
    s.add_university(&admin, "sharif");
    s.add_university(&admin, "empty");
    let other = national_id(950);
    let csv = format!("{HEADER}{},{other},09130000950,برق,phd,student\n", ALI.1);
    let a = s.import_into(&admin, "sharif", &csv);
    assert_eq!(
        a.body,
        json!({"added": 1, "updated": 0, "unchanged": 0}),
        "{}",
        a.body
    );
    assert_eq!(s.university_of(&other).as_deref(), Some("sharif"));
    let (me, _) = s.sign_in(json!({"student_number": ALI.1}), ALI.2);
    assert_eq!(me.body["person"]["national_id"], ALI.0);
    let (me, _) = s.sign_in(
        json!({"student_number": ALI.1, "university": "sharif"}),
        "09130000950",
    );
    assert_eq!(me.body["person"]["national_id"], other);
    assert_eq!(me.body["person"]["faculty"], "برق");
    // The university a withdrawal or clearance of this person will be filed at.
    assert_eq!(me.body["person"]["university"]["code"], "sharif");
    let (me, _) = s.sign_in(
        json!({"student_number": ALI.1, "university": " DEFAULT "}),
        ALI.2,
    );
    assert_eq!(me.body["person"]["national_id"], ALI.0);
    assert_eq!(me.body["person"]["university"]["code"], "default");
    // Sara's number is the default university's only: at sharif she is a stranger, and gets
    // the answer everyone gets, and no SMS.
    let before = s.sms().len();
    let stranger = s.ask_code(json!({"student_number": SARA.1, "university": "sharif"}));
    let known = s.ask_code(json!({"student_number": ALI.1, "university": "sharif"}));
    assert_eq!(
        (stranger.status, &stranger.body),
        (known.status, &known.body)
    );
    s.code_for("09130000950", before);
    assert!(!s.sms()[before..].iter().any(|m| m["to"] == SARA.2));
    // A university no one added: named, for the code and the verification alike.
    for a in [
        s.ask_code(json!({"student_number": ALI.1, "university": "nowhere"})),
        s.verify(json!({"student_number": ALI.1, "university": "nowhere", "code": "123456"})),
    ] {
        assert_eq!(
            (a.status, a.body["error"]["field"].as_str()),
            (422, Some("university")),
            "{}",
            a.body
        );
    }
    // The methods: each university's roster.
    let methods = |q: &str| s.call("GET", &format!("/api/v1/signin/methods{q}"), None, None);
    assert_eq!(methods("?university=sharif").body["roster"], true);
    assert_eq!(methods("?university=empty").body["roster"], false);
    assert_eq!(methods("").body["roster"], true);
    let unknown = methods("?university=nowhere");
    assert_eq!(
        (unknown.status, unknown.body["error"]["field"].as_str()),
        (422, Some("university"))
    );
}

/// A university's admin imports into their own university's roster only: a row naming another
/// university, or a person on another university's roster, refuses the whole file (line and
/// field) and changes nothing; the query cannot name another university. The national admin
/// imports into a university by the query, and may move a person there.
#[test]
fn a_university_admin_imports_its_own_roster_only() {
    let s = start("university-admin-roster", &[]);
    let admin = s.staff("admin");
    s.add_university(&admin, "sharif");
    s.add_university(&admin, "ut");
    let password = "a-long-enough-password";
    let created = s.staff_post(
        &admin,
        "/api/v1/admin/users",
        json!({"username": "sharif-admin", "display_name": "x", "role": "university_admin",
               "university": "sharif", "password": password}),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let login = common::staff_login(s.base(), "sharif-admin", password);
    let sharif = Session {
        cookie: login.cookie,
        csrf: login.csrf,
    };
    let header = "student_number,national_id,mobile,faculty,level,status,university\n";
    let (mine, another) = (national_id(960), national_id(961));
    let ours = format!("70000001,{mine},09130000960,حقوق,phd,student,sharif\n");
    let roster_count = || common::count(&s.data.0, "SELECT COUNT(*) FROM roster");
    let before = roster_count();
    // A row of another university beside a good one.
    let csv = format!("{header}{ours}70000002,{another},09130000961,حقوق,phd,student,ut\n");
    let a = s.import(Some(&sharif), "text/csv", csv.into_bytes());
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(rows_of(&a), [(3, "university".to_owned())]);
    // Another university's student (Ali, the default university's).
    let csv = format!(
        "{header}{ours}70000003,{},09120000001,حقوق,phd,student,\n",
        ALI.0
    );
    let a = s.import(Some(&sharif), "text/csv", csv.into_bytes());
    assert_eq!(rows_of(&a), [(3, "national_id".to_owned())], "{}", a.body);
    // The query naming another university.
    let a = s.import_into(&sharif, "ut", &format!("{header}{ours}"));
    assert_eq!(
        (a.status, a.body["error"]["field"].as_str()),
        (422, Some("university")),
        "{}",
        a.body
    );
    // Nothing of those was imported; Ali is where he was.
    assert_eq!(roster_count(), before);
    assert_eq!(s.university_of(ALI.0).as_deref(), Some("default"));
    // Its own rows, by its code, its Persian name or nothing: at sharif, a number the default
    // university also gives (Ali's) its own.
    let csv = format!(
        "{header}{ours}{},{},09130000962,حقوق,phd,student,دانشگاه sharif\n\
         70000004,{},09130000963,حقوق,phd,admitted,\n",
        ALI.1,
        national_id(962),
        national_id(963)
    );
    let a = s.import(Some(&sharif), "text/csv", csv.into_bytes());
    assert_eq!(
        a.body,
        json!({"added": 3, "updated": 0, "unchanged": 0}),
        "{}",
        a.body
    );
    for n in [mine.clone(), national_id(962), national_id(963)] {
        assert_eq!(s.university_of(&n).as_deref(), Some("sharif"));
    }
    // The national admin: a number sharif has given is refused there; Ali moves to sharif.
    let taken = format!("{HEADER}70000001,{another},09130000961,برق,phd,student\n");
    let a = s.import_into(&admin, "sharif", &taken);
    assert_eq!(
        rows_of(&a),
        [(2, "student_number".to_owned())],
        "{}",
        a.body
    );
    let moved = format!(
        "{HEADER}70000009,{},{},فنی و مهندسی,bachelor_continuous,student\n",
        ALI.0, ALI.2
    );
    let a = s.import_into(&admin, "sharif", &moved);
    assert_eq!(
        a.body,
        json!({"added": 0, "updated": 1, "unchanged": 0}),
        "{}",
        a.body
    );
    assert_eq!(s.university_of(ALI.0).as_deref(), Some("sharif"));
    let (me, _) = s.sign_in(
        json!({"student_number": "70000009", "university": "sharif"}),
        ALI.2,
    );
    assert_eq!(me.body["person"]["national_id"], ALI.0);
}

/// `pishkhan roster import --university CODE`: every row at that university; a code no
/// university has is named (exit 2) and nothing is imported.
#[test]
fn pishkhan_roster_import_into_a_university() {
    let dir = TempDir::new("roster-cli-university");
    let data = dir.0.join("data");
    let file = dir.0.join("roster.csv");
    std::fs::write(
        &file,
        format!(
            "{HEADER}50000001,{},09130000001,فنی,phd,student\n",
            national_id(21)
        ),
    )
    .unwrap();
    let import = |university: &str| {
        common::pishkhan(&data)
            .args(["roster", "import", "--data-dir"])
            .arg(&data)
            .args(["--university", university])
            .arg(&file)
            .output()
            .unwrap()
    };
    let out = import("sharif");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sharif"));
    assert_eq!(common::count(&data, "SELECT COUNT(*) FROM roster"), 0);
    let added = common::pishkhan(&data)
        .args(["university", "add", "--data-dir"])
        .arg(&data)
        .args([
            "--code",
            "sharif",
            "--name-fa",
            "دانشگاه شریف",
            "--name-en",
            "Sharif",
        ])
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let out = import("sharif");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let at = common::rows(
        &data,
        "SELECT u.code FROM roster r JOIN universities u ON u.id = r.university_id",
    );
    assert_eq!(at, [[Some("sharif".to_owned())]]);
}
