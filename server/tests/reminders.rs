//! Deadline reminders by SMS (issue 16, docs/reminders.md) with the real binary on a real
//! database (SQLite, or PostgreSQL with `PISHKHAN_TEST_DATABASE_URL`): requests filed and moved
//! through the API, then `pishkhan reminders --today <day>` for the days around each deadline.
//! Each reminder is queued on its day and not the day before, exactly once across repeated
//! passes, a server restart and two passes at once; never after the person acted (a withdrawal
//! revoked, an exemption renewed, study resumed); not while the person has turned reminders off,
//! and again once they turn them on; its text Persian, with Persian digits and the Jalali
//! deadline, and no national ID. The server's own pass (the real clock) queues today's reminder
//! and, run again after a restart, not twice.

mod common;
mod submit;

use std::path::Path;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::{count, now, rows, sql, PersonSession};
use rules::workflow::Role;
use rules::JalaliDate;
use serde_json::{json, Value};
use submit::{answer, national_id, upload, Answer};

fn today() -> JalaliDate {
    JalaliDate::today_in_tehran(now())
}

struct Env {
    site: common::DemoSite,
    http: reqwest::blocking::Client,
}

fn start(name: &str) -> Env {
    Env {
        site: common::DemoSite::start("rem", name),
        http: submit::client(),
    }
}

impl Env {
    fn base(&self) -> &str {
        self.site.base()
    }

    fn data(&self) -> &Path {
        &self.site.data.0
    }

    /// Stops the server and starts it again on the same data directory.
    fn restart(&mut self) {
        self.site.start_again();
    }

    fn clerk(&self, role: &Role) -> common::StaffSession {
        let user = server::domain::accounts::demo_username(role).unwrap();
        common::staff_login(self.base(), &user, "pishkhan-demo")
    }

    fn staff_post(&self, c: &common::StaffSession, path: &str, body: &Value) -> Answer {
        answer(
            self.http
                .post(format!("{}{path}", self.base()))
                .header("cookie", &c.cookie)
                .header("x-csrf-token", &c.csrf)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .unwrap(),
        )
    }

    fn staff_url(&self, code: &str) -> String {
        common::staff_url(self.data(), code)
    }

    /// An A2 exemption filed at the police office for this person, its study started a month
    /// ago, walked to the deputy's `issue`: its tracking code.
    fn issued_exemption(&self, id: &str, mobile: &str) -> String {
        self.exemption(id, mobile, 3)
    }

    /// The same exemption walked through its first `taken` steps only (3: issued).
    fn exemption(&self, id: &str, mobile: &str, taken: usize) -> String {
        let answers = common::a2_answers(id, mobile, today().add_months(-1));
        let police = self.clerk(&Role::PoliceOffice);
        let filed = self.staff_post(
            &police,
            "/api/v1/staff/requests",
            &json!({"answers": answers}),
        );
        assert_eq!(filed.status, 201, "{}", filed.body);
        let code = filed.body["tracking_code"].as_str().unwrap().to_owned();
        let steps = [
            (Role::PoliceOffice, "grant_permit"),
            (Role::UniversityUser, "submit_admitted_list"),
            (Role::ConscriptionDeputy, "issue"),
        ];
        for (role, action) in steps.into_iter().take(taken) {
            let clerk = self.clerk(&role);
            let url = self.staff_url(&code);
            let view = answer(
                self.http
                    .get(format!("{}{url}", self.base()))
                    .header("cookie", &clerk.cookie)
                    .send()
                    .unwrap(),
            );
            let moved = self.staff_post(
                &clerk,
                &format!("{url}/actions"),
                &json!({"action": action, "version": view.body["version"]}),
            );
            assert_eq!(moved.status, 200, "{action}: {}", moved.body);
        }
        code
    }

