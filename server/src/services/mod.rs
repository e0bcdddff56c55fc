//! What the server does with the store but without HTTP: the notification outbox's sender
//! (`notify.rs`), the sandbox payment gateway (`payments.rs`), and creating staff accounts
//! (`accounts.rs`, for the admin's API, the user commands and the demo users).

pub mod accounts;
pub mod notify;
pub mod payments;
