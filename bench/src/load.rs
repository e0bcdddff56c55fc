//! Shared by the load generators (`submit_load`, `move_load`): the real server in this process
//! on a loopback socket, fresh data directories, and a run's rate and latency percentiles.

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
