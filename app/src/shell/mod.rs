//! The shell every bundle shares and that knows no bundle: the languages (`i18n`), the shared
//! components, forms as data (`form`), the browser's storage and document (`storage`), the clock,
//! the one HTTP client (`http`), QR codes as SVG (`qr`), calendar files of a deadline (`calendar`)
//! and files the page saves (`download`), and the request forms as data with their words
//! (`request_forms`, used by the forms bundle and the staff bundle).

pub mod calendar;
pub mod clock;
pub mod components;
pub mod download;
pub mod form;
pub mod http;
pub mod i18n;
pub mod qr;
pub mod request_forms;
pub mod storage;
