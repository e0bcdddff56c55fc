//! The SMS gateway as the server's domain knows it, whatever the transport: `pishkhan.toml`'s
//! `[sms]` section checked (Kavenegar or a signed webhook; secrets read from files), the outcome
//! of one sending attempt (sent, retry later, give up) and its backoff, Kavenegar's documented
//! `return.status` codes mapped to retry or give up and its message statuses to delivery
//! statuses, and the webhook's HMAC-SHA256 signature (docs/sms.md).

use std::path::{Path, PathBuf};
use std::time::Duration;

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

/// Kavenegar's API, where `base_url` is not given.
pub const KAVENEGAR_BASE_URL: &str = "https://api.kavenegar.com";

/// The webhook's header carrying the signing time (Unix seconds).
pub const TIMESTAMP_HEADER: &str = "X-Pishkhan-Timestamp";
/// The webhook's header carrying `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`.
pub const SIGNATURE_HEADER: &str = "X-Pishkhan-Signature";
/// How far a receiver should accept a webhook's timestamp from its own clock, in seconds.
pub const REPLAY_WINDOW_SECONDS: i64 = 300;

/// The longest wait between two attempts at one message.
pub const MAX_BACKOFF_SECONDS: i64 = 3600;

/// `[sms]` as written in `pishkhan.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSms {
    /// `kavenegar` or `webhook`.
    pub provider: String,
    // Kavenegar.
    pub api_key_file: Option<PathBuf>,
    pub sender: Option<String>,
    pub verify_template: Option<String>,
    pub base_url: Option<String>,
    // Webhook.
    pub url: Option<String>,
    pub secret_file: Option<PathBuf>,
    // Both.
    pub timeout_seconds: Option<u64>,
    pub retry_base_seconds: Option<u64>,
    pub max_attempts: Option<i64>,
    pub status_poll_seconds: Option<u64>,
}

/// `[sms]` checked, its secrets read.
#[derive(Clone)]
pub struct SmsConfig {
    pub provider: SmsProvider,
    /// Each HTTP call's whole time (connecting included).
    pub timeout: Duration,
    /// The first retry's wait; each later one doubles, up to [`MAX_BACKOFF_SECONDS`].
    pub retry_base_seconds: i64,
    /// Attempts after which a message that keeps failing is given up.
    pub max_attempts: i64,
    /// How often a sent message's delivery status is asked (Kavenegar).
    pub status_poll_seconds: i64,
}

/// The provider of `[sms]`.
#[derive(Clone)]
pub enum SmsProvider {
    Kavenegar {
        api_key: String,
        /// The sender line (`sender`), e.g. `10004346`.
        sender: String,
        /// The verification template one-time codes are sent through (`verify/lookup.json`);
        /// none: codes are sent as texts.
        verify_template: Option<String>,
        base_url: String,
    },
    Webhook {
        url: String,
        secret: String,
    },
}

impl std::fmt::Debug for SmsConfig {
    /// Never the key or the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let provider = match &self.provider {
            SmsProvider::Kavenegar { .. } => "kavenegar",
            SmsProvider::Webhook { .. } => "webhook",
        };
        f.debug_struct("SmsConfig")
            .field("provider", &provider)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// Checks `[sms]`; secret files are relative to `dir` (the configuration file's directory).
