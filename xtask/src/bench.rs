//! `cargo xtask bench [dist] [startup] [validate] [native] [--precompressed] [--no-build]`: figures,
//! not tests.
//! Prints `key=value` lines on stdout, one figure a line (build logs and criterion's own report go
//! to stderr). With no part named, it runs them all:
//! - `dist`: `dist.<file>.{raw,gzip,brotli}_bytes` and `dist.total.*` for a release build;
//! - `startup`: `startup.cold_ms.{median,min,max}`, navigation start to the app's ready marker, over
//!   [`COLD_LOADS`] loads of the release build from loopback, each in a new Chromium profile
//!   (`--precompressed`: served as brotli files, as a CDN with precompressed files would;
//!   `--no-build`: measure the `dist/` already there instead of building it);
//! - `validate`: `validate.{hookpanel_ns,ajv_ns,ratio_vs_ajv}.<vendor>.<valid|invalid>` and
//!   `validate.compile_ms.<vendor>`, Hookpanel against Ajv 8 in one plain Chromium page
//!   ([`validate`]);
//! - `native`: `native.{validate,compile,plan,decode}_ns.*`, criterion's medians for core
//!   ([`native`]).
//!
//! Builds go to `CARGO_TARGET_DIR` when it is set, as cargo's do.

mod native;
mod serve;
mod validate;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::proc::{cmd, root};
use crate::webdriver::{Driver, Session};
use crate::{dist, setup};

const COLD_LOADS: usize = 12;
const PARTS: [&str; 4] = ["dist", "startup", "validate", "native"];

pub fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let (precompressed, no_build) = (flag("--precompressed"), flag("--no-build"));
    let mut parts: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if let Some(unknown) = parts.iter().find(|p| !PARTS.contains(p)) {
        return Err(format!(
            "no bench part {unknown:?}; usage: cargo xtask bench [{}] [--precompressed] [--no-build]",
            PARTS.join("] [")
        ));
    }
    if parts.is_empty() {
        parts = PARTS.to_vec();
    }
    setup::run()?;
    let wants = |part: &str| parts.contains(&part);
    let dist_dir = if no_build && (wants("dist") || wants("startup")) {
        let dir = root().join("dist");
        dist::print_sizes(&dir)?;
        Some(dir)
    } else if wants("dist") || wants("startup") {
        Some(dist::run()?)
    } else {
        None
    };
    let driver = if wants("startup") || wants("validate") {
        Some(Driver::start()?)
    } else {
        None
    };
    if let (Some(dist_dir), Some(driver)) = (&dist_dir, &driver)
        && wants("startup")
    {
        startup(driver, dist_dir, precompressed)?;
    }
    if let Some(driver) = &driver
        && wants("validate")
    {
        validate::run(driver)?;
    }
    if wants("native") {
        native::run()?;
    }
    Ok(())
}

fn startup(driver: &Driver, dist_dir: &std::path::Path, precompressed: bool) -> Result<(), String> {
    if precompressed {
        for entry in std::fs::read_dir(dist_dir)
            .map_err(|e| format!("cannot read {}: {e}", dist_dir.display()))?
            .flatten()
        {
            let path = entry.path();
            if path.is_file() && path.extension().is_none_or(|e| e != "br") {
                crate::proc::exec(cmd("brotli").args(["-f", "-k", "-q", "11"]).arg(&path))?;
            }
        }
    }
    let server = serve::Server::start(dist_dir, precompressed)?;
    let mut times = Vec::new();
    for _ in 0..COLD_LOADS {
        times.push(cold_load(driver, &format!("{}/", server.url))?);
    }
    if precompressed {
        // dist/ is what gets uploaded; the .br files were only for this run.
        for entry in std::fs::read_dir(dist_dir).into_iter().flatten().flatten() {
            if entry.path().extension().is_some_and(|e| e == "br") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let median = (times[(times.len() - 1) / 2] + times[times.len() / 2]) / 2.0;
    println!("startup.cold_loads={}", times.len());
    println!("startup.precompressed={precompressed}");
    println!("startup.cold_ms.median={median:.1}");
    println!("startup.cold_ms.min={:.1}", times[0]);
    println!("startup.cold_ms.max={:.1}", times[times.len() - 1]);
    Ok(())
}

/// Where cargo puts builds: `CARGO_TARGET_DIR` if set (relative to the workspace root), else
/// `target/`.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

/// Loads `page` in a new browser with an empty profile; returns the app's ready time in ms.
fn cold_load(driver: &Driver, page: &str) -> Result<f64, String> {
    let session = driver.session(1280, 800)?;
    session.open(page)?;
    let script = "return document.documentElement.getAttribute('data-hookpanel-ready-ms')";
    let ready = poll_text(
        &session,
        script,
        Duration::from_millis(20),
        Duration::from_secs(30),
    )
    .map_err(|_| "the page did not become ready in 30 s".to_string())?;
    ready
        .parse::<f64>()
        .map_err(|e| format!("the ready marker {ready:?} is not a number: {e}"))
}

/// Opens `page` in a new browser and runs `script` until it returns a string (which it
/// returns) or `timeout` passes.
fn run_page(
    driver: &Driver,
    page: &str,
    script: &str,
    timeout: Duration,
) -> Result<String, String> {
    let session = driver.session(1280, 800)?;
    session.open(page)?;
    poll_text(&session, script, Duration::from_millis(250), timeout)
        .map_err(|e| format!("{page}: {e}"))
}

/// Runs `script` every `every` until it returns a string, for up to `timeout`.
fn poll_text(
    session: &Session<'_>,
    script: &str,
    every: Duration,
    timeout: Duration,
) -> Result<String, String> {
    let started = Instant::now();
    loop {
        if let Value::String(text) = session.js(script)? {
            return Ok(text);
        }
        if started.elapsed() > timeout {
            return Err(format!("no answer in {} s", timeout.as_secs()));
        }
        std::thread::sleep(every);
    }
}
