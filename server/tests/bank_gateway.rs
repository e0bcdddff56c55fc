//! The bank gateway (issue 16): the real `pishkhan serve`, configured with `[payments]` for
//! Zarinpal, against a stand-in that speaks Zarinpal's documented REST API v4 on a loopback port
//! (`request.json`, the payer's `StartPay` page and its redirect back, `verify.json` with its
//! codes 100/101/-50/-51/-54, `reverse.json`): success, timeout, provider error, duplicate
//! callback, forged callback, amount mismatch, and the refund of a payment verified after its
//! request was closed, tried again by the refunds' pass (`pishkhan refunds`) when it failed or
//! was interrupted, and shown in the staff's request detail. On SQLite, or PostgreSQL with `PISHKHAN_TEST_DATABASE_URL`.

mod common;
mod submit;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use common::{Server, TempDir};
use serde_json::{json, Value};
use submit::{answer, national_id, Answer};

const MERCHANT: &str = "a1b2c3d4-0000-4000-8000-123456789abc";
/// Where Pishkhan says it is (`[payments].callback_base`); the test, as the payer's browser,
/// follows the gateway's redirect to the server's real address.
const PUBLIC: &str = "https://pishkhan.example.ac.ir";
const FEE: i64 = 1_000_000;

/// One payment as the stand-in bank keeps it.
struct BankPayment {
    amount: i64,
    callback_url: String,
    /// What the payer paid (`None`: not paid).
    paid: Option<i64>,
    verified: bool,
    reversed: bool,
    ref_id: i64,
}

/// The stand-in's ledger, what it was asked, and its knobs.
#[derive(Default)]
struct Bank {
    payments: HashMap<String, BankPayment>,
    /// `request.json` answers with this error code.
    refuse_requests: Option<i64>,
    /// The next so many `verify.json` calls do their work, then answer only after this long.
    slow_verifies: (u32, Duration),
    /// Every code `verify.json` answered, in order.
    verify_codes: Vec<i64>,
    reversals: Vec<String>,
    /// The next so many `reverse.json` calls answer -60 (not reversed).
    failing_reversals: u32,
    /// Every body `request.json` received.
    requests: Vec<Value>,
    next: u64,
}

type Shared = Arc<Mutex<Bank>>;

fn zarinpal_error(code: i64, message: &str) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({"data": [], "errors": {"code": code, "message": message, "validations": []}})),
    )
        .into_response()
}

async fn request_json(State(bank): State<Shared>, Json(body): Json<Value>) -> Response {
    let mut bank = bank.lock().unwrap();
    bank.requests.push(body.clone());
    if body["merchant_id"] != MERCHANT {
        return zarinpal_error(
            -10,
            "Terminal is not valid, please check merchant_id or ip address.",
        );
    }
    if let Some(code) = bank.refuse_requests {
        return zarinpal_error(
            code,
            "Terminal is not active, please contact our support team.",
        );
    }
    let (Some(amount), Some(callback)) = (body["amount"].as_i64(), body["callback_url"].as_str())
    else {
        return zarinpal_error(-9, "The input params invalid, validation error.");
    };
    if body["currency"] != "IRR" || body["description"].as_str().unwrap_or("").is_empty() {
        return zarinpal_error(-9, "The input params invalid, validation error.");
    }
    bank.next += 1;
    let authority = format!("A{:035}", bank.next);
    let ref_id = 20_000 + bank.next as i64;
    bank.payments.insert(
        authority.clone(),
        BankPayment {
            amount,
            callback_url: callback.to_owned(),
            paid: None,
            verified: false,
            reversed: false,
            ref_id,
        },
    );
    Json(
        json!({"data": {"code": 100, "message": "Success", "authority": authority,
                         "fee_type": "Merchant", "fee": 0}, "errors": []}),
    )
    .into_response()
}

/// The payer at the bank: `?pay=1` pays (`&amount=` another amount than asked, as a tampered
/// form would), else cancels; back to the callback with `Authority` and `Status`.
async fn start_pay(
    State(bank): State<Shared>,
    Path(authority): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut bank = bank.lock().unwrap();
    let Some(p) = bank.payments.get_mut(&authority) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let pay = q.get("pay").map(String::as_str) == Some("1");
    if pay {
        p.paid = Some(q.get("amount").map_or(p.amount, |a| a.parse().unwrap()));
    }
    let status = if pay { "OK" } else { "NOK" };
    let to = format!("{}?Authority={authority}&Status={status}", p.callback_url);
    (StatusCode::FOUND, [(header::LOCATION, to)]).into_response()
}

