//! The offices' dashboard (`GET /api/v1/staff/dashboard`, issue 16) over a real socket against
//! a real database: requests and audit trails seeded with known times, then the figures checked —
//! waiting per state and office, the stale count at two thresholds, p50/p90 of a step's known
//! durations, filings and decisions per week — for a national clerk, a faculty's clerk, another
//! university's clerk and a county's (the trail seeded by SQL, counted by `pishkhan
//! dashboard-rebuild`); filings and a move through the API counted by the writers, folded
//! into the summary without a figure changing;
//! the administrators refused, no session refused, a bad threshold named.

mod common;
mod submit;

use std::path::Path;

use common::{now, Server, TempDir};
use serde_json::Value;
use server::domain::dashboard::{week_of, week_start};
use submit::{answer, Answer};

const DAY: i64 = 86_400;

struct Env {
    server: Server,
    data: TempDir,
    _dist: TempDir,
    http: reqwest::blocking::Client,
    now: i64,
    next: u32,
}

fn start(name: &str) -> Env {
    let (dist, data) = common::app_and_data("dash", name);
    let server = common::serve_with(
        &dist.0,
        &data.0,
        &["--demo-users", "--logins-per-minute", "1000"],
    );
    Env {
        server,
        data,
        _dist: dist,
        http: submit::client(),
        now: now(),
        next: 0,
    }
}

/// A CLI command on the data directory that must succeed (or say the thing exists already).
fn cli(data: &Path, args: &[&str], stdin: Option<&str>) {
    let mut cmd = common::pishkhan(data);
    let head = args.len().min(2);
    cmd.args(&args[..head]).arg("--data-dir").arg(data);
    cmd.args(&args[head..]);
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(text) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() || said.contains("taken"),
        "{args:?}: {said}"
    );
}

impl Env {
    fn base(&self) -> &str {
        &self.server.base
    }

    /// Adds a clerk with the real CLI and signs them in; the session cookie.
    fn clerk(&self, username: &str, role: &str, scope: &str, university: Option<&str>) -> String {
        let password = format!("{username}-password");
        let mut args = vec![
            "user",
            "add",
            "--username",
            username,
            "--role",
            role,
            "--scope",
            scope,
            "--display-name",
            "کارشناس",
        ];
        if let Some(u) = university {
            args.extend(["--university", u]);
        }
        cli(&self.data.0, &args, Some(&format!("{password}\n")));
        common::staff_login(self.base(), username, &password).cookie
    }

    fn dashboard(&self, cookie: Option<&str>, query: &str) -> Answer {
        let mut request = self
            .http
            .get(format!("{}/api/v1/staff/dashboard{query}", self.base()));
        if let Some(c) = cookie {
            request = request.header("cookie", c);
        }
        answer(request.send().unwrap())
    }

    fn ok(&self, cookie: &str, query: &str) -> Value {
        let a = self.dashboard(Some(cookie), query);
        assert_eq!(a.status, 200, "{}", a.body);
        a.body
    }

    /// Seeds one request with its audit trail: `trail` is (from, to, at) in order, the first
    /// from `None` (the filing); the request stands in the last row's state since its time.
    #[allow(clippy::too_many_arguments)]
    fn seed(
        &mut self,
        university_id: i64,
        process: &str,
        faculty: Option<&str>,
        county: Option<&str>,
        trail: &[(Option<&str>, &str, i64)],
    ) {
        self.next += 1;
        let n = self.next;
        let kind = match process {
            "withdrawal" => "withdrawal",
            "clearance" => "clearance",
            _ => "exemption",
        };
        let text = |v: Option<&str>| v.map_or("NULL".to_owned(), |s| format!("'{s}'"));
        let (_, last, updated) = *trail.last().unwrap();
        let filed = trail[0].2;
        let id = common::rows(
            &self.data.0,
            &format!(
                "INSERT INTO requests (tracking_code, kind, national_id, body, status, \
                 submitted_at, submitted_jalali, version, process, faculty, county, updated_at, \
                 handle, university_id) VALUES ('{:012}', '{kind}', '{:010}', '{{}}', '{last}', \
                 {filed}, '{}', {}, '{process}', {}, {}, {updated}, '{:032x}', {university_id}) \
                 RETURNING id",
                900_000_000_000u64 + u64::from(n),
                1_000_000_000u64 + u64::from(n),
                rules::JalaliDate::today_in_tehran(filed).to_machine(),
                trail.len(),
                text(faculty),
                text(county),
                u128::from(n) + 0xabc0_0000_0000,
            ),
        )[0][0]
            .clone()
            .unwrap();
        for (from, to, at) in trail {
            common::sql(
                &self.data.0,
                &format!(
                    "INSERT INTO audit (request_id, at, from_status, to_status, action, actor) \
                     VALUES ({id}, {at}, {}, '{to}', 'seeded', 'test')",
                    text(*from)
                ),
            );
        }
    }
}

