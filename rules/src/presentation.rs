//! The presentation deadline after study ends (`rules.md` §4, Art. 34 and its note 1).

use serde::Serialize;

use crate::date::JalaliDate;
use crate::level::StudyEnd;
use crate::params::{self, Limit};
use crate::reason::{Code, Effect, Reason};

/// A validated presentation question.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PresentationInput {
    pub today: JalaliDate,
    pub event: StudyEnd,
    pub event_date: JalaliDate,
}

/// The last day to present for service, and whether it has passed.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct PresentationOutcome {
    pub present_by: JalaliDate,
    pub overdue: bool,
    pub reasons: Vec<Reason>,
}

/// Art. 34 note 1: after withdrawal, dropping out, expulsion or graduation the conscript must
/// present himself for service within one year of that date; presenting on the last day is in
/// time, and from the day after he is absent (غایب). (Art. 34 also obliges the institution to
/// report him to the conscription organisation at once — the staff side lists such students.)
pub fn presentation_deadline_art34_n1(input: &PresentationInput) -> PresentationOutcome {
    let months = params::value(Limit::PresentationWindowMonths, input.event_date);
    let present_by = input.event_date.add_months(months as i32);
    let overdue = input.today > present_by;
    let reasons = overdue
        .then(|| {
            Reason::new(
                Code::PresentationDeadlinePassed,
                "Art. 34 n.1",
                Effect::Blocks,
                format!(
                    "مهلت یک‌ساله معرفی برای خدمت پس از {} در {} تا {} بود و گذشته است؛ شما غایب محسوب می‌شوید.",
                    input.event.name_fa(),
                    input.event_date.to_long_fa(),
                    present_by.to_long_fa()
                ),
                format!(
                    "the one-year deadline to present for service after {} on {} ran until {} and has passed; you count as absent.",
                    input.event.name_en(),
                    input.event_date.to_slashed(),
                    present_by.to_slashed()
                ),
            )
        })
        .into_iter()
        .collect();
    PresentationOutcome {
        present_by,
        overdue,
        reasons,
    }
}
