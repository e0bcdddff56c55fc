//! The OpenAPI 3.1 document of `/api/v1` (feature `openapi`), generated from the types of this
//! crate and of `rules`: one marker function per operation below carries its method, path,
//! parameters, body, every status the server answers with and its security; [`document`] puts
//! them together with the security schemes. Served at `/api/v1/openapi.json`.

#![allow(dead_code)] // the marker functions exist for their `#[utoipa::path]` only

use std::borrow::Cow;

use rules::contract::{
    RawAbroad, RawDischarge, RawPrecheck, RawPresentation, RawRevocation, RawTravel,
};
use rules::requests::{
    RawAttachment, RawClearanceRequest, RawExemptionRequest, RawWithdrawalRequest,
};
use rules::schema::{MobileText, NationalIdText};
use rules::workflow::Role;
use utoipa::openapi::schema::{
    AdditionalProperties, AllOfBuilder, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat,
    SchemaType, Type,
};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

use crate::applicant::{
    ApplicantMove, ApplicantSession, ApplicantView, CallbackQuery, CodeCheck, CodeSent,
    PaymentStarted,
};
use crate::common::{
    Faculties, FacultyEntry, Health, NewFaculty, NewUniversity, Universities, UniversityEntry,
};
use crate::error::ErrorBody;
use crate::oidc::{OidcCallbackQuery, OidcStartQuery};
use crate::requests::{Lookup, Receipt, Status, Uploaded};
use crate::signin::{
    MyRequests, OpenMyRequest, PersonSession, ReminderSetting, RosterImported, RosterRejected,
    SetReminders, SignedOut, SigninCode, SigninCodeSent, SigninMethods, SigninVerify,
    UniversityQuery,
};
use crate::staff::{
    AdminUser, Art34, Art34Event, Art34Query, Art34Row, AuditCheck, Cartable, CartableQuery,
    CartableSearch, ConfirmEnrolment, Dashboard, DashboardQuery, Detail, Enrolment, FileA2, Login,
    Move, NewUser, Notifications, Offices, RecoveryCodes, SecondFactorLogin, SecondStep,
    StaffSession, UserChange, Users,
};

/// The whole document.
pub fn document() -> utoipa::openapi::OpenApi {
    Doc::openapi()
}

/// The whole document as JSON.
pub fn json() -> String {
    document()
        .to_json()
        .expect("an OpenAPI document always serialises")
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pishkhan API",
        version = "1",
        description = "Educational-exemption rules, and the requests students file: durable, \
idempotent submission, tracking codes, attachments. Every error is \
{\"error\":{\"code\",\"field\",\"message\",\"message_fa\",\"message_en\"}} (with \"errors\":[…] \
when several fields are wrong). Prose: docs/api.md. Staff calls: sign in with POST \
/api/v1/staff/login (session cookie pishkhan_staff, 8 hours); every staff or admin call other \
than GET and HEAD carries X-CSRF-Token. The applicant signs in to one request with a one-time \
code by SMS and carries Authorization: Bearer <token>. Prose: docs/staff-api.md. A person on \
the university's roster signs in with a code by SMS (POST /api/v1/signin/code, then verify: \
session cookie pishkhan_person, 30 minutes; its logout carries X-CSRF-Token); the admin imports \
the roster (POST /api/v1/admin/roster, text/csv). Prose: docs/signin.md. Generated from the \
crate `api` (api/src/openapi.rs)."
    ),
    paths(
        health, openapi_json, universities, precheck, revocation, presentation, travel, discharge,
        upload_attachment, submit_request, lookup_request, staff_login, staff_me, staff_logout,
        admin_list_users, admin_create_user, admin_add_university, admin_change_user, admin_offices,
        admin_replace_offices, admin_university_offices, admin_replace_university_offices,
        admin_faculties, admin_add_faculty, staff_cartable, staff_cartable_search, staff_dashboard, file_exemption_a2, staff_request, staff_move,
        staff_attachment, art34_list, art34_record, admin_notifications, admin_verify_audit,
        applicant_code, applicant_session, applicant_request, applicant_move, applicant_payment,
        payment_callback, sandbox_page, sandbox_decide, admin_roster, signin_methods, signin_code,
        signin_verify,
        signin_me, signin_logout, signin_requests, signin_open_request, signin_reminders, signin_set_reminders, oidc_start,
        oidc_callback, staff_login_second_factor, staff_enrol_second_factor,
        staff_confirm_second_factor, admin_reset_second_factor
    ),
    components(schemas(
        SubmissionSchema, RawExemptionRequest, RawWithdrawalRequest, RawClearanceRequest,
        RawAttachment, RawAbroad, NationalIdText, MobileText, Art34Row, IdempotencyKey
    )),
    modifiers(&SecuritySchemes, &Conditions),
    tags(
        (name = "rules", description = "The law's questions, answered (rules.md §8)."),
        (name = "requests", description = "Filing and looking up requests (docs/api.md)."),
        (name = "staff", description = "Signing in, the cartable, moves (docs/staff-api.md)."),
        (name = "admin", description = "Accounts, offices, notifications, the audit check."),
        (name = "applicant", description = "The applicant's own request: one-time code, session, moves, payment."),
        (name = "signin", description = "A person on the roster signs in with a code by SMS (docs/signin.md)."),
        (name = "payments", description = "The bank gateway's return and the sandbox gateway."),
        (name = "signin", description = "Signing in by OpenID Connect (docs/signin.md)."),
    )
)]
struct Doc;

/// The staff session cookie, the person session cookie, the CSRF header (of either session) and
/// the applicant's bearer token.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "staffSession",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "pishkhan_staff",
                "The session cookie POST /api/v1/staff/login sets (HttpOnly, SameSite=Strict, 8 hours).",
            ))),
        );
        components.add_security_scheme(
            "personSession",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "pishkhan_person",
                "The person session cookie POST /api/v1/signin/verify sets (HttpOnly, \
                 SameSite=Lax, Path=/api, 30 minutes from sign-in).",
            ))),
        );
        components.add_security_scheme(
            "csrfToken",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's csrf_token (staff: from login or GET /api/v1/staff/me; a person: \
                 from POST /api/v1/signin/verify or GET /api/v1/signin/me): every staff, admin \
                 and person call other than GET and HEAD carries it, else 403 CSRF_FAILED.",
            ))),
        );
        components.add_security_scheme(
            "applicantToken",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token of POST /api/v1/applicant/session (30 minutes, one request).",
                    ))
                    .build(),
            ),
        );
    }
}

/// What depends on another field, which a derived schema cannot say: the pre-check's dates by
/// level, the abroad answers of a government employee's child, a withdrawal's forms by its
/// answers, a new account's scope by role, the offices' unique ids.
struct Conditions;