    /// A withdrawal filed by student `n` through the API: (tracking code, its session).
    fn withdrawal(&self, n: u32) -> (String, PersonSession) {
        let me = common::sign_in(
            self.data(),
            &common::Person {
                national_id: national_id(n),
                student_number: Some(format!("98{n:06}")),
                mobile: Some(format!("0935{n:07}")),
                faculty: Some("فنی".into()),
                level: Some("bachelor_continuous".into()),
            },
        );
        let form = upload(
            &self.http,
            self.base(),
            &me,
            b"%PDF-1.4\nwithdrawal form".to_vec(),
        );
        assert_eq!(form.status, 201, "{}", form.body);
        let body = json!({"kind": "withdrawal", "national_id": national_id(n),
            "mobile": format!("0935{n:07}"), "answers": {
            "student_number": format!("98{n:06}"), "faculty": "فنی",
            "level": "bachelor_continuous", "reason": "کار", "early_withdrawal": false,
            "student_card": "handed_in",
            "withdrawal_form": {"file_name": "form.pdf", "media_type": form.body["media_type"],
                                "size": form.body["size"], "sha256": form.body["sha256"]}}});
        let filed = submit::submit(
            &self.http,
            self.base(),
            Some(&me),
            Some(&submit::new_key()),
            &body.to_string(),
        )
        .unwrap();
        assert_eq!(filed.status, 201, "{}", filed.body);
        (filed.body["tracking_code"].as_str().unwrap().to_owned(), me)
    }

    /// The person opens their request from "my requests": the applicant session's token and
    /// the applicant API's view of it.
    fn applicant_view(&self, code: &str, me: &PersonSession) -> (String, Answer) {
        let opened = answer(
            self.http
                .post(format!("{}/api/v1/signin/requests/open", self.base()))
                .header("cookie", &me.cookie)
                .header("x-csrf-token", &me.csrf)
                .header("content-type", "application/json")
                .body(json!({"tracking_code": code}).to_string())
                .send()
                .unwrap(),
        );
        assert_eq!(opened.status, 200, "{}", opened.body);
        let token = opened.body["token"].as_str().unwrap().to_owned();
        let view = answer(
            self.http
                .get(format!("{}/api/v1/applicant/request", self.base()))
                .bearer_auth(&token)
                .send()
                .unwrap(),
        );
        assert_eq!(view.status, 200, "{}", view.body);
        (token, view)
    }

    /// The person takes their withdrawal back, through "my requests" and the applicant API.
    fn revoke(&self, code: &str, me: &PersonSession) {
        let (token, view) = self.applicant_view(code, me);
        let done = answer(
            self.http
                .post(format!("{}/api/v1/applicant/request/actions", self.base()))
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(json!({"action": "revoke", "version": view.body["version"]}).to_string())
                .send()
                .unwrap(),
        );
        assert_eq!(done.status, 200, "{}", done.body);
    }

    /// `PUT /api/v1/signin/reminders` as this person (with their CSRF token unless `csrf` is
    /// false).
    fn set_reminders(&self, me: &PersonSession, body: &Value, csrf: bool) -> Answer {
        let mut request = self
            .http
            .put(format!("{}/api/v1/signin/reminders", self.base()))
            .header("cookie", &me.cookie)
            .header("content-type", "application/json")
            .body(body.to_string());
        if csrf {
            request = request.header("x-csrf-token", &me.csrf);
        }
        answer(request.send().unwrap())
    }

    fn get_reminders(&self, cookie: Option<&str>) -> Answer {
        let mut request = self
            .http
            .get(format!("{}/api/v1/signin/reminders", self.base()));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        answer(request.send().unwrap())
    }
}

fn digits(code: &str) -> String {
    code.replace('-', "")
}

/// `pishkhan reminders --today <day>` on the data directory: its standard output (it must
/// succeed).
fn pass(data: &Path, day: &str) -> String {
    common::pishkhan_ok(data, &["reminders"], &["--today", day])
}

/// Records that student `n` graduated on `event` (an Article 34 event): the rows written.
fn graduated(data: &Path, n: u32, event: JalaliDate) -> u64 {
    sql(
        data,
        &format!(
            "INSERT INTO art34_events (national_id, event, event_date, recorded_by, recorded_at) \
             VALUES ('{}', 'graduation', '{}', 'test', {})",
            national_id(n),
            event.to_machine(),
            now()
        ),
    )
}

/// The pass's count named `name` (`queued`, `due`, …).
fn counted(output: &str, name: &str) -> i64 {
    output
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {output}"))
}

/// The reminders queued for a request: (kind, mobile, Persian text), oldest first.
fn reminders_of(data: &Path, code: &str) -> Vec<(String, String, String)> {
    rows(
        data,
        &format!(
            "SELECT n.kind, n.mobile, n.message_fa FROM notifications n \
             JOIN requests r ON r.id = n.request_id \
             WHERE r.tracking_code = '{}' AND n.kind LIKE 'reminder:%' ORDER BY n.id",
            digits(code)
        ),
    )
    .into_iter()
    .map(|r| {
        (
            r[0].clone().unwrap(),
            r[1].clone().unwrap_or_default(),
            r[2].clone().unwrap(),
        )
    })
    .collect()
}

