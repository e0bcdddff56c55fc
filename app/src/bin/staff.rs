//! The staff area's entry point (Trunk builds this binary from `staff.html`).

fn main() {
    app::start_staff();
}
