//! Shared by the app's browser tests (wasm-bindgen-test): waiting for a condition while the event
//! loop runs the router, effects and message deliveries.
#![allow(dead_code)] // each test binary uses its own part of this module

/// Yields to the event loop for one task (a `setTimeout` of 0).
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits until `condition` holds, letting the event loop run between checks; panics with `what`
/// after `timeout_ms` milliseconds.
pub async fn wait_until(what: &str, timeout_ms: f64, mut condition: impl FnMut() -> bool) {
    let deadline = js_sys::Date::now() + timeout_ms;
    while !condition() {
        assert!(
            js_sys::Date::now() < deadline,
            "{what}: not so after {timeout_ms} ms"
        );
        next_task().await;
    }
}
