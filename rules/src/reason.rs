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
    /// Every code, in declaration order.
    pub const ALL: [Code; 24] = [
        Code::InstitutionNotApproved,
        Code::UnjustifiedAbsence,
        Code::AdmissionAfterOneYear,
        Code::ExemptionAlreadyUsedForLevel,
        Code::WithdrawnRenewalUsed,
        Code::WithdrawnRenewalAllowed,
        Code::AllowedYearsExceeded,
        Code::CommissionExtension,
        Code::SchoolAgeLimit,
        Code::SeminaryNotCovered,
        Code::AbroadStaffChildExemption,
        Code::AbroadStaffChildNoExemption,
        Code::AbroadNotCovered,
        Code::PresentationDeadlinePassed,
        Code::RevocationWindowOpen,
        Code::RevocationDeadlinePassed,
        Code::RevocationAlreadyUsed,
        Code::TravelNoGuarantee,
        Code::TravelGuaranteeRequired,
        Code::WrittenUndertakingPossible,
        Code::DischargeForStudyAllowed,
        Code::InitialAbsence,
        Code::LevelBelowBachelor,
        Code::EmergencyOrWar,
    ];

    /// The code as the contract spells it (`INSTITUTION_NOT_APPROVED`); the same text as its
    /// serde form, without going through a serializer (the browser bundle carries no JSON path
    /// for it).
    pub fn id(self) -> &'static str {
        match self {
            Code::InstitutionNotApproved => "INSTITUTION_NOT_APPROVED",
            Code::UnjustifiedAbsence => "UNJUSTIFIED_ABSENCE",
            Code::AdmissionAfterOneYear => "ADMISSION_AFTER_ONE_YEAR",
            Code::ExemptionAlreadyUsedForLevel => "EXEMPTION_ALREADY_USED_FOR_LEVEL",
            Code::WithdrawnRenewalUsed => "WITHDRAWN_RENEWAL_USED",
            Code::WithdrawnRenewalAllowed => "WITHDRAWN_RENEWAL_ALLOWED",
            Code::AllowedYearsExceeded => "ALLOWED_YEARS_EXCEEDED",
            Code::CommissionExtension => "COMMISSION_EXTENSION",
            Code::SchoolAgeLimit => "SCHOOL_AGE_LIMIT",
            Code::SeminaryNotCovered => "SEMINARY_NOT_COVERED",
            Code::AbroadStaffChildExemption => "ABROAD_STAFF_CHILD_EXEMPTION",
            Code::AbroadStaffChildNoExemption => "ABROAD_STAFF_CHILD_NO_EXEMPTION",
            Code::AbroadNotCovered => "ABROAD_NOT_COVERED",
            Code::PresentationDeadlinePassed => "PRESENTATION_DEADLINE_PASSED",
            Code::RevocationWindowOpen => "REVOCATION_WINDOW_OPEN",
            Code::RevocationDeadlinePassed => "REVOCATION_DEADLINE_PASSED",
            Code::RevocationAlreadyUsed => "REVOCATION_ALREADY_USED",
            Code::TravelNoGuarantee => "TRAVEL_NO_GUARANTEE",
            Code::TravelGuaranteeRequired => "TRAVEL_GUARANTEE_REQUIRED",
            Code::WrittenUndertakingPossible => "WRITTEN_UNDERTAKING_POSSIBLE",
            Code::DischargeForStudyAllowed => "DISCHARGE_FOR_STUDY_ALLOWED",
            Code::InitialAbsence => "INITIAL_ABSENCE",
            Code::LevelBelowBachelor => "LEVEL_BELOW_BACHELOR",
            Code::EmergencyOrWar => "EMERGENCY_OR_WAR",
        }
    }

    /// The code named by its contract string.
    pub fn parse(code: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.id() == code)
    }

    /// The contract string, e.g. `ADMISSION_AFTER_ONE_YEAR`.
    pub fn as_str(self) -> String {
        self.id().to_owned()
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

impl Effect {
    /// The effect as the contract spells it (`blocks`, `review`, `info`).
    pub fn id(self) -> &'static str {
        match self {
            Effect::Blocks => "blocks",
            Effect::Review => "review",
            Effect::Info => "info",
        }
    }
}

impl Verdict {
    /// The verdict as the contract spells it (`eligible`, `ineligible`, `needs_review`).
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Eligible => "eligible",
            Verdict::Ineligible => "ineligible",
            Verdict::NeedsReview => "needs_review",
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_id<T: Serialize>(value: T) -> String {
        serde_json::to_value(value)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn ids_are_the_serde_forms() {
        for code in Code::ALL {
            assert_eq!(code.id(), serde_id(code));
            assert_eq!(Code::parse(code.id()), Some(code));
            let from_serde: Code = serde_json::from_value(serde_json::json!(code.id())).unwrap();
            assert_eq!(from_serde, code);
        }
        assert_eq!(Code::parse("NO_SUCH_CODE"), None);
        for effect in [Effect::Blocks, Effect::Review, Effect::Info] {
            assert_eq!(effect.id(), serde_id(effect));
        }
        for verdict in [Verdict::Eligible, Verdict::Ineligible, Verdict::NeedsReview] {
            assert_eq!(verdict.id(), serde_id(verdict));
        }
    }
}
