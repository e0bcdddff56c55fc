//! Several `pishkhan serve` processes on one database (issue 14): a PostgreSQL database when the
//! test command gives one (`PISHKHAN_TEST_DATABASE_URL`, see `common`), else one SQLite file that
//! two processes share. The same request moved from both at once: exactly one move wins. Queued
//! SMS drained by both at once: each sent exactly once. A clerk's session works on both. One
//! instance killed (SIGKILL) while both take submissions and moves: every acknowledged one is
//! there, and the dashboard counts every audit row once.

mod common;
mod submit;

use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use common::{Server, StaffSession, TempDir};
use serde_json::{json, Value};
use submit::{answer, new_key, Answer};

/// The password of every demo user.
const DEMO_PASSWORD: &str = "pishkhan-demo";
/// The demo clerk of the first clearance office (seed 002's department).
const DEPARTMENT: &str = "department";

/// Two servers on one data directory (one database, one server key, one SMS log).
struct Pair {
    a: Server,
    b: Option<Server>,
    data: TempDir,
    _dist: TempDir,
}

fn two(name: &str) -> Pair {
    let dist = TempDir::new(&format!("inst-dist-{name}"));
    dist.write("index.html", b"<!doctype html><title>app</title>");
    let data = TempDir::new(&format!("inst-data-{name}"));
    let args = [
        "--demo-users",
        "--lookups-per-minute",
        "1000",
        "--logins-per-minute",
        "1000",
    ];
    // One after the other: the first creates the schema and the demo users, the second finds
    // them (as a rolling start of a deployment does).
    let a = common::serve_with(&dist.0, &data.0, &args);
    let b = common::serve_with(&dist.0, &data.0, &args);
    Pair {
        a,
        b: Some(b),
        data,
        _dist: dist,
    }
}

impl Pair {
    fn b(&self) -> &Server {
        self.b.as_ref().expect("b runs")
    }

    /// Files a clearance of student `n` through `server`: the answer.
    fn file(&self, server: &Server, n: u32) -> Answer {
        let body = submit::clearance(n);
        let me = common::sign_in_for(&self.data.0, &body);
        submit::submit(
            &http(),
            &server.base,
            Some(&me),
            Some(&new_key()),
            &body.to_string(),
        )
        .expect("an answer")
    }

    /// The staff URL of a request (its opaque handle).
    fn staff_url(&self, code: &str, rest: &str) -> String {
        let digits: String = code.chars().filter(char::is_ascii_digit).collect();
        let handle = common::rows(
            &self.data.0,
            &format!("SELECT handle FROM requests WHERE tracking_code = '{digits}'"),
        )[0][0]
            .clone()
            .expect("a handle");
        format!("/api/v1/staff/requests/{handle}{rest}")
    }
}

fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

fn post(base: &str, who: &StaffSession, path: &str, body: &Value) -> Answer {
    answer(
        http()
            .post(format!("{base}{path}"))
            .header("cookie", &who.cookie)
            .header("x-csrf-token", &who.csrf)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .unwrap(),
    )
}

fn get(base: &str, who: &StaffSession, path: &str) -> Answer {
    answer(
        http()
            .get(format!("{base}{path}"))
            .header("cookie", &who.cookie)
            .send()
            .unwrap(),
    )
}

