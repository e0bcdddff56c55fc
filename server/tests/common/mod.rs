//! Shared by the server's integration tests: a real `pishkhan serve` process on a free port of
//! 127.0.0.1 with a data directory of its own, and a scratch `dist/` directory, all cleaned up
//! when dropped; the database of a data directory (its SQLite file, or with
//! `PISHKHAN_TEST_DATABASE_URL` a PostgreSQL database of its own) and SQL on it; a person
//! session to file requests with; and a staff member's second factor (enrolled, its codes
//! computed).
#![allow(dead_code)] // each test binary uses its own part of this module

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// A `pishkhan serve` process, killed when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:<port>`, as the server printed it.
    pub base: String,
    /// Its data directory.
    pub data_dir: PathBuf,
    /// The data directory [`serve`] made for this server (removed after it).
    _data: Option<TempDir>,
}

impl Server {
    /// Kills the process at once (SIGKILL), as a crash would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `pishkhan serve --addr 127.0.0.1:0 --dist <dist> --sms-log` (the SMS in
/// `<data-dir>/sms.log`, where the tests read codes) with a fresh data directory of its own and
/// reads the address it bound.
pub fn serve(dist: &Path) -> Server {
    serve_args(dist, &[])
}

/// [`serve`] with further arguments.
pub fn serve_args(dist: &Path, args: &[&str]) -> Server {
    static N: AtomicUsize = AtomicUsize::new(0);
    let data = TempDir::new(&format!("data-{}", N.fetch_add(1, Ordering::Relaxed)));
    let mut server = serve_with(dist, &data.0, args);
    server._data = Some(data);
    server
}

/// Starts `pishkhan serve` on a free port with the given data directory and further arguments.
pub fn serve_with(dist: &Path, data_dir: &Path, args: &[&str]) -> Server {
    serve_logging(dist, data_dir, args, Stdio::null())
}

/// [`serve_with`], its log (standard error) going to `log`.
pub fn serve_logging(dist: &Path, data_dir: &Path, args: &[&str], log: Stdio) -> Server {
    serve_through(&[], dist, data_dir, args, log)
}

/// [`serve_logging`], the server started by `wrapper` (a program and its arguments, the
/// server's path and arguments after them: `bash -c '…; exec "$0" "$@"'`); none: directly.
pub fn serve_through(
    wrapper: &[&str],
    dist: &Path,
    data_dir: &Path,
    args: &[&str],
    log: Stdio,
) -> Server {
    let mut command = match wrapper.split_first() {
        Some((program, rest)) => {
            let mut c = Command::new(program);
            c.args(rest).arg(PISHKHAN);
            on_database(&mut c, data_dir);
            c
        }
        None => pishkhan(data_dir),
    };
    command
        .args(["serve", "--addr", "127.0.0.1:0", "--dist"])
        .arg(dist)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--sms-log");
    if let Some(url) = database_url(data_dir) {
        command.arg("--database").arg(url);
    }
    let mut child = command
        .args(args)
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("pishkhan starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base = first
        .trim()
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(
        base.starts_with("http://127.0.0.1:"),
        "unexpected first line: {first}"
    );
    Server {
        child,
        base,
        data_dir: data_dir.to_owned(),
        _data: None,
    }
}

/// A scratch directory under the system's temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A fresh, empty directory named after `prefix`, the process and the thread.
    pub fn new(prefix: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "pishkhan-{prefix}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // A new directory (its name may be an earlier one's): its database is made anew.
        created().remove(&database_name(&dir));
        TempDir(dir)
    }

    /// Writes a file (creating its folders) below the directory.
    pub fn write(&self, name: &str, bytes: &[u8]) {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if test_database_url().is_some() {
            let name = database_name(&self.0);
            if created().remove(&name) {
                // Best effort (the cluster is thrown away after the run): never a panic in drop.
                let _ = on_maintenance_database(vec![drop_database(&name)]);
            }
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The binary under test.
pub const PISHKHAN: &str = env!("CARGO_BIN_EXE_pishkhan");

/// `pishkhan` for a subcommand that opens the store of `data_dir` (`serve`, `user`, `purge`,
/// `roster`, …; the caller adds the subcommand and `--data-dir`), on that directory's database
/// ([`on_database`]). The tests start `pishkhan` on a data directory this way, but backup.rs
/// (SQLite's own backup, run on SQLite only).
pub fn pishkhan(data_dir: &Path) -> Command {
    let mut command = Command::new(PISHKHAN);
    on_database(&mut command, data_dir);
    command
}

/// Points a command that runs `pishkhan` (directly or through a wrapper) at the database of
/// `data_dir`: `PISHKHAN_DATABASE` set to its PostgreSQL database ([`database_url`]), or removed,
/// so that the SQLite file in the data directory is used.
pub fn on_database<'c>(command: &'c mut Command, data_dir: &Path) -> &'c mut Command {
    match database_url(data_dir) {
        Some(url) => command.env("PISHKHAN_DATABASE", url),
        None => command.env_remove("PISHKHAN_DATABASE"),
    }
}

/// The PostgreSQL server the tests run on: `PISHKHAN_TEST_DATABASE_URL`, a server's URL whose
/// database is the maintenance one (`postgres://postgres@127.0.0.1:PORT/postgres`, as
/// scripts/postgres.sh prints it). None: SQLite, the file in each data directory.
pub fn test_database_url() -> Option<String> {
    std::env::var("PISHKHAN_TEST_DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
}

/// The PostgreSQL database of a data directory: `pishkhan_t_` and 16 hex digits of the SHA-256
/// of its canonical path (so a restarted server, or a second one, on the same directory finds
/// the same database).
pub fn database_name(data_dir: &Path) -> String {
    use sha2::{Digest, Sha256};
    let canonical = std::fs::canonicalize(data_dir)
        .or_else(|_| {
            let parent = std::fs::canonicalize(data_dir.parent().unwrap_or(Path::new(".")))?;
            Ok::<_, std::io::Error>(parent.join(data_dir.file_name().unwrap_or_default()))
        })
        .unwrap_or_else(|_| data_dir.to_owned());
    let hash = server::hex(&Sha256::digest(canonical.as_os_str().as_encoded_bytes()));
    format!("pishkhan_t_{}", &hash[..16])
}

/// The URL of a data directory's PostgreSQL database (None on SQLite). The first use in this
/// process makes it, empty (dropping one a former run left); later uses, such as a server
/// restarted on the same directory, find it as it was.
pub fn database_url(data_dir: &Path) -> Option<String> {
    let server = test_database_url()?;
    let name = database_name(data_dir);
    let mut created = created();
    if !created.contains(&name) {
        on_maintenance_database(vec![
            drop_database(&name),
            format!("CREATE DATABASE {name}"),
        ])
        .unwrap_or_else(|e| panic!("making the test database {name} on {server}: {e}"));
        created.insert(name.clone());
    }
    Some(with_database(&server, &name))
}

/// The databases [`database_url`] made in this process and that are still there.
fn created() -> std::sync::MutexGuard<'static, BTreeSet<String>> {
    static CREATED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    CREATED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn drop_database(name: &str) -> String {
    // FORCE: a server a test left running (or killed) must not keep it.
    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")
}

/// A PostgreSQL URL with its database (the path) replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let authority = url.find("://").map_or(0, |i| i + 3);
    let path = url[authority..]
        .find(['/', '?'])
        .map_or(url.len(), |i| authority + i);
    let query = url[path..].find('?').map_or(url.len(), |i| path + i);
    format!("{}/{name}{}", &url[..path], &url[query..])
}

/// Runs statements one by one on the maintenance database of `PISHKHAN_TEST_DATABASE_URL`, on a
/// thread of its own (so that a drop inside an async test still can).
pub fn on_maintenance_database(statements: Vec<String>) -> Result<(), sqlx::Error> {
    use sqlx::{Connection, Executor};
    let url = test_database_url().expect("PISHKHAN_TEST_DATABASE_URL");
    std::thread::spawn(move || {
        block_on(async {
            let mut conn = sqlx::PgConnection::connect(&url).await?;
            for statement in &statements {
                conn.execute(statement.as_str()).await?;
            }
            conn.close().await
        })
    })
    .join()
    .expect("the maintenance thread")
}

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// The folders that hold a data directory's database outside the data directory: none on SQLite
/// (its file is in the data directory); on PostgreSQL the database's folder in the cluster
/// (`<data_directory>/base/<oid>`), after a CHECKPOINT so that its files hold what was committed.
/// The cluster must be on this machine and readable by the tests (scripts/postgres.sh's is, to
/// root and to the user who started it).
pub fn database_dirs(data_dir: &Path) -> Vec<PathBuf> {
    if database_url(data_dir).is_none() {
        return Vec::new();
    }
    let folder = rows(
        data_dir,
        "SELECT current_setting('data_directory') || '/base/' || oid FROM pg_database \
         WHERE datname = current_database()",
    );
    sql(data_dir, "CHECKPOINT");
    vec![PathBuf::from(
        folder[0][0].clone().expect("the database's folder"),
    )]
}

/// A connection to the database of a data directory.
enum Database {
    /// `<data-dir>/pishkhan.sqlite3`.
    Sqlite(sqlx::SqliteConnection),
    /// Its own database on `PISHKHAN_TEST_DATABASE_URL` ([`database_url`]).
    Postgres(sqlx::PgConnection),
}

impl Database {
    async fn open(data_dir: &Path) -> Database {
        use sqlx::Connection;
        match database_url(data_dir) {
            Some(url) => Database::Postgres(sqlx::PgConnection::connect(&url).await.unwrap()),
            None => {
                let url = format!("sqlite://{}", data_dir.join("pishkhan.sqlite3").display());
                Database::Sqlite(sqlx::SqliteConnection::connect(&url).await.unwrap())
            }
        }
    }
}

/// Runs one SQL statement on the database of a data directory (a test moving the clock of a
/// stored row, as the workflow would); how many rows it changed. The SQL must read the same on
/// SQLite and PostgreSQL (literals inlined, no binds, no engine-only functions).
pub fn sql(data_dir: &Path, statement: &str) -> u64 {
    use sqlx::Executor;
    block_on(async {
        let done = match Database::open(data_dir).await {
            Database::Sqlite(mut conn) => sqlx::query(statement)
                .execute(&mut conn)
                .await
                .map(|done| done.rows_affected()),
            // A plain string: PostgreSQL's simple query protocol, no statement prepared.
            Database::Postgres(mut conn) => conn
                .execute(statement)
                .await
                .map(|done| done.rows_affected()),
        };
        done.unwrap_or_else(|e| panic!("{statement}: {e}"))
    })
}

/// The rows a query answers on the database of a data directory, every column as text (integers
/// written out; NULL as `None`; on PostgreSQL a boolean as SQLite stores it, 1 or 0).
pub fn rows(data_dir: &Path, statement: &str) -> Vec<Vec<Option<String>>> {
    use sqlx::{Column, Executor, Row, TypeInfo, ValueRef};
    block_on(async {
        match Database::open(data_dir).await {
            Database::Sqlite(mut conn) => {
                let rows = sqlx::query(statement)
                    .fetch_all(&mut conn)
                    .await
                    .unwrap_or_else(|e| panic!("{statement}: {e}"));
                rows.iter()
                    .map(|r| {
                        (0..r.columns().len())
                            .map(|i| {
                                if r.try_get_raw(i).is_ok_and(|v| v.is_null()) {
                                    return None;
                                }
                                r.try_get::<Option<String>, _>(i)
                                    .ok()
                                    .flatten()
                                    .or_else(|| r.try_get::<i64, _>(i).ok().map(|n| n.to_string()))
                            })
                            .collect()
                    })
                    .collect()
            }
            // A plain string: the simple query protocol, which answers every value as text.
            Database::Postgres(mut conn) => {
                let rows = conn
                    .fetch_all(statement)
                    .await
                    .unwrap_or_else(|e| panic!("{statement}: {e}"));
                rows.iter()
                    .map(|r| {
                        r.columns()
                            .iter()
                            .map(|c| {
                                let text = r.try_get_unchecked::<Option<String>, _>(c.ordinal());
                                let text = text.unwrap_or_else(|e| panic!("{statement}: {e}"))?;
                                Some(match (c.type_info().name(), text.as_str()) {
                                    ("BOOL", "t") => "1".to_owned(),
                                    ("BOOL", "f") => "0".to_owned(),
                                    _ => text,
                                })
                            })
                            .collect()
                    })
                    .collect()
            }
        }
    })
}

/// The number a query answers (`SELECT COUNT(*) …`).
pub fn count(data_dir: &Path, statement: &str) -> i64 {
    rows(data_dir, statement)[0][0]
        .as_deref()
        .and_then(|n| n.parse().ok())
        .expect("a number")
}

/// The dashboard's summary (`move_summary` and the rows not yet folded, `move_deltas`) counts
/// every audit row once, in its states' key: per (state left, state entered) the same number
/// as the audit trail.
pub fn assert_summary_counts_the_audit(data_dir: &Path) {
    let audit = "SELECT COALESCE(from_status, '') AS f, to_status AS t, COUNT(*) AS n \
                 FROM audit GROUP BY COALESCE(from_status, ''), to_status";
    let summary = "SELECT from_state AS f, to_state AS t, CAST(SUM(n) AS BIGINT) AS n FROM \
                   (SELECT from_state, to_state, n FROM move_summary UNION ALL \
                    SELECT from_state, to_state, n FROM move_deltas) s \
                   GROUP BY from_state, to_state";
    let differ = count(
        data_dir,
        &format!(
            "SELECT COUNT(*) FROM (SELECT * FROM ({audit}) a EXCEPT SELECT * FROM ({summary}) b) x"
        ),
    ) + count(
        data_dir,
        &format!(
            "SELECT COUNT(*) FROM (SELECT * FROM ({summary}) b EXCEPT SELECT * FROM ({audit}) a) x"
        ),
    );
    assert_eq!(
        differ,
        0,
        "the summary's counts: {:?}; the audit's: {:?}",
        rows(data_dir, summary),
        rows(data_dir, audit)
    );
    assert!(count(data_dir, "SELECT COUNT(*) FROM audit") > 0);
}

/// A signed-in person: the session cookie (`pishkhan_person=<token>`) and its CSRF token, which
/// filing (`POST /api/v1/requests`) and every other person call but GET carry.
#[derive(Clone, Debug)]
pub struct PersonSession {
    pub cookie: String,
    pub csrf: String,
}

/// Who a test signs in: a national ID and whatever else the sign-in vouched for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Person {
    pub national_id: String,
    pub student_number: Option<String>,
    pub mobile: Option<String>,
    pub faculty: Option<String>,
    pub level: Option<String>,
}

impl Person {
    /// The person a request body is filed for, as exactly what the body says of them (so that
    /// filing it changes nothing): the national ID (envelope or answers), the mobile (envelope or
    /// answers), and a withdrawal's student number, faculty and level. Digits in any script.
    pub fn of_request(body: &serde_json::Value) -> Person {
        let text =
            |v: &serde_json::Value| v.as_str().map(|s| rules::digits::to_ascii_digits(s.trim()));
        let answers = &body["answers"];
        let mobile = text(&body["mobile"])
            .or_else(|| text(&answers["mobile"]))
            .map(|m| {
                rules::Mobile::parse(&m)
                    .expect("a valid mobile")
                    .as_str()
                    .to_owned()
            });
        Person {
            national_id: text(&body["national_id"])
                .or_else(|| text(&answers["national_id"]))
                .expect("a request names its national ID"),
            student_number: text(&answers["student_number"]).map(|n| n.to_ascii_uppercase()),
            mobile,
            faculty: answers["faculty"].as_str().map(str::to_owned),
            level: answers["level"]
                .as_str()
                .filter(|_| body["kind"] == "withdrawal")
                .map(str::to_owned),
        }
    }
}

/// Signs `person` in by opening their session in the database of `data_dir` (a live server's),
/// as a roster sign-in whose row held exactly these values would (a roster sign-in serves every
/// kind of request; a provider's only its `processes`): 30 minutes, a fresh token and CSRF token. The sign-ins themselves are tested through the API
/// in signin_api.rs and oidc_api.rs; here there is none of their side effects (an SMS in the
/// log, a notification, the per-address limit the lookups share), so that the tests of filing
/// count only what they mean to.
pub fn sign_in(data_dir: &Path, person: &Person) -> PersonSession {
    let random = || {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).unwrap();
        server::hex(&b)
    };
    let (token, csrf) = (random(), random());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let quoted = |v: &Option<String>| {
        v.as_ref().map_or("NULL".to_owned(), |s| {
            format!("'{}'", s.replace('\'', "''"))
        })
    };
    let inserted = sql(
        data_dir,
        &format!(
            "INSERT INTO person_sessions (token_sha256, csrf_token, national_id, student_number, \
             mobile, faculty, level, source, provider, created_at, expires_at) \
             VALUES ('{}', '{csrf}', '{}', {}, {}, {}, {}, 'roster', NULL, {now}, {})",
            server::domain::accounts::token_hash(&token),
            person.national_id,
            quoted(&person.student_number),
            quoted(&person.mobile),
            quoted(&person.faculty),
            quoted(&person.level),
            now + 1800
        ),
    );
    assert_eq!(inserted, 1);
    PersonSession {
        cookie: format!("pishkhan_person={token}"),
        csrf,
    }
}