fn kinds(data: &Path, code: &str) -> Vec<String> {
    reminders_of(data, code).into_iter().map(|r| r.0).collect()
}

/// Waits until the outbox has sent a message containing `text` (in the SMS log).
fn wait_sent(data: &Path, text: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(line) = common::sms_lines(data)
            .into_iter()
            .find(|l| l["text"].as_str().is_some_and(|t| t.contains(text)))
        {
            return line;
        }
        assert!(Instant::now() < deadline, "not sent: {text}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn an_issued_exemption_is_reminded_60_and_14_days_before_its_end_once_each_across_restarts() {
    let mut env = start("exemption");
    let id = national_id(501);
    let code = env.issued_exemption(&id, "09121110501");
    // The exemption's end is copied from its pre-check: five years from the study's start.
    let until = today().add_months(-1).add_months(60);
    let stored = rows(
        env.data(),
        &format!(
            "SELECT exemption_until, status FROM requests WHERE tracking_code = '{}'",
            digits(&code)
        ),
    );
    assert_eq!(stored[0][0].as_deref(), Some(until.to_machine().as_str()));
    assert_eq!(stored[0][1].as_deref(), Some("issued"));
    let day = |before: i64| until.add_days(-before).to_machine();

    let out = pass(env.data(), &day(61));
    assert_eq!(counted(&out, "queued"), 0, "{out}");
    assert!(kinds(env.data(), &code).is_empty(), "not the day before");

    let out = pass(env.data(), &day(60));
    assert_eq!(counted(&out, "queued"), 1, "{out}");
    let queued = reminders_of(env.data(), &code);
    assert_eq!(queued.len(), 1);
    let (kind, mobile, text) = &queued[0];
    assert_eq!(kind, "reminder:exemption_until_60");
    assert_eq!(mobile, "09121110501", "to the request's mobile");
    assert!(text.contains(&until.to_long_fa()), "{text}");
    assert!(text.contains("۶۰ روز مانده"), "{text}");
    assert!(text.contains("ماده ۳۳"), "{text}");
    assert!(!text.chars().any(|c| c.is_ascii_digit()), "{text}");
    assert!(!text.contains(&id), "no national ID");
    // The outbox sends it.
    let sent = wait_sent(env.data(), &until.to_long_fa());
    assert_eq!(sent["to"], "09121110501", "{sent}");

    // Again the same day, and the next, and after a restart: nothing more.
    assert_eq!(counted(&pass(env.data(), &day(60)), "queued"), 0);
    assert_eq!(counted(&pass(env.data(), &day(59)), "queued"), 0);
    env.restart();
    assert_eq!(counted(&pass(env.data(), &day(59)), "queued"), 0);
    assert_eq!(kinds(env.data(), &code).len(), 1);

    // Fourteen days before: the second one, once. On the day itself: none.
    assert_eq!(counted(&pass(env.data(), &day(15)), "queued"), 0);
    assert_eq!(counted(&pass(env.data(), &day(14)), "queued"), 1);
    assert_eq!(counted(&pass(env.data(), &day(14)), "queued"), 0);
    assert_eq!(counted(&pass(env.data(), &day(0)), "queued"), 0);
    assert_eq!(
        kinds(env.data(), &code),
        ["reminder:exemption_until_60", "reminder:exemption_until_14"]
    );
    // The day in Persian digits is read as well.
    let persian = rules::digits::to_persian_digits(&day(3));
    let out = pass(env.data(), &persian);
    assert!(out.contains(&day(3)), "{out}");
    // A day that does not exist is refused, naming the field, exit 2.
    let bad = common::pishkhan(env.data())
        .args(["reminders", "--data-dir"])
        .arg(env.data())
        .args(["--today", "1404-12-30"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("today"));
}

/// The applicant's views of a request (the lookup, "my requests", the applicant API) carry an issued exemption's
/// last day — what their "add to calendar" is for — and no such day before it is issued.
#[test]
fn the_applicant_sees_an_issued_exemptions_end_and_not_a_waiting_ones() {
    let env = start("until");
    let (issued_id, waiting_id) = (national_id(521), national_id(522));
    let issued = env.issued_exemption(&issued_id, "09121110521");
    let waiting = env.exemption(&waiting_id, "09121110522", 2);
    let until = today().add_months(-1).add_months(60).to_machine();
    let lookup = |code: &str, id: &str| {
        answer(
            env.http
                .post(format!("{}/api/v1/requests/lookup", env.base()))
                .header("content-type", "application/json")
                .body(json!({"tracking_code": code, "national_id": id}).to_string())
                .send()
                .unwrap(),
        )
    };
    let found = lookup(&issued, &issued_id);
    assert_eq!(found.status, 200, "{}", found.body);
    assert_eq!(found.body["status"], "issued");
    assert_eq!(found.body["exemption_until"], json!(until));
    let found = lookup(&waiting, &waiting_id);
    assert_eq!(found.status, 200, "{}", found.body);
    assert_ne!(found.body["status"], "issued");
    assert!(
        found.body.get("exemption_until").is_none(),
        "{}",
        found.body
    );
    let mine = |id: &str| {
        let me = common::sign_in(
            env.data(),
            &common::Person {
                national_id: id.to_owned(),
                ..Default::default()
            },
        );
        let list = answer(
            env.http
                .get(format!("{}/api/v1/signin/requests", env.base()))
                .header("cookie", &me.cookie)
                .send()
                .unwrap(),
        );
        assert_eq!(list.status, 200, "{}", list.body);
        assert_eq!(
            list.body["requests"].as_array().unwrap().len(),
            1,
            "{}",
            list.body
        );
        let (_, view) = env.applicant_view(
            list.body["requests"][0]["tracking_code"].as_str().unwrap(),
            &me,
        );
        (list.body["requests"][0].clone(), view.body)
    };
    let (row, view) = mine(&issued_id);
    assert_eq!(
        digits(row["tracking_code"].as_str().unwrap()),
        digits(&issued)
    );
    assert_eq!(row["exemption_until"], json!(until));
    assert_eq!(view["state"], "issued");
    assert_eq!(view["exemption_until"], json!(until));
    let (row, view) = mine(&waiting_id);
    assert_eq!(
        digits(row["tracking_code"].as_str().unwrap()),
        digits(&waiting)
    );
    assert!(row.get("exemption_until").is_none(), "{row}");
    assert_ne!(view["state"], "issued");
    assert!(view.get("exemption_until").is_none(), "{view}");
}

#[test]
fn a_renewed_exemption_is_not_reminded_and_a_missed_day_sends_only_the_nearest() {
    let env = start("renewed");
    let id = national_id(502);
    let first = env.issued_exemption(&id, "09121110502");
    let until = today().add_months(-1).add_months(60);
    // Nobody ran the pass 60 days before; five days before, only the 14-day one goes.
    let out = pass(env.data(), &until.add_days(-5).to_machine());
    assert_eq!(counted(&out, "queued"), 1, "{out}");
    assert_eq!(kinds(env.data(), &first), ["reminder:exemption_until_14"]);
    assert_eq!(
        counted(
            &pass(env.data(), &until.add_days(-4).to_machine()),
            "queued"
        ),
        0,
        "the farther one is never sent after the nearer"
    );

    // Another person's exemption is renewed: a later one issued; the earlier has no reminder.
    let other = national_id(503);
    let old = env.issued_exemption(&other, "09121110503");
    let renewed = env.issued_exemption(&other, "09121110503");
    let out = pass(env.data(), &until.add_days(-60).to_machine());
    assert!(kinds(env.data(), &old).is_empty(), "{out}");
    assert_eq!(kinds(env.data(), &renewed), ["reminder:exemption_until_60"]);
}

#[test]
fn the_revocation_window_closing_is_reminded_3_days_before_unless_it_was_revoked() {
    let env = start("revocation");
    let (kept, _) = env.withdrawal(601);
    let (revoked, me) = env.withdrawal(602);
    let deadline = today().add_months(2);
    let stored = rows(
        env.data(),
        &format!(
            "SELECT revocation_deadline FROM requests WHERE tracking_code = '{}'",
            digits(&kept)
        ),
    );
    assert_eq!(
        stored[0][0].as_deref(),
        Some(deadline.to_machine().as_str())
    );
    env.revoke(&revoked, &me);

    let out = pass(env.data(), &deadline.add_days(-4).to_machine());
    assert_eq!(counted(&out, "queued"), 0, "{out}");
    let out = pass(env.data(), &deadline.add_days(-3).to_machine());
    assert_eq!(counted(&out, "queued"), 1, "{out}");
    let queued = reminders_of(env.data(), &kept);
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].0, "reminder:revocation_deadline_3");
    assert_eq!(queued[0].1, "09350000601");
    assert!(
        queued[0].2.contains(&deadline.to_long_fa()),
        "{}",
        queued[0].2
    );
    assert!(queued[0].2.contains("۳ روز مانده"), "{}", queued[0].2);
    assert!(kinds(env.data(), &revoked).is_empty(), "revoked: nothing");
    // Never on the deadline, nor again.
    assert_eq!(
        counted(&pass(env.data(), &deadline.to_machine()), "queued"),
        0
    );
    assert_eq!(
        counted(
            &pass(env.data(), &deadline.add_days(-1).to_machine()),
            "queued"
        ),
        0
    );
}

