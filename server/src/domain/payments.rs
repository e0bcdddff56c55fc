//! The service fee's bank gateway as the server sees it (seed 000 A1 step 5): a `Gateway` trait
//! in the shape Iranian bank gateways share (create → redirect the payer → callback → verify,
//! and the refund of a payment verified too late; amounts in rials), its errors, the gateways a
//! deployment can name (`GatewayKind`) and the `[payments]` section of `pishkhan.toml`
//! (`PaymentsConfig`, checked, the merchant id read from its file). The built-in sandbox is
//! `services::payments`, Zarinpal's adapter `services::zarinpal` (docs/payments.md).

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::time::Duration;

use serde::Deserialize;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The path every gateway sends the payer back to (after `[payments].callback_base`).
pub const CALLBACK_PATH: &str = "/api/v1/payments/callback";

/// A payment as a gateway created it.
pub struct Created {
    pub authority: String,
    pub redirect_url: String,
}

/// A payment the gateway says went through: its reference and the amount it reports paid (which
/// the server compares with the fee it asked; a gateway's word on the amount is never assumed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub reference: String,
    pub amount_rials: i64,
}

/// What the verification call says of a payment: it alone settles it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verification {
    /// Paid (or paid and verified before: asking again gives the same answer).
    Paid(Verified),
    /// The gateway refuses to verify because the amount paid is not the amount asked (what it
    /// reports paid, when it says).
    AmountMismatch { reported: Option<i64> },
    /// Not paid: cancelled, failed, or never paid.
    NotPaid,
}

/// Why a call to the gateway did not answer the question. Never carries the merchant id, the
/// payer or the amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayError {
    /// No answer within the configured timeout: nothing is known, nothing is recorded.
    Timeout,
    /// The gateway could not be reached, or answered something that is not its protocol.
    Unreachable(String),
    /// The gateway answered with one of its error codes (`-9`, `-10`, …) and its message.
    Refused { code: i64, message: String },
}

impl GatewayError {
    /// A short code for records and logs, nothing more of the answer: `timeout`, `unreachable`,
    /// or the gateway's own error code (`-61`).
    pub fn code(&self) -> String {
        match self {
            GatewayError::Timeout => "timeout".into(),
            GatewayError::Unreachable(_) => "unreachable".into(),
            GatewayError::Refused { code, .. } => code.to_string(),
        }
    }
}

impl std::fmt::Display for GatewayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GatewayError::Timeout => write!(f, "the payment gateway did not answer in time"),
            GatewayError::Unreachable(why) => {
                write!(f, "the payment gateway is unreachable: {why}")
            }
            GatewayError::Refused { code, message } => {
                write!(f, "the payment gateway refused (code {code}: {message})")
            }
        }
    }
}

/// A bank's payment gateway.
pub trait Gateway: Send + Sync + 'static {
    /// The name stored beside each payment.
    fn name(&self) -> &'static str;
    /// Registers a payment of `amount_rials`; the payer is sent to `redirect_url`, and the
    /// gateway sends them back to `callback_url` (the path [`CALLBACK_PATH`]; a gateway that
    /// needs an absolute URL puts its configured origin before it).
    fn create<'a>(
        &'a self,
        amount_rials: i64,
        callback_url: &'a str,
    ) -> BoxFuture<'a, Result<Created, GatewayError>>;
    /// Asks the gateway whether the payment of `amount_rials` (the fee asked) went through.
    /// Asking again gives the same answer.
    fn verify<'a>(
        &'a self,
        authority: &'a str,
        amount_rials: i64,
    ) -> BoxFuture<'a, Result<Verification, GatewayError>>;
    /// Gives a verified payment back to the payer (the gateway's refund or reverse call).
    fn refund<'a>(
        &'a self,
        authority: &'a str,
        amount_rials: i64,
    ) -> BoxFuture<'a, Result<(), GatewayError>>;
}

/// The gateways a deployment can name (`serve --payment-gateway`, or `[payments].gateway`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GatewayKind {
    /// The test gateway inside this server: anyone reaching its page can "pay"; never in
    /// production.
    Sandbox,
    /// Zarinpal's internet payment gateway (REST API v4, Shaparak-connected): needs
    /// `[payments]` in `pishkhan.toml` with the merchant id (docs/payments.md).
    Zarinpal,
}

