//! Retention (docs/retention.md) over a real socket against a real database: a cancelled A2
//! permit past its period is erased by `pishkhan purge` — body, files, national ID and mobile gone
//! from every table and from disk, a tombstone the staff see as "erased under retention" — while
//! the audit chain still verifies and what is not due stays; `--dry-run` only counts; and a
//! database of the chain's older, unkeyed form verifies after migration 0009 (a broken one still
//! shows as broken).

mod common;
mod submit;

use std::path::Path;

use common::{count, now, rows, sql};
use rules::workflow::Role;
use rules::JalaliDate;
use serde_json::{json, Value};
use submit::{answer, national_id, upload, Answer};

const DAY: i64 = 86_400;

/// A staff member signed in: cookie and CSRF token.
struct Clerk {
    cookie: String,
    csrf: String,
}

struct Env {
    site: common::DemoSite,
    http: reqwest::blocking::Client,
}

fn start(name: &str) -> Env {
    Env {
        site: common::DemoSite::start("ret", name),
        http: submit::client(),
    }
}

impl Env {
    fn base(&self) -> &str {
        self.site.base()
    }

    fn clerk(&self, role: &Role) -> Clerk {
        let user = server::domain::accounts::demo_username(role).unwrap();
        let session = common::staff_login(self.base(), &user, "pishkhan-demo");
        Clerk {
            cookie: session.cookie,
            csrf: session.csrf,
        }
    }

    fn get(&self, c: &Clerk, path: &str) -> Answer {
        answer(
            self.http
                .get(format!("{}{path}", self.base()))
                .header("cookie", &c.cookie)
                .send()
                .unwrap(),
        )
    }

