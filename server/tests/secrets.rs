//! Secrets at rest (issue 13, hole 6), over a real socket against a real database: the
//! server's key file (`<data-dir>/secret.key`: made once, 32 bytes, mode 0600, checked at
//! start), one-time codes stored by an HMAC under it (not a SHA-256 of six digits), and a code
//! gone from the stored notification (the database row and the admin's API) once its SMS is
//! sent, while the development SMS log still carries it.

mod common;
mod submit;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;

use common::{Server, TempDir};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::{Digest, Sha256};
use submit::{answer, client, post_json};

/// The demo roster's first person (README, "Demo roster").
const ALI: (&str, &str) = ("0123456789", "09120000001");

/// `serve --demo-users --sms-log` (the demo roster too) with a data directory of its own, its
/// log (standard error) in `<dist>/server.log`.
fn start(name: &str) -> (Server, TempDir, TempDir) {
    let dist = TempDir::new(&format!("secrets-dist-{name}"));
    dist.write("index.html", b"<!doctype html><title>x</title>");
    let data = TempDir::new(&format!("secrets-data-{name}"));
    let log = std::fs::File::create(dist.0.join("server.log")).unwrap();
    let server = common::serve_logging(
        &dist.0,
        &data.0,
        &["--demo-users", "--lookups-per-minute", "1000"],
        Stdio::from(log),
    );
    (server, data, dist)
}

/// The key file of a data directory.
fn key_of(data_dir: &Path) -> Vec<u8> {
    std::fs::read(data_dir.join("secret.key")).expect("the server made its key file")
}

/// HMAC-SHA256 under `key` of `purpose`, `subject` and `code`, each after a NUL but the first
/// (as docs/security.md words the stored form), in hex.
fn hmac_hex(key: &[u8], purpose: &str, subject: &str, code: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(format!("{purpose}\0{subject}\0{code}").as_bytes());
    server::hex(&mac.finalize().into_bytes())
}

/// Asks for ALI's sign-in code: the six digits as the SMS log carries them.
fn ask_code(s: &Server) -> String {
    let before = common::sms_lines(&s.data_dir).len();
    let sent = post_json(
        &client(),
        &s.base,
        "/api/v1/signin/code",
        &json!({"national_id": ALI.0}),
    );
    assert_eq!(sent.status, 202, "{}", sent.body);
    common::code_for(&s.data_dir, ALI.1, before)
}

/// The stored form of ALI's latest sign-in code.
fn stored_code(data_dir: &Path) -> String {
    common::rows(
        data_dir,
        &format!(
            "SELECT code_hmac FROM person_codes WHERE national_id = '{}' ORDER BY id DESC LIMIT 1",
            ALI.0
        ),
    )[0][0]
        .clone()
        .unwrap()
}

#[test]
fn codes_are_stored_by_an_hmac_under_each_servers_own_key() {
    let (one, data_one, _d1) = start("hmac-one");
    let (two, data_two, _d2) = start("hmac-two");
    let (key_one, key_two) = (key_of(&data_one.0), key_of(&data_two.0));
    assert_eq!(key_one.len(), 32);
    assert_ne!(key_one, key_two, "each data directory has a key of its own");

    let code = ask_code(&one);
    let stored = stored_code(&one.data_dir);
    // Not the SHA-256 of the digits (one million guesses from a copy of the database).
    let sha = |s: String| server::hex(&Sha256::digest(s.as_bytes()));
    assert_ne!(stored, sha(code.clone()));
    assert_ne!(stored, sha(format!("person:{}:{code}", ALI.0)));
    // The HMAC under this server's key, which another server's key does not give.
    assert_eq!(stored, hmac_hex(&key_one, "person", ALI.0, &code));
    assert_ne!(stored, hmac_hex(&key_two, "person", ALI.0, &code));

    // The code still signs in (compared in constant time with what is stored).
    let verified = post_json(
        &client(),
        &one.base,
        "/api/v1/signin/verify",
        &json!({"national_id": ALI.0, "code": code}),
    );
    assert_eq!(verified.status, 200, "{}", verified.body);

    // A restart keeps the key: a code asked for before it still works after.
    let code = ask_code(&two);
    drop(two);
    let dist = TempDir::new("secrets-dist-hmac-again");
    dist.write("index.html", b"<!doctype html><title>x</title>");
    let again = common::serve_with(&dist.0, &data_two.0, &["--lookups-per-minute", "1000"]);
    assert_eq!(key_of(&data_two.0), key_two);
    let verified = post_json(
        &client(),
        &again.base,
        "/api/v1/signin/verify",
        &json!({"national_id": ALI.0, "code": code}),
    );
    assert_eq!(verified.status, 200, "{}", verified.body);
}

