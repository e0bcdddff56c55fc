//! The roster and the people signed in from it, in the database (`roster`, `person_codes`,
//! `person_sessions`): an import as one transaction (upsert by national ID, counted), finding a
//! person by national ID or student number, a sign-in code checked into a session, and the
//! sessions themselves.

use std::collections::{HashMap, HashSet};

use super::applicant::{try_code, CodeCheck, CodeFor};
use super::{Store, StoreResult};
use crate::domain::roster::{Identity, ImportCounts, Person, RosterEntry, RowError};

/// A person as the roster has them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterPerson {
    pub national_id: String,
    pub student_number: String,
    pub mobile: String,
    pub faculty: String,
    pub level: String,
    pub status: String,
    pub university: String,
}

/// How an import ended: the counts, or the rows whose student number belongs to someone else on
/// the roster (nothing was written).
#[derive(Debug, PartialEq, Eq)]
pub enum Imported {
    Done(ImportCounts),
    Refused(Vec<RowError>),
}

/// A new person session: the SHA-256 of its token, its CSRF token and its span (Unix seconds).
pub struct NewPersonSession<'a> {
    pub token_sha256: &'a str,
    pub csrf_token: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

const PERSON_COLUMNS: &str =
    "national_id, student_number, mobile, faculty, level, status, university";

type PersonRow = (String, String, String, String, String, String, String);

fn person(
    (national_id, student_number, mobile, faculty, level, status, university): PersonRow,
) -> RosterPerson {
    RosterPerson {
        national_id,
        student_number,
        mobile,
        faculty,
        level,
        status,
        university,
    }
}

impl RosterPerson {
    fn of(e: &RosterEntry) -> RosterPerson {
        RosterPerson {
            national_id: e.national_id.as_str().to_owned(),
            student_number: e.student_number.clone(),
            mobile: e.mobile.as_str().to_owned(),
            faculty: e.faculty.clone(),
            level: e.level.id().to_owned(),
            status: e.status.id().to_owned(),
            university: e.university.clone(),
        }
    }
}

