//! The three request forms (exemption, withdrawal, clearance) as data (`flow`) and their words
//! (`texts`), and the exemption's list of universities (`universities`): the students fill them in the forms bundle, clerks file and read them in the staff
//! bundle. The student app's bundle does not use them, so it does not carry them.

pub mod flow;
pub mod texts;
pub mod universities;
