//! Filing as a signed-in person, over a real socket against a real database, with people of
//! the demo roster signed in by the code sent to their roster mobile: no session, an expired one,
//! no CSRF token, a body naming someone else's national ID or student number — each refused
//! before anything is stored; the mobile and faculty taken from the identity; an idempotency key
//! replayed to the person who used it only; "my requests" listing the person's own only, with
//! their receipts, and opening one of them (and never someone else's) to act on it.

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

    fn call(&self, method: &str, path: &str, who: Option<&PersonSession>, body: Value) -> Answer {
        let c = client();
        let url = format!("{}{path}", self.base());
        let mut request = if method == "GET" {
            c.get(url)
        } else {
            c.post(url)
                .header("content-type", "application/json")
                .body(body.to_string())
        };
        if let Some(who) = who {
            request = request
                .header("cookie", &who.cookie)
                .header("x-csrf-token", &who.csrf);
        }
        submit::answer(request.send().unwrap())
    }

    fn mine(&self, who: &PersonSession) -> Vec<Value> {
        let a = self.call("GET", "/api/v1/signin/requests", Some(who), Value::Null);
        assert_eq!(a.status, 200, "{}", a.body);
        assert_eq!(a.headers["cache-control"], "no-store");
        a.body["requests"].as_array().unwrap().clone()
    }

    fn open(&self, who: Option<&PersonSession>, tracking_code: &str) -> Answer {
        self.call(
            "POST",
            "/api/v1/signin/requests/open",
            who,
            json!({"tracking_code": tracking_code}),
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

/// A withdrawal whose form `uploader` (signed in) uploads.
fn withdrawal(
    s: &Setup,
    uploader: &PersonSession,
    national_id: &str,
    student_number: &str,
    faculty: &str,
) -> Value {
    let form = upload(
        &client(),
        s.base(),
        uploader,
        b"%PDF-1.4\nwithdrawal form".to_vec(),
    );
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
    let theirs = withdrawal(&s, &ali, ALI.0, SARA.1, ALI.3);
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
        &withdrawal(&s, &ali, ALI.0, ALI.1, "حقوق"),
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

#[test]
fn my_requests_are_mine_only_from_any_device_with_their_receipts() {
    let s = start("mine");
    let (ali, sara) = (s.sign_in(ALI), s.sign_in(SARA));
    assert!(s.mine(&ali).is_empty());
    let first = s.file(Some(&ali), &new_key(), &clearance(ALI.0, ALI.2));
    let theirs = s.file(Some(&sara), &new_key(), &clearance(SARA.0, SARA.2));
    let second = s.file(
        Some(&ali),
        &new_key(),
        &withdrawal(&s, &ali, ALI.0, ALI.1, ALI.3),
    );
    for a in [&first, &theirs, &second] {
        assert_eq!(a.status, 201, "{}", a.body);
    }
    // Another device: a sign-in of its own.
    let elsewhere = sign_in_by_code(s.base(), s.data(), &json!({"student_number": ALI.1}), ALI.2);
    let mine = s.mine(&elsewhere);
    let codes: Vec<&Value> = mine.iter().map(|r| &r["tracking_code"]).collect();
    // Newest first (filed in the same second: the later one first).
    assert_eq!(
        codes,
        [&second.body["tracking_code"], &first.body["tracking_code"]]
    );
    assert_eq!(mine[0]["receipt"], second.body);
    assert_eq!(mine[1]["receipt"], first.body);
    assert_eq!(mine[0]["kind"], "withdrawal");
    assert_eq!(mine[0]["state"], "submitted");
    assert!(!mine[0]["state_fa"].as_str().unwrap().is_empty());
    assert_eq!(
        mine[0]["revocation_deadline"],
        second.body["revocation_deadline"]
    );
    assert_eq!(mine[1]["state"], "at_office:department");
    assert_eq!(mine[1]["submitted_at"], first.body["submitted_at"]);
    let hers = s.mine(&sara);
    assert_eq!(hers.len(), 1);
    assert_eq!(hers[0]["tracking_code"], theirs.body["tracking_code"]);
    // Once the keys are purged (30 days), the receipts are made again, the same.
    common::sql(s.data(), "DELETE FROM idempotency_keys");
    assert_eq!(s.mine(&ali), mine);
    // Not signed in.
    let a = s.call("GET", "/api/v1/signin/requests", None, Value::Null);
    assert_eq!(refusal(&a), (401, "SIGN_IN_REQUIRED", ""));
}

#[test]
fn a_person_opens_their_own_request_only() {
    let s = start("open");
    let (ali, sara) = (s.sign_in(ALI), s.sign_in(SARA));
    let his = s.file(Some(&ali), &new_key(), &clearance(ALI.0, ALI.2));
    let hers = s.file(Some(&sara), &new_key(), &clearance(SARA.0, SARA.2));
    let his = his.body["tracking_code"].as_str().unwrap();
    let hers = hers.body["tracking_code"].as_str().unwrap();
    // His own, in Persian digits: the applicant session a one-time code would give.
    let opened = s.open(Some(&ali), &rules::digits::to_persian_digits(his));
    assert_eq!(opened.status, 200, "{}", opened.body);
    assert_eq!(opened.body["expires_in"], 1800);
    let token = opened.body["token"].as_str().unwrap();
    let view = submit::answer(
        client()
            .get(format!("{}/api/v1/applicant/request", s.base()))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .unwrap(),
    );
    assert_eq!(view.status, 200, "{}", view.body);
    assert_eq!(view.body["tracking_code"], his);
    // Hers, and a code no request has: one answer.
    let theirs = s.open(Some(&ali), hers);
    assert_eq!(refusal(&theirs), (404, "NOT_FOUND", "tracking_code"));
    let unknown = rules::tracking::TrackingCode::from_number(12_345).grouped();
    assert_eq!(s.open(Some(&ali), &unknown).body, theirs.body);
    // Not a tracking code; no session; no CSRF token.
    let a = s.open(Some(&ali), "1234");
    assert_eq!(refusal(&a), (422, "INVALID_INPUT", "tracking_code"));
    assert_eq!(refusal(&s.open(None, his)), (401, "SIGN_IN_REQUIRED", ""));
    let no_csrf = PersonSession {
        csrf: String::new(),
        ..ali.clone()
    };
    assert_eq!(refusal(&s.open(Some(&no_csrf), his)).0, 403);
    // Only the one session, on his own request, was opened.
    assert_eq!(
        common::count(s.data(), "SELECT COUNT(*) FROM applicant_sessions"),
        1
    );
}

/// PostgreSQL only (SQLite finds a row by its id without a plan): the writer's foreign-key
/// checks — one per audit row and per key it inserts, each finding its `requests` row — use the
/// table's index once the table has grown, though the writer's connection first planned them
/// on an empty database. PostgreSQL keeps a connection's plans until something invalidates
/// them; without the writer's re-planning (`store::replan_as_tables_grow`) every check scanned
/// the whole table until autovacuum's next analyze, and one `pishkhan serve` fell to a third of
/// its rate in `bench/server.sh`.
#[test]
fn the_writers_checks_find_requests_by_index_as_the_table_grows() {
    if common::test_database_url().is_none() {
        return;
    }
    let s = start("replan");
    const THREADS: usize = 8;
    const EACH: usize = 100;
    let filed = std::sync::atomic::AtomicUsize::new(0);
    let me = s.sign_in(ALI);
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                let c = client();
                let body = clearance(ALI.0, ALI.2).to_string();
                for _ in 0..EACH {
                    let a = submit::submit(&c, s.base(), Some(&me), Some(&new_key()), &body)
                        .expect("an answer");
                    assert_eq!(a.status, 201, "{}", a.body);
                    filed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            });
        }
    });
    let n = filed.into_inner() as i64;
    assert_eq!(n, (THREADS * EACH) as i64);
    // The writer's statistics arrive together (its inserts with its scans) once its backend has
    // reported them, within about a second of going idle: wait for its inserts to show.
    let stats = |column: &str| {
        common::count(
            s.data(),
            &format!("SELECT {column} FROM pg_stat_user_tables WHERE relname = 'requests'"),
        )
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while stats("n_tup_ins") < n {
        assert!(
            std::time::Instant::now() < deadline,
            "the writer's statistics never arrived"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // Two checks per request at least (its audit row, its key): a few dozen batches' worth of
    // whole-table scans while the table is young, then none.
    let scans = stats("seq_scan");
    assert!(
        scans < n / 2,
        "{scans} whole-table scans of requests for {n} filings"
    );
}
