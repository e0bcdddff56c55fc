//! The dashboard benchmark of issue 16: seeds N requests (default 1,000,000) with their audit
//! trails by bulk SQL (a recursive CTE on SQLite, `generate_series` on PostgreSQL), the summary
//! by the backfill statement of `pishkhan dashboard-rebuild` (migration 18's), then measures
//! `GET /api/v1/staff/dashboard` on the real router (in this process) for a national clerk and
//! a faculty-scoped clerk, beside a
//! baseline measured in the same run on the same database: the same figures computed naively
//! from the full tables (waiting by `status NOT IN` the end states, each step's duration by a
//! `LAG` window over the whole audit trail with the percentiles sorted in Rust, the weekly
//! counts by scanning the audit trail).
//!
//! `PISHKHAN_BENCH_POSTGRES=postgres://postgres@127.0.0.1:PORT/postgres cargo run --release -p
//! bench --bin dashboard_bench -- [requests, default 1000000] [--out bench/dashboard-results.md]`
//! (`bash bench/dashboard.sh` does it all). Without `PISHKHAN_BENCH_POSTGRES` only SQLite.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use sqlx::{AnyConnection, Connection, Executor, Row};

/// The processes' steps as the seed walks them: (process, k, from, to); '' for the filing's
/// "from".
const STEPS: &str = "steps(process, k, from_s, to_s) AS (VALUES \
    ('exemption_a1', 1, '', 'submitted'), \
    ('exemption_a1', 2, 'submitted', 'awaiting_payment'), \
    ('exemption_a1', 3, 'awaiting_payment', 'at_university'), \
    ('exemption_a1', 4, 'at_university', 'system_recheck'), \
    ('exemption_a1', 5, 'system_recheck', 'at_conscription_office'), \
    ('exemption_a1', 6, 'at_conscription_office', 'issued'), \
    ('withdrawal', 1, '', 'submitted'), \
    ('withdrawal', 2, 'submitted', 'awaiting_student_clearances'), \
    ('withdrawal', 3, 'awaiting_student_clearances', 'faculty_completion'), \
    ('withdrawal', 4, 'faculty_completion', 'at_student_affairs'), \
    ('withdrawal', 5, 'at_student_affairs', 'faculty_final_check'), \
    ('withdrawal', 6, 'faculty_final_check', 'at_head_of_education'), \
    ('withdrawal', 7, 'at_head_of_education', 'at_central_office'), \
    ('withdrawal', 8, 'at_central_office', 'awaiting_ruling'), \
    ('withdrawal', 9, 'awaiting_ruling', 'ruling_issued'))";

#[derive(Clone, Copy, PartialEq)]
enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }
}

/// Request `i`'s filing time, and its k-th audit row's: the filings spread over two years
/// ending 40 days ago, each step 1–5 days after the one before.
fn times(now: i64) -> (String, String) {
    let t0 = format!("({now} - 760 * 86400 + (i * 631) % (720 * 86400))");
    let at = format!("({t0} + (s.k - 1) * 3 * 86400 + ((i * 7919 + s.k * 104729) % 172800))");
    (t0, at)
}

