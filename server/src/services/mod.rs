//! What the server does with the store but without HTTP: the notification outbox's sender
//! (`notify.rs`) and the real SMS gateways (`sms.rs`: Kavenegar, a signed webhook), the payment
//! gateway configured and the sandbox (`payments.rs`), Zarinpal's gateway (`zarinpal.rs`), creating staff accounts
//! (`accounts.rs`, for the admin's API, the user commands and the demo users), sending one-time
//! codes (`codes.rs`, the applicant's and the sign-in's) and importing a roster (`roster.rs`, for
//! the admin's API, `pishkhan roster import` and the demo roster), the OpenID Connect relying
//! party (`oidc.rs`), what follows a verified sign-in (`signin.rs`), the retention purge
//! (`retention.rs`), the deadline reminders' pass (`reminders.rs`), and running a periodic task on
//! one of the instances (`tasks.rs`).

pub mod accounts;
pub mod codes;
pub mod notify;
pub mod oidc;
pub mod payments;
pub mod reminders;
pub mod retention;
pub mod roster;
pub mod signin;
pub mod sms;
pub mod tasks;
pub mod zarinpal;
