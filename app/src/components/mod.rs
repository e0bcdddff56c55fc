//! Components shared by the pages: the page frame, form fields, the error summary, results.

pub mod error_summary;
pub mod field_input;
pub mod layout;
pub mod result_parts;
