//! Jalali (Solar Hijri) civil dates: parsing, formatting, arithmetic and Gregorian conversion,
//! all on top of ICU4X's `Persian` calendar (no hand-rolled leap-year rule).

use std::fmt;

use icu_calendar::cal::Persian;
use icu_calendar::options::DateAddOptions;
use icu_calendar::types::{DateDuration, RataDie};
use icu_calendar::{Date, Gregorian};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::digits::{to_ascii_digits, to_persian_digits};

/// Years a typed date may have. Arithmetic may leave this range; parsing may not.
pub const PARSE_YEARS: std::ops::RangeInclusive<i32> = 1200..=1700;

/// Persian month names, Farvardin first.
pub const MONTHS_FA: [&str; 12] = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
];

/// The same months in the usual English transliteration.
pub const MONTHS_EN: [&str; 12] = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
];

/// Iran Standard Time, UTC+03:30, in seconds. Iran has kept no daylight saving since 1402 (2022).
pub const TEHRAN_OFFSET_SECONDS: i64 = 3 * 3600 + 30 * 60;

/// The rata die (days since 0001-01-01 proleptic Gregorian, day 1) of 1970-01-01.
const UNIX_EPOCH_RATA_DIE: i64 = 719_163;

/// A valid day of the Jalali calendar. Ordering is chronological.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct JalaliDate {
    year: i32,
    month: u8,
    day: u8,
}

/// A day of the proleptic Gregorian calendar, shown beside Jalali dates.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct GregorianDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// Why a text or a triple is not a Jalali date.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum DateError {
    /// Nothing was given.
    Empty,
    /// Not three numbers separated by `-` or `/`, year first.
    Format,
    /// The year lies outside [`PARSE_YEARS`].
    YearOutOfRange(i64),
    /// The month is not 1–12.
    MonthOutOfRange(i64),
    /// The day is 0 or past the month's last day.
    DayOutOfRange {
        year: i32,
        month: u8,
        day: i64,
        days_in_month: u8,
    },
}

impl DateError {
    /// The reason in Persian, with Persian digits ("اسفند ۱۴۰۴ ۲۹ روز دارد").
    pub fn message_fa(&self) -> String {
        match self {
            DateError::Empty => "تاریخ وارد نشده است.".into(),
            DateError::Format => "تاریخ باید به شکل سال/ماه/روز باشد، مثلا ۱۴۰۳/۰۷/۱۵.".into(),
            DateError::YearOutOfRange(y) => to_persian_digits(&format!(
                "سال {y} پذیرفته نیست؛ سال باید بین {} و {} باشد.",
                PARSE_YEARS.start(),
                PARSE_YEARS.end()
            )),
            DateError::MonthOutOfRange(m) => {
                to_persian_digits(&format!("ماه {m} وجود ندارد؛ ماه باید بین 1 و 12 باشد."))
            }
            DateError::DayOutOfRange {
                year,
                month,
                day,
                days_in_month,
            } => {
                let name = MONTHS_FA[usize::from(*month) - 1];
                to_persian_digits(&format!(
                    "روز {day} در {name} {year} وجود ندارد؛ {name} {year} {days_in_month} روز دارد."
                ))
            }
        }
    }

    /// The reason in English ("Esfand 1404 has 29 days").
    pub fn message_en(&self) -> String {
        match self {
            DateError::Empty => "no date was given.".into(),
            DateError::Format => "a date must be year/month/day, e.g. 1403/07/15.".into(),
            DateError::YearOutOfRange(y) => format!(
                "year {y} is not accepted; the year must be {} to {}.",
                PARSE_YEARS.start(),
                PARSE_YEARS.end()
            ),
            DateError::MonthOutOfRange(m) => {
                format!("there is no month {m}; the month must be 1 to 12.")
            }
            DateError::DayOutOfRange {
                year,
                month,
                day,
                days_in_month,
            } => {
                let name = MONTHS_EN[usize::from(*month) - 1];
                format!("there is no day {day} in {name} {year}; {name} {year} has {days_in_month} days.")
            }
        }
    }
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for DateError {}

impl JalaliDate {
    /// Builds a date from its parts, rejecting days the month does not have.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, DateError> {
        Self::from_parts(i64::from(year), i64::from(month), i64::from(day))
    }

