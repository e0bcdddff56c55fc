//! The request forms (the second bundle, `bin/forms.rs` → `dist/forms/`): the root and route table
//! (`app`), the drafts store (`drafts`), the forms' pages and the open draft (`requests`),
//! submitting (`outbox`), the applicant acting on their own request (`applicant`) and signing in
//! (`signin`).

pub mod app;
pub mod applicant;
pub mod drafts;
pub mod outbox;
pub mod requests;
pub mod signin;
