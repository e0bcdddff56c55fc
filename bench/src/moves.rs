//! The staff-move loads: clerks moving clearance requests through seed 002's offices, each move
//! (`forward`) one durable transaction (state, version, chained audit row, notification), each
//! clerk on requests of its own — a fixed number per clerk (`move_load`) or as many as it can
//! in a fixed time against running [`Servers`] (`server_bench`); and the cartable's answer time
//! with every request waiting at one office.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rules::requests::default_offices;
use serde_json::{json, Value};

use crate::load::{fresh, http_client, serve, sign_in, PersonSession, Run, Servers};

/// A signed-in demo user: cookie and CSRF token.
#[derive(Clone)]
pub struct Session {
    cookie: String,
    csrf: String,
}

pub async fn login(http: &reqwest::Client, base: &str, user: &str) -> Session {
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
pub async fn file(http: &reqwest::Client, base: &str, me: &PersonSession, n: u64) -> String {
    let body = json!({"kind": "clearance", "national_id": crate::load::NATIONAL_ID,
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
pub async fn handle_of(http: &reqwest::Client, base: &str, s: &Session, code: &str) -> String {
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
pub fn data_for(office: &str) -> Value {
    match office {
        "dormitory" => json!({"debt_rials": 0}),
        "welfare" => json!({"debt_rials": 0, "instalments_start": "1405-01-01",
                            "instalments_end": "1405-12-29"}),
        _ => json!({}),
    }
}

/// The offices a day-course student's clearance walks (seed 002, the evening course's left out)
/// and a session of each office's demo user, signed in on `base`.
async fn offices(http: &reqwest::Client, base: &str) -> (Arc<Vec<String>>, Arc<Vec<Session>>) {
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
        sessions.push(login(http, base, &user).await);
    }
    (Arc::new(route), Arc::new(sessions))
}

/// `clerks` tasks, each taking `per_clerk` requests of its own through every office.
pub async fn moves(root: &Path, clerks: usize, per_clerk: u64) -> Run {
    let data = fresh(root, &format!("server-{clerks}"));
    let base = serve(data.clone(), true).await;
    let http = http_client(clerks);
    let me = sign_in(&http, &base, &data).await;
    let (route, sessions) = offices(&http, &base).await;
    let mut codes = Vec::new();
    for n in 0..clerks as u64 * per_clerk {
        let code = file(&http, &base, &me, n).await;
        codes.push(handle_of(&http, &base, &sessions[0], &code).await);
    }
    let started = Instant::now();
    let tasks: Vec<_> = codes
        .chunks(per_clerk as usize)
        .map(|mine| {
            let (http, base, sessions, route) =
                (http.clone(), base.clone(), sessions.clone(), route.clone());
            let mine = mine.to_vec();
            tokio::spawn(async move {
                let (mut latencies, mut failed) = (Vec::new(), 0u64);
                for handle in mine {
                    for (i, office) in route.iter().enumerate() {
                        let s = &sessions[i];
                        let version = i as i64 + 1;
                        let t = Instant::now();
                        if forward(&http, &base, s, &handle, office, version).await {
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
        cpu: None,
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
pub async fn cartable(root: &Path, n: u64) -> Run {
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
        cpu: None,
    }
}

/// One `forward` of `handle` at `office` (expected at `version`) as `s`: whether its 200 (the
/// request's new detail, read back after the commit) arrived.
async fn forward(
    http: &reqwest::Client,
    base: &str,
    s: &Session,
    handle: &str,
    office: &str,
    version: i64,
) -> bool {
    let r = http
        .post(format!("{base}/api/v1/staff/requests/{handle}/actions"))
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header("content-type", "application/json")
        .body(
            json!({"action": "forward", "version": version, "data": data_for(office)}).to_string(),
        )
        .send()
        .await;
    match r {
        Ok(r) => r.status().as_u16() == 200 && r.bytes().await.is_ok(),
        Err(_) => false,
    }
}

/// Requests filed per second of a timed run, enough that no clerk runs out (each takes 8 moves;
/// no setup here has come near 2,000 moves a second).
const REQUESTS_PER_SECOND: u64 = 250;

/// `clerks` tasks moving requests of their own through every office for `seconds` (after a 1 s
/// warm-up), clerk `i` on `servers.base(i)`; the person and the offices' users sign in on the
/// first server, and the requests are filed (50 at a time, spread over the servers) before the
/// clock starts. A clerk that runs out of requests before the end is counted in the label.
pub async fn timed_moves(servers: &Servers, clerks: usize, seconds: u64) -> Run {
    let http = http_client(clerks.max(50));
    let first = &servers.bases[0];
    let me = sign_in(&http, first, &servers.data_dir).await;
    let (route, sessions) = offices(&http, first).await;
    let per_clerk = ((seconds + 1) * REQUESTS_PER_SECOND)
        .div_ceil(clerks as u64)
        .max(4);
    let total = per_clerk * clerks as u64;
    let next = Arc::new(AtomicU64::new(0));
    let filers: Vec<_> = (0..50)
        .map(|i| {
            let (http, base, me, sessions, next) = (
                http.clone(),
                servers.base(i).to_owned(),
                me.clone(),
                sessions.clone(),
                next.clone(),
            );
            tokio::spawn(async move {
                let mut handles = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= total {
                        break handles;
                    }
                    let code = file(&http, &base, &me, n).await;
                    handles.push(handle_of(&http, &base, &sessions[0], &code).await);
                }
            })
        })
        .collect();
    let mut handles = Vec::new();
    for f in filers {
        handles.extend(f.await.unwrap());
    }
    let warm_until = Instant::now() + Duration::from_secs(1);
    let stop = warm_until + Duration::from_secs(seconds);
    let cpu = servers.cpu_between(warm_until, stop);
    let tasks: Vec<_> = handles
        .chunks(per_clerk as usize)
        .enumerate()
        .map(|(i, mine)| {
            let (http, base, sessions, route) = (
                http.clone(),
                servers.base(i).to_owned(),
                sessions.clone(),
                route.clone(),
            );
            let mine = mine.to_vec();
            tokio::spawn(async move {
                let (mut latencies, mut failed) = (Vec::new(), 0u64);
                for handle in mine {
                    for (i, office) in route.iter().enumerate() {
                        let started = Instant::now();
                        if started >= stop {
                            return (latencies, failed, false);
                        }
                        let ok = forward(&http, &base, &sessions[i], &handle, office, i as i64 + 1)
                            .await;
                        let finished = Instant::now();
                        if started >= warm_until && finished <= stop {
                            if ok {
                                latencies.push(finished - started);
                            } else {
                                failed += 1;
                            }
                        }
                    }
                }
                (latencies, failed, Instant::now() < stop)
            })
        })
        .collect();
    let mut run = Run {
        label: String::new(),
        done: 0,
        failed: 0,
        seconds: seconds as f64,
        latencies: Vec::new(),
        cpu: None,
    };
    let mut ran_out = 0;
    for t in tasks {
        let (latencies, failed, out) = t.await.unwrap();
        run.done += latencies.len() as u64;
        run.failed += failed;
        run.latencies.extend(latencies);
        ran_out += usize::from(out);
    }
    run.label = format!(
        "{clerks} clerk{}, POST …/actions (forward){}",
        if clerks == 1 { "" } else { "s" },
        if ran_out > 0 {
            format!(", {ran_out} ran out of requests")
        } else {
            String::new()
        }
    );
    run.latencies.sort();
    run.cpu = Some(cpu.await.unwrap());
    run
}
