//! The requests API over a real socket against a real database: filing with idempotency keys
//! (replay, conflicting replay, concurrent replay), lookups and their rate limit, attachments,
//! and the answers every client error gets (JSON, security headers, request id).

mod common;
mod submit;

use std::io::{Read, Write};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use common::{sign_in, sign_in_for, Person};
use common::{Server, TempDir};
use serde_json::{json, Value};
use submit::{clearance, client, exemption, lookup, new_key, post_json, upload, withdrawal};

fn start() -> (Server, TempDir) {
    start_with(&[])
}

/// [`start`] with further `serve` arguments.
fn start_with(args: &[&str]) -> (Server, TempDir) {
    let dist = TempDir::new("requests-api");
    dist.write(
        "index.html",
        b"<!doctype html><html><head><script type=\"module\">init()</script></head></html>",
    );
    (common::serve_args(&dist.0, args), dist)
}

fn pdf(n: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n".to_vec();
    bytes.resize(n, b'x');
    bytes
}

#[test]
fn a_submission_is_stored_once_and_replayed() {
    let (server, _dist) = start();
    let c = client();
    let key = new_key();
    let me = sign_in_for(&server.data_dir, &clearance(1));
    let body = clearance(1).to_string();
    let first = submit::submit(&c, &server.base, Some(&me), Some(&key), &body).unwrap();
    assert_eq!(first.status, 201, "{}", first.body);
    let code = first.body["tracking_code"].as_str().unwrap().to_owned();
    assert!(
        code.len() == 14 && code.as_bytes()[4] == b'-' && code.as_bytes()[9] == b'-',
        "{code}"
    );
    // A clearance starts at the first office of seed 002's route.
    assert_eq!(first.body["status"], "at_office:department");
    assert_eq!(first.body["kind"], "clearance");
    assert!(first.body["submitted_at"]["jalali"]
        .as_str()
        .unwrap()
        .starts_with("14"));
    assert!(first.body["submitted_at"]["utc"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    assert!(first.body.get("revocation_deadline").is_none());

    // The same key and body: the same answer, marked as a replay.
    let again = submit::submit(&c, &server.base, Some(&me), Some(&key), &body).unwrap();
    assert_eq!((again.status, &again.body), (201, &first.body));
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.headers["cache-control"], "no-store");

    // The same key with another body: refused, and nothing changes.
    let other = submit::submit(
        &c,
        &server.base,
        Some(&me),
        Some(&key),
        &clearance(2).to_string(),
    )
    .unwrap();
    assert_eq!(
        (other.status, other.code()),
        (422, "IDEMPOTENCY_KEY_REUSED")
    );
    // Even when the other body would be refused anyway.
    let invalid = submit::submit(
        &c,
        &server.base,
        Some(&me),
        Some(&key),
        r#"{"kind":"clearance"}"#,
    )
    .unwrap();
    assert_eq!(
        (invalid.status, invalid.code()),
        (422, "IDEMPOTENCY_KEY_REUSED")
    );

    // Looked up in any grouping and digit script.
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    let persian = rules::digits::to_persian_digits(&digits);
    let found = lookup(&c, &server.base, &persian, &submit::national_id(1));
    assert_eq!(found.status, 200, "{}", found.body);
    assert_eq!(found.body["tracking_code"], code.as_str());
    assert_eq!(found.body["status"], "at_office:department");
    let timeline = found.body["timeline"].as_array().unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0]["to"], "at_office:department");
    assert_eq!(timeline[0]["from"], Value::Null);
    assert_eq!(timeline[0]["action"], "submit");
    assert_eq!(timeline[0]["at"], first.body["submitted_at"]);
}

