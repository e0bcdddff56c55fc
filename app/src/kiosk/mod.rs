//! Kiosk mode (issue 4): a shared university kiosk where nothing of a visitor stays behind.
//! `?kiosk=1` turns it on until `?kiosk=0` (`&idle=<seconds>` sets the inactivity timeout);
//! then `<html data-kiosk>`, a "finish and clear" bar, an inactivity warning with a countdown and
//! "continue", the wipe of every storage and of the person session on the server (issue 12), and a
//! digit keypad. The rules of it are plain data
//! (`config`, `timer`, `keypad`, tested natively), its words are in `texts`; `browser` does the
//! rest. None of it is in the student app's or the forms' bundle: it is a third bundle of its own
//! (`bin/kiosk.rs`, `kiosk.html` → `dist/kiosk/`), which `public/register-sw.js` loads on every
//! page only when kiosk mode is on.

pub mod config;
pub mod keypad;
pub mod texts;
pub mod timer;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
pub use browser::{finish, start};

/// Off outside the browser (native builds and tests).
#[cfg(not(target_arch = "wasm32"))]
pub fn start(_query: &str) -> bool {
    false
}

#[cfg(not(target_arch = "wasm32"))]
pub fn finish() {}

#[cfg(test)]
mod tests {
    use super::texts::texts;
    use crate::shell::i18n::Lang;

    /// `browser.rs` writes these texts into HTML as they are: no markup characters allowed.
    #[test]
    fn kiosk_texts_need_no_escaping() {
        for lang in [Lang::Fa, Lang::En] {
            let t = texts(lang);
            let all = [
                t.bar,
                t.finish,
                t.warning_title,
                t.warning_text,
                t.continue_,
                t.keypad,
                t.backspace,
                t.clear,
                t.done,
            ];
            for text in all.iter().copied().chain([&*(t.countdown)(20)]) {
                assert!(!text.is_empty(), "{lang:?}");
                assert!(!text.contains(['<', '>', '&', '"']), "{lang:?}: {text}");
            }
        }
        assert_eq!((texts(Lang::Fa).countdown)(20), "پاک شدن تا ۲۰ ثانیه دیگر");
        assert_eq!((texts(Lang::En).countdown)(1), "Erasing in 1 second");
    }
}
