//! The real SMS gateways (docs/sms.md) driven through the real `pishkhan serve` with a
//! `pishkhan.toml` `[sms]` section, against stand-ins on loopback ports started here (axum):
//! one speaking Kavenegar's documented REST protocol (`sms/send.json`, `verify/lookup.json`,
//! `sms/status.json`: form bodies, the key in the path, `return.status` and `entries`), and a
//! webhook receiver that checks the HMAC-SHA256 signature. Sent (with the provider's id and the
//! delivery status polled), a timeout retried and then sent, a transient error retried with
//! backoff, a permanent one given up and never retried, a one-time code sent through the
//! verification template, and the webhook signed (a receiver with another secret refusing).
//! Messages are queued as a move queues them (a row in the outbox), the code by the API.

mod common;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Form, Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use common::{Server, TempDir};
use serde_json::{json, Value};

const KEY: &str = "Test-Kavenegar-Key_0123456789=";
const SENDER: &str = "10004346";
const TEMPLATE: &str = "pishkhan-code";
const WEBHOOK_SECRET: &str = "a-webhook-secret-of-at-least-32-characters";
/// The demo roster's first person (national ID, mobile).
const ALI: (&str, &str) = ("0123456789", "09120000001");

/// Runs an axum router on a free loopback port in a thread of its own; its address.
fn spawn(router: Router) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, router).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// What the Kavenegar stand-in does with a call.
#[derive(Clone, Copy, Debug)]
enum Behave {
    /// Answers after this long (longer than the server's timeout: it gives up waiting).
    Stall(Duration),
    /// Answers with this `return.status` (and the same HTTP status, as Kavenegar does).
    Status(i64),
}

/// One call the stand-in received.
#[derive(Clone, Debug)]
struct Call {
    method: String,
    key: String,
    form: HashMap<String, String>,
}

#[derive(Default)]
struct Kave {
    calls: Vec<Call>,
    /// Scripted answers per receptor, taken in order; none left: success.
    script: HashMap<String, VecDeque<Behave>>,
    /// Every call for this receptor answers this status until cleared.
    failing: HashMap<String, i64>,
    /// message id → receptor.
    sent: HashMap<i64, String>,
    /// Status polls per message id.
    polls: HashMap<i64, u32>,
    /// The final delivery status per receptor (default 10, delivered).
    delivery: HashMap<String, i64>,
    next_id: i64,
}

type Shared = Arc<Mutex<Kave>>;