#[test]
fn the_art34_deadline_is_reminded_30_and_7_days_before_unless_study_resumed() {
    let env = start("art34");
    // A person with a withdrawal on file, whose graduation is recorded (no request of its own):
    // the reminder goes through their latest request, to its mobile.
    let (code, _) = env.withdrawal(701);
    let event = today().add_months(-6);
    let present_by = event.add_months(12);
    assert_eq!(graduated(env.data(), 701, event), 1);
    // Someone who graduated the same day but has since had an exemption issued: no reminder.
    let resumed = env.issued_exemption(&national_id(702), "09121110702");
    graduated(env.data(), 702, event);
    // The exemption was filed today, after the graduation.
    let at = |before: i64| present_by.add_days(-before).to_machine();
    assert_eq!(counted(&pass(env.data(), &at(31)), "queued"), 0);
    assert_eq!(counted(&pass(env.data(), &at(30)), "queued"), 1);
    assert_eq!(counted(&pass(env.data(), &at(8)), "queued"), 0);
    assert_eq!(counted(&pass(env.data(), &at(7)), "queued"), 1);
    assert_eq!(counted(&pass(env.data(), &at(1)), "queued"), 0);
    assert_eq!(
        kinds(env.data(), &code),
        ["reminder:present_by_30", "reminder:present_by_7"]
    );
    let text = &reminders_of(env.data(), &code)[1].2;
    assert!(text.contains(&present_by.to_long_fa()), "{text}");
    assert!(text.contains("ماده ۳۴"), "{text}");
    assert!(text.contains("۷ روز مانده"), "{text}");
    assert!(kinds(env.data(), &resumed).is_empty(), "study resumed");
}

