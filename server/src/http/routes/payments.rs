//! Paying the service fee (seed 000 A1 step 5): the applicant starts a payment with the configured
//! gateway (`domain::payments::Gateway`; none configured: 503 `PAYMENT_UNAVAILABLE`), the sandbox
//! gateway's payer page (routed only with `serve --payment-gateway sandbox`), and the callback
//! that moves the request only on a payment verified for the fee asked — once, however often the
//! callback comes.

use api::applicant::{CallbackQuery, PaymentStarted};
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use rules::workflow::{Action, ActionData, State as Step};
use serde::Deserialize;

use crate::domain::clock::now_unix;
use crate::domain::invalid;
use crate::domain::payments::{GatewayError, Verification, CALLBACK_PATH};
use crate::domain::workflow::{self, context, Actor};
use crate::http::answer::private_json;
use crate::http::applicant::{applicant_request, Applicant};
use crate::http::error::ApiError;
use crate::http::moves::refused;
use crate::http::state::AppState;
use crate::store::applicant::Settled;
use crate::store::workflow::Decision;
use crate::store::Store;

/// 503 `PAYMENT_UNAVAILABLE`: this deployment has no payment gateway configured.
fn unavailable() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "PAYMENT_UNAVAILABLE",
        "payment is not available at this service; contact the university.",
        "پرداخت در این سامانه در دسترس نیست؛ با دانشگاه تماس بگیرید.",
    )
}

/// 409 `PAYMENT_AMOUNT_MISMATCH`: the gateway reports another amount paid than the fee asked.
fn amount_mismatch() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "PAYMENT_AMOUNT_MISMATCH",
        "amount_rials: the amount paid is not the fee asked; the payment is not accepted. \
         Start a new payment, or contact the university.",
        "amount_rials: مبلغ پرداخت‌شده با هزینه خواسته‌شده برابر نیست و پذیرفته نشد. پرداخت \
         تازه‌ای آغاز کنید یا با دانشگاه تماس بگیرید.",
    )
    .with_field("amount_rials")
}

/// 504 `PAYMENT_GATEWAY_TIMEOUT` or 502 `PAYMENT_GATEWAY_ERROR` (naming the gateway's code):
/// the gateway did not answer the question; nothing was recorded, so asking again (a new
/// payment, or the same callback later) can still succeed.
fn gateway_error(gateway: &str, e: GatewayError) -> ApiError {
    match e {
        GatewayError::Timeout => {
            tracing::warn!(gateway, "payment gateway: no answer in time");
            ApiError::new(
                StatusCode::GATEWAY_TIMEOUT,
                "PAYMENT_GATEWAY_TIMEOUT",
                "the bank's payment gateway did not answer in time; nothing was paid or \
                 recorded. Try again in a few minutes.",
                "درگاه پرداخت بانک به‌موقع پاسخ نداد؛ چیزی پرداخت یا ثبت نشد. چند دقیقه دیگر \
                 دوباره تلاش کنید.",
            )
        }
        GatewayError::Unreachable(why) => {
            tracing::warn!(gateway, why, "payment gateway unreachable");
            ApiError::new(
                StatusCode::BAD_GATEWAY,
                "PAYMENT_GATEWAY_ERROR",
                "the bank's payment gateway could not be reached; nothing was recorded. Try \
                 again later.",
                "به درگاه پرداخت بانک دسترسی نشد؛ چیزی ثبت نشد. بعداً دوباره تلاش کنید.",
            )
        }
        GatewayError::Refused { code, message } => {
            tracing::warn!(gateway, code, message, "payment gateway refused");
            ApiError::new(
                StatusCode::BAD_GATEWAY,
                "PAYMENT_GATEWAY_ERROR",
                format!(
                    "the bank's payment gateway refused (its code {code}); nothing was \
                     recorded. Try again later, or contact the university."
                ),
                format!(
                    "درگاه پرداخت بانک درخواست را نپذیرفت (کد {code})؛ چیزی ثبت نشد. بعداً دوباره \
                     تلاش کنید یا با دانشگاه تماس بگیرید."
                ),
            )
        }
    }
}

/// `POST /api/v1/applicant/request/payment`: a new payment of the fee, while it is due.
pub async fn start(State(state): State<AppState>, who: Applicant) -> Result<Response, ApiError> {
    let request = applicant_request(&state, &who).await?;
    if request.state != Step::AwaitingPayment {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "NOTHING_TO_PAY",
            "this request is not waiting for a payment.",
            "این درخواست در انتظار پرداخت نیست.",
        ));
    }
    let gateway = state.gateway.as_ref().ok_or_else(unavailable)?;
    let amount = state.exemption_fee_rials as i64;
    let created = gateway
        .create(amount, CALLBACK_PATH)
        .await
        .map_err(|e| gateway_error(gateway.name(), e))?;
    state
        .store
        .new_payment(
            request.id,
            gateway.name(),
            &created.authority,
            amount,
            now_unix(),
        )
        .await?;
    Ok(private_json(
        StatusCode::CREATED,
        &PaymentStarted {
            authority: created.authority,
            redirect_url: created.redirect_url,
            amount_rials: amount,
        },
    ))
}

