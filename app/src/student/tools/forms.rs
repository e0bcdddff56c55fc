//! The one-page tools (revocation and presentation deadlines, travel, discharge) as data: their
//! fields and how their answers become the rules' typed input and a typed answer (no JSON between
//! the page and the rules).

use rules::contract::{RawDischarge, RawPresentation, RawRevocation, RawTravel};
use rules::discharge::{discharge_for_study_art35_n2, DischargeInput};
use rules::presentation::{presentation_deadline_art34_n1, PresentationInput};
use rules::revocation::{withdrawal_revocation_n2, RevocationInput};
use rules::travel::{travel_abroad_art103, TravelInput};
use rules::{InputError, JalaliDate, Reason, Tool};

use crate::shell::form::{validate_all, Answers, Field, FieldError, Kind};

/// A one-page tool: the rule it asks, its route, its fields, and how it asks the rule.
#[derive(Clone, Copy, Debug)]
pub struct FormDef {
    pub tool: Tool,
    pub fields: &'static [Field],
    /// The rule's answer for valid answers on `today` (the contract's raw input, built from the
    /// answers as the JSON contract spells it, then validated by the contract's own checks).
    ask: fn(&Answers, JalaliDate) -> Result<ToolAnswer, InputError>,
}

/// What a tool answers: its yes/no, the dates it gives (by contract field), the deadline counted
/// down to, the guarantee options, and every reason.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ToolAnswer {
    pub flag: bool,
    pub dates: Vec<(&'static str, Option<JalaliDate>)>,
    pub countdown: Option<JalaliDate>,
    pub options: Vec<&'static str>,
    pub reasons: Vec<Reason>,
}

impl ToolAnswer {
    fn new(flag: bool, reasons: Vec<Reason>) -> Self {
        ToolAnswer {
            flag,
            dates: vec![],
            countdown: None,
            options: vec![],
            reasons,
        }
    }
}

pub const REVOCATION: FormDef = FormDef {
    tool: Tool::Revocation,
    fields: &[
        Field::new("submitted", Kind::Date),
        Field::new("revocations_used", Kind::Count),
    ],
    ask: |a, today| {
        let o = withdrawal_revocation_n2(&RevocationInput::try_from(RawRevocation {
            today: Some(today.to_machine()),
            submitted: a.date_text("submitted"),
            revocations_used: a.count("revocations_used"),
        })?);
        Ok(ToolAnswer {
            dates: vec![
                ("revocation_deadline", Some(o.revocation_deadline)),
                ("final_ruling_from", Some(o.final_ruling_from)),
            ],
            countdown: Some(o.revocation_deadline),
            ..ToolAnswer::new(o.can_revoke, o.reasons)
        })
    },
};

pub const PRESENTATION: FormDef = FormDef {
    tool: Tool::Presentation,
    fields: &[
        Field::new("event", Kind::Events),
        Field::new("event_date", Kind::Date),
    ],
    ask: |a, today| {
        let o = presentation_deadline_art34_n1(&PresentationInput::try_from(RawPresentation {
            today: Some(today.to_machine()),
            event: a.text("event"),
            event_date: a.date_text("event_date"),
        })?);
        Ok(ToolAnswer {
            dates: vec![("present_by", Some(o.present_by))],
            countdown: Some(o.present_by),
            ..ToolAnswer::new(o.overdue, o.reasons)
        })
    },
};

pub const TRAVEL: FormDef = FormDef {
    tool: Tool::Travel,
    fields: &[
        Field::new("has_valid_exemption", Kind::YesNo),
        Field::new("admitted_via_national_exam", Kind::YesNo),
        Field::new("university_letter", Kind::YesNo),
        Field::new("seminary_council_confirmation", Kind::YesNo),
    ],
    ask: |a, _| {
        let o = travel_abroad_art103(&TravelInput::try_from(RawTravel {
            has_valid_exemption: Some(a.is_yes("has_valid_exemption")),
            admitted_via_national_exam: Some(a.is_yes("admitted_via_national_exam")),
            university_letter: Some(a.is_yes("university_letter")),
            seminary_council_confirmation: Some(a.is_yes("seminary_council_confirmation")),
        })?);
        Ok(ToolAnswer {
            options: o.options,
            ..ToolAnswer::new(o.guarantee_required, o.reasons)
        })
    },
};

