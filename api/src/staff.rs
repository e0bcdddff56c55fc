//! The staff API (`docs/staff-api.md`): signing in (with the second factor and its enrolment),
//! the cartable, a request's detail and moves,
//! Art. 34, and the admin's users, offices, notifications and audit check.

use rules::requests::ClearanceOffice;
use rules::workflow::ActionData;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::common::{Deadlines, Moment};
use crate::labelled::{ActorRoleKey, Labelled, LabelledAction, LabelledRole, LabelledState};

/// `POST /api/v1/staff/login`.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Login {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub username: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Password))]
    pub password: Option<String>,
}

/// A staff account as the API shows it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffUser {
    pub id: i64,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9._-]{3,32}$"))]
    pub username: String,
    pub display_name: String,
    /// `rules::workflow::Role::id`: `university_user`, …, `clearance_office:<office id>`, `admin`.
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = crate::labelled::RoleKey))]
    pub role: LabelledRole,
    /// Whom the clerk serves in one word, as before issue 14: `*`, the university's Persian
    /// name, the faculty's code or the county (the structured fields below say which).
    pub scope: String,
    /// `national`, `university`, `faculty` or `county`.
    #[serde(default = "national")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^(national|university|faculty|county)$")
    )]
    pub scope_kind: String,
    /// The university's code (scope `university` or `faculty`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_university: Option<String>,
    /// The faculty's code (scope `faculty`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_faculty: Option<String>,
    /// The county (scope `county`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_county: Option<String>,
}

fn national() -> String {
    "national".to_owned()
}

/// An account as the admin sees it: with `active` and `locked_until`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUser {
    #[serde(flatten)]
    pub user: StaffUser,
    pub active: bool,
    /// Unix seconds while the account is locked, else null.
    pub locked_until: Option<i64>,
    /// Whether the account has a second factor (TOTP) enrolled.
    #[serde(default)]
    pub second_factor_enrolled: bool,
}

/// `{user, csrf_token}`: the signed-in user and the token every state-changing call carries in
/// `X-CSRF-Token`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffSession {
    pub user: StaffUser,
    pub csrf_token: String,
    /// Whether the account has a second factor (TOTP) enrolled.
    #[serde(default)]
    pub second_factor_enrolled: bool,
    /// The deployment requires a second factor of this account and it has none: until it is
    /// enrolled, every call but `me`, `logout` and the enrolment's answers 403
    /// `SECOND_FACTOR_REQUIRED`.
    #[serde(default)]
    pub must_enrol: bool,
}

/// `POST /api/v1/staff/login` (202) when the account has a second factor: the token the code
/// goes with to `POST /api/v1/staff/login/second-factor`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondStep {
    pub second_step_token: String,
    pub expires_in_seconds: i64,
}

/// `POST /api/v1/staff/login/second-factor`: the second step's token and either the
/// authenticator's 6-digit code or one of the recovery codes.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecondFactorLogin {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub second_step_token: Option<String>,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9۰-۹]{6}$"))]
    pub code: Option<String>,
    pub recovery_code: Option<String>,
}

/// `POST /api/v1/staff/second-factor/enrol`: a new secret to add to an authenticator app (the
/// QR code holds `otpauth_uri`; `secret_base32` is for typing it in).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Enrolment {
    pub secret_base32: String,
    pub otpauth_uri: String,
}

/// `POST /api/v1/staff/second-factor/confirm`: the first code of the new secret.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmEnrolment {
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9۰-۹]{6}$"))]
    pub code: Option<String>,
}

/// The 10 one-time recovery codes, shown this once (only their HMACs are kept).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// `GET /api/v1/admin/users`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Users {
    pub users: Vec<AdminUser>,
}

/// `POST /api/v1/admin/users`: a new account.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUser {
    /// 3 to 32 of `a-z A-Z 0-9 . _ -`; stored in lowercase.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^\\s*[a-zA-Z0-9._-]{3,32}\\s*$"))]
    pub username: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "\\S", max_length = 100))]
    pub display_name: Option<String>,
    /// A staff role id (not `applicant` or `system`); `clearance_office:<id>` must name a
    /// configured office.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub role: Option<String>,
    /// `*` (the default) or a name; only the scoped roles may have a name: a county for the
    /// conscription roles, a university (code or Persian name) for the university user, the
    /// code of one of the university's faculties for the faculty roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(default = "*"))]
    pub scope: Option<String>,
    /// A university's code: a university role serves that university only (the faculty roles:
    /// the faculty `scope` names, of that university).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub university: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Password, min_length = 12, max_length = 128))]
    pub password: Option<String>,
}

/// `PATCH /api/v1/admin/users/{id}`: what to change (a new password or disabling ends the
/// account's sessions).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = Password, min_length = 12, max_length = 128))]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 100))]
    pub display_name: Option<String>,
}

/// `GET`/`PUT /api/v1/admin/offices` and `/api/v1/admin/universities/{university}/offices`: a
/// university's clearance offices in route order.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offices {
    /// Their ids unique (so the items are too).
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub offices: Vec<ClearanceOffice>,
}