/// Every problem is named `sms.<key>: …`.
pub fn check(raw: RawSms, dir: &Path) -> Result<SmsConfig, String> {
    let at = |key: &str, problem: &str| format!("sms.{key}: {problem}");
    let required = |key: &str| at(key, &format!("required with provider = {:?}", raw.provider));
    let not_with = |key: &str, value: bool| {
        if value {
            Err(at(
                key,
                &format!("not used with provider = {:?}", raw.provider),
            ))
        } else {
            Ok(())
        }
    };
    let read_secret = |key: &str, file: &Path| -> Result<String, String> {
        let file = dir.join(file);
        let text = std::fs::read_to_string(&file)
            .map_err(|e| at(key, &format!("{}: {e}", file.display())))?;
        let secret = text.trim_end_matches(['\r', '\n']).to_owned();
        if secret.is_empty() {
            return Err(at(key, &format!("{} is empty", file.display())));
        }
        Ok(secret)
    };
    let provider = match raw.provider.as_str() {
        "kavenegar" => {
            not_with("url", raw.url.is_some())?;
            not_with("secret_file", raw.secret_file.is_some())?;
            let key_file = raw
                .api_key_file
                .as_deref()
                .ok_or_else(|| required("api_key_file"))?;
            let api_key = read_secret("api_key_file", key_file)?;
            // The key is a path segment of every URL: anything but these would change the URL.
            if !api_key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
            {
                return Err(at(
                    "api_key_file",
                    "the key holds characters other than A-Z, a-z, 0-9, -, _ and =",
                ));
            }
            let sender = raw.sender.clone().ok_or_else(|| required("sender"))?;
            if sender.is_empty() || !sender.bytes().all(|b| b.is_ascii_digit()) {
                return Err(at("sender", "the sender line's digits, like \"10004346\""));
            }
            if let Some(t) = &raw.verify_template {
                if t.is_empty()
                    || !t
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                {
                    return Err(at(
                        "verify_template",
                        "the template's name as Kavenegar's panel shows it (A-Z, a-z, 0-9, -, _)",
                    ));
                }
            }
            let base_url = raw
                .base_url
                .clone()
                .unwrap_or_else(|| KAVENEGAR_BASE_URL.to_owned());
            let base_url = base_url.trim_end_matches('/').to_owned();
            if !is_http_url(&base_url) {
                return Err(at("base_url", "an absolute http(s) URL"));
            }
            SmsProvider::Kavenegar {
                api_key,
                sender,
                verify_template: raw.verify_template.clone(),
                base_url,
            }
        }
        "webhook" => {
            for (key, given) in [
                ("api_key_file", raw.api_key_file.is_some()),
                ("sender", raw.sender.is_some()),
                ("verify_template", raw.verify_template.is_some()),
                ("base_url", raw.base_url.is_some()),
                ("status_poll_seconds", raw.status_poll_seconds.is_some()),
            ] {
                not_with(key, given)?;
            }
            let url = raw.url.clone().ok_or_else(|| required("url"))?;
            if !is_http_url(&url) {
                return Err(at("url", "an absolute http(s) URL"));
            }
            let file = raw
                .secret_file
                .as_deref()
                .ok_or_else(|| required("secret_file"))?;
            let secret = read_secret("secret_file", file)?;
            if secret.len() < 32 {
                return Err(at(
                    "secret_file",
                    "the secret is shorter than 32 characters",
                ));
            }
            SmsProvider::Webhook { url, secret }
        }
        other => {
            return Err(at(
                "provider",
                &format!("{other:?} is not \"kavenegar\" or \"webhook\""),
            ))
        }
    };
    let positive = |key: &str, value: Option<u64>, default: u64, max: u64| match value {
        None => Ok(default),
        Some(v) if (1..=max).contains(&v) => Ok(v),
        Some(_) => Err(at(key, &format!("from 1 to {max}"))),
    };
    let timeout = positive("timeout_seconds", raw.timeout_seconds, 10, 120)?;
    let retry_base = positive("retry_base_seconds", raw.retry_base_seconds, 30, 3600)?;
    let poll = positive("status_poll_seconds", raw.status_poll_seconds, 300, 86_400)?;
    let max_attempts = match raw.max_attempts {
        None => 10,
        Some(n) if (1..=100).contains(&n) => n,
        Some(_) => return Err(at("max_attempts", "from 1 to 100")),
    };
    Ok(SmsConfig {
        provider,
        timeout: Duration::from_secs(timeout),
        retry_base_seconds: retry_base as i64,
        max_attempts,
        status_poll_seconds: poll as i64,
    })
}

fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    matches!(rest, Some(r) if !r.is_empty() && !r.starts_with('/') && !r.contains(['?', '#', ' ']))
}

/// What one attempt at sending a message came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// The provider took it; its message id, when it gives one (for the delivery status).
    Sent { provider_id: Option<String> },
    /// A transient failure (timeout, 5xx, the provider's "try again"): tried again later.
    Retry(String),
    /// A permanent failure (invalid number, invalid key, …): recorded, never tried again.
    GiveUp(String),
}