    fn post(&self, c: &Clerk, path: &str, body: &Value) -> Answer {
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

    /// Files an A2 exemption at the police office for this person and walks it to the deputy's
    /// decision: `cancel_permit` (with a note naming the person) or `issue`. Its tracking code.
    fn a2(&self, id: &str, mobile: &str, last: &str) -> String {
        let today = JalaliDate::today_in_tehran(now());
        let answers = common::a2_answers(id, mobile, today.add_months(-1));
        let police = self.clerk(&Role::PoliceOffice);
        let filed = self.post(
            &police,
            "/api/v1/staff/requests",
            &json!({"answers": answers}),
        );
        assert_eq!(filed.status, 201, "{}", filed.body);
        let code = filed.body["tracking_code"].as_str().unwrap().to_owned();
        let steps = [
            (Role::PoliceOffice, "grant_permit", json!({})),
            (Role::UniversityUser, "submit_admitted_list", json!({})),
            (
                Role::ConscriptionDeputy,
                last,
                json!({"note": format!("{id}: not admitted")}),
            ),
        ];
        for (version, (role, action, data)) in (1..).zip(steps) {
            let clerk = self.clerk(&role);
            let path = format!("{}/actions", self.staff_url(&code));
            let version = self.get(&clerk, &self.staff_url(&code)).body["version"]
                .as_i64()
                .unwrap_or(version);
            let moved = self.post(
                &clerk,
                &path,
                &json!({"action": action, "version": version, "data": data}),
            );
            assert_eq!(moved.status, 200, "{action}: {}", moved.body);
        }
        code
    }

    /// The staff API's URL of a request: `/api/v1/staff/requests/{handle}`.
    fn staff_url(&self, code: &str) -> String {
        common::staff_url(&self.site.data.0, code)
    }

    /// Uploads a file, as a signed-in person, and links it to the request, as the office's
    /// scanned papers.
    fn attach(&self, code: &str, field: &str, bytes: &[u8]) -> String {
        let uploader = common::sign_in(
            &self.site.data.0,
            &common::Person {
                national_id: "0084575948".to_owned(),
                ..Default::default()
            },
        );
        let up = upload(&self.http, self.base(), &uploader, bytes.to_vec());
        assert_eq!(up.status, 201, "{}", up.body);
        // Signed out again, so that the purge's counts hold the request's people only.
        let out = self
            .http
            .post(format!("{}/api/v1/signin/logout", self.base()))
            .header("cookie", &uploader.cookie)
            .header("x-csrf-token", &uploader.csrf)
            .send()
            .unwrap();
        assert!(out.status().is_success(), "{}", out.status());
        let sha = up.body["sha256"].as_str().unwrap().to_owned();
        let linked = sql(
            &self.site.data.0,
            &format!(
                "INSERT INTO request_attachments (request_id, field, sha256, file_name) \
                 SELECT id, '{field}', '{sha}', '{field}.pdf' FROM requests \
                 WHERE tracking_code = '{}'",
                digits(code)
            ),
        );
        assert_eq!(linked, 1);
        sha
    }
}

fn digits(code: &str) -> String {
    code.replace('-', "")
}

/// `pishkhan purge --data-dir … [more]`: its standard output (it must succeed).
fn purge(data_dir: &Path, more: &[&str]) -> String {
    common::pishkhan_ok(data_dir, &["purge"], more)
}

/// Every file below the data directory `dir` and its database's folders wherever they are
/// ([`common::database_dirs`]), but the demo's SMS centre (`sms.log`, docs/retention.md), that
/// holds `needle`.
fn files_holding(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    stack.extend(common::database_dirs(dir));
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != "sms.log") {
                let bytes = std::fs::read(&path).unwrap_or_default();
                if bytes.windows(needle.len()).any(|w| w == needle) {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    found
}

fn request_row(data: &Path, code: &str) -> Vec<Option<String>> {
    rows(
        data,
        &format!(
            "SELECT national_id, body, mobile, identity_mobile, university, county, erased_at, \
             status FROM requests WHERE tracking_code = '{}'",
            digits(code)
        ),
    )
    .remove(0)
}

#[test]
fn a_cancelled_a2_permit_past_its_period_is_erased_and_the_chain_still_verifies() {
    let env = start("a2");
    let data = env.site.data.0.clone();
    let (gone_id, gone_mobile) = (national_id(913_001), "09357771122");
    let (kept_id, kept_mobile) = (national_id(913_002), "09357771133");
    let issued_id = national_id(913_003);
    let gone = env.a2(&gone_id, gone_mobile, "cancel_permit");
    let kept = env.a2(&kept_id, kept_mobile, "cancel_permit");
    let issued = env.a2(&issued_id, "09357771144", "issue");
    let private_sha = env.attach(&gone, "scan", b"%PDF-1.4\nonly the cancelled one's papers");
    let shared = b"%PDF-1.4\nthe same papers in both";
    let shared_sha = env.attach(&gone, "form", shared);
    assert_eq!(env.attach(&kept, "form", shared), shared_sha);
    // Where the store keeps a file's bytes: the data directory's disk, or the database.
    let file_kept = |sha: &str| common::bytes_kept(&data, sha);
    assert!(file_kept(&private_sha) && file_kept(&shared_sha));
    // A person signed in now: their session has expired 20 days from now.
    common::sign_in(
        &data,
        &common::Person {
            national_id: national_id(913_004),
            ..Default::default()
        },
    );
    // The first was cancelled 15 days ago; the purge runs 20 days from now: 35 days after the
    // first cancellation (due: 30), 20 after the second (not due).
    sql(
        &data,
        &format!(
            "UPDATE requests SET updated_at = updated_at - {} WHERE tracking_code = '{}'",
            15 * DAY,
            digits(&gone)
        ),
    );
    let later = (now() + 20 * DAY).to_string();

    // A dry run counts and changes nothing.
    let dry = purge(&data, &["--dry-run", "--now", &later]);
    assert!(dry.starts_with("dry run"), "{dry}");
    for line in ["cancelled_a2_permit: 1", "file: 1", "person_session: 1"] {
        assert!(dry.lines().any(|l| l == line), "{line} in {dry}");
    }
    assert_eq!(
        request_row(&data, &gone)[0].as_deref(),
        Some(gone_id.as_str())
    );
    assert!(file_kept(&private_sha));

    // On PostgreSQL the erased values leave the database's files when the tables are rewritten
    // (`--compact`, docs/retention.md "On PostgreSQL"); on SQLite at every purge.
    let mut args = vec!["--now", later.as_str()];
    if common::test_database_url().is_some() {
        args.push("--compact");
    }
    let done = purge(&data, &args);
    assert_eq!(
        done.lines().skip(1).collect::<Vec<_>>(),
        dry.lines().skip(1).collect::<Vec<_>>()
    );
    // The tombstone: state and dates kept, every personal column gone.
    let row = request_row(&data, &gone);
    assert_eq!(row[0].as_deref(), Some(""));
    assert_eq!(row[1].as_deref(), Some("{}"));
    assert_eq!(&row[2..6], &[None, None, None, None]);
    assert!(row[6].is_some());
    assert_eq!(row[7].as_deref(), Some("permit_cancelled"));
    let gone_db_id = format!(
        "(SELECT id FROM requests WHERE tracking_code = '{}')",
        digits(&gone)
    );
    for table in [
        "request_attachments",
        "notifications",
        "one_time_codes",
        "applicant_sessions",
        "idempotency_keys",
        "art34_events",
    ] {
        assert_eq!(
            count(
                &data,
                &format!("SELECT COUNT(*) FROM {table} WHERE request_id = {gone_db_id}")
            ),
            0,
            "{table}"
        );
    }
    assert_eq!(
        count(
            &data,
            &format!(
                "SELECT COUNT(*) FROM audit WHERE request_id = {gone_db_id} \
                 AND (note IS NOT NULL OR data IS NOT NULL)"
            )
        ),
        0
    );
    assert_eq!(count(&data, "SELECT COUNT(*) FROM person_sessions"), 0);
    // Its own file is gone (from disk, or its bytes from the database) and from the table; the
    // one another request uses stays.
    assert!(!file_kept(&private_sha));
    assert_eq!(
        count(
            &data,
            &format!("SELECT COUNT(*) FROM attachments WHERE sha256 = '{private_sha}'")
        ),
        0
    );
    assert!(file_kept(&shared_sha));
    // The national ID and the mobile are in no file of the data directory any more.
    let mobile_digits = &gone_mobile[1..];
    assert_eq!(
        files_holding(&data, gone_id.as_bytes()),
        Vec::<String>::new()
    );
    assert_eq!(
        files_holding(&data, mobile_digits.as_bytes()),
        Vec::<String>::new()
    );
    // What is not due is untouched.
    for (code, id) in [(&kept, &kept_id), (&issued, &issued_id)] {
        let row = request_row(&data, code);
        assert_eq!(row[0].as_deref(), Some(id.as_str()));
        assert_eq!(row[6], None);
        assert_eq!(
            count(
                &data,
                &format!(
                    "SELECT COUNT(*) FROM audit a JOIN requests r ON r.id = a.request_id \
                     WHERE r.tracking_code = '{}' AND a.note IS NOT NULL",
                    digits(code)
                )
            ),
            1
        );
    }
    assert!(!files_holding(&data, kept_id.as_bytes()).is_empty());

    // The chain verifies, and the staff see the tombstone for what it is.
    let admin = env.clerk(&Role::Admin);
    let verify = env.get(&admin, "/api/v1/admin/audit/verify");
    assert_eq!(verify.body["ok"], true, "{}", verify.body);
    assert_eq!(verify.body["requests"], 3);
    let deputy = env.clerk(&Role::ConscriptionDeputy);
    let detail = env.get(&deputy, &env.staff_url(&gone));
    assert_eq!(detail.status, 200, "{}", detail.body);
    assert_eq!(detail.body["state"], "permit_cancelled");
    assert_eq!(
        detail.body["erased"]["message_en"],
        "Erased under retention"
    );
    assert_eq!(detail.body["national_id"], "");
    assert_eq!(detail.body["audit"].as_array().unwrap().len(), 4);
    let kept_detail = env.get(&deputy, &env.staff_url(&kept));
    assert_eq!(kept_detail.body.get("erased"), None);
    // Tampering with a kept request's note still shows.
    sql(
        &data,
        &format!(
            "UPDATE audit SET note = 'edited' WHERE note IS NOT NULL AND request_id = \
             (SELECT id FROM requests WHERE tracking_code = '{}')",
            digits(&kept)
        ),
    );
    let verify = env.get(&admin, "/api/v1/admin/audit/verify");
    assert_eq!(verify.body["ok"], false);
    assert_eq!(verify.body["broken"][0]["tracking_code"], kept.as_str());
    // A second purge finds nothing more of the kind.
    assert!(purge(&data, &["--now", &later])
        .lines()
        .any(|l| l == "cancelled_a2_permit: 0"));
}

/// The chain's unkeyed form (migrations 0002 to 0008), to write an old database with.
fn unkeyed_row_hash(prev: &str, request_id: i64, row: &[Option<String>]) -> String {
    use sha2::{Digest, Sha256};
    let text = |i: usize| row[i].clone();
    let fields = json!([
        request_id,
        row[1].as_deref().unwrap().parse::<i64>().unwrap(),
        text(2),
        text(3),
        text(4),
        text(5),
        text(6),
        text(7),
        server::hex(&Sha256::digest(row[8].as_deref().unwrap_or("").as_bytes())),
    ]);
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(fields.to_string().as_bytes());
    server::hex(&h.finalize())
}

/// Turns a data directory back into what the code before migration 0009 left: the audit chain
/// unkeyed, no note hashes, no erasure column, no secret key; `tamper` edits one note after.
fn make_old(data: &Path, tamper: bool) {
    use sha2::{Digest, Sha256};
    let requests = rows(data, "SELECT id, tracking_code FROM requests ORDER BY id");
    for r in &requests {
        let id: i64 = r[0].as_deref().unwrap().parse().unwrap();
        let code = r[1].as_deref().unwrap();
        let mut prev = server::hex(&Sha256::digest(format!("pishkhan-audit:{code}").as_bytes()));
        let audit = rows(
            data,
            &format!(
                "SELECT id, at, from_status, to_status, action, actor, actor_role, note, data \
                 FROM audit WHERE request_id = {id} ORDER BY id"
            ),
        );
        for row in &audit {
            let hash = unkeyed_row_hash(&prev, id, row);
            let data_hash =
                server::hex(&Sha256::digest(row[8].as_deref().unwrap_or("").as_bytes()));
            sql(
                data,
                &format!(
                    "UPDATE audit SET note_hash = NULL, data_hash = '{data_hash}', \
                     prev_hash = '{prev}', row_hash = '{hash}' WHERE id = {}",
                    row[0].as_deref().unwrap()
                ),
            );
            prev = hash;
        }
    }
    for statement in [
        "ALTER TABLE audit DROP COLUMN note_hash",
        "DROP INDEX requests_by_update",
        "ALTER TABLE requests DROP COLUMN erased_at",
        "DELETE FROM _sqlx_migrations WHERE version = 9",
    ] {
        sql(data, statement);
    }
    if tamper {
        sql(
            data,
            "UPDATE audit SET note = 'edited' WHERE note IS NOT NULL",
        );
    }
    std::fs::remove_file(data.join("secret.key")).unwrap();
}

#[test]
fn an_old_format_database_verifies_after_migration_and_a_broken_one_still_shows() {
    for tamper in [false, true] {
        let env = start(if tamper { "old-broken" } else { "old" });
        let cancelled = env.a2(&national_id(914_001), "09357772211", "cancel_permit");
        let issued = env.a2(&national_id(914_002), "09357772222", "issue");
        let mut env = env;
        env.site.stop();
        make_old(&env.site.data.0, tamper);
        assert!(!env.site.data.0.join("secret.key").exists());
        env.site.start_again();
        assert!(env.site.data.0.join("secret.key").exists());
        let admin = env.clerk(&Role::Admin);
        let verify = env.get(&admin, "/api/v1/admin/audit/verify");
        assert_eq!(verify.body["requests"], 2, "{}", verify.body);
        assert_eq!(verify.body["rows"], 8, "{}", verify.body);
        if tamper {
            // Both had a note edited before the migration: neither is laundered by it.
            assert_eq!(verify.body["ok"], false, "{}", verify.body);
            let broken: Vec<&str> = verify.body["broken"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b["tracking_code"].as_str().unwrap())
                .collect();
            assert_eq!(broken, [cancelled.as_str(), issued.as_str()]);
        } else {
            assert_eq!(verify.body["ok"], true, "{}", verify.body);
            // Converted: every row now holds its note's keyed hash.
            assert_eq!(
                count(
                    &env.site.data.0,
                    "SELECT COUNT(*) FROM audit WHERE note_hash IS NULL"
                ),
                0
            );
            // And the converted chain erases like a new one.
            sql(
                &env.site.data.0,
                &format!(
                    "UPDATE requests SET updated_at = updated_at - {} WHERE status = \
                     'permit_cancelled'",
                    31 * DAY
                ),
            );
            let out = purge(&env.site.data.0, &[]);
            assert!(out.lines().any(|l| l == "cancelled_a2_permit: 1"), "{out}");
            let verify = env.get(&admin, "/api/v1/admin/audit/verify");
            assert_eq!(verify.body["ok"], true, "{}", verify.body);
        }
    }
}
