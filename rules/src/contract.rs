//! The JSON contract (`rules.md` §8): raw input structs as they arrive, their validation into the
//! typed inputs of the rules, and the error that names the bad field. The CLI, the HTTP API and
//! the browser all answer through [`Tool::answer`].

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::date::JalaliDate;
use crate::digits::parse_number;
use crate::discharge::{discharge_for_study_art35_n2, DischargeInput};
use crate::level::{Level, StudyEnd};
use crate::precheck::{precheck, Abroad, PrecheckInput};
use crate::presentation::{presentation_deadline_art34_n1, PresentationInput};
use crate::revocation::{withdrawal_revocation_n2, RevocationInput};
use crate::travel::{travel_abroad_art103, TravelInput};

/// Bad input: which field (dotted path, `None` for the whole value) and why, in both languages.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct InputError {
    pub field: Option<String>,
    pub message_en: String,
    pub message_fa: String,
}

impl InputError {
    pub fn new(
        field: Option<&str>,
        message_en: impl Into<String>,
        message_fa: impl Into<String>,
    ) -> Self {
        InputError {
            field: field.map(str::to_owned),
            message_en: message_en.into(),
            message_fa: message_fa.into(),
        }
    }

    pub(crate) fn missing(field: &str) -> Self {
        Self::new(
            Some(field),
            format!("{field}: this field is required."),
            format!("{field}: این فیلد لازم است."),
        )
    }

    /// The contract's error body: `{"error":{"code":"INVALID_INPUT","field","message",…}}`, where
    /// `message` is the English text, also given as `message_en` beside `message_fa`.
    pub fn to_json(&self) -> Value {
        json!({"error": {
            "code": "INVALID_INPUT",
            "field": self.field,
            "message": self.message_en,
            "message_fa": self.message_fa,
            "message_en": self.message_en,
        }})
    }

    /// Turns a serde error at a path into an error naming that field.
    fn from_serde(err: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let path = err.path().to_string();
        let inner = err.into_inner().to_string();
        if let Some(rest) = inner.strip_prefix("unknown field `") {
            // The path already ends with the unknown key.
            let name = rest.split('`').next().unwrap_or_default();
            let field = if path == "." { name.to_owned() } else { path };
            return Self::new(
                Some(&field),
                format!("{field}: unknown field."),
                format!("{field}: این فیلد شناخته‌شده نیست."),
            );
        }
        let field = (path != ".").then_some(path.as_str());
        let expected_fa = if inner.contains("expected a boolean") {
            "باید true یا false باشد"
        } else if inner.contains("expected a string") {
            "باید متن باشد"
        } else if inner.contains("expected a count") {
            "باید عدد صحیح صفر یا بیشتر باشد"
        } else if inner.contains("expected struct") || inner.contains("expected a map") {
            "باید یک شیء JSON باشد"
        } else {
            "مقدار پذیرفته نیست"
        };
        let label = field.unwrap_or("input");
        Self::new(
            field,
            format!("{label}: {inner}."),
            format!("{label}: {expected_fa}."),
        )
    }
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message_en)
    }
}

impl std::error::Error for InputError {}

/// A non-negative count given as a JSON number or as digits in a string (any digit script).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Count(pub u32);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Count;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a count (a whole number, 0 or more)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Count, E> {
                u32::try_from(v)
                    .map(Count)
                    .map_err(|_| E::custom("expected a count below 4294967296"))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Count, E> {
                u64::try_from(v)
                    .map_err(|_| {
                        E::custom(
                            "expected a count (a whole number, 0 or more), not a negative number",
                        )
                    })
                    .and_then(|v| self.visit_u64(v))
            }
            // A whole number written with a fraction (`3.0`) is that number, as in JSON Schema.
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Count, E> {
                match whole(v) {
                    // Negative: the same error as a negative integer.
                    Some(n) if n < 0 => self.visit_i64(-1),
                    Some(n) => self.visit_u64(u64::try_from(n).unwrap_or(u64::MAX)),
                    None => Err(E::custom(format!(
                        "expected a count (a whole number, 0 or more), not {v}"
                    ))),
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Count, E> {
                parse_number(v)
                    .ok_or_else(|| {
                        E::custom(format!(
                            "expected a count (a whole number, 0 or more), not {v:?}"
                        ))
                    })
                    .and_then(|n| self.visit_u64(n))
            }
        }
        d.deserialize_any(V)
    }
}

