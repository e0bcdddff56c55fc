//! Form state as plain data: fields by contract name, answers as typed text, per-field
//! validation with the problem named, and the answers turned into the rules' JSON input.

use std::collections::BTreeMap;

use rules::contract::Count;
use rules::digits::parse_number;
use rules::{DateError, JalaliDate, Level, StudyEnd};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What kind of input a field is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// Three text inputs `<name>.day`, `<name>.month`, `<name>.year`.
    Date,
    /// Radios `true` / `false`.
    YesNo,
    /// A yes/no that opens a nested object of the same name (`abroad`): no → `null`.
    Section,
    /// Radios with the level ids.
    Levels,
    /// Radios with the study-end event ids.
    Events,
    /// A text input for a whole number ≥ 0.
    Count,
    /// A one-line text input (a name, a place).
    Text,
    /// A multi-line text area (a reason, an address).
    LongText,
    /// A text input of digits read left to right (national ID, mobile, postal code), typed in
    /// any digit script.
    Digits,
    /// Radios with these values (contract ids); their texts come from the form's table.
    Choice(&'static [&'static str]),
    /// A university chosen from `GET /api/v1/universities`: its code, drawn as a list of names.
    University,
    /// An uploaded file: its reference is kept as `<name>.file_name`, `.media_type`, `.size` and
    /// `.sha256`, the bytes beside the draft.
    File,
}

/// One question of a form; `name` is the contract field (dotted inside an object).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub optional: bool,
}

impl Field {
    pub const fn new(name: &'static str, kind: Kind) -> Self {
        Field {
            name,
            kind,
            optional: false,
        }
    }

    pub const fn optional(name: &'static str, kind: Kind) -> Self {
        Field {
            name,
            kind,
            optional: true,
        }
    }
}

/// An element id for an input name: `abroad.exit_date.day` → `abroad-exit_date-day`.
pub fn dom_id(input_name: &str) -> String {
    input_name.replace('.', "-")
}

/// What the person typed, by input name, exactly as typed. Kept in session storage.
#[derive(Clone, Default, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Answers(pub BTreeMap<String, String>);

impl Answers {
    pub fn get(&self, input_name: &str) -> &str {
        self.0.get(input_name).map_or("", String::as_str)
    }

    pub fn set(&mut self, input_name: &str, value: String) {
        self.0.insert(input_name.to_owned(), value);
    }

    pub fn is_yes(&self, input_name: &str) -> bool {
        self.get(input_name) == "true"
    }

    /// A valid date field in the contract's machine form (`YYYY-MM-DD`), as [`to_json`] gives it;
    /// `None` when it is empty or not a date.
    pub fn date_text(&self, field: &str) -> Option<String> {
        match self.date(field) {
            Some(Ok(date)) => Some(date.to_machine()),
            _ => None,
        }
    }

    /// A count field as the contract reads it (any digit script), `None` when it is not one.
    pub fn count(&self, field: &str) -> Option<Count> {
        parse_number(self.get(field))
            .and_then(|n| u32::try_from(n).ok())
            .map(Count)
    }

    /// A text or choice field trimmed, as [`to_json`] gives it; `None` when empty.
    pub fn text(&self, field: &str) -> Option<String> {
        Some(self.get(field).trim().to_owned()).filter(|t| !t.is_empty())
    }

    /// The date typed into a date field, `None` when all three parts are empty.
    pub fn date(&self, field: &str) -> Option<Result<JalaliDate, Problem>> {
        let part = |p: &str| self.get(&format!("{field}.{p}")).trim().to_owned();
        let (d, m, y) = (part("day"), part("month"), part("year"));
        if d.is_empty() && m.is_empty() && y.is_empty() {
            return None;
        }
        if d.is_empty() || m.is_empty() || y.is_empty() {
            return Some(Err(Problem::DateIncomplete));
        }
        let (Some(d), Some(m), Some(y)) = (parse_number(&d), parse_number(&m), parse_number(&y))
        else {
            return Some(Err(Problem::DateNotDigits));
        };
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        Some(JalaliDate::from_parts(n(y), n(m), n(d)).map_err(Problem::Date))
    }
}

/// Why a field's answer is refused.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Problem {
    /// Nothing chosen (radios) or typed (required text).
    Choose,
    /// Some of day, month, year missing.
    DateIncomplete,
    /// Day, month or year is not a number.
    DateNotDigits,
    /// Not a real date, with the calendar's reason.
    Date(DateError),
    /// Not a whole number ≥ 0.
    Count,
    /// A required text left empty.
    Empty,
    /// No file chosen.
    NoFile,
    /// Refused by the rules (or a file check), with their message in both languages (without
    /// the `field:` prefix the rules put before it).
    Rule { fa: String, en: String },
}

/// A refused field: which field, which input gets the focus, and the problem.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FieldError {
    pub field: &'static str,
    pub focus_id: String,
    pub problem: Problem,
}