/// The seed's statements: universities 2–5 and their faculties f0–f9, N requests (three in
/// five exemptions in 30 counties, else withdrawals of a faculty; nine in ten walked to their
/// end, the others stopped at a step) and their audit trails.
fn seed_sql(engine: Engine, n: u64, now: i64) -> Vec<String> {
    let numbers = match engine {
        Engine::Sqlite => format!("n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})"),
        Engine::Postgres => format!("n(i) AS (SELECT generate_series(1, {n})::BIGINT)"),
    };
    let recursive = match engine {
        Engine::Sqlite => "WITH RECURSIVE",
        Engine::Postgres => "WITH",
    };
    let code = match engine {
        Engine::Sqlite => "printf('%012d', i)",
        Engine::Postgres => "lpad(i::text, 12, '0')",
    };
    let handle = match engine {
        Engine::Sqlite => "printf('%032x', i)",
        Engine::Postgres => "lpad(to_hex(i), 32, '0')",
    };
    let (t0, _) = times(now);
    let at = format!(
        "({t0} + (s.k - 1) * 3 * 86400 + ((i * 7919 + s.k * 104729) % 172800))",
        t0 = t0
    );
    let mut out = vec![];
    for u in 2..=5 {
        out.push(format!(
            "INSERT INTO universities (id, code, name_fa, name_en) VALUES ({u}, 'u{u}', \
             'دانشگاه {u}', 'University {u}')"
        ));
    }
    for u in 1..=5 {
        for f in 0..10 {
            out.push(format!(
                "INSERT INTO faculties (university_id, code, name_fa, name_en) VALUES ({u}, \
                 'f{f}', 'f{f}', 'f{f}') ON CONFLICT DO NOTHING"
            ));
        }
    }
    out.push(format!(
        "INSERT INTO requests (id, tracking_code, kind, national_id, body, status, submitted_at, \
         submitted_jalali, version, process, university_id, faculty, county, updated_at, handle) \
         {recursive} {numbers}, {STEPS}, \
         base AS (SELECT i, CASE WHEN (i / 3) % 5 < 3 THEN 'exemption_a1' ELSE 'withdrawal' END \
                  AS process FROM n), \
         done AS (SELECT i, process, CASE WHEN (i / 7) % 10 <> 0 \
                    THEN (CASE process WHEN 'exemption_a1' THEN 6 ELSE 9 END) \
                    ELSE 1 + (i / 70) % (CASE process WHEN 'exemption_a1' THEN 5 ELSE 8 END) END \
                  AS d FROM base) \
         SELECT i, {code}, CASE done.process WHEN 'withdrawal' THEN 'withdrawal' ELSE 'exemption' END, \
                {code}, '{{}}', s.to_s, {t0}, '1404-01-01', d, done.process, 1 + i % 5, \
                CASE done.process WHEN 'withdrawal' THEN 'f' || ((i / 5) % 10) END, \
                CASE done.process WHEN 'exemption_a1' THEN 'c' || (i % 30) END, \
                {at}, {handle} \
         FROM done JOIN steps s ON s.process = done.process AND s.k = done.d",
    ));
    out.push(format!(
        "INSERT INTO audit (request_id, at, from_status, to_status, action, actor) \
         WITH {STEPS} \
         SELECT r.id, {at}, NULLIF(s.from_s, ''), s.to_s, 'seed', 'bench' \
         FROM (SELECT id AS i, id, process, version FROM requests) r \
         JOIN steps s ON s.process = r.process AND s.k <= r.version ORDER BY r.id, s.k"
    ));
    out
}

async fn connect(engine: Engine, data_dir: &Path, url: Option<&str>) -> AnyConnection {
    sqlx::any::install_default_drivers();
    let url = match engine {
        Engine::Sqlite => format!("sqlite://{}", data_dir.join("pishkhan.sqlite3").display()),
        Engine::Postgres => url.unwrap().to_owned(),
    };
    AnyConnection::connect(&url).await.unwrap()
}

async fn login(http: &reqwest::Client, base: &str, user: &str) -> String {
    let r = http
        .post(format!("{base}/api/v1/staff/login"))
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"username": "{user}", "password": "pishkhan-demo"}}"#
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "login {user}");
    r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// The median and the slowest of `runs` timed calls (after one warm-up call).
async fn timed<F, Fut>(runs: usize, mut f: F) -> (Duration, Duration)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    f().await;
    let mut all = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        f().await;
        all.push(t.elapsed());
    }
    all.sort();
    (all[all.len() / 2], *all.last().unwrap())
}

