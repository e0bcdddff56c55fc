//! The educational-exemption pre-check (`rules.md` §3): one function per article, and
//! [`precheck`] that runs them all and reports every reason that applies.

use serde::Serialize;

use crate::date::JalaliDate;
use crate::digits::to_persian_digits;
use crate::level::Level;
use crate::params::{self, Limit};
use crate::reason::{Code, Effect, Reason, Verdict};

/// A validated pre-check question. Built by [`crate::contract`] from the JSON contract, which
/// guarantees `birth_date` for `school` and `study_start` for every other level.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PrecheckInput {
    pub today: JalaliDate,
    pub level: Level,
    pub birth_date: Option<JalaliDate>,
    pub study_start: Option<JalaliDate>,
    pub previous_graduation: Option<JalaliDate>,
    pub institution_approved: bool,
    pub unjustified_absence: bool,
    pub prior_exemption_same_level: bool,
    pub withdrew_from_same_level: bool,
    pub withdrawn_renewals_used: u32,
    pub commission_extension: bool,
    pub abroad: Option<Abroad>,
}

/// Studying at a university abroad.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Abroad {
    /// A child of permanent government staff posted abroad (the consular rules).
    StaffChild {
        semesters_completed: u32,
        exit_date: JalaliDate,
        university_entry: JalaliDate,
    },
    /// Anyone else studying abroad.
    Other,
}

/// Which consular case applies to a staff child.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsularCase {
    A,
    B,
}

/// What the consular rules give a staff child studying abroad.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct AbroadOutcome {
    pub case: ConsularCase,
    /// An exit permit is issued in both cases.
    pub exit_permit: bool,
    /// Case (b) only: the foreign ministry's approval and a written undertaking, while the
    /// parent's mission lasts.
    pub exit_permit_conditions: Vec<&'static str>,
    /// Case (a): yes; case (b): no.
    pub study_exemption: bool,
    /// The study cap is the one of the same level inside Iran.
    pub study_cap: &'static str,
    /// At the end of study, a dispatch sheet with no absence after presenting on time.
    pub dispatch_sheet: &'static str,
}

/// The pre-check's answer: verdict, the dates that apply, and every reason.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct PrecheckOutcome {
    pub verdict: Verdict,
    pub exemption_until: Option<JalaliDate>,
    pub study_until: Option<JalaliDate>,
    pub study_until_with_commission: Option<JalaliDate>,
    pub reasons: Vec<Reason>,
    /// Present for a child of permanent government staff studying abroad.
    pub abroad: Option<AbroadOutcome>,
}

