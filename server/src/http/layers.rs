//! What wraps every answer: the request id and its log line, the time limit, and the security
//! headers — among them a Content-Security-Policy without `'unsafe-inline'` that allows Trunk's
//! inline loader scripts and the inlined critical CSS by their SHA-256 hashes, read from the built
//! `index.html` files.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use tracing::Instrument;

use crate::http::error::ApiError;

pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Gives every request an id (the client's `x-request-id` when it is a sane token, else a fresh
/// one), logs one line per answer inside a span carrying it — method, path, status and time, never
/// a body, a query or a header value — and returns the id in `x-request-id`.
pub async fn request_id(request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=64).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
        .map(str::to_owned)
        .unwrap_or_else(fresh_id);
    let path = loggable_path(request.uri().path());
    let span = tracing::info_span!("request", id = %id, method = %request.method(), path = %path);
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            ms = started.elapsed().as_secs_f64() * 1000.0,
            "answered"
        );
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(X_REQUEST_ID, value);
    }
    response
}

/// The path as logged: API paths and files in full (neither ever carries a person's data), a
/// client route by its first segment only (`/track/1234-5678-9012` → `/track/…`), since the app's
/// routes may carry ids and tracking codes.
pub fn loggable_path(path: &str) -> String {
    let is_file = path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    if path.starts_with("/api/") || is_file {
        return path.to_owned();
    }
    match path[1.min(path.len())..].split_once('/') {
        Some((first, _)) => format!("/{first}/…"),
        None => path.to_owned(),
    }
}

fn fresh_id() -> String {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    crate::hex(&bytes)
}

/// Answers 408 (`REQUEST_TIMEOUT`) when a request — reading its body included — is not answered
/// within the limit.
pub async fn timeout(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::for_status(axum::http::StatusCode::REQUEST_TIMEOUT).into_response(),
    }
}

/// The security headers, on every answer; behind TLS (`hsts`: `serve --secure-cookies`) also
/// `Strict-Transport-Security` for a year, subdomains included.
pub async fn security_headers(
    State((csp, hsts)): State<(Arc<Csp>, bool)>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, csp.header(html));
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// The Content-Security-Policy, with the hashes of the inline scripts and styles of `dist/index.html`,
/// `dist/tools/index.html`, `dist/forms/index.html` and `dist/staff/index.html`. Computed at start and again whenever one of those files changes (a
/// rebuild while the server runs), checked when an HTML page is answered.
pub struct Csp {
    files: [PathBuf; 4],
    current: RwLock<(Vec<Option<SystemTime>>, HeaderValue)>,
}

impl Csp {
    pub fn new(dist: &Path) -> Csp {
        let files = [
            dist.join("index.html"),
            dist.join("tools").join("index.html"),
            dist.join("forms").join("index.html"),
            dist.join("staff").join("index.html"),
        ];
        let stamps = Self::stamps(&files);
        let value = Self::compute(&files);
        Csp {
            files,
            current: RwLock::new((stamps, value)),
        }
    }

    fn stamps(files: &[PathBuf]) -> Vec<Option<SystemTime>> {
        files
            .iter()
            .map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok())
            .collect()
    }

    fn compute(files: &[PathBuf]) -> HeaderValue {
        let pages: Vec<String> = files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .collect();
        let hashes = |tag: &str| {
            let mut hashes: Vec<String> = pages
                .iter()
                .flat_map(|html| inline_hashes(html, tag))
                .collect();
            hashes.sort();
            hashes.dedup();
            hashes
        };
        let policy = policy(&hashes("script"), &hashes("style"));
        HeaderValue::from_str(&policy)
            .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
    }

    /// The header's value; `fresh` re-reads the pages if they changed since.
    pub fn header(&self, fresh: bool) -> HeaderValue {
        if fresh {
            let stamps = Self::stamps(&self.files);
            let stale = self.current.read().map(|c| c.0 != stamps).unwrap_or(true);
            if stale {
                let value = Self::compute(&self.files);
                if let Ok(mut c) = self.current.write() {
                    *c = (stamps, value.clone());
                }
                return value;
            }
        }
        self.current
            .read()
            .map(|c| c.1.clone())
            .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
    }
}

