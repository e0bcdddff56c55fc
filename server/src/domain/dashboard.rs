//! The offices' dashboard's arithmetic, whatever the store: Saturday-start weeks in Tehran (as
//! migration 18's `move_summary` numbers them), percentiles read from a histogram of the
//! fixed log-scaled duration buckets, the processes a role takes part in and the states in
//! which their requests wait, and the query's bounds.

use rules::contract::InputError;
use rules::requests::ClearanceOffice;
use rules::workflow::{edges, end_states, Process, Role, State};
use rules::JalaliDate;

/// Seconds in a week.
const WEEK: i64 = 7 * 86_400;
/// Week 0 starts on Saturday 1969-12-27 at 00:00 in Tehran (UTC+03:30): 444,600 seconds before
/// the Unix epoch. The same constant is migration 18's.
const WEEK_ZERO_OFFSET: i64 = 5 * 86_400 + 12_600;

/// The number of the Saturday-start week (Tehran) of a Unix second.
pub fn week_of(unix: i64) -> i64 {
    (unix + WEEK_ZERO_OFFSET).div_euclid(WEEK)
}

/// The Jalali date of the Saturday that starts week `week`.
pub fn week_start(week: i64) -> JalaliDate {
    JalaliDate::today_in_tehran(week * WEEK - WEEK_ZERO_OFFSET)
}

/// How many duration buckets there are (0 to 85).
const BUCKETS: usize = 86;

/// The lower bounds (seconds) of the duration buckets, by number: bucket 0 is under a minute,
/// bucket k ≥ 1 starts at round(60 · 2^((k−1)/4)) seconds (each 19 % wider than the one before;
/// the last starts at about four years). Migration 18's `duration_buckets` holds the same
/// numbers, for its backfill (a test compares them).
pub fn bucket_lowers() -> &'static [i64] {
    static LOWERS: std::sync::LazyLock<Vec<i64>> = std::sync::LazyLock::new(|| {
        std::iter::once(0)
            .chain((1..BUCKETS).map(|k| (60.0 * 2f64.powf((k as f64 - 1.0) / 4.0)).round() as i64))
            .collect()
    });
    &LOWERS
}

/// The bucket of a step that took `seconds` (the last bucket whose lower bound it reaches;
/// bucket 0 for less than a minute, or a clock that went back).
pub fn bucket_of(seconds: i64) -> i64 {
    bucket_lowers()
        .partition_point(|&lo| lo <= seconds)
        .saturating_sub(1) as i64
}

/// The duration a bucket stands for: the geometric middle of its bounds (the first bucket,
/// under a minute: its middle; the last: its lower bound). `lowers` is the buckets' lower
/// bounds by number (`duration_buckets`).
fn representative(bucket: usize, lowers: &[i64]) -> i64 {
    match (lowers.get(bucket), lowers.get(bucket + 1)) {
        (Some(&0), Some(&hi)) => hi / 2,
        (Some(&lo), Some(&hi)) => ((lo as f64) * (hi as f64)).sqrt().round() as i64,
        (Some(&lo), None) => lo,
        _ => 0,
    }
}

/// The `p`-th percentile (0 < p ≤ 1) of a histogram (`counts[bucket]`): the representative of
/// the first bucket where the running count reaches `p` of the total (nearest rank).
pub fn percentile(counts: &[i64], lowers: &[i64], p: f64) -> i64 {
    let total: i64 = counts.iter().sum();
    if total <= 0 {
        return 0;
    }
    let rank = ((p * total as f64).ceil() as i64).max(1);
    let mut seen = 0;
    for (bucket, n) in counts.iter().enumerate() {
        seen += n;
        if seen >= rank {
            return representative(bucket, lowers);
        }
    }
    representative(counts.len().saturating_sub(1), lowers)
}

/// The processes in which `role` takes a step (what it may see: `workflow::visible`).
pub fn processes_of(role: &Role, offices: &[ClearanceOffice]) -> Vec<Process> {
    Process::ALL
        .into_iter()
        .filter(|p| edges(*p, offices).iter().any(|e| &e.role == role))
        .collect()
}

/// Every state of `processes` a request waits in (none of the end states), a clearance's
/// office states from `offices`.
pub fn waiting_states(processes: &[Process], offices: &[ClearanceOffice]) -> Vec<State> {
    let mut states: Vec<State> = Vec::new();
    for p in processes {
        let ends = end_states(*p);
        for e in edges(*p, offices) {
            for s in [e.from, e.to] {
                if !ends.contains(&s) && !states.contains(&s) {
                    states.push(s);
                }
            }
        }
    }
    states
}

