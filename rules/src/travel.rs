//! Temporary travel abroad of a student (`rules.md` §6, Art. 103 of the executive regulation).

use serde::Serialize;

use crate::reason::{Code, Effect, Reason};

/// A validated travel question.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct TravelInput {
    pub has_valid_exemption: bool,
    pub admitted_via_national_exam: bool,
    pub university_letter: bool,
    pub seminary_council_confirmation: bool,
}

/// Whether a guarantee is needed, and which kinds may be given.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct TravelOutcome {
    pub guarantee_required: bool,
    pub options: Vec<&'static str>,
    pub reasons: Vec<Reason>,
}

/// Art. 103 with notes 1 and 3: a student with a valid educational exemption who entered through
/// the national entrance exam and is introduced in writing by the university — or a seminary
/// student confirmed in writing by the Qom seminary council or its provincial office — may travel
/// abroad temporarily within the exemption's validity without a guarantee (note 3). Everyone else
/// leaves a cash deposit or a bank guarantee, forfeited on late return (Art. 103); where neither
/// is possible the office may accept a written undertaking instead (note 1).
pub fn travel_abroad_art103(input: &TravelInput) -> TravelOutcome {
    let free = input.has_valid_exemption
        && ((input.admitted_via_national_exam && input.university_letter)
            || input.seminary_council_confirmation);
    if free {
        return TravelOutcome {
            guarantee_required: false,
            options: vec![],
            reasons: vec![Reason::new(
                Code::TravelNoGuarantee,
                "Art. 103 n.3",
                Effect::Info,
                "با معافیت تحصیلی معتبر و معرفی‌نامه کتبی (دانشگاه برای پذیرفته‌شدگان کنکور سراسری، یا شورای حوزه علمیه) می‌توانید در مدت اعتبار کارت معافیت بدون وثیقه به سفر موقت خارج بروید.".into(),
                "with a valid exemption and a written introduction (from the university for students admitted through the national exam, or from the seminary council) you may travel abroad temporarily within the exemption card's validity without a guarantee.".into(),
            )],
        };
    }
    TravelOutcome {
        guarantee_required: true,
        options: vec!["cash_deposit", "bank_guarantee", "written_undertaking"],
        reasons: vec![
            Reason::new(
                Code::TravelGuaranteeRequired,
                "Art. 103",
                Effect::Blocks,
                "برای سفر موقت به خارج باید سپرده نقدی یا ضمانت‌نامه بانکی بسپارید؛ اگر دیر برگردید، ضبط می‌شود.".into(),
                "to travel abroad temporarily you must leave a cash deposit or a bank guarantee, forfeited if you return late.".into(),
            ),
            Reason::new(
                Code::WrittenUndertakingPossible,
                "Art. 103 n.1",
                Effect::Info,
                "اگر سپردن وجه نقد یا ضمانت‌نامه بانکی ممکن نباشد، اداره وظیفه عمومی می‌تواند تعهد کتبی بپذیرد.".into(),
                "where neither a cash deposit nor a bank guarantee is possible, the conscription office may accept a written undertaking.".into(),
            ),
        ],
    }
}
