//! Pishkhan's server crate, in layers (ARCHITECTURE.md, `server/`): `domain` (the
//! server's own rules and types, no I/O of HTTP or SQL), `store` (SQL, on domain types),
//! `services` (what needs the store but not HTTP), `http` (the API and the built app) and `cli`
//! (the rules stream and the user commands); used by the `pishkhan` binary (`main.rs`), the
//! tests and the benchmarks. Here only the byte and digit helpers every layer uses.

pub mod cli;
pub mod domain;
pub mod http;
pub mod services;
pub mod store;

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
