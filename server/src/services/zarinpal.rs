//! Zarinpal's internet payment gateway (Shaparak-connected) behind [`Gateway`], following its
//! REST API v4 as documented at https://www.zarinpal.com/docs/paymentGateway/ (connectToGateway,
//! the verification, moreFeatures/reverse, errorList): `pg/v4/payment/request.json` → the payer
//! at `pg/StartPay/{authority}` → the callback → `pg/v4/payment/verify.json`, and
//! `pg/v4/payment/reverse.json` to give back a payment verified too late. Amounts are rials
//! (`currency: "IRR"`). Every call has the configured timeout; nothing here logs the merchant
//! id, an authority or an amount.

use reqwest::Client;
use serde_json::{json, Value};

use crate::domain::payments::{
    BoxFuture, Created, Gateway, GatewayError, PaymentsConfig, Verification, Verified,
};

/// Zarinpal's success codes: 100 done, 101 verified before (the same payment asked again).
const OK: i64 = 100;
const VERIFIED_BEFORE: i64 = 101;
/// -50: "amounts values is not the same" (the amount asked at verification is not the one paid).
const AMOUNT_MISMATCH: i64 = -50;
/// -51: "session is not active paid try" (the payer did not pay, or the payment failed).
const NOT_PAID: i64 = -51;
/// -54: "invalid authority" (the gateway knows no such payment).
const UNKNOWN_AUTHORITY: i64 = -54;

/// The adapter: the merchant id, the callback URL, the API and payer page URLs, one HTTP client
/// with the configured timeout.
pub struct Zarinpal {
    merchant_id: String,
    callback_url: String,
    base_url: String,
    start_pay_url: String,
    description: String,
    client: Client,
}

impl Zarinpal {
    /// The adapter for a checked `[payments]` section (its merchant id and callback required).
    pub fn new(config: &PaymentsConfig) -> Result<Zarinpal, String> {
        let (merchant_id, callback_url) = config.real_gateway()?;
        let client = super::provider_client(config.timeout)
            .map_err(|e| format!("payments: cannot make the HTTP client: {e}"))?;
        Ok(Zarinpal {
            merchant_id: merchant_id.to_owned(),
            callback_url: callback_url.to_owned(),
            base_url: config.base_url.clone(),
            start_pay_url: config.start_pay_url.clone(),
            description: config.description.clone(),
            client,
        })
    }

    /// POSTs `body` to `path` and reads Zarinpal's envelope: `data.code` when it is given,
    /// else the error of `errors.code`.
    async fn call(&self, path: &str, body: Value) -> Result<Value, GatewayError> {
        let answer = self
            .client
            .post(format!("{}{path}", self.base_url))
            .header(reqwest::header::ACCEPT, "application/json")
            .json(&body)
            .send()
            .await
            .map_err(transport)?;
        let status = answer.status();
        let text = answer.text().await.map_err(transport)?;
        let value: Value = serde_json::from_str(&text).map_err(|_| {
            GatewayError::Unreachable(format!("HTTP {status}: the answer is not Zarinpal's JSON"))
        })?;
        if value["data"]["code"].as_i64().is_some() {
            return Ok(value["data"].clone());
        }
        match value["errors"]["code"].as_i64() {
            Some(code) => Ok(json!({
                "code": code,
                "message": value["errors"]["message"].as_str().unwrap_or(""),
            })),
            None => Err(GatewayError::Unreachable(format!(
                "HTTP {status}: neither data.code nor errors.code in the answer"
            ))),
        }
    }
}

/// A transport error without its URL (which names nothing personal, but is noise).
fn transport(e: reqwest::Error) -> GatewayError {
    if e.is_timeout() {
        GatewayError::Timeout
    } else {
        GatewayError::Unreachable(e.without_url().to_string())
    }
}

fn refused(data: &Value) -> GatewayError {
    GatewayError::Refused {
        code: data["code"].as_i64().unwrap_or(0),
        message: data["message"]
            .as_str()
            .unwrap_or("")
            .chars()
            .take(200)
            .collect(),
    }
}

impl Gateway for Zarinpal {
    fn name(&self) -> &'static str {
        "zarinpal"
    }

    /// `request.json`; the payer goes to `start_pay_url` + authority. The callback is the
    /// configured absolute URL (the route's path is [`crate::domain::payments::CALLBACK_PATH`]).
    fn create<'a>(
        &'a self,
        amount_rials: i64,
        _callback_path: &'a str,
    ) -> BoxFuture<'a, Result<Created, GatewayError>> {
        Box::pin(async move {
            let data = self
                .call(
                    "/pg/v4/payment/request.json",
                    json!({
                        "merchant_id": self.merchant_id,
                        "amount": amount_rials,
                        "currency": "IRR",
                        "callback_url": self.callback_url,
                        "description": self.description,
                    }),
                )
                .await?;
            let authority = data["authority"].as_str().unwrap_or("");
            if data["code"].as_i64() != Some(OK) {
                return Err(refused(&data));
            }
            if authority.is_empty()
                || authority.len() > 64
                || !authority.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                return Err(GatewayError::Unreachable(
                    "code 100 without a usable authority".into(),
                ));
            }
            Ok(Created {
                redirect_url: format!("{}{authority}", self.start_pay_url),
                authority: authority.to_owned(),
            })
        })
    }

    /// `verify.json` with the fee asked: 100 or 101 paid (Zarinpal verifies the amount itself,
    /// so the amount paid is the amount asked), -50 another amount, -51 and -54 not paid; any
    /// other code is an error and settles nothing.
    fn verify<'a>(
        &'a self,
        authority: &'a str,
        amount_rials: i64,
    ) -> BoxFuture<'a, Result<Verification, GatewayError>> {
        Box::pin(async move {
            let data = self
                .call(
                    "/pg/v4/payment/verify.json",
                    json!({
                        "merchant_id": self.merchant_id,
                        "amount": amount_rials,
                        "authority": authority,
                    }),
                )
                .await?;
            match data["code"].as_i64() {
                Some(OK | VERIFIED_BEFORE) => match super::provider_id(&data["ref_id"]) {
                    Some(reference) => Ok(Verification::Paid(Verified {
                        reference,
                        amount_rials,
                    })),
                    None => Err(GatewayError::Unreachable(
                        "verified without a ref_id".into(),
                    )),
                },
                Some(AMOUNT_MISMATCH) => Ok(Verification::AmountMismatch { reported: None }),
                Some(NOT_PAID | UNKNOWN_AUTHORITY) => Ok(Verification::NotPaid),
                _ => Err(refused(&data)),
            }
        })
    }

    /// `reverse.json`: 100 reversed; anything else refused (Zarinpal reverses within 30 minutes
    /// of the payment, from the server's registered IP address: -60 to -63 otherwise).
    fn refund<'a>(
        &'a self,
        authority: &'a str,
        _amount_rials: i64,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        Box::pin(async move {
            let data = self
                .call(
                    "/pg/v4/payment/reverse.json",
                    json!({
                        "merchant_id": self.merchant_id,
                        "authority": authority,
                    }),
                )
                .await?;
            if data["code"].as_i64() == Some(OK) {
                Ok(())
            } else {
                Err(refused(&data))
            }
        })
    }
}
