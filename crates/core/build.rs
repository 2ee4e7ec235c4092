//! Finds the schema files and generates what validates against them, so a schema added under
//! `schemas/<vendor>/` needs no Rust edit (`$OUT_DIR/schemas.rs`, included by `src/schema.rs`):
//!
//! - every `schemas/<vendor>/{create,modify,event}.json` becomes one entry of `SOURCES`, with its
//!   text and a jsonschema compile-time validator (`#[jsonschema::validator]`) generated for it;
//! - each `pattern` that jsonschema would hand to a regex engine is compiled here, once, to a DFA
//!   (`regex-automata`), and the validator reads a copy of the schema in which that `pattern` is
//!   named `x-hookpanel-pattern`, a keyword of ours that searches the DFA. The schema files keep
//!   `pattern` (standard draft 2020-12, as Ajv and jsonschema's runtime read them); the page carries
//!   a DFA search of a few KB instead of two regex engines and their Unicode tables.
//!
//! Patterns jsonschema already checks without a regex (an anchored literal such as `^https://`)
//! are left as they are.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use regex_automata::dfa::{StartKind, dense};
use serde_json::Value;

/// The operations a schema file can be for, by file name (`Operation::as_str`).
const OPERATIONS: [&str; 3] = ["create", "modify", "event"];

/// The workspace file's schema, at the top of `schemas/` (a file, so the vendor folders' discovery
/// passes it by).
const WORKSPACE: &str = "workspace.v1.json";

/// Keywords whose value is a schema, a list of schemas or a map of schemas: where `pattern` can
/// be a keyword rather than a property's name or a value.
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

/// A compile-time validator named `name` for the schema file at `path`: the schema with each
/// regex `pattern` given a DFA stand-in (its pattern added to `patterns`), written to `derived`,
/// and the struct the macro expands on appended to `code`.
fn validator(
    path: &Path,
    derived: &Path,
    name: &str,
    patterns: &mut Vec<String>,
    code: &mut String,
) {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut schema: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    stand_in_for_patterns(&mut schema, patterns);
    write(
        derived,
        &serde_json::to_string_pretty(&schema).unwrap_or_default(),
    );
    let keywords = if uses_stand_in(&schema) {
        "keywords = { \"x-hookpanel-pattern\" => crate::schema::pattern_keyword },"
    } else {
        ""
    };
    // `email` and `uri` are jsonschema's own checks, with their verdicts remembered across
    // keystrokes (`crate::schema::email_format`). `is_valid` answers a valid draft without
    // building an error list; `iter_errors` gives every failure of an invalid one. `validate`
    // (the first failure) is not used.
    let _ = writeln!(
        code,
        "#[jsonschema::validator(path = {derived:?}, draft = Draft202012, \
         validate_formats = true, ignore_unknown_formats = false, {keywords} \
         formats = {{ \"email\" => crate::schema::email_format, \"uri\" => crate::schema::uri_format }}, \
         methods = {{ is_valid = true, validate = false, iter_errors = true }})]\n\
         struct {name};\n"
    );
}

fn main() {
    let manifest = PathBuf::from(env("CARGO_MANIFEST_DIR"));
    let schemas = manifest.join("../../schemas");
    let out = PathBuf::from(env("OUT_DIR"));
    // A directory is watched whole: a schema added, removed or edited reruns this.
    println!("cargo:rerun-if-changed={}", schemas.display());
    println!("cargo:rerun-if-changed=build.rs");

    let mut vendors: Vec<PathBuf> = read_dir(&schemas)
        .into_iter()
        .filter(|p| p.is_dir())
        .collect();
    vendors.sort();
    let mut patterns: Vec<String> = Vec::new();
    let mut code = String::new();
    let mut table = String::new();
    let mut names: Vec<String> = Vec::new();
    for dir in &vendors {
        let vendor = file_name(dir);
        for operation in OPERATIONS {
            let path = dir.join(format!("{operation}.json"));
            if !path.is_file() {
                continue;
            }
            let name = type_name(&vendor, operation);
            validator(
                &path,
                &out.join(format!("{vendor}-{operation}.json")),
                &name,
                &mut patterns,
                &mut code,
            );
            let _ = writeln!(
                table,
                "    Source {{ vendor: {vendor:?}, operation: {operation:?}, \
                 text: include_str!({path:?}), index: {index} }},",
                path = embedded(&path, &out),
                index = names.len(),
            );
            names.push(name.clone());
        }
    }
    // The workspace file's own schema (schemas/workspace.v1.json), beside the vendors' folders:
    // one more validator, the same way, for `crate::sync`.
    let path = schemas.join(WORKSPACE);
    validator(
        &path,
        &out.join(WORKSPACE),
        "SchemaWorkspace",
        &mut patterns,
        &mut code,
    );
    let _ = writeln!(
        code,
        "/// The workspace file's schema ({WORKSPACE}); its validator is `SchemaWorkspace`.\n\
         pub(crate) const WORKSPACE_TEXT: &str = include_str!({path:?});\n",
        path = embedded(&path, &out),
    );
    let mut valid_arms = String::new();
    let mut error_arms = String::new();
    for (i, name) in names.iter().enumerate() {
        let _ = writeln!(valid_arms, "        {i} => {name}::is_valid(instance),");
        let _ = writeln!(error_arms, "        {i} => {name}::iter_errors(instance),");
    }
    let _ = writeln!(
        code,
        "/// Whether `instance` is valid against the schema numbered `index` (called by index, not \
         through a pointer, so the validators sit with their callers' chunk).\n\
         pub(crate) fn valid_at(index: usize, instance: &Value) -> bool {{\n    match index {{\n{valid_arms}        _ => unreachable!(\"no schema numbered {{index}}\"),\n    }}\n}}\n\
         /// Every failure of `instance` against the schema numbered `index`.\n\
         pub(crate) fn errors_at<'i>(index: usize, instance: &'i Value) -> jsonschema::ErrorIterator<'i> {{\n    match index {{\n{error_arms}        _ => unreachable!(\"no schema numbered {{index}}\"),\n    }}\n}}\n"
    );
    let mut dfas = String::new();
    for (i, pattern) in patterns.iter().enumerate() {
        let file = out.join(format!("pattern-{i}.dfa"));
        std::fs::write(&file, compile_dfa(pattern))
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
        let _ = writeln!(
            dfas,
            "    ({pattern:?}, {{ static DFA: Aligned<[u8; {len}]> = Aligned {{ _align: [], bytes: *include_bytes!({file:?}) }}; &DFA.bytes }}),",
            len = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0),
        );
    }
    let generated = format!(
        "// Generated by crates/core/build.rs from schemas/: do not edit.\n\n{code}\n\
         /// Every schema file, in the order of its vendor's folder name and then create, modify, event.\n\
         pub(crate) const SOURCES: &[Source] = &[\n{table}];\n\n\
         /// The patterns searched by DFA (`x-hookpanel-pattern`), with each DFA's bytes.\n\
         pub(crate) const PATTERNS: &[(&str, &[u8])] = &[\n{dfas}];\n"
    );
    write(&out.join("schemas.rs"), &generated);
}

