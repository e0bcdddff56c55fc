//! The payment gateway a deployment is configured with (`serve --payment-gateway` or
//! `[payments].gateway`; none by default, and then nothing can be paid): Zarinpal's
//! (`zarinpal.rs`), or the sandbox gateway: a [`Gateway`] inside this server for development and
//! tests, its ledger in the same database, its payer page at `/sandbox-gateway/<authority>`
//! (`http::routes::payments`), routed only when configured.

use std::sync::Arc;

use crate::domain::clock::now_unix;
pub use crate::domain::payments::GatewayKind;
use crate::domain::payments::{
    BoxFuture, Created, Gateway, GatewayError, PaymentsConfig, Verification, Verified,
};
use crate::store::Store;

/// The gateway of `kind`, on `store`; a bank's with `[payments]` (its merchant id, callback).
pub fn gateway(
    kind: GatewayKind,
    store: &Store,
    payments: Option<&PaymentsConfig>,
) -> Result<Arc<dyn Gateway>, String> {
    Ok(match kind {
        GatewayKind::Sandbox => Arc::new(Sandbox {
            store: store.clone(),
        }),
        GatewayKind::Zarinpal => Arc::new(super::zarinpal::Zarinpal::new(
            payments
                .ok_or("--payment-gateway zarinpal needs a [payments] section in pishkhan.toml")?,
        )?),
    })
}

fn store_error(e: impl std::fmt::Display) -> GatewayError {
    GatewayError::Unreachable(e.to_string())
}

/// The sandbox: a gateway inside this server, its ledger in the same database, its payer page at
/// `/sandbox-gateway/<authority>`.
pub struct Sandbox {
    pub store: Store,
}

impl Gateway for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn create<'a>(
        &'a self,
        amount_rials: i64,
        callback_url: &'a str,
    ) -> BoxFuture<'a, Result<Created, GatewayError>> {
        Box::pin(async move {
            let authority = format!("SBX{}", crate::random_hex(12).to_uppercase());
            self.store
                .sandbox_create(&authority, amount_rials, callback_url, now_unix())
                .await
                .map_err(store_error)?;
            Ok(Created {
                redirect_url: format!("/sandbox-gateway/{authority}"),
                authority,
            })
        })
    }

    /// What the ledger says was paid: the payer's form may have carried another amount than the
    /// one created, as a tampered bank form would; the caller compares.
    fn verify<'a>(
        &'a self,
        authority: &'a str,
        _amount_rials: i64,
    ) -> BoxFuture<'a, Result<Verification, GatewayError>> {
        Box::pin(async move {
            let row = self
                .store
                .sandbox_payment(authority)
                .await
                .map_err(store_error)?;
            Ok(
                match row.map(|p| {
                    (
                        p.status,
                        p.reference,
                        p.paid_rials.unwrap_or(p.amount_rials),
                    )
                }) {
                    Some((status, Some(reference), amount_rials)) if status == "paid" => {
                        Verification::Paid(Verified {
                            reference,
                            amount_rials,
                        })
                    }
                    _ => Verification::NotPaid,
                },
            )
        })
    }

    /// The sandbox moves no money: a refund is only recorded by the caller.
    fn refund<'a>(
        &'a self,
        _authority: &'a str,
        _amount_rials: i64,
    ) -> BoxFuture<'a, Result<(), GatewayError>> {
        Box::pin(async move { Ok(()) })
    }
}
