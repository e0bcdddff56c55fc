//! Components shared by the bundles' pages: the page frame, form fields, the error summary,
//! results, the not-found page.

pub mod error_summary;
pub mod field_input;
pub mod layout;
pub mod not_found;
pub mod result_parts;