impl Modify for Conditions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let schemas = &mut components.schemas;
        // The offices' ids are unique, so the items are.
        if let Some(RefOr::T(Schema::Object(offices))) = schemas.get_mut("Offices") {
            if let Some(RefOr::T(Schema::Array(list))) = offices.properties.get_mut("offices") {
                list.unique_items = true;
            }
        }
        let date = || Ref::from_schema_name("JalaliDateText");
        let one_of = |values: Vec<String>| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(values))
        };
        let levels = |school: bool| {
            one_of(
                rules::Level::ALL
                    .iter()
                    .filter(|l| (**l == rules::Level::School) == school)
                    .map(|l| l.id().to_owned())
                    .collect(),
            )
        };
        wrap_all(
            schemas,
            "RawPrecheck",
            vec![OneOfBuilder::new()
                .item(
                    ObjectBuilder::new()
                        .property("level", levels(true))
                        .property("birth_date", date())
                        .required("birth_date")
                        .description(Some("School: the birth date is required.")),
                )
                .item(
                    ObjectBuilder::new()
                        .property("level", levels(false))
                        .property("study_start", date())
                        .required("study_start")
                        .description(Some("University levels: the study start is required.")),
                )],
        );
        let flag = |value: bool| {
            ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .enum_values(Some([value]))
        };
        wrap_all(
            schemas,
            "RawAbroad",
            vec![OneOfBuilder::new()
                .item(
                    ObjectBuilder::new().property("parent_permanent_government_staff", flag(false)),
                )
                .item(
                    ObjectBuilder::new()
                        .property("parent_permanent_government_staff", flag(true))
                        .property("semesters_completed", Ref::from_schema_name("CountValue"))
                        .property("exit_date", date())
                        .property("university_entry", date())
                        .required("semesters_completed")
                        .required("exit_date")
                        .required("university_entry")
                        .description(Some(
                            "A permanent government employee's child: the semesters, the exit \
                             date and the university entry are required.",
                        )),
                )],
        );
        // The exemption is filed with a Sakha code, for a university level, after a diploma or
        // a university level.
        if let Some(RefOr::T(Schema::Object(exemption))) = schemas.get_mut("RawExemptionRequest") {
            let mut previous = vec!["diploma".to_owned()];
            previous.extend(university_levels());
            for (field, schema) in [
                ("has_sakha_code", flag(true)),
                ("level", one_of(university_levels())),
                ("previous_level", one_of(previous)),
            ] {
                exemption.properties.insert(field.to_owned(), schema.into());
            }
        }
        let file = || Ref::from_schema_name("RawAttachment");
        let card = |value: &str| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([value]))
        };
        wrap_all(
            schemas,
            "RawWithdrawalRequest",
            vec![
                OneOfBuilder::new()
                    .item(ObjectBuilder::new().property("early_withdrawal", flag(false)))
                    .item(
                        ObjectBuilder::new()
                            .property("early_withdrawal", flag(true))
                            .property("early_withdrawal_form", file())
                            .required("early_withdrawal_form")
                            .description(Some("Before the due time: the early-withdrawal form.")),
                    ),
                OneOfBuilder::new()
                    .item(ObjectBuilder::new().property("student_card", card("handed_in")))
                    .item(
                        ObjectBuilder::new()
                            .property("student_card", card("lost"))
                            .property("duplicate_card_requested", flag(true))
                            .property("notarised_undertaking", file())
                            .required("duplicate_card_requested")
                            .required("notarised_undertaking")
                            .description(Some(
                                "A lost card: a duplicate-card request and a notarised undertaking.",
                            )),
                    ),
            ],
        );
        // A person names themselves by national ID or by student number, exactly one (the other
        // left out or null).
        for name in ["SigninCode", "SigninVerify"] {
            let by = |field: &str, schema: &str| {
                ObjectBuilder::new()
                    .required(field)
                    .property(field, Ref::from_schema_name(schema))
                    .description(Some(format!("By {field}.")))
            };
            wrap_all(
                schemas,
                name,
                vec![OneOfBuilder::new()
                    .item(by("national_id", "NationalIdText"))
                    .item(by("student_number", "StudentNumberText"))],
            );
        }
        let roles = |scoped: bool| {
            one_of(
                Role::ALL
                    .iter()
                    .filter(|r| r.is_staff() && r.is_scoped() == scoped)
                    .map(|r| r.id())
                    .collect(),
            )
        };
        wrap_all(
            schemas,
            "NewUser",
            vec![OneOfBuilder::new()
                .item(
                    ObjectBuilder::new()
                        .property("role", roles(true))
                        .property(
                            "scope",
                            ObjectBuilder::new()
                                .schema_type(text_or_null())
                                .pattern(Some("\\S"))
                                .max_length(Some(100)),
                        )
                        .description(Some(
                            "A scoped role: * or the name it serves (a faculty role: the code \
                             of one of the university's faculties).",
                        )),
                )
                .item(
                    ObjectBuilder::new()
                        .property("role", roles(false))
                        .property(
                            "scope",
                            ObjectBuilder::new()
                                .schema_type(text_or_null())
                                .pattern(Some("^\\s*\\*\\s*$")),
                        )
                        .description(Some(
                            "A role that serves everything: scope * (clearance_office:<id> of a \
                             configured office is accepted too).",
                        )),
                )],
        );
    }
}

/// Replaces the schema `name` by `allOf: [itself, ...conditions]`.
fn wrap_all(
    schemas: &mut std::collections::BTreeMap<String, RefOr<Schema>>,
    name: &str,
    conditions: Vec<OneOfBuilder>,
) {
    if let Some(original) = schemas.remove(name) {
        let all = conditions
            .into_iter()
            .fold(AllOfBuilder::new().item(original), |all, c| all.item(c));
        schemas.insert(name.to_owned(), all.into());
    }
}

/// The ids of the university levels (every level but school).
fn university_levels() -> Vec<String> {
    rules::Level::ALL
        .iter()
        .filter(|l| **l != rules::Level::School)
        .map(|l| l.id().to_owned())
        .collect()
}

/// A string, or null for "not given".
fn text_or_null() -> SchemaType {
    SchemaType::from_iter([Type::String, Type::Null])
}

/// `POST /api/v1/requests`' body: one envelope per kind of request.
pub struct SubmissionSchema;

impl PartialSchema for SubmissionSchema {
    fn schema() -> RefOr<Schema> {
        let null = || ObjectBuilder::new().schema_type(Type::Null);
        let or_null = |name: &str| {
            OneOfBuilder::new()
                .item(Ref::from_schema_name(name))
                .item(null())
        };
        let envelope = |kind: &str, answers: &str, exemption: bool| {
            let o = ObjectBuilder::new()
                .property(
                    "kind",
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some([kind])),
                )
                .required("kind")
                .property("answers", Ref::from_schema_name(answers))
                .required("answers")
                .additional_properties(Some(AdditionalProperties::FreeForm(false)));
            if exemption {
                // Both are among the answers; a mobile beside them is refused, null is none.
                o.property("national_id", or_null("NationalIdText"))
                    .property("mobile", null())
            } else {
                o.property("national_id", Ref::from_schema_name("NationalIdText"))
                    .required("national_id")
                    .property("mobile", or_null("MobileText"))
            }
        };
        OneOfBuilder::new()
            .item(envelope("exemption", "RawExemptionRequest", true).description(Some(
                "An exemption: the national ID and mobile are among the answers (a national_id \
                 given here too must match).",
            )))
            .item(envelope("withdrawal", "RawWithdrawalRequest", false))
            .item(envelope("clearance", "RawClearanceRequest", false))
            .description(Some(
                "{kind, national_id, mobile, answers}: the answers are the raw request of that \
                 kind (rules::requests), files as references to uploaded attachments.",
            ))
            .into()
    }
}

