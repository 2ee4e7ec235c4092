//! A small WebDriver client over ChromeDriver: sessions in headless Chromium with a fresh
//! profile, navigation, scripts, and screenshots.

use base64::Engine;
use serde_json::{Value, json};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::proc::cmd;
use crate::test::chromium_flags;

/// A ChromeDriver on a loopback port, stopped when dropped.
pub struct Driver {
    child: Child,
    url: String,
    agent: ureq::Agent,
}

/// One browser, with its own empty profile, closed when dropped.
pub struct Session<'a> {
    driver: &'a Driver,
    id: String,
    profile: std::path::PathBuf,
}

impl Driver {
    pub fn start() -> Result<Driver, String> {
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
        let answer: Value = response
            .body_mut()
            .read_json()
            .map_err(|e| format!("chromedriver {path}: {e}"))?;
        if let Some(error) = answer["value"]["error"].as_str() {
            return Err(format!(
                "chromedriver {path}: {error}: {}",
                answer["value"]["message"]
            ));
        }
        Ok(answer)
    }

    /// A new browser window of `width` × `height` CSS pixels, with an empty profile.
    pub fn session(&self, width: u32, height: u32) -> Result<Session<'_>, String> {
        self.session_with(width, height, false)
    }

    /// A new browser window whose console is recorded, for [`Session::console`].
    pub fn logged_session(&self, width: u32, height: u32) -> Result<Session<'_>, String> {
        self.session_with(width, height, true)
    }

    fn session_with(&self, width: u32, height: u32, logged: bool) -> Result<Session<'_>, String> {
        let profile =
            std::env::temp_dir().join(format!("hookpanel-wd-{}-{}", std::process::id(), unique()));
        let mut args: Vec<String> = chromium_flags().iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push(format!("--window-size={},{height}", width.max(500)));
        args.push("--hide-scrollbars".into());
        let mut options = json!({"binary": "/usr/bin/chromium", "args": args});
        // Headless Chromium's window is at least 500 px wide; a phone's width is emulated.
        if width < 500 {
            options["mobileEmulation"] =
                json!({"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1}});
        }
        let mut capabilities = json!({"goog:chromeOptions": options});
        if logged {
            capabilities["goog:loggingPrefs"] = json!({"browser": "ALL"});
        }
        let answer = self.post(
            "/session",
            json!({"capabilities": {"alwaysMatch": capabilities}}),
        )?;
        let id = answer["value"]["sessionId"]
            .as_str()
            .ok_or_else(|| format!("chromedriver gave no session: {answer}"))?
            .to_string();
        Ok(Session {
            driver: self,
            id,
            profile,
        })
    }
}

impl Session<'_> {
    pub fn open(&self, url: &str) -> Result<(), String> {
        self.driver
            .post(&format!("/session/{}/url", self.id), json!({"url": url}))
            .map(|_| ())
    }

    /// Every request from now on, in this browser, as if over a network of `down_kbps` kilobits
    /// a second down (and up) with `latency_ms` added to each request (ChromeDriver's network
    /// conditions, Chromium's DevTools throttling).
    pub fn throttle(&self, down_kbps: u32, latency_ms: u32) -> Result<(), String> {
        let bytes_per_s = f64::from(down_kbps) * 1000.0 / 8.0;
        self.driver
            .post(
                &format!("/session/{}/chromium/network_conditions", self.id),
                json!({"network_conditions": {
                    "offline": false,
                    "latency": latency_ms,
                    "download_throughput": bytes_per_s,
                    "upload_throughput": bytes_per_s,
                }}),
            )
            .map(|_| ())
    }

    /// Runs `script` in every document this browser opens from now on, before the page's own
    /// scripts (Chromium's `Page.addScriptToEvaluateOnNewDocument`, through ChromeDriver).
    pub fn on_new_document(&self, script: &str) -> Result<(), String> {
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": script}),
        )
    }

    /// Types `text` where the focused control's caret is, as a keyboard or an input method does
    /// (Chromium's `Input.insertText`, through ChromeDriver): the browser edits the text in place
    /// and fires `input`, where setting `value` would replace all of it.
    pub fn insert_text(&self, text: &str) -> Result<(), String> {
        self.cdp("Input.insertText", json!({"text": text}))
    }

    /// A Chrome DevTools Protocol command, through ChromeDriver's `goog/cdp/execute`.
    fn cdp(&self, command: &str, params: Value) -> Result<(), String> {
        self.driver
            .post(
                &format!("/session/{}/goog/cdp/execute", self.id),
                json!({"cmd": command, "params": params}),
            )
            .map(|_| ())
    }

    /// Runs `script` in the page and returns its value.
    pub fn js(&self, script: &str) -> Result<Value, String> {
        self.driver
            .post(
                &format!("/session/{}/execute/sync", self.id),
                json!({"script": script, "args": []}),
            )
            .map(|a| a["value"].clone())
    }

    /// Polls `condition` (a script returning a boolean) until it holds, for up to `seconds`.
    pub fn wait_for(&self, what: &str, condition: &str, seconds: u64) -> Result<(), String> {
        let started = Instant::now();
        loop {
            if self.js(condition)? == Value::Bool(true) {
                return Ok(());
            }
            if started.elapsed() > Duration::from_secs(seconds) {
                return Err(format!("waited {seconds} s for {what}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// What the page wrote to the console since the last call (a session made with
    /// [`Driver::logged_session`]), as (level, message): failed loads show here as `SEVERE`.
    pub fn console(&self) -> Result<Vec<(String, String)>, String> {
        let answer = self.driver.post(
            &format!("/session/{}/se/log", self.id),
            json!({"type": "browser"}),
        )?;
        Ok(answer["value"]
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| {
                        (
                            e["level"].as_str().unwrap_or_default().to_string(),
                            e["message"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Moves into the page's first frame: what scripts then run and see is the frame's.
    pub fn enter_frame(&self) -> Result<(), String> {
        self.driver
            .post(&format!("/session/{}/frame", self.id), json!({"id": 0}))
            .map(|_| ())
    }

    /// A PNG of the window.
    pub fn screenshot(&self) -> Result<Vec<u8>, String> {
        let mut response = self
            .driver
            .agent
            .get(format!(
                "{}/session/{}/screenshot",
                self.driver.url, self.id
            ))
            .call()
            .map_err(|e| format!("screenshot: {e}"))?;
        let answer: Value = response
            .body_mut()
            .read_json()
            .map_err(|e| format!("screenshot: {e}"))?;
        let data = answer["value"]
            .as_str()
            .ok_or("chromedriver gave no screenshot")?;
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| format!("screenshot: {e}"))
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self
            .driver
            .agent
            .delete(format!("{}/session/{}", self.driver.url, self.id))
            .call();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// A number that differs between calls, for unique profile folders.
pub fn unique() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}