async fn verify_json(State(bank): State<Shared>, Json(body): Json<Value>) -> Response {
    let (answer, delay) = {
        let mut bank = bank.lock().unwrap();
        let delay = if bank.slow_verifies.0 > 0 {
            bank.slow_verifies.0 -= 1;
            Some(bank.slow_verifies.1)
        } else {
            None
        };
        let authority = body["authority"].as_str().unwrap_or("").to_owned();
        let answer = if body["merchant_id"] != MERCHANT {
            Err(-10)
        } else {
            match bank.payments.get_mut(&authority) {
                None => Err(-54),
                Some(p) => match p.paid {
                    None => Err(-51),
                    Some(paid) if Some(paid) != body["amount"].as_i64() => Err(-50),
                    Some(_) if p.verified => Ok((101, p.ref_id)),
                    Some(_) => {
                        p.verified = true;
                        Ok((100, p.ref_id))
                    }
                },
            }
        };
        let code = match answer {
            Ok((code, _)) | Err(code) => code,
        };
        bank.verify_codes.push(code);
        (answer, delay)
    };
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    match answer {
        Ok((code, ref_id)) => Json(json!({"data": {"code": code, "message": "Verified",
            "card_hash": "1EBE3EBEBE35C7EC0F8D6EE4F2F859107A87822CA179BC9528767EA7B5489B69",
            "card_pan": "502229******5995", "ref_id": ref_id, "fee_type": "Merchant", "fee": 0},
            "errors": []}))
        .into_response(),
        Err(code) => zarinpal_error(code, "Session is not valid."),
    }
}

async fn reverse_json(State(bank): State<Shared>, Json(body): Json<Value>) -> Response {
    let mut bank = bank.lock().unwrap();
    let authority = body["authority"].as_str().unwrap_or("").to_owned();
    if body["merchant_id"] != MERCHANT {
        return zarinpal_error(-10, "Terminal is not valid.");
    }
    if bank.failing_reversals > 0 {
        bank.failing_reversals -= 1;
        return zarinpal_error(-60, "Session can not be reversed with bank.");
    }
    match bank.payments.get_mut(&authority) {
        Some(p) if p.verified && !p.reversed => {
            p.reversed = true;
            bank.reversals.push(authority);
            Json(json!({"data": {"code": 100, "message": "Reversed"}, "errors": []}))
                .into_response()
        }
        _ => zarinpal_error(-61, "Session is not in success status."),
    }
}

/// The stand-in on a loopback port, served by a thread of its own: its address and ledger.
fn stand_in() -> (String, Shared) {
    let bank: Shared = Arc::new(Mutex::new(Bank::default()));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new()
        .route("/pg/v4/payment/request.json", post(request_json))
        .route("/pg/v4/payment/verify.json", post(verify_json))
        .route("/pg/v4/payment/reverse.json", post(reverse_json))
        .route("/pg/StartPay/{authority}", get(start_pay))
        .with_state(bank.clone());
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app).await.unwrap();
            })
    });
    (base, bank)
}

struct Env {
    server: Server,
    data: TempDir,
    _dist: TempDir,
    _config: TempDir,
    bank: Shared,
    bank_base: String,
    http: reqwest::blocking::Client,
}

/// Pishkhan with `[payments]` for Zarinpal at the stand-in (each call given one second).
fn start(name: &str) -> Env {
    let (bank_base, bank) = stand_in();
    let config = TempDir::new(&format!("bank-config-{name}"));
    config.write("merchant-id", format!("{MERCHANT}\n").as_bytes());
    config.write(
        "pishkhan.toml",
        format!(
            "[payments]\ngateway = \"zarinpal\"\nmerchant_id_file = \"merchant-id\"\n\
             callback_base = \"{PUBLIC}\"\nbase_url = \"{bank_base}\"\n\
             start_pay_url = \"{bank_base}/pg/StartPay/\"\ntimeout_seconds = 1\n"
        )
        .as_bytes(),
    );
    let (dist, data) = common::app_and_data("bank", name);
    let toml = config.0.join("pishkhan.toml");
    let server = common::serve_with(
        &dist.0,
        &data.0,
        &[
            "--config",
            toml.to_str().unwrap(),
            "--lookups-per-minute",
            "1000",
        ],
    );
    let http = submit::client_without_redirects();
    Env {
        server,
        data,
        _dist: dist,
        _config: config,
        bank,
        bank_base,
        http,
    }
}

