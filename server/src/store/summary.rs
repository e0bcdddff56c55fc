//! The dashboard's summary as the writers count it (migration 19): the summary's key, a
//! request's place in it as SQL, the counts a filing batch appends, and the statement that counts
//! the whole audit trail. Plain values and SQL text: the store's modules run them.

use std::collections::BTreeMap;

use crate::domain::audit::Entry;
use crate::domain::dashboard::{bucket_of, week_of};

/// The summary's key: `move_summary`'s primary key, `move_deltas`' columns but the id and `n`.
pub(super) const KEY: &str =
    "week, university_id, faculty, county, process, from_state, to_state, bucket";

/// A request's place in the summary, as SQL over its row `r`: its university (the default one
/// when it has none), faculty and county ('' when none), and process (an old row's from its
/// kind) — as they are when its audit row is written.
pub(super) const PLACE_OF_REQUEST: &str = "COALESCE(r.university_id, 1) AS university_id, \
    COALESCE(r.faculty, '') AS faculty, COALESCE(r.county, '') AS county, \
    COALESCE(r.process, CASE r.kind WHEN 'withdrawal' THEN 'withdrawal' \
    WHEN 'clearance' THEN 'clearance' ELSE 'exemption_a1' END) AS process";

/// One key of the summary, as the filing writer counts a batch's audit rows.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct SummaryKey<'a> {
    pub week: i64,
    pub university_id: i64,
    pub faculty: &'a str,
    pub county: &'a str,
    pub process: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub bucket: i64,
}

/// The trail of one filed request as the writer stores it: where it is and its audit rows.
pub(super) struct FiledTrail<'a> {
    pub university_id: i64,
    pub faculty: Option<&'a str>,
    pub county: Option<&'a str>,
    pub process: &'a str,
    pub entries: &'a [Entry],
}

/// A filing batch's counts for `move_deltas`: one per summary key, however many of the batch's
/// audit rows fall there (a step's duration since the request's row before; its first row, the
/// filing's, in bucket 0). The writer appends them with its batch: inserts only, which wait on
/// no other writer.
pub(super) fn filing_counts<'a>(trails: &'a [FiledTrail<'a>]) -> Vec<(SummaryKey<'a>, i64)> {
    let mut counts: BTreeMap<SummaryKey, i64> = BTreeMap::new();
    for t in trails {
        let mut previous: Option<i64> = None;
        for e in t.entries {
            let key = SummaryKey {
                week: week_of(e.at),
                university_id: t.university_id,
                faculty: t.faculty.unwrap_or(""),
                county: t.county.unwrap_or(""),
                process: t.process,
                from: e.from.as_deref().unwrap_or(""),
                to: &e.to,
                bucket: previous.map_or(0, |p| bucket_of(e.at - p)),
            };
            *counts.entry(key).or_default() += 1;
            previous = Some(e.at);
        }
    }
    counts.into_iter().collect()
}

/// The whole audit trail counted into the (empty) summary, as migration 18's backfill did: each
/// row's week, its request's place, the states, and its duration since the request's row before
/// (a window over the trail, read once in index order) in the buckets of `duration_buckets`.
pub fn backfill_sql() -> String {
    format!(
        "INSERT INTO move_summary ({KEY}, n) \
         SELECT {KEY}, COUNT(*) FROM \
         (SELECT (x.at + 444600) / 604800 AS week, {PLACE_OF_REQUEST}, \
                 COALESCE(x.from_status, '') AS from_state, x.to_status AS to_state, \
                 COALESCE((SELECT b.bucket FROM duration_buckets b WHERE b.lower_seconds <= x.d \
                           ORDER BY b.lower_seconds DESC LIMIT 1), 0) AS bucket \
          FROM (SELECT a.request_id, a.at, a.from_status, a.to_status, \
                       a.at - LAG(a.at) OVER (PARTITION BY a.request_id ORDER BY a.id) AS d \
                FROM audit a) x \
          JOIN requests r ON r.id = x.request_id) y \
         GROUP BY {KEY}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(at: i64, from: Option<&str>, to: &str) -> Entry {
        Entry {
            at,
            from: from.map(str::to_owned),
            to: to.to_owned(),
            action: "file".into(),
            actor: "applicant".into(),
            actor_role: "applicant".into(),
            note: None,
            data: None,
        }
    }

    #[test]
    fn a_batch_appends_one_count_per_key_and_a_step_in_its_duration_bucket() {
        let filed = [entry(1_800_000_000, None, "submitted")];
        let walked = [
            entry(1_800_000_000, None, "submitted"),
            entry(
                1_800_000_000 + 3 * 86_400,
                Some("submitted"),
                "awaiting_payment",
            ),
        ];
        let trail = |entries| FiledTrail {
            university_id: 2,
            faculty: Some("eng"),
            county: None,
            process: "withdrawal",
            entries,
        };
        let trails = [trail(&filed[..]), trail(&filed[..]), trail(&walked[..])];
        let counts = filing_counts(&trails);
        let found: Vec<(&str, &str, i64, i64)> = counts
            .iter()
            .map(|(k, n)| (k.from, k.to, k.bucket, *n))
            .collect();
        // Three filings in one row; the step three days later in the bucket of three days.
        assert_eq!(
            found,
            [
                ("", "submitted", 0, 3),
                ("submitted", "awaiting_payment", bucket_of(3 * 86_400), 1)
            ]
        );
        assert!(bucket_of(3 * 86_400) > 0);
        // Each row in the week of its own time, at the request's place.
        assert_eq!(counts[0].0.week, week_of(1_800_000_000));
        assert_eq!(counts[1].0.week, week_of(1_800_000_000 + 3 * 86_400));
        assert!(counts.iter().all(|(k, _)| k.university_id == 2
            && k.faculty == "eng"
            && k.county.is_empty()
            && k.process == "withdrawal"));
    }
}