/// Signs in the person a request body is filed for ([`Person::of_request`], [`sign_in`]).
pub fn sign_in_for(data_dir: &Path, body: &serde_json::Value) -> PersonSession {
    sign_in(data_dir, &Person::of_request(body))
}

/// Every line of a data directory's SMS log (the demo "SMS centre"), each a whole JSON line.
pub fn sms_lines(data_dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(data_dir.join("sms.log"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every SMS log line is whole JSON"))
        .collect()
}

/// The six digits of an SMS with a code.
pub fn code_in(sms: &serde_json::Value) -> String {
    let text = rules::digits::to_ascii_digits(sms["text"].as_str().unwrap());
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a 6-digit code")
        .to_owned()
}

/// The code of the first SMS to `mobile` after the first `after` lines of the SMS log, once the
/// sender has written it (waiting for it, at most 10 s).
pub fn code_for(data_dir: &Path, mobile: &str, after: usize) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if let Some(m) = sms_lines(data_dir)
            .into_iter()
            .skip(after)
            .find(|m| m["to"] == mobile)
        {
            return code_in(&m);
        }
        assert!(std::time::Instant::now() < deadline, "no SMS to {mobile}");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Signs a person on the roster in through the API, as the app does: `who` (`{national_id}` or
/// `{student_number}`) asks for a code, the code is read from the SMS to the roster's `mobile`
/// and verified. The session's cookie and CSRF token.
pub fn sign_in_by_code(
    base: &str,
    data_dir: &Path,
    who: &serde_json::Value,
    mobile: &str,
) -> PersonSession {
    let c = reqwest::blocking::Client::new();
    let post = |path: &str, body: &serde_json::Value| {
        c.post(format!("{base}{path}"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .unwrap()
    };
    let before = sms_lines(data_dir).len();
    assert_eq!(post("/api/v1/signin/code", who).status(), 202);
    let mut body = who.clone();
    body["code"] = serde_json::json!(code_for(data_dir, mobile, before));
    let verified = post("/api/v1/signin/verify", &body);
    assert_eq!(verified.status(), 200);
    let cookie = verified.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let answer: serde_json::Value = verified.json().unwrap();
    PersonSession {
        cookie,
        csrf: answer["csrf_token"].as_str().unwrap().to_owned(),
    }
}

/// A staff member's second factor as enrolled by [`enrol_second_factor`].
pub struct SecondFactor {
    /// Base32, as an authenticator app takes it.
    pub secret: String,
    pub recovery_codes: Vec<String>,
}

impl SecondFactor {
    /// The 6-digit code an authenticator app shows at Unix second `at` (RFC 6238, totp-rs).
    pub fn code_at(&self, at: u64) -> String {
        let secret = totp_rs::Secret::try_from_base32(&self.secret).expect("a base32 secret");
        totp_rs::Builder::new()
            .with_secret(secret.as_bytes().to_vec())
            .build()
            .unwrap()
            .generate(at)
            .to_string()
    }

    /// The code of the step `steps` after the current one (one step either side is accepted, and
    /// a step only once: a second sign-in within 30 s takes the next step's code).
    pub fn code(&self, steps: u64) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        self.code_at(now + 30 * steps)
    }
}

/// Enrols a second factor for the staff session (`cookie` as `name=value`, its CSRF token) of a
/// server at `base`: a new secret, confirmed with its current code.
pub fn enrol_second_factor(base: &str, cookie: &str, csrf: &str) -> SecondFactor {
    let http = reqwest::blocking::Client::new();
    let post = |path: &str, body: serde_json::Value| {
        let response = http
            .post(format!("{base}{path}"))
            .header("cookie", cookie)
            .header("x-csrf-token", csrf)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .unwrap();
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().unwrap();
        assert_eq!(status, 200, "{path}: {body}");
        body
    };
    let enrolment = post("/api/v1/staff/second-factor/enrol", serde_json::json!({}));
    let mut factor = SecondFactor {
        secret: enrolment["secret_base32"].as_str().unwrap().to_owned(),
        recovery_codes: Vec::new(),
    };
    let confirmed = post(
        "/api/v1/staff/second-factor/confirm",
        serde_json::json!({"code": factor.code(0)}),
    );
    factor.recovery_codes = confirmed["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    factor
}

/// A staff session: its cookie (`pishkhan_staff=…`) and CSRF token.
#[derive(Clone, Debug)]
pub struct StaffSession {
    pub cookie: String,
    pub csrf: String,
}

/// The second factors [`staff_login`] enrolled, by server and username, each with the steps
/// already used (a step is accepted once).
type Enrolled = std::collections::HashMap<(String, String), (SecondFactor, u64)>;
static ENROLLED: std::sync::Mutex<Option<Enrolled>> = std::sync::Mutex::new(None);

/// Signs a staff member in on the server at `base` whatever their second factor asks: a session
/// that must enrol one enrols it ([`enrol_second_factor`], remembered here), and a sign-in that
/// asks for a code gets the remembered factor's next unused step.
pub fn staff_login(base: &str, username: &str, password: &str) -> StaffSession {
    let http = reqwest::blocking::Client::new();
    let post = |path: &str, body: serde_json::Value| {
        http.post(format!("{base}{path}"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .unwrap()
    };
    let key = (base.to_owned(), username.to_owned());
    let mut response = post(
        "/api/v1/staff/login",
        serde_json::json!({"username": username, "password": password}),
    );
    if response.status().as_u16() == 202 {
        let body: serde_json::Value = response.json().unwrap();
        let code = {
            let mut enrolled = ENROLLED.lock().unwrap();
            let (factor, used) = enrolled
                .get_or_insert_with(Default::default)
                .get_mut(&key)
                .expect("a second factor enrolled by staff_login");
            *used += 1;
            factor.code(*used)
        };
        response = post(
            "/api/v1/staff/login/second-factor",
            serde_json::json!({"second_step_token": body["second_step_token"], "code": code}),
        );
    }
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("pishkhan_staff="))
        .map(|v| v.split(';').next().unwrap().to_owned());
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().unwrap();
    assert_eq!(status, 200, "login {username}: {body}");
    let session = StaffSession {
        cookie: cookie.expect("a session cookie"),
        csrf: body["csrf_token"].as_str().unwrap().to_owned(),
    };
    if body["must_enrol"] == true {
        let factor = enrol_second_factor(base, &session.cookie, &session.csrf);
        ENROLLED
            .lock()
            .unwrap()
            .get_or_insert_with(Default::default)
            .insert(key, (factor, 0));
    }
    session
}

/// Whether the bytes of the uploaded file `sha256` are where the server of `data_dir` keeps
/// them: on SQLite `attachments/<2 hex>/<sha256>` in the data directory, on PostgreSQL a row of
/// `attachment_blobs` (docs/deploy.md, "Where uploaded files live").
pub fn bytes_kept(data_dir: &Path, sha256: &str) -> bool {
    if database_url(data_dir).is_some() {
        let blob = format!("SELECT COUNT(*) FROM attachment_blobs WHERE sha256 = '{sha256}'");
        count(data_dir, &blob) == 1
    } else {
        let folder = data_dir.join("attachments").join(&sha256[..2]);
        folder.join(sha256).exists()
    }
}

/// The answers of an eligible A2 exemption for this person, its study started on `start`
/// (its diploma three months before), living in Karaj: what an office files for them.
pub fn a2_answers(national_id: &str, mobile: &str, start: rules::JalaliDate) -> serde_json::Value {
    serde_json::json!({
        "national_id": national_id, "mobile": mobile, "sms_opt_in": true,
        "residence_province": "تهران", "residence_city": "کرج",
        "residence_address": "خیابان انقلاب", "previous_level": "diploma",
        "previous_graduation": start.add_months(-3).to_machine(),
        "university": "دانشگاه تهران", "level": "bachelor_continuous",
        "study_start": start.to_machine(), "field_of_study": "ریاضی",
        "institution_approved": true, "unjustified_absence": false})
}

/// The staff API's URL of a request, by its tracking code (dashes or not):
/// `/api/v1/staff/requests/{handle}`.
pub fn staff_url(data_dir: &Path, code: &str) -> String {
    let handle = rows(
        data_dir,
        &format!(
            "SELECT handle FROM requests WHERE tracking_code = '{}'",
            code.replace('-', "")
        ),
    );
    let handle = handle[0][0].clone().expect("every request has a handle");
    format!("/api/v1/staff/requests/{handle}")
}

/// `pishkhan <command> --data-dir <data_dir> <more>` on this data directory's database: its
/// standard output (it must succeed).
pub fn pishkhan_ok(data_dir: &Path, command: &[&str], more: &[&str]) -> String {
    let out = pishkhan(data_dir)
        .args(command)
        .arg("--data-dir")
        .arg(data_dir)
        .args(more)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A stand-in for the built app (`<prefix>-dist-<name>`, an `index.html` only) and a fresh
/// data directory (`<prefix>-data-<name>`) for a server under test.
pub fn app_and_data(prefix: &str, name: &str) -> (TempDir, TempDir) {
    let dist = TempDir::new(&format!("{prefix}-dist-{name}"));
    dist.write("index.html", b"<!doctype html><title>app</title>");
    (dist, TempDir::new(&format!("{prefix}-data-{name}")))
}

/// A server with the demo users (`--demo-users`) on its own data directory and a stand-in app
/// ([`app_and_data`]), that a test can stop and start again on the same data.
pub struct DemoSite {
    server: Option<Server>,
    pub data: TempDir,
    pub dist: TempDir,
}

impl DemoSite {
    pub fn start(prefix: &str, name: &str) -> DemoSite {
        let (dist, data) = app_and_data(prefix, name);
        let mut site = DemoSite {
            server: None,
            data,
            dist,
        };
        site.start_again();
        site
    }

    /// The running server's base URL.
    pub fn base(&self) -> &str {
        &self.server.as_ref().expect("the server runs").base
    }

    /// Stops the server (if it runs).
    pub fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.kill();
        }
    }

    /// Stops the server if it runs and starts it again on the same data directory.
    pub fn start_again(&mut self) {
        self.stop();
        self.server = Some(serve_with(&self.dist.0, &self.data.0, &["--demo-users"]));
    }
}