#[test]
fn an_exemption_is_rechecked_and_every_bad_field_named() {
    let (server, _dist) = start();
    let c = client();
    // Signed in by a provider that gives no mobile: the exemption's own is checked.
    let me = Some(sign_in(
        &server.data_dir,
        &Person {
            mobile: None,
            ..Person::of_request(&exemption())
        },
    ));
    let me = me.as_ref();
    let ok = submit::submit(
        &c,
        &server.base,
        me,
        Some(&new_key()),
        &exemption().to_string(),
    )
    .unwrap();
    assert_eq!(ok.status, 201, "{}", ok.body);
    let found = lookup(
        &c,
        &server.base,
        ok.body["tracking_code"].as_str().unwrap(),
        "0084575948",
    );
    assert_eq!(found.status, 200);

    let mut bad = exemption();
    bad["answers"]["mobile"] = json!("0812345678");
    bad["answers"]["residence_city"] = json!(" ");
    bad["national_id"] = json!("0084575949");
    let refused = submit::submit(&c, &server.base, me, Some(&new_key()), &bad.to_string()).unwrap();
    assert_eq!((refused.status, refused.code()), (422, "INVALID_INPUT"));
    let fields: Vec<&str> = refused.body["error"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["national_id", "mobile", "residence_city"]);
    assert_eq!(refused.body["error"]["field"], "national_id");
    assert!(!refused.body["error"]["message_fa"]
        .as_str()
        .unwrap()
        .is_empty());

    let mut unknown = exemption();
    unknown["answers"]["shoe_size"] = json!(44);
    let refused =
        submit::submit(&c, &server.base, me, Some(&new_key()), &unknown.to_string()).unwrap();
    assert_eq!(refused.body["error"]["field"], "shoe_size");

    // A refused body stores nothing under its key: the corrected body is accepted with it.
    let key = new_key();
    let refused = submit::submit(&c, &server.base, me, Some(&key), &bad.to_string()).unwrap();
    assert_eq!(refused.status, 422);
    let ok = submit::submit(&c, &server.base, me, Some(&key), &exemption().to_string()).unwrap();
    assert_eq!(ok.status, 201);
}

#[test]
fn client_errors_have_their_status_and_one_json_shape() {
    let (server, _dist) = start();
    let c = client();
    let session = sign_in_for(&server.data_dir, &clearance(3));
    let me = Some(&session);
    let body = clearance(3).to_string();
    let cases = [
        (
            submit::submit(&c, &server.base, me, None, &body).unwrap(),
            400,
            "IDEMPOTENCY_KEY_MISSING",
        ),
        (
            submit::submit(&c, &server.base, me, Some("not-a-uuid"), &body).unwrap(),
            400,
            "IDEMPOTENCY_KEY_INVALID",
        ),
        (
            submit::submit(&c, &server.base, me, Some(&new_key()), "{\"kind\":").unwrap(),
            422,
            "INVALID_INPUT",
        ),
        (
            submit::submit(&c, &server.base, me, Some(&new_key()), &"x".repeat(70_000)).unwrap(),
            413,
            "PAYLOAD_TOO_LARGE",
        ),
    ];
    for (answer, status, code) in cases {
        assert_eq!(
            (answer.status, answer.code()),
            (status, code),
            "{}",
            answer.body
        );
        for key in ["code", "field", "message_fa", "message_en"] {
            assert!(
                answer.body["error"].get(key).is_some(),
                "{key} in {}",
                answer.body
            );
        }
    }
    let text = submit::answer(
        c.post(format!("{}/api/v1/requests", server.base))
            .header("cookie", &session.cookie)
            .header("x-csrf-token", &session.csrf)
            .header("idempotency-key", new_key())
            .header("content-type", "text/plain")
            .body(body.clone())
            .send()
            .unwrap(),
    );
    assert_eq!((text.status, text.code()), (415, "UNSUPPORTED_MEDIA_TYPE"));
    let get = submit::answer(
        c.get(format!("{}/api/v1/requests", server.base))
            .send()
            .unwrap(),
    );
    assert_eq!((get.status, get.code()), (405, "METHOD_NOT_ALLOWED"));
    assert!(get.headers.contains_key("allow"));
    let missing = submit::answer(
        c.get(format!("{}/api/v2/anything", server.base))
            .send()
            .unwrap(),
    );
    assert_eq!((missing.status, missing.code()), (404, "NOT_FOUND"));
}

