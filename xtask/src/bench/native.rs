//! Native figures of core, from criterion (`crates/core/benches/core.rs`): runs
//! `cargo bench -p hookpanel-core --bench core` and prints each median as `native.<group>_ns.<id>`.

use std::process::Stdio;

use serde_json::Value;

use crate::proc::{cmd, exec};

pub fn run() -> Result<(), String> {
    // Criterion's own report goes to stderr as it runs, so stdout stays `key=value` lines.
    exec(
        cmd("cargo")
            .args([
                "bench",
                "--quiet",
                "-p",
                "hookpanel-core",
                "--bench",
                "core",
            ])
            .stdout(Stdio::from(std::io::stderr())),
    )?;
    let dir = crate::proc::target_dir().join("criterion");
    let mut figures = Vec::new();
    for entry in std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
    {
        let read = |file: &str| -> Option<Value> {
            let text = std::fs::read_to_string(entry.path().join("new").join(file)).ok()?;
            serde_json::from_str(&text).ok()
        };
        let (Some(id), Some(estimates)) = (read("benchmark.json"), read("estimates.json")) else {
            continue;
        };
        let (Some(id), Some(median)) = (
            id["full_id"].as_str(),
            estimates["median"]["point_estimate"].as_f64(),
        ) else {
            continue;
        };
        // validate/collect/valid -> native.validate_ns.collect.valid
        if let Some((group, rest)) = id.split_once('/') {
            figures.push((
                format!("native.{group}_ns.{}", rest.replace('/', ".")),
                median,
            ));
        }
    }
    figures.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, ns) in figures {
        println!("{key}={ns:.0}");
    }
    Ok(())
}
