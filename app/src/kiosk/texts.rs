//! Kiosk mode's words, Persian and English: the "finish and clear" bar, the inactivity warning
//! and the digit keypad. They live here, not in the translation tables of `i18n`, so that the
//! student app's and the forms' bundles do not carry them: only the kiosk bundle draws them.

use crate::shell::i18n::Lang;
use rules::digits::to_persian_digits;

/// The texts of kiosk mode in one language.
pub struct Texts {
    /// The accessible name of the bar that holds "finish and clear".
    pub bar: &'static str,
    pub finish: &'static str,
    pub warning_title: &'static str,
    pub warning_text: &'static str,
    /// The countdown on the warning, from the seconds left.
    pub countdown: fn(u32) -> String,
    pub continue_: &'static str,
    /// The keypad's accessible name.
    pub keypad: &'static str,
    pub backspace: &'static str,
    pub clear: &'static str,
    pub done: &'static str,
}

/// The kiosk's texts in `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Fa => &FA,
        Lang::En => &EN,
    }
}

static FA: Texts = Texts {
    bar: "دستگاه عمومی",
    finish: "پایان و پاک کردن",
    warning_title: "هنوز اینجا هستید؟",
    warning_text: "برای حفظ حریم خصوصی شما، هر چه در این دستگاه وارد کرده‌اید به‌زودی پاک می‌شود و صفحه آغاز نشان داده می‌شود. اگر هنوز کار دارید، «ادامه» را بزنید.",
    countdown: |n| format!("پاک شدن تا {} ثانیه دیگر", to_persian_digits(&n.to_string())),
    continue_: "ادامه",
    keypad: "صفحه‌کلید عددی",
    backspace: "حذف",
    clear: "پاک کردن",
    done: "تمام",
};

static EN: Texts = Texts {
    bar: "Shared kiosk",
    finish: "Finish and clear",
    warning_title: "Are you still there?",
    warning_text: "To protect your privacy, everything you entered on this kiosk will soon be erased and the start page shown. If you are still working, press \u{201c}Continue\u{201d}.",
    countdown: |n| {
        if n == 1 {
            "Erasing in 1 second".to_owned()
        } else {
            format!("Erasing in {n} seconds")
        }
    },
    continue_: "Continue",
    keypad: "Number keypad",
    backspace: "Delete",
    clear: "Clear",
    done: "Done",
};
