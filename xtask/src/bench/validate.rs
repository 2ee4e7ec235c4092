//! Validation speed in one plain headless Chromium page: Hookpanel's keystroke path (core's
//! `validate_text`, built to wasm from `crates/bench-wasm` with the app's release profile) against
//! Ajv 8 with JSON.parse, on each vendor's create schema with a valid and an invalid payload. The
//! page and its loop are `bench/page/`; this builds what it needs, serves it and reads the figures.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};

use super::run_page;
use crate::proc::{cmd, exec, root};
use crate::serve::Server;
use crate::webdriver::Driver;

/// Per vendor: the create fixture with no errors, and one as an admin might have half typed it
/// (the target URL not yet acceptable). `crates/core/benches/core.rs` uses the same.
const CASES: [(&str, &str, &str); 4] = [
    ("collect", "all-fields", "target-not-a-url"),
    ("saleshandy", "all-fields", "url-not-a-url"),
    ("superoffice", "all-fields", "seed-003-http-target"),
    ("kajabi", "all-fields", "target-not-a-url"),
];

/// The page takes about a minute; more than this means it hangs.
const PAGE_TIMEOUT: Duration = Duration::from_secs(600);

pub fn run(driver: &Driver) -> Result<(), String> {
    let page = build_page()?;
    let server = Server::start(&page, false)?;
    let answer = run_page(
        driver,
        &format!("{}/index.html", server.url),
        "return window.__benchResult ? JSON.stringify(window.__benchResult) : null",
        PAGE_TIMEOUT,
    )?;
    let answer: Value =
        serde_json::from_str(&answer).map_err(|e| format!("the bench page answered {e}"))?;
    if let Some(error) = answer["error"].as_str() {
        return Err(format!("the validation page failed: {error}"));
    }
    let figures = answer["figures"]
        .as_object()
        .ok_or("the bench page gave no figures")?;
    let figure = |key: &str| -> Result<f64, String> {
        figures
            .get(key)
            .and_then(Value::as_f64)
            .ok_or_else(|| format!("the bench page gave no {key}"))
    };
    for key in [
        "validate.hookpanel_wasm_init_ms",
        "validate.hookpanel_init_ms",
    ] {
        println!("{key}={:.2}", figure(key)?);
    }
    for (vendor, _, _) in CASES {
        for key in ["warm_up_ms", "ajv_compile_ms"] {
            let key = format!("validate.{key}.{vendor}");
            println!("{key}={:.2}", figure(&key)?);
        }
        for kind in ["valid", "invalid"] {
            for name in ["hookpanel_ns", "fresh_ns", "ajv_ns"] {
                let key = format!("validate.{name}.{vendor}.{kind}");
                println!("{key}={:.0}", figure(&key)?);
            }
            for ratio in ["ratio_vs_ajv", "fresh_ratio_vs_ajv", "form_ratio_vs_ajv"] {
                for end in ["", "_min", "_max"] {
                    let key = format!("validate.{ratio}{end}.{vendor}.{kind}");
                    println!("{key}={:.2}", figure(&key)?);
                }
            }
            for name in [
                "hookpanel_parse_ns",
                "hookpanel_parse_fresh_ns",
                "hookpanel_checks_ns",
                "json_parse_ns",
                "form_ns",
                "ajv_validate_ns",
            ] {
                let key = format!("validate.{name}.{vendor}.{kind}");
                println!("{key}={:.0}", figure(&key)?);
            }
        }
    }
    for name in ["array_10k", "object_10k"] {
        for what in [
            "large_first_ms",
            "large_ms",
            "large_problems",
            "large_bytes",
        ] {
            let key = format!("validate.{what}.{name}");
            println!("{key}={:.2}", figure(&key)?);
        }
    }
    Ok(())
}

/// `<target>/bench-page/`: the page, Ajv bundled, the bound wasm and the cases.
fn build_page() -> Result<PathBuf, String> {
    let bench = root().join("bench");
    if !bench.join("node_modules").is_dir() {
        exec(
            cmd("npm")
                .arg("ci")
                .current_dir(&bench)
                .stdout(Stdio::from(std::io::stderr())),
        )
        .map_err(|e| format!("{e} (npm installs Ajv and esbuild for the bench page)"))?;
    }
    exec(
        cmd("npm")
            .args(["run", "--silent", "build"])
            .current_dir(&bench),
    )?;

    exec(cmd("cargo").args([
        "build",
        "--quiet",
        "--release",
        "-p",
        "hookpanel-bench-wasm",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let target = crate::proc::target_dir();
    let page = target.join("bench-page");
    exec(
        cmd("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--out-dir"])
            .arg(&page)
            .arg(target.join("wasm32-unknown-unknown/release/hookpanel_bench_wasm.wasm")),
    )?;
    for (from, to) in [
        (bench.join("page/index.html"), "index.html"),
        (bench.join("page/bench.js"), "bench.js"),
        (bench.join("build/ajv.js"), "ajv.js"),
    ] {
        std::fs::copy(&from, page.join(to))
            .map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
    }
    let cases = CASES
        .iter()
        .map(|(vendor, valid, invalid)| {
            Ok(json!({
                "vendor": vendor,
                "schema": read(&root().join(format!("schemas/{vendor}/create.json")))?,
                "payloads": {
                    "valid": payload(vendor, valid)?,
                    "invalid": payload(vendor, invalid)?,
                },
            }))
        })
        .collect::<Result<Vec<Value>, String>>()?;
    std::fs::write(page.join("cases.json"), Value::Array(cases).to_string())
        .map_err(|e| format!("cannot write cases.json: {e}"))?;
    std::fs::write(page.join("large.json"), large_cases().to_string())
        .map_err(|e| format!("cannot write large.json: {e}"))?;
    Ok(page)
}

/// Drafts of real sizes, as the raw editor shows them: a SuperOffice webhook whose `Events` holds
/// 10,000 distinct names (a record read back from a busy tenant, say), and one with 10,000 fields
/// SuperOffice does not know (10,000 problems).
fn large_cases() -> Value {
    let base =
        json!({"Name": "Large", "TargetUrl": "https://hooks.example.com/large", "Type": "webhook"});
    let mut array = base.clone();
    array["Events"] = (0..10_000)
        .map(|i| Value::String(format!("entity{i}.created")))
        .collect();
    let mut object = base;
    object["Events"] = json!(["contact.created"]);
    for i in 0..10_000 {
        object[format!("Unknown{i}")] = json!(i);
    }
    let text = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    json!({
        "array_10k": {"vendor": "superoffice", "text": text(&array)},
        "object_10k": {"vendor": "superoffice", "text": text(&object)},
    })
}

/// A fixture's instance as the raw editor shows it (pretty-printed).
fn payload(vendor: &str, name: &str) -> Result<String, String> {
    let path = root().join(format!("schemas/{vendor}/fixtures/create/{name}.json"));
    let fixture: Value = serde_json::from_str(&read(&path)?)
        .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    serde_json::to_string_pretty(&fixture["instance"]).map_err(|e| e.to_string())
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}
