//! The sandbox payment gateway: a [`Gateway`] inside this server, its ledger in the same
//! database, its payer page at `/sandbox-gateway/<authority>` (`http::routes::payments`).

use crate::domain::clock::now_unix;
use crate::domain::payments::{BoxFuture, Created, Gateway};
use crate::store::Store;

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

    fn verify<'a>(
        &'a self,
        authority: &'a str,
        amount_rials: i64,
    ) -> BoxFuture<'a, Result<Option<String>, String>> {
        Box::pin(async move {
            let row = self
                .store
                .sandbox_payment(authority)
                .await
                .map_err(|e| e.to_string())?;
            Ok(row.and_then(|(amount, _, status, reference)| {
                (status == "paid" && amount == amount_rials)
                    .then_some(reference)
                    .flatten()
            }))
        })
    }
}
