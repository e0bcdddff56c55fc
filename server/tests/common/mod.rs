//! Shared by the server's integration tests: a real `pishkhan serve` process on a free port of
//! 127.0.0.1 with a data directory of its own, and a scratch `dist/` directory, all cleaned up
//! when dropped.
#![allow(dead_code)] // each test binary uses its own part of this module

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A `pishkhan serve` process, killed when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:<port>`, as the server printed it.
    pub base: String,
    /// The data directory [`serve`] made for this server (removed after it).
    _data: Option<TempDir>,
}

impl Server {
    /// Kills the process at once (SIGKILL), as a crash would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `pishkhan serve --addr 127.0.0.1:0 --dist <dist>` with a fresh data directory of its
/// own and reads the address it bound.
pub fn serve(dist: &Path) -> Server {
    serve_args(dist, &[])
}

/// [`serve`] with further arguments.
pub fn serve_args(dist: &Path, args: &[&str]) -> Server {
    static N: AtomicUsize = AtomicUsize::new(0);
    let data = TempDir::new(&format!("data-{}", N.fetch_add(1, Ordering::Relaxed)));
    let mut server = serve_with(dist, &data.0, args);
    server._data = Some(data);
    server
}

/// Starts `pishkhan serve` on a free port with the given data directory and further arguments.
pub fn serve_with(dist: &Path, data_dir: &Path, args: &[&str]) -> Server {
    serve_logging(dist, data_dir, args, Stdio::null())
}

/// [`serve_with`], its log (standard error) going to `log`.
pub fn serve_logging(dist: &Path, data_dir: &Path, args: &[&str], log: Stdio) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pishkhan"))
        .args(["serve", "--addr", "127.0.0.1:0", "--dist"])
        .arg(dist)
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("pishkhan starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base = first
        .trim()
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(
        base.starts_with("http://127.0.0.1:"),
        "unexpected first line: {first}"
    );
    Server {
        child,
        base,
        _data: None,
    }
}

/// A scratch directory under the system's temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A fresh, empty directory named after `prefix`, the process and the thread.
    pub fn new(prefix: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "pishkhan-{prefix}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// Writes a file (creating its folders) below the directory.
    pub fn write(&self, name: &str, bytes: &[u8]) {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs one SQL statement on the database of a data directory (a test moving the clock of a
/// stored row, as the workflow would); how many rows it changed.
pub fn sql(data_dir: &Path, statement: &str) -> u64 {
    use sqlx::Connection;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let url = format!("sqlite://{}", data_dir.join("pishkhan.sqlite3").display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        let done = sqlx::query(statement).execute(&mut conn).await.unwrap();
        done.rows_affected()
    })
}