/// `[payments]` of `pishkhan.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentsSection {
    pub gateway: Option<GatewayKind>,
    /// The merchant id (Zarinpal's 36 characters), read at start from this file, relative to the
    /// configuration file; trailing newlines dropped.
    pub merchant_id_file: Option<PathBuf>,
    /// Pishkhan's public origin as the payer's browser reaches it: the gateway sends the payer
    /// back to this followed by [`CALLBACK_PATH`].
    pub callback_base: Option<String>,
    /// The gateway's API origin (default Zarinpal's, `https://payment.zarinpal.com`).
    pub base_url: Option<String>,
    /// Where the payer is sent, followed by the authority (default
    /// `https://payment.zarinpal.com/pg/StartPay/`).
    pub start_pay_url: Option<String>,
    /// Seconds each call to the gateway may take (default 10, 1 to 120).
    pub timeout_seconds: Option<u64>,
    /// The payment's description as the payer sees it at the gateway.
    pub description: Option<String>,
}

/// Zarinpal's production API origin.
pub const ZARINPAL_BASE_URL: &str = "https://payment.zarinpal.com";
/// Zarinpal's payer page, followed by the authority.
pub const ZARINPAL_START_PAY_URL: &str = "https://payment.zarinpal.com/pg/StartPay/";

/// `[payments]` checked: what a real gateway needs.
#[derive(Clone, Debug)]
pub struct PaymentsConfig {
    pub gateway: Option<GatewayKind>,
    /// Present for a real gateway; never logged.
    pub merchant_id: Option<String>,
    /// The absolute callback URL (`callback_base` + [`CALLBACK_PATH`]).
    pub callback_url: Option<String>,
    pub base_url: String,
    pub start_pay_url: String,
    pub timeout: Duration,
    pub description: String,
}

fn is_http_url(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.contains(char::is_whitespace)
        && !url.contains(['?', '#'])
}

impl PaymentsSection {
    /// Checks the section (secret files relative to `dir`); every problem named by its key.
    pub fn check(self, dir: &Path) -> Result<PaymentsConfig, String> {
        let at = |key: &str, problem: &str| format!("payments.{key}: {problem}");
        let merchant_id = match self.merchant_id_file {
            Some(file) => {
                let file = dir.join(file);
                let id = std::fs::read_to_string(&file)
                    .map_err(|e| at("merchant_id_file", &format!("{}: {e}", file.display())))?
                    .trim()
                    .to_owned();
                if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err(at(
                        "merchant_id_file",
                        "the file must hold the merchant id (1 to 64 visible characters)",
                    ));
                }
                Some(id)
            }
            None => None,
        };
        let callback_url = match self.callback_base {
            Some(base) => {
                let base = base.trim_end_matches('/');
                let host = base
                    .strip_prefix("https://")
                    .or_else(|| base.strip_prefix("http://"))
                    .unwrap_or("/");
                if !is_http_url(base) || host.contains('/') {
                    return Err(at(
                        "callback_base",
                        "an absolute http(s) URL without path, query or fragment, like \
                         https://pishkhan.example.ac.ir",
                    ));
                }
                Some(format!("{base}{CALLBACK_PATH}"))
            }
            None => None,
        };
        let base_url = self
            .base_url
            .unwrap_or_else(|| ZARINPAL_BASE_URL.to_owned())
            .trim_end_matches('/')
            .to_owned();
        if !is_http_url(&base_url) {
            return Err(at("base_url", "an absolute http(s) URL"));
        }
        let start_pay_url = self
            .start_pay_url
            .unwrap_or_else(|| ZARINPAL_START_PAY_URL.to_owned());
        if !is_http_url(&start_pay_url) {
            return Err(at("start_pay_url", "an absolute http(s) URL"));
        }
        let timeout = match self.timeout_seconds {
            None => 10,
            Some(s @ 1..=120) => s,
            Some(_) => return Err(at("timeout_seconds", "1 to 120")),
        };
        let description = self
            .description
            .unwrap_or_else(|| "هزینه خدمات پیشخوان معافیت تحصیلی".to_owned());
        if description.trim().is_empty() || description.chars().count() > 500 {
            return Err(at("description", "1 to 500 characters"));
        }
        let config = PaymentsConfig {
            gateway: self.gateway,
            merchant_id,
            callback_url,
            base_url,
            start_pay_url,
            timeout: Duration::from_secs(timeout),
            description,
        };
        if config.gateway == Some(GatewayKind::Zarinpal) {
            config.real_gateway()?;
        }
        Ok(config)
    }
}

