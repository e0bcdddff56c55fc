//! The roster and the people signed in from it, in the database (`roster`, `person_codes`,
//! `person_sessions`): an import as one transaction (upsert by national ID, counted), finding a
//! person by national ID or student number, a sign-in code checked into a session, and the
//! sessions themselves.

use std::collections::{HashMap, HashSet};

use super::applicant::{try_code, CodeCheck, CodeFor};
use super::{Store, StoreError, StoreResult};
use crate::domain::roster::{
    source_id, source_of, Identity, ImportCounts, ImportInto, Person, RosterEntry, RosterPerson,
    RowError,
};
use crate::domain::universities::{UniversityId, DEFAULT_UNIVERSITY};

/// How an import ended: the counts, or the rows it refused (a university it may not file at, a
/// student number that belongs to someone else at that university, a person it may not take
/// from another university): nothing was written.
#[derive(Debug, PartialEq, Eq)]
pub enum Imported {
    Done(ImportCounts),
    Refused(Vec<RowError>),
}

/// A new person session: the SHA-256 of its token, when it begins (Unix seconds), the person
/// (with the session's CSRF token and end), and where to end the provider's session too.
pub struct NewPersonSession<'a> {
    pub token_sha256: &'a str,
    pub now: i64,
    pub person: &'a Person,
    /// RP-initiated logout at the OpenID provider (`docs/signin.md`), if it offers it.
    pub end_session_url: Option<&'a str>,
}

