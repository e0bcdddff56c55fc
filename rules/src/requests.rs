//! The three requests a student files (`shared/spec/processes.md`): the educational exemption
//! (seed 000, path A1), withdrawal from study (seed 001, step 1) and clearance (seed 002, step 1).
//! Raw JSON as the form sends it, the validated request, and every problem named by field — the
//! same checks in the browser (before submitting) and on the server (which never trusts it).

use serde::{Deserialize, Serialize};

use crate::attachment::{MediaType, MAX_ATTACHMENT_BYTES};
use crate::contract::{date_field, level_field, required, Count, InputError};
use crate::date::JalaliDate;
use crate::digits::to_ascii_digits;
use crate::identity::{IdentityError, Mobile, NationalId, PostalCode};
use crate::level::Level;
use crate::params::{self, Limit};
use crate::precheck::{precheck, PrecheckInput, PrecheckOutcome};
use crate::reason::Verdict;

/// Which request.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RequestKind {
    Exemption,
    Withdrawal,
    Clearance,
}

/// Every problem found, in field order (a form shows them all at once).
#[derive(Default, Debug)]
struct Problems(Vec<InputError>);

impl Problems {
    fn take<T>(&mut self, result: Result<T, InputError>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }

    fn finish<T>(self, value: Option<T>) -> Result<T, Vec<InputError>> {
        match value {
            Some(v) if self.0.is_empty() => Ok(v),
            _ => Err(self.0),
        }
    }
}

/// A required free-text answer: trimmed, not empty, at most `max` characters.
fn text(value: Option<&str>, field: &str, max: usize) -> Result<String, InputError> {
    let value = required(value.map(str::trim).filter(|v| !v.is_empty()), field)?;
    if value.chars().count() > max {
        return Err(InputError::new(
            Some(field),
            format!("{field}: at most {max} characters."),
            crate::digits::to_persian_digits(&format!("{field}: حداکثر {max} نویسه.")),
        ));
    }
    Ok(value.to_owned())
}

/// An optional free-text answer (empty counts as not given).
fn optional_text(
    value: Option<&str>,
    field: &str,
    max: usize,
) -> Result<Option<String>, InputError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        some => text(some, field, max).map(Some),
    }
}

fn identity<T>(
    value: Option<&str>,
    field: &str,
    parse: fn(&str) -> Result<T, IdentityError>,
) -> Result<T, InputError> {
    parse(required(value, field)?).map_err(|e| {
        InputError::new(
            Some(field),
            format!("{field}: {}", e.message_en()),
            format!("{field}: {}", e.message_fa()),
        )
    })
}

/// A file the request refers to, already uploaded: its digest, type and size.
#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawAttachment {
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "\\S", max_length = 255))]
    pub file_name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::attachment::MediaType))]
    pub media_type: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::FileSize))]
    pub size: Option<Count>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9a-fA-F]{64}$"))]
    pub sha256: Option<String>,
}

/// A validated attachment reference.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Attachment {
    pub file_name: String,
    pub media_type: MediaType,
    pub size: u64,
    pub sha256: String,
}

fn attachment(raw: Option<RawAttachment>, field: &str) -> Result<Attachment, InputError> {
    let raw = required(raw, field)?;
    let sub = |name: &str| format!("{field}.{name}");
    let file_name = text(raw.file_name.as_deref(), &sub("file_name"), 255)?;
    let media_type = required(raw.media_type.as_deref(), &sub("media_type")).and_then(|m| {
        MediaType::from_mime(m).ok_or_else(|| {
            InputError::new(
                Some(&sub("media_type")),
                format!("{}: only PDF, JPEG or PNG.", sub("media_type")),
                format!("{}: فقط PDF، JPEG یا PNG.", sub("media_type")),
            )
        })
    })?;
    let size = u64::from(required(raw.size, &sub("size"))?.0);
    if size == 0 || size > MAX_ATTACHMENT_BYTES {
        return Err(InputError::new(
            Some(&sub("size")),
            format!(
                "{}: must be 1 to {MAX_ATTACHMENT_BYTES} bytes.",
                sub("size")
            ),
            crate::digits::to_persian_digits(&format!(
                "{}: باید بین ۱ و {MAX_ATTACHMENT_BYTES} بایت باشد.",
                sub("size")
            )),
        ));
    }
    let sha256 = required(raw.sha256.as_deref(), &sub("sha256"))?.to_ascii_lowercase();
    if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(InputError::new(
            Some(&sub("sha256")),
            format!("{}: 64 hexadecimal digits.", sub("sha256")),
            format!("{}: باید ۶۴ رقم شانزده‌شانزدهی باشد.", sub("sha256")),
        ));
    }
    Ok(Attachment {
        file_name,
        media_type,
        size,
        sha256,
    })
}

