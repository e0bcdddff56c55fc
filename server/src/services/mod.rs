//! What the server does with the store but without HTTP: the notification outbox's sender
//! (`notify.rs`), the sandbox payment gateway (`payments.rs`), and creating staff accounts
//! (`accounts.rs`, for the admin's API, the user commands and the demo users), the OpenID Connect
//! relying party (`oidc.rs`) and what follows a verified sign-in (`signin.rs`).

pub mod accounts;
pub mod notify;
pub mod oidc;
pub mod payments;
pub mod signin;
