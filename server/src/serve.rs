//! The HTTP server: the rules API (`POST /api/v1/<rule>`, `rules.md` §8), the requests API
//! (filing, lookup, attachments; `docs/api.md`), its OpenAPI description, and the built app.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, Request};
use axum::handler::HandlerWithoutStateExt;
use axum::http::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use rules::{InputError, Tool};
use serde_json::{json, Value};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

use crate::error::ApiError;
use crate::layers::{self, Csp};
use crate::limit::RateLimiter;
use crate::requests::{AppState, Claims};
use crate::store::Store;

/// The API's description (OpenAPI 3.1, written by hand; `tests/openapi.rs` checks it against the
/// routes).
pub const OPENAPI: &str = include_str!("openapi.json");

/// The document served at `/api/v1/openapi.json`: the hand-written [`OPENAPI`], or with the
/// feature `generated-openapi` the one `api::openapi` generates from the API's types.
fn openapi_document() -> &'static str {
    #[cfg(feature = "generated-openapi")]
    {
        static GENERATED: std::sync::LazyLock<String> =
            std::sync::LazyLock::new(api::openapi::json);
        GENERATED.as_str()
    }
    #[cfg(not(feature = "generated-openapi"))]
    OPENAPI
}

/// How long idempotency keys are kept (at least; the purge runs every few hours).
pub const KEY_RETENTION_SECONDS: i64 = 30 * 24 * 3600;

/// Login attempts a client address may make per minute.
pub const LOGINS_PER_MINUTE: u32 = 20;

/// Where the server finds what it serves and keeps what it is sent.
#[derive(Clone, Debug)]
pub struct Config {
    /// The built app (Trunk's `dist/`).
    pub dist: PathBuf,
    /// The database and the uploaded files (created on first start).
    pub data_dir: PathBuf,
    /// Lookups a client may make per minute.
    pub lookups_per_minute: u32,
    /// Longest a request may take, reading its body included.
    pub request_timeout: Duration,
    /// The staff session cookie is `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// Create the demo staff users when missing (docs/staff-api.md).
    pub demo_users: bool,
    /// The exemption's service fee in rials.
    pub exemption_fee_rials: u64,
}

impl Config {
    /// The defaults of `pishkhan serve` for a `dist` and a `data_dir`.
    pub fn new(dist: PathBuf, data_dir: PathBuf) -> Config {
        Config {
            dist,
            data_dir,
            lookups_per_minute: 10,
            request_timeout: Duration::from_secs(60),
            secure_cookies: false,
            demo_users: false,
            exemption_fee_rials: 1_000_000,
        }
    }
}

/// Opens the data directory and makes the state the request handlers share.
/// With `config.demo_users`, the demo staff users that are missing are created.
pub async fn state(config: &Config) -> Result<AppState, crate::store::StoreError> {
    let store = Store::open(&config.data_dir).await?;
    store.chain_old_audit_rows().await?;
    if config.demo_users {
        let created = crate::admin::create_demo_users(&store).await?;
        tracing::info!(
            created,
            "demo users (password {})",
            crate::admin::DEMO_PASSWORD
        );
    }
    let notify = Arc::new(tokio::sync::Notify::new());
    let sender = Arc::new(crate::notify::LogSender {
        path: config.data_dir.join("sms.log"),
    });
    tokio::spawn(crate::notify::run(store.clone(), sender, notify.clone()));
    Ok(AppState {
        lookups: Arc::new(RateLimiter::new(config.lookups_per_minute)),
        claims: Arc::new(Claims::default()),
        logins: Arc::new(RateLimiter::new(LOGINS_PER_MINUTE)),
        secure_cookies: config.secure_cookies,
        exemption_fee_rials: config.exemption_fee_rials,
        notify,
        gateway: Arc::new(crate::payments::Sandbox {
            store: store.clone(),
        }),
        store,
    })
}

