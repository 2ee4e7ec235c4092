//! The fixture table: every file under `schemas/<vendor>/fixtures/<operation>/` is one test.
//! A fixture names the problems its instance must raise (pointer and keyword); `[]` means valid.
//! Adding a fixture file adds a test; no Rust changes. Each fixture is also checked against
//! jsonschema, the reference implementation: our validator must find exactly what it finds.

mod reference;

use std::path::{Path, PathBuf};

use hookpanel_core::{Operation, VendorId, schema, validate};
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
struct Fixture {
    #[allow(dead_code)]
    description: String,
    instance: Value,
    errors: Vec<Expected>,
}

#[derive(Deserialize, PartialEq, Eq, Debug, Clone)]
struct Expected {
    pointer: String,
    keyword: String,
}

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
}

fn run(vendor: VendorId, operation: Operation, path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path)?;
    let fixture: Fixture = serde_json::from_str(&text)?;
    let found: Vec<Expected> = validate(vendor, operation, &fixture.instance)
        .into_iter()
        .filter(|p| p.is_error())
        .map(|p| Expected {
            pointer: p.pointer,
            keyword: p.keyword,
        })
        .collect();
    for want in &fixture.errors {
        if !found.contains(want) {
            return Err(format!("expected {want:?}, found {found:?}").into());
        }
    }
    let stray: Vec<&Expected> = found
        .iter()
        .filter(|f| !fixture.errors.iter().any(|w| w.pointer == f.pointer))
        .collect();
    if !stray.is_empty() {
        return Err(format!("unexpected errors {stray:?}").into());
    }
    let ours = reference::failures_by_hookpanel(vendor, operation, &fixture.instance);
    let theirs = reference::failures_by_reference(vendor, operation, &fixture.instance);
    if ours != theirs {
        return Err(format!("hookpanel found {ours:?}, jsonschema {theirs:?}").into());
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for vendor in VendorId::ALL {
        for operation in schema::operations(vendor) {
            let dir = schemas_dir()
                .join(vendor.as_str())
                .join("fixtures")
                .join(operation.as_str());
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            files.retain(|p| p.extension().is_some_and(|e| e == "json"));
            files.sort();
            // A schema without fixtures is a gap in the table, and fails as one.
            if files.is_empty() {
                let name = format!("{}/{}: has fixtures", vendor.as_str(), operation.as_str());
                trials.push(Trial::test(name, move || {
                    Err(format!("no fixtures in {}", dir.display()).into())
                }));
            }
            for path in files {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let name = format!("{}/{}/{}", vendor.as_str(), operation.as_str(), stem);
                trials.push(Trial::test(name, move || run(vendor, operation, &path)));
            }
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