impl ToSchema for SubmissionSchema {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Submission")
    }
}

/// The `Idempotency-Key` header: a UUID (any version, any case), bare or quoted.
struct IdempotencyKey;

impl PartialSchema for IdempotencyKey {
    fn schema() -> RefOr<Schema> {
        let uuid = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::Custom("uuid".to_owned())))
            .pattern(Some(format!("^\\s*({uuid}|\"{uuid}\")\\s*$")))
            .into()
    }
}

impl ToSchema for IdempotencyKey {}

/// Raw bytes.
struct Binary;

impl PartialSchema for Binary {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Binary,
            )))
            .content_media_type("application/octet-stream")
            .min_length(Some(1))
            .description(Some(
                "A PDF, JPEG or PNG file (its first bytes are %PDF-, FF D8 FF or the PNG \
                 signature), 1 byte to 5 MiB.",
            ))
            .into()
    }
}

impl ToSchema for Binary {}

/// What the rules answer (the same JSON as the CLI; rules.md §8).
struct RuleAnswer;

impl PartialSchema for RuleAnswer {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .description(Some("The rule's answer (rules.md §8)."))
            .into()
    }
}

impl ToSchema for RuleAnswer {}

#[utoipa::path(get, path = "/api/v1/health", operation_id = "health", tag = "requests",
    summary = "The server is up.",
    responses((status = 200, description = "ok", body = Health, example = json!({"status": "ok"}))))]
fn health() {}

#[utoipa::path(get, path = "/api/v1/universities", operation_id = "listUniversities", tag = "requests",
    summary = "Every university (its code, which an exemption names it by, and its names in Persian and English), the default one first.",
    responses((status = 200, description = "The universities.", body = Universities)))]
fn universities() {}

#[utoipa::path(get, path = "/api/v1/openapi.json", operation_id = "openapi", tag = "requests",
    summary = "This description.",
    responses((status = 200, description = "OpenAPI 3.1", body = Object)))]
fn openapi_json() {}

macro_rules! rule_path {
    ($fn:ident, $path:literal, $id:literal, $summary:literal, $body:ty) => {
        #[utoipa::path(post, path = $path, operation_id = $id, tag = "rules", summary = $summary,
            request_body = $body,
            responses(
                (status = 200, description = "The rule's answer.", body = RuleAnswer),
                (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
                (status = 422, description = "INVALID_INPUT naming the field.", body = ErrorBody),
            ))]
        fn $fn() {}
    };
}

rule_path!(precheck, "/api/v1/precheck", "answerPrecheck",
    "The exemption pre-check (rules.md §8). birth_date is required for level school, study_start for the others.",
    RawPrecheck);
rule_path!(
    revocation,
    "/api/v1/revocation",
    "answerRevocation",
    "May a withdrawal still be taken back (rules.md §5).",
    RawRevocation
);
rule_path!(
    presentation,
    "/api/v1/presentation",
    "answerPresentation",
    "The presentation deadline after study ends (Art. 34).",
    RawPresentation
);
rule_path!(
    travel,
    "/api/v1/travel",
    "answerTravel",
    "May the student travel abroad (Art. 103).",
    RawTravel
);
rule_path!(
    discharge,
    "/api/v1/discharge",
    "answerDischarge",
    "Discharge for study (Art. 35 note 2).",
    RawDischarge
);

#[utoipa::path(post, path = "/api/v1/attachments", operation_id = "uploadAttachment", tag = "requests",
    summary = "Uploads one file as a signed-in applicant (the person session, or the applicant \
session of their request), within their daily quota (20 files, 50 MiB by default); the raw bytes \
as the body, its type judged from its first bytes: PDF, JPEG or PNG, at most 5 MiB. A file no \
request refers to is removed 24 hours after its last upload.",
    security(("personSession" = [], "csrfToken" = []), ("applicantToken" = [])),
    request_body(content = Binary, content_type = "application/octet-stream",
        description = "The file's bytes; the Content-Type header is not read."),
    responses(
        (status = 201, description = "Stored.", body = Uploaded),
        (status = 400, description = "BAD_REQUEST: the upload was interrupted.", body = ErrorBody),
        (status = 401, description = "SIGN_IN_REQUIRED or APPLICANT_SESSION_REQUIRED: no live session (nothing read or stored).", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED", body = ErrorBody),
        (status = 408, description = "REQUEST_TIMEOUT", body = ErrorBody),
        (status = 413, description = "FILE_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_FILE_TYPE: not a PDF, JPEG or PNG.", body = ErrorBody),
        (status = 422, description = "EMPTY_FILE", body = ErrorBody),
        (status = 429, description = "UPLOAD_QUOTA (field file, Retry-After): the person's files or bytes of the last 24 hours are used up.", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds"))),
        (status = 507, description = "INSUFFICIENT_STORAGE (field file): the disk is too full; nothing was kept.", body = ErrorBody),
    ))]
fn upload_attachment() {}

#[utoipa::path(post, path = "/api/v1/requests", operation_id = "submitRequest", tag = "requests",
    summary = "Files a request in the signed-in person's own name (docs/signin.md). Idempotent by \
the Idempotency-Key header; a key is replayed to the person who used it only. The national ID \
(beside the answers, or among an exemption's) and a withdrawal's student number must be the \
person's (either is the person's when left out); the mobile (beside a withdrawal's or \
clearance's answers, among an exemption's) and a withdrawal's faculty are the identity's when it \
has them, whatever the body says.",
    security(("personSession" = [], "csrfToken" = [])),
    params(("Idempotency-Key" = IdempotencyKey, Header, description = "A fresh UUID per request (bare or quoted); retries send the same key and the same body.")),
    request_body = SubmissionSchema,
    responses(
        (status = 201, description = "Stored durably (or a replay of the first answer for this key, with Idempotent-Replayed: true).", body = Receipt,
            headers(("Idempotent-Replayed" = String, description = "true on a replay"))),
        (status = 400, description = "Idempotency-Key missing (IDEMPOTENCY_KEY_MISSING) or not a UUID (IDEMPOTENCY_KEY_INVALID).", body = ErrorBody),
        (status = 401, description = "SIGN_IN_REQUIRED: no live person session (nothing read or stored).", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED; or NOT_YOUR_REQUEST (field national_id or student_number): the body names someone other than the signed-in person; nothing stored; or SIGN_IN_NOT_FOR_THIS_REQUEST (field kind): the person signed in at an OpenID provider not configured for this kind of request.", body = ErrorBody),
        (status = 408, description = "REQUEST_TIMEOUT", body = ErrorBody),
        (status = 409, description = "IDEMPOTENCY_KEY_IN_PROGRESS (Retry-After).", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE (64 KiB)", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT naming every bad field, or IDEMPOTENCY_KEY_REUSED for another body.", body = ErrorBody),
    ))]
fn submit_request() {}

