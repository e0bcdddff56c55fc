//! The offices' dashboard's SQL (migrations 18 and 19): requests waiting per state and office
//! from the `requests_waiting` index; step durations and weekly counts from `move_summary`, the
//! summary of the audit trail, together with `move_deltas`, the counts the writers append
//! (without waiting on anyone) until one instance folds them into the summary. Every query is
//! limited to the clerk's scope (`scope_filter`, the cartable's conditions) and to the processes
//! their role takes part in.

use sqlx::{AnyConnection, Row};

use super::summary::{backfill_sql, KEY, PLACE_OF_REQUEST};
use super::universities::{bind_scope, scope_filter};
use super::{numbered, Engine, Store, StoreResult};
use crate::domain::audit::Entry;
use crate::domain::dashboard::{bucket_of, week_of};
use crate::domain::universities::Scope;

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
