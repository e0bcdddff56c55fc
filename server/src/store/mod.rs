//! Storage of requests, their audit trail, attachments and idempotency keys, behind the narrow
//! API of [`Store`]: the SQLite file of the data directory by default, or a PostgreSQL database
//! (`--database postgres://…`) that several server instances share. One body of SQL serves both
//! through sqlx's `Any` driver (runtime queries, `$1` placeholders, portable SQL); the few
//! differences are [`Engine`]'s. Reads go through a small pool; every submission goes through one
//! writer task that commits whatever is waiting in one transaction (group commit), so a durable
//! commit (`synchronous=FULL`, `synchronous_commit=on`) is paid once per batch.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rules::requests::ClearanceOffice;
use rules::tracking::{TrackingCode, RANDOM_RANGE};
use sqlx::any::{AnyArguments, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{Any, AnyConnection, AnyPool, Arguments, Connection, Encode, Type};
use tokio::sync::{mpsc, oneshot};

pub mod accounts;
pub mod applicant;
pub mod dashboard;
pub mod files;
pub mod offices;
pub mod oidc;
pub mod reminders;
pub mod retention;
pub mod roster;
pub mod second_factor;
pub mod secret_key;
pub mod summary;
pub mod tasks;
pub mod universities;
pub mod uploads;
pub mod workflow;

use crate::domain::audit;
use crate::domain::submission::{AttachmentRef, NewRequest};
use crate::domain::universities::{UniversityId, DEFAULT_UNIVERSITY};

/// The SQLite migrations, compiled in (the binary needs no files beside it).
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "requests",
        include_str!("../../migrations/0001_requests.sql"),
    ),
    (2, "staff", include_str!("../../migrations/0002_staff.sql")),
    (
        3,
        "roster",
        include_str!("../../migrations/0003_roster.sql"),
    ),
    (4, "oidc", include_str!("../../migrations/0004_oidc.sql")),
    (
        5,
        "request_identity",
        include_str!("../../migrations/0005_request_identity.sql"),
    ),
    (
        6,
        "payments_and_handles",
        include_str!("../../migrations/0006_payments_and_handles.sql"),
    ),
    (
        7,
        "staff_signin",
        include_str!("../../migrations/0007_staff_signin.sql"),
    ),
    (
        8,
        "secrets",
        include_str!("../../migrations/0008_secrets.sql"),
    ),
    (
        9,
        "retention",
        include_str!("../../migrations/0009_retention.sql"),
    ),
    (
        10,
        "instances",
        include_str!("../../migrations/0010_instances.sql"),
    ),
    (
        12,
        "universities",
        include_str!("../../migrations/0012_universities.sql"),
    ),
    (
        13,
        "university_rosters",
        include_str!("../../migrations/0013_university_rosters.sql"),
    ),
    (
        14,
        "revocation_index",
        include_str!("../../migrations/0014_revocation_index.sql"),
    ),
    (
        15,
        "sms_gateway",
        include_str!("../../migrations/0015_sms_gateway.sql"),
    ),
    (
        16,
        "payment_refunds",
        include_str!("../../migrations/0016_payment_refunds.sql"),
    ),
    (
        17,
        "reminders",
        include_str!("../../migrations/0017_reminders.sql"),
    ),
    (
        18,
        "dashboard",
        include_str!("../../migrations/0018_dashboard.sql"),
    ),
    (
        19,
        "summary_deltas",
        include_str!("../../migrations/0019_summary_deltas.sql"),
    ),
    (
        20,
        "refund_retries",
        include_str!("../../migrations/0020_refund_retries.sql"),
    ),
];

/// The PostgreSQL migrations: the schema SQLite's 0001–0009 came to, in one (PostgreSQL started
/// there), then the same numbers as SQLite's from 10 on (the same file where the SQL is the same),
/// and PostgreSQL's own (11: uploaded files' bytes, which SQLite keeps on disk).
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        9,
        "schema",
        include_str!("../../migrations/postgres/0009_schema.sql"),
    ),
    (
        10,
        "instances",
        include_str!("../../migrations/0010_instances.sql"),
    ),
    (
        11,
        "attachment_blobs",
        include_str!("../../migrations/postgres/0011_attachment_blobs.sql"),
    ),
    (
        12,
        "universities",
        include_str!("../../migrations/postgres/0012_universities.sql"),
    ),
    (
        13,
        "university_rosters",
        include_str!("../../migrations/postgres/0013_university_rosters.sql"),
    ),
    (
        14,
        "revocation_index",
        include_str!("../../migrations/postgres/0014_revocation_index.sql"),
    ),
    (
        15,
        "sms_gateway",
        include_str!("../../migrations/postgres/0015_sms_gateway.sql"),
    ),
    (
        16,
        "payment_refunds",
        include_str!("../../migrations/postgres/0016_payment_refunds.sql"),
    ),
    (
        17,
        "reminders",
        include_str!("../../migrations/postgres/0017_reminders.sql"),
    ),
    (
        18,
        "dashboard",
        include_str!("../../migrations/postgres/0018_dashboard.sql"),
    ),
    (
        19,
        "summary_deltas",
        include_str!("../../migrations/postgres/0019_summary_deltas.sql"),
    ),
    (
        20,
        "refund_retries",
        include_str!("../../migrations/postgres/0020_refund_retries.sql"),
    ),
];

/// The university a request belongs to, as an SQL expression over the request's kind,
/// university, national ID and identity university (each a column of the row being written, or
/// a parameter): an exemption's is the one its answers name (`university`: a code, or an older
/// request's Persian name), a withdrawal's or clearance's its student's roster row's; or, when
/// the roster does not place the student, the university of the identity that filed it
/// (`identity_university_id`: the one university of the OpenID provider it signed in at,
/// migration 13); else the default university (id 1, migration 12, which backfilled with the
/// same rule). With the kind a literal, the engine keeps only that kind's branch.
pub(crate) fn university_of(
    kind: &str,
    university: &str,
    national_id: &str,
    identity_university: &str,
) -> String {
    format!(
        "CASE WHEN {kind} = 'exemption' \
         THEN COALESCE((SELECT u.id FROM universities u WHERE u.code = {university} \
                        OR u.name_fa = {university} ORDER BY u.id LIMIT 1), 1) \
         ELSE COALESCE((SELECT r.university_id FROM roster r WHERE r.national_id = {national_id}), \
                       {identity_university}, 1) END"
    )
}