#[utoipa::path(post, path = "/api/v1/requests/lookup", operation_id = "lookupRequest", tag = "requests",
    summary = "A request's status and timeline, by tracking code and national ID (never in the URL). Rate-limited per client.",
    request_body = Lookup,
    responses(
        (status = 200, description = "Found.", body = Status),
        (status = 404, description = "NOT_FOUND: the same for an unknown code and someone else's national ID.", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT", body = ErrorBody),
        (status = 429, description = "RATE_LIMITED (Retry-After)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds"))),
    ))]
fn lookup_request() {}

#[utoipa::path(post, path = "/api/v1/staff/login", operation_id = "staffLogin", tag = "staff",
    summary = "Sign in: 200 with a session, or 202 {second_step_token} when the account has a second factor (then POST /api/v1/staff/login/second-factor). 401 LOGIN_FAILED, byte for byte the same for an unknown user, a wrong password, a disabled account and a locked one (5 failures in a row without the account's device cookie lock such attempts for 15 minutes; a device cookie's own 5 lock only that device); 429 RATE_LIMITED beyond 20 attempts a minute per client address.",
    request_body = Login,
    responses(
        (status = 200, description = "Signed in.", body = StaffSession,
            headers(("Set-Cookie" = String, description = "pishkhan_staff=<token>; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800 (; Secure with serve --secure-cookies), then pishkhan_device=<random>.<HMAC>; HttpOnly; SameSite=Strict; Path=/api/v1/staff/login; Max-Age=31536000"))),
        (status = 202, description = "The password was right; the second factor's code comes next.", body = SecondStep),
        (status = 401, description = "LOGIN_FAILED", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT", body = ErrorBody),
        (status = 429, description = "RATE_LIMITED (Retry-After)", body = ErrorBody),
    ))]
fn staff_login() {}

#[utoipa::path(post, path = "/api/v1/staff/login/second-factor", operation_id = "staffLoginSecondFactor", tag = "staff",
    summary = "The second step of signing in: the authenticator's code (one 30-second step either side of now, each step accepted once) or a recovery code (each once). A wrong code counts as a failed sign-in; the token dies after 5 wrong codes or 5 minutes.",
    request_body = SecondFactorLogin,
    responses(
        (status = 200, description = "Signed in (the cookies as for /api/v1/staff/login).", body = StaffSession),
        (status = 401, description = "CODE_INVALID (field code or recovery_code) or SECOND_STEP_EXPIRED", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT", body = ErrorBody),
        (status = 429, description = "RATE_LIMITED (Retry-After)", body = ErrorBody),
    ))]
fn staff_login_second_factor() {}

#[utoipa::path(post, path = "/api/v1/staff/second-factor/enrol", operation_id = "staffEnrolSecondFactor", tag = "staff",
    summary = "A new TOTP secret for the signed-in user (RFC 6238: SHA-1, 6 digits, 30 s): its otpauth URI (for the QR code) and base32 text. Asking again replaces it until confirmed.",
    security(("staffSession" = [], "csrfToken" = [])),
    responses(
        (status = 200, description = "The secret, never cached.", body = Enrolment),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED", body = ErrorBody),
        (status = 409, description = "SECOND_FACTOR_ENROLLED", body = ErrorBody),
    ))]
fn staff_enrol_second_factor() {}

#[utoipa::path(post, path = "/api/v1/staff/second-factor/confirm", operation_id = "staffConfirmSecondFactor", tag = "staff",
    summary = "Confirms the new secret with its first code; answers the 10 one-time recovery codes, shown this once.",
    security(("staffSession" = [], "csrfToken" = [])),
    request_body = ConfirmEnrolment,
    responses(
        (status = 200, description = "Enrolled.", body = RecoveryCodes),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED", body = ErrorBody),
        (status = 409, description = "SECOND_FACTOR_ENROLLED or NOT_ENROLLING", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "CODE_INVALID (field code) or INVALID_INPUT", body = ErrorBody),
    ))]
fn staff_confirm_second_factor() {}

#[utoipa::path(get, path = "/api/v1/staff/me", operation_id = "staffMe", tag = "staff",
    summary = "The signed-in user and the session's CSRF token.",
    security(("staffSession" = [])),
    responses(
        (status = 200, description = "Signed in.", body = StaffSession),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
    ))]
fn staff_me() {}

#[utoipa::path(post, path = "/api/v1/staff/logout", operation_id = "staffLogout", tag = "staff",
    summary = "Sign out: the session is deleted and the cookie cleared. No body.",
    security(("staffSession" = [], "csrfToken" = [])),
    responses(
        (status = 204, description = "Signed out.",
            headers(("Set-Cookie" = String, description = "pishkhan_staff=; …; Max-Age=0"))),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED", body = ErrorBody),
    ))]
fn staff_logout() {}

#[utoipa::path(get, path = "/api/v1/admin/users", operation_id = "adminListUsers", tag = "admin",
    summary = "Every staff account (admin only), by username.",
    security(("staffSession" = [])),
    responses(
        (status = 200, description = "The accounts, by username.", body = Users),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "FORBIDDEN: not an admin.", body = ErrorBody),
    ))]
fn admin_list_users() {}

#[utoipa::path(post, path = "/api/v1/admin/users", operation_id = "adminCreateUser", tag = "admin",
    summary = "Add a staff account (admin only). 422 INVALID_INPUT names each bad field; 409 USERNAME_TAKEN.",
    security(("staffSession" = [], "csrfToken" = [])),
    request_body = NewUser,
    responses(
        (status = 201, description = "Created.", body = AdminUser),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED or FORBIDDEN", body = ErrorBody),
        (status = 409, description = "USERNAME_TAKEN", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT", body = ErrorBody),
    ))]
fn admin_create_user() {}

#[utoipa::path(post, path = "/api/v1/admin/universities", operation_id = "adminAddUniversity", tag = "admin",
    summary = "Add a university (the national admin only), with seed 002's clearance offices. 422 INVALID_INPUT names each bad field; 409 UNIVERSITY_TAKEN.",
    security(("staffSession" = [], "csrfToken" = [])),
    request_body = NewUniversity,
    responses(
        (status = 201, description = "Created.", body = UniversityEntry),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED or FORBIDDEN", body = ErrorBody),
        (status = 409, description = "UNIVERSITY_TAKEN", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT", body = ErrorBody),
    ))]
fn admin_add_university() {}

#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", operation_id = "adminChangeUser", tag = "admin",
    summary = "Change an account (admin only): a new password or disabling ends its sessions.",
    security(("staffSession" = [], "csrfToken" = [])),
    params(("id" = i64, Path, description = "The account's id.")),
    request_body = UserChange,
    responses(
        (status = 200, description = "Changed.", body = AdminUser),
        (status = 400, description = "BAD_REQUEST: the id is not a number.", body = ErrorBody),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED or FORBIDDEN", body = ErrorBody),
        (status = 404, description = "NOT_FOUND", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT", body = ErrorBody),
    ))]
fn admin_change_user() {}

#[utoipa::path(delete, path = "/api/v1/admin/users/{id}/second-factor", operation_id = "adminResetSecondFactor", tag = "admin",
    summary = "Reset an account's second factor (admin only): its secret, recovery codes and sessions are deleted; it enrols again. Logged with who did it.",
    security(("staffSession" = [], "csrfToken" = [])),
    params(("id" = i64, Path, description = "The account's id.")),
    responses(
        (status = 200, description = "Reset.", body = AdminUser),
        (status = 400, description = "BAD_REQUEST: the id is not a number.", body = ErrorBody),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED, FORBIDDEN or SECOND_FACTOR_REQUIRED", body = ErrorBody),
        (status = 404, description = "NOT_FOUND", body = ErrorBody),
    ))]
