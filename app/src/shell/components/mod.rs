//! Components shared by the bundles' pages: the page frame, form fields, the error summary,
//! results and their "add to calendar" buttons, the not-found page, a route of another bundle.

pub mod add_to_calendar;
pub mod error_summary;
pub mod field_input;
pub mod layout;
pub mod not_found;
pub mod other_bundle;
pub mod result_parts;
