//! `pishkhan reminders --today YYYY-MM-DD`: the deadline reminders' pass for a given day
//! (`services::reminders::run`, the same function the server runs hourly for today in Tehran),
//! for operators and tests. The day in any of the three digit scripts.

use std::path::Path;

use rules::{InputError, JalaliDate};

use super::CommandError;
use crate::store::Store;

/// Runs the pass for `today` on the data directory (migrated on opening), queuing at `now`:
/// one line per count, `<name>: <count>`.
pub async fn run_reminders(
    data_dir: &Path,
    database: Option<&str>,
    today: &str,
    now: i64,
) -> Result<String, CommandError> {
    let today = JalaliDate::parse(today).map_err(|e| {
        CommandError::Input(vec![InputError::new(
            Some("today"),
            format!("today: {}", e.message_en()),
            format!("today: {}", e.message_fa()),
        )])
    })?;
    let store = Store::connect(data_dir, database).await?;
    let pass = crate::services::reminders::run(&store, today, now).await?;
    Ok(format!(
        "reminders for {}\ncandidates: {}\ndue: {}\nqueued: {}\nskipped: {}\nno_mobile: {}",
        today.to_machine(),
        pass.candidates,
        pass.due,
        pass.queued,
        pass.skipped,
        pass.no_mobile
    ))
}
