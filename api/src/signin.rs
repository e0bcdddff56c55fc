//! A person's sign-in from the university's roster (`docs/signin.md`): a code by SMS to the
//! roster's mobile, the person session it opens, and the admin's roster import.

use serde::{Deserialize, Serialize};

use crate::common::Moment;
use crate::error::ErrorDetail;

/// `POST /api/v1/signin/code`: the national ID or the student number, exactly one.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigninCode {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::NationalIdText))]
    pub national_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = StudentNumberText))]
    pub student_number: Option<String>,
}

/// `POST /api/v1/signin/code` (202): the same answer whether or not the person is on the roster.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigninCodeSent {
    /// Seconds a code is good for.
    pub expires_in: u64,
}

/// `POST /api/v1/signin/verify`: who (as for the code) and the code from the SMS.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigninVerify {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::NationalIdText))]
    pub national_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = StudentNumberText))]
    pub student_number: Option<String>,
    /// The 6 digits of the SMS (any digit script).
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^\\s*[0-9\u{06F0}-\u{06F9}\u{0660}-\u{0669}]{6}\\s*$"))]
    pub code: Option<String>,
}

/// The signed-in person, as the roster had them at sign-in.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedInPerson {
    /// Ten ASCII digits (the person's own; requests are filed under it).
    pub national_id: String,
    pub student_number: String,
    pub faculty: String,
    pub level: rules::Level,
    /// The session's end (30 minutes after sign-in, not extended by use).
    pub expires_at: Moment,
}

/// `POST /api/v1/signin/verify` (200) and `GET /api/v1/signin/me`: the person and the token
/// every call other than GET and HEAD carries in `X-CSRF-Token`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonSession {
    pub csrf_token: String,
    pub person: SignedInPerson,
}

/// `POST /api/v1/admin/roster` (200): how the import changed the roster.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterImported {
    /// National IDs that were not on the roster.
    pub added: u64,
    /// National IDs whose row changed.
    pub updated: u64,
    /// National IDs whose row was already the same.
    pub unchanged: u64,
}

/// A bad row of a roster file (line 1 is the header).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterRowError {
    pub line: u64,
    /// The column (`national_id`, …), or `header`, `row` (the number of fields), `file`.
    pub field: String,
    pub message_fa: String,
    pub message_en: String,
}

/// `POST /api/v1/admin/roster` (422): the error of the first bad row (all of them in `errors`
/// too) and every bad row by line; nothing was imported.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterRejected {
    pub error: ErrorDetail,
    pub rows: Vec<RosterRowError>,
}

/// The schema of a student number as the server reads it: 4 to 20 digits (any script) or Latin
/// letters, surrounding spaces ignored.
#[cfg(feature = "openapi")]
pub struct StudentNumberText;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for StudentNumberText {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(format!(
                "^\\s*([A-Za-z]|{}){{4,20}}\\s*$",
                rules::schema::DIGIT
            )))
            .description(Some(
                "A student number: 4 to 20 digits (Latin, Persian or Arabic-Indic) or Latin \
                 letters.",
            ))
            .examples(["40112001"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for StudentNumberText {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("StudentNumberText")
    }
}