#[test]
fn every_answer_carries_the_security_headers_and_a_request_id() {
    let (server, _dist) = start();
    let c = client();
    for path in ["/", "/api/v1/health", "/api/nothing"] {
        let r = c
            .get(format!("{}{path}", server.base))
            .header("x-request-id", "trace-42")
            .send()
            .unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["x-request-id"], "trace-42", "{path}");
    }
    // The inline loader script of index.html is allowed by its hash, and nothing else inline.
    let csp = c.get(format!("{}/", server.base)).send().unwrap().headers()
        ["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    // sha256("init()") in base64.
    assert!(
        csp.contains("'sha256-w4ujnOpjBoH2vcasx+reJRUwYivG8Q3afx/XevGJod8='"),
        "{csp}"
    );
    let fresh = c
        .get(format!("{}/api/v1/health", server.base))
        .send()
        .unwrap();
    assert_eq!(fresh.headers()["x-request-id"].len(), 16);
}

#[test]
fn migration_0006_gives_every_existing_request_its_own_random_handle() {
    let dist = TempDir::new("handles-dist");
    dist.write("index.html", b"<!doctype html><title>app</title>");
    let data = TempDir::new("handles-data");
    let server = common::serve_with(&dist.0, &data.0, &[]);
    let c = client();
    for n in [11, 12, 13] {
        let me = sign_in_for(&server.data_dir, &clearance(n));
        let filed = submit::submit(
            &c,
            &server.base,
            Some(&me),
            Some(&new_key()),
            &clearance(n).to_string(),
        )
        .unwrap();
        assert_eq!(filed.status, 201, "{}", filed.body);
    }
    server.kill();
    // The database as it was before migration 0006.
    for statement in [
        "DROP INDEX requests_by_handle",
        "ALTER TABLE requests DROP COLUMN handle",
        "ALTER TABLE payments DROP COLUMN reported_amount_rials",
        "ALTER TABLE payments DROP COLUMN failure",
        "ALTER TABLE sandbox_payments DROP COLUMN paid_rials",
        "DELETE FROM _sqlx_migrations WHERE version = 6",
    ] {
        common::sql(&data.0, statement);
    }
    let again = common::serve_with(&dist.0, &data.0, &[]);
    let handles: Vec<String> = common::rows(&again.data_dir, "SELECT handle FROM requests")
        .into_iter()
        .map(|r| r[0].clone().expect("a handle"))
        .collect();
    assert_eq!(handles.len(), 3);
    let distinct: std::collections::BTreeSet<&String> = handles.iter().collect();
    assert_eq!(distinct.len(), 3, "{handles:?}");
    for h in &handles {
        assert!(
            h.len() == 32
                && h.bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
            "{h}"
        );
    }
}

