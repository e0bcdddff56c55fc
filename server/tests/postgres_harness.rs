//! The tests' database harness (tests/common/mod.rs): with `PISHKHAN_TEST_DATABASE_URL` every
//! data directory has a PostgreSQL database of its own (the same one for the same directory, a
//! fresh one for a new directory, dropped with it), which `sql`/`rows`/`count` and every
//! `pishkhan` the tests start use and whose files on disk the tests can search; without it, the
//! SQLite file in the data directory, as always.

mod common;

use std::path::Path;

use common::{count, rows, sql, TempDir};

/// What `pishkhan` would be told about the database of `data_dir`: the `PISHKHAN_DATABASE` the
/// helper sets (Some(None): removed).
fn database_env(data_dir: &Path) -> Option<Option<String>> {
    common::pishkhan(data_dir)
        .get_envs()
        .find(|(k, _)| *k == "PISHKHAN_DATABASE")
        .map(|(_, v)| v.map(|v| v.to_string_lossy().into_owned()))
}

/// A table with three rows on the data directory's database; counted through the harness.
fn fill(data_dir: &Path) {
    sql(data_dir, "CREATE TABLE t (n BIGINT NOT NULL, s TEXT)");
    let inserted = sql(
        data_dir,
        "INSERT INTO t (n, s) VALUES (1, 'یک'), (2, NULL), (3, 'c')",
    );
    assert_eq!(inserted, 3);
    assert_eq!(count(data_dir, "SELECT COUNT(*) FROM t WHERE n >= 2"), 2);
    assert_eq!(
        rows(data_dir, "SELECT n, s FROM t ORDER BY n"),
        [
            [Some("1".to_owned()), Some("یک".to_owned())],
            [Some("2".to_owned()), None],
            [Some("3".to_owned()), Some("c".to_owned())],
        ]
    );
}

#[test]
fn a_server_url_names_another_database() {
    for (server, expected) in [
        (
            "postgres://postgres@127.0.0.1:5432/postgres",
            "postgres://postgres@127.0.0.1:5432/d",
        ),
        (
            "postgres://u:p@h:1/postgres?sslmode=disable",
            "postgres://u:p@h:1/d?sslmode=disable",
        ),
        (
            "postgres://h:1?sslmode=disable",
            "postgres://h:1/d?sslmode=disable",
        ),
        ("postgres://h", "postgres://h/d"),
    ] {
        assert_eq!(common::with_database(server, "d"), expected, "{server}");
    }
}

#[test]
fn each_data_directory_has_a_database_of_its_own() {
    let (a, b) = (TempDir::new("harness-a"), TempDir::new("harness-b"));
    let Some(server) = common::test_database_url() else {
        // SQLite: the file in the data directory, nothing else.
        assert_eq!(common::database_url(&a.0), None);
        assert_eq!(
            database_env(&a.0),
            Some(None),
            "PISHKHAN_DATABASE is removed"
        );
        std::fs::write(a.0.join("pishkhan.sqlite3"), b"").unwrap();
        fill(&a.0);
        let file = std::fs::read(a.0.join("pishkhan.sqlite3")).unwrap();
        assert!(
            file.starts_with(b"SQLite format 3\0"),
            "the rows went to the file"
        );
        assert!(common::database_dirs(&a.0).is_empty());
        return;
    };
    let (url_a, url_b) = (common::database_url(&a.0), common::database_url(&b.0));
    let url_a = url_a.expect("a database for a");
    assert_ne!(
        Some(&url_a),
        url_b.as_ref(),
        "two directories, two databases"
    );
    let name = common::database_name(&a.0);
    assert!(
        name.starts_with("pishkhan_t_") && name.len() == "pishkhan_t_".len() + 16,
        "{name}"
    );
    assert!(url_a.ends_with(&format!("/{name}")), "{url_a}");
    assert_eq!(
        url_a.rsplit_once('/').unwrap().0,
        server.rsplit_once('/').unwrap().0,
        "on the server of PISHKHAN_TEST_DATABASE_URL"
    );
    assert_eq!(database_env(&a.0), Some(Some(url_a.clone())));
    assert_eq!(
        rows(&a.0, "SELECT current_database()"),
        [[Some(name.clone())]]
    );

    fill(&a.0);
    // Its rows are in its folder of the cluster, on disk (a value is found in its files).
    let folders = common::database_dirs(&a.0);
    assert_eq!(folders.len(), 1);
    assert!(holds(&folders[0], "یک".as_bytes()), "{folders:?}");
    assert!(!holds(&folders[0], "no such value".as_bytes()));
    // b's database does not have a's table.
    assert_eq!(
        count(
            &b.0,
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 't'"
        ),
        0
    );
    // The same directory again (a server restarted on it): the same database, as it was; also
    // through another spelling of its path.
    let again = a.0.join("..").join(a.0.file_name().unwrap());
    assert_eq!(common::database_url(&again).as_ref(), Some(&url_a));
    assert_eq!(count(&again, "SELECT COUNT(*) FROM t"), 3);
    // Booleans read as SQLite stores them.
    assert_eq!(
        rows(&a.0, "SELECT n > 1, s IS NULL FROM t WHERE n = 2"),
        [[Some("1".to_owned()), Some("1".to_owned())]]
    );

    // A directory's database goes with it.
    let name_b = common::database_name(&b.0);
    assert!(database_exists(&name_b));
    drop(b);
    assert!(
        !database_exists(&name_b),
        "{name_b} dropped with its directory"
    );
    // A new directory of a former one's path (its drop never ran): a fresh, empty database.
    std::mem::forget(a);
    let a = TempDir::new("harness-a");
    assert_eq!(common::database_name(&a.0), name);
    assert_eq!(
        count(
            &a.0,
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 't'"
        ),
        0
    );
    fill(&a.0);
}

/// Whether a file of `folder` holds `needle`.
fn holds(folder: &Path, needle: &[u8]) -> bool {
    std::fs::read_dir(folder).unwrap().flatten().any(|f| {
        let bytes = std::fs::read(f.path()).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w == needle)
    })
}

/// Whether the PostgreSQL server has a database of that name.
fn database_exists(name: &str) -> bool {
    let asked = common::on_maintenance_database(vec![format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_database WHERE datname = '{name}') THEN \
         RAISE EXCEPTION 'no database {name}'; END IF; END $$"
    )]);
    match asked {
        Ok(()) => true,
        Err(e) if e.to_string().contains(&format!("no database {name}")) => false,
        Err(e) => panic!("asking for {name}: {e}"),
    }
}
