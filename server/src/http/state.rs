//! What every handler shares (`AppState`): the store, the rate limiters (per client address, and
//! per person for sign-in codes), the idempotency claims, the payment gateway, the notification
//! sender's wake-up, the OpenID Connect relying party, the server's secret key and the settings
//! handlers read.

use std::sync::Arc;

use crate::domain::payments::Gateway;
use crate::http::idempotency::Claims;
use crate::http::limit::RateLimiter;
use crate::services::oidc::Oidc;
use crate::store::Store;

/// What the request handlers share.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub lookups: Arc<RateLimiter>,
    pub claims: Arc<Claims>,
    /// Login attempts per client address.
    pub logins: Arc<RateLimiter>,
    /// Sign-in codes asked for, per person.
    pub person_codes: Arc<RateLimiter<String>>,
    /// The session cookies (staff and person) are `Secure`.
    pub secure_cookies: bool,
    /// The exemption's service fee in rials.
    pub exemption_fee_rials: u64,
    /// The bank gateway of the service fee (the sandbox by default).
    pub gateway: Arc<dyn Gateway>,
    /// Wakes the notification sender when a move queued an SMS.
    pub notify: Arc<tokio::sync::Notify>,
    /// The OpenID providers applicants sign in with (`pishkhan.toml`; none by default).
    pub oidc: Arc<Oidc>,
    /// `<data-dir>/secret.key` (signs the staff's device cookies, seals TOTP secrets, keys the
    /// recovery codes).
    pub secret_key: Arc<[u8; 32]>,
    /// Who must have a second factor (`serve --staff-totp`).
    pub staff_totp: crate::domain::second_factor::StaffTotp,
}
