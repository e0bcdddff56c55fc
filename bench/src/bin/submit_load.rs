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

use std::path::PathBuf;

use bench::load::{ms, Env, Servers, Setup};
use bench::submit::{load, raw_inserts, RawEngine};

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
        let env = Env::default();
        let setup = Setup::SqliteInProcess;
        for clients in [1, 50, 200] {
            runs.push(raw_inserts(RawEngine::Sqlite, &env, &root, seconds).await);
            let servers = Servers::start(setup, &env, &root, &format!("server-{clients}")).await;
            runs.push(load(&servers, clients, seconds, false).await);
        }
        let servers = Servers::start(setup, &env, &root, "health").await;
        runs.push(load(&servers, 200, seconds, true).await);
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
