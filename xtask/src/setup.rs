//! `cargo xtask setup`: checks each tool by name and version and installs only what is missing,
//! so a second run does nothing. Works as root on a bare Debian machine.

use crate::proc::{cmd, exec, output, root};

pub const TRUNK_VERSION: &str = "0.21.14";
const APT_PACKAGES: &[&str] = &["binaryen", "chromium", "chromium-driver", "brotli"];

pub fn run() -> Result<(), String> {
    let mut did = Vec::new();

    let targets = output(cmd("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        say("installing the wasm32-unknown-unknown target");
        exec(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
        did.push("wasm32 target");
    }

    let trunk = output(cmd("trunk").arg("--version")).unwrap_or_default();
    if trunk.split_whitespace().nth(1) != Some(TRUNK_VERSION) {
        say(&format!(
            "installing trunk {TRUNK_VERSION} (about 12 minutes on 2 cores)"
        ));
        exec(cmd("cargo").args(["install", "--locked", &format!("trunk@{TRUNK_VERSION}")]))?;
        did.push("trunk");
    }

    let wanted = wasm_bindgen_version()?;
    let have = output(cmd("wasm-bindgen").arg("--version")).unwrap_or_default();
    let runner = output(cmd("wasm-bindgen-test-runner").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(wanted.as_str()) || !runner.contains(wanted.as_str())
    {
        // Not --locked: a version its lock file pins is not in the registry this machine reaches.
        say(&format!(
            "installing wasm-bindgen-cli {wanted} (about 5 minutes)"
        ));
        exec(cmd("cargo").args(["install", "--force", &format!("wasm-bindgen-cli@{wanted}")]))?;
        did.push("wasm-bindgen-cli");
    }

    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .copied()
        .filter(|p| !dpkg_installed(p))
        .collect();
    if !missing.is_empty() {
        say(&format!("installing {}", missing.join(", ")));
        exec(
            cmd("apt-get")
                .arg("update")
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )?;
        exec(
            cmd("apt-get")
                .args(["install", "-y", "--no-install-recommends"])
                .args(&missing)
                .env("DEBIAN_FRONTEND", "noninteractive"),
        )?;
        did.push("Debian packages");
    }

    if did.is_empty() {
        say("everything is installed; nothing to do");
    } else {
        say(&format!("installed: {}", did.join(", ")));
    }
    Ok(())
}

fn say(what: &str) {
    println!("setup: {what}");
}

fn dpkg_installed(package: &str) -> bool {
    output(cmd("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|s| s.contains("install ok installed"))
}

/// The wasm-bindgen version in Cargo.lock: the CLI must be exactly this one.
pub fn wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_string());
        }
    }
    Err("Cargo.lock has no wasm-bindgen".into())
}
