//! Storage of requests, their audit trail, attachments and idempotency keys: SQLite through sqlx
//! (runtime queries, portable SQL), behind the narrow API of [`Store`]. Reads go through a small
//! pool; every write goes through one writer task that commits whatever is waiting in one
//! transaction (group commit), so a durable commit (`synchronous=FULL`) is paid once per batch.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use rules::tracking::{TrackingCode, RANDOM_RANGE};
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{Connection, SqliteExecutor};
use tokio::sync::{mpsc, oneshot};

/// The migrations, compiled in (the binary needs no files beside it).
const MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "requests",
    include_str!("../migrations/0001_requests.sql"),
)];

/// Most jobs one transaction takes.
const MAX_BATCH: usize = 512;

/// A fault of the storage (never of the client's input).
#[derive(Debug)]
pub struct StoreError(String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError(format!("database: {e}"))
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError(format!("migration: {e}"))
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError(format!("file system: {e}"))
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A request to store, validated by the caller. The answer to send (and to replay) is made by
/// `receipt` once the tracking code is drawn.
pub struct NewRequest {
    pub idempotency_key: String,
    pub body_sha256: String,
    pub kind: &'static str,
    pub national_id: String,
    /// The validated request as JSON.
    pub body: String,
    pub status: &'static str,
    pub submitted_at: i64,
    pub submitted_jalali: String,
    pub revocation_deadline: Option<String>,
    pub attachments: Vec<AttachmentRef>,
    /// The 201 answer's body for the drawn tracking code.
    pub receipt: Box<dyn Fn(&TrackingCode) -> String + Send + Sync>,
}

/// An answer of a request referring to an uploaded file.
pub struct AttachmentRef {
    pub field: String,
    pub sha256: String,
    pub file_name: String,
}

/// An uploaded file's record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAttachment {
    pub sha256: String,
    pub media_type: String,
    pub size: u64,
    /// Relative to the data directory.
    pub path: String,
}

/// What an idempotency key already stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredKey {
    pub body_sha256: String,
    pub status: u16,
    pub body: String,
}

/// The outcome of [`Store::submit`].
#[derive(Debug, PartialEq, Eq)]
pub enum Submitted {
    /// Stored now; the receipt's body.
    Created(String),
    /// The key had been used already (by a request that raced this one).
    Existing(StoredKey),
}

/// One audit row: a move of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRow {
    pub at: i64,
    pub from: Option<String>,
    pub to: String,
    pub action: String,
    pub actor: String,
    pub note: Option<String>,
}

/// A stored request, as the lookup shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundRequest {
    pub tracking_code: TrackingCode,
    pub national_id: String,
    pub kind: String,
    pub status: String,
    pub submitted_at: i64,
    pub revocation_deadline: Option<String>,
    pub timeline: Vec<AuditRow>,
}

enum Job {
    Submit(Box<NewRequest>, oneshot::Sender<StoreResult<Submitted>>),
    Attachment(StoredAttachment, i64, oneshot::Sender<StoreResult<()>>),
}

/// The data directory's database and files.
#[derive(Clone)]
pub struct Store {
    read: SqlitePool,
    writer: mpsc::Sender<Job>,
    data_dir: PathBuf,
}

#[derive(Debug)]
struct Compiled;

