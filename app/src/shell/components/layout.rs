//! The page frame: skip link, header with the language switch and the offline indicator, `<main>`.
//! (Kiosk mode's "finish and clear" is drawn by the kiosk bundle itself, outside these nodes:
//! app/src/kiosk/, which the shell does not know.)

use leptos::prelude::*;

use crate::shell::i18n::use_lang;
use crate::shell::storage;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = use_lang();
    let online = RwSignal::new(storage::online());
    let on = window_event_listener_untyped("online", move |_| online.set(true));
    let off = window_event_listener_untyped("offline", move |_| online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    let header = move || {
        let l = lang.get();
        let t = l.frame();
        view! {
            <a class="skip-link" href="#main">{t.skip_link}</a>
            <header class="site-header">
                <a class="brand" href="/">{t.app_name}</a>
                <p class="offline-indicator" role="status" hidden=move || online.get()>{t.offline}</p>
                <button
                    type="button"
                    class="lang-switch"
                    data-lang-switch=""
                    lang=l.other().code()
                    on:click=move |_| lang.update(|l| *l = l.other())
                >
                    {t.other_lang_name}
                </button>
            </header>
        }
    };
    view! {
        {header}
        <main id="main" class="page" tabindex="-1">
            {children()}
        </main>
    }
}
