//! The browser's storage and document: local storage (settings kept across visits), session
//! storage (answers in progress: they survive a reload, not a closed tab), `<html>` attributes.
//! Failures (private mode, storage disabled) are ignored: the app keeps working in memory.
//! Off the browser (the build-time prerenderer, native) there is no window: nothing is stored.

use crate::shell::form::Answers;

/// The browser's window; none natively, where calling into JavaScript would panic.
fn window() -> Option<web_sys::Window> {
    if cfg!(target_arch = "wasm32") {
        web_sys::window()
    } else {
        None
    }
}

fn local() -> Option<web_sys::Storage> {
    window()?.local_storage().ok()?
}

fn session() -> Option<web_sys::Storage> {
    window()?.session_storage().ok()?
}

pub fn local_get(key: &str) -> Option<String> {
    local()?.get_item(key).ok()?
}

pub fn local_set(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(key, value);
    }
}

pub fn local_remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}

pub fn session_get(key: &str) -> Option<String> {
    session()?.get_item(key).ok()?
}

pub fn session_set(key: &str, value: &str) {
    if let Some(s) = session() {
        let _ = s.set_item(key, value);
    }
}

pub fn session_remove(key: &str) {
    if let Some(s) = session() {
        let _ = s.remove_item(key);
    }
}

/// Answers kept in session storage under `key` (empty when none or unreadable): a JSON object of
/// strings, read by the browser's own `JSON.parse` (the student bundle carries no JSON library).
pub fn load_answers(key: &str) -> Answers {
    session()
        .and_then(|s| s.get_item(key).ok()?)
        .and_then(|json| answers_from_json(&json))
        .unwrap_or_default()
}

/// The answers of a JSON object whose every value is a string; `None` for anything else.
fn answers_from_json(json: &str) -> Option<Answers> {
    use web_sys::js_sys::{Array, Object, JSON};
    use web_sys::wasm_bindgen::JsCast;
    let value = JSON::parse(json).ok()?;
    if Array::is_array(&value) {
        return None;
    }
    let object = value.dyn_into::<Object>().ok()?;
    let mut answers = Answers::default();
    for entry in Object::entries(&object) {
        let pair: Array = entry.unchecked_into();
        answers.set(&pair.get(0).as_string()?, pair.get(1).as_string()?);
    }
    Some(answers)
}

/// Keeps `answers` under `key` as a JSON object of strings (the browser's `JSON.stringify`).
pub fn save_answers(key: &str, answers: &Answers) {
    use web_sys::js_sys::{Object, Reflect, JSON};
    let Some(s) = session() else { return };
    let object = Object::new();
    for (name, value) in &answers.0 {
        let _ = Reflect::set(&object, &name.into(), &value.into());
    }
    if let Some(json) = JSON::stringify(&object).ok().and_then(|j| j.as_string()) {
        let _ = s.set_item(key, &json);
    }
}

/// Saves `answers` under `key` on every change, not at once: a page that only shows them leaves
/// session storage as it found it (the kiosk wipes the start page while it starts).
pub fn save_answers_on_change(key: String, answers: leptos::prelude::RwSignal<Answers>) {
    use leptos::prelude::*;
    Effect::watch(
        move || answers.track(),
        move |_, _, _| answers.with_untracked(|a| save_answers(&key, a)),
        false,
    );
}

fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// Sets `<html lang dir>`.
pub fn set_html_lang(lang: &str, dir: &str) {
    if let Some(html) = document().and_then(|d| d.document_element()) {
        let _ = html.set_attribute("lang", lang);
        let _ = html.set_attribute("dir", dir);
    }
}

pub fn set_title(title: &str) {
    if let Some(doc) = document() {
        doc.set_title(title);
    }
}

/// Focuses the page's main heading (made focusable by script only: `tabindex=-1`).
pub fn focus_heading() {
    use wasm_bindgen::JsCast;
    if let Some(h1) = document()
        .and_then(|d| d.query_selector("main h1").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = h1.set_attribute("tabindex", "-1");
        let _ = h1.focus();
    }
}

/// Marks the page as interactive (`<html data-app-ready>`), for tests and the load benchmark.
pub fn mark_ready() {
    if let Some(html) = document().and_then(|d| d.document_element()) {
        let _ = html.set_attribute("data-app-ready", "");
    }
}

/// Local storage key: `"1"` while kiosk mode is on. The kiosk bundle writes it (its `config`
/// uses this one name); the shell only reads it, through [`kiosk`].
pub const KIOSK_KEY: &str = "pishkhan.kiosk";

/// Whether kiosk mode is on: `<html data-kiosk>`, or its flag in local storage (the kiosk bundle
/// may not have started yet on a fresh page).
pub fn kiosk() -> bool {
    document()
        .and_then(|d| d.document_element())
        .is_some_and(|html| html.has_attribute("data-kiosk"))
        || local_get(KIOSK_KEY).as_deref() == Some("1")
}

/// Whether the browser asks to save data (`<html data-save-data>`, set by `public/register-sw.js`
/// from `navigator.connection.saveData`): the other bundles are then not cached in advance.
pub fn save_data() -> bool {
    document()
        .and_then(|d| d.document_element())
        .is_some_and(|html| html.has_attribute("data-save-data"))
}

/// The page's path (`location.pathname`); none natively.
pub fn pathname() -> Option<String> {
    window()?.location().pathname().ok()
}

/// Whether the browser says it is online.
pub fn online() -> bool {
    window().is_none_or(|w| w.navigator().on_line())
}

/// Moves the keyboard focus to the element with this id, if it is there.
pub fn focus_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