/// The SQLite file in the data directory.
pub const DATABASE_FILE: &str = "pishkhan.sqlite3";

/// The database engine a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// `<data-dir>/pishkhan.sqlite3`: one server process.
    Sqlite,
    /// A PostgreSQL database that any number of server instances share.
    Postgres,
}

impl Engine {
    /// What a `SELECT` of one row that is about to be changed ends with: PostgreSQL locks the row
    /// until the transaction ends (a second mover waits, then reads the new version); SQLite's
    /// write transaction (`BEGIN IMMEDIATE`) already holds the whole database.
    pub(crate) fn for_update(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE",
        }
    }

    fn migrations(self) -> &'static [(i64, &'static str, &'static str)] {
        match self {
            Engine::Sqlite => MIGRATIONS,
            Engine::Postgres => POSTGRES_MIGRATIONS,
        }
    }

    /// What the `SELECT` of rows an instance claims ends with: PostgreSQL locks them and passes
    /// over the rows another instance is claiming at the same moment; SQLite's one writer at a
    /// time needs nothing.
    pub(crate) fn skip_locked(self) -> &'static str {
        match self {
            Engine::Sqlite => "",
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// The engine an open connection talks to.
    fn of(conn: &AnyConnection) -> Engine {
        if conn.backend_name() == "PostgreSQL" {
            Engine::Postgres
        } else {
            Engine::Sqlite
        }
    }

    /// Most rows one multi-row statement carries. SQLite: 16 — it looks each `$n` up by a
    /// linear scan of the statement's parameters, when it parses the statement and again when
    /// sqlx binds it, so a statement costs the square of its parameters (256 rows of `requests`
    /// are 5,120); 16 measured best of 8, 16, 32 and 256. PostgreSQL has no such scan and pays
    /// per round trip instead: 128 (bench/server-results.md).
    fn rows_per_statement(self) -> usize {
        match self {
            Engine::Sqlite => 16,
            Engine::Postgres => 128,
        }
    }

    /// The statement that opens a write transaction.
    fn begin(self) -> &'static str {
        match self {
            Engine::Sqlite => "BEGIN IMMEDIATE",
            Engine::Postgres => "BEGIN",
        }
    }
}

/// Where the data lives: the SQLite file of the data directory (`None`), or a PostgreSQL URL.
pub fn engine_of(database: Option<&str>) -> StoreResult<Engine> {
    match database {
        None => Ok(Engine::Sqlite),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Engine::Postgres)
        }
        Some(_) => Err(StoreError(
            "--database: a postgres:// or postgresql:// URL (without it, the SQLite file of the \
             data directory)"
                .into(),
        )),
    }
}

/// The URL of a SQLite file, created if missing.
fn sqlite_url(file: &Path) -> String {
    format!("sqlite://{}?mode=rwc", file.display())
}

/// Sets a new connection up: on SQLite the pragmas of a durable, shared file (the `Any` driver
/// takes no options but its URL); nothing on PostgreSQL, whose defaults (`fsync=on`,
/// `synchronous_commit=on`, READ COMMITTED) are what the store expects.
async fn prepare(conn: &mut AnyConnection, engine: Engine) -> Result<(), sqlx::Error> {
    if engine == Engine::Sqlite {
        for pragma in [
            "PRAGMA busy_timeout = 10000",
            "PRAGMA journal_mode = WAL",
            "PRAGMA synchronous = FULL",
            "PRAGMA foreign_keys = ON",
            // Deleted and overwritten content is zeroed, so that erased values leave the file.
            "PRAGMA secure_delete = ON",
            // Checkpoints run beside the writer (see `checkpoint_loop`), not inside its commits.
            "PRAGMA wal_autocheckpoint = 0",
        ] {
            sqlx::query(pragma).execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// `sql` with its `?` placeholders numbered (`$1`, `$2`, …), the form both engines read, for
/// SQL put together from parts.
pub(crate) fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push_str(&format!("${n}"));
        } else {
            out.push(c);
        }
    }
    out
}

/// Values bound one by one, each answering its placeholder (`$n`): for statements whose number
/// of values is known only at run time (a batch's multi-row `INSERT`, an `IN` list).
pub(crate) struct Params<'q> {
    args: AnyArguments<'q>,
    n: usize,
    error: Option<String>,
}

impl<'q> Params<'q> {
    pub(crate) fn new() -> Self {
        Params {
            args: AnyArguments::default(),
            n: 0,
            error: None,
        }
    }

    /// Binds `value`; its placeholder.
    pub(crate) fn bind<V: Encode<'q, Any> + Type<Any> + 'q>(&mut self, value: V) -> String {
        self.n += 1;
        if let Err(e) = self.args.add(value) {
            self.error.get_or_insert_with(|| e.to_string());
        }
        format!("${}", self.n)
    }

    pub(crate) fn finish(self) -> StoreResult<AnyArguments<'q>> {
        match self.error {
            None => Ok(self.args),
            Some(e) => Err(StoreError(format!("binding a value: {e}"))),
        }
    }
}

/// `head` (`INSERT INTO t (a, b) `) with one `VALUES` row per item, each row's placeholders as
/// `row` binds them, and `tail`.
pub(crate) fn values<'q, T>(
    head: &str,
    items: &'q [T],
    tail: &str,
    mut row: impl FnMut(&mut Params<'q>, &'q T) -> Vec<String>,
) -> StoreResult<(String, AnyArguments<'q>)> {
    let mut params = Params::new();
    let rows: Vec<String> = items
        .iter()
        .map(|item| format!("({})", row(&mut params, item).join(", ")))
        .collect();
    let sql = format!("{head}VALUES {}{tail}", rows.join(", "));
    Ok((sql, params.finish()?))
}

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

/// An uploaded file's record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAttachment {
    pub sha256: String,
    pub media_type: String,
    pub size: u64,
    /// Where SQLite's store keeps the bytes, relative to the data directory
    /// ([`files::path_of`]); on PostgreSQL they are in `attachment_blobs` and this is unused.
    pub path: String,
}

/// What an idempotency key already stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredKey {
    pub body_sha256: String,
    pub status: u16,
    pub body: String,
    /// Whose request it filed (replayed to that person only).
    pub national_id: Option<String>,
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
    /// The role of whoever made the move (`university_user`, `applicant`, …): the public lookup
    /// never names a clerk.
    pub actor: String,
    pub note: Option<String>,
}