fn eligible_exemption(id: &str) -> Value {
    let start = rules::JalaliDate::today_in_tehran(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64,
    )
    .add_months(-1);
    json!({
        "has_sakha_code": true, "national_id": id, "mobile": "09121234567",
        "sms_opt_in": true, "residence_province": "تهران", "residence_city": "تهران",
        "residence_address": "خیابان انقلاب", "previous_level": "diploma",
        "previous_graduation": start.add_months(-3).to_machine(), "university": "دانشگاه تهران",
        "level": "bachelor_continuous", "study_start": start.to_machine(),
        "field_of_study": "ریاضی", "institution_approved": true, "unjustified_absence": false})
}

impl Env {
    fn base(&self) -> &str {
        &self.server.base
    }

    /// Files an eligible exemption (awaiting its fee) and signs in as its applicant: the
    /// tracking code's digits and the applicant's token.
    fn awaiting_fee(&self, n: u32) -> (String, String) {
        let id = national_id(n);
        let body = json!({"kind": "exemption", "answers": eligible_exemption(&id)});
        let me = common::sign_in_for(&self.data.0, &body);
        let filed = submit::filed(&self.http, self.base(), &me, &body);
        assert_eq!(filed.body["status"], "awaiting_payment");
        let code: String = filed.body["tracking_code"]
            .as_str()
            .unwrap()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let token = submit::applicant_token(
            &self.http,
            self.base(),
            &self.data.0,
            &code,
            &id,
            |before| common::code_for(&self.data.0, "09121234567", before),
        );
        (code, token)
    }

    fn start_payment(&self, token: &str) -> Answer {
        answer(
            self.http
                .post(format!("{}/api/v1/applicant/request/payment", self.base()))
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .unwrap(),
        )
    }

    /// Starts a payment: its authority and the bank page the payer is sent to.
    fn started(&self, token: &str) -> (String, String) {
        let started = self.start_payment(token);
        assert_eq!(started.status, 201, "{}", started.body);
        assert_eq!(started.body["amount_rials"], FEE);
        let authority = started.body["authority"].as_str().unwrap().to_owned();
        let url = started.body["redirect_url"].as_str().unwrap().to_owned();
        assert_eq!(url, format!("{}/pg/StartPay/{authority}", self.bank_base));
        (authority, url)
    }

    /// The payer at the bank's page (`query`: `pay=1`, `pay=1&amount=…` or `pay=0`): the
    /// callback path and query the bank sends the browser back to, on Pishkhan's public origin.
    fn at_bank(&self, page: &str, query: &str) -> String {
        let back = self.http.get(format!("{page}?{query}")).send().unwrap();
        assert_eq!(back.status(), 302);
        let to = back.headers()["location"].to_str().unwrap().to_owned();
        let path = to
            .strip_prefix(PUBLIC)
            .unwrap_or_else(|| panic!("the callback is Pishkhan's public URL: {to}"));
        assert!(
            path.starts_with("/api/v1/payments/callback?Authority="),
            "{path}"
        );
        path.to_owned()
    }

    /// A new payment started and paid at the bank: the payer sees the paid receipt and the
    /// request moves on to the university.
    fn pays(&self, code: &str, token: &str) {
        let (_, page) = self.started(token);
        assert_eq!(
            receipt(&self.callback(&self.at_bank(&page, "pay=1"))),
            "/track/receipt?payment=ok"
        );
        assert_eq!(self.state(code), "at_university");
    }

    /// The payer's browser back at Pishkhan.
    fn callback(&self, path_and_query: &str) -> Answer {
        answer(
            self.http
                .get(format!("{}{path_and_query}", self.base()))
                .send()
                .unwrap(),
        )
    }