/// `GET /api/v1/staff/cartable` query: filters that name nobody (a search is
/// [`CartableSearch`], in a body).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct CartableQuery {
    /// Only this process (`exemption_a1`, …).
    pub process: Option<String>,
    /// Only this state.
    pub state: Option<String>,
}

/// `POST /api/v1/staff/cartable/search`: the cartable's filters and a search, in the body so
/// that a national ID or a tracking code is never in a URL.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartableSearch {
    /// Only this process (`exemption_a1`, …).
    pub process: Option<String>,
    /// Only this state.
    pub state: Option<String>,
    /// Digits of a tracking code or national ID to search for (any digit script).
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub q: Option<String>,
}

/// How many requests wait in one state.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StateCount {
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = crate::labelled::StateKey))]
    pub state: LabelledState,
    pub n: i64,
}

/// One row of the cartable.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartableRow {
    /// The request's opaque handle: its name in staff URLs (`/api/v1/staff/requests/{handle}`).
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{32}$"))]
    pub handle: String,
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::TrackingCodeText))]
    pub tracking_code: String,
    pub kind: String,
    pub process: String,
    pub national_id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::JalaliDateText))]
    pub submitted_jalali: String,
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::JalaliDateText))]
    pub updated_jalali: String,
    pub version: i64,
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = crate::labelled::StateKey))]
    pub state: LabelledState,
}

/// `GET /api/v1/staff/cartable`: the requests at the clerk's step and in their scope.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cartable {
    pub counts: Vec<StateCount>,
    pub total: i64,
    pub requests: Vec<CartableRow>,
}

/// A file of a request, with the URL it is read from.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestFile {
    pub field: String,
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    pub sha256: String,
    pub url: String,
}

/// One row of a request's chained audit trail.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditRow {
    pub id: i64,
    pub at: Moment,
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = crate::labelled::ActionKey))]
    pub action: LabelledAction,
    pub actor: Option<String>,
    /// The role's labels are null for a role the server no longer knows.
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = crate::labelled::ActorRoleKey))]
    pub actor_role: Labelled<ActorRoleKey, Option<String>>,
    pub note: Option<String>,
    /// What the move recorded (`debt_rials`, instalment dates, …).
    pub data: Option<Value>,
    pub row_hash: String,
}

/// An action the clerk may take now, with the data it must record.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionOffer {
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = crate::labelled::ActionKey))]
    pub action: LabelledAction,
    #[serde(default)]
    pub needs: Vec<String>,
}

/// A visible request's detail (`GET /api/v1/staff/requests/{code}`, and the answer to a move).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Detail {
    /// The request's opaque handle: its name in staff URLs.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{32}$"))]
    pub handle: String,
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::TrackingCodeText))]
    pub tracking_code: String,
    pub kind: String,
    pub process: String,
    pub version: i64,
    pub national_id: String,
    pub mobile: Option<String>,
    pub submitted_at: Moment,
    /// The request's answers as checked by `rules`.
    pub answers: Value,
    /// What the pre-check said (exemptions).
    pub precheck: Option<Value>,
    pub attachments: Vec<RequestFile>,
    pub deadlines: Option<Deadlines>,
    pub audit: Vec<AuditRow>,
    pub actions: Vec<ActionOffer>,
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = crate::labelled::StateKey))]
    pub state: LabelledState,
    /// Present when the request was erased under retention (docs/retention.md): its body,
    /// national ID, mobile and files are gone; its state, dates and audit trail remain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erased: Option<Erasure>,
    /// The request's payments verified after it was closed, given back or being given back
    /// through the gateway (docs/payments.md, "Refunds"); a failed one with its attempts and
    /// error code. Absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refunds: Vec<crate::applicant::PaymentRefund>,
}

/// A request erased under retention: when, and the words the staff see.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Erasure {
    pub at: Moment,
    pub message_fa: String,
    pub message_en: String,
}

/// `POST /api/v1/staff/requests/{code}/actions`: a move, at the version the clerk saw.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Move {
    #[cfg_attr(feature = "openapi", schema(value_type = rules::workflow::Action))]
    pub action: Option<String>,
    // `default`: a missing version is reported by name (the schema still says it is required).
    #[serde(default, deserialize_with = "rules::contract::whole_number")]
    #[cfg_attr(feature = "openapi", schema(value_type = i64, required = true))]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ActionData>))]
    pub data: Option<ActionData>,
}

/// `POST /api/v1/staff/requests`: a police e-services office files an exemption.
#[derive(Clone, PartialEq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileA2 {
    /// The exemption's answers (`has_sakha_code` is set by the server).
    #[cfg_attr(feature = "openapi", schema(value_type = rules::requests::RawExemptionRequest))]
    pub answers: Option<Value>,
}

/// `GET /api/v1/staff/art34` query.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct Art34Query {
    /// `csv` for the list as CSV (UTF-8 with a BOM); anything else is JSON.
    pub format: Option<String>,
}

