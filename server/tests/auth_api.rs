//! Staff sessions and the admin API over a real socket against a real database: sign-in and
//! its cookie, `me`, the same 401 for every failure (byte for byte), throttling per account (the
//! device cookie) and per address, sign-out,
//! CSRF, admin-only calls, user and office management, the demo users and `pishkhan user …`.

mod common;
mod submit;

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use common::{Server, TempDir};
use serde_json::{json, Value};
use submit::{answer, client, Answer};

const DEMO: &str = "pishkhan-demo";

/// A server (with these extra `serve` arguments) and its own data and dist directories.
struct Setup {
    server: Server,
    data: TempDir,
    _dist: TempDir,
}

fn start(name: &str, args: &[&str]) -> Setup {
    let dist = TempDir::new(&format!("auth-dist-{name}"));
    dist.write("index.html", b"<!doctype html><title>x</title>");
    let data = TempDir::new(&format!("auth-data-{name}"));
    let server = common::serve_with(&dist.0, &data.0, args);
    Setup {
        server,
        data,
        _dist: dist,
    }
}

/// `pishkhan user <args> --data-dir <data>` with `stdin` on standard input.
fn cli(data: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = common::pishkhan(data)
        .arg("user")
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A signed-in session: its cookie (`name=value`) and CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

/// A call to `path` with an optional session (sending its CSRF token unless `csrf` says which
/// to send) and an optional JSON body.
fn call(
    base: &str,
    method: &str,
    path: &str,
    session: Option<&Session>,
    body: Option<Value>,
) -> Answer {
    let c = client();
    let url = format!("{base}{path}");
    let mut request = match method {
        "GET" => c.get(url),
        "POST" => c.post(url),
        "PUT" => c.put(url),
        "PATCH" => c.patch(url),
        "DELETE" => c.delete(url),
        other => panic!("method {other}"),
    };
    if let Some(s) = session {
        request = request
            .header("cookie", &s.cookie)
            .header("x-csrf-token", &s.csrf);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    answer(request.send().unwrap())
}

fn try_login(base: &str, username: &str, password: &str) -> Answer {
    call(
        base,
        "POST",
        "/api/v1/staff/login",
        None,
        Some(json!({"username": username, "password": password})),
    )
}

fn set_cookie(a: &Answer) -> String {
    a.headers["set-cookie"].to_str().unwrap().to_owned()
}

/// Signs in; an account that must have a second factor enrols one first.
fn login(base: &str, username: &str, password: &str) -> Session {
    let a = try_login(base, username, password);
    assert_eq!(a.status, 200, "{username}: {}", a.body);
    let cookie = set_cookie(&a).split(';').next().unwrap().to_owned();
    let session = Session {
        cookie,
        csrf: a.body["csrf_token"].as_str().unwrap().to_owned(),
    };
    if a.body["must_enrol"] == true {
        common::enrol_second_factor(base, &session.cookie, &session.csrf);
    }
    session
}

fn me(base: &str, session: Option<&Session>) -> Answer {
    call(base, "GET", "/api/v1/staff/me", session, None)
}

#[test]
fn signing_in_sets_a_strict_session_cookie_and_me_tells_who() {
    let s = start("cookie", &["--demo-users"]);
    let base = &s.server.base;
    let a = try_login(base, "University", DEMO);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["user"]["username"], "university");
    assert_eq!(a.body["user"]["role"], "university_user");
    assert_eq!(a.body["user"]["role_en"], "University user");
    assert_eq!(a.body["user"]["role_fa"], "کاربر دانشگاه");
    assert_eq!(a.body["user"]["scope"], "*");
    assert_eq!(a.headers["cache-control"], "no-store");
    let cookie = set_cookie(&a);
    let attributes: Vec<&str> = cookie.split("; ").collect();
    let token = attributes[0].strip_prefix("pishkhan_staff=").unwrap();
    assert_eq!(token.len(), 43, "32 bytes in base64url without padding");
    assert!(token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=28800"] {
        assert!(attributes.contains(&attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "{cookie}");

    let none = me(base, None);
    assert_eq!((none.status, none.code()), (401, "NOT_SIGNED_IN"));
    assert!(none.body["error"]["message_fa"].is_string());
    let forged = Session {
        cookie: "pishkhan_staff=not-a-session".into(),
        csrf: String::new(),
    };
    assert_eq!(me(base, Some(&forged)).status, 401);
    let session = Session {
        cookie: attributes[0].to_owned(),
        csrf: a.body["csrf_token"].as_str().unwrap().to_owned(),
    };
    let mine = me(base, Some(&session));
    assert_eq!(mine.status, 200);
    assert_eq!(mine.body["user"], a.body["user"]);
    assert_eq!(mine.body["csrf_token"], a.body["csrf_token"]);
    assert_ne!(session.csrf, token);

    // Behind TLS: Secure.
    let tls = start("cookie-tls", &["--demo-users", "--secure-cookies"]);
    let a = try_login(&tls.server.base, "admin", DEMO);
    assert_eq!(a.status, 200);
    assert!(set_cookie(&a).split("; ").any(|p| p == "Secure"));
}

#[test]
fn an_unknown_user_a_wrong_password_and_a_disabled_account_get_the_same_401() {
    let s = start("same401", &["--demo-users"]);
    let base = &s.server.base;
    let unknown = try_login(base, "nobody", DEMO);
    let wrong = try_login(base, "police", "not-the-password");
    let out = cli(&s.data.0, &["disable", "--username", "deputy"], "");
    assert!(out.status.success(), "{out:?}");
    let disabled = try_login(base, "deputy", DEMO);
    for a in [&unknown, &wrong, &disabled] {
        assert_eq!((a.status, a.code()), (401, "LOGIN_FAILED"));
        assert!(a.headers.get("set-cookie").is_none());
    }
    assert_eq!(unknown.body, wrong.body);
    assert_eq!(unknown.body, disabled.body);
    // A missing field is named.
    let a = call(
        base,
        "POST",
        "/api/v1/staff/login",
        None,
        Some(json!({"username": "police"})),
    );
    assert_eq!((a.status, a.code()), (422, "INVALID_INPUT"));
    assert_eq!(a.body["error"]["field"], "password");
}

#[test]
fn five_untrusted_failures_in_a_row_refuse_untrusted_sign_ins_with_the_same_401() {
    let s = start("lock", &["--demo-users"]);
    let base = &s.server.base;
    // A success in between starts the count again.
    for _ in 0..3 {
        assert_eq!(try_login(base, "faculty", "wrong-password").status, 401);
    }
    login(base, "faculty", DEMO);
    for _ in 0..5 {
        assert_eq!(try_login(base, "faculty", "wrong-password").status, 401);
    }
    // Without the device cookie, even the right password is refused, and it says nothing more.
    let right = try_login(base, "faculty", DEMO);
    assert_eq!((right.status, right.code()), (401, "LOGIN_FAILED"));
    assert!(right.headers.get("retry-after").is_none());
    assert!(right.headers.get("set-cookie").is_none());
    // Other accounts are not affected; the admin sees the lock.
    let admin = login(base, "admin", DEMO);
    let users = call(base, "GET", "/api/v1/admin/users", Some(&admin), None);
    let faculty = users.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "faculty")
        .unwrap();
    assert!(faculty["locked_until"].as_i64().is_some());
}

/// A sign-in's raw answer: status, `Set-Cookie` values and the body's bytes, sent from `from`
/// (a loopback address) with `cookie` when given.
fn raw_login(
    base: &str,
    username: &str,
    password: &str,
    cookie: Option<&str>,
    from: &str,
) -> (u16, Vec<String>, Option<String>, String) {
    let c = reqwest::blocking::Client::builder()
        .local_address(from.parse::<std::net::IpAddr>().unwrap())
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .unwrap();
    let mut request = c
        .post(format!("{base}/api/v1/staff/login"))
        .header("content-type", "application/json")
        .body(json!({"username": username, "password": password}).to_string());
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().unwrap();
    let cookies = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (
        response.status().as_u16(),
        cookies,
        retry,
        response.text().unwrap(),
    )
}

/// The `name=value` of the device cookie among `Set-Cookie` values.
fn device_cookie(cookies: &[String]) -> String {
    let cookie = cookies
        .iter()
        .find(|c| c.starts_with("pishkhan_device="))
        .unwrap_or_else(|| panic!("a device cookie in {cookies:?}"));
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/staff/login"] {
        assert!(cookie.split("; ").any(|a| a == attribute), "{cookie}");
    }
    cookie.split(';').next().unwrap().to_owned()
}

#[test]
fn every_failure_answers_the_same_status_and_the_same_bytes() {
    let s = start("same-bytes", &["--demo-users"]);
    let base = &s.server.base;
    let from = "127.0.0.1";
    let unknown = raw_login(base, "nobody", DEMO, None, from);
    let wrong = raw_login(base, "police", "not-the-password", None, from);
    let out = cli(&s.data.0, &["disable", "--username", "deputy"], "");
    assert!(out.status.success(), "{out:?}");
    let disabled = raw_login(base, "deputy", DEMO, None, from);
    // Locked for untrusted attempts: five failures, then the right password.
    for _ in 0..5 {
        raw_login(base, "faculty", "not-the-password", None, from);
    }
    let locked = raw_login(base, "faculty", DEMO, None, from);
    // A device cookie of another account counts for nothing.
    let (status, cookies, ..) = raw_login(base, "police", DEMO, None, from);
    assert_eq!(status, 200);
    let polices = device_cookie(&cookies);
    let foreign = raw_login(base, "faculty", DEMO, Some(&polices), from);
    for (name, a) in [
        ("wrong", &wrong),
        ("disabled", &disabled),
        ("locked", &locked),
        ("foreign device", &foreign),
    ] {
        assert_eq!(a, &unknown, "{name}");
    }
    assert_eq!(unknown.0, 401);
    assert!(unknown.1.is_empty() && unknown.2.is_none());
    let body: Value = serde_json::from_str(&unknown.3).unwrap();
    assert_eq!(body["error"]["code"], "LOGIN_FAILED");
}

#[test]
fn a_strangers_fifty_wrong_passwords_leave_the_clerk_with_their_device_able_to_sign_in() {
    let s = start("stranger", &["--demo-users", "--frozen-rate-limits"]);
    let base = &s.server.base;
    // The clerk signs in on their own computer once: it gets the device cookie.
    let (status, cookies, ..) = raw_login(base, "faculty", DEMO, None, "127.0.0.1");
    assert_eq!(status, 200);
    let device = device_cookie(&cookies);
    // A stranger elsewhere tries fifty passwords: refused, then throttled by address.
    let mut statuses = Vec::new();
    for i in 0..50 {
        let (status, ..) = raw_login(base, "faculty", &format!("guess-{i}"), None, "127.0.0.2");
        statuses.push(status);
    }
    assert!(
        statuses.iter().all(|&s| s == 401 || s == 429),
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 401).count(),
        20,
        "{statuses:?}"
    );
    // … and even the right password from a third address, without the device cookie, is refused.
    let (status, ..) = raw_login(base, "faculty", DEMO, None, "127.0.0.3");
    assert_eq!(status, 401);
    // The clerk, with the device cookie, signs in at once.
    let (status, cookies, ..) = raw_login(base, "faculty", DEMO, Some(&device), "127.0.0.1");
    assert_eq!(status, 200);
    assert!(cookies.iter().any(|c| c.starts_with("pishkhan_staff=")));
    // The device's own failures are counted on their own: five lock that device only.
    for _ in 0..5 {
        let (status, ..) = raw_login(
            base,
            "faculty",
            "wrong-password",
            Some(&device),
            "127.0.0.4",
        );
        assert_eq!(status, 401);
    }
    let (status, ..) = raw_login(base, "faculty", DEMO, Some(&device), "127.0.0.4");
    assert_eq!(status, 401);
}

