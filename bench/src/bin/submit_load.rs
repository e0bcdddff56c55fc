//! The submission benchmark: a loopback load generator against the real router (in this process,
//! over TCP on 127.0.0.1) filing clearance requests with fresh idempotency keys at 1, 50 and 200
//! concurrent clients, durable commits (WAL, `synchronous=FULL`), and in the same run a raw
//! SQLite insert loop with the same durability (one insert per commit) as the yardstick. Filing
//! needs a signed-in person (issue 12): one person of the demo roster signs in once, before the
//! clock starts, and every client files in their name with that session (as before, every
//! request was the same person's), so each request now also reads its session.
//!
//! `cargo run --release -p bench --bin submit_load -- [seconds per run, default 10] [data dir,
//! default target/submit-load]`; prints a Markdown table (kept in `bench/server-results.md`).

use std::path::{Path, PathBuf};

use bench::load::{fresh, ms, serve, sign_in, Run};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};

const BODY: &str = r#"{"kind":"clearance","national_id":"0084575948","answers":{"reason":"withdrawal","evening_course":false}}"#;

/// `clients` tasks filing one request after another for `seconds` (after a 1 s warm-up); with
/// `health_only`, asking `GET /api/v1/health` instead (the HTTP stack and this load generator
/// alone, no storage: the ceiling on this machine).
async fn load(root: &Path, clients: usize, seconds: u64, health_only: bool) -> Run {
    let data = fresh(root, &format!("server-{clients}"));
    let base = serve(data.clone(), true).await;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .unwrap();
    let me = sign_in(&http, &base, &data).await;
    let keys = Arc::new(AtomicU64::new(0));
    let warm_until = Instant::now() + Duration::from_secs(1);
    let stop = warm_until + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (http, base, keys, me) = (http.clone(), base.clone(), keys.clone(), me.clone());
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
    };
    for t in tasks {
        let (done, failed, latencies) = t.await.unwrap();
        run.done += done;
        run.failed += failed;
        run.latencies.extend(latencies);
    }
    run.latencies.sort();
    run
}

/// The yardstick: one connection inserting one request row per transaction, as durable as the
/// server's commits (WAL, `synchronous=FULL`), into the same schema.
async fn raw_inserts(root: &Path, seconds: u64) -> Run {
    let dir = fresh(root, "raw");
    // The server's schema, created by opening the store once.
    drop(server::store::Store::open(&dir).await.unwrap());
    let mut conn = SqliteConnectOptions::new()
        .filename(dir.join("pishkhan.sqlite3"))
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await
        .unwrap();
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
        sqlx::query(
            "INSERT INTO requests (tracking_code, kind, national_id, body, status, submitted_at, \
             submitted_jalali, revocation_deadline, version) VALUES (?, 'clearance', ?, ?, 'submitted', ?, ?, NULL, 1)",
        )
        .bind(format!("{n:012}"))
        .bind("0084575948")
        .bind(&body)
        .bind(1_700_000_000i64)
        .bind("1403-07-15")
        .execute(&mut conn)
        .await
        .unwrap();
        let finished = Instant::now();
        if started >= warm_until {
            latencies.push(finished - started);
        }
    }
    conn.close().await.unwrap();
    latencies.sort();
    Run {
        label: "raw SQLite insert loop (1 row per commit)".into(),
        done: latencies.len() as u64,
        failed: 0,
        seconds: seconds as f64,
        latencies,
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let root = PathBuf::from(args.next().unwrap_or_else(|| "target/submit-load".into()));
    std::fs::create_dir_all(&root).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    // Each server run right after a raw run, so that each ratio compares two runs made under
    // the same load of the machine.
    let runs = runtime.block_on(async {
        let mut runs = Vec::new();
        for clients in [1, 50, 200] {
            runs.push(raw_inserts(&root, seconds).await);
            runs.push(load(&root, clients, seconds, false).await);
        }
        runs.push(load(&root, 200, seconds, true).await);
        runs
    });
    println!("| run | requests/s | vs the raw run before it | p50 ms | p99 ms | max ms | failed |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let mut raw = 0.0;
    for run in &runs {
        let ratio = if run.label.starts_with("raw") {
            raw = run.rate();
            String::new()
        } else {
            format!("{:.0} %", 100.0 * run.rate() / raw)
        };
        println!(
            "| {} | {:.0} | {ratio} | {} | {} | {} | {} |",
            run.label,
            run.rate(),
            ms(run.percentile(0.5)),
            ms(run.percentile(0.99)),
            ms(run.latencies.last().copied().unwrap_or_default()),
            run.failed
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}
