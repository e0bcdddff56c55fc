//! Refunds of payments verified after their request was closed (issue 16, docs/payments.md,
//! "Refunds"): one attempt at the gateway for a claimed refund ([`attempt`], also the
//! callback's), and the periodic pass that tries again the failed ones (backing off) and the
//! `refunding` ones a crash left behind ([`run`]). The server runs the pass hourly, claimed once
//! across instances ([`run_hourly`]); `pishkhan refunds` runs it by hand.

use std::sync::Arc;
use std::time::Duration;

use crate::domain::payments::Gateway;
use crate::store::applicant::Payment;
use crate::store::{Store, StoreResult};

/// Asks the gateway to give back `payment`, whose refund this caller claimed, and records the
/// answer at `now`: true when refunded. Logs the payment's row id and the gateway's error code,
/// nothing else of it.
pub async fn attempt(
    store: &Store,
    gateway: &dyn Gateway,
    payment: &Payment,
    now: i64,
) -> StoreResult<bool> {
    let error = gateway
        .refund(&payment.authority, payment.amount_rials)
        .await
        .err()
        .map(|e| e.code());
    let outcome = match &error {
        None => Ok(()),
        Some(code) => Err(code.as_str()),
    };
    store.record_refund(payment.id, outcome, now).await?;
    match &error {
        None => tracing::info!(
            payment = payment.id,
            "payment verified after its request closed: refunded"
        ),
        Some(code) => tracing::warn!(
            payment = payment.id,
            error = code.as_str(),
            "payment verified after its request closed: refund failed"
        ),
    }
    Ok(error.is_none())
}

/// What one pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    /// Refunds due (failed ones past their back-off, stale `refunding` ones).
    pub due: usize,
    /// Refunded now.
    pub refunded: usize,
    /// Tried and failed again.
    pub failed: usize,
    /// Due but claimed by another pass or a callback first.
    pub skipped: usize,
    /// Left `refunding` on their last attempt: now `failed` for good.
    pub gave_up: u64,
}

/// Runs the pass at `now` (Unix seconds): each due refund claimed (once across instances) and
/// tried.
pub async fn run(store: &Store, gateway: &dyn Gateway, now: i64) -> StoreResult<Pass> {
    let mut pass = Pass {
        gave_up: store.give_up_stale_refunds(now).await?,
        ..Pass::default()
    };
    let due = store.refunds_due(now).await?;
    pass.due = due.len();
    for payment in &due {
        if !store.claim_due_refund(payment.id, now).await? {
            pass.skipped += 1;
        } else if attempt(store, gateway, payment, now).await? {
            pass.refunded += 1;
        } else {
            pass.failed += 1;
        }
    }
    Ok(pass)
}

/// The pass's period: an hour (the back-off's unit).
const HOUR: i64 = 3600;

/// The server's pass, once an hour across the instances sharing the database: each looks every
/// five minutes (and at start) whether it is due, and the one that claims it runs it.
pub async fn run_hourly(store: Store, gateway: Arc<dyn Gateway>) {
    let store = &store;
    let gateway = &*gateway;
    super::tasks::claimed_every(
        store,
        "refunds",
        Duration::from_secs(300),
        HOUR,
        |now| async move {
            match run(store, gateway, now).await {
                Ok(p) if p == Pass::default() => {}
                Ok(p) => tracing::info!(
                    due = p.due,
                    refunded = p.refunded,
                    failed = p.failed,
                    gave_up = p.gave_up,
                    "refunds pass"
                ),
                Err(e) => tracing::error!(error = %e, "refunds pass failed"),
            }
        },
    )
    .await
}