#[test]
fn the_log_says_demo_users_were_created_but_never_their_password() {
    let dist = TempDir::new("auth-dist-demo-log");
    dist.write("index.html", b"<!doctype html><title>x</title>");
    let data = TempDir::new("auth-data-demo-log");
    let log = data.0.join("server.log");
    let server = common::serve_logging(
        &dist.0,
        &data.0,
        &["--demo-users"],
        std::fs::File::create(&log).unwrap().into(),
    );
    // The line is written before the server says where it listens.
    let text = std::fs::read_to_string(&log).unwrap();
    server.kill();
    assert!(text.contains("demo users created"), "{text}");
    assert!(!text.contains(DEMO), "{text}");
}

/// `POST /api/v1/staff/login/second-factor` with a second step's token and `field`: `value`.
fn second_step(base: &str, token: &str, field: &str, value: &str) -> Answer {
    call(
        base,
        "POST",
        "/api/v1/staff/login/second-factor",
        None,
        Some(json!({"second_step_token": token, field: value})),
    )
}

/// Signs in with a password that asks for a second factor: the second step's token.
fn password_step(base: &str, username: &str) -> String {
    let a = try_login(base, username, DEMO);
    assert_eq!(a.status, 202, "{}", a.body);
    assert!(a.headers.get("set-cookie").is_none());
    assert_eq!(a.body["expires_in_seconds"], 300);
    a.body["second_step_token"].as_str().unwrap().to_owned()
}