impl PaymentsConfig {
    /// The merchant id and the absolute callback URL a real gateway needs, or the missing key
    /// named.
    pub fn real_gateway(&self) -> Result<(&str, &str), String> {
        let merchant = self.merchant_id.as_deref().ok_or(
            "payments.merchant_id_file: required for a bank gateway (a file holding the merchant id)",
        )?;
        let callback = self.callback_url.as_deref().ok_or(
            "payments.callback_base: required for a bank gateway (Pishkhan's public origin, \
             like https://pishkhan.example.ac.ir)",
        )?;
        Ok((merchant, callback))
    }
}

/// The gateway a deployment uses: `serve --payment-gateway` or `[payments].gateway` (the two
/// must agree when both are given); a bank gateway must find what it needs in `[payments]`.
pub fn choose(
    flag: Option<GatewayKind>,
    section: Option<&PaymentsConfig>,
) -> Result<Option<GatewayKind>, String> {
    let configured = section.and_then(|s| s.gateway);
    let kind = match (flag, configured) {
        (Some(a), Some(b)) if a != b => {
            return Err(format!(
                "--payment-gateway {a:?} and pishkhan.toml's payments.gateway = {b:?} disagree; \
                 give one"
            )
            .to_lowercase())
        }
        (a, b) => a.or(b),
    };
    if kind == Some(GatewayKind::Zarinpal) {
        match section {
            None => {
                return Err("--payment-gateway zarinpal needs a [payments] section in \
                            pishkhan.toml (serve --config; docs/payments.md)"
                    .into())
            }
            Some(s) => {
                s.real_gateway()?;
            }
        }
    }
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(text: &str) -> PaymentsSection {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn the_documented_example_is_a_valid_section() {
        let doc = include_str!("../../../docs/payments.md");
        let example = doc
            .split("```toml\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("docs/payments.md has a toml example");
        let file: toml::Table = toml::from_str(example).unwrap();
        let section: PaymentsSection = file["payments"]
            .clone()
            .try_into()
            .expect("[payments] as documented");
        let dir = std::env::temp_dir().join(format!("pishkhan-doc-{}", crate::random_hex(4)));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("zarinpal-merchant-id"), "xxxxxxxx-xxxx\n").unwrap();
        let config = section.check(&dir).unwrap();
        assert_eq!(config.gateway, Some(GatewayKind::Zarinpal));
        assert_eq!(config.base_url, ZARINPAL_BASE_URL);
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn a_bank_gateway_needs_its_merchant_id_and_callback() {
        let dir = std::env::temp_dir().join(format!("pishkhan-pay-{}", crate::random_hex(4)));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("mid"), "0123-abcd\n").unwrap();
        let err = section("gateway = \"zarinpal\"").check(&dir).unwrap_err();
        assert!(err.starts_with("payments.merchant_id_file:"), "{err}");
        let err = section("gateway = \"zarinpal\"\nmerchant_id_file = \"mid\"")
            .check(&dir)
            .unwrap_err();
        assert!(err.starts_with("payments.callback_base:"), "{err}");
        let err = section("merchant_id_file = \"nope\"")
            .check(&dir)
            .unwrap_err();
        assert!(err.starts_with("payments.merchant_id_file:"), "{err}");
        let err = section("callback_base = \"https://x.ir/path\"")
            .check(&dir)
            .unwrap_err();
        assert!(err.starts_with("payments.callback_base:"), "{err}");
        let err = section("timeout_seconds = 0").check(&dir).unwrap_err();
        assert!(err.starts_with("payments.timeout_seconds:"), "{err}");
        let ok = section(
            "gateway = \"zarinpal\"\nmerchant_id_file = \"mid\"\ncallback_base = \"https://x.ir/\"",
        )
        .check(&dir)
        .unwrap();
        assert_eq!(ok.merchant_id.as_deref(), Some("0123-abcd"));
        assert_eq!(
            ok.callback_url.as_deref(),
            Some("https://x.ir/api/v1/payments/callback")
        );
        assert_eq!(ok.base_url, ZARINPAL_BASE_URL);
        assert_eq!(
            choose(Some(GatewayKind::Sandbox), Some(&ok)).unwrap_err(),
            "--payment-gateway sandbox and pishkhan.toml's payments.gateway = zarinpal disagree; give one"
        );
        assert_eq!(choose(None, Some(&ok)), Ok(Some(GatewayKind::Zarinpal)));
        assert!(choose(Some(GatewayKind::Zarinpal), None).is_err());
        assert_eq!(
            choose(Some(GatewayKind::Sandbox), None),
            Ok(Some(GatewayKind::Sandbox))
        );
        std::fs::remove_dir_all(dir).ok();
    }
}