    fn db_rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        common::rows(&self.data.0, sql)
    }

    fn state(&self, code: &str) -> String {
        self.db_rows(&format!(
            "SELECT status FROM requests WHERE tracking_code = '{code}'"
        ))[0][0]
            .clone()
            .unwrap()
    }

    fn version(&self, code: &str) -> i64 {
        common::count(
            &self.data.0,
            &format!("SELECT version FROM requests WHERE tracking_code = '{code}'"),
        )
    }

    /// status, reference, failure, applied, refund of a payment.
    fn payment(&self, authority: &str) -> Vec<Option<String>> {
        self.db_rows(&format!(
            "SELECT status, reference, failure, CAST(applied AS TEXT), refund, gateway \
             FROM payments WHERE authority = '{authority}'"
        ))
        .remove(0)
    }

    fn applicant_view(&self, token: &str) -> Value {
        let a = answer(
            self.http
                .get(format!("{}/api/v1/applicant/request", self.base()))
                .bearer_auth(token)
                .send()
                .unwrap(),
        );
        assert_eq!(a.status, 200, "{}", a.body);
        a.body
    }
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn receipt(a: &Answer) -> String {
    assert_eq!(a.status, 303, "{}", a.body);
    a.headers["location"].to_str().unwrap().to_owned()
}

#[test]
fn a_payment_verified_by_the_bank_pays_the_fee_and_keeps_its_reference() {
    let env = start("success");
    let (code, token) = env.awaiting_fee(401);
    let (authority, page) = env.started(&token);
    // What the bank was asked: the fee in rials, Pishkhan's absolute callback, the merchant.
    {
        let bank = env.bank.lock().unwrap();
        let asked = bank.requests.last().unwrap();
        assert_eq!(asked["amount"], FEE);
        assert_eq!(asked["currency"], "IRR");
        assert_eq!(
            asked["callback_url"],
            format!("{PUBLIC}/api/v1/payments/callback")
        );
    }
    assert_eq!(
        env.payment(&authority),
        [s("created"), None, None, s("0"), None, s("zarinpal")]
    );
    let back = env.at_bank(&page, "pay=1");
    assert_eq!(receipt(&env.callback(&back)), "/track/receipt?payment=ok");
    assert_eq!(env.state(&code), "at_university");
    let bank_ref = env.bank.lock().unwrap().payments[&authority]
        .ref_id
        .to_string();
    assert_eq!(
        env.payment(&authority),
        [
            s("verified"),
            Some(bank_ref),
            None,
            s("1"),
            None,
            s("zarinpal")
        ]
    );
    assert_eq!(env.bank.lock().unwrap().verify_codes, [100]);
    assert!(env.applicant_view(&token).get("refunds").is_none());
}

#[test]
fn a_gateway_that_does_not_answer_in_time_pays_nothing_and_a_later_callback_settles() {
    let env = start("timeout");
    let (code, token) = env.awaiting_fee(402);
    let (authority, page) = env.started(&token);
    let back = env.at_bank(&page, "pay=1");
    // The bank verifies, but its answer comes after the server's one second.
    env.bank.lock().unwrap().slow_verifies = (1, Duration::from_secs(3));
    let late = env.callback(&back);
    assert_eq!(late.status, 504, "{}", late.body);
    assert_eq!(late.body["error"]["code"], "PAYMENT_GATEWAY_TIMEOUT");
    assert!(!late.body["error"]["message_fa"]
        .as_str()
        .unwrap()
        .is_empty());
    assert_eq!(env.state(&code), "awaiting_payment");
    assert_eq!(env.payment(&authority)[0], s("created"));
    // The payer's browser comes back again: verified before (101), now settled.
    assert_eq!(receipt(&env.callback(&back)), "/track/receipt?payment=ok");
    assert_eq!(env.state(&code), "at_university");
    assert_eq!(env.payment(&authority)[0], s("verified"));
    assert_eq!(env.bank.lock().unwrap().verify_codes, [100, 101]);
}

