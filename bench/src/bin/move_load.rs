//! The staff-move benchmark: clerks moving clearance requests through seed 002's offices against
//! the real router (in this process, over TCP on 127.0.0.1), each move one durable `BEGIN
//! IMMEDIATE` transaction (state, version, chained audit row, notification); at 1, 8 and 32
//! concurrent clerks, each on its own requests. Also the cartable's answer time with every
//! request waiting at one office.
//!
//! `cargo run --release -p bench --bin move_load -- [requests per clerk, default 20] [data dir,
//! default target/move-load]`; prints a Markdown table (kept in `bench/server-results.md`).

use std::path::PathBuf;
use std::time::Duration;

use bench::load::ms;
use bench::moves::{cartable, moves};

fn main() {
    let mut args = std::env::args().skip(1);
    let per_clerk: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let root = PathBuf::from(args.next().unwrap_or_else(|| "target/move-load".into()));
    std::fs::create_dir_all(&root).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let runs = runtime.block_on(async {
        let mut runs = Vec::new();
        for clerks in [1, 8, 32] {
            runs.push(moves(&root, clerks, per_clerk).await);
        }
        runs.push(cartable(&root, 2000).await);
        runs
    });
    println!("| run | per second | p50 ms | p99 ms | max ms | failed |");
    println!("|---|---:|---:|---:|---:|---:|");
    for run in &runs {
        println!(
            "| {} | {:.0} | {} | {} | {} | {} |",
            run.label,
            run.rate(),
            ms(run.percentile(0.5)),
            ms(run.percentile(0.99)),
            ms(run.latencies.last().copied().unwrap_or(Duration::ZERO)),
            run.failed
        );
    }
    let _ = std::fs::remove_dir_all(&root);
}