/// Renames each `pattern` that needs a regex engine to `x-hookpanel-pattern`, remembering its
/// text in `patterns`; walks only where the value is a schema.
fn stand_in_for_patterns(schema: &mut Value, patterns: &mut Vec<String>) {
    let Value::Object(map) = schema else { return };
    if let Some(Value::String(pattern)) = map.get("pattern")
        && jsonschema_regex::analyze_pattern(pattern).is_none()
    {
        let pattern = pattern.clone();
        if !patterns.contains(&pattern) {
            patterns.push(pattern.clone());
        }
        map.remove("pattern");
        map.insert("x-hookpanel-pattern".into(), Value::String(pattern));
    }
    for (keyword, value) in map.iter_mut() {
        let keyword = keyword.as_str();
        if ONE_SCHEMA.contains(&keyword) {
            stand_in_for_patterns(value, patterns);
        } else if SCHEMA_LISTS.contains(&keyword) {
            if let Value::Array(list) = value {
                list.iter_mut()
                    .for_each(|s| stand_in_for_patterns(s, patterns));
            }
        } else if SCHEMA_MAPS.contains(&keyword)
            && let Value::Object(members) = value
        {
            members
                .values_mut()
                .for_each(|s| stand_in_for_patterns(s, patterns));
        }
    }
}

fn uses_stand_in(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => {
            map.contains_key("x-hookpanel-pattern") || map.values().any(uses_stand_in)
        }
        Value::Array(list) => list.iter().any(uses_stand_in),
        _ => false,
    }
}

/// A DFA that finds `pattern` anywhere in a text (JSON Schema's `pattern` is a search, not a full
/// match), serialized for `DFA::from_bytes` on a little-endian target (wasm32, x86-64, AArch64).
fn compile_dfa(pattern: &str) -> Vec<u8> {
    let translated = jsonschema_regex::to_rust_regex(pattern)
        .unwrap_or_else(|()| panic!("pattern {pattern:?} is not an ECMA-262 regular expression"));
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Unanchored)
                .minimize(true),
        )
        .build(&translated)
        .unwrap_or_else(|e| panic!("pattern {pattern:?} does not compile to a DFA: {e}"));
    let (bytes, pad) = dfa.to_bytes_little_endian();
    bytes[pad..].to_vec()
}

/// `collect` + `create` → `CollectCreateValidator`.
fn type_name(vendor: &str, operation: &str) -> String {
    let mut name = String::from("Schema");
    for word in [vendor, operation] {
        for (i, c) in word.chars().filter(char::is_ascii_alphanumeric).enumerate() {
            name.push(if i == 0 { c.to_ascii_uppercase() } else { c });
        }
    }
    name
}

fn read_dir(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect()
}

/// The copy of a schema file the page embeds: the same JSON without the whitespace between its
/// tokens (keys in the order written: `preserve_order`). The page only parses it; indentation would
/// be bytes every admin downloads for nothing. The `#[validator]`s read the files themselves.
fn embedded(path: &Path, out: &Path) -> PathBuf {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let value: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    let compact = serde_json::to_string(&value)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    let folder = file_name(path.parent().unwrap_or(path));
    let copy = out.join("embedded").join(folder).join(file_name(path));
    if let Some(dir) = copy.parent() {
        std::fs::create_dir_all(dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    write(&copy, &compact);
    copy
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("cargo sets {name}"))
}