#[test]
fn a_gateway_refusing_the_payment_request_is_named_and_nothing_is_recorded() {
    let env = start("refused");
    let (code, token) = env.awaiting_fee(403);
    env.bank.lock().unwrap().refuse_requests = Some(-11);
    let refused = env.start_payment(&token);
    assert_eq!(refused.status, 502, "{}", refused.body);
    assert_eq!(refused.body["error"]["code"], "PAYMENT_GATEWAY_ERROR");
    assert!(refused.body["error"]["message_en"]
        .as_str()
        .unwrap()
        .contains("code -11"));
    assert!(refused.body["error"]["message_fa"]
        .as_str()
        .unwrap()
        .contains("-11"));
    assert_eq!(
        common::count(&env.data.0, "SELECT COUNT(*) FROM payments"),
        0
    );
    assert_eq!(env.state(&code), "awaiting_payment");
    // Once the bank takes requests again, the fee can be paid.
    env.bank.lock().unwrap().refuse_requests = None;
    env.pays(&code, &token);
}

#[test]
fn a_repeated_callback_changes_nothing() {
    let env = start("duplicate");
    let (code, token) = env.awaiting_fee(404);
    let (authority, page) = env.started(&token);
    let back = env.at_bank(&page, "pay=1");
    assert_eq!(receipt(&env.callback(&back)), "/track/receipt?payment=ok");
    let version = env.version(&code);
    let audit = |env: &Env| {
        common::count(
            &env.data.0,
            "SELECT COUNT(*) FROM audit WHERE action = 'confirm_payment'",
        )
    };
    assert_eq!(audit(&env), 1);
    for _ in 0..2 {
        assert_eq!(receipt(&env.callback(&back)), "/track/receipt?payment=ok");
    }
    assert_eq!(env.version(&code), version);
    assert_eq!(audit(&env), 1);
    assert_eq!(
        env.payment(&authority)[..5],
        [
            s("verified"),
            env.payment(&authority)[1].clone(),
            None,
            s("1"),
            None
        ]
    );
    // The paying payment is never refunded, however often the payer comes back.
    assert!(env.bank.lock().unwrap().reversals.is_empty());
}

#[test]
fn a_forged_callback_pays_nothing() {
    let env = start("forged");
    let (code, token) = env.awaiting_fee(405);
    let (authority, _page) = env.started(&token);
    // Status=OK for a payment the payer never paid: the bank's verification says -51.
    let forged = env.callback(&format!(
        "/api/v1/payments/callback?Authority={authority}&Status=OK"
    ));
    assert_eq!(receipt(&forged), "/track/receipt?payment=failed");
    assert_eq!(env.state(&code), "awaiting_payment");
    assert_eq!(env.payment(&authority)[0], s("failed"));
    assert_eq!(env.bank.lock().unwrap().verify_codes, [-51]);
    // An authority nobody issued: refused, and the bank is not even asked.
    let unknown = env.callback(
        "/api/v1/payments/callback?Authority=A000000000000000000000000000000000999&Status=OK",
    );
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    assert_eq!(env.bank.lock().unwrap().verify_codes, [-51]);
    // A cancelled payment (Status=NOK) is not paid either; a new one still is.
    let (other, page) = env.started(&token);
    let back = env.at_bank(&page, "pay=0");
    assert!(back.ends_with("&Status=NOK"));
    assert_eq!(
        receipt(&env.callback(&back)),
        "/track/receipt?payment=failed"
    );
    assert_eq!(env.payment(&other)[0], s("failed"));
    env.pays(&code, &token);
}

#[test]
fn another_amount_paid_is_never_paid_and_is_recorded() {
    let env = start("amount");
    let (code, token) = env.awaiting_fee(406);
    let (authority, page) = env.started(&token);
    let back = env.at_bank(&page, "pay=1&amount=1000");
    for _ in 0..2 {
        let done = env.callback(&back);
        assert_eq!(done.status, 409, "{}", done.body);
        assert_eq!(done.body["error"]["code"], "PAYMENT_AMOUNT_MISMATCH");
        assert_eq!(done.body["error"]["field"], "amount_rials");
    }
    assert_eq!(env.state(&code), "awaiting_payment");
    assert_eq!(
        env.payment(&authority)[..4],
        [s("failed"), None, s("amount_mismatch"), s("0")]
    );
    // Verified once (-50); the second callback read what was recorded.
    assert_eq!(env.bank.lock().unwrap().verify_codes, [-50]);
}

