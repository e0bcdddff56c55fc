//! Periodic tasks shared by the instances of one database: each instance looks on a timer
//! whether a task is due and runs it only when it claims it ([`Store::claim_task`]).

use std::future::Future;
use std::time::Duration;

use crate::store::Store;

/// Looks at start and every `look` whether `task` is due (`every` seconds since it last ran on
/// any instance sharing the database) and, when this instance claims it, runs `run` with the
/// time claimed (Unix seconds). A claim that fails is logged and skipped. Never returns.
pub async fn claimed_every<F, Fut>(
    store: &Store,
    task: &str,
    look: Duration,
    every: i64,
    mut run: F,
) where
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut ticks = tokio::time::interval(look);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let now = crate::domain::clock::now_unix();
        match store.claim_task(task, now, every).await {
            Ok(true) => run(now).await,
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, task, "cannot claim the periodic task"),
        }
    }
}
