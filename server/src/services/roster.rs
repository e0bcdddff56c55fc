//! Importing a roster, for the admin's API, `pishkhan roster import` and the demo roster of
//! `serve --demo-users`: the file read and checked as a whole (`domain::roster`), then written
//! in one transaction (`store::roster`), or nothing at all.

use crate::domain::clock::now_unix;
use crate::domain::roster::{parse_roster, ImportCounts, ImportInto, RowError, DEMO_ROSTER};
use crate::store::roster::Imported;
use crate::store::{Store, StoreResult};

/// Reads and imports a roster file into where `into` says (a university admin's university, the
/// university the national admin names, or each row's) — the counts, or every bad row (nothing
/// imported).
pub async fn import(
    store: &Store,
    bytes: &[u8],
    into: ImportInto,
) -> StoreResult<Result<ImportCounts, Vec<RowError>>> {
    let entries = match parse_roster(bytes) {
        Ok(entries) => entries,
        Err(rows) => return Ok(Err(rows)),
    };
    Ok(
        match store.import_roster(&entries, now_unix(), into).await? {
            Imported::Done(counts) => Ok(counts),
            Imported::Refused(rows) => Err(rows),
        },
    )
}

/// Imports the demo roster (upserted, so a restart changes nothing).
pub async fn import_demo_roster(store: &Store) -> StoreResult<ImportCounts> {
    match import(store, DEMO_ROSTER.as_bytes(), ImportInto::ByColumn).await? {
        Ok(counts) => Ok(counts),
        Err(rows) => Err(crate::store::StoreError::from(std::io::Error::other(
            format!("the demo roster is refused: {}", rows[0].message_en),
        ))),
    }
}
