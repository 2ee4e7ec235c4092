//! `cargo xtask`: the project's own automation.
//!
//! - `setup`: installs what is missing (wasm32 target, Trunk, wasm-bindgen CLI, Chromium, ...).
//! - `serve`: the app on `trunk serve`, connected to the sandbox.
//! - `test`: every check and test layer, each step named and timed.
//! - `bench`: figures (dist sizes, cold start-up); not part of the tests.
//! - `fuzz`: a long property-test and libFuzzer campaign against core (see RELIABILITY.md).
//! - `dist`: a release build in `dist/`, with its sizes.
//! - `screenshots`: the main screens, rendered in headless Chromium, into `target/screenshots/`.
//! - `post-build`: Trunk's post-build hook; splits a release wasm at its screens (`split.rs`) and
//!   puts the loader script's hash into the page's CSP (`csp.rs`).

mod bench;
mod csp;
mod dist;
mod fifth_vendor;
mod fuzz;
mod proc;
mod screenshots;
mod serve;
mod setup;
mod split;
mod test;
mod webdriver;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(),
        Some("serve") => serve(),
        Some("test") => test::run(),
        Some("dist") => dist::run().map(|_| ()),
        Some("bench") => bench::run(),
        Some("post-build") => post_build(),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("screenshots") => screenshots::run(),
        Some("fifth-vendor") => fifth_vendor::run(),
        _ => {
            eprintln!(
                "usage: cargo xtask <setup|serve|test|bench|dist|screenshots|fuzz|post-build|fifth-vendor>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Port the sandbox listens on for `serve`, and the page's port.
/// Trunk's post-build hook, run in its staging folder before it becomes `dist/`.
fn post_build() -> Result<(), String> {
    let staging = std::env::var("TRUNK_STAGING_DIR")
        .map_err(|_| "post-build runs as Trunk's post-build hook (TRUNK_STAGING_DIR is not set)")?;
    let staging = std::path::PathBuf::from(staging);
    split::run(&staging)?;
    csp::run(&staging)
}

const SANDBOX_PORT: u16 = 8787;
const PAGE_PORT: u16 = 8080;

fn serve() -> Result<(), String> {
    setup::run()?;
    let sandbox = proc::Sandbox::start(SANDBOX_PORT)?;
    println!("xtask: sandbox at {}", sandbox.url);
    println!(
        "xtask: open http://127.0.0.1:{PAGE_PORT}/ (the page starts connected to the sandbox)"
    );
    proc::exec(
        proc::cmd("trunk")
            .args([
                "serve",
                "--address",
                "127.0.0.1",
                "--port",
                &PAGE_PORT.to_string(),
                "--no-autoreload",
            ])
            .env("HOOKPANEL_SANDBOX_URL", &sandbox.url),
    )
}