fn admin_reset_second_factor() {}

#[utoipa::path(get, path = "/api/v1/admin/offices", operation_id = "adminOffices", tag = "admin",
    summary = "The clearance offices in route order (admin only): the university admin's university's; the national admin's, the default university's (any university's: /api/v1/admin/universities/{university}/offices).",
    security(("staffSession" = [])),
    responses(
        (status = 200, description = "The offices.", body = Offices),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "FORBIDDEN", body = ErrorBody),
    ))]
fn admin_offices() {}

#[utoipa::path(put, path = "/api/v1/admin/offices", operation_id = "adminReplaceOffices", tag = "admin",
    summary = "Replace the clearance offices (admin only) of the university admin's university, or the national admin's default university: ids [a-z0-9_-]+ and unique, names not empty; 409 OFFICE_IN_USE when an office left out has requests at it (at_office:<id> or visit_required:<id>).",
    security(("staffSession" = [], "csrfToken" = [])),
    request_body = Offices,
    responses(
        (status = 200, description = "Replaced; the new list.", body = Offices),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED or FORBIDDEN", body = ErrorBody),
        (status = 409, description = "OFFICE_IN_USE", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT", body = ErrorBody),
    ))]
fn admin_replace_offices() {}

#[utoipa::path(get, path = "/api/v1/admin/universities/{university}/offices", operation_id = "adminUniversityOffices", tag = "admin",
    summary = "A university's clearance offices in route order: the national admin's for any university, a university admin's for their own (another is 404, as if missing).",
    security(("staffSession" = [])),
    params(("university" = String, Path, description = "The university's code.")),
    responses(
        (status = 200, description = "The offices.", body = Offices),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "FORBIDDEN", body = ErrorBody),
        (status = 404, description = "NOT_FOUND: no such university, or not the admin's.", body = ErrorBody),
    ))]
fn admin_university_offices() {}

#[utoipa::path(put, path = "/api/v1/admin/universities/{university}/offices", operation_id = "adminReplaceUniversityOffices", tag = "admin",
    summary = "Replace a university's clearance offices (the national admin: any university; a university admin: their own, another is 404): ids [a-z0-9_-]+ and unique, names not empty; 409 OFFICE_IN_USE when an office left out has requests of that university at it. A clearance already filed keeps its route.",
    security(("staffSession" = [], "csrfToken" = [])),
    params(("university" = String, Path, description = "The university's code.")),
    request_body = Offices,
    responses(
        (status = 200, description = "Replaced; the new list.", body = Offices),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED or FORBIDDEN", body = ErrorBody),
        (status = 404, description = "NOT_FOUND: no such university, or not the admin's.", body = ErrorBody),
        (status = 409, description = "OFFICE_IN_USE", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT", body = ErrorBody),
    ))]
fn admin_replace_university_offices() {}

#[utoipa::path(get, path = "/api/v1/admin/universities/{university}/faculties", operation_id = "adminFaculties", tag = "admin",
    summary = "A university's faculties, by code: the national admin's for any university, a university admin's for their own (another is 404, as if missing).",
    security(("staffSession" = [])),
    params(("university" = String, Path, description = "The university's code.")),
    responses(
        (status = 200, description = "The faculties.", body = Faculties),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "FORBIDDEN", body = ErrorBody),
        (status = 404, description = "NOT_FOUND: no such university, or not the admin's.", body = ErrorBody),
    ))]
fn admin_faculties() {}

#[utoipa::path(post, path = "/api/v1/admin/universities/{university}/faculties", operation_id = "adminAddFaculty", tag = "admin",
    summary = "Add a faculty to a university (the national admin: any university; a university admin: their own, another is 404). 422 INVALID_INPUT names each bad field; 409 FACULTY_TAKEN.",
    security(("staffSession" = [], "csrfToken" = [])),
    params(("university" = String, Path, description = "The university's code.")),
    request_body = NewFaculty,
    responses(
        (status = 201, description = "Added.", body = FacultyEntry),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED or FORBIDDEN", body = ErrorBody),
        (status = 404, description = "NOT_FOUND: no such university, or not the admin's.", body = ErrorBody),
        (status = 409, description = "FACULTY_TAKEN", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT", body = ErrorBody),
    ))]
fn admin_add_faculty() {}

#[utoipa::path(get, path = "/api/v1/staff/cartable", operation_id = "staffCartable", tag = "staff",
    summary = "The clerk's cartable: requests at their step and in their scope (at most 200), with counts per state.",
    security(("staffSession" = [])),
    params(CartableQuery),
    responses(
        (status = 200, description = "The cartable.", body = Cartable),
        (status = 400, description = "BAD_REQUEST: a query parameter given twice or malformed.", body = ErrorBody),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
    ))]
fn staff_cartable() {}

#[utoipa::path(post, path = "/api/v1/staff/cartable/search", operation_id = "staffCartableSearch", tag = "staff",
    summary = "The clerk's cartable searched by tracking code or national ID (digits, any script), the search in the body so that it is never in a URL.",
    security(("staffSession" = [], "csrfToken" = [])),
    request_body = CartableSearch,
    responses(
        (status = 200, description = "The cartable, only the requests found.", body = Cartable),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT", body = ErrorBody),
    ))]
fn staff_cartable_search() {}

#[utoipa::path(get, path = "/api/v1/staff/dashboard", operation_id = "staffDashboard", tag = "staff",
    summary = "The offices' dashboard for the clerk's scope: requests waiting per state and office (and longer than the threshold), p50/p90 of each step's duration, filings and decisions per Saturday-start week.",
    security(("staffSession" = [])),
    params(DashboardQuery),
    responses(
        (status = 200, description = "The dashboard's figures.", body = Dashboard),
        (status = 400, description = "BAD_REQUEST: a query parameter given twice, unknown or malformed.", body = ErrorBody),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "FORBIDDEN: a role that takes no step of any process (the administrators); SECOND_FACTOR_REQUIRED.", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT: stale_days (1–365) or weeks (1–104) out of range.", body = ErrorBody),
    ))]
fn staff_dashboard() {}

#[utoipa::path(post, path = "/api/v1/staff/requests", operation_id = "fileExemptionA2", tag = "staff",
    summary = "A police e-services office files an exemption for a student (seed 000 A2); it starts registered.",
    security(("staffSession" = [], "csrfToken" = [])),
    request_body = FileA2,
    responses(
        (status = 201, description = "Filed; the request's detail.", body = Detail),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED, or FORBIDDEN_ACTION: not a police office.", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT", body = ErrorBody),
    ))]
fn file_exemption_a2() {}

/// A request's opaque handle in a staff URL (never its tracking code: docs/staff-api.md).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct Handle {
    /// The `handle` of a cartable row or a detail: 32 hex digits; anything else is 404.
    #[param(pattern = "^[0-9a-f]{32}$")]
    handle: String,
}