/// One of a person's requests, as "my requests" lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnRequest {
    /// Digits.
    pub tracking_code: String,
    pub kind: String,
    pub status: String,
    pub submitted_at: i64,
    pub revocation_deadline: Option<String>,
    /// An issued exemption's last day ([`ISSUED_UNTIL`]).
    pub exemption_until: Option<String>,
    /// The receipt answered at filing, kept with its idempotency key (until the key is purged).
    pub receipt: Option<String>,
    /// The state it started in: the last move made at its filing.
    pub filed_status: Option<String>,
    /// The stored body (a withdrawal's deadlines are in it).
    pub body: String,
    /// Its university, and a clearance's route as filed: where its offices are named from.
    pub university_id: UniversityId,
    pub route: Option<Vec<ClearanceOffice>>,
}

/// What the applicant is shown of `requests r`'s exemption end: the day, once the exemption is
/// issued (a renewal or a withdrawal after it ends that state); NULL otherwise.
pub const ISSUED_UNTIL: &str = "CASE WHEN r.status = 'issued' THEN r.exemption_until END";

/// A stored request, as the lookup shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundRequest {
    pub tracking_code: TrackingCode,
    pub national_id: String,
    pub kind: String,
    pub status: String,
    pub submitted_at: i64,
    pub revocation_deadline: Option<String>,
    /// An issued exemption's last day ([`ISSUED_UNTIL`]).
    pub exemption_until: Option<String>,
    pub timeline: Vec<AuditRow>,
}

enum Job {
    Submit(Box<NewRequest>, oneshot::Sender<StoreResult<Submitted>>),
    /// A file, who uploaded it (`uploads.owner`) and when.
    Attachment(
        StoredAttachment,
        String,
        i64,
        oneshot::Sender<StoreResult<()>>,
    ),
}

/// The data directory's database and files.
#[derive(Clone)]
pub struct Store {
    read: AnyPool,
    engine: Engine,
    /// On SQLite, staff-side write transactions take turns here rather than in SQLite's busy
    /// handler, whose sleeps would stretch a queue of moves into seconds. (On PostgreSQL the rows
    /// they change are locked by the database, across instances.)
    staff_writes: std::sync::Arc<tokio::sync::Mutex<()>>,
    writer: mpsc::Sender<Job>,
    data_dir: PathBuf,
    /// Uploads hold it shared from moving a file into place to recording it (`files.rs`); the
    /// sweep of unreferenced files (`uploads.rs`) alone, so it never removes a file being
    /// recorded anew.
    files: std::sync::Arc<tokio::sync::RwLock<()>>,
    /// The key of the audit chain's hashes of personal fields (`<data-dir>/secret.key`).
    audit_key: audit::Key,
    /// The server's secret key (`<data-dir>/secret.key`, `secret_key.rs`).
    secret: crate::domain::secret::SecretKey,
    /// This process's name among the instances sharing the database (random, for its claims).
    instance: String,
}

/// An engine's migrations as sqlx's migrator takes them.
#[derive(Debug)]
struct Compiled(Engine);

/// `BoxFuture` as sqlx spells it, without a dependency for one type alias.
type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

impl<'s> MigrationSource<'s> for Compiled {
    fn resolve(self) -> BoxFuture<'s, Result<Vec<Migration>, sqlx::error::BoxDynError>> {
        let migrations = self.0.migrations();
        Box::pin(async move {
            Ok(migrations
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

impl Store {
    /// [`Store::connect`] to the SQLite file of `data_dir`.
    pub async fn open(data_dir: &Path) -> StoreResult<Store> {
        Store::connect(data_dir, None).await
    }

    /// Opens (creating on first start) the database — `data_dir/pishkhan.sqlite3`, or the
    /// PostgreSQL database at `database` — and `data_dir/attachments/`, runs the migrations,
    /// chains the audit rows of the chain's older forms in its keyed form, seeds the clearance
    /// offices when there are none and starts the writer. The server's secret key
    /// (`<data-dir>/secret.key`) is read, or made on first start; every instance sharing one
    /// PostgreSQL database needs the same key file.
    pub async fn connect(data_dir: &Path, database: Option<&str>) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let engine = engine_of(database)?;
        std::fs::create_dir_all(data_dir.join("attachments").join("tmp"))?;
        let secret = secret_key::load_or_create(data_dir)?;
        let audit_key = audit::Key(*secret.bytes());
        // Half-written uploads of a previous run.
        for entry in std::fs::read_dir(data_dir.join("attachments").join("tmp"))?.flatten() {
            let _ = std::fs::remove_file(entry.path());
        }
        let url = match database {
            Some(url) => url.to_owned(),
            None => sqlite_url(&data_dir.join(DATABASE_FILE)),
        };
        let mut writer = AnyConnection::connect(&url).await?;
        prepare(&mut writer, engine).await?;
        Migrator::new(Compiled(engine))
            .await?
            .run(&mut writer)
            .await?;
        let read = AnyPoolOptions::new()
            .max_connections(match engine {
                Engine::Sqlite => 8,
                Engine::Postgres => 16,
            })
            .min_connections(1)
            .after_connect(move |conn, _| Box::pin(async move { prepare(conn, engine).await }))
            .connect(&url)
            .await?;
        let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(write_loop(writer, rx, audit_key.clone(), engine));
        if engine == Engine::Sqlite {
            tokio::spawn(checkpoint_loop(read.clone()));
        }
        let store = Store {
            read,
            engine,
            staff_writes: Default::default(),
            writer: tx,
            data_dir: data_dir.to_owned(),
            files: Default::default(),
            audit_key,
            secret,
            instance: crate::random_hex(8),
        };
        store.rechain_audit().await?;
        store.seed_offices().await?;
        Ok(store)
    }

    /// Connections for reads, and for the staff side's writes (transactions beside the
    /// submission writer; the database orders them).
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.read
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// This process's name among the instances sharing the database.
    pub(crate) fn instance(&self) -> &str {
        &self.instance
    }

    /// Opens a staff-side write transaction. On SQLite (`BEGIN IMMEDIATE`) one at a time in this
    /// process, the turn held until the returned guard is dropped (after the commit); on
    /// PostgreSQL at once, the rows it changes locked by the database.
    pub(crate) async fn begin_write(
        &self,
    ) -> StoreResult<(
        Option<tokio::sync::OwnedMutexGuard<()>>,
        sqlx::Transaction<'static, Any>,
    )> {
        let turn = match self.engine {
            Engine::Sqlite => Some(self.staff_writes.clone().lock_owned().await),
            Engine::Postgres => None,
        };
        let tx = self.read.begin_with(self.engine.begin()).await?;
        Ok((turn, tx))
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The server's secret key (`<data-dir>/secret.key`).
    pub fn secret_key(&self) -> &crate::domain::secret::SecretKey {
        &self.secret
    }

    pub(crate) fn audit_key(&self) -> &audit::Key {
        &self.audit_key
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

    /// Records an uploaded file (already durable on disk at `path`; recording the file again
    /// keeps its first record) and its upload by `owner` at `now`, through the writer: SQLite's
    /// way ([`Store::keep_upload`] chooses; on PostgreSQL a record without its bytes in
    /// `attachment_blobs` would fail its commit).
    pub(crate) async fn add_attachment(
        &self,
        attachment: StoredAttachment,
        owner: &str,
        now: i64,
    ) -> StoreResult<()> {
        let (reply, answer) = oneshot::channel();
        self.send(
            Job::Attachment(attachment, owner.to_owned(), now, reply),
            answer,
        )
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
            "SELECT sha256, media_type, size, path FROM attachments WHERE sha256 = $1",
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
        use sqlx::Row as _;
        let row = sqlx::query(&format!(
            "SELECT r.id, r.national_id, r.kind, r.status, r.submitted_at, \
             r.revocation_deadline, {ISSUED_UNTIL} AS until FROM requests r \
             WHERE r.tracking_code = $1"
        ))
        .bind(code.digits())
        .fetch_optional(&self.read)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: i64 = row.try_get("id")?;
        let timeline =
            sqlx::query_as::<_, (i64, Option<String>, String, String, String, Option<String>)>(
                "SELECT at, from_status, to_status, action, COALESCE(actor_role, actor), note \
                 FROM audit WHERE request_id = $1 ORDER BY id",
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
            national_id: row.try_get("national_id")?,
            kind: row.try_get("kind")?,
            status: row.try_get("status")?,
            submitted_at: row.try_get("submitted_at")?,
            revocation_deadline: row.try_get("revocation_deadline")?,
            exemption_until: row.try_get("until")?,
            timeline,
        }))
    }

    /// Every request filed under `national_id`, newest first.
    pub async fn requests_of(&self, national_id: &str) -> StoreResult<Vec<OwnRequest>> {
        type Row = (
            String,
            String,
            String,
            i64,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            Option<i64>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT r.tracking_code, r.kind, r.status, r.submitted_at, r.revocation_deadline, \
             k.response_body, (SELECT a.to_status FROM audit a WHERE a.request_id = r.id \
             AND a.at = r.submitted_at ORDER BY a.id DESC LIMIT 1), r.body, r.university_id, \
             r.route, {ISSUED_UNTIL} FROM requests r LEFT JOIN idempotency_keys k ON k.request_id = r.id \
             AND k.state = 'done' WHERE r.national_id = $1 ORDER BY r.submitted_at DESC, r.id DESC",
        ))
        .bind(national_id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    tracking_code,
                    kind,
                    status,
                    submitted_at,
                    deadline,
                    receipt,
                    filed,
                    body,
                    university,
                    route,
                    until,
                )| OwnRequest {
                    tracking_code,
                    kind,
                    status,
                    submitted_at,
                    revocation_deadline: deadline,
                    exemption_until: until,
                    receipt,
                    filed_status: filed,
                    body,
                    university_id: university.map_or(DEFAULT_UNIVERSITY, UniversityId),
                    route: route.and_then(|r| serde_json::from_str(&r).ok()),
                },
            )
            .collect())
    }

