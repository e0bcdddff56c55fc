//! Sign-in by OpenID Connect against a real OpenID provider: `tests/oidc/provider.mjs` (panva's
//! `oidc-provider`, installed here by `npm ci` when missing) as a node process on a free port,
//! and `pishkhan serve --config` on a real socket. The person signs in through the provider's
//! login form (cookies on, its real redirects); the callback is then sent to the server, which
//! opens the person session (the token's identity, filled in from the roster); a fresh sign-in
//! makes the provider ask again; a withdrawal is filed under the token's identity; sign-out hands
//! back the provider's end-session URL, which the provider accepts. Without node (or the package), these tests are skipped, unless
//! `PISHKHAN_REQUIRE_OIDC=1` (set by `scripts/test.sh`), which makes them fail.

mod common;
mod submit;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use common::{Server, TempDir};
use reqwest::blocking::{Client, Response};
use reqwest::header::LOCATION;
use reqwest::redirect::Policy;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The origin the provider redirects to (the server's `redirect_base`): a browser would reach
/// Pishkhan there; the tests stop at that redirect and send the callback to the real socket.
const PUBLIC: &str = "http://pishkhan.test";
const SECRET: &str = "pishkhan-test-secret";

fn harness() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/oidc")
}

/// Whether the provider can run: node is there and `tests/oidc/node_modules` matches the lock
/// (`npm ci` once per process when it does not, as `scripts/test.sh` does).
fn provider_available() -> bool {
    static READY: OnceLock<Result<(), String>> = OnceLock::new();
    match READY.get_or_init(install) {
        Ok(()) => true,
        Err(why) if std::env::var("PISHKHAN_REQUIRE_OIDC").as_deref() == Ok("1") => {
            panic!("PISHKHAN_REQUIRE_OIDC=1 but the OpenID provider cannot run: {why}")
        }
        Err(why) => {
            eprintln!("skipped: the OpenID provider cannot run: {why}");
            false
        }
    }
}

fn install() -> Result<(), String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Err("node is not installed".into());
    }
    let dir = harness();
    let lock = std::fs::read(dir.join("package-lock.json")).map_err(|e| e.to_string())?;
    let sum = server::hex(&Sha256::digest(&lock));
    let stamp = dir.join("node_modules/.package-lock.sha256");
    if std::fs::read_to_string(&stamp)
        .ok()
        .as_deref()
        .map(str::trim)
        == Some(sum.as_str())
    {
        return Ok(());
    }
    let npm = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("npm: {e}"))?;
    if !npm.success() {
        return Err(format!("npm ci in tests/oidc failed ({npm})"));
    }
    std::fs::write(&stamp, format!("{sum}\n")).map_err(|e| e.to_string())
}

/// The provider process, killed when dropped.
struct Provider {
    child: Child,
    issuer: String,
}

