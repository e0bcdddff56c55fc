//! Retention's one entry point, [`purge`]: erases what `domain::retention`'s table says is due
//! (the database in one transaction — on PostgreSQL the bytes of the files no request uses any
//! more with it — then on SQLite those files on disk, then SQLite's write-ahead log truncated so
//! that erased bytes do not linger in it). The server runs it daily
//! ([`run_daily`]); `pishkhan purge` runs it by hand, `--dry-run` counting only.

use std::time::Duration;

use crate::store::retention::Purged;
use crate::store::{Store, StoreResult};

/// Erases what is due at `now` (Unix seconds); with `dry_run`, counts it and changes nothing.
pub async fn purge(store: &Store, now: i64, dry_run: bool) -> StoreResult<Purged> {
    let purged = store.purge_due(now, dry_run).await?;
    if dry_run {
        return Ok(purged);
    }
    for file in &purged.files {
        store.remove_unrecorded(file)?;
    }
    store.truncate_wal().await?;
    Ok(purged)
}

/// The server's daily purge: at start, then every 24 hours.
pub async fn run_daily(store: Store) {
    let mut every = tokio::time::interval(Duration::from_secs(24 * 3600));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match purge(&store, crate::domain::clock::now_unix(), false).await {
            Ok(p) => tracing::info!(counts = ?p.counts, "retention purge"),
            Err(e) => tracing::error!(error = %e, "retention purge failed"),
        }
    }
}