fn kavenegar_answer(status: i64, entries: Vec<Value>) -> Response {
    let body = json!({"return": {"status": status, "message": "stand-in"}, "entries": entries});
    (
        StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK),
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// `POST /v1/{key}/{method}.json`, as Kavenegar's REST documentation describes it.
async fn kavenegar(
    State(state): State<Shared>,
    UrlPath((key, group, method)): UrlPath<(String, String, String)>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let method = format!("{group}/{}", method.trim_end_matches(".json"));
    let behave = {
        let mut k = state.lock().unwrap();
        k.calls.push(Call {
            method: method.clone(),
            key: key.clone(),
            form: form.clone(),
        });
        if key != KEY {
            return kavenegar_answer(403, vec![]);
        }
        let receptor = form.get("receptor").cloned().unwrap_or_default();
        match k.failing.get(&receptor) {
            Some(status) => Some(Behave::Status(*status)),
            None => k.script.get_mut(&receptor).and_then(VecDeque::pop_front),
        }
    };
    match behave {
        Some(Behave::Stall(d)) => tokio::time::sleep(d).await,
        Some(Behave::Status(s)) => return kavenegar_answer(s, vec![]),
        None => {}
    }
    let mut k = state.lock().unwrap();
    match method.as_str() {
        "sms/send" | "verify/lookup" => {
            let needed: &[&str] = if method == "sms/send" {
                &["receptor", "sender", "message"]
            } else {
                &["receptor", "token", "template"]
            };
            if needed
                .iter()
                .any(|f| form.get(*f).is_none_or(String::is_empty))
            {
                return kavenegar_answer(406, vec![]);
            }
            k.next_id += 1;
            let id = 8_792_000 + k.next_id;
            let receptor = form["receptor"].clone();
            k.sent.insert(id, receptor.clone());
            kavenegar_answer(
                200,
                vec![
                    json!({"messageid": id, "message": form.get("message"), "status": 1,
                            "statustext": "در صف ارسال", "sender": SENDER,
                            "receptor": receptor, "date": 1_356_619_709, "cost": 120}),
                ],
            )
        }
        "sms/status" => {
            let ids: Vec<i64> = form
                .get("messageid")
                .map(|s| s.split(',').filter_map(|i| i.parse().ok()).collect())
                .unwrap_or_default();
            let entries = ids
                .into_iter()
                .map(|id| {
                    let polls = {
                        let p = k.polls.entry(id).or_default();
                        *p += 1;
                        *p
                    };
                    // First asked: with the operator (4); then its final status.
                    let status = match k.sent.get(&id) {
                        None => 100,
                        Some(_) if polls == 1 => 4,
                        Some(r) => k.delivery.get(r).copied().unwrap_or(10),
                    };
                    json!({"messageid": id, "status": status, "statustext": "stand-in"})
                })
                .collect();
            kavenegar_answer(200, entries)
        }
        _ => kavenegar_answer(404, vec![]),
    }
}

fn kavenegar_stand_in() -> (SocketAddr, Shared) {
    let state: Shared = Arc::default();
    let router = Router::new()
        .route("/v1/{key}/{group}/{method}", post(kavenegar))
        .with_state(state.clone());
    (spawn(router), state)
}

/// A server whose `[sms]` is `section`, the demo users and roster in, its log in `log.txt`.
struct Setup {
    server: Server,
    config: TempDir,
    _dist: TempDir,
    _data: TempDir,
}

impl Setup {
    fn new(name: &str, section: &str, files: &[(&str, &str)]) -> Setup {
        let config = TempDir::new(&format!("sms-config-{name}"));
        for (file, text) in files {
            config.write(file, text.as_bytes());
        }
        config.write("pishkhan.toml", section.as_bytes());
        let dist = TempDir::new(&format!("sms-dist-{name}"));
        let data = TempDir::new(&format!("sms-data-{name}"));
        let log = std::fs::File::create(config.0.join("log.txt")).unwrap();
        let toml = config.0.join("pishkhan.toml");
        let server = common::serve_logging(
            &dist.0,
            &data.0,
            &["--demo-users", "--config", toml.to_str().unwrap()],
            Stdio::from(log),
        );
        Setup {
            server,
            config,
            _dist: dist,
            _data: data,
        }
    }

    fn kavenegar(name: &str, addr: SocketAddr, extra: &str) -> Setup {
        Setup::new(
            name,
            &format!(
                "[sms]\nprovider = \"kavenegar\"\napi_key_file = \"kavenegar.key\"\n\
                 sender = \"{SENDER}\"\nverify_template = \"{TEMPLATE}\"\n\
                 base_url = \"http://{addr}\"\ntimeout_seconds = 1\nretry_base_seconds = 1\n\
                 status_poll_seconds = 1\n{extra}"
            ),
            &[("kavenegar.key", &format!("{KEY}\n"))],
        )
    }

    fn data(&self) -> &Path {
        &self.server.data_dir
    }

    /// Queues a text to `mobile` as a move does; its row id.
    fn queue(&self, mobile: &str, text: &str) -> i64 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        common::sql(
            self.data(),
            &format!(
                "INSERT INTO notifications (request_id, kind, mobile, message_fa, message_en, \
                 created_at) VALUES (NULL, 'state_changed', '{mobile}', '{text}', 'text', {now})"
            ),
        );
        common::count(
            self.data(),
            &format!("SELECT MAX(id) FROM notifications WHERE mobile = '{mobile}'"),
        )
    }

    /// The outbox row's columns by name.
    fn row(&self, id: i64) -> HashMap<&'static str, Option<String>> {
        const COLUMNS: [&str; 9] = [
            "sent_at",
            "attempts",
            "last_error",
            "next_attempt_at",
            "last_attempt_at",
            "gave_up_at",
            "provider_id",
            "delivery",
            "secret",
        ];
        let values = common::rows(
            self.data(),
            &format!(
                "SELECT {} FROM notifications WHERE id = {id}",
                COLUMNS.join(", ")
            ),
        )
        .remove(0);
        COLUMNS.into_iter().zip(values).collect()
    }

    /// Waits (at most 30 s) until the row satisfies `done`; the row.
    fn wait_row(
        &self,
        id: i64,
        what: &str,
        done: impl Fn(&HashMap<&'static str, Option<String>>) -> bool,
    ) -> HashMap<&'static str, Option<String>> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let row = self.row(id);
            if done(&row) {
                return row;
            }
            assert!(Instant::now() < deadline, "{what}: {row:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The server's log so far.
    fn log(&self) -> String {
        std::fs::read_to_string(self.config.0.join("log.txt")).unwrap()
    }
}

fn set(row: &HashMap<&'static str, Option<String>>, column: &str) -> bool {
    row[column].is_some()
}

fn number(row: &HashMap<&'static str, Option<String>>, column: &str) -> i64 {
    row[column]
        .as_deref()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{column} is a number: {row:?}"))
}

/// The stand-in answers every send to `receptor` with the Kavenegar status `status`.
fn fails(state: &Shared, receptor: &str, status: i64) {
    state
        .lock()
        .unwrap()
        .failing
        .insert(receptor.into(), status);
}

fn calls_to(state: &Shared, receptor: &str) -> Vec<Call> {
    state
        .lock()
        .unwrap()
        .calls
        .iter()
        .filter(|c| c.form.get("receptor").map(String::as_str) == Some(receptor))
        .cloned()
        .collect()
}

#[test]
fn a_text_is_sent_with_its_message_id_and_its_delivery_status_recorded() {
    let (addr, kave) = kavenegar_stand_in();
    kave.lock()
        .unwrap()
        .delivery
        .insert("09120000099".into(), 11);
    let s = Setup::kavenegar("sent", addr, "");
    let delivered = s.queue("09120000088", "درخواست شما بررسی شد");
    let undelivered = s.queue("09120000099", "پیام دوم");

    let row = s.wait_row(delivered, "delivered", |r| {
        r["delivery"].as_deref() == Some("delivered")
    });
    assert_eq!(number(&row, "attempts"), 1);
    assert!(set(&row, "sent_at") && !set(&row, "last_error") && !set(&row, "gave_up_at"));
    let calls = calls_to(&kave, "09120000088");
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].method, "sms/send");
    assert_eq!(calls[0].key, KEY);
    assert_eq!(calls[0].form["sender"], SENDER);
    assert_eq!(calls[0].form["message"], "درخواست شما بررسی شد");
    // The stand-in's message id is the row's provider id.
    let id = *kave
        .lock()
        .unwrap()
        .sent
        .iter()
        .find(|(_, r)| *r == "09120000088")
        .unwrap()
        .0;
    assert_eq!(row["provider_id"].as_deref(), Some(id.to_string().as_str()));
    // It was asked about until its status was final: with the operator first, then delivered.
    let polls = kave.lock().unwrap().polls[&id];
    assert!(polls >= 2, "{polls}");

    s.wait_row(undelivered, "undelivered", |r| {
        r["delivery"].as_deref() == Some("undelivered")
    });

    // The admin's SMS log shows the status.
    let staff = common::staff_login(&s.server.base, "admin", "pishkhan-demo");
    let log: Value = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/admin/notifications", s.server.base))
        .header("cookie", &staff.cookie)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let listed = |id: i64| {
        log["notifications"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(listed(delivered)["delivery"], "delivered");
    assert_eq!(listed(undelivered)["delivery"], "undelivered");

    // Never a key, a mobile or a text in the server's log.
    let text = s.log();
    for secret in [KEY, "09120000088", "درخواست شما", "/sms/send"] {
        assert!(!text.contains(secret), "{secret:?} in the log");
    }
}

#[test]
fn a_timeout_is_retried_and_the_message_sent_once_the_provider_answers() {
    let (addr, kave) = kavenegar_stand_in();
    kave.lock().unwrap().script.insert(
        "09120000077".into(),
        VecDeque::from([Behave::Stall(Duration::from_secs(4))]),
    );
    let s = Setup::kavenegar("timeout", addr, "");
    let id = s.queue("09120000077", "پیام");
    let sent = s.wait_row(id, "sent after the timeout", |r| set(r, "sent_at"));
    assert_eq!(number(&sent, "attempts"), 2);
    assert!(set(&sent, "provider_id") && !set(&sent, "last_error"));
    // The first attempt's outcome (the row keeps the last one's): a timeout, retried.
    let log = s.log();
    assert!(
        log.contains("kavenegar: timeout") && log.contains("SMS: tried again later"),
        "{log}"
    );
    assert_eq!(calls_to(&kave, "09120000077").len(), 2);
}

#[test]
fn a_transient_error_is_retried_with_backoff_then_sent() {
    let (addr, kave) = kavenegar_stand_in();
    // 409: "the server cannot answer now; try again later".
    fails(&kave, "09120000066", 409);
    let s = Setup::kavenegar("transient", addr, "");
    let id = s.queue("09120000066", "پیام");
    let row = s.wait_row(id, "two failed attempts", |r| {
        r["attempts"].as_deref().and_then(|a| a.parse::<i64>().ok()) >= Some(2)
    });
    let attempts = number(&row, "attempts");
    assert!(row["last_error"].as_deref().unwrap().contains("409"));
    assert!(!set(&row, "sent_at") && !set(&row, "gave_up_at"));
    // The wait doubles: 1 s after the first failure, 2 s after the second, …
    assert_eq!(
        number(&row, "next_attempt_at") - number(&row, "last_attempt_at"),
        1 << (attempts - 1),
        "{row:?}"
    );
    kave.lock().unwrap().failing.clear();
    let sent = s.wait_row(id, "sent once the provider recovers", |r| set(r, "sent_at"));
    assert_eq!(
        number(&sent, "attempts") as usize,
        calls_to(&kave, "09120000066").len()
    );
    assert!(!set(&sent, "last_error"));
}

#[test]
fn a_permanent_error_is_given_up_and_never_retried() {
    let (addr, kave) = kavenegar_stand_in();
    // 411: the receiver's number is invalid.
    fails(&kave, "09120000055", 411);
    let s = Setup::kavenegar("permanent", addr, "");
    let id = s.queue("09120000055", "پیام");
    let row = s.wait_row(id, "given up", |r| set(r, "gave_up_at"));
    assert_eq!(number(&row, "attempts"), 1);
    assert!(row["last_error"].as_deref().unwrap().contains("411"));
    assert!(!set(&row, "sent_at") && !set(&row, "next_attempt_at"));
    // Rounds go on (other messages are sent) well past when a retry would have come (1 s).
    let given_up = Instant::now();
    let mut n = 0;
    while given_up.elapsed() < Duration::from_secs(3) {
        n += 1;
        let other = s.queue(&format!("0912000{:04}", 1000 + n), "پیام دیگر");
        s.wait_row(other, "another message sent", |r| set(r, "sent_at"));
    }
    assert_eq!(calls_to(&kave, "09120000055").len(), 1);
    assert_eq!(number(&s.row(id), "attempts"), 1);
    // A given-up message is erased as a sent one is, 90 days on (docs/retention.md).
    common::sql(
        s.data(),
        &format!("UPDATE notifications SET gave_up_at = gave_up_at - 91 * 86400 WHERE id = {id}"),
    );
    common::pishkhan_ok(s.data(), &["purge"], &[]);
    assert_eq!(
        common::count(
            s.data(),
            &format!("SELECT COUNT(*) FROM notifications WHERE id = {id}")
        ),
        0
    );
}

#[test]
fn a_wrong_api_key_is_given_up() {
    let (addr, kave) = kavenegar_stand_in();
    let s = Setup::new(
        "wrong-key",
        &format!(
            "[sms]\nprovider = \"kavenegar\"\napi_key_file = \"k\"\nsender = \"{SENDER}\"\n\
             base_url = \"http://{addr}\"\nretry_base_seconds = 1\n"
        ),
        &[("k", "Another-Key")],
    );
    let id = s.queue("09120000044", "پیام");
    let row = s.wait_row(id, "given up", |r| set(r, "gave_up_at"));
    assert!(row["last_error"].as_deref().unwrap().contains("403"));
    assert_eq!(calls_to(&kave, "09120000044").len(), 1);
    assert!(!s.log().contains("Another-Key"));
}

#[test]
fn a_one_time_code_is_sent_through_the_verification_template() {
    let (addr, kave) = kavenegar_stand_in();
    let s = Setup::kavenegar("code", addr, "");
    let client = reqwest::blocking::Client::new();
    let post = |path: &str, body: Value| {
        client
            .post(format!("{}{path}", s.server.base))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .unwrap()
    };
    assert_eq!(
        post("/api/v1/signin/code", json!({"national_id": ALI.0})).status(),
        202
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    let call = loop {
        if let Some(c) = calls_to(&kave, ALI.1).pop() {
            break c;
        }
        assert!(Instant::now() < deadline, "no code sent");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(call.method, "verify/lookup");
    assert_eq!(call.form["template"], TEMPLATE);
    let token = call.form["token"].clone();
    assert!(
        token.len() == 6 && token.bytes().all(|b| b.is_ascii_digit()),
        "{token}"
    );
    // The token is the code: it signs the person in.
    let verified = post(
        "/api/v1/signin/verify",
        json!({"national_id": ALI.0, "code": token}),
    );
    assert_eq!(verified.status(), 200);
    // Sent: the digits are gone from the outbox.
    let id = common::count(
        s.data(),
        "SELECT MAX(id) FROM notifications WHERE kind = 'one_time_code'",
    );
    let row = s.wait_row(id, "the code sent", |r| set(r, "sent_at"));
    assert!(!set(&row, "secret"));
    assert!(!s.log().contains(&token));
}

/// A webhook receiver with its secret: 200 for a fresh, correctly signed body (kept), 401 else.
fn webhook_receiver(secret: &'static str) -> (SocketAddr, Arc<Mutex<Vec<Value>>>) {
    webhook_receiver_failing(secret, 0)
}

/// [`webhook_receiver`] answering its first `fail_first` correctly signed calls 503.
fn webhook_receiver_failing(
    secret: &'static str,
    fail_first: usize,
) -> (SocketAddr, Arc<Mutex<Vec<Value>>>) {
    let received: Arc<Mutex<Vec<Value>>> = Arc::default();
    let kept = received.clone();
    let failures = Arc::new(Mutex::new(fail_first));
    let router = Router::new().route(
        "/sms",
        post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let kept = kept.clone();
            let failures = failures.clone();
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned)
                };
                let (Some(ts), Some(sig)) = (
                    header("x-pishkhan-timestamp"),
                    header("x-pishkhan-signature"),
                ) else {
                    return StatusCode::UNAUTHORIZED;
                };
                let Ok(ts) = ts.parse::<i64>() else {
                    return StatusCode::UNAUTHORIZED;
                };
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs() as i64;
                // The receiver's check, as docs/sms.md tells one to write it.
                use hmac::{Hmac, Mac};
                let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
                mac.update(format!("{ts}.").as_bytes());
                mac.update(&body);
                let Some(hex) = sig.strip_prefix("sha256=") else {
                    return StatusCode::UNAUTHORIZED;
                };
                let Some(bytes) = (0..hex.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
                    .collect::<Option<Vec<u8>>>()
                else {
                    return StatusCode::UNAUTHORIZED;
                };
                if (now - ts).abs() > 300 || mac.verify_slice(&bytes).is_err() {
                    return StatusCode::UNAUTHORIZED;
                }
                {
                    let mut left = failures.lock().unwrap();
                    if *left > 0 {
                        *left -= 1;
                        return StatusCode::SERVICE_UNAVAILABLE;
                    }
                }
                kept.lock()
                    .unwrap()
                    .push(serde_json::from_slice(&body).unwrap());
                StatusCode::OK
            }
        }),
    );
    (spawn(router), received)
}

