//! Crash safety: clients — each a signed-in person — file requests with idempotency keys,
//! retrying each until it is answered 201, while the server is killed with SIGKILL several times
//! and restarted on the same data directory (the sessions live on in it). Afterwards every request that was answered 201 is there (its key replays the same
//! tracking code and the lookup finds it), and every key maps to exactly one stored request.

mod common;
mod submit;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use common::TempDir;
use serde_json::json;
use submit::{clearance, client, lookup, national_id, new_key};

const CLIENTS: usize = 8;
/// Each client files at least this many, and goes on until the last kill.
const MIN_KEYS_PER_CLIENT: usize = 10;
const KILLS: usize = 5;

#[test]
fn nothing_acknowledged_is_lost_and_nothing_is_filed_twice_across_kill_9() {
    let dist = TempDir::new("crash-dist");
    let data = TempDir::new("crash-data");
    let args = ["--lookups-per-minute", "1000000"];
    let start = || common::serve_with(&dist.0, &data.0, &args);
    let server = Arc::new(Mutex::new(Some(start())));
    let base = Arc::new(RwLock::new(
        server.lock().unwrap().as_ref().unwrap().base.clone(),
    ));
    let deadline = Instant::now() + Duration::from_secs(180);

    let done = Arc::new(AtomicBool::new(false));
    // Each client is one person, filing clearances in their own name; everyone is signed in
    // (a row written into the database) before anyone files: under load the server's writer
    // holds SQLite's write lock almost without a break, and a write from outside would wait
    // out its busy timeout.
    let people: Vec<_> = (0..CLIENTS)
        .map(|w| {
            let person = (w * 1000) as u32;
            (person, common::sign_in_for(&data.0, &clearance(person)))
        })
        .collect();
    let workers: Vec<_> = people
        .into_iter()
        .map(|(person, me)| {
            let (base, done) = (base.clone(), done.clone());
            std::thread::spawn(move || {
                let c = client();
                let mut acknowledged = Vec::new();
                let (mut refused, mut busy, mut replayed) = (0, 0, 0);
                let mut k = 0;
                while k < MIN_KEYS_PER_CLIENT || !done.load(Ordering::Relaxed) {
                    k += 1;
                    let n = person + k as u32;
                    let key = new_key();
                    let mut body = clearance(n);
                    body["national_id"] = json!(national_id(person));
                    let body = body.to_string();
                    loop {
                        assert!(Instant::now() < deadline, "the load did not finish in time");
                        let url = base.read().unwrap().clone();
                        match submit::submit(&c, &url, Some(&me), Some(&key), &body) {
                            Ok(a) if a.status == 201 => {
                                // Stored before the kill, answered only after the restart.
                                replayed +=
                                    usize::from(a.headers.contains_key("idempotent-replayed"));
                                let code = a.body["tracking_code"].as_str().unwrap().to_owned();
                                acknowledged.push((key, body, person, me.clone(), code));
                                break;
                            }
                            Ok(a) if a.status == 409 => busy += 1,
                            Ok(a) => panic!("unexpected answer {}: {}", a.status, a.body),
                            Err(_) => refused += 1,
                        }
                        std::thread::sleep(Duration::from_millis(20));
                    }
                }
                (acknowledged, refused, busy, replayed)
            })
        })
        .collect();

    // Kill the server while the clients are filing, and bring it back on the same data.
    let killer = {
        let (server, base, done) = (server.clone(), base.clone(), done.clone());
        let (dist, data) = (dist.0.clone(), data.0.clone());
        std::thread::spawn(move || {
            let mut kills = 0;
            while kills < KILLS {
                std::thread::sleep(Duration::from_millis(150 + 97 * kills as u64));
                if let Some(s) = server.lock().unwrap().take() {
                    s.kill();
                }
                kills += 1;
                std::thread::sleep(Duration::from_millis(50));
                let fresh = common::serve_with(&dist, &data, &args);
                *base.write().unwrap() = fresh.base.clone();
                *server.lock().unwrap() = Some(fresh);
            }
            std::thread::sleep(Duration::from_millis(100));
            done.store(true, Ordering::Relaxed);
            kills
        })
    };

    let mut acknowledged = Vec::new();
    let (mut refused, mut busy, mut replayed) = (0, 0, 0);
    for w in workers {
        let (a, r, b, p) = w.join().unwrap();
        acknowledged.extend(a);
        refused += r;
        busy += b;
        replayed += p;
    }
    let kills = killer.join().unwrap();
    eprintln!(
        "{} requests acknowledged across {kills} kills; {refused} attempts met a dead server, \
         {busy} were told 409, {replayed} were stored before a kill and replayed after it",
        acknowledged.len()
    );
    assert!(acknowledged.len() >= CLIENTS * MIN_KEYS_PER_CLIENT);
    assert_eq!(kills, KILLS);
    assert!(
        refused > 0,
        "no attempt met a dead server: the kills missed the load"
    );

    // Everything acknowledged is there: each key replays its tracking code, the lookup finds it.
    let url = base.read().unwrap().clone();
    let c = client();
    let mut codes = std::collections::HashSet::new();
    for (key, body, n, me, code) in &acknowledged {
        let replay = submit::submit(&c, &url, Some(me), Some(key), body).unwrap();
        assert_eq!(replay.status, 201);
        assert_eq!(replay.body["tracking_code"], code.as_str(), "key {key}");
        let found = lookup(&c, &url, code, &submit::national_id(*n));
        assert_eq!(found.status, 200, "{code}: {}", found.body);
        assert!(codes.insert(code.clone()), "two keys share {code}");
    }

    // And nothing else: exactly one stored request per key.
    if let Some(s) = server.lock().unwrap().take() {
        s.kill();
    }
    // Counted in the data directory's database, whichever engine holds it.
    let stored = common::count(&data.0, "SELECT COUNT(*) FROM requests");
    assert_eq!(stored as usize, acknowledged.len());
}
