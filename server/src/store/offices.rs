//! The clearance offices (`clearance_offices`), seed 002's list until an admin changes it.

use rules::requests::{default_offices, ClearanceOffice};
use sqlx::SqliteConnection;

use super::{Store, StoreResult};

type OfficeRow = (String, String, String, i64, i64, i64, i64);

/// The offices in route order (seed 002's defaults while the table is empty).
pub(super) async fn read_offices(conn: &mut SqliteConnection) -> StoreResult<Vec<ClearanceOffice>> {
    let rows: Vec<OfficeRow> = sqlx::query_as(
        "SELECT id, name_fa, name_en, receives_student_card, records_debt, records_instalments, \
         evening_course_only FROM clearance_offices ORDER BY position",
    )
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return Ok(default_offices());
    }
    Ok(rows
        .into_iter()
        .map(|(id, name_fa, name_en, card, debt, inst, evening)| ClearanceOffice {
            id,
            name_fa,
            name_en,
            receives_student_card: card != 0,
            records_debt: debt != 0,
            records_instalments: inst != 0,
            evening_course_only: evening != 0,
        })
        .collect())
}

impl Store {
    /// The clearance offices in route order.
    pub async fn offices(&self) -> StoreResult<Vec<ClearanceOffice>> {
        let mut conn = self.pool().acquire().await?;
        read_offices(&mut conn).await
    }
}
