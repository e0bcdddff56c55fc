//! Levels of study (مقطع تحصیلی) and the events that end study, with their ids and names.

use serde::{Deserialize, Serialize};

/// A level of study, as in `rules.md` §2. The serde form is the contract id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Level {
    School,
    Associate,
    BachelorNoncontinuous,
    MasterNoncontinuous,
    BachelorContinuous,
    MasterContinuous,
    MedicalDoctorate,
    Phd,
    Seminary,
}

impl Level {
    pub const ALL: [Level; 9] = [
        Level::School,
        Level::Associate,
        Level::BachelorNoncontinuous,
        Level::MasterNoncontinuous,
        Level::BachelorContinuous,
        Level::MasterContinuous,
        Level::MedicalDoctorate,
        Level::Phd,
        Level::Seminary,
    ];

    /// The contract id, e.g. `bachelor_continuous`.
    pub const fn id(self) -> &'static str {
        match self {
            Level::School => "school",
            Level::Associate => "associate",
            Level::BachelorNoncontinuous => "bachelor_noncontinuous",
            Level::MasterNoncontinuous => "master_noncontinuous",
            Level::BachelorContinuous => "bachelor_continuous",
            Level::MasterContinuous => "master_continuous",
            Level::MedicalDoctorate => "medical_doctorate",
            Level::Phd => "phd",
            Level::Seminary => "seminary",
        }
    }

    /// The level named by a contract id.
    pub fn from_id(id: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.id() == id)
    }

    pub fn name_fa(self) -> &'static str {
        match self {
            Level::School => "دانش‌آموز",
            Level::Associate => "کاردانی",
            Level::BachelorNoncontinuous => "کارشناسی ناپیوسته",
            Level::MasterNoncontinuous => "کارشناسی ارشد ناپیوسته",
            Level::BachelorContinuous => "کارشناسی پیوسته",
            Level::MasterContinuous => "کارشناسی ارشد پیوسته",
            Level::MedicalDoctorate => "دکترای پزشکی پیوسته (حرفه‌ای)",
            Level::Phd => "دکترای تخصصی",
            Level::Seminary => "طلبه حوزه علمیه",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Level::School => "school student",
            Level::Associate => "associate degree",
            Level::BachelorNoncontinuous => "non-continuous bachelor's",
            Level::MasterNoncontinuous => "non-continuous master's",
            Level::BachelorContinuous => "continuous bachelor's",
            Level::MasterContinuous => "continuous master's",
            Level::MedicalDoctorate => "professional doctorate in medicine",
            Level::Phd => "PhD",
            Level::Seminary => "seminary student",
        }
    }

    /// Whether students enter this level straight from the high-school diploma. The project's
    /// reading: the one-year admission window after the diploma is Art. 35; after a university
    /// level it follows from Art. 33 and Art. 34 note 1.
    pub fn entered_from_diploma(self) -> bool {
        matches!(
            self,
            Level::Associate
                | Level::BachelorContinuous
                | Level::MasterContinuous
                | Level::MedicalDoctorate
                | Level::Seminary
        )
    }

    /// Whether the level is bachelor's or above, for discharge to study (Art. 35 note 2).
    pub fn is_bachelor_or_above(self) -> bool {
        matches!(
            self,
            Level::BachelorNoncontinuous
                | Level::BachelorContinuous
                | Level::MasterNoncontinuous
                | Level::MasterContinuous
                | Level::MedicalDoctorate
                | Level::Phd
        )
    }
}

/// An event that ends study and starts the presentation deadline (Art. 34).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StudyEnd {
    Withdrawal,
    Dropout,
    Expulsion,
    Graduation,
}

impl StudyEnd {
    pub const ALL: [StudyEnd; 4] = [
        StudyEnd::Withdrawal,
        StudyEnd::Dropout,
        StudyEnd::Expulsion,
        StudyEnd::Graduation,
    ];

    pub fn id(self) -> &'static str {
        match self {
            StudyEnd::Withdrawal => "withdrawal",
            StudyEnd::Dropout => "dropout",
            StudyEnd::Expulsion => "expulsion",
            StudyEnd::Graduation => "graduation",
        }
    }

    pub fn from_id(id: &str) -> Option<StudyEnd> {
        StudyEnd::ALL.into_iter().find(|e| e.id() == id)
    }

    pub fn name_fa(self) -> &'static str {
        match self {
            StudyEnd::Withdrawal => "انصراف از تحصیل",
            StudyEnd::Dropout => "ترک تحصیل",
            StudyEnd::Expulsion => "اخراج",
            StudyEnd::Graduation => "فراغت از تحصیل",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            StudyEnd::Withdrawal => "withdrawal",
            StudyEnd::Dropout => "dropping out",
            StudyEnd::Expulsion => "expulsion",
            StudyEnd::Graduation => "graduation",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for l in Level::ALL {
            assert_eq!(Level::from_id(l.id()), Some(l));
            assert_eq!(serde_json::to_value(l).unwrap(), l.id());
        }
        for e in StudyEnd::ALL {
            assert_eq!(StudyEnd::from_id(e.id()), Some(e));
            assert_eq!(serde_json::to_value(e).unwrap(), e.id());
        }
        assert_eq!(Level::from_id("Bachelor"), None);
    }
}
