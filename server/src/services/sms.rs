//! The real SMS gateways behind `notify::Sender` (docs/sms.md): Kavenegar's REST API
//! (`sms/send.json` for texts, `verify/lookup.json` for one-time codes through a template,
//! `sms/status.json` for delivery statuses; POST with form bodies) and a generic webhook (a JSON
//! POST signed with HMAC-SHA256 over timestamp and body). Every call has a timeout; redirects
//! are not followed; no URL (Kavenegar's holds the key), key, mobile or text reaches a log line
//! or an error message.

use std::sync::Arc;

use serde_json::{json, Value};

use super::notify::{SendFuture, Sender};
use crate::domain::sms::{
    kavenegar_delivery, kavenegar_outcome, webhook_outcome, webhook_signature, Attempt, Delivery,
    SmsConfig, SmsProvider, SIGNATURE_HEADER, TIMESTAMP_HEADER,
};
use crate::store::workflow::Outgoing;

/// The sender `[sms]` configures.
pub fn sender(config: &SmsConfig) -> Result<Arc<dyn Sender>, String> {
    let client =
        super::provider_client(config.timeout).map_err(|e| format!("sms: the HTTP client: {e}"))?;
    Ok(match &config.provider {
        SmsProvider::Kavenegar {
            api_key,
            sender,
            verify_template,
            base_url,
        } => Arc::new(Kavenegar {
            client,
            api_key: api_key.clone(),
            sender: sender.clone(),
            verify_template: verify_template.clone(),
            base_url: base_url.clone(),
        }),
        SmsProvider::Webhook { url, secret } => Arc::new(Webhook {
            client,
            url: url.clone(),
            secret: secret.clone(),
        }),
    })
}

/// A transport failure as a retry, worded without the URL.
fn transport(provider: &str, e: &reqwest::Error) -> Attempt {
    let what = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_body() || e.is_decode() {
        "the answer was cut short"
    } else {
        "HTTP error"
    };
    Attempt::Retry(format!("{provider}: {what}"))
}

/// Kavenegar (kavenegar.com/rest.html): `{base_url}/v1/{api_key}/{method}.json`.
struct Kavenegar {
    client: reqwest::Client,
    api_key: String,
    sender: String,
    verify_template: Option<String>,
    base_url: String,
}

/// A Kavenegar answer: `return.status` (the call's code, 200 when it succeeded) and `entries`.
struct KavenegarAnswer {
    status: i64,
    entries: Vec<Value>,
}

impl Kavenegar {
    /// POSTs `form` to `method`; the answer's `return.status` and entries, or the failure as an
    /// attempt's outcome (a body that is not Kavenegar's JSON: retried on a 5xx, else given up).
    async fn call(&self, method: &str, form: &[(&str, &str)]) -> Result<KavenegarAnswer, Attempt> {
        let url = format!("{}/v1/{}/{method}.json", self.base_url, self.api_key);
        let response = self
            .client
            .post(url)
            .form(form)
            .send()
            .await
            .map_err(|e| transport("kavenegar", &e))?;
        let http = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| transport("kavenegar", &e))?;
        let body: Option<Value> = serde_json::from_slice(&bytes).ok();
        match body
            .as_ref()
            .and_then(|b| b["return"]["status"].as_i64().map(|s| (s, b)))
        {
            Some((status, body)) => Ok(KavenegarAnswer {
                status,
                entries: body["entries"].as_array().cloned().unwrap_or_default(),
            }),
            None if http.is_server_error() => {
                Err(Attempt::Retry(format!("kavenegar: HTTP {}", http.as_u16())))
            }
            None => Err(Attempt::GiveUp(format!(
                "kavenegar: HTTP {} without Kavenegar's answer",
                http.as_u16()
            ))),
        }
    }
}

impl Sender for Kavenegar {
    fn send<'a>(&'a self, m: &'a Outgoing) -> SendFuture<'a, Attempt> {
        Box::pin(async move {
            let Some(mobile) = m.mobile.as_deref() else {
                return Attempt::GiveUp("no mobile".into());
            };
            let answer = match (&self.verify_template, &m.code) {
                (Some(template), Some(code)) if m.kind == "one_time_code" => {
                    self.call(
                        "verify/lookup",
                        &[
                            ("receptor", mobile),
                            ("token", code),
                            ("template", template),
                        ],
                    )
                    .await
                }
                _ => {
                    self.call(
                        "sms/send",
                        &[
                            ("receptor", mobile),
                            ("sender", &self.sender),
                            ("message", &m.message_fa),
                        ],
                    )
                    .await
                }
            };
            match answer {
                Ok(a) => kavenegar_outcome(
                    a.status,
                    a.entries
                        .first()
                        .and_then(|e| super::provider_id(&e["messageid"])),
                ),
                Err(attempt) => attempt,
            }
        })
    }

    fn delivery<'a>(
        &'a self,
        provider_ids: &'a [String],
    ) -> SendFuture<'a, Result<Vec<(String, Delivery)>, String>> {
        Box::pin(async move {
            let ids = provider_ids.join(",");
            let answer = self
                .call("sms/status", &[("messageid", &ids)])
                .await
                .map_err(|a| match a {
                    Attempt::Retry(e) | Attempt::GiveUp(e) => e,
                    Attempt::Sent { .. } => String::new(),
                })?;
            if answer.status != 200 {
                return Err(format!("kavenegar {}", answer.status));
            }
            Ok(answer
                .entries
                .iter()
                .filter_map(|e| {
                    Some((
                        super::provider_id(&e["messageid"])?,
                        kavenegar_delivery(e["status"].as_i64()?),
                    ))
                })
                .collect())
        })
    }
}

/// Any other provider, behind a receiver of signed JSON POSTs (docs/sms.md, "The webhook").
struct Webhook {
    client: reqwest::Client,
    url: String,
    secret: String,
}

impl Sender for Webhook {
    fn send<'a>(&'a self, m: &'a Outgoing) -> SendFuture<'a, Attempt> {
        Box::pin(async move {
            let body = json!({
                "id": m.id,
                "to": m.mobile,
                "text": m.message_fa,
                "kind": m.kind,
                "code": if m.kind == "one_time_code" { m.code.as_deref() } else { None },
                "tracking_code": m.tracking_code,
            })
            .to_string();
            let timestamp = crate::domain::clock::now_unix();
            let signature = webhook_signature(self.secret.as_bytes(), timestamp, body.as_bytes());
            let response = match self
                .client
                .post(&self.url)
                .header("content-type", "application/json")
                .header(TIMESTAMP_HEADER, timestamp.to_string())
                .header(SIGNATURE_HEADER, signature)
                .body(body)
                .send()
                .await
            {
                Ok(r) => r,
                Err(e) => return transport("webhook", &e),
            };
            // The webhook reports no delivery status: no provider id is kept.
            webhook_outcome(response.status().as_u16(), None)
        })
    }
}
