//! Backups (docs/deploy.md, "Backups") over a real socket against a real SQLite file: clients
//! file withdrawals with an uploaded form continuously while `pishkhan backup` runs; the archive
//! is private (0600); `pishkhan restore` refuses a non-empty directory and brings the archive
//! back into an empty one; served from there, every filing acknowledged before the backup
//! started is found, every restored request has its files, and the audit chain verifies.

mod common;
mod submit;

use std::ffi::OsStr;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{rows, Person, TempDir};
use serde_json::json;
use submit::{answer, lookup, national_id, new_key};

/// A filing the server acknowledged: its tracking code and whose it is.
#[derive(Clone, Debug)]
struct Filed {
    code: String,
    national_id: String,
}

/// Runs `pishkhan` with these arguments.
fn pishkhan(args: &[&OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pishkhan"))
        .args(args)
        .output()
        .unwrap()
}

/// Files withdrawals, each with a form of its own, until `stop`; every acknowledged one is
/// pushed to `filed`.
fn client_loop(
    base: String,
    data: std::path::PathBuf,
    next: Arc<AtomicU32>,
    stop: Arc<AtomicBool>,
    filed: Arc<Mutex<Vec<Filed>>>,
) {
    let http = submit::client();
    while !stop.load(Ordering::Relaxed) {
        let n = next.fetch_add(1, Ordering::Relaxed);
        let id = national_id(700_000 + n);
        let me = common::sign_in(
            &data,
            &Person {
                national_id: id.clone(),
                ..Person::default()
            },
        );
        let form = answer(
            http.post(format!("{base}/api/v1/attachments"))
                .header("content-type", "application/octet-stream")
                .header("cookie", &me.cookie)
                .header("x-csrf-token", &me.csrf)
                .body(format!("%PDF-1.4\nform of filing {n}").into_bytes())
                .send()
                .unwrap(),
        );
        assert_eq!(form.status, 201, "{}", form.body);
        let mut body = submit::withdrawal(&form.body);
        body["national_id"] = json!(id);
        let person = Person::of_request(&body);
        let me = common::sign_in(&data, &person);
        let a =
            submit::submit(&http, &base, Some(&me), Some(&new_key()), &body.to_string()).unwrap();
        assert_eq!(a.status, 201, "{}", a.body);
        filed.lock().unwrap().push(Filed {
            code: a.body["tracking_code"].as_str().unwrap().to_owned(),
            national_id: id,
        });
    }
}

fn wait_for(filed: &Mutex<Vec<Filed>>, at_least: usize) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while filed.lock().unwrap().len() < at_least {
        assert!(Instant::now() < deadline, "the clients stalled");
        std::thread::yield_now();
    }
}

#[test]
fn a_backup_taken_under_load_restores_every_acknowledged_filing_whole() {
    let dist = TempDir::new("bk-dist");
    dist.write("index.html", b"<!doctype html><title>app</title>");
    let live = common::serve_args(&dist.0, &["--lookups-per-minute", "100000"]);
    let filed = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let next = Arc::new(AtomicU32::new(0));
    let clients: Vec<_> = (0..3)
        .map(|_| {
            let (base, data) = (live.base.clone(), live.data_dir.clone());
            let (next, stop, filed) = (next.clone(), stop.clone(), filed.clone());
            std::thread::spawn(move || client_loop(base, data, next, stop, filed))
        })
        .collect();

    wait_for(&filed, 30);
    let before: Vec<Filed> = filed.lock().unwrap().clone();
    let out_dir = TempDir::new("bk-out");
    let archive = out_dir.0.join("pishkhan.tar");
    let backup = pishkhan(&[
        "backup".as_ref(),
        "--data-dir".as_ref(),
        live.data_dir.as_os_str(),
        "--to".as_ref(),
        archive.as_os_str(),
    ]);
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    // The load went on during and after the backup.
    wait_for(&filed, before.len() + 15);
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&archive).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Only the archive is left beside it (no temporary file).
    assert_eq!(std::fs::read_dir(&out_dir.0).unwrap().count(), 1);

    // Restore refuses a directory that is not empty.
    let busy = TempDir::new("bk-busy");
    busy.write("something", b"x");
    let restore = |into: &OsStr| {
        pishkhan(&[
            "restore".as_ref(),
            "--from".as_ref(),
            archive.as_os_str(),
            "--data-dir".as_ref(),
            into,
        ])
    };
    let refused = restore(busy.0.as_os_str());
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("data-dir"));

    let restored_dir = TempDir::new("bk-restored");
    let target = restored_dir.0.join("data");
    let restored = restore(target.as_os_str());
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert!(String::from_utf8_lossy(&restored.stdout).contains("verified"));
    assert_eq!(
        std::fs::read(target.join("secret.key")).unwrap(),
        std::fs::read(live.data_dir.join("secret.key")).unwrap()
    );
    drop(live);

    // Served from the restored directory: every filing acknowledged before the backup began.
    let server = common::serve_with(
        &dist.0,
        &target,
        &["--demo-users", "--lookups-per-minute", "100000"],
    );
    let http = submit::client();
    for f in &before {
        let found = lookup(&http, &server.base, &f.code, &f.national_id);
        assert_eq!(found.status, 200, "{} lost: {}", f.code, found.body);
    }
    // Every restored request is whole: its files are there, as uploaded.
    let links = rows(
        &target,
        "SELECT r.tracking_code, a.path, a.sha256 FROM requests r \
         JOIN request_attachments ra ON ra.request_id = r.id \
         JOIN attachments a ON a.sha256 = ra.sha256",
    );
    let requests = common::count(&target, "SELECT COUNT(*) FROM requests");
    assert!(requests as usize >= before.len());
    assert_eq!(links.len() as i64, requests, "one form per withdrawal");
    for link in &links {
        use sha2::{Digest, Sha256};
        let bytes = std::fs::read(target.join(link[1].as_deref().unwrap())).unwrap();
        assert_eq!(
            server::hex(&Sha256::digest(&bytes)),
            link[2].as_deref().unwrap()
        );
    }
    // And the chain verifies through the API.
    let cookie = common::staff_login(&server.base, "admin", "pishkhan-demo").cookie;
    let verify = answer(
        http.get(format!("{}/api/v1/admin/audit/verify", server.base))
            .header("cookie", cookie)
            .send()
            .unwrap(),
    );
    assert_eq!(verify.body["ok"], true, "{}", verify.body);
    assert_eq!(verify.body["requests"], requests);
}
