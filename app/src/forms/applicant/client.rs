//! The calls of the applicant API: the JSON of a success, or what went wrong
//! ([`Failure::Offline`] when the server cannot be reached; always, outside a browser).

use api::applicant::ApplicantView;
use serde::Serialize;
use serde_json::Value;

use super::model::Failure;
use crate::shell::http::{self, Auth};

pub const CODE: &str = "/api/v1/applicant/code";
pub const SESSION: &str = "/api/v1/applicant/session";
pub const REQUEST: &str = "/api/v1/applicant/request";
pub const ACTIONS: &str = "/api/v1/applicant/request/actions";
pub const PAYMENT: &str = "/api/v1/applicant/request/payment";

/// `method path` with a JSON `body` and the session `token` as `Authorization: Bearer`, through
/// the shell's one `fetch`.
pub async fn call<B: Serialize>(
    method: &str,
    path: &str,
    body: Option<&B>,
    token: Option<&str>,
) -> Result<Value, Failure> {
    let headers = [("content-type", "application/json")];
    let auth = token.map_or(Auth::None, Auth::Bearer);
    let body =
        body.map(|b| wasm_bindgen::JsValue::from(serde_json::to_string(b).unwrap_or_default()));
    let reply = http::fetch(method, path, body.as_ref(), &headers, auth)
        .await
        .map_err(|_| Failure::Offline)?;
    super::model::read_reply(reply.status, &reply.body, reply.retry_after.as_deref())
}

/// `GET /api/v1/applicant/request` with the token.
pub async fn get_request(token: &str) -> Result<ApplicantView, Failure> {
    let json = call::<()>("GET", REQUEST, None, Some(token)).await?;
    serde_json::from_value(json).map_err(|_| Failure::Offline)
}