/// `v` as a whole number, if it is one (`3.0` is 3; `3.5`, infinities and NaN are not).
fn whole(v: f64) -> Option<i128> {
    // Every f64 in ±2^100 with no fraction converts exactly.
    (v.is_finite() && v.fract() == 0.0 && v.abs() < 2f64.powi(100)).then_some(v as i128)
}

/// `#[serde(deserialize_with = "rules::contract::whole_number")]` for an optional integer read
/// from JSON: a whole number written with a fraction (`3.0`) is accepted as that number, as JSON
/// Schema's `integer` says; null is none; anything else, or a number out of `T`'s range, is an
/// error.
pub fn whole_number<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i128>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: TryFrom<i128>> Visitor<'de> for V<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<T>, E> {
            self.visit_i128(i128::from(v))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<T>, E> {
            self.visit_i128(i128::from(v))
        }
        fn visit_i128<E: de::Error>(self, v: i128) -> Result<Option<T>, E> {
            T::try_from(v)
                .map(Some)
                .map_err(|_| E::custom(format!("expected a whole number in range, not {v}")))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<T>, E> {
            match whole(v) {
                Some(n) => self.visit_i128(n),
                None => Err(E::custom(format!("expected a whole number, not {v}"))),
            }
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
            Ok(None)
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

/// The pre-check input exactly as the contract spells it; every field optional so that a missing
/// one is reported by name.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawPrecheck {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::JalaliDateText))]
    pub today: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::JalaliDateText>))]
    pub birth_date: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::Level))]
    pub level: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::JalaliDateText>))]
    pub study_start: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::JalaliDateText>))]
    pub previous_graduation: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub institution_approved: Option<bool>,
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub unjustified_absence: Option<bool>,
    pub prior_exemption_same_level: Option<bool>,
    pub withdrew_from_same_level: Option<bool>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::CountValue>))]
    pub withdrawn_renewals_used: Option<Count>,
    pub commission_extension: Option<bool>,
    pub abroad: Option<RawAbroad>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawAbroad {
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub parent_permanent_government_staff: Option<bool>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::CountValue>))]
    pub semesters_completed: Option<Count>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::JalaliDateText>))]
    pub exit_date: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::schema::JalaliDateText>))]
    pub university_entry: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawRevocation {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::JalaliDateText))]
    pub today: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::JalaliDateText))]
    pub submitted: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::CountValue))]
    pub revocations_used: Option<Count>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawPresentation {
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::JalaliDateText))]
    pub today: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::StudyEnd))]
    pub event: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::schema::JalaliDateText))]
    pub event_date: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawTravel {
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub has_valid_exemption: Option<bool>,
    pub admitted_via_national_exam: Option<bool>,
    pub university_letter: Option<bool>,
    pub seminary_council_confirmation: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawDischarge {
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub had_initial_absence: Option<bool>,
    #[cfg_attr(feature = "openapi", schema(value_type = crate::Level))]
    pub target_level: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub emergency_or_war: Option<bool>,
}

pub(crate) fn required<T>(value: Option<T>, field: &str) -> Result<T, InputError> {
    value.ok_or_else(|| InputError::missing(field))
}

/// Parses an optional date field, naming it in the error.
pub fn date_field(value: Option<&str>, field: &str) -> Result<Option<JalaliDate>, InputError> {
    value
        .map(|text| {
            JalaliDate::parse(text).map_err(|e| {
                InputError::new(
                    Some(field),
                    format!("{field}: {}", e.message_en()),
                    format!("{field}: {}", e.message_fa()),
                )
            })
        })
        .transpose()
}

pub(crate) fn required_date(value: Option<&str>, field: &str) -> Result<JalaliDate, InputError> {
    required(date_field(value, field)?, field)
}

pub(crate) fn level_field(value: Option<&str>, field: &str) -> Result<Level, InputError> {
    let id = required(value, field)?;
    Level::from_id(id).ok_or_else(|| {
        let ids: Vec<&str> = Level::ALL.iter().map(|l| l.id()).collect();
        InputError::new(
            Some(field),
            format!("{field}: unknown level {id:?}; one of {}.", ids.join(", ")),
            format!(
                "{field}: مقطع «{id}» شناخته‌شده نیست؛ یکی از {} را وارد کنید.",
                ids.join("، ")
            ),
        )
    })
}

impl TryFrom<RawPrecheck> for PrecheckInput {
    type Error = InputError;
    fn try_from(raw: RawPrecheck) -> Result<Self, InputError> {
        let today = required_date(raw.today.as_deref(), "today")?;
        let level = level_field(raw.level.as_deref(), "level")?;
        let birth_date = date_field(raw.birth_date.as_deref(), "birth_date")?;
        let study_start = date_field(raw.study_start.as_deref(), "study_start")?;
        let previous_graduation =
            date_field(raw.previous_graduation.as_deref(), "previous_graduation")?;
        if level == Level::School {
            required(birth_date, "birth_date")?;
        } else {
            required(study_start, "study_start")?;
        }
        let abroad = raw.abroad.map(Abroad::try_from).transpose()?;
        Ok(PrecheckInput {
            today,
            level,
            birth_date,
            study_start,
            previous_graduation,
            institution_approved: required(raw.institution_approved, "institution_approved")?,
            unjustified_absence: required(raw.unjustified_absence, "unjustified_absence")?,
            prior_exemption_same_level: raw.prior_exemption_same_level.unwrap_or(false),
            withdrew_from_same_level: raw.withdrew_from_same_level.unwrap_or(false),
            withdrawn_renewals_used: raw.withdrawn_renewals_used.map_or(0, |c| c.0),
            commission_extension: raw.commission_extension.unwrap_or(false),
            abroad,
        })
    }
}

impl TryFrom<RawAbroad> for Abroad {
    type Error = InputError;
    fn try_from(raw: RawAbroad) -> Result<Self, InputError> {
        let staff = required(
            raw.parent_permanent_government_staff,
            "abroad.parent_permanent_government_staff",
        )?;
        let exit_date = date_field(raw.exit_date.as_deref(), "abroad.exit_date")?;
        let university_entry =
            date_field(raw.university_entry.as_deref(), "abroad.university_entry")?;
        if !staff {
            return Ok(Abroad::Other);
        }
        Ok(Abroad::StaffChild {
            semesters_completed: required(raw.semesters_completed, "abroad.semesters_completed")?.0,
            exit_date: required(exit_date, "abroad.exit_date")?,
            university_entry: required(university_entry, "abroad.university_entry")?,
        })
    }
}

impl TryFrom<RawRevocation> for RevocationInput {
    type Error = InputError;
    fn try_from(raw: RawRevocation) -> Result<Self, InputError> {
        Ok(RevocationInput {
            today: required_date(raw.today.as_deref(), "today")?,
            submitted: required_date(raw.submitted.as_deref(), "submitted")?,
            revocations_used: required(raw.revocations_used, "revocations_used")?.0,
        })
    }
}

impl TryFrom<RawPresentation> for PresentationInput {
    type Error = InputError;
    fn try_from(raw: RawPresentation) -> Result<Self, InputError> {
        let today = required_date(raw.today.as_deref(), "today")?;
        let id = required(raw.event.as_deref(), "event")?;
        let event = StudyEnd::from_id(id).ok_or_else(|| {
            InputError::new(
                Some("event"),
                format!("event: unknown event {id:?}; one of withdrawal, dropout, expulsion, graduation."),
                format!("event: رویداد «{id}» شناخته‌شده نیست؛ یکی از withdrawal، dropout، expulsion، graduation."),
            )
        })?;
        let event_date = required_date(raw.event_date.as_deref(), "event_date")?;
        Ok(PresentationInput {
            today,
            event,
            event_date,
        })
    }
}

impl TryFrom<RawTravel> for TravelInput {
    type Error = InputError;
    fn try_from(raw: RawTravel) -> Result<Self, InputError> {
        Ok(TravelInput {
            has_valid_exemption: required(raw.has_valid_exemption, "has_valid_exemption")?,
            admitted_via_national_exam: raw.admitted_via_national_exam.unwrap_or(false),
            university_letter: raw.university_letter.unwrap_or(false),
            seminary_council_confirmation: raw.seminary_council_confirmation.unwrap_or(false),
        })
    }
}

impl TryFrom<RawDischarge> for DischargeInput {
    type Error = InputError;
    fn try_from(raw: RawDischarge) -> Result<Self, InputError> {
        Ok(DischargeInput {
            had_initial_absence: required(raw.had_initial_absence, "had_initial_absence")?,
            target_level: level_field(raw.target_level.as_deref(), "target_level")?,
            emergency_or_war: required(raw.emergency_or_war, "emergency_or_war")?,
        })
    }
}

/// Decodes a JSON value into a raw struct, then validates it into the typed input.
pub fn decode<Raw, Input>(value: Value) -> Result<Input, InputError>
where
    Raw: DeserializeOwned,
    Input: TryFrom<Raw, Error = InputError>,
{
    Input::try_from(decode_raw::<Raw>(value)?)
}

/// Decodes a JSON object into a raw struct; a wrong type or an unknown field is named by its
/// dotted path.
pub fn decode_raw<Raw: DeserializeOwned>(value: Value) -> Result<Raw, InputError> {
    if !value.is_object() {
        return Err(InputError::new(
            None,
            "the input must be a JSON object.",
            "ورودی باید یک شیء JSON باشد.",
        ));
    }
    serde_path_to_error::deserialize(value).map_err(InputError::from_serde)
}

/// The five questions the rules answer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tool {
    Precheck,
    Revocation,
    Presentation,
    Travel,
    Discharge,
}

