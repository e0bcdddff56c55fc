//! The one way the staff pages call the staff API of docs/staff-api.md: the shell's `fetch`
//! with the session cookie, JSON bodies (the `api` crate's types, as the server reads and writes
//! them), and the session's CSRF token (sent on every call that is not a `GET`); errors read in
//! the one shape of docs/api.md.

use std::cell::RefCell;

use serde::Serialize;
use serde_json::Value;

use crate::shell::http::{self, server_errors, Auth, ServerError};

/// A failed call: the network, or the server's error (docs/api.md).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ApiError {
    /// 0: no answer (offline).
    pub status: u16,
    pub code: String,
    pub errors: Vec<ServerError>,
    /// `Retry-After`, seconds.
    pub retry_after: Option<u64>,
    /// A 409 `STALE_VERSION`'s current version.
    pub current_version: Option<i64>,
}

impl ApiError {
    pub fn network() -> ApiError {
        ApiError {
            status: 0,
            code: "NETWORK".into(),
            errors: Vec::new(),
            retry_after: None,
            current_version: None,
        }
    }

    /// Reads an error answer.
    pub fn read(status: u16, body: &str, retry_after: Option<&str>) -> ApiError {
        let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let error = &json["error"];
        ApiError {
            status,
            code: error["code"].as_str().unwrap_or_default().to_owned(),
            errors: server_errors(&json, status),
            retry_after: retry_after.and_then(|s| s.trim().parse().ok()),
            current_version: error["current_version"]
                .as_i64()
                .or_else(|| json["current_version"].as_i64()),
        }
    }

    /// The server's messages in `lang` (fields named as the server named them).
    pub fn messages(&self, fa: bool) -> Vec<String> {
        self.errors
            .iter()
            .map(|e| {
                if fa {
                    e.message_fa.clone()
                } else {
                    e.message_en.clone()
                }
            })
            .filter(|m| !m.is_empty())
            .collect()
    }
}

/// Reads an answer: 2xx as `T` (an empty body as `null`), anything else as an [`ApiError`].
pub fn read_reply<T: serde::de::DeserializeOwned>(
    status: u16,
    body: &str,
    retry_after: Option<&str>,
) -> Result<T, ApiError> {
    if !(200..300).contains(&status) {
        return Err(ApiError::read(status, body, retry_after));
    }
    let body = if body.trim().is_empty() { "null" } else { body };
    serde_json::from_str(body).map_err(|_| ApiError {
        code: "BAD_ANSWER".into(),
        ..ApiError::read(status, "", None)
    })
}

thread_local! {
    /// The session's CSRF token (from login or `/me`), sent on every call that is not a GET.
    static CSRF: RefCell<String> = const { RefCell::new(String::new()) };
}

pub fn set_csrf(token: &str) {
    CSRF.with(|c| *c.borrow_mut() = token.to_owned());
}

/// The sign-in page, where any other call's 401 leads.
pub const LOGIN_PATH: &str = "/staff/login";

/// `GET url` as `T`.
pub async fn get<T: serde::de::DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    call("GET", url, None).await
}

/// `method url` with a JSON body, as `T`.
pub async fn send<T: serde::de::DeserializeOwned>(
    method: &str,
    url: &str,
    body: &impl Serialize,
) -> Result<T, ApiError> {
    let json = serde_json::to_string(body).unwrap_or_default();
    call(method, url, Some(json)).await
}

async fn call<T: serde::de::DeserializeOwned>(
    method: &str,
    url: &str,
    body: Option<String>,
) -> Result<T, ApiError> {
    let token = CSRF.with(|c| c.borrow().clone());
    let mut headers = vec![("accept", "application/json")];
    if body.is_some() {
        headers.push(("content-type", "application/json"));
    }
    let body = body.map(|b| wasm_bindgen::JsValue::from_str(&b));
    let reply = http::fetch(method, url, body.as_ref(), &headers, Auth::Csrf(&token))
        .await
        .map_err(|_| ApiError::network())?;
    let answer = read_reply(reply.status, &reply.body, reply.retry_after.as_deref());
    if let Err(e) = &answer {
        // The session ended (expired, signed out elsewhere): back to the sign-in page.
        if e.status == 401 && e.code == "NOT_SIGNED_IN" {
            to_login();
        }
    }
    answer
}

