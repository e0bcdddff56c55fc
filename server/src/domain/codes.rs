//! One-time codes by SMS, apart from HTTP and SQL, for both of their uses — the applicant's code
//! on one request and a roster person's sign-in code: how long one works and how often it may be
//! tried, drawing six digits, the SHA-256 a code is stored by, reading a code as typed, masking
//! a mobile, and the SMS's words.

use rules::InputError;
use sha2::{Digest, Sha256};

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

/// What a code is stored by: the SHA-256 of `<owner>:<code>`, so that the same digits of two
/// owners never share a hash (`owner`: a request's id, or `person:<national id>`).
pub fn code_hash(owner: &str, code: &str) -> String {
    crate::hex(&Sha256::digest(format!("{owner}:{code}").as_bytes()))
}

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

/// The SMS carrying a code, Persian and English: `Pishkhan: <what>: <digits> (5 minutes). …`
/// (the digits right after the last `: `, which the demo scripts rely on).
pub fn code_sms(what_fa: &str, what_en: &str, digits: &str) -> (String, String) {
    let fa = crate::fa_digits(&format!(
        "پیشخوان: {what_fa}: {digits} (تا ۵ دقیقه). این کد را به کسی ندهید."
    ));
    let en = format!("Pishkhan: {what_en}: {digits} (5 minutes). Do not share it.");
    (fa, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_hashed_per_owner_and_read_in_any_script() {
        let code = new_code();
        assert_eq!(code.len(), 6);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(code_hash("1", "123456"), code_hash("2", "123456"));
        assert_ne!(
            code_hash("1", "123456"),
            code_hash("person:0084575948", "123456")
        );
        assert_eq!(parse_code(Some(" ۱۲۳٤٥6 ")).unwrap(), "123456");
        assert_eq!(
            parse_code(Some("12345")).unwrap_err().field.as_deref(),
            Some("code")
        );
        assert!(parse_code(None).is_err());
    }

    #[test]
    fn mobiles_are_masked() {
        assert_eq!(masked("09121234567"), "0912***4567");
        assert_eq!(masked("0912"), "***");
    }
}
