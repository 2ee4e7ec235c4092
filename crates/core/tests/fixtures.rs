//! The fixture table: every file under `schemas/<vendor>/fixtures/<operation>/` is one test.
//! A fixture names the errors its instance must raise, as (pointer, keyword) pairs, and exactly
//! those: `[]` means no error. An optional `"warnings"` list names the lint warnings exactly in the
//! same way; without it warnings are not compared. Adding a fixture file adds a test; no Rust
//! changes.
//!
//! Each fixture is also held to two references: jsonschema's runtime validator on the schema file
//! as it is must find exactly the schema failures Hookpanel finds (its compile-time validators
//! with DFA-searched patterns), and Ajv must reach the same verdict as jsonschema
//! (`reference/ajv-verdicts.json`, written by Ajv itself: `npm run verdicts` in `bench/`).
//!
//! Beside the fixtures, one test per schema file: every keyword in it is draft 2020-12's or one of
//! our annotations, so a misspelt or invented keyword, which every validator would ignore, fails.

#[path = "reference/ajv.rs"]
mod ajv;
mod reference;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hookpanel_core::{Operation, Severity, VendorId, schema, validate};
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    #[allow(dead_code)]
    description: String,
    instance: Value,
    errors: Vec<Expected>,
    #[serde(default)]
    warnings: Option<Vec<Expected>>,
}

#[derive(Deserialize, PartialEq, Eq, PartialOrd, Ord, Debug, Clone)]
#[serde(deny_unknown_fields)]
struct Expected {
    pointer: String,
    keyword: String,
}

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
}

/// `found` and `wanted` hold the same pairs, as many times each; otherwise what differs.
fn compare(what: &str, mut found: Vec<Expected>, wanted: &[Expected]) -> Result<(), String> {
    let mut wanted = wanted.to_vec();
    found.sort();
    wanted.sort();
    if found == wanted {
        return Ok(());
    }
    let missing: Vec<&Expected> = wanted.iter().filter(|w| !found.contains(w)).collect();
    let stray: Vec<&Expected> = found.iter().filter(|f| !wanted.contains(f)).collect();
    Err(format!(
        "{what}: missing {missing:?}, unexpected {stray:?} (found {found:?})"
    ))
}

fn run(vendor: VendorId, operation: Operation, path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path)?;
    let fixture: Fixture = serde_json::from_str(&text)?;
    let problems = validate(vendor, operation, &fixture.instance);
    let of = |severity: Severity| -> Vec<Expected> {
        problems
            .iter()
            .filter(|p| p.severity == severity)
            .map(|p| Expected {
                pointer: p.pointer.to_string(),
                keyword: p.keyword.to_string(),
            })
            .collect()
    };
    compare("errors", of(Severity::Error), &fixture.errors)?;
    if let Some(warnings) = &fixture.warnings {
        compare("warnings", of(Severity::Warning), warnings)?;
    }
    let ours = reference::failures_by_hookpanel(vendor, operation, &fixture.instance);
    let theirs = reference::failures_by_reference(vendor, operation, &fixture.instance);
    if ours != theirs {
        return Err(format!("hookpanel found {ours:?}, jsonschema's runtime {theirs:?}").into());
    }
    let name = fixture_name(vendor, operation, path);
    let ajv = ajv::verdict(&name, &text, vendor, operation)?;
    if ajv != theirs.is_empty() {
        return Err(format!(
            "Ajv finds the instance {}, jsonschema {theirs:?}",
            if ajv { "valid" } else { "invalid" }
        )
        .into());
    }
    Ok(())
}

fn fixture_name(vendor: VendorId, operation: Operation, path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{}/{}/{}", vendor.as_str(), operation.as_str(), stem)
}

// ---------------------------------------------------------------------------------------------
// Keywords

/// Draft 2020-12's keywords, every vocabulary (core, applicator, unevaluated, validation,
/// meta-data, format-annotation, content), and our annotations (`src/schema.rs`).
const STANDARD: &[&str] = &[
    "$schema",
    "$id",
    "$ref",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$vocabulary",
    "$comment",
    "$defs",
    "prefixItems",
    "items",
    "contains",
    "additionalProperties",
    "properties",
    "patternProperties",
    "dependentSchemas",
    "propertyNames",
    "if",
    "then",
    "else",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "unevaluatedItems",
    "unevaluatedProperties",
    "type",
    "const",
    "enum",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxContains",
    "minContains",
    "maxProperties",
    "minProperties",
    "required",
    "dependentRequired",
    "title",
    "description",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "examples",
    "format",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
];
const OURS: &[&str] = &["x-secret", "x-messages", "x-role"];

/// Keywords whose value is a schema, a list of schemas, or a map of schemas.
const ONE_SCHEMA: &[&str] = &[
    "additionalProperties",
    "items",
    "contains",
    "if",
    "then",
    "else",
    "not",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];
const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "dependentSchemas",
];

/// Every keyword of `schema` (and its subschemas) that is neither standard nor ours, and every
/// `x-messages` entry for a keyword that is not standard, with where it is.
fn unknown_keywords(schema: &Value, at: &str, out: &mut Vec<String>) {
    let Value::Object(map) = schema else { return };
    for (keyword, value) in map {
        let here = format!("{at}/{keyword}");
        if !STANDARD.contains(&keyword.as_str()) && !OURS.contains(&keyword.as_str()) {
            out.push(here.clone());
        }
        if keyword == "x-messages" {
            for on in value.as_object().into_iter().flat_map(|m| m.keys()) {
                if !STANDARD.contains(&on.as_str()) {
                    out.push(format!("{here}/{on}"));
                }
            }
        } else if ONE_SCHEMA.contains(&keyword.as_str()) {
            unknown_keywords(value, &here, out);
        } else if SCHEMA_LISTS.contains(&keyword.as_str()) {
            for (i, sub) in value.as_array().into_iter().flatten().enumerate() {
                unknown_keywords(sub, &format!("{here}/{i}"), out);
            }
        } else if SCHEMA_MAPS.contains(&keyword.as_str()) {
            for (name, sub) in value.as_object().into_iter().flatten() {
                unknown_keywords(sub, &format!("{here}/{name}"), out);
            }
        }
    }
}