#[cfg(target_arch = "wasm32")]
fn to_login() {
    if let Some(w) = web_sys::window() {
        if w.location().pathname().ok().as_deref() != Some(LOGIN_PATH) {
            let _ = w.location().assign(LOGIN_PATH);
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn to_login() {}

/// A path segment or query value, percent-encoded.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The cartable's URL for these filters (empty ones left out). A search is never in a URL: it is
/// [`cartable_search`]'s body.
pub fn cartable_url(process: &str, state: &str) -> String {
    let params: Vec<String> = [("process", process), ("state", state)]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if params.is_empty() {
        "/api/v1/staff/cartable".into()
    } else {
        format!("/api/v1/staff/cartable?{}", params.join("&"))
    }
}

/// `POST /api/v1/staff/cartable/search`'s body for these filters and a search (not empty).
pub fn cartable_search(process: &str, state: &str, q: &str) -> api::staff::CartableSearch {
    let some = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    api::staff::CartableSearch {
        process: some(process),
        state: some(state),
        q: some(q.trim()),
    }
}

/// The cartable for these filters; with a search, by `POST` (the search in the body).
pub async fn cartable(
    process: &str,
    state: &str,
    q: &str,
) -> Result<api::staff::Cartable, ApiError> {
    if q.trim().is_empty() {
        get(&cartable_url(process, state)).await
    } else {
        send(
            "POST",
            "/api/v1/staff/cartable/search",
            &cartable_search(process, state, q),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api::staff::{
        AuditCheck, Cartable, Detail, Move, Notifications, Offices, StaffSession, Users,
    };
    use serde_json::json;

    #[test]
    fn reads_the_session_and_the_cartable() {
        let s: StaffSession = serde_json::from_value(json!({
            "user": {"id": 7, "username": "uni", "display_name": "کاربر", "role": "university_user",
                     "role_fa": "کاربر دانشگاه", "role_en": "University user", "scope": "*"},
            "csrf_token": "abc"}))
        .unwrap();
        assert_eq!(s.user.id, 7);
        assert_eq!(s.user.role.id, "university_user");
        let c: Cartable = serde_json::from_value(json!({
            "counts": [{"state": "at_university", "state_fa": "در کارتابل دانشگاه", "state_en": "With the university", "n": 2}],
            "total": 2,
            "requests": [{"handle": "0123456789abcdef0123456789abcdef", "tracking_code": "123456789012", "kind": "exemption", "process": "exemption_a1",
                "state": "at_university", "state_fa": "…", "state_en": "…", "national_id": "0012345679",
                "submitted_jalali": "1403-07-15", "updated_jalali": "1403-07-16", "version": 3}]}))
        .unwrap();
        assert_eq!(c.requests[0].version, 3);
        assert_eq!(c.counts[0].n, 2);
    }

    #[test]
    fn reads_a_detail_and_writes_an_action() {
        let d: Detail = serde_json::from_value(json!({
            "handle": "0123456789abcdef0123456789abcdef", "tracking_code": "123456789012", "kind": "withdrawal", "process": "withdrawal",
            "state": "awaiting_ruling", "state_fa": "…", "state_en": "…", "version": 5,
            "national_id": "0012345679", "mobile": null,
            "submitted_at": {"jalali": "1403-07-15", "utc": "2024-10-06T06:50:00Z"},
            "answers": {"faculty": "فنی", "level": "phd"}, "precheck": null,
            "attachments": [{"field": "withdrawal_form", "file_name": "f.pdf", "media_type": "application/pdf",
                "size": 1200, "sha256": "ab", "url": "/api/v1/staff/requests/0123456789abcdef0123456789abcdef/attachments/withdrawal_form"}],
            "deadlines": {"revocation_deadline": "1403-09-15", "final_ruling_from": "1403-09-16", "can_revoke": true},
            "audit": [{"id": 1, "at": {"jalali": "1403-07-15", "utc": "2024-10-06T06:50:00Z"}, "from": null,
                "to": "submitted", "action": "submit", "action_fa": "ثبت درخواست", "action_en": "Request filed",
                "actor": "applicant", "actor_role": "applicant", "actor_role_fa": null, "actor_role_en": null,
                "note": null, "data": {}, "row_hash": "0123456789abcdef"}],
            "actions": [{"action": "confirm_welfare_debt", "action_fa": "…", "action_en": "…", "needs": ["debt_rials", "note"]}]}))
        .unwrap();
        assert_eq!(d.deadlines.unwrap().final_ruling_from, "1403-09-16");
        assert_eq!(d.actions[0].needs, ["debt_rials", "note"]);
        assert_eq!(d.audit[0].id, 1);
        assert_eq!(d.audit[0].actor_role.id, "applicant");
        let body = Move {
            action: Some("confirm_welfare_debt".into()),
            version: Some(5),
            data: serde_json::from_value(json!({"debt_rials": 1_000_000})).ok(),
        };
        let sent = serde_json::to_value(body).unwrap();
        assert_eq!(
            (
                &sent["action"],
                &sent["version"],
                &sent["data"]["debt_rials"]
            ),
            (&json!("confirm_welfare_debt"), &json!(5), &json!(1_000_000))
        );
        let d: Detail = serde_json::from_value(json!({
            "handle": "h", "tracking_code": "1", "kind": "exemption", "process": "exemption_a2", "state": "registered",
            "state_fa": "…", "state_en": "…", "version": 0, "national_id": "1", "mobile": null,
            "submitted_at": {"jalali": "", "utc": ""}, "answers": {}, "precheck": null,
            "attachments": [], "deadlines": null, "audit": [], "actions": []}))
        .unwrap();
        assert!(d.deadlines.is_none());
    }

    #[test]
    fn reads_errors_in_the_one_shape() {
        let e = ApiError::read(
            409,
            r#"{"error": {"code": "STALE_VERSION", "field": null, "message_fa": "الف", "message_en": "a", "current_version": 6}}"#,
            None,
        );
        assert_eq!(
            (e.code.as_str(), e.current_version),
            ("STALE_VERSION", Some(6))
        );
        assert_eq!(e.messages(true), ["الف"]);
        let e = ApiError::read(
            422,
            r#"{"error": {"code": "INVALID_INPUT", "field": "mobile", "message_fa": "م", "message_en": "m",
                "errors": [{"field": "mobile", "message_fa": "م", "message_en": "m"}, {"field": "level", "message_fa": "ل", "message_en": "l"}]}}"#,
            None,
        );
        assert_eq!(e.errors.len(), 2);
        assert_eq!(e.errors[1].field.as_deref(), Some("level"));
        let e = ApiError::read(429, r#"{"error": {"code": "RATE_LIMITED"}}"#, Some("900"));
        assert_eq!(e.retry_after, Some(900));
        assert_eq!(read_reply::<()>(204, "", None), Ok(()));
    }

    #[test]
    fn reads_admin_answers() {
        let log: Notifications =
            serde_json::from_value(json!({"notifications": [{"id": 1, "tracking_code": "1",
            "kind": "moved", "mobile": null, "message_fa": "…",
            "created_at": {"jalali": "1403-07-15", "utc": "2024-10-06T06:50:00Z"}, "sent_at": null,
            "attempts": 0, "last_error": null}]}))
            .unwrap();
        assert_eq!(log.notifications[0].mobile, None);
        let check: AuditCheck =
            serde_json::from_value(json!({"ok": false, "requests": 3, "rows": 9,
            "broken": [{"tracking_code": "1", "audit_id": 4, "reason": "hash"}, {"tracking_code": "2", "audit_id": null, "reason": "no row"}]}))
            .unwrap();
        assert_eq!(check.broken[0].audit_id, Some(4));
        assert_eq!(check.broken[1].audit_id, None);
        let users: Users = serde_json::from_value(json!({"users": [{"id": 2, "username": "police",
            "display_name": "پلیس", "role": "police_office", "role_fa": "…", "role_en": "…", "scope": "*",
            "active": true, "locked_until": 1_800_000_000}]}))
        .unwrap();
        assert_eq!(users.users[0].locked_until, Some(1_800_000_000));
        let offices: Offices = serde_json::from_value(json!({"offices": [{"id": "welfare", "name_fa": "رفاه", "name_en": "Welfare", "records_debt": true}]})).unwrap();
        assert!(offices.offices[0].records_debt);
    }

    #[test]
    fn cartable_urls_encode_their_filters() {
        assert_eq!(cartable_url("", ""), "/api/v1/staff/cartable");
        assert_eq!(
            cartable_url("withdrawal", "at_office:welfare"),
            "/api/v1/staff/cartable?process=withdrawal&state=at_office%3Awelfare"
        );
        let search = cartable_search("", "at_office:welfare", " 1234 5678 ");
        assert_eq!(
            serde_json::to_value(&search).unwrap(),
            json!({"process": null, "state": "at_office:welfare", "q": "1234 5678"})
        );
    }
}
