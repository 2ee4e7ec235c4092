//! README's "Adding a vendor", taken once: a made-up fifth vendor, Acme, is added to a copy of the
//! workspace by exactly the steps the README lists, and the copy's core, sandbox and CLI tests
//! run with it. The steps' new files are in `xtask/fifth-vendor/` (a schema folder, an adapter
//! module, a sandbox module); each edit below is one line, or one row, in one place. The tests
//! that go over every vendor (plans and decoding by property, the contract suite against the
//! sandbox, the fixture table, the README's and the policy's facts) take Acme in with the rest.
//!
//! The copy is `target/fifth-vendor/workspace`, built in `target/fifth-vendor/target` so the
//! real build's binaries are never replaced by the copy's.

use std::path::{Path, PathBuf};

use crate::proc::{cmd, exec, root, target_dir};

/// One edit: in `file`, after the line that is `anchor` (trimmed), insert `lines`.
struct Edit {
    step: u8,
    file: &'static str,
    anchor: &'static str,
    lines: &'static str,
}

/// The edits of README's steps, by step number.
const EDITS: &[Edit] = &[
    // Step 2: the catalogue's one line, and the adapter's two in vendors/mod.rs.
    Edit {
        step: 2,
        file: "crates/core/src/catalogue.rs",
        anchor: r#"Kajabi => "kajabi","#,
        lines: r#"    Acme => "acme","#,
    },
    Edit {
        step: 2,
        file: "crates/core/src/vendors/mod.rs",
        anchor: "pub(crate) mod kajabi;",
        lines: "pub(crate) mod acme;",
    },
    Edit {
        step: 2,
        file: "crates/core/src/vendors/mod.rs",
        anchor: "$crate::VendorId::Kajabi => { let $a = &$crate::vendors::kajabi::Kajabi; $body }",
        lines: "            $crate::VendorId::Acme => { let $a = &$crate::vendors::acme::Acme; $body }",
    },
    // Step 3: the sandbox module and its entry in SERVED.
    Edit {
        step: 3,
        file: "crates/sandbox/src/lib.rs",
        anchor: "mod kajabi;",
        lines: "mod acme;",
    },
    Edit {
        step: 3,
        file: "crates/sandbox/src/lib.rs",
        anchor: "pub const SERVED: &[Served] = &[",
        lines: r#"    Served {
        id: "acme",
        base: "/acme/v1",
        routes: acme::routes,
        events: acme::EVENTS,
        credential: acme::KEY,
    },"#,
    },
    // Step 4: the README's rows and the page's policy.
    Edit {
        step: 4,
        file: "README.md",
        anchor: "| Kajabi | `http://127.0.0.1:8787/kajabi/v1` | Bearer `sandbox-kajabi-token`, or client `sandbox-kajabi-client` / `sandbox-kajabi-secret` |",
        lines: "| Acme | `http://127.0.0.1:8787/acme/v1` | API key `sandbox-acme-key` |",
    },
    Edit {
        step: 4,
        file: "README.md",
        anchor: "| Kajabi | `https://api.kajabi.com/v1` | Bearer token (or client id and secret) |",
        lines: "| Acme | `https://api.acme.example/v1` | API key |",
    },
    Edit {
        step: 4,
        file: "README.md",
        anchor: "| Kajabi | nothing: Kajabi does not sign deliveries, so only the body is checked |",
        lines: "  | Acme | `X-Acme-Signature`: Base64 HMAC-SHA256 of the raw body with the hook's secret |",
    },
];

