//! `pishkhan dashboard-rebuild`: the dashboard's summary counted again from the whole audit
//! trail ([`Store::rebuild_move_summary`]), for an operator who suspects it or has loaded audit
//! rows by hand (and for the tests, which seed a trail by SQL).

use std::path::Path;

use super::CommandError;
use crate::store::Store;

/// Rebuilds the summary of the data directory (migrated on opening): a line with how many audit
/// rows it counts.
pub async fn run_rebuild(data_dir: &Path, database: Option<&str>) -> Result<String, CommandError> {
    let store = Store::connect(data_dir, database).await?;
    let counted = store.rebuild_move_summary().await?;
    Ok(format!("counted: {counted}"))
}
