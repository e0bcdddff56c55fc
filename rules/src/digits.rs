//! Digit scripts: reading Persian (۰–۹), Arabic-Indic (٠–٩) and Latin digits, writing Persian ones.

/// Replaces Persian and Arabic-Indic digits with ASCII digits; every other character is kept.
pub fn to_ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            _ => c,
        })
        .collect()
}

/// Replaces ASCII digits with Persian digits (for display); every other character is kept.
pub fn to_persian_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32('۰' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Parses a whole non-negative decimal number written in any of the three digit scripts.
/// Surrounding whitespace is ignored; anything else that is not a digit makes it `None`.
pub fn parse_number(s: &str) -> Option<u64> {
    let ascii = to_ascii_digits(s.trim());
    if ascii.is_empty() || !ascii.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    ascii.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_every_script() {
        assert_eq!(to_ascii_digits("۱۴۰۳/۰۷/۱۵"), "1403/07/15");
        assert_eq!(to_ascii_digits("١٤٠٣-٠٧-١٥"), "1403-07-15");
        assert_eq!(to_ascii_digits("12a"), "12a");
        assert_eq!(to_persian_digits("1403/07/15"), "۱۴۰۳/۰۷/۱۵");
    }

    #[test]
    fn parses_numbers() {
        assert_eq!(parse_number(" ۱۲ "), Some(12));
        assert_eq!(parse_number("٣"), Some(3));
        assert_eq!(parse_number("-1"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("1.5"), None);
    }
}