fn session_of(a: &Answer) -> Session {
    assert_eq!(a.status, 200, "{}", a.body);
    Session {
        cookie: set_cookie(a).split(';').next().unwrap().to_owned(),
        csrf: a.body["csrf_token"].as_str().unwrap().to_owned(),
    }
}

/// Six digits that are none of the codes around now.
fn wrong_code(factor: &common::SecondFactor) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let near: Vec<String> = (0..4).map(|i| factor.code_at(now + 30 * i - 30)).collect();
    (0..4)
        .map(|d| d.to_string().repeat(6))
        .find(|c| !near.contains(c))
        .unwrap()
}

#[test]
fn an_admin_enrols_a_second_factor_then_signs_in_with_a_code_or_a_recovery_code() {
    let s = start("totp", &["--demo-users"]);
    let base = &s.server.base;
    // Before enrolling, the admin's session may only enrol.
    let a = try_login(base, "admin", DEMO);
    assert_eq!(
        (
            a.body["must_enrol"].clone(),
            a.body["second_factor_enrolled"].clone()
        ),
        (json!(true), json!(false))
    );
    let admin = session_of(&a);
    let refused = call(base, "GET", "/api/v1/admin/users", Some(&admin), None);
    assert_eq!(
        (refused.status, refused.code()),
        (403, "SECOND_FACTOR_REQUIRED")
    );
    assert_eq!(me(base, Some(&admin)).status, 200);
    // Enrolment: a secret (QR and text), a wrong code named, then the first code.
    let enrol = call(
        base,
        "POST",
        "/api/v1/staff/second-factor/enrol",
        Some(&admin),
        Some(json!({})),
    );
    assert_eq!(enrol.status, 200, "{}", enrol.body);
    assert_eq!(enrol.headers["cache-control"], "no-store");
    let uri = enrol.body["otpauth_uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/Pishkhan:admin?"), "{uri}");
    let factor = common::SecondFactor {
        secret: enrol.body["secret_base32"].as_str().unwrap().to_owned(),
        recovery_codes: Vec::new(),
    };
    let wrong = call(
        base,
        "POST",
        "/api/v1/staff/second-factor/confirm",
        Some(&admin),
        Some(json!({"code": wrong_code(&factor)})),
    );
    assert_eq!(
        (wrong.status, wrong.body["error"]["field"].as_str()),
        (422, Some("code"))
    );
    let confirmed = call(
        base,
        "POST",
        "/api/v1/staff/second-factor/confirm",
        Some(&admin),
        Some(json!({"code": factor.code(0)})),
    );
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let recovery: Vec<String> = confirmed.body["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(recovery.len(), 10);
    // The same session now does the admin's work.
    let users = call(base, "GET", "/api/v1/admin/users", Some(&admin), None);
    assert_eq!(users.status, 200, "{}", users.body);
    assert!(users.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["username"] == "admin" && u["second_factor_enrolled"] == true));
    // Nothing secret is stored in clear.
    let stored = common::rows(
        &s.data.0,
        "SELECT totp_secret FROM users WHERE username = 'admin'",
    );
    assert!(!stored[0][0].as_deref().unwrap().contains(&factor.secret));
    let hmacs = common::rows(&s.data.0, "SELECT code_hmac FROM staff_recovery_codes");
    assert_eq!(hmacs.len(), 10);
    for code in &recovery {
        assert!(hmacs.iter().all(|r| r[0].as_deref() != Some(code.as_str())));
    }

    // Password, then code: the step after the one enrolment used.
    let token = password_step(base, "admin");
    let bad = second_step(base, &token, "code", "12345");
    assert_eq!((bad.status, bad.code()), (401, "CODE_INVALID"));
    assert_eq!(bad.body["error"]["field"], "code");
    let used = factor.code(1);
    let signed = second_step(base, &token, "code", &used);
    let session = session_of(&signed);
    assert_eq!(signed.body["second_factor_enrolled"], true);
    assert_eq!(signed.body["must_enrol"], false);
    assert_eq!(
        call(base, "GET", "/api/v1/admin/users", Some(&session), None).status,
        200
    );
    // The token is spent, and the code's step is never accepted again.
    let again = second_step(base, &token, "code", &used);
    assert_eq!((again.status, again.code()), (401, "SECOND_STEP_EXPIRED"));
    let token = password_step(base, "admin");
    let replay = second_step(base, &token, "code", &used);
    assert_eq!((replay.status, replay.code()), (401, "CODE_INVALID"));
    // A recovery code, once.
    let signed = second_step(base, &token, "recovery_code", &recovery[0].to_uppercase());
    session_of(&signed);
    let token = password_step(base, "admin");
    let twice = second_step(base, &token, "recovery_code", &recovery[0]);
    assert_eq!((twice.status, twice.code()), (401, "CODE_INVALID"));
    assert_eq!(twice.body["error"]["field"], "recovery_code");
    // Enrolling again is refused; the admin resets a clerk's, who then signs in with a password.
    let again = call(
        base,
        "POST",
        "/api/v1/staff/second-factor/enrol",
        Some(&session),
        Some(json!({})),
    );
    assert_eq!(
        (again.status, again.code()),
        (409, "SECOND_FACTOR_ENROLLED")
    );
    let police = login(base, "police", DEMO);
    common::enrol_second_factor(base, &police.cookie, &police.csrf);
    password_step(base, "police");
    let id = users.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "police")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let reset = call(
        base,
        "DELETE",
        &format!("/api/v1/admin/users/{id}/second-factor"),
        Some(&session),
        None,
    );
    assert_eq!(reset.status, 200, "{}", reset.body);
    assert_eq!(reset.body["second_factor_enrolled"], false);
    assert_eq!(
        me(base, Some(&police)).status,
        401,
        "the reset ends the clerk's sessions"
    );
    let a = try_login(base, "police", DEMO);
    assert_eq!(
        (a.status, a.body["must_enrol"].clone()),
        (200, json!(false))
    );
}

