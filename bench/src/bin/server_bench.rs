//! The server benchmark of issue 14 in one run: submissions/s and moves/s with p50/p99 at 1, 50
//! and 200 clients for SQLite (the router in this process, the earlier figures' method), and for
//! PostgreSQL with one instance (in this process, and as one `pishkhan serve` process) and two
//! instances (two `pishkhan serve` processes on one database, the clients spread across them),
//! each submission run right after the raw durable insert loop of the same engine, plus the
//! health check's ceiling; where the CPU went in each run; a Markdown report.
//!
//! `bash bench/server.sh` starts the PostgreSQL cluster and runs this; by hand:
//! `PISHKHAN_BENCH_POSTGRES=postgres://postgres@127.0.0.1:PORT/postgres
//! PISHKHAN_BIN=target/release/pishkhan cargo run --release -p bench --bin server_bench --
//! [seconds per run, default 5] [--out bench/server-results.md]`. Without
//! `PISHKHAN_BENCH_POSTGRES` only SQLite is measured; `PISHKHAN_BENCH_POSTGRES_DATA` (the
//! cluster's data directory) lets the CPU column tell its processes from other PostgreSQLs'.
//! `PISHKHAN_BENCH_CLIENTS=200` (or `50,200`) measures only those numbers of clients (for a
//! profile of one: `perf record target/release/server_bench 5`); `PISHKHAN_BENCH_SETUPS`
//! (`sqliteinprocess,postgresinprocess,postgresprocesses1,postgresprocesses2`) those setups only.
//! With `--out` the report replaces what the file holds above its [`KEEP`] line; everything
//! below it stays.

use std::path::{Path, PathBuf};
use std::time::Duration;

use bench::load::{ms, Cpu, Env, Run, Servers, Setup};
use bench::moves::timed_moves;
use bench::submit::{load, raw_inserts, RawEngine};
use sqlx::{Connection, Row};

/// In the report file, everything from this line on is kept when the report above it is
/// rewritten.
const KEEP: &str =
    "<!-- bench/server.sh rewrites the report above this line and keeps everything below it -->";

const CLIENTS: [usize; 3] = [1, 50, 200];

/// One setup's runs at one number of clients.
struct Cell {
    setup: Setup,
    clients: usize,
    raw: Run,
    submit: Run,
    moves: Run,
}