#[test]
fn no_operation_takes_a_personal_value_in_its_url() {
    let (server, _dist) = start();
    let doc: Value = client()
        .get(format!("{}/api/v1/openapi.json", server.base))
        .send()
        .unwrap()
        .json()
        .unwrap();
    // A tracking code, a national ID, a mobile, a name or a search for any of them.
    let personal = [
        "code",
        "tracking_code",
        "national_id",
        "mobile",
        "name",
        "student_number",
        "q",
    ];
    let mut found = Vec::new();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            for p in operation["parameters"].as_array().into_iter().flatten() {
                let (name, place) = (p["name"].as_str().unwrap(), p["in"].as_str().unwrap());
                // The OpenID callback's `code` is the provider's authorization code.
                let oauth = place == "query" && name == "code" && path.contains("/oidc/");
                if matches!(place, "path" | "query") && personal.contains(&name) && !oauth {
                    found.push(format!("{method} {path}: {place} {name}"));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn strict_transport_security_only_behind_tls() {
    let c = client();
    let (plain, _dist) = start();
    for path in ["/", "/api/v1/health", "/api/nothing"] {
        let r = c.get(format!("{}{path}", plain.base)).send().unwrap();
        assert!(
            !r.headers().contains_key("strict-transport-security"),
            "{path}"
        );
    }
    drop(plain);
    let (tls, _dist) = start_with(&["--secure-cookies"]);
    for path in ["/", "/api/v1/health", "/api/nothing"] {
        let r = c.get(format!("{}{path}", tls.base)).send().unwrap();
        assert_eq!(
            r.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
}

/// The statuses of lookups sent with these `X-Forwarded-For` values, in order.
fn lookups_forwarded_for(server: &Server, forwarded: &[&str]) -> Vec<u16> {
    let c = client();
    forwarded
        .iter()
        .map(|f| {
            c.post(format!("{}/api/v1/requests/lookup", server.base))
                .header("content-type", "application/json")
                .header("x-forwarded-for", *f)
                .body(
                    json!({"tracking_code": "1000-0000-0001", "national_id": submit::national_id(7)})
                        .to_string(),
                )
                .send()
                .unwrap()
                .status()
                .as_u16()
        })
        .collect()
}

#[test]
fn x_forwarded_for_is_read_only_from_a_trusted_proxy() {
    let limit = ["--frozen-rate-limits", "--lookups-per-minute", "2"];
    // Not a trusted proxy: every client counts by the socket's peer, whatever the header says.
    let (direct, _dist) = start_with(&limit);
    assert_eq!(
        lookups_forwarded_for(&direct, &["198.51.100.1", "198.51.100.2", "198.51.100.3"]),
        [404, 404, 429]
    );
    drop(direct);
    // Behind a trusted proxy (the tests' 127.0.0.1): the client the proxy saw, the rightmost
    // address that is not a trusted proxy (what a client wrote before it does not count).
    let mut args = limit.to_vec();
    args.extend([
        "--trusted-proxy",
        "10.0.0.0/8",
        "--trusted-proxy",
        "127.0.0.1",
    ]);
    let (proxied, _dist) = start_with(&args);
    assert_eq!(
        lookups_forwarded_for(
            &proxied,
            &[
                "198.51.100.1",
                "203.0.113.9, 198.51.100.1",
                "198.51.100.1, 10.1.2.3",
                "198.51.100.2",
                "not an address",
                "",
            ]
        ),
        [404, 404, 429, 404, 404, 404]
    );
    // A malformed or empty header counts by the proxy itself, the two above its last tries.
    assert_eq!(lookups_forwarded_for(&proxied, &["nonsense"]), [429]);
}

#[test]
fn concurrent_replays_of_one_key_store_one_request() {
    let (server, _dist) = start();
    let key = new_key();
    let me = sign_in_for(&server.data_dir, &clearance(4));
    let body = clearance(4).to_string();
    let clients = 24;
    let barrier = Arc::new(Barrier::new(clients));
    let answers: Vec<_> = (0..clients)
        .map(|_| {
            let (barrier, base, key, body, me) = (
                barrier.clone(),
                server.base.clone(),
                key.clone(),
                body.clone(),
                me.clone(),
            );
            std::thread::spawn(move || {
                let c = client();
                barrier.wait();
                submit::submit(&c, &base, Some(&me), Some(&key), &body).unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| t.join().unwrap())
        .collect();
    let created: Vec<&Value> = answers
        .iter()
        .filter(|a| a.status == 201)
        .map(|a| &a.body)
        .collect();
    assert!(!created.is_empty());
    assert!(created.iter().all(|b| *b == created[0]), "{created:?}");
    for a in answers.iter().filter(|a| a.status != 201) {
        assert_eq!((a.status, a.code()), (409, "IDEMPOTENCY_KEY_IN_PROGRESS"));
        assert_eq!(a.headers["retry-after"], "1");
    }
    // After the dust settles, the key still answers the same, and only one request exists.
    let c = client();
    let last = submit::submit(&c, &server.base, Some(&me), Some(&key), &body).unwrap();
    assert_eq!((last.status, &last.body), (201, created[0]));
    let found = lookup(
        &c,
        &server.base,
        last.body["tracking_code"].as_str().unwrap(),
        &submit::national_id(4),
    );
    assert_eq!(found.body["timeline"].as_array().unwrap().len(), 1);
    eprintln!(
        "{} × 201, {} × 409",
        created.len(),
        answers.len() - created.len()
    );
}

#[test]
fn attachments_are_checked_for_size_and_type_and_must_exist_before_the_request() {
    let (server, _dist) = start();
    let c = client();
    let who = sign_in(
        &server.data_dir,
        &Person {
            national_id: submit::national_id(7),
            ..Person::default()
        },
    );
    let stored = upload(&c, &server.base, &who, pdf(2000));
    assert_eq!(stored.status, 201, "{}", stored.body);
    assert_eq!(stored.body["media_type"], "application/pdf");
    assert_eq!(stored.body["size"], 2000);
    assert_eq!(stored.body["sha256"].as_str().unwrap().len(), 64);
    // The same file again: the same record.
    assert_eq!(upload(&c, &server.base, &who, pdf(2000)).body, stored.body);

    let png = upload(&c, &server.base, &who, b"\x89PNG\r\n\x1a\n-rest-".to_vec());
    assert_eq!(
        (png.status, png.body["media_type"].as_str()),
        (201, Some("image/png"))
    );
    let html = upload(
        &c,
        &server.base,
        &who,
        b"<html><script>alert(1)</script></html>".to_vec(),
    );
    assert_eq!((html.status, html.code()), (415, "UNSUPPORTED_FILE_TYPE"));
    let tiny = upload(&c, &server.base, &who, b"GIF".to_vec());
    assert_eq!(tiny.status, 415);
    let empty = upload(&c, &server.base, &who, Vec::new());
    assert_eq!((empty.status, empty.code()), (422, "EMPTY_FILE"));
    let limit = rules::attachment::MAX_ATTACHMENT_BYTES as usize;
    assert_eq!(upload(&c, &server.base, &who, pdf(limit)).status, 201);
    // Declared too large: refused before a byte of the body is read. (A client that sends the
    // body anyway may see the connection closed under it instead of the answer.)
    let head = format!(
        "POST /api/v1/attachments HTTP/1.1\r\nhost: x\r\ncookie: {}\r\nx-csrf-token: {}\r\n\
         content-length: {}\r\n\r\n%PDF-",
        who.cookie,
        who.csrf,
        limit + 1
    );
    let mut socket =
        std::net::TcpStream::connect(server.base.trim_start_matches("http://")).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    socket.write_all(head.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = socket.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("FILE_TOO_LARGE"), "{answer}");
    match c
        .post(format!("{}/api/v1/attachments", server.base))
        .header("cookie", &who.cookie)
        .header("x-csrf-token", &who.csrf)
        .body(pdf(limit + 1))
        .send()
    {
        Ok(r) => assert_eq!(r.status().as_u16(), 413),
        Err(e) => eprintln!("oversized upload cut off: {e}"),
    }

    // Streamed without a length (chunked): cut off once past the limit.
    struct Endless(usize);
    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let head = b"%PDF-1.4";
            for (i, b) in buf.iter_mut().enumerate() {
                *b = head.get(self.0 + i).copied().unwrap_or(b'z');
            }
            self.0 += buf.len();
            Ok(buf.len())
        }
    }
    let streamed = c
        .post(format!("{}/api/v1/attachments", server.base))
        .header("cookie", &who.cookie)
        .header("x-csrf-token", &who.csrf)
        .body(reqwest::blocking::Body::new(Endless(0)))
        .send();
    match streamed {
        Ok(r) => assert_eq!(r.status().as_u16(), 413),
        // The server may close the connection while the client is still sending.
        Err(e) => eprintln!("streamed upload cut off: {e}"),
    }

    // A withdrawal may refer only to files uploaded with that size and type.
    let me = sign_in_for(&server.data_dir, &withdrawal(&stored.body));
    let me = Some(&me);
    let mut unknown = stored.body.clone();
    unknown["sha256"] = json!("ab".repeat(32));
    let refused = submit::submit(
        &c,
        &server.base,
        me,
        Some(&new_key()),
        &withdrawal(&unknown).to_string(),
    )
    .unwrap();
    assert_eq!(
        (refused.status, refused.body["error"]["field"].as_str()),
        (422, Some("withdrawal_form.sha256"))
    );
    let mut resized = stored.body.clone();
    resized["size"] = json!(1999);
    let refused = submit::submit(
        &c,
        &server.base,
        me,
        Some(&new_key()),
        &withdrawal(&resized).to_string(),
    )
    .unwrap();
    assert_eq!(refused.status, 422);
    let ok = submit::submit(
        &c,
        &server.base,
        me,
        Some(&new_key()),
        &withdrawal(&stored.body).to_string(),
    )
    .unwrap();
    assert_eq!(ok.status, 201, "{}", ok.body);
    let deadline = ok.body["revocation_deadline"].as_str().unwrap();
    assert!(deadline > ok.body["submitted_at"]["jalali"].as_str().unwrap());
    assert!(ok.body["final_ruling_from"].as_str().unwrap() > deadline);
    let found = lookup(
        &c,
        &server.base,
        ok.body["tracking_code"].as_str().unwrap(),
        &submit::national_id(7),
    );
    assert_eq!(found.body["revocation_deadline"], deadline);
}

#[test]
fn guessing_tracking_codes_gets_the_same_404_then_429() {
    // Frozen buckets: a token comes back every 6 s, which a loaded machine may take between
    // these lookups; the limit is what is tested, not the machine's speed.
    let (server, _dist) = start_with(&["--frozen-rate-limits"]);
    let c = client();
    let me = sign_in_for(&server.data_dir, &clearance(5));
    let created = submit::submit(
        &c,
        &server.base,
        Some(&me),
        Some(&new_key()),
        &clearance(5).to_string(),
    )
    .unwrap();
    let code = created.body["tracking_code"].as_str().unwrap();
    // The right code with another national ID looks exactly like a code that does not exist.
    let wrong_id = lookup(&c, &server.base, code, &submit::national_id(6));
    assert_eq!(wrong_id.status, 404);
    let mut statuses = Vec::new();
    for n in 0..12u64 {
        let guess = rules::tracking::TrackingCode::from_number(n * 7_919 + 1).grouped();
        let answer = lookup(&c, &server.base, &guess, &submit::national_id(5));
        if answer.status == 404 {
            assert_eq!(answer.body, wrong_id.body);
        }
        statuses.push(answer.status);
        if answer.status == 429 {
            assert_eq!(answer.code(), "RATE_LIMITED");
            let wait: u64 = answer.headers["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&wait));
        }
    }
    // 10 a minute: the wrong-ID lookup and 9 guesses, then only 429s.
    assert_eq!(statuses[..9], [404; 9]);
    assert_eq!(statuses[9..], [429; 3]);
    // Even the right pair is refused until the bucket refills.
    let right = lookup(&c, &server.base, code, &submit::national_id(5));
    assert_eq!(right.status, 429);
}

#[test]
fn a_malformed_lookup_is_named_not_counted_as_found() {
    let (server, _dist) = start();
    let c = client();
    let bad = lookup(&c, &server.base, "1234-5678-9013", "123");
    assert_eq!(bad.status, 422);
    let fields: Vec<&str> = bad.body["error"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["tracking_code", "national_id"]);
    let extra = post_json(
        &c,
        &server.base,
        "/api/v1/requests/lookup",
        &json!({"tracking_code": "1", "national_id": "2", "name": "x"}),
    );
    assert_eq!(
        (extra.status, extra.body["error"]["field"].as_str()),
        (422, Some("name"))
    );
}

#[test]
fn a_request_that_takes_too_long_gets_408() {
    let dist = TempDir::new("requests-timeout");
    let data = TempDir::new("requests-timeout-data");
    let server = common::serve_with(&dist.0, &data.0, &["--request-timeout", "1"]);
    let who = sign_in(
        &data.0,
        &Person {
            national_id: submit::national_id(8),
            ..Person::default()
        },
    );
    struct Slow(bool);
    impl Read for Slow {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if !self.0 {
                self.0 = true;
                buf[..8].copy_from_slice(b"%PDF-1.4");
                return Ok(8);
            }
            std::thread::sleep(Duration::from_secs(3));
            Ok(0)
        }
    }
    let answer = submit::answer(
        client()
            .post(format!("{}/api/v1/attachments", server.base))
            .header("cookie", &who.cookie)
            .header("x-csrf-token", &who.csrf)
            .body(reqwest::blocking::Body::new(Slow(false)))
            .send()
            .unwrap(),
    );
    assert_eq!((answer.status, answer.code()), (408, "REQUEST_TIMEOUT"));
}

/// The router's routes as `app()` in `src/http/mod.rs` declares them (the route table is in one
/// place): each `.route("path", get(…).post(…))` gives "method path" pairs; the catch-all
/// `/api/{*rest}` (a JSON 404) is left out.
fn router_routes() -> Vec<String> {
    let source = include_str!("../src/http/mod.rs");
    let table = &source[source
        .find("pub fn app(")
        .expect("app() in src/http/mod.rs")..];
    let mut routes = Vec::new();
    for call in table.split(".route(").skip(1) {
        // The call's text: up to the parenthesis that closes `.route(`.
        let mut depth = 1;
        let end = call
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '(' => 1,
                    ')' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map(|(i, _)| i)
            .expect("a closed .route( call");
        let call = &call[..end];
        let path = call.split('"').nth(1).expect("a path literal");
        if path == "/api/{*rest}" {
            continue;
        }
        let handlers = &call[call.find(',').expect("a handler") + 1..];
        for method in ["get", "post", "put", "patch", "delete", "any"] {
            let called = handlers
                .match_indices(&format!("{method}("))
                .any(|(i, _)| i == 0 || !handlers.as_bytes()[i - 1].is_ascii_alphanumeric());
            if called {
                routes.push(format!("{method} {path}"));
            }
        }
    }
    routes
}

#[test]
fn the_openapi_description_matches_the_routes() {
    // The sandbox gateway's pages are documented, and routed when it is the configured gateway.
    let (server, _dist) = start_with(&["--payment-gateway", "sandbox"]);
    let c = client();
    let doc: Value = c
        .get(format!("{}/api/v1/openapi.json", server.base))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let mut documented = Vec::new();
    for (path, operations) in paths {
        for method in operations.as_object().unwrap().keys() {
            documented.push(format!("{method} {path}"));
            let url = format!(
                "{}{}",
                server.base,
                path.replace("{id}", "1")
                    .replace("{handle}", &"ab".repeat(16))
                    .replace("{field}", "withdrawal_form")
                    .replace("{authority}", "unknown")
                    .replace("{provider}", "unknown")
            );
            let answer = match method.as_str() {
                "get" => c.get(&url),
                "post" => c.post(&url),
                "put" => c.put(&url),
                "patch" => c.patch(&url),
                "delete" => c.delete(&url),
                other => panic!("unexpected method {other}"),
            };
            let answer = if method == "get" {
                answer
            } else {
                answer.header("content-type", "application/json").body("{}")
            }
            .send()
            .unwrap();
            let status = answer.status().as_u16();
            // Under /api a 404 is the catch-all's (no such route) unless it names a field (the
            // sign-in's unknown provider); elsewhere only a JSON NOT_FOUND about the thing named
            // (the sandbox's unknown payment) is a handler's.
            let routed = status != 405
                && (status != 404 || {
                    let body: Value = answer.json().unwrap_or(Value::Null);
                    body["error"]["code"] == "NOT_FOUND"
                        && (!path.starts_with("/api/") || body["error"]["field"].is_string())
                });
            assert!(routed, "{method} {path} answered {status}");
            // Every method the document does not list on a path is refused there.
            for other in ["get", "post", "put", "patch", "delete"] {
                if operations.get(other).is_some() {
                    continue;
                }
                let status = c
                    .request(other.to_uppercase().parse().unwrap(), &url)
                    .send()
                    .unwrap()
                    .status()
                    .as_u16();
                assert_eq!(status, 405, "{other} {path} (not documented)");
            }
        }
    }
    documented.sort();
    // The router's table, its one templated rule path standing for one path per rule.
    let mut routed: Vec<String> = router_routes()
        .into_iter()
        .flat_map(|route| match route.as_str() {
            "post /api/v1/{rule}" => rules::Tool::ALL
                .iter()
                .map(|t| format!("post /api/v1/{}", t.name()))
                .collect(),
            _ => vec![route],
        })
        .collect();
    routed.sort();
    assert_eq!(
        documented, routed,
        "the document and src/http/mod.rs's routes"
    );
    assert_eq!(
        documented,
        [
            "delete /api/v1/admin/users/{id}/second-factor",
            "get /api/v1/admin/audit/verify",
            "get /api/v1/admin/notifications",
            "get /api/v1/admin/offices",
            "get /api/v1/admin/universities/{university}/faculties",
            "get /api/v1/admin/universities/{university}/offices",
            "get /api/v1/admin/users",
            "get /api/v1/applicant/request",
            "get /api/v1/health",
            "get /api/v1/openapi.json",
            "get /api/v1/payments/callback",
            "get /api/v1/signin/me",
            "get /api/v1/signin/methods",
            "get /api/v1/signin/oidc/callback",
            "get /api/v1/signin/oidc/{provider}/start",
            "get /api/v1/signin/reminders",
            "get /api/v1/signin/requests",
            "get /api/v1/staff/art34",
            "get /api/v1/staff/cartable",
            "get /api/v1/staff/dashboard",
            "get /api/v1/staff/me",
            "get /api/v1/staff/requests/{handle}",
            "get /api/v1/staff/requests/{handle}/attachments/{field}",
            "get /api/v1/universities",
            "get /sandbox-gateway/{authority}",
            "patch /api/v1/admin/users/{id}",
            "post /api/v1/admin/roster",
            "post /api/v1/admin/universities",
            "post /api/v1/admin/universities/{university}/faculties",
            "post /api/v1/admin/users",
            "post /api/v1/applicant/code",
            "post /api/v1/applicant/request/actions",
            "post /api/v1/applicant/request/payment",
            "post /api/v1/applicant/session",
            "post /api/v1/attachments",
            "post /api/v1/discharge",
            "post /api/v1/precheck",
            "post /api/v1/presentation",
            "post /api/v1/requests",
            "post /api/v1/requests/lookup",
            "post /api/v1/revocation",
            "post /api/v1/signin/code",
            "post /api/v1/signin/logout",
            "post /api/v1/signin/requests/open",
            "post /api/v1/signin/verify",
            "post /api/v1/staff/art34/events",
            "post /api/v1/staff/cartable/search",
            "post /api/v1/staff/login",
            "post /api/v1/staff/login/second-factor",
            "post /api/v1/staff/logout",
            "post /api/v1/staff/requests",
            "post /api/v1/staff/requests/{handle}/actions",
            "post /api/v1/staff/second-factor/confirm",
            "post /api/v1/staff/second-factor/enrol",
            "post /api/v1/travel",
            "post /sandbox-gateway/{authority}",
            "put /api/v1/admin/offices",
            "put /api/v1/admin/universities/{university}/offices",
            "put /api/v1/signin/reminders",
        ]
    );
    // And what is not documented does not answer.
    for (method, path) in [
        ("get", "/api/v1/requests"),
        ("get", "/api/v1/attachments"),
        ("post", "/api/v1/requests/status"),
    ] {
        let url = format!("{}{path}", server.base);
        let status = if method == "get" {
            c.get(&url).send()
        } else {
            c.post(&url).send()
        }
        .unwrap()
        .status()
        .as_u16();
        assert!(status == 404 || status == 405, "{method} {path}: {status}");
    }
}
