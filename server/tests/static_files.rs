//! The built app's files over a real socket: compressed when the client accepts it (brotli or
//! gzip, on the fly or from a precompressed `<file>.br`), with the caching headers the service
//! worker and the browser rely on, and the client-route fallback limited to routes.

mod common;

use std::io::Read;

use common::TempDir;

const FORMS_INDEX: &str = "<!doctype html><html dir=\"rtl\" lang=\"fa\"><head><title>forms</title>\
<link rel=\"modulepreload\" href=\"/forms/forms-4462997d1bcce757.js\"></head><body></body></html>";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The tools bundle's shell (the pre-check and the tool pages).
const TOOLS_INDEX: &str =
    "<!doctype html><html dir=\"rtl\" lang=\"fa\"><head><title>tools</title></head></html>";
const INDEX: &str = "<!doctype html><html dir=\"rtl\" lang=\"fa\"><head><title>پیشخوان</title>\
<link rel=\"stylesheet\" href=\"/main-0a1b2c3d4e5f6071.css\">\
<link rel=\"modulepreload\" href=\"/app-3f2a9c0d1e2b4a5f.js\"></head><body></body></html>";

/// A `pishkhan serve` process on a free port serving a fake `dist/`; both go when dropped.
struct Server {
    _server: common::Server,
    base: String,
    dist: TempDir,
}

/// Compressible text of about `n` bytes.
fn text(seed: &str, n: usize) -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.len() < n {
        s.push_str(&format!("{seed} {i} "));
        i += 1;
    }
    s
}

fn start() -> Server {
    let dist = TempDir::new("static");
    dist.write("index.html", INDEX.as_bytes());
    dist.write("forms/index.html", FORMS_INDEX.as_bytes());
    dist.write("tools/index.html", TOOLS_INDEX.as_bytes());
    dist.write(
        "app-3f2a9c0d1e2b4a5f.js",
        text("export function run() {}", 4000).as_bytes(),
    );
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    wasm.extend(text("wasm", 8000).into_bytes());
    dist.write("app-3f2a9c0d1e2b4a5f_bg.wasm", &wasm);
    dist.write(
        "main-0a1b2c3d4e5f6071.css",
        text("body{margin:0}", 2000).as_bytes(),
    );
    // A precompressed sibling, sent as is to a client that accepts brotli.
    dist.write("main-0a1b2c3d4e5f6071.css.br", b"precompressed brotli");
    dist.write(
        "sw.js",
        text("self.addEventListener('fetch', () => {});", 1000).as_bytes(),
    );
    dist.write(
        "register-sw.js",
        text("navigator.serviceWorker.register('/sw.js');", 500).as_bytes(),
    );
    dist.write(
        "manifest.webmanifest",
        text("{\"name\": \"پیشخوان\"}", 500).as_bytes(),
    );
    dist.write("fonts/vazirmatn-400.woff2", &[b'w'; 3000]);

    let server = common::serve(&dist.0);
    let base = server.base.clone();
    Server {
        _server: server,
        base,
        dist,
    }
}

struct Answer {
    status: u16,
    encoding: Option<String>,
    cache: Option<String>,
    vary: Option<String>,
    body: Vec<u8>,
}

/// GET `path` with `Accept-Encoding: accept` (none when empty); the body is decoded here, so the
/// client must not decode it itself.
fn get(server: &Server, path: &str, accept: &str) -> Answer {
    let client = reqwest::blocking::Client::builder()
        .no_gzip()
        .no_brotli()
        .no_deflate()
        .build()
        .unwrap();
    let mut request = client.get(format!("{}{path}", server.base));
    if !accept.is_empty() {
        request = request.header("accept-encoding", accept);
    }
    let response = request.send().unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let (status, encoding, cache, vary) = (
        response.status().as_u16(),
        header("content-encoding"),
        header("cache-control"),
        header("vary"),
    );
    let raw = response.bytes().unwrap().to_vec();
    let mut body = Vec::new();
    match encoding.as_deref() {
        Some("br") if raw != b"precompressed brotli" => {
            brotli::Decompressor::new(&raw[..], 4096)
                .read_to_end(&mut body)
                .unwrap();
        }
        Some("gzip") => {
            flate2::read::GzDecoder::new(&raw[..])
                .read_to_end(&mut body)
                .unwrap();
        }
        _ => body = raw,
    }
    Answer {
        status,
        encoding,
        cache,
        vary,
        body,
    }
}

fn file(server: &Server, name: &str) -> Vec<u8> {
    std::fs::read(server.dist.0.join(name)).unwrap()
}

