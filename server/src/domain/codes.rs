//! One-time codes by SMS, apart from HTTP and SQL, for both of their uses — the applicant's code
//! on one request and a roster person's sign-in code: how long one works and how often it may be
//! tried, drawing six digits, the HMAC a code is stored by (under the server's key), reading a
//! code as typed, masking a mobile, and the SMS's words (stored with the code masked).

use rules::InputError;

use crate::domain::secret::SecretKey;

/// How long a one-time code works, in seconds.
pub const CODE_SECONDS: i64 = 300;

/// Most tries one code allows.
pub const CODE_TRIES: i64 = 5;

/// Six random digits.
pub fn new_code() -> String {
    format!(
        "{:06}",
        u64::from_str_radix(&crate::random_hex(8), 16).unwrap_or(0) % 1_000_000
    )
}

/// What a code is stored by: HMAC-SHA256 under the server's key of the code's purpose
/// (`request`: an applicant's code on one request; `person`: a roster sign-in), its subject (the
/// request's id, the national ID) and the digits. Without the key, a copy of the database gives
/// no way to try the million codes; the same digits of two owners never share a MAC.
pub fn code_mac(key: &SecretKey, purpose: &str, subject: &str, code: &str) -> String {
    key.mac(purpose, subject, code)
}

/// What stands for the digits in a stored message (`code_sms`): the stored notification never
/// holds the code, which the sender puts back in from the outbox's `secret` (erased once sent).
pub const CODE_MASK: &str = "••••••";

/// The code as typed (any digit script, surrounding spaces ignored): six ASCII digits, or the
/// error naming the field `code`.
pub fn parse_code(text: Option<&str>) -> Result<String, InputError> {
    let code = rules::digits::to_ascii_digits(text.unwrap_or("").trim());
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(InputError::new(
            Some("code"),
            "code: the 6-digit code from the SMS.",
            "code: کد ۶ رقمی پیامک را وارد کنید.",
        ))
    }
}

/// `0912***4567`.
pub fn masked(mobile: &str) -> String {
    let n = mobile.chars().count();
    if n < 8 {
        return "***".into();
    }
    let head: String = mobile.chars().take(4).collect();
    let tail: String = mobile.chars().skip(n - 4).collect();
    format!("{head}***{tail}")
}

/// The SMS carrying a code, Persian and English, as stored: `Pishkhan: <what>: ••••••
/// (5 minutes). …`, [`CODE_MASK`] where the digits go ([`with_code`] puts them in).
pub fn code_sms(what_fa: &str, what_en: &str) -> (String, String) {
    let fa = crate::fa_digits(&format!(
        "پیشخوان: {what_fa}: {CODE_MASK} (تا ۵ دقیقه). این کد را به کسی ندهید."
    ));
    let en = format!("Pishkhan: {what_en}: {CODE_MASK} (5 minutes). Do not share it.");
    (fa, en)
}

/// A stored message with the code put back in, as it is sent (Persian digits in a Persian
/// message): the digits right after the last `: `, which the demo scripts rely on.
pub fn with_code(message: &str, code: &str, persian: bool) -> String {
    let digits = if persian {
        crate::fa_digits(code)
    } else {
        code.to_owned()
    };
    message.replace(CODE_MASK, &digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_keyed_per_owner_and_read_in_any_script() {
        let code = new_code();
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        let key = SecretKey::from_bytes([1; 32]);
        assert_ne!(
            code_mac(&key, "request", "1", "123456"),
            code_mac(&key, "request", "2", "123456")
        );
        assert_ne!(
            code_mac(&key, "request", "1", "123456"),
            code_mac(&key, "person", "1", "123456")
        );
        assert_eq!(parse_code(Some(" ۱۲۳٤٥6 ")).unwrap(), "123456");
        assert_eq!(
            parse_code(Some("12345")).unwrap_err().field.as_deref(),
            Some("code")
        );
        assert!(parse_code(None).is_err());
    }

    #[test]
    fn a_stored_message_masks_the_code_and_the_sent_one_carries_it() {
        let (fa, en) = code_sms("کد ورود شما", "your sign-in code");
        assert!(fa.contains(CODE_MASK) && en.contains(CODE_MASK));
        assert!(!fa.chars().any(|c| c.is_ascii_digit()));
        assert_eq!(
            with_code(&en, "012345", false),
            "Pishkhan: your sign-in code: 012345 (5 minutes). Do not share it."
        );
        assert!(with_code(&fa, "012345", true).contains(": ۰۱۲۳۴۵ (تا ۵ دقیقه)"));
    }

    #[test]
    fn mobiles_are_masked() {
        assert_eq!(masked("09121234567"), "0912***4567");
        assert_eq!(masked("0912"), "***");
    }
}
