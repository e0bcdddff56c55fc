//! Uploads (issue 13, hole 7), over a real socket against a real database: only a signed-in
//! applicant uploads (a person session with its CSRF token, or an applicant session), each
//! person within a daily quota (files and bytes), files no request references removed after 24
//! hours while referenced and fresh ones stay, a disk too full (`--min-free-disk`) or a write
//! failing mid-file (a file size limit on the server's process) answered 507 with nothing left
//! behind, and (issue 14) a file one server received served to a clerk by another server on the
//! same database — on PostgreSQL from the database, with no file on any disk.

mod common;
mod submit;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{sign_in, sign_in_for, Person, PersonSession, Server, TempDir};
use serde_json::json;
use server::domain::accounts::DEMO_PASSWORD;
use submit::{client, new_key, submit, upload, upload_with, withdrawal, Answer};

fn start(name: &str, args: &[&str]) -> (Server, TempDir) {
    let dist = TempDir::new(&format!("uploads-{name}"));
    dist.write("index.html", b"<!doctype html><title>x</title>");
    (common::serve_args(&dist.0, args), dist)
}

/// A PDF of `n` bytes, different for each `seed`.
fn pdf(n: usize, seed: u8) -> Vec<u8> {
    let mut bytes = format!("%PDF-1.4\n{seed}\n").into_bytes();
    bytes.resize(n, b'x');
    bytes
}

/// Someone signed in, by a national ID made from `n`.
fn person(data_dir: &Path, n: u32) -> PersonSession {
    sign_in(
        data_dir,
        &Person {
            national_id: submit::national_id(n),
            ..Person::default()
        },
    )
}

/// Files on disk under `<data-dir>/attachments/` (the temporary folder included).
fn files_on_disk(data_dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![data_dir.join("attachments")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap().flatten() {
            if entry.path().is_dir() {
                folders.push(entry.path());
            } else {
                found.push(entry.path().display().to_string());
            }
        }
    }
    found
}

fn count(data_dir: &Path, table: &str) -> i64 {
    common::count(data_dir, &format!("SELECT COUNT(*) FROM {table}"))
}

/// Whether the server's database is PostgreSQL (else SQLite, the data directory's file).
fn on_postgres(s: &Server) -> bool {
    common::database_url(&s.data_dir).is_some()
}

/// Whether the bytes of the file `sha256` are where the server's store keeps them.
fn bytes_kept(s: &Server, sha256: &str) -> bool {
    common::bytes_kept(&s.data_dir, sha256)
}

#[test]
fn only_a_signed_in_applicant_uploads() {
    let (s, _dist) = start("who", &[]);
    let c = client();
    let anonymous = upload_with(&c, &s.base, &[], pdf(100, 1));
    assert_eq!(
        (anonymous.status, anonymous.code()),
        (401, "SIGN_IN_REQUIRED"),
        "{}",
        anonymous.body
    );
    let who = person(&s.data_dir, 11);
    let no_csrf = upload_with(&c, &s.base, &[("cookie", &who.cookie)], pdf(100, 1));
    assert_eq!(no_csrf.status, 403, "{}", no_csrf.body);
    let forged = upload_with(
        &c,
        &s.base,
        &[("authorization", "Bearer 00112233445566778899aabbccddeeff")],
        pdf(100, 1),
    );
    assert_eq!(forged.status, 401, "{}", forged.body);
    assert_eq!(count(&s.data_dir, "attachments"), 0);
    assert!(files_on_disk(&s.data_dir).is_empty());

    let signed_in = upload(&c, &s.base, &who, pdf(100, 1));
    assert_eq!(signed_in.status, 201, "{}", signed_in.body);

    // The applicant session of a filed request (a correction's files).
    let body = json!({"kind": "clearance", "national_id": submit::national_id(12),
                      "answers": {"reason": "withdrawal", "evening_course": false}});
    let filer = sign_in_for(&s.data_dir, &body);
    let filed = submit(
        &c,
        &s.base,
        Some(&filer),
        Some(&new_key()),
        &body.to_string(),
    )
    .unwrap();
    assert_eq!(filed.status, 201, "{}", filed.body);
    let token = "0123456789abcdef0123456789abcdef";
    common::sql(
        &s.data_dir,
        &format!(
            "INSERT INTO applicant_sessions (token_sha256, request_id, created_at, expires_at) \
             SELECT '{}', id, 0, 9999999999 FROM requests",
            server::domain::accounts::token_hash(token)
        ),
    );
    let bearer = format!("Bearer {token}");
    let by_applicant = upload_with(&c, &s.base, &[("authorization", &bearer)], pdf(100, 2));
    assert_eq!(by_applicant.status, 201, "{}", by_applicant.body);
}