impl<'s> MigrationSource<'s> for Compiled {
    fn resolve(
        self,
    ) -> futures_core_box::BoxFuture<'s, Result<Vec<Migration>, sqlx::error::BoxDynError>> {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|&(version, name, sql)| {
                    Migration::new(
                        version,
                        Cow::Borrowed(name),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// `BoxFuture` as sqlx spells it, without a dependency for one type alias.
mod futures_core_box {
    pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
}

impl Store {
    /// Opens (creating on first start) `data_dir/pishkhan.sqlite3` and `data_dir/attachments/`,
    /// runs the migrations and starts the writer.
    pub async fn open(data_dir: &Path) -> StoreResult<Store> {
        std::fs::create_dir_all(data_dir.join("attachments").join("tmp"))?;
        // Half-written uploads of a previous run.
        for entry in std::fs::read_dir(data_dir.join("attachments").join("tmp"))?.flatten() {
            let _ = std::fs::remove_file(entry.path());
        }
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(data_dir.join("pishkhan.sqlite3"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let mut writer = SqliteConnection::connect_with(&options).await?;
        Migrator::new(Compiled).await?.run(&mut writer).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(1)
            .connect_with(options)
            .await?;
        let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(write_loop(writer, rx));
        Ok(Store {
            read,
            writer: tx,
            data_dir: data_dir.to_owned(),
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// What `key` already stands for, if it was used.
    pub async fn find_key(&self, key: &str) -> StoreResult<Option<StoredKey>> {
        find_key(&self.read, key).await
    }

    /// Stores a request, its attachments' links, its first audit row and its idempotency key's
    /// answer in one transaction, and answers once that is durable. A key already used (by a
    /// request that raced this one past the caller's checks) stores nothing and answers what the
    /// key stands for.
    pub async fn submit(&self, new: NewRequest) -> StoreResult<Submitted> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Submit(Box::new(new), reply), answer).await
    }

    /// Records an uploaded file (already durable on disk at `path`); recording it again is a
    /// no-op.
    pub async fn add_attachment(&self, attachment: StoredAttachment, now: i64) -> StoreResult<()> {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Attachment(attachment, now, reply), answer)
            .await
    }

    async fn send<T>(&self, job: Job, answer: oneshot::Receiver<StoreResult<T>>) -> StoreResult<T> {
        let gone = || StoreError("the writer has stopped".into());
        self.writer.send(job).await.map_err(|_| gone())?;
        answer.await.map_err(|_| gone())?
    }

    /// An uploaded file's record.
    pub async fn attachment(&self, sha256: &str) -> StoreResult<Option<StoredAttachment>> {
        let row: Option<(String, String, i64, String)> = sqlx::query_as(
            "SELECT sha256, media_type, size, path FROM attachments WHERE sha256 = ?",
        )
        .bind(sha256)
        .fetch_optional(&self.read)
        .await?;
        Ok(
            row.map(|(sha256, media_type, size, path)| StoredAttachment {
                sha256,
                media_type,
                size: size as u64,
                path,
            }),
        )
    }

    /// The request with this tracking code and its timeline, oldest move first.
    pub async fn find_request(&self, code: &TrackingCode) -> StoreResult<Option<FoundRequest>> {
        let row: Option<(i64, String, String, String, i64, Option<String>)> = sqlx::query_as(
            "SELECT id, national_id, kind, status, submitted_at, revocation_deadline \
             FROM requests WHERE tracking_code = ?",
        )
        .bind(code.digits())
        .fetch_optional(&self.read)
        .await?;
        let Some((id, national_id, kind, status, submitted_at, revocation_deadline)) = row else {
            return Ok(None);
        };
        let timeline =
            sqlx::query_as::<_, (i64, Option<String>, String, String, String, Option<String>)>(
                "SELECT at, from_status, to_status, action, actor, note FROM audit \
             WHERE request_id = ? ORDER BY id",
            )
            .bind(id)
            .fetch_all(&self.read)
            .await?
            .into_iter()
            .map(|(at, from, to, action, actor, note)| AuditRow {
                at,
                from,
                to,
                action,
                actor,
                note,
            })
            .collect();
        Ok(Some(FoundRequest {
            tracking_code: code.clone(),
            national_id,
            kind,
            status,
            submitted_at,
            revocation_deadline,
            timeline,
        }))
    }

    /// Forgets idempotency keys created before `before` (Unix seconds); how many went.
    pub async fn purge_keys(&self, before: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < ?")
            .bind(before)
            .execute(&self.read)
            .await?;
        Ok(done.rows_affected())
    }

    /// How many requests are stored.
    pub async fn count_requests(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM requests")
            .fetch_one(&self.read)
            .await?)
    }
}

async fn find_key<'e>(db: impl SqliteExecutor<'e>, key: &str) -> StoreResult<Option<StoredKey>> {
    let row: Option<(String, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT body_sha256, response_status, response_body FROM idempotency_keys \
         WHERE idempotency_key = ? AND state = 'done'",
    )
    .bind(key)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(body_sha256, status, body)| StoredKey {
        body_sha256,
        status: status.unwrap_or(500) as u16,
        body: body.unwrap_or_default(),
    }))
}

/// The writer: takes the first waiting job and everything queued behind it (up to
/// [`MAX_BATCH`]), commits them in one transaction, then answers each. When a batch fails as a
/// whole, its jobs are retried one by one so that one bad job fails alone.
async fn write_loop(mut conn: SqliteConnection, mut jobs: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match commit(&mut conn, &batch).await {
            Ok(outcomes) => {
                for (job, outcome) in batch.drain(..).zip(outcomes) {
                    answer(job, Ok(outcome));
                }
            }
            Err(e) if batch.len() == 1 => answer(batch.pop().expect("one job"), Err(e)),
            Err(e) => {
                tracing::warn!(error = %e, jobs = batch.len(), "batch failed; retrying its jobs one by one");
                for job in batch.drain(..) {
                    let one = std::slice::from_ref(&job);
                    let outcome = commit(&mut conn, one).await.map(|mut o| o.remove(0));
                    answer(job, outcome);
                }
            }
        }
    }
}