/// The naive dashboard: the same figures from the full tables, for a scope given as an SQL
/// condition on `r` (requests).
async fn naive(conn: &mut AnyConnection, scope: &str, processes: &str, now: i64, weeks: i64) {
    let from = server::domain::dashboard::week_of(now) - weeks + 1;
    let from_at = from * 604_800 - 444_600;
    let stale = now - 14 * 86_400;
    let finals = "'issued', 'not_issued', 'status_settled', 'permit_cancelled', \
                  'ruling_issued', 'revoked', 'cleared'";
    sqlx::query(&format!(
        "SELECT process, status, university_id, faculty, county, COUNT(*), \
         CAST(SUM(CASE WHEN updated_at < {stale} THEN 1 ELSE 0 END) AS BIGINT) FROM requests r \
         WHERE status NOT IN ({finals}) AND process IN ({processes}){scope} \
         GROUP BY process, status, university_id, faculty, county"
    ))
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let rows = sqlx::query(&format!(
        "SELECT x.from_status, x.d FROM (SELECT a.request_id, a.from_status, a.at, \
         a.at - LAG(a.at) OVER (PARTITION BY a.request_id ORDER BY a.id) AS d FROM audit a) x \
         JOIN requests r ON r.id = x.request_id \
         WHERE x.at >= {from_at} AND x.from_status IS NOT NULL AND r.process IN ({processes}){scope}"
    ))
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut by_state: std::collections::HashMap<String, Vec<i64>> = Default::default();
    for r in &rows {
        by_state
            .entry(r.get::<String, _>(0))
            .or_default()
            .push(r.get::<i64, _>(1));
    }
    for v in by_state.values_mut() {
        v.sort_unstable();
        std::hint::black_box((v[v.len() / 2], v[v.len() * 9 / 10]));
    }
    sqlx::query(&format!(
        "SELECT (a.at + 444600) / 604800 AS week, \
         CAST(SUM(CASE WHEN a.from_status IS NULL THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN a.to_status IN ({finals}) THEN 1 ELSE 0 END) AS BIGINT) \
         FROM audit a JOIN requests r ON r.id = a.request_id \
         WHERE a.at >= {from_at} AND r.process IN ({processes}){scope} GROUP BY 1"
    ))
    .fetch_all(&mut *conn)
    .await
    .unwrap();
}

struct Figures {
    engine: Engine,
    seed: Duration,
    backfill: Duration,
    summary_rows: i64,
    audit_rows: i64,
    /// (who, dashboard p50, max, naive p50, max)
    rows: Vec<(String, Duration, Duration, Duration, Duration)>,
}