pub const DISCHARGE: FormDef = FormDef {
    tool: Tool::Discharge,
    fields: &[
        Field::new("had_initial_absence", Kind::YesNo),
        Field::new("target_level", Kind::Levels),
        Field::new("emergency_or_war", Kind::YesNo),
    ],
    ask: |a, _| {
        let o = discharge_for_study_art35_n2(&DischargeInput::try_from(RawDischarge {
            had_initial_absence: Some(a.is_yes("had_initial_absence")),
            target_level: a.text("target_level"),
            emergency_or_war: Some(a.is_yes("emergency_or_war")),
        })?);
        Ok(ToolAnswer::new(o.discharge_allowed, o.reasons))
    },
};

pub const ALL: [FormDef; 4] = [REVOCATION, PRESENTATION, TRAVEL, DISCHARGE];

impl FormDef {
    /// The session-storage key of this tool's answers.
    pub fn storage_key(&self) -> String {
        format!("pishkhan.{}", self.tool.name())
    }

    pub fn errors(&self, answers: &Answers) -> Vec<FieldError> {
        validate_all(self.fields, answers)
    }

    /// The rules' answer for valid answers.
    pub fn answer(&self, answers: &Answers, today: JalaliDate) -> Result<ToolAnswer, InputError> {
        (self.ask)(answers, today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revocation_answers_with_the_deadline() {
        let mut a = Answers::default();
        for (k, v) in [
            ("submitted.day", "۱"),
            ("submitted.month", "6"),
            ("submitted.year", "1403"),
            ("revocations_used", "0"),
        ] {
            a.set(k, v.into());
        }
        assert!(REVOCATION.errors(&a).is_empty());
        let out = REVOCATION
            .answer(&a, JalaliDate::new(1403, 7, 15).unwrap())
            .unwrap();
        assert_eq!(out.dates[0].0, "revocation_deadline");
        assert_eq!(out.dates[0].1.unwrap().to_machine(), "1403-08-01");
        assert!(out.flag);
    }

    /// Each tool's typed answer is what the JSON contract answers for the same input.
    #[test]
    fn typed_answers_are_the_contracts() {
        use crate::shell::form::to_json;
        use serde_json::Value;
        let today = JalaliDate::new(1403, 7, 15).unwrap();
        let cases: [(FormDef, &[(&str, &str)]); 5] = [
            (
                REVOCATION,
                &[
                    ("submitted.day", "1"),
                    ("submitted.month", "1"),
                    ("submitted.year", "1403"),
                    ("revocations_used", "1"),
                ],
            ),
            (
                PRESENTATION,
                &[
                    ("event", "graduation"),
                    ("event_date.day", "2"),
                    ("event_date.month", "3"),
                    ("event_date.year", "1403"),
                ],
            ),
            (
                TRAVEL,
                &[
                    ("has_valid_exemption", "true"),
                    ("admitted_via_national_exam", "false"),
                    ("university_letter", "true"),
                    ("seminary_council_confirmation", "false"),
                ],
            ),
            (
                TRAVEL,
                &[
                    ("has_valid_exemption", "true"),
                    ("admitted_via_national_exam", "true"),
                    ("university_letter", "true"),
                    ("seminary_council_confirmation", "false"),
                ],
            ),
            (
                DISCHARGE,
                &[
                    ("had_initial_absence", "false"),
                    ("target_level", "associate"),
                    ("emergency_or_war", "true"),
                ],
            ),
        ];
        for (def, pairs) in cases {
            let a = crate::shell::form::answers(pairs);
            assert!(def.errors(&a).is_empty(), "{pairs:?}");
            let mut extra = vec![];
            if matches!(def.tool, Tool::Revocation | Tool::Presentation) {
                extra.push(("today", Value::from(today.to_machine())));
            }
            let json = def.tool.answer(to_json(def.fields, &a, &extra)).unwrap();
            let typed = def.answer(&a, today).unwrap();
            let flag = [
                "can_revoke",
                "overdue",
                "guarantee_required",
                "discharge_allowed",
            ]
            .into_iter()
            .find_map(|f| json[f].as_bool())
            .unwrap();
            assert_eq!(typed.flag, flag, "{pairs:?}");
            for (field, date) in &typed.dates {
                assert_eq!(json[*field], date.unwrap().to_machine(), "{field}");
            }
            assert_eq!(
                serde_json::to_value(&typed.reasons).unwrap(),
                json["reasons"]
            );
            let options = json["options"].as_array().cloned().unwrap_or_default();
            assert_eq!(
                serde_json::to_value(&typed.options).unwrap(),
                Value::Array(options)
            );
        }
    }

    #[test]
    fn travel_needs_every_answer() {
        assert_eq!(TRAVEL.errors(&Answers::default()).len(), 4);
    }
}
