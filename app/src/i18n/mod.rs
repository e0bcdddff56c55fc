//! Languages: the choice (Persian first, English second, kept in localStorage), `<html lang dir>`,
//! and the one translation table per language (`fa.rs`, `en.rs`) every component reads from.

mod en;
mod fa;

use leptos::prelude::*;
use rules::{Code, JalaliDate, Level, StudyEnd, Verdict};

use crate::storage;

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

/// Reads the kept choice (Persian when none), provides it, and keeps `<html>` and storage in step.
pub fn provide_lang() -> LangSignal {
    let initial = match storage::local_get(LANG_KEY).as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Fa,
    };
    let lang = RwSignal::new(initial);
    provide_context(lang);
    // At once, so the first paint already has the right direction; then on every switch.
    storage::set_html_lang(initial.code(), initial.dir());
    Effect::new(move |_| {
        let l = lang.get();
        storage::local_set(LANG_KEY, l.code());
        storage::set_html_lang(l.code(), l.dir());
    });
    lang
}

pub fn use_lang() -> LangSignal {
    expect_context::<LangSignal>()
}

/// A page's set-up: its title (`<page> – Pishkhan`, in the current language) and, once drawn,
/// the keyboard focus on its `<h1>` so a screen reader announces the new page.
pub fn page_setup(title: impl Fn(&'static Texts) -> String + 'static) {
    let lang = use_lang();
    Effect::new(move |_| {
        let t = lang.get().texts();
        storage::set_title(&format!("{} – {}", title(t), t.app_name));
    });
    request_animation_frame(storage::focus_heading);
}

/// Every text of the app in one language. Functions stand where a text depends on a value.
pub struct Texts {
    pub app_name: &'static str,
    pub skip_link: &'static str,
    /// The switch shows the other language's name in that language.
    pub other_lang_name: &'static str,
    pub offline: &'static str,
    pub back: &'static str,
    pub continue_: &'static str,
    pub change: &'static str,
    pub start_again: &'static str,
    pub error_summary_title: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub day: &'static str,
    pub month: &'static str,
    pub year: &'static str,
    pub optional: &'static str,
    pub gregorian_suffix: &'static str,
    pub not_answered: &'static str,
    pub not_found: &'static str,
    pub home: &'static str,

    // Start page.
    pub start_title: &'static str,
    pub start_intro: &'static str,
    pub start_offline_note: &'static str,
    pub tools_heading: &'static str,
    pub requests_heading: &'static str,
    pub tool_title: fn(Tool) -> &'static str,
    pub tool_description: fn(Tool) -> &'static str,

    // Questions.
    pub step_title: fn(&str) -> &'static str,
    pub field_label: fn(&str) -> &'static str,
    pub field_hint: fn(&str) -> Option<&'static str>,
    pub level_name: fn(Level) -> &'static str,
    pub event_name: fn(StudyEnd) -> &'static str,
    pub err_choose: fn(&str) -> String,
    pub err_date_incomplete: fn(&str) -> String,
    pub err_count: fn(&str) -> String,
    pub date_error: fn(&rules::DateError) -> String,
    pub err_empty: fn(&str) -> String,
    pub err_no_file: fn(&str) -> String,

    // Check answers and result.
    pub check_title: &'static str,
    pub check_intro: &'static str,
    pub see_result: &'static str,
    pub result_title: &'static str,
    pub verdict_sentence: fn(Verdict) -> &'static str,
    pub date_label: fn(&str) -> &'static str,
    pub reasons_heading: &'static str,
    pub no_reasons: &'static str,
    pub article_label: &'static str,
    /// An article reference (`Art. 33 n.1`) as written in this language.
    pub article_text: fn(&str) -> String,
    pub explain_summary: &'static str,
    pub explain: fn(Code) -> &'static str,
    pub next_steps_heading: &'static str,
    pub next_steps: fn(Verdict) -> &'static [&'static str],
    pub abroad_heading: &'static str,
    pub abroad_lines: fn(&rules::precheck::AbroadOutcome) -> Vec<&'static str>,
    pub answers_as_of: &'static str,

    // Deadline tools.
    pub tool_intro: fn(Tool) -> &'static str,
    pub show_answer: &'static str,
    pub days_left: fn(i64) -> String,
    pub revocation_answer: fn(bool) -> &'static str,
    pub presentation_answer: fn(bool) -> &'static str,
    pub travel_answer: fn(bool) -> &'static str,
    pub option_name: fn(&str) -> &'static str,
    pub options_heading: &'static str,
    pub discharge_answer: fn(bool) -> &'static str,
}

/// The tools and services the start page offers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tool {
    Precheck,
    Revocation,
    Presentation,
    Travel,
    Discharge,
    ExemptionRequest,
    WithdrawalRequest,
    ClearanceRequest,
    Drafts,
    Track,
}

impl Tool {
    /// Whether the tool lives in the forms bundle (`forms.html`), reached by a full page load.
    pub fn in_forms_bundle(self) -> bool {
        matches!(
            self,
            Tool::ExemptionRequest
                | Tool::WithdrawalRequest
                | Tool::ClearanceRequest
                | Tool::Drafts
                | Tool::Track
        )
    }

    pub fn href(self) -> &'static str {
        match self {
            Tool::Precheck => "/precheck",
            Tool::Revocation => "/deadline/revocation",
            Tool::Presentation => "/deadline/presentation",
            Tool::Travel => "/travel",
            Tool::Discharge => "/discharge",
            Tool::ExemptionRequest => "/requests/exemption",
            Tool::WithdrawalRequest => "/requests/withdrawal",
            Tool::ClearanceRequest => "/requests/clearance",
            Tool::Drafts => "/drafts",
            Tool::Track => "/track",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every step and field the forms use has a title/label in both languages.
    #[test]
    fn both_tables_cover_every_field_and_reason() {
        for lang in [Lang::Fa, Lang::En] {
            let t = lang.texts();
            for step in crate::precheck::flow::Step::ALL {
                assert!(
                    !(t.step_title)(step.slug()).is_empty(),
                    "{:?} {step:?}",
                    lang
                );
                for f in step.fields() {
                    assert!(!(t.field_label)(f.name).is_empty(), "{:?} {}", lang, f.name);
                }
            }
            for form in crate::tools::forms::ALL {
                for f in form.fields {
                    assert!(!(t.field_label)(f.name).is_empty(), "{:?} {}", lang, f.name);
                }
            }
        }
    }
}
