//! Shared by the load generators (`submit_load`, `move_load`): the real server in this process
//! on a loopback socket, fresh data directories, a person of the demo roster signed in to file
//! with, and a run's rate and latency percentiles.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// What one run measured.
pub struct Run {
    pub label: String,
    pub done: u64,
    pub failed: u64,
    pub seconds: f64,
    /// Sorted.
    pub latencies: Vec<Duration>,
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
    let dist = data_dir.join("no-dist");
    let config = server::http::Config {
        demo_users,
        // The sign-in codes are read from the development SMS log.
        sms_log: true,
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
