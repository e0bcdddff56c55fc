//! The app shell: the page frame and the start page (later issues add the tools and forms).

use leptos::prelude::*;
use rules::JalaliDate;

/// The page frame with the start page. Shows today's Jalali date, computed in the browser by the
/// same `rules` crate the server runs, as proof that the rules run here.
#[component]
pub fn Shell() -> impl IntoView {
    let now_seconds = (js_sys_now_ms() / 1000.0) as i64;
    let today = JalaliDate::today_in_tehran(now_seconds);
    view! {
        <header class="site-header">
            <p class="brand">"پیشخوان"</p>
        </header>
        <main id="main" class="page">
            <h1>"پیشخوان معافیت تحصیلی"</h1>
            <p>
                "بررسی کنید آیا می‌توانید معافیت تحصیلی بگیرید، مهلت‌های قانونی خود را بدانید و درخواست‌های خود را ثبت کنید."
            </p>
            <p>
                "امروز: "
                <time data-date="today" data-value=today.to_machine()>{today.to_long_fa()}</time>
            </p>
        </main>
    }
}

fn js_sys_now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        now_ms()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    }
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn now_ms() -> f64;
}