#[test]
fn a_payment_verified_after_its_request_was_paid_is_refunded_once() {
    let env = start("refund");
    let (code, token) = env.awaiting_fee(407);
    // Two payments started (two tabs); both paid at the bank.
    let (first, first_page) = env.started(&token);
    let (second, second_page) = env.started(&token);
    let first_back = env.at_bank(&first_page, "pay=1");
    let second_back = env.at_bank(&second_page, "pay=1");
    // The second comes back first and pays the fee.
    assert_eq!(
        receipt(&env.callback(&second_back)),
        "/track/receipt?payment=ok"
    );
    assert_eq!(env.state(&code), "at_university");
    let version = env.version(&code);
    // The first is verified after the request was closed: given back through the bank.
    assert_eq!(
        receipt(&env.callback(&first_back)),
        "/track/receipt?payment=refunded"
    );
    assert_eq!(env.bank.lock().unwrap().reversals, [first.as_str()]);
    assert_eq!(env.payment(&first)[0], s("verified"));
    assert_eq!(env.payment(&first)[3..5], [s("0"), s("refunded")]);
    assert_eq!(env.payment(&second)[3..5], [s("1"), None]);
    assert_eq!(
        env.version(&code),
        version,
        "the request does not move again"
    );
    // Shown where the applicant sees the request.
    let view = env.applicant_view(&token);
    assert_eq!(view["refunds"].as_array().unwrap().len(), 1, "{view}");
    assert_eq!(view["refunds"][0]["status"], "refunded");
    assert_eq!(view["refunds"][0]["amount_rials"], FEE);
    // Once: the first payment's callback again changes nothing, the paying one is kept.
    assert_eq!(
        receipt(&env.callback(&first_back)),
        "/track/receipt?payment=refunded"
    );
    assert_eq!(
        receipt(&env.callback(&second_back)),
        "/track/receipt?payment=ok"
    );
    assert_eq!(env.bank.lock().unwrap().reversals, [first]);
}

#[test]
fn a_wrong_payments_section_stops_the_start_naming_the_key() {
    let dir = TempDir::new("bank-config-wrong");
    let data = TempDir::new("bank-data-wrong");
    dir.write("merchant-id", format!("{MERCHANT}\n").as_bytes());
    let cases: [(&str, &[&str], &str); 6] = [
        (
            "[payments]\ngateway = \"zarinpal\"\ncallback_base = \"https://x.ir\"\n",
            &[],
            "payments.merchant_id_file: required",
        ),
        (
            "[payments]\ngateway = \"zarinpal\"\nmerchant_id_file = \"nope\"\n",
            &[],
            "payments.merchant_id_file: ",
        ),
        (
            "[payments]\ngateway = \"zarinpal\"\nmerchant_id_file = \"merchant-id\"\n\
             callback_base = \"https://x.ir/pishkhan\"\n",
            &[],
            "payments.callback_base: an absolute http(s) URL without path",
        ),
        (
            "[payments]\nmerchant_id = \"a1b2\"\n",
            &[],
            "unknown field `merchant_id`",
        ),
        (
            "[payments]\ngateway = \"zarinpal\"\nmerchant_id_file = \"merchant-id\"\n\
             callback_base = \"https://x.ir\"\n",
            &["--payment-gateway", "sandbox"],
            "--payment-gateway sandbox and pishkhan.toml's payments.gateway = zarinpal disagree",
        ),
        (
            "[oidc]\n",
            &["--payment-gateway", "zarinpal"],
            "--payment-gateway zarinpal needs a [payments] section",
        ),
    ];
    for (toml, args, expected) in cases {
        dir.write("pishkhan.toml", toml.as_bytes());
        let out = common::pishkhan(&data.0)
            .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(&data.0)
            .arg("--config")
            .arg(dir.0.join("pishkhan.toml"))
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{toml}: {stderr}");
        assert!(stderr.contains(expected), "{toml}: {stderr}");
        assert!(
            !stderr.contains(MERCHANT),
            "the merchant id is never printed"
        );
    }
}

/// The refunds' pass (`pishkhan refunds`) at `now`, with the server's configuration: its counts.
fn refunds_pass(env: &Env, now: i64) -> String {
    let toml = env._config.0.join("pishkhan.toml");
    let now = now.to_string();
    common::pishkhan_ok(
        &env.data.0,
        &["refunds"],
        &["--config", toml.to_str().unwrap(), "--now", &now],
    )
}

