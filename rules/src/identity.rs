//! Identity fields (`rules.md` §7): national ID, mobile number, postal code — parsed once at the
//! edge into types that are valid by construction.

use std::fmt;

use serde::Serialize;

use crate::digits::{to_ascii_digits, to_persian_digits};

/// Why an identity field was refused.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum IdentityError {
    /// Characters other than digits (and spaces or hyphens between them).
    NotDigits,
    /// Wrong number of digits: what was given, what is needed.
    Length { given: usize, needed: &'static str },
    /// The national ID's check digit does not match.
    CheckDigit,
    /// Ten equal digits (e.g. 1111111111) pass the checksum but are not IDs.
    AllSame,
    /// A mobile number that does not start with 09 (or +989 / 00989).
    MobilePrefix,
}

impl IdentityError {
    pub fn message_fa(&self) -> String {
        match self {
            IdentityError::NotDigits => "فقط رقم وارد کنید.".into(),
            IdentityError::Length { given, needed } => to_persian_digits(&format!(
                "{given} رقم وارد شده است؛ باید {} رقم باشد.",
                needed
            )),
            IdentityError::CheckDigit => {
                "کد ملی معتبر نیست (رقم کنترل با بقیه ارقام نمی‌خواند)؛ آن را دوباره از روی کارت ملی بخوانید.".into()
            }
            IdentityError::AllSame => "کد ملی نمی‌تواند ده رقم یکسان باشد.".into(),
            IdentityError::MobilePrefix => "شماره همراه باید با ۰۹ شروع شود.".into(),
        }
    }

    pub fn message_en(&self) -> String {
        match self {
            IdentityError::NotDigits => "enter digits only.".into(),
            IdentityError::Length { given, needed } => {
                format!("{given} digits were given; {needed} are needed.")
            }
            IdentityError::CheckDigit => {
                "not a valid national ID (the check digit does not match); read it again from the ID card.".into()
            }
            IdentityError::AllSame => "a national ID cannot be ten equal digits.".into(),
            IdentityError::MobilePrefix => "a mobile number must start with 09.".into(),
        }
    }
}

impl fmt::Display for IdentityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for IdentityError {}

/// Digits of the input in ASCII, with spaces and hyphens between groups dropped.
fn digits_only(input: &str) -> Result<String, IdentityError> {
    let ascii: String = to_ascii_digits(input)
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{200c}'))
        .collect();
    if ascii.is_empty() || !ascii.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdentityError::NotDigits);
    }
    Ok(ascii)
}

/// A national ID (کد ملی) whose check digit is right: ten ASCII digits.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize)]
#[serde(transparent)]
pub struct NationalId(String);

impl NationalId {
    /// Digits 1–9 weighted 10 down to 2, `r = sum mod 11`; the tenth digit is `r` when `r < 2`,
    /// else `11 - r`. Eight or nine digits are taken as having lost their leading zeros.
    pub fn parse(input: &str) -> Result<Self, IdentityError> {
        let digits = digits_only(input)?;
        let digits = match digits.len() {
            10 => digits,
            8 | 9 => format!("{digits:0>10}"),
            given => {
                return Err(IdentityError::Length {
                    given,
                    needed: "10",
                })
            }
        };
        let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
        if d.iter().all(|&x| x == d[0]) {
            return Err(IdentityError::AllSame);
        }
        let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(x, w)| x * w).sum();
        let r = sum % 11;
        let check = if r < 2 { r } else { 11 - r };
        if d[9] != check {
            return Err(IdentityError::CheckDigit);
        }
        Ok(NationalId(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mobile number in the national form `09` + 9 digits.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize)]
#[serde(transparent)]
pub struct Mobile(String);

impl Mobile {
    /// Accepts `09…`, `+989…` and `00989…`, and keeps the `09…` form.
    pub fn parse(input: &str) -> Result<Self, IdentityError> {
        let trimmed = to_ascii_digits(input.trim());
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed.as_str()),
        };
        let digits = digits_only(rest)?;
        let national = if let Some(rest) = digits.strip_prefix("0098") {
            format!("0{rest}")
        } else if let Some(rest) = digits.strip_prefix("98").filter(|_| plus) {
            format!("0{rest}")
        } else if plus {
            return Err(IdentityError::MobilePrefix);
        } else {
            digits
        };
        if !national.starts_with("09") {
            return Err(IdentityError::MobilePrefix);
        }
        if national.len() != 11 {
            return Err(IdentityError::Length {
                given: national.len(),
                needed: "11",
            });
        }
        Ok(Mobile(national))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A ten-digit postal code (کد پستی).
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize)]
#[serde(transparent)]
pub struct PostalCode(String);

impl PostalCode {
    pub fn parse(input: &str) -> Result<Self, IdentityError> {
        let digits = digits_only(input)?;
        if digits.len() != 10 {
            return Err(IdentityError::Length {
                given: digits.len(),
                needed: "10",
            });
        }
        Ok(PostalCode(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