fn webhook_setup(name: &str, addr: SocketAddr, secret: &str) -> Setup {
    Setup::new(
        name,
        &format!(
            "[sms]\nprovider = \"webhook\"\nurl = \"http://{addr}/sms\"\n\
             secret_file = \"webhook.secret\"\ntimeout_seconds = 2\nretry_base_seconds = 1\n"
        ),
        &[("webhook.secret", &format!("{secret}\n"))],
    )
}

#[test]
fn the_webhook_is_signed_and_a_receiver_with_another_secret_refuses_it() {
    let (addr, received) = webhook_receiver(WEBHOOK_SECRET);
    let s = webhook_setup("webhook", addr, WEBHOOK_SECRET);
    let id = s.queue("09120000033", "پیام وب‌هوک");
    let row = s.wait_row(id, "sent by the webhook", |r| set(r, "sent_at"));
    assert_eq!(number(&row, "attempts"), 1);
    // The webhook reports no delivery status.
    assert!(!set(&row, "delivery"));
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["id"], id);
    assert_eq!(got[0]["to"], "09120000033");
    assert_eq!(got[0]["text"], "پیام وب‌هوک");
    assert_eq!(got[0]["kind"], "state_changed");

    // The same receiver, a server with another secret: refused (401), given up.
    let wrong = webhook_setup(
        "webhook-wrong",
        addr,
        "another-secret-also-at-least-32-characters",
    );
    let id = wrong.queue("09120000022", "پیام");
    let row = wrong.wait_row(id, "refused and given up", |r| set(r, "gave_up_at"));
    assert_eq!(row["last_error"].as_deref(), Some("webhook: HTTP 401"));
    assert_eq!(number(&row, "attempts"), 1);
    assert_eq!(received.lock().unwrap().len(), 1);
}