/// Runs `cell` on a runtime of its own (two worker threads on this machine, as before), dropped
/// afterwards, so that nothing of a run in this process (a router, its connections) outlives it.
fn on_own_runtime<T>(cell: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(cell)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The cluster's version and the settings the comparison depends on.
async fn postgres_settings(url: &str) -> String {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let version: String = sqlx::query("SHOW server_version")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    let mut out = format!("PostgreSQL {version}");
    for setting in [
        "fsync",
        "synchronous_commit",
        "wal_sync_method",
        "full_page_writes",
        "shared_buffers",
        "max_connections",
    ] {
        let value: String = sqlx::query(&format!("SHOW {setting}"))
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .get(0);
        out.push_str(&format!(", `{setting}={value}`"));
    }
    conn.close().await.unwrap();
    out
}

/// A setup's short name: its data directories' prefix, and its name in `PISHKHAN_BENCH_SETUPS`
/// (`sqliteinprocess`, `postgresinprocess`, `postgresprocesses1`, `postgresprocesses2`).
fn short_name(setup: Setup) -> String {
    format!("{setup:?}").to_lowercase().replace(['(', ')'], "")
}

/// "busy = this + servers + PostgreSQL + others", in cores.
fn cpu(run: &Run) -> String {
    match run.cpu {
        Some(Cpu {
            busy,
            this,
            servers,
            postgres,
            ..
        }) => format!(
            "{busy:.2} = {this:.2} + {servers:.2} + {postgres:.2} + {:.2}",
            (busy - this - servers - postgres).max(0.0)
        ),
        None => String::new(),
    }
}

fn percent(part: f64, whole: f64) -> String {
    if whole > 0.0 {
        format!("{:.0} %", 100.0 * part / whole)
    } else {
        "—".into()
    }
}

fn max(run: &Run) -> String {
    ms(run.latencies.last().copied().unwrap_or(Duration::ZERO))
}

fn report(
    seconds: u64,
    cells: &[Cell],
    health: &[(Setup, Run)],
    settings: Option<&str>,
    load_before: &str,
    load_after: &str,
) -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut out = String::new();
    out.push_str("# Server benchmark: SQLite and PostgreSQL, one and two instances (issue 14)\n\n");
    out.push_str(&format!(
        "`bash bench/server.sh` (`bench/src/bin/server_bench.rs`), {seconds} s per run after a 1 s \
         warm-up. {cores} cores; load average {load_before} before the run, {load_after} after it. \
         {}\n\n",
        settings.map_or("No PostgreSQL in this run.".into(), |s| format!(
            "{s} (the defaults: every commit waits for its WAL flush), a throwaway cluster on \
             127.0.0.1 of the same disk."
        ))
    ));
    out.push_str(
        "Setups: SQLite with the router in the load generator's process (as the earlier figures \
         below); PostgreSQL with the router in the process; one `pishkhan serve --database` \
         process; two such processes on one database (one data directory, so one server key), \
         client *i* talking to process *i* mod 2. Every run has a fresh database. \
         **Submissions**: clients filing clearance requests with fresh idempotency keys, as one \
         signed-in person; a 201 is a durable commit (the writer's group commit). **raw**: the \
         same engine's raw durable insert loop (one connection, one `INSERT INTO requests` per \
         autocommit transaction, the server's schema), run just before each submission run. \
         **Moves**: clerks (tasks) each forwarding requests of their own through seed 002's \
         eight day-course offices, one durable transaction per move (row lock on PostgreSQL, \
         in-process turn on SQLite), as many as they can in the time (the requests filed \
         before the clock starts). **CPU**, in cores over the measured window: the machine's busy \
         time = this process (the load generator, and the router when in process) + this run's \
         `pishkhan serve` processes + the bench's PostgreSQL cluster + everything else on the \
         machine (other jobs, their own servers and databases included).\n\n",
    );
    out.push_str("## Submissions, POST /api/v1/requests\n\n");
    out.push_str(
        "| setup | clients | raw inserts/s | raw p99 ms | submissions/s | vs raw | p50 ms | p99 ms | max ms | failed | CPU |\n",
    );
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for c in cells {
        out.push_str(&format!(
            "| {} | {} | {:.0} | {} | {:.0} | {} | {} | {} | {} | {} | {} |\n",
            c.setup.label(),
            c.clients,
            c.raw.rate(),
            ms(c.raw.percentile(0.99)),
            c.submit.rate(),
            percent(c.submit.rate(), c.raw.rate()),
            ms(c.submit.percentile(0.5)),
            ms(c.submit.percentile(0.99)),
            max(&c.submit),
            c.submit.failed,
            cpu(&c.submit)
        ));
    }
    out.push_str("\n## Moves, POST /api/v1/staff/requests/{handle}/actions (forward)\n\n");
    out.push_str("| setup | clerks | moves/s | p50 ms | p99 ms | max ms | failed | CPU |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for c in cells {
        let note = c
            .moves
            .label
            .split_once(", POST …/actions (forward)")
            .map_or("", |(_, note)| note);
        out.push_str(&format!(
            "| {}{note} | {} | {:.0} | {} | {} | {} | {} | {} |\n",
            c.setup.label(),
            c.clients,
            c.moves.rate(),
            ms(c.moves.percentile(0.5)),
            ms(c.moves.percentile(0.99)),
            max(&c.moves),
            c.moves.failed,
            cpu(&c.moves)
        ));
    }
    out.push_str("\n## The ceiling: GET /api/v1/health (no storage), 200 clients\n\n");
    out.push_str("| setup | requests/s | p50 ms | p99 ms | max ms | failed | CPU |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---|\n");
    for (setup, run) in health {
        out.push_str(&format!(
            "| {} | {:.0} | {} | {} | {} | {} | {} |\n",
            setup.label(),
            run.rate(),
            ms(run.percentile(0.5)),
            ms(run.percentile(0.99)),
            max(run),
            run.failed,
            cpu(run)
        ));
    }
    out.push_str("\n## Goals at 200 clients (this run)\n\n");
    let goal = |setup: Setup, share: f64| {
        cells
            .iter()
            .find(|c| c.setup == setup && c.clients == 200)
            .map(|c| {
                let ratio = c.submit.rate() / c.raw.rate();
                let p99 = c.submit.percentile(0.99).as_secs_f64() * 1000.0;
                let met = ratio >= share && p99 <= 50.0;
                format!(
                    "- {}: {:.0} submissions/s = {} of its raw rate (goal ≥ {:.0} %), p99 {p99:.1} ms \
                     (goal ≤ 50 ms): **{}**.\n",
                    setup.label(),
                    c.submit.rate(),
                    percent(c.submit.rate(), c.raw.rate()),
                    share * 100.0,
                    if met { "met" } else { "not met" }
                )
            })
            .unwrap_or_default()
    };
    out.push_str(&goal(Setup::SqliteInProcess, 0.8));
    out.push_str(&goal(Setup::PostgresInProcess, 0.7));
    out.push_str(&goal(Setup::PostgresProcesses(1), 0.7));
    let at_200 = |setup: Setup| cells.iter().find(|c| c.setup == setup && c.clients == 200);
    if let (Some(one), Some(two)) = (
        at_200(Setup::PostgresProcesses(1)),
        at_200(Setup::PostgresProcesses(2)),
    ) {
        let ours = |run: &Run| run.cpu.map_or(0.0, |c| c.servers + c.postgres);
        out.push_str(&format!(
            "- Two instances against one (both as processes): submissions {:.0} → {:.0}/s ({}), \
             moves {:.0} → {:.0}/s ({}); the servers and PostgreSQL used {:.2} → {:.2} cores \
             while filing, {:.2} → {:.2} while moving, of the {cores} the load generator, the \
             servers, PostgreSQL and every other job on the machine share.\n",
            one.submit.rate(),
            two.submit.rate(),
            percent(two.submit.rate(), one.submit.rate()),
            one.moves.rate(),
            two.moves.rate(),
            percent(two.moves.rate(), one.moves.rate()),
            ours(&one.submit),
            ours(&two.submit),
            ours(&one.moves),
            ours(&two.moves),
        ));
    }
    out.push('\n');
    out
}

