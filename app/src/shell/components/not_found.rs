//! The page for a path no bundle knows ("page not found", with a link home).

use leptos::prelude::*;

use crate::shell::i18n::{frame_page_setup, use_lang};

#[component]
pub fn NotFoundPage() -> impl IntoView {
    frame_page_setup(|t| t.not_found.to_owned());
    let lang = use_lang();
    move || {
        let t = lang.get().frame();
        view! {
            <h1 class="page-heading">{t.not_found}</h1>
            <p><a href="/">{t.home}</a></p>
        }
    }
}