#[test]
fn staff_totp_all_requires_every_clerk_to_enrol() {
    let s = start("totp-all", &["--demo-users", "--staff-totp", "all"]);
    let base = &s.server.base;
    let a = try_login(base, "conscription", DEMO);
    assert_eq!(a.body["must_enrol"], true);
    let clerk = session_of(&a);
    let cartable = call(base, "GET", "/api/v1/staff/cartable", Some(&clerk), None);
    assert_eq!(
        (cartable.status, cartable.code()),
        (403, "SECOND_FACTOR_REQUIRED")
    );
    common::enrol_second_factor(base, &clerk.cookie, &clerk.csrf);
    assert_eq!(
        call(base, "GET", "/api/v1/staff/cartable", Some(&clerk), None).status,
        200
    );
    // Without the flag, a clerk need not.
    let relaxed = start("totp-admin", &["--demo-users"]);
    let a = try_login(&relaxed.server.base, "conscription", DEMO);
    assert_eq!(
        (a.status, a.body["must_enrol"].clone()),
        (200, json!(false))
    );
}

#[test]
fn the_21st_sign_in_attempt_in_a_minute_from_one_address_gets_429() {
    // Frozen buckets: twenty slow password checks may take longer than the 3 s a token takes to
    // come back on a loaded machine; the limit is what is tested, not the machine's speed.
    let s = start("rate", &["--frozen-rate-limits"]);
    let base = &s.server.base;
    for i in 0..20 {
        let a = try_login(base, &format!("nobody{i}"), "whatever-password");
        assert_eq!(a.status, 401, "attempt {i}");
    }
    let a = try_login(base, "nobody", "whatever-password");
    assert_eq!((a.status, a.code()), (429, "RATE_LIMITED"));
    assert!(a.headers.contains_key("retry-after"));
}