#[test]
fn a_person_who_turned_reminders_off_gets_none_until_they_turn_them_on() {
    let env = start("optout");
    let (code, me) = env.withdrawal(801);
    let deadline = today().add_months(2);
    // Who may ask, and what.
    assert_eq!(env.get_reminders(None).status, 401);
    let on = env.get_reminders(Some(&me.cookie));
    assert_eq!((on.status, &on.body), (200, &json!({"enabled": true})));
    let no_csrf = env.set_reminders(&me, &json!({"enabled": false}), false);
    assert_eq!(no_csrf.status, 403, "{}", no_csrf.body);
    let missing = env.set_reminders(&me, &json!({}), true);
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_eq!(missing.body["error"]["field"], "enabled");
    assert!(missing.body["error"]["message_fa"].as_str().is_some());
    let wrong = env.set_reminders(&me, &json!({"enabled": "no"}), true);
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert_eq!(
        count(env.data(), "SELECT COUNT(*) FROM reminder_opt_outs"),
        0,
        "a refusal changes nothing"
    );

    let off = env.set_reminders(&me, &json!({"enabled": false}), true);
    assert_eq!((off.status, &off.body), (200, &json!({"enabled": false})));
    assert_eq!(
        env.get_reminders(Some(&me.cookie)).body,
        json!({"enabled": false})
    );
    // Stored by an HMAC, never the national ID.
    let stored = rows(env.data(), "SELECT person_hmac FROM reminder_opt_outs");
    assert_eq!(stored.len(), 1);
    let hmac = stored[0][0].clone().unwrap();
    assert_eq!(hmac.len(), 64);
    assert!(!hmac.contains(&national_id(801)));

    let day = deadline.add_days(-3).to_machine();
    let out = pass(env.data(), &day);
    assert_eq!(
        (counted(&out, "due"), counted(&out, "queued")),
        (1, 0),
        "{out}"
    );
    assert!(kinds(env.data(), &code).is_empty());

    let on = env.set_reminders(&me, &json!({"enabled": true}), true);
    assert_eq!((on.status, &on.body), (200, &json!({"enabled": true})));
    let out = pass(env.data(), &deadline.add_days(-2).to_machine());
    assert_eq!(counted(&out, "queued"), 1, "{out}");
    assert_eq!(kinds(env.data(), &code), ["reminder:revocation_deadline_3"]);
}