// ---------------------------------------------------------------------------------------------
// Exemption request (seed 000, A1)

/// The exemption request as the form sends it. The pre-check answers travel with it, so the
/// system check of step 5 runs on exactly what was filed; they repeat `RawPrecheck`'s fields
/// because serde cannot flatten a struct into one that denies unknown fields.
#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawExemptionRequest {
    /// Must be true: without a Sakha code the request is filed at a police e-services office.
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub has_sakha_code: Option<bool>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::NationalIdText))]
    pub national_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::MobileText))]
    pub mobile: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub sms_opt_in: Option<bool>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "\\S", max_length = 100))]
    pub residence_province: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "\\S", max_length = 100))]
    pub residence_city: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "\\S", max_length = 500))]
    pub residence_address: Option<String>,
    /// 10 digits, any script; empty counts as not given.
    #[cfg_attr(
        feature = "openapi",
        schema(
            value_type = Option<String>,
            pattern = "^(\\s*|[ \\-\u{200C}]*([0-9\u{06F0}-\u{06F9}\u{0660}-\u{0669}][ \\-\u{200C}]*){10})$"
        )
    )]
    pub postal_code: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 500))]
    pub relatives: Option<String>,
    /// `diploma` or a university level id (not `school`).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub previous_level: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::JalaliDateText))]
    pub previous_graduation: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "\\S", max_length = 200))]
    pub university: Option<String>,
    /// A university level (not `school`).
    #[cfg_attr(feature = "openapi", schema(value_type = crate::Level))]
    pub level: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::JalaliDateText))]
    pub study_start: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "\\S", max_length = 200))]
    pub field_of_study: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 200))]
    pub specialisation: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::JalaliDateText>))]
    pub birth_date: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub institution_approved: Option<bool>,
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub unjustified_absence: Option<bool>,
    pub prior_exemption_same_level: Option<bool>,
    pub withdrew_from_same_level: Option<bool>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::CountValue>))]
    pub withdrawn_renewals_used: Option<Count>,
    pub commission_extension: Option<bool>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 2000))]
    pub justification: Option<String>,
}

/// A validated exemption request.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct ExemptionRequest {
    pub national_id: NationalId,
    pub mobile: Mobile,
    pub sms_opt_in: bool,
    pub residence_province: String,
    pub residence_city: String,
    pub residence_address: String,
    pub postal_code: Option<PostalCode>,
    pub relatives: Option<String>,
    /// `diploma`, or the id of the previous university level.
    pub previous_level: String,
    pub previous_graduation: JalaliDate,
    pub university: String,
    pub level: Level,
    pub study_start: JalaliDate,
    pub field_of_study: String,
    pub specialisation: Option<String>,
    /// Given when the pre-check says no: the applicant's justification request (seed 000 step 5).
    pub justification: Option<String>,
}

