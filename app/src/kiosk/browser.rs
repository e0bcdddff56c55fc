//! The kiosk in the browser: `<html data-kiosk>`, one listener for every event it watches and the
//! one-second tick, the "finish and clear" bar, the warning dialog, the digit keypad and the wipe
//! of everything a visitor left (their person session on the server first). This is the kiosk bundle (`bin/kiosk.rs`), loaded beside the
//! student app or the forms only when kiosk mode is on: it knows nothing of their Leptos views and
//! works on the DOM alone. The bar, the dialog and the keypad are HTML written at the end of
//! `<body>`, outside the nodes Leptos owns, in the language of `<html lang>`.

use std::cell::RefCell;

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, Event, HtmlDialogElement, HtmlElement, HtmlInputElement};

use super::config::{self, Config, IDLE_KEY, KIOSK_KEY};
use super::keypad::{self, Key};
use super::texts::texts;
use super::timer::{Phase, Timer};
use crate::shell::i18n::Lang;

/// Session storage key set by a wipe just before it loads the start page, which wipes once more
/// (whatever a page wrote while the first wipe ran); that second wipe removes it when it has
/// finished, so a reload in the middle wipes again.
const AGAIN_KEY: &str = "pishkhan.kiosk.wipe";
/// The mark on `<html>` that the second wipe has finished (docs/app-contract.md).
const WIPED_ATTR: &str = "data-kiosk-wiped";
/// The IndexedDB database of the drafts (app/src/forms/drafts/store.rs).
const DB_NAME: &str = "pishkhan";
/// The events watched, on `window` in the capture phase: the first seven say the visitor is
/// there; the others drive the keypad and the warning.
const EVENTS: [&str; 13] = [
    "pointerdown",
    "pointerup",
    "pointermove",
    "keydown",
    "touchstart",
    "input",
    "scroll",
    "wheel",
    "focusin",
    "focusout",
    "mousedown",
    "click",
    "close",
];
const WARNING_ID: &str = "kiosk-warning";
const COUNTDOWN_ID: &str = "kiosk-countdown";
const KEYPAD_ID: &str = "kiosk-keypad";
const BAR_ID: &str = "kiosk-bar";

struct Kiosk {
    config: Config,
    timer: Timer,
    /// The input the open keypad types into.
    target: Option<HtmlInputElement>,
    wiping: bool,
    /// A pointer is down outside the keypad: closing the keypad now would move the page under
    /// it and the tap would miss its button, so the keypad closes once the tap is over.
    pointer_down: bool,
    hide_after_tap: bool,
}

thread_local! {
    static KIOSK: RefCell<Option<Kiosk>> = const { RefCell::new(None) };
}