impl Store {
    /// Imports checked roster rows in one transaction: a national ID not on the roster is added,
    /// one on it is updated (or counted unchanged when its row is the same); nobody is removed.
    /// A student number that belongs to another person — one this file does not also give a new
    /// number — refuses the whole import, naming each such row.
    pub async fn import_roster(&self, entries: &[RosterEntry], now: i64) -> StoreResult<Imported> {
        let (_turn, mut tx) = self.begin_write().await?;
        let rows: Vec<PersonRow> = sqlx::query_as(&format!("SELECT {PERSON_COLUMNS} FROM roster"))
            .fetch_all(&mut *tx)
            .await?;
        let existing: HashMap<String, RosterPerson> =
            rows.into_iter().map(|r| (r.0.clone(), person(r))).collect();
        let holders: HashMap<&str, &str> = existing
            .values()
            .map(|p| (p.student_number.as_str(), p.national_id.as_str()))
            .collect();
        let in_file: HashSet<&str> = entries.iter().map(|e| e.national_id.as_str()).collect();
        let refused: Vec<RowError> = entries
            .iter()
            .filter_map(|e| {
                let holder = *holders.get(e.student_number.as_str())?;
                (holder != e.national_id.as_str() && !in_file.contains(holder)).then(|| {
                    RowError::new(
                        e.line,
                        "student_number",
                        "this student number belongs to another person on the roster.",
                        "این شماره دانشجویی در فهرست از آنِ کس دیگری است.",
                    )
                })
            })
            .collect();
        if !refused.is_empty() {
            return Ok(Imported::Refused(refused));
        }
        // Numbers that move between people of this file: out of the way first (a capital letter
        // and digits never contain '#'), so no row meets the unique index half-way.
        for e in entries {
            if let Some(old) = existing.get(e.national_id.as_str()) {
                if old.student_number != e.student_number {
                    sqlx::query(
                        "UPDATE roster SET student_number = '#' || national_id WHERE national_id = ?",
                    )
                    .bind(e.national_id.as_str())
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        let mut counts = ImportCounts::default();
        for e in entries {
            let new = RosterPerson::of(e);
            match existing.get(&new.national_id) {
                Some(old) if *old == new => {
                    counts.unchanged += 1;
                    continue;
                }
                Some(_) => counts.updated += 1,
                None => counts.added += 1,
            }
            sqlx::query(
                "INSERT INTO roster (national_id, student_number, mobile, faculty, level, status, \
                 university, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (national_id) DO UPDATE SET student_number = excluded.student_number, \
                 mobile = excluded.mobile, faculty = excluded.faculty, level = excluded.level, \
                 status = excluded.status, university = excluded.university, \
                 imported_at = excluded.imported_at",
            )
            .bind(&new.national_id)
            .bind(&new.student_number)
            .bind(&new.mobile)
            .bind(&new.faculty)
            .bind(&new.level)
            .bind(&new.status)
            .bind(&new.university)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Imported::Done(counts))
    }

    /// The person on the roster with this national ID or student number.
    pub async fn roster_person(&self, who: &Identity) -> StoreResult<Option<RosterPerson>> {
        let (column, value) = match who {
            Identity::NationalId(id) => ("national_id", id.as_str()),
            Identity::StudentNumber(n) => ("student_number", n.as_str()),
        };
        let row: Option<PersonRow> = sqlx::query_as(&format!(
            "SELECT {PERSON_COLUMNS} FROM roster WHERE {column} = ?"
        ))
        .bind(value)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(person))
    }

    /// How many people the roster has.
    pub async fn roster_size(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM roster")
            .fetch_one(self.pool())
            .await?)
    }

    /// Checks a sign-in code against the person's latest one, counting the try; a valid code is
    /// used up and opens a person session with the roster's data. `person` is `None` for someone
    /// not on the roster: the same transaction runs, and the answer is `Expired`.
    pub async fn check_person_code(
        &self,
        national_id: &str,
        person: Option<&RosterPerson>,
        code_sha256: &str,
        session: &NewPersonSession<'_>,
    ) -> StoreResult<CodeCheck> {
        let (_turn, mut tx) = self.begin_write().await?;
        let check = try_code(
            &mut tx,
            CodeFor::Person(national_id),
            code_sha256,
            session.now,
        )
        .await?;
        let check = match (check, person) {
            (CodeCheck::Valid, Some(p)) => {
                sqlx::query(
                    "INSERT INTO person_sessions (token_sha256, csrf_token, national_id, \
                     student_number, mobile, faculty, level, source, created_at, expires_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, 'roster', ?, ?)",
                )
                .bind(session.token_sha256)
                .bind(session.csrf_token)
                .bind(&p.national_id)
                .bind(&p.student_number)
                .bind(&p.mobile)
                .bind(&p.faculty)
                .bind(&p.level)
                .bind(session.now)
                .bind(session.expires_at)
                .execute(&mut *tx)
                .await?;
                CodeCheck::Valid
            }
            (CodeCheck::Valid, None) => CodeCheck::Expired,
            (other, _) => other,
        };
        tx.commit().await?;
        Ok(check)
    }

    /// The person of a live session, by the SHA-256 of its token.
    pub async fn person_session(
        &self,
        token_sha256: &str,
        now: i64,
    ) -> StoreResult<Option<Person>> {
        let row: Option<(String, String, String, String, String, String, i64)> = sqlx::query_as(
            "SELECT national_id, student_number, mobile, faculty, level, csrf_token, expires_at \
             FROM person_sessions WHERE token_sha256 = ? AND expires_at > ?",
        )
        .bind(token_sha256)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(
            |(national_id, student_number, mobile, faculty, level, csrf_token, expires_at)| {
                Person {
                    national_id,
                    student_number,
                    mobile,
                    faculty,
                    level,
                    csrf_token,
                    expires_at,
                }
            },
        ))
    }

    /// Ends a person session (and forgets the ones that have run out).
    pub async fn end_person_session(&self, token_sha256: &str, now: i64) -> StoreResult<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        sqlx::query("DELETE FROM person_sessions WHERE token_sha256 = ? OR expires_at <= ?")
            .bind(token_sha256)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