/// Seed 000, A1 steps 1–5: checks every answer of an exemption request and runs the pre-check of
/// `rules.md` §3 on it (as of `today`). Without a Sakha code the request cannot be filed online
/// (step 1); an ineligible applicant must give a justification, which goes to the conscription
/// deputy (step 5, "no").
pub fn check_exemption(
    raw: RawExemptionRequest,
    today: JalaliDate,
) -> Result<(ExemptionRequest, PrecheckOutcome), Vec<InputError>> {
    let mut p = Problems::default();
    if raw.has_sakha_code != Some(true) {
        p.0.push(InputError::new(
            Some("has_sakha_code"),
            "has_sakha_code: without a Sakha code the request is filed at a police e-services office.",
            "has_sakha_code: بدون کد سخا، درخواست در دفاتر خدمات الکترونیک انتظامی ثبت می‌شود.",
        ));
    }
    let national_id = p.take(identity(
        raw.national_id.as_deref(),
        "national_id",
        NationalId::parse,
    ));
    let mobile = p.take(identity(raw.mobile.as_deref(), "mobile", Mobile::parse));
    let sms_opt_in = p.take(required(raw.sms_opt_in, "sms_opt_in"));
    let residence_province = p.take(text(
        raw.residence_province.as_deref(),
        "residence_province",
        100,
    ));
    let residence_city = p.take(text(raw.residence_city.as_deref(), "residence_city", 100));
    let residence_address = p.take(text(
        raw.residence_address.as_deref(),
        "residence_address",
        500,
    ));
    let postal_code = p.take(
        raw.postal_code
            .as_deref()
            .filter(|v| !v.trim().is_empty())
            .map(|v| identity(Some(v), "postal_code", PostalCode::parse))
            .transpose(),
    );
    let relatives = p.take(optional_text(raw.relatives.as_deref(), "relatives", 500));
    let previous_level = p.take(
        required(raw.previous_level.as_deref(), "previous_level").and_then(|v| {
            if v == "diploma" || Level::from_id(v).is_some_and(|l| l != Level::School) {
                Ok(v.to_owned())
            } else {
                Err(InputError::new(
                    Some("previous_level"),
                    format!("previous_level: {v:?} is neither diploma nor a university level."),
                    format!("previous_level: «{v}» نه دیپلم است و نه مقطع دانشگاهی."),
                ))
            }
        }),
    );
    let previous_graduation = p.take(
        date_field(raw.previous_graduation.as_deref(), "previous_graduation")
            .and_then(|d| required(d, "previous_graduation")),
    );
    let university = p.take(text(raw.university.as_deref(), "university", 200));
    let level = p.take(level_field(raw.level.as_deref(), "level").and_then(|l| {
        if l == Level::School {
            Err(InputError::new(
                Some("level"),
                "level: the request is for university levels.",
                "level: این درخواست برای مقاطع دانشگاهی است.",
            ))
        } else {
            Ok(l)
        }
    }));
    let study_start = p.take(
        date_field(raw.study_start.as_deref(), "study_start")
            .and_then(|d| required(d, "study_start")),
    );
    let field_of_study = p.take(text(raw.field_of_study.as_deref(), "field_of_study", 200));
    let specialisation = p.take(optional_text(
        raw.specialisation.as_deref(),
        "specialisation",
        200,
    ));
    let birth_date = p
        .take(date_field(raw.birth_date.as_deref(), "birth_date"))
        .flatten();
    let institution_approved = p.take(required(raw.institution_approved, "institution_approved"));
    let unjustified_absence = p.take(required(raw.unjustified_absence, "unjustified_absence"));
    let justification = p.take(optional_text(
        raw.justification.as_deref(),
        "justification",
        2000,
    ));

    let (
        Some(level),
        Some(study_start),
        Some(previous_graduation),
        Some(institution_approved),
        Some(unjustified_absence),
    ) = (
        level,
        study_start,
        previous_graduation,
        institution_approved,
        unjustified_absence,
    )
    else {
        return Err(p.0);
    };
    let outcome = precheck(&PrecheckInput {
        today,
        level,
        birth_date,
        study_start: Some(study_start),
        previous_graduation: Some(previous_graduation),
        institution_approved,
        unjustified_absence,
        prior_exemption_same_level: raw.prior_exemption_same_level.unwrap_or(false),
        withdrew_from_same_level: raw.withdrew_from_same_level.unwrap_or(false),
        withdrawn_renewals_used: raw.withdrawn_renewals_used.map_or(0, |c| c.0),
        commission_extension: raw.commission_extension.unwrap_or(false),
        abroad: None,
    });
    let justification = justification.flatten();
    if outcome.verdict == Verdict::Ineligible && justification.is_none() {
        p.0.push(InputError::new(
            Some("justification"),
            "justification: the pre-check says no; write why the exemption should still be issued.",
            "justification: بررسی اولیه منفی است؛ بنویسید چرا باید معافیت صادر شود.",
        ));
    }
    let request = (|| {
        Some(ExemptionRequest {
            national_id: national_id?,
            mobile: mobile?,
            sms_opt_in: sms_opt_in?,
            residence_province: residence_province?,
            residence_city: residence_city?,
            residence_address: residence_address?,
            postal_code: postal_code?,
            relatives: relatives?,
            previous_level: previous_level?,
            previous_graduation,
            university: university?,
            level,
            study_start,
            field_of_study: field_of_study?,
            specialisation: specialisation?,
            justification: justification.clone(),
        })
    })();
    p.finish(request.map(|r| (r, outcome)))
}

// ---------------------------------------------------------------------------------------------
// Withdrawal request (seed 001, step 1)