#[test]
fn a_bad_sms_section_stops_the_start_naming_the_key() {
    let config = TempDir::new("sms-bad-config");
    config.write(
        "pishkhan.toml",
        b"[sms]\nprovider = \"kavenegar\"\nsender = \"10004346\"\n",
    );
    let data = TempDir::new("sms-bad-data");
    let out = common::pishkhan(&data.0)
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
        .arg(&data.0)
        .arg("--config")
        .arg(config.0.join("pishkhan.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sms.api_key_file: required"), "{err}");
}

#[test]
fn a_webhook_5xx_is_retried_then_sent() {
    let (addr, received) = webhook_receiver_failing(WEBHOOK_SECRET, 2);
    let s = webhook_setup("webhook-5xx", addr, WEBHOOK_SECRET);
    let id = s.queue("09120000011", "پیام");
    let row = s.wait_row(id, "sent after two 503s", |r| set(r, "sent_at"));
    assert_eq!(number(&row, "attempts"), 3);
    assert!(!set(&row, "gave_up_at"));
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["id"], id);
}

#[test]
fn a_message_that_keeps_failing_is_given_up_after_max_attempts() {
    let (addr, kave) = kavenegar_stand_in();
    fails(&kave, "09120000012", 409);
    let s = Setup::kavenegar("max-attempts", addr, "max_attempts = 2\n");
    let id = s.queue("09120000012", "پیام");
    let row = s.wait_row(id, "given up", |r| set(r, "gave_up_at"));
    assert_eq!(number(&row, "attempts"), 2);
    let error = row["last_error"].as_deref().unwrap();
    assert!(
        error.contains("409") && error.contains("2 attempts"),
        "{error}"
    );
    assert_eq!(calls_to(&kave, "09120000012").len(), 2);
}