    /// The files a request refers to: (field, file name, the file).
    pub async fn request_attachments(
        &self,
        request_id: i64,
    ) -> StoreResult<Vec<(String, String, StoredAttachment)>> {
        let rows: Vec<(String, String, String, String, i64, String)> = sqlx::query_as(
            "SELECT ra.field, ra.file_name, a.sha256, a.media_type, a.size, a.path \
             FROM request_attachments ra JOIN attachments a ON a.sha256 = ra.sha256 \
             WHERE ra.request_id = $1 ORDER BY ra.field",
        )
        .bind(request_id)
        .fetch_all(&self.read)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(field, file_name, sha256, media_type, size, path)| {
                (
                    field,
                    file_name,
                    StoredAttachment {
                        sha256,
                        media_type,
                        size: size as u64,
                        path,
                    },
                )
            })
            .collect())
    }

    /// Copies SQLite's write-ahead log into the database and empties it (after an erasure, so
    /// that the erased values' old pages are not left in it). A reader of an older snapshot
    /// (another process's) keeps it from completing: each try waits for readers as long as the
    /// busy timeout allows, and it is tried ten times.
    pub(super) async fn truncate_wal(&self) -> StoreResult<()> {
        for _ in 0..10 {
            let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&self.read)
                .await?;
            if busy == 0 {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(StoreError(
            "the write-ahead log stayed in use; run the purge again".into(),
        ))
    }

    /// When a request was erased under retention, if it was.
    pub async fn erased_at(&self, request_id: i64) -> StoreResult<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT erased_at FROM requests WHERE id = $1")
                .bind(request_id)
                .fetch_optional(&self.read)
                .await?
                .flatten(),
        )
    }

    /// How many requests are stored.
    pub async fn count_requests(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM requests")
            .fetch_one(&self.read)
            .await?)
    }
}

/// A used key's row: the body's SHA-256, the answer's status and body, whose request.
type KeyRow = (String, Option<i64>, Option<String>, Option<String>);

async fn find_key<'e>(db: impl sqlx::AnyExecutor<'e>, key: &str) -> StoreResult<Option<StoredKey>> {
    let row: Option<KeyRow> = sqlx::query_as(
        "SELECT k.body_sha256, k.response_status, k.response_body, r.national_id \
         FROM idempotency_keys k LEFT JOIN requests r ON r.id = k.request_id \
         WHERE k.idempotency_key = $1 AND k.state = 'done'",
    )
    .bind(key)
    .fetch_optional(db)
    .await?;
    Ok(row.map(stored_key))
}

/// Copies the write-ahead log into the database twice a second, on a reading connection and
/// without waiting for anyone (`PASSIVE`), so that a commit never pays for a checkpoint (SQLite's
/// automatic checkpoint would run inside the commit that crosses 1,000 pages).
async fn checkpoint_loop(pool: AnyPool) {
    let mut every = tokio::time::interval(Duration::from_millis(500));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            tracing::warn!(error = %e, "checkpoint failed");
        }
    }
}

