//! OpenAPI schemas (feature `openapi`) of the text the contract parses — Jalali dates, national
//! IDs, mobile numbers, tracking codes, counts — written once here with the patterns and formats
//! the parsers in `date`, `identity`, `tracking` and `contract` really accept.
//!
//! A pattern says which characters and lengths are read; what no pattern can say (a national
//! ID's check digit, a tracking code's Damm digit, the days of a month) is named by the custom
//! `format`, which a client that generates data must be taught (scripts/schemathesis_hooks.py).

use std::borrow::Cow;

use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

/// One digit in any script the parsers read: Latin, Persian (۰–۹) or Arabic-Indic (٠–٩).
pub const DIGIT: &str = "[0-9\u{06F0}-\u{06F9}\u{0660}-\u{0669}]";

fn text(format: &str, pattern: String, description: &str, example: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::Custom(format.to_owned())))
        .pattern(Some(pattern))
        .description(Some(description))
        .examples([example])
        .into()
}

macro_rules! text_schema {
    ($(#[$doc:meta])* $name:ident, $schema:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                $schema
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

text_schema!(
    /// `JalaliDate::parse`: `YYYY-MM-DD` or `YYYY/MM/DD`, one- or two-digit month and day.
    JalaliDateText,
    text(
        "jalali-date",
        format!(
            "^\\s*{d}{{4}}(-{d}{{1,2}}-{d}{{1,2}}|/{d}{{1,2}}/{d}{{1,2}})\\s*$",
            d = DIGIT
        ),
        "A Jalali (Solar Hijri) date, YYYY-MM-DD or YYYY/MM/DD, in Latin, Persian or \
         Arabic-Indic digits; the month and day must exist (Esfand 30 only in a leap year).",
        "1403-07-15",
    )
);

text_schema!(
    /// `NationalId::parse`: 8 to 10 digits (leading zeros may be left out), spaces, hyphens and
    /// ZWNJ between them ignored, the check digit right, not ten equal digits.
    NationalIdText,
    text(
        "ir-national-id",
        format!("^[ \\-\u{200C}]*({DIGIT}[ \\-\u{200C}]*){{8,10}}$"),
        "An Iranian national ID (کد ملی): 10 digits in Latin, Persian or Arabic-Indic script \
         (8 or 9 are taken as having lost leading zeros; spaces, hyphens and ZWNJ between digits \
         are ignored), whose check digit is right and which is not ten equal digits.",
        "0084575948",
    )
);

text_schema!(
    /// `Mobile::parse`: `09…`, `+989…` or `00989…`, eleven digits in the national form.
    MobileText,
    text(
        "ir-mobile",
        format!("^\\s*\\+?[ \\-\u{200C}]*({DIGIT}[ \\-\u{200C}]*){{11,14}}\\s*$"),
        "An Iranian mobile number: 09 and 9 more digits, or +989… / 00989…, in any digit script.",
        "09121234567",
    )
);

text_schema!(
    /// `TrackingCode::parse`: twelve digits in any grouping, the last Damm's check digit.
    TrackingCodeText,
    text(
        "tracking-code",
        format!("^[\\s\\-\u{2010}\u{2011}\u{2013}_]*({DIGIT}[\\s\\-\u{2010}\u{2011}\u{2013}_]*){{12}}$"),
        "A tracking code (کد رهگیری): 12 digits in any digit script, grouped by spaces or \
         hyphens or not at all; the last digit is the Damm check digit of the others. \
         Answers print it as 1234-5678-9018.",
        "1234-5678-9018",
    )
);

text_schema!(
    /// `requests::RawAttachment::size`: a count from 1 to 5 MiB (`MAX_ATTACHMENT_BYTES`).
    FileSize,
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(crate::attachment::MAX_ATTACHMENT_BYTES)),
        )
        .item(ObjectBuilder::new().schema_type(Type::String).pattern(Some(format!(
            "^\\s*[1-9\u{06F1}-\u{06F9}\u{0661}-\u{0669}]{DIGIT}{{0,5}}\\s*$"
        ))))
        .description(Some(
            "The file's size in bytes, 1 to 5242880: a JSON number or digits in a string.",
        ))
        .into()
);

text_schema!(
    /// `contract::Count`: a whole number 0 or more, as a JSON number or as digits in a string.
    CountValue,
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .maximum(Some(u32::MAX)),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(format!("^\\s*{DIGIT}{{1,9}}\\s*$"))),
        )
        .description(Some(
            "A whole number, 0 or more: a JSON number or digits in a string (any digit script).",
        ))
        .into()
);