/// One recorded end of study with its presentation deadline.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Art34Row {
    pub national_id: String,
    pub event: rules::StudyEnd,
    pub event_fa: String,
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::JalaliDateText))]
    pub event_date: String,
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::JalaliDateText))]
    pub present_by: String,
    pub overdue: bool,
    pub tracking_code: Option<String>,
    /// The request's opaque handle (staff URLs), when the event came from a request.
    pub handle: Option<String>,
}

/// `GET /api/v1/staff/art34`: soonest deadline first.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Art34 {
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::JalaliDateText))]
    pub today: String,
    pub rows: Vec<Art34Row>,
}

/// `POST /api/v1/staff/art34/events`: an expulsion, drop-out or graduation.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Art34Event {
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::NationalIdText))]
    pub national_id: Option<String>,
    /// `expulsion`, `dropout` or `graduation` (withdrawals are recorded by their ruling).
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(expulsion|dropout|graduation)$"))]
    pub event: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = rules::schema::JalaliDateText))]
    pub event_date: Option<String>,
}

/// One SMS of the outbox.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    pub tracking_code: Option<String>,
    pub kind: String,
    /// Null when there was nobody to send to (kept, marked sent).
    pub mobile: Option<String>,
    /// One-time codes are hidden.
    pub message_fa: String,
    pub created_at: Moment,
    pub sent_at: Option<Moment>,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// When a message that failed transiently is tried again (docs/sms.md).
    pub next_attempt_at: Option<Moment>,
    /// When a message was given up (a permanent failure, or too many attempts); never retried.
    pub gave_up_at: Option<Moment>,
    /// The provider's delivery status of a sent message: `pending`, `delivered`,
    /// `undelivered`, `blocked`, `cancelled` or `unknown`; null when the gateway reports none.
    pub delivery: Option<String>,
}

/// `GET /api/v1/admin/notifications`: the latest 200.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notifications {
    pub notifications: Vec<Notification>,
}

/// An audit row whose hash does not chain.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrokenRow {
    pub tracking_code: String,
    /// Null when the request's version has no audit row at all.
    pub audit_id: Option<i64>,
    pub reason: String,
}

/// `GET /api/v1/admin/audit/verify`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditCheck {
    pub ok: bool,
    pub requests: i64,
    pub rows: i64,
    pub broken: Vec<BrokenRow>,
}

/// `GET /api/v1/staff/dashboard` query. Numbers in any digit script (Persian, Arabic-Indic,
/// Latin).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct DashboardQuery {
    /// A request waits "too long" when it has been in its state more than this many days
    /// (1–365, default 14). Documented as an integer; Persian and Arabic-Indic digits are
    /// accepted too.
    #[cfg_attr(feature = "openapi", param(value_type = Option<u32>, minimum = 1, maximum = 365))]
    pub stale_days: Option<String>,
    /// How many Saturday-start weeks back (this one included) the step durations and the
    /// weekly counts cover (1–104, default 12). Documented as an integer; Persian and
    /// Arabic-Indic digits are accepted too.
    #[cfg_attr(feature = "openapi", param(value_type = Option<u32>, minimum = 1, maximum = 104))]
    pub weeks: Option<String>,
}

/// Requests waiting in one state of one process, and how many of them for longer than the
/// threshold.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitingInState {
    pub process: String,
    pub process_fa: String,
    pub process_en: String,
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = crate::labelled::StateKey))]
    pub state: LabelledState,
    pub n: i64,
    pub stale: i64,
}

/// Requests waiting at one office: a university, one of its faculties, or a county.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitingAtOffice {
    /// The university's code.
    pub university: String,
    pub university_fa: String,
    pub university_en: String,
    /// The faculty's code (withdrawals), if any.
    pub faculty: Option<String>,
    /// The county (exemptions), if any.
    pub county: Option<String>,
    pub n: i64,
    pub stale: i64,
}

/// How long requests stayed in one state before they left it, within the weeks asked for:
/// percentiles read from a histogram of log-scaled buckets (within 9% of the exact value).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepDuration {
    pub process: String,
    pub process_fa: String,
    pub process_en: String,
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(inline, value_type = crate::labelled::StateKey))]
    pub state: LabelledState,
    /// How many times a request left this state.
    pub n: i64,
    pub p50_seconds: i64,
    pub p90_seconds: i64,
}

/// One Saturday-start week: requests filed, and decisions (moves into a final state).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekCount {
    /// The week's Saturday, Jalali `YYYY-MM-DD` (Tehran).
    pub week_start: String,
    pub filed: i64,
    pub decided: i64,
}

/// `GET /api/v1/staff/dashboard`: the figures of the signed-in clerk's scope, for the processes
/// their role takes a step in.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// The clerk's scope in one word (`*`, a university, a faculty's code, a county).
    pub scope: String,
    pub stale_days: i64,
    pub weeks: i64,
    /// Today, Jalali `YYYY-MM-DD` (Tehran).
    pub today: String,
    pub waiting: Vec<WaitingInState>,
    pub offices: Vec<WaitingAtOffice>,
    pub steps: Vec<StepDuration>,
    /// Oldest week first; every week of the range, empty ones too.
    pub weekly: Vec<WeekCount>,
}
