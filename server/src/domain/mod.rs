//! The server's domain: what it knows beyond `rules`, whatever the transport or the database —
//! the clock, the workflow plans, submissions, staff accounts and tokens, one-time codes, the
//! roster and the people on it, the audit chain, the payment gateway's shape, OpenID Connect
//! sign-in (`oidc.rs`), the retention table (`retention.rs`), the server's secret key
//! (`secret.rs`), the staff's second factor (`second_factor.rs`) and the SMS gateway's
//! configuration and outcomes (`sms.rs`). It imports nothing from
//! `http`, `store`, `services` or `cli`; input errors are `rules::InputError`, naming the field.

pub mod accounts;
pub mod audit;
pub mod clock;
pub mod codes;
pub mod dashboard;
pub mod oidc;
pub mod payments;
pub mod retention;
pub mod roster;
pub mod second_factor;
pub mod secret;
pub mod sms;
pub mod submission;
pub mod universities;
pub mod workflow;

use rules::InputError;

/// A bad field: `"<field>: <en>"` and `"<field>: <fa>"`.
pub fn invalid(field: &str, en: impl std::fmt::Display, fa: impl std::fmt::Display) -> InputError {
    InputError::new(
        Some(field),
        format!("{field}: {en}"),
        format!("{field}: {fa}"),
    )
}

/// A field the input must have: its value, or the error naming it.
pub fn required<T>(field: &str, value: Option<T>) -> Result<T, InputError> {
    value.ok_or_else(|| invalid(field, "this field is required.", "این فیلد لازم است."))
}

/// Input that is not JSON at all (no field to name).
pub fn not_json(detail: impl std::fmt::Display) -> InputError {
    InputError::new(
        None,
        format!("not valid JSON ({detail})."),
        "بدنه درخواست JSON معتبر نیست.",
    )
}
