//! Ajv's verdicts on the fixtures, as Ajv gave them: `bench/src/verdicts.js` (`npm run verdicts` in
//! `bench/`, with Ajv 8's draft 2020-12 class and ajv-formats) writes `ajv-verdicts.json` beside
//! this file. Each verdict carries a digest of the schema file and the fixture file it was given,
//! so an edit to either fails the table until Ajv is asked again: the file cannot go stale
//! unnoticed, and `cargo test` needs no JavaScript runtime.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use hookpanel_core::{Operation, VendorId};
use serde::Deserialize;

#[derive(Deserialize)]
struct Verdicts {
    fixtures: BTreeMap<String, Verdict>,
}

#[derive(Deserialize)]
struct Verdict {
    /// [`digest`] of the schema file's bytes, a 0 byte and the fixture file's bytes.
    digest: String,
    valid: bool,
}

fn verdicts() -> Result<&'static Verdicts, String> {
    static VERDICTS: OnceLock<Result<Verdicts, String>> = OnceLock::new();
    VERDICTS
        .get_or_init(|| {
            let path =
                Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/ajv-verdicts.json");
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// FNV-1a, 64 bits, as hex: the same few lines in `bench/src/verdicts.js`.
fn digest(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Whether Ajv found the fixture `name` (`vendor/operation/stem`, its file text `fixture`) valid.
pub fn verdict(
    name: &str,
    fixture: &str,
    vendor: VendorId,
    operation: Operation,
) -> Result<bool, String> {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../../schemas/{}/{}.json",
        vendor.as_str(),
        operation.as_str()
    ));
    let schema = std::fs::read(&schema_path)
        .map_err(|e| format!("cannot read {}: {e}", schema_path.display()))?;
    let mut bytes = schema;
    bytes.push(0);
    bytes.extend_from_slice(fixture.as_bytes());
    let again = "run `npm ci && npm run verdicts` in bench/ to ask Ajv";
    match verdicts()?.fixtures.get(name) {
        None => Err(format!("Ajv has given no verdict on {name}: {again}")),
        Some(v) if v.digest != digest(&bytes) => Err(format!(
            "the fixture or its schema changed since Ajv's verdict on {name}: {again}"
        )),
        Some(v) => Ok(v.valid),
    }
}

/// The fixtures Ajv has verdicts on.
pub fn fixture_names() -> Result<Vec<String>, String> {
    Ok(verdicts()?.fixtures.keys().cloned().collect())
}
