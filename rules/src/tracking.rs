//! Tracking codes (کد رهگیری) of filed requests: eleven random digits and a Damm check digit,
//! printed in groups of four; read back in any grouping and any digit script. Drawing the random
//! digits is the caller's business (the server uses the OS's randomness).

use crate::contract::InputError;
use crate::digits::to_ascii_digits;

/// How many random digits a code carries (10^11 codes: guessing one is hopeless, and the lookup
/// is rate-limited besides).
pub const RANDOM_DIGITS: usize = 11;

/// The number of random values [`TrackingCode::from_number`] accepts: `10^RANDOM_DIGITS`.
pub const RANDOM_RANGE: u64 = 100_000_000_000;

/// A well-formed tracking code: twelve ASCII digits, the last the check digit of the others.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct TrackingCode(String);

/// Damm's quasigroup of order 10 (weakly totally anti-symmetric, zero diagonal).
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// The Damm check digit: one decimal digit that catches every single wrong digit and every swap
/// of two neighbouring digits (which Luhn and ISO 7064 MOD 11-10 do not all catch).
pub fn check_digit_damm(digits: &[u8]) -> u8 {
    digits
        .iter()
        .fold(0, |interim, &d| DAMM[usize::from(interim)][usize::from(d)])
}

impl TrackingCode {
    /// The code whose random part is `n` (below [`RANDOM_RANGE`]; larger values wrap).
    pub fn from_number(n: u64) -> TrackingCode {
        let body = format!("{:0width$}", n % RANDOM_RANGE, width = RANDOM_DIGITS);
        let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
        let check = check_digit_damm(&digits);
        TrackingCode(format!("{body}{check}"))
    }

    /// Reads a code as a person types it: Latin, Persian or Arabic-Indic digits, grouped by
    /// spaces, hyphens or nothing at all. Wrong length and a wrong check digit are named.
    pub fn parse(text: &str) -> Result<TrackingCode, InputError> {
        let ascii = to_ascii_digits(text);
        let separator = |c: char| c.is_whitespace() || matches!(c, '-' | '‐' | '‑' | '–' | '_');
        if ascii.chars().any(|c| !c.is_ascii_digit() && !separator(c)) {
            return Err(InputError::new(
                Some("tracking_code"),
                "tracking_code: only digits, in groups separated by spaces or hyphens.",
                "tracking_code: کد رهگیری فقط از رقم تشکیل شده است.",
            ));
        }
        let digits: String = ascii.chars().filter(char::is_ascii_digit).collect();
        if digits.len() != RANDOM_DIGITS + 1 {
            return Err(InputError::new(
                Some("tracking_code"),
                format!(
                    "tracking_code: {} digits are needed, {} were given.",
                    RANDOM_DIGITS + 1,
                    digits.len()
                ),
                "tracking_code: کد رهگیری باید ۱۲ رقم باشد.",
            ));
        }
        let values: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
        if check_digit_damm(&values[..RANDOM_DIGITS]) != values[RANDOM_DIGITS] {
            return Err(InputError::new(
                Some("tracking_code"),
                "tracking_code: a digit is wrong (the check digit does not match); check the receipt.",
                "tracking_code: یکی از رقم‌ها اشتباه است؛ کد را با رسید مقایسه کنید.",
            ));
        }
        Ok(TrackingCode(digits))
    }

    /// The twelve digits, ungrouped (the stored form).
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// The printed form: `1234-5678-9012`.
    pub fn grouped(&self) -> String {
        let d = &self.0;
        format!("{}-{}-{}", &d[..4], &d[4..8], &d[8..])
    }
}

impl std::fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.grouped())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_digit_is_damms() {
        // Damm's worked example: 572 → check digit 4.
        assert_eq!(check_digit_damm(&[5, 7, 2]), 4);
        assert_eq!(check_digit_damm(&[5, 7, 2, 4]), 0);
        let code = TrackingCode::from_number(12_345_678_901);
        assert_eq!(code.digits().len(), 12);
        assert_eq!(&code.digits()[..11], "12345678901");
        assert_eq!(TrackingCode::from_number(7).digits()[..11], *"00000000007");
    }

    #[test]
    fn codes_read_back_in_any_grouping_and_script() {
        let code = TrackingCode::from_number(98_765_432_109);
        let grouped = code.grouped();
        assert_eq!(grouped.len(), 14);
        assert_eq!(TrackingCode::parse(&grouped).unwrap(), code);
        assert_eq!(TrackingCode::parse(code.digits()).unwrap(), code);
        let spaced: String = code.digits().chars().flat_map(|c| [c, ' ']).collect();
        assert_eq!(TrackingCode::parse(&spaced).unwrap(), code);
        let persian = crate::digits::to_persian_digits(&grouped);
        assert_eq!(TrackingCode::parse(&persian).unwrap(), code);
    }

    #[test]
    fn every_single_wrong_digit_and_neighbour_swap_is_caught() {
        for n in (0..2_000u64).map(|i| i * 49_999_991 + i % 7) {
            let code = TrackingCode::from_number(n);
            let digits: Vec<u8> = code.digits().bytes().collect();
            for i in 0..digits.len() {
                for d in b'0'..=b'9' {
                    if d != digits[i] {
                        let mut wrong = digits.clone();
                        wrong[i] = d;
                        let text = String::from_utf8(wrong).unwrap();
                        assert!(TrackingCode::parse(&text).is_err(), "{text}");
                    }
                }
                if i + 1 < digits.len() && digits[i] != digits[i + 1] {
                    let mut swapped = digits.clone();
                    swapped.swap(i, i + 1);
                    let text = String::from_utf8(swapped).unwrap();
                    assert!(TrackingCode::parse(&text).is_err(), "{text}");
                }
            }
        }
    }

    #[test]
    fn malformed_codes_name_the_field() {
        for bad in [
            "",
            "1234",
            "1234-5678-90123",
            "abcd-efgh-ijkl",
            "1234/5678/9012",
        ] {
            let e = TrackingCode::parse(bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("tracking_code"), "{bad}");
        }
    }
}
