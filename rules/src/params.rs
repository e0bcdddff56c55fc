//! The numbers of the law: one dated table of every limit the rules use, each row with the
//! article it comes from and the day it took effect (OpenFisca-style parameters).
//!
//! A change in the law is a new row with a later `in_force_from`, never an edited value: a limit
//! is looked up on the date of the act it measures from (the study start for study limits, the
//! submission for the revocation window, the event for the presentation deadline).

use crate::date::JalaliDate;
use crate::level::Level;

/// Which limit a row gives.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Limit {
    /// Maximum educational exemption for a university level, in months.
    MaxStudyMonths(Level),
    /// School students: exempt until this many months after birth (the 20th birthday).
    SchoolAgeMonths,
    /// The special-cases commission may add at most this many months.
    CommissionExtensionMonths,
    /// The next level must start within this many months of graduating from the previous one.
    AdmissionWindowMonths,
    /// Months after withdrawal, dropping out, expulsion or graduation to present for service.
    PresentationWindowMonths,
    /// Months after submitting a withdrawal during which it may be taken back.
    RevocationWindowMonths,
    /// How many times a withdrawal may be taken back.
    RevocationsAllowed,
    /// How many times a level may be exempted again after withdrawing from it.
    WithdrawnRenewalsAllowed,
    /// Consular case (a): at most this many semesters completed abroad.
    AbroadMaxSemesters,
    /// Consular case (a): university entered within this many months of leaving Iran.
    AbroadEntryWindowMonths,
}

/// One dated row of the table.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    pub limit: Limit,
    pub value: u32,
    /// Where the value comes from: the article and note.
    pub article: &'static str,
    /// The day the value took effect, `(year, month, day)` Jalali.
    pub in_force_from: (i32, u8, u8),
}

/// The Public Conscription Law (قانون خدمت وظیفه عمومی) was passed on 1390-07-29. The consular
/// rules and the university's withdrawal procedure give no date of their own; their rows use the
/// law's date, and a dated amendment would be added as a new row.
const LAW_1390: (i32, u8, u8) = (1390, 7, 29);

const fn row(limit: Limit, value: u32, article: &'static str) -> Param {
    Param {
        limit,
        value,
        article,
        in_force_from: LAW_1390,
    }
}

/// Every limit of the rules, with its source.
pub const PARAMETERS: &[Param] = &[
    row(Limit::SchoolAgeMonths, 20 * 12, "Art. 33 n.1"),
    row(Limit::MaxStudyMonths(Level::Associate), 30, "Art. 33 n.1"),
    row(
        Limit::MaxStudyMonths(Level::BachelorNoncontinuous),
        36,
        "Art. 33 n.1",
    ),
    row(
        Limit::MaxStudyMonths(Level::MasterNoncontinuous),
        36,
        "Art. 33 n.1",
    ),
    row(
        Limit::MaxStudyMonths(Level::BachelorContinuous),
        60,
        "Art. 33 n.1",
    ),
    row(
        Limit::MaxStudyMonths(Level::MasterContinuous),
        72,
        "Art. 33 n.1",
    ),
    row(
        Limit::MaxStudyMonths(Level::MedicalDoctorate),
        96,
        "Art. 33 n.1",
    ),
    row(Limit::MaxStudyMonths(Level::Phd), 72, "Art. 33 n.1"),
    row(Limit::CommissionExtensionMonths, 12, "Art. 33 n.2"),
    row(
        Limit::AdmissionWindowMonths,
        12,
        "Art. 35; Art. 33 and 34 n.1",
    ),
    row(Limit::PresentationWindowMonths, 12, "Art. 34 n.1"),
    row(
        Limit::RevocationWindowMonths,
        2,
        "withdrawal procedure (seed 001) n.2",
    ),
    row(
        Limit::RevocationsAllowed,
        1,
        "withdrawal procedure (seed 001) n.2",
    ),
    row(Limit::WithdrawnRenewalsAllowed, 1, "Art. 35 n.1"),
    row(Limit::AbroadMaxSemesters, 4, "consular rules (a)"),
    row(Limit::AbroadEntryWindowMonths, 12, "consular rules (a)"),
];

/// The row of `limit` in force on `on`: the latest row that took effect on or before it. For a
/// day before every row (before the 1390 law), the earliest row applies. `None` only where the
/// law gives no value at all (the seminary's study period).
pub fn param(limit: Limit, on: JalaliDate) -> Option<&'static Param> {
    let on = (on.year(), on.month(), on.day());
    let rows = PARAMETERS.iter().filter(|p| p.limit == limit);
    rows.clone()
        .filter(|p| p.in_force_from <= on)
        .max_by_key(|p| p.in_force_from)
        .or_else(|| rows.min_by_key(|p| p.in_force_from))
}

/// The value of a limit every rule needs; the table has a row for each of these (tested).
pub fn value(limit: Limit, on: JalaliDate) -> u32 {
    param(limit, on).map_or(0, |p| p.value)
}

/// Maximum study months for a level, `None` for `school` (age limit) and `seminary` (no value).
pub fn max_study_months(level: Level, on: JalaliDate) -> Option<u32> {
    param(Limit::MaxStudyMonths(level), on).map(|p| p.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixed_limit_has_a_row() {
        let any_day = JalaliDate::new(1403, 1, 1).unwrap();
        for limit in [
            Limit::SchoolAgeMonths,
            Limit::CommissionExtensionMonths,
            Limit::AdmissionWindowMonths,
            Limit::PresentationWindowMonths,
            Limit::RevocationWindowMonths,
            Limit::RevocationsAllowed,
            Limit::WithdrawnRenewalsAllowed,
            Limit::AbroadMaxSemesters,
            Limit::AbroadEntryWindowMonths,
        ] {
            assert!(param(limit, any_day).is_some(), "{limit:?}");
        }
    }

    #[test]
    fn study_months_follow_article_33_note_1() {
        let on = JalaliDate::new(1403, 1, 1).unwrap();
        let months = |l| max_study_months(l, on);
        assert_eq!(months(Level::Associate), Some(30));
        assert_eq!(months(Level::BachelorNoncontinuous), Some(36));
        assert_eq!(months(Level::MasterNoncontinuous), Some(36));
        assert_eq!(months(Level::BachelorContinuous), Some(60));
        assert_eq!(months(Level::MasterContinuous), Some(72));
        assert_eq!(months(Level::MedicalDoctorate), Some(96));
        assert_eq!(months(Level::Phd), Some(72));
        assert_eq!(months(Level::School), None);
        assert_eq!(months(Level::Seminary), None);
    }

    #[test]
    fn days_before_the_law_use_its_first_row() {
        let before = JalaliDate::new(1385, 1, 1).unwrap();
        assert_eq!(max_study_months(Level::Associate, before), Some(30));
    }
}