#[test]
fn serve_logins_per_minute_sets_the_sign_in_limit() {
    let s = start("rate-flag", &["--logins-per-minute", "2"]);
    let base = &s.server.base;
    for i in 0..2 {
        let a = try_login(base, &format!("nobody{i}"), "whatever-password");
        assert_eq!(a.status, 401, "attempt {i}");
    }
    let a = try_login(base, "nobody", "whatever-password");
    assert_eq!((a.status, a.code()), (429, "RATE_LIMITED"));
}

#[test]
fn signing_out_ends_the_session_and_state_changes_need_the_csrf_token() {
    let s = start("logout", &["--demo-users"]);
    let base = &s.server.base;
    let session = login(base, "police", DEMO);
    let no_token = Session {
        cookie: session.cookie.clone(),
        csrf: String::new(),
    };
    let wrong_token = Session {
        cookie: session.cookie.clone(),
        csrf: "x".repeat(43),
    };
    for bad in [&no_token, &wrong_token] {
        let a = call(base, "POST", "/api/v1/staff/logout", Some(bad), None);
        assert_eq!((a.status, a.code()), (403, "CSRF_FAILED"));
        assert_eq!(a.body["error"]["field"], "X-CSRF-Token");
    }
    // Without the header at all.
    let a = answer(
        client()
            .post(format!("{base}/api/v1/staff/logout"))
            .header("cookie", &session.cookie)
            .send()
            .unwrap(),
    );
    assert_eq!((a.status, a.code()), (403, "CSRF_FAILED"));
    assert_eq!(me(base, Some(&session)).status, 200);

    let out = call(base, "POST", "/api/v1/staff/logout", Some(&session), None);
    assert_eq!(out.status, 204);
    let cleared = set_cookie(&out);
    assert!(cleared.starts_with("pishkhan_staff=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let gone = me(base, Some(&session));
    assert_eq!((gone.status, gone.code()), (401, "NOT_SIGNED_IN"));
    let again = call(base, "POST", "/api/v1/staff/logout", Some(&session), None);
    assert_eq!(again.status, 401);
}

#[test]
fn the_admin_api_is_for_admins_only() {
    let s = start("admin-only", &["--demo-users"]);
    let base = &s.server.base;
    let clerk = login(base, "conscription", DEMO);
    for (method, path, body) in [
        ("GET", "/api/v1/admin/users", None),
        ("POST", "/api/v1/admin/users", Some(json!({}))),
        ("PATCH", "/api/v1/admin/users/1", Some(json!({}))),
        ("GET", "/api/v1/admin/offices", None),
        ("PUT", "/api/v1/admin/offices", Some(json!({"offices": []}))),
        ("GET", "/api/v1/admin/universities/default/offices", None),
        (
            "PUT",
            "/api/v1/admin/universities/default/offices",
            Some(json!({"offices": []})),
        ),
        ("GET", "/api/v1/admin/universities/default/faculties", None),
        (
            "POST",
            "/api/v1/admin/universities/default/faculties",
            Some(json!({})),
        ),
    ] {
        let a = call(base, method, path, None, body.clone());
        assert_eq!(
            (a.status, a.code()),
            (401, "NOT_SIGNED_IN"),
            "{method} {path}"
        );
        let a = call(base, method, path, Some(&clerk), body);
        assert_eq!((a.status, a.code()), (403, "FORBIDDEN"), "{method} {path}");
    }
    // The demo users: one per role (the university's admin among them since issue 14) and per
    // clearance office but the department's.
    let admin = login(base, "admin", DEMO);
    let users = call(base, "GET", "/api/v1/admin/users", Some(&admin), None);
    assert_eq!(users.status, 200);
    let users = users.body["users"].as_array().unwrap().clone();
    assert_eq!(users.len(), 11 + 9, "{users:?}");
    let welfare = users
        .iter()
        .find(|u| u["username"] == "office-welfare")
        .unwrap();
    assert_eq!(welfare["role"], "clearance_office:welfare");
    assert_eq!(welfare["role_en"], "Welfare office expert");
    assert_eq!(welfare["active"], true);
    assert!(users.iter().all(|u| u.get("password_hash").is_none()));
    let department = users
        .iter()
        .find(|u| u["username"] == "department")
        .unwrap();
    assert_eq!(department["role"], "department_expert");
    login(base, "office-welfare", DEMO);
}

#[test]
fn the_admin_adds_changes_and_disables_users() {
    let s = start("users", &["--demo-users"]);
    let base = &s.server.base;
    let admin = login(base, "admin", DEMO);
    let post = |body: Value| {
        call(
            base,
            "POST",
            "/api/v1/admin/users",
            Some(&admin),
            Some(body),
        )
    };
    let good = json!({"username": "Sara.K", "display_name": "سارا کریمی",
                      "role": "conscription_expert", "scope": "تهران",
                      "password": "a-long-password"});
    let created = post(good.clone());
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["username"], "sara.k");
    assert_eq!(created.body["scope"], "تهران");
    assert_eq!(created.body["role_fa"], "کارشناس اداره وظیفه");
    let id = created.body["id"].as_i64().unwrap();

    // Field errors, each named.
    let with = |field: &str, value: Value| {
        let mut body = good.clone();
        body["username"] = json!("someone");
        body[field] = value;
        post(body)
    };
    for (field, value) in [
        ("role", json!("applicant")),
        ("role", json!("dean")),
        ("role", json!("clearance_office:nowhere")),
        ("scope", json!("")),
        ("password", json!("short")),
        ("username", json!("ab")),
        ("username", json!("has space")),
        ("display_name", json!("  ")),
    ] {
        let a = with(field, value.clone());
        assert_eq!(
            (a.status, a.code()),
            (422, "INVALID_INPUT"),
            "{field} {value}"
        );
        assert_eq!(a.body["error"]["field"], field, "{value}: {}", a.body);
        assert!(a.body["error"]["message_fa"].is_string());
    }
    let a = post(
        json!({"username": "ali", "display_name": "علی", "role": "student_affairs_expert",
                        "scope": "فنی", "password": "a-long-password"}),
    );
    assert_eq!(
        a.body["error"]["field"], "scope",
        "a scope on a '*'-only role"
    );
    let a = post(json!({"username": "x", "role": "dean", "password": "short"}));
    let fields: Vec<&Value> = a.body["error"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["field"])
        .collect();
    assert_eq!(fields, ["username", "display_name", "role", "password"]);
    let taken = post(
        json!({"username": "SARA.K", "display_name": "x", "role": "admin",
                            "password": "a-long-password"}),
    );
    assert_eq!((taken.status, taken.code()), (409, "USERNAME_TAKEN"));
    let office = post(json!({"username": "lib", "display_name": "کتابدار",
                             "role": "clearance_office:kharazmi_library",
                             "password": "a-long-password"}));
    assert_eq!(office.status, 201, "{}", office.body);
    assert_eq!(office.body["scope"], "*");

    // The hash is argon2id.
    let hash = stored_hash(&s.data.0, "sara.k");
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );

    // Disabling ends the session and refuses sign-in.
    let sara = login(base, "sara.k", "a-long-password");
    let patch = |body: Value| {
        call(
            base,
            "PATCH",
            &format!("/api/v1/admin/users/{id}"),
            Some(&admin),
            Some(body),
        )
    };
    let off = patch(json!({"active": false}));
    assert_eq!(off.status, 200);
    assert_eq!(off.body["active"], false);
    assert_eq!(me(base, Some(&sara)).status, 401);
    assert_eq!(
        try_login(base, "sara.k", "a-long-password").code(),
        "LOGIN_FAILED"
    );

    // A new password (and the account on again): the old one no longer works.
    let on = patch(json!({"active": true, "password": "another-password", "display_name": "سارا"}));
    assert_eq!(on.status, 200, "{}", on.body);
    assert_eq!(
        (on.body["active"].clone(), on.body["display_name"].clone()),
        (json!(true), json!("سارا"))
    );
    let sara = login(base, "sara.k", "another-password");
    assert_eq!(try_login(base, "sara.k", "a-long-password").status, 401);
    let again = patch(json!({"password": "yet-another-password"}));
    assert_eq!(again.status, 200);
    assert_eq!(
        me(base, Some(&sara)).status,
        401,
        "a new password ends the sessions"
    );
    let short = patch(json!({"password": "short"}));
    assert_eq!(short.body["error"]["field"], "password");
    let missing = call(
        base,
        "PATCH",
        "/api/v1/admin/users/999999",
        Some(&admin),
        Some(json!({"active": false})),
    );
    assert_eq!((missing.status, missing.code()), (404, "NOT_FOUND"));
}

