//! The dashboard's summary kept current: every few seconds one of the instances sharing the
//! database folds the counts the writers appended (`move_deltas`) into `move_summary`
//! ([`Store::fold_move_deltas`], migration 19).

use std::time::Duration;

use crate::store::Store;

/// How often an instance looks whether the fold is due (it is due every `FOLD_EVERY` seconds
/// across the instances). The dashboard reads the rows not yet folded too: the period bounds
/// how many it reads, never what it shows.
const LOOK: Duration = Duration::from_secs(5);
/// Claimed a second early: the ticks of one instance come `LOOK` apart, to the second.
const FOLD_EVERY: i64 = 4;

/// The server's fold, claimed once per period across the instances. Never returns.
pub async fn run_folds(store: Store) {
    let store = &store;
    super::tasks::claimed_every(
        store,
        "move_summary_fold",
        LOOK,
        FOLD_EVERY,
        |_| async move {
            if let Err(e) = store.fold_move_deltas().await {
                tracing::error!(error = %e, "cannot fold the dashboard's counts");
            }
        },
    )
    .await
}
