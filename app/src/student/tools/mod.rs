//! The one-page tools: withdrawal revocation and presentation deadlines, travel, discharge.

pub mod forms;
pub mod tool_page;
