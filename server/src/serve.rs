//! The HTTP server: the rules API (`POST /api/v1/<rule>`, `rules.md` §8) and the built app.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use axum::extract::Path as UrlPath;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use rules::{InputError, Tool};
use serde_json::{json, Value};
use tower_http::services::{ServeDir, ServeFile};

/// Where the server finds what it serves.
#[derive(Clone, Debug)]
pub struct Config {
    /// The built app (Trunk's `dist/`).
    pub dist: PathBuf,
}

/// The whole HTTP surface, so tests can drive it in-process or over a socket.
pub fn app(config: &Config) -> Router {
    let index = config.dist.join("index.html");
    let static_files = ServeDir::new(&config.dist).fallback(ServeFile::new(index));
    Router::new()
        .route(
            "/api/v1/health",
            get(|| async { Json(json!({"status": "ok"})) }),
        )
        .route("/api/v1/{rule}", post(answer_rule))
        .fallback_service(static_files)
}

/// `POST /api/v1/<rule>`: the same JSON as the CLI; 200 with the answer, 422 with the
/// contract's error naming the field, 404 for a rule that does not exist.
async fn answer_rule(UrlPath(rule): UrlPath<String>, body: Bytes) -> Response {
    let Some(tool) = Tool::from_name(&rule) else {
        let error = json!({"error": {"code": "NOT_FOUND", "field": null,
            "message": format!("no rule named {rule:?}"), "message_en": format!("no rule named {rule:?}"),
            "message_fa": "چنین قاعده‌ای وجود ندارد."}});
        return (StatusCode::NOT_FOUND, Json(error)).into_response();
    };
    let answer = serde_json::from_slice::<Value>(&body)
        .map_err(|e| {
            InputError::new(
                None,
                format!("not valid JSON ({e})."),
                "بدنه درخواست JSON معتبر نیست.",
            )
        })
        .and_then(|value| tool.answer(value));
    match answer {
        Ok(v) => (StatusCode::OK, Json(v)).into_response(),
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, Json(e.to_json())).into_response(),
    }
}

/// Binds `addr`, prints the address actually bound (so a caller that asked for port 0 learns the
/// port), and serves until Ctrl-C or SIGTERM.
pub async fn serve(addr: SocketAddr, config: Config) -> std::io::Result<()> {
    if !Path::new(&config.dist).join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "the app is not built; only the API answers");
    }
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    println!("pishkhan listening on http://{local}");
    tracing::info!(%local, "listening");
    axum::serve(listener, app(&config))
        .with_graceful_shutdown(shutdown())
        .await
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler");
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