/// The writer: takes the first waiting job and everything queued behind it (up to
/// [`MAX_BATCH`]), commits them in one transaction, then answers each. When a batch fails as a
/// whole, its jobs are retried one by one so that one bad job fails alone.
async fn write_loop(
    mut conn: AnyConnection,
    mut jobs: mpsc::Receiver<Job>,
    key: audit::Key,
    engine: Engine,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut batches = 0u64;
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let outcome = commit(&mut conn, &batch, &key, engine).await;
        batches += 1;
        replan_as_tables_grow(&mut conn, engine, batches).await;
        match outcome {
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
                    let outcome = commit(&mut conn, one, &key, engine)
                        .await
                        .map(|mut o| o.remove(0));
                    answer(job, outcome);
                }
            }
        }
    }
}

/// PostgreSQL keeps a connection's plans, the foreign-key checks' among them, until something
/// invalidates them: made while the tables were nearly empty (a new database), they scan a
/// whole table for each row a batch inserts (`requests`, for each audit row and key) until
/// autovacuum's next analyze of it, which can be a minute away. The writer's connection lives
/// as long as the server, so it drops its plans after each of its first 64 batches and then
/// after its 128th, 256th, 512th…: each is made again for the tables' sizes then, while the
/// tables are young and almost never after.
async fn replan_as_tables_grow(conn: &mut AnyConnection, engine: Engine, batches: u64) {
    if engine == Engine::Postgres && (batches <= 64 || batches.is_power_of_two()) {
        if let Err(e) = sqlx::Executor::execute(&mut *conn, "DISCARD PLANS").await {
            tracing::warn!(error = %e, "cannot drop the writer's plans");
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
        Job::Attachment(_, _, _, reply) => {
            let _ = reply.send(outcome.map(|_| ()));
        }
    }
}

/// Commits a batch in one `IMMEDIATE` transaction with a handful of statements whatever its
/// size: one look-up of the keys already used, then multi-row inserts into `requests`, `audit`,
/// `move_deltas` (the dashboard's counts), `request_attachments`, `idempotency_keys` and
/// `attachments`. A key used before (or twice in
/// the batch) stores nothing and answers what the key stands for.
async fn commit(
    conn: &mut AnyConnection,
    batch: &[Job],
    key: &audit::Key,
    engine: Engine,
) -> StoreResult<Vec<Outcome>> {
    // SQLite's IMMEDIATE: the write lock is taken (waiting its turn behind another connection's
    // write) before the batch reads its keys. A deferred transaction that has read cannot wait
    // for the lock when it comes to write: SQLite answers "database is locked" at once. On
    // PostgreSQL a key used by another instance at the same moment fails the batch's insert
    // (unique key); its jobs are then retried one by one and find the key used.
    let mut tx = conn.begin_with(engine.begin()).await?;
    let submissions: Vec<&NewRequest> = batch
        .iter()
        .filter_map(|job| match job {
            Job::Submit(new, _) => Some(&**new),
            Job::Attachment(..) => None,
        })
        .collect();
    let used = used_keys(&mut tx, &submissions).await?;
    // The first submission of each key not used before is stored.
    let mut seen = HashSet::new();
    let fresh: Vec<&NewRequest> = submissions
        .iter()
        .copied()
        .filter(|new| !used.contains_key(&new.idempotency_key) && seen.insert(&new.idempotency_key))
        .collect();
    let stored = insert_requests(&mut tx, &fresh).await?;
    let rows: Vec<(&NewRequest, i64, String)> = fresh
        .iter()
        .zip(&stored)
        .map(|(new, (id, code, _))| (*new, *id, (new.receipt)(code)))
        .collect();
    type ChainedRow<'e> = (i64, &'e audit::Entry, audit::Hashes, String, String);
    let mut audit_rows: Vec<ChainedRow> = Vec::new();
    for ((new, id, _), (_, code, _)) in rows.iter().zip(&stored) {
        let mut prev = audit::genesis(code.digits());
        for entry in &new.moves {
            let hashes = audit::hashes(key, entry);
            let hash = audit::row_hash(&prev, *id, entry, &hashes);
            audit_rows.push((*id, entry, hashes, prev, hash.clone()));
            prev = hash;
        }
    }
    insert_rows(
        &mut tx,
        "INSERT INTO audit (request_id, at, from_status, to_status, action, actor, actor_role, \
         note, data, note_hash, data_hash, prev_hash, row_hash) ",
        &audit_rows,
        |p, (id, entry, hashes, prev, hash)| {
            vec![
                p.bind(*id),
                p.bind(entry.at),
                p.bind(entry.from.as_deref()),
                p.bind(entry.to.as_str()),
                p.bind(entry.action.as_str()),
                p.bind(entry.actor.as_str()),
                p.bind(entry.actor_role.as_str()),
                p.bind(entry.note.as_deref()),
                p.bind(entry.data.as_deref()),
                p.bind(hashes.note.as_str()),
                p.bind(hashes.data.as_str()),
                p.bind(prev.as_str()),
                p.bind(hash.as_str()),
            ]
        },
    )
    .await?;
    // The dashboard's counts of these rows: appended, one row per summary key of the batch.
    let trails: Vec<summary::FiledTrail> = fresh
        .iter()
        .zip(&stored)
        .map(|(new, (_, _, university_id))| summary::FiledTrail {
            university_id: *university_id,
            faculty: new.copied.faculty.as_deref(),
            county: new.copied.county.as_deref(),
            process: new.process,
            entries: &new.moves,
        })
        .collect();
    insert_rows(
        &mut tx,
        &format!("INSERT INTO move_deltas ({}, n) ", summary::KEY),
        &summary::filing_counts(&trails),
        |p, (k, n)| {
            vec![
                p.bind(k.week),
                p.bind(k.university_id),
                p.bind(k.faculty),
                p.bind(k.county),
                p.bind(k.process),
                p.bind(k.from),
                p.bind(k.to),
                p.bind(k.bucket),
                p.bind(*n),
            ]
        },
    )
    .await?;
    let links: Vec<(i64, &AttachmentRef)> = rows
        .iter()
        .flat_map(|(new, id, _)| new.attachments.iter().map(move |a| (*id, a)))
        .collect();
    insert_rows(
        &mut tx,
        "INSERT INTO request_attachments (request_id, field, sha256, file_name) ",
        &links,
        |p, (id, a)| {
            vec![
                p.bind(*id),
                p.bind(a.field.as_str()),
                p.bind(a.sha256.as_str()),
                p.bind(a.file_name.as_str()),
            ]
        },
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO idempotency_keys (idempotency_key, body_sha256, state, response_status, \
         response_body, request_id, created_at) ",
        &rows,
        |p, (new, id, receipt)| {
            vec![
                p.bind(new.idempotency_key.as_str()),
                p.bind(new.body_sha256.as_str()),
                p.bind("done"),
                p.bind(201i64),
                p.bind(receipt.as_str()),
                p.bind(*id),
                p.bind(new.submitted_at),
            ]
        },
    )
    .await?;
    let files: Vec<(&StoredAttachment, &str, i64)> = batch
        .iter()
        .filter_map(|job| match job {
            Job::Attachment(a, owner, now, _) => Some((a, owner.as_str(), *now)),
            Job::Submit(..) => None,
        })
        .collect();
    record_uploads(&mut tx, &files, " ON CONFLICT (sha256) DO NOTHING").await?;
    tx.commit().await?;

    // Each stored key's first job gets the receipt; a second job with the same key in the batch
    // gets it as a replay; a key used before gets its stored answer.
    let mut created: HashMap<&str, (&NewRequest, &str, bool)> = rows
        .iter()
        .map(|(new, _, receipt)| {
            (
                new.idempotency_key.as_str(),
                (*new, receipt.as_str(), false),
            )
        })
        .collect();
    Ok(batch
        .iter()
        .map(|job| match job {
            Job::Attachment(..) => Outcome::Recorded,
            Job::Submit(new, _) => Outcome::Submitted(
                match (
                    used.get(&new.idempotency_key),
                    created.get_mut(new.idempotency_key.as_str()),
                ) {
                    (Some(stored), _) => Submitted::Existing(stored.clone()),
                    (None, Some((_, receipt, handed_out))) if !*handed_out => {
                        *handed_out = true;
                        Submitted::Created((*receipt).to_owned())
                    }
                    (None, Some((first, receipt, _))) => Submitted::Existing(StoredKey {
                        body_sha256: first.body_sha256.clone(),
                        status: 201,
                        body: (*receipt).to_owned(),
                        national_id: Some(first.national_id.clone()),
                    }),
                    (None, None) => unreachable!("every job of the batch is stored or was used"),
                },
            ),
        })
        .collect())
}

