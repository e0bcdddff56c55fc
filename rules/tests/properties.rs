//! Properties over whole ranges: the calendar (every day of 1300–1500 AP), month arithmetic, and
//! the pre-check's verdict as a function of its reasons.

use proptest::prelude::*;
use rules::date::days_in_month;
use rules::precheck::{precheck, Abroad, PrecheckInput};
use rules::{Effect, JalaliDate, Level, Verdict};

/// Walking day by day from 1300-01-01 to 1500-12-end meets every valid (year, month, day) in
/// order, each one round-trips through Gregorian, and Gregorian days follow each other too.
#[test]
fn every_day_of_1300_to_1500_round_trips_through_gregorian() {
    let mut day = JalaliDate::new(1300, 1, 1).unwrap();
    let mut previous_gregorian = None;
    let mut count = 0u32;
    for year in 1300..=1500 {
        for month in 1..=12u8 {
            let length = days_in_month(year, month);
            assert!((29..=31).contains(&length), "{year}-{month}");
            for d in 1..=length {
                assert_eq!(day, JalaliDate::new(year, month, d).unwrap());
                let g = day.to_gregorian();
                assert_eq!(
                    JalaliDate::from_gregorian(g.year, g.month, g.day).unwrap(),
                    day
                );
                assert_eq!(JalaliDate::parse(&day.to_machine()).unwrap(), day);
                assert_eq!(JalaliDate::parse(&day.to_numeric_fa()).unwrap(), day);
                if let Some(prev) = previous_gregorian {
                    let prev: JalaliDate = prev;
                    assert_eq!(prev.days_until(day), 1);
                }
                previous_gregorian = Some(day);
                day = day.add_days(1);
                count += 1;
            }
            assert!(JalaliDate::new(year, month, length + 1).is_err());
        }
    }
    // 201 years of 365 days, plus one per leap year (ICU4X's 33-year-cycle calendar: 49 here).
    let leap_years = (1300..=1500)
        .filter(|&y| rules::date::is_leap_year(y))
        .count() as u32;
    assert_eq!(count, 201 * 365 + leap_years);
    assert!((48..=50).contains(&leap_years));
}

fn any_date() -> impl Strategy<Value = JalaliDate> {
    (1300i32..=1500, 1u8..=12, 1u8..=31).prop_map(|(y, m, d)| {
        let d = d.min(days_in_month(y, m));
        JalaliDate::new(y, m, d).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// `add_months` lands on a valid day of the right month: the same day, or the month's last
    /// day when the month is shorter (`rules.md` §1).
    #[test]
    fn add_months_is_valid_and_clamps(d in any_date(), n in -600i32..=600) {
        let r = d.add_months(n);
        prop_assert!(JalaliDate::new(r.year(), r.month(), r.day()).is_ok());
        let total = d.year() * 12 + i32::from(d.month()) - 1 + n;
        prop_assert_eq!(r.year(), total.div_euclid(12));
        prop_assert_eq!(i32::from(r.month()), total.rem_euclid(12) + 1);
        prop_assert_eq!(r.day(), d.day().min(days_in_month(r.year(), r.month())));
        prop_assert_eq!(d.add_years(n / 12), d.add_months(12 * (n / 12)));
    }

    /// Later start, later (or same) result; more months, later (or same) result.
    #[test]
    fn add_months_is_monotonic(a in any_date(), b in any_date(), n in 0i32..=120, k in 0i32..=120) {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(a.add_months(n) <= b.add_months(n));
        let (n, k) = if n <= k { (n, k) } else { (k, n) };
        prop_assert!(a.add_months(n) <= a.add_months(k));
    }

    /// `today_in_tehran` changes day exactly at 20:30 UTC.
    #[test]
    fn tehran_days_start_at_2030_utc(days in 0i64..40_000, secs in 0i64..86_400) {
        let midnight_tehran = days * 86_400 - 12_600;
        let d = JalaliDate::today_in_tehran(midnight_tehran + secs);
        prop_assert_eq!(d, JalaliDate::today_in_tehran(midnight_tehran));
        prop_assert_eq!(JalaliDate::today_in_tehran(midnight_tehran - 1).days_until(d), 1);
    }

    /// The verdict is `ineligible` iff some reason blocks, else `needs_review` iff some reason
    /// asks review; dates are given exactly where they apply.
    #[test]
    fn verdict_follows_the_reasons(input in any_precheck()) {
        let out = precheck(&input);
        let blocks = out.reasons.iter().any(|r| r.effect == Effect::Blocks);
        let review = out.reasons.iter().any(|r| r.effect == Effect::Review);
        prop_assert_eq!(out.verdict == Verdict::Ineligible, blocks);
        prop_assert_eq!(out.verdict == Verdict::NeedsReview, !blocks && review);
        prop_assert_eq!(out.exemption_until.is_none(), input.level == Level::Seminary);
        prop_assert_eq!(
            out.study_until.is_some(),
            !matches!(input.level, Level::School | Level::Seminary)
        );
        prop_assert_eq!(
            out.reasons.iter().any(|r| r.code == rules::Code::InstitutionNotApproved),
            !input.institution_approved
        );
        prop_assert_eq!(
            out.reasons.iter().any(|r| r.code == rules::Code::UnjustifiedAbsence),
            input.unjustified_absence
        );
    }
}

fn any_precheck() -> impl Strategy<Value = PrecheckInput> {
    let abroad = prop_oneof![
        Just(None),
        Just(Some(Abroad::Other)),
        (0u32..=8, any_date(), any_date()).prop_map(|(s, exit, entry)| Some(Abroad::StaffChild {
            semesters_completed: s,
            exit_date: exit,
            university_entry: entry,
        })),
    ];
    (
        (
            any_date(),
            prop::sample::select(Level::ALL.to_vec()),
            any_date(),
            any_date(),
        ),
        proptest::option::of(any_date()),
        (
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            0u32..=2,
            any::<bool>(),
        ),
        abroad,
    )
        .prop_map(
            |((today, level, birth, start), previous, flags, abroad)| PrecheckInput {
                today,
                level,
                birth_date: Some(birth),
                study_start: Some(start),
                previous_graduation: previous,
                institution_approved: flags.0,
                unjustified_absence: flags.1,
                prior_exemption_same_level: flags.2,
                withdrew_from_same_level: flags.3,
                withdrawn_renewals_used: flags.4,
                commission_extension: flags.5,
                abroad,
            },
        )
}
