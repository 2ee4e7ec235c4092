//! `cargo xtask test`: every check and test layer, in order, each named and timed. The first
//! failing step fails the command, naming the step.

use std::time::Instant;

use crate::proc::{Sandbox, cmd, exec as run_cmd, root};
use crate::{dist, setup};

/// One step of the run: it passes, or says why not.
type Step = fn() -> Result<(), String>;

pub fn run() -> Result<(), String> {
    let started = Instant::now();
    let mut timings = Vec::new();
    let steps: Vec<(&str, Step)> = vec![
        ("setup", setup::run),
        ("fmt", fmt),
        ("clippy (native)", clippy_native),
        ("clippy (wasm32)", clippy_wasm),
        ("native tests", native_tests),
        ("browser tests (headless Chromium, sandbox)", browser_tests),
        ("release build opened in Chromium", release_build),
    ];
    for (name, step) in steps {
        println!("\n==> {name}");
        let t = Instant::now();
        step().map_err(|e| format!("step \"{name}\" failed: {e}"))?;
        let secs = t.elapsed().as_secs_f64();
        println!("==> {name}: ok ({secs:.1} s)");
        timings.push((name, secs));
    }
    println!(
        "\nxtask test: every step passed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    for (name, secs) in timings {
        println!("  {secs:>7.1} s  {name}");
    }
    Ok(())
}

fn fmt() -> Result<(), String> {
    run_cmd(cmd("cargo").args(["fmt", "--all", "--", "--check"]))
}

fn clippy_native() -> Result<(), String> {
    run_cmd(cmd("cargo").args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

fn clippy_wasm() -> Result<(), String> {
    run_cmd(cmd("cargo").args([
        "clippy",
        "-p",
        "hookpanel",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run_cmd(cmd("cargo").args([
        "clippy",
        "-p",
        "hookpanel-core",
        "--target",
        "wasm32-unknown-unknown",
        "--lib",
        "--",
        "-D",
        "warnings",
    ]))
}

fn native_tests() -> Result<(), String> {
    // The app crate's tests run in the browser (next step).
    run_cmd(cmd("cargo").args(["test", "--workspace", "--exclude", "hookpanel"]))
}

fn browser_tests() -> Result<(), String> {
    let sandbox = Sandbox::start(0, None)?;
    println!("sandbox at {}", sandbox.url);
    run_cmd(
        cmd("cargo")
            .args([
                "test",
                "-p",
                "hookpanel",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env("HOOKPANEL_SANDBOX_URL", &sandbox.url)
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )
}

/// Builds dist/ for release, serves it on loopback, and checks in headless Chromium that the app
/// renders and marks itself ready.
fn release_build() -> Result<(), String> {
    dist::run_trunk_release()?;
    let dist_dir = root().join("dist");
    dist::print_sizes(&dist_dir)?;
    let sandbox = Sandbox::start(0, Some(&dist_dir))?;
    let page = sandbox
        .static_url
        .clone()
        .ok_or("the sandbox did not serve dist/")?;
    let dom = dump_dom(&format!("{page}/"))?;
    if !dom.contains("data-hookpanel-ready=\"1\"")
        || !dom.contains("data-testid=\"add-connection\"")
    {
        let head: String = dom.chars().take(2000).collect();
        return Err(format!(
            "the built page did not render the app; Chromium showed:\n{head}"
        ));
    }
    println!("dist/ renders the app in Chromium");
    csp_blocks_injected_script(&dist_dir, &page)
}

/// The page's Content-Security-Policy runs no script but Trunk's own loader: a copy of the built
/// page with an injected inline script and an inline event handler still starts the app, and
/// neither injection runs.
fn csp_blocks_injected_script(dist_dir: &std::path::Path, page: &str) -> Result<(), String> {
    let index = std::fs::read_to_string(dist_dir.join("index.html"))
        .map_err(|e| format!("cannot read dist/index.html: {e}"))?;
    let injected = index.replacen(
        "<body>",
        "<body><script>document.documentElement.setAttribute('data-injected', 'script')</script>\
         <img src=\"data:,\" onerror=\"document.documentElement.setAttribute('data-injected', 'handler')\">",
        1,
    );
    if injected == index {
        return Err("dist/index.html has no <body> to inject into".into());
    }
    let copy = dist_dir.join("csp-check.html");
    std::fs::write(&copy, injected).map_err(|e| format!("cannot write {}: {e}", copy.display()))?;
    let dom = dump_dom(&format!("{page}/csp-check.html"));
    let _ = std::fs::remove_file(&copy);
    let dom = dom?;
    // The injected code's own text holds the name; only the attribute it would set counts.
    if dom.contains("data-injected=\"") {
        return Err(
            "an injected inline script ran: the Content-Security-Policy does not hold".into(),
        );
    }
    if !dom.contains("data-hookpanel-ready=\"1\"") {
        return Err("the app did not start on the page with injected scripts".into());
    }
    println!("the Content-Security-Policy blocks injected inline scripts; the app still starts");
    Ok(())
}

/// The DOM of `url` after it has run, in headless Chromium with a fresh profile.
fn dump_dom(url: &str) -> Result<String, String> {
    let profile = std::env::temp_dir().join(format!(
        "hookpanel-chromium-{}-{}",
        std::process::id(),
        crate::webdriver::unique()
    ));
    // Bounded, so a Chromium that hangs fails the step instead of the whole CI run.
    let out = cmd("timeout")
        .args(["120", "chromium"])
        .args(chromium_flags())
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--virtual-time-budget=15000", "--dump-dom"])
        .arg(url)
        .output()
        .map_err(|e| format!("cannot run chromium: {e}"))?;
    let _ = std::fs::remove_dir_all(&profile);
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Flags for headless Chromium as root on a machine whose only network is the package registries.
pub fn chromium_flags() -> [&'static str; 9] {
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ]
}