/// refund, refund_attempts, refund_claimed_at, refund_error of a payment.
fn refund_of(env: &Env, authority: &str) -> Vec<Option<String>> {
    env.db_rows(&format!(
        "SELECT refund, CAST(refund_attempts AS TEXT), CAST(refund_claimed_at AS TEXT), \
         refund_error FROM payments WHERE authority = '{authority}'"
    ))
    .remove(0)
}

/// A request paid by one payment while `extra` others, started in other tabs and paid at the
/// bank, come back after it: their refunds asked of the bank, which fails the first `failing`
/// of them (-60). The tracking code, the paying payment, and the others' authorities.
fn paid_twice(env: &Env, n: u32, extra: usize, failing: u32) -> (String, String, Vec<String>) {
    let (code, token) = env.awaiting_fee(n);
    let others: Vec<(String, String)> = (0..extra)
        .map(|_| {
            let (authority, page) = env.started(&token);
            (authority, env.at_bank(&page, "pay=1"))
        })
        .collect();
    let (paying, page) = env.started(&token);
    assert_eq!(
        receipt(&env.callback(&env.at_bank(&page, "pay=1"))),
        "/track/receipt?payment=ok"
    );
    env.bank.lock().unwrap().failing_reversals = failing;
    for (i, (_, back)) in others.iter().enumerate() {
        let expected = if (i as u32) < failing {
            "refund_pending"
        } else {
            "refunded"
        };
        assert_eq!(
            receipt(&env.callback(back)),
            format!("/track/receipt?payment={expected}")
        );
    }
    (code, paying, others.into_iter().map(|(a, _)| a).collect())
}

fn claimed_at(env: &Env, authority: &str) -> i64 {
    refund_of(env, authority)[2]
        .as_deref()
        .unwrap()
        .parse()
        .unwrap()
}