/// Checks one field's answer.
pub fn validate(field: &Field, answers: &Answers) -> Option<FieldError> {
    let error = |problem: Problem, focus: &str| FieldError {
        field: field.name,
        focus_id: dom_id(focus),
        problem,
    };
    let value = answers.get(field.name).trim();
    match field.kind {
        Kind::Date => {
            let part = |p: &str| format!("{}.{p}", field.name);
            match answers.date(field.name) {
                None if field.optional => None,
                None => Some(error(Problem::DateIncomplete, &part("day"))),
                Some(Ok(_)) => None,
                Some(Err(problem)) => {
                    let focus = match &problem {
                        Problem::Date(DateError::MonthOutOfRange(_)) => part("month"),
                        Problem::Date(DateError::YearOutOfRange(_)) => part("year"),
                        Problem::DateIncomplete => ["day", "month", "year"]
                            .into_iter()
                            .find(|p| answers.get(&part(p)).trim().is_empty())
                            .map_or(part("day"), part),
                        _ => part("day"),
                    };
                    Some(error(problem, &focus))
                }
            }
        }
        Kind::YesNo | Kind::Section => {
            (!matches!(value, "true" | "false")).then(|| error(Problem::Choose, field.name))
        }
        Kind::Levels => Level::from_id(value)
            .is_none()
            .then(|| error(Problem::Choose, field.name)),
        Kind::Events => StudyEnd::from_id(value)
            .is_none()
            .then(|| error(Problem::Choose, field.name)),
        Kind::Count if value.is_empty() && field.optional => None,
        Kind::Count => parse_number(value)
            .filter(|n| *n <= u64::from(u32::MAX))
            .is_none()
            .then(|| error(Problem::Count, field.name)),
        Kind::Text | Kind::LongText | Kind::Digits if value.is_empty() => {
            (!field.optional).then(|| error(Problem::Empty, field.name))
        }
        Kind::Text | Kind::LongText | Kind::Digits => None,
        Kind::Choice(options) => {
            (!options.contains(&value)).then(|| error(Problem::Choose, field.name))
        }
        Kind::University => value.is_empty().then(|| error(Problem::Choose, field.name)),
        Kind::File => (answers.get(&format!("{}.sha256", field.name)).is_empty()
            && !field.optional)
            .then(|| error(Problem::NoFile, field.name)),
    }
}

/// Checks every field, in order.
pub fn validate_all<'a>(
    fields: impl IntoIterator<Item = &'a Field>,
    answers: &Answers,
) -> Vec<FieldError> {
    fields
        .into_iter()
        .filter_map(|f| validate(f, answers))
        .collect()
}

/// The rules' JSON input from valid answers: dotted names become nested objects, a `Section`
/// answered "no" becomes `null`, and `extra` (such as `today`) is added at the top.
pub fn to_json<'a>(
    fields: impl IntoIterator<Item = &'a Field>,
    answers: &Answers,
    extra: &[(&str, Value)],
) -> Value {
    let mut root = Map::new();
    for (k, v) in extra {
        root.insert((*k).to_owned(), v.clone());
    }
    for field in fields {
        let value = match field.kind {
            Kind::Date => match answers.date(field.name) {
                Some(Ok(d)) => Value::String(d.to_machine()),
                _ => continue,
            },
            Kind::YesNo => Value::Bool(answers.is_yes(field.name)),
            Kind::Section if answers.is_yes(field.name) => Value::Object(Map::new()),
            Kind::Section => Value::Null,
            Kind::Levels | Kind::Events => Value::String(answers.get(field.name).trim().to_owned()),
            Kind::Count => match parse_number(answers.get(field.name)) {
                Some(n) => Value::from(n),
                None => continue,
            },
            Kind::Text | Kind::LongText | Kind::Digits | Kind::Choice(_) | Kind::University => {
                match answers.get(field.name).trim() {
                    "" => continue,
                    text => Value::String(text.to_owned()),
                }
            }
            Kind::File => match file_reference(field.name, answers) {
                Some(reference) => reference,
                None => continue,
            },
        };
        insert_dotted(&mut root, field.name, value);
    }
    Value::Object(root)
}

/// Answers from the rules' JSON (the inverse of [`to_json`]: a stored request opened again as a
/// draft): each field read by its dotted name; what is missing or of another shape stays empty.
pub fn from_json<'a>(fields: impl IntoIterator<Item = &'a Field>, json: &Value) -> Answers {
    let mut answers = Answers::default();
    for field in fields {
        let Some(value) = field.name.split('.').try_fold(json, |v, part| v.get(part)) else {
            continue;
        };
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        match field.kind {
            Kind::Date => {
                let Some(date) = value.as_str().and_then(|d| JalaliDate::parse(d).ok()) else {
                    continue;
                };
                let (y, m, d) = (date.year(), date.month(), date.day());
                for (part, n) in [
                    ("year", y.to_string()),
                    ("month", m.to_string()),
                    ("day", d.to_string()),
                ] {
                    answers.set(&format!("{}.{part}", field.name), n);
                }
            }
            Kind::Section => answers.set(field.name, (!value.is_null()).to_string()),
            Kind::File => {
                for part in FILE_PARTS {
                    if let Some(t) = value.get(part).and_then(text) {
                        answers.set(&format!("{}.{part}", field.name), t);
                    }
                }
            }
            _ => {
                if let Some(t) = text(value) {
                    answers.set(field.name, t);
                }
            }
        }
    }
    answers
}