/// The whole HTTP surface, so tests can drive it in-process or over a socket. Responses are
/// compressed (brotli or gzip, as the client accepts; not images or woff2, which are compressed
/// already), carry the security headers and an `x-request-id`, and time out after
/// `config.request_timeout`. Every error under `/api` is JSON ([`ApiError`]).
pub fn app(config: &Config, state: AppState) -> Router {
    let compress = DefaultPredicate::new().and(NotForContentType::const_new("font/woff2"));
    let csp = Arc::new(Csp::new(&config.dist));
    Router::new()
        .route(
            "/api/v1/health",
            get(|| async { Json(json!({"status": "ok"})) }),
        )
        .route(
            "/api/v1/openapi.json",
            get(|| async { ([(CONTENT_TYPE, "application/json")], openapi_document()) }),
        )
        .route("/api/v1/requests", post(crate::requests::submit))
        .route("/api/v1/requests/lookup", post(crate::requests::lookup))
        .route("/api/v1/attachments", post(crate::attachments::upload))
        .merge(crate::staff::routes())
        .merge(crate::applicant::routes())
        .merge(crate::payments::routes())
        .merge(crate::art34::routes())
        .route("/api/v1/{rule}", post(answer_rule))
        .route(
            "/api/{*rest}",
            any(|| async { ApiError::for_status(StatusCode::NOT_FOUND) }),
        )
        .merge(crate::auth::routes())
        .with_state(state)
        .fallback_service(static_files(&config.dist))
        // A panic (a bug, never input) becomes a 500 that `json_errors` words, not a dropped
        // connection.
        .layer(CatchPanicLayer::new())
        .layer(middleware::from_fn(crate::error::json_errors))
        .layer(middleware::from_fn_with_state(
            config.request_timeout,
            layers::timeout,
        ))
        .layer(middleware::from_fn_with_state(
            csp,
            layers::security_headers,
        ))
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .compress_when(compress),
        )
        .layer(middleware::from_fn(layers::request_id))
}

