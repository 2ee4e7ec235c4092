//! `cargo xtask bench [dist] [startup] [validate] [list] [native] [cli] [--precompressed] [--no-build]
//! [--network=KBPS/MS]`: figures,
//! not tests.
//! Prints `key=value` lines on stdout, one figure a line (build logs and criterion's own report go
//! to stderr). With no part named, it runs them all:
//! - `dist`: `dist.<file>.{raw,gzip,brotli}_bytes` and `dist.total.*` for a release build;
//! - `startup`: `startup.cold_ms.{median,min,max}`, navigation start to the app's ready marker, over
//!   [`COLD_LOADS`] loads of the release build from loopback, each in a new Chromium profile, and
//!   `startup.over_floor_ms.{median,min,max}`, each load less the empty page's load just after it,
//!   and `startup.editor_ms.{median,min,max}`, a link to a new Kajabi webhook's form opened cold
//!   until the form is drawn (the screens' chunks fetched after the main module)
//!   (`--precompressed`: served as brotli files, as a CDN with precompressed files would;
//!   `--no-build`: measure the `dist/` already there instead of building it;
//!   `--network=1600/150`: every load throttled to 1,600 kbit/s with 150 ms more per request,
//!   to see what bytes cost where loopback hides it);
//! - `validate`: `validate.{hookpanel_ns,ajv_ns,ratio_vs_ajv}.<vendor>.<valid|invalid>` (text to
//!   problems) and `validate.{form_ns,ajv_validate_ns,form_ratio_vs_ajv}.…` (a form keystroke on
//!   a parsed draft), Hookpanel against Ajv 8 in one plain Chromium page ([`validate`]);
//! - `list`: `list.render_ms.1000` and `list.filter_ms.1000`, the list screen on an account of a
//!   thousand subscriptions in Chromium ([`list`]);
//! - `native`: `native.{validate,check,schema,plan,decode}_ns.*`, criterion's medians for core
//!   ([`native`]);
//! - `cli`: `cli.files_per_s.<tool>` and `cli.ratio_vs.<tool>`, `hookpanel validate` against
//!   ajv-cli and check-jsonschema on the same [`cli::FILES`] drafts ([`cli`]).
//!
//! Builds go to `CARGO_TARGET_DIR` when it is set, as cargo's do.

mod cli;
mod editor;
mod list;
mod native;

mod validate;

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::proc::{cmd, root};
use crate::webdriver::{Driver, Session};
use crate::{dist, setup};

const COLD_LOADS: usize = 12;
/// A link to the editor, opened cold for `startup.editor_ms`, and the id of its first field.
const EDITOR_LINK: &str = "#/c/sandbox-kajabi/new";
const EDITOR_FIELD: &str = "field-data-attributes-target_url";
/// How long a new browser is left to start before a cold load.
const SETTLE: Duration = Duration::from_millis(1000);
const PARTS: [&str; 7] = [
    "dist", "startup", "validate", "list", "editor", "native", "cli",
];

