//! What the server does with the store but without HTTP: the notification outbox's sender
//! (`notify.rs`) and the real SMS gateways (`sms.rs`: Kavenegar, a signed webhook), the payment
//! gateway configured and the sandbox (`payments.rs`), Zarinpal's gateway (`zarinpal.rs`), creating staff accounts
//! (`accounts.rs`, for the admin's API, the user commands and the demo users), sending one-time
//! codes (`codes.rs`, the applicant's and the sign-in's) and importing a roster (`roster.rs`, for
//! the admin's API, `pishkhan roster import` and the demo roster), the OpenID Connect relying
//! party (`oidc.rs`), what follows a verified sign-in (`signin.rs`), the retention purge
//! (`retention.rs`), the deadline reminders' pass (`reminders.rs`), folding the dashboard's counts
//! into its summary (`summary.rs`), and running a periodic task on one of the instances
//! (`tasks.rs`).

pub mod accounts;
pub mod codes;
pub mod notify;
pub mod oidc;
pub mod payments;
pub mod refunds;
pub mod reminders;
pub mod retention;
pub mod roster;
pub mod signin;
pub mod sms;
pub mod summary;
pub mod tasks;
pub mod zarinpal;

/// The HTTP client of a provider's API (the SMS gateways, the bank gateway): every call,
/// connecting included, within `timeout`, and no redirect followed (an answer is the provider's
/// own, never another host's). Its error names no URL.
pub fn provider_client(timeout: std::time::Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.without_url().to_string())
}

/// An id in a provider's JSON answer (a number in its documentation; a non-empty string is
/// taken as it is) as text.
pub fn provider_id(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}
