//! The student app's entry point: mounts the Leptos root on `<body>`.

mod shell;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(shell::Shell);
}
