//! The staff side over a real socket against a real database, signed in as the demo users of
//! each role: every process walked from the student's submission to its end; at every step,
//! every other (role, action) of the process refused; a stale version; the revocation window's
//! last day and the day after; a second revocation; the ruling before `final_ruling_from`; the
//! payment's verification; scope; the Art. 34 list; and the audit chain, clean and tampered.

mod common;
mod submit;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Server, TempDir};
use rules::requests::default_offices;
use rules::workflow::{edges, Action, Process, Role, State};
use rules::JalaliDate;
use serde_json::{json, Value};
use submit::{answer, national_id, new_key, Answer};

/// The password of every demo user.
const DEMO_PASSWORD: &str = "pishkhan-demo";

struct Env {
    server: Server,
    data: TempDir,
    _dist: TempDir,
    http: reqwest::blocking::Client,
    sessions: HashMap<String, Session>,
    /// Every URL the staff and applicant helpers asked for (path and query), in order.
    urls: RefCell<Vec<String>>,
    /// The server's log (standard error), when started with [`start_logged`].
    log: Option<PathBuf>,
}

/// A signed-in clerk: the session cookie and its CSRF token.
#[derive(Clone)]
struct Session {
    cookie: String,
    csrf: String,
}

fn start(name: &str) -> Env {
    start_with(name, &["--payment-gateway", "sandbox"])
}

/// [`start`] with these payment arguments (`&[]`: no gateway configured).
fn start_with(name: &str, payment: &[&str]) -> Env {
    start_env(name, payment, false)
}

/// [`start`], the server's log (at `debug`) kept in a file of the data directory.
fn start_logged(name: &str) -> Env {
    start_env(name, &["--payment-gateway", "sandbox"], true)
}

fn start_env(name: &str, payment: &[&str], logged: bool) -> Env {
    let (dist, data) = common::app_and_data("wf", name);
    let mut args = vec![
        "--demo-users",
        "--lookups-per-minute",
        "1000",
        "--logins-per-minute",
        "1000",
    ];
    args.extend_from_slice(payment);
    let log = logged.then(|| data.0.join("server.log"));
    let server = match &log {
        Some(path) => common::serve_logging(
            &dist.0,
            &data.0,
            &args,
            std::fs::File::create(path).unwrap().into(),
        ),
        None => common::serve_with(&dist.0, &data.0, &args),
    };
    let http = submit::client_without_redirects();
    Env {
        server,
        data,
        _dist: dist,
        http,
        sessions: HashMap::new(),
        urls: RefCell::new(Vec::new()),
        log,
    }
}

/// The demo user of a role.
fn username(role: &Role) -> String {
    server::domain::accounts::demo_username(role).expect("a staff role")
}

/// Every clerk role of the demo (the admin aside).
fn clerk_roles() -> Vec<Role> {
    Role::staff_roles(&default_offices())
        .into_iter()
        .filter(|r| *r != Role::Admin)
        .collect()
}

impl Env {
    fn base(&self) -> &str {
        &self.server.base
    }

    fn login(&mut self, user: &str, password: &str) -> Session {
        if let Some(s) = self.sessions.get(user) {
            return s.clone();
        }
        // Signed in (a second factor enrolled when the account must have one).
        let signed_in = common::staff_login(self.base(), user, password);
        let session = Session {
            cookie: signed_in.cookie,
            csrf: signed_in.csrf,
        };
        self.sessions.insert(user.to_owned(), session.clone());
        session
    }

    fn as_role(&mut self, role: &Role) -> Session {
        self.login(&username(role), DEMO_PASSWORD)
    }

    fn get(&self, s: &Session, path: &str) -> Answer {
        self.urls.borrow_mut().push(path.to_owned());
        answer(
            self.http
                .get(format!("{}{path}", self.base()))
                .header("cookie", &s.cookie)
                .send()
                .unwrap(),
        )
    }

    fn post(&self, s: &Session, path: &str, body: &Value) -> Answer {
        self.send(s, reqwest::Method::POST, path, body)
    }

    /// `method path` with a JSON body, as the clerk `s` (their cookie and CSRF token).
    fn send(&self, s: &Session, method: reqwest::Method, path: &str, body: &Value) -> Answer {
        self.urls.borrow_mut().push(path.to_owned());
        answer(
            self.http
                .request(method, format!("{}{path}", self.base()))
                .header("cookie", &s.cookie)
                .header("x-csrf-token", &s.csrf)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .unwrap(),
        )
    }

    /// Files `body` as the person it is for, signed in for it.
    fn submit(&self, body: &Value) -> Answer {
        let me = common::sign_in_for(&self.data.0, body);
        submit::submit(
            &self.http,
            self.base(),
            Some(&me),
            Some(&new_key()),
            &body.to_string(),
        )
        .unwrap()
    }

    fn detail(&mut self, role: &Role, code: &str) -> Value {
        let s = self.as_role(role);
        let a = self.get(&s, &self.staff_url(code, ""));
        assert_eq!(a.status, 200, "{}", a.body);
        a.body
    }

    /// Takes `action` as `role` with the request's current version; the answer.
    fn act(&mut self, role: &Role, code: &str, action: &str, data: Value) -> Answer {
        let version = self.version(code);
        let s = self.as_role(role);
        self.post(
            &s,
            &self.staff_url(code, "/actions"),
            &json!({"action": action, "version": version, "data": data}),
        )
    }

    /// Like [`Env::act`], and it must succeed and lead to `to`.
    fn step(&mut self, role: &Role, code: &str, action: &str, data: Value, to: &str) -> Value {
        let a = self.act(role, code, action, data);
        assert_eq!(a.status, 200, "{action} by {}: {}", role.id(), a.body);
        assert_eq!(a.body["state"], to, "{action}: {}", a.body);
        a.body
    }

    /// The request's version, read from the database (every role's view agrees).
    fn version(&self, code: &str) -> i64 {
        sql_i64(
            &self.db(),
            &format!(
                "SELECT version FROM requests WHERE tracking_code = '{}'",
                digits(code)
            ),
        )
    }

    fn state(&self, code: &str) -> String {
        sql_string(
            &self.db(),
            &format!(
                "SELECT status FROM requests WHERE tracking_code = '{}'",
                digits(code)
            ),
        )
    }

    /// The data directory, whose database the SQL helpers below read.
    fn db(&self) -> PathBuf {
        self.data.0.clone()
    }

    /// Everything a staff or admin call could change: every request's state and version, the
    /// audit chain's length and head, the notifications queued, the Art. 34 events, the accounts,
    /// every university's clearance offices and faculties, the roster and the payments. A refused
    /// call leaves all of it as it was.
    fn footprint(&self) -> Vec<Vec<Vec<Option<String>>>> {
        [
            "SELECT tracking_code, status, version FROM requests ORDER BY id",
            "SELECT COUNT(*), MAX(id) FROM audit",
            "SELECT COUNT(*) FROM notifications",
            "SELECT COUNT(*) FROM art34_events",
            "SELECT username, role, scope_kind, scope_university_id, scope_faculty, scope_county, \
             active, display_name FROM users ORDER BY username",
            "SELECT * FROM clearance_offices ORDER BY university_id, position",
            "SELECT university_id, code, name_fa, name_en FROM faculties \
             ORDER BY university_id, code",
            "SELECT COUNT(*) FROM roster",
            "SELECT COUNT(*) FROM payments",
        ]
        .iter()
        .map(|q| sql_rows(&self.db(), q))
        .collect()
    }

    /// A clerk of `role` scoped to a university, county or faculty that no request names.
    fn elsewhere(&mut self, role: &Role) -> Session {
        let username = format!("else-{}", role.id()).replace('_', "-");
        if let Some(s) = self.sessions.get(&username) {
            return s.clone();
        }
        if *role == Role::UniversityUser {
            self.university("elsewhere", "جایی دیگر");
        }
        self.scoped_clerk(&username, role.clone(), "جایی دیگر")
    }

    /// At the request's current state, every (role, action) of the process that the table does
    /// not allow is refused — 403, or 404 for a role that takes no part in the process (the
    /// admin among them) — and so is every allowed one taken by a clerk of the right role
    /// scoped elsewhere (404: the request is not theirs to see), by no one signed in (401), by a
    /// signed-in student (401: a person session is not a staff session) and without the CSRF
    /// token (403). None of them changes anything (see [`Env::footprint`]).
    fn forbidden_all_refused(&mut self, code: &str, process: Process) {
        let offices = default_offices();
        let state = State::parse(&self.state(code)).unwrap();
        let table = edges(process, &offices);
        let mut actions: Vec<Action> = table.iter().map(|e| e.action).collect();
        actions.sort_by_key(|a| a.id());
        actions.dedup();
        let allowed_now: Vec<(Role, Action)> = table
            .iter()
            .filter(|e| e.from == state)
            .map(|e| (e.role.clone(), e.action))
            .collect();
        // Every session first: signing in is not what the footprint watches.
        let mut roles = clerk_roles();
        roles.push(Role::Admin);
        for role in &roles {
            self.as_role(role);
        }
        for (role, _) in allowed_now.iter().filter(|(r, _)| r.is_scoped()) {
            self.elsewhere(role);
        }
        let before = self.footprint();
        for role in &roles {
            let takes_part = table.iter().any(|e| &e.role == role);
            for &action in &actions {
                if allowed_now.contains(&(role.clone(), action)) {
                    continue;
                }
                let a = self.act(role, code, &action.id(), full_data());
                let expected = if takes_part {
                    (403, "FORBIDDEN_ACTION")
                } else {
                    (404, "NOT_FOUND")
                };
                assert_eq!(
                    (a.status, a.code()),
                    expected,
                    "{} {} in {}: {}",
                    role.id(),
                    action.id(),
                    state.id(),
                    a.body
                );
            }
        }
        let path = self.staff_url(code, "/actions");
        let version = self.version(code);
        for (role, action) in &allowed_now {
            let body = json!({"action": action.id(), "version": version, "data": full_data()});
            if role.is_scoped() {
                let s = self.elsewhere(role);
                let a = self.post(&s, &path, &body);
                assert_eq!(
                    (a.status, a.code()),
                    (404, "NOT_FOUND"),
                    "{} scoped elsewhere, {} in {}: {}",
                    role.id(),
                    action.id(),
                    state.id(),
                    a.body
                );
            }
            let anonymous = Session {
                cookie: String::new(),
                csrf: String::new(),
            };
            let a = self.post(&anonymous, &path, &body);
            assert_eq!((a.status, a.code()), (401, "NOT_SIGNED_IN"), "{}", a.body);
            let student = common::sign_in(
                &self.data.0,
                &common::Person {
                    national_id: national_id(990),
                    ..Default::default()
                },
            );
            let as_student = Session {
                cookie: student.cookie.clone(),
                csrf: student.csrf.clone(),
            };
            let a = self.post(&as_student, &path, &body);
            assert_eq!((a.status, a.code()), (401, "NOT_SIGNED_IN"), "{}", a.body);
            if role.is_staff() {
                let mut no_csrf = self.as_role(role);
                no_csrf.csrf = "not-the-token".to_owned();
                let a = self.post(&no_csrf, &path, &body);
                assert_eq!((a.status, a.code()), (403, "CSRF_FAILED"), "{}", a.body);
            }
        }
        assert_eq!(
            self.footprint(),
            before,
            "a refused move changed something ({} in {})",
            code,
            state.id()
        );
    }