impl Provider {
    fn start() -> Provider {
        let mut child = Command::new("node")
            .arg(harness().join("provider.mjs"))
            .args([
                "--redirect-uri",
                &format!("{PUBLIC}/api/v1/signin/oidc/callback"),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node starts");
        let mut first = String::new();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut first).unwrap();
        // Whatever it prints later is read (and dropped), so it never writes to a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let issuer = first
            .trim()
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_owned();
        assert!(
            issuer.starts_with("http://127.0.0.1:"),
            "unexpected first line: {first:?}"
        );
        Provider { child, issuer }
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A provider and a server configured to use it (client secret `secret`).
struct Setup {
    server: Server,
    provider: Provider,
    data: TempDir,
    log: PathBuf,
    _dist: TempDir,
}

/// The claims a university's provider names: the national ID, the student number and the mobile.
const ALL_CLAIMS: &str = "national_id = \"national_id\"\nstudent_number = \"student_number\"\n\
                          mobile = \"phone_number\"\n";

/// The claims a national provider names: the national ID alone.
const NATIONAL_ID_ONLY: &str = "national_id = \"national_id\"\n";

fn setup(name: &str, secret: &str) -> Option<Setup> {
    setup_with(name, secret, ALL_CLAIMS, &[])
}

/// [`setup`] with the provider's claim names (`[oidc.providers.claims]`) and further arguments
/// of `pishkhan serve`.
fn setup_with(name: &str, secret: &str, claims: &str, args: &[&str]) -> Option<Setup> {
    setup_at(name, secret, claims, &[], args)
}

/// [`setup_with`] for a provider of these universities (`universities = [...]`; none: a national
/// provider), each added first (`pishkhan university add --code <code>`).
fn setup_at(
    name: &str,
    secret: &str,
    claims: &str,
    universities: &[&str],
    args: &[&str],
) -> Option<Setup> {
    if !provider_available() {
        return None;
    }
    let provider = Provider::start();
    let dist = TempDir::new(&format!("oidc-dist-{name}"));
    let data = TempDir::new(&format!("oidc-data-{name}"));
    for code in universities {
        add_university(&data.0, code);
    }
    let served = if universities.is_empty() {
        String::new()
    } else {
        format!("universities = {universities:?}\n")
    };
    let config = format!(
        "[[oidc.providers]]\nid = \"university\"\nname_fa = \"دانشگاه آزمون\"\n\
         name_en = \"Test university\"\nissuer = \"{}\"\nclient_id = \"pishkhan\"\n\
         client_secret = \"{secret}\"\nscopes = [\"openid\", \"pishkhan\"]\n\
         redirect_base = \"{PUBLIC}\"\nprocesses = [\"withdrawal\", \"clearance\"]\n{served}\n\
         [oidc.providers.claims]\n{claims}",
        provider.issuer
    );
    data.write("pishkhan.toml", config.as_bytes());
    let log = data.0.join("server.log");
    let config = data.0.join("pishkhan.toml");
    let mut all = vec!["--config", config.to_str().unwrap()];
    all.extend_from_slice(args);
    let server = common::serve_logging(
        &dist.0,
        &data.0,
        &all,
        std::fs::File::create(&log).unwrap().into(),
    );
    Some(Setup {
        server,
        provider,
        data,
        log,
        _dist: dist,
    })
}

/// `pishkhan university add --code <code>` on this data directory's database.
fn add_university(data: &Path, code: &str) {
    let (name_fa, name_en) = (format!("دانشگاه {code}"), format!("University {code}"));
    let more = ["--code", code, "--name-fa", &name_fa, "--name-en", &name_en];
    common::pishkhan_ok(data, &["university", "add"], &more);
}

/// A client that follows no redirect (the server's answers are checked as they are).
fn api() -> Client {
    Client::builder().redirect(Policy::none()).build().unwrap()
}

/// A browser at the provider: cookies kept, redirects followed until one leaves for Pishkhan.
fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::custom(|attempt| {
            if attempt.url().as_str().starts_with(PUBLIC) {
                attempt.stop()
            } else {
                attempt.follow()
            }
        }))
        .build()
        .unwrap()
}

fn body(answer: Response) -> Value {
    answer.json().unwrap()
}

/// The redirect's target.
fn location(answer: &Response) -> String {
    answer.headers()[LOCATION].to_str().unwrap().to_owned()
}

fn query(url: &str, name: &str) -> Option<String> {
    reqwest::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

impl Setup {
    /// `GET …/start`: the server's answer.
    fn start(&self, provider: &str, return_to: &str) -> Response {
        self.start_query(provider, &[("return_to", return_to)])
    }

    /// `GET …/start` with this query.
    fn start_query(&self, provider: &str, query: &[(&str, &str)]) -> Response {
        api()
            .get(format!(
                "{}/api/v1/signin/oidc/{provider}/start",
                self.server.base
            ))
            .query(query)
            .send()
            .unwrap()
    }

    /// Starts a sign-in and opens the provider's login page in `browser`: the authorization URL
    /// and the login form's URL.
    fn to_login_page(&self, browser: &Client) -> (String, reqwest::Url) {
        let started = self.start("university", "/requests/new?kind=withdrawal");
        self.login_page_of(browser, &started)
    }

    /// Follows a start's redirect to the provider's login page in `browser`: the authorization
    /// URL and the login form's URL.
    fn login_page_of(&self, browser: &Client, started: &Response) -> (String, reqwest::Url) {
        assert_eq!(started.status(), 303);
        let auth = location(started);
        assert!(
            auth.starts_with(&format!("{}/auth?", self.provider.issuer)),
            "{auth}"
        );
        let page = browser.get(&auth).send().unwrap();
        assert_eq!(page.status(), 200);
        let form = page.url().clone();
        assert!(form.path().starts_with("/interaction/"), "{form}");
        (auth, form)
    }

    /// Signs `user` in at the provider: the callback URL it sends the browser to, on the
    /// server's real socket.
    fn sign_in(&self, user: &str) -> String {
        self.sign_in_with(&browser(), user)
    }

    /// [`Setup::sign_in`] in this browser (which keeps the provider's session).
    fn sign_in_with(&self, browser: &Client, user: &str) -> String {
        let (_auth, form) = self.to_login_page(browser);
        let back = browser
            .post(form)
            .form(&[("prompt", "login"), ("login", user), ("password", "any")])
            .send()
            .unwrap();
        assert!(back.status().is_redirection(), "{}", back.status());
        self.on_server(&location(&back))
    }

    /// Signs `user` in through the provider and the callback: the person session's cookie
    /// (`pishkhan_person=…`) and `GET /api/v1/signin/me`'s answer.
    fn person_session(&self, browser: &Client, user: &str) -> (String, Value) {
        let signed_in = api().get(self.sign_in_with(browser, user)).send().unwrap();
        assert_eq!(signed_in.status(), 303, "{}", self.log());
        let cookie = person_cookie(&signed_in);
        (cookie.clone(), self.me(&cookie))
    }

    /// `GET /api/v1/signin/me` with this cookie (200 expected).
    fn me(&self, cookie: &str) -> Value {
        let me = api()
            .get(format!("{}/api/v1/signin/me", self.server.base))
            .header("cookie", cookie)
            .send()
            .unwrap();
        assert_eq!(me.status(), 200);
        body(me)
    }

    /// A URL the provider sent to Pishkhan's public origin, on the test server's socket.
    fn on_server(&self, url: &str) -> String {
        let callback = format!("{PUBLIC}/api/v1/signin/oidc/callback?");
        assert!(url.starts_with(&callback), "{url}");
        url.replacen(PUBLIC, &self.server.base, 1)
    }

    /// `consumed_at` of every stored sign-in, and their hashed states.
    fn logins(&self) -> Vec<(String, Option<i64>, i64)> {
        let number = |v: &Option<String>| v.as_deref().map(|n| n.parse::<i64>().unwrap());
        common::rows(
            &self.data.0,
            "SELECT state_sha256, consumed_at, expires_at FROM oidc_logins",
        )
        .iter()
        .map(|r| (r[0].clone().unwrap(), number(&r[1]), number(&r[2]).unwrap()))
        .collect()
    }

    /// Makes every stored sign-in expired (as if ten minutes had passed).
    fn expire_logins(&self) {
        common::sql(
            &self.data.0,
            "UPDATE oidc_logins SET expires_at = created_at - 1",
        );
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap()
    }
}

/// The `pishkhan_person=<token>` of an answer's `Set-Cookie`, checked: HttpOnly, SameSite=Lax,
/// Path=/api, 30 minutes.
fn person_cookie(answer: &Response) -> String {
    let set = answer.headers()["set-cookie"].to_str().unwrap();
    for part in ["HttpOnly", "SameSite=Lax", "Path=/api", "Max-Age=1800"] {
        assert!(set.split("; ").any(|p| p == part), "{part} in {set}");
    }
    let cookie = set.split(';').next().unwrap();
    assert!(
        cookie.starts_with("pishkhan_person=") && cookie.len() > 30,
        "{set}"
    );
    cookie.to_owned()
}

/// A refusal: its status, and its body's code and field.
fn refused(answer: Response) -> (u16, String, String, String) {
    let status = answer.status().as_u16();
    let b = body(answer);
    (
        status,
        b["error"]["code"].as_str().unwrap_or_default().to_owned(),
        b["error"]["field"].as_str().unwrap_or_default().to_owned(),
        b["error"]["message_en"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[test]
fn the_code_flow_signs_in_once() {
    let Some(s) = setup("flow", SECRET) else {
        return;
    };
    let browser = browser();
    let (auth, form) = s.to_login_page(&browser);
    // Authorization Code with PKCE S256, a state and a nonce, to the configured redirect URI.
    assert_eq!(query(&auth, "response_type").as_deref(), Some("code"));
    assert_eq!(
        query(&auth, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert!(query(&auth, "code_challenge").is_some_and(|c| c.len() == 43));
    assert!(query(&auth, "nonce").is_some_and(|n| n.len() >= 16));
    let state = query(&auth, "state").unwrap();
    assert_eq!(
        query(&auth, "redirect_uri").unwrap(),
        format!("{PUBLIC}/api/v1/signin/oidc/callback")
    );
    assert_eq!(query(&auth, "scope").as_deref(), Some("openid pishkhan"));
    // Stored by its SHA-256 only, unused, for ten minutes.
    let stored = s.logins();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].0, server::hex(&Sha256::digest(state.as_bytes())));
    assert_eq!(stored[0].1, None);

    let back = browser
        .post(form)
        .form(&[
            ("prompt", "login"),
            ("login", "student"),
            ("password", "any"),
        ])
        .send()
        .unwrap();
    let callback = s.on_server(&location(&back));
    assert_eq!(query(&callback, "state").as_deref(), Some(state.as_str()));
    let signed_in = api().get(&callback).send().unwrap();
    assert_eq!(signed_in.status(), 303, "{}", s.log());
    // Back where the sign-in started, nothing personal in the URL, signed in.
    assert_eq!(location(&signed_in), "/requests/new?kind=withdrawal");
    assert_eq!(signed_in.headers()["cache-control"], "no-store");
    let me = s.me(&person_cookie(&signed_in));
    let person = &me["person"];
    assert!(person["expires_at"]["utc"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        person,
        &json!({"national_id": "0084575948", "student_number": "98123456",
                "mobile_masked": "0912***4567", "source": "oidc", "provider": "university",
                "expires_at": person["expires_at"]}),
        "the token's claims; no roster here"
    );
    assert!(me["csrf_token"].as_str().unwrap().len() >= 40);
    // The sign-in was logged without any personal data.
    assert!(s.logins()[0].1.is_some(), "the sign-in is consumed");
    let log = s.log();
    assert!(
        log.contains("sign-in verified") && log.contains("university"),
        "{log}"
    );
    for personal in ["0084575948", "98123456", "9121234567"] {
        assert!(!log.contains(personal), "{personal} in the log:\n{log}");
    }

    // The same callback again: the state was used.
    let (status, code, field, message) = refused(api().get(&callback).send().unwrap());
    assert_eq!(
        (status, code.as_str(), field.as_str()),
        (400, "BAD_STATE", "state")
    );
    assert!(message.contains("already used"), "{message}");
    assert_eq!(s.log().matches("sign-in verified").count(), 1);
}

#[test]
fn states_not_issued_or_expired_are_refused() {
    let Some(s) = setup("states", SECRET) else {
        return;
    };
    let c = api();
    let callback = format!("{}/api/v1/signin/oidc/callback", s.server.base);
    let (status, code, field, message) = refused(
        c.get(&callback)
            .query(&[("state", "never-issued"), ("code", "x")])
            .send()
            .unwrap(),
    );
    assert_eq!(
        (status, code.as_str(), field.as_str()),
        (400, "BAD_STATE", "state")
    );
    assert!(message.contains("unknown"), "{message}");
    let (status, _, field, _) = refused(c.get(&callback).query(&[("code", "x")]).send().unwrap());
    assert_eq!((status, field.as_str()), (422, "state"));
    let (status, _, field, _) = refused(c.get(&callback).query(&[("state", "s")]).send().unwrap());
    assert_eq!((status, field.as_str()), (422, "code"));

    // A real sign-in whose ten minutes are over.
    let browser = browser();
    let (auth, form) = s.to_login_page(&browser);
    s.expire_logins();
    let back = browser
        .post(form)
        .form(&[
            ("prompt", "login"),
            ("login", "student"),
            ("password", "any"),
        ])
        .send()
        .unwrap();
    let late = s.on_server(&location(&back));
    assert_eq!(query(&late, "state"), query(&auth, "state"));
    let (status, code, field, message) = refused(c.get(&late).send().unwrap());
    assert_eq!(
        (status, code.as_str(), field.as_str()),
        (400, "BAD_STATE", "state")
    );
    assert!(message.contains("expired"), "{message}");
    assert!(!s.log().contains("sign-in verified"));
}

#[test]
fn return_to_must_be_a_path_of_this_site_and_the_provider_configured() {
    let Some(s) = setup("return-to", SECRET) else {
        return;
    };
    for bad in [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "evil.example",
    ] {
        let (status, code, field, _) = refused(s.start("university", bad));
        assert_eq!(
            (status, code.as_str(), field.as_str()),
            (422, "INVALID_INPUT", "return_to"),
            "{bad}"
        );
    }
    let (status, code, field, _) = refused(s.start("elsewhere", "/"));
    assert_eq!(
        (status, code.as_str(), field.as_str()),
        (404, "NOT_FOUND", "provider")
    );
    // Nothing was stored for the refused starts.
    assert!(s.logins().is_empty());
}

#[test]
fn a_wrong_client_secret_is_refused() {
    let Some(s) = setup("secret", "not-the-secret") else {
        return;
    };
    let callback = s.sign_in("student");
    let (status, code, field, _) = refused(api().get(&callback).send().unwrap());
    assert_eq!(
        (status, code.as_str(), field.as_str()),
        (502, "PROVIDER_ERROR", "provider")
    );
    assert!(!s.log().contains("sign-in verified"));
}

#[test]
fn an_identity_without_a_valid_national_id_is_refused() {
    let Some(s) = setup("claims", SECRET) else {
        return;
    };
    let (status, code, field, message) =
        refused(api().get(s.sign_in("no-national-id")).send().unwrap());
    assert_eq!(
        (status, code.as_str(), field.as_str()),
        (422, "CLAIM_INVALID", "national_id")
    );
    assert!(
        message.contains("did not send the claim \"national_id\""),
        "{message}"
    );
    let (status, code, field, _) = refused(api().get(s.sign_in("bad-national-id")).send().unwrap());
    assert_eq!(
        (status, code.as_str(), field.as_str()),
        (422, "CLAIM_INVALID", "national_id")
    );
    assert!(!s.log().contains("sign-in verified"));
}

#[test]
fn a_cancelled_sign_in_is_refused_and_its_state_used() {
    let Some(s) = setup("cancel", SECRET) else {
        return;
    };
    let browser = browser();
    let (_auth, form) = s.to_login_page(&browser);
    let abort = browser
        .get(format!("{}/abort", form.as_str().trim_end_matches('/')))
        .send()
        .unwrap();
    let callback = s.on_server(&location(&abort));
    assert_eq!(query(&callback, "error").as_deref(), Some("access_denied"));
    let (status, code, field, _) = refused(api().get(&callback).send().unwrap());
    assert_eq!(
        (status, code.as_str(), field.as_str()),
        (400, "SIGNIN_CANCELLED", "error")
    );
    let (status, _, field, _) = refused(api().get(&callback).send().unwrap());
    assert_eq!((status, field.as_str()), (400, "state"));
}

#[test]
fn the_roster_fills_in_what_the_token_lacks_and_the_token_wins() {
    // A national provider: the national ID alone; the demo roster has the student (README).
    let Some(s) = setup_with("fill-in", SECRET, NATIONAL_ID_ONLY, &["--demo-users"]) else {
        return;
    };
    let (_, me) = s.person_session(&browser(), "student");
    let person = &me["person"];
    assert_eq!(
        person,
        &json!({"national_id": "0084575948", "student_number": "810199123",
                "faculty": "دانشکده فنی", "level": "bachelor_continuous",
                "mobile_masked": "0912***4567", "source": "oidc", "provider": "university",
                "expires_at": person["expires_at"],
                // The roster row's university: the one a withdrawal or clearance is filed at.
                "university": {"code": "default", "name_fa": "دانشگاه نمونه",
                               "name_en": "Sample university"}})
    );
    // The university's provider: its student number wins over the roster's; the faculty and
    // level, which no token carries, are the roster's.
    let Some(s) = setup_with("token-wins", SECRET, ALL_CLAIMS, &["--demo-users"]) else {
        return;
    };
    let (_, me) = s.person_session(&browser(), "student");
    assert_eq!(me["person"]["student_number"], "98123456");
    assert_eq!(me["person"]["faculty"], "دانشکده فنی");
    assert_eq!(me["person"]["level"], "bachelor_continuous");
    for personal in ["0084575948", "98123456", "810199123", "9121234567"] {
        assert!(!s.log().contains(personal), "{personal} in the log");
    }
}

#[test]
fn a_fresh_sign_in_makes_the_provider_ask_again() {
    let Some(s) = setup("fresh", SECRET) else {
        return;
    };
    let browser = browser();
    s.person_session(&browser, "student");
    // The provider remembers the person: a new sign-in comes straight back, no login form.
    let again = s.start("university", "/");
    let back = browser.get(location(&again)).send().unwrap();
    assert!(back.status().is_redirection(), "{}", back.status());
    let callback = s.on_server(&location(&back));
    assert_eq!(api().get(&callback).send().unwrap().status(), 303);
    // At a kiosk (fresh=true) it asks again: prompt=login, max_age=0.
    let fresh = s.start_query("university", &[("return_to", "/"), ("fresh", "true")]);
    let (auth, _form) = s.login_page_of(&browser, &fresh);
    assert_eq!(query(&auth, "prompt").as_deref(), Some("login"));
    assert_eq!(query(&auth, "max_age").as_deref(), Some("0"));
    let plain = location(&s.start_query("university", &[("fresh", "false")]));
    assert_eq!(
        (query(&plain, "prompt"), query(&plain, "max_age")),
        (None, None)
    );
}

#[test]
fn sign_out_ends_the_session_and_hands_back_the_providers_end_session_url() {
    let Some(s) = setup("logout", SECRET) else {
        return;
    };
    let browser = browser();
    let (cookie, me) = s.person_session(&browser, "student");
    let out = api()
        .post(format!("{}/api/v1/signin/logout", s.server.base))
        .header("cookie", &cookie)
        .header("x-csrf-token", me["csrf_token"].as_str().unwrap())
        .send()
        .unwrap();
    assert_eq!(out.status(), 200);
    let cleared = out.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cleared.starts_with("pishkhan_person=;") && cleared.contains("Max-Age=0"));
    let end = body(out)["end_session_url"].as_str().unwrap().to_owned();
    // The provider's discovered end_session_endpoint, with this client and the start page to
    // come back to; never the ID token (it names the person, and URLs stay in the history).
    assert!(
        end.starts_with(&format!("{}/session/end?", s.provider.issuer)),
        "{end}"
    );
    assert_eq!(query(&end, "client_id").as_deref(), Some("pishkhan"));
    assert_eq!(
        query(&end, "post_logout_redirect_uri").unwrap(),
        format!("{PUBLIC}/")
    );
    assert_eq!(query(&end, "id_token_hint"), None);
    assert!(!end.contains("0084575948"), "{end}");
    // The session is over here.
    let me = api()
        .get(format!("{}/api/v1/signin/me", s.server.base))
        .header("cookie", &cookie)
        .send()
        .unwrap();
    assert_eq!(me.status(), 401);
    // The provider accepts it: its sign-out page, then, confirmed, back to Pishkhan's start page.
    let page = browser.get(&end).send().unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().unwrap();
    let xsrf = html
        .split("name=\"xsrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no sign-out form: {html}"));
    let done = browser
        .post(format!("{}/session/end/confirm", s.provider.issuer))
        .form(&[("xsrf", xsrf), ("logout", "yes")])
        .send()
        .unwrap();
    assert!(done.status().is_redirection(), "{}", done.status());
    assert_eq!(location(&done), format!("{PUBLIC}/"));
    // The provider's session is gone: a sign-in asks for the login form again.
    s.to_login_page(&browser);
}

#[test]
fn the_methods_name_the_configured_provider() {
    let Some(s) = setup("methods", SECRET) else {
        return;
    };
    let methods = api()
        .get(format!("{}/api/v1/signin/methods", s.server.base))
        .send()
        .unwrap();
    assert_eq!(methods.status(), 200);
    assert_eq!(
        body(methods),
        json!({"roster": false, "providers": [{"id": "university", "name_fa": "دانشگاه آزمون",
               "name_en": "Test university", "processes": ["withdrawal", "clearance"]}]})
    );
}

/// `GET /api/v1/signin/methods` with this query: status and body.
fn methods(s: &Setup, query: &[(&str, &str)]) -> (u16, Value) {
    let a = api()
        .get(format!("{}/api/v1/signin/methods", s.server.base))
        .query(query)
        .send()
        .unwrap();
    (a.status().as_u16(), body(a))
}

/// A university's own provider: the methods offer it to that university's people only (and say
/// which universities it serves); a person it signs in whom no roster places files a
/// withdrawal at that university.
#[test]
fn a_universitys_own_provider_serves_it_and_files_its_strangers_there() {
    let Some(s) = setup_at("own-provider", SECRET, ALL_CLAIMS, &["b"], &[]) else {
        return;
    };
    let entry = json!({"id": "university", "name_fa": "دانشگاه آزمون",
                       "name_en": "Test university", "processes": ["withdrawal", "clearance"],
                       "universities": ["b"]});
    assert_eq!(
        methods(&s, &[]),
        (200, json!({"roster": false, "providers": [entry]}))
    );
    assert_eq!(
        methods(&s, &[("university", "b")]),
        (200, json!({"roster": false, "providers": [entry]}))
    );
    assert_eq!(
        methods(&s, &[("university", "default")]),
        (200, json!({"roster": false, "providers": []}))
    );
    let (status, unknown) = methods(&s, &[("university", "nowhere")]);
    assert_eq!(
        (status, &unknown["error"]["field"]),
        (422, &json!("university"))
    );
    // "student" is on no roster: the withdrawal is filed at the provider's university.
    let (cookie, me) = s.person_session(&browser(), "student");
    let me = common::PersonSession {
        cookie,
        csrf: me["csrf_token"].as_str().unwrap().to_owned(),
    };
    let c = submit::client();
    let form = submit::upload(&c, &s.server.base, &me, b"%PDF-1.4\nform".to_vec());
    let mut body = submit::withdrawal(&form.body);
    body["national_id"] = json!("0084575948");
    let filed = submit::submit(
        &c,
        &s.server.base,
        Some(&me),
        Some(&submit::new_key()),
        &body.to_string(),
    )
    .unwrap();
    assert_eq!(filed.status, 201, "{}", filed.body);
    let digits: String = filed.body["tracking_code"]
        .as_str()
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let at = common::rows(
        &s.data.0,
        &format!(
            "SELECT u.code FROM requests r JOIN universities u ON u.id = r.university_id \
             WHERE r.tracking_code = '{digits}'"
        ),
    );
    assert_eq!(at[0][0].as_deref(), Some("b"));
}

/// A provider limited to a university no one added stops the start, naming the provider, the
/// key and the code (the universities are read from the database, so this is checked at start).
#[test]
fn a_provider_of_an_unknown_university_stops_the_start() {
    let dist = TempDir::new("oidc-dist-unknown-university");
    let data = TempDir::new("oidc-data-unknown-university");
    add_university(&data.0, "b");
    let config = format!(
        "[[oidc.providers]]\nid = \"campus\"\nissuer = \"https://sso.example\"\n\
         client_id = \"pishkhan\"\nclient_secret = \"{SECRET}\"\n\
         redirect_base = \"{PUBLIC}\"\nprocesses = [\"withdrawal\"]\n\
         universities = [\"b\", \"nowhere\"]\n"
    );
    data.write("pishkhan.toml", config.as_bytes());
    let mut serve = common::pishkhan(&data.0);
    serve
        .args(["serve", "--addr", "127.0.0.1:0", "--dist"])
        .arg(&dist.0)
        .arg("--data-dir")
        .arg(&data.0)
        .arg("--config")
        .arg(data.0.join("pishkhan.toml"));
    if let Some(url) = common::database_url(&data.0) {
        serve.arg("--database").arg(url);
    }
    let mut child = serve
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("pishkhan serve kept running with a provider of an unknown university");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(!status.success());
    assert!(
        stderr.contains("campus") && stderr.contains("universities") && stderr.contains("nowhere"),
        "{stderr}"
    );
}

#[test]
fn a_withdrawal_is_filed_under_the_tokens_identity() {
    let Some(s) = setup("filing", SECRET) else {
        return;
    };
    let (cookie, me) = s.person_session(&browser(), "student");
    let me = common::PersonSession {
        cookie,
        csrf: me["csrf_token"].as_str().unwrap().to_owned(),
    };
    let c = submit::client();
    let form = submit::upload(&c, &s.server.base, &me, b"%PDF-1.4\nform".to_vec());
    // The token's national ID and student number (in Persian digits), another mobile: the
    // token's.
    let mut body = submit::withdrawal(&form.body);
    body["national_id"] = json!("0084575948");
    body["mobile"] = json!("09359999999");
    let key = submit::new_key();
    let filed =
        submit::submit(&c, &s.server.base, Some(&me), Some(&key), &body.to_string()).unwrap();
    assert_eq!(filed.status, 201, "{}", filed.body);
    let code = filed.body["tracking_code"].as_str().unwrap();
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    let row = common::rows(
        &s.data.0,
        &format!("SELECT national_id, mobile, body FROM requests WHERE tracking_code = '{digits}'"),
    )
    .remove(0);
    assert_eq!(row[0].as_deref(), Some("0084575948"));
    assert_eq!(row[1].as_deref(), Some("09121234567"));
    let stored: Value = serde_json::from_str(row[2].as_deref().unwrap()).unwrap();
    assert_eq!(stored["answers"]["student_number"], "98123456");
    // Another student number than the token's is refused.
    let mut theirs = submit::withdrawal(&form.body);
    theirs["national_id"] = json!("0084575948");
    theirs["answers"]["student_number"] = json!("98123457");
    let refused = submit::submit(
        &c,
        &s.server.base,
        Some(&me),
        Some(&submit::new_key()),
        &theirs.to_string(),
    )
    .unwrap();
    assert_eq!((refused.status, refused.code()), (403, "NOT_YOUR_REQUEST"));
    assert_eq!(refused.body["error"]["field"], "student_number");
    // The university's sign-in does not serve the exemption (a national process): refused,
    // nothing stored.
    let before = common::count(&s.data.0, "SELECT COUNT(*) FROM requests");
    let exemption = submit::submit(
        &c,
        &s.server.base,
        Some(&me),
        Some(&submit::new_key()),
        &submit::exemption().to_string(),
    )
    .unwrap();
    assert_eq!(
        (exemption.status, exemption.code()),
        (403, "SIGN_IN_NOT_FOR_THIS_REQUEST"),
        "{}",
        exemption.body
    );
    assert_eq!(exemption.body["error"]["field"], "kind");
    assert_eq!(
        common::count(&s.data.0, "SELECT COUNT(*) FROM requests"),
        before
    );
}