#[test]
fn a_clerks_session_works_on_both_and_one_move_of_two_at_once_wins() {
    let pair = two("moves");
    // Signed in on one instance, the session is the database's: the other knows it.
    let clerk = common::staff_login(&pair.a.base, DEPARTMENT, DEMO_PASSWORD);
    for server in [&pair.a, pair.b()] {
        let cartable = get(&server.base, &clerk, "/api/v1/staff/cartable");
        assert_eq!(cartable.status, 200, "{}", cartable.body);
    }
    let codes: Vec<String> = (0..8)
        .map(|i| {
            let server = if i % 2 == 0 { &pair.a } else { pair.b() };
            let filed = pair.file(server, 700 + i);
            assert_eq!(filed.status, 201, "{}", filed.body);
            filed.body["tracking_code"].as_str().unwrap().to_owned()
        })
        .collect();
    for code in &codes {
        // Both instances are asked to move the same version of the request at the same moment.
        let url = pair.staff_url(code, "/actions");
        let body = json!({"action": "forward", "version": 1});
        let start = Arc::new(Barrier::new(2));
        let answers: Vec<Answer> = std::thread::scope(|s| {
            let moves: Vec<_> = [&pair.a.base, &pair.b().base]
                .into_iter()
                .map(|base| {
                    let (start, clerk, url, body) = (start.clone(), &clerk, &url, &body);
                    s.spawn(move || {
                        start.wait();
                        post(base, clerk, url, body)
                    })
                })
                .collect();
            moves.into_iter().map(|m| m.join().unwrap()).collect()
        });
        let mut statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [200, 409],
            "{:?}",
            answers.iter().map(|a| &a.body).collect::<Vec<_>>()
        );
        let lost = answers.iter().find(|a| a.status == 409).unwrap();
        assert_eq!(lost.code(), "STALE_VERSION", "{}", lost.body);
        // One move is recorded: version 2, two audit rows, and the chain verifies.
        let digits: String = code.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(
            common::count(
                &pair.data.0,
                &format!("SELECT version FROM requests WHERE tracking_code = '{digits}'")
            ),
            2
        );
        assert_eq!(
            common::count(
                &pair.data.0,
                &format!(
                    "SELECT COUNT(*) FROM audit WHERE request_id = \
                     (SELECT id FROM requests WHERE tracking_code = '{digits}')"
                )
            ),
            2
        );
    }
}

