//! The student app's tools bundle's entry point (Trunk builds this binary from `tools.html`,
//! which `scripts/build-app.sh` writes from `index.html`).

fn main() {
    app::start_tools();
}
