//! The offices' dashboard's SQL (migrations 18 and 19): requests waiting per state and office
//! from the `requests_waiting` index; step durations and weekly counts from `move_summary`, the
//! summary of the audit trail, together with `move_deltas`, the counts the writers append
//! (without waiting on anyone) until one instance folds them into the summary. Every query is
//! limited to the clerk's scope (`scope_filter`, the cartable's conditions) and to the processes
//! their role takes part in.

use std::collections::BTreeMap;

use sqlx::{Any, AnyConnection, Row};

use super::universities::{bind_scope, scope_filter};
use super::{insert_rows, numbered, Engine, Store, StoreResult};
use crate::domain::audit::Entry;
use crate::domain::dashboard::{bucket_of, week_of};
use crate::domain::universities::Scope;

/// The summary's key: `move_summary`'s primary key, `move_deltas`' columns but the id and `n`.
const KEY: &str = "week, university_id, faculty, county, process, from_state, to_state, bucket";

/// A request's place in the summary, as SQL over its row `r`: its university (the default one
/// when it has none), faculty and county ('' when none), and process (an old row's from its
/// kind) — as they are when its audit row is written.
const PLACE_OF_REQUEST: &str = "COALESCE(r.university_id, 1) AS university_id, \
    COALESCE(r.faculty, '') AS faculty, COALESCE(r.county, '') AS county, \
    COALESCE(r.process, CASE r.kind WHEN 'withdrawal' THEN 'withdrawal' \
    WHEN 'clearance' THEN 'clearance' ELSE 'exemption_a1' END) AS process";

/// One key of the summary, as the filing writer counts a batch's audit rows.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct SummaryKey<'a> {
    week: i64,
    university_id: i64,
    faculty: &'a str,
    county: &'a str,
    process: &'a str,
    from: &'a str,
    to: &'a str,
    bucket: i64,
}

/// The trail of one filed request as the writer stores it: where it is and its audit rows.
pub(super) struct FiledTrail<'a> {
    pub university_id: i64,
    pub faculty: Option<&'a str>,
    pub county: Option<&'a str>,
    pub process: &'a str,
    pub entries: &'a [Entry],
}

