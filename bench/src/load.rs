//! Shared by the load generators (`submit_load`, `move_load`, `server_bench`): the real server
//! on a loopback socket, in this process or as `pishkhan serve` processes sharing one PostgreSQL
//! database ([`Servers`]), fresh data directories and databases, a person of the demo roster
//! signed in to file with, and a run's rate and latency percentiles.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::{Connection, Executor};

/// What one run measured.
pub struct Run {
    pub label: String,
    pub done: u64,
    pub failed: u64,
    pub seconds: f64,
    /// Sorted.
    pub latencies: Vec<Duration>,
    /// Where the CPU went during the measured window, when it was read.
    pub cpu: Option<Cpu>,
}

impl Run {
    pub fn rate(&self) -> f64 {
        self.done as f64 / self.seconds
    }

    pub fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i]
    }
}

/// Milliseconds with two decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// A fresh data directory for one run.
pub fn fresh(root: &Path, name: &str) -> PathBuf {
    let dir = root.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Serves the real router on 127.0.0.1 (a free port) with this data directory; its base URL.
pub async fn serve(data_dir: PathBuf, demo_users: bool) -> String {
    serve_on(data_dir, None, demo_users).await
}

/// [`serve`] on the SQLite file of `data_dir` or, with `database`, on that PostgreSQL database.
pub async fn serve_on(data_dir: PathBuf, database: Option<String>, demo_users: bool) -> String {
    let dist = data_dir.join("no-dist");
    let config = server::http::Config {
        demo_users,
        // The sign-in codes are read from the development SMS log.
        sms_log: true,
        database,
        ..server::http::Config::new(dist, data_dir)
    };
    let state = server::http::state(&config).await.unwrap();
    let app = server::http::app(&config, state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .unwrap()
    });
    format!("http://{addr}")
}

/// The demo roster's person the load generators file for (`serve` with the demo users), and the
/// mobile their sign-in code goes to.
pub const NATIONAL_ID: &str = "0084575948";
const MOBILE: &str = "09121234567";

/// A signed-in person: the session cookie and the CSRF token every filing carries.
#[derive(Clone)]
pub struct PersonSession {
    pub cookie: String,
    pub csrf: String,
}