/// Inserts a person session (inside the caller's transaction).
async fn insert_session(
    tx: &mut sqlx::AnyConnection,
    session: &NewPersonSession<'_>,
) -> StoreResult<()> {
    let p = session.person;
    sqlx::query(
        "INSERT INTO person_sessions (token_sha256, csrf_token, national_id, student_number, \
         mobile, faculty, level, source, provider, end_session_url, created_at, expires_at, \
         university_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(session.token_sha256)
    .bind(&p.csrf_token)
    .bind(&p.national_id)
    .bind(&p.student_number)
    .bind(&p.mobile)
    .bind(&p.faculty)
    .bind(&p.level)
    .bind(source_id(p.source))
    .bind(&p.provider)
    .bind(session.end_session_url)
    .bind(session.now)
    .bind(p.expires_at)
    .bind(p.university.map(|u| u.0))
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A person session's row, as `person_session` reads it: the national ID, student number,
/// mobile, faculty, level, source, provider, CSRF token, end and university.
type SessionRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    String,
    i64,
    Option<i64>,
);

const PERSON_COLUMNS: &str =
    "national_id, student_number, mobile, faculty, level, status, university, university_id";

type PersonRow = (String, String, String, String, String, String, String, i64);

fn person(
    (national_id, student_number, mobile, faculty, level, status, university, university_id): PersonRow,
) -> RosterPerson {
    RosterPerson {
        national_id,
        student_number,
        mobile,
        faculty,
        level,
        status,
        university,
        university_id: UniversityId(university_id),
    }
}

impl Store {
    /// Imports checked roster rows in one transaction: a national ID not on the roster is added,
    /// one on it is updated (or counted unchanged when its row is the same); nobody is removed.
    /// Each row goes to the university `into` places it at ([`ImportInto::place`]: a row naming
    /// another university, or none, is refused). A student number is a university's own: one
    /// that belongs to another person at the same university — one this file does not also give
    /// a new number or university — refuses the whole import, naming each such row; so does a
    /// person on another university's roster in a university admin's import. Nothing is written
    /// unless every row is accepted.
    pub async fn import_roster(
        &self,
        entries: &[RosterEntry],
        now: i64,
        into: ImportInto,
    ) -> StoreResult<Imported> {
        let universities = self.universities().await?;
        let mut refused = Vec::new();
        let mut at = Vec::with_capacity(entries.len());
        for e in entries {
            match into.place(e, &universities) {
                Ok(u) => at.push(u),
                Err(row) => {
                    refused.push(row);
                    at.push(DEFAULT_UNIVERSITY);
                }
            }
        }
        // Twice at one university, once the names are read (a code and a Persian name).
        let mut seen: HashMap<(UniversityId, &str), u64> = HashMap::new();
        for (e, u) in entries.iter().zip(&at) {
            if let Some(first) = seen.insert((*u, e.student_number.as_str()), e.line) {
                refused.push(RowError::new(
                    e.line,
                    "student_number",
                    format!("also on line {first} at the same university; a person is on the roster once."),
                    format!("در سطر {first} هم برای همین دانشگاه آمده است؛ هر کس یک بار در فهرست است."),
                ));
            }
        }
        if !refused.is_empty() {
            refused.sort_by_key(|r| r.line);
            return Ok(Imported::Refused(refused));
        }
        let (_turn, mut tx) = self.begin_write().await?;
        let rows: Vec<PersonRow> = sqlx::query_as(&format!("SELECT {PERSON_COLUMNS} FROM roster"))
            .fetch_all(&mut *tx)
            .await?;
        let existing: HashMap<String, RosterPerson> =
            rows.into_iter().map(|r| (r.0.clone(), person(r))).collect();
        if !into.may_move() {
            let refused: Vec<RowError> = entries
                .iter()
                .zip(&at)
                .filter(|(e, u)| {
                    existing
                        .get(e.national_id.as_str())
                        .is_some_and(|old| old.university_id != **u)
                })
                .map(|(e, _)| {
                    RowError::new(
                        e.line,
                        "national_id",
                        "this person is on another university's roster.",
                        "این شخص در فهرست دانشگاه دیگری است.",
                    )
                })
                .collect();
            if !refused.is_empty() {
                return Ok(Imported::Refused(refused));
            }
        }
        let holders: HashMap<(UniversityId, &str), &str> = existing
            .values()
            .map(|p| {
                (
                    (p.university_id, p.student_number.as_str()),
                    p.national_id.as_str(),
                )
            })
            .collect();
        let in_file: HashSet<&str> = entries.iter().map(|e| e.national_id.as_str()).collect();
        let refused: Vec<RowError> = entries
            .iter()
            .zip(&at)
            .filter_map(|(e, u)| {
                let holder = *holders.get(&(*u, e.student_number.as_str()))?;
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
        // Numbers that move between people of this file (or people between universities): out
        // of the way first (a capital letter and digits never contain '#'), so no row meets the
        // unique index of (university, student number) half-way.
        for (e, u) in entries.iter().zip(&at) {
            if let Some(old) = existing.get(e.national_id.as_str()) {
                if old.student_number != e.student_number || old.university_id != *u {
                    sqlx::query(
                        "UPDATE roster SET student_number = '#' || national_id WHERE national_id = $1",
                    )
                    .bind(e.national_id.as_str())
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        let mut counts = ImportCounts::default();
        for (e, u) in entries.iter().zip(&at) {
            let new = RosterPerson::of(e, *u);
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
                 university, imported_at, university_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (national_id) DO UPDATE SET student_number = excluded.student_number, \
                 mobile = excluded.mobile, faculty = excluded.faculty, level = excluded.level, \
                 status = excluded.status, university = excluded.university, \
                 imported_at = excluded.imported_at, university_id = excluded.university_id",
            )
            .bind(&new.national_id)
            .bind(&new.student_number)
            .bind(&new.mobile)
            .bind(&new.faculty)
            .bind(&new.level)
            .bind(&new.status)
            .bind(&new.university)
            .bind(now)
            .bind(u.0)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Imported::Done(counts))
    }

    /// The person on the roster with this national ID, or with this student number at its
    /// university.
    pub async fn roster_person(&self, who: &Identity) -> StoreResult<Option<RosterPerson>> {
        let row: Option<PersonRow> = match who {
            Identity::NationalId(id) => {
                sqlx::query_as(&format!(
                    "SELECT {PERSON_COLUMNS} FROM roster WHERE national_id = $1"
                ))
                .bind(id.as_str())
                .fetch_optional(self.pool())
                .await?
            }
            Identity::StudentNumber(u, n) => {
                sqlx::query_as(&format!(
                    "SELECT {PERSON_COLUMNS} FROM roster \
                     WHERE university_id = $1 AND student_number = $2"
                ))
                .bind(u.0)
                .bind(n.as_str())
                .fetch_optional(self.pool())
                .await?
            }
        };
        Ok(row.map(person))
    }

    /// How many people the roster has (one university's, or the whole country's).
    pub async fn roster_size(&self, university: Option<UniversityId>) -> StoreResult<i64> {
        Ok(match university {
            Some(u) => {
                sqlx::query_scalar("SELECT COUNT(*) FROM roster WHERE university_id = $1")
                    .bind(u.0)
                    .fetch_one(self.pool())
                    .await?
            }
            None => {
                sqlx::query_scalar("SELECT COUNT(*) FROM roster")
                    .fetch_one(self.pool())
                    .await?
            }
        })
    }

    /// Checks a sign-in code against the person's latest one, counting the try; a valid code is
    /// used up and opens `session`. `session` is `None` for someone not on the roster: the same
    /// transaction runs, and the answer is `Expired`.
    pub async fn check_person_code(
        &self,
        national_id: &str,
        code_hmac: &str,
        now: i64,
        session: Option<&NewPersonSession<'_>>,
    ) -> StoreResult<CodeCheck> {
        let (_turn, mut tx) = self.begin_write().await?;
        let check = try_code(&mut tx, CodeFor::Person(national_id), code_hmac, now).await?;
        let check = match (check, session) {
            (CodeCheck::Valid, Some(session)) => {
                insert_session(&mut tx, session).await?;
                CodeCheck::Valid
            }
            (CodeCheck::Valid, None) => CodeCheck::Expired,
            (other, _) => other,
        };
        tx.commit().await?;
        Ok(check)
    }

    /// Opens a person session (an OpenID sign-in).
    pub async fn add_person_session(&self, session: &NewPersonSession<'_>) -> StoreResult<()> {
        let (_turn, mut tx) = self.begin_write().await?;
        insert_session(&mut tx, session).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The person of a live session, by the SHA-256 of its token.
    pub async fn person_session(
        &self,
        token_sha256: &str,
        now: i64,
    ) -> StoreResult<Option<Person>> {
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT national_id, student_number, mobile, faculty, level, source, provider, \
             csrf_token, expires_at, university_id FROM person_sessions \
             WHERE token_sha256 = $1 AND expires_at > $2",
        )
        .bind(token_sha256)
        .bind(now)
        .fetch_optional(self.pool())
        .await?;
        let Some((
            national_id,
            student_number,
            mobile,
            faculty,
            level,
            source,
            provider,
            csrf_token,
            expires_at,
            university,
        )) = row
        else {
            return Ok(None);
        };
        let source = source_of(&source)
            .ok_or_else(|| StoreError(format!("a person session's source {source:?}")))?;
        Ok(Some(Person {
            national_id,
            student_number,
            mobile,
            faculty,
            level,
            source,
            provider,
            university: university.map(UniversityId),
            csrf_token,
            expires_at,
        }))
    }

    /// Ends a person session (and forgets the ones that have run out): where to end the
    /// provider's session too, if the session came from one that offers it.
    pub async fn end_person_session(
        &self,
        token_sha256: &str,
        now: i64,
    ) -> StoreResult<Option<String>> {
        let (_turn, mut tx) = self.begin_write().await?;
        let end_session_url: Option<Option<String>> = sqlx::query_scalar(
            "SELECT end_session_url FROM person_sessions WHERE token_sha256 = $1 AND expires_at > $2",
        )
        .bind(token_sha256)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM person_sessions WHERE token_sha256 = $1 OR expires_at <= $2")
            .bind(token_sha256)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(end_session_url.flatten())
    }
}
