//! Work that must be done once across the instances sharing a database: a task (the daily
//! purge, the sweep of unused uploads) runs where it is claimed, and is then not due for the
//! others until its period has passed (`task_runs`, migration 10).

use super::{Store, StoreResult};

impl Store {
    /// Claims `task` if it is due at `now` (Unix seconds), making it due again `every` seconds
    /// later: whether this instance is to run it now. One statement: of two instances claiming
    /// at the same moment, the second finds the row already moved on.
    pub async fn claim_task(&self, task: &str, now: i64, every: i64) -> StoreResult<bool> {
        let claimed: Option<String> = sqlx::query_scalar(
            "INSERT INTO task_runs (task, holder, due_at) VALUES ($1, $2, $3) \
             ON CONFLICT (task) DO UPDATE SET holder = excluded.holder, due_at = excluded.due_at \
             WHERE task_runs.due_at <= $4 RETURNING holder",
        )
        .bind(task)
        .bind(self.instance())
        .bind(now + every)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        Ok(claimed.is_some())
    }

    /// Makes every task due now (a restored copy runs its purge on its first start).
    pub async fn forget_task_claims(&self) -> StoreResult<()> {
        sqlx::query("DELETE FROM task_runs")
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_task_is_claimed_once_per_period_across_stores_of_one_database() {
        let dir = std::env::temp_dir().join(format!("pishkhan-tasks-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        // Two stores on one database, as two instances are.
        let (a, b) = (
            Store::open(&dir).await.unwrap(),
            Store::open(&dir).await.unwrap(),
        );
        assert!(a.claim_task("purge", 1_000, 100).await.unwrap());
        assert!(!b.claim_task("purge", 1_000, 100).await.unwrap());
        assert!(
            !a.claim_task("purge", 1_099, 100).await.unwrap(),
            "not due yet"
        );
        assert!(
            b.claim_task("purge", 1_100, 100).await.unwrap(),
            "due again"
        );
        assert!(!a.claim_task("purge", 1_100, 100).await.unwrap());
        // Another task has its own period.
        assert!(a.claim_task("sweep", 1_100, 10).await.unwrap());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
