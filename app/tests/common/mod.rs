//! Shared by the app's browser tests (wasm-bindgen-test): waiting for the event loop.

/// Waits `ms` milliseconds, so the router, effects and message deliveries can run.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}
