//! What every handler shares (`AppState`): the store, the rate limiters (per client address, and
//! per person for sign-in codes), the idempotency claims, the payment gateway, the notification
//! sender's wake-up, the OpenID Connect relying party, the server's secret key and the settings
//! handlers read (`UploadLimits` among them).

use std::sync::Arc;

use crate::domain::payments::Gateway;
use crate::domain::secret::SecretKey;
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
    /// The bank gateway of the service fee (`serve --payment-gateway`; none by default, and then
    /// nothing can be paid: 503 `PAYMENT_UNAVAILABLE`).
    pub gateway: Option<Arc<dyn Gateway>>,
    /// Wakes the notification sender when a move queued an SMS.
    pub notify: Arc<tokio::sync::Notify>,
    /// The OpenID providers applicants sign in with (`pishkhan.toml`; none by default).
    pub oidc: Arc<Oidc>,
    /// The server's secret key (`<data-dir>/secret.key`): one-time codes are stored by an HMAC
    /// under it.
    pub secret: Arc<SecretKey>,
    /// A person's daily upload quota and the free space uploads leave.
    pub uploads: UploadLimits,
    /// Who must have a second factor (`serve --staff-totp`).
    pub staff_totp: crate::domain::second_factor::StaffTotp,
}

/// What one person may upload per day (`serve --uploads-per-day`, `--upload-bytes-per-day`),
/// and the free space an upload must leave on the data directory's disk (`--min-free-disk`).
#[derive(Clone, Copy, Debug)]
pub struct UploadLimits {
    pub files_per_day: u64,
    pub bytes_per_day: u64,
    pub min_free_disk: u64,
}

impl Default for UploadLimits {
    /// 20 files and 50 MiB a day (a request has at most a handful of 5 MiB files, and a
    /// correction its own again); 256 MiB left free for the database.
    fn default() -> UploadLimits {
        UploadLimits {
            files_per_day: 20,
            bytes_per_day: 50 * 1024 * 1024,
            min_free_disk: 256 * 1024 * 1024,
        }
    }
}
