//! Kiosk mode's entry point (Trunk builds this binary from `kiosk.html` into `dist/kiosk/`, with
//! fixed file names). `public/register-sw.js` loads it only when kiosk mode is on and calls
//! [`start`] with the query string the page was loaded with (the app may replace it at once, as
//! `/precheck` does).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub fn start(query: String) {
    app::start_kiosk(&query);
}

fn main() {}