/// Inserts the records of uploaded files (`attachments`, `on_conflict` saying what happens to a
/// file recorded before) and their uploads (`uploads`: the file, who, when).
pub(crate) async fn record_uploads(
    tx: &mut sqlx::Transaction<'_, Any>,
    files: &[(&StoredAttachment, &str, i64)],
    on_conflict: &str,
) -> StoreResult<()> {
    for chunk in statement_chunks(tx, files) {
        let (sql, args) = values(
            "INSERT INTO attachments (sha256, media_type, size, path, created_at) ",
            chunk,
            on_conflict,
            |p, (a, _, now)| {
                vec![
                    p.bind(a.sha256.as_str()),
                    p.bind(a.media_type.as_str()),
                    p.bind(a.size as i64),
                    p.bind(a.path.as_str()),
                    p.bind(*now),
                ]
            },
        )?;
        sqlx::query_with(&sql, args).execute(&mut **tx).await?;
    }
    insert_rows(
        tx,
        "INSERT INTO uploads (sha256, owner, size, created_at) ",
        files,
        |p, (a, owner, now)| {
            vec![
                p.bind(a.sha256.as_str()),
                p.bind(*owner),
                p.bind(a.size as i64),
                p.bind(*now),
            ]
        },
    )
    .await
}

/// Splits `items` into the rows of as few multi-row statements as the connection's engine
/// allows ([`Engine::rows_per_statement`]), each of a power of two rows, so that a handful of
/// statement texts (sqlx prepares each once per connection and keeps 100) serve every batch
/// size: 100 rows go as 64 + 32 + 4 on PostgreSQL.
fn statement_chunks<'a, T>(conn: &AnyConnection, items: &'a [T]) -> Vec<&'a [T]> {
    power_of_two_chunks(items, Engine::of(conn).rows_per_statement())
}

/// `items` in chunks of powers of two, each the largest that fits what is left and `most`.
fn power_of_two_chunks<T>(items: &[T], most: usize) -> Vec<&[T]> {
    let mut chunks = Vec::new();
    let mut rest = items;
    while !rest.is_empty() {
        let size = most.min(1 << rest.len().ilog2());
        let (chunk, after) = rest.split_at(size);
        chunks.push(chunk);
        rest = after;
    }
    chunks
}

/// The keys of a batch that were used before, with their answers.
async fn used_keys(
    tx: &mut sqlx::Transaction<'_, Any>,
    submissions: &[&NewRequest],
) -> StoreResult<HashMap<String, StoredKey>> {
    let mut used = HashMap::new();
    for chunk in statement_chunks(tx, submissions) {
        let mut params = Params::new();
        let keys: Vec<String> = chunk
            .iter()
            .map(|new| params.bind(new.idempotency_key.as_str()))
            .collect();
        let sql = format!(
            "SELECT k.idempotency_key, k.body_sha256, k.response_status, k.response_body, \
             r.national_id FROM idempotency_keys k LEFT JOIN requests r ON r.id = k.request_id \
             WHERE k.state = 'done' AND k.idempotency_key IN ({})",
            keys.join(", ")
        );
        let rows: Vec<(String, KeyRow)> = sqlx::query_as_with::<
            _,
            (String, String, Option<i64>, Option<String>, Option<String>),
            _,
        >(&sql, params.finish()?)
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|(key, sha, status, body, national_id)| (key, (sha, status, body, national_id)))
        .collect();
        for (key, row) in rows {
            used.insert(key, stored_key(row));
        }
    }
    Ok(used)
}

fn stored_key((body_sha256, status, body, national_id): KeyRow) -> StoredKey {
    StoredKey {
        body_sha256,
        status: status.unwrap_or(500) as u16,
        body: body.unwrap_or_default(),
        national_id,
    }
}