#[utoipa::path(get, path = "/api/v1/staff/requests/{handle}", operation_id = "staffRequest", tag = "staff",
    summary = "A visible request's detail: answers, attachments, deadlines, the chained audit trail and the clerk's possible actions.",
    security(("staffSession" = [])),
    params(Handle),
    responses(
        (status = 200, description = "The detail.", body = Detail),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 404, description = "NOT_FOUND (or not in the clerk's scope)", body = ErrorBody),
    ))]
fn staff_request() {}

#[utoipa::path(post, path = "/api/v1/staff/requests/{handle}/actions", operation_id = "staffMove", tag = "staff",
    summary = "Moves the request (rules::workflow::apply) in one transaction; optimistic version.",
    security(("staffSession" = [], "csrfToken" = [])),
    params(Handle),
    request_body = Move,
    responses(
        (status = 200, description = "Moved; the request's detail.", body = Detail),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED or FORBIDDEN_ACTION", body = ErrorBody),
        (status = 404, description = "NOT_FOUND", body = ErrorBody),
        (status = 409, description = "STALE_VERSION", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT (a missing field the action records, a note over 2,000 characters) or GUARD (the law refuses).", body = ErrorBody),
    ))]
fn staff_move() {}

#[utoipa::path(get, path = "/api/v1/staff/requests/{handle}/attachments/{field}", operation_id = "staffAttachment", tag = "staff",
    summary = "One of the request's files.",
    security(("staffSession" = [])),
    params(
        Handle,
        ("field" = String, Path, description = "the answer's field: withdrawal_form, …"),
    ),
    responses(
        (status = 200, description = "The file (Content-Disposition: attachment).",
            content(("application/pdf"), ("image/jpeg"), ("image/png"))),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 404, description = "NOT_FOUND", body = ErrorBody),
    ))]
fn staff_attachment() {}

#[utoipa::path(get, path = "/api/v1/staff/art34", operation_id = "art34List", tag = "staff",
    summary = "Art. 34: recorded withdrawal rulings, drop-outs, expulsions and graduations with their presentation deadline, soonest first (format=csv for CSV); a scoped clerk's only for people with a stored request in their scope.",
    security(("staffSession" = [])),
    params(Art34Query),
    responses(
        (status = 200, description = "The list; as CSV (UTF-8 with a BOM) with format=csv.",
            content((Art34 = "application/json"), (String = "text/csv"))),
        (status = 400, description = "BAD_REQUEST: a query parameter given twice or malformed.", body = ErrorBody),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "FORBIDDEN", body = ErrorBody),
    ))]
fn art34_list() {}

#[utoipa::path(post, path = "/api/v1/staff/art34/events", operation_id = "art34Record", tag = "staff",
    summary = "Records an expulsion, drop-out or graduation (its date not after today); a scoped clerk only for people with a stored request in their scope.",
    security(("staffSession" = [], "csrfToken" = [])),
    request_body = Art34Event,
    responses(
        (status = 201, description = "Recorded, with its deadline.", body = Art34Row),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED, FORBIDDEN (not this role's), or OUT_OF_SCOPE (field national_id: the person has no request in the clerk's scope; nothing is recorded)", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT", body = ErrorBody),
    ))]
fn art34_record() {}

#[utoipa::path(get, path = "/api/v1/admin/notifications", operation_id = "adminNotifications", tag = "admin",
    summary = "The latest 200 SMS of the notification outbox (one-time codes hidden).",
    security(("staffSession" = [])),
    responses(
        (status = 200, description = "The outbox.", body = Notifications),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "FORBIDDEN", body = ErrorBody),
    ))]
fn admin_notifications() {}

#[utoipa::path(get, path = "/api/v1/admin/audit/verify", operation_id = "adminVerifyAudit", tag = "admin",
    summary = "Verifies every request's audit hash chain.",
    security(("staffSession" = [])),
    responses(
        (status = 200, description = "The check.", body = AuditCheck),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "FORBIDDEN", body = ErrorBody),
    ))]
fn admin_verify_audit() {}

#[utoipa::path(post, path = "/api/v1/applicant/code", operation_id = "applicantCode", tag = "applicant",
    summary = "Sends a one-time code by SMS to the request's mobile. Rate-limited with the lookups.",
    request_body = Lookup,
    responses(
        (status = 202, description = "Sent.", body = CodeSent),
        (status = 404, description = "NOT_FOUND", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT, or NO_MOBILE: the request has no mobile.", body = ErrorBody),
        (status = 429, description = "RATE_LIMITED (Retry-After)", body = ErrorBody),
    ))]
fn applicant_code() {}

#[utoipa::path(post, path = "/api/v1/applicant/session", operation_id = "applicantSession", tag = "applicant",
    summary = "Exchanges the one-time code for a 30-minute session on that request.",
    request_body = CodeCheck,
    responses(
        (status = 200, description = "The session.", body = ApplicantSession),
        (status = 401, description = "CODE_INVALID or CODE_EXPIRED", body = ErrorBody),
        (status = 404, description = "NOT_FOUND", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT", body = ErrorBody),
        (status = 429, description = "RATE_LIMITED (Retry-After)", body = ErrorBody),
    ))]
fn applicant_session() {}

#[utoipa::path(get, path = "/api/v1/applicant/request", operation_id = "applicantRequest", tag = "applicant",
    summary = "The applicant's request: state, timeline, deadlines, possible actions, payment.",
    security(("applicantToken" = [])),
    responses(
        (status = 200, description = "The request.", body = ApplicantView),
        (status = 401, description = "APPLICANT_SESSION_REQUIRED", body = ErrorBody),
    ))]
fn applicant_request() {}

#[utoipa::path(post, path = "/api/v1/applicant/request/actions", operation_id = "applicantMove", tag = "applicant",
    summary = "revoke, resubmit (with answers) or file_justification (with justification).",
    security(("applicantToken" = [])),
    request_body = ApplicantMove,
    responses(
        (status = 200, description = "Moved; the request.", body = ApplicantView),
        (status = 401, description = "APPLICANT_SESSION_REQUIRED", body = ErrorBody),
        (status = 403, description = "FORBIDDEN_ACTION", body = ErrorBody),
        (status = 409, description = "STALE_VERSION", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT or GUARD", body = ErrorBody),
    ))]
fn applicant_move() {}

#[utoipa::path(post, path = "/api/v1/applicant/request/payment", operation_id = "applicantPayment", tag = "applicant",
    summary = "Starts paying the service fee at the gateway; redirect the payer to redirect_url. No body.",
    security(("applicantToken" = [])),
    responses(
        (status = 201, description = "Started.", body = PaymentStarted),
        (status = 401, description = "APPLICANT_SESSION_REQUIRED", body = ErrorBody),
        (status = 409, description = "NOTHING_TO_PAY", body = ErrorBody),
        (status = 502, description = "PAYMENT_GATEWAY_ERROR: the bank's gateway refused (its code named) or could not be reached; nothing recorded (docs/payments.md).", body = ErrorBody),
        (status = 503, description = "PAYMENT_UNAVAILABLE: this deployment has no payment gateway (serve --payment-gateway); the applicant is told to contact the university.", body = ErrorBody),
        (status = 504, description = "PAYMENT_GATEWAY_TIMEOUT: the bank's gateway did not answer in time; nothing recorded.", body = ErrorBody),
    ))]