/// What happened to the student card (seed 001, step 1 and its note).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StudentCard {
    HandedIn,
    Lost,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawWithdrawalRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^\\s*[0-9A-Za-z\u{06F0}-\u{06F9}\u{0660}-\u{0669}]{5,20}\\s*$"))]
    pub student_number: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "\\S", max_length = 200))]
    pub faculty: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::Level))]
    pub level: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "\\S", max_length = 1000))]
    pub reason: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = RawAttachment))]
    pub withdrawal_form: Option<RawAttachment>,
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub early_withdrawal: Option<bool>,
    pub early_withdrawal_form: Option<RawAttachment>,
    #[cfg_attr(feature = "openapi", schema(value_type = StudentCard))]
    pub student_card: Option<StudentCard>,
    pub duplicate_card_requested: Option<bool>,
    pub notarised_undertaking: Option<RawAttachment>,
}

/// A validated withdrawal request.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct WithdrawalRequest {
    pub student_number: String,
    pub faculty: String,
    pub level: Level,
    pub reason: String,
    pub withdrawal_form: Attachment,
    pub early_withdrawal: bool,
    pub early_withdrawal_form: Option<Attachment>,
    pub student_card: StudentCard,
    pub notarised_undertaking: Option<Attachment>,
}

/// Seed 001, step 1: the withdrawal form is always uploaded, the early-withdrawal form too when
/// withdrawing before the due time; the student card is handed in, or — lost — a duplicate-card
/// request is filed and a notarised undertaking uploaded instead (note 1).
pub fn check_withdrawal(raw: RawWithdrawalRequest) -> Result<WithdrawalRequest, Vec<InputError>> {
    let mut p = Problems::default();
    let student_number = p.take(
        required(raw.student_number.as_deref(), "student_number").and_then(|v| {
            let v = to_ascii_digits(v.trim());
            if (5..=20).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric()) {
                Ok(v)
            } else {
                Err(InputError::new(
                    Some("student_number"),
                    "student_number: 5 to 20 letters or digits.",
                    "student_number: شماره دانشجویی باید ۵ تا ۲۰ رقم یا حرف لاتین باشد.",
                ))
            }
        }),
    );
    let faculty = p.take(text(raw.faculty.as_deref(), "faculty", 200));
    let level = p.take(level_field(raw.level.as_deref(), "level"));
    let reason = p.take(text(raw.reason.as_deref(), "reason", 1000));
    let withdrawal_form = p.take(attachment(raw.withdrawal_form, "withdrawal_form"));
    let early_withdrawal = p.take(required(raw.early_withdrawal, "early_withdrawal"));
    let early_withdrawal_form = match early_withdrawal {
        Some(true) => p
            .take(attachment(
                raw.early_withdrawal_form,
                "early_withdrawal_form",
            ))
            .map(Some),
        _ => Some(None),
    };
    let student_card = p.take(required(raw.student_card, "student_card"));
    let notarised_undertaking = match student_card {
        Some(StudentCard::Lost) => {
            if raw.duplicate_card_requested != Some(true) {
                p.0.push(InputError::new(
                    Some("duplicate_card_requested"),
                    "duplicate_card_requested: a lost card needs a duplicate-card request.",
                    "duplicate_card_requested: برای کارت گم‌شده باید درخواست کارت المثنی ثبت شود.",
                ));
            }
            p.take(attachment(
                raw.notarised_undertaking,
                "notarised_undertaking",
            ))
            .map(Some)
        }
        _ => Some(None),
    };
    let request = (|| {
        Some(WithdrawalRequest {
            student_number: student_number?,
            faculty: faculty?,
            level: level?,
            reason: reason?,
            withdrawal_form: withdrawal_form?,
            early_withdrawal: early_withdrawal?,
            early_withdrawal_form: early_withdrawal_form?,
            student_card: student_card?,
            notarised_undertaking: notarised_undertaking?,
        })
    })();
    p.finish(request)
}

/// What a withdrawal submitted on a given day will lead to, shown before submitting.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub struct WithdrawalPreview {
    /// The last day to take the withdrawal back (note 2).
    pub revocation_deadline: JalaliDate,
    /// The first day the final ruling may be issued.
    pub final_ruling_from: JalaliDate,
    /// The presentation deadline of Art. 34 n.1 if the ruling comes on its first possible day;
    /// a later ruling moves it later by as much.
    pub present_by_earliest: JalaliDate,
}