fn main() {
    let mut seconds = 5;
    let mut out_file: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out_file = args.next().map(PathBuf::from),
            n => seconds = n.parse().expect("seconds per run"),
        }
    }
    let root = PathBuf::from("target/server-bench");
    std::fs::create_dir_all(&root).unwrap();
    let env = Env {
        postgres: std::env::var("PISHKHAN_BENCH_POSTGRES").ok(),
        pishkhan: std::env::var_os("PISHKHAN_BIN").map(PathBuf::from),
        postmaster: std::env::var_os("PISHKHAN_BENCH_POSTGRES_DATA").and_then(|dir| {
            let pid = std::fs::read_to_string(Path::new(&dir).join("postmaster.pid")).ok()?;
            pid.lines().next()?.trim().parse().ok()
        }),
    };
    let mut setups = vec![Setup::SqliteInProcess];
    if env.postgres.is_some() {
        setups.push(Setup::PostgresInProcess);
        if env.pishkhan.is_some() {
            setups.extend([Setup::PostgresProcesses(1), Setup::PostgresProcesses(2)]);
        }
    }
    // `PISHKHAN_BENCH_SETUPS=postgresprocesses1` (a comma-separated list of the short names
    // the data directories carry) measures those setups only.
    if let Ok(list) = std::env::var("PISHKHAN_BENCH_SETUPS") {
        let wanted: Vec<&str> = list.split(',').map(str::trim).collect();
        setups.retain(|setup| wanted.contains(&short_name(*setup).as_str()));
    }
    // `PISHKHAN_BENCH_CLIENTS=200` (a comma-separated list) measures those numbers of clients
    // only, for a profile of one of them.
    let clients_measured: Vec<usize> = match std::env::var("PISHKHAN_BENCH_CLIENTS") {
        Ok(list) => list
            .split(',')
            .map(|n| n.trim().parse().expect("PISHKHAN_BENCH_CLIENTS: numbers"))
            .collect(),
        Err(_) => CLIENTS.to_vec(),
    };
    let load_before = loadavg();
    let mut cells = Vec::new();
    let mut health = Vec::new();
    for &setup in &setups {
        let engine = if setup.postgres() {
            RawEngine::Postgres
        } else {
            RawEngine::Sqlite
        };
        let short = short_name(setup);
        for &clients in &clients_measured {
            eprintln!("== {}, {clients} client(s)", setup.label());
            let cell = on_own_runtime(async {
                let raw = raw_inserts(engine, &env, &root, seconds).await;
                let servers =
                    Servers::start(setup, &env, &root, &format!("{short}_s{clients}")).await;
                let submit = load(&servers, clients, seconds, false).await;
                drop(servers);
                let servers =
                    Servers::start(setup, &env, &root, &format!("{short}_m{clients}")).await;
                let moves = timed_moves(&servers, clients, seconds).await;
                Cell {
                    setup,
                    clients,
                    raw,
                    submit,
                    moves,
                }
            });
            eprintln!(
                "   raw {:.0}/s, submissions {:.0}/s (p99 {} ms), moves {:.0}/s (p99 {} ms)",
                cell.raw.rate(),
                cell.submit.rate(),
                ms(cell.submit.percentile(0.99)),
                cell.moves.rate(),
                ms(cell.moves.percentile(0.99))
            );
            cells.push(cell);
        }
        let run = on_own_runtime(async {
            let servers = Servers::start(setup, &env, &root, &format!("{short}_h")).await;
            load(&servers, 200, seconds, true).await
        });
        health.push((setup, run));
    }
    let load_after = loadavg();
    let settings = env
        .postgres
        .as_deref()
        .map(|url| on_own_runtime(postgres_settings(url)));
    let text = report(
        seconds,
        &cells,
        &health,
        settings.as_deref(),
        &load_before,
        &load_after,
    );
    print!("{text}");
    if let Some(path) = out_file {
        write_report(&path, &text);
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// Replaces what `path` holds above [`KEEP`] with `text`; the first time, everything it holds
/// goes below the line.
fn write_report(path: &Path, text: &str) {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let kept = match old.find(KEEP) {
        Some(at) => old[at..].to_owned(),
        None => format!("{KEEP}\n\n{old}"),
    };
    std::fs::write(path, format!("{text}{kept}")).unwrap();
}