/// The attachment reference of a file field (`{file_name, media_type, size, sha256}`), `None`
/// when no file was chosen.
fn file_reference(name: &str, answers: &Answers) -> Option<Value> {
    let part = |p: &str| answers.get(&format!("{name}.{p}")).to_owned();
    if part("sha256").is_empty() {
        return None;
    }
    let mut reference = Map::new();
    reference.insert("file_name".into(), Value::String(part("file_name")));
    reference.insert("media_type".into(), Value::String(part("media_type")));
    reference.insert(
        "size".into(),
        Value::from(parse_number(&part("size")).unwrap_or(0)),
    );
    reference.insert("sha256".into(), Value::String(part("sha256")));
    Some(Value::Object(reference))
}

/// The parts kept for a file field.
pub const FILE_PARTS: [&str; 4] = ["file_name", "media_type", "size", "sha256"];

fn insert_dotted(root: &mut Map<String, Value>, name: &str, value: Value) {
    match name.split_once('.') {
        None => {
            // A section already filled by its sub-fields keeps them.
            if !(value.is_object() && root.get(name).is_some_and(Value::is_object)) {
                root.insert(name.to_owned(), value);
            }
        }
        Some((head, rest)) => {
            let entry = root
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = entry {
                insert_dotted(inner, rest, value);
            }
        }
    }
}

/// Answers from `(input name, typed text)` pairs, for tests.
#[cfg(test)]
pub fn answers(pairs: &[(&str, &str)]) -> Answers {
    Answers(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_accept_persian_digits_and_explain_wrong_days() {
        let a = answers(&[("d.day", "۳۰"), ("d.month", "12"), ("d.year", "١٤٠٣")]);
        assert_eq!(
            a.date("d"),
            Some(Ok(JalaliDate::new(1403, 12, 30).unwrap()))
        );
        let a = answers(&[("d.day", "30"), ("d.month", "12"), ("d.year", "1404")]);
        let err = validate(&Field::new("d", Kind::Date), &a).unwrap();
        assert_eq!(err.focus_id, "d-day");
        let Problem::Date(e) = err.problem else {
            panic!()
        };
        assert!(e.message_fa().contains("اسفند ۱۴۰۴ ۲۹ روز دارد"));
        let a = answers(&[("d.day", "1"), ("d.year", "1404")]);
        assert_eq!(
            validate(&Field::new("d", Kind::Date), &a).unwrap().focus_id,
            "d-month"
        );
        assert_eq!(
            validate(&Field::optional("d", Kind::Date), &Answers::default()),
            None
        );
        assert!(validate(&Field::new("d", Kind::Date), &Answers::default()).is_some());
    }

    #[test]
    fn radios_and_counts() {
        let a = answers(&[("x", "true"), ("level", "phd"), ("n", "۲"), ("bad", "-1")]);
        assert_eq!(validate(&Field::new("x", Kind::YesNo), &a), None);
        assert!(validate(&Field::new("y", Kind::YesNo), &a).is_some());
        assert_eq!(validate(&Field::new("level", Kind::Levels), &a), None);
        assert_eq!(validate(&Field::new("n", Kind::Count), &a), None);
        assert_eq!(
            validate(&Field::new("bad", Kind::Count), &a)
                .unwrap()
                .problem,
            Problem::Count
        );
    }

    #[test]
    fn json_nests_dotted_names_and_sections() {
        let fields = [
            Field::new("abroad", Kind::Section),
            Field::new("abroad.parent_permanent_government_staff", Kind::YesNo),
            Field::new("abroad.exit_date", Kind::Date),
            Field::new("abroad.semesters_completed", Kind::Count),
        ];
        let a = answers(&[
            ("abroad", "true"),
            ("abroad.parent_permanent_government_staff", "true"),
            ("abroad.exit_date.day", "1"),
            ("abroad.exit_date.month", "6"),
            ("abroad.exit_date.year", "1402"),
            ("abroad.semesters_completed", "۳"),
        ]);
        let json = to_json(&fields, &a, &[("today", "1403-07-15".into())]);
        assert_eq!(
            json,
            serde_json::json!({"today": "1403-07-15", "abroad": {
                "parent_permanent_government_staff": true, "exit_date": "1402-06-01", "semesters_completed": 3}})
        );
        let no = answers(&[("abroad", "false")]);
        assert_eq!(
            to_json(&fields[..1], &no, &[]),
            serde_json::json!({"abroad": null})
        );
    }
}