#[test]
fn queued_messages_drained_by_both_instances_at_once_are_each_sent_once() {
    let pair = two("outbox");
    // 150 messages wait in the outbox (more than one instance takes in a round, 100).
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let values: Vec<String> = (0..150)
        .map(|i| format!("('test', '0912{i:07}', 'پیام آزمایشی {i}', 'test message {i}', {now})"))
        .collect();
    let queued = common::sql(
        &pair.data.0,
        &format!(
            "INSERT INTO notifications (kind, mobile, message_fa, message_en, created_at) \
             VALUES {}",
            values.join(", ")
        ),
    );
    assert_eq!(queued, 150);
    // A sign-in code asked of each instance at the same moment wakes both senders at once.
    let start = Arc::new(Barrier::new(2));
    std::thread::scope(|s| {
        for (base, id) in [(&pair.a.base, "0123456789"), (&pair.b().base, "0234567899")] {
            let start = start.clone();
            s.spawn(move || {
                start.wait();
                let asked = submit::post_json(
                    &http(),
                    base,
                    "/api/v1/signin/code",
                    &json!({"national_id": id}),
                );
                assert_eq!(asked.status, 202, "{}", asked.body);
            });
        }
    });
    // Every message is marked sent (the second round of either instance comes within 5 s).
    let deadline = Instant::now() + Duration::from_secs(30);
    while common::count(
        &pair.data.0,
        "SELECT COUNT(*) FROM notifications WHERE sent_at IS NULL",
    ) > 0
    {
        assert!(Instant::now() < deadline, "the outbox was not drained");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Both instances append to the one SMS log of the data directory: each message is there
    // once, and each was tried once.
    let lines = common::sms_lines(&pair.data.0);
    for i in 0..150 {
        let text = format!("پیام آزمایشی {i}");
        let sent = lines.iter().filter(|l| l["text"] == text.as_str()).count();
        assert_eq!(sent, 1, "message {i} was sent {sent} times");
    }
    let ids: std::collections::HashSet<_> = lines.iter().map(|l| l["id"].to_string()).collect();
    assert_eq!(ids.len(), lines.len(), "a message was sent twice");
    assert_eq!(lines.len(), 152, "150 messages and two codes");
    assert_eq!(
        common::count(
            &pair.data.0,
            "SELECT COUNT(*) FROM notifications WHERE attempts <> 1 OR claimed_by IS NOT NULL"
        ),
        0,
        "each message tried once, its claim ended"
    );
}

#[test]
fn an_instance_killed_under_load_loses_nothing_it_acknowledged() {
    let mut pair = two("kill");
    let b = pair.b.take().expect("b runs");
    let clerk = common::staff_login(&pair.a.base, DEPARTMENT, DEMO_PASSWORD);
    let filed = Arc::new(Mutex::new(Vec::<String>::new()));
    let moved = Arc::new(Mutex::new(Vec::<String>::new()));
    let bases = [pair.a.base.clone(), b.base.clone()];
    // Each worker is one person filing clearances, signed in (a row written into the database)
    // before anyone files: under load on SQLite the writers hold the write lock almost without
    // a break, and a write from outside would wait out its busy timeout.
    let people: Vec<(Value, common::PersonSession)> = (0..6u32)
        .map(|worker| {
            let body = submit::clearance(2000 + worker * 1000);
            let me = common::sign_in_for(&pair.data.0, &body);
            (body, me)
        })
        .collect();
    let stop = Instant::now() + Duration::from_secs(4);
    std::thread::scope(|s| {
        for (worker, (body, me)) in people.iter().enumerate() {
            let (filed, moved, bases, clerk, pair) = (&filed, &moved, &bases, &clerk, &pair);
            s.spawn(move || {
                let mut n = 0;
                while Instant::now() < stop {
                    n += 1;
                    let base = &bases[(worker + n) % 2];
                    // A refused connection (the killed instance) is no acknowledgement.
                    let Ok(a) = submit::submit(
                        &http(),
                        base,
                        Some(me),
                        Some(&new_key()),
                        &body.to_string(),
                    ) else {
                        continue;
                    };
                    if a.status != 201 {
                        continue;
                    }
                    let code = a.body["tracking_code"].as_str().unwrap().to_owned();
                    filed.lock().unwrap().push(code.clone());
                    let url = format!("{base}{}", pair.staff_url(&code, "/actions"));
                    let sent = http()
                        .post(url)
                        .header("cookie", &clerk.cookie)
                        .header("x-csrf-token", &clerk.csrf)
                        .header("content-type", "application/json")
                        .body(json!({"action": "forward", "version": 1}).to_string())
                        .send();
                    if sent.is_ok_and(|r| r.status().as_u16() == 200) {
                        moved.lock().unwrap().push(code);
                    }
                }
            });
        }
        // Half-way, the second instance dies at once.
        std::thread::sleep(Duration::from_secs(2));
        b.kill();
    });
    let (filed, moved) = (filed.lock().unwrap().clone(), moved.lock().unwrap().clone());
    assert!(filed.len() >= 10, "too little load: {} filed", filed.len());
    assert!(!moved.is_empty(), "nothing was moved");
    for code in &filed {
        let digits: String = code.chars().filter(char::is_ascii_digit).collect();
        let version = common::count(
            &pair.data.0,
            &format!("SELECT COUNT(*) FROM requests WHERE tracking_code = '{digits}'"),
        );
        assert_eq!(version, 1, "the acknowledged request {code} is missing");
    }
    for code in &moved {
        let digits: String = code.chars().filter(char::is_ascii_digit).collect();
        let moved_on = common::count(
            &pair.data.0,
            &format!(
                "SELECT COUNT(*) FROM requests WHERE tracking_code = '{digits}' \
                 AND version = 2 AND status <> 'at_office:department'"
            ),
        );
        assert_eq!(moved_on, 1, "the acknowledged move of {code} is missing");
    }
    // The instance left standing still serves, and the audit chain of every request verifies.
    let cartable = get(&pair.a.base, &clerk, "/api/v1/staff/cartable");
    assert_eq!(cartable.status, 200, "{}", cartable.body);
    let admin = common::staff_login(&pair.a.base, "admin", DEMO_PASSWORD);
    let check = get(&pair.a.base, &admin, "/api/v1/admin/audit/verify");
    assert_eq!(check.status, 200, "{}", check.body);
    assert_eq!(check.body["ok"], true, "{}", check.body);
    assert!(check.body["requests"].as_u64().unwrap() >= filed.len() as u64);
    // Both instances' filings and moves, and the killed one's last transactions, are each
    // counted once by the dashboard: a count is written with its audit row or not at all.
    common::assert_summary_counts_the_audit(&pair.data.0);
}