fn keywords_are_known(schema: &Value) -> Result<(), Failed> {
    let mut unknown = Vec::new();
    unknown_keywords(schema, "", &mut unknown);
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "keywords neither in draft 2020-12 nor ours ({}): {unknown:?}",
            OURS.join(", ")
        )
        .into())
    }
}

/// Every declared property named like a credential that the schema does not mark `x-secret`:
/// such a name is a secret when undeclared (`schema::looks_like_credential`), and one the schema
/// declares must say so too, or typing it in its field would store what typing it beside would
/// not.
fn unmarked_credentials(schema: &Value, at: &str, out: &mut Vec<String>) {
    let Value::Object(map) = schema else { return };
    if map.get("x-secret").and_then(Value::as_bool) == Some(true) {
        return;
    }
    for (keyword, value) in map {
        let here = format!("{at}/{keyword}");
        if keyword == "properties" {
            for (name, sub) in value.as_object().into_iter().flatten() {
                let marked = sub.get("x-secret").and_then(Value::as_bool) == Some(true);
                if schema::looks_like_credential(name) && !marked {
                    out.push(format!("{here}/{name}"));
                }
                unmarked_credentials(sub, &format!("{here}/{name}"), out);
            }
        } else if ONE_SCHEMA.contains(&keyword.as_str()) {
            unmarked_credentials(value, &here, out);
        } else if SCHEMA_LISTS.contains(&keyword.as_str()) {
            for (i, sub) in value.as_array().into_iter().flatten().enumerate() {
                unmarked_credentials(sub, &format!("{here}/{i}"), out);
            }
        }
    }
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    // The check itself is checked: an invented keyword, and a misspelt one deep down, fail it.
    trials.push(Trial::test("keyword check: refuses unknown keywords", || {
        let invented = serde_json::json!({"properties": {"a": {"x-colour": "red"}}});
        let misspelt = serde_json::json!({"else": {"items": {"minLenght": 1}}});
        let message = serde_json::json!({"x-messages": {"patern": "..."}});
        let fine = serde_json::json!({"properties": {"pattern": {"pattern": "^a", "x-role": "target"}}});
        for bad in [invented, misspelt, message] {
            if keywords_are_known(&bad).is_ok() {
                return Err(format!("{bad} was let through").into());
            }
        }
        keywords_are_known(&fine)
    }));
    trials.push(Trial::test(
        "credential check: finds an unmarked one",
        || {
            let schema = serde_json::json!({"properties": {
                "Secret": {"x-secret": true},
                "auth": {"properties": {"apiKey": {"type": "string"}}}
            }});
            let mut unmarked = Vec::new();
            unmarked_credentials(&schema, "", &mut unmarked);
            let wanted = ["/properties/auth", "/properties/auth/properties/apiKey"];
            if unmarked == wanted {
                Ok(())
            } else {
                Err(format!("found {unmarked:?}, wanted {wanted:?}").into())
            }
        },
    ));
    // The workspace file's schema, beside the vendors' folders, is held to the same keywords.
    trials.push(Trial::test("workspace.v1: keywords", || {
        keywords_are_known(schema::workspace_schema())
    }));
    for vendor in VendorId::ALL {
        for operation in schema::operations(vendor) {
            let name = format!("{}/{}: keywords", vendor.as_str(), operation.as_str());
            trials.push(Trial::test(name, move || {
                let schema = schema::schema(vendor, operation).ok_or("no schema")?;
                keywords_are_known(schema)
            }));
            if operation != Operation::Event {
                let name = format!(
                    "{}/{}: credentials marked",
                    vendor.as_str(),
                    operation.as_str()
                );
                trials.push(Trial::test(name, move || {
                    let schema = schema::schema(vendor, operation).ok_or("no schema")?;
                    let mut unmarked = Vec::new();
                    unmarked_credentials(schema, "", &mut unmarked);
                    if unmarked.is_empty() {
                        Ok(())
                    } else {
                        Err(
                            format!("named like credentials, not marked x-secret: {unmarked:?}")
                                .into(),
                        )
                    }
                }));
            }
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
                let name = fixture_name(vendor, operation, &path);
                trials.push(Trial::test(name, move || run(vendor, operation, &path)));
            }
        }
    }
    // Every verdict Ajv gave is for a fixture that still exists.
    trials.push(Trial::test("ajv verdicts: none left over", || {
        let mut names: BTreeMap<String, ()> = BTreeMap::new();
        for vendor in VendorId::ALL {
            for operation in schema::operations(vendor) {
                let dir = schemas_dir()
                    .join(vendor.as_str())
                    .join("fixtures")
                    .join(operation.as_str());
                for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                    names.insert(fixture_name(vendor, operation, &entry.path()), ());
                }
            }
        }
        let stale: Vec<String> = ajv::fixture_names()?
            .into_iter()
            .filter(|n| !names.contains_key(n))
            .collect();
        if stale.is_empty() {
            Ok(())
        } else {
            Err(format!("{} (run `npm run verdicts` in bench/)", stale.join(", ")).into())
        }
    }));
    libtest_mimic::run(&args, trials).exit();
}
