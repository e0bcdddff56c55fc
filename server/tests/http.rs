//! The server over a real socket: the rules API and the built app, as a browser or a script
//! reaches them.

mod common;

use common::{Server, TempDir};
use serde_json::{json, Value};

/// The server with a one-page `dist/`; the directory goes with the returned guard.
fn start() -> (Server, TempDir) {
    let dist = TempDir::new("http");
    dist.write(
        "index.html",
        "<!doctype html><html dir=\"rtl\" lang=\"fa\"><title>پیشخوان</title></html>".as_bytes(),
    );
    // The tools bundle's shell (the pre-check and the tool pages).
    dist.write(
        "tools/index.html",
        "<!doctype html><html dir=\"rtl\" lang=\"fa\"><title>ابزارها</title></html>".as_bytes(),
    );
    (common::serve(&dist.0), dist)
}

fn post(server: &Server, path: &str, body: &str) -> (u16, Value) {
    let response = reqwest::blocking::Client::new()
        .post(format!("{}{path}", server.base))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().unwrap())
}

#[test]
fn rules_api_answers_and_names_bad_fields() {
    let (server, _dist) = start();
    let (status, body) = post(
        &server,
        "/api/v1/revocation",
        &json!({"today": "۱۴۰۳/۰۸/۰۱", "submitted": "1403-06-01", "revocations_used": 0})
            .to_string(),
    );
    assert_eq!(status, 200);
    assert_eq!(body["revocation_deadline"], "1403-08-01");
    assert_eq!(body["can_revoke"], true);
    assert_eq!(body["final_ruling_from"], "1403-08-02");

    let (status, body) = post(
        &server,
        "/api/v1/revocation",
        r#"{"today":"1403-08-01","submitted":"1403-06-01"}"#,
    );
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "INVALID_INPUT");
    assert_eq!(body["error"]["field"], "revocations_used");

    let (status, body) = post(&server, "/api/v1/precheck", "{not json");
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], Value::Null);

    let (status, body) = post(&server, "/api/v1/nonsense", "{}");
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "NOT_FOUND");
}

#[test]
fn serves_the_app_with_a_fallback_for_client_routes() {
    let (server, _dist) = start();
    let health: Value = reqwest::blocking::get(format!("{}/api/v1/health", server.base))
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(health["status"], "ok");
    for (path, shell) in [
        ("/", "پیشخوان"),
        ("/not-a-route", "پیشخوان"),
        ("/precheck", "ابزارها"),
        ("/deadline/revocation", "ابزارها"),
        ("/precheck/result", "ابزارها"),
    ] {
        let response = reqwest::blocking::get(format!("{}{path}", server.base)).unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let text = response.text().unwrap();
        assert!(
            text.contains("dir=\"rtl\"") && text.contains(shell),
            "{path}: {text}"
        );
    }
}
