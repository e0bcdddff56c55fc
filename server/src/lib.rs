//! Pishkhan's server crate: the rules batch stream and the HTTP server, used by the `pishkhan`
//! binary (`main.rs`), the tests and the benchmarks.

pub mod admin;
pub mod applicant;
pub mod art34;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod batch;
pub mod clock;
pub mod error;
pub mod layers;
pub mod limit;
pub mod notify;
pub mod payments;
pub mod requests;
pub mod serve;
pub mod staff;
pub mod store;
pub mod workflow;

/// Lowercase hexadecimal of some bytes (digests, random names).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `n` random bytes from the operating system, as lowercase hex (tokens, codes, keys).
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    hex(&bytes)
}

/// Persian digits for a message in Persian.
pub fn fa_digits(text: &str) -> String {
    rules::digits::to_persian_digits(text)
}
