//! The service fee's bank gateway as the server sees it (seed 000 A1 step 5): a `Gateway` trait
//! in the shape Iranian bank gateways share (create → redirect the payer → callback → verify,
//! amounts in rials). The built-in sandbox is `services::payments`.

use std::future::Future;
use std::pin::Pin;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

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

/// A bank's payment gateway.
pub trait Gateway: Send + Sync + 'static {
    /// The name stored beside each payment.
    fn name(&self) -> &'static str;
    /// Registers a payment of `amount_rials`; the payer is sent to `redirect_url`, and the
    /// gateway sends them back to `callback_url`.
    fn create<'a>(
        &'a self,
        amount_rials: i64,
        callback_url: &'a str,
    ) -> BoxFuture<'a, Result<Created, String>>;
    /// Asks the gateway whether the payment of `amount_rials` (the fee asked) went through: what
    /// it reports paid if so. Asking again gives the same answer.
    fn verify<'a>(
        &'a self,
        authority: &'a str,
        amount_rials: i64,
    ) -> BoxFuture<'a, Result<Option<Verified>, String>>;
}
