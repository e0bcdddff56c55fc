//! The words of signing in, "my requests" from the server and the signed-in identity on the
//! forms, in Persian and English (the names of request kinds and states come from the shared
//! tables and `rules::workflow`).

use crate::shell::components::field_input::FieldTexts;
use crate::shell::i18n::Lang;

pub struct SigninTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub label: fn(&str) -> Option<&'static str>,
    pub hint: fn(&str) -> Option<&'static str>,
    pub option: fn(&str) -> &'static str,
    pub providers_heading: &'static str,
    /// A provider's button: its name.
    pub with_provider: fn(&str) -> String,
    /// Which requests a provider signs in for.
    pub provider_for: &'static str,
    pub roster_heading: &'static str,
    pub roster_intro: &'static str,
    pub send_code: &'static str,
    pub code_sent: fn(u64) -> String,
    pub verify: &'static str,
    pub start_again: &'static str,
    pub code_refused: &'static str,
    pub too_many: fn(&str) -> String,
    pub offline: &'static str,
    pub retry: &'static str,
    pub no_methods: &'static str,
    pub signed_in_as: &'static str,
    /// Before the university the sign-in placed the person at.
    pub at_university: &'static str,
    pub continue_: &'static str,
    pub sign_out: &'static str,
    pub signed_out: &'static str,
    pub my_requests: &'static str,
    pub sign_in: &'static str,
    /// The outbox waits for a sign-in.
    pub to_send_sign_in: &'static str,
    /// The session ended while a request waited to be sent.
    pub ended_sign_in_again: &'static str,
    pub mine_title: &'static str,
    pub mine_intro: &'static str,
    pub mine_sign_in: &'static str,
    pub mine_none: &'static str,
    pub act_on: &'static str,
    /// Deadline reminders by SMS (docs/reminders.md): the section's title, what they are, the
    /// checkbox, and what was saved.
    pub reminders_title: &'static str,
    pub reminders_hint: &'static str,
    pub reminders_label: &'static str,
    pub reminders_on: &'static str,
    pub reminders_off: &'static str,
    pub reminders_failed: &'static str,
    pub from_sign_in: &'static str,
    pub source_roster: &'static str,
    pub source_provider: &'static str,
}

impl SigninTexts {
    pub fn of(lang: Lang) -> &'static SigninTexts {
        match lang {
            Lang::Fa => &FA,
            Lang::En => &EN,
        }
    }
}

/// The sign-in form's fields, for the shared field components.
pub fn field_texts() -> FieldTexts {
    FieldTexts {
        label: |lang, name| (SigninTexts::of(lang).label)(name),
        hint: |lang, name| (SigninTexts::of(lang).hint)(name),
        option: |lang, _, value| (SigninTexts::of(lang).option)(value),
    }
}

pub static FA: SigninTexts = SigninTexts {
    title: "ورود",
    intro: "برای فرستادن درخواست، دیدن درخواست‌های خود و اقدام روی آن‌ها، وارد شوید. پیش‌بررسی، ابزارها و پیش‌نویس‌ها بدون ورود هم کار می‌کنند.",
    label: |name| {
        Some(match name {
            "signin_with" => "ورود با",
            "national_id" => "کد ملی",
            "student_number" => "شماره دانشجویی",
            "code" => "کد ورود",
            "university" => "دانشگاه شما",
            _ => return None,
        })
    },
    hint: |name| {
        Some(match name {
            "national_id" => "۱۰ رقم.",
            "student_number" => "همان شماره‌ای که دانشگاه به شما داده است.",
            "university" => "دانشگاهی که شماره دانشجویی را به شما داده است؛ راه‌های ورود آن در زیر می‌آید.",
            "code" => "۶ رقم، از پیامکی که به شماره همراه ثبت‌شده در دانشگاه فرستاده شد.",
            _ => return None,
        })
    },
    option: |value| match value {
        "national_id" => "کد ملی",
        "student_number" => "شماره دانشجویی",
        _ => "",
    },
    providers_heading: "ورود با حساب دیگر",
    with_provider: |name| format!("ورود با {name}"),
    provider_for: "برای:",
    roster_heading: "ورود با کد پیامکی",
    roster_intro: "کد ورود به شماره همراهی پیامک می‌شود که دانشگاه برای شما ثبت کرده است، نه شماره‌ای که اینجا بنویسید.",
    send_code: "فرستادن کد ورود",
    code_sent: |minutes| {
        crate::shell::i18n::Lang::Fa.digits(&format!(
            "اگر نام شما در فهرست دانشگاه باشد، کد ورود به شماره همراه ثبت‌شده پیامک شد. کد تا {minutes} دقیقه معتبر است."
        ))
    },
    verify: "ورود",
    start_again: "از اول",
    code_refused: "کد درست نیست، منقضی شده یا بیش از حد امتحان شده است؛ آن را بررسی کنید یا کد تازه بگیرید.",
    too_many: |wait| format!("تلاش‌ها زیاد بود؛ {wait} ثانیه دیگر دوباره امتحان کنید."),
    offline: "برای ورود به اینترنت نیاز است؛ اتصال را بررسی کنید و دوباره امتحان کنید. پیش‌نویس‌ها و درخواست‌های در صف نگه داشته شده‌اند.",
    retry: "دوباره امتحان کنید",
    no_methods: "در این سامانه هنوز راهی برای ورود تنظیم نشده است؛ با دانشگاه تماس بگیرید.",
    signed_in_as: "وارد شده‌اید با کد ملی",
    at_university: "دانشگاه:",
    continue_: "ادامه",
    sign_out: "خروج",
    signed_out: "از حساب خود خارج شدید.",
    my_requests: "همه درخواست‌های من",
    sign_in: "ورود",
    to_send_sign_in: "برای فرستادن درخواست، وارد شوید. درخواست تا آن زمان همین‌جا نگه داشته می‌شود.",
    ended_sign_in_again: "زمان ورود شما تمام شده است؛ برای فرستادن، دوباره وارد شوید. چیزی از دست نرفته است.",
    mine_title: "همه درخواست‌های من",
    mine_intro: "درخواست‌هایی که با این هویت ثبت شده‌اند، از هر دستگاهی.",
    mine_sign_in: "برای دیدن درخواست‌هایی که از هر دستگاهی فرستاده‌اید، وارد شوید.",
    mine_none: "هنوز درخواستی با این هویت ثبت نشده است.",
    act_on: "اقدام روی این درخواست",
    reminders_title: "پیامک یادآوری مهلت‌ها",
    reminders_hint: "پیش از پایان مهلت‌های قانونی پیامک می‌گیرید: مهلت معرفی برای خدمت (ماده ۳۴، ۳۰ و ۷ روز پیش از آن)، پایان معافیت تحصیلی (۶۰ و ۱۴ روز پیش از آن) و پایان مهلت انصراف از انصراف (۳ روز پیش از آن).",
    reminders_label: "پیامک یادآوری مهلت‌ها را برایم بفرست",
    reminders_on: "یادآوری‌ها روشن است.",
    reminders_off: "یادآوری‌ها خاموش است؛ پیامک یادآوری برایتان فرستاده نمی‌شود.",
    reminders_failed: "تغییر ذخیره نشد؛ اتصال را بررسی کنید و دوباره امتحان کنید.",
    from_sign_in: "از ورود شما؛ برای تغییر آن با هویت دیگری وارد شوید.",
    source_roster: "با کد پیامکی",
    source_provider: "با حساب کاربری",
};