/// The policy: everything from this origin only; scripts also by hash and wasm compilation
/// (`'wasm-unsafe-eval'`, which allows no JavaScript `eval`); `<style>` elements by hash only (no
/// `style` attributes); no framing.
pub fn policy(script_hashes: &[String], style_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    let mut style_src = String::from("'self'");
    for (src, hashes) in [
        (&mut script_src, script_hashes),
        (&mut style_src, style_hashes),
    ] {
        for h in hashes {
            src.push_str(&format!(" 'sha256-{h}'"));
        }
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src {style_src}; img-src 'self' data: blob:; \
         font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The base64 SHA-256 of each inline `<script>` (one without `src`) of a page, as CSP wants it:
/// over the exact text between the tags.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    inline_hashes(html, "script")
}

/// The base64 SHA-256 of each inline `<tag>` element (`script` or `style`; one without `src`) of
/// a page, over the exact text between the tags (a tag named inside an HTML comment is no element).
pub fn inline_hashes(html: &str, tag: &str) -> Vec<String> {
    let (open, close_tag) = (format!("<{tag}"), format!("</{tag}"));
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        if let Some(comment) = rest[..start].find("<!--") {
            match rest[comment..].find("-->") {
                Some(end) => {
                    rest = &rest[comment + end + 3..];
                    continue;
                }
                None => break,
            }
        }
        let after = &rest[start + open.len()..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let attributes = &after[..tag_end];
        let content = &after[tag_end + 1..];
        let Some(close) = content.find(&close_tag) else {
            break;
        };
        if !attributes.contains("src=") {
            let digest = Sha256::digest(&content.as_bytes()[..close]);
            hashes.push(base64::engine::general_purpose::STANDARD.encode(digest));
        }
        rest = &content[close..];
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_routes_are_logged_by_their_first_segment() {
        assert_eq!(loggable_path("/track/1234-5678-9012"), "/track/…");
        assert_eq!(
            loggable_path("/requests/withdrawal/0b1d7a1e/reason"),
            "/requests/…"
        );
        assert_eq!(loggable_path("/drafts"), "/drafts");
        assert_eq!(loggable_path("/"), "/");
        assert_eq!(
            loggable_path("/api/v1/requests/lookup"),
            "/api/v1/requests/lookup"
        );
        assert_eq!(
            loggable_path("/forms/forms-4462997d1bcce757.js"),
            "/forms/forms-4462997d1bcce757.js"
        );
    }

    #[test]
    fn hashes_only_inline_scripts_over_their_exact_text() {
        let html = "<head><script type=\"module\">\nimport init from '/a.js';\n</script>\
                    <script src=\"/register-sw.js\" defer></script><script>x()</script></head>";
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 2);
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"\nimport init from '/a.js';\n"));
        assert_eq!(hashes[0], expected);
        let p = policy(&hashes, &[]);
        assert!(p.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-{expected}'"
        )));
        assert!(!p.contains("unsafe-inline"));
        assert!(p.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn hashes_inline_styles_into_style_src() {
        let html = "<head><!-- each <style> by its hash --><style>body{margin:0}</style>\
                    <link rel=\"stylesheet\" href=\"/a.css\"></head>";
        let styles = inline_hashes(html, "style");
        let expected =
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"body{margin:0}"));
        assert_eq!(styles, vec![expected.clone()]);
        assert!(inline_script_hashes(html).is_empty());
        let p = policy(&[], &styles);
        assert!(p.contains(&format!("style-src 'self' 'sha256-{expected}';")));
        assert!(!p.contains("unsafe-inline"));
    }
}
