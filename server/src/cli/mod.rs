//! The command line's work outside HTTP: the rules stream (`batch.rs`) and the staff account
//! commands `pishkhan user …` (`users.rs`). `main.rs` parses the arguments and calls these.

pub mod batch;
pub mod users;