/// The wait before the next attempt at a message that failed transiently for the
/// `attempts`-th time (1 the first): `base`, then doubling, at most [`MAX_BACKOFF_SECONDS`].
pub fn backoff_seconds(base: i64, attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 30) as u32;
    base.saturating_mul(1i64 << doublings)
        .clamp(1, MAX_BACKOFF_SECONDS)
}

/// A sent message's delivery status, as stored in `notifications.delivery`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Queued, scheduled or with the operator: asked again later.
    Pending,
    Delivered,
    Undelivered,
    /// The receiver blocked messages from the sender line.
    Blocked,
    Cancelled,
    /// The provider does not know the message id.
    Unknown,
}

impl Delivery {
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Pending => "pending",
            Delivery::Delivered => "delivered",
            Delivery::Undelivered => "undelivered",
            Delivery::Blocked => "blocked",
            Delivery::Cancelled => "cancelled",
            Delivery::Unknown => "unknown",
        }
    }
}

/// What Kavenegar's `return.status` of a call means for the message (its REST documentation,
/// "return status codes", kavenegar.com/rest.html): 200 sent; the "server busy, try later",
/// rate and credit codes and any 5xx retried; the codes of a request that can never succeed
/// (invalid key, number, sender, template, text) given up. The message says the code only.
pub fn kavenegar_outcome(status: i64, provider_id: Option<String>) -> Attempt {
    let why = |text: &str| format!("kavenegar {status}: {text}");
    match status {
        200 => Attempt::Sent { provider_id },
        402 => Attempt::Retry(why("the operation failed")),
        409 => Attempt::Retry(why("the server cannot answer now; try again later")),
        418 => Attempt::Retry(why("the account's credit is not enough")),
        429 | 451 => Attempt::Retry(why("too many calls")),
        400 => Attempt::GiveUp(why("parameters incomplete")),
        401 => Attempt::GiveUp(why("the account is deactivated")),
        403 => Attempt::GiveUp(why("the API key is invalid")),
        404 => Attempt::GiveUp(why("no such method")),
        405 => Attempt::GiveUp(why("wrong HTTP method")),
        406 => Attempt::GiveUp(why("a required parameter is missing")),
        407 => Attempt::GiveUp(why("access to this information is not allowed")),
        411 => Attempt::GiveUp(why("the receiver's number is invalid")),
        412 => Attempt::GiveUp(why("the sender line is invalid")),
        413 => Attempt::GiveUp(why("the text is empty or too long")),
        414 => Attempt::GiveUp(why("too many receivers in one call")),
        416 => Attempt::GiveUp(why("the calling IP address is not allowed")),
        417 => Attempt::GiveUp(why("the date is invalid")),
        419 => Attempt::GiveUp(why("the lists of receivers and texts differ in length")),
        420 => Attempt::GiveUp(why("links are not allowed in the text")),
        422 => Attempt::GiveUp(why("the text holds characters that cannot be sent")),
        424 => Attempt::GiveUp(why("no verification template of this name")),
        426 => Attempt::GiveUp(why("this method needs an advanced plan")),
        428 => Attempt::GiveUp(why("a voice call is not possible for this code")),
        431 => Attempt::GiveUp(why("the code's format is wrong")),
        432 => Attempt::GiveUp(why("the template has no token parameter")),
        501 => Attempt::GiveUp(why("a test account sends to its owner's number only")),
        s if s >= 500 => Attempt::Retry(why("server error")),
        _ => Attempt::GiveUp(why("not a code this server knows")),
    }
}

/// A Kavenegar message status (`entries[].status` of `sms/status.json` and of a send) as a
/// delivery status: 1 queued, 2 scheduled, 4 and 5 sent to the operator → pending; 10
/// delivered; 6 failed and 11 undelivered → undelivered; 13 cancelled; 14 blocked by the
/// receiver; 100 an unknown message id → unknown.
pub fn kavenegar_delivery(status: i64) -> Delivery {
    match status {
        10 => Delivery::Delivered,
        6 | 11 => Delivery::Undelivered,
        13 => Delivery::Cancelled,
        14 => Delivery::Blocked,
        100 => Delivery::Unknown,
        _ => Delivery::Pending,
    }
}

/// What a webhook's HTTP status means: 2xx sent, 408/429 and 5xx retried, other 4xx given up.
pub fn webhook_outcome(status: u16, provider_id: Option<String>) -> Attempt {
    match status {
        200..=299 => Attempt::Sent { provider_id },
        408 | 429 | 500..=599 => Attempt::Retry(format!("webhook: HTTP {status}")),
        _ => Attempt::GiveUp(format!("webhook: HTTP {status}")),
    }
}