/// The revocation deadline (note 2 of the withdrawal procedure) and the Art. 34 presentation
/// deadline that follows the ruling, for a withdrawal submitted on `submitted`.
pub fn withdrawal_preview(submitted: JalaliDate) -> WithdrawalPreview {
    let revocation =
        crate::revocation::withdrawal_revocation_n2(&crate::revocation::RevocationInput {
            today: submitted,
            submitted,
            revocations_used: 0,
        });
    let months = params::value(
        Limit::PresentationWindowMonths,
        revocation.final_ruling_from,
    );
    WithdrawalPreview {
        revocation_deadline: revocation.revocation_deadline,
        final_ruling_from: revocation.final_ruling_from,
        present_by_earliest: revocation.final_ruling_from.add_months(months as i32),
    }
}

// ---------------------------------------------------------------------------------------------
// Clearance request (seed 002)

/// Why the student clears accounts (seed 002, step 1).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ClearanceReason {
    Expulsion,
    Withdrawal,
    NotRegistered,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawClearanceRequest {
    #[cfg_attr(feature = "openapi", schema(value_type = ClearanceReason))]
    pub reason: Option<ClearanceReason>,
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub evening_course: Option<bool>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
pub struct ClearanceRequest {
    pub reason: ClearanceReason,
    pub evening_course: bool,
}

pub fn check_clearance(raw: RawClearanceRequest) -> Result<ClearanceRequest, Vec<InputError>> {
    let mut p = Problems::default();
    let reason = p.take(required(raw.reason, "reason"));
    let evening_course = p.take(required(raw.evening_course, "evening_course"));
    let request = reason
        .zip(evening_course)
        .map(|(reason, evening_course)| ClearanceRequest {
            reason,
            evening_course,
        });
    p.finish(request)
}

/// One office a clearance passes through, and what its expert records there. The list is
/// configuration (universities differ); [`default_offices`] is seed 002's.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClearanceOffice {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9_-]{1,64}$"))]
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 100))]
    pub name_fa: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "\\S", max_length = 100))]
    pub name_en: String,
    /// The expert receives the student card here.
    #[serde(default)]
    pub receives_student_card: bool,
    /// The expert records the student's debt here.
    #[serde(default)]
    pub records_debt: bool,
    /// The expert also records the instalments' start and end dates.
    #[serde(default)]
    pub records_instalments: bool,
    /// Only evening-course students pass through this office.
    #[serde(default)]
    pub evening_course_only: bool,
}

/// Seed 002, steps 2–11.
pub fn default_offices() -> Vec<ClearanceOffice> {
    let office = |id: &str, fa: &str, en: &str| ClearanceOffice {
        id: id.into(),
        name_fa: fa.into(),
        name_en: en.into(),
        receives_student_card: false,
        records_debt: false,
        records_instalments: false,
        evening_course_only: false,
    };
    vec![
        ClearanceOffice {
            receives_student_card: true,
            ..office("department", "کارشناس بخش", "Department expert")
        },
        office("kharazmi_library", "کتابخانه خوارزمی", "Kharazmi library"),
        office(
            "mirza_shirazi_library",
            "کتابخانه میرزای شیرازی",
            "Mirza-ye Shirazi library",
        ),
        office(
            "molla_sadra_library",
            "کتابخانه ملاصدرا",
            "Molla Sadra library",
        ),
        office("counselling_centre", "مرکز مشاوره", "Counselling centre"),
        office("food_service", "اداره تغذیه", "Food-service office"),
        office(
            "student_accounting",
            "حسابداری دانشجویی",
            "Student accounting",
        ),
        ClearanceOffice {
            records_debt: true,
            ..office("dormitory", "اداره خوابگاه‌ها", "Dormitory office")
        },
        ClearanceOffice {
            records_debt: true,
            records_instalments: true,
            ..office("welfare", "اداره رفاه", "Welfare office")
        },
        ClearanceOffice {
            evening_course_only: true,
            ..office(
                "evening_course_accounting",
                "حسابداری نوبت دوم",
                "Evening-course accounting",
            )
        },
    ]
}