impl Tool {
    pub const ALL: [Tool; 5] = [
        Tool::Precheck,
        Tool::Revocation,
        Tool::Presentation,
        Tool::Travel,
        Tool::Discharge,
    ];

    /// The subcommand and endpoint name.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Precheck => "precheck",
            Tool::Revocation => "revocation",
            Tool::Presentation => "presentation",
            Tool::Travel => "travel",
            Tool::Discharge => "discharge",
        }
    }

    pub fn from_name(name: &str) -> Option<Tool> {
        Tool::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Validates one JSON input and answers it with the contract's output object.
    pub fn answer(self, input: Value) -> Result<Value, InputError> {
        fn out<T: serde::Serialize>(v: T) -> Value {
            serde_json::to_value(v).unwrap_or(Value::Null)
        }
        Ok(match self {
            Tool::Precheck => out(precheck(&decode::<RawPrecheck, PrecheckInput>(input)?)),
            Tool::Revocation => out(withdrawal_revocation_n2(&decode::<RawRevocation, _>(
                input,
            )?)),
            Tool::Presentation => out(presentation_deadline_art34_n1(
                &decode::<RawPresentation, _>(input)?,
            )),
            Tool::Travel => out(travel_abroad_art103(&decode::<RawTravel, _>(input)?)),
            Tool::Discharge => out(discharge_for_study_art35_n2(&decode::<RawDischarge, _>(
                input,
            )?)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Numbers {
        #[serde(default, deserialize_with = "whole_number")]
        signed: Option<i64>,
        #[serde(default, deserialize_with = "whole_number")]
        unsigned: Option<u64>,
    }

    fn read(json: &str) -> Result<(Option<i64>, Option<u64>), String> {
        serde_json::from_str::<Numbers>(json)
            .map(|n| (n.signed, n.unsigned))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn whole_numbers_may_be_written_with_a_fraction() {
        assert_eq!(
            read(r#"{"signed": -118.0, "unsigned": 3.0}"#),
            Ok((Some(-118), Some(3)))
        );
        assert_eq!(
            read(r#"{"signed": 7, "unsigned": 0}"#),
            Ok((Some(7), Some(0)))
        );
        assert_eq!(read(r#"{"signed": null}"#), Ok((None, None)));
        // Read exactly, however large (schemathesis sent this one; serde_json's default parser
        // read it as …734.5).
        assert_eq!(
            read(r#"{"signed": -4251548030497734.0}"#),
            Ok((Some(-4_251_548_030_497_734), None))
        );
        for bad in [
            r#"{"signed": 1.5}"#,
            r#"{"unsigned": -1}"#,
            r#"{"unsigned": -2.0}"#,
            r#"{"signed": 1e300}"#,
            r#"{"signed": "1"}"#,
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
        let count = |json: &str| serde_json::from_str::<Count>(json).map_err(|e| e.to_string());
        assert_eq!(count("37.0"), Ok(Count(37)));
        assert!(count("-1.0").unwrap_err().contains("negative"));
        assert!(count("0.5").is_err());
    }
}
