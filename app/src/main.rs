//! The student app's entry point (Trunk builds this binary).

fn main() {
    app::start();
}
