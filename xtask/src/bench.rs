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
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::proc::{cmd, root};
use crate::{dist, setup, test};

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
        times.push(driver.cold_load(&format!("{}/", server.url))?);
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

/// A ChromeDriver on a loopback port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
    agent: ureq::Agent,
}

impl Driver {
    fn start() -> Result<Driver, String> {
        let port = free_port()?;
        let child = cmd("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| {
                format!("cannot start chromedriver (cargo xtask setup installs it): {e}")
            })?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            agent,
        };
        let started = Instant::now();
        while driver
            .agent
            .get(format!("{}/status", driver.url))
            .call()
            .is_err()
        {
            if started.elapsed() > Duration::from_secs(20) {
                return Err("chromedriver did not start in 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(driver)
    }

    fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        let mut response = self
            .agent
            .post(format!("{}{path}", self.url))
            .send_json(body)
            .map_err(|e| format!("chromedriver {path}: {e}"))?;
        response
            .body_mut()
            .read_json::<Value>()
            .map_err(|e| format!("chromedriver {path}: {e}"))
    }

    /// Runs `f` on a session of a new browser with an empty profile, then closes it.
    fn with_session<T>(&self, f: impl FnOnce(&str) -> Result<T, String>) -> Result<T, String> {
        let profile = std::env::temp_dir().join(format!(
            "hookpanel-bench-{}-{}",
            std::process::id(),
            unique()
        ));
        let mut args: Vec<String> = test::chromium_flags()
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let session = self.post(
            "/session",
            json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}}),
        )?;
        let id = session["value"]["sessionId"]
            .as_str()
            .ok_or_else(|| format!("chromedriver gave no session: {session}"))?
            .to_string();
        let result = f(&id);
        let _ = self
            .agent
            .delete(format!("{}/session/{id}", self.url))
            .call();
        let _ = std::fs::remove_dir_all(&profile);
        result
    }

    /// Loads `page` in a new browser with an empty profile; returns the app's ready time in ms.
    fn cold_load(&self, page: &str) -> Result<f64, String> {
        self.with_session(|id| self.measure(id, page))
    }

    /// Opens `page` in a new browser and runs `script` until it returns a string (which it
    /// returns) or `timeout` passes.
    fn run_page(&self, page: &str, script: &str, timeout: Duration) -> Result<String, String> {
        self.with_session(|session| {
            self.post(&format!("/session/{session}/url"), json!({"url": page}))?;
            let started = Instant::now();
            loop {
                let answer = self.post(
                    &format!("/session/{session}/execute/sync"),
                    json!({"script": script, "args": []}),
                )?;
                if let Some(text) = answer["value"].as_str() {
                    return Ok(text.to_string());
                }
                if started.elapsed() > timeout {
                    return Err(format!("{page} gave no answer in {} s", timeout.as_secs()));
                }
                std::thread::sleep(Duration::from_millis(250));
            }
        })
    }

    fn measure(&self, session: &str, page: &str) -> Result<f64, String> {
        self.post(&format!("/session/{session}/url"), json!({"url": page}))?;
        let script = "return document.documentElement.getAttribute('data-hookpanel-ready-ms')";
        let started = Instant::now();
        loop {
            let answer = self.post(
                &format!("/session/{session}/execute/sync"),
                json!({"script": script, "args": []}),
            )?;
            if let Some(ms) = answer["value"].as_str().and_then(|v| v.parse::<f64>().ok()) {
                return Ok(ms);
            }
            if started.elapsed() > Duration::from_secs(30) {
                return Err("the page did not become ready in 30 s".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// A number that differs between calls, for unique profile folders.
fn unique() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}
