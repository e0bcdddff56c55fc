//! Discharge from service to continue studies (`rules.md` §6b, Art. 35 note 2).

use serde::Serialize;

use crate::level::Level;
use crate::reason::{Code, Effect, Reason};

/// A validated discharge question.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct DischargeInput {
    pub had_initial_absence: bool,
    pub target_level: Level,
    pub emergency_or_war: bool,
}

/// Whether the conscript may be discharged, and why (every reason that applies).
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct DischargeOutcome {
    pub discharge_allowed: bool,
    pub reasons: Vec<Reason>,
}

/// Art. 35 note 2: a conscript already serving, who was not absent before he started, may be
/// discharged to continue studying at bachelor's level or above — except in emergencies and war.
pub fn discharge_for_study_art35_n2(input: &DischargeInput) -> DischargeOutcome {
    let article = "Art. 35 n.2";
    let mut reasons = Vec::new();
    if input.had_initial_absence {
        reasons.push(Reason::new(
            Code::InitialAbsence,
            article,
            Effect::Blocks,
            "شما پیش از شروع خدمت غیبت داشته‌اید؛ ترخیص برای ادامه تحصیل فقط برای کسانی است که غیبت اولیه نداشته‌اند.".into(),
            "you were absent before starting service; discharge to study is only for those with no initial absence.".into(),
        ));
    }
    if !input.target_level.is_bachelor_or_above() {
        reasons.push(Reason::new(
            Code::LevelBelowBachelor,
            article,
            Effect::Blocks,
            format!(
                "مقطع {} پایین‌تر از کارشناسی است؛ ترخیص فقط برای ادامه تحصیل در کارشناسی و بالاتر است.",
                input.target_level.name_fa()
            ),
            format!(
                "{} is below bachelor's level; discharge is only to study at bachelor's level or above.",
                input.target_level.name_en()
            ),
        ));
    }
    if input.emergency_or_war {
        reasons.push(Reason::new(
            Code::EmergencyOrWar,
            article,
            Effect::Blocks,
            "در شرایط اضطراری و جنگ ترخیص برای ادامه تحصیل ممکن نیست.".into(),
            "in emergencies and war there is no discharge to study.".into(),
        ));
    }
    let allowed = reasons.is_empty();
    if allowed {
        reasons.push(Reason::new(
            Code::DischargeForStudyAllowed,
            article,
            Effect::Info,
            format!(
                "بدون غیبت اولیه و برای ادامه تحصیل در مقطع {} می‌توانید برای ادامه تحصیل ترخیص شوید.",
                input.target_level.name_fa()
            ),
            format!(
                "with no initial absence, you may be discharged to continue studying at the {} level.",
                input.target_level.name_en()
            ),
        ));
    }
    DischargeOutcome {
        discharge_allowed: allowed,
        reasons,
    }
}
