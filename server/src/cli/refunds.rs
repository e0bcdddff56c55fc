//! `pishkhan refunds`: the refunds' pass (`services::refunds::run`, the same function the
//! server runs hourly) for operators and tests: tries again the refunds that failed (past their
//! back-off) or were left `refunding` by a crash, through the gateway `pishkhan.toml`'s
//! `[payments]` (or `--payment-gateway`) names, as `serve` would.

use std::path::Path;

use super::CommandError;
use crate::domain::payments::GatewayKind;
use crate::store::Store;

/// Runs the pass at `now` on the data directory (migrated on opening) with the configured
/// gateway: one line per count, `<name>: <count>`.
pub async fn run_refunds(
    data_dir: &Path,
    database: Option<&str>,
    config: Option<&Path>,
    flag: Option<GatewayKind>,
    now: i64,
) -> Result<String, CommandError> {
    let payments = match config {
        Some(path) => {
            crate::domain::oidc::load_config(path)
                .map_err(CommandError::Fault)?
                .payments
        }
        None => None,
    };
    let kind = crate::domain::payments::choose(flag, payments.as_ref())
        .map_err(CommandError::Fault)?
        .ok_or_else(|| {
            CommandError::Fault(
                "no payment gateway configured (--config with [payments], or \
                 --payment-gateway): nothing can be refunded"
                    .into(),
            )
        })?;
    let store = Store::connect(data_dir, database).await?;
    let gateway = crate::services::payments::gateway(kind, &store, payments.as_ref())
        .map_err(CommandError::Fault)?;
    let pass = crate::services::refunds::run(&store, gateway.as_ref(), now).await?;
    Ok(format!(
        "due: {}\nrefunded: {}\nfailed: {}\nskipped: {}\ngave_up: {}",
        pass.due, pass.refunded, pass.failed, pass.skipped, pass.gave_up
    ))
}
