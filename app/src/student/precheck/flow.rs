//! The pre-check interview as data: its question pages, which of them apply to the answers so
//! far, where "continue" and "back" lead, and the answers turned into the rules' verdict.

use rules::contract::{RawAbroad, RawPrecheck};
use rules::precheck::{precheck, PrecheckInput, PrecheckOutcome};
use rules::{InputError, JalaliDate, Level};

use crate::shell::form::{validate_all, Answers, Field, FieldError, Kind};

/// One question page of the pre-check.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Step {
    Level,
    BirthDate,
    StudyStart,
    PreviousGraduation,
    Institution,
    Absence,
    EarlierExemption,
    Withdrew,
    Renewals,
    Commission,
    Abroad,
    AbroadStaff,
    AbroadDetails,
}

const LEVEL: &[Field] = &[Field::new("level", Kind::Levels)];
const BIRTH_DATE: &[Field] = &[Field::new("birth_date", Kind::Date)];
const STUDY_START: &[Field] = &[Field::new("study_start", Kind::Date)];
const PREVIOUS_GRADUATION: &[Field] = &[Field::optional("previous_graduation", Kind::Date)];
const INSTITUTION: &[Field] = &[Field::new("institution_approved", Kind::YesNo)];
const ABSENCE: &[Field] = &[Field::new("unjustified_absence", Kind::YesNo)];
const EARLIER: &[Field] = &[Field::new("prior_exemption_same_level", Kind::YesNo)];
const WITHDREW: &[Field] = &[Field::new("withdrew_from_same_level", Kind::YesNo)];
const RENEWALS: &[Field] = &[Field::new("withdrawn_renewals_used", Kind::Count)];
const COMMISSION: &[Field] = &[Field::new("commission_extension", Kind::YesNo)];
const ABROAD: &[Field] = &[Field::new("abroad", Kind::Section)];
const ABROAD_STAFF: &[Field] = &[Field::new(
    "abroad.parent_permanent_government_staff",
    Kind::YesNo,
)];
const ABROAD_DETAILS: &[Field] = &[
    Field::new("abroad.semesters_completed", Kind::Count),
    Field::new("abroad.exit_date", Kind::Date),
    Field::new("abroad.university_entry", Kind::Date),
];

impl Step {
    pub const ALL: [Step; 13] = [
        Step::Level,
        Step::BirthDate,
        Step::StudyStart,
        Step::PreviousGraduation,
        Step::Institution,
        Step::Absence,
        Step::EarlierExemption,
        Step::Withdrew,
        Step::Renewals,
        Step::Commission,
        Step::Abroad,
        Step::AbroadStaff,
        Step::AbroadDetails,
    ];

    /// The page's path segment under `/precheck/`.
    pub fn slug(self) -> &'static str {
        match self {
            Step::Level => "level",
            Step::BirthDate => "birth-date",
            Step::StudyStart => "study-start",
            Step::PreviousGraduation => "previous-graduation",
            Step::Institution => "institution",
            Step::Absence => "absence",
            Step::EarlierExemption => "earlier-exemption",
            Step::Withdrew => "withdrew",
            Step::Renewals => "renewals",
            Step::Commission => "commission",
            Step::Abroad => "abroad",
            Step::AbroadStaff => "abroad-staff",
            Step::AbroadDetails => "abroad-details",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.slug() == slug)
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Step::Level => LEVEL,
            Step::BirthDate => BIRTH_DATE,
            Step::StudyStart => STUDY_START,
            Step::PreviousGraduation => PREVIOUS_GRADUATION,
            Step::Institution => INSTITUTION,
            Step::Absence => ABSENCE,
            Step::EarlierExemption => EARLIER,
            Step::Withdrew => WITHDREW,
            Step::Renewals => RENEWALS,
            Step::Commission => COMMISSION,
            Step::Abroad => ABROAD,
            Step::AbroadStaff => ABROAD_STAFF,
            Step::AbroadDetails => ABROAD_DETAILS,
        }
    }
}

