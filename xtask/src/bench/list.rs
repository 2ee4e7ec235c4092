//! The list screen on an account of a thousand subscriptions, in headless Chromium against the
//! release build: `list.render_ms.1000`, the list drawn from what the page has already read
//! (going back to it from another screen), and `list.filter_ms.1000`, a keystroke in the filter
//! that narrows the thousand and one that widens it back. Each is from the change to the second
//! animation frame after it, so the page's script, the layout and a paint are in; the median of
//! [`ROUNDS`] is printed.

use serde_json::json;

use crate::proc::{Sandbox, exec};
use crate::webdriver::{Driver, free_port};

const ROUNDS: usize = 9;
const COUNT: usize = 1000;

pub fn run(driver: &Driver) -> Result<(), String> {
    // The sandbox's address is built into the page, so choose it before building.
    let port = free_port()?;
    let sandbox_url = format!("http://127.0.0.1:{port}");
    let dist = crate::proc::target_dir().join("bench-list");
    exec(
        crate::dist::trunk_release()
            .arg("--dist")
            .arg(&dist)
            .env("HOOKPANEL_SANDBOX_URL", &sandbox_url)
            .stdout(std::process::Stdio::from(std::io::stderr())),
    )?;
    let _sandbox = Sandbox::start(port)?;
    ureq::post(format!("{sandbox_url}/_sandbox/seed"))
        .send_json(json!({"vendor": "saleshandy", "count": COUNT}))
        .map_err(|e| format!("the sandbox did not seed: {e}"))?;
    let server = crate::serve::Server::start(&dist, false)?;
    let session = driver.session(1280, 900)?;
    session.open(&format!("{}/#/c/sandbox-saleshandy", server.url))?;
    session.wait_for(
        "the list of a thousand",
        &format!("return document.querySelectorAll('[data-testid=subscriptions] > li').length === {COUNT}"),
        60,
    )?;
    let mut render = Vec::new();
    let mut filter = Vec::new();
    for _ in 0..ROUNDS {
        session.js("location.hash = '#/'; return true")?;
        session.wait_for(
            "the connections",
            "return !document.querySelector('[data-testid=subscriptions]')",
            10,
        )?;
        render.push(timed(
            &session,
            "location.hash = '#/c/sandbox-saleshandy';",
            &format!(
                "document.querySelectorAll('[data-testid=subscriptions] > li').length === {COUNT}"
            ),
        )?);
        for (text, rows) in [("crm.example.org", "< 1000"), ("", "=== 1000")] {
            filter.push(timed(
                &session,
                &format!(
                    "const f = document.getElementById('filter-text'); f.value = {text:?}; \
                     f.dispatchEvent(new Event('input', {{bubbles: true}}));"
                ),
                &format!(
                    "document.querySelectorAll('[data-testid=subscriptions] > li').length {rows}"
                ),
            )?);
        }
    }
    println!("list.count={COUNT}");
    println!("list.render_ms.{COUNT}={:.1}", super::median(&render));
    println!("list.filter_ms.{COUNT}={:.1}", super::median(&filter));
    Ok(())
}

/// Milliseconds from running `change` to the second animation frame after `done` holds (polled
/// each frame), measured in the page.
fn timed(session: &crate::webdriver::Session<'_>, change: &str, done: &str) -> Result<f64, String> {
    session.js(&format!(
        "window.__took = null; const t0 = performance.now(); {change} \
         const frame = () => new Promise(r => requestAnimationFrame(r)); \
         (async () => {{ \
             for (let i = 0; i < 600 && !({done}); i++) await frame(); \
             await frame(); await frame(); \
             window.__took = performance.now() - t0; \
         }})(); return true"
    ))?;
    session.wait_for(
        "the change to be drawn",
        "return window.__took !== null",
        30,
    )?;
    session
        .js("return window.__took")?
        .as_f64()
        .ok_or_else(|| "the page gave no time".to_string())
}