pub static EN: SigninTexts = SigninTexts {
    title: "Sign in",
    intro: "Sign in to send a request, see your requests and act on them. The pre-check, the tools and drafts work without signing in.",
    label: |name| {
        Some(match name {
            "signin_with" => "Sign in with",
            "national_id" => "National ID",
            "student_number" => "Student number",
            "code" => "Sign-in code",
            "university" => "Your university",
            _ => return None,
        })
    },
    hint: |name| {
        Some(match name {
            "national_id" => "10 digits.",
            "student_number" => "The number the university gave you.",
            "university" => "The university that gave your student number; its sign-ins are below.",
            "code" => "6 digits, from the SMS sent to the mobile number the university has for you.",
            _ => return None,
        })
    },
    option: |value| match value {
        "national_id" => "National ID",
        "student_number" => "Student number",
        _ => "",
    },
    providers_heading: "Sign in with another account",
    with_provider: |name| format!("Sign in with {name}"),
    provider_for: "For:",
    roster_heading: "Sign in with a code by SMS",
    roster_intro: "The code goes by SMS to the mobile number the university has for you, not to one typed here.",
    send_code: "Send a sign-in code",
    code_sent: |minutes| format!("If you are on the university's list, a sign-in code was sent to the mobile number it has for you. The code is valid for {minutes} minutes."),
    verify: "Sign in",
    start_again: "Start again",
    code_refused: "The code is wrong, has expired or was tried too often; check it, or ask for a new one.",
    too_many: |wait| format!("Too many tries; try again in {wait} seconds."),
    offline: "Signing in needs a connection; check it and try again. Your drafts and the requests waiting to be sent are kept.",
    retry: "Try again",
    no_methods: "No way of signing in is set up here yet; contact the university.",
    signed_in_as: "Signed in with national ID",
    at_university: "University:",
    continue_: "Continue",
    sign_out: "Sign out",
    signed_out: "You have signed out.",
    my_requests: "All my requests",
    sign_in: "Sign in",
    to_send_sign_in: "Sign in to send your request. It is kept here until then.",
    ended_sign_in_again: "Your sign-in has ended; sign in again to send. Nothing was lost.",
    mine_title: "All my requests",
    mine_intro: "The requests filed under this identity, from any device.",
    mine_sign_in: "Sign in to see the requests you filed from any device.",
    mine_none: "No request has been filed under this identity yet.",
    act_on: "Act on this request",
    reminders_title: "Deadline reminders by SMS",
    reminders_hint: "You get an SMS before a legal deadline ends: the deadline to present for service (Art. 34; 30 and 7 days before), the end of your educational exemption (60 and 14 days before) and the end of the window to take back a withdrawal (3 days before).",
    reminders_label: "Send me deadline reminders by SMS",
    reminders_on: "Reminders are on.",
    reminders_off: "Reminders are off; no reminder SMS will be sent to you.",
    reminders_failed: "The change was not saved; check your connection and try again.",
    from_sign_in: "From your sign-in; sign in as someone else to change it.",
    source_roster: "by SMS code",
    source_provider: "with an account",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_texts_in_both_languages() {
        for lang in [Lang::Fa, Lang::En] {
            let t = SigninTexts::of(lang);
            for name in [
                "signin_with",
                "national_id",
                "student_number",
                "code",
                "university",
            ] {
                assert!((t.label)(name).is_some(), "{lang:?} {name}");
            }
            for name in ["national_id", "student_number", "code"] {
                assert!((t.hint)(name).is_some(), "{lang:?} {name}");
            }
            for value in ["national_id", "student_number"] {
                assert!(!(t.option)(value).is_empty(), "{lang:?} {value}");
            }
        }
        assert!((FA.code_sent)(5).contains('۵'));
    }
}
