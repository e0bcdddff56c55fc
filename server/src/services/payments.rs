//! The payment gateway a deployment is configured with (`serve --payment-gateway`; none by
//! default, and then nothing can be paid), and the sandbox gateway: a [`Gateway`] inside this
//! server for development and tests, its ledger in the same database, its payer page at
//! `/sandbox-gateway/<authority>` (`http::routes::payments`), routed only when configured.

use std::sync::Arc;

use crate::domain::clock::now_unix;
use crate::domain::payments::{BoxFuture, Created, Gateway, Verified};
use crate::store::Store;

/// The gateways `serve --payment-gateway` can name. Real banks' gateways come behind the same
/// [`Gateway`] trait (issue 16).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GatewayKind {
    /// The test gateway inside this server: anyone reaching its page can "pay"; never in
    /// production.
    Sandbox,
}

/// The gateway of `kind`, on `store`.
pub fn gateway(kind: GatewayKind, store: &Store) -> Arc<dyn Gateway> {
    match kind {
        GatewayKind::Sandbox => Arc::new(Sandbox {
            store: store.clone(),
        }),
    }
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
    ) -> BoxFuture<'a, Result<Created, String>> {
        Box::pin(async move {
            let authority = format!("SBX{}", crate::random_hex(12).to_uppercase());
            self.store
                .sandbox_create(&authority, amount_rials, callback_url, now_unix())
                .await
                .map_err(|e| e.to_string())?;
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
    ) -> BoxFuture<'a, Result<Option<Verified>, String>> {
        Box::pin(async move {
            let row = self
                .store
                .sandbox_payment(authority)
                .await
                .map_err(|e| e.to_string())?;
            Ok(row.and_then(|p| match (p.status.as_str(), p.reference) {
                ("paid", Some(reference)) => Some(Verified {
                    reference,
                    amount_rials: p.paid_rials.unwrap_or(p.amount_rials),
                }),
                _ => None,
            }))
        })
    }
}
