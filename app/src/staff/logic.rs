//! The staff pages' plain logic, tested natively: names of roles, states, processes and actions
//! (from `rules::workflow::labels`; an office's as the server names it, from the request's own
//! route or the clerk's university), which roles serve a faculty or belong to a university,
//! tracking codes grouped, Jalali dates and Tehran times for reading, amounts in any digit script, the data a move needs (`needs`) read from its inputs, and a
//! refused sign-in code as its input's error.

use rules::digits::parse_number;
use rules::tracking::TrackingCode;
use rules::workflow::{
    action_label, audit_action_label, process_label, role_label, state_label, Action, Label,
    Process, Role, State,
};
use rules::JalaliDate;
use serde_json::{Map, Value};

use api::common::Moment;
use rules::requests::ClearanceOffice;

use crate::shell::form::{dom_id, validate_all, Answers, Field, FieldError, Kind, Problem};
use crate::shell::http::ServerError;
use crate::shell::i18n::Lang;

pub fn pick(label: &Label, lang: Lang) -> String {
    match lang {
        Lang::Fa => label.fa.clone(),
        Lang::En => label.en.clone(),
    }
}

/// The server's own text in `lang`, else the machine name.
fn server_text(id: &str, fa: &str, en: &str, lang: Lang) -> String {
    let text = match lang {
        Lang::Fa => fa,
        Lang::En => en,
    };
    if text.is_empty() {
        id.to_owned()
    } else {
        text.to_owned()
    }
}

/// A state's name: the rules' label; an office's, the server's text when it gives one (it names
/// a request's offices from the request's own route, never another university's list), else
/// from `offices`.
pub fn state_name(id: &str, fa: &str, en: &str, offices: &[ClearanceOffice], lang: Lang) -> String {
    match State::parse(id) {
        Some(State::AtOffice(_) | State::VisitRequired(_)) if !(fa.is_empty() && en.is_empty()) => {
            server_text(id, fa, en, lang)
        }
        Some(state) => pick(&state_label(&state, offices), lang),
        None => server_text(id, fa, en, lang),
    }
}

/// A role's name: the rules' label; an office's, the server's text when it gives one (from the
/// clerk's university's offices), else from `offices` (a list the page read for a university).
pub fn role_name(id: &str, fa: &str, en: &str, offices: &[ClearanceOffice], lang: Lang) -> String {
    match Role::parse(id) {
        Some(Role::ClearanceOffice(_)) if !(fa.is_empty() && en.is_empty()) => {
            server_text(id, fa, en, lang)
        }
        Some(role) => pick(&role_label(&role, offices), lang),
        None => server_text(id, fa, en, lang),
    }
}

/// Whether a role serves a faculty (its scope: one of its university's faculties, or all).
pub fn serves_faculty(role: &str) -> bool {
    matches!(
        Role::parse(role),
        Some(Role::FacultyExpert | Role::HeadOfFacultyEducation)
    )
}

/// Whether a new account of this role belongs to a university the admin chooses: every role
/// but the national admin's and the conscription organisation's (which serve a county).
pub fn belongs_to_a_university(role: &str) -> bool {
    !matches!(
        Role::parse(role),
        None | Some(
            Role::Admin | Role::ConscriptionExpert | Role::ConscriptionDeputy | Role::PoliceOffice
        )
    )
}

pub fn process_name(id: &str, lang: Lang) -> String {
    Process::ALL
        .into_iter()
        .find(|p| p.id() == id)
        .map_or_else(|| id.to_owned(), |p| pick(&process_label(p), lang))
}

/// A move's name (an audit row may also be `submit`).
pub fn action_name(id: &str, lang: Lang) -> String {
    match Action::parse(id) {
        Some(a) => pick(&action_label(a), lang),
        None => pick(&audit_action_label(id), lang),
    }
}

/// A tracking code as printed, `1234-5678-9012` (as given when it is not one).
pub fn grouped_code(code: &str) -> String {
    TrackingCode::parse(code).map_or_else(|_| code.to_owned(), |c| c.grouped())
}

/// A Jalali `YYYY-MM-DD` (possibly followed by a time) for reading; other text as given, in the
/// language's digits.
pub fn jalali_text(text: &str, lang: Lang) -> String {
    let (date, rest) = text.split_at(text.len().min(10));
    match JalaliDate::parse(date) {
        Ok(d) => format!("{}{}", lang.date(d), lang.digits(rest)),
        Err(_) => lang.digits(text),
    }
}

