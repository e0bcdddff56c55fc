//! Criterion benchmarks: one pre-check (typed, and through the JSON contract) and a 10,000-line
//! roster through the CLI's stream path. Run with `cargo bench -p bench`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rules::contract::{decode, RawPrecheck};
use rules::precheck::{precheck, PrecheckInput};
use rules::Tool;

fn one_precheck(c: &mut Criterion) {
    let json = bench::one_precheck();
    let typed: PrecheckInput = decode::<RawPrecheck, _>(json.clone()).unwrap();
    c.bench_function("precheck/typed", |b| {
        b.iter(|| precheck(std::hint::black_box(&typed)))
    });
    c.bench_function("precheck/json_contract", |b| {
        b.iter_batched(
            || json.clone(),
            |v| Tool::Precheck.answer(v).unwrap(),
            BatchSize::SmallInput,
        )
    });
}

fn roster_batch(c: &mut Criterion) {
    let roster = bench::roster(10_000);
    let mut group = c.benchmark_group("batch");
    group.throughput(Throughput::Elements(10_000));
    group.sample_size(20);
    group.bench_function("precheck_10000_lines", |b| {
        let mut out = Vec::with_capacity(roster.len() * 4);
        b.iter(|| {
            out.clear();
            server::cli::batch::answer_stream(Tool::Precheck, roster.as_bytes(), &mut out).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, one_precheck, roster_batch);
criterion_main!(benches);