/// Runs `f` on the kiosk state (`None` when kiosk mode is off). Never touch the DOM inside `f`:
/// focus changes dispatch events synchronously, and their handler borrows the state again.
fn with<R>(f: impl FnOnce(&mut Kiosk) -> R) -> Option<R> {
    KIOSK.with(|k| k.borrow_mut().as_mut().map(f))
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

fn by_id(id: &str) -> Option<Element> {
    document()?.get_element_by_id(id)
}

/// The page's language, from `<html lang>` (set by the page's `i18n`).
fn lang() -> Lang {
    match document()
        .and_then(|d| d.document_element()?.get_attribute("lang"))
        .as_deref()
    {
        Some("en") => Lang::En,
        _ => Lang::Fa,
    }
}

/// Reads the settings (`query`, the page's query string as it was when the page loaded: the app
/// may have replaced its URL since, then local storage), keeps them, and when kiosk mode is on
/// marks `<html data-kiosk>` and starts watching for inactivity. Returns whether it is on.
pub fn start(query: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let local = window.local_storage().ok().flatten();
    let get = |key| local.as_ref().and_then(|s| s.get_item(key).ok().flatten());
    let config = Config::resolve(query, get(KIOSK_KEY).as_deref(), get(IDLE_KEY).as_deref());
    keep(config);
    let Some(html) = document().and_then(|d| d.document_element()) else {
        return false;
    };
    if !config.on {
        let _ = html.remove_attribute("data-kiosk");
        return false;
    }
    let _ = html.set_attribute("data-kiosk", "");
    if KIOSK.with(|k| k.borrow().is_some()) {
        return true;
    }
    KIOSK.with(|k| {
        *k.borrow_mut() = Some(Kiosk {
            config,
            timer: Timer::new(config.idle),
            target: None,
            wiping: false,
            pointer_down: false,
            hide_after_tap: false,
        })
    });
    let again = window
        .session_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(AGAIN_KEY).ok().flatten());
    if again.is_some() {
        wasm_bindgen_futures::spawn_local(wipe(config, false));
    }
    // One closure for every event and for the tick (called with no argument); it lives as long
    // as the page.
    let handler = Closure::<dyn Fn(JsValue)>::new(on_event);
    let f = handler.as_ref().unchecked_ref();
    for kind in EVENTS {
        let _ = window.add_event_listener_with_callback_and_bool(kind, f, true);
    }
    // A page restored from the back/forward cache would bring a wiped visitor's page back.
    let _ = window.add_event_listener_with_callback("pageshow", f);
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(f, 1000);
    handler.forget();
    // The bar, drawn once the page is ready and redrawn when its language changes: both are
    // attributes of `<html>` (`data-app-ready`, `lang`) the page sets, maybe after this ran.
    let redraw = Closure::<dyn Fn()>::new(draw_bar);
    if let Ok(observer) = web_sys::MutationObserver::new(redraw.as_ref().unchecked_ref()) {
        let init = web_sys::MutationObserverInit::new();
        init.set_attribute_filter(&Array::of2(&"lang".into(), &"data-app-ready".into()));
        let _ = observer.observe_with_options(&html, &init);
    }
    redraw.forget();
    draw_bar();
    // A number field that had the focus before this bundle arrived gets its keypad too.
    if let Some(input) = document()
        .and_then(|d| d.active_element())
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .filter(|i| i.get_attribute("inputmode").as_deref() == Some("numeric"))
    {
        show_keypad(input);
    }
    true
}

/// Draws the "finish and clear" bar (a labelled landmark, fixed at the bottom of the screen, after
/// the page in reading order) once the page has marked itself ready, or puts its texts in the
/// page's current language.
fn draw_bar() {
    let Some(html) = document().and_then(|d| d.document_element()) else {
        return;
    };
    if !html.has_attribute("data-app-ready") {
        return;
    }
    let t = texts(lang());
    let Some(bar) = by_id(BAR_ID) else {
        return append(&format!(
            r#"<div id="{BAR_ID}" class="kiosk-bar" role="region" aria-label="{}"><button type="button" class="kiosk-finish" data-kiosk-finish="">{}</button></div>"#,
            t.bar, t.finish
        ));
    };
    if bar.get_attribute("aria-label").as_deref() != Some(t.bar) {
        let _ = bar.set_attribute("aria-label", t.bar);
        if let Some(button) = bar.first_element_child() {
            button.set_text_content(Some(t.finish));
        }
    }
}

/// Writes the settings to local storage (kiosk mode off leaves nothing).
fn keep(config: Config) {
    let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else {
        return;
    };
    for (key, value) in config.stored() {
        let _ = match value {
            Some(v) => s.set_item(key, &v),
            None => s.remove_item(key),
        };
    }
}