/// The stored password hash of a user, as the server's store reads it (`credentials`).
fn stored_hash(data: &Path, username: &str) -> String {
    common::rows(
        data,
        &format!("SELECT password_hash FROM users WHERE username = '{username}'"),
    )[0][0]
        .clone()
        .expect("a password hash")
}

#[test]
fn the_admin_replaces_the_clearance_offices_but_not_one_a_request_is_at() {
    let s = start("offices", &["--demo-users"]);
    let base = &s.server.base;
    let admin = login(base, "admin", DEMO);
    let got = call(base, "GET", "/api/v1/admin/offices", Some(&admin), None);
    assert_eq!(got.status, 200);
    let offices = got.body["offices"].as_array().unwrap().clone();
    let ids: Vec<&str> = offices.iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 10);
    assert_eq!(ids[0], "department");
    assert_eq!(ids[8], "welfare");
    assert_eq!(offices[8]["records_instalments"], true);
    let put = |offices: Value| {
        call(
            base,
            "PUT",
            "/api/v1/admin/offices",
            Some(&admin),
            Some(json!({"offices": offices})),
        )
    };

    // Validation.
    let mut bad = offices.clone();
    bad[1]["id"] = json!("Bad Id");
    bad[2]["id"] = json!("department");
    bad[3]["name_en"] = json!(" ");
    let a = put(json!(bad));
    assert_eq!((a.status, a.code()), (422, "INVALID_INPUT"));
    let fields: Vec<&Value> = a.body["error"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["field"])
        .collect();
    assert_eq!(
        fields,
        ["offices[1].id", "offices[2].id", "offices[3].name_en"]
    );
    assert_eq!(put(json!([])).body["error"]["field"], "offices");

    // Reorder, rename, add one, drop the food service.
    let mut next: Vec<Value> = offices
        .iter()
        .filter(|o| o["id"] != "food_service")
        .cloned()
        .collect();
    next.swap(1, 2);
    next.push(json!({"id": "sports", "name_fa": "اداره تربیت بدنی", "name_en": "Sports office"}));
    let a = put(json!(next));
    assert_eq!(a.status, 200, "{}", a.body);
    let got = call(base, "GET", "/api/v1/admin/offices", Some(&admin), None);
    assert_eq!(got.body["offices"].as_array().unwrap().len(), 10);
    assert_eq!(got.body["offices"][1]["id"], "mirza_shirazi_library");
    assert_eq!(got.body["offices"][9]["id"], "sports");
    assert_eq!(got.body["offices"][9]["records_debt"], false);
    // A user of the new office's role may be added.
    let a = call(
        base,
        "POST",
        "/api/v1/admin/users",
        Some(&admin),
        Some(json!({
        "username": "coach", "display_name": "مربی", "role": "clearance_office:sports",
        "password": "a-long-password"})),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.body["role_en"], "Sports office expert");

    // A request at the welfare office (filed, then moved there as the workflow would).
    let student = common::sign_in_for(&s.data.0, &submit::clearance(3));
    let body = submit::clearance(3).to_string();
    let filed = submit::submit(&client(), base, Some(&student), None, &body).unwrap();
    assert_eq!(filed.status, 400, "no Idempotency-Key: {}", filed.body);
    let key = submit::new_key();
    let filed = submit::submit(&client(), base, Some(&student), Some(&key), &body).unwrap();
    assert_eq!(filed.status, 201, "{}", filed.body);
    set_status(&s.data.0, "at_office:welfare");
    let without_welfare: Vec<Value> = next
        .iter()
        .filter(|o| o["id"] != "welfare")
        .cloned()
        .collect();
    let a = put(json!(without_welfare));
    assert_eq!((a.status, a.code()), (409, "OFFICE_IN_USE"));
    assert!(a.body["error"]["message_en"]
        .as_str()
        .unwrap()
        .contains("welfare"));
    assert!(a.body["error"]["message_fa"]
        .as_str()
        .unwrap()
        .contains("اداره رفاه"));
    set_status(&s.data.0, "visit_required:welfare");
    assert_eq!(put(json!(without_welfare)).status, 409);
    set_status(&s.data.0, "cleared");
    assert_eq!(put(json!(without_welfare)).status, 200);
}

