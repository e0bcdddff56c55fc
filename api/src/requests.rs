//! The public requests API (`docs/api.md`): filing a request, its receipt, looking it up, and
//! uploading its files. Request bodies keep every field optional, as the server reads them, so
//! that a missing one is named in the error; the OpenAPI document says which are required.

use rules::attachment::MediaType;
use rules::requests::RequestKind;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::common::Moment;

/// `POST /api/v1/requests`: `{kind, national_id?, mobile?, answers}`.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    pub kind: Option<RequestKind>,
    /// Withdrawals and clearances; an exemption carries it among its answers (and if given
    /// here too, it must match).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_id: Option<String>,
    /// Withdrawals and clearances: the student's mobile, for SMS and one-time codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    /// The raw request of that kind (`rules::requests::RawExemptionRequest`, …).
    pub answers: Option<Value>,
}

/// The answer to a filed request (201), replayed for the same `Idempotency-Key`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::TrackingCodeText))]
    pub tracking_code: String,
    pub kind: RequestKind,
    /// The state the request starts in (`submitted`, `registered`, …).
    #[cfg_attr(feature = "openapi", schema(examples("submitted")))]
    pub status: String,
    pub submitted_at: Moment,
    /// Withdrawals: the last day to take the request back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<rules::schema::JalaliDateText>, nullable = false))]
    pub revocation_deadline: Option<String>,
    /// Withdrawals: the first day the final ruling may be issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<rules::schema::JalaliDateText>, nullable = false))]
    pub final_ruling_from: Option<String>,
}

/// `POST /api/v1/requests/lookup` and `POST /api/v1/applicant/code`: whose request.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lookup {
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::TrackingCodeText))]
    pub tracking_code: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::NationalIdText))]
    pub national_id: Option<String>,
}

/// A request's status and timeline (`POST /api/v1/requests/lookup`).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Status {
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::TrackingCodeText))]
    pub tracking_code: String,
    pub kind: RequestKind,
    pub status: String,
    pub submitted_at: Moment,
    pub timeline: Vec<TimelineRow>,
    /// Withdrawals: the last day to take the request back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<rules::schema::JalaliDateText>, nullable = false))]
    pub revocation_deadline: Option<String>,
    /// An issued exemption: its last day (`requests.exemption_until`, Art. 33 n.1); absent for
    /// any other request or state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<rules::schema::JalaliDateText>, nullable = false))]
    pub exemption_until: Option<String>,
}

/// One move of a request, as the lookup shows it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineRow {
    pub at: Moment,
    pub from: Option<String>,
    pub to: String,
    pub action: String,
    /// Who made the move, by role (`applicant`, `university_user`, `clearance_office:<id>`, …):
    /// never a clerk's username.
    pub actor: String,
    pub note: Option<String>,
}

/// `POST /api/v1/attachments` (201): the stored file.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Uploaded {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{64}$"))]
    pub sha256: String,
    pub media_type: MediaType,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5242880))]
    pub size: u64,
}