#[test]
fn compresses_what_the_client_accepts() {
    let server = start();
    for (path, name) in [
        ("/", "index.html"),
        ("/app-3f2a9c0d1e2b4a5f.js", "app-3f2a9c0d1e2b4a5f.js"),
        (
            "/app-3f2a9c0d1e2b4a5f_bg.wasm",
            "app-3f2a9c0d1e2b4a5f_bg.wasm",
        ),
        ("/sw.js", "sw.js"),
    ] {
        for (accept, expected) in [
            ("br", Some("br")),
            ("gzip", Some("gzip")),
            ("gzip, deflate, br", Some("br")),
            ("", None),
        ] {
            let answer = get(&server, path, accept);
            assert_eq!(answer.status, 200, "{path} {accept}");
            assert_eq!(answer.encoding.as_deref(), expected, "{path} {accept}");
            assert_eq!(answer.body, file(&server, name), "{path} {accept}");
            if expected.is_some() {
                let vary = answer.vary.unwrap_or_default().to_ascii_lowercase();
                assert!(vary.contains("accept-encoding"), "{path} {accept}");
            }
        }
    }
    // woff2 is compressed already: sent as is.
    let font = get(&server, "/fonts/vazirmatn-400.woff2", "br, gzip");
    assert_eq!(font.status, 200);
    assert_eq!(font.encoding, None);
    // A precompressed file is preferred to compressing on the fly.
    let css = get(&server, "/main-0a1b2c3d4e5f6071.css", "br");
    assert_eq!(css.encoding.as_deref(), Some("br"));
    assert_eq!(css.body, b"precompressed brotli");
    assert!(css.vary.unwrap_or_default().contains("accept-encoding"));
    let css = get(&server, "/main-0a1b2c3d4e5f6071.css", "gzip");
    assert_eq!(css.encoding.as_deref(), Some("gzip"));
    assert_eq!(css.body, file(&server, "main-0a1b2c3d4e5f6071.css"));
}

#[test]
fn hashed_files_are_immutable_and_the_rest_is_revalidated() {
    let server = start();
    for path in [
        "/app-3f2a9c0d1e2b4a5f.js",
        "/app-3f2a9c0d1e2b4a5f_bg.wasm",
        "/main-0a1b2c3d4e5f6071.css",
    ] {
        for accept in ["br", ""] {
            let answer = get(&server, path, accept);
            assert_eq!(answer.status, 200, "{path}");
            assert_eq!(answer.cache.as_deref(), Some(IMMUTABLE), "{path} {accept}");
        }
    }
    for path in [
        "/",
        "/index.html",
        "/sw.js",
        "/register-sw.js",
        "/manifest.webmanifest",
        "/fonts/vazirmatn-400.woff2",
        // client routes: the SPA fallback
        "/precheck",
        "/precheck/level",
        "/deadline/revocation",
    ] {
        let answer = get(&server, path, "br, gzip");
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.cache.as_deref(), Some("no-cache"), "{path}");
    }
    for (path, shell) in [
        ("/not-a-route", INDEX),
        ("/precheck", TOOLS_INDEX),
        ("/precheck/level", TOOLS_INDEX),
        ("/deadline/revocation", TOOLS_INDEX),
        ("/precheck/result", TOOLS_INDEX),
    ] {
        let answer = get(&server, path, "br");
        assert_eq!(answer.body, shell.as_bytes(), "{path}");
    }
}

#[test]
fn request_forms_routes_get_the_forms_bundle() {
    let server = start();
    for path in [
        "/requests/exemption",
        "/requests/withdrawal",
        "/requests/clearance",
        "/requests/withdrawal/0b1d7a1e-0000-4000-8000-000000000001/reason",
        "/drafts",
        "/track",
        "/track/receipt",
        "/track/1234-5678-9012",
        "/track/mine",
        "/signin",
    ] {
        let answer = get(&server, path, "");
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.body, FORMS_INDEX.as_bytes(), "{path}");
        assert_eq!(answer.cache.as_deref(), Some("no-cache"), "{path}");
    }
    // The student app keeps every other route, and the forms' index is a file too.
    assert_eq!(get(&server, "/requests", "").body, INDEX.as_bytes());
    assert_eq!(get(&server, "/tracks", "").body, INDEX.as_bytes());
    assert_eq!(get(&server, "/signing", "").body, INDEX.as_bytes());
    assert_eq!(
        get(&server, "/forms/index.html", "").body,
        FORMS_INDEX.as_bytes()
    );
}

#[test]
fn missing_files_are_404_not_the_app() {
    let server = start();
    for path in [
        "/app-0000000000000000.js",
        "/app-0000000000000000_bg.wasm",
        "/favicon.ico",
    ] {
        let answer = get(&server, path, "br");
        assert_eq!(answer.status, 404, "{path}");
        assert_ne!(answer.cache.as_deref(), Some(IMMUTABLE), "{path}");
    }
    // The API is untouched by the static rules.
    let health = get(&server, "/api/v1/health", "");
    assert_eq!(health.status, 200);
    assert_eq!(health.cache, None);
}
