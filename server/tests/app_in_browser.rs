//! The built app (Trunk's `dist/`) served by `pishkhan serve` and loaded in headless Chromium:
//! the wasm must run and render the shell (a blank page fails here).
//!
//! Needs `dist/` and Chromium; `scripts/test.sh` provides both and sets `PISHKHAN_REQUIRE_APP=1`
//! so that the test cannot skip there. A bare `cargo test` without them says so and skips.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

const CHROMIUM: &str = "/usr/bin/chromium";

fn dist() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist")
}

#[test]
fn the_built_app_renders_in_headless_chromium() {
    let have_app = dist().join("index.html").exists() && Path::new(CHROMIUM).exists();
    if !have_app {
        assert!(
            std::env::var_os("PISHKHAN_REQUIRE_APP").is_none(),
            "PISHKHAN_REQUIRE_APP is set but dist/index.html or {CHROMIUM} is missing"
        );
        eprintln!(
            "skipped: build the app (trunk build) and install chromium, or run scripts/test.sh"
        );
        return;
    }
    let server = common::serve(&dist());
    let base = server.base.clone();

    let profile = std::env::temp_dir().join(format!("pishkhan-chromium-{}", std::process::id()));
    let output = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("{base}/"))
        .output()
        .unwrap();
    drop(server);
    let _ = std::fs::remove_dir_all(&profile);

    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(
        dom.contains("dir=\"rtl\"") && dom.contains("lang=\"fa\""),
        "{dom}"
    );
    // Rendered by the wasm, not present in index.html:
    assert!(
        dom.contains("پیشخوان معافیت تحصیلی"),
        "the app did not render:\n{dom}"
    );
    assert!(
        dom.contains("data-app-ready"),
        "the app did not mark itself ready:\n{dom}"
    );
}
