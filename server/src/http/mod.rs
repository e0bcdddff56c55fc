//! The HTTP layer: the settings (`Config`), the shared state it opens (`state`), the whole route
//! table in one place (`app`) with the layers around it, and `serve`. Its leaves — the error,
//! the extractors, the answers' shared pieces, the layers, the static files, the OpenAPI
//! document — are the files beside this one; one module per resource is in `routes/`.

pub mod answer;
pub mod applicant;
pub mod auth;
pub mod error;
pub mod extract;
pub mod idempotency;
pub mod layers;
pub mod limit;
pub mod moves;
pub mod openapi;
pub mod person;
pub mod routes;
pub mod state;
pub mod static_files;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::middleware;
use axum::routing::{any, delete, get, patch, post};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;

use crate::http::error::{json_errors, ApiError};
use crate::http::idempotency::Claims;
use crate::http::layers::Csp;
use crate::http::limit::{RateLimiter, TrustedProxies};
use crate::http::state::AppState;
pub use crate::http::state::UploadLimits;
use crate::services::notify::{self, LogSender};
use crate::services::oidc::Oidc;
use crate::services::payments::GatewayKind;
use crate::store::{Store, StoreError};

/// Login attempts a client address may make per minute (by default; `serve --logins-per-minute`).
pub const LOGINS_PER_MINUTE: u32 = 20;

/// Sign-in codes one person may ask for per [`PERSON_CODE_SECONDS`] (by default; `serve
/// --codes-per-person`): a code lives 5 minutes, so three in a quarter of an hour is plenty, and
/// nobody's phone is flooded.
pub const CODES_PER_PERSON: u32 = 3;

/// The window of [`CODES_PER_PERSON`]: 15 minutes.
pub const PERSON_CODE_SECONDS: u32 = 900;

/// Where the server finds what it serves and keeps what it is sent.
#[derive(Clone, Debug)]
pub struct Config {
    /// The built app (Trunk's `dist/`).
    pub dist: PathBuf,
    /// The uploaded files, the server key and (without `database`) the SQLite database (created
    /// on first start).
    pub data_dir: PathBuf,
    /// A PostgreSQL database (`serve --database postgres://…`) instead of the data directory's
    /// SQLite file.
    pub database: Option<String>,
    /// Lookups a client may make per minute.
    pub lookups_per_minute: u32,
    /// Staff login attempts a client address may make per minute.
    pub logins_per_minute: u32,
    /// Longest a request may take, reading its body included.
    pub request_timeout: Duration,
    /// The server is behind TLS: the session cookies are `Secure`, and every answer carries
    /// `Strict-Transport-Security`.
    pub secure_cookies: bool,
    /// The reverse proxies whose `X-Forwarded-For` names the client (`serve --trusted-proxy`).
    pub trusted_proxies: TrustedProxies,
    /// Create the demo staff users when missing (docs/staff-api.md) and import the demo roster
    /// (docs/signin.md).
    pub demo_users: bool,
    /// The exemption's service fee in rials.
    pub exemption_fee_rials: u64,
    /// Rate-limit buckets never refill (tests: a limit reached after exactly so many attempts,
    /// however slow the machine).
    pub frozen_rate_limits: bool,
    /// Sign-in codes one person may ask for per 15 minutes.
    pub codes_per_person: u32,
    /// The OpenID providers of `pishkhan.toml` (`serve --config`), checked, secrets read.
    pub oidc_providers: Vec<crate::domain::oidc::Provider>,
    /// The payment gateway of the service fee (`serve --payment-gateway`); `None`: nothing can
    /// be paid, and the sandbox's pages do not exist.
    pub payment_gateway: Option<GatewayKind>,
    /// `[payments]` of `pishkhan.toml` (`serve --config`), checked, the merchant id read: what a
    /// bank gateway needs (docs/payments.md).
    pub payments: Option<crate::domain::payments::PaymentsConfig>,
    /// Development: the SMS are written to `<data-dir>/sms.log` (`serve --sms-log`) rather than
    /// sent, unless `sms` names a gateway. Without either no SMS leaves the outbox.
    pub sms_log: bool,
    /// The SMS gateway of `pishkhan.toml`'s `[sms]` (docs/sms.md), checked, secrets read.
    pub sms: Option<crate::domain::sms::SmsConfig>,
    /// What one person may upload per day, and the free space uploads leave on the disk.
    pub uploads: UploadLimits,
    /// How often the files no request references are looked for (and removed when a day old).
    pub upload_sweep: Duration,
    /// Who must have a second factor (`serve --staff-totp admin|all`).
    pub staff_totp: crate::domain::second_factor::StaffTotp,
}

