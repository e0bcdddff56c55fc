//! Random and malformed requests never get a 5xx: valid submissions mutated field by field and
//! byte by byte, random bytes, deep nesting, odd methods, paths and headers, mostly as a
//! signed-in person — against the real router and a real SQLite file, in process. Every error
//! under `/api` must be the one JSON shape.
//!
//! `PISHKHAN_FUZZ_CASES` sets the number of cases (3,000 by default; the benchmark-style run is
//! `PISHKHAN_FUZZ_CASES=100000 cargo test --release -p server --test fuzz -- --nocapture`), and
//! `PISHKHAN_FUZZ_SEED` the seed (a failure prints the seed and the case).

mod common;
mod submit;

use axum::body::Body;
use axum::http::{Method, Request};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// The signed-in person's national ID (the exemption seed's) and the session's CSRF token.
const NATIONAL_ID: &str = "0084575948";
const CSRF: &str = "fuzz-csrf-token";

/// Opens a person session in the store, as a sign-in would: its cookie.
async fn sign_in(store: &server::store::Store) -> String {
    let token = "fuzz-person-token";
    let now = server::domain::clock::now_unix();
    let person = server::domain::roster::Person {
        national_id: NATIONAL_ID.into(),
        student_number: Some("98123456".into()),
        mobile: Some("09121234567".into()),
        faculty: Some("فنی".into()),
        level: Some("bachelor_continuous".into()),
        source: api::signin::SigninSource::Oidc,
        provider: Some("fuzz".into()),
        university: None,
        csrf_token: CSRF.into(),
        expires_at: now + 3600,
    };
    store
        .add_person_session(&server::store::roster::NewPersonSession {
            token_sha256: &server::domain::accounts::token_hash(token),
            now,
            person: &person,
            end_session_url: None,
        })
        .await
        .unwrap();
    format!("pishkhan_person={token}")
}

/// xorshift64*: small, fast, reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn random_string(rng: &mut Rng) -> String {
    let pieces = [
        "",
        " ",
        "۱۴۰۳/۰۷/۱۵",
        "1403-13-40",
        "0084575948",
        "۰۰۸۴۵۷۵۹۴۸",
        "-1",
        "1e400",
        "\u{0}",
        "\u{202e}",
        "<script>",
        "'; DROP TABLE requests; --",
        "\\",
        "\"",
        "ي",
        "😀",
        "diploma",
        "withdrawal",
        "lost",
        "handed_in",
        "application/pdf",
        "ab",
        "NaN",
        "null",
    ];
    let mut s = String::new();
    for _ in 0..rng.below(4) {
        let piece: &&str = rng.pick(&pieces);
        s.push_str(piece);
    }
    if rng.below(20) == 0 {
        s.push_str(&"x".repeat(rng.below(5000)));
    }
    s
}

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.below(if depth > 3 { 6 } else { 9 }) {
        0 => Value::Null,
        1 => json!(rng.below(2) == 0),
        2 => json!(rng.next() as i64),
        3 => json!(rng.below(100) as f64 / 7.0),
        4 | 5 => json!(random_string(rng)),
        6 => json!(u64::MAX),
        7 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => {
            let keys = ["kind", "answers", "national_id", "sha256", "size", "x", ""];
            Value::Object(
                (0..rng.below(4))
                    .map(|_| (rng.pick(&keys).to_string(), random_value(rng, depth + 1)))
                    .collect(),
            )
        }
    }
}

/// Replaces, removes or adds one member somewhere inside `value`.
fn mutate_value(rng: &mut Rng, value: &mut Value) {
    match value {
        Value::Object(map) if !map.is_empty() && rng.below(3) != 0 => {
            let key = map.keys().nth(rng.below(map.len())).unwrap().clone();
            match rng.below(4) {
                0 => {
                    map.remove(&key);
                }
                1 => {
                    map.insert(key, random_value(rng, 0));
                }
                _ => mutate_value(rng, map.get_mut(&key).unwrap()),
            }
        }
        Value::Object(map) => {
            map.insert(random_string(rng), random_value(rng, 0));
        }
        other => *other = random_value(rng, 0),
    }
}

fn mutate_bytes(rng: &mut Rng, bytes: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        if bytes.is_empty() {
            bytes.push(rng.next() as u8);
            continue;
        }
        let at = rng.below(bytes.len());
        match rng.below(4) {
            0 => bytes[at] = rng.next() as u8,
            1 => bytes.truncate(at),
            2 => bytes.insert(at, *rng.pick(b"{}[]\",:\\0-e.")),
            _ => {
                bytes.remove(at);
            }
        }
    }
}

fn body(rng: &mut Rng, seeds: &[Value]) -> Vec<u8> {
    let mut value = rng.pick(seeds).clone();
    match rng.below(10) {
        0..=4 => {
            for _ in 0..=rng.below(3) {
                mutate_value(rng, &mut value);
            }
            value.to_string().into_bytes()
        }
        5..=6 => {
            let mut bytes = value.to_string().into_bytes();
            mutate_bytes(rng, &mut bytes);
            bytes
        }
        7 => (0..rng.below(300)).map(|_| rng.next() as u8).collect(),
        8 => {
            let depth = rng.below(5000);
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
        }
        _ => value.to_string().into_bytes(),
    }
}