/// Signs [`NATIONAL_ID`] in as a student does: a code by SMS (read from the data directory's
/// SMS log, the demo "SMS centre"), then the session.
pub async fn sign_in(http: &reqwest::Client, base: &str, data_dir: &Path) -> PersonSession {
    let post = |path: &str, body: serde_json::Value| {
        http.post(format!("{base}{path}"))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    let sent = post(
        "/api/v1/signin/code",
        serde_json::json!({"national_id": NATIONAL_ID}),
    )
    .await
    .unwrap();
    assert_eq!(sent.status().as_u16(), 202);
    let code = loop {
        let log = std::fs::read_to_string(data_dir.join("sms.log")).unwrap_or_default();
        let sms = log
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|m| m["to"] == MOBILE);
        if let Some(sms) = sms {
            let text = rules::digits::to_ascii_digits(sms["text"].as_str().unwrap_or_default());
            let code = text
                .split(|c: char| !c.is_ascii_digit())
                .find(|w| w.len() == 6)
                .map(str::to_owned);
            break code.expect("a 6-digit code");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let verified = post(
        "/api/v1/signin/verify",
        serde_json::json!({"national_id": NATIONAL_ID, "code": code}),
    )
    .await
    .unwrap();
    assert_eq!(verified.status().as_u16(), 200);
    let cookie = verified.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let body: serde_json::Value = serde_json::from_str(&verified.text().await.unwrap()).unwrap();
    PersonSession {
        cookie,
        csrf: body["csrf_token"].as_str().unwrap().to_owned(),
    }
}

/// Where the servers under load run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setup {
    /// The router in this process on the data directory's SQLite file (the method of the
    /// earlier figures).
    SqliteInProcess,
    /// The router in this process on a PostgreSQL database.
    PostgresInProcess,
    /// This many `pishkhan serve --database postgres://…` processes on one PostgreSQL database
    /// (one data directory, so one server key), the clients spread across them.
    PostgresProcesses(usize),
}

impl Setup {
    pub fn label(self) -> String {
        match self {
            Setup::SqliteInProcess => "SQLite, 1 instance (in process)".into(),
            Setup::PostgresInProcess => "PostgreSQL, 1 instance (in process)".into(),
            Setup::PostgresProcesses(1) => "PostgreSQL, 1 instance (process)".into(),
            Setup::PostgresProcesses(n) => format!("PostgreSQL, {n} instances (processes)"),
        }
    }

    pub fn postgres(self) -> bool {
        self != Setup::SqliteInProcess
    }
}

/// What starting servers needs beyond a [`Setup`]: the PostgreSQL cluster (its maintenance
/// database's URL, `postgres://…/postgres`) and the `pishkhan` binary.
#[derive(Clone, Debug, Default)]
pub struct Env {
    pub postgres: Option<String>,
    pub pishkhan: Option<PathBuf>,
    /// The cluster's postmaster (the first line of its data directory's `postmaster.pid`), whose
    /// processes' CPU time is PostgreSQL's in [`Cpu`].
    pub postmaster: Option<u32>,
}

/// Running servers: their base URLs and their (shared) data directory; processes are killed
/// when this is dropped (the standard output each prints its address on is kept open).
pub struct Servers {
    pub bases: Vec<String>,
    pub data_dir: PathBuf,
    postmaster: Option<u32>,
    children: Vec<(Process, std::io::BufReader<std::process::ChildStdout>)>,
}

/// A `pishkhan serve` process, killed (and reaped) when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Servers {
    /// Starts `setup` on a fresh data directory (and a fresh database) named `name` under
    /// `root`, with the demo users and roster.
    pub async fn start(setup: Setup, env: &Env, root: &Path, name: &str) -> Servers {
        let data_dir = fresh(root, name);
        let database = match setup {
            Setup::SqliteInProcess => None,
            _ => Some(fresh_database(env, name).await),
        };
        let mut servers = Servers {
            bases: Vec::new(),
            data_dir: data_dir.clone(),
            postmaster: env.postmaster,
            children: Vec::new(),
        };
        match setup {
            Setup::SqliteInProcess | Setup::PostgresInProcess => {
                servers.bases.push(serve_on(data_dir, database, true).await);
            }
            Setup::PostgresProcesses(n) => {
                let bin = env.pishkhan.clone().expect("the pishkhan binary");
                let database = database.expect("a database");
                // One after another: the first runs the migrations and creates the demo users.
                for _ in 0..n {
                    let (bin, dir, database) = (bin.clone(), data_dir.clone(), database.clone());
                    let (child, stdout, base) =
                        tokio::task::spawn_blocking(move || spawn_server(&bin, &dir, &database))
                            .await
                            .unwrap();
                    servers.bases.push(base);
                    servers.children.push((child, stdout));
                }
            }
        }
        servers
    }

    /// The server the `i`th client talks to (round robin).
    pub fn base(&self, i: usize) -> &str {
        &self.bases[i % self.bases.len()]
    }
}

/// `pishkhan serve` on a free port of 127.0.0.1 (log level `warn`, as quiet as the router in
/// this process, which has no log subscriber): the child, its standard output (kept open) and
/// its base URL, read from the line it prints once listening.
fn spawn_server(
    bin: &Path,
    data_dir: &Path,
    database: &str,
) -> (
    Process,
    std::io::BufReader<std::process::ChildStdout>,
    String,
) {
    let log = std::fs::File::create(data_dir.join(format!(
        "server-{}.log",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )))
    .unwrap();
    let mut child = Process(
        Command::new(bin)
            .arg("serve")
            .args(["--addr", "127.0.0.1:0", "--demo-users", "--sms-log"])
            .arg("--dist")
            .arg(data_dir.join("no-dist"))
            .arg("--data-dir")
            .arg(data_dir)
            .args(["--database", database])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("{}: {e}", bin.display())),
    );
    let mut stdout = std::io::BufReader::new(child.0.stdout.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        if stdout.read_line(&mut line).map_or(true, |read| read == 0) {
            panic!(
                "pishkhan serve ended before listening (see its log in {})",
                data_dir.display()
            );
        }
        if let Some(base) = line.trim().strip_prefix("pishkhan listening on ") {
            return (child, stdout, base.to_owned());
        }
    }
}

