//! "Today": the browser's clock read once per answer and turned into the Jalali date in Tehran
//! by the rules (which never read a clock themselves).

use rules::JalaliDate;

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

/// Milliseconds since 1970 from the browser (or the system clock in native tests).
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        date_now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }
}

/// Today's date in Asia/Tehran.
pub fn today() -> JalaliDate {
    JalaliDate::today_in_tehran((now_ms() / 1000.0).floor() as i64)
}
