//! The texts of "act on this request" and of sending a correction, in Persian and English
//! (the names of states and actions come from `rules::workflow::labels`).

use crate::shell::components::field_input::FieldTexts;
use crate::shell::i18n::Lang;

pub struct ActTexts {
    pub heading: &'static str,
    pub intro: &'static str,
    pub label: fn(&str) -> Option<&'static str>,
    pub hint: fn(&str) -> Option<&'static str>,
    pub send_code: &'static str,
    pub send_again: &'static str,
    pub sent_to: &'static str,
    pub sent_valid: fn(u64) -> String,
    pub verify: &'static str,
    pub code_empty: &'static str,
    pub code_not_digits: &'static str,
    pub code_length: fn(usize) -> String,
    pub code_invalid: &'static str,
    pub code_expired: &'static str,
    pub not_found: &'static str,
    pub no_mobile: &'static str,
    pub signed_out: &'static str,
    pub too_many: fn(&str) -> String,
    pub offline: &'static str,
    pub state: &'static str,
    pub no_actions: &'static str,
    pub done: &'static str,
    pub stale: &'static str,
    pub revoke_warning: fn(&str) -> String,
    pub revoke_once: &'static str,
    pub revoke_confirm: &'static str,
    pub back: &'static str,
    pub justification_intro: &'static str,
    pub resubmit_intro: &'static str,
    pub clearances_intro: &'static str,
    pub fee: &'static str,
    pub pay_intro: &'static str,
    pub pay: &'static str,
    pub payment_ok: &'static str,
    pub payment_failed: &'static str,
    /// Back from the gateway with a payment verified after the request was closed.
    pub payment_refunded: &'static str,
    pub refund_pending: &'static str,
    /// The request's refunds (docs/payments.md "Refunds"), and each one's status.
    pub refunds: &'static str,
    pub refund_refunded: &'static str,
    pub refund_refunding: &'static str,
    pub refund_failed: &'static str,
    pub send_correction: &'static str,
    pub correction_of: &'static str,
    pub correction_sign_in: &'static str,
    pub correction_refused: &'static str,
}

impl ActTexts {
    pub fn of(lang: Lang) -> &'static ActTexts {
        match lang {
            Lang::Fa => &FA,
            Lang::En => &EN,
        }
    }
}

/// The fields of these sections, for the shared field components.
pub fn field_texts() -> FieldTexts {
    FieldTexts {
        label: |lang, name| (ActTexts::of(lang).label)(name),
        hint: |lang, name| (ActTexts::of(lang).hint)(name),
        option: |_, _, _| "",
    }
}

