//! The request forms' entry point (Trunk builds this binary from `forms.html`).

fn main() {
    app::start_forms();
}
