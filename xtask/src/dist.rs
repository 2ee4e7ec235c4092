//! `cargo xtask dist`: a release build in `dist/`, and what each file weighs raw, gzipped (-9) and
//! brotli'd (-q 11), as `key=value` lines.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::proc::{cmd, exec, root};

/// Builds `dist/` for release and prints its sizes. Returns the dist folder.
pub fn run() -> Result<PathBuf, String> {
    run_trunk_release()?;
    let dist = root().join("dist");
    print_sizes(&dist)?;
    Ok(dist)
}

pub fn run_trunk_release() -> Result<(), String> {
    exec(&mut trunk_release())
}

/// `trunk build --release`, split at the screens (`split.rs`): what `dist/` is, what the release
/// check and the benches load.
pub fn trunk_release() -> std::process::Command {
    let mut command = cmd("trunk");
    command.args(["build", "--release"]);
    command.envs(crate::split::release_env());
    command
}

/// A release build into `dist`, with `env` set for it (the sandbox's address, say).
pub fn run_trunk_release_into(dist: &Path, env: &[(&str, &str)]) -> Result<(), String> {
    let mut command = trunk_release();
    command.arg("--dist").arg(dist);
    for (name, value) in env {
        command.env(name, value);
    }
    exec(&mut command)
}

pub fn print_sizes(dist: &Path) -> Result<(), String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dist)
        .map_err(|e| format!("cannot read {}: {e}", dist.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    // What the browser fetches: before the first screen (the page, its loader and the main
    // module); just after it (the everyday screens' chunks, `src/lazy.rs`); and on demand (the
    // workspace file's own chunk). `_headers` is the host's, never fetched: only in the total.
    let mut total = [0usize; 3];
    let mut first_load = [0usize; 3];
    let mut background = [0usize; 3];
    for path in &files {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let sizes = [bytes.len(), gzip(&bytes)?, brotli(path)?];
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Hashed names change every build; the key names the kind of file.
        let key = stable_name(&name);
        let chunk = key.starts_with("hookpanel-split_") || key.starts_with("hookpanel-chunk_");
        for (i, kind) in ["raw", "gzip", "brotli"].iter().enumerate() {
            println!("dist.{key}.{kind}_bytes={}", sizes[i]);
            total[i] += sizes[i];
            if !chunk && key != "_headers." {
                first_load[i] += sizes[i];
            }
            if chunk && key != "hookpanel-split_workspace_file.wasm" {
                background[i] += sizes[i];
            }
        }
    }
    for (i, kind) in ["raw", "gzip", "brotli"].iter().enumerate() {
        println!("dist.first_load.{kind}_bytes={}", first_load[i]);
        println!(
            "dist.after_first_screen.{kind}_bytes={}",
            first_load[i] + background[i]
        );
        println!("dist.total.{kind}_bytes={}", total[i]);
    }
    Ok(())
}

fn stable_name(name: &str) -> String {
    // hookpanel-app-0123abcd_bg.wasm -> hookpanel-app_bg.wasm
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let (stem, suffix) = match stem.strip_suffix("_bg") {
        Some(s) => (s, "_bg"),
        None => (stem, ""),
    };
    let stem = match stem.rsplit_once('-') {
        Some((head, hash)) if hash.len() >= 8 && hash.chars().all(|c| c.is_ascii_hexdigit()) => {
            head
        }
        _ => stem,
    };
    format!("{stem}{suffix}.{ext}")
}

fn gzip(bytes: &[u8]) -> Result<usize, String> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).map_err(|e| e.to_string())?;
    encoder.finish().map(|v| v.len()).map_err(|e| e.to_string())
}

fn brotli(path: &Path) -> Result<usize, String> {
    let out = cmd("brotli")
        .args(["-q", "11", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run brotli (cargo xtask setup installs it): {e}"))?;
    if out.status.success() {
        Ok(out.stdout.len())
    } else {
        Err(format!("brotli failed on {}", path.display()))
    }
}