/// The quota's refusal: 429, `UPLOAD_QUOTA`, naming the field `file`.
fn assert_over_quota(a: &Answer) {
    assert_eq!((a.status, a.code()), (429, "UPLOAD_QUOTA"), "{}", a.body);
    assert_eq!(a.body["error"]["field"], "file", "{}", a.body);
    assert!(a.headers.contains_key("retry-after"));
}

#[test]
fn each_person_uploads_within_a_daily_quota_of_files_and_bytes() {
    let (s, _dist) = start(
        "quota",
        &["--uploads-per-day", "2", "--upload-bytes-per-day", "3000"],
    );
    let c = client();
    let one = person(&s.data_dir, 21);
    assert_eq!(upload(&c, &s.base, &one, pdf(100, 1)).status, 201);
    assert_eq!(upload(&c, &s.base, &one, pdf(100, 2)).status, 201);
    assert_over_quota(&upload(&c, &s.base, &one, pdf(100, 3)));
    // Another person has a quota of their own.
    let two = person(&s.data_dir, 22);
    assert_eq!(upload(&c, &s.base, &two, pdf(2000, 4)).status, 201);
    // Bytes: 2000 + 2000 > 3000, refused whole, nothing kept of it.
    let before = files_on_disk(&s.data_dir).len();
    assert_over_quota(&upload(&c, &s.base, &two, pdf(2000, 5)));
    assert_eq!(files_on_disk(&s.data_dir).len(), before);
    assert_eq!(count(&s.data_dir, "attachments"), 3);
    // A day later the quota is whole again (the uploads of a day ago no longer count).
    common::sql(
        &s.data_dir,
        "UPDATE uploads SET created_at = created_at - 86401",
    );
    assert_eq!(upload(&c, &s.base, &one, pdf(100, 3)).status, 201);
}

