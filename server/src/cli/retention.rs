//! `pishkhan purge`: erases what the retention table says is due (`services::retention::purge`,
//! the same function the server runs daily), or with `--dry-run` prints what it would erase.

use std::path::Path;

use super::CommandError;
use crate::store::Store;

/// Runs the purge on the data directory (migrated on opening) as of `now` (Unix seconds): one
/// line per kind, `<kind>: <count>`, after a first line saying whether anything was erased.
pub async fn run_purge(
    data_dir: &Path,
    database: Option<&str>,
    now: i64,
    dry_run: bool,
    compact: bool,
) -> Result<String, CommandError> {
    let store = Store::connect(data_dir, database).await?;
    let purged = crate::services::retention::purge(&store, now, dry_run, compact).await?;
    let mut out = String::from(if dry_run {
        "dry run: due now, nothing erased"
    } else {
        "erased"
    });
    for (kind, n) in &purged.counts {
        out.push_str(&format!("\n{kind}: {n}"));
    }
    Ok(out)
}