/// Sets every request's status, as the workflow would move it.
fn set_status(data: &Path, status: &str) {
    common::sql(
        data,
        &format!(
            "UPDATE requests SET status = '{}'",
            status.replace('\'', "''")
        ),
    );
}

#[test]
fn the_user_commands_add_list_change_and_disable_accounts() {
    let s = start("cli", &[]);
    let base = &s.server.base;
    let data = &s.data.0;
    let bad = cli(
        data,
        &[
            "add",
            "--username",
            "reza",
            "--role",
            "dean",
            "--display-name",
            "رضا",
        ],
        "a-long-password\n",
    );
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("role:"), "{stderr}");
    let scoped = cli(
        data,
        &[
            "add",
            "--username",
            "reza",
            "--role",
            "central_office_expert",
            "--scope",
            "فنی",
            "--display-name",
            "رضا",
        ],
        "a-long-password\n",
    );
    assert_eq!(scoped.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&scoped.stderr).contains("scope:"));
    let short = cli(
        data,
        &[
            "add",
            "--username",
            "reza",
            "--role",
            "admin",
            "--display-name",
            "رضا",
        ],
        "short\n",
    );
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("password:"));

    // A faculty scope names one of the university's faculties (`university faculty add`).
    let no_faculty = cli(
        data,
        &[
            "add",
            "--username",
            "reza",
            "--role",
            "faculty_expert",
            "--scope",
            "فنی",
            "--display-name",
            "رضا",
        ],
        "a-long-password\n",
    );
    assert_eq!(no_faculty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_faculty.stderr).contains("scope:"));
    let faculty = |args: &[&str]| {
        common::pishkhan(data)
            .args(["university", "faculty"])
            .args(args)
            .arg("--data-dir")
            .arg(data)
            .output()
            .unwrap()
    };
    let added = faculty(&[
        "add",
        "--university",
        "default",
        "--code",
        "فنی",
        "--name-fa",
        "دانشکده فنی",
        "--name-en",
        "Engineering",
    ]);
    assert!(added.status.success(), "{added:?}");
    let listed = faculty(&["list", "--university", "default"]);
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains("فنی\tدانشکده فنی\tEngineering"),
        "{listed:?}"
    );
    let nowhere = faculty(&["list", "--university", "nowhere"]);
    assert_eq!(nowhere.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&nowhere.stderr).contains("university:"));
    let ok = cli(
        data,
        &[
            "add",
            "--username",
            "Reza",
            "--role",
            "faculty_expert",
            "--scope",
            "فنی",
            "--display-name",
            "رضا رضایی",
        ],
        "a-long-password\r\nignored\n",
    );
    assert!(ok.status.success(), "{ok:?}");
    let taken = cli(
        data,
        &[
            "add",
            "--username",
            "reza",
            "--role",
            "admin",
            "--display-name",
            "x",
        ],
        "a-long-password\n",
    );
    assert_eq!(taken.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&taken.stderr).contains("username:"));

    let session = login(base, "reza", "a-long-password");
    let who = me(base, Some(&session));
    assert_eq!(who.body["user"]["scope"], "فنی");
    assert_eq!(who.body["user"]["display_name"], "رضا رضایی");

    let list = cli(data, &["list"], "");
    let list = String::from_utf8_lossy(&list.stdout);
    assert!(
        list.contains("reza\tfaculty_expert\tفنی\tyes\tرضا رضایی"),
        "{list}"
    );
    assert!(!list.contains("argon2"), "{list}");

    let passwd = cli(
        data,
        &["passwd", "--username", "reza"],
        "a-new-long-password\n",
    );
    assert!(passwd.status.success(), "{passwd:?}");
    assert_eq!(me(base, Some(&session)).status, 401);
    let session = login(base, "reza", "a-new-long-password");
    let unknown = cli(
        data,
        &["passwd", "--username", "nobody"],
        "a-new-long-password\n",
    );
    assert_eq!(unknown.status.code(), Some(2));

    let disable = cli(data, &["disable", "--username", "reza"], "");
    assert!(disable.status.success(), "{disable:?}");
    assert_eq!(me(base, Some(&session)).status, 401);
    assert_eq!(try_login(base, "reza", "a-new-long-password").status, 401);
    let list = cli(data, &["list"], "");
    assert!(String::from_utf8_lossy(&list.stdout).contains("\tno\t"));
}