fn applicant_payment() {}

#[utoipa::path(get, path = "/api/v1/payments/callback", operation_id = "paymentCallback", tag = "payments",
    summary = "The gateway sends the payer back here (authority and status, or a bank's Authority and Status); the server verifies with the gateway, moves the request once — or refunds a payment verified after its request was closed —, and redirects (303) to the applicant's receipt page, /track/receipt?payment=ok|failed|refunded|refund_pending (no tracking code in the URL).",
    params(CallbackQuery),
    responses(
        (status = 303, description = "To the request's page.",
            headers(("Location" = String, description = "/track/receipt?payment=ok|failed|refunded|refund_pending"))),
        (status = 400, description = "BAD_REQUEST: a query parameter given twice or malformed.", body = ErrorBody),
        (status = 404, description = "NOT_FOUND: no such payment.", body = ErrorBody),
        (status = 409, description = "PAYMENT_AMOUNT_MISMATCH (field amount_rials): the gateway reports another amount paid than the fee asked; the payment is failed, never paid.", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT: authority missing.", body = ErrorBody),
        (status = 502, description = "PAYMENT_GATEWAY_ERROR: the bank's gateway answered an error code (named) or could not be reached; the payment stays as it was and a later callback asks again.", body = ErrorBody),
        (status = 503, description = "PAYMENT_UNAVAILABLE: no payment gateway is configured any more.", body = ErrorBody),
        (status = 504, description = "PAYMENT_GATEWAY_TIMEOUT: the bank's gateway did not answer in time; the payment stays as it was and a later callback asks again.", body = ErrorBody),
    ))]
fn payment_callback() {}

#[utoipa::path(get, path = "/sandbox-gateway/{authority}", operation_id = "sandboxPage", tag = "payments",
    summary = "The sandbox gateway's payer page, a test payment (only with serve --payment-gateway sandbox; a bank's page in production).",
    params(("authority" = String, Path)),
    responses(
        (status = 200, description = "The page.", body = String, content_type = "text/html"),
        (status = 404, description = "NOT_FOUND", body = ErrorBody),
    ))]
fn sandbox_page() {}

/// The sandbox payer's choice.
#[derive(utoipa::ToSchema)]
#[schema(as = SandboxDecision)]
struct SandboxDecision {
    /// `pay`, or anything else to cancel.
    decision: String,
    /// The amount paid (by default the amount asked): a tampered form, which the callback
    /// refuses.
    amount_rials: Option<i64>,
}

#[utoipa::path(post, path = "/sandbox-gateway/{authority}", operation_id = "sandboxDecide", tag = "payments",
    summary = "The sandbox payer pays or cancels; back to the callback.",
    params(("authority" = String, Path)),
    request_body(content = SandboxDecision, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "To the callback.",
            headers(("Location" = String, description = "<callback>?authority=…&status=OK|NOK"))),
        (status = 404, description = "NOT_FOUND", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE: not a form.", body = ErrorBody),
        (status = 422, description = "The form has no decision.", body = ErrorBody),
    ))]
fn sandbox_decide() {}

/// `POST /api/v1/admin/roster`'s body.
struct RosterCsv;

impl PartialSchema for RosterCsv {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .content_media_type("text/csv")
            .min_length(Some(1))
            .description(Some(
                "A UTF-8 CSV roster, at most 5 MiB: the header \
                 student_number,national_id,mobile,faculty,level,status (any order; optionally \
                 university), then one person a row. Persian, Arabic-Indic or Latin digits; \
                 national IDs with a right check digit; mobiles 09xxxxxxxxx (or +989…); level a \
                 university level id; status student or admitted; a national ID once in the \
                 file, a student number once per university. The optional university column \
                 names a row's university by its code or Persian name.",
            ))
            .into()
    }
}

impl ToSchema for RosterCsv {}

#[utoipa::path(post, path = "/api/v1/admin/roster", operation_id = "adminImportRoster", tag = "admin",
    summary = "Imports a university's roster (admin only): upserted by national ID in one transaction (new people added, known ones updated, nobody removed); any bad row and nothing is imported. A university's admin imports into their university (a row naming another university is refused, field university; so is a person on another university's roster, field national_id). The national admin imports into the university the query names (a person on another university's roster moves there), else into the one each row's university column names (the default university when empty).",
    security(("staffSession" = [], "csrfToken" = [])),
    params(UniversityQuery),
    request_body(content = RosterCsv, content_type = "text/csv"),
    responses(
        (status = 200, description = "Imported: the counts.", body = RosterImported),
        (status = 401, description = "NOT_SIGNED_IN", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED or FORBIDDEN", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE (5 MiB)", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE: not text/csv.", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT: every bad row by line and field (a student number that belongs to another person at the same university, a row at a university this import may not file at, a person on another university's roster in a university admin's import); or a query naming no university, or another than a university admin's (field university). Nothing imported.", body = RosterRejected),
    ))]
fn admin_roster() {}

#[utoipa::path(get, path = "/api/v1/signin/methods", operation_id = "signinMethods", tag = "signin",
    summary = "How a person may sign in here: roster is true when the roster (the university's, \
with the university query) has anyone (POST /api/v1/signin/code), providers are the configured \
OpenID providers (pishkhan.toml) — those that serve the university, with the query — with their \
names, the processes each signs in for and the universities it serves \
(GET /api/v1/signin/oidc/{provider}/start).",
    params(UniversityQuery),
    responses(
        (status = 200, description = "The sign-in methods.", body = SigninMethods),
        (status = 422, description = "INVALID_INPUT (field university): no university has this code.", body = ErrorBody),
    ))]
fn signin_methods() {}

#[utoipa::path(post, path = "/api/v1/signin/code", operation_id = "signinCode", tag = "signin",
    summary = "Sends a 6-digit sign-in code (5 minutes, 5 tries) by SMS to the mobile the roster has for this person. The same 202 whether or not the person is on the roster. Limited per client address (with the lookups) and per person (3 per 15 minutes).",
    request_body = SigninCode,
    responses(
        (status = 202, description = "Sent, if the person is on the roster.", body = SigninCodeSent),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT: neither or both of national_id and student_number, or a bad one; a university code no university has.", body = ErrorBody),
        (status = 429, description = "RATE_LIMITED (Retry-After)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "seconds"))),
    ))]
fn signin_code() {}

#[utoipa::path(post, path = "/api/v1/signin/verify", operation_id = "signinVerify", tag = "signin",
    summary = "Exchanges the code for a person session (30 minutes from sign-in) and its cookie. Limited per client address with the lookups.",
    request_body = SigninVerify,
    responses(
        (status = 200, description = "Signed in.", body = PersonSession,
            headers(("Set-Cookie" = String, description = "pishkhan_person=<token>; HttpOnly; SameSite=Lax; Path=/api; Max-Age=1800 (; Secure with serve --secure-cookies)"))),
        (status = 401, description = "CODE_INVALID (field code): the one answer for a wrong, expired, used-up or never-sent code, and for someone not on the roster.", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT", body = ErrorBody),
        (status = 429, description = "RATE_LIMITED (Retry-After)", body = ErrorBody),
    ))]