#[test]
fn a_sent_code_is_kept_neither_in_the_notification_row_nor_in_the_admins_api() {
    let (s, data, dist) = start("masked");
    let code = ask_code(&s);
    let fa = rules::digits::to_persian_digits(&code);
    // The SMS is sent (it is in the log; the sender marks its row right after writing the line,
    // so wait for the mark): its row says when, and no longer holds the digits.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let rows = loop {
        let rows = common::rows(
            &data.0,
            "SELECT message_fa, message_en, sent_at FROM notifications WHERE kind = 'one_time_code'",
        );
        if rows.len() != 1 || rows[0][2].is_some() || std::time::Instant::now() > deadline {
            break rows;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(rows.len(), 1);
    assert!(rows[0][2].is_some(), "the SMS is marked sent");
    let stored = format!("{rows:?}");
    assert!(
        !stored.contains(&code) && !stored.contains(&fa),
        "the notification row still holds the code: {stored}"
    );
    assert_eq!(
        common::count(
            &data.0,
            "SELECT COUNT(*) FROM notifications WHERE secret IS NOT NULL"
        ),
        0
    );

    // Nor does the admin's notification list, anywhere in its answer.
    let cookie = common::staff_login(&s.base, "admin", "pishkhan-demo").cookie;
    let list = answer(
        client()
            .get(format!("{}/api/v1/admin/notifications", s.base))
            .header("cookie", cookie)
            .send()
            .unwrap(),
    );
    assert_eq!(list.status, 200, "{}", list.body);
    let text = list.body.to_string();
    assert!(
        !text.contains(&code) && !text.contains(&fa),
        "the admin reads the code: {text}"
    );
    assert_eq!(list.body["notifications"][0]["kind"], "one_time_code");

    // Nor does the server's log.
    let log = std::fs::read_to_string(dist.0.join("server.log")).unwrap();
    assert!(log.contains("listening"), "{log}");
    assert!(
        !log.contains(&code) && !log.contains(&fa),
        "the log holds the code: {log}"
    );
}

/// Runs `pishkhan serve` on a data directory expected to be refused: its exit status and
/// standard error.
fn refused_start(data_dir: &Path) -> (Option<i32>, String) {
    let dist = TempDir::new("secrets-dist-refused");
    let out = common::pishkhan(data_dir)
        .args(["serve", "--addr", "127.0.0.1:0", "--dist"])
        .arg(&dist.0)
        .arg("--data-dir")
        .arg(data_dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn the_key_file_is_made_once_private_and_a_bad_one_stops_the_start() {
    let (s, data, _dist) = start("keyfile");
    let path = data.0.join("secret.key");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "secret.key is private to the server's user");
    let key = key_of(&data.0);
    drop(s);

    // Readable by others: refused, saying which file and what to do.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (status, stderr) = refused_start(&data.0);
    assert_ne!(status, Some(0));
    assert!(
        stderr.contains("secret.key") && stderr.contains("0600"),
        "{stderr}"
    );
    assert_eq!(key_of(&data.0), key, "a refused start leaves the key alone");

    // Of the wrong length: refused too, never replaced.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::write(&path, &key[..16]).unwrap();
    let (status, stderr) = refused_start(&data.0);
    assert_ne!(status, Some(0));
    assert!(
        stderr.contains("secret.key") && stderr.contains("32 bytes"),
        "{stderr}"
    );
    assert_eq!(key_of(&data.0), key[..16].to_vec());
}
