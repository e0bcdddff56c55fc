//! Pishkhan's server crate: the rules batch stream and the HTTP server, used by the `pishkhan`
//! binary (`main.rs`), the tests and the benchmarks.

pub mod admin;
pub mod attachments;
pub mod auth;
pub mod batch;
pub mod clock;
pub mod error;
pub mod layers;
pub mod limit;
pub mod requests;
pub mod serve;
pub mod store;

/// Lowercase hexadecimal of some bytes (digests, random names).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Persian digits for a message in Persian.
pub fn fa_digits(text: &str) -> String {
    rules::digits::to_persian_digits(text)
}