fn on_event(ev: JsValue) {
    let Some(ev) = ev.dyn_ref::<Event>() else {
        return tick();
    };
    let target = ev.target().and_then(|t| t.dyn_into::<Element>().ok());
    let closest = |selector: &str| {
        target
            .as_ref()
            .and_then(|t| t.closest(selector).ok().flatten())
    };
    let in_keypad = closest("[data-kiosk-keypad]").is_some();
    match ev.type_().as_str() {
        "pageshow" if Reflect::get(ev, &"persisted".into()).is_ok_and(|p| p.is_truthy()) => {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
        "focusin" => match target.and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
            Some(input) if input.get_attribute("inputmode").as_deref() == Some("numeric") => {
                show_keypad(input)
            }
            _ if in_keypad => {}
            _ if with(|k| k.pointer_down) == Some(true) => {
                with(|k| k.hide_after_tap = true);
            }
            _ => hide_keypad(),
        },
        "pointerdown" if !in_keypad => {
            with(|k| k.pointer_down = true);
        }
        // The tap's click comes right after; close the keypad after it.
        "pointerup" => {
            with(|k| k.pointer_down = false);
            if with(|k| std::mem::take(&mut k.hide_after_tap)) == Some(true) {
                let close = Closure::once_into_js(hide_keypad);
                if let Some(w) = web_sys::window() {
                    let _ = w.set_timeout_with_callback(close.unchecked_ref());
                }
            }
        }
        "focusout" if Reflect::get(ev, &"relatedTarget".into()).is_ok_and(|t| t.is_null()) => {
            hide_keypad();
        }
        // Pressing a keypad key must not take the focus from the input it types into.
        "mousedown" if in_keypad => ev.prevent_default(),
        "click" => {
            if closest("[data-kiosk-continue]").is_some() {
                if let Some(dialog) =
                    by_id(WARNING_ID).and_then(|d| d.dyn_into::<HtmlDialogElement>().ok())
                {
                    dialog.close(); // then "close" resumes
                }
            } else if closest("[data-kiosk-finish]").is_some() {
                finish();
            } else if let Some(key) = closest("[data-key]")
                .filter(|_| in_keypad)
                .and_then(|b| Key::from_id(&b.get_attribute("data-key")?))
            {
                press(key);
            }
        }
        // The warning closed by "continue" or Escape: both mean the visitor is there.
        "close" if target.as_ref().is_some_and(|t| t.id() == WARNING_ID) => {
            with(|k| k.timer.resume());
            if let Some(dialog) = by_id(WARNING_ID) {
                dialog.remove();
            }
        }
        _ => {}
    }
    with(|k| k.timer.activity());
}

fn tick() {
    match with(|k| (!k.wiping).then(|| k.timer.tick())).flatten() {
        Some(Phase::Warning { left }) => show_warning(left),
        Some(Phase::Expired) => finish(),
        _ => {}
    }
}

/// "Finish and clear": wipes everything of this visitor and shows the start page afresh.
pub fn finish() {
    let config = with(|k| (!std::mem::replace(&mut k.wiping, true)).then_some(k.config));
    let Some(Some(config)) = config else {
        return;
    };
    wasm_bindgen_futures::spawn_local(wipe(config, true));
}

/// `Promise.all(values)`, awaited (an error counts as done).
async fn all(values: &Array) -> Array {
    JsFuture::from(Promise::all(values))
        .await
        .map(|a| Array::from(&a))
        .unwrap_or_default()
}

/// How long the wipe waits for the server to end the person session (an unreachable server does
/// not hold the wipe up; the session then ends at its own expiry).
const SIGN_OUT_MS: i32 = 5_000;

/// Ends the visitor's person session on the server, if there is one (`GET /api/v1/signin/me` for
/// its CSRF token, then `POST /api/v1/signin/logout`, whose answer also clears the HttpOnly
/// cookie): the OpenID provider's end-session URL, when it gave one.
async fn end_person_session() -> Option<String> {
    use crate::shell::http::{fetch, Auth, SIGNIN_LOGOUT, SIGNIN_ME};
    let me = fetch("GET", SIGNIN_ME, None, &[], Auth::None).await.ok()?;
    if me.status != 200 {
        return None;
    }
    let session: api::signin::PersonSession = serde_json::from_str(&me.body).ok()?;
    let out = fetch(
        "POST",
        SIGNIN_LOGOUT,
        Some(&JsValue::from_str("{}")),
        &[("content-type", "application/json")],
        Auth::Csrf(&session.csrf_token),
    )
    .await
    .ok()?;
    serde_json::from_str::<api::signin::SignedOut>(&out.body)
        .ok()?
        .end_session_url
}