pub static FA: ActTexts = ActTexts {
    heading: "اقدام روی این درخواست",
    intro: "برای دیدن گردش کار و اقدام روی درخواست، یک رمز یک‌بارمصرف به تلفن همراهی که در درخواست نوشته‌اید پیامک می‌شود.",
    label: |name| {
        Some(match name {
            "applicant_national_id" => "کد ملی",
            "one_time_code" => "رمز یک‌بارمصرف",
            "justification" => "توجیه عدم صدور: چرا باید معافیت صادر شود؟",
            _ => return None,
        })
    },
    hint: |name| {
        Some(match name {
            "applicant_national_id" => "۱۰ رقم، همان کد ملی که در درخواست نوشته‌اید.",
            "one_time_code" => "۶ رقم، از پیامک.",
            "justification" => "این توضیح برای تصمیم به کارتابل معاون وظیفه عمومی فرستاده می‌شود.",
            _ => return None,
        })
    },
    send_code: "فرستادن رمز یک‌بارمصرف",
    send_again: "فرستادن دوباره رمز",
    sent_to: "رمز یک‌بارمصرف به این شماره پیامک شد:",
    sent_valid: |minutes| {
        crate::shell::i18n::Lang::Fa.digits(&format!("رمز تا {minutes} دقیقه معتبر است."))
    },
    verify: "تأیید رمز",
    code_empty: "رمز یک‌بارمصرف را بنویسید.",
    code_not_digits: "رمز فقط رقم دارد.",
    code_length: |n| {
        crate::shell::i18n::Lang::Fa.digits(&format!("رمز ۶ رقم است؛ {n} رقم نوشته‌اید."))
    },
    code_invalid: "رمز درست نیست. آن را دوباره بررسی کنید.",
    code_expired: "رمز منقضی شده یا بیش از حد امتحان شده است؛ رمز تازه بخواهید.",
    not_found: "درخواستی با این کد رهگیری و این کد ملی پیدا نشد.",
    no_mobile: "برای این درخواست شماره همراهی ثبت نشده است؛ برای اقدام، حضوری مراجعه کنید.",
    signed_out: "زمان ورود شما تمام شده است؛ رمز تازه بخواهید. چیزی از دست نرفته است.",
    too_many: |wait| format!("تلاش‌ها زیاد بود؛ {wait} ثانیه دیگر دوباره امتحان کنید."),
    offline: "سامانه در دسترس نیست؛ اتصال اینترنت را بررسی کنید و دوباره امتحان کنید.",
    state: "وضعیت فعلی:",
    no_actions: "در این مرحله اقدامی از سوی شما لازم نیست.",
    done: "انجام شد. وضعیت تازه درخواست در زیر آمده است.",
    stale: "درخواست در این فاصله تغییر کرده است. وضعیت تازه را ببینید و اگر هنوز لازم است، دوباره اقدام کنید.",
    revoke_warning: |deadline| format!("برگشت از انصراف فقط یک بار ممکن است، و فقط تا پایان {deadline}."),
    revoke_once: "برگشت از انصراف فقط یک بار ممکن است و پس از ثبت، دیگر نمی‌توانید آن را تکرار کنید.",
    revoke_confirm: "بله، انصراف را پس می‌گیرم",
    back: "بازگشت",
    justification_intro: "بررسی اولیه منفی بود. اگر فکر می‌کنید باید معافیت صادر شود، دلیل خود را بنویسید.",
    clearances_intro: "پس از تسویه با واحدهای دانشکده (کتابخانه، سایت رایانه، تغذیه، امور دانشجویی و امور مالی)، اعلام کنید تا کارشناس دانشکده پرونده را تکمیل کند.",
    resubmit_intro: "درخواست برای اصلاح برگردانده شده است. پاسخ‌ها را در فرم اصلاح کنید و از صفحه بررسی، اصلاحیه را بفرستید.",
    fee: "هزینه خدمات:",
    pay_intro: "پس از زدن «پرداخت» به درگاه پرداخت می‌روید و پس از پرداخت به همین صفحه برمی‌گردید.",
    pay: "پرداخت",
    payment_ok: "پرداخت انجام شد. درخواست به مرحله بعد می‌رود.",
    payment_failed: "پرداخت انجام نشد. می‌توانید دوباره پرداخت کنید.",
    payment_refunded: "این پرداخت پس از بسته شدن مرحله پرداخت تأیید شد و مبلغ آن به کارت شما برگردانده شد.",
    refund_pending: "این پرداخت پس از بسته شدن مرحله پرداخت تأیید شد و باید به شما برگردانده شود؛ برگرداندن آن هنوز انجام نشده است. اگر تا یک روز کاری انجام نشد، با دانشگاه تماس بگیرید.",
    refunds: "پرداخت‌های برگشتی:",
    refund_refunded: "به کارت شما برگردانده شد",
    refund_refunding: "در حال برگرداندن",
    refund_failed: "هنوز برگردانده نشده؛ با دانشگاه تماس بگیرید",
    send_correction: "ارسال اصلاحیه",
    correction_of: "این پیش‌نویس اصلاحیه درخواستی با این کد رهگیری است:",
    correction_sign_in: "برای فرستادن اصلاحیه، رمز یک‌بارمصرف لازم است. پیش‌نویس شما نگه داشته شده است.",
    correction_refused: "سامانه اصلاحیه را نپذیرفت:",
};

