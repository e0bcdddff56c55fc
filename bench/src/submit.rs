//! The submission load and its yardstick: clients filing clearance requests with fresh
//! idempotency keys (or asking the health check) against running [`Servers`] for a fixed time,
//! and the raw durable insert loop of the same engine (one `requests` row per autocommit
//! transaction, one connection).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::postgres::PgConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};

use crate::load::{fresh, fresh_database, http_client, sign_in, Env, Run, Servers, NATIONAL_ID};

const BODY: &str = r#"{"kind":"clearance","national_id":"0084575948","answers":{"reason":"withdrawal","evening_course":false}}"#;

/// `clients` tasks filing one request after another for `seconds` (after a 1 s warm-up), client
/// `i` on `servers.base(i)`; with `health_only`, asking `GET /api/v1/health` instead (the HTTP
/// stack and this load generator alone, no storage: the ceiling on this machine). The person
/// signs in once, on the first server, before the clock starts.
pub async fn load(servers: &Servers, clients: usize, seconds: u64, health_only: bool) -> Run {
    let http = http_client(clients);
    let me = sign_in(&http, &servers.bases[0], &servers.data_dir).await;
    let keys = Arc::new(AtomicU64::new(0));
    let warm_until = Instant::now() + Duration::from_secs(1);
    let stop = warm_until + Duration::from_secs(seconds);
    let cpu = servers.cpu_between(warm_until, stop);
    let tasks: Vec<_> = (0..clients)
        .map(|i| {
            let (http, base, keys, me) = (
                http.clone(),
                servers.base(i).to_owned(),
                keys.clone(),
                me.clone(),
            );
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let (mut done, mut failed) = (0u64, 0u64);
                loop {
                    let n = keys.fetch_add(1, Ordering::Relaxed);
                    let key = format!("00000000-0000-4000-8000-{n:012x}");
                    let started = Instant::now();
                    if started >= stop {
                        break;
                    }
                    let answer = if health_only {
                        http.get(format!("{base}/api/v1/health")).send().await
                    } else {
                        http.post(format!("{base}/api/v1/requests"))
                            .header("content-type", "application/json")
                            .header("cookie", &me.cookie)
                            .header("x-csrf-token", &me.csrf)
                            .header("idempotency-key", key)
                            .body(BODY)
                            .send()
                            .await
                    };
                    let expected = if health_only { 200 } else { 201 };
                    let ok = match answer {
                        Ok(r) => r.status().as_u16() == expected && r.bytes().await.is_ok(),
                        Err(_) => false,
                    };
                    let finished = Instant::now();
                    if started >= warm_until && finished <= stop {
                        if ok {
                            done += 1;
                            latencies.push(finished - started);
                        } else {
                            failed += 1;
                        }
                    }
                }
                (done, failed, latencies)
            })
        })
        .collect();
    let mut run = Run {
        label: format!(
            "{}, {clients} client{}",
            if health_only {
                "GET /api/v1/health (no storage)"
            } else {
                "server, POST /api/v1/requests"
            },
            if clients == 1 { "" } else { "s" }
        ),
        done: 0,
        failed: 0,
        seconds: seconds as f64,
        latencies: Vec::new(),
        cpu: None,
    };
    for t in tasks {
        let (done, failed, latencies) = t.await.unwrap();
        run.done += done;
        run.failed += failed;
        run.latencies.extend(latencies);
    }
    run.latencies.sort();
    run.cpu = Some(cpu.await.unwrap());
    run
}

/// The engine of a raw insert loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawEngine {
    /// WAL, `synchronous=FULL`, as the server's SQLite connections.
    Sqlite,
    /// The cluster of [`Env::postgres`] as configured (`fsync`, `synchronous_commit`).
    Postgres,
}

/// One `requests` row; `$n` placeholders, which both engines read.
const RAW_INSERT: &str = "INSERT INTO requests (tracking_code, kind, national_id, body, status, \
     submitted_at, submitted_jalali, revocation_deadline, version) \
     VALUES ($1, 'clearance', $2, $3, 'submitted', $4, $5, NULL, 1)";

/// [`RAW_INSERT`] with the `n`th row's values, for either engine's connection.
macro_rules! raw_row {
    ($n:expr, $body:expr) => {
        sqlx::query(RAW_INSERT)
            .bind(format!("{:012}", $n))
            .bind(NATIONAL_ID)
            .bind($body)
            .bind(1_700_000_000i64)
            .bind("1403-07-15")
    };
}

enum RawConnection {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

/// The yardstick: one connection inserting one request row per transaction (autocommit), as
/// durable as the server's commits, into the server's schema (made by opening the store once on
/// a fresh data directory or database).
pub async fn raw_inserts(engine: RawEngine, env: &Env, root: &Path, seconds: u64) -> Run {
    let dir = fresh(root, "raw");
    let (mut conn, label) = match engine {
        RawEngine::Sqlite => {
            drop(server::store::Store::open(&dir).await.unwrap());
            let conn = SqliteConnectOptions::new()
                .filename(dir.join("pishkhan.sqlite3"))
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .connect()
                .await
                .unwrap();
            (
                RawConnection::Sqlite(conn),
                "raw SQLite insert loop (1 row per commit)",
            )
        }
        RawEngine::Postgres => {
            let url = fresh_database(env, "raw").await;
            drop(
                server::store::Store::connect(&dir, Some(&url))
                    .await
                    .unwrap(),
            );
            let conn = PgConnection::connect(&url).await.unwrap();
            (
                RawConnection::Postgres(conn),
                "raw PostgreSQL insert loop (1 row per commit)",
            )
        }
    };
    let body = serde_json::json!({"kind": "clearance", "answers": {"reason": "withdrawal", "evening_course": false}}).to_string();
    let mut latencies = Vec::new();
    let warm_until = Instant::now() + Duration::from_secs(1);
    let stop = warm_until + Duration::from_secs(seconds);
    let mut n = 0u64;
    loop {
        let started = Instant::now();
        if started >= stop {
            break;
        }
        n += 1;
        match &mut conn {
            RawConnection::Sqlite(c) => raw_row!(n, &body).execute(c).await.map(drop),
            RawConnection::Postgres(c) => raw_row!(n, &body).execute(c).await.map(drop),
        }
        .unwrap();
        let finished = Instant::now();
        if started >= warm_until {
            latencies.push(finished - started);
        }
    }
    match conn {
        RawConnection::Sqlite(c) => c.close().await.unwrap(),
        RawConnection::Postgres(c) => c.close().await.unwrap(),
    }
    latencies.sort();
    Run {
        label: label.into(),
        done: latencies.len() as u64,
        failed: 0,
        seconds: seconds as f64,
        latencies,
        cpu: None,
    }
}
