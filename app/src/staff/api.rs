//! The staff API of docs/staff-api.md as data (what the pages read and send) and the one way of
//! calling it: the shell's `fetch` with the session cookie, JSON bodies, and the session's CSRF
//! token (sent on every call that is not a `GET`); errors read in the one shape of docs/api.md.

use std::cell::RefCell;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

pub use crate::shell::http::ServerError;
use crate::shell::http::{self, server_errors, Auth};
pub use rules::requests::ClearanceOffice;

/// A numeric or text id, kept as text (it only goes back into URLs).
fn id_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => s,
        other => other.to_string(),
    })
}

/// A signed-in clerk (`user`); the admin's list adds `active` and `locked_until`.
#[derive(Clone, PartialEq, Eq, Debug, Default, Deserialize)]
pub struct User {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    #[serde(default)]
    pub role_fa: String,
    #[serde(default)]
    pub role_en: String,
    #[serde(default)]
    pub scope: String,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub locked_until: Option<String>,
}

fn yes() -> bool {
    true
}

/// `POST /staff/login` and `GET /staff/me`.
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
}

/// `{jalali, utc}` of a moment.
#[derive(Clone, PartialEq, Eq, Debug, Default, Deserialize)]
pub struct Stamp {
    #[serde(default)]
    pub jalali: String,
    #[serde(default)]
    pub utc: String,
}

#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct StateCount {
    pub state: String,
    #[serde(default)]
    pub state_fa: String,
    #[serde(default)]
    pub state_en: String,
    pub n: u32,
}

#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct CartableRow {
    pub tracking_code: String,
    pub kind: String,
    pub process: String,
    pub state: String,
    #[serde(default)]
    pub state_fa: String,
    #[serde(default)]
    pub state_en: String,
    pub national_id: String,
    pub submitted_jalali: String,
    pub updated_jalali: String,
    pub version: i64,
}

/// `GET /staff/cartable`.
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct Cartable {
    pub counts: Vec<StateCount>,
    pub total: u32,
    pub requests: Vec<CartableRow>,
}

#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct Attachment {
    pub field: String,
    pub file_name: String,
    #[serde(default)]
    pub media_type: String,
    #[serde(default)]
    pub size: u64,
    #[serde(default)]
    pub sha256: String,
    pub url: String,
}

#[derive(Clone, PartialEq, Eq, Debug, Default, Deserialize)]
pub struct Deadlines {
    #[serde(default)]
    pub revocation_deadline: Option<String>,
    #[serde(default)]
    pub final_ruling_from: Option<String>,
}

#[derive(Clone, PartialEq, Debug, Deserialize)]
pub struct AuditRow {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    pub at: Stamp,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    pub action: String,
    #[serde(default)]
    pub action_fa: String,
    #[serde(default)]
    pub action_en: String,
    #[serde(default)]
    pub actor: Option<String>,
    /// The role's name as the server knows it (offices included; this page may not read them).
    #[serde(default)]
    pub actor_role_fa: Option<String>,
    #[serde(default)]
    pub actor_role_en: Option<String>,
    #[serde(default)]
    pub actor_role: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub row_hash: String,
}

/// A move the clerk may make now, and the data it needs.
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct ActionOffer {
    pub action: String,
    #[serde(default)]
    pub action_fa: String,
    #[serde(default)]
    pub action_en: String,
    #[serde(default)]
    pub needs: Vec<String>,
}

/// `GET /staff/requests/{code}` (and the answer of a move or a filing).
#[derive(Clone, PartialEq, Debug, Deserialize)]
pub struct Detail {
    pub tracking_code: String,
    pub kind: String,
    pub process: String,
    pub state: String,
    #[serde(default)]
    pub state_fa: String,
    #[serde(default)]
    pub state_en: String,
    pub version: i64,
    pub national_id: String,
    #[serde(default)]
    pub mobile: Option<String>,
    pub submitted_at: Stamp,
    #[serde(default)]
    pub answers: serde_json::Map<String, Value>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default)]
    pub deadlines: Option<Deadlines>,
    #[serde(default)]
    pub audit: Vec<AuditRow>,
    #[serde(default)]
    pub actions: Vec<ActionOffer>,
}

/// `POST /staff/requests/{code}/actions`.
#[derive(Clone, PartialEq, Debug, Serialize)]
pub struct ActionRequest {
    pub action: String,
    pub version: i64,
    pub data: Value,
}

#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct Art34Row {
    pub national_id: String,
    pub event: String,
    #[serde(default)]
    pub event_fa: String,
    pub event_date: String,
    pub present_by: String,
    #[serde(default)]
    pub overdue: bool,
    #[serde(default)]
    pub tracking_code: Option<String>,
}

/// `GET /staff/art34`.
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct Art34 {
    pub today: String,
    pub rows: Vec<Art34Row>,
}

#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct Users {
    pub users: Vec<User>,
}

#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Offices {
    pub offices: Vec<ClearanceOffice>,
}

#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct Notification {
    #[serde(deserialize_with = "id_text")]
    pub id: String,
    #[serde(default)]
    pub tracking_code: Option<String>,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub message_fa: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub sent_at: Option<String>,
    #[serde(default)]
    pub attempts: u32,
    #[serde(default)]
    pub last_error: Option<String>,
}

/// The SMS log: a bare list, or `{notifications: [...]}`.
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
#[serde(untagged)]
pub enum NotificationLog {
    List(Vec<Notification>),
    Wrapped { notifications: Vec<Notification> },
}