/// The pages that apply to these answers, in order. A page is left out only when its answer
/// cannot change the result or its reasons: the birth date matters only for school students,
/// the study start and previous graduation for everyone else; "withdrew" only after an earlier
/// exemption, renewals only after withdrawing; the commission only where there is a study cap
/// (not school, not seminary); the consular questions only when studying abroad.
pub fn sequence(answers: &Answers) -> Vec<Step> {
    let level = Level::from_id(answers.get("level"));
    let mut steps = vec![Step::Level];
    if level == Some(Level::School) {
        steps.push(Step::BirthDate);
    } else {
        steps.extend([Step::StudyStart, Step::PreviousGraduation]);
    }
    steps.extend([Step::Institution, Step::Absence, Step::EarlierExemption]);
    if answers.is_yes("prior_exemption_same_level") {
        steps.push(Step::Withdrew);
        if answers.is_yes("withdrew_from_same_level") {
            steps.push(Step::Renewals);
        }
    }
    if !matches!(level, Some(Level::School | Level::Seminary)) {
        steps.push(Step::Commission);
    }
    steps.push(Step::Abroad);
    if answers.is_yes("abroad") {
        steps.push(Step::AbroadStaff);
        if answers.is_yes("abroad.parent_permanent_government_staff") {
            steps.push(Step::AbroadDetails);
        }
    }
    steps
}

/// Where a page leads: a question page, the check-answers page, or the result.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Page {
    Start,
    Question(Step),
    Check,
    Result,
}

impl Page {
    pub fn href(self) -> String {
        match self {
            Page::Start => "/".into(),
            Page::Question(step) => format!("/precheck/{}", step.slug()),
            Page::Check => "/precheck/check".into(),
            Page::Result => "/precheck/result".into(),
        }
    }
}

/// The page after `step`: the next applicable question, or the check-answers page. When coming
/// from the check-answers page (`returning`), the first question still unanswered, else back there.
pub fn next(step: Step, answers: &Answers, returning: bool) -> Page {
    let steps = sequence(answers);
    if returning {
        return first_unanswered(answers).map_or(Page::Check, Page::Question);
    }
    steps
        .iter()
        .skip_while(|s| **s != step)
        .nth(1)
        .map_or(Page::Check, |s| Page::Question(*s))
}

/// The page before `step` (the start page before the first question).
pub fn back(step: Step, answers: &Answers) -> Page {
    let steps = sequence(answers);
    match steps.iter().position(|s| *s == step) {
        Some(0) | None => Page::Start,
        Some(i) => Page::Question(steps[i - 1]),
    }
}

/// The last question, where "back" leads from the check-answers page.
pub fn last_step(answers: &Answers) -> Step {
    *sequence(answers).last().unwrap_or(&Step::Level)
}

/// The problems of one page's answers.
pub fn errors(step: Step, answers: &Answers) -> Vec<FieldError> {
    validate_all(step.fields(), answers)
}

/// The first applicable question whose answer is missing or wrong.
pub fn first_unanswered(answers: &Answers) -> Option<Step> {
    sequence(answers)
        .into_iter()
        .find(|s| !errors(*s, answers).is_empty())
}

/// Runs the rules on complete answers. `Err` names the first page to fix.
pub fn outcome(answers: &Answers, today: JalaliDate) -> Result<PrecheckOutcome, Step> {
    if let Some(step) = first_unanswered(answers) {
        return Err(step);
    }
    let input =
        PrecheckInput::try_from(raw_input(answers, today)).map_err(|e: InputError| step_of(&e))?;
    Ok(precheck(&input))
}

/// The contract's raw pre-check input from the answers, typed (no JSON between the pages and the
/// rules): the fields of the pages that apply, each as `shell::form::to_json` would give it — a
/// date in machine form, yes/no as a boolean, `abroad` absent when answered no.
fn raw_input(answers: &Answers, today: JalaliDate) -> RawPrecheck {
    let steps = sequence(answers);
    let asked = |name: &str| {
        steps
            .iter()
            .any(|s| s.fields().iter().any(|f| f.name == name))
    };
    let date = |name: &str| asked(name).then(|| answers.date_text(name)).flatten();
    let yes = |name: &str| asked(name).then(|| answers.is_yes(name));
    let count = |name: &str| asked(name).then(|| answers.count(name)).flatten();
    let abroad = (yes("abroad") == Some(true)).then(|| RawAbroad {
        parent_permanent_government_staff: yes("abroad.parent_permanent_government_staff"),
        semesters_completed: count("abroad.semesters_completed"),
        exit_date: date("abroad.exit_date"),
        university_entry: date("abroad.university_entry"),
    });
    RawPrecheck {
        today: Some(today.to_machine()),
        birth_date: date("birth_date"),
        level: asked("level").then(|| answers.get("level").trim().to_owned()),
        study_start: date("study_start"),
        previous_graduation: date("previous_graduation"),
        institution_approved: yes("institution_approved"),
        unjustified_absence: yes("unjustified_absence"),
        prior_exemption_same_level: yes("prior_exemption_same_level"),
        withdrew_from_same_level: yes("withdrew_from_same_level"),
        withdrawn_renewals_used: count("withdrawn_renewals_used"),
        commission_extension: yes("commission_extension"),
        abroad,
    }
}