fn see_other(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (LOCATION, location.to_owned()),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
    )
        .into_response()
}

/// `GET /api/v1/payments/callback?authority=…` (or Zarinpal's `?Authority=…&Status=…`):
/// verifies with the gateway (never trusting the URL's status), settles the payment once, moves
/// the request on a verified payment — or, when the request was closed meanwhile (no longer
/// awaiting payment: another payment paid it, it was revoked or decided), refunds the payment
/// through the gateway — and sends the payer to the request's page.
pub async fn callback(
    State(state): State<AppState>,
    Query(q): Query<CallbackQuery>,
) -> Result<Response, ApiError> {
    let Some(authority) = q.authority.filter(|a| !a.is_empty()) else {
        return Err(ApiError::invalid(vec![rules::contract::InputError::new(
            Some("authority"),
            "authority: the gateway's payment id is required.",
            "authority: شناسه پرداخت درگاه لازم است.",
        )]));
    };
    let payment = state
        .store
        .payment(&authority)
        .await?
        .ok_or_else(|| ApiError::not_found("payment"))?;
    let now = now_unix();
    let verified = match payment.status.as_str() {
        "created" => {
            let gateway = state.gateway.as_ref().ok_or_else(unavailable)?;
            // A timeout or an error settles nothing: the payment stays `created`, and a later
            // callback asks again.
            let reported = gateway
                .verify(&authority, payment.amount_rials)
                .await
                .map_err(|e| gateway_error(gateway.name(), e))?;
            let outcome = match &reported {
                Verification::Paid(v) if v.amount_rials == payment.amount_rials => {
                    Settled::Verified {
                        reference: &v.reference,
                        amount: v.amount_rials,
                    }
                }
                Verification::Paid(v) => Settled::AmountMismatch {
                    reported: Some(v.amount_rials),
                },
                Verification::AmountMismatch { reported } => Settled::AmountMismatch {
                    reported: *reported,
                },
                Verification::NotPaid => Settled::Failed,
            };
            if let Settled::AmountMismatch { .. } = outcome {
                tracing::warn!(payment = payment.id, "payment amount mismatch: not paid");
            }
            state.store.settle_payment(&authority, outcome, now).await?;
            // Whoever settled first decides; read it back.
            let settled = state
                .store
                .payment(&authority)
                .await?
                .ok_or_else(|| ApiError::not_found("payment"))?;
            if settled.failure.as_deref() == Some("amount_mismatch") {
                return Err(amount_mismatch());
            }
            settled.status == "verified"
        }
        _ if payment.failure.as_deref() == Some("amount_mismatch") => return Err(amount_mismatch()),
        status => status == "verified",
    };
    if !verified {
        return Ok(see_other("/track/receipt?payment=failed"));
    }
    let code: String = sqlx_code(&state.store, payment.request_id).await?;
    // The move happens once, and marks this payment as the one that paid: a repeated callback
    // finds the request past the payment step.
    let moved = state
        .store
        .move_request(&code, now, |request, revocations, offices| {
            if request.state != Step::AwaitingPayment {
                return Ok::<_, ApiError>(Decision::default());
            }
            let ctx = context(request, revocations, offices, now);
            let moves = workflow::plan(
                request,
                Action::ConfirmPayment,
                &Actor::system(),
                &ActionData::default(),
                &ctx,
                now,
            )
            .map_err(refused)?;
            Ok(Decision {
                moves,
                pays_with: Some(payment.id),
                ..Decision::default()
            })
        })
        .await?;
    if let Some(Err(e)) = moved {
        return Err(e);
    }
    state.notify.notify_one();
    let outcome = refund_if_unapplied(&state, &authority).await?;
    // Back to the applicant's receipt page, which knows the request it paid for: no tracking
    // code in the address (issue 13).
    Ok(see_other(&format!("/track/receipt?payment={outcome}")))
}

/// A verified payment its request did not take (closed before the verification came back) is
/// given back through the gateway, once: `ok` when the payment paid the request, `refunded`,
/// or `refund_pending` when the gateway did not refund it yet (a later callback or the periodic
/// pass, `services::refunds`, tries again; the university sees it as `failed`).
async fn refund_if_unapplied(state: &AppState, authority: &str) -> Result<&'static str, ApiError> {
    let payment = state
        .store
        .payment(authority)
        .await?
        .ok_or_else(|| ApiError::not_found("payment"))?;
    if payment.applied {
        return Ok("ok");
    }
    let Some(gateway) = state.gateway.as_ref() else {
        return Ok("refund_pending");
    };
    let now = now_unix();
    if state.store.claim_refund(payment.id, now).await? {
        let refunded =
            crate::services::refunds::attempt(&state.store, gateway.as_ref(), &payment, now)
                .await?;
        return Ok(if refunded {
            "refunded"
        } else {
            "refund_pending"
        });
    }
    // Another callback holds the claim, or it was refunded before.
    let now = state.store.payment(authority).await?;
    Ok(match now.and_then(|p| p.refund).as_deref() {
        Some("refunded") => "refunded",
        _ => "refund_pending",
    })
}