impl Config {
    /// The defaults of `pishkhan serve` for a `dist` and a `data_dir`.
    pub fn new(dist: PathBuf, data_dir: PathBuf) -> Config {
        Config {
            dist,
            data_dir,
            database: None,
            lookups_per_minute: 10,
            logins_per_minute: LOGINS_PER_MINUTE,
            request_timeout: Duration::from_secs(60),
            secure_cookies: false,
            trusted_proxies: TrustedProxies::default(),
            demo_users: false,
            exemption_fee_rials: 1_000_000,
            frozen_rate_limits: false,
            codes_per_person: CODES_PER_PERSON,
            oidc_providers: Vec::new(),
            payment_gateway: None,
            payments: None,
            sms_log: false,
            sms: None,
            uploads: UploadLimits::default(),
            upload_sweep: Duration::from_secs(3600),
            staff_totp: Default::default(),
        }
    }
}

/// Opens the data directory and makes the state the request handlers share.
/// With `config.demo_users`, the demo staff users that are missing are created and the demo
/// roster is imported.
pub async fn state(config: &Config) -> Result<AppState, StoreError> {
    let store = Store::connect(&config.data_dir, config.database.as_deref()).await?;
    // Every university a provider names must exist: a mistake stops the start, named.
    let universities = store.universities().await?;
    let codes: Vec<&str> = universities.iter().map(|u| u.code.as_str()).collect();
    crate::domain::oidc::check_universities(&config.oidc_providers, &codes)
        .map_err(|e| StoreError::from(std::io::Error::other(e)))?;
    let secret = Arc::new(store.secret_key().clone());
    if config.demo_users {
        let created = crate::services::accounts::create_demo_users(&store).await?;
        tracing::info!(
            created,
            "demo users created (their password: README, \"Demo users\")"
        );
        let roster = crate::services::roster::import_demo_roster(&store).await?;
        tracing::info!(added = roster.added, "demo roster");
    }
    let notify = Arc::new(tokio::sync::Notify::new());
    let (sender, policy): (Option<Arc<dyn notify::Sender>>, _) = match &config.sms {
        Some(sms) => {
            if config.sms_log {
                tracing::warn!("--sms-log ignored: pishkhan.toml's [sms] gateway sends the SMS");
            }
            let sender = crate::services::sms::sender(sms)
                .map_err(|e| StoreError::from(std::io::Error::other(e)))?;
            let policy = notify::Policy {
                retry_base_seconds: sms.retry_base_seconds,
                max_attempts: sms.max_attempts,
                status_poll_seconds: sms.status_poll_seconds,
            };
            (Some(sender), policy)
        }
        None if config.sms_log => {
            tracing::warn!("development SMS: every SMS, codes included, goes to sms.log");
            let log: Arc<dyn notify::Sender> = Arc::new(LogSender {
                path: config.data_dir.join("sms.log"),
            });
            (Some(log), notify::Policy::default())
        }
        None => {
            tracing::warn!("no SMS sender configured: SMS stay in the outbox unsent");
            (None, notify::Policy::default())
        }
    };
    tokio::spawn(notify::run(store.clone(), sender, policy, notify.clone()));
    let frozen = config.frozen_rate_limits;
    let limiter = |per_minute| Arc::new(RateLimiter::new(per_minute).frozen(frozen));
    Ok(AppState {
        lookups: limiter(config.lookups_per_minute),
        claims: Arc::new(Claims::default()),
        logins: limiter(config.logins_per_minute),
        person_codes: Arc::new(
            RateLimiter::per(config.codes_per_person, PERSON_CODE_SECONDS).frozen(frozen),
        ),
        secure_cookies: config.secure_cookies,
        exemption_fee_rials: config.exemption_fee_rials,
        notify,
        gateway: config
            .payment_gateway
            .map(|kind| crate::services::payments::gateway(kind, &store, config.payments.as_ref()))
            .transpose()
            .map_err(|e| StoreError::from(std::io::Error::other(e)))?,
        oidc: Arc::new(Oidc::new(config.oidc_providers.clone())),
        secret,
        uploads: config.uploads,
        staff_totp: config.staff_totp,
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
    let mut routes = Router::new()
        // The rules and the service's own.
        .route("/api/v1/health", get(routes::tools::health))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/universities", get(routes::universities::list))
        .route("/api/v1/{rule}", post(routes::tools::answer_rule))
        // Filing and looking up requests.
        .route("/api/v1/requests", post(routes::requests::submit))
        .route("/api/v1/requests/lookup", post(routes::requests::lookup))
        .route("/api/v1/attachments", post(routes::attachments::upload))
        // Staff sessions.
        .route("/api/v1/staff/login", post(routes::staff_auth::login))
        .route(
            "/api/v1/staff/login/second-factor",
            post(routes::staff_auth::login_second_factor),
        )
        .route(
            "/api/v1/staff/second-factor/enrol",
            post(routes::second_factor::enrol),
        )
        .route(
            "/api/v1/staff/second-factor/confirm",
            post(routes::second_factor::confirm),
        )
        .route("/api/v1/staff/me", get(routes::staff_auth::me))
        .route("/api/v1/staff/logout", post(routes::staff_auth::logout))
        // The staff's work.
        .route("/api/v1/staff/cartable", get(routes::staff::cartable))
        .route("/api/v1/staff/cartable/search", post(routes::staff::search))
        .route("/api/v1/staff/requests", post(routes::staff::file_a2))
        .route(
            "/api/v1/staff/requests/{handle}",
            get(routes::staff::detail),
        )
        .route(
            "/api/v1/staff/requests/{handle}/actions",
            post(routes::staff::act),
        )
        .route(
            "/api/v1/staff/requests/{handle}/attachments/{field}",
            get(routes::staff::attachment),
        )
        .route("/api/v1/staff/dashboard", get(routes::dashboard::dashboard))
        .route("/api/v1/staff/art34", get(routes::art34::list))
        .route("/api/v1/staff/art34/events", post(routes::art34::record))
        // The admin's.
        .route(
            "/api/v1/admin/users",
            get(routes::admin::list_users).post(routes::admin::create_user),
        )
        .route(
            "/api/v1/admin/users/{id}",
            patch(routes::admin::change_user),
        )
        .route(
            "/api/v1/admin/users/{id}/second-factor",
            delete(routes::admin::reset_second_factor),
        )
        .route(
            "/api/v1/admin/offices",
            get(routes::admin::offices).put(routes::admin::replace_offices),
        )
        .route(
            "/api/v1/admin/universities",
            post(routes::admin::add_university),
        )
        .route(
            "/api/v1/admin/universities/{university}/offices",
            get(routes::admin::university_offices).put(routes::admin::replace_university_offices),
        )
        .route(
            "/api/v1/admin/universities/{university}/faculties",
            get(routes::admin::faculties).post(routes::admin::add_faculty),
        )
        .route("/api/v1/admin/roster", post(routes::roster::import_roster))
        .route(
            "/api/v1/admin/notifications",
            get(routes::staff::notifications),
        )
        .route(
            "/api/v1/admin/audit/verify",
            get(routes::staff::verify_audit),
        )
        // A person's sign-in from the roster, and the person session however it began.
        .route("/api/v1/signin/methods", get(routes::signin::methods))
        .route("/api/v1/signin/code", post(routes::signin::send))
        .route("/api/v1/signin/verify", post(routes::signin::verify))
        .route("/api/v1/signin/me", get(routes::signin::me))
        .route("/api/v1/signin/logout", post(routes::signin::logout))
        // The signed-in person's own requests.
        .route("/api/v1/signin/requests", get(routes::mine::list))
        .route("/api/v1/signin/requests/open", post(routes::mine::open))
        .route(
            "/api/v1/signin/reminders",
            get(routes::mine::reminders).put(routes::mine::set_reminders),
        )
        // The applicant's own request.
        .route("/api/v1/applicant/code", post(routes::applicant::send_code))
        .route(
            "/api/v1/applicant/session",
            post(routes::applicant::open_session),
        )
        .route("/api/v1/applicant/request", get(routes::applicant::view))
        .route(
            "/api/v1/applicant/request/actions",
            post(routes::applicant::act),
        )
        .route(
            "/api/v1/applicant/request/payment",
            post(routes::payments::start),
        )
        // Signing in by OpenID Connect.
        .route(
            "/api/v1/signin/oidc/{provider}/start",
            get(routes::oidc::start),
        )
        .route("/api/v1/signin/oidc/callback", get(routes::oidc::callback))
        // Payments.
        .route("/api/v1/payments/callback", get(routes::payments::callback));
    // The sandbox's payer page exists only when the sandbox is the configured gateway; else its
    // paths are not found (not the app's client routes).
    if config.payment_gateway == Some(GatewayKind::Sandbox) {
        routes = routes.route(
            "/sandbox-gateway/{authority}",
            get(routes::payments::sandbox_page).post(routes::payments::sandbox_decide),
        );
    } else {
        routes = routes.route_service(
            "/sandbox-gateway/{*rest}",
            any(|| async { StatusCode::NOT_FOUND }),
        );
    }
    routes
        .route(
            "/api/{*rest}",
            any(|| async { ApiError::for_status(StatusCode::NOT_FOUND) }),
        )
        .with_state(state)
        .fallback_service(static_files::static_files(&config.dist))
        // A panic (a bug, never input) becomes a 500 that `json_errors` words, not a dropped
        // connection.
        .layer(CatchPanicLayer::new())
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn_with_state(
            config.request_timeout,
            layers::timeout,
        ))
        .layer(middleware::from_fn_with_state(
            (csp, config.secure_cookies),
            layers::security_headers,
        ))
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .compress_when(compress),
        )
        .layer(middleware::from_fn_with_state(
            Arc::new(config.trusted_proxies.clone()),
            limit::client_address,
        ))
        .layer(middleware::from_fn(layers::request_id))
}