pub fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    let (precompressed, no_build) = (flag("--precompressed"), flag("--no-build"));
    let network = match args.iter().find_map(|a| a.strip_prefix("--network=")) {
        Some(spec) => Some(network(spec)?),
        None => None,
    };
    let mut parts: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if let Some(unknown) = parts.iter().find(|p| !PARTS.contains(p)) {
        return Err(format!(
            "no bench part {unknown:?}; usage: cargo xtask bench [{}] [--precompressed] [--no-build] \
             [--network=KBPS/MS]",
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
    let driver = if wants("startup") || wants("validate") || wants("list") || wants("editor") {
        Some(Driver::start()?)
    } else {
        None
    };
    if let (Some(dist_dir), Some(driver)) = (&dist_dir, &driver)
        && wants("startup")
    {
        startup(driver, dist_dir, precompressed, network)?;
    }
    if let Some(driver) = &driver
        && wants("validate")
    {
        validate::run(driver)?;
    }
    if let Some(driver) = &driver
        && wants("list")
    {
        list::run(driver)?;
    }
    if let Some(driver) = &driver
        && wants("editor")
    {
        editor::run(driver)?;
    }
    if wants("native") {
        native::run()?;
    }
    if wants("cli") {
        cli::run()?;
    }
    Ok(())
}

/// `--network=KBPS/MS`: a throughput in kbit/s and a latency in ms added to each request.
fn network(spec: &str) -> Result<(u32, u32), String> {
    let parsed = spec
        .split_once('/')
        .and_then(|(kbps, ms)| Some((kbps.parse().ok()?, ms.parse().ok()?)));
    match parsed {
        Some((kbps, ms)) if kbps > 0 => Ok((kbps, ms)),
        _ => Err(format!(
            "--network={spec}: expected kbit/s and ms of latency, as in --network=1600/150"
        )),
    }
}

fn startup(
    driver: &Driver,
    dist_dir: &std::path::Path,
    precompressed: bool,
    network: Option<(u32, u32)>,
) -> Result<(), String> {
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
    let server = crate::serve::Server::start(dist_dir, precompressed)?;
    let floor_dir = floor_page()?;
    let floor_server = crate::serve::Server::start(&floor_dir, false)?;
    let mut times = Vec::new();
    let mut wasm_fetched = Vec::new();
    let mut main_started = Vec::new();
    let mut floors = Vec::new();
    let mut over_floor = Vec::new();
    let mut editor = Vec::new();
    // The app's loads and the floor's alternate, so that each app load has a floor measured on
    // the machine as it was that moment: the goal's figure is the median of these differences.
    for _ in 0..COLD_LOADS {
        let load = cold_load(driver, &format!("{}/", server.url), network)?;
        editor.push(editor_load(
            driver,
            &format!("{}/{EDITOR_LINK}", server.url),
            network,
        )?);
        let floor = cold_load(driver, &format!("{}/", floor_server.url), network)?.ready;
        times.push(load.ready);
        wasm_fetched.push(load.wasm_fetched);
        main_started.push(load.main_started);
        floors.push(floor);
        over_floor.push(load.ready - floor);
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
    over_floor.sort_by(f64::total_cmp);
    println!("startup.cold_loads={}", times.len());
    println!("startup.precompressed={precompressed}");
    if let Some((kbps, ms)) = network {
        println!("startup.network_kbps={kbps}");
        println!("startup.network_latency_ms={ms}");
    }
    println!("startup.cold_ms.median={:.1}", median(&times));
    println!("startup.cold_ms.min={:.1}", times[0]);
    println!("startup.cold_ms.max={:.1}", times[times.len() - 1]);
    // Where the time goes: the wasm's last byte in, and the app's code first running (after the
    // wasm is compiled and instantiated). What follows `main` is the first screen being built.
    println!(
        "startup.wasm_fetched_ms.median={:.1}",
        median(&wasm_fetched)
    );
    println!("startup.main_ms.median={:.1}", median(&main_started));
    println!("startup.floor_ms.median={:.1}", median(&floors));
    editor.sort_by(f64::total_cmp);
    println!("startup.editor_ms.median={:.1}", median(&editor));
    println!("startup.editor_ms.min={:.1}", editor[0]);
    println!("startup.editor_ms.max={:.1}", editor[editor.len() - 1]);
    println!("startup.over_floor_ms.median={:.1}", median(&over_floor));
    println!("startup.over_floor_ms.min={:.1}", over_floor[0]);
    println!(
        "startup.over_floor_ms.max={:.1}",
        over_floor[over_floor.len() - 1]
    );
    Ok(())
}

/// A page with nothing in it but one tiny script that sets the ready marker: its cold load is
/// what a new browser and the loopback server take before any app can start
/// (`startup.floor_ms.median`).
fn floor_page() -> Result<std::path::PathBuf, String> {
    let dir = crate::proc::target_dir().join("bench-floor");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let files = [
        (
            "index.html",
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>floor</title>\
             <script type=\"module\" src=\"/ready.js\"></script></head><body></body></html>",
        ),
        (
            "ready.js",
            "performance.mark('hookpanel-main');\
             document.documentElement.setAttribute('data-hookpanel-ready-ms', performance.now().toFixed(1));",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).map_err(|e| format!("cannot write {name}: {e}"))?;
    }
    Ok(dir)
}

pub(crate) fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    (sorted[(sorted.len() - 1) / 2] + sorted[sorted.len() / 2]) / 2.0
}

/// One cold load's milestones, in ms since navigation start.
struct ColdLoad {
    ready: f64,
    wasm_fetched: f64,
    main_started: f64,
}

/// A new browser with an empty profile that has finished starting, over `network` (kbit/s, ms)
/// when given. An admin's browser is already running when the page is opened: what is cold is
/// the page (nothing of it cached, nothing compiled), not the browser. A browser just launched is
/// still starting its own processes for a second or so, on the same two cores.
fn settled(driver: &Driver, network: Option<(u32, u32)>) -> Result<Session<'_>, String> {
    let session = driver.session(1280, 800)?;
    if let Some((kbps, ms)) = network {
        session.throttle(kbps, ms)?;
    }
    session.open("about:blank")?;
    std::thread::sleep(SETTLE);
    Ok(session)
}

/// Loads `page` in a [`settled`] browser; returns its milestones.
fn cold_load(driver: &Driver, page: &str, network: Option<(u32, u32)>) -> Result<ColdLoad, String> {
    let session = settled(driver, network)?;
    session.open(page)?;
    let script = "const ready = document.documentElement.getAttribute('data-hookpanel-ready-ms'); \
        if (ready === null) return null; \
        const wasm = performance.getEntriesByType('resource').find(e => e.name.endsWith('_bg.wasm')); \
        const main = performance.getEntriesByName('hookpanel-main')[0]; \
        return [ready, wasm ? wasm.responseEnd : -1, main ? main.startTime : -1].join(' ');";
    let text = poll_text(
        &session,
        script,
        Duration::from_millis(20),
        Duration::from_secs(30),
    )
    .map_err(|_| "the page did not become ready in 30 s".to_string())?;
    let numbers: Vec<f64> = text
        .split(' ')
        .map(str::parse::<f64>)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("the milestones {text:?} are not numbers: {e}"))?;
    match numbers[..] {
        [ready, wasm_fetched, main_started] => Ok(ColdLoad {
            ready,
            wasm_fetched,
            main_started,
        }),
        _ => Err(format!("expected three milestones, got {text:?}")),
    }
}

/// Opens `page` (a link to the editor) in a [`settled`] browser and returns when the editor's
/// first field was put in the page, in ms since navigation start: seen by a `MutationObserver`
/// set before the page's scripts run, not by polling.
fn editor_load(driver: &Driver, page: &str, network: Option<(u32, u32)>) -> Result<f64, String> {
    let session = settled(driver, network)?;
    session.on_new_document(&format!(
        "new MutationObserver((_, observer) => {{ \
           if (document.getElementById('{EDITOR_FIELD}')) {{ \
             window.__hookpanelEditorMs = performance.now(); observer.disconnect(); }} \
         }}).observe(document, {{ subtree: true, childList: true }});"
    ))?;
    session.open(page)?;
    let text = poll_text(
        &session,
        "return window.__hookpanelEditorMs === undefined ? null : String(window.__hookpanelEditorMs);",
        Duration::from_millis(20),
        Duration::from_secs(60),
    )
    .map_err(|_| format!("the editor ({EDITOR_LINK}) did not open in 60 s"))?;
    text.parse::<f64>()
        .map_err(|e| format!("the editor's milestone {text:?} is not a number: {e}"))
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