/// Seconds since 1970 of an RFC 3339 UTC time (`2024-10-06T06:50:00Z`, fractions ignored).
pub fn unix_seconds(utc: &str) -> Option<i64> {
    let b = utc.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| utc.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let (hh, mm, ss) = (n(11..13)?, n(14..16)?, n(17..19)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// The page where an account sets up its second factor.
pub const SECOND_FACTOR_PATH: &str = "/staff/second-factor";

/// Tehran's UTC+03:30.
const TEHRAN_OFFSET: i64 = 3 * 3600 + 30 * 60;

/// A UTC moment as the Jalali date and `HH:MM` in Tehran, in the language's digits.
pub fn tehran_time(utc: &str, lang: Lang) -> Option<String> {
    Some(tehran_clock(unix_seconds(utc)?, lang))
}

/// Unix seconds as the Jalali date and `HH:MM` in Tehran, in the language's digits.
pub fn tehran_clock(t: i64, lang: Lang) -> String {
    let local = (t + TEHRAN_OFFSET).rem_euclid(86_400);
    let date = JalaliDate::today_in_tehran(t);
    let clock = format!("{:02}:{:02}", local / 3600, local % 3600 / 60);
    format!("{} {}", lang.date(date), lang.digits(&clock))
}

/// A moment of the API for reading: its time in Tehran, else its Jalali day.
pub fn moment_text(at: &Moment, lang: Lang) -> String {
    tehran_time(&at.utc, lang).unwrap_or_else(|| jalali_text(&at.jalali, lang))
}

/// An amount of rials typed in any digit script, with or without thousands separators.
pub fn parse_rials(text: &str) -> Option<u64> {
    let plain: String = text
        .chars()
        .filter(|c| !matches!(c, ',' | '٬' | '،' | '.' | ' ' | '\u{200c}' | '_'))
        .collect();
    parse_number(&plain)
}

/// An amount for reading: `1,000,000` in the language's digits and separator.
pub fn rials_text(n: u64, lang: Lang) -> String {
    lang.grouped(n)
}

/// The fields a move's `needs` ask for (unknown names are left out).
pub fn need_fields(needs: &[String]) -> Vec<Field> {
    const FIELDS: [Field; 5] = [
        Field::new("editable", Kind::YesNo),
        Field::new("debt_rials", Kind::Digits),
        Field::new("instalments_start", Kind::Date),
        Field::new("instalments_end", Kind::Date),
        Field::optional("note", Kind::LongText),
    ];
    FIELDS
        .into_iter()
        .filter(|f| needs.iter().any(|n| n == f.name))
        .collect()
}

/// The move's `data` from its inputs, or the problems of the inputs.
pub fn action_data(fields: &[Field], answers: &Answers) -> Result<Value, Vec<FieldError>> {
    let mut errors = validate_all(fields, answers);
    let mut data = Map::new();
    for f in fields {
        if errors.iter().any(|e| e.field == f.name) {
            continue;
        }
        let value = match f.kind {
            Kind::YesNo => Value::Bool(answers.is_yes(f.name)),
            Kind::Date => match answers.date(f.name) {
                Some(Ok(d)) => Value::String(d.to_machine()),
                _ => continue,
            },
            Kind::Digits => match parse_rials(answers.get(f.name)) {
                Some(n) => Value::from(n),
                None => {
                    errors.push(FieldError {
                        field: f.name,
                        focus_id: f.name.to_owned(),
                        problem: Problem::Count,
                    });
                    continue;
                }
            },
            _ => match answers.get(f.name).trim() {
                "" => continue,
                text => Value::String(text.to_owned()),
            },
        };
        data.insert(f.name.to_owned(), value);
    }
    if errors.is_empty() {
        Ok(Value::Object(data))
    } else {
        Err(errors)
    }
}

/// The server's refusals as errors of `fields` (by contract name, a date's focus on its day) and
/// the rest as plain messages, in `lang`.
pub fn split_errors(
    errors: &[ServerError],
    fields: &[Field],
    lang: Lang,
) -> (Vec<FieldError>, Vec<String>) {
    let mut named = Vec::new();
    let mut general = Vec::new();
    for e in errors {
        let field = e
            .field
            .as_deref()
            .and_then(|name| fields.iter().find(|f| f.name == name));
        let strip = |m: &str| {
            let name = e.field.as_deref().unwrap_or_default();
            m.strip_prefix(name)
                .and_then(|m| m.strip_prefix(": "))
                .unwrap_or(m)
                .to_owned()
        };
        match field {
            Some(f) => named.push(FieldError {
                field: f.name,
                focus_id: match f.kind {
                    Kind::Date => dom_id(&format!("{}.day", f.name)),
                    _ => dom_id(f.name),
                },
                problem: Problem::Rule {
                    fa: strip(&e.message_fa),
                    en: strip(&e.message_en),
                },
            }),
            None => general.push(match lang {
                Lang::Fa => e.message_fa.clone(),
                Lang::En => e.message_en.clone(),
            }),
        }
    }
    (named, general)
}

/// A refused second-factor code (`CODE_INVALID`, naming `code` or `recovery_code`) as the error
/// of its input, the field's name taken off the server's words (the summary puts the label).
pub fn code_error(e: &super::client::ApiError) -> Option<FieldError> {
    if e.code != "CODE_INVALID" {
        return None;
    }
    let first = e.errors.first()?;
    let field = ["code", "recovery_code"]
        .into_iter()
        .find(|f| first.field.as_deref() == Some(*f))?;
    let strip = |m: &str| {
        m.strip_prefix(field)
            .and_then(|m| m.strip_prefix(": "))
            .unwrap_or(m)
            .to_owned()
    };
    Some(FieldError {
        field,
        focus_id: dom_id(field),
        problem: Problem::Rule {
            fa: strip(&first.message_fa),
            en: strip(&first.message_en),
        },
    })
}

/// The start of an audit row's hash, enough to compare by eye.
pub fn short_hash(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

#[cfg(test)]
mod code_tests {
    use super::*;

    #[test]
    fn a_refused_code_is_its_inputs_error() {
        let e = super::super::client::ApiError::read(
            401,
            r#"{"error": {"code": "CODE_INVALID", "field": "recovery_code", "message_fa": "recovery_code: نادرست", "message_en": "recovery_code: wrong"}}"#,
            None,
        );
        let named = code_error(&e).unwrap();
        assert_eq!(
            (named.field, named.focus_id.as_str()),
            ("recovery_code", "recovery_code")
        );
        assert_eq!(
            named.problem,
            Problem::Rule {
                fa: "نادرست".into(),
                en: "wrong".into()
            }
        );
        let other = super::super::client::ApiError::read(
            401,
            r#"{"error": {"code": "LOGIN_FAILED"}}"#,
            None,
        );
        assert!(code_error(&other).is_none());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::form::answers;
    use serde_json::json;

    #[test]
    fn groups_tracking_codes() {
        let code = TrackingCode::from_number(12_345_678_901)
            .digits()
            .to_owned();
        let grouped = grouped_code(&code);
        assert_eq!(grouped.len(), 14);
        assert_eq!(&grouped[4..5], "-");
        assert_eq!(grouped.replace('-', ""), code);
        assert_eq!(grouped_code("not a code"), "not a code");
    }

    #[test]
    fn reads_amounts_in_every_digit_script() {
        assert_eq!(parse_rials("۱٬۰۰۰٬۰۰۰"), Some(1_000_000));
        assert_eq!(parse_rials("١٢٣,٤٥٦"), Some(123_456));
        assert_eq!(parse_rials(" 2500 "), Some(2500));
        assert_eq!(parse_rials("12a"), None);
        assert_eq!(parse_rials(""), None);
        assert_eq!(rials_text(1_000_000, Lang::En), "1,000,000");
        assert_eq!(rials_text(1_000_000, Lang::Fa), "۱٬۰۰۰٬۰۰۰");
        assert_eq!(rials_text(999, Lang::En), "999");
    }

    #[test]
    fn shows_utc_times_in_tehran() {
        // 2024-10-05T20:29:59Z is 23:59:59 in Tehran; 20:30 is the next day (rules' own test).
        assert_eq!(unix_seconds("2024-10-05T20:29:59Z"), Some(1_728_160_199));
        assert_eq!(unix_seconds("1970-01-01T00:00:00.123Z"), Some(0));
        assert_eq!(unix_seconds("yesterday"), None);
        assert_eq!(
            tehran_time("2024-10-05T20:30:00Z", Lang::En).as_deref(),
            Some("15 Mehr 1403 00:00")
        );
        assert_eq!(
            tehran_time("2024-10-05T20:29:00Z", Lang::Fa),
            Some(format!(
                "{} ۲۳:۵۹",
                JalaliDate::parse("1403-07-14").unwrap().to_long_fa()
            ))
        );
        assert_eq!(jalali_text("1403-07-15", Lang::En), "15 Mehr 1403");
        assert_eq!(
            jalali_text("1403-07-15 10:20", Lang::En),
            "15 Mehr 1403 10:20"
        );
        assert_eq!(jalali_text("soon", Lang::Fa), "soon");
    }

    #[test]
    fn an_offices_name_is_the_servers_from_the_requests_own_route() {
        let offices = rules::requests::default_offices();
        // The server named it from the request's route (another university's "welfare").
        assert_eq!(
            state_name(
                "at_office:welfare",
                "در انتظار تأیید رفاه غرب",
                "Awaiting West welfare",
                &offices,
                Lang::Fa
            ),
            "در انتظار تأیید رفاه غرب"
        );
        assert_eq!(
            role_name(
                "clearance_office:welfare",
                "کارشناس رفاه غرب",
                "West welfare expert",
                &offices,
                Lang::En
            ),
            "West welfare expert"
        );
        // No text from the server (a role the admin may give): the list the page read.
        assert_eq!(
            role_name("clearance_office:welfare", "", "", &offices, Lang::Fa),
            "کارشناس اداره رفاه"
        );
        assert!(serves_faculty("faculty_expert") && serves_faculty("head_of_faculty_education"));
        assert!(!serves_faculty("university_user"));
        assert!(belongs_to_a_university("university_user"));
        assert!(belongs_to_a_university("clearance_office:welfare"));
        assert!(belongs_to_a_university("university_admin"));
        assert!(!belongs_to_a_university("admin"));
        assert!(!belongs_to_a_university("conscription_expert"));
    }

    #[test]
    fn names_come_from_the_rules_with_the_servers_text_for_unknown_offices() {
        assert_eq!(
            state_name("at_university", "", "", &[], Lang::Fa),
            "در کارتابل دانشگاه"
        );
        assert_eq!(
            state_name(
                "at_office:library",
                "در کتابخانه",
                "At the library",
                &[],
                Lang::En
            ),
            "At the library"
        );
        assert_eq!(
            role_name(
                "clearance_office:library",
                "کارشناس کتابخانه",
                "Library expert",
                &[],
                Lang::Fa
            ),
            "کارشناس کتابخانه"
        );
        assert_eq!(role_name("admin", "", "", &[], Lang::En), "Administrator");
        assert_eq!(
            process_name("withdrawal", Lang::En),
            "Withdrawal from study"
        );
        assert_eq!(action_name("submit", Lang::En), "Request filed");
        assert_eq!(action_name("issue", Lang::En), "Issue the exemption");
        assert_eq!(short_hash("0123456789abcdef0123"), "0123456789ab");
    }

    #[test]
    fn maps_server_errors_to_fields() {
        let fields = need_fields(&["instalments_end".to_owned(), "note".to_owned()]);
        let errors = [
            ServerError {
                field: Some("instalments_end".into()),
                message_fa: "instalments_end: پیش از آغاز است.".into(),
                message_en: "instalments_end: before the start.".into(),
            },
            ServerError {
                field: None,
                message_fa: "هنوز زود است.".into(),
                message_en: "Too early.".into(),
            },
        ];
        let (named, general) = split_errors(&errors, &fields, Lang::En);
        assert_eq!(named[0].focus_id, "instalments_end-day");
        assert_eq!(
            named[0].problem,
            Problem::Rule {
                fa: "پیش از آغاز است.".into(),
                en: "before the start.".into()
            }
        );
        assert_eq!(general, ["Too early."]);
    }

    #[test]
    fn reads_a_moves_data_from_its_inputs() {
        let needs: Vec<String> = ["debt_rials", "instalments_start", "instalments_end", "note"]
            .map(String::from)
            .to_vec();
        let fields = need_fields(&needs);
        assert_eq!(fields.len(), 4);
        let a = answers(&[
            ("debt_rials", "۲٬۵۰۰٬۰۰۰"),
            ("instalments_start.day", "1"),
            ("instalments_start.month", "8"),
            ("instalments_start.year", "1403"),
            ("instalments_end.day", "۱"),
            ("instalments_end.month", "۲"),
            ("instalments_end.year", "۱۴۰۴"),
        ]);
        assert_eq!(
            action_data(&fields, &a),
            Ok(
                json!({"debt_rials": 2_500_000, "instalments_start": "1403-08-01", "instalments_end": "1404-02-01"})
            )
        );
        let bad = answers(&[("debt_rials", "many")]);
        let errors = action_data(&fields, &bad).unwrap_err();
        assert!(errors
            .iter()
            .any(|e| e.field == "debt_rials" && e.problem == Problem::Count));
        assert!(errors.iter().any(|e| e.field == "instalments_start"));
        let yes_no = need_fields(&["editable".to_owned(), "note".to_owned()]);
        assert!(action_data(&yes_no, &Answers::default()).is_err());
        assert_eq!(
            action_data(
                &yes_no,
                &answers(&[("editable", "false"), ("note", " ok ")])
            ),
            Ok(json!({"editable": false, "note": "ok"}))
        );
    }
}