#[test]
fn two_passes_at_once_on_one_database_queue_each_reminder_once() {
    let env = start("instances");
    let (code, _) = env.withdrawal(901);
    // Twenty Art. 34 events of one person, each its own deadline, all with a reminder due on
    // the same day (a hundred days ahead, so that the server's own hourly pass, on the real
    // day, has nothing to do with them).
    let today = today().add_days(100);
    let values: Vec<String> = (0..20)
        .map(|i| {
            format!(
                "('{}', 'dropout', '{}', 'test', {})",
                national_id(901),
                today.add_months(-12).add_days(3 + i).to_machine(),
                now()
            )
        })
        .collect();
    let inserted = sql(
        env.data(),
        &format!(
            "INSERT INTO art34_events (national_id, event, event_date, recorded_by, recorded_at) \
             VALUES {}",
            values.join(", ")
        ),
    );
    assert_eq!(inserted, 20);
    let day = today.to_machine();
    let start = Arc::new(Barrier::new(2));
    let outputs: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let start = start.clone();
                let day = day.clone();
                let data = env.data();
                s.spawn(move || {
                    start.wait();
                    pass(data, &day)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let queued: i64 = outputs.iter().map(|o| counted(o, "queued")).sum();
    assert_eq!(queued, 20, "{outputs:?}");
    assert_eq!(kinds(env.data(), &code).len(), 20);
    assert_eq!(
        count(
            env.data(),
            "SELECT COUNT(*) FROM (SELECT deadline FROM reminders_sent \
             GROUP BY request_id, reminder, deadline HAVING COUNT(*) > 1) d"
        ),
        0
    );
    assert_eq!(
        count(
            env.data(),
            "SELECT COUNT(*) FROM reminders_sent WHERE notification_id IS NULL"
        ),
        0
    );
}

#[test]
fn the_server_runs_the_pass_itself_for_today_and_not_again_after_a_restart() {
    let mut env = start("serve");
    let (code, _) = env.withdrawal(951);
    // The withdrawal made to have been filed two months before a revocation deadline a few days
    // from today (the real day: the server's own pass reads the clock).
    let today = today();
    let (submitted, deadline) = (1..=3)
        .map(|d| today.add_days(d))
        .map(|deadline| (deadline.add_months(-2), deadline))
        .find(|(s, d)| s.add_months(2) == *d)
        .expect("a day whose two months back and forth meet");
    let backdate = |env: &Env, code: &str| {
        let moved = sql(
            env.data(),
            &format!(
                "UPDATE requests SET submitted_jalali = '{}', revocation_deadline = '{}' \
                 WHERE tracking_code = '{}'",
                submitted.to_machine(),
                deadline.to_machine(),
                digits(code)
            ),
        );
        assert_eq!(moved, 1);
    };
    backdate(&env, &code);
    // The pass of this hour already ran at the first start; a restart after it is due again
    // runs it at once.
    let due_now = |env: &Env| {
        sql(
            env.data(),
            "UPDATE task_runs SET due_at = 0 WHERE task = 'reminders'",
        )
    };
    // The server claims the hour's pass on a task of its own soon after it answers: wait for
    // the claim rather than assume it came first.
    let wait = Instant::now() + Duration::from_secs(30);
    while count(
        env.data(),
        "SELECT COUNT(*) FROM task_runs WHERE task = 'reminders'",
    ) == 0
    {
        assert!(
            Instant::now() < wait,
            "the first start never claimed the pass"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(due_now(&env), 1, "the first start claimed the hour's pass");
    env.restart();
    let wait = Instant::now() + Duration::from_secs(30);
    while kinds(env.data(), &code).is_empty() {
        assert!(Instant::now() < wait, "the server's pass queued nothing");
        std::thread::sleep(Duration::from_millis(100));
    }
    wait_sent(env.data(), &deadline.to_long_fa());
    // Due again and restarted: the pass runs — it queues a later withdrawal's reminder, after
    // the first one's (the candidates in order) — and queues nothing twice.
    let (later, _) = env.withdrawal(952);
    backdate(&env, &later);
    assert_eq!(due_now(&env), 1);
    env.restart();
    let wait = Instant::now() + Duration::from_secs(30);
    while kinds(env.data(), &later).is_empty() {
        assert!(Instant::now() < wait, "the pass did not run again");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(kinds(env.data(), &code), ["reminder:revocation_deadline_3"]);
    assert_eq!(
        kinds(env.data(), &later),
        ["reminder:revocation_deadline_3"]
    );
}