pub fn run() -> Result<(), String> {
    let work = target_dir().join("fifth-vendor");
    let copy = work.join("workspace");
    if copy.exists() {
        std::fs::remove_dir_all(&copy)
            .map_err(|e| format!("cannot clear {}: {e}", copy.display()))?;
    }
    copy_workspace(&root(), &copy)?;
    // Step 1 (the schema folder) and the new modules of steps 2 and 3: files of their own.
    copy_tree(
        &root().join("xtask/fifth-vendor"),
        &copy,
        &["ajv-verdicts.json"],
    )?;
    for edit in EDITS {
        insert_after(&copy.join(edit.file), edit.anchor, edit.lines)
            .map_err(|e| format!("step {}: {e}", edit.step))?;
    }
    // Step 4: the page may call the vendor's host.
    replace(
        &copy.join("index.html"),
        "https://api.kajabi.com;",
        "https://api.kajabi.com https://api.acme.example;",
    )?;
    // Step 5: Ajv's verdicts on the new fixtures, as `npm run verdicts` in bench/ wrote them
    // for these files (recorded in xtask/fifth-vendor/, so this runs without Node).
    merge_verdicts(
        &root().join("xtask/fifth-vendor/ajv-verdicts.json"),
        &copy.join("crates/core/tests/reference/ajv-verdicts.json"),
    )?;
    println!("fifth vendor: Acme added to {}", copy.display());
    exec(
        cmd("cargo")
            .current_dir(&copy)
            .env("CARGO_TARGET_DIR", work.join("target"))
            .args([
                "test",
                "-p",
                "hookpanel-core",
                "-p",
                "hookpanel-sandbox",
                "-p",
                "hookpanel-cli",
            ]),
    )?;
    // The CLI lists it with everything its adapter says.
    let listed = std::process::Command::new(work.join("target/debug/hookpanel"))
        .arg("vendors")
        .output()
        .map_err(|e| format!("cannot run the copy's hookpanel: {e}"))?;
    let text = String::from_utf8_lossy(&listed.stdout);
    if !text.contains("acme (Acme)") || !text.contains("https://api.acme.example/v1") {
        return Err(format!("hookpanel vendors does not list Acme:\n{text}"));
    }
    println!("fifth vendor: the tests pass with Acme, and `hookpanel vendors` lists it");
    Ok(())
}

/// The workspace's files as git sees them (tracked, and new files not ignored), without `.git`.
fn copy_workspace(from: &Path, to: &Path) -> Result<(), String> {
    let listed = std::process::Command::new("git")
        .current_dir(from)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
        .map_err(|e| format!("cannot run git ls-files: {e}"))?;
    if !listed.status.success() {
        return Err("git ls-files failed: the copy is made from a git checkout".into());
    }
    for name in listed.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        let source = from.join(&name);
        if !source.is_file() {
            continue; // deleted in the work tree, not yet in the index
        }
        copy_file(&source, &to.join(&name))?;
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> Result<(), String> {
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if skip.contains(&name.as_str()) {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_tree(&path, &to.join(&name), &[])?;
        } else {
            copy_file(&path, &to.join(&name))?;
        }
    }
    Ok(())
}

fn copy_file(from: &Path, to: &PathBuf) -> Result<(), String> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::copy(from, to).map_err(|e| format!("{} → {}: {e}", from.display(), to.display()))?;
    Ok(())
}

fn insert_after(file: &Path, anchor: &str, lines: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut out = String::with_capacity(text.len() + lines.len() + 1);
    let mut found = false;
    for line in text.split_inclusive('\n') {
        out.push_str(line);
        if !found && line.trim() == anchor.trim() {
            out.push_str(lines);
            out.push('\n');
            found = true;
        }
    }
    if !found {
        return Err(format!(
            "{} has no line `{anchor}` to add after: README's \"Adding a vendor\" and xtask/src/fifth_vendor.rs must follow it",
            file.display()
        ));
    }
    std::fs::write(file, out).map_err(|e| format!("{}: {e}", file.display()))
}

fn replace(file: &Path, from: &str, to: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    if !text.contains(from) {
        return Err(format!("{} has no `{from}`", file.display()));
    }
    std::fs::write(file, text.replacen(from, to, 1)).map_err(|e| format!("{}: {e}", file.display()))
}

fn merge_verdicts(extra: &Path, into: &Path) -> Result<(), String> {
    let read = |p: &Path| -> Result<serde_json::Value, String> {
        let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))
    };
    let mut all = read(into)?;
    let extra = read(extra)?;
    if let (Some(all), Some(extra)) = (
        all.get_mut("fixtures").and_then(|f| f.as_object_mut()),
        extra.get("fixtures").and_then(|f| f.as_object()),
    ) {
        for (name, verdict) in extra {
            all.insert(name.clone(), verdict.clone());
        }
    }
    let text = serde_json::to_string_pretty(&all).map_err(|e| e.to_string())?;
    std::fs::write(into, text).map_err(|e| format!("{}: {e}", into.display()))
}