async fn run(engine: Engine, root: &Path, n: u64, url: Option<String>) -> Figures {
    let data_dir: PathBuf = root.join(format!("dash-{}", engine.name()));
    let _ = std::fs::remove_dir_all(&data_dir);
    std::fs::create_dir_all(&data_dir).unwrap();
    let now = server::domain::clock::now_unix();
    let base = bench::load::serve_on(data_dir.clone(), url.clone(), true).await;
    let mut conn = connect(engine, &data_dir, url.as_deref()).await;
    eprintln!("== {}: seeding {n} requests", engine.name());
    let t = Instant::now();
    for statement in seed_sql(engine, n, now) {
        conn.execute(statement.as_str()).await.unwrap();
    }
    let seed = t.elapsed();
    eprintln!("   seeded in {seed:?}; backfilling the summary");
    let t = Instant::now();
    // The seed counted into the summary as `pishkhan dashboard-rebuild` (and migration 18)
    // count a trail: the backfill's one statement.
    conn.execute(server::store::summary::backfill_sql().as_str())
        .await
        .unwrap();
    // PostgreSQL: as autovacuum leaves a live table (the visibility map set, so that the
    // covering index is read without the table); SQLite: the planner's statistics.
    let analyze = match engine {
        Engine::Sqlite => "ANALYZE",
        Engine::Postgres => "VACUUM ANALYZE",
    };
    conn.execute(analyze).await.unwrap();
    let backfill = t.elapsed();
    let audit_rows: i64 = sqlx::query("SELECT COUNT(*) FROM audit")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    let summary_rows: i64 = sqlx::query("SELECT COUNT(*) FROM move_summary")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    let summed: i64 = sqlx::query("SELECT CAST(SUM(n) AS BIGINT) FROM move_summary")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(summed, audit_rows, "the summary counts every audit row");
    eprintln!("   backfill and ANALYZE {backfill:?}: {audit_rows} audit rows, {summary_rows} summary rows");
    // The demo faculty expert serves faculty f3 of university 2.
    conn.execute(
        "UPDATE users SET scope_kind = 'faculty', scope_university_id = 2, scope_faculty = 'f3' \
         WHERE username = 'faculty'",
    )
    .await
    .unwrap();
    let http = reqwest::Client::new();
    let mut rows = Vec::new();
    for (who, user, scope, processes) in [
        (
            "national (conscription expert, exemptions)",
            "conscription",
            String::new(),
            "'exemption_a1'",
        ),
        (
            "national (central office, withdrawals)",
            "central-office",
            String::new(),
            "'withdrawal'",
        ),
        (
            "faculty f3 of university 2 (faculty expert)",
            "faculty",
            " AND r.university_id = 2 AND r.faculty = 'f3'".to_owned(),
            "'withdrawal'",
        ),
    ] {
        let cookie = login(&http, &base, user).await;
        let url = format!("{base}/api/v1/staff/dashboard");
        let text = http
            .get(&url)
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let body: Value = serde_json::from_str(&text).unwrap();
        let waiting: i64 = body["waiting"]
            .as_array()
            .expect("a dashboard")
            .iter()
            .map(|w| w["n"].as_i64().unwrap())
            .sum();
        eprintln!("   {who}: {waiting} waiting");
        let (d50, dmax) = timed(20, || {
            let (http, url, cookie) = (&http, &url, &cookie);
            async move {
                let r = http.get(url).header("cookie", cookie).send().await.unwrap();
                assert_eq!(r.status().as_u16(), 200);
                r.bytes().await.unwrap();
            }
        })
        .await;
        let conn = &mut conn;
        let (n50, nmax) = {
            naive(conn, &scope, processes, now, 12).await;
            let mut all = Vec::new();
            for _ in 0..3 {
                let t = Instant::now();
                naive(conn, &scope, processes, now, 12).await;
                all.push(t.elapsed());
            }
            all.sort();
            (all[1], all[2])
        };
        eprintln!("   dashboard p50 {d50:?} (max {dmax:?}); naive p50 {n50:?} (max {nmax:?})");
        rows.push((who.to_owned(), d50, dmax, n50, nmax));
    }
    Figures {
        engine,
        seed,
        backfill,
        summary_rows,
        audit_rows,
        rows,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: u64 = args
        .first()
        .filter(|a| !a.starts_with("--"))
        .map_or(1_000_000, |a| a.parse().expect("a number of requests"));
    let out = args
        .iter()
        .position(|a| a == "--out")
        .map(|i| args[i + 1].clone());
    let root = std::env::temp_dir().join("pishkhan-dashboard-bench");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    // `PISHKHAN_BENCH_ENGINES=postgres` (or `sqlite`): one engine only.
    let engines = std::env::var("PISHKHAN_BENCH_ENGINES").unwrap_or_default();
    let mut figures = Vec::new();
    if engines.is_empty() || engines.contains("sqlite") {
        figures.push(runtime.block_on(run(Engine::Sqlite, &root, n, None)));
    }
    let postgres = std::env::var("PISHKHAN_BENCH_POSTGRES")
        .ok()
        .filter(|_| engines.is_empty() || engines.contains("postgres"));
    if let Some(admin) = postgres {
        let url = runtime.block_on(async {
            let mut c = sqlx::PgConnection::connect(&admin).await.unwrap();
            c.execute("DROP DATABASE IF EXISTS bench_dashboard")
                .await
                .unwrap();
            c.execute("CREATE DATABASE bench_dashboard").await.unwrap();
            let (cluster, _) = admin.rsplit_once('/').unwrap();
            format!("{cluster}/bench_dashboard")
        });
        figures.push(runtime.block_on(run(Engine::Postgres, &root, n, Some(url))));
    }
    let mut report = String::from(
        "| engine | clerk | dashboard p50 ms | dashboard max ms | naive p50 ms | naive max ms |\n\
         |---|---|---|---|---|---|\n",
    );
    for f in &figures {
        for (who, d50, dmax, n50, nmax) in &f.rows {
            report.push_str(&format!(
                "| {} | {who} | {} | {} | {} | {} |\n",
                f.engine.name(),
                ms(*d50),
                ms(*dmax),
                ms(*n50),
                ms(*nmax)
            ));
        }
    }
    report.push('\n');
    for f in &figures {
        report.push_str(&format!(
            "- {}: {n} requests, {} audit rows seeded in {:.1} s; migration 18's backfill and \
             (VACUUM) ANALYZE {:.1} s; {} summary rows.\n",
            f.engine.name(),
            f.audit_rows,
            f.seed.as_secs_f64(),
            f.backfill.as_secs_f64(),
            f.summary_rows
        ));
    }
    println!("{report}");
    if let Some(path) = out {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let marker = "<!-- figures -->";
        let new = match text.split_once(marker) {
            Some((head, _)) => format!("{head}{marker}\n\n{report}"),
            None => format!("{text}\n{marker}\n\n{report}"),
        };
        std::fs::write(&path, new).unwrap();
    }
}