impl NotificationLog {
    pub fn into_vec(self) -> Vec<Notification> {
        match self {
            NotificationLog::List(v) | NotificationLog::Wrapped { notifications: v } => v,
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct BrokenRow {
    pub tracking_code: String,
    #[serde(deserialize_with = "id_text")]
    pub audit_id: String,
    pub reason: String,
}

/// `GET /admin/audit/verify`.
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
pub struct AuditCheck {
    pub ok: bool,
    pub requests: u64,
    pub rows: u64,
    #[serde(default)]
    pub broken: Vec<BrokenRow>,
}

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

/// The cartable's URL for these filters (empty ones left out).
pub fn cartable_url(process: &str, state: &str, q: &str) -> String {
    let params: Vec<String> = [("process", process), ("state", state), ("q", q.trim())]
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_session_and_the_cartable() {
        let s: Session = serde_json::from_value(json!({
            "user": {"id": 7, "username": "uni", "display_name": "کاربر", "role": "university_user",
                     "role_fa": "کاربر دانشگاه", "role_en": "University user", "scope": "*"},
            "csrf_token": "abc"}))
        .unwrap();
        assert_eq!(s.user.id, "7");
        assert!(s.user.active);
        let c: Cartable = serde_json::from_value(json!({
            "counts": [{"state": "at_university", "state_fa": "در کارتابل دانشگاه", "state_en": "With the university", "n": 2}],
            "total": 2,
            "requests": [{"tracking_code": "123456789012", "kind": "exemption", "process": "exemption_a1",
                "state": "at_university", "state_fa": "…", "state_en": "…", "national_id": "0012345679",
                "submitted_jalali": "1403-07-15", "updated_jalali": "1403-07-16", "version": 3}]}))
        .unwrap();
        assert_eq!(c.requests[0].version, 3);
        assert_eq!(c.counts[0].n, 2);
    }

    #[test]
    fn reads_a_detail_and_writes_an_action() {
        let d: Detail = serde_json::from_value(json!({
            "tracking_code": "123456789012", "kind": "withdrawal", "process": "withdrawal",
            "state": "awaiting_ruling", "state_fa": "…", "state_en": "…", "version": 5,
            "national_id": "0012345679", "mobile": null,
            "submitted_at": {"jalali": "1403-07-15 10:20", "utc": "2024-10-06T06:50:00Z"},
            "answers": {"faculty": "فنی", "level": "phd"},
            "attachments": [{"field": "withdrawal_form", "file_name": "f.pdf", "media_type": "application/pdf",
                "size": 1200, "sha256": "ab", "url": "/api/v1/staff/requests/123456789012/attachments/withdrawal_form"}],
            "deadlines": {"revocation_deadline": "1403-09-15", "final_ruling_from": "1403-09-16"},
            "audit": [{"id": 1, "at": {"jalali": "…", "utc": "2024-10-06T06:50:00Z"}, "from": null,
                "to": "submitted", "action": "submit", "action_fa": "ثبت درخواست", "action_en": "Request filed",
                "actor": "applicant", "actor_role": "applicant", "note": null, "data": {}, "row_hash": "0123456789abcdef"}],
            "actions": [{"action": "confirm_welfare_debt", "action_fa": "…", "action_en": "…", "needs": ["debt_rials", "note"]}]}))
        .unwrap();
        assert_eq!(
            d.deadlines.unwrap().final_ruling_from.as_deref(),
            Some("1403-09-16")
        );
        assert_eq!(d.actions[0].needs, ["debt_rials", "note"]);
        assert_eq!(d.audit[0].id, "1");
        let body = ActionRequest {
            action: "confirm_welfare_debt".into(),
            version: 5,
            data: json!({"debt_rials": 1_000_000}),
        };
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            json!({"action": "confirm_welfare_debt", "version": 5, "data": {"debt_rials": 1000000}})
        );
        let d: Detail = serde_json::from_value(json!({
            "tracking_code": "1", "kind": "exemption", "process": "exemption_a2", "state": "registered",
            "version": 0, "national_id": "1", "submitted_at": {"jalali": "", "utc": ""},
            "answers": {}, "attachments": [], "deadlines": null, "audit": [], "actions": []}))
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
        let e = ApiError::read(423, r#"{"error": {"code": "ACCOUNT_LOCKED"}}"#, Some("900"));
        assert_eq!(e.retry_after, Some(900));
        assert_eq!(read_reply::<()>(204, "", None), Ok(()));
    }

    #[test]
    fn reads_admin_answers() {
        let log: NotificationLog = serde_json::from_value(json!([{"id": 1, "tracking_code": "1", "kind": "moved",
            "mobile": "09120000000", "message_fa": "…", "created_at": "2024", "sent_at": null, "attempts": 0, "last_error": null}]))
        .unwrap();
        assert_eq!(log.into_vec().len(), 1);
        let log: NotificationLog = serde_json::from_value(json!({"notifications": []})).unwrap();
        assert!(log.into_vec().is_empty());
        let check: AuditCheck =
            serde_json::from_value(json!({"ok": false, "requests": 3, "rows": 9,
            "broken": [{"tracking_code": "1", "audit_id": 4, "reason": "hash"}]}))
            .unwrap();
        assert_eq!(check.broken[0].audit_id, "4");
        let offices: Offices = serde_json::from_value(json!({"offices": [{"id": "welfare", "name_fa": "رفاه", "name_en": "Welfare", "records_debt": true}]})).unwrap();
        assert!(offices.offices[0].records_debt);
    }

    #[test]
    fn cartable_urls_encode_their_filters() {
        assert_eq!(cartable_url("", "", " "), "/api/v1/staff/cartable");
        assert_eq!(
            cartable_url("withdrawal", "at_office:welfare", "1234 5678"),
            "/api/v1/staff/cartable?process=withdrawal&state=at_office%3Awelfare&q=1234%205678"
        );
    }
}
