//! The applicant's API (`docs/staff-api.md`, "The applicant"): a one-time code by SMS, a
//! short session on one request, its view, its moves and paying its fee.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::common::{Deadlines, Moment};
use crate::labelled::{Labelled, LabelledAction, LabelledState, ToKey};

/// `POST /api/v1/applicant/session`: the request and the code from the SMS.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeCheck {
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::TrackingCodeText))]
    pub tracking_code: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::NationalIdText))]
    pub national_id: Option<String>,
    /// The 6 digits of the SMS (any digit script).
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^\\s*[0-9\u{06F0}-\u{06F9}\u{0660}-\u{0669}]{6}\\s*$"))]
    pub code: Option<String>,
}

/// `POST /api/v1/applicant/code` (202): where the code went.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeSent {
    /// The mobile, masked: `0912***4567`.
    pub sent_to: String,
    /// Seconds the code is good for.
    pub expires_in: u64,
}

/// `POST /api/v1/applicant/session` (200): a bearer token on that request.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicantSession {
    pub token: String,
    /// Seconds the session lasts.
    pub expires_in: u64,
}

/// One move of the applicant's request.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicantTimelineRow {
    pub at: Moment,
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = crate::labelled::ActionKey))]
    pub action: LabelledAction,
    /// The state moved to; its labels are null for a state the server no longer knows.
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = crate::labelled::ToKey))]
    pub to: Labelled<ToKey, Option<String>>,
    pub note: Option<String>,
}

/// The fee while it is due.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentDue {
    pub amount_rials: u64,
    /// The latest payment's status: `none`, `created`, `verified`, `failed`.
    pub status: String,
}

/// `GET /api/v1/applicant/request`: the applicant's request.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicantView {
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::TrackingCodeText))]
    pub tracking_code: String,
    pub kind: String,
    pub process: String,
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = crate::labelled::StateKey))]
    pub state: LabelledState,
    pub version: i64,
    /// The form's own answers (an exemption keeps them as filed, for a correction).
    pub answers: Value,
    pub timeline: Vec<ApplicantTimelineRow>,
    pub deadlines: Option<Deadlines>,
    /// What the applicant may do now (`pay` while the fee is due).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<crate::labelled::ActionKey>))]
    pub actions: Vec<LabelledAction>,
    pub payment: Option<PaymentDue>,
    /// Payments verified after the request was closed (paid by another payment, revoked or
    /// decided meanwhile), given back through the gateway (docs/payments.md, "Refunds").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refunds: Vec<PaymentRefund>,
    /// An issued exemption: its last day (Jalali, Art. 33 n.1), for the applicant's "add to
    /// calendar"; absent for any other request or state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<rules::schema::JalaliDateText>, nullable = false))]
    pub exemption_until: Option<String>,
}

/// A payment given back, or being given back.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRefund {
    pub amount_rials: i64,
    /// `refunding` (the gateway being asked), `refunded`, or `failed` (tried again by the next
    /// callback or the server's hourly pass while attempts are left; else the university gives
    /// it back).
    #[cfg_attr(feature = "openapi", schema(pattern = "^(refunding|refunded|failed)$"))]
    pub status: String,
    /// When it was refunded (Unix seconds).
    pub refunded_at: Option<i64>,
    /// Staff only (the request's detail), for a failed refund: how often the gateway was asked
    /// (docs/payments.md, "Refunds": 24 at most).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts: Option<i64>,
    /// Staff only, for a failed refund: the gateway's short error code of the last attempt
    /// (`-61`, `timeout`, `unreachable`, `interrupted`), nothing more of its answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// `POST /api/v1/applicant/request/actions`.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicantMove {
    /// `revoke`, `resubmit` (with `answers`) or `file_justification` (with `justification`).
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(revoke|resubmit|file_justification)$"))]
    pub action: Option<String>,
    // `default`: a missing version is reported by name (the schema still says it is required).
    #[serde(default, deserialize_with = "rules::contract::whole_number")]
    #[cfg_attr(feature = "openapi", schema(value_type = i64, required = true))]
    pub version: Option<i64>,
    /// `resubmit`: the corrected exemption answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<rules::requests::RawExemptionRequest>))]
    pub answers: Option<Value>,
    /// `file_justification`: 1 to 2,000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 2000))]
    pub justification: Option<String>,
}

/// `POST /api/v1/applicant/request/payment` (201): where to send the payer.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentStarted {
    pub authority: String,
    pub redirect_url: String,
    pub amount_rials: i64,
}

/// `GET /api/v1/payments/callback` query: the gateway's payment id (its `status` is never
/// trusted; the server verifies with the gateway).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct CallbackQuery {
    /// Also read as Zarinpal's `Authority`.
    #[serde(alias = "Authority")]
    #[cfg_attr(feature = "openapi", param(required = true, value_type = String, min_length = 1))]
    pub authority: Option<String>,
    /// Also read as Zarinpal's `Status` (`OK`/`NOK`); never trusted.
    #[serde(alias = "Status")]
    pub status: Option<String>,
}