/// Appends a filing batch's counts to `move_deltas`: one row per summary key, however many of
/// the batch's audit rows fall there (a step's duration since the request's row before; its
/// first row, the filing's, in bucket 0). Inserts only: it waits on no other writer.
pub(super) async fn append_filing_deltas(
    tx: &mut sqlx::Transaction<'_, Any>,
    trails: &[FiledTrail<'_>],
) -> StoreResult<()> {
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
    let counts: Vec<(SummaryKey, i64)> = counts.into_iter().collect();
    insert_rows(
        tx,
        &format!("INSERT INTO move_deltas ({KEY}, n) "),
        &counts,
        |p, (k, n)| {
            vec![
                p.bind(k.week),
                p.bind(k.university_id),
                p.bind(k.faculty),
                p.bind(k.county),
                p.bind(k.process),
                p.bind(k.from),
                p.bind(k.to),
                p.bind(k.bucket),
                p.bind(*n),
            ]
        },
    )
    .await
}

/// Appends one audit row of a move to `move_deltas`, with the request's place as its row says
/// now (after the move's update); `previous_at`: the time of the request's row before it.
pub(super) async fn append_move_delta(
    conn: &mut AnyConnection,
    request_id: i64,
    entry: &Entry,
    previous_at: Option<i64>,
) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO move_deltas ({KEY}, n) SELECT $1, {PLACE_OF_REQUEST}, $2, $3, $4, 1 \
         FROM requests r WHERE r.id = $5"
    ))
    .bind(week_of(entry.at))
    .bind(entry.from.as_deref().unwrap_or(""))
    .bind(&entry.to)
    .bind(previous_at.map_or(0, |p| bucket_of(entry.at - p)))
    .bind(request_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
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

/// Requests waiting in one state at one office.
pub struct Waiting {
    pub process: String,
    pub state: String,
    pub university_id: i64,
    pub faculty: Option<String>,
    pub county: Option<String>,
    pub n: i64,
    /// Of them, in that state since before the threshold.
    pub stale: i64,
}

/// Departures from a state within a duration bucket.
pub struct Departures {
    pub process: String,
    pub state: String,
    pub bucket: i64,
    pub n: i64,
}

/// Entries into a state in one week (`filed`: of them, the filings).
pub struct Entries {
    pub week: i64,
    pub process: String,
    pub state: String,
    pub filed: i64,
    pub n: i64,
}

/// `?, ?, …` for `n` values.
fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

impl Store {
    /// Requests of `processes` in one of `states` within `scope`, per (process, state,
    /// university, faculty, county), with how many have been in their state since before
    /// `stale_before` (Unix seconds). Reads the `requests_waiting` index's entries of those
    /// states only.
    pub async fn waiting(
        &self,
        scope: &Scope,
        processes: &[&str],
        states: &[String],
        stale_before: i64,
    ) -> StoreResult<Vec<Waiting>> {
        if processes.is_empty() || states.is_empty() {
            return Ok(Vec::new());
        }
        let (scope_sql, scope_values) = scope_filter(scope, "");
        let sql = numbered(&format!(
            "SELECT process, status, university_id, faculty, county, COUNT(*) AS n, \
             CAST(SUM(CASE WHEN updated_at < ? THEN 1 ELSE 0 END) AS BIGINT) AS stale \
             FROM requests WHERE status IN ({}) AND process IN ({}){scope_sql} \
             GROUP BY process, status, university_id, faculty, county",
            marks(states.len()),
            marks(processes.len()),
        ));
        let mut q = sqlx::query(&sql).bind(stale_before);
        for s in states {
            q = q.bind(s);
        }
        for p in processes {
            q = q.bind(*p);
        }
        let rows = bind_scope!(q, &scope_values).fetch_all(self.pool()).await?;
        Ok(rows
            .iter()
            .map(|r| Waiting {
                process: r.get("process"),
                state: r.get("status"),
                university_id: r.get::<Option<i64>, _>("university_id").unwrap_or(1),
                faculty: r.get("faculty"),
                county: r.get("county"),
                n: r.get("n"),
                stale: r.get::<Option<i64>, _>("stale").unwrap_or(0),
            })
            .collect())
    }

    /// Departures from each state of `processes` within `scope` since week `from_week`, per
    /// duration bucket (`move_summary`; the filings' own rows left out).
    pub async fn departures(
        &self,
        scope: &Scope,
        processes: &[&str],
        from_week: i64,
    ) -> StoreResult<Vec<Departures>> {
        let rows = self
            .summary_rows(
                scope,
                processes,
                from_week,
                "SELECT process, from_state, bucket, CAST(SUM(n) AS BIGINT) AS n FROM ",
                " WHERE from_state <> '' GROUP BY process, from_state, bucket",
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Departures {
                process: r.get("process"),
                state: r.get("from_state"),
                bucket: r.get("bucket"),
                n: r.get("n"),
            })
            .collect())
    }

    /// Entries into each state of `processes` within `scope` per week since `from_week`
    /// (`move_summary`), with how many of them were filings.
    pub async fn entries(
        &self,
        scope: &Scope,
        processes: &[&str],
        from_week: i64,
    ) -> StoreResult<Vec<Entries>> {
        let rows = self
            .summary_rows(
                scope,
                processes,
                from_week,
                "SELECT week, process, to_state, \
                 CAST(SUM(CASE WHEN from_state = '' THEN n ELSE 0 END) AS BIGINT) AS filed, \
                 CAST(SUM(n) AS BIGINT) AS n FROM ",
                " GROUP BY week, process, to_state",
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Entries {
                week: r.get("week"),
                process: r.get("process"),
                state: r.get("to_state"),
                filed: r.get::<Option<i64>, _>("filed").unwrap_or(0),
                n: r.get::<Option<i64>, _>("n").unwrap_or(0),
            })
            .collect())
    }

    /// The rows of a query over the summary of `processes` within `scope` since week
    /// `from_week` (none when no process): `select` then the summary's rows — `move_summary`'s
    /// and the not yet folded `move_deltas`' (each filtered on its own, so the summary's
    /// indexes serve) — then `rest`, in one statement (one snapshot: an audit row counted once,
    /// folded or not).
    async fn summary_rows(
        &self,
        scope: &Scope,
        processes: &[&str],
        from_week: i64,
        select: &str,
        rest: &str,
    ) -> StoreResult<Vec<sqlx::any::AnyRow>> {
        if processes.is_empty() {
            return Ok(Vec::new());
        }
        let (scope_sql, scope_values) = scope_filter(scope, "");
        let part = |table: &str| {
            format!(
                "SELECT week, process, from_state, to_state, bucket, n FROM {table} \
                 WHERE week >= ? AND process IN ({}){scope_sql}",
                marks(processes.len())
            )
        };
        let sql = numbered(&format!(
            "{select}({} UNION ALL {}) s{rest}",
            part("move_summary"),
            part("move_deltas")
        ));
        let mut q = sqlx::query(&sql);
        for _ in 0..2 {
            q = q.bind(from_week);
            for p in processes {
                q = q.bind(*p);
            }
            q = bind_scope!(q, &scope_values);
        }
        Ok(q.fetch_all(self.pool()).await?)
    }

    /// Folds the rows of `move_deltas` into `move_summary` (each key's counts summed and added
    /// to its row, the rows deleted) in one transaction: how many summary rows it added to.
    /// Run by one instance at a time (the periodic task `move_summary_fold`); a row appended
    /// while it runs waits for the next fold, and the dashboard counts it meanwhile.
    pub async fn fold_move_deltas(&self) -> StoreResult<u64> {
        let (_turn, mut tx) = self.begin_write().await?;
        let upsert = format!("ON CONFLICT ({KEY}) DO UPDATE SET n = move_summary.n + excluded.n");
        let folded = match self.engine() {
            // One statement: it deletes the rows it sees and adds exactly those (a row
            // committed meanwhile by another instance is neither).
            Engine::Postgres => sqlx::query(&format!(
                "WITH gone AS (DELETE FROM move_deltas RETURNING {KEY}, n) \
                 INSERT INTO move_summary ({KEY}, n) SELECT {KEY}, SUM(n) FROM gone \
                 GROUP BY {KEY} {upsert}"
            ))
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            // The write transaction (`BEGIN IMMEDIATE`) holds the file: nothing is appended
            // between the two statements.
            Engine::Sqlite => {
                let folded = sqlx::query(&format!(
                    "INSERT INTO move_summary ({KEY}, n) SELECT {KEY}, SUM(n) FROM move_deltas \
                     WHERE true GROUP BY {KEY} {upsert}"
                ))
                .execute(&mut *tx)
                .await?
                .rows_affected();
                sqlx::query("DELETE FROM move_deltas")
                    .execute(&mut *tx)
                    .await?;
                folded
            }
        };
        tx.commit().await?;
        Ok(folded)
    }

    /// Counts the summary again from the whole audit trail ([`backfill_sql`]), for an operator
    /// who suspects it (`pishkhan dashboard-rebuild`): the summary and the rows not yet folded
    /// replaced in one transaction. On PostgreSQL the transaction reads one snapshot
    /// (`REPEATABLE READ`): an audit row committed meanwhile is left out of the count and its
    /// appended row kept, so it is counted once; a fold at the same moment makes it fail (run
    /// it again). Answers how many audit rows the summary counts.
    pub async fn rebuild_move_summary(&self) -> StoreResult<i64> {
        let (_turn, mut tx) = match self.engine() {
            Engine::Sqlite => self.begin_write().await?,
            Engine::Postgres => (
                None,
                self.pool()
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ")
                    .await?,
            ),
        };
        sqlx::query("DELETE FROM move_deltas")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM move_summary")
            .execute(&mut *tx)
            .await?;
        sqlx::query(&backfill_sql()).execute(&mut *tx).await?;
        let counted: Option<i64> =
            sqlx::query_scalar("SELECT CAST(SUM(n) AS BIGINT) FROM move_summary")
                .fetch_one(&mut *tx)
                .await?;
        tx.commit().await?;
        Ok(counted.unwrap_or(0))
    }
}
