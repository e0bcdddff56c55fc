//! The offices' dashboard's SQL (migration 18): requests waiting per state and office from the
//! `requests_waiting` index, and step durations and weekly counts from `move_summary`, the
//! summary of the audit trail that its trigger keeps in each writer's own transaction. Every
//! query is limited to the clerk's scope (`scope_filter`, the cartable's conditions) and to the
//! processes their role takes part in.

use sqlx::Row;

use super::universities::{bind_scope, scope_filter};
use super::{numbered, Store, StoreResult};
use crate::domain::universities::Scope;

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

    /// The lower bounds (seconds) of the duration buckets, by bucket number.
    pub async fn duration_buckets(&self) -> StoreResult<Vec<i64>> {
        Ok(
            sqlx::query_scalar("SELECT lower_seconds FROM duration_buckets ORDER BY bucket")
                .fetch_all(self.pool())
                .await?,
        )
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
            .summary_rows(scope, processes, from_week, |marks, scope_sql| {
                format!(
                    "SELECT process, from_state, bucket, CAST(SUM(n) AS BIGINT) AS n \
                     FROM move_summary \
                     WHERE week >= ? AND from_state <> '' AND process IN ({marks}){scope_sql} \
                     GROUP BY process, from_state, bucket"
                )
            })
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
            .summary_rows(scope, processes, from_week, |marks, scope_sql| {
                format!(
                    "SELECT week, process, to_state, \
                     CAST(SUM(CASE WHEN from_state = '' THEN n ELSE 0 END) AS BIGINT) AS filed, \
                     CAST(SUM(n) AS BIGINT) AS n FROM move_summary \
                     WHERE week >= ? AND process IN ({marks}){scope_sql} \
                     GROUP BY week, process, to_state"
                )
            })
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

    /// The rows of a `move_summary` query over `processes` within `scope` since week
    /// `from_week` (none when no process): `query` is given the processes' marks and the
    /// scope's conditions, and binds the week first, then the processes, then the scope.
    async fn summary_rows(
        &self,
        scope: &Scope,
        processes: &[&str],
        from_week: i64,
        query: impl FnOnce(&str, &str) -> String,
    ) -> StoreResult<Vec<sqlx::any::AnyRow>> {
        if processes.is_empty() {
            return Ok(Vec::new());
        }
        let (scope_sql, scope_values) = scope_filter(scope, "");
        let sql = numbered(&query(&marks(processes.len()), &scope_sql));
        let mut q = sqlx::query(&sql).bind(from_week);
        for p in processes {
            q = q.bind(*p);
        }
        Ok(bind_scope!(q, &scope_values).fetch_all(self.pool()).await?)
    }
}
