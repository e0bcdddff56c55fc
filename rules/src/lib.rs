//! Pishkhan's rules: the conscription law's study articles as pure functions over Jalali dates.
//!
//! No I/O, no clock, no UI, no SQL: "today" is always an argument. Compiled natively (server,
//! CLI, tests) and to wasm32 (the browser app). See `ARCHITECTURE.md` and `shared/spec/rules.md`.

pub mod attachment;
pub mod contract;
pub mod date;
pub mod digits;
pub mod discharge;
pub mod identity;
pub mod level;
pub mod params;
pub mod precheck;
pub mod presentation;
pub mod reason;
pub mod reminders;
pub mod requests;
pub mod revocation;
#[cfg(feature = "openapi")]
pub mod schema;
pub mod tracking;
pub mod travel;
pub mod workflow;

pub use contract::{InputError, Tool};
pub use date::{DateError, GregorianDate, JalaliDate};
pub use identity::{IdentityError, Mobile, NationalId, PostalCode};
pub use level::{Level, StudyEnd};
pub use reason::{Code, Effect, Reason, Verdict};
