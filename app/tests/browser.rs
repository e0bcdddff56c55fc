//! Component tests in a real browser (wasm-bindgen-test in headless Chromium): the app mounts and
//! renders Persian right-to-left, answers survive in session storage, and a date field draws its
//! three named inputs. Run: `cargo test -p app --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use app::shell::form::{Answers, Field, Kind};
use wasm_bindgen_test::*;

mod common;

use common::wait_until;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

#[wasm_bindgen_test]
async fn the_app_mounts_persian_and_rtl_and_marks_itself_ready() {
    app::start();
    let html = document().document_element().unwrap();
    wait_until("<html data-app-ready> and a page heading", 5_000.0, || {
        html.has_attribute("data-app-ready")
            && document()
                .query_selector("main h1")
                .ok()
                .flatten()
                .is_some()
    })
    .await;
    assert_eq!(html.get_attribute("lang").as_deref(), Some("fa"));
    assert_eq!(html.get_attribute("dir").as_deref(), Some("rtl"));
    assert!(html.has_attribute("data-app-ready"));
    // The test page's own path is not a route of the app: the "not found" page in Persian.
    let h1 = document()
        .query_selector("main h1")
        .unwrap()
        .expect("a page heading");
    let path = web_sys::window().unwrap().location().pathname().unwrap();
    let want = if path == "/" {
        "پیشخوان معافیت تحصیلی"
    } else {
        "این صفحه پیدا نشد"
    };
    assert_eq!(h1.text_content().unwrap(), want, "at {path}");
    assert_eq!(
        document()
            .query_selector(".brand")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "پیشخوان"
    );
    assert!(document()
        .query_selector("button[data-lang-switch]")
        .unwrap()
        .is_some());
}

#[wasm_bindgen_test]
fn answers_round_trip_through_session_storage() {
    let mut a = Answers::default();
    a.set("study_start.day", "۱۵".into());
    a.set("level", "phd".into());
    app::shell::storage::save_answers("pishkhan.test", &a);
    assert_eq!(app::shell::storage::load_answers("pishkhan.test"), a);
    assert_eq!(
        app::shell::storage::load_answers("pishkhan.missing"),
        Answers::default()
    );
    // Kept as the JSON object of strings serde wrote before (answers stored by an older build
    // read the same), and anything else read as no answers.
    let stored = r#"{"level":"phd","study_start.day":"۱۵"}"#;
    assert_eq!(
        app::shell::storage::session_get("pishkhan.test").as_deref(),
        Some(stored)
    );
    for bad in ["[\"phd\"]", "{\"level\":3}", "null", "not json"] {
        app::shell::storage::session_set("pishkhan.bad", bad);
        assert_eq!(
            app::shell::storage::load_answers("pishkhan.bad"),
            Answers::default(),
            "{bad}"
        );
    }
}

#[wasm_bindgen_test]
fn today_comes_from_the_browser_clock() {
    let now = js_sys_now();
    let expected = rules::JalaliDate::today_in_tehran((now / 1000.0) as i64);
    assert_eq!(app::shell::clock::today(), expected);
}

#[wasm_bindgen_test]
fn a_date_field_has_day_month_year_inputs_named_after_the_field() {
    use leptos::prelude::*;
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let el: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(container.clone());
    let handle = leptos::mount::mount_to(el, || {
        app::shell::i18n::provide_lang();
        let answers = RwSignal::new(Answers::default());
        let errors = RwSignal::new(Vec::new());
        view! { <app::shell::components::field_input::FieldInput field=Field::new("study_start", Kind::Date) answers=answers errors=errors heading=true /> }
    });
    for part in ["day", "month", "year"] {
        let input = container
            .query_selector(&format!("input[name='study_start.{part}']"))
            .unwrap();
        assert!(input.is_some(), "{part}");
    }
    assert!(container.query_selector("legend h1").unwrap().is_some());
    drop(handle);
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn js_sys_now() -> f64;
}