fn step_of(error: &InputError) -> Step {
    let field = error.field.as_deref().unwrap_or_default();
    Step::ALL
        .into_iter()
        .find(|s| s.fields().iter().any(|f| field.starts_with(f.name)))
        .unwrap_or(Step::Level)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::form::answers;

    fn date(a: &mut Answers, field: &str, y: &str, m: &str, d: &str) {
        a.set(&format!("{field}.year"), y.into());
        a.set(&format!("{field}.month"), m.into());
        a.set(&format!("{field}.day"), d.into());
    }

    #[test]
    fn school_students_get_the_birth_date_and_no_commission() {
        let steps = sequence(&answers(&[("level", "school")]));
        assert!(steps.contains(&Step::BirthDate));
        assert!(!steps.contains(&Step::StudyStart));
        assert!(!steps.contains(&Step::Commission));
        let steps = sequence(&answers(&[("level", "phd")]));
        assert!(!steps.contains(&Step::BirthDate));
        assert!(steps.contains(&Step::Commission));
    }

    #[test]
    fn consular_questions_only_when_abroad() {
        let a = answers(&[("abroad", "false")]);
        assert_eq!(next(Step::Abroad, &a, false), Page::Check);
        let a = answers(&[
            ("abroad", "true"),
            ("abroad.parent_permanent_government_staff", "true"),
        ]);
        assert_eq!(
            next(Step::Abroad, &a, false),
            Page::Question(Step::AbroadStaff)
        );
        assert_eq!(
            next(Step::AbroadStaff, &a, false),
            Page::Question(Step::AbroadDetails)
        );
        assert_eq!(
            back(Step::AbroadDetails, &a),
            Page::Question(Step::AbroadStaff)
        );
        assert_eq!(back(Step::Level, &a), Page::Start);
    }

    /// The typed input is what the JSON contract made of the same answers.
    #[test]
    fn typed_input_is_the_contracts_reading_of_the_answers() {
        use crate::shell::form::to_json;
        use rules::contract::decode;
        let today = JalaliDate::new(1403, 7, 15).unwrap();
        let base = [
            ("institution_approved", "true"),
            ("unjustified_absence", "false"),
            ("prior_exemption_same_level", "true"),
            ("withdrew_from_same_level", "true"),
            ("withdrawn_renewals_used", "۱"),
            ("commission_extension", "true"),
        ];
        let mut cases = vec![];
        for (level, abroad, staff) in [
            ("school", "false", "false"),
            ("master_continuous", "true", "false"),
            ("phd", "true", "true"),
            ("seminary", "false", "true"),
        ] {
            let mut a = answers(&base);
            a.set("level", level.into());
            a.set("abroad", abroad.into());
            a.set("abroad.parent_permanent_government_staff", staff.into());
            a.set("abroad.semesters_completed", "3".into());
            date(&mut a, "birth_date", "1390", "1", "2");
            date(&mut a, "study_start", "1401", "7", "1");
            date(&mut a, "previous_graduation", "1400", "4", "31");
            date(&mut a, "abroad.exit_date", "1402", "1", "1");
            date(&mut a, "abroad.university_entry", "1401", "12", "1");
            cases.push(a);
        }
        for a in cases {
            let fields: Vec<&Field> = sequence(&a).into_iter().flat_map(|s| s.fields()).collect();
            let json = to_json(fields, &a, &[("today", today.to_machine().into())]);
            let from_json: Result<PrecheckInput, InputError> = decode::<RawPrecheck, _>(json);
            assert_eq!(
                PrecheckInput::try_from(raw_input(&a, today)),
                from_json,
                "{a:?}"
            );
        }
    }

    #[test]
    fn complete_answers_give_the_rules_outcome() {
        let mut a = answers(&[
            ("level", "bachelor_continuous"),
            ("institution_approved", "true"),
            ("unjustified_absence", "false"),
            ("prior_exemption_same_level", "false"),
            ("commission_extension", "false"),
            ("abroad", "false"),
        ]);
        let today = JalaliDate::new(1403, 7, 15).unwrap();
        assert_eq!(outcome(&a, today).unwrap_err(), Step::StudyStart);
        date(&mut a, "study_start", "۱۴۰۱", "۷", "۱");
        let out = outcome(&a, today).unwrap();
        assert_eq!(out.verdict, rules::Verdict::Eligible);
        assert_eq!(out.exemption_until.unwrap().to_machine(), "1406-07-01");
        // Returning from the check page after a change leads back there when all is answered.
        assert_eq!(next(Step::Level, &a, true), Page::Check);
    }
}