/// The `n` of the row of `list` whose `key` is `value`, 0 when there is none.
fn n_of(list: &Value, key: &str, value: &str, field: &str) -> i64 {
    list.as_array()
        .unwrap()
        .iter()
        .filter(|r| r[key] == value)
        .map(|r| r[field].as_i64().unwrap())
        .sum()
}

fn week_row(body: &Value, at: i64) -> &Value {
    let start = week_start(week_of(at)).to_machine();
    body["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["week_start"] == start.as_str())
        .unwrap_or_else(|| panic!("no week {start} in {}", body["weekly"]))
}

/// The seeded data: withdrawals of the default university's faculty `eng` (ten that left
/// `at_head_of_education` after 1…10 days and wait at `at_central_office`; two decided), of its
/// faculty `sci` (two fresh), of the university `west`'s faculty `eng` (four, 30 days old), and
/// exemptions in two counties.
fn seed_all(env: &mut Env, west: i64) {
    let t = env.now;
    let filed = t - 40 * DAY;
    // Half a day off the whole days, so that the server's clock, a moment later, is on the same
    // side of each threshold.
    let sent = t - 30 * DAY - DAY / 2;
    for d in 1..=10 {
        env.seed(
            1,
            "withdrawal",
            Some("eng"),
            None,
            &[
                (None, "submitted", filed),
                (Some("submitted"), "at_head_of_education", sent),
                (
                    Some("at_head_of_education"),
                    "at_central_office",
                    sent + d * DAY,
                ),
            ],
        );
    }
    for _ in 0..2 {
        env.seed(
            1,
            "withdrawal",
            Some("eng"),
            None,
            &[
                (None, "submitted", filed),
                (Some("submitted"), "ruling_issued", t - 3 * DAY),
            ],
        );
    }
    for _ in 0..2 {
        env.seed(
            1,
            "withdrawal",
            Some("sci"),
            None,
            &[(None, "submitted", t - DAY)],
        );
    }
    for _ in 0..4 {
        env.seed(
            west,
            "withdrawal",
            Some("eng"),
            None,
            &[
                (None, "submitted", filed),
                (Some("submitted"), "at_central_office", t - 30 * DAY),
            ],
        );
    }
    for (county, k) in [("tehran", 3), ("shiraz", 2)] {
        for _ in 0..k {
            env.seed(
                1,
                "exemption_a1",
                None,
                Some(county),
                &[
                    (None, "submitted", t - 2 * DAY),
                    (
                        Some("submitted"),
                        "at_conscription_office",
                        t - 2 * DAY + 60,
                    ),
                ],
            );
        }
    }
}

#[test]
fn the_dashboard_counts_what_was_seeded_within_each_scope() {
    let mut env = start("figures");
    cli(
        &env.data.0,
        &[
            "university",
            "add",
            "--code",
            "west",
            "--name-fa",
            "دانشگاه غرب",
            "--name-en",
            "West",
        ],
        None,
    );
    for (u, f) in [("default", "eng"), ("default", "sci"), ("west", "eng")] {
        cli(
            &env.data.0,
            &[
                "university",
                "faculty",
                "add",
                "--university",
                u,
                "--code",
                f,
                "--name-fa",
                f,
                "--name-en",
                f,
            ],
            None,
        );
    }
    let west: i64 = common::count(
        &env.data.0,
        "SELECT id FROM universities WHERE code = 'west'",
    );
    seed_all(&mut env, west);
    // A trail loaded by hand is counted by the operator's command, as at migration.
    cli(&env.data.0, &["dashboard-rebuild"], None);
    let t = env.now;

    // The national central office: every withdrawal, no exemption.
    let national = env.clerk("central-all", "central_office_expert", "*", None);
    let body = env.ok(&national, "");
    assert_eq!(body["stale_days"], 14);
    assert_eq!(body["weeks"], 12);
    let waiting = &body["waiting"];
    assert_eq!(n_of(waiting, "state", "at_central_office", "n"), 14);
    assert_eq!(n_of(waiting, "state", "submitted", "n"), 2);
    assert_eq!(n_of(waiting, "state", "at_conscription_office", "n"), 0);
    assert_eq!(n_of(waiting, "state", "ruling_issued", "n"), 0, "decided");
    // Stale at 14 days: the ten (in the central office for 20.5–29.5 days) and west's four.
    assert_eq!(n_of(waiting, "state", "at_central_office", "stale"), 14);
    let at_25 = env.ok(&national, "?stale_days=۲۵");
    assert_eq!(at_25["stale_days"], 25);
    // Sent on day 1…5 after t-30.5d: in the state for more than 25 days; and west's four.
    assert_eq!(
        n_of(&at_25["waiting"], "state", "at_central_office", "stale"),
        9
    );
    let offices = body["offices"].as_array().unwrap();
    let office = |u: &str, f: &str| {
        offices
            .iter()
            .find(|o| o["university"] == u && o["faculty"] == f)
            .map(|o| o["n"].as_i64().unwrap())
    };
    assert_eq!(office("default", "eng"), Some(10));
    assert_eq!(office("default", "sci"), Some(2));
    assert_eq!(office("west", "eng"), Some(4));
    // p50 and p90 of the ten known durations (1…10 days), within the buckets' 9%.
    let step = body["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["state"] == "at_head_of_education")
        .expect("the head of education's step");
    assert_eq!(step["n"], 10);
    let p50 = step["p50_seconds"].as_i64().unwrap();
    let p90 = step["p90_seconds"].as_i64().unwrap();
    assert!((p50 - 5 * DAY).abs() * 100 <= 9 * 5 * DAY, "p50 {p50}");
    assert!((p90 - 9 * DAY).abs() * 100 <= 9 * 9 * DAY, "p90 {p90}");
    // Filings and decisions per week.
    assert_eq!(body["weekly"].as_array().unwrap().len(), 12);
    let mut filed_weeks = std::collections::HashMap::new();
    for (at, n) in [(t - 40 * DAY, 16), (t - DAY, 2)] {
        *filed_weeks.entry(week_of(at)).or_insert(0) += n;
    }
    for (week, n) in filed_weeks {
        let row = week_row(&body, week * 7 * DAY - 444_600);
        assert_eq!(row["filed"], n, "{row}");
    }
    assert_eq!(week_row(&body, t - 3 * DAY)["decided"], 2);
    let decided: i64 = body["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["decided"].as_i64().unwrap())
        .sum();
    assert_eq!(decided, 2);
    // CSV-ready labels in Persian.
    assert!(waiting[0]["state_fa"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));

    // A faculty's clerk: that faculty of that university only.
    let eng = env.clerk("eng-expert", "faculty_expert", "eng", None);
    let body = env.ok(&eng, "");
    assert_eq!(body["scope"], "eng");
    assert_eq!(
        n_of(&body["waiting"], "state", "at_central_office", "n"),
        10
    );
    assert_eq!(n_of(&body["waiting"], "state", "submitted", "n"), 0);
    let offices = body["offices"].as_array().unwrap();
    assert_eq!(offices.len(), 1, "{offices:?}");
    assert_eq!(offices[0]["university"], "default");
    let filed: i64 = body["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["filed"].as_i64().unwrap())
        .sum();
    assert_eq!(
        filed, 12,
        "ten waiting and two decided, not sci's or west's"
    );

    // Another university's clerk of a faculty of the same code: none of the default's.
    let west_eng = env.clerk("west-eng", "faculty_expert", "eng", Some("west"));
    let body = env.ok(&west_eng, "");
    assert_eq!(n_of(&body["waiting"], "state", "at_central_office", "n"), 4);
    assert!(body["steps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["state"] != "at_head_of_education"));
    let offices = body["offices"].as_array().unwrap();
    assert!(
        offices.iter().all(|o| o["university"] == "west"),
        "{offices:?}"
    );

    // A county's conscription expert: that county's exemptions, no withdrawal.
    let tehran = env.clerk("tehran-expert", "conscription_expert", "tehran", None);
    let body = env.ok(&tehran, "");
    assert_eq!(
        n_of(&body["waiting"], "state", "at_conscription_office", "n"),
        3
    );
    assert_eq!(n_of(&body["waiting"], "state", "at_central_office", "n"), 0);
}

#[test]
fn filings_and_moves_through_the_api_are_counted_and_folding_changes_no_figure() {
    let env = start("live");
    let expert = env.clerk("cons-all", "conscription_expert", "*", None);
    let central = env.clerk("central-all", "central_office_expert", "*", None);
    let before = env.ok(&expert, "?weeks=1");
    assert_eq!(before["weekly"][0]["filed"], 0);
    let body = submit::exemption();
    let me = common::sign_in_for(&env.data.0, &body);
    submit::filed(&env.http, env.base(), &me, &body);
    let after = env.ok(&expert, "?weeks=1");
    assert_eq!(after["weekly"][0]["filed"], 1, "{after}");
    let waiting: i64 = after["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["n"].as_i64().unwrap())
        .sum();
    assert_eq!(waiting, 1, "{after}");

    // A withdrawal whose filing is made three days old, then its card cancelled by the
    // faculty's clerk: the move counts a step of three days.
    let body = submit::withdrawal_of(&env.http, env.base(), &env.data.0, 401, "فنی");
    let me = common::sign_in_for(&env.data.0, &body);
    let filed = submit::filed(&env.http, env.base(), &me, &body);
    let code = filed.body["tracking_code"].as_str().unwrap().to_owned();
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    common::sql(
        &env.data.0,
        &format!(
            "UPDATE audit SET at = at - 3 * 86400 WHERE request_id = \
             (SELECT id FROM requests WHERE tracking_code = '{digits}')"
        ),
    );
    let faculty = common::staff_login(env.base(), "faculty", "pishkhan-demo");
    let version = common::count(
        &env.data.0,
        &format!("SELECT version FROM requests WHERE tracking_code = '{digits}'"),
    );
    let moved = answer(
        env.http
            .post(format!(
                "{}{}/actions",
                env.base(),
                common::staff_url(&env.data.0, &code)
            ))
            .header("cookie", &faculty.cookie)
            .header("x-csrf-token", &faculty.csrf)
            .json(&serde_json::json!({"action": "cancel_card", "version": version, "data": {}}))
            .send()
            .unwrap(),
    );
    assert_eq!(moved.status, 200, "{}", moved.body);
    let withdrawals = env.ok(&central, "?weeks=1");
    let step = withdrawals["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["state"] == "submitted")
        .unwrap_or_else(|| panic!("{withdrawals}"));
    assert_eq!(step["n"], 1, "{withdrawals}");
    let p50 = step["p50_seconds"].as_i64().unwrap();
    assert!((p50 - 3 * DAY).abs() * 100 <= 9 * 3 * DAY, "{p50}");
    common::assert_summary_counts_the_audit(&env.data.0);

    // Within seconds one instance folds the appended counts into the summary: nothing is left
    // appended, the summary alone counts the trail, and no figure changes.
    let wait = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while common::count(&env.data.0, "SELECT COUNT(*) FROM move_deltas") > 0 {
        assert!(std::time::Instant::now() < wait, "never folded");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        common::count(&env.data.0, "SELECT COUNT(*) FROM audit"),
        common::count(
            &env.data.0,
            "SELECT CAST(SUM(n) AS BIGINT) FROM move_summary"
        )
    );
    common::assert_summary_counts_the_audit(&env.data.0);
    let figures = |b: &Value| {
        (
            b["steps"].clone(),
            b["waiting"].clone(),
            total(&b["weekly"]),
        )
    };
    assert_eq!(
        figures(&env.ok(&central, "?weeks=1")),
        figures(&withdrawals)
    );
    assert_eq!(figures(&env.ok(&expert, "?weeks=1")), figures(&after));
    // Counted again from the trail: the same.
    cli(&env.data.0, &["dashboard-rebuild"], None);
    assert_eq!(
        figures(&env.ok(&central, "?weeks=1")),
        figures(&withdrawals)
    );
}

/// Filings and decisions over the weeks of a `weekly` list.
fn total(weekly: &Value) -> (i64, i64) {
    weekly.as_array().unwrap().iter().fold((0, 0), |(f, d), w| {
        (
            f + w["filed"].as_i64().unwrap(),
            d + w["decided"].as_i64().unwrap(),
        )
    })
}

#[test]
fn the_administrators_and_strangers_are_refused_and_bad_thresholds_named() {
    let env = start("refusals");
    let none = env.dashboard(None, "");
    assert_eq!(none.status, 401);
    assert_eq!(none.code(), "NOT_SIGNED_IN");
    let admin = common::staff_login(env.base(), "admin", "pishkhan-demo").cookie;
    let a = env.dashboard(Some(&admin), "");
    assert_eq!(a.status, 403, "{}", a.body);
    assert_eq!(a.code(), "FORBIDDEN");
    let clerk = env.clerk("univ-all", "university_user", "*", None);
    for (query, field) in [
        ("?stale_days=0", "stale_days"),
        ("?stale_days=366", "stale_days"),
        ("?stale_days=abc", "stale_days"),
        ("?weeks=105", "weeks"),
    ] {
        let a = env.dashboard(Some(&clerk), query);
        assert_eq!(a.status, 422, "{query}: {}", a.body);
        assert_eq!(a.body["error"]["field"], field, "{query}");
    }
    let a = env.dashboard(Some(&clerk), "?color=red");
    assert_eq!(a.status, 400, "{}", a.body);
    let a = env.dashboard(Some(&clerk), "?weeks=٣");
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["weekly"].as_array().unwrap().len(), 3);
}