async fn sqlx_code(store: &Store, request_id: i64) -> Result<String, ApiError> {
    store
        .tracking_code_of(request_id)
        .await?
        .ok_or_else(|| ApiError::not_found("request"))
}

/// Escapes text for HTML.
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `GET /sandbox-gateway/{authority}`: the sandbox's payer page (a bank's page in production).
pub async fn sandbox_page(
    State(state): State<AppState>,
    Path(authority): Path<String>,
) -> Result<Response, ApiError> {
    let Some(payment) = state.store.sandbox_payment(&authority).await? else {
        return Err(ApiError::not_found("payment"));
    };
    let amount = group_thousands(payment.amount_rials);
    let amount_fa = crate::fa_digits(&amount);
    let a = html_escape(&authority);
    let body = if payment.status == "pending" {
        format!(
            r#"<p>مبلغ: <strong id="amount">{amount_fa} ریال</strong> <span lang="en" dir="ltr">(Amount: {amount} rials)</span></p>
<form method="post" action="/sandbox-gateway/{a}"><input type="hidden" name="decision" value="pay"><button type="submit" id="pay">پرداخت آزمایشی <span lang="en" dir="ltr">(Test payment)</span></button></form>
<form method="post" action="/sandbox-gateway/{a}"><input type="hidden" name="decision" value="cancel"><button type="submit" id="cancel">انصراف از پرداخت <span lang="en" dir="ltr">(Cancel)</span></button></form>"#
        )
    } else {
        r#"<p>این پرداخت پیش‌تر انجام یا لغو شده است. <span lang="en" dir="ltr">This payment was made or cancelled before.</span></p>"#.to_owned()
    };
    let page = format!(
        r#"<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>پرداخت آزمایشی — Test payment</title></head><body><main><h1>پرداخت آزمایشی <span lang="en" dir="ltr">(Test payment)</span></h1><p>درگاه آزمایشی این سامانه است، نه درگاه بانک؛ پولی جابه‌جا نمی‌شود. شناسه پرداخت: <bdi>{a}</bdi></p><p lang="en" dir="ltr">This is this service's test gateway, not a bank's: no money moves.</p>{body}</main></body></html>"#
    );
    Ok((
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        page,
    )
        .into_response())
}

/// `1,000,000`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// The sandbox form's errors as JSON, as the API's: 415 when the body is not a form, 422 naming
/// `decision` when the form has none.
fn form_error(rejection: FormRejection) -> ApiError {
    match rejection {
        FormRejection::InvalidFormContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "send the body as application/x-www-form-urlencoded.",
            "بدنه درخواست باید application/x-www-form-urlencoded باشد.",
        ),
        FormRejection::FailedToDeserializeForm(_)
        | FormRejection::FailedToDeserializeFormBody(_) => ApiError::invalid(vec![invalid(
            "decision",
            "required (pay, or anything else to cancel).",
            "لازم است (pay، یا هر چیز دیگر برای انصراف).",
        )]),
        other => ApiError::for_status(other.status()),
    }
}

#[derive(Deserialize)]
pub struct PayerChoice {
    decision: String,
    /// The amount the form pays (by default the amount created): a tampered form, as a test
    /// forges one.
    amount_rials: Option<i64>,
}

/// `POST /sandbox-gateway/{authority}`: the payer pays or cancels; back to the callback.
pub async fn sandbox_decide(
    State(state): State<AppState>,
    Path(authority): Path<String>,
    form: Result<Form<PayerChoice>, FormRejection>,
) -> Result<Response, ApiError> {
    let Some(payment) = state.store.sandbox_payment(&authority).await? else {
        return Err(ApiError::not_found("payment"));
    };
    let callback = payment.callback_url;
    let Form(form) = form.map_err(form_error)?;
    let paid = (form.decision == "pay").then(|| form.amount_rials.unwrap_or(payment.amount_rials));
    let reference = format!("REF{}", crate::random_hex(6).to_uppercase());
    state
        .store
        .sandbox_decide(&authority, paid, &reference)
        .await?;
    let status = if paid.is_some() { "OK" } else { "NOK" };
    Ok(see_other(&format!(
        "{callback}?authority={authority}&status={status}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(1_000_000), "1,000,000");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
    }
}