/// The built app: files from `dist`, `index.html` for client routes (paths whose last segment has
/// no dot, such as `/precheck/level`), 404 for missing files. A `<file>.br` or `<file>.gz` beside
/// a file is sent instead of compressing on the fly when the client accepts it. Caching: Trunk's
/// content-hashed files are immutable for a year, everything else is revalidated (`no-cache`), so
/// a deploy is seen at once and the service worker (`public/sw.js`) finds new versions.
fn static_files(dist: &Path) -> Router {
    let app_index = dist.join("index.html");
    let forms_index = dist.join("forms").join("index.html");
    let staff_index = dist.join("staff").join("index.html");
    let spa_fallback = move |request: Request| async move {
        let path = request.uri().path();
        if looks_like_file(path) {
            return StatusCode::NOT_FOUND.into_response();
        }
        let index = if is_forms_route(path) {
            &forms_index
        } else if is_staff_route(path) {
            &staff_index
        } else {
            &app_index
        };
        match ServeFile::new(index)
            .precompressed_br()
            .precompressed_gzip()
            .try_call(request)
            .await
        {
            Ok(response) => response.into_response(),
            Err(e) => {
                tracing::error!(error = %e, "cannot read index.html");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    };
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(spa_fallback.into_service());
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(static_headers))
}

/// `Cache-Control` (and `Vary` for precompressed files) on everything [`static_files`] answers.
async fn static_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let cache = cache_control(&path, response.status());
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    if headers.contains_key(CONTENT_ENCODING) && !headers.contains_key(VARY) {
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// Trunk's content-hashed files never change under their name; anything else (index.html and
/// the client routes it answers, sw.js, register-sw.js, the manifest, fonts, icons, errors) is
/// revalidated on every use.
pub fn cache_control(path: &str, status: StatusCode) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or_default();
    if (status.is_success() || status == StatusCode::NOT_MODIFIED) && is_content_hashed(name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Trunk's hashed output names: `<stem>-<hex>.js`, `<stem>-<hex>_bg.wasm`, `<stem>-<hex>.css`
/// (the hash is a 64-bit seahash printed in lowercase hex without padding).
pub fn is_content_hashed(name: &str) -> bool {
    let Some((stem, rest)) = name.rsplit_once('-') else {
        return false;
    };
    let hash = [".js", ".css", "_bg.wasm"]
        .iter()
        .find_map(|suffix| rest.strip_suffix(suffix));
    match hash {
        Some(hash) => {
            !stem.is_empty()
                && (8..=16).contains(&hash.len())
                && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        }
        None => false,
    }
}

/// Client routes of the request forms, a second bundle built into `dist/forms/`: `/requests/…`,
/// `/drafts` and `/track` (my requests, receipts).
pub fn is_forms_route(path: &str) -> bool {
    path.starts_with("/requests/")
        || ["/drafts", "/track"].iter().any(|p| {
            path == *p
                || path
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
}

/// Client routes of the staff area, a fourth bundle built into `dist/staff/`: `/staff` and
/// `/staff/…` (its hashed files under `/staff/` are served as files before this is asked).
pub fn is_staff_route(path: &str) -> bool {
    path.strip_prefix("/staff")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn looks_like_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
}

/// `POST /api/v1/<rule>`: the same JSON as the CLI; 200 with the answer, 422 with the
/// contract's error naming the field, 404 for a rule that does not exist.
async fn answer_rule(UrlPath(rule): UrlPath<String>, body: Bytes) -> Response {
    let Some(tool) = Tool::from_name(&rule) else {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            format!("no rule named {rule:?}"),
            "چنین قاعده‌ای وجود ندارد.",
        )
        .into_response();
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
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// Opens the data directory, binds `addr`, prints the address actually bound (so a caller that
/// asked for port 0 learns the port), and serves until Ctrl-C or SIGTERM. Idempotency keys older
/// than [`KEY_RETENTION_SECONDS`] are purged at start and every six hours.
pub async fn serve(addr: SocketAddr, config: Config) -> std::io::Result<()> {
    if !Path::new(&config.dist).join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "the app is not built; only the API answers");
    }
    let state = state(&config).await.map_err(std::io::Error::other)?;
    tracing::info!(data_dir = %config.data_dir.display(), "storage open");
    tokio::spawn(purge_keys(state.store.clone()));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    println!("pishkhan listening on http://{local}");
    tracing::info!(%local, "listening");
    axum::serve(
        listener,
        app(&config, state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
}

async fn purge_keys(store: Store) {
    let mut every = tokio::time::interval(Duration::from_secs(6 * 3600));
    loop {
        every.tick().await;
        let before = crate::clock::now_unix() - KEY_RETENTION_SECONDS;
        match store.purge_keys(before).await {
            Ok(n) => tracing::info!(purged = n, "old idempotency keys purged"),
            Err(e) => tracing::error!(error = %e, "cannot purge idempotency keys"),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_routes_answer_the_staff_bundle() {
        for path in [
            "/staff",
            "/staff/",
            "/staff/login",
            "/staff/requests/123456789012",
        ] {
            assert!(is_staff_route(path), "{path}");
            assert!(!is_forms_route(path), "{path}");
        }
        for path in ["/", "/staffing", "/requests/staff", "/api/v1/staff/me"] {
            assert!(!is_staff_route(path), "{path}");
        }
    }

    #[test]
    fn recognises_trunks_hashed_names() {
        for name in [
            "app-3f2a9c0d1e2b4a5f.js",
            "app-3f2a9c0d1e2b4a5f_bg.wasm",
            "main-a1b2c3d4e5f60718.css",
            "fonts-f2a9c0d1e2b4a5f.css",
        ] {
            assert!(is_content_hashed(name), "{name}");
        }
        for name in [
            "index.html",
            "sw.js",
            "register-sw.js",
            "manifest.webmanifest",
            "vazirmatn-400.woff2",
            "app-3f2a9c0d1e2b4a5f.wasm",
            "app-XYZ9c0d1e2b4a5f0.js",
            "-3f2a9c0d1e2b4a5f.js",
            "precheck",
            // The kiosk bundle's fixed names (built without hashes): revalidated every time.
            "kiosk.js",
            "kiosk_bg.wasm",
            "kiosk.css",
        ] {
            assert!(!is_content_hashed(name), "{name}");
        }
        assert_eq!(
            cache_control("/app-3f2a9c0d1e2b4a5f_bg.wasm", StatusCode::OK),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("/app-3f2a9c0d1e2b4a5f_bg.wasm", StatusCode::NOT_FOUND),
            "no-cache"
        );
        assert_eq!(cache_control("/precheck/level", StatusCode::OK), "no-cache");
        assert_eq!(
            cache_control("/kiosk/kiosk_bg.wasm", StatusCode::OK),
            "no-cache"
        );
    }
}