#[test]
fn no_input_gets_a_server_error() {
    let cases: usize = std::env::var("PISHKHAN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let seed: u64 = std::env::var("PISHKHAN_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_1403);
    let dist = common::TempDir::new("fuzz-dist");
    let data = common::TempDir::new("fuzz-data");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config = server::http::Config {
        lookups_per_minute: 1_000_000,
        // The data directory's database on PostgreSQL when the test command gives one.
        database: common::database_url(&data.0),
        ..server::http::Config::new(dist.0.clone(), data.0.clone())
    };
    let state = runtime.block_on(server::http::state(&config)).unwrap();
    let cookie = runtime.block_on(sign_in(&state.store));
    let app = server::http::app(&config, state);

    let form = json!({"media_type": "application/pdf", "size": 9, "sha256": "ab".repeat(32)});
    // The signed-in person's own requests (the exemption's national ID is theirs).
    let mut clearance = submit::clearance(1);
    clearance["national_id"] = json!(NATIONAL_ID);
    let mut withdrawal = submit::withdrawal(&form);
    withdrawal["national_id"] = json!(NATIONAL_ID);
    let seeds = [
        clearance,
        submit::exemption(),
        withdrawal,
        json!({"tracking_code": "1234-5678-9012", "national_id": "0084575948"}),
        json!({"today": "1403-07-15", "submitted": "1403-06-01", "revocations_used": 0}),
        Value::Null,
    ];
    let paths = [
        "/api/v1/requests",
        "/api/v1/requests",
        "/api/v1/requests",
        "/api/v1/requests/lookup",
        "/api/v1/attachments",
        "/api/v1/revocation",
        "/api/v1/precheck",
        "/api/v1/nothing",
        "/api/v1/requests/../health",
        "/api/%ff%fe",
        "/api/v1/health",
        "/",
        "/requests/new",
        "/x.js",
    ];
    let fixed_key = submit::new_key();
    let methods = [
        Method::POST,
        Method::POST,
        Method::POST,
        Method::POST,
        Method::POST,
        Method::GET,
        Method::PUT,
    ];
    let content_types = [
        Some("application/json"),
        Some("application/json"),
        Some("application/json; charset=utf-8"),
        Some("APPLICATION/JSON"),
        Some("text/plain"),
        Some("multipart/form-data; boundary=x"),
        Some("application/json\t;;;"),
        None,
    ];

    let mut rng = Rng(seed | 1);
    let mut statuses = std::collections::BTreeMap::new();
    runtime.block_on(async {
        for case in 0..cases {
            let method = rng.pick(&methods).clone();
            let path = *rng.pick(&paths);
            let body = body(&mut rng, &seeds);
            let mut request = Request::builder().method(method.clone()).uri(path);
            if let Some(ct) = rng.pick(&content_types) {
                request = request.header("content-type", *ct);
            }
            let key = match rng.below(6) {
                0 => None,
                1 => Some(fixed_key.clone()),
                2 => Some(format!("\"{}\"", submit::new_key())),
                3 => Some(random_string(&mut rng).chars().filter(|c| c.is_ascii_graphic()).collect()),
                _ => Some(submit::new_key()),
            };
            if let Some(key) = &key {
                request = request.header("idempotency-key", key.as_str());
            }
            // Mostly signed in; now and then without the session, or without its CSRF token.
            match rng.below(10) {
                0 => {}
                1 => request = request.header("cookie", cookie.as_str()),
                _ => {
                    request = request
                        .header("cookie", cookie.as_str())
                        .header("x-csrf-token", CSRF)
            }
            }
            if rng.below(8) == 0 {
                request = request.header("x-request-id", "ä-not-a-token".repeat(rng.below(3)));
            }
            if rng.below(10) == 0 {
                request = request.header("content-length", rng.next().to_string());
            }
            let Ok(request) = request.body(Body::from(body.clone())) else {
                continue;
            };
            let response = app.clone().oneshot(request).await.unwrap();
            let status = response.status().as_u16();
            *statuses.entry(status).or_insert(0) += 1;
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            let context = || {
                format!(
                    "case {case} (seed {seed}): {method} {path} key {key:?} → {status}\nbody: {}\nanswer: {}",
                    String::from_utf8_lossy(&body[..body.len().min(400)]),
                    String::from_utf8_lossy(&bytes[..bytes.len().min(400)])
                )
            };
            assert!(status < 500, "{}", context());
            if status >= 400 && path.starts_with("/api/") {
                let answer: Value = serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("{}", context()));
                for field in ["code", "field", "message_fa", "message_en"] {
                    assert!(answer["error"].get(field).is_some(), "{}", context());
                }
            }
        }
    });
    eprintln!("{cases} cases, statuses: {statuses:?}");
}
