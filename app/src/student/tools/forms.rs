//! The one-page tools (revocation and presentation deadlines, travel, discharge) as data: their
//! fields and how their answers become the rules' input.

use rules::{InputError, JalaliDate, Tool};
use serde_json::Value;

use crate::shell::form::{to_json, validate_all, Answers, Field, FieldError, Kind};

/// A one-page tool: the rule it asks, its route, and its fields.
#[derive(Clone, Copy, Debug)]
pub struct FormDef {
    pub tool: Tool,
    pub fields: &'static [Field],
    /// Whether the rule takes `today` (the deadlines do).
    pub needs_today: bool,
}

pub const REVOCATION: FormDef = FormDef {
    tool: Tool::Revocation,
    fields: &[
        Field::new("submitted", Kind::Date),
        Field::new("revocations_used", Kind::Count),
    ],
    needs_today: true,
};

pub const PRESENTATION: FormDef = FormDef {
    tool: Tool::Presentation,
    fields: &[
        Field::new("event", Kind::Events),
        Field::new("event_date", Kind::Date),
    ],
    needs_today: true,
};

pub const TRAVEL: FormDef = FormDef {
    tool: Tool::Travel,
    fields: &[
        Field::new("has_valid_exemption", Kind::YesNo),
        Field::new("admitted_via_national_exam", Kind::YesNo),
        Field::new("university_letter", Kind::YesNo),
        Field::new("seminary_council_confirmation", Kind::YesNo),
    ],
    needs_today: false,
};

pub const DISCHARGE: FormDef = FormDef {
    tool: Tool::Discharge,
    fields: &[
        Field::new("had_initial_absence", Kind::YesNo),
        Field::new("target_level", Kind::Levels),
        Field::new("emergency_or_war", Kind::YesNo),
    ],
    needs_today: false,
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

    /// The rules' answer (the contract's output JSON) for valid answers.
    pub fn answer(&self, answers: &Answers, today: JalaliDate) -> Result<Value, InputError> {
        let extra: Vec<(&str, Value)> = if self.needs_today {
            vec![("today", today.to_machine().into())]
        } else {
            vec![]
        };
        self.tool.answer(to_json(self.fields, answers, &extra))
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
        assert_eq!(out["revocation_deadline"], "1403-08-01");
        assert_eq!(out["can_revoke"], true);
    }

    #[test]
    fn travel_needs_every_answer() {
        assert_eq!(TRAVEL.errors(&Answers::default()).len(), 4);
    }
}