/// [`end_person_session`], for at most [`SIGN_OUT_MS`].
async fn sign_out(window: &web_sys::Window) -> Option<String> {
    let ending = wasm_bindgen_futures::future_to_promise(async {
        Ok(end_person_session()
            .await
            .map_or(JsValue::NULL, |url| JsValue::from_str(&url)))
    });
    let timeout = Promise::new(&mut |resolve, _| {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, SIGN_OUT_MS);
    });
    JsFuture::from(Promise::race(&Array::of2(&ending, &timeout)))
        .await
        .ok()?
        .as_string()
}

/// Ends the person session on the server first, then deletes the visitor's IndexedDB databases,
/// local storage (but the kiosk settings) and language cookie, session storage (but the second wipe's own key) and
/// every cache but the app shells'; then, when `restart`, loads the OpenID provider's end of
/// session when the sign-out named one (it leads back to the start page), else the start page;
/// else (the second wipe) removes its key and marks `<html data-kiosk-wiped>`.
async fn wipe(config: Config, restart: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let end_session = sign_out(&window).await;
    if let Ok(Some(s)) = window.local_storage() {
        let _ = s.clear();
    }
    // The language cookie beside the local storage's value (public/register-sw.js), by which the
    // server and the worker pick the prerendered first page: the next visitor starts in Persian.
    if let Some(document) = window.document() {
        let _ = Reflect::set(
            &document,
            &"cookie".into(),
            &"pishkhan_lang=; path=/; max-age=0; samesite=lax".into(),
        );
    }
    keep(config);
    if let Ok(Some(s)) = window.session_storage() {
        let _ = s.clear();
        if !restart {
            let _ = s.set_item(AGAIN_KEY, "1");
        }
    }
    let idb = window.indexed_db().ok().flatten();
    let caches = window.caches().ok();
    // The names: indexedDB.databases() (missing from older browsers: the drafts' is known anyway)
    // and caches.keys().
    let databases = idb.as_ref().and_then(|idb| {
        Reflect::get(idb, &"databases".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?
            .call0(idb)
            .ok()
    });
    let names = all(&Array::of2(
        &databases.unwrap_or_default(),
        &caches.as_ref().map(|c| c.keys().into()).unwrap_or_default(),
    ))
    .await;
    let pending = Array::new();
    if let Some(idb) = idb {
        let listed = Array::from(&names.get(0));
        let listed = listed
            .iter()
            .filter_map(|d| Reflect::get(&d, &"name".into()).ok()?.as_string());
        for name in std::iter::once(DB_NAME.to_owned()).chain(listed) {
            if let Ok(request) = idb.delete_database(&name) {
                // Done, failed or blocked (a connection still open): move on. The navigation
                // that follows closes every connection, and the start page wipes once more.
                pending.push(&Promise::new(&mut |resolve, _| {
                    request.set_onsuccess(Some(&resolve));
                    request.set_onerror(Some(&resolve));
                    request.set_onblocked(Some(&resolve));
                }));
            }
        }
    }
    if let Some(caches) = caches {
        for name in Array::from(&names.get(1))
            .iter()
            .filter_map(|n| n.as_string())
        {
            if !config::is_shell_cache(&name) {
                pending.push(&caches.delete(&name));
            }
        }
    }
    all(&pending).await;
    if restart {
        if let Ok(Some(s)) = window.session_storage() {
            let _ = s.set_item(AGAIN_KEY, "1");
        }
        // A full navigation drops every in-memory state of the page.
        let _ = window
            .location()
            .replace(end_session.as_deref().unwrap_or("/"));
    } else {
        if let Ok(Some(s)) = window.session_storage() {
            let _ = s.remove_item(AGAIN_KEY);
        }
        if let Some(html) = document().and_then(|d| d.document_element()) {
            let _ = html.set_attribute(WIPED_ATTR, "");
        }
    }
}

/// Opens the warning (modal, focus on "continue") or updates its countdown.
fn show_warning(left: u32) {
    let t = texts(lang());
    let text = (t.countdown)(left);
    if let Some(countdown) = by_id(COUNTDOWN_ID) {
        countdown.set_text_content(Some(&text));
        return;
    }
    hide_keypad();
    let html = format!(
        r#"<dialog id="{WARNING_ID}" class="kiosk-warning" data-kiosk-warning="" role="alertdialog" aria-modal="true" aria-labelledby="kiosk-warning-title" aria-describedby="kiosk-warning-text {COUNTDOWN_ID}"><h2 id="kiosk-warning-title">{}</h2><p id="kiosk-warning-text">{}</p><p id="{COUNTDOWN_ID}" class="kiosk-countdown" role="timer" aria-atomic="true">{text}</p><button type="button" class="button" data-kiosk-continue="">{}</button></dialog>"#,
        t.warning_title, t.warning_text, t.continue_
    );
    append(&html);
    if let Some(dialog) = by_id(WARNING_ID).and_then(|d| d.dyn_into::<HtmlDialogElement>().ok()) {
        let _ = dialog.show_modal();
        if let Some(button) = dialog
            .last_element_child()
            .and_then(|b| b.dyn_into::<HtmlElement>().ok())
        {
            let _ = button.focus();
        }
    }
}

/// Adds `html` (the app's own texts: no markup characters in them) at the end of `<body>`.
fn append(html: &str) {
    if let Some(body) = document().and_then(|d| d.body()) {
        let _ = body.insert_adjacent_html("beforeend", html);
    }
}

/// Types `key` into the keypad's input and tells the page (a bubbling `input` event).
fn press(key: Key) {
    let Some(input) = with(|k| k.target.clone()).flatten() else {
        return;
    };
    if key == Key::Done || !input.is_connected() {
        hide_keypad();
        let _ = input.blur();
        return;
    }
    let value = input.value();
    let start = input.selection_start().ok().flatten().unwrap_or(0);
    let end = input.selection_end().ok().flatten().unwrap_or(start);
    let max = usize::try_from(input.max_length()).ok();
    let (new, caret) = keypad::edit(&value, start as usize, end as usize, key, max);
    if new != value {
        input.set_value(&new);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        if let Ok(ev) = Event::new_with_event_init_dict("input", &init) {
            let _ = input.dispatch_event(&ev);
        }
    }
    let _ = input.set_selection_range(caret as u32, caret as u32);
}

/// Shows the keypad for `input` (or points the open keypad at it).
fn show_keypad(input: HtmlInputElement) {
    if with(|k| k.target.replace(input.clone()))
        .flatten()
        .is_some()
        && by_id(KEYPAD_ID).is_some()
    {
        return;
    }
    let l = lang();
    let t = texts(l);
    let mut html = format!(
        r#"<div id="{KEYPAD_ID}" class="kiosk-keypad" data-kiosk-keypad="" role="region" aria-label="{}">"#,
        t.keypad
    );
    for key in Key::ALL {
        let id = key.id();
        html += r#"<button type="button" data-key=""#;
        html += id;
        html += "\"";
        match key {
            Key::Digit(d) => {
                // A Persian digit read out on an English page: give it its English name.
                if l == Lang::En {
                    html += r#" aria-label=""#;
                    html += id;
                    html += "\"";
                }
                html.push('>');
                html.push(keypad::persian_digit(d));
            }
            Key::Backspace => html = html + ">" + t.backspace,
            Key::Clear => html = html + ">" + t.clear,
            Key::Done => html = html + ">" + t.done,
        }
        html += "</button>";
    }
    append(&(html + "</div>"));
    if let Some(html) = document().and_then(|d| d.document_element()) {
        let _ = html.set_attribute("data-kiosk-keypad-open", "");
    }
    // Above the keypad (kiosk.css gives inputs a scroll margin).
    input.scroll_into_view();
}

fn hide_keypad() {
    with(|k| k.target = None);
    if let Some(pad) = by_id(KEYPAD_ID) {
        pad.remove();
        if let Some(html) = document().and_then(|d| d.document_element()) {
            let _ = html.remove_attribute("data-kiosk-keypad-open");
        }
    }
}