/// Runs every rule of §3 and adds their reasons up, in the order of the table in `rules.md`.
pub fn precheck(input: &PrecheckInput) -> PrecheckOutcome {
    let study_until = study_until_art33_n1(input.level, input.study_start);
    let study_until_with_commission = study_until.map(commission_until_art33_n2);
    let age_limit = match (input.level, input.birth_date) {
        (Level::School, Some(birth)) => Some(school_age_limit_art33_n1(birth)),
        _ => None,
    };
    let exemption_until = match input.level {
        Level::School => age_limit,
        _ if input.commission_extension => study_until_with_commission,
        _ => study_until,
    };

    let mut reasons: Vec<Reason> = [
        institution_art31(input.institution_approved, input.level),
        absence_art35(input.unjustified_absence),
        input
            .previous_graduation
            .zip(input.study_start)
            .and_then(|(grad, start)| admission_gap_art35(input.level, grad, start)),
        exemption_used_art35(
            input.prior_exemption_same_level,
            input.withdrew_from_same_level,
        ),
        withdrawn_renewal_art35_n1(
            input.prior_exemption_same_level && input.withdrew_from_same_level,
            input.withdrawn_renewals_used,
            input.today,
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let (Some(until), Some(start)) = (study_until, input.study_start) {
        reasons.extend(allowed_years_art33(
            input.level,
            start,
            until,
            input.commission_extension,
            input.today,
        ));
    }
    if let (Some(limit), Some(birth)) = (age_limit, input.birth_date) {
        reasons.extend(school_age_art33_n1(birth, limit, input.today));
    }
    reasons.extend(seminary_art33_n1(input.level));
    let abroad = input.abroad.map(consular_rules);
    let abroad_outcome = abroad.as_ref().and_then(|(_, outcome)| outcome.clone());
    reasons.extend(abroad.map(|(reason, _)| reason));

    PrecheckOutcome {
        verdict: Verdict::from_reasons(&reasons),
        exemption_until,
        study_until,
        study_until_with_commission,
        reasons,
        abroad: abroad_outcome,
    }
}

/// Art. 33 note 1: the longest educational exemption of a university level, counted from the
/// start of study — 2.5 years for associate, 3 for non-continuous bachelor's and master's, 5 for
/// continuous bachelor's, 6 for continuous master's, 8 for the medical doctorate, 6 for the PhD.
/// `None` for school students (age limit instead) and seminary students (no figure given).
pub fn study_until_art33_n1(level: Level, study_start: Option<JalaliDate>) -> Option<JalaliDate> {
    let start = study_start?;
    let months = params::max_study_months(level, start)?;
    Some(start.add_months(months as i32))
}

/// Art. 33 note 2: when needed, the university's special-cases commission may add at most one
/// year to the maximum period.
pub fn commission_until_art33_n2(study_until: JalaliDate) -> JalaliDate {
    let months = params::value(Limit::CommissionExtensionMonths, study_until);
    study_until.add_months(months as i32)
}

/// Art. 33 note 1: school students are exempt at most until they turn twenty.
pub fn school_age_limit_art33_n1(birth_date: JalaliDate) -> JalaliDate {
    birth_date.add_months(params::value(Limit::SchoolAgeMonths, birth_date) as i32)
}

/// Art. 31: only students of schools approved by the ministry of education, and of universities
/// and institutes approved by the ministries of science or health (and seminary students), are
/// exempt while they study.
pub fn institution_art31(approved: bool, level: Level) -> Option<Reason> {
    if approved {
        return None;
    }
    let (ministry_fa, ministry_en) = match level {
        Level::School => ("وزارت آموزش و پرورش", "the ministry of education"),
        Level::Seminary => ("مراجع حوزه علمیه", "the seminary authorities"),
        _ => (
            "وزارت علوم یا وزارت بهداشت",
            "the ministry of science or the ministry of health",
        ),
    };
    Some(Reason::new(
        Code::InstitutionNotApproved,
        "Art. 31",
        Effect::Blocks,
        format!(
            "محل تحصیل شما مورد تأیید {ministry_fa} نیست؛ معافیت تحصیلی فقط به دانش‌آموزان و دانشجویان مراکز تأییدشده داده می‌شود."
        ),
        format!(
            "your place of study is not approved by {ministry_en}; the exemption is only for students of approved institutions."
        ),
    ))
}

/// Art. 35: a conscript who is absent (missed his deadline to present for service) cannot get the
/// educational exemption.
pub fn absence_art35(unjustified_absence: bool) -> Option<Reason> {
    unjustified_absence.then(|| {
        Reason::new(
            Code::UnjustifiedAbsence,
            "Art. 35",
            Effect::Blocks,
            "شما غایب هستید (مهلت معرفی خود برای خدمت را از دست داده‌اید)؛ به مشمول غایب معافیت تحصیلی داده نمی‌شود.".into(),
            "you are absent (you missed your deadline to present for service); an absent conscript gets no educational exemption.".into(),
        )
    })
}

/// Art. 35 (first university level after the diploma), and Art. 33 with Art. 34 note 1 (any later
/// level): study must start at most one year after graduating from the previous level. The start
/// on the last day of that year is in time; the day after is late.
pub fn admission_gap_art35(
    level: Level,
    previous_graduation: JalaliDate,
    study_start: JalaliDate,
) -> Option<Reason> {
    let window = params::value(Limit::AdmissionWindowMonths, study_start);
    let last_day = previous_graduation.add_months(window as i32);
    if study_start <= last_day {
        return None;
    }
    let article = if level.entered_from_diploma() {
        "Art. 35"
    } else {
        "Art. 33, 34 n.1"
    };
    Some(Reason::new(
        Code::AdmissionAfterOneYear,
        article,
        Effect::Blocks,
        format!(
            "شروع تحصیل در {}، بیش از یک سال پس از فراغت از تحصیل مقطع قبل در {} است؛ آخرین روز مجاز {} بود.",
            study_start.to_long_fa(),
            previous_graduation.to_long_fa(),
            last_day.to_long_fa()
        ),
        format!(
            "admitted on {}, more than one year after graduating on {}; the last day was {}.",
            study_start.to_slashed(),
            previous_graduation.to_slashed(),
            last_day.to_slashed()
        ),
    ))
}

/// Art. 35: the educational exemption is given once per level; someone who already had it at
/// this level (and did not withdraw from it) cannot get it again.
pub fn exemption_used_art35(prior_exemption: bool, withdrew: bool) -> Option<Reason> {
    (prior_exemption && !withdrew).then(|| {
        Reason::new(
            Code::ExemptionAlreadyUsedForLevel,
            "Art. 35",
            Effect::Blocks,
            "شما پیش‌تر در همین مقطع از معافیت تحصیلی استفاده کرده‌اید و معافیت هر مقطع یک بار داده می‌شود.".into(),
            "you already had the educational exemption at this level, and it is given once per level.".into(),
        )
    })
}

/// Art. 35 note 1: someone who withdrew from a level may be exempted at the same level once more,
/// and only once.
pub fn withdrawn_renewal_art35_n1(
    withdrew_after_exemption: bool,
    renewals_used: u32,
    today: JalaliDate,
) -> Option<Reason> {
    if !withdrew_after_exemption {
        return None;
    }
    let allowed = params::value(Limit::WithdrawnRenewalsAllowed, today);
    Some(if renewals_used >= allowed {
        Reason::new(
            Code::WithdrawnRenewalUsed,
            "Art. 35 n.1",
            Effect::Blocks,
            to_persian_digits(&format!(
                "پس از انصراف از این مقطع، {renewals_used} بار دوباره معافیت گرفته‌اید؛ فقط {allowed} بار مجاز است."
            )),
            format!(
                "after withdrawing from this level you were exempted again {renewals_used} time(s); only {allowed} is allowed."
            ),
        )
    } else {
        Reason::new(
            Code::WithdrawnRenewalAllowed,
            "Art. 35 n.1",
            Effect::Info,
            "شما از این مقطع انصراف داده‌اید؛ یک بار دیگر می‌توانید در همین مقطع معافیت تحصیلی بگیرید.".into(),
            "you withdrew from this level; you may be exempted at this level once more.".into(),
        )
    })
}

/// Art. 33 note 1 with note 2: past the maximum period of the level the exemption ends, unless the
/// special-cases commission added its year and that year has not ended either; inside that year
/// the commission's extension is what keeps the exemption.
pub fn allowed_years_art33(
    level: Level,
    study_start: JalaliDate,
    study_until: JalaliDate,
    commission_extension: bool,
    today: JalaliDate,
) -> Option<Reason> {
    if today <= study_until {
        return None;
    }
    let with_commission = commission_until_art33_n2(study_until);
    let (period_fa, period_en) = describe_period(level, study_start);
    if commission_extension && today <= with_commission {
        return Some(Reason::new(
            Code::CommissionExtension,
            "Art. 33 n.2",
            Effect::Info,
            format!(
                "سنوات مجاز مقطع {} ({period_fa} از {}) در {} تمام شد، اما با تمدید کمیسیون موارد خاص معافیت شما تا {} ادامه دارد.",
                level.name_fa(),
                study_start.to_long_fa(),
                study_until.to_long_fa(),
                with_commission.to_long_fa()
            ),
            format!(
                "the allowed period of the {} level ({period_en} from {}) ended on {}, but the special-cases commission's extension keeps you exempt until {}.",
                level.name_en(),
                study_start.to_slashed(),
                study_until.to_slashed(),
                with_commission.to_slashed()
            ),
        ));
    }
    let (extra_fa, extra_en) = if commission_extension {
        (
            format!(
                "؛ سال تمدید کمیسیون موارد خاص هم در {} تمام شد",
                with_commission.to_long_fa()
            ),
            format!(
                "; the special-cases commission's extra year also ended on {}",
                with_commission.to_slashed()
            ),
        )
    } else {
        (String::new(), String::new())
    };
    Some(Reason::new(
        Code::AllowedYearsExceeded,
        "Art. 33 n.1",
        Effect::Blocks,
        format!(
            "سنوات مجاز مقطع {} ({period_fa} از {}) در {} تمام شده است{extra_fa}.",
            level.name_fa(),
            study_start.to_long_fa(),
            study_until.to_long_fa()
        ),
        format!(
            "the allowed period of the {} level ({period_en} from {}) ended on {}{extra_en}.",
            level.name_en(),
            study_start.to_slashed(),
            study_until.to_slashed()
        ),
    ))
}

/// Art. 33 note 1: a school student's exemption ends at twenty; the day after the 20th birthday is
/// past it.
pub fn school_age_art33_n1(
    birth_date: JalaliDate,
    limit: JalaliDate,
    today: JalaliDate,
) -> Option<Reason> {
    (today > limit).then(|| {
        Reason::new(
            Code::SchoolAgeLimit,
            "Art. 33 n.1",
            Effect::Blocks,
            format!(
                "معافیت تحصیلی دانش‌آموزان تا ۲۰ سالگی است؛ شما متولد {} هستید و در {} بیست ساله شدید.",
                birth_date.to_long_fa(),
                limit.to_long_fa()
            ),
            format!(
                "school students are exempt until they turn 20; born on {}, you turned 20 on {}.",
                birth_date.to_slashed(),
                limit.to_slashed()
            ),
        )
    })
}

/// Art. 33 note 1 names no maximum period for seminary students, so a person must decide.
pub fn seminary_art33_n1(level: Level) -> Option<Reason> {
    (level == Level::Seminary).then(|| {
        Reason::new(
            Code::SeminaryNotCovered,
            "Art. 33 n.1",
            Effect::Review,
            "قانون برای طلاب حوزه علمیه سقف سنوات تعیین نکرده است؛ درخواست شما باید به‌صورت موردی بررسی شود.".into(),
            "the law sets no maximum period for seminary students; your case must be reviewed by a person.".into(),
        )
    })
}

/// The consular rules for children of permanent government staff posted abroad who study at a
/// university where the parent serves: (a) with at most four semesters behind them and university
/// entered within a year of leaving Iran, they get an exit permit and the exemption; (b) otherwise
/// (our reading: any case that is not (a)), Art. 103 note 2 applies — exit permit with the foreign
/// ministry's approval and a written undertaking while the mission lasts, and no exemption. Anyone
/// else studying abroad is outside these rules (Art. 35 speaks only of domestic study) and needs a
/// person's review.
pub fn consular_rules(abroad: Abroad) -> (Reason, Option<AbroadOutcome>) {
    let Abroad::StaffChild {
        semesters_completed,
        exit_date,
        university_entry,
    } = abroad
    else {
        return (
            Reason::new(
                Code::AbroadNotCovered,
                "Art. 35",
                Effect::Review,
                "تحصیل در خارج از کشور برای کسی که فرزند مأمور ثابت دولت نیست در این بررسی پوشش داده نمی‌شود و باید به‌صورت موردی بررسی شود.".into(),
                "study abroad by someone who is not a child of permanent government staff is not covered by this check and must be reviewed by a person.".into(),
            ),
            None,
        );
    };
    let max_semesters = params::value(Limit::AbroadMaxSemesters, exit_date);
    let window = params::value(Limit::AbroadEntryWindowMonths, exit_date);
    let entry_by = exit_date.add_months(window as i32);
    let few_semesters = semesters_completed <= max_semesters;
    let entered_in_time = university_entry <= entry_by;
    let facts_fa = to_persian_digits(&format!(
        "{semesters_completed} نیمسال گذرانده‌اید (سقف {max_semesters})، و ورود به دانشگاه در {} بوده که {} مهلت یک‌ساله پس از خروج در {} (تا {}) است",
        university_entry.to_long_fa(),
        if entered_in_time { "درون" } else { "بیرون از" },
        exit_date.to_long_fa(),
        entry_by.to_long_fa()
    ));
    let facts_en = format!(
        "you have completed {semesters_completed} semester(s) (at most {max_semesters}), and entered university on {}, {} the one-year window after leaving Iran on {} (until {})",
        university_entry.to_slashed(),
        if entered_in_time { "inside" } else { "outside" },
        exit_date.to_slashed(),
        entry_by.to_slashed()
    );
    let outcome = |case, study_exemption, conditions| AbroadOutcome {
        case,
        exit_permit: true,
        exit_permit_conditions: conditions,
        study_exemption,
        study_cap: "as_domestic",
        dispatch_sheet: "after_timely_presentation_without_absence",
    };
    if few_semesters && entered_in_time {
        (
            Reason::new(
                Code::AbroadStaffChildExemption,
                "consular (a)",
                Effect::Info,
                format!("{facts_fa}؛ مجوز خروج و معافیت تحصیلی داده می‌شود و سقف سنوات همانند داخل کشور است."),
                format!("{facts_en}; you get an exit permit and the exemption, with the same study cap as in Iran."),
            ),
            Some(outcome(ConsularCase::A, true, vec![])),
        )
    } else {
        (
            Reason::new(
                Code::AbroadStaffChildNoExemption,
                "consular (b); Art. 103 n.2",
                Effect::Blocks,
                format!("{facts_fa}؛ معافیت تحصیلی داده نمی‌شود، اما مجوز خروج با موافقت وزارت امور خارجه و تعهد کتبی، تا پایان مأموریت والد، داده می‌شود."),
                format!("{facts_en}; no educational exemption, but an exit permit with the foreign ministry's approval and a written undertaking, while the parent's mission lasts."),
            ),
            Some(outcome(
                ConsularCase::B,
                false,
                vec!["foreign_ministry_approval", "written_undertaking", "while_parent_mission_lasts"],
            )),
        )
    }
}

/// The level's maximum period in words: "5 years", "2.5 years" (۵ سال، ۲ و نیم سال).
fn describe_period(level: Level, on: JalaliDate) -> (String, String) {
    let months = params::max_study_months(level, on).unwrap_or(0);
    let (years, rest) = (months / 12, months % 12);
    match rest {
        0 => (
            to_persian_digits(&format!("{years} سال")),
            format!("{years} years"),
        ),
        6 => (
            to_persian_digits(&format!("{years} و نیم سال")),
            format!("{years}.5 years"),
        ),
        _ => (
            to_persian_digits(&format!("{months} ماه")),
            format!("{months} months"),
        ),
    }
}