/// A fresh, empty database named `name` in the cluster of `env.postgres`: its URL.
pub async fn fresh_database(env: &Env, name: &str) -> String {
    let admin = env.postgres.as_deref().expect("a PostgreSQL cluster");
    let name = format!(
        "bench_{}",
        name.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    );
    let mut conn = sqlx::PgConnection::connect(admin).await.unwrap();
    conn.execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
        .await
        .unwrap();
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    conn.close().await.unwrap();
    let (cluster, _) = admin.rsplit_once('/').expect("postgres://…/database");
    format!("{cluster}/{name}")
}

/// A client keeping up to `connections` connections open per server.
pub fn http_client(connections: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()
        .unwrap()
}

/// Where the machine's CPU time went during a measured window, in cores (busy jiffies over the
/// window's jiffies per core): the whole machine, this process (the load generator, and the
/// router when it runs in this process), this run's `pishkhan serve` processes and the bench's
/// PostgreSQL cluster (its postmaster and the processes it started). The rest of the busy time
/// is everyone else's: other jobs on the machine, their own servers and databases included.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cpu {
    pub cores: usize,
    pub busy: f64,
    pub this: f64,
    pub servers: f64,
    pub postgres: f64,
}

/// Whose CPU time a window counts: this run's server processes and the cluster's postmaster.
#[derive(Clone, Debug, Default)]
struct Ours {
    servers: Vec<u32>,
    postmaster: Option<u32>,
}

/// A reading of the jiffies [`Cpu`] is made of: the machine's, and each of our processes'.
#[derive(Clone, Default)]
struct Jiffies {
    total: u64,
    idle: u64,
    this: u64,
    servers: HashMap<u32, u64>,
    postgres: HashMap<u32, u64>,
}

fn jiffies(ours: &Ours) -> Jiffies {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let cpu: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    let mut j = Jiffies {
        total: cpu.iter().take(8).sum(),
        // idle + iowait
        idle: cpu.get(3).copied().unwrap_or(0) + cpu.get(4).copied().unwrap_or(0),
        this: process_jiffies("self").map_or(0, |(_, t)| t),
        ..Jiffies::default()
    };
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let Some((parent, t)) = process_jiffies(&pid.to_string()) else {
            continue;
        };
        if ours.servers.contains(&pid) {
            j.servers.insert(pid, t);
        } else if ours.postmaster.is_some_and(|p| p == pid || p == parent) {
            j.postgres.insert(pid, t);
        }
    }
    j
}

/// A process's parent and its user + system jiffies (`/proc/PID/stat`).
fn process_jiffies(pid: &str) -> Option<(u32, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the command: the parent is field 4, utime 14 and stime 15.
    let parent: u32 = fields.get(1)?.parse().ok()?;
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((parent, utime + stime))
}

/// The jiffies the processes of `b` used since `a` (all of them for a process `a` had not
/// seen: started inside the window, as PostgreSQL's backends for new connections are).
fn used(a: &HashMap<u32, u64>, b: &HashMap<u32, u64>) -> u64 {
    b.iter()
        .map(|(pid, t)| t.saturating_sub(a.get(pid).copied().unwrap_or(0)))
        .sum()
}

impl Servers {
    /// Reads the jiffies at `from` and at `to` (a task of its own): where the CPU went in
    /// between.
    pub fn cpu_between(&self, from: Instant, to: Instant) -> tokio::task::JoinHandle<Cpu> {
        let ours = Ours {
            servers: self.children.iter().map(|(p, _)| p.0.id()).collect(),
            postmaster: self.postmaster,
        };
        tokio::spawn(async move {
            tokio::time::sleep_until(from.into()).await;
            let o = ours.clone();
            let a = tokio::task::spawn_blocking(move || jiffies(&o))
                .await
                .unwrap();
            tokio::time::sleep_until(to.into()).await;
            let b = tokio::task::spawn_blocking(move || jiffies(&ours))
                .await
                .unwrap();
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            let window = (b.total - a.total).max(1) as f64 / cores as f64;
            let share = |jiffies: u64| jiffies as f64 / window;
            Cpu {
                cores,
                busy: share((b.total - b.idle).saturating_sub(a.total - a.idle)),
                this: share(b.this.saturating_sub(a.this)),
                servers: share(used(&a.servers, &b.servers)),
                postgres: share(used(&a.postgres, &b.postgres)),
            }
        })
    }
}
