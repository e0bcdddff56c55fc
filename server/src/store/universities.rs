//! Universities and their faculties in the database (`universities`, `faculties`, migration
//! 12: listed, added), and the conditions a clerk's scope puts on requests.

use rules::requests::default_offices;

use super::{Store, StoreResult};
use crate::domain::universities::{Faculty, Scope, University, UniversityId};

/// A university's row.
type UniversityTuple = (i64, String, String, String);

/// A value a scope's condition binds.
#[derive(Clone, Copy, Debug)]
pub(super) enum ScopeValue<'a> {
    Id(i64),
    Text(&'a str),
}

/// The conditions a scope puts on a `requests` row (`alias.` before each column; `?`
/// placeholders, numbered by the caller), each starting with ` AND `, and the values they bind:
/// by university id, faculty code and county, from the typed scope (never a column name from
/// input).
pub(super) fn scope_filter<'a>(scope: &'a Scope, alias: &str) -> (String, Vec<ScopeValue<'a>>) {
    let p = if alias.is_empty() {
        String::new()
    } else {
        format!("{alias}.")
    };
    match scope {
        Scope::National => (String::new(), Vec::new()),
        Scope::University(u) => (
            format!(" AND {p}university_id = ?"),
            vec![ScopeValue::Id(u.0)],
        ),
        Scope::Faculty(u, f) => (
            format!(" AND {p}university_id = ? AND {p}faculty = ?"),
            vec![ScopeValue::Id(u.0), ScopeValue::Text(f)],
        ),
        Scope::County(c) => (format!(" AND {p}county = ?"), vec![ScopeValue::Text(c)]),
    }
}

/// Binds a scope's values (see [`scope_filter`]) to a query.
macro_rules! bind_scope {
    ($q:expr, $values:expr) => {{
        let mut q = $q;
        for v in $values {
            q = match *v {
                $crate::store::universities::ScopeValue::Id(i) => q.bind(i),
                $crate::store::universities::ScopeValue::Text(t) => q.bind(t),
            };
        }
        q
    }};
}
pub(super) use bind_scope;

impl Store {
    /// Every university, by id (the default first).
    pub async fn universities(&self) -> StoreResult<Vec<University>> {
        let rows: Vec<UniversityTuple> =
            sqlx::query_as("SELECT id, code, name_fa, name_en FROM universities ORDER BY id")
                .fetch_all(self.pool())
                .await?;
        Ok(rows
            .into_iter()
            .map(|(id, code, name_fa, name_en)| University {
                id: UniversityId(id),
                code,
                name_fa,
                name_en,
            })
            .collect())
    }

    /// Adds a university (checked by the caller) with seed 002's clearance offices, the
    /// template a new university starts from; `None` when its code is taken.
    pub async fn add_university(
        &self,
        code: &str,
        name_fa: &str,
        name_en: &str,
    ) -> StoreResult<Option<University>> {
        let (_turn, mut tx) = self.begin_write().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO universities (code, name_fa, name_en) VALUES ($1, $2, $3) \
             ON CONFLICT (code) DO NOTHING RETURNING id",
        )
        .bind(code)
        .bind(name_fa)
        .bind(name_en)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id.map(UniversityId) else {
            return Ok(None);
        };
        super::offices::insert(&mut tx, id, &default_offices()).await?;
        tx.commit().await?;
        Ok(Some(University {
            id,
            code: code.to_owned(),
            name_fa: name_fa.to_owned(),
            name_en: name_en.to_owned(),
        }))
    }

    /// A university's faculties, by code.
    pub async fn faculties(&self, university: UniversityId) -> StoreResult<Vec<Faculty>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT code, name_fa, name_en FROM faculties WHERE university_id = $1 ORDER BY code",
        )
        .bind(university.0)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(code, name_fa, name_en)| Faculty {
                university,
                code,
                name_fa,
                name_en,
            })
            .collect())
    }

    /// Adds a faculty (checked by the caller) to a university; `None` when the university
    /// has a faculty of that code already.
    pub async fn add_faculty(
        &self,
        university: UniversityId,
        code: &str,
        name_fa: &str,
        name_en: &str,
    ) -> StoreResult<Option<Faculty>> {
        let (_turn, mut tx) = self.begin_write().await?;
        let added: Option<String> = sqlx::query_scalar(
            "INSERT INTO faculties (university_id, code, name_fa, name_en) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (university_id, code) DO NOTHING RETURNING code",
        )
        .bind(university.0)
        .bind(code)
        .bind(name_fa)
        .bind(name_en)
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(added.map(|code| Faculty {
            university,
            code,
            name_fa: name_fa.to_owned(),
            name_en: name_en.to_owned(),
        }))
    }
}
