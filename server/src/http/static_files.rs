//! The built app: files from `dist/` (precompressed `.br`/`.gz` beside them preferred), the
//! bundle's `index.html` for client routes (the student app, its tools bundle under the pre-check's
//! and the one-page tools' routes, the forms under `/requests/…`,
//! `/drafts`, `/track` and `/signin`, the staff area under `/staff`) — or, for the student app's first
//! pages, the page prerendered at build time in the language of the `pishkhan_lang` cookie —
//! and their `Cache-Control`.

use std::path::{Path, PathBuf};

use axum::extract::Request;
use axum::handler::HandlerWithoutStateExt;
use axum::http::header::{CACHE_CONTROL, CONTENT_ENCODING, COOKIE, VARY};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

/// The built app: files from `dist`, `index.html` for client routes (paths whose last segment has
/// no dot, such as `/precheck/level`), 404 for missing files. A `<file>.br` or `<file>.gz` beside
/// a file is sent instead of compressing on the fly when the client accepts it. Caching: Trunk's
/// content-hashed files are immutable for a year, everything else is revalidated (`no-cache`), so
/// a deploy is seen at once and the service worker (`public/sw.js`) finds new versions.
pub fn static_files(dist: &Path) -> Router {
    let app_index = dist.join("index.html");
    let tools_index = dist.join("tools").join("index.html");
    let forms_index = dist.join("forms").join("index.html");
    let staff_index = dist.join("staff").join("index.html");
    let prerendered = dist.join("prerendered");
    let spa_fallback = move |request: Request| async move {
        let path = request.uri().path().to_owned();
        let path = path.as_str();
        if looks_like_file(path) {
            return StatusCode::NOT_FOUND.into_response();
        }
        let cookie = request
            .headers()
            .get(COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let cookie = cookie.as_deref();
        let page = (!is_forms_route(path) && !is_staff_route(path))
            .then(|| prerendered_page(&prerendered, path, cookie))
            .flatten();
        let index = if let Some(page) = &page {
            page
        } else if is_tools_route(path) {
            &tools_index
        } else if is_forms_route(path) {
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
            Ok(response) => {
                let mut response = response.into_response();
                // The student app's pages depend on the language cookie.
                if !is_forms_route(path) && !is_staff_route(path) {
                    response
                        .headers_mut()
                        .insert(VARY, HeaderValue::from_static("accept-encoding, cookie"));
                }
                response
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot read index.html");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    };
    // `/` too goes to the fallback (it may have a prerendered page), not straight to index.html.
    let files = ServeDir::new(dist)
        .append_index_html_on_directories(false)
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

/// Client routes of the student app's tools bundle, built into `dist/tools/` (the pre-check,
/// `/precheck` and `/precheck/…`, and the one-page tools: `app::student::app::is_tools_route`), a
/// trailing `/` allowed. Their pages prerendered at build time are answered first, like the main
/// bundle's.
pub fn is_tools_route(path: &str) -> bool {
    const ROUTES: [&str; 4] = [
        "/deadline/revocation",
        "/deadline/presentation",
        "/travel",
        "/discharge",
    ];
    let path = path.strip_suffix('/').unwrap_or(path);
    path == "/precheck" || path.starts_with("/precheck/") || ROUTES.contains(&path)
}

/// Client routes of the request forms, a second bundle built into `dist/forms/`: `/requests/…`,
/// `/drafts`, `/track` (my requests, receipts) and `/signin`.
pub fn is_forms_route(path: &str) -> bool {
    path.starts_with("/requests/")
        || ["/drafts", "/track", "/signin"].iter().any(|p| {
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

/// The page prerendered for a client route of the student app (`app/src/bin/prerender.rs` writes
/// `<dir>/<lang><route>.html`, `/` as `/index`), in the language of the `pishkhan_lang` cookie
/// (`en`; Persian otherwise), when the build has one.
pub fn prerendered_page(dir: &Path, path: &str, cookie: Option<&str>) -> Option<PathBuf> {
    let lang = cookie
        .into_iter()
        .flat_map(|c| c.split(';'))
        .find_map(|pair| pair.trim().strip_prefix("pishkhan_lang="))
        .filter(|lang| *lang == "en")
        .unwrap_or("fa");
    let route = match path.trim_end_matches('/') {
        "" => "/index",
        route => route,
    };
    let plain = route
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'/' || b == b'-');
    if !plain || route.contains("//") {
        return None;
    }
    let file = dir.join(format!("{lang}{route}.html"));
    file.is_file().then_some(file)
}

fn looks_like_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'))
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
    fn tools_routes_answer_the_tools_bundle() {
        for path in [
            "/travel",
            "/travel/",
            "/deadline/revocation",
            "/precheck",
            "/precheck/",
            "/precheck/level",
            "/precheck/check",
            "/precheck/result",
        ] {
            assert!(is_tools_route(path), "{path}");
            assert!(!is_forms_route(path) && !is_staff_route(path), "{path}");
        }
        for path in ["/", "/prechecks", "/deadline", "/travels", "/x/travel"] {
            assert!(!is_tools_route(path), "{path}");
        }
    }

    #[test]
    fn prerendered_pages_by_route_and_language_cookie() {
        let dir = std::env::temp_dir().join(format!("pishkhan-prerendered-{}", std::process::id()));
        for file in ["fa/index.html", "en/index.html", "fa/precheck/level.html"] {
            let file = dir.join(file);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, "<html>").unwrap();
        }
        let page = |path, cookie| {
            prerendered_page(&dir, path, cookie)
                .map(|f| f.strip_prefix(&dir).unwrap().to_string_lossy().into_owned())
        };
        assert_eq!(page("/", None).as_deref(), Some("fa/index.html"));
        assert_eq!(
            page("/", Some("a=1; pishkhan_lang=en")).as_deref(),
            Some("en/index.html")
        );
        assert_eq!(
            page("/", Some("pishkhan_lang=xx")).as_deref(),
            Some("fa/index.html")
        );
        assert_eq!(
            page("/precheck/level", Some("pishkhan_lang=fa")).as_deref(),
            Some("fa/precheck/level.html")
        );
        // No page of its own (English here), a route without one, or a path that is no route.
        assert_eq!(page("/precheck/level", Some("pishkhan_lang=en")), None);
        assert_eq!(page("/travel", None), None);
        assert_eq!(page("/../fa/index", None), None);
        assert_eq!(page("/Index", None), None);
        std::fs::remove_dir_all(&dir).unwrap();
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
