//! A person's sign-in from the university's roster (`docs/signin.md`): a code by SMS to the
//! roster's mobile, the person session it opens, and the admin's roster import.

use serde::{Deserialize, Serialize};

use crate::common::Moment;
use crate::error::ErrorDetail;

/// `POST /api/v1/signin/code`: the national ID or the student number, exactly one (the other left
/// out or null).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigninCode {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<rules::schema::NationalIdText>))]
    pub national_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<StudentNumberText>))]
    pub student_number: Option<String>,
    /// With `student_number`: the code of the university whose number it is (a student number is
    /// a university's own); the default university when missing. Not needed with `national_id`
    /// (unique across the country); a code no university has is refused either way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = "^\\s*[a-z0-9_-]{1,32}\\s*$"))]
    pub university: Option<String>,
}

/// `POST /api/v1/signin/code` (202): the same answer whether or not the person is on the roster.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigninCodeSent {
    /// Seconds a code is good for.
    pub expires_in: u64,
}

/// `POST /api/v1/signin/verify`: who (as for the code: the national ID or the student number, the
/// other left out or null) and the code from the SMS.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigninVerify {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<rules::schema::NationalIdText>))]
    pub national_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<StudentNumberText>))]
    pub student_number: Option<String>,
    /// With `student_number`: the code of the university whose number it is (a student number is
    /// a university's own); the default university when missing. Not needed with `national_id`
    /// (unique across the country); a code no university has is refused either way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, pattern = "^\\s*[a-z0-9_-]{1,32}\\s*$"))]
    pub university: Option<String>,
    /// The 6 digits of the SMS (any digit script).
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^\\s*[0-9\u{06F0}-\u{06F9}\u{0660}-\u{0669}]{6}\\s*$"))]
    pub code: Option<String>,
}

/// How the person signed in.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SigninSource {
    /// A code by SMS to the roster's mobile.
    Roster,
    /// An OpenID provider (`provider` names it).
    Oidc,
}

/// The signed-in person: who the sign-in proved (the ID token's claims, or the roster row), with
/// what the roster adds when the person is on it. Requests are filed under these values; the
/// forms show them and do not let them be typed.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedInPerson {
    /// Ten ASCII digits (the person's own; requests are filed under it).
    pub national_id: String,
    /// Absent when a national provider signed the person in and the roster does not know them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub student_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faculty: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<rules::Level>,
    /// The mobile SMS go to, masked (`0912***4567`); absent when neither the provider nor the
    /// roster gave one (the exemption's own mobile is then used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_masked: Option<String>,
    pub source: SigninSource,
    /// The OpenID provider's id, for `source = oidc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// The session's end (30 minutes after sign-in, not extended by use).
    pub expires_at: Moment,
    /// The university the sign-in placed the person at (their roster row's, or the one
    /// university of the OpenID provider that signed them in); a withdrawal or clearance they
    /// file is that university's. Absent for a national provider's person the roster does not
    /// know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub university: Option<crate::common::UniversityEntry>,
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

/// One OpenID provider a person may sign in with (`GET /api/v1/signin/methods`).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigninProvider {
    /// The id for `GET /api/v1/signin/oidc/{provider}/start`.
    pub id: String,
    pub name_fa: String,
    pub name_en: String,
    /// The processes it signs in for (`exemption`, `withdrawal`, `clearance`).
    pub processes: Vec<rules::requests::RequestKind>,
    /// The codes of the universities it serves (`universities` in pishkhan.toml); absent for a
    /// national provider, which serves every university.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub universities: Option<Vec<String>>,
}

/// `GET /api/v1/signin/methods` and `POST /api/v1/admin/roster` query: a university by its code.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct UniversityQuery {
    /// A university's code (`GET /api/v1/universities`).
    #[cfg_attr(feature = "openapi", param(pattern = "^\\s*[a-z0-9_-]{1,32}\\s*$"))]
    pub university: Option<String>,
}

/// `GET /api/v1/signin/methods`: how a person may sign in on this deployment.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigninMethods {
    /// Whether the roster code sign-in is offered (the roster — the university's, when the query
    /// names one — is not empty).
    pub roster: bool,
    pub providers: Vec<SigninProvider>,
}

/// `POST /api/v1/signin/logout` (200): the session is ended here; when it came from an OpenID
/// provider that offers RP-initiated logout, where to end the provider's session too (the kiosk
/// goes there so that no provider state is left behind).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedOut {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_session_url: Option<String>,
}

/// One request of the signed-in person (`GET /api/v1/signin/requests`), newest first.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::TrackingCodeText))]
    pub tracking_code: String,
    pub kind: rules::requests::RequestKind,
    /// The state's id and its labels (`state`, `state_fa`, `state_en`).
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = crate::labelled::StateKey))]
    pub state: crate::LabelledState,
    pub submitted_at: Moment,
    /// Withdrawals: the last day to take the request back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<rules::schema::JalaliDateText>, nullable = false))]
    pub revocation_deadline: Option<String>,
    /// An issued exemption: its last day (`requests.exemption_until`, Art. 33 n.1); absent for
    /// any other request or state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<rules::schema::JalaliDateText>, nullable = false))]
    pub exemption_until: Option<String>,
    /// The request's receipt as it was given at filing.
    pub receipt: crate::requests::Receipt,
}

/// `GET /api/v1/signin/requests` (200).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyRequests {
    pub requests: Vec<MyRequest>,
}

/// `POST /api/v1/signin/requests/open`: one of the signed-in person's requests, to act on it
/// (answered with an applicant session, as after a one-time code, with no code needed).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenMyRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::TrackingCodeText))]
    pub tracking_code: Option<String>,
}

/// `GET` and `PUT /api/v1/signin/reminders` (200): whether the signed-in person gets deadline
/// reminders by SMS (docs/reminders.md); on unless they turned them off.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReminderSetting {
    pub enabled: bool,
}

/// `PUT /api/v1/signin/reminders`: turn deadline reminders on (`true`) or off (`false`).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetReminders {
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub enabled: Option<bool>,
}
