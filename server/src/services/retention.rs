//! Retention's one entry point, [`purge`]: erases what `domain::retention`'s table says is due
//! (the database in one transaction — on PostgreSQL the bytes of the files no request uses any
//! more with it — then on SQLite those files on disk, then SQLite's write-ahead log truncated so
//! that erased bytes do not linger in it). The server runs it daily
//! ([`run_daily`]); `pishkhan purge` runs it by hand, `--dry-run` counting only.

use std::time::Duration;

use crate::store::retention::Purged;
use crate::store::{Store, StoreResult};

/// Erases what is due at `now` (Unix seconds); with `dry_run`, counts it and changes nothing.
/// `compact`: on PostgreSQL, the erased bytes are made to leave the database's files at once
/// (`Store::reclaim`, a `VACUUM FULL` that locks each table while it runs).
pub async fn purge(store: &Store, now: i64, dry_run: bool, compact: bool) -> StoreResult<Purged> {
    let purged = store.purge_due(now, dry_run).await?;
    if dry_run {
        return Ok(purged);
    }
    for file in &purged.files {
        store.remove_unrecorded(file)?;
    }
    store.reclaim(compact).await?;
    Ok(purged)
}

/// The purge's period: a day.
const DAY: i64 = 24 * 3600;

/// The server's daily purge, once a day across the instances sharing the database: each looks
/// every ten minutes (and at start) whether it is due, and the one that claims it runs it.
pub async fn run_daily(store: Store) {
    let store = &store;
    super::tasks::claimed_every(
        store,
        "retention_purge",
        Duration::from_secs(600),
        DAY,
        |now| async move {
            match purge(store, now, false, false).await {
                Ok(p) => tracing::info!(counts = ?p.counts, "retention purge"),
                Err(e) => tracing::error!(error = %e, "retention purge failed"),
            }
        },
    )
    .await
}
