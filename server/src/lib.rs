//! Pishkhan's server crate: the rules batch stream and the HTTP server, used by the `pishkhan`
//! binary (`main.rs`), the tests and the benchmarks.

pub mod batch;
pub mod serve;
