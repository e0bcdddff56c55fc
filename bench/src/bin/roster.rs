//! Prints a roster of N admitted students as JSON Lines (default 10,000), for timing the CLI:
//! `cargo run -p bench --bin roster > roster.jsonl; time pishkhan precheck < roster.jsonl`.

fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    print!("{}", bench::roster(n));
}
