//! Prints the generated OpenAPI document: `cargo run -p api --features openapi --example openapi`.

fn main() {
    println!("{}", api::openapi::json());
}