/// Waits (at most 20 s) until the bytes of the file `sha256` are gone ([`bytes_kept`]).
fn wait_gone(s: &Server, sha256: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while bytes_kept(s, sha256) {
        assert!(Instant::now() < deadline, "{sha256} is still there");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn files_no_request_references_are_removed_after_a_day() {
    let (s, _dist) = start("sweep", &["--upload-sweep-seconds", "1"]);
    let c = client();
    let body_for = |form: &serde_json::Value| withdrawal(form);
    let who = sign_in_for(&s.data_dir, &body_for(&json!({})));
    let referenced = upload(&c, &s.base, &who, pdf(100, 1));
    let stale = upload(&c, &s.base, &who, pdf(100, 2));
    let fresh = upload(&c, &s.base, &who, pdf(100, 3));
    for a in [&referenced, &stale, &fresh] {
        assert_eq!(a.status, 201, "{}", a.body);
    }
    let body = body_for(&referenced.body);
    let filed = submit(&c, &s.base, Some(&who), Some(&new_key()), &body.to_string()).unwrap();
    assert_eq!(filed.status, 201, "{}", filed.body);
    let sha = |a: &Answer| a.body["sha256"].as_str().unwrap().to_owned();
    // The referenced and the stale file were uploaded 25 hours ago.
    for table in ["attachments", "uploads"] {
        common::sql(
            &s.data_dir,
            &format!(
                "UPDATE {table} SET created_at = created_at - 90000 WHERE sha256 IN ('{}', '{}')",
                sha(&referenced),
                sha(&stale)
            ),
        );
    }
    wait_gone(&s, &sha(&stale));
    let rows = |a: &Answer| {
        common::count(
            &s.data_dir,
            &format!(
                "SELECT COUNT(*) FROM attachments WHERE sha256 = '{}'",
                sha(a)
            ),
        )
    };
    assert_eq!(
        rows(&stale),
        0,
        "the stale upload's row is gone with its file"
    );
    assert_eq!(rows(&referenced), 1);
    assert_eq!(rows(&fresh), 1);
    assert!(bytes_kept(&s, &sha(&referenced)) && bytes_kept(&s, &sha(&fresh)));
}

#[test]
fn a_file_one_server_received_is_served_to_a_clerk_by_another_on_the_same_database() {
    // Two instances on one database: the same data directory (on SQLite its file is the
    // database; on PostgreSQL they share the directory's database and its key, nothing else).
    let (one, dist) = start("shared", &["--demo-users"]);
    let other = common::serve_with(&dist.0, &one.data_dir, &["--demo-users"]);
    let c = client();
    let who = sign_in_for(&one.data_dir, &withdrawal(&json!({})));
    let form = pdf(300_000, 7);
    let uploaded = upload(&c, &one.base, &who, form.clone());
    assert_eq!(uploaded.status, 201, "{}", uploaded.body);
    let body = withdrawal(&uploaded.body);
    let filed = submit(
        &c,
        &one.base,
        Some(&who),
        Some(&new_key()),
        &body.to_string(),
    )
    .unwrap();
    assert_eq!(filed.status, 201, "{}", filed.body);
    let sha256 = uploaded.body["sha256"].as_str().unwrap();
    assert!(bytes_kept(&one, sha256));
    if on_postgres(&one) {
        // No instance's disk holds the file: the other server can only read it from the
        // database. Even the folder of uploads being received goes.
        assert!(files_on_disk(&one.data_dir).is_empty());
        std::fs::remove_dir_all(one.data_dir.join("attachments")).unwrap();
    }

    let clerk = common::staff_login(&other.base, "faculty", DEMO_PASSWORD);
    let get = |path: &str| {
        c.get(format!("{}{path}", other.base))
            .header("cookie", &clerk.cookie)
            .send()
            .unwrap()
    };
    let cartable: serde_json::Value = get("/api/v1/staff/cartable").json().unwrap();
    let row = &cartable["requests"][0];
    assert_eq!(
        row["tracking_code"], filed.body["tracking_code"],
        "{cartable}"
    );
    let detail: serde_json::Value = get(&format!(
        "/api/v1/staff/requests/{}",
        row["handle"].as_str().unwrap()
    ))
    .json()
    .unwrap();
    let file = &detail["attachments"][0];
    assert_eq!(file["sha256"], sha256, "{detail}");
    let served = get(file["url"].as_str().unwrap());
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "application/pdf");
    assert_eq!(served.bytes().unwrap().as_ref(), form.as_slice());
}

#[test]
fn a_disk_too_full_answers_507_and_keeps_nothing() {
    // More free space asked for than any disk has.
    let (s, _dist) = start("full", &["--min-free-disk", "1125899906842624"]);
    let who = person(&s.data_dir, 31);
    let a = upload(&client(), &s.base, &who, pdf(1000, 1));
    assert_eq!(
        (a.status, a.code()),
        (507, "INSUFFICIENT_STORAGE"),
        "{}",
        a.body
    );
    assert_eq!(a.body["error"]["field"], "file", "{}", a.body);
    assert!(files_on_disk(&s.data_dir).is_empty());
    assert_eq!(count(&s.data_dir, "attachments"), 0);
    assert_eq!(count(&s.data_dir, "uploads"), 0);
}

#[test]
fn a_write_failing_mid_file_answers_507_and_keeps_nothing() {
    // The server's files may not grow past 2 MiB (`ulimit -f`, in KiB), the signal that limit
    // raises ignored, so a write past it fails (EFBIG) as a full disk's would (ENOSPC).
    let dist = TempDir::new("uploads-midfile");
    dist.write("index.html", b"<!doctype html><title>x</title>");
    let data = TempDir::new("uploads-midfile-data");
    let s = common::serve_through(
        &[
            "bash",
            "-c",
            "trap '' XFSZ; ulimit -f 2048; exec \"$0\" \"$@\"",
        ],
        &dist.0,
        &data.0,
        &[],
        Stdio::null(),
    );
    let who = person(&s.data_dir, 41);
    let c = client();
    let a = upload(&c, &s.base, &who, pdf(4 * 1024 * 1024, 1));
    assert_eq!(
        (a.status, a.code()),
        (507, "INSUFFICIENT_STORAGE"),
        "{}",
        a.body
    );
    assert!(files_on_disk(&s.data_dir).is_empty());
    assert_eq!(count(&s.data_dir, "attachments"), 0);
    // The server goes on: a small file is stored.
    assert_eq!(upload(&c, &s.base, &who, pdf(1000, 2)).status, 201);
}