/// Adds a staff member with the real CLI and signs them in: the session cookie.
fn staff(env: &Env, username: &str, university: Option<&str>) -> String {
    let password = format!("{username}-password");
    let mut cmd = common::pishkhan(&env.data.0);
    cmd.args(["user", "add", "--data-dir"])
        .arg(&env.data.0)
        .args([
            "--username",
            username,
            "--role",
            "university_user",
            "--scope",
            "*",
            "--display-name",
            "کارشناس",
        ]);
    if let Some(u) = university {
        cmd.args(["--university", u]);
    }
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(format!("{password}\n").as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::staff_login(env.base(), username, &password).cookie
}

fn staff_detail(env: &Env, cookie: &str, code: &str) -> Answer {
    answer(
        env.http
            .get(format!(
                "{}{}",
                env.base(),
                common::staff_url(&env.data.0, code)
            ))
            .header("cookie", cookie)
            .send()
            .unwrap(),
    )
}

#[test]
fn a_failed_refund_is_tried_again_by_the_pass_after_its_back_off_once_however_many_run() {
    let env = start("refund-retry");
    let (code, paying, others) = paid_twice(&env, 408, 1, 1);
    let first = &others[0];
    // The callback's attempt failed: recorded with the gateway's code only, one attempt.
    assert_eq!(
        refund_of(&env, first)[..2],
        [s("failed"), s("1")],
        "{:?}",
        refund_of(&env, first)
    );
    assert_eq!(refund_of(&env, first)[3], s("-60"));
    let t = claimed_at(&env, first);
    // The staff of the request see it failed, with its attempts and error code; staff of
    // another university do not see the request at all.
    let clerk = staff(&env, "home-clerk", None);
    let detail = staff_detail(&env, &clerk, &code);
    assert_eq!(detail.status, 200, "{}", detail.body);
    let refunds = detail.body["refunds"].as_array().expect("refunds listed");
    assert_eq!(refunds.len(), 1, "{}", detail.body);
    assert_eq!(refunds[0]["status"], "failed");
    assert_eq!(refunds[0]["amount_rials"], FEE);
    assert_eq!(refunds[0]["attempts"], 1);
    assert_eq!(refunds[0]["error"], "-60");
    common::pishkhan_ok(
        &env.data.0,
        &["university", "add"],
        &[
            "--code",
            "west",
            "--name-fa",
            "دانشگاه غرب",
            "--name-en",
            "West",
        ],
    );
    let other = staff(&env, "west-clerk", Some("west"));
    let hidden = staff_detail(&env, &other, &code);
    assert_eq!(hidden.status, 404, "{}", hidden.body);
    assert!(!hidden.body.to_string().contains("refund"));
    // Before its back-off (an hour after the first attempt) the pass leaves it.
    assert!(refunds_pass(&env, t + 60).contains("due: 0\n"));
    assert!(env.bank.lock().unwrap().reversals.is_empty());
    // Two passes at once, after the back-off: the bank is asked once, and gives it back.
    let passes: Vec<_> = (0..2)
        .map(|_| {
            let toml = env._config.0.join("pishkhan.toml");
            common::pishkhan(&env.data.0)
                .args(["refunds", "--data-dir"])
                .arg(&env.data.0)
                .arg("--config")
                .arg(toml)
                .args(["--now", &(t + 3600).to_string()])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let said: Vec<String> = passes
        .into_iter()
        .map(|p| {
            let out = p.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap()
        })
        .collect();
    assert_eq!(
        said.iter().filter(|o| o.contains("refunded: 1")).count(),
        1,
        "{said:?}"
    );
    assert_eq!(env.bank.lock().unwrap().reversals, [first.as_str()]);
    assert_eq!(refund_of(&env, first)[..2], [s("refunded"), s("2")]);
    assert_eq!(env.payment(&paying)[3..5], [s("1"), None]);
    // Refunded: no pass asks again; the staff see it refunded, without attempts.
    assert!(refunds_pass(&env, t + 100_000).contains("due: 0\n"));
    assert_eq!(env.bank.lock().unwrap().reversals, [first.as_str()]);
    let detail = staff_detail(&env, &clerk, &code);
    assert_eq!(detail.body["refunds"][0]["status"], "refunded");
    assert!(detail.body["refunds"][0]["refunded_at"].is_i64());
    assert!(detail.body["refunds"][0].get("attempts").is_none());
}

#[test]
fn a_stale_refunding_claim_is_taken_over_a_fresh_one_is_not_and_the_last_attempt_gives_up() {
    let env = start("refund-stale");
    let (_, _, others) = paid_twice(&env, 409, 3, 3);
    let [stale, spent, interrupted] = [&others[0], &others[1], &others[2]];
    let t = claimed_at(&env, stale).max(claimed_at(&env, interrupted));
    // One left `refunding` by a crash at t; one failed on its last attempt; one left
    // `refunding` by a crash on its last attempt.
    let set = |authority: &str, to: &str| {
        common::sql(
            &env.data.0,
            &format!("UPDATE payments SET {to} WHERE authority = '{authority}'"),
        )
    };
    set(
        stale,
        &format!("refund = 'refunding', refund_claimed_at = {t}"),
    );
    set(spent, "refund_attempts = 24");
    set(
        interrupted,
        &format!("refund = 'refunding', refund_claimed_at = {t}, refund_attempts = 24"),
    );
    // Fresh (claimed ten minutes ago): another instance may be asking the bank; left alone.
    let said = refunds_pass(&env, t + 600);
    assert!(said.contains("due: 0\n"), "{said}");
    assert!(said.contains("gave_up: 0"), "{said}");
    assert_eq!(refund_of(&env, stale)[0], s("refunding"));
    assert!(env.bank.lock().unwrap().reversals.is_empty());
    // Stale (over 15 minutes): taken over and refunded; the one on its last attempt gives up.
    let said = refunds_pass(&env, t + 901);
    assert!(said.contains("refunded: 1"), "{said}");
    assert!(said.contains("gave_up: 1"), "{said}");
    assert_eq!(env.bank.lock().unwrap().reversals, [stale.as_str()]);
    assert_eq!(refund_of(&env, stale)[..2], [s("refunded"), s("2")]);
    assert_eq!(refund_of(&env, interrupted)[0], s("failed"));
    assert_eq!(refund_of(&env, interrupted)[3], s("interrupted"));
    // After its last attempt a refund is never tried again, by a pass or a callback: failed.
    let said = refunds_pass(&env, t + 10_000_000);
    assert!(said.contains("due: 0\n"), "{said}");
    assert_eq!(env.bank.lock().unwrap().reversals, [stale.as_str()]);
    assert_eq!(refund_of(&env, spent)[..2], [s("failed"), s("24")]);
    assert_eq!(refund_of(&env, interrupted)[..2], [s("failed"), s("24")]);
}