/// Whether a move into `state` of `process` is a decision (the state ends the process).
pub fn is_decision(process: Process, state: &State) -> bool {
    end_states(process).contains(state)
}

/// The query's stale threshold in days and its weeks, read in any digit script and bounded
/// (1–365 days, default 14; 1–104 weeks, default 12); a bad one names its field.
pub fn bounds(
    stale_days: Option<&str>,
    weeks: Option<&str>,
) -> Result<(i64, i64), Vec<InputError>> {
    let mut errors = Vec::new();
    let mut read = |field: &'static str, text: Option<&str>, default: i64, max: i64| {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return default;
        };
        let ascii = rules::digits::to_ascii_digits(text);
        match ascii.parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => {
                errors.push(InputError::new(
                    Some(field),
                    format!("{field}: a whole number from 1 to {max}."),
                    format!(
                        "{field}: عددی درست از ۱ تا {}.",
                        rules::digits::to_persian_digits(&max.to_string())
                    ),
                ));
                default
            }
        }
    };
    let days = read("stale_days", stale_days, 14, 365);
    let weeks = read("weeks", weeks, 12, 104);
    if errors.is_empty() {
        Ok((days, weeks))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_starts_on_a_saturday() {
        // 2026-12-05 is a Saturday (Gregorian): 1405-09-14.
        let start = week_start(week_of(1_796_428_800)); // 2026-12-05T00:00Z, 03:30 in Tehran
        assert_eq!(start.to_machine(), "1405-09-14");
        // Friday 2026-12-11 23:59 Tehran is still that week; Saturday 00:00 is the next.
        let friday_night = 1_796_428_800 - 12_600 + 7 * 86_400 - 1;
        assert_eq!(week_of(friday_night), week_of(1_796_428_800));
        assert_eq!(week_of(friday_night + 1), week_of(1_796_428_800) + 1);
    }

    #[test]
    fn percentiles_come_from_the_buckets_within_nine_percent() {
        let lowers = bucket_lowers();
        let days: Vec<i64> = (1..=10).map(|d| d * 86_400).collect();
        let mut counts = vec![0; lowers.len()];
        for d in &days {
            counts[bucket_of(*d) as usize] += 1;
        }
        let p50 = percentile(&counts, lowers, 0.5);
        let p90 = percentile(&counts, lowers, 0.9);
        assert!((p50 - 5 * 86_400).abs() * 100 <= 9 * 5 * 86_400, "{p50}");
        assert!((p90 - 9 * 86_400).abs() * 100 <= 9 * 9 * 86_400, "{p90}");
        assert_eq!(percentile(&[0; 3], lowers, 0.5), 0);
    }

    #[test]
    fn the_buckets_are_migration_18s_and_a_step_falls_in_the_one_it_reaches() {
        // The table the migration's backfill used, read from its text.
        let sql = include_str!("../../migrations/0018_dashboard.sql");
        let table: Vec<i64> = sql
            .lines()
            .filter_map(|l| l.trim().strip_prefix('('))
            .filter_map(|l| l.split_once(", "))
            .filter_map(|(_, lower)| lower.trim_end_matches([')', ',', ';']).parse().ok())
            .collect();
        assert_eq!(table.len(), 86);
        assert_eq!(bucket_lowers(), table.as_slice());
        // At each boundary: the bucket it opens; a second before: the one before.
        for (k, &lo) in bucket_lowers().iter().enumerate().skip(1) {
            assert_eq!(bucket_of(lo), k as i64);
            assert_eq!(bucket_of(lo - 1), k as i64 - 1);
        }
        assert_eq!(bucket_of(0), 0);
        assert_eq!(bucket_of(-5), 0);
        assert_eq!(bucket_of(i64::MAX), 85);
    }

    #[test]
    fn bounds_are_read_in_any_script_and_checked() {
        assert_eq!(bounds(None, None), Ok((14, 12)));
        assert_eq!(bounds(Some("۳۰"), Some("٤")), Ok((30, 4)));
        let errors = bounds(Some("0"), Some("105")).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field.as_deref(), Some("stale_days"));
        assert_eq!(errors[1].field.as_deref(), Some("weeks"));
    }
}
