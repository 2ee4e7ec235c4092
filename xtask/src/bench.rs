//! `cargo xtask bench`: figures, not tests. Prints `key=value` lines, one figure a line:
//! - `dist.<file>.{raw,gzip,brotli}_bytes` and `dist.total.*` for a release build;
//! - `startup.cold_ms.{median,min,max}`: navigation start to the app's ready marker, over
//!   [`COLD_LOADS`] loads of the release build from loopback, each in a new Chromium profile.
//!
//! Still to come (issue 5): validation speed against Ajv in one plain Chromium page, and native
//! criterion benches of core.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::proc::{Sandbox, cmd};
use crate::{dist, setup, test};

const COLD_LOADS: usize = 12;

pub fn run() -> Result<(), String> {
    setup::run()?;
    let dist_dir = dist::run()?;
    let sandbox = Sandbox::start(0, Some(&dist_dir))?;
    let page = sandbox
        .static_url
        .clone()
        .ok_or("the sandbox did not serve dist/")?;
    let driver = Driver::start()?;
    let mut times = Vec::new();
    for _ in 0..COLD_LOADS {
        times.push(driver.cold_load(&format!("{page}/"))?);
    }
    times.sort_by(f64::total_cmp);
    let median = (times[(times.len() - 1) / 2] + times[times.len() / 2]) / 2.0;
    println!("startup.cold_loads={}", times.len());
    println!("startup.cold_ms.median={median:.1}");
    println!("startup.cold_ms.min={:.1}", times[0]);
    println!("startup.cold_ms.max={:.1}", times[times.len() - 1]);
    Ok(())
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

    /// Loads `page` in a new browser with an empty profile; returns the app's ready time in ms.
    fn cold_load(&self, page: &str) -> Result<f64, String> {
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
        let result = self.measure(&id, page);
        let _ = self
            .agent
            .delete(format!("{}/session/{id}", self.url))
            .call();
        let _ = std::fs::remove_dir_all(&profile);
        result
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
