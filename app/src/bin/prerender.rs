//! The build-time prerenderer (native, feature `prerender`; run by `scripts/build-app.sh` after
//! Trunk): renders the student app's first pages — the start page, the pre-check's first question
//! (also under `/precheck`, the start page's link to it) and the one-page tools — in Persian and
//! English with the app's own components (Leptos's server-side rendering), into copies of the built
//! `index.html` (the pre-check and the tools: of the tools bundle's `tools/index.html`):
//! `<dist>/prerendered/<lang><route>.html` (`/` → `/index`), and their list in
//! `<dist>/prerendered/routes.json`. The server and the service worker answer those routes with
//! them; the app replaces them in place when it starts (`app::start`).
//!
//!     cargo run -p app --no-default-features --features prerender --bin prerender -- dist

use std::path::{Path, PathBuf};
use std::sync::Arc;

use app::shell::i18n::{Lang, PageTitle};
use app::student::app::{is_tools_route, App, ToolsApp};
use hydration_context::SsrSharedContext;
use leptos::prelude::*;
use leptos_router::location::RequestUrl;

/// The routes drawn before the app runs (the student app's own, with no state to read): the main
/// bundle's, and the tools bundle's (its routes but the pre-check's later pages, which read the
/// answers).
const ROUTES: [&str; 7] = [
    "/",
    "/precheck",
    "/precheck/level",
    "/deadline/revocation",
    "/deadline/presentation",
    "/travel",
    "/discharge",
];

/// The element the prerendered nodes sit in (`#prerendered`, `display: contents` in main.css),
/// which `app::start` removes before mounting the app.
const OPEN: &str = "<div id=\"prerendered\">";

fn main() {
    let dist = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "dist".into()));
    let read = |file: PathBuf| {
        std::fs::read_to_string(&file).unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())))
    };
    let main = read(dist.join("index.html"));
    let tools = read(dist.join("tools").join("index.html"));
    for lang in [Lang::Fa, Lang::En] {
        for route in ROUTES {
            let in_tools = is_tools_route(route);
            let (title, body) = render(lang, drawn(route), in_tools);
            let template = if in_tools { &tools } else { &main };
            let page = page(template, lang, &title, &body);
            let file = output(&dist, lang, route);
            std::fs::create_dir_all(file.parent().expect("a file in a folder"))
                .and_then(|()| std::fs::write(&file, page))
                .unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
            println!("prerendered {} {route} → {}", lang.code(), file.display());
        }
    }
    // The list the service worker caches them by (public/sw.js).
    let list = dist.join("prerendered").join("routes.json");
    std::fs::write(
        &list,
        serde_json::to_string(&ROUTES).expect("a list of strings"),
    )
    .unwrap_or_else(|e| fail(&format!("{}: {e}", list.display())));
}

/// The route whose page `route` shows: `/precheck` is the first question's (the app's router
/// then replaces the address with that question's).
fn drawn(route: &str) -> &str {
    if route == "/precheck" {
        "/precheck/level"
    } else {
        route
    }
}

/// The page's title and its body, as the app (or the tools bundle) draws them at `route` in `lang`.
fn render(lang: Lang, route: &str, in_tools: bool) -> (String, String) {
    let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new())));
    owner.with(|| {
        provide_context(RequestUrl::new(route));
        provide_context(lang);
        let title = RwSignal::new(String::new());
        provide_context(PageTitle(title));
        let body = if in_tools {
            view! { <ToolsApp /> }.to_html()
        } else {
            view! { <App /> }.to_html()
        };
        (title.get_untracked(), body)
    })
}

/// `index.html` with the language, the title and the drawn nodes.
fn page(template: &str, lang: Lang, title: &str, body: &str) -> String {
    let html = format!("<html dir=\"{}\" lang=\"{}\"", lang.dir(), lang.code());
    let page = replace_once(template, "<html dir=\"rtl\" lang=\"fa\"", &html);
    let page = replace_once(
        &page,
        "<title>پیشخوان</title>",
        &format!("<title>{}</title>", escape(title)),
    );
    replace_once(&page, "<body>", &format!("<body>\n    {OPEN}{body}</div>"))
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    if !text.contains(from) {
        fail(&format!("index.html has no {from}"));
    }
    text.replacen(from, to, 1)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;")
}

/// `<dist>/prerendered/<lang><route>.html`, `/` as `/index`.
fn output(dist: &Path, lang: Lang, route: &str) -> PathBuf {
    let name = if route == "/" { "/index" } else { route };
    dist.join("prerendered")
        .join(format!("{}{name}.html", lang.code()))
}

fn fail(message: &str) -> ! {
    eprintln!("prerender: {message}");
    std::process::exit(1);
}