/// Inserts the requests with fresh tracking codes (drawn again for any that collide with a
/// stored one); their ids and codes, in order.
async fn insert_requests(
    tx: &mut sqlx::Transaction<'_, Any>,
    fresh: &[&NewRequest],
) -> StoreResult<Vec<(i64, TrackingCode, i64)>> {
    let mut drawn = HashSet::new();
    let mut codes = Vec::with_capacity(fresh.len());
    for _ in fresh {
        codes.push(unique_code(&mut drawn)?);
    }
    // Each request's (id, university id) once inserted.
    let mut ids: Vec<Option<(i64, i64)>> = vec![None; fresh.len()];
    for attempt in 0..16 {
        let pending: Vec<usize> = (0..fresh.len()).filter(|&i| ids[i].is_none()).collect();
        if pending.is_empty() {
            break;
        }
        if attempt > 0 {
            for &i in &pending {
                codes[i] = unique_code(&mut drawn)?;
            }
        }
        for chunk in statement_chunks(tx, &pending) {
            let (sql, args) = values(
                "INSERT INTO requests (tracking_code, kind, national_id, body, status, \
                 submitted_at, submitted_jalali, revocation_deadline, version, process, \
                 university, county, faculty, mobile, identity_mobile, evening_course, \
                 updated_at, handle, route, identity_university_id, university_id, \
                 exemption_until) ",
                chunk,
                " ON CONFLICT (tracking_code) DO NOTHING RETURNING id, tracking_code, university_id",
                |p, &i| {
                    let new = fresh[i];
                    let national_id = p.bind(new.national_id.as_str());
                    let university = p.bind(new.copied.university.as_deref());
                    let identity_university = p.bind(new.identity_university.map(|u| u.0));
                    // A kind is one of the code's own words, never the client's.
                    debug_assert!(new.kind.bytes().all(|b| b.is_ascii_lowercase()));
                    let university_id = university_of(
                        &format!("'{}'", new.kind),
                        &university,
                        &national_id,
                        &identity_university,
                    );
                    vec![
                        p.bind(codes[i].digits().to_owned()),
                        p.bind(new.kind),
                        national_id,
                        p.bind(new.body.as_str()),
                        p.bind(new.status.as_str()),
                        p.bind(new.submitted_at),
                        p.bind(new.submitted_jalali.as_str()),
                        p.bind(new.revocation_deadline.as_deref()),
                        p.bind(new.moves.len() as i64),
                        p.bind(new.process),
                        university,
                        p.bind(new.copied.county.as_deref()),
                        p.bind(new.copied.faculty.as_deref()),
                        p.bind(new.copied.mobile.as_deref()),
                        p.bind(new.identity_mobile.as_deref()),
                        p.bind(i64::from(new.evening_course)),
                        p.bind(new.submitted_at),
                        // The opaque handle of staff URLs: random, never derived from the request.
                        p.bind(crate::random_hex(16)),
                        p.bind(new.route.as_deref()),
                        identity_university,
                        university_id,
                        p.bind(new.copied.exemption_until.as_deref()),
                    ]
                },
            )?;
            let rows: Vec<(i64, String, i64)> =
                sqlx::query_as_with(&sql, args).fetch_all(&mut **tx).await?;
            let by_code: HashMap<String, (i64, i64)> = rows
                .into_iter()
                .map(|(id, code, university)| (code, (id, university)))
                .collect();
            for &i in chunk {
                ids[i] = by_code.get(codes[i].digits()).copied();
            }
        }
    }
    ids.into_iter()
        .zip(codes)
        .map(|(id, code)| {
            id.map(|(id, university)| (id, code, university))
                .ok_or_else(|| StoreError("no free tracking code after 16 draws".into()))
        })
        .collect()
}

/// A tracking code not drawn before in this batch.
fn unique_code(drawn: &mut HashSet<String>) -> StoreResult<TrackingCode> {
    loop {
        let code = random_tracking_code()?;
        if drawn.insert(code.digits().to_owned()) {
            return Ok(code);
        }
    }
}

