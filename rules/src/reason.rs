//! Reasons (why a rule answered as it did), their effects, and the verdict they add up to.

use serde::{Deserialize, Serialize};

/// What a reason does to the answer.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Makes the answer "no" (the verdict `ineligible`).
    Blocks,
    /// Needs a person to decide (the verdict `needs_review` unless something blocks).
    Review,
    /// Explains; changes nothing.
    Info,
}

/// Every reason code of `rules.md` §3–§6b.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
    InstitutionNotApproved,
    UnjustifiedAbsence,
    AdmissionAfterOneYear,
    ExemptionAlreadyUsedForLevel,
    WithdrawnRenewalUsed,
    WithdrawnRenewalAllowed,
    AllowedYearsExceeded,
    CommissionExtension,
    SchoolAgeLimit,
    SeminaryNotCovered,
    AbroadStaffChildExemption,
    AbroadStaffChildNoExemption,
    AbroadNotCovered,
    PresentationDeadlinePassed,
    RevocationWindowOpen,
    RevocationDeadlinePassed,
    RevocationAlreadyUsed,
    TravelNoGuarantee,
    TravelGuaranteeRequired,
    WrittenUndertakingPossible,
    DischargeForStudyAllowed,
    InitialAbsence,
    LevelBelowBachelor,
    EmergencyOrWar,
}

impl Code {
    /// The code named by its contract string.
    pub fn parse(code: &str) -> Option<Code> {
        serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
    }

    /// The contract string, e.g. `ADMISSION_AFTER_ONE_YEAR`.
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// One reason in an answer: which rule, from which article, with what effect, said concretely
/// (with the dates involved) in Persian and in English.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct Reason {
    pub code: Code,
    pub article: &'static str,
    pub effect: Effect,
    pub message_fa: String,
    pub message_en: String,
}

impl Reason {
    pub fn new(
        code: Code,
        article: &'static str,
        effect: Effect,
        message_fa: String,
        message_en: String,
    ) -> Self {
        Reason {
            code,
            article,
            effect,
            message_fa,
            message_en,
        }
    }
}

/// The pre-check's answer.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Eligible,
    Ineligible,
    NeedsReview,
}

impl Verdict {
    /// `ineligible` if any reason blocks, else `needs_review` if any asks review, else `eligible`.
    pub fn from_reasons(reasons: &[Reason]) -> Verdict {
        if reasons.iter().any(|r| r.effect == Effect::Blocks) {
            Verdict::Ineligible
        } else if reasons.iter().any(|r| r.effect == Effect::Review) {
            Verdict::NeedsReview
        } else {
            Verdict::Eligible
        }
    }
}