    /// The latest one-time code sent to `mobile` (from the SMS log), waiting for the sender.
    fn sms_code(&self, after_lines: usize) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let log = std::fs::read_to_string(self.data.0.join("sms.log")).unwrap_or_default();
            let fresh: Vec<&str> = log.lines().skip(after_lines).collect();
            if let Some(line) = fresh.iter().rev().find(|l| l.contains("one_time_code")) {
                let v: Value = serde_json::from_str(line).unwrap();
                let text = rules::digits::to_ascii_digits(v["text"].as_str().unwrap());
                let code: String = text
                    .split(|c: char| !c.is_ascii_digit())
                    .find(|w| w.len() == 6)
                    .unwrap()
                    .to_owned();
                return code;
            }
            assert!(Instant::now() < deadline, "no one-time code in the SMS log");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn sms_lines(&self) -> Vec<Value> {
        std::fs::read_to_string(self.data.0.join("sms.log"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Waits until the SMS log has a message of `kind` for this request.
    fn wait_sms(&self, code: &str, kind: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(m) = self
                .sms_lines()
                .into_iter()
                .find(|m| m["kind"] == kind && m["tracking_code"] == digits(code))
            {
                return m;
            }
            assert!(Instant::now() < deadline, "no {kind} SMS for {code}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Signs in as the applicant of a request: a one-time code by SMS, then a session token.
    fn applicant(&self, code: &str, id: &str) -> String {
        // The code is typed in Persian digits.
        submit::applicant_token(&self.http, self.base(), &self.data.0, code, id, |before| {
            rules::digits::to_persian_digits(&self.sms_code(before))
        })
    }

    fn applicant_get(&self, token: &str) -> Answer {
        answer(
            self.http
                .get(format!("{}/api/v1/applicant/request", self.base()))
                .bearer_auth(token)
                .send()
                .unwrap(),
        )
    }

    fn applicant_post(&self, token: &str, path: &str, body: &Value) -> Answer {
        self.urls.borrow_mut().push(path.to_owned());
        answer(
            self.http
                .post(format!("{}{path}", self.base()))
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .unwrap(),
        )
    }

    /// Starts paying the fee in the applicant session `token` and pays at the sandbox gateway:
    /// the callback address the gateway sends the browser to.
    fn pay_at_sandbox(&self, token: &str) -> String {
        let started = self.applicant_post(token, "/api/v1/applicant/request/payment", &json!({}));
        let url = started.body["redirect_url"].as_str().unwrap().to_owned();
        let back = self
            .http
            .post(format!("{}{url}", self.base()))
            .form(&[("decision", "pay")])
            .send()
            .unwrap();
        back.headers()["location"].to_str().unwrap().to_owned()
    }

    fn applicant_act(&self, token: &str, body: Value) -> Answer {
        self.applicant_post(token, "/api/v1/applicant/request/actions", &body)
    }

    /// Adds a university (with seed 002's offices) with the real CLI, unless its code is taken.
    fn university(&self, code: &str, name_fa: &str) {
        // On the data directory's database (PostgreSQL when the test command gives one).
        let out = common::pishkhan(&self.data.0)
            .args(["university", "add", "--data-dir"])
            .arg(&self.data.0)
            .args(["--code", code, "--name-fa", name_fa, "--name-en", code])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() || said.contains("taken"),
            "university add {code}: {said}"
        );
    }

    /// Adds a clerk of `role` serving `scope` only, with the real CLI (password: the username
    /// followed by `-password`), and signs them in.
    fn scoped_clerk(&mut self, username: &str, role: Role, scope: &str) -> Session {
        self.clerk_at(username, role, scope, None)
    }

    /// Adds a faculty to the university with this code, with the real CLI (`university faculty
    /// add`; a faculty it has already is kept).
    fn faculty(&self, university: &str, code: &str) {
        let out = common::pishkhan(&self.data.0)
            .args(["university", "faculty", "add", "--data-dir"])
            .arg(&self.data.0)
            .args(["--university", university, "--code", code])
            .args(["--name-fa", code, "--name-en", code])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() || said.contains("taken"),
            "faculty add {code}: {said}"
        );
    }

    /// Like [`Env::scoped_clerk`], of the university with this code (`--university`); a faculty
    /// role's faculty is added to that university first (a faculty scope must name one).
    fn clerk_at(
        &mut self,
        username: &str,
        role: Role,
        scope: &str,
        university: Option<&str>,
    ) -> Session {
        if matches!(role, Role::FacultyExpert | Role::HeadOfFacultyEducation) && scope != "*" {
            self.faculty(university.unwrap_or("default"), scope);
        }
        let password = format!("{username}-password");
        let mut add = common::pishkhan(&self.data.0)
            .args(["user", "add", "--data-dir"])
            .arg(&self.data.0)
            .args([
                "--username",
                username,
                "--role",
                &role.id(),
                "--scope",
                scope,
            ])
            .args(university.map(|u| ["--university", u]).iter().flatten())
            .args(["--display-name", &format!("کارشناس {scope}")])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        add.stdin
            .take()
            .unwrap()
            .write_all(format!("{password}\n").as_bytes())
            .unwrap();
        assert!(add.wait().unwrap().success());
        self.login(username, &password)
    }

    /// A clerk's search of their cartable (a national ID, a tracking code).
    fn search(&self, s: &Session, q: &str) -> Answer {
        self.post(s, "/api/v1/staff/cartable/search", &json!({"q": q}))
    }

    /// A request's staff URL, by its opaque handle: `/api/v1/staff/requests/<handle><rest>`.
    fn staff_url(&self, code: &str, rest: &str) -> String {
        let handle = sql_string(
            &self.db(),
            &format!(
                "SELECT handle FROM requests WHERE tracking_code = '{}'",
                digits(code)
            ),
        );
        format!("/api/v1/staff/requests/{handle}{rest}")
    }

    /// The tracking codes in a clerk's cartable.
    fn cartable_codes(&self, s: &Session) -> Vec<String> {
        let cartable = self.get(s, "/api/v1/staff/cartable");
        assert_eq!(cartable.status, 200, "{}", cartable.body);
        cartable.body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["tracking_code"].as_str().unwrap().to_owned())
            .collect()
    }

    /// The status of a request's detail for a clerk: 200 in their scope, 404 outside it.
    fn detail_status(&self, s: &Session, code: &str) -> u16 {
        self.get(s, &self.staff_url(code, "")).status
    }

    /// The mobile the last one-time code went to.
    fn last_code_sent_to(&self) -> String {
        let line = self
            .sms_lines()
            .into_iter()
            .rev()
            .find(|m| m["kind"] == "one_time_code")
            .expect("a one-time code was sent");
        line["to"].as_str().unwrap().to_owned()
    }
}

/// Every data field an action may need, so refusals are for the role and state alone.
fn full_data() -> Value {
    json!({"editable": true, "debt_rials": 0, "instalments_start": "1405-01-01",
           "instalments_end": "1405-12-01"})
}

fn digits(code: &str) -> String {
    code.chars().filter(char::is_ascii_digit).collect()
}

fn today() -> JalaliDate {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    JalaliDate::today_in_tehran(now)
}

/// Runs SQL on the server's database, as an intruder (or a test) with file access would.
fn sql_rows(data_dir: &Path, statement: &str) -> Vec<Vec<Option<String>>> {
    common::rows(data_dir, statement)
}

fn sql_i64(db: &Path, statement: &str) -> i64 {
    sql_string(db, statement).parse().unwrap()
}

fn sql_string(db: &Path, statement: &str) -> String {
    sql_rows(db, statement)[0][0].clone().unwrap()
}

fn sql(db: &Path, statement: &str) {
    sql_rows(db, statement);
}

/// Exemption answers that pass today's pre-check: a bachelor's started a month ago.
fn eligible_exemption(id: &str, city: &str) -> Value {
    let start = today().add_months(-1);
    json!({
        "has_sakha_code": true, "national_id": id, "mobile": "09121234567",
        "sms_opt_in": true, "residence_province": "تهران", "residence_city": city,
        "residence_address": "خیابان انقلاب", "previous_level": "diploma",
        "previous_graduation": start.add_months(-3).to_machine(), "university": "دانشگاه تهران",
        "level": "bachelor_continuous", "study_start": start.to_machine(),
        "field_of_study": "ریاضی", "institution_approved": true, "unjustified_absence": false})
}

fn withdrawal_of(env: &Env, n: u32, faculty: &str) -> Value {
    submit::withdrawal_of(&env.http, env.base(), &env.data.0, n, faculty)
}

/// Moves the withdrawal's submission day back so that today is `days_after_deadline` after its
/// revocation deadline (0: the deadline day itself), as if it had been filed two months ago.
fn backdate(env: &Env, code: &str, days_after_deadline: i64) {
    let t = today().add_days(-days_after_deadline);
    let submitted = (40..80)
        .map(|d| t.add_days(-d))
        .find(|s| s.add_months(2) == t)
        .expect("a day two months before");
    sql(
        &env.db(),
        &format!(
            "UPDATE requests SET submitted_jalali = '{}' WHERE tracking_code = '{}'",
            submitted.to_machine(),
            digits(code)
        ),
    );
}

#[test]
fn exemption_a1_is_paid_returned_corrected_rechecked_and_issued() {
    let mut env = start("a1");
    let id = national_id(101);
    let filed =
        env.submit(&json!({"kind": "exemption", "answers": eligible_exemption(&id, "تهران")}));
    assert_eq!(filed.status, 201, "{}", filed.body);
    assert_eq!(filed.body["status"], "awaiting_payment");
    let code = filed.body["tracking_code"].as_str().unwrap().to_owned();
    env.forbidden_all_refused(&code, Process::ExemptionA1);

    // Step 5: the fee, through the sandbox gateway; a cancelled payment moves nothing.
    let token = env.applicant(&code, &id);
    let view = env.applicant_get(&token);
    assert_eq!(view.body["payment"]["amount_rials"], 1_000_000);
    assert!(view.body["actions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["action"] == "pay"));
    let pay = |env: &Env, decision: &str| -> String {
        let started = env.applicant_post(&token, "/api/v1/applicant/request/payment", &json!({}));
        assert_eq!(started.status, 201, "{}", started.body);
        let url = started.body["redirect_url"].as_str().unwrap().to_owned();
        let page = env.http.get(format!("{}{url}", env.base())).send().unwrap();
        assert_eq!(page.status(), 200);
        let page = page.text().unwrap();
        assert!(page.contains("۱,۰۰۰,۰۰۰"));
        assert!(page.contains("پرداخت آزمایشی") && page.contains("Test payment"));
        let back = env
            .http
            .post(format!("{}{url}", env.base()))
            .form(&[("decision", decision)])
            .send()
            .unwrap();
        assert_eq!(back.status(), 303);
        let callback = back.headers()["location"].to_str().unwrap().to_owned();
        let done = env
            .http
            .get(format!("{}{callback}", env.base()))
            .send()
            .unwrap();
        assert_eq!(done.status(), 303);
        // The callback again (a reload, a second notification): the same answer, no second move.
        let version = env.version(&code);
        let again = env
            .http
            .get(format!("{}{callback}", env.base()))
            .send()
            .unwrap();
        assert_eq!(again.headers()["location"], done.headers()["location"]);
        assert_eq!(env.version(&code), version);
        done.headers()["location"].to_str().unwrap().to_owned()
    };
    // A forged "OK" in the callback's URL does not count: the gateway is asked.
    let started = env.applicant_post(&token, "/api/v1/applicant/request/payment", &json!({}));
    let authority = started.body["authority"].as_str().unwrap().to_owned();
    let forged = env
        .http
        .get(format!(
            "{}/api/v1/payments/callback?authority={authority}&status=OK",
            env.base()
        ))
        .send()
        .unwrap();
    assert!(forged.headers()["location"]
        .to_str()
        .unwrap()
        .ends_with("payment=failed"));
    // The sandbox's form errors are JSON, as the API's: not a form (415), no decision (422).
    let sandbox = format!("{}/sandbox-gateway/{authority}", env.base());
    for (request, status, field) in [
        (
            env.http.post(&sandbox).body("decision=pay"),
            415,
            Value::Null,
        ),
        (
            env.http.post(&sandbox).form(&[("choice", "pay")]),
            422,
            json!("decision"),
        ),
    ] {
        let answer = request.send().unwrap();
        assert_eq!(answer.status(), status);
        let body: Value = answer.json().unwrap();
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    assert_eq!(env.state(&code), "awaiting_payment");
    assert!(pay(&env, "cancel").ends_with("?payment=failed"));
    assert_eq!(env.state(&code), "awaiting_payment");
    let location = pay(&env, "pay");
    // Back to the applicant's receipt page, which knows the request: no tracking code in it.
    assert_eq!(location, "/track/receipt?payment=ok");
    assert_eq!(env.state(&code), "at_university");
    env.forbidden_all_refused(&code, Process::ExemptionA1);

    // Step 6: returned for editing (must say whether it can be edited), with an SMS.
    let missing = env.act(&Role::UniversityUser, &code, "return_for_edit", json!({}));
    assert_eq!(
        (missing.status, missing.body["error"]["field"].as_str()),
        (422, Some("editable"))
    );
    env.step(
        &Role::UniversityUser,
        &code,
        "return_for_edit",
        json!({"editable": true, "note": "تاریخ شروع تحصیل را اصلاح کنید"}),
        "returned_for_edit",
    );
    let sms = env.wait_sms(&code, "returned_for_edit");
    assert_eq!(sms["to"], "09121234567");
    assert!(sms["text"].as_str().unwrap().contains("اصلاح"));
    // The applicant corrects it; a correction cannot change the person.
    let view = env.applicant_get(&token);
    assert_eq!(view.body["state"], "returned_for_edit");
    let mut corrected = eligible_exemption(&id, "تهران");
    corrected["field_of_study"] = json!("آمار");
    let mut other = corrected.clone();
    other["national_id"] = json!(national_id(102));
    let refused = env.applicant_act(
        &token,
        json!({"action": "resubmit", "version": view.body["version"], "answers": other}),
    );
    assert_eq!(
        (refused.status, refused.body["error"]["field"].as_str()),
        (422, Some("national_id"))
    );
    let done = env.applicant_act(
        &token,
        json!({"action": "resubmit", "version": view.body["version"], "answers": corrected}),
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["state"], "at_university");
    assert_eq!(done.body["answers"]["field_of_study"], "آمار");

    // Step 7: confirmed; the system re-checks at once; the conscription office issues it.
    env.step(
        &Role::UniversityUser,
        &code,
        "confirm_data",
        json!({}),
        "at_conscription_office",
    );
    env.forbidden_all_refused(&code, Process::ExemptionA1);
    let detail = env.step(
        &Role::ConscriptionExpert,
        &code,
        "issue",
        json!({}),
        "issued",
    );
    let actions: Vec<&str> = detail["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "submit",
            "precheck_pass",
            "confirm_payment",
            "return_for_edit",
            "resubmit",
            "confirm_data",
            "recheck_pass",
            "issue"
        ]
    );
    assert_eq!(detail["audit"][3]["note"], "تاریخ شروع تحصیل را اصلاح کنید");
    assert_eq!(detail["audit"][3]["actor"], "university");
    assert_eq!(detail["audit"][3]["data"]["editable"], true);
    env.wait_sms(&code, "issued");
    env.forbidden_all_refused(&code, Process::ExemptionA1);

    // Returned as not editable: not issued at once.
    let second = env.submit(
        &json!({"kind": "exemption", "answers": eligible_exemption(&national_id(103), "تهران")}),
    );
    let code2 = second.body["tracking_code"].as_str().unwrap().to_owned();
    sql(
        &env.db(),
        &format!(
            "UPDATE requests SET status = 'at_university' WHERE tracking_code = '{}'",
            digits(&code2)
        ),
    );
    // (The state was forced by hand, so the chain now says so.)
    env.step(
        &Role::UniversityUser,
        &code2,
        "return_for_edit",
        json!({"editable": false}),
        "not_issued",
    );
    env.wait_sms(&code2, "not_issued");
    // Every move of the walk (staff, payment, system) counted for the dashboard once.
    common::assert_summary_counts_the_audit(&env.db());
}

/// Files an eligible exemption (awaiting its fee) and signs in as its applicant: the tracking
/// code and the applicant's token.
fn awaiting_fee(env: &Env, n: u32) -> (String, String) {
    let id = national_id(n);
    let filed =
        env.submit(&json!({"kind": "exemption", "answers": eligible_exemption(&id, "تهران")}));
    assert_eq!(filed.status, 201, "{}", filed.body);
    assert_eq!(filed.body["status"], "awaiting_payment");
    let code = filed.body["tracking_code"].as_str().unwrap().to_owned();
    let token = env.applicant(&code, &id);
    (code, token)
}

#[test]
fn without_a_gateway_there_is_no_sandbox_and_paying_answers_payment_unavailable() {
    let env = start_with("no-gateway", &[]);
    let (code, token) = awaiting_fee(&env, 111);
    let started = env.applicant_post(&token, "/api/v1/applicant/request/payment", &json!({}));
    assert_eq!(started.status, 503, "{}", started.body);
    assert_eq!(started.body["error"]["code"], "PAYMENT_UNAVAILABLE");
    assert!(started.body["error"]["message_en"]
        .as_str()
        .unwrap()
        .contains("contact the university"));
    assert!(!started.body["error"]["message_fa"]
        .as_str()
        .unwrap()
        .is_empty());
    assert_eq!(env.state(&code), "awaiting_payment");
    assert_eq!(
        sql_i64(&env.db(), "SELECT COUNT(*) FROM payments"),
        0,
        "no payment that cannot be verified"
    );
    for path in ["/sandbox-gateway/SBX0123456789AB", "/sandbox-gateway/x"] {
        let page = env
            .http
            .get(format!("{}{path}", env.base()))
            .send()
            .unwrap();
        assert_eq!(page.status(), 404, "{path}");
        let post = env
            .http
            .post(format!("{}{path}", env.base()))
            .form(&[("decision", "pay")])
            .send()
            .unwrap();
        assert_eq!(post.status(), 404, "{path}");
    }
}

#[test]
fn a_forged_amount_is_never_paid_and_is_recorded() {
    let env = start("forged-amount");
    let (code, token) = awaiting_fee(&env, 112);
    let started = env.applicant_post(&token, "/api/v1/applicant/request/payment", &json!({}));
    assert_eq!(started.status, 201, "{}", started.body);
    let url = started.body["redirect_url"].as_str().unwrap().to_owned();
    let authority = started.body["authority"].as_str().unwrap().to_owned();
    // The payer changes the amount the gateway's form carries: the gateway reports 1,000 rials.
    let back = env
        .http
        .post(format!("{}{url}", env.base()))
        .form(&[("decision", "pay"), ("amount_rials", "1000")])
        .send()
        .unwrap();
    assert_eq!(back.status(), 303);
    let callback = back.headers()["location"].to_str().unwrap().to_owned();
    for _ in 0..2 {
        let done = answer(
            env.http
                .get(format!("{}{callback}", env.base()))
                .send()
                .unwrap(),
        );
        assert_eq!(done.status, 409, "{}", done.body);
        assert_eq!(done.body["error"]["code"], "PAYMENT_AMOUNT_MISMATCH");
        assert_eq!(done.body["error"]["field"], "amount_rials");
        assert_eq!(env.state(&code), "awaiting_payment");
    }
    let row = sql_rows(
        &env.db(),
        &format!(
            "SELECT status, failure, reported_amount_rials, amount_rials FROM payments \
             WHERE authority = '{authority}'"
        ),
    );
    assert_eq!(
        row[0],
        [
            Some("failed".to_owned()),
            Some("amount_mismatch".to_owned()),
            Some("1000".to_owned()),
            Some("1000000".to_owned())
        ]
    );
    // A fresh payment of the whole fee still goes through.
    let callback = env.pay_at_sandbox(&token);
    let done = env
        .http
        .get(format!("{}{callback}", env.base()))
        .send()
        .unwrap();
    assert_eq!(done.status(), 303);
    assert_eq!(env.state(&code), "at_university");
}

#[test]
fn no_personal_value_in_a_url_or_a_log_line() {
    let mut env = start_logged("privacy");
    let id = national_id(131);
    let mobile = "09121234567";
    let (code, token) = awaiting_fee(&env, 131);
    // The fee, through the sandbox; the lookup.
    let callback = env.pay_at_sandbox(&token);
    env.urls.borrow_mut().push(callback.clone());
    let paid = env
        .http
        .get(format!("{}{callback}", env.base()))
        .send()
        .unwrap();
    assert_eq!(paid.status(), 303);
    // Where the payment returns the applicant's browser (the receipt page, by no code).
    let receipt = paid.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(receipt, "/track/receipt?payment=ok");
    env.urls.borrow_mut().push(receipt);
    assert_eq!(env.state(&code), "at_university");
    let found = submit::lookup(&env.http, env.base(), &code, &id);
    assert_eq!(found.status, 200, "{}", found.body);
    // A clerk searches by national ID and by tracking code, reads the request and moves it.
    let university = env.as_role(&Role::UniversityUser);
    for q in [id.clone(), code.clone()] {
        let hits = env.search(&university, &q);
        assert_eq!(hits.status, 200, "{}", hits.body);
        assert_eq!(hits.body["requests"].as_array().unwrap().len(), 1, "{q}");
        assert_eq!(
            hits.body["requests"][0]["handle"].as_str().unwrap().len(),
            32
        );
    }
    // A search in the URL is refused, not run.
    let in_url = env.get(&university, "/api/v1/staff/cartable?q=1");
    assert_eq!(in_url.status, 400, "{}", in_url.body);
    env.detail(&Role::UniversityUser, &code);
    env.step(
        &Role::UniversityUser,
        &code,
        "return_for_edit",
        json!({"editable": true, "note": "اصلاح کنید"}),
        "returned_for_edit",
    );
    // Art. 34: the list, and an event recorded by national ID.
    let conscription = env.as_role(&Role::ConscriptionExpert);
    assert_eq!(env.get(&conscription, "/api/v1/staff/art34").status, 200);
    let other_id = national_id(132);
    let recorded = env.post(
        &university,
        "/api/v1/staff/art34/events",
        &json!({"national_id": other_id, "event": "graduation",
                "event_date": today().add_years(-1).to_machine()}),
    );
    assert_eq!(recorded.status, 201, "{}", recorded.body);

    let personal = [
        id.clone(),
        other_id,
        mobile.to_owned(),
        mobile[1..].to_owned(),
        digits(&code),
        code.clone(),
    ];
    let urls = env.urls.borrow().join("\n");
    let log = std::fs::read_to_string(env.log.as_ref().unwrap()).unwrap();
    assert!(
        log.contains("/api/v1/staff/"),
        "the log has the staff calls"
    );
    let in_urls: Vec<&String> = personal
        .iter()
        .filter(|v| urls.contains(v.as_str()))
        .collect();
    let in_log: Vec<&String> = personal
        .iter()
        .filter(|v| log.contains(v.as_str()))
        .collect();
    assert!(
        in_urls.is_empty() && in_log.is_empty(),
        "in a URL: {in_urls:?}\n{urls}\nin the log: {in_log:?}\n{log}"
    );
}

#[test]
fn exemption_a2_is_filed_by_the_police_office_and_issued_by_the_deputy() {
    let mut env = start("a2");
    let police = env.as_role(&Role::PoliceOffice);
    let mut answers = eligible_exemption(&national_id(201), "کرج");
    answers.as_object_mut().unwrap().remove("has_sakha_code");
    let filed = env.post(
        &police,
        "/api/v1/staff/requests",
        &json!({"answers": answers}),
    );
    assert_eq!(filed.status, 201, "{}", filed.body);
    assert_eq!(filed.body["process"], "exemption_a2");
    assert_eq!(filed.body["state"], "registered");
    let code = filed.body["tracking_code"].as_str().unwrap().to_owned();
    // Only the police office files for someone else.
    let faculty = env.as_role(&Role::FacultyExpert);
    let refused = env.post(
        &faculty,
        "/api/v1/staff/requests",
        &json!({"answers": answers}),
    );
    assert_eq!(refused.status, 403);
    // Field errors name the field.
    let bad = env.post(
        &police,
        "/api/v1/staff/requests",
        &json!({"answers": {"national_id": "123"}}),
    );
    assert_eq!(bad.status, 422);
    assert!(bad.body["error"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["field"] == "national_id"));

    env.forbidden_all_refused(&code, Process::ExemptionA2);
    env.step(
        &Role::PoliceOffice,
        &code,
        "grant_permit",
        json!({}),
        "permit_issued",
    );
    env.forbidden_all_refused(&code, Process::ExemptionA2);
    env.step(
        &Role::UniversityUser,
        &code,
        "submit_admitted_list",
        json!({}),
        "awaiting_deputy_confirmation",
    );
    env.forbidden_all_refused(&code, Process::ExemptionA2);
    env.step(
        &Role::ConscriptionDeputy,
        &code,
        "issue",
        json!({}),
        "issued",
    );
    env.forbidden_all_refused(&code, Process::ExemptionA2);
    common::assert_summary_counts_the_audit(&env.db());
}

#[test]
fn a_withdrawal_walks_nine_steps_and_the_ruling_waits_for_final_ruling_from() {
    let mut env = start("withdrawal");
    let filed = env.submit(&withdrawal_of(&env, 301, "فنی"));
    assert_eq!(filed.status, 201, "{}", filed.body);
    let code = filed.body["tracking_code"].as_str().unwrap().to_owned();
    assert_eq!(filed.body["status"], "submitted");
    let steps: [(Role, &str, Value, &str); 7] = [
        (
            Role::FacultyExpert,
            "cancel_card",
            json!({}),
            "awaiting_student_clearances",
        ),
        (Role::FacultyExpert, "", json!({}), "faculty_completion"), // the student's step 3
        (
            Role::FacultyExpert,
            "complete_file",
            json!({}),
            "at_student_affairs",
        ),
        (
            Role::StudentAffairsExpert,
            "confirm_welfare_debt",
            json!({"debt_rials": 25_000_000}),
            "faculty_final_check",
        ),
        (
            Role::FacultyExpert,
            "send_to_head",
            json!({}),
            "at_head_of_education",
        ),
        (
            Role::HeadOfFacultyEducation,
            "send_to_central",
            json!({}),
            "at_central_office",
        ),
        (
            Role::CentralOfficeExpert,
            "confirm_file",
            json!({}),
            "awaiting_ruling",
        ),
    ];
    let id = national_id(301);
    for (role, action, data, to) in steps {
        env.forbidden_all_refused(&code, Process::Withdrawal);
        if action.is_empty() {
            // Seed 001 step 3 is the student's: clearances with the faculty units.
            let token = env.applicant(&code, &id);
            let version = env.version(&code);
            let a = env.applicant_act(
                &token,
                json!({"action": "report_clearances", "version": version}),
            );
            assert_eq!(
                (a.status, a.body["state"].as_str()),
                (200, Some(to)),
                "{}",
                a.body
            );
            continue;
        }
        if action == "confirm_welfare_debt" {
            let a = env.act(&role, &code, action, json!({}));
            assert_eq!(
                (a.status, a.body["error"]["field"].as_str()),
                (422, Some("debt_rials"))
            );
        }
        env.step(&role, &code, action, data, to);
    }
    env.forbidden_all_refused(&code, Process::Withdrawal);
    // rules.md §5: never before final_ruling_from (the deadline day is still the student's).
    backdate(&env, &code, 0);
    let early = env.act(&Role::CentralOfficeExpert, &code, "issue_ruling", json!({}));
    assert_eq!(
        (early.status, early.code()),
        (422, "GUARD"),
        "{}",
        early.body
    );
    assert!(early.body["error"]["message_fa"]
        .as_str()
        .unwrap()
        .contains("پیش از"));
    backdate(&env, &code, 1);
    let detail = env.step(
        &Role::CentralOfficeExpert,
        &code,
        "issue_ruling",
        json!({"note": "حکم ۱۲۳"}),
        "ruling_issued",
    );
    assert_eq!(detail["deadlines"]["can_revoke"], false);
    env.wait_sms(&code, "ruling_issued");
    env.forbidden_all_refused(&code, Process::Withdrawal);

    // Art. 34: the ruling starts the one-year presentation deadline.
    let conscription = env.as_role(&Role::ConscriptionExpert);
    let list = env.get(&conscription, "/api/v1/staff/art34");
    assert_eq!(list.status, 200, "{}", list.body);
    let row = &list.body["rows"][0];
    assert_eq!(row["national_id"], id.as_str());
    assert_eq!(row["event"], "withdrawal");
    assert_eq!(row["event_date"], today().to_machine());
    assert_eq!(row["present_by"], today().add_years(1).to_machine());
    assert_eq!(row["overdue"], false);
    assert_eq!(row["tracking_code"], code.as_str());
    // Recorded graduations and expulsions join it; a graduation two years ago is overdue.
    let university = env.as_role(&Role::UniversityUser);
    let recorded = env.post(&university, "/api/v1/staff/art34/events",
        &json!({"national_id": national_id(302), "event": "graduation", "event_date": today().add_years(-2).to_machine()}));
    assert_eq!(recorded.status, 201, "{}", recorded.body);
    let bad = env.post(
        &university,
        "/api/v1/staff/art34/events",
        &json!({"national_id": "12", "event": "withdrawal", "event_date": "1403-13-01"}),
    );
    let fields: Vec<&str> = bad.body["error"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["national_id", "event", "event_date"]);
    let faculty = env.as_role(&Role::FacultyExpert);
    assert_eq!(env.get(&faculty, "/api/v1/staff/art34").status, 403);
    let list = env.get(&conscription, "/api/v1/staff/art34");
    assert_eq!(list.body["rows"][0]["overdue"], true);
    assert_eq!(
        list.body["rows"][0]["national_id"],
        national_id(302).as_str()
    );
    let csv = env
        .http
        .get(format!("{}/api/v1/staff/art34?format=csv", env.base()))
        .header("cookie", &conscription.cookie)
        .send()
        .unwrap();
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("art34-"));
    let text = csv.text().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "\u{feff}national_id,event,event_fa,event_date,present_by,overdue,tracking_code"
    );
    assert_eq!(lines.len(), 3);
    assert!(lines[2].starts_with(&format!("{id},withdrawal,")));
    common::assert_summary_counts_the_audit(&env.db());
}

#[test]
fn a_revocation_is_taken_on_the_deadline_day_refused_the_day_after_and_only_once() {
    let env = start("revocation");
    let on_time = env.submit(&withdrawal_of(&env, 401, "فنی"));
    let code = on_time.body["tracking_code"].as_str().unwrap().to_owned();
    backdate(&env, &code, 0);
    let token = env.applicant(&code, &national_id(401));
    let view = env.applicant_get(&token);
    assert_eq!(
        view.body["deadlines"]["revocation_deadline"],
        today().to_machine()
    );
    assert!(view.body["actions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["action"] == "revoke"));
    // A stale version is refused, and nothing moves.
    let stale = env.applicant_act(&token, json!({"action": "revoke", "version": 0}));
    assert_eq!((stale.status, stale.code()), (409, "STALE_VERSION"));
    let done = env.applicant_act(
        &token,
        json!({"action": "revoke", "version": view.body["version"]}),
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["state"], "revoked");
    env.wait_sms(&code, "revoked");
    // The same student's next withdrawal cannot be taken back: once per student.
    let again = env.submit(&withdrawal_of(&env, 401, "فنی"));
    let code2 = again.body["tracking_code"].as_str().unwrap().to_owned();
    let token2 = env.applicant(&code2, &national_id(401));
    let version = env.applicant_get(&token2).body["version"].clone();
    let twice = env.applicant_act(&token2, json!({"action": "revoke", "version": version}));
    assert_eq!(
        (twice.status, twice.code()),
        (422, "GUARD"),
        "{}",
        twice.body
    );
    // Another student, one day late.
    let late = env.submit(&withdrawal_of(&env, 402, "فنی"));
    let code3 = late.body["tracking_code"].as_str().unwrap().to_owned();
    backdate(&env, &code3, 1);
    let token3 = env.applicant(&code3, &national_id(402));
    let version = env.applicant_get(&token3).body["version"].clone();
    let refused = env.applicant_act(&token3, json!({"action": "revoke", "version": version}));
    assert_eq!(
        (refused.status, refused.code()),
        (422, "GUARD"),
        "{}",
        refused.body
    );
    assert_eq!(env.state(&code3), "submitted");
    // A token is for its own request only, and a wrong code opens nothing.
    assert_eq!(env.applicant_get("not-a-token").status, 401);
    let wrong = submit::post_json(
        &env.http,
        env.base(),
        "/api/v1/applicant/session",
        &json!({"tracking_code": code3, "national_id": national_id(402), "code": "000000"}),
    );
    assert!(
        matches!(wrong.code(), "CODE_INVALID" | "CODE_EXPIRED"),
        "{}",
        wrong.body
    );
    let someone_else = submit::post_json(
        &env.http,
        env.base(),
        "/api/v1/applicant/code",
        &json!({"tracking_code": code3, "national_id": national_id(401)}),
    );
    assert_eq!(
        (someone_else.status, someone_else.code()),
        (404, "NOT_FOUND")
    );
}

#[test]
fn a_clearance_passes_every_office_with_an_in_person_visit_and_a_stale_move_is_refused() {
    let mut env = start("clearance");
    let body = json!({"kind": "clearance", "national_id": national_id(501), "mobile": "09131234567",
                      "answers": {"reason": "expulsion", "evening_course": false}});
    let filed = env.submit(&body);
    assert_eq!(filed.status, 201, "{}", filed.body);
    let code = filed.body["tracking_code"].as_str().unwrap().to_owned();
    let offices = default_offices();
    let route: Vec<_> = offices.iter().filter(|o| !o.evening_course_only).collect();
    for (i, office) in route.iter().enumerate() {
        let role = Role::for_office(&office.id);
        assert_eq!(env.state(&code), format!("at_office:{}", office.id));
        // The cartable of this office lists it, with its count.
        let s = env.as_role(&role);
        let cartable = env.get(&s, "/api/v1/staff/cartable");
        assert_eq!(cartable.body["total"], 1, "{}", cartable.body);
        assert_eq!(cartable.body["requests"][0]["tracking_code"], code.as_str());
        env.forbidden_all_refused(&code, Process::Clearance);
        if office.id == "food_service" {
            // "In-person visit required": stays here, the student is told.
            env.step(
                &role,
                &code,
                "require_visit",
                json!({"note": "کارت غذا را بیاورید"}),
                "visit_required:food_service",
            );
            let sms = env.wait_sms(&code, "in_person_visit_required");
            assert!(
                sms["text"].as_str().unwrap().contains("مراجعه حضوری"),
                "{sms}"
            );
            env.forbidden_all_refused(&code, Process::Clearance);
            // Two clerks of the office act on the same version: the second is refused.
            let version = env.version(&code);
            let first = env.post(
                &s,
                &env.staff_url(&code, "/actions"),
                &json!({"action": "forward", "version": version}),
            );
            assert_eq!(first.status, 200, "{}", first.body);
            let second = env.post(
                &s,
                &env.staff_url(&code, "/actions"),
                &json!({"action": "forward", "version": version}),
            );
            assert_eq!((second.status, second.code()), (409, "STALE_VERSION"));
            continue;
        }
        let data = match office.id.as_str() {
            "dormitory" => json!({"debt_rials": 0}),
            "welfare" => {
                json!({"debt_rials": 120_000_000, "instalments_start": today().to_machine(),
                                "instalments_end": today().add_months(-1).to_machine()})
            }
            _ => json!({}),
        };
        if office.id == "welfare" {
            let wrong = env.act(&role, &code, "forward", data.clone());
            assert_eq!(
                (wrong.status, wrong.code()),
                (422, "GUARD"),
                "{}",
                wrong.body
            );
            let missing = env.act(&role, &code, "forward", json!({"debt_rials": 1}));
            assert_eq!(missing.body["error"]["field"], "instalments_start");
        }
        let data = if office.id == "welfare" {
            json!({"debt_rials": 120_000_000, "instalments_start": today().to_machine(),
                   "instalments_end": today().add_months(12).to_machine()})
        } else {
            data
        };
        let next = route
            .get(i + 1)
            .map_or("cleared".to_owned(), |o| format!("at_office:{}", o.id));
        env.step(&role, &code, "forward", data, &next);
    }
    env.wait_sms(&code, "cleared");
    env.forbidden_all_refused(&code, Process::Clearance);
    // The trail: the submission, one forward per office, the visit; the welfare data kept.
    let detail = env.detail(&Role::DepartmentExpert, &code);
    let audit = detail["audit"].as_array().unwrap();
    assert_eq!(audit.len(), 1 + route.len() + 1);
    let welfare = audit
        .iter()
        .find(|r| r["from"] == "at_office:welfare")
        .unwrap();
    assert_eq!(welfare["data"]["debt_rials"], 120_000_000);
    assert_eq!(welfare["actor"], "office-welfare");
    // An evening-course student's route has the eleventh office.
    let evening = env.submit(
        &json!({"kind": "clearance", "national_id": national_id(502),
        "answers": {"reason": "withdrawal", "evening_course": true}}),
    );
    let code2 = evening.body["tracking_code"].as_str().unwrap().to_owned();
    sql(
        &env.db(),
        &format!(
            "UPDATE requests SET status = 'at_office:welfare' WHERE tracking_code = '{}'",
            digits(&code2)
        ),
    );
    env.step(&Role::for_office("welfare"), &code2, "forward",
        json!({"debt_rials": 0, "instalments_start": today().to_machine(), "instalments_end": today().to_machine()}),
        "at_office:evening_course_accounting");
    common::assert_summary_counts_the_audit(&env.db());
}

#[test]
fn scope_hides_other_faculties_and_the_audit_chain_shows_tampering() {
    let mut env = start("scope-audit");
    let law = env.submit(&withdrawal_of(&env, 601, "حقوق"));
    let law_code = law.body["tracking_code"].as_str().unwrap().to_owned();
    let eng = env.submit(&withdrawal_of(&env, 602, "فنی"));
    let eng_code = eng.body["tracking_code"].as_str().unwrap().to_owned();
    // A faculty expert of the law faculty only (created with the real CLI).
    let s = env.scoped_clerk("law-faculty", Role::FacultyExpert, "حقوق");
    assert_eq!(env.cartable_codes(&s), [law_code.as_str()]);
    assert_eq!(env.get(&s, &env.staff_url(&eng_code, "")).status, 404);
    let version = env.version(&eng_code);
    let moved = env.post(
        &s,
        &env.staff_url(&eng_code, "/actions"),
        &json!({"action": "cancel_card", "version": version}),
    );
    assert_eq!((moved.status, moved.code()), (404, "NOT_FOUND"));
    // The cartable finds by tracking code in Persian digits too.
    let q = rules::digits::to_persian_digits(&digits(&law_code));
    let found = env.search(&s, &q);
    assert_eq!(found.body["requests"].as_array().unwrap().len(), 1);
    // Without the CSRF token a move is refused.
    let no_csrf = answer(
        env.http
            .post(format!(
                "{}{}",
                env.base(),
                env.staff_url(&law_code, "/actions")
            ))
            .header("cookie", &s.cookie)
            .header("content-type", "application/json")
            .body(json!({"action": "cancel_card", "version": 1}).to_string())
            .send()
            .unwrap(),
    );
    assert_eq!((no_csrf.status, no_csrf.code()), (403, "CSRF_FAILED"));
    env.step(
        &Role::FacultyExpert,
        &law_code,
        "cancel_card",
        json!({"note": "کارت باطل شد"}),
        "awaiting_student_clearances",
    );

    // The chain verifies; then any edit, or a deleted row, shows.
    let admin = env.as_role(&Role::Admin);
    let verify = env.get(&admin, "/api/v1/admin/audit/verify");
    assert_eq!(verify.body["ok"], true, "{}", verify.body);
    assert_eq!(verify.body["requests"], 2);
    assert_eq!(verify.body["rows"], 3);
    assert_eq!(env.get(&s, "/api/v1/admin/audit/verify").status, 403);
    let row_id = sql_string(
        &env.db(),
        "SELECT id FROM audit WHERE action = 'cancel_card'",
    );
    sql(
        &env.db(),
        &format!("UPDATE audit SET note = 'کارت تحویل نشد' WHERE id = {row_id}"),
    );
    let verify = env.get(&admin, "/api/v1/admin/audit/verify");
    assert_eq!(verify.body["ok"], false);
    assert_eq!(verify.body["broken"][0]["tracking_code"], law_code.as_str());
    assert_eq!(verify.body["broken"][0]["audit_id"].to_string(), row_id);
    sql(
        &env.db(),
        &format!("UPDATE audit SET note = 'کارت باطل شد' WHERE id = {row_id}"),
    );
    assert_eq!(
        env.get(&admin, "/api/v1/admin/audit/verify").body["ok"],
        true
    );
    sql(&env.db(), &format!("DELETE FROM audit WHERE id = {row_id}"));
    let verify = env.get(&admin, "/api/v1/admin/audit/verify");
    assert_eq!(verify.body["ok"], false);
    assert_eq!(verify.body["broken"][0]["audit_id"], Value::Null);
    // The admin sees the SMS log, but not the student's one-time codes.
    env.applicant(&eng_code, &national_id(602));
    let otp = env.sms_code(0);
    let log = env.get(&admin, "/api/v1/admin/notifications");
    assert_eq!(log.status, 200);
    let sent = &log.body["notifications"][0];
    assert_eq!(sent["kind"], "one_time_code");
    assert_eq!(sent["tracking_code"], eng_code.as_str());
    let text = sent["message_fa"].as_str().unwrap();
    assert!(
        !rules::digits::to_ascii_digits(text).contains(&otp),
        "{text}"
    );
}

#[test]
fn the_audit_names_an_offices_clerk_after_the_office() {
    // A clerk cannot read the office list, so the detail names each actor's role itself.
    let mut env = start("audit-role-names");
    let filed = env.submit(
        &json!({"kind": "clearance", "national_id": national_id(601),
        "answers": {"reason": "expulsion", "evening_course": false}}),
    );
    assert_eq!(filed.status, 201, "{}", filed.body);
    let code = filed.body["tracking_code"].as_str().unwrap().to_owned();
    env.step(
        &Role::DepartmentExpert,
        &code,
        "forward",
        json!({}),
        "at_office:kharazmi_library",
    );
    let detail = env.step(
        &Role::for_office("kharazmi_library"),
        &code,
        "forward",
        json!({}),
        "at_office:mirza_shirazi_library",
    );
    let names: Vec<(&str, &str, &str)> = detail["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap_or("(none)");
            (
                text("actor_role"),
                text("actor_role_fa"),
                text("actor_role_en"),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("applicant", "متقاضی", "Applicant"),
            (
                "department_expert",
                "کارشناس گروه آموزشی",
                "Department expert"
            ),
            (
                "clearance_office:kharazmi_library",
                "کارشناس کتابخانه خوارزمی",
                "Kharazmi library expert"
            ),
        ]
    );
}

#[test]
fn the_public_lookup_names_the_clerks_role_never_their_username() {
    let mut env = start("lookup-no-usernames");
    let body = json!({"kind": "clearance", "national_id": national_id(602),
        "answers": {"reason": "expulsion", "evening_course": false}});
    let filed = env.submit(&body);
    assert_eq!(filed.status, 201, "{}", filed.body);
    let code = filed.body["tracking_code"].as_str().unwrap().to_owned();
    env.step(
        &Role::DepartmentExpert,
        &code,
        "forward",
        json!({}),
        "at_office:kharazmi_library",
    );
    let found = answer(
        env.http
            .post(format!("{}/api/v1/requests/lookup", env.base()))
            .header("content-type", "application/json")
            .body(json!({"tracking_code": code, "national_id": national_id(602)}).to_string())
            .send()
            .unwrap(),
    );
    assert_eq!(found.status, 200, "{}", found.body);
    let actors: Vec<&str> = found.body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["actor"].as_str().unwrap())
        .collect();
    assert_eq!(actors, ["applicant", "department_expert"]);
}

/// Files an eligible exemption of person `n` at `university` living in `city`, as that person
/// signed in (`mobile` of the sign-in: `None` for an identity without one); its tracking code.
fn exemption_at(env: &Env, n: u32, university: &str, city: &str, mobile: Option<&str>) -> String {
    let mut answers = eligible_exemption(&national_id(n), city);
    answers["university"] = json!(university);
    let body = json!({"kind": "exemption", "answers": answers});
    let mut person = common::Person::of_request(&body);
    person.mobile = mobile.map(str::to_owned);
    let me = common::sign_in(&env.data.0, &person);
    let filed = submit::filed(&env.http, env.base(), &me, &body);
    filed.body["tracking_code"].as_str().unwrap().to_owned()
}

#[test]
fn art34_list_and_record_stay_within_the_clerks_scope() {
    let mut env = start("art34-scope");
    let (tehran, sharif) = ("دانشگاه تهران", "دانشگاه شریف");
    env.university("ut", tehran);
    env.university("sharif", sharif);
    exemption_at(&env, 701, tehran, "تهران", Some("09121234567"));
    exemption_at(&env, 702, sharif, "شیراز", Some("09121234568"));
    // Graduations of both and of someone with no request, recorded by an unscoped clerk.
    let central = env.as_role(&Role::CentralOfficeExpert);
    for n in [701, 702, 703] {
        let recorded = env.post(&central, "/api/v1/staff/art34/events",
            &json!({"national_id": national_id(n), "event": "graduation", "event_date": today().to_machine()}));
        assert_eq!(recorded.status, 201, "{}", recorded.body);
    }
    let listed = |env: &Env, s: &Session| -> Vec<String> {
        let list = env.get(s, "/api/v1/staff/art34");
        assert_eq!(list.status, 200, "{}", list.body);
        list.body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["national_id"].as_str().unwrap().to_owned())
            .collect()
    };
    // Unscoped: everyone. A university's clerk: the people with a request at that university;
    // a county's conscription expert: the people with a request in that county.
    let everyone = env.as_role(&Role::ConscriptionExpert);
    assert_eq!(listed(&env, &everyone).len(), 3);
    let university = env.scoped_clerk("tehran-university", Role::UniversityUser, tehran);
    assert_eq!(listed(&env, &university), [national_id(701)]);
    let shiraz = env.scoped_clerk("shiraz-conscription", Role::ConscriptionExpert, "شیراز");
    assert_eq!(listed(&env, &shiraz), [national_id(702)]);
    let csv = env
        .http
        .get(format!("{}/api/v1/staff/art34?format=csv", env.base()))
        .header("cookie", &university.cookie)
        .send()
        .unwrap()
        .text()
        .unwrap();
    let lines: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(lines.len(), 1, "{csv}");
    assert!(lines[0].starts_with(&format!("{},graduation,", national_id(701))));
    // Recording: only for the clerk's own students; a refusal names the field and adds nothing.
    let events = |env: &Env| sql_i64(&env.db(), "SELECT COUNT(*) FROM art34_events");
    let before = events(&env);
    for n in [702, 703] {
        let refused = env.post(&university, "/api/v1/staff/art34/events",
            &json!({"national_id": national_id(n), "event": "expulsion", "event_date": today().to_machine()}));
        assert_eq!(
            (
                refused.status,
                refused.code(),
                refused.body["error"]["field"].as_str()
            ),
            (403, "OUT_OF_SCOPE", Some("national_id")),
            "{}",
            refused.body
        );
        assert!(refused.body["error"]["message_fa"]
            .as_str()
            .unwrap()
            .contains("national_id"));
        assert_eq!(events(&env), before);
    }
    let recorded = env.post(&university, "/api/v1/staff/art34/events",
        &json!({"national_id": national_id(701), "event": "expulsion", "event_date": today().to_machine()}));
    assert_eq!(recorded.status, 201, "{}", recorded.body);
    assert_eq!(events(&env), before + 1);
    assert_eq!(
        listed(&env, &university),
        [national_id(701), national_id(701)]
    );
}

/// Universities by record (issue 14): a clerk of university A never sees university B's
/// request — not in the cartable, the detail, a move, an attachment or the Art. 34 list and
/// record — and a faculty's clerk sees that faculty of their own university only, though
/// another university's faculty has the same code.
#[test]
fn a_clerk_of_one_university_never_sees_anothers_requests() {
    let mut env = start("universities");
    env.university("ut", "دانشگاه تهران");
    env.university("sharif", "دانشگاه شریف");
    let ours = exemption_at(&env, 901, "ut", "تهران", Some("09121234567"));
    let theirs = exemption_at(&env, 902, "دانشگاه شریف", "تهران", Some("09121234568"));
    let university_of = |env: &Env, code: &str| {
        sql_string(
            &env.db(),
            &format!(
                "SELECT u.code FROM requests r JOIN universities u ON u.id = r.university_id \
                 WHERE r.tracking_code = '{}'",
                digits(code)
            ),
        )
    };
    // A code no university has is refused, naming the field; nothing is stored.
    let mut answers = eligible_exemption(&national_id(904), "تهران");
    answers["university"] = json!("nowhere");
    let body = json!({"kind": "exemption", "answers": answers});
    let refused = env.submit(&body);
    assert_refused(&refused, 422, "university");
    assert_eq!(sql_i64(&env.db(), "SELECT COUNT(*) FROM requests"), 2);
    // By code, or an older form's Persian name.
    assert_eq!(university_of(&env, &ours), "ut");
    assert_eq!(university_of(&env, &theirs), "sharif");
    for code in [&ours, &theirs] {
        sql(
            &env.db(),
            &format!(
                "UPDATE requests SET status = 'at_university' WHERE tracking_code = '{}'",
                digits(code)
            ),
        );
    }
    let a = env.clerk_at("ut-clerk", Role::UniversityUser, "*", Some("ut"));
    let me = env.get(&a, "/api/v1/staff/me");
    assert_eq!(
        (
            &me.body["user"]["scope_kind"],
            &me.body["user"]["scope_university"]
        ),
        (&json!("university"), &json!("ut")),
        "{}",
        me.body
    );
    assert_eq!(env.cartable_codes(&a), [ours.as_str()]);
    assert!(env.search(&a, &digits(&theirs)).body["requests"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(env.detail_status(&a, &ours), 200);
    assert_eq!(env.detail_status(&a, &theirs), 404);
    let attachment = env.get(&a, &env.staff_url(&theirs, "/attachments/admission_letter"));
    assert_eq!(attachment.status, 404, "{}", attachment.body);
    let version = env.version(&theirs);
    let moved = env.post(
        &a,
        &env.staff_url(&theirs, "/actions"),
        &json!({"action": "confirm_data", "version": version}),
    );
    assert_eq!((moved.status, moved.code()), (404, "NOT_FOUND"));
    assert_eq!(env.version(&theirs), version);
    // Art. 34: their student is neither listed nor recorded by our clerk.
    let central = env.as_role(&Role::CentralOfficeExpert);
    for n in [901, 902] {
        let recorded = env.post(&central, "/api/v1/staff/art34/events",
            &json!({"national_id": national_id(n), "event": "graduation", "event_date": today().to_machine()}));
        assert_eq!(recorded.status, 201, "{}", recorded.body);
    }
    let list = env.get(&a, "/api/v1/staff/art34");
    let listed: Vec<&str> = list.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["national_id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [national_id(901)]);
    let refused = env.post(&a, "/api/v1/staff/art34/events",
        &json!({"national_id": national_id(902), "event": "expulsion", "event_date": today().to_machine()}));
    assert_eq!((refused.status, refused.code()), (403, "OUT_OF_SCOPE"));
    // The other university's clerk sees theirs only; a national clerk both.
    let b = env.clerk_at("sharif-clerk", Role::UniversityUser, "دانشگاه شریف", None);
    assert_eq!(env.cartable_codes(&b), [theirs.as_str()]);
    let national = env.as_role(&Role::UniversityUser);
    assert_eq!(env.cartable_codes(&national).len(), 2);
    // An unknown university is refused, naming the field.
    let mut add = common::pishkhan(&env.data.0)
        .args(["user", "add", "--data-dir"])
        .arg(&env.data.0)
        .args(["--username", "nobody", "--role", "university_user"])
        .args(["--university", "nowhere", "--display-name", "x"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    add.stdin
        .take()
        .unwrap()
        .write_all(b"nobody-password\n")
        .unwrap();
    let no_such = add.wait_with_output().unwrap();
    assert_eq!(no_such.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_such.stderr).contains("university:"));

    // Faculties: the same code at two universities is two faculties.
    let law = env.submit(&withdrawal_of(&env, 903, "حقوق"));
    let law = law.body["tracking_code"].as_str().unwrap().to_owned();
    let ours = env.clerk_at("default-law", Role::FacultyExpert, "حقوق", Some("default"));
    let theirs = env.clerk_at("sharif-law", Role::FacultyExpert, "حقوق", Some("sharif"));
    assert_eq!(env.cartable_codes(&ours), [law.as_str()]);
    assert!(env.cartable_codes(&theirs).is_empty());
    assert_eq!(env.detail_status(&theirs, &law), 404);
}

/// A university's admin manages that university's offices and clerks only; the national admin
/// every university's (its offices: the default university's).
#[test]
fn a_university_admin_manages_its_own_university_only() {
    let mut env = start("university-admin");
    env.university("ut", "دانشگاه تهران");
    env.university("sharif", "دانشگاه شریف");
    let ut = env.clerk_at("ut-admin", Role::UniversityAdmin, "*", Some("ut"));
    let admin = env.as_role(&Role::Admin);
    let put = |env: &Env, s: &Session, path: &str, body: Value| {
        env.send(s, reqwest::Method::PUT, path, &body)
    };
    // Offices: a new university starts from seed 002's list; its admin changes its own.
    let ids = |a: &Answer| -> Vec<String> {
        a.body["offices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let template: Vec<String> = default_offices().iter().map(|o| o.id.clone()).collect();
    assert_eq!(ids(&env.get(&ut, "/api/v1/admin/offices")), template);
    let shorter: Vec<_> = default_offices().into_iter().take(3).collect();
    let changed = put(
        &env,
        &ut,
        "/api/v1/admin/offices",
        json!({ "offices": shorter }),
    );
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(ids(&env.get(&ut, "/api/v1/admin/offices")), template[..3]);
    assert_eq!(ids(&env.get(&admin, "/api/v1/admin/offices")), template);
    // Clerks: of its university, by default; nowhere else, and no administrators.
    let add = |env: &Env, body: Value| env.post(&ut, "/api/v1/admin/users", &body);
    let user = |name: &str, role: &str| {
        json!({"username": name, "display_name": "x", "role": role,
               "password": "a-long-enough-password"})
    };
    let clerk = add(&env, user("ut-clerk", "university_user"));
    assert_eq!(clerk.status, 201, "{}", clerk.body);
    assert_eq!(
        (&clerk.body["scope_kind"], &clerk.body["scope_university"]),
        (&json!("university"), &json!("ut"))
    );
    let mut law = user("ut-law", "faculty_expert");
    law["scope"] = json!("حقوق");
    // A faculty scope names one of the university's faculties: none yet.
    let no_faculty = add(&env, law.clone());
    assert_refused(&no_faculty, 422, "scope");
    let faculty = json!({"code": "حقوق", "name_fa": "دانشکده حقوق", "name_en": "Law"});
    let added = env.post(&ut, "/api/v1/admin/universities/ut/faculties", &faculty);
    assert_eq!(added.status, 201, "{}", added.body);
    let law = add(&env, law);
    assert_eq!(law.status, 201, "{}", law.body);
    assert_eq!(law.body["scope_kind"], "faculty");
    assert_eq!(law.body["scope_university"], "ut");
    let mut elsewhere = user("sharif-clerk", "university_user");
    elsewhere["university"] = json!("sharif");
    for (body, field) in [
        (elsewhere, "university"),
        (user("ut-county", "conscription_expert"), "university"),
        (user("ut-admin2", "university_admin"), "role"),
    ] {
        let refused = add(&env, body);
        assert_refused(&refused, 422, field);
    }
    let listed = |env: &Env, s: &Session| -> Vec<String> {
        let a = env.get(s, "/api/v1/admin/users");
        assert_eq!(a.status, 200, "{}", a.body);
        a.body["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["username"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(listed(&env, &ut), ["ut-admin", "ut-clerk", "ut-law"]);
    assert!(listed(&env, &admin).len() > 3);
    // Another university's or a national account is not there to change.
    let national_user = sql_i64(
        &env.db(),
        "SELECT id FROM users WHERE username = 'university'",
    );
    let path = format!("/api/v1/admin/users/{national_user}");
    let patched = env.send(
        &ut,
        reqwest::Method::PATCH,
        &path,
        &json!({"active": false}),
    );
    assert_eq!(patched.status, 404, "{}", patched.body);
    // The national admin's own calls stay theirs.
    let notifications = env.get(&ut, "/api/v1/admin/notifications");
    assert_eq!(
        (notifications.status, notifications.code()),
        (403, "FORBIDDEN")
    );
    let tabriz =
        json!({"code": "tabriz", "name_fa": "دانشگاه تبریز", "name_en": "University of Tabriz"});
    let refused = env.post(&ut, "/api/v1/admin/universities", &tabriz);
    assert_eq!((refused.status, refused.code()), (403, "FORBIDDEN"));
    let added = env.post(&admin, "/api/v1/admin/universities", &tabriz);
    assert_eq!(added.status, 201, "{}", added.body);
    let again = env.post(&admin, "/api/v1/admin/universities", &tabriz);
    assert_taken(&again, "UNIVERSITY_TAKEN");
    let listed = env.get(&admin, "/api/v1/universities");
    let codes: Vec<&str> = listed.body["universities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["default", "ut", "sharif", "tabriz"]);
    // Its roster: its students only; someone on another university's roster is refused.
    let import = |env: &Env, csv: &str| {
        answer(
            env.http
                .post(format!("{}/api/v1/admin/roster", env.base()))
                .header("cookie", &ut.cookie)
                .header("x-csrf-token", &ut.csrf)
                .header("content-type", "text/csv")
                .body(csv.to_owned())
                .send()
                .unwrap(),
        )
    };
    let header = "national_id,student_number,mobile,faculty,level,status\n";
    let student = national_id(921);
    let ours = import(
        &env,
        &format!("{header}{student},99001,09120000009,حقوق,phd,student\n"),
    );
    assert_eq!(ours.status, 200, "{}", ours.body);
    let at = sql_string(
        &env.db(),
        &format!(
            "SELECT u.code FROM roster r JOIN universities u ON u.id = r.university_id \
             WHERE r.national_id = '{student}'"
        ),
    );
    assert_eq!(at, "ut");
    let theirs = import(
        &env,
        &format!("{header}0123456789,99002,09120000008,فنی,phd,student\n"),
    );
    assert_refused(&theirs, 422, "national_id");
}

/// A clearance walks the offices its university had when it was filed: a later change of the
/// list (a new office) is the route of clearances filed after it only.
#[test]
fn a_clearance_walks_the_route_it_was_filed_with() {
    let mut env = start("route");
    let clearance = |env: &Env, n: u32| {
        let body = json!({"kind": "clearance", "national_id": national_id(n), "mobile": "09131234567",
                          "answers": {"reason": "expulsion", "evening_course": false}});
        let filed = env.submit(&body);
        assert_eq!(filed.status, 201, "{}", filed.body);
        filed.body["tracking_code"].as_str().unwrap().to_owned()
    };
    let before = clearance(&env, 911);
    // The admin puts a new office right after the department.
    let mut offices = default_offices();
    let archive = rules::requests::ClearanceOffice {
        id: "archive".into(),
        name_fa: "بایگانی".into(),
        name_en: "Archive".into(),
        receives_student_card: false,
        records_debt: false,
        records_instalments: false,
        evening_course_only: false,
    };
    offices.insert(1, archive);
    let admin = env.as_role(&Role::Admin);
    let put = env.send(
        &admin,
        reqwest::Method::PUT,
        "/api/v1/admin/offices",
        &json!({ "offices": offices }),
    );
    assert_eq!(put.status, 200, "{}", put.body);
    let after = clearance(&env, 912);
    let second = default_offices()[1].id.clone();
    assert_eq!(env.state(&before), "at_office:department");
    env.step(
        &Role::DepartmentExpert,
        &before,
        "forward",
        json!({}),
        &format!("at_office:{second}"),
    );
    env.step(
        &Role::DepartmentExpert,
        &after,
        "forward",
        json!({}),
        "at_office:archive",
    );
    // The archive's clerk sees the new route's clearance only.
    let archivist = env.clerk_at("archivist", Role::for_office("archive"), "*", None);
    assert_eq!(env.cartable_codes(&archivist), [after.as_str()]);
    assert_eq!(env.detail_status(&archivist, &before), 404);
}

/// The answer refuses with this status, naming this field.
fn assert_refused(a: &Answer, status: u16, field: &str) {
    assert_eq!(
        (a.status, a.body["error"]["field"].as_str()),
        (status, Some(field)),
        "{}",
        a.body
    );
}

/// 409 with `code`, naming the field `code` (a university's or faculty's code already taken).
fn assert_taken(a: &Answer, code: &str) {
    assert_eq!(
        (a.status, a.code(), a.body["error"]["field"].as_str()),
        (409, code, Some("code")),
        "{}",
        a.body
    );
}

/// The ids of an `{offices}` answer, in route order.
fn office_ids(a: &Answer) -> Vec<String> {
    assert_eq!(a.status, 200, "{}", a.body);
    a.body["offices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A clearance office with no flags (as the API gives it back).
fn plain_office(id: &str, name_fa: &str, name_en: &str) -> Value {
    json!({"id": id, "name_fa": name_fa, "name_en": name_en, "receives_student_card": false,
           "records_debt": false, "records_instalments": false, "evening_course_only": false})
}

/// Imports a one-student roster as a university's admin (the student's clearance then walks
/// that university's offices).
fn import_student(env: &Env, admin: &Session, n: u32, student_number: &str) {
    let csv = format!(
        "national_id,student_number,mobile,faculty,level,status\n{},{student_number},09120000009,حقوق,phd,student\n",
        national_id(n)
    );
    let imported = answer(
        env.http
            .post(format!("{}/api/v1/admin/roster", env.base()))
            .header("cookie", &admin.cookie)
            .header("x-csrf-token", &admin.csrf)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .unwrap(),
    );
    assert_eq!(imported.status, 200, "{}", imported.body);
}

/// The national admin lists and adds the faculties of any university and edits any university's
/// offices; a university's admin only their own (another's is a 404, as if missing, and a clerk
/// with another university's faculty is refused); a faculty scope names a faculty the university
/// has; no refused call changes anything.
#[test]
fn faculties_and_offices_of_every_university_by_the_national_admin_and_of_its_own_by_its_admin() {
    let mut env = start("faculties");
    env.university("ut", "دانشگاه تهران");
    env.university("sharif", "دانشگاه شریف");
    let admin = env.as_role(&Role::Admin);
    let ut = env.clerk_at("ut-admin", Role::UniversityAdmin, "*", Some("ut"));
    let put = |env: &Env, s: &Session, path: &str, body: &Value| {
        env.send(s, reqwest::Method::PUT, path, body)
    };
    let faculty_codes = |env: &Env, s: &Session, university: &str| -> Vec<String> {
        let a = env.get(
            s,
            &format!("/api/v1/admin/universities/{university}/faculties"),
        );
        assert_eq!(a.status, 200, "{}", a.body);
        a.body["faculties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let template: Vec<String> = default_offices().iter().map(|o| o.id.clone()).collect();

    // The national admin adds a faculty to sharif: listed there, nowhere else.
    let law = json!({"code": "حقوق", "name_fa": "دانشکده حقوق", "name_en": "Faculty of Law"});
    let added = env.post(&admin, "/api/v1/admin/universities/sharif/faculties", &law);
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(added.body, law);
    assert_eq!(faculty_codes(&env, &admin, "sharif"), ["حقوق"]);
    assert!(faculty_codes(&env, &admin, "ut").is_empty());
    let again = env.post(&admin, "/api/v1/admin/universities/sharif/faculties", &law);
    assert_taken(&again, "FACULTY_TAKEN");
    let bad = env.post(
        &admin,
        "/api/v1/admin/universities/sharif/faculties",
        &json!({"code": "*", "name_fa": " "}),
    );
    assert_eq!(
        (bad.status, bad.code()),
        (422, "INVALID_INPUT"),
        "{}",
        bad.body
    );
    let fields: Vec<&str> = bad.body["error"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["code", "name_fa", "name_en"]);

    // … and edits sharif's offices: the default university's and ut's stay as they were.
    let sharif_offices = json!({"offices": [
        plain_office("department", "کارشناس بخش شریف", "Sharif department"),
        plain_office("welfare", "رفاه شریف", "Sharif welfare"),
    ]});
    let changed = put(
        &env,
        &admin,
        "/api/v1/admin/universities/sharif/offices",
        &sharif_offices,
    );
    assert_eq!(office_ids(&changed), ["department", "welfare"]);
    let sharif = env.get(&admin, "/api/v1/admin/universities/sharif/offices");
    assert_eq!(sharif.body, sharif_offices);
    assert_eq!(
        office_ids(&env.get(&admin, "/api/v1/admin/offices")),
        template
    );
    assert_eq!(
        office_ids(&env.get(&admin, "/api/v1/admin/universities/default/offices")),
        template
    );
    assert_eq!(
        office_ids(&env.get(&admin, "/api/v1/admin/universities/ut/offices")),
        template
    );
    let missing_list = put(
        &env,
        &admin,
        "/api/v1/admin/universities/sharif/offices",
        &json!({}),
    );
    assert_eq!(
        (
            missing_list.status,
            missing_list.body["error"]["field"].as_str()
        ),
        (422, Some("offices"))
    );

    // A faculty clerk of sharif: its faculty must be one of sharif's.
    let clerk = |name: &str, scope: &str, university: Option<&str>| {
        let mut body = json!({"username": name, "display_name": "x", "role": "faculty_expert",
                              "scope": scope, "password": "a-long-enough-password"});
        if let Some(u) = university {
            body["university"] = json!(u);
        }
        body
    };
    let unknown = env.post(
        &admin,
        "/api/v1/admin/users",
        &clerk("sharif-eng", "فنی", Some("sharif")),
    );
    assert_refused(&unknown, 422, "scope");
    // The default university has no law faculty (sharif's is sharif's).
    let default_law = env.post(
        &admin,
        "/api/v1/admin/users",
        &clerk("default-law", "حقوق", None),
    );
    assert_refused(&default_law, 422, "scope");
    let created = env.post(
        &admin,
        "/api/v1/admin/users",
        &clerk("sharif-law", "حقوق", Some("sharif")),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(
        (
            &created.body["scope_kind"],
            &created.body["scope_university"],
            &created.body["scope_faculty"]
        ),
        (&json!("faculty"), &json!("sharif"), &json!("حقوق"))
    );

    // ut's admin: sharif's faculties and offices are not there, and nothing changes.
    let before = env.footprint();
    let sharif_calls = [
        (
            reqwest::Method::GET,
            "/api/v1/admin/universities/sharif/faculties",
            Value::Null,
        ),
        (
            reqwest::Method::POST,
            "/api/v1/admin/universities/sharif/faculties",
            json!({"code": "فنی", "name_fa": "فنی", "name_en": "Eng"}),
        ),
        (
            reqwest::Method::GET,
            "/api/v1/admin/universities/sharif/offices",
            Value::Null,
        ),
        (
            reqwest::Method::PUT,
            "/api/v1/admin/universities/sharif/offices",
            json!({"offices": [plain_office("x", "x", "x")]}),
        ),
        (
            reqwest::Method::GET,
            "/api/v1/admin/universities/nowhere/faculties",
            Value::Null,
        ),
        (
            reqwest::Method::PUT,
            "/api/v1/admin/universities/nowhere/offices",
            json!({"offices": [plain_office("x", "x", "x")]}),
        ),
    ];
    for (method, path, body) in &sharif_calls {
        let refused = if *method == reqwest::Method::GET {
            env.get(&ut, path)
        } else {
            env.send(&ut, method.clone(), path, body)
        };
        assert_eq!(
            (refused.status, refused.code()),
            (404, "NOT_FOUND"),
            "{method} {path}: {}",
            refused.body
        );
    }
    // … nor for the national admin, a university that does not exist.
    let nowhere = env.post(&admin, "/api/v1/admin/universities/nowhere/faculties", &law);
    assert_eq!((nowhere.status, nowhere.code()), (404, "NOT_FOUND"));
    // A clerk with sharif's faculty: refused (the university is not ut's; and ut has no such
    // faculty when the university is left out).
    for (body, field) in [
        (clerk("ut-law", "حقوق", Some("sharif")), "university"),
        (clerk("ut-law", "حقوق", None), "scope"),
    ] {
        let refused = env.post(&ut, "/api/v1/admin/users", &body);
        assert_refused(&refused, 422, field);
    }
    assert_eq!(env.footprint(), before);

    // Its own: a faculty, its offices (the same list `/api/v1/admin/offices` gives it).
    let added = env.post(&ut, "/api/v1/admin/universities/ut/faculties", &law);
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(faculty_codes(&env, &ut, "ut"), ["حقوق"]);
    let ut_offices = json!({"offices": [plain_office("department", "بخش", "Department")]});
    let changed = put(
        &env,
        &ut,
        "/api/v1/admin/universities/ut/offices",
        &ut_offices,
    );
    assert_eq!(office_ids(&changed), ["department"]);
    assert_eq!(
        office_ids(&env.get(&ut, "/api/v1/admin/offices")),
        ["department"]
    );
    let law_clerk = env.post(&ut, "/api/v1/admin/users", &clerk("ut-law", "حقوق", None));
    assert_eq!(law_clerk.status, 201, "{}", law_clerk.body);
    assert_eq!(law_clerk.body["scope_university"], "ut");
    // sharif's list is untouched by all of it.
    assert_eq!(
        env.get(&admin, "/api/v1/admin/universities/sharif/offices")
            .body,
        sharif_offices
    );
}

/// Two universities whose offices share ids but not names: every office name a clerk, the
/// student or the SMS sees comes from the request's own route (or the clerk's university), never
/// from the default university's list.
#[test]
fn office_names_come_from_the_requests_own_university() {
    let mut env = start("office-names");
    env.university("west", "دانشگاه غرب");
    let admin = env.as_role(&Role::Admin);
    let west_offices = json!({"offices": [
        plain_office("department", "بخش غرب", "West department"),
        plain_office("welfare", "رفاه غرب", "West welfare"),
    ]});
    let changed = env.send(
        &admin,
        reqwest::Method::PUT,
        "/api/v1/admin/universities/west/offices",
        &west_offices,
    );
    assert_eq!(changed.status, 200, "{}", changed.body);
    let west_admin = env.clerk_at("west-admin", Role::UniversityAdmin, "*", Some("west"));
    import_student(&env, &west_admin, 931, "99311");
    let clearance = |env: &Env, n: u32| {
        let body = json!({"kind": "clearance", "national_id": national_id(n), "mobile": "09131234567",
                          "answers": {"reason": "expulsion", "evening_course": false}});
        let filed = env.submit(&body);
        assert_eq!(filed.status, 201, "{}", filed.body);
        (
            filed.body["tracking_code"].as_str().unwrap().to_owned(),
            body,
        )
    };
    let (west, west_body) = clearance(&env, 931);
    let (home, _) = clearance(&env, 932);

    // The department's clerk of west, and the national one of the demo.
    let west_department =
        env.clerk_at("west-department", Role::DepartmentExpert, "*", Some("west"));
    let labels = |a: &Answer| -> HashMap<String, String> {
        a.body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["tracking_code"].as_str().unwrap().to_owned(),
                    r["state_fa"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let theirs = labels(&env.get(&west_department, "/api/v1/staff/cartable"));
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[&west], "در انتظار تأیید بخش غرب");
    let everyone = env.as_role(&Role::DepartmentExpert);
    let all = labels(&env.get(&everyone, "/api/v1/staff/cartable"));
    assert_eq!(all[&west], "در انتظار تأیید بخش غرب");
    assert_eq!(all[&home], "در انتظار تأیید کارشناس بخش");
    let detail = env.get(&everyone, &env.staff_url(&west, ""));
    assert_eq!(detail.body["state_fa"], "در انتظار تأیید بخش غرب");
    assert_eq!(detail.body["state_en"], "Awaiting West department");

    // A move's answer names the next office from the same route.
    let version = env.version(&west);
    let moved = env.post(
        &west_department,
        &env.staff_url(&west, "/actions"),
        &json!({"action": "forward", "version": version}),
    );
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(moved.body["state"], "at_office:welfare");
    assert_eq!(moved.body["state_fa"], "در انتظار تأیید رفاه غرب");

    // West's welfare clerk: named after west's office; the SMS of a visit names it too.
    let welfare = env.clerk_at(
        "west-welfare",
        Role::for_office("welfare"),
        "*",
        Some("west"),
    );
    let me = env.get(&welfare, "/api/v1/staff/me");
    assert_eq!(
        me.body["user"]["role_fa"], "کارشناس رفاه غرب",
        "{}",
        me.body
    );
    let users = env.get(&admin, "/api/v1/admin/users");
    let role_of = |name: &str| -> String {
        users.body["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == name)
            .map(|u| u["role_fa"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(role_of("west-welfare"), "کارشناس رفاه غرب");
    assert_eq!(role_of("office-welfare"), "کارشناس اداره رفاه");
    let version = env.version(&west);
    let visit = env.post(
        &welfare,
        &env.staff_url(&west, "/actions"),
        &json!({"action": "require_visit", "version": version, "data": {"note": "x"}}),
    );
    assert_eq!(visit.status, 200, "{}", visit.body);
    assert_eq!(visit.body["state_fa"], "مراجعه حضوری لازم: رفاه غرب");
    // The audit row names the clerk's role from the same route.
    let visit_row = visit.body["audit"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "require_visit")
        .cloned()
        .unwrap();
    assert_eq!(
        visit_row["actor_role_fa"], "کارشناس رفاه غرب",
        "{visit_row}"
    );
    let sms = env.wait_sms(&west, "in_person_visit_required");
    assert!(sms["text"].as_str().unwrap().contains("رفاه غرب"), "{sms}");

    // The student's own list names the state from the same route.
    let me = common::sign_in_for(&env.data.0, &west_body);
    let mine = answer(
        env.http
            .get(format!("{}/api/v1/signin/requests", env.base()))
            .header("cookie", &me.cookie)
            .send()
            .unwrap(),
    );
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert_eq!(
        mine.body["requests"][0]["state_fa"],
        "مراجعه حضوری لازم: رفاه غرب"
    );
}

/// Returns an exemption for editing (its fee taken as paid), as an unscoped university clerk.
fn returned_for_edit(env: &mut Env, code: &str) {
    sql(
        &env.db(),
        &format!(
            "UPDATE requests SET status = 'at_university' WHERE tracking_code = '{}'",
            digits(code)
        ),
    );
    env.step(
        &Role::UniversityUser,
        code,
        "return_for_edit",
        json!({"editable": true}),
        "returned_for_edit",
    );
}

#[test]
fn a_correction_moves_the_request_to_its_new_university_county_and_mobile() {
    let mut env = start("correction");
    let (tehran, sharif) = ("دانشگاه تهران", "دانشگاه شریف");
    env.university("ut", tehran);
    env.university("sharif", sharif);
    let old_university = env.scoped_clerk("tehran-university", Role::UniversityUser, tehran);
    let new_university = env.scoped_clerk("sharif-university", Role::UniversityUser, sharif);
    let old_county = env.scoped_clerk("tehran-conscription", Role::ConscriptionExpert, "تهران");
    let new_county = env.scoped_clerk("shiraz-conscription", Role::ConscriptionExpert, "شیراز");
    // Filed by a person whose sign-in had no mobile: the body's mobile is the request's.
    let id = national_id(801);
    let code = exemption_at(&env, 801, tehran, "تهران", None);
    returned_for_edit(&mut env, &code);
    assert_eq!(env.detail_status(&old_university, &code), 200);
    assert_eq!(env.detail_status(&new_university, &code), 404);
    assert_eq!(env.detail_status(&old_county, &code), 200);
    assert_eq!(env.detail_status(&new_county, &code), 404);
    let token = env.applicant(&code, &id);
    assert_eq!(env.last_code_sent_to(), "09121234567");
    let mut corrected = eligible_exemption(&id, "شیراز");
    corrected["university"] = json!(sharif);
    corrected["mobile"] = json!("09351112233");
    let done = env.applicant_act(
        &token,
        json!({"action": "resubmit", "version": env.version(&code), "answers": corrected}),
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["state"], "at_university");
    // It left the old university's and county's scope and is in the new ones'.
    assert_eq!(env.cartable_codes(&new_university), [code.as_str()]);
    assert!(env.cartable_codes(&old_university).is_empty());
    assert_eq!(env.detail_status(&old_university, &code), 404);
    assert_eq!(env.detail_status(&new_county, &code), 200);
    assert_eq!(env.detail_status(&old_county, &code), 404);
    // Codes go to the corrected mobile.
    env.applicant(&code, &id);
    assert_eq!(env.last_code_sent_to(), "09351112233");

    // Filed by a person signed in with a mobile: a correction cannot send codes elsewhere.
    let id = national_id(802);
    let code = exemption_at(&env, 802, tehran, "تهران", Some("09121234567"));
    returned_for_edit(&mut env, &code);
    let token = env.applicant(&code, &id);
    let mut corrected = eligible_exemption(&id, "شیراز");
    corrected["university"] = json!(sharif);
    corrected["mobile"] = json!("09351112233");
    let done = env.applicant_act(
        &token,
        json!({"action": "resubmit", "version": env.version(&code), "answers": corrected}),
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["answers"]["mobile"], "09121234567");
    assert!(env.cartable_codes(&new_university).contains(&code));
    env.applicant(&code, &id);
    assert_eq!(env.last_code_sent_to(), "09121234567");
}

/// The calls beside the workflows — the admin's, the Art. 34 list and record, the police
/// office's A2 filing — taken by every staff role (unscoped and, for scoped roles, scoped
/// elsewhere), by no one and by a signed-in student: each is refused unless the role may make
/// it, and no refusal changes anything.
#[test]
fn admin_art34_and_a2_calls_are_refused_to_every_other_role_and_change_nothing() {
    let mut env = start("matrix-calls");
    let code = exemption_at(&env, 801, "دانشگاه تهران", "تهران", Some("09121234567"));
    let graduation = json!({"national_id": national_id(801), "event": "graduation",
                            "event_date": today().to_machine()});
    let roster = "national_id,student_number,mobile,faculty,level,status\n\
                  0012345679,810199124,09351234567,فنی,bachelor,student\n";
    let a2 = json!({"answers": eligible_exemption(&national_id(802), "تهران")});
    // The national admin and a university's admin manage users and offices (their own
    // university's, for the latter).
    let administers = |r: &Role| matches!(r, Role::Admin | Role::UniversityAdmin);
    // (method, path, body, content type, the roles that may make the call)
    type Call<'a> = (&'a str, String, String, &'a str, Box<dyn Fn(&Role) -> bool>);
    let calls: Vec<Call> = vec![
        (
            "GET",
            "/api/v1/admin/users".into(),
            String::new(),
            "",
            Box::new(administers),
        ),
        (
            "POST",
            "/api/v1/admin/users".into(),
            json!({"username": "intruder", "display_name": "x", "role": "admin", "scope": "*",
                "password": "a-long-enough-password"})
            .to_string(),
            "application/json",
            Box::new(administers),
        ),
        (
            "PATCH",
            "/api/v1/admin/users/1".into(),
            json!({"active": false}).to_string(),
            "application/json",
            Box::new(administers),
        ),
        (
            "GET",
            "/api/v1/admin/offices".into(),
            String::new(),
            "",
            Box::new(administers),
        ),
        (
            "PUT",
            "/api/v1/admin/offices".into(),
            json!({"offices": []}).to_string(),
            "application/json",
            Box::new(administers),
        ),
        (
            "POST",
            "/api/v1/admin/roster".into(),
            roster.to_owned(),
            "text/csv",
            Box::new(administers),
        ),
        (
            "POST",
            "/api/v1/admin/universities".into(),
            json!({"code": "intruder", "name_fa": "x", "name_en": "x"}).to_string(),
            "application/json",
            Box::new(|r| *r == Role::Admin),
        ),
        (
            "GET",
            "/api/v1/admin/notifications".into(),
            String::new(),
            "",
            Box::new(|r| *r == Role::Admin),
        ),
        (
            "GET",
            "/api/v1/admin/audit/verify".into(),
            String::new(),
            "",
            Box::new(|r| *r == Role::Admin),
        ),
        (
            "GET",
            "/api/v1/staff/art34".into(),
            String::new(),
            "",
            Box::new(Role::reads_art34),
        ),
        (
            "POST",
            "/api/v1/staff/art34/events".into(),
            graduation.to_string(),
            "application/json",
            Box::new(Role::records_art34),
        ),
        (
            "POST",
            "/api/v1/staff/requests".into(),
            a2.to_string(),
            "application/json",
            Box::new(|r| *r == Role::PoliceOffice),
        ),
        (
            "GET",
            env.staff_url(&code, ""),
            String::new(),
            "",
            Box::new(|r| !matches!(r, Role::Admin | Role::UniversityAdmin | Role::PoliceOffice)),
        ),
    ];
    let send = |env: &Env, s: Option<&Session>, method: &str, path: &str, body: &str, ty: &str| {
        let mut r = env
            .http
            .request(method.parse().unwrap(), format!("{}{path}", env.base()));
        if let Some(s) = s {
            r = r
                .header("cookie", &s.cookie)
                .header("x-csrf-token", &s.csrf);
        }
        if !ty.is_empty() {
            r = r.header("content-type", ty).body(body.to_owned());
        }
        answer(r.send().unwrap())
    };
    let mut roles = clerk_roles();
    roles.push(Role::Admin);
    let mut sessions: Vec<(String, Role, Session)> = Vec::new();
    for role in &roles {
        sessions.push((role.id(), role.clone(), env.as_role(role)));
        if role.is_scoped() {
            sessions.push((
                format!("{} elsewhere", role.id()),
                role.clone(),
                env.elsewhere(role),
            ));
        }
    }
    let student = common::sign_in(
        &env.data.0,
        &common::Person {
            national_id: national_id(801),
            ..Default::default()
        },
    );
    let student = Session {
        cookie: student.cookie,
        csrf: student.csrf,
    };
    let before = env.footprint();
    let mut refused = 0;
    for (method, path, body, ty, may) in &calls {
        for who in [None, Some(&student)] {
            let a = send(&env, who, method, path, body, ty);
            assert_eq!(
                (a.status, a.code()),
                (401, "NOT_SIGNED_IN"),
                "{method} {path} by {}: {}",
                if who.is_some() { "a student" } else { "no one" },
                a.body
            );
            refused += 1;
        }
        for (name, role, s) in &sessions {
            if may(role) {
                continue;
            }
            let a = send(&env, Some(s), method, path, body, ty);
            let expected: &[(u16, &str)] = if path.starts_with("/api/v1/staff/requests/") {
                // A request outside one's part or scope is not there at all.
                &[(404, "NOT_FOUND")]
            } else if path.starts_with("/api/v1/staff/requests") {
                &[(403, "FORBIDDEN_ACTION")]
            } else {
                &[(403, "FORBIDDEN")]
            };
            assert!(
                expected.contains(&(a.status, a.code())),
                "{method} {path} by {name}: {} {}",
                a.status,
                a.body
            );
            refused += 1;
        }
        // Scoped clerks of a role that may make the call stay within their scope.
        for (name, role, s) in sessions.iter().filter(|(n, _, _)| n.ends_with("elsewhere")) {
            if !may(role) || *method == "GET" && path.ends_with("art34") {
                continue;
            }
            let a = send(&env, Some(s), method, path, body, ty);
            assert!(
                matches!(
                    (a.status, a.code()),
                    (404, "NOT_FOUND") | (403, "OUT_OF_SCOPE") | (422, _)
                ),
                "{method} {path} by {name}: {} {}",
                a.status,
                a.body
            );
            refused += 1;
        }
        // Without the CSRF token, even the role that may.
        if *method != "GET" {
            let (_, _, s) = sessions.iter().find(|(_, r, _)| may(r)).unwrap();
            let forged = Session {
                cookie: s.cookie.clone(),
                csrf: "forged".into(),
            };
            let a = send(&env, Some(&forged), method, path, body, ty);
            assert_eq!(
                (a.status, a.code()),
                (403, "CSRF_FAILED"),
                "{method} {path}"
            );
            refused += 1;
        }
    }
    assert_eq!(env.footprint(), before, "a refused call changed something");
    assert!(refused > 200, "{refused} refusals");
    // A scoped clerk's Art. 34 list holds no one outside their scope.
    let s = env.elsewhere(&Role::UniversityUser);
    let list = env.get(&s, "/api/v1/staff/art34");
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.body["rows"], json!([]));
}
