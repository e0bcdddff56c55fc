//! Each university's clearance offices in route order (`clearance_offices`): the default
//! university's seeded with `rules::requests::default_offices()` when empty (a new university
//! starts from the same list), replaced as a whole by the admin; [`OfficeBook`], the lists of
//! several universities read once each (to name the offices of many requests or accounts).

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use rules::requests::{default_offices, ClearanceOffice};

use super::{university_of, Store, StoreResult};
use crate::domain::universities::{UniversityId, DEFAULT_UNIVERSITY};
use crate::domain::workflow::Stored;

/// An office the admin's new list leaves out while some request is at it.
#[derive(Debug)]
pub struct OfficeInUse(pub ClearanceOffice);

/// Universities' office lists, each read once: the names of many requests' or accounts'
/// offices, each from its own university's list.
#[derive(Default)]
pub struct OfficeBook(HashMap<UniversityId, Vec<ClearanceOffice>>);

impl OfficeBook {
    /// A university's offices (read on first use).
    pub async fn of(
        &mut self,
        store: &Store,
        university: UniversityId,
    ) -> StoreResult<&[ClearanceOffice]> {
        let offices = match self.0.entry(university) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => slot.insert(store.offices_of(university).await?),
        };
        Ok(offices.as_slice())
    }
}

/// The flags are 0 or 1 (an integer on both engines).
type OfficeTuple = (String, String, String, i64, i64, i64, i64);

async fn load<'e>(
    db: impl sqlx::AnyExecutor<'e>,
    university: UniversityId,
) -> StoreResult<Vec<ClearanceOffice>> {
    let rows: Vec<OfficeTuple> = sqlx::query_as(&format!("{SELECT_OFFICES} $1 ORDER BY position"))
        .bind(university.0)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(office).collect())
}

/// The offices in a university's list, the university's id (or an expression of it) to follow.
const SELECT_OFFICES: &str = "SELECT id, name_fa, name_en, receives_student_card, records_debt, \
     records_instalments, evening_course_only FROM clearance_offices WHERE university_id =";

fn office(
    (id, name_fa, name_en, card, debt, instalments, evening): OfficeTuple,
) -> ClearanceOffice {
    ClearanceOffice {
        id,
        name_fa,
        name_en,
        receives_student_card: card != 0,
        records_debt: debt != 0,
        records_instalments: instalments != 0,
        evening_course_only: evening != 0,
    }
}

impl Store {
    /// The default university's clearance offices in route order.
    pub async fn offices(&self) -> StoreResult<Vec<ClearanceOffice>> {
        self.offices_of(DEFAULT_UNIVERSITY).await
    }

    /// The offices a request's moves use: a clearance's route as filed, else its university's
    /// list.
    pub async fn offices_for(&self, request: &Stored) -> StoreResult<Vec<ClearanceOffice>> {
        match &request.route {
            Some(route) => Ok(route.clone()),
            None => self.offices_of(request.university_id).await,
        }
    }

    /// A university's clearance offices in route order.
    pub async fn offices_of(&self, university: UniversityId) -> StoreResult<Vec<ClearanceOffice>> {
        load(self.pool(), university).await
    }

    /// The clearance offices, in route order, of the university a clearance of this student
    /// belongs to ([`university_of`]: the roster's, else the one the sign-in placed them at,
    /// else the default university), in one read.
    pub async fn offices_of_student(
        &self,
        national_id: &str,
        identity_university: Option<UniversityId>,
    ) -> StoreResult<Vec<ClearanceOffice>> {
        let university = university_of("'clearance'", "NULL", "$1", "$2");
        let rows: Vec<OfficeTuple> =
            sqlx::query_as(&format!("{SELECT_OFFICES} {university} ORDER BY position"))
                .bind(national_id)
                .bind(identity_university.map(|u| u.0))
                .fetch_all(self.pool())
                .await?;
        Ok(rows.into_iter().map(office).collect())
    }

    /// Puts seed 002's offices in the default university's empty list (on first start; of two
    /// instances starting together on PostgreSQL, the second finds the rows there and adds
    /// nothing).
    pub(super) async fn seed_offices(&self) -> StoreResult<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        if load(&mut *tx, DEFAULT_UNIVERSITY).await?.is_empty() {
            insert(&mut tx, DEFAULT_UNIVERSITY, &default_offices()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a university's list (validated by the caller), unless it leaves out an office
    /// some request of that university is at (`at_office:<id>` or `visit_required:<id>`).
    pub async fn replace_offices(
        &self,
        university: UniversityId,
        offices: &[ClearanceOffice],
    ) -> StoreResult<Result<(), OfficeInUse>> {
        let (_turn, mut tx) = self.begin_write().await?;
        for old in load(&mut *tx, university).await? {
            if offices.iter().any(|o| o.id == old.id) {
                continue;
            }
            let (in_use,): (i64,) = sqlx::query_as(
                "SELECT CASE WHEN EXISTS (SELECT 1 FROM requests \
                 WHERE university_id = $1 AND status IN ($2, $3)) THEN 1 ELSE 0 END",
            )
            .bind(university.0)
            .bind(format!("at_office:{}", old.id))
            .bind(format!("visit_required:{}", old.id))
            .fetch_one(&mut *tx)
            .await?;
            if in_use != 0 {
                return Ok(Err(OfficeInUse(old)));
            }
        }
        sqlx::query("DELETE FROM clearance_offices WHERE university_id = $1")
            .bind(university.0)
            .execute(&mut *tx)
            .await?;
        insert(&mut tx, university, offices).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}

/// Writes a university's offices in route order (its list empty before).
pub(super) async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    university: UniversityId,
    offices: &[ClearanceOffice],
) -> StoreResult<()> {
    for (position, o) in offices.iter().enumerate() {
        sqlx::query(
            "INSERT INTO clearance_offices (university_id, id, position, name_fa, name_en, \
             receives_student_card, records_debt, records_instalments, evening_course_only) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
        )
        .bind(university.0)
        .bind(&o.id)
        .bind(position as i64)
        .bind(&o.name_fa)
        .bind(&o.name_en)
        .bind(i64::from(o.receives_student_card))
        .bind(i64::from(o.records_debt))
        .bind(i64::from(o.records_instalments))
        .bind(i64::from(o.evening_course_only))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A university's offices in route order, inside a transaction (the workflow's moves).
pub(super) async fn read_offices(
    conn: &mut sqlx::AnyConnection,
    university: UniversityId,
) -> StoreResult<Vec<ClearanceOffice>> {
    load(&mut *conn, university).await
}