/// One multi-row `INSERT` (`head` names the table and columns) per [`statement_chunks`]' chunk
/// of the items; `bind` binds one item's values.
async fn insert_rows<'a, T>(
    tx: &mut sqlx::Transaction<'_, Any>,
    head: &str,
    items: &'a [T],
    mut bind: impl FnMut(&mut Params<'a>, &'a T) -> Vec<String>,
) -> StoreResult<()> {
    for chunk in statement_chunks(tx, items) {
        let (sql, args) = values(head, chunk, "", &mut bind)?;
        sqlx::query_with(&sql, args).execute(&mut **tx).await?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_carry_powers_of_two_rows_up_to_the_most() {
        let sizes = |n: usize, most: usize| -> Vec<usize> {
            let items: Vec<usize> = (0..n).collect();
            let chunks = power_of_two_chunks(&items, most);
            // Every item once, in order.
            assert_eq!(chunks.concat(), items);
            chunks.iter().map(|c| c.len()).collect()
        };
        assert_eq!(sizes(0, 16), Vec::<usize>::new());
        assert_eq!(sizes(1, 16), [1]);
        assert_eq!(sizes(100, 128), [64, 32, 4]);
        assert_eq!(sizes(128, 128), [128]);
        assert_eq!(sizes(300, 128), [128, 128, 32, 8, 4]);
        assert_eq!(sizes(45, 16), [16, 16, 8, 4, 1]);
        // A handful of statement texts for every batch size up to the largest batch.
        let mut distinct: Vec<usize> = (1..=MAX_BATCH).flat_map(|n| sizes(n, 16)).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct, [1, 2, 4, 8, 16]);
    }
    use crate::domain::universities::Scope;

    fn request(key: &str, n: i64) -> NewRequest {
        NewRequest {
            idempotency_key: key.into(),
            body_sha256: format!("hash-{n}"),
            kind: "clearance",
            national_id: "0084575948".into(),
            process: "clearance",
            copied: Default::default(),
            identity_mobile: None,
            identity_university: None,
            evening_course: false,
            route: None,
            body: "{}".into(),
            status: "at_office:department".into(),
            moves: vec![crate::domain::audit::Entry {
                at: 1_700_000_000 + n,
                from: None,
                to: "at_office:department".into(),
                action: "submit".into(),
                actor: "applicant".into(),
                actor_role: "applicant".into(),
                note: None,
                data: None,
            }],
            submitted_at: 1_700_000_000 + n,
            submitted_jalali: "1402-08-23".into(),
            revocation_deadline: None,
            attachments: Vec::new(),
            receipt: Box::new(|code| format!("{{\"tracking_code\":\"{code}\"}}")),
        }
    }

    /// An engine's migrations up to a version: a database as an older build left it.
    #[derive(Debug)]
    struct UpTo(Engine, i64);

    impl<'s> MigrationSource<'s> for UpTo {
        fn resolve(self) -> BoxFuture<'s, Result<Vec<Migration>, sqlx::error::BoxDynError>> {
            Box::pin(async move {
                let mut all = Compiled(self.0).resolve().await?;
                all.retain(|m| m.version <= self.1);
                Ok(all)
            })
        }
    }

    /// Migration 12 carries one university's data into the default university: the offices,
    /// the roster and the requests (an exemption by its university's Persian name), the faculty
    /// names, and each free-text scope read into typed columns.
    #[tokio::test]
    async fn migration_12_carries_todays_data_into_the_default_university() {
        sqlx::any::install_default_drivers();
        let dir = std::env::temp_dir().join(format!("pishkhan-m12-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let url = sqlite_url(&dir.join(DATABASE_FILE));
        let mut conn = AnyConnection::connect(&url).await.unwrap();
        prepare(&mut conn, Engine::Sqlite).await.unwrap();
        Migrator::new(UpTo(Engine::Sqlite, 9))
            .await
            .unwrap()
            .run(&mut conn)
            .await
            .unwrap();
        let old = [
            "INSERT INTO clearance_offices (id, position, name_fa, name_en) VALUES \
             ('department', 0, 'گروه', 'Department'), ('library', 1, 'کتابخانه', 'Library')",
            "INSERT INTO users (username, display_name, role, scope, password_hash, created_at) \
             VALUES ('all', 'x', 'central_office_expert', '*', 'h', 0), \
             ('ours', 'x', 'university_user', 'دانشگاه نمونه', 'h', 0), \
             ('unknown', 'x', 'university_user', 'دانشگاه دیگر', 'h', 0), \
             ('county', 'x', 'conscription_expert', 'شیراز', 'h', 0), \
             ('faculty', 'x', 'faculty_expert', 'حقوق', 'h', 0)",
            "INSERT INTO roster (student_number, national_id, mobile, faculty, level, status, \
             university, imported_at) VALUES ('1', '0084575948', '09120000000', 'فنی', \
             'phd', 'student', 'دانشگاه نمونه', 0)",
            "INSERT INTO requests (tracking_code, kind, national_id, body, status, submitted_at, \
             submitted_jalali, university, faculty) VALUES \
             ('1', 'exemption', '0012345679', '{}', 'at_university', 0, '1403-01-01', \
              'دانشگاه نمونه', NULL), \
             ('2', 'withdrawal', '0084575948', '{}', 'submitted', 0, '1403-01-01', NULL, 'علوم')",
        ];
        for statement in old {
            sqlx::query(statement).execute(&mut conn).await.unwrap();
        }
        Migrator::new(Compiled(Engine::Sqlite))
            .await
            .unwrap()
            .run(&mut conn)
            .await
            .unwrap();
        let rows = |sql: &'static str| sqlx::query_as::<_, (String, Option<i64>)>(sql);
        let offices = rows("SELECT id, university_id FROM clearance_offices ORDER BY position")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(
            offices,
            [("department".into(), Some(1)), ("library".into(), Some(1))]
        );
        let requests = rows("SELECT tracking_code, university_id FROM requests ORDER BY id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(requests, [("1".into(), Some(1)), ("2".into(), Some(1))]);
        let roster = rows("SELECT national_id, university_id FROM roster")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(roster, [("0084575948".into(), Some(1))]);
        type UserScope = (String, String, Option<i64>, Option<String>, Option<String>);
        let users: Vec<UserScope> = sqlx::query_as(
            "SELECT username, scope_kind, scope_university_id, scope_faculty, scope_county \
                 FROM users ORDER BY username",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        let users: Vec<(&str, Option<Scope>)> = users
            .iter()
            .map(|(name, kind, u, f, c)| {
                (
                    name.as_str(),
                    Scope::from_columns(kind, *u, f.clone(), c.clone()),
                )
            })
            .collect();
        assert_eq!(
            users,
            [
                ("all", Some(Scope::National)),
                ("county", Some(Scope::County("شیراز".into()))),
                (
                    "faculty",
                    Some(Scope::Faculty(DEFAULT_UNIVERSITY, "حقوق".into()))
                ),
                ("ours", Some(Scope::University(DEFAULT_UNIVERSITY))),
                ("unknown", Some(Scope::University(DEFAULT_UNIVERSITY))),
            ]
        );
        let faculties: Vec<(String,)> =
            sqlx::query_as("SELECT code FROM faculties WHERE university_id = 1 ORDER BY code")
                .fetch_all(&mut conn)
                .await
                .unwrap();
        let faculties: Vec<&str> = faculties.iter().map(|(c,)| c.as_str()).collect();
        assert_eq!(faculties, ["حقوق", "علوم", "فنی"]);
        let (name,): (String,) =
            sqlx::query_as("SELECT name_fa FROM universities WHERE code = 'default'")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        assert_eq!(name, "دانشگاه نمونه");
        drop(conn);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn one_key_stores_one_request_within_a_batch_and_across_batches() {
        let dir = std::env::temp_dir().join(format!("pishkhan-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir).await.unwrap();
        // Sent together, so the writer takes them in one batch.
        let (a, b, c) = tokio::join!(
            store.submit(request("k1", 1)),
            store.submit(request("k1", 2)),
            store.submit(request("k2", 3)),
        );
        let Submitted::Created(receipt) = a.unwrap() else {
            panic!("the first of a key is stored")
        };
        assert_eq!(
            b.unwrap(),
            Submitted::Existing(StoredKey {
                body_sha256: "hash-1".into(),
                status: 201,
                body: receipt.clone(),
                national_id: Some("0084575948".into()),
            })
        );
        assert!(matches!(c.unwrap(), Submitted::Created(_)));
        // Later: the stored answer.
        let later = store.submit(request("k1", 4)).await.unwrap();
        assert!(
            matches!(later, Submitted::Existing(ref k) if k.body == receipt && k.body_sha256 == "hash-1")
        );
        assert_eq!(store.count_requests().await.unwrap(), 2);
        let found = store.find_key("k1").await.unwrap().unwrap();
        assert_eq!(found.body, receipt);
        // Whose request the key filed, so that it is replayed to them only.
        assert_eq!(found.national_id.as_deref(), Some("0084575948"));
        assert!(matches!(later, Submitted::Existing(ref k) if k.national_id == found.national_id));
        // Purging keys older than all of them forgets them.
        let purged = store.purge_due(1_800_000_000, false).await.unwrap();
        assert!(purged.counts.contains(&("idempotency_key", 2)));
        assert_eq!(store.find_key("k1").await.unwrap(), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
