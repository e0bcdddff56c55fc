//! The staff-move benchmark: clerks moving clearance requests through seed 002's offices against
//! the real router (in this process, over TCP on 127.0.0.1), each move one durable `BEGIN
//! IMMEDIATE` transaction (state, version, chained audit row, notification); at 1, 8 and 32
//! concurrent clerks, each on its own requests. Also the cartable's answer time with every
//! request waiting at one office.
//!
//! `cargo run --release -p bench --bin move_load -- [requests per clerk, default 20] [data dir,
//! default target/move-load]`; prints a Markdown table (kept in `bench/server-results.md`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bench::load::{fresh, ms, serve, sign_in, PersonSession, Run};
use rules::requests::default_offices;
use serde_json::{json, Value};

/// A signed-in demo user: cookie and CSRF token.
#[derive(Clone)]
struct Session {
    cookie: String,
    csrf: String,
}

async fn login(http: &reqwest::Client, base: &str, user: &str) -> Session {
    let r = http
        .post(format!("{base}/api/v1/staff/login"))
        .header("content-type", "application/json")
        .body(json!({"username": user, "password": "pishkhan-demo"}).to_string())
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let body: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    Session {
        cookie,
        csrf: body["csrf_token"].as_str().unwrap().to_owned(),
    }
}

/// Files a clearance as the signed-in person: its tracking code.
async fn file(http: &reqwest::Client, base: &str, me: &PersonSession, n: u64) -> String {
    let body = json!({"kind": "clearance", "national_id": bench::load::NATIONAL_ID,
                      "answers": {"reason": "withdrawal", "evening_course": false}});
    let r = http
        .post(format!("{base}/api/v1/requests"))
        .header("content-type", "application/json")
        .header("cookie", &me.cookie)
        .header("x-csrf-token", &me.csrf)
        .header(
            "idempotency-key",
            format!("00000000-0000-4000-8000-{n:012x}"),
        )
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    v["tracking_code"].as_str().unwrap().to_owned()
}

/// The opaque handle that names a request in staff URLs, found by its tracking code (a search,
/// in the body).
async fn handle_of(http: &reqwest::Client, base: &str, s: &Session, code: &str) -> String {
    let r = http
        .post(format!("{base}/api/v1/staff/cartable/search"))
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header("content-type", "application/json")
        .body(json!({"q": code}).to_string())
        .send()
        .await
        .unwrap();
    let v: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    v["requests"][0]["handle"].as_str().unwrap().to_owned()
}

/// The data an office's forward must carry.
fn data_for(office: &str) -> Value {
    match office {
        "dormitory" => json!({"debt_rials": 0}),
        "welfare" => json!({"debt_rials": 0, "instalments_start": "1405-01-01",
                            "instalments_end": "1405-12-29"}),
        _ => json!({}),
    }
}

/// `clerks` tasks, each taking `per_clerk` requests of its own through every office.
async fn moves(root: &Path, clerks: usize, per_clerk: u64) -> Run {
    let data = fresh(root, &format!("server-{clerks}"));
    let base = serve(data.clone(), true).await;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clerks)
        .build()
        .unwrap();
    let me = sign_in(&http, &base, &data).await;
    let route: Vec<String> = default_offices()
        .into_iter()
        .filter(|o| !o.evening_course_only)
        .map(|o| o.id)
        .collect();
    let mut sessions = Vec::new();
    for office in &route {
        let user = if office == "department" {
            "department".to_owned()
        } else {
            format!("office-{office}")
        };
        sessions.push(login(&http, &base, &user).await);
    }
    let sessions = Arc::new(sessions);
    let route = Arc::new(route);
    let mut codes = Vec::new();
    for n in 0..clerks as u64 * per_clerk {
        let code = file(&http, &base, &me, n).await;
        codes.push(handle_of(&http, &base, &sessions[0], &code).await);
    }
    let started = Instant::now();
    let tasks: Vec<_> = codes
        .chunks(per_clerk as usize)
        .map(|mine| {
            let (http, base, sessions, route) = (http.clone(), base.clone(), sessions.clone(), route.clone());
            let mine = mine.to_vec();
            tokio::spawn(async move {
                let (mut latencies, mut failed) = (Vec::new(), 0u64);
                for handle in mine {
                    for (i, office) in route.iter().enumerate() {
                        let s = &sessions[i];
                        let version = i as i64 + 1;
                        let t = Instant::now();
                        let r = http
                            .post(format!("{base}/api/v1/staff/requests/{handle}/actions"))
                            .header("cookie", &s.cookie)
                            .header("x-csrf-token", &s.csrf)
                            .header("content-type", "application/json")
                            .body(json!({"action": "forward", "version": version, "data": data_for(office)}).to_string())
                            .send()
                            .await;
                        let ok = match r {
                            Ok(r) => r.status().as_u16() == 200 && r.bytes().await.is_ok(),
                            Err(_) => false,
                        };
                        if ok {
                            latencies.push(t.elapsed());
                        } else {
                            failed += 1;
                        }
                    }
                }
                (latencies, failed)
            })
        })
        .collect();
    let mut run = Run {
        label: format!(
            "{clerks} clerk{}, POST …/actions (forward)",
            if clerks == 1 { "" } else { "s" }
        ),
        done: 0,
        failed: 0,
        seconds: 0.0,
        latencies: Vec::new(),
    };
    for t in tasks {
        let (latencies, failed) = t.await.unwrap();
        run.done += latencies.len() as u64;
        run.failed += failed;
        run.latencies.extend(latencies);
    }
    run.seconds = started.elapsed().as_secs_f64();
    run.latencies.sort();
    run
}

/// The department's cartable with `n` requests waiting in it, asked 50 times.
async fn cartable(root: &Path, n: u64) -> Run {
    let data = fresh(root, "cartable");
    let base = serve(data.clone(), true).await;
    let http = reqwest::Client::new();
    let me = sign_in(&http, &base, &data).await;
    for i in 0..n {
        file(&http, &base, &me, i).await;
    }
    let s = login(&http, &base, "department").await;
    let started = Instant::now();
    let mut latencies = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let r = http
            .get(format!("{base}/api/v1/staff/cartable"))
            .header("cookie", &s.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        r.bytes().await.unwrap();
        latencies.push(t.elapsed());
    }
    latencies.sort();
    Run {
        label: format!("GET /api/v1/staff/cartable, {n} waiting (first 200 listed)"),
        done: 50,
        failed: 0,
        seconds: started.elapsed().as_secs_f64(),
        latencies,
    }
}

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