/// Opens the data directory, binds `addr`, prints the address actually bound (so a caller that
/// asked for port 0 learns the port), and serves until Ctrl-C or SIGTERM. What the retention
/// table says is due is purged at start and daily (`services::retention`, docs/retention.md); uploads no request
/// references are removed a day old (looked for every `config.upload_sweep`). The deadline
/// reminders' pass runs hourly, claimed once across instances (`services::reminders`,
/// docs/reminders.md); so do the refunds the gateway did not make yet (`services::refunds`,
/// docs/payments.md "Refunds"), with a gateway configured; the dashboard's counts are folded into its summary every few seconds
/// (`services::summary`).
pub async fn serve(addr: SocketAddr, config: Config) -> std::io::Result<()> {
    if !Path::new(&config.dist).join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "the app is not built; only the API answers");
    }
    let state = state(&config).await.map_err(std::io::Error::other)?;
    tracing::info!(data_dir = %config.data_dir.display(), "storage open");
    tokio::spawn(crate::services::retention::run_daily(state.store.clone()));
    tokio::spawn(sweep_uploads(state.store.clone(), config.upload_sweep));
    tokio::spawn(crate::services::reminders::run_hourly(state.store.clone()));
    if let Some(gateway) = state.gateway.clone() {
        tokio::spawn(crate::services::refunds::run_hourly(
            state.store.clone(),
            gateway,
        ));
    }
    tokio::spawn(crate::services::summary::run_folds(state.store.clone()));
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

/// Removes the uploads no request references once a day old ([`Store::sweep_uploads`]), at start
/// and every `every`, by one of the instances sharing the database.
async fn sweep_uploads(store: Store, every: Duration) {
    let period = every.as_secs().max(1) as i64;
    let store = &store;
    // Claimed a second early: the ticks of this instance come `period` apart, to the second.
    crate::services::tasks::claimed_every(
        store,
        "upload_sweep",
        every,
        period - 1,
        |now| async move {
            match store.sweep_uploads(now).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(removed = n, "unreferenced uploads removed"),
                Err(e) => tracing::error!(error = %e, "cannot sweep the uploads"),
            }
        },
    )
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
