//! The empty Leptos page of `bench/web`: mounts one paragraph, then marks the document
//! interactive (`data-app-ready` on `<html>`) as the student app does, so the benchmark measures
//! the framework floor with the same clock.

use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(|| view! { <p>"پیشخوان"</p> });
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-app-ready", "");
    }
}