    /// Builds a date from numbers as typed (any size), with the reason when it does not exist.
    pub fn from_parts(year: i64, month: i64, day: i64) -> Result<Self, DateError> {
        let y = i32::try_from(year)
            .ok()
            .filter(|y| PARSE_YEARS.contains(y))
            .ok_or(DateError::YearOutOfRange(year))?;
        let m = u8::try_from(month)
            .ok()
            .filter(|m| (1..=12).contains(m))
            .ok_or(DateError::MonthOutOfRange(month))?;
        let days_in_month = days_in_month(y, m);
        let d = u8::try_from(day)
            .ok()
            .filter(|d| (1..=days_in_month).contains(d))
            .ok_or(DateError::DayOutOfRange {
                year: y,
                month: m,
                day,
                days_in_month,
            })?;
        Ok(Self {
            year: y,
            month: m,
            day: d,
        })
    }

    /// Parses `YYYY-MM-DD` or `YYYY/MM/DD` (one- or two-digit month and day, four-digit year)
    /// in Latin, Persian or Arabic-Indic digits.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let ascii = to_ascii_digits(text.trim());
        if ascii.is_empty() {
            return Err(DateError::Empty);
        }
        let sep = if ascii.contains('/') { '/' } else { '-' };
        let parts: Vec<&str> = ascii.split(sep).collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(DateError::Format);
        };
        let well_formed = |s: &str, max_len: usize| {
            !s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit())
        };
        if y.len() != 4 || !well_formed(y, 4) || !well_formed(m, 2) || !well_formed(d, 2) {
            return Err(DateError::Format);
        }
        let num = |s: &str| s.parse::<i64>().map_err(|_| DateError::Format);
        Self::from_parts(num(y)?, num(m)?, num(d)?)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// Number of days in this date's month (Esfand: 29, or 30 in a leap year).
    pub fn days_in_month(self) -> u8 {
        days_in_month(self.year, self.month)
    }

    /// Whether this date's year has an Esfand 30.
    pub fn is_leap_year(self) -> bool {
        is_leap_year(self.year)
    }

    /// `n` months later (earlier when negative), carrying years; a day the target month lacks
    /// becomes that month's last day (1403-06-31 + 1 month = 1403-07-30).
    pub fn add_months(self, n: i32) -> Self {
        let duration = DateDuration {
            is_negative: n < 0,
            months: n.unsigned_abs(),
            ..DateDuration::default()
        };
        let moved = self
            .icu()
            .try_added_with_options(duration, DateAddOptions::default())
            .expect("month arithmetic stays inside ICU4X's ±9999-year range");
        Self::from_icu(&moved)
    }

    /// `n` years later: `add_months(12 n)`, so Esfand 30 becomes Esfand 29 in a common year.
    pub fn add_years(self, n: i32) -> Self {
        self.add_months(n * 12)
    }

    /// `n` days later (earlier when negative).
    pub fn add_days(self, n: i64) -> Self {
        Self::from_rata_die(self.rata_die() + n)
    }

    /// Days from `self` to `other`: positive when `other` is later.
    pub fn days_until(self, other: JalaliDate) -> i64 {
        other.rata_die() - self.rata_die()
    }

    /// The same day in the proleptic Gregorian calendar.
    pub fn to_gregorian(self) -> GregorianDate {
        let g = self.icu().to_calendar(Gregorian);
        GregorianDate {
            year: g.era_year().extended_year,
            month: g.month().ordinal,
            day: g.day_of_month().0,
        }
    }

    /// The Jalali date of a Gregorian day; the Gregorian triple must exist.
    pub fn from_gregorian(year: i32, month: u8, day: u8) -> Result<Self, DateError> {
        let g = Date::try_new_gregorian(year, month, day).map_err(|_| DateError::Format)?;
        Ok(Self::from_icu(&g.to_calendar(Persian)))
    }

    /// The civil date in Asia/Tehran at a UTC instant given as seconds since 1970-01-01T00:00Z.
    /// The caller reads the clock; the rules never do.
    pub fn today_in_tehran(unix_seconds: i64) -> Self {
        let local_days = (unix_seconds + TEHRAN_OFFSET_SECONDS).div_euclid(86_400);
        Self::from_rata_die(UNIX_EPOCH_RATA_DIE + local_days)
    }

    /// Machine form with ASCII digits: `1403-07-15`.
    pub fn to_machine(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Numeric Persian display: `۱۴۰۳/۰۷/۱۵`.
    pub fn to_numeric_fa(self) -> String {
        to_persian_digits(&self.to_slashed())
    }

    /// Numeric display with ASCII digits: `1403/07/15`.
    pub fn to_slashed(self) -> String {
        format!("{:04}/{:02}/{:02}", self.year, self.month, self.day)
    }

    /// Persian display with the month's name: `۱۵ مهر ۱۴۰۳`.
    pub fn to_long_fa(self) -> String {
        to_persian_digits(&format!(
            "{} {} {}",
            self.day,
            MONTHS_FA[usize::from(self.month) - 1],
            self.year
        ))
    }

    /// English display with the month's name: `15 Mehr 1403`.
    pub fn to_long_en(self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTHS_EN[usize::from(self.month) - 1],
            self.year
        )
    }

    fn icu(self) -> Date<Persian> {
        Date::try_new_persian(self.year, self.month, self.day)
            .expect("a JalaliDate is always a valid Persian date")
    }

    fn from_icu(d: &Date<Persian>) -> Self {
        Self {
            year: d.era_year().extended_year,
            month: d.month().ordinal,
            day: d.day_of_month().0,
        }
    }

    fn rata_die(self) -> i64 {
        self.icu().to_rata_die().to_i64_date()
    }

    fn from_rata_die(rd: i64) -> Self {
        Self::from_icu(&Date::from_rata_die(RataDie::new(rd), Persian))
    }
}

