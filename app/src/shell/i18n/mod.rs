//! Languages: the choice (Persian first, English second, kept in localStorage), `<html lang dir>`,
//! and the one translation table per language (`fa.rs`, `en.rs`) every component reads from (the
//! frame and the start page only their part of it, `Lang::frame`).

mod en;
mod fa;
mod table;

pub use table::{FrameTexts, Texts, Tool};

use leptos::prelude::*;
use rules::JalaliDate;

use crate::shell::storage;

/// The page's language.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    Fa,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fa => "fa",
            Lang::En => "en",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Lang::Fa => "rtl",
            Lang::En => "ltr",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Fa => Lang::En,
            Lang::En => Lang::Fa,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Fa => &fa::TEXTS,
            Lang::En => &en::TEXTS,
        }
    }

    /// The page frame's and the start page's texts alone (what the student app's main bundle
    /// shows): a bundle that reads only these does not carry the rest of the table.
    pub fn frame(self) -> &'static FrameTexts {
        match self {
            Lang::Fa => &fa::FRAME,
            Lang::En => &en::FRAME,
        }
    }

    /// Writes numbers in the language's digits (Persian digits in Persian).
    pub fn digits(self, s: &str) -> String {
        match self {
            Lang::Fa => rules::digits::to_persian_digits(s),
            Lang::En => s.to_owned(),
        }
    }

    /// A whole number in groups of three, in the language's digits and separator:
    /// `۱٬۰۰۰٬۰۰۰` / `1,000,000`.
    pub fn grouped(self, n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(if self == Lang::Fa { '٬' } else { ',' });
            }
            out.push(c);
        }
        self.digits(&out)
    }

    /// A Jalali date for reading: `۱۵ مهر ۱۴۰۳` / `15 Mehr 1403`.
    pub fn date(self, d: JalaliDate) -> String {
        match self {
            Lang::Fa => d.to_long_fa(),
            Lang::En => d.to_long_en(),
        }
    }

    /// The Gregorian date shown beside a Jalali one, in the language's digits.
    pub fn gregorian(self, d: JalaliDate) -> String {
        self.digits(&d.to_gregorian().to_string())
    }
}

/// The language signal shared through context.
pub type LangSignal = RwSignal<Lang>;

const LANG_KEY: &str = "pishkhan.lang";

/// Reads the kept choice (Persian when none; the prerenderer provides a `Lang` instead), provides
/// it, and keeps `<html>` and storage in step with every switch.
pub fn provide_lang() -> LangSignal {
    let initial =
        use_context::<Lang>().unwrap_or_else(|| match storage::local_get(LANG_KEY).as_deref() {
            Some("en") => Lang::En,
            _ => Lang::Fa,
        });
    let lang = RwSignal::new(initial);
    provide_context(lang);
    // At once, so the first paint already has the right direction; then on every switch, which is
    // kept. Nothing is written on start: a page that only reads the choice leaves storage as it
    // found it (the kiosk wipes the start page while it starts: docs/app-contract.md).
    storage::set_html_lang(initial.code(), initial.dir());
    Effect::watch(
        move || lang.get(),
        |l, _, _| {
            storage::local_set(LANG_KEY, l.code());
            storage::set_html_lang(l.code(), l.dir());
        },
        false,
    );
    lang
}

pub fn use_lang() -> LangSignal {
    expect_context::<LangSignal>()
}

/// Where the prerenderer (native) collects the title of the page it renders.
#[derive(Clone, Copy)]
pub struct PageTitle(pub RwSignal<String>);

/// A page's set-up: its title (`<page> – Pishkhan`, in the current language) and, once drawn,
/// the keyboard focus on its `<h1>` so a screen reader announces the new page.
pub fn page_setup(title: impl Fn(&'static Texts) -> String + 'static) {
    titled(move |l| title(l.texts()));
}

/// [`page_setup`] for a page of the frame's texts alone ([`Lang::frame`]: the start page, "page not
/// found"), which leaves the rest of the table out of a bundle that has no other page.
pub fn frame_page_setup(title: impl Fn(&'static FrameTexts) -> String + 'static) {
    titled(move |l| title(l.frame()));
}

fn titled(title: impl Fn(Lang) -> String + 'static) {
    let lang = use_lang();
    let full = move || {
        let l = lang.get();
        format!("{} – {}", title(l), l.frame().app_name)
    };
    if let Some(PageTitle(slot)) = use_context::<PageTitle>() {
        slot.set(full());
    }
    Effect::new(move |_| storage::set_title(&full()));
    #[cfg(target_arch = "wasm32")]
    request_animation_frame(storage::focus_heading);
}

/// `1000000` → `۱٬۰۰۰٬۰۰۰ ریال` / `1,000,000 rials` (the applicant's fee and refunds, the
/// staff's refunds).
pub fn format_rials(lang: Lang, amount: u64) -> String {
    match lang {
        Lang::Fa => format!("{} ریال", lang.grouped(amount)),
        Lang::En => format!("{} rials", lang.grouped(amount)),
    }
}