/// The webhook's signature header value: `sha256=` and the hex HMAC-SHA256, under the shared
/// secret, of the timestamp (decimal Unix seconds), a full stop, and the body's bytes.
pub fn webhook_signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", crate::hex(&mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> RawSms {
        #[derive(Deserialize)]
        struct File {
            sms: RawSms,
        }
        toml::from_str::<File>(text).unwrap().sms
    }

    fn dir_with(name: &str, contents: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("pishkhan-sms-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), contents).unwrap();
        dir
    }

    #[test]
    fn a_kavenegar_section_reads_its_key_file() {
        let dir = dir_with("kave.key", "ABCdef123=\n");
        let c = check(
            raw("[sms]\nprovider = \"kavenegar\"\napi_key_file = \"kave.key\"\nsender = \"10004346\"\nverify_template = \"code\"\n"),
            &dir,
        )
        .unwrap();
        match &c.provider {
            SmsProvider::Kavenegar {
                api_key, base_url, ..
            } => {
                assert_eq!(api_key, "ABCdef123=");
                assert_eq!(base_url, KAVENEGAR_BASE_URL);
            }
            _ => panic!("kavenegar"),
        }
        assert_eq!(c.retry_base_seconds, 30);
        assert!(!format!("{c:?}").contains("ABC"));
    }

    #[test]
    fn every_problem_is_named() {
        let dir = dir_with("short.secret", "short\n");
        let err = |text: &str| check(raw(text), &dir).err().unwrap();
        assert!(err("[sms]\nprovider = \"other\"").starts_with("sms.provider:"));
        assert!(
            err("[sms]\nprovider = \"kavenegar\"\nsender = \"1\"").starts_with("sms.api_key_file:")
        );
        assert!(
            err("[sms]\nprovider = \"kavenegar\"\napi_key_file = \"missing\"").contains("missing")
        );
        assert!(err("[sms]\nprovider = \"webhook\"\nurl = \"ftp://x\"").starts_with("sms.url:"));
        assert!(err(
            "[sms]\nprovider = \"webhook\"\nurl = \"https://x\"\nsecret_file = \"short.secret\""
        )
        .starts_with("sms.secret_file:"));
        assert!(err("[sms]\nprovider = \"webhook\"\nsender = \"1\"").starts_with("sms.sender:"));
        #[derive(Debug, Deserialize)]
        struct File {
            #[allow(dead_code)]
            sms: RawSms,
        }
        assert!(toml::from_str::<File>("[sms]\nprovider = \"webhook\"\nkey = 1").is_err());
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_seconds(30, 1), 30);
        assert_eq!(backoff_seconds(30, 2), 60);
        assert_eq!(backoff_seconds(30, 4), 240);
        assert_eq!(backoff_seconds(30, 40), MAX_BACKOFF_SECONDS);
    }

    #[test]
    fn kavenegar_codes_are_retried_or_given_up() {
        assert!(matches!(kavenegar_outcome(409, None), Attempt::Retry(_)));
        assert!(matches!(kavenegar_outcome(503, None), Attempt::Retry(_)));
        assert!(matches!(kavenegar_outcome(411, None), Attempt::GiveUp(_)));
        assert!(matches!(kavenegar_outcome(403, None), Attempt::GiveUp(_)));
        assert_eq!(
            kavenegar_outcome(200, Some("7".into())),
            Attempt::Sent {
                provider_id: Some("7".into())
            }
        );
        assert_eq!(kavenegar_delivery(10), Delivery::Delivered);
        assert_eq!(kavenegar_delivery(4), Delivery::Pending);
    }

    #[test]
    fn the_signature_is_an_hmac_of_timestamp_and_body() {
        // RFC 4231-style check against an independently computed value.
        let s = webhook_signature(b"key", 1, b"{}");
        let mut mac = Hmac::<Sha256>::new_from_slice(b"key").unwrap();
        mac.update(b"1.{}");
        assert_eq!(
            s,
            format!("sha256={}", crate::hex(&mac.finalize().into_bytes()))
        );
    }
}