/// Days in a month of a Jalali year, from ICU4X's calendar.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    Date::try_new_persian(year, month, 1)
        .map(|d| d.days_in_month())
        .unwrap_or(0)
}

/// Whether a Jalali year has 366 days (an Esfand 30), from ICU4X's calendar.
pub fn is_leap_year(year: i32) -> bool {
    Date::try_new_persian(year, 1, 1).is_ok_and(|d| d.is_in_leap_year())
}

impl fmt::Display for JalaliDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_machine())
    }
}

impl fmt::Display for GregorianDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for JalaliDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for JalaliDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_machine())
    }
}

impl<'de> Deserialize<'de> for JalaliDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> JalaliDate {
        JalaliDate::parse(s).unwrap()
    }

    #[test]
    fn parses_all_digit_scripts_and_separators() {
        let want = JalaliDate::new(1403, 7, 15).unwrap();
        for text in [
            "1403-07-15",
            "1403/07/15",
            "۱۴۰۳/۰۷/۱۵",
            "١٤٠٣-٠٧-١٥",
            " 1403/7/15 ",
        ] {
            assert_eq!(JalaliDate::parse(text), Ok(want), "{text}");
        }
    }

    #[test]
    fn rejects_impossible_dates_with_the_reason() {
        let err = JalaliDate::parse("1404-12-30").unwrap_err();
        assert_eq!(
            err,
            DateError::DayOutOfRange {
                year: 1404,
                month: 12,
                day: 30,
                days_in_month: 29
            }
        );
        assert_eq!(
            err.message_fa(),
            "روز ۳۰ در اسفند ۱۴۰۴ وجود ندارد؛ اسفند ۱۴۰۴ ۲۹ روز دارد."
        );
        assert!(err.message_en().contains("Esfand 1404 has 29 days"));
        assert!(matches!(
            JalaliDate::parse("1403-07-31"),
            Err(DateError::DayOutOfRange {
                days_in_month: 30,
                ..
            })
        ));
        assert_eq!(
            JalaliDate::parse("1403-13-01"),
            Err(DateError::MonthOutOfRange(13))
        );
        assert_eq!(
            JalaliDate::parse("1403-00-01"),
            Err(DateError::MonthOutOfRange(0))
        );
        assert!(matches!(
            JalaliDate::parse("1403-01-00"),
            Err(DateError::DayOutOfRange { .. })
        ));
        assert_eq!(JalaliDate::parse(""), Err(DateError::Empty));
        for bad in [
            "03-07-15",
            "1403-07",
            "1403.07.15",
            "1403-07-15-1",
            "14o3-07-15",
            "1403/07-15",
        ] {
            assert_eq!(JalaliDate::parse(bad), Err(DateError::Format), "{bad}");
        }
        assert_eq!(
            JalaliDate::parse("0999-01-01"),
            Err(DateError::YearOutOfRange(999))
        );
    }

    #[test]
    fn leap_years_follow_icu4x() {
        for y in [1399, 1403, 1408] {
            assert!(is_leap_year(y), "{y}");
            assert!(JalaliDate::new(y, 12, 30).is_ok());
        }
        for y in 1404..=1407 {
            assert!(!is_leap_year(y), "{y}");
            assert!(JalaliDate::new(y, 12, 30).is_err());
        }
    }

    #[test]
    fn month_arithmetic_clamps() {
        assert_eq!(d("1403-06-31").add_months(1), d("1403-07-30"));
        assert_eq!(d("1403-12-30").add_years(1), d("1404-12-29"));
        assert_eq!(d("1403-12-30").add_years(5), d("1408-12-30"));
        assert_eq!(d("1401-04-31").add_months(30), d("1403-10-30"));
        assert_eq!(d("1402-11-30").add_months(2), d("1403-01-30"));
        assert_eq!(d("1403-01-31").add_months(-1), d("1402-12-29"));
    }

    #[test]
    fn day_arithmetic_and_gregorian() {
        assert_eq!(d("1403-12-30").add_days(1), d("1404-01-01"));
        assert_eq!(d("1404-12-29").add_days(1), d("1405-01-01"));
        assert_eq!(d("1403-01-01").days_until(d("1404-01-01")), 366);
        assert_eq!(d("1403-07-15").to_gregorian().to_string(), "2024-10-06");
        assert_eq!(
            JalaliDate::from_gregorian(2025, 3, 21).unwrap(),
            d("1404-01-01")
        );
        assert!(JalaliDate::from_gregorian(2025, 2, 29).is_err());
    }

    #[test]
    fn today_in_tehran_uses_utc_plus_0330() {
        // 2024-10-05T20:29:59Z is 23:59:59 in Tehran; one second later it is the next day.
        assert_eq!(JalaliDate::today_in_tehran(1_728_160_199), d("1403-07-14"));
        assert_eq!(JalaliDate::today_in_tehran(1_728_160_200), d("1403-07-15"));
        assert_eq!(JalaliDate::today_in_tehran(0), d("1348-10-11"));
        let epoch = Date::try_new_gregorian(1970, 1, 1).unwrap().to_rata_die();
        assert_eq!(epoch.to_i64_date(), UNIX_EPOCH_RATA_DIE);
    }

    #[test]
    fn formats() {
        let x = d("1403-07-05");
        assert_eq!(x.to_string(), "1403-07-05");
        assert_eq!(x.to_numeric_fa(), "۱۴۰۳/۰۷/۰۵");
        assert_eq!(x.to_long_fa(), "۵ مهر ۱۴۰۳");
        assert_eq!(x.to_long_en(), "5 Mehr 1403");
        assert_eq!(serde_json::to_string(&x).unwrap(), "\"1403-07-05\"");
    }
}