/// The offices a request passes through, in order: all of them, except the evening-course-only
/// ones for other students.
pub fn clearance_route(offices: &[ClearanceOffice], evening_course: bool) -> Vec<&ClearanceOffice> {
    offices
        .iter()
        .filter(|o| evening_course || !o.evening_course_only)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn today() -> JalaliDate {
        JalaliDate::new(1403, 7, 15).unwrap()
    }

    fn exemption() -> serde_json::Value {
        json!({
            "has_sakha_code": true, "national_id": "۰۰۸۴۵۷۵۹۴۸", "mobile": "+989121234567", "sms_opt_in": true,
            "residence_province": "تهران", "residence_city": "تهران", "residence_address": "خیابان انقلاب",
            "previous_level": "diploma", "previous_graduation": "1403-04-31", "university": "دانشگاه تهران",
            "level": "bachelor_continuous", "study_start": "1403-07-01", "field_of_study": "ریاضی",
            "institution_approved": true, "unjustified_absence": false
        })
    }

    fn raw<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_complete_exemption_request_passes_and_runs_the_precheck() {
        let (request, outcome) = check_exemption(raw(exemption()), today()).unwrap();
        assert_eq!(request.national_id.as_str(), "0084575948");
        assert_eq!(request.mobile.as_str(), "09121234567");
        assert_eq!(outcome.verdict, Verdict::Eligible);
        assert_eq!(outcome.exemption_until.unwrap().to_machine(), "1408-07-01");
    }

    #[test]
    fn every_problem_of_an_exemption_request_is_named() {
        let mut v = exemption();
        v["has_sakha_code"] = json!(false);
        v["national_id"] = json!("0084575949");
        v["mobile"] = json!("0812345678");
        v["residence_city"] = json!("  ");
        v["study_start"] = json!("1404-12-30");
        let errors = check_exemption(raw(v), today()).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.clone().unwrap()).collect();
        assert_eq!(
            fields,
            [
                "has_sakha_code",
                "national_id",
                "mobile",
                "residence_city",
                "study_start"
            ]
        );
    }

    #[test]
    fn an_ineligible_applicant_must_justify() {
        let mut v = exemption();
        v["previous_graduation"] = json!("1401-04-31");
        let errors = check_exemption(raw(v.clone()), today()).unwrap_err();
        assert_eq!(errors[0].field.as_deref(), Some("justification"));
        v["justification"] = json!("بیماری طولانی در سال ۱۴۰۲؛ گواهی پزشکی پیوست است.");
        let (_, outcome) = check_exemption(raw(v), today()).unwrap();
        assert_eq!(outcome.verdict, Verdict::Ineligible);
    }

    fn file(name: &str) -> serde_json::Value {
        json!({"file_name": name, "media_type": "application/pdf", "size": 120_000, "sha256": "ab".repeat(32)})
    }

    #[test]
    fn withdrawal_needs_the_early_form_and_the_undertaking_when_they_apply() {
        let base = json!({"student_number": "۹۸۱۲۳۴۵۶", "faculty": "فنی", "level": "bachelor_continuous",
            "reason": "کار", "withdrawal_form": file("form.pdf"), "early_withdrawal": false, "student_card": "handed_in"});
        let ok = check_withdrawal(raw(base.clone())).unwrap();
        assert_eq!(ok.student_number, "98123456");
        let mut v = base.clone();
        v["early_withdrawal"] = json!(true);
        v["student_card"] = json!("lost");
        let fields: Vec<_> = check_withdrawal(raw(v))
            .unwrap_err()
            .into_iter()
            .map(|e| e.field.unwrap())
            .collect();
        assert_eq!(
            fields,
            [
                "early_withdrawal_form",
                "duplicate_card_requested",
                "notarised_undertaking"
            ]
        );
        let mut v = base;
        v["withdrawal_form"]["media_type"] = json!("text/html");
        assert_eq!(
            check_withdrawal(raw(v)).unwrap_err()[0].field.as_deref(),
            Some("withdrawal_form.media_type")
        );
    }

    #[test]
    fn withdrawal_preview_gives_both_deadlines() {
        let p = withdrawal_preview(JalaliDate::new(1403, 10, 30).unwrap());
        assert_eq!(p.revocation_deadline.to_machine(), "1403-12-30");
        assert_eq!(p.final_ruling_from.to_machine(), "1404-01-01");
        assert_eq!(p.present_by_earliest.to_machine(), "1405-01-01");
    }

    #[test]
    fn clearance_passes_evening_accounting_only_for_evening_students() {
        let offices = default_offices();
        assert_eq!(offices.len(), 10);
        assert_eq!(clearance_route(&offices, false).len(), 9);
        assert_eq!(
            clearance_route(&offices, true).last().unwrap().id,
            "evening_course_accounting"
        );
        assert!(offices.iter().any(|o| o.records_instalments));
        let err = check_clearance(raw(json!({"reason": "withdrawal"}))).unwrap_err();
        assert_eq!(err[0].field.as_deref(), Some("evening_course"));
        assert!(check_clearance(raw(
            json!({"reason": "not_registered", "evening_course": true})
        ))
        .is_ok());
    }
}