/// What one job came to inside a batch.
enum Outcome {
    Submitted(Submitted),
    Recorded,
}

fn answer(job: Job, outcome: StoreResult<Outcome>) {
    match job {
        Job::Submit(_, reply) => {
            let _ = reply.send(outcome.and_then(|o| match o {
                Outcome::Submitted(s) => Ok(s),
                Outcome::Recorded => Err(StoreError("wrong outcome".into())),
            }));
        }
        Job::Attachment(_, _, reply) => {
            let _ = reply.send(outcome.map(|_| ()));
        }
    }
}

async fn commit(conn: &mut SqliteConnection, batch: &[Job]) -> StoreResult<Vec<Outcome>> {
    let mut tx = conn.begin().await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    for job in batch {
        outcomes.push(match job {
            Job::Submit(new, _) => Outcome::Submitted(insert_request(&mut tx, new).await?),
            Job::Attachment(a, now, _) => {
                sqlx::query(
                    "INSERT INTO attachments (sha256, media_type, size, path, created_at) \
                     VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                )
                .bind(&a.sha256)
                .bind(&a.media_type)
                .bind(a.size as i64)
                .bind(&a.path)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                Outcome::Recorded
            }
        });
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// A fresh tracking code from the OS's randomness (rejection sampling keeps the digits uniform).
fn random_tracking_code() -> StoreResult<TrackingCode> {
    let zone = u64::MAX - u64::MAX % RANDOM_RANGE;
    loop {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|e| StoreError(format!("randomness: {e}")))?;
        let n = u64::from_le_bytes(bytes);
        if n < zone {
            return Ok(TrackingCode::from_number(n % RANDOM_RANGE));
        }
    }
}

async fn insert_request(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    new: &NewRequest,
) -> StoreResult<Submitted> {
    // The key first: if it is taken, nothing else is written.
    let claimed = sqlx::query(
        "INSERT INTO idempotency_keys (idempotency_key, body_sha256, state, created_at) \
         VALUES (?, ?, 'in_progress', ?) ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(&new.idempotency_key)
    .bind(&new.body_sha256)
    .bind(new.submitted_at)
    .execute(&mut **tx)
    .await?;
    if claimed.rows_affected() == 0 {
        let existing = find_key(&mut **tx, &new.idempotency_key).await?;
        return existing
            .map(Submitted::Existing)
            .ok_or_else(|| StoreError("an idempotency key is in progress elsewhere".into()));
    }
    let mut attempt = 0;
    let (id, code) = loop {
        let code = random_tracking_code()?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO requests (tracking_code, kind, national_id, body, status, submitted_at, \
             submitted_jalali, revocation_deadline, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) \
             ON CONFLICT (tracking_code) DO NOTHING RETURNING id",
        )
        .bind(code.digits())
        .bind(new.kind)
        .bind(&new.national_id)
        .bind(&new.body)
        .bind(new.status)
        .bind(new.submitted_at)
        .bind(&new.submitted_jalali)
        .bind(&new.revocation_deadline)
        .fetch_optional(&mut **tx)
        .await?;
        match id {
            Some(id) => break (id, code),
            None if attempt < 16 => attempt += 1,
            None => return Err(StoreError("no free tracking code after 16 draws".into())),
        }
    };
    for a in &new.attachments {
        sqlx::query(
            "INSERT INTO request_attachments (request_id, field, sha256, file_name) \
             VALUES (?, ?, ?, ?)",
        )
        .bind(id)
        .bind(&a.field)
        .bind(&a.sha256)
        .bind(&a.file_name)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO audit (request_id, at, from_status, to_status, action, actor, note) \
         VALUES (?, ?, NULL, ?, 'submit', 'applicant', NULL)",
    )
    .bind(id)
    .bind(new.submitted_at)
    .bind(new.status)
    .execute(&mut **tx)
    .await?;
    let receipt = (new.receipt)(&code);
    sqlx::query(
        "UPDATE idempotency_keys SET state = 'done', response_status = 201, response_body = ?, \
         request_id = ? WHERE idempotency_key = ?",
    )
    .bind(&receipt)
    .bind(id)
    .bind(&new.idempotency_key)
    .execute(&mut **tx)
    .await?;
    Ok(Submitted::Created(receipt))
}