fn signin_verify() {}

#[utoipa::path(get, path = "/api/v1/signin/me", operation_id = "signinMe", tag = "signin",
    summary = "The signed-in person and the session's CSRF token.",
    security(("personSession" = [])),
    responses(
        (status = 200, description = "Signed in.", body = PersonSession),
        (status = 401, description = "SIGN_IN_REQUIRED", body = ErrorBody),
    ))]
fn signin_me() {}

#[utoipa::path(post, path = "/api/v1/signin/logout", operation_id = "signinLogout", tag = "signin",
    summary = "Sign out: the person session is ended on the server and the cookie cleared. When an \
OpenID provider that offers RP-initiated logout signed the person in, end_session_url is where to \
end the provider's session too (its end_session_endpoint with id_token_hint, client_id and \
post_logout_redirect_uri, the site's start page); a kiosk goes there.",
    security(("personSession" = [], "csrfToken" = [])),
    responses(
        (status = 200, description = "Signed out.", body = SignedOut,
            headers(("Set-Cookie" = String, description = "pishkhan_person=; …; Max-Age=0"))),
        (status = 401, description = "SIGN_IN_REQUIRED", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED", body = ErrorBody),
    ))]
fn signin_logout() {}
#[utoipa::path(get, path = "/api/v1/signin/requests", operation_id = "signinRequests", tag = "signin",
    summary = "My requests: every request filed under the signed-in person's national ID, from any \
device and by anyone (a police office's A2 too), newest first, with its state and its receipt as \
given at filing.",
    security(("personSession" = [])),
    responses(
        (status = 200, description = "The person's requests (none: an empty list).", body = MyRequests),
        (status = 401, description = "SIGN_IN_REQUIRED", body = ErrorBody),
    ))]
fn signin_requests() {}

#[utoipa::path(post, path = "/api/v1/signin/requests/open", operation_id = "signinOpenRequest", tag = "signin",
    summary = "Opens one of the signed-in person's requests to act on it: the same applicant session \
a one-time code gives (POST /api/v1/applicant/session), with no code; then the applicant \
operations with Authorization: Bearer <token>.",
    security(("personSession" = [], "csrfToken" = [])),
    request_body = OpenMyRequest,
    responses(
        (status = 200, description = "The applicant session on that request (30 minutes).", body = ApplicantSession),
        (status = 401, description = "SIGN_IN_REQUIRED", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED", body = ErrorBody),
        (status = 404, description = "NOT_FOUND (field tracking_code): the same for a code no request has and for someone else's request.", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT: no tracking code, or not a valid one (field tracking_code).", body = ErrorBody),
    ))]
fn signin_open_request() {}

#[utoipa::path(get, path = "/api/v1/signin/reminders", operation_id = "signinReminders", tag = "signin",
    summary = "Whether the signed-in person gets deadline reminders by SMS (the Art. 34 presentation \
deadline, an issued exemption's end, a withdrawal's revocation window closing: docs/reminders.md); \
on unless they turned them off.",
    security(("personSession" = [])),
    responses(
        (status = 200, description = "The person's setting.", body = ReminderSetting),
        (status = 401, description = "SIGN_IN_REQUIRED", body = ErrorBody),
    ))]
fn signin_reminders() {}

#[utoipa::path(put, path = "/api/v1/signin/reminders", operation_id = "signinSetReminders", tag = "signin",
    summary = "Turns the signed-in person's deadline reminders off (enabled: false) or on again \
(enabled: true). Kept by an HMAC of the national ID under the server key; a reminder due while \
they were off is sent once they are on again, if still before its deadline.",
    security(("personSession" = [], "csrfToken" = [])),
    request_body = SetReminders,
    responses(
        (status = 200, description = "The person's setting now.", body = ReminderSetting),
        (status = 401, description = "SIGN_IN_REQUIRED", body = ErrorBody),
        (status = 403, description = "CSRF_FAILED", body = ErrorBody),
        (status = 413, description = "PAYLOAD_TOO_LARGE", body = ErrorBody),
        (status = 415, description = "UNSUPPORTED_MEDIA_TYPE", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT: enabled missing or not true/false (field enabled).", body = ErrorBody),
    ))]
fn signin_set_reminders() {}

#[utoipa::path(get, path = "/api/v1/signin/oidc/{provider}/start", operation_id = "oidcStart", tag = "signin",
    summary = "Starts a sign-in at a configured OpenID provider (pishkhan.toml, [[oidc.providers]]): \
redirects (303) to its authorization endpoint (Authorization Code, PKCE S256, state, nonce; the \
sign-in is kept for 10 minutes, usable once; fresh=true, at a kiosk, adds prompt=login and \
max_age=0). With no provider of this id configured — as when \
the server runs without --config — the answer is 404 naming `provider`.",
    params(("provider" = String, Path, description = "The provider's id in pishkhan.toml."), OidcStartQuery),
    responses(
        (status = 303, description = "To the provider.",
            headers(("Location" = String, description = "The provider's authorization URL."))),
        (status = 400, description = "BAD_REQUEST: a query parameter given twice or malformed.", body = ErrorBody),
        (status = 404, description = "NOT_FOUND: no provider of this id is configured (field `provider`).", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT: return_to is not a path of this site (field `return_to`).", body = ErrorBody),
        (status = 502, description = "PROVIDER_ERROR: the provider's discovery failed (field `provider`).", body = ErrorBody),
    ))]
fn oidc_start() {}

#[utoipa::path(get, path = "/api/v1/signin/oidc/callback", operation_id = "oidcCallback", tag = "signin",
    summary = "The provider sends the person back here. The state is consumed (once), the code \
exchanged with the PKCE verifier, the ID token verified (signature against the provider's JWKS, \
issuer, audience, nonce, expiry) and its claims read; then 303 to the sign-in's return_to, with \
nothing personal in the URL, and the person session's cookie set (the token's identity, with \
what the roster adds when it has the person: docs/signin.md).",
    params(OidcCallbackQuery),
    responses(
        (status = 303, description = "Signed in: to the sign-in's return_to.",
            headers(("Location" = String, description = "The return_to given to the start."),
                ("Set-Cookie" = String, description = "pishkhan_person=<token>; HttpOnly; SameSite=Lax; Path=/api; Max-Age=1800 (; Secure with serve --secure-cookies)"))),
        (status = 400, description = "BAD_STATE (field `state`): unknown, expired or already used; \
SIGNIN_CANCELLED (field `error`): the provider answered with an error; BAD_REQUEST: a query \
parameter given twice or malformed.", body = ErrorBody),
        (status = 422, description = "INVALID_INPUT: state, or code, missing; CLAIM_INVALID: the \
identity lacks a claim or has an invalid one (field `national_id`, `student_number` or `mobile`, \
the message names the provider's claim).", body = ErrorBody),
        (status = 502, description = "PROVIDER_ERROR (field `provider`): the token endpoint \
refused the code or this client, or could not be reached; ID_TOKEN_INVALID (field `id_token`): \
the ID token failed verification.", body = ErrorBody),
    ))]
fn oidc_callback() {}