pub static EN: ActTexts = ActTexts {
    heading: "Act on this request",
    intro: "To see the request's history and act on it, a one-time code is sent by SMS to the mobile number given in the request.",
    label: |name| {
        Some(match name {
            "applicant_national_id" => "National ID",
            "one_time_code" => "One-time code",
            "justification" => "Justification: why should the exemption still be issued?",
            _ => return None,
        })
    },
    hint: |name| {
        Some(match name {
            "applicant_national_id" => "10 digits, the national ID given in the request.",
            "one_time_code" => "6 digits, from the SMS.",
            "justification" => "This goes to the conscription deputy for a decision.",
            _ => return None,
        })
    },
    send_code: "Send a one-time code",
    send_again: "Send the code again",
    sent_to: "A one-time code was sent by SMS to:",
    sent_valid: |minutes| format!("The code is valid for {minutes} minutes."),
    verify: "Verify the code",
    code_empty: "Enter the one-time code.",
    code_not_digits: "The code has digits only.",
    code_length: |n| format!("The code has 6 digits; you entered {n}."),
    code_invalid: "The code is not right. Check it and try again.",
    code_expired: "The code has expired or was tried too often; ask for a new one.",
    not_found: "No request was found with this tracking code and national ID.",
    no_mobile: "No mobile number is recorded for this request; to act on it, come in person.",
    signed_out: "Your sign-in has ended; ask for a new code. Nothing was lost.",
    too_many: |wait| format!("Too many tries; try again in {wait} seconds."),
    offline: "The system cannot be reached; check the connection and try again.",
    state: "Current state:",
    no_actions: "Nothing is needed from you at this step.",
    done: "Done. The request's new state is below.",
    stale: "The request changed meanwhile. See its current state and act again if still needed.",
    revoke_warning: |deadline| format!("The withdrawal can be taken back only once, and only until the end of {deadline}."),
    revoke_once: "Taking the withdrawal back is possible only once; once recorded it cannot be repeated.",
    revoke_confirm: "Yes, take the withdrawal back",
    back: "Go back",
    justification_intro: "The initial check said no. If you think the exemption should be issued, write why.",
    clearances_intro: "Once you have cleared your accounts with the faculty's units (library, computer site, food service, student affairs, accounting), say so, and the faculty expert completes the file.",
    resubmit_intro: "The request was returned for editing. Correct the answers in the form and send the correction from its check page.",
    fee: "Service fee:",
    pay_intro: "“Pay” takes you to the payment gateway, which brings you back to this page.",
    pay: "Pay",
    payment_ok: "The payment went through. The request moves on.",
    payment_failed: "The payment did not go through. You can pay again.",
    payment_refunded: "This payment was confirmed after the payment step had closed, and its amount was given back to your card.",
    refund_pending: "This payment was confirmed after the payment step had closed and is owed back to you; it has not been given back yet. If it is not within a working day, contact the university.",
    refunds: "Payments given back:",
    refund_refunded: "given back to your card",
    refund_refunding: "being given back",
    refund_failed: "not given back yet; contact the university",
    send_correction: "Send the correction",
    correction_of: "This draft corrects the request with tracking code:",
    correction_sign_in: "Sending the correction needs a one-time code. Your draft is kept.",
    correction_refused: "The system did not accept the correction:",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_texts_in_both_languages() {
        for lang in [Lang::Fa, Lang::En] {
            for name in ["applicant_national_id", "one_time_code", "justification"] {
                assert!(
                    (ActTexts::of(lang).label)(name).is_some(),
                    "{lang:?} {name}"
                );
                assert!((ActTexts::of(lang).hint)(name).is_some(), "{lang:?} {name}");
            }
        }
    }
}
