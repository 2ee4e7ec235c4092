//! The vendors' schemas, `schemas/<vendor>/<operation>.json`, and validation against them. The
//! schema files are the one source of truth for fields, required-ness, enums and event lists:
//! forms, event pickers and lint rules read them; no list of them is typed in Rust. `build.rs`
//! finds the files (a schema added there needs no Rust edit), embeds their text and generates a
//! jsonschema compile-time validator for each, so no schema is compiled in the page.
//!
//! Schemas may carry three annotations of ours (other JSON Schema tools ignore them; any other
//! keyword outside draft 2020-12 fails `tests/fixtures.rs`):
//! - `"x-secret": true` on a property, or on `additionalProperties` for a map whose every value is
//!   one (custom headers): the value is a secret, masked wherever it is shown, never stored;
//! - `"x-messages": {"<keyword>": "..."}` in a subschema: the message [`check`] shows when that
//!   keyword of that subschema fails;
//! - `"x-role": "target" | "events"` on a property: the webhook's target URL, or the event (or
//!   list of events) it subscribes to, wherever the vendor's shape puts them.

use std::cell::RefCell;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Keyword, ValidationError};
use regex_automata::Input;
use regex_automata::dfa::{Automaton, dense};
use serde_json::{Map, Value};

use crate::catalogue::PerOperation;
use crate::problem::{Problem, Text, child_pointer};
use crate::{Operation, VendorId};

/// One schema file, as build.rs found it.
pub(crate) struct Source {
    /// The folder name (`VendorId::as_str`).
    vendor: &'static str,
    /// The file name without `.json` (`Operation::as_str`).
    operation: &'static str,
    text: &'static str,
    /// Its compile-time validator's number (`valid_at`, `errors_at`).
    index: usize,
}

/// Bytes aligned as `DFA::from_bytes` needs them (to `u32`), as regex-automata's docs lay out.
#[repr(C)]
struct Aligned<B: ?Sized> {
    _align: [u32; 0],
    bytes: B,
}

// `SOURCES` and `PATTERNS`, and one validator struct per schema.
include!(concat!(env!("OUT_DIR"), "/schemas.rs"));

/// The keyword that stands in for a `pattern` in the validators (see build.rs): what a schema
/// file says `pattern`, the generated validator checks as this, with a DFA.
const STAND_IN: &str = "x-hookpanel-pattern";

/// The factory jsonschema calls (once per place, on first use) for [`STAND_IN`]: a DFA search for
/// the pattern, built from the bytes build.rs compiled.
pub(crate) fn pattern_keyword<'a>(
    _parent: &'a Map<String, Value>,
    value: &'a Value,
    _at: jsonschema::paths::Location,
) -> Result<Box<dyn for<'i> Keyword<'i>>, ValidationError<'a>> {
    // Never an error: the generated validator would panic with jsonschema's `Display` of it,
    // whose code (6 KB) the page then carries for nothing. Build.rs compiled a DFA for every
    // pattern it named this keyword, and `every_pattern_searched_by_dfa_loads` loads each one, so
    // either failure below is a build defect, not something a draft can cause.
    let source = value.as_str().unwrap_or_default();
    let Some(&(source, bytes)) = PATTERNS.iter().find(|(pattern, _)| *pattern == source) else {
        panic!("no DFA was built for the pattern {source:?}");
    };
    let Ok((dfa, _)) = dense::DFA::from_bytes(bytes) else {
        panic!("the DFA built for the pattern {source:?} does not load");
    };
    Ok(Box::new(PatternSearch { source, dfa }))
}

struct PatternSearch {
    source: &'static str,
    dfa: dense::DFA<&'static [u32]>,
}

impl PatternSearch {
    fn admits(&self, value: &Value) -> bool {
        // `pattern` constrains strings only.
        let Value::String(text) = value else {
            return true;
        };
        // The DFA has no quit bytes and no Unicode word boundary, the only things that make a
        // search give up; were it to, the text is refused rather than let through unchecked.
        matches!(
            self.dfa.try_search_fwd(&Input::new(text).earliest(true)),
            Ok(Some(_))
        )
    }
}

impl<'i> Keyword<'i> for PatternSearch {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        if self.admits(instance) {
            Ok(())
        } else {
            Err(ValidationError::custom(self.source))
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        self.admits(instance)
    }

    fn iter_errors(
        &self,
        instance: &'i Value,
    ) -> Box<dyn Iterator<Item = ValidationError<'i>> + 'i> {
        // The empty iterator takes no memory, so a passing string costs no allocation (an
        // `Events` list of 10,000 names is 10,000 calls a keystroke).
        match self.validate(instance) {
            Ok(()) => Box::new(std::iter::empty()),
            Err(error) => Box::new(std::iter::once(error)),
        }
    }
}

thread_local! {
    /// The verdicts of the `email` and `uri` format checks for the last few texts checked: a
    /// keystroke in any other field leaves them as they were, and an email address cost a fifth
    /// of a SuperOffice draft's checks (PERFORMANCE.md). The text a keystroke changes is checked
    /// again, and the oldest entry goes.
    static FORMAT_VERDICTS: RefCell<Vec<(&'static str, Box<str>, bool)>> =
        const { RefCell::new(Vec::new()) };
}

/// How many texts [`FORMAT_VERDICTS`] remembers: more than the format fields of any draft.
const REMEMBERED_TEXTS: usize = 8;

/// `check(text)`, remembered for `format`.
fn remembered(format: &'static str, text: &str, check: impl FnOnce(&str) -> bool) -> bool {
    let known = FORMAT_VERDICTS.with(|verdicts| {
        verdicts
            .borrow()
            .iter()
            .find(|(f, t, _)| *f == format && **t == *text)
            .map(|(_, _, verdict)| *verdict)
    });
    if let Some(verdict) = known {
        return verdict;
    }
    let verdict = check(text);
    FORMAT_VERDICTS.with(|verdicts| {
        let mut verdicts = verdicts.borrow_mut();
        if verdicts.len() == REMEMBERED_TEXTS {
            verdicts.remove(0);
        }
        verdicts.push((format, text.into(), verdict));
    });
    verdict
}

/// `format: email` as jsonschema checks it (the check its validators call, without options).
pub(crate) fn email_format(text: &str) -> bool {
    remembered("email", text, |t| {
        jsonschema::__private::format::is_valid_email_with_options(t, None)
    })
}

/// `format: uri` as jsonschema checks it.
pub(crate) fn uri_format(text: &str) -> bool {
    remembered("uri", text, jsonschema::__private::format::is_valid_uri)
}

struct Entry {
    schema: Value,
    index: usize,
    /// Where the schema marks secrets, which the lint rules look for on every keystroke.
    secrets: OnceLock<SecretTree>,
    /// Whether the last draft checked against the schema failed it.
    last_failed: AtomicBool,
}

/// The vendor and operation a schema file is for, if Hookpanel knows both.
fn key_of(source: &Source) -> Option<(VendorId, Operation)> {
    Some((
        VendorId::parse(source.vendor)?,
        Operation::parse(source.operation)?,
    ))
}

/// The schemas, parsed on first use, each at its vendor's and operation's place: a form
/// keystroke asks for its entry two or three times, and searching a list cost 40-70 instructions
/// of each of Saleshandy's, SuperOffice's and Kajabi's (1.6-2.6 %).
fn registry() -> &'static PerOperation<Option<Entry>> {
    static REGISTRY: OnceLock<PerOperation<Option<Entry>>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        PerOperation::new(|vendor, operation| {
            // A folder for a vendor Hookpanel does not know has no place here, and fails the
            // unit test below.
            let source = SOURCES
                .iter()
                .find(|source| key_of(source) == Some((vendor, operation)))?;
            // The schema files ship inside the binary and are checked by the tests, so a
            // failure here is a build defect, not something a user or vendor can cause.
            let schema: Value = crate::draft::parse(source.text).unwrap_or_else(|e| {
                panic!(
                    "schemas/{}/{}.json is not JSON: {e}",
                    source.vendor, source.operation
                )
            });
            Some(Entry {
                schema,
                index: source.index,
                secrets: OnceLock::new(),
                last_failed: AtomicBool::new(false),
            })
        })
    })
}

fn entry(vendor: VendorId, operation: Operation) -> Option<&'static Entry> {
    registry().get(vendor, operation).as_ref()
}

/// The schema for a vendor's operation, if the vendor has that operation.
pub fn schema(vendor: VendorId, operation: Operation) -> Option<&'static Value> {
    entry(vendor, operation).map(|e| &e.schema)
}

/// The operations a vendor has schemas for.
pub fn operations(vendor: VendorId) -> Vec<Operation> {
    Operation::ALL
        .into_iter()
        .filter(|op| entry(vendor, *op).is_some())
        .collect()
}

/// Makes every schema ready now rather than on first use: parses the embedded files. The
/// validators themselves are compiled code; nothing of them is built at run time.
pub fn warm_up() {
    for vendor in VendorId::ALL {
        for operation in Operation::ALL {
            warm_up_one(vendor, operation);
        }
    }
}

/// Makes one schema ready now rather than on first use (a screen can call it before the admin
/// types): its file parsed, and its validator run once, which builds its DFA searches. Returns
/// whether the vendor has that operation.
pub fn warm_up_one(vendor: VendorId, operation: Operation) -> bool {
    entry(vendor, operation)
        .map(|entry| errors_at(entry.index, &Value::Null).count())
        .is_some()
}

/// Checks a draft against the schema; every failure becomes a [`Problem`] at the instance's
/// pointer. `required` and `additionalProperties` point at the field named (`<object>/<name>`),
/// which is where the form shows them.
pub fn check(vendor: VendorId, operation: Operation, draft: &Value) -> Vec<Problem> {
    let Some(entry) = entry(vendor, operation) else {
        return vec![Problem::error(
            "",
            "operation",
            format!(
                "{} has no {} operation.",
                vendor.display_name(),
                operation.as_str()
            ),
        )];
    };
    failures(
        &entry.schema,
        ByIndex(entry.index),
        &entry.last_failed,
        vendor.display_name(),
        draft,
    )
}

/// A compile-time validator: whether an instance is valid, and every failure of one. Called
/// directly, never through a function pointer: a pointer puts the validator in the wasm's table,
/// which keeps it and all it calls in the page's main module, fetched and compiled before the
/// first screen (PERFORMANCE.md).
trait Validator {
    fn valid(&self, instance: &Value) -> bool;
    fn errors<'i>(&self, instance: &'i Value) -> jsonschema::ErrorIterator<'i>;
}

/// A vendor's schema, by its number in `SOURCES`.
struct ByIndex(usize);

impl Validator for ByIndex {
    fn valid(&self, instance: &Value) -> bool {
        valid_at(self.0, instance)
    }
    fn errors<'i>(&self, instance: &'i Value) -> jsonschema::ErrorIterator<'i> {
        errors_at(self.0, instance)
    }
}

/// The workspace file's schema: apart from the vendors', so that it stays with the workspace
/// file's screen.
struct WorkspaceFile;

impl Validator for WorkspaceFile {
    fn valid(&self, instance: &Value) -> bool {
        SchemaWorkspace::is_valid(instance)
    }
    fn errors<'i>(&self, instance: &'i Value) -> jsonschema::ErrorIterator<'i> {
        SchemaWorkspace::iter_errors(instance)
    }
}

/// Every failure of `draft` against `schema` (checked by its compile-time validator) as a
/// [`Problem`] at the instance's pointer; `who` names what refuses an unknown field.
/// `last_failed` says whether the last draft checked against `schema` failed it, and is updated.
fn failures(
    schema: &'static Value,
    validator: impl Validator,
    last_failed: &AtomicBool,
    who: &str,
    draft: &Value,
) -> Vec<Problem> {
    // Most keystrokes leave the draft valid: answered without building any error. After a
    // failing draft the next one most likely fails too (a field is half typed), and its failures
    // are listed at once rather than after `valid` has walked the draft for nothing.
    if !last_failed.load(Ordering::Relaxed) && validator.valid(draft) {
        return Vec::new();
    }
    let problems = listed_failures(schema, validator.errors(draft), who, draft);
    last_failed.store(!problems.is_empty(), Ordering::Relaxed);
    problems
}

fn listed_failures(
    schema: &'static Value,
    errors: jsonschema::ErrorIterator<'_>,
    who: &str,
    draft: &Value,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for error in errors {
        let at = error.instance_path().as_str();
        match error.kind() {
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                let pointer = child_pointer(at, name);
                let label = title_at(schema, &pointer).unwrap_or(name);
                let message = format!("{label} is required.");
                problems.push(Problem::error(pointer, "required", message));
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for name in unexpected {
                    problems.push(Problem::error(
                        child_pointer(at, name),
                        "additionalProperties",
                        format!("“{name}” is not a field {} accepts here.", who),
                    ));
                }
            }
            kind => {
                let keyword = match kind {
                    ValidationErrorKind::Custom { keyword, .. } if keyword == STAND_IN => "pattern",
                    kind => kind.keyword(),
                };
                // The subschema whose keyword failed (the schema path without its keyword), and
                // its own message for the keyword.
                let (node, own) = failed_node(schema, error.schema_path().as_str(), keyword);
                // Only an `enum` or `const` failure says anything of the value.
                let value = matches!(
                    kind,
                    ValidationErrorKind::Enum { .. } | ValidationErrorKind::Constant { .. }
                )
                .then(|| crate::draft::get(draft, at))
                .flatten();
                if let Some(type_error) = dropped_type_error(kind, node, value) {
                    problems.push(Problem::error(at.to_owned(), "type", type_error));
                }
                let message = match own {
                    Some(own) => Text::Borrowed(own),
                    None => describe(kind, node, value).into(),
                };
                problems.push(Problem::error(
                    at.to_owned(),
                    keyword_text(keyword),
                    message,
                ));
            }
        }
    }
    problems
}

/// A failed keyword's name as a problem's: one of the standard keywords borrowed, as nearly
/// all are, rather than copied for every failure on every keystroke.
fn keyword_text(keyword: &str) -> Text {
    const KNOWN: [&str; 17] = [
        "type",
        "enum",
        "const",
        "format",
        "pattern",
        "required",
        "additionalProperties",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minLength",
        "maxLength",
        "minProperties",
        "maxProperties",
        "minimum",
        "maximum",
        "falseSchema",
    ];
    match KNOWN.iter().find(|known| **known == keyword) {
        Some(known) => Text::Borrowed(known),
        None => Text::Owned(keyword.to_owned()),
    }
}

/// The workspace file's schema (`schemas/workspace.v1.json`), parsed on first use.
pub fn workspace_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        // Embedded and checked by the tests: a failure is a build defect.
        crate::draft::parse(WORKSPACE_TEXT)
            .unwrap_or_else(|e| panic!("schemas/workspace.v1.json is not JSON: {e}"))
    })
}

/// Checks a workspace file against its schema, with problems at the file's JSON Pointers.
pub fn check_workspace(file: &Value) -> Vec<Problem> {
    static LAST_FAILED: AtomicBool = AtomicBool::new(false);
    failures(
        workspace_schema(),
        WorkspaceFile,
        &LAST_FAILED,
        "A Hookpanel workspace file",
        file,
    )
}

thread_local! {
    /// The subschemas failed keywords were found in, and their own messages, by schema and
    /// schema path. A half-typed field fails the same keyword keystroke after keystroke, and
    /// resolving its path again (`Value::pointer` unescapes and looks up every segment) was most
    /// of the cost of placing the failure (PERFORMANCE.md). A list, searched without building a
    /// key: it holds one entry per keyword that has failed, at most the schemas' keywords.
    static FAILED_NODES: RefCell<Vec<FailedNode>> = const { RefCell::new(Vec::new()) };
}

/// A failed keyword: its schema (by address), its schema path (which names the keyword), and what
/// was found for it: its subschema and the subschema's `x-messages` entry for it.
type FailedNode = (usize, Box<str>, FoundNode);
type FoundNode = (Option<&'static Value>, Option<&'static str>);

/// The subschema holding the keyword at `schema_path` (the path without its last segment), and
/// that subschema's own message for `keyword`, the keyword the path ends in (`x-messages`):
/// looked up once per keyword, as an `x-messages` lookup hashes two names.
fn failed_node(schema: &'static Value, schema_path: &str, keyword: &str) -> FoundNode {
    let id = std::ptr::from_ref(schema) as usize;
    FAILED_NODES.with(|nodes| {
        if let Some((.., found)) = nodes
            .borrow()
            .iter()
            .find(|(s, path, _)| *s == id && **path == *schema_path)
        {
            return *found;
        }
        let node = schema_path
            .rsplit_once('/')
            .and_then(|(parent, _)| schema.pointer(parent));
        let own = node
            .and_then(|n| n.get("x-messages"))
            .and_then(|m| m.get(keyword))
            .and_then(Value::as_str);
        nodes
            .borrow_mut()
            .push((id, schema_path.into(), (node, own)));
        (node, own)
    })
}

/// The `type` failure jsonschema's compile-time validators leave out: where every `enum` value (or
/// the `const`) has the one type the subschema names, they check only the `enum`, which refuses a
/// value of another type anyway. The runtime validator, Ajv and the form report both (the form
/// says "Must be text." as well as what the allowed values are), so the failure is put back, in
/// the runtime's order (before the `enum`'s).
fn dropped_type_error(
    kind: &ValidationErrorKind,
    node: Option<&Value>,
    value: Option<&Value>,
) -> Option<String> {
    if !matches!(
        kind,
        ValidationErrorKind::Enum { .. } | ValidationErrorKind::Constant { .. }
    ) {
        return None;
    }
    let named = node?.get("type")?.as_str()?;
    let admitted = match (named, value?) {
        ("string", Value::String(_))
        | ("number", Value::Number(_))
        | ("boolean", Value::Bool(_))
        | ("null", Value::Null)
        | ("array", Value::Array(_))
        | ("object", Value::Object(_)) => true,
        // Only the six types above can be implied by values; any other `type` was checked.
        (named, _)
            if !["string", "number", "boolean", "null", "array", "object"].contains(&named) =>
        {
            true
        }
        _ => false,
    };
    (!admitted).then(|| format!("Must be {}.", type_name(named)))
}

/// A readable sentence for a failed keyword, from what the error and the subschema (`node`) say.
/// Values are not echoed where they might be secrets.
fn describe(kind: &ValidationErrorKind, node: Option<&Value>, value: Option<&Value>) -> String {
    use ValidationErrorKind as K;
    match kind {
        K::Enum { options } => {
            let options = options.as_array().map(Vec::as_slice).unwrap_or_default();
            let shown = value.map(short).unwrap_or_default();
            if options.len() <= 8 {
                format!(
                    "{shown} is not allowed here; use one of: {}.",
                    options.iter().map(short).collect::<Vec<_>>().join(", ")
                )
            } else {
                format!("{shown} is not one of the allowed values.")
            }
        }
        K::Constant { expected_value } => format!("Must be {}.", short(expected_value)),
        K::Format { format } => match format.as_str() {
            "uri" => "Enter a full URL, like https://example.com/hooks.".into(),
            "email" => "Enter an email address, like ops@example.com.".into(),
            other => format!("Must be a valid {other}."),
        },
        K::Type { kind } => {
            // In the schema's order, which the message keeps; jsonschema's set has its own.
            let named: Vec<&str> = match node.and_then(|n| n.get("type")) {
                Some(Value::String(one)) => vec![one.as_str()],
                Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
                _ => match kind {
                    TypeKind::Single(one) => vec![json_type_name(*one)],
                    TypeKind::Multiple(set) => set.iter().map(json_type_name).collect(),
                },
            };
            let names: Vec<&str> = named.into_iter().map(type_name).collect();
            format!("Must be {}.", names.join(" or "))
        }
        K::MinItems { limit } => match limit {
            1 => "Choose at least one.".to_string(),
            n => format!("Choose at least {n}."),
        },
        K::MaxItems { limit } => format!("Choose at most {limit}."),
        K::UniqueItems => "Each value may appear only once.".to_string(),
        K::MinLength { limit } => match limit {
            1 => "Must not be empty; leave the field out instead.".to_string(),
            n => format!("Must be at least {n} characters."),
        },
        K::MaxLength { limit } => format!("Must be at most {limit} characters."),
        K::MinProperties { limit } => match limit {
            1 => "Set at least one field.".to_string(),
            n => format!("Set at least {n} fields."),
        },
        K::Pattern { pattern } => format!("Does not have the expected form ({pattern})."),
        // The stand-in for `pattern` carries the pattern as its message.
        K::Custom { keyword, message } if keyword == STAND_IN => {
            format!("Does not have the expected form ({message}).")
        }
        K::Minimum { limit } => format!("Must be at least {limit}."),
        K::Maximum { limit } => format!("Must be at most {limit}."),
        K::FalseSchema => "Not accepted here.".to_string(),
        // Worded by `check`, which names the property.
        K::Required { property } => format!("{} is required.", short(property)),
        K::AdditionalProperties { unexpected } => {
            format!("“{}” is not accepted here.", unexpected.join("”, “"))
        }
        // Keywords our schemas do not use; jsonschema's own text would echo the value.
        other => format!("Not accepted here ({}).", other.keyword()),
    }
}

fn json_type_name(json_type: jsonschema::JsonType) -> &'static str {
    use jsonschema::JsonType as T;
    match json_type {
        T::Array => "array",
        T::Object => "object",
        T::String => "string",
        T::Integer => "integer",
        T::Number => "number",
        T::Boolean => "boolean",
        T::Null => "null",
    }
}

/// A JSON type as the admin reads it.
fn type_name(json_type: &str) -> &str {
    match json_type {
        "array" => "a list",
        "object" => "an object",
        "string" => "text",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "true or false",
        "null" => "empty (null)",
        other => other,
    }
}

/// A value as it appears in a message: strings in quotes, long values cut.
fn short(value: &Value) -> String {
    let text = match value {
        Value::String(s) => format!("“{s}”"),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(57).collect::<String>())
    } else {
        text
    }
}

/// The subschema that describes the instance at `pointer`, following `properties`, then
/// `additionalProperties` for a name the schema does not declare, and `items`.
pub fn subschema_at<'a>(schema: &'a Value, pointer: &str) -> Option<&'a Value> {
    let mut node = schema;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match node.get("properties").and_then(|p| p.get(&token)) {
            Some(next) => next,
            None => match (node.get("additionalProperties"), node.get("items")) {
                (Some(map @ Value::Object(_)), _) => map,
                (_, Some(items)) if token.parse::<usize>().is_ok() => items,
                _ => return None,
            },
        };
    }
    Some(node)
}

/// The title the schema gives the instance at `pointer`.
pub fn title_at<'a>(schema: &'a Value, pointer: &str) -> Option<&'a str> {
    subschema_at(schema, pointer)?.get("title")?.as_str()
}

fn marked_secret(node: &Value) -> bool {
    node.get("x-secret").and_then(Value::as_bool) == Some(true)
}

/// Whether a member's name says it holds a credential (`apiKey`, `client_secret`, `X-Auth-Token`,
/// `password`): its letters and digits, case ignored, hold one of the words credentials are named
/// by, or are one of the short names they go by. A member the schema does not declare is a secret
/// when its name is one of these: the vendors' schemas mark the fields they know (`x-secret`), and
/// this catches what an admin typed where the schema has no field (a key in SuperOffice's free
/// `Properties`, a misspelt `secret` in the raw JSON) before it is stored, exported or shown.
pub fn looks_like_credential(name: &str) -> bool {
    const WHOLE: [&[u8]; 5] = [b"auth", b"pass", b"pwd", b"pin", b"jwt"];
    // The first 64 letters and digits are read: no credential's name hides its word further in.
    let mut folded = [0u8; 64];
    let mut len = 0;
    for byte in name.bytes().filter(u8::is_ascii_alphanumeric).take(64) {
        folded[len] = byte.to_ascii_lowercase();
        len += 1;
    }
    let folded = &folded[..len];
    WHOLE.contains(&folded) || holds_credential_word(folded)
}

/// Whether lower-case letters and digits hold a word credentials are named by: looked for by the
/// letter each starts with, so a name is read once, a byte at a time.
fn holds_credential_word(folded: &[u8]) -> bool {
    (0..folded.len()).any(|i| {
        let at = &folded[i..];
        let words: &[&[u8]] = match folded[i] {
            b'a' => &[b"apikey", b"accesskey", b"authorization"],
            b'b' => &[b"bearer"],
            b'c' => &[b"credential", b"cookie"],
            b'p' => &[b"password", b"passwd", b"passphrase", b"privatekey"],
            b's' => &[b"secret", b"signingkey"],
            b't' => &[b"token"],
            _ => return false,
        };
        words.iter().any(|w| at.starts_with(w))
    })
}

/// One secret value in an instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretAt {
    pub pointer: String,
    /// A value under a name the schema does not declare (a header's value, a member named like a
    /// credential) rather than a declared property: the name around it is not secret and may be
    /// kept, so the admin sees where to type the value again.
    pub in_map: bool,
}

/// Where a draft's secrets are, by its schema: the properties it declares (`x-secret` where it
/// marks them), what the values of other names are (`additionalProperties`) and what items are,
/// read from the schema once. Finding a draft's secrets walks the draft with it and no lookup in
/// the schema: the lint rules do it on every keystroke. A member the schema does not declare is a
/// secret when [`looks_like_credential`] says its name is one, wherever it is, since a draft may
/// hold what its schema refuses and is stored and exported all the same.
#[derive(Debug, Default)]
pub struct SecretTree {
    /// The value here is a secret.
    secret: bool,
    /// Whether a secret may be here or below in a draft the schema accepts, as it is sent: not in
    /// a read-only field (dropped from the request), a fixed value (`const`, `enum`), or a value
    /// whose `type` holds no member or item, unless the schema marks one there.
    sendable: bool,
    /// `additionalProperties: false`: a name not declared here is refused.
    closed: bool,
    /// The declared properties that are `sendable`, by their place in `props`.
    sent: Vec<usize>,
    /// The declared properties, in the schema's order.
    props: Vec<(String, SecretTree)>,
    /// `additionalProperties`, when it is a schema.
    rest: Option<Box<SecretTree>>,
    /// `items`, when it is a schema.
    items: Option<Box<SecretTree>>,
}

/// The tree of what a schema does not describe: every member is undeclared.
static UNDECLARED: SecretTree = SecretTree {
    secret: false,
    sendable: true,
    closed: false,
    sent: Vec::new(),
    props: Vec::new(),
    rest: None,
    items: None,
};

impl SecretTree {
    /// The tree of a schema.
    pub fn of(node: &Value) -> SecretTree {
        let tree = |key: &str| {
            node.get(key)
                .filter(|sub| sub.is_object())
                .map(|sub| Box::new(SecretTree::of(sub)))
        };
        let props: Vec<(String, SecretTree)> = node
            .get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                props
                    .iter()
                    .map(|(name, sub)| (name.clone(), SecretTree::of(sub)))
                    .collect()
            })
            .unwrap_or_default();
        let (rest, items) = (tree("additionalProperties"), tree("items"));
        let secret = marked_secret(node);
        let closed = node.get("additionalProperties") == Some(&Value::Bool(false));
        let allows = |json_type: &str| match node.get("type") {
            Some(Value::String(one)) => one == json_type,
            Some(Value::Array(some)) => some.iter().any(|t| t == json_type),
            _ => true,
        };
        let fixed = node.get("const").is_some() || node.get("enum").is_some();
        let read_only = node.get("readOnly").and_then(Value::as_bool) == Some(true);
        let holds = |sub: &Option<Box<SecretTree>>| sub.as_ref().is_none_or(|t| t.sendable);
        let sendable = secret
            || (!read_only
                && !fixed
                && ((allows("object")
                    && (props.iter().any(|(_, t)| t.sendable) || (!closed && holds(&rest))))
                    || (allows("array") && holds(&items))));
        SecretTree {
            secret,
            sendable,
            closed,
            sent: (0..props.len()).filter(|&i| props[i].1.sendable).collect(),
            props,
            rest,
            items,
        }
    }

    /// Every secret value in `instance`, in the draft's order.
    pub fn find(&self, instance: &Value) -> Vec<SecretAt> {
        let mut out = Vec::new();
        let look = Look {
            want: |_| true,
            sent_only: false,
        };
        self.walk(instance, &At::Root, false, look, &mut |at, _, in_map| {
            out.push(SecretAt {
                pointer: at.pointer(),
                in_map,
            })
        });
        out
    }

    /// Calls `f` with where it is and the value, for every secret value `want` takes that
    /// `instance` would send if its schema accepted it, allocating nothing of its own: what a
    /// schema refuses (a name a closed object does not declare) or a request drops (a read-only
    /// field) is not looked into. The lint rules walk a draft so on every keystroke, for the rare
    /// secret that is the mask: asked first, `want` spares them reading most names.
    pub fn visit_sent(
        &self,
        instance: &Value,
        want: fn(&Value) -> bool,
        mut f: impl FnMut(&At<'_>, &Value),
    ) {
        let look = Look {
            want,
            sent_only: true,
        };
        self.walk(instance, &At::Root, false, look, &mut |at, value, _| {
            f(at, value)
        });
    }

    /// The declared property `name`, looked for from the one after the last found: a draft's
    /// members mostly come in the schema's order, so that is one comparison each.
    fn declared(&self, name: &str, next: &mut usize) -> Option<&SecretTree> {
        let props = &self.props;
        let from = (*next).min(props.len());
        let i = (from..props.len())
            .chain(0..from)
            .find(|&i| props[i].0 == name)?;
        *next = i + 1;
        Some(&props[i].1)
    }

    fn walk(
        &self,
        value: &Value,
        at: &At<'_>,
        in_map: bool,
        look: Look,
        out: &mut dyn FnMut(&At<'_>, &Value, bool),
    ) {
        let want = look.want;
        if self.secret {
            if want(value) {
                out(at, value, in_map);
            }
            return;
        }
        let nested = |v: &Value| matches!(v, Value::Object(_) | Value::Array(_));
        match value {
            // Where no other name may be, only the declared ones that may send a secret are
            // looked up: SuperOffice's secret, headers and properties of its dozen fields.
            Value::Object(map) if look.sent_only && self.closed => {
                for &i in &self.sent {
                    let (name, tree) = &self.props[i];
                    if let Some(child) = crate::draft::field(map, name) {
                        tree.walk(child, &At::Field(at, name), false, look, out);
                    }
                }
            }
            Value::Object(map) => {
                let mut next = 0;
                for (name, child) in map {
                    let rest = || self.rest.as_deref().unwrap_or(&UNDECLARED);
                    if !nested(child) {
                        // A text, number or flag: asked first whether it is wanted, so the lint
                        // rules' walk, which wants only the mask, looks up nothing for it.
                        if want(child) {
                            let secret = match self.declared(name, &mut next) {
                                Some(tree) => tree.secret.then_some(false),
                                // A header's value is a secret whatever its name.
                                None => {
                                    (rest().secret || looks_like_credential(name)).then_some(true)
                                }
                            };
                            if let Some(in_map) = secret {
                                out(&At::Field(at, name), child, in_map);
                            }
                        }
                        continue;
                    }
                    let at = At::Field(at, name);
                    match self.declared(name, &mut next) {
                        Some(tree) if look.sent_only && !tree.sendable => {}
                        Some(tree) => tree.walk(child, &at, false, look, out),
                        // Where a name says a list or object is a secret whole, a walk for what
                        // is sent looks into it instead: the lint rules want only the mask, a text.
                        None if !look.sent_only
                            && !rest().secret
                            && looks_like_credential(name) =>
                        {
                            if want(child) {
                                out(&at, child, true);
                            }
                        }
                        None => rest().walk(child, &at, true, look, out),
                    }
                }
            }
            Value::Array(list) => {
                let items = self.items.as_deref().unwrap_or(&UNDECLARED);
                for (i, child) in list.iter().enumerate() {
                    // A list of names or numbers (10,000 events) holds no secret unless its
                    // items are. A secret item is one to empty, not remove, as removing would
                    // move the next ones.
                    if items.secret || (nested(child) && (items.sendable || !look.sent_only)) {
                        items.walk(child, &At::Item(at, i), true, look, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// How a walk looks: at which values, and whether only where a draft's schema lets a secret be
/// sent.
#[derive(Clone, Copy)]
struct Look {
    want: fn(&Value) -> bool,
    sent_only: bool,
}

/// Where a value sits in a draft, as the chain of names and indices from the root that a walk
/// keeps on its stack: it costs nothing until [`At::pointer`] is asked for.
#[derive(Clone, Copy, Debug)]
pub enum At<'a> {
    Root,
    Field(&'a At<'a>, &'a str),
    Item(&'a At<'a>, usize),
}

impl At<'_> {
    /// The JSON Pointer of this place.
    pub fn pointer(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            At::Root => {}
            At::Field(parent, name) => {
                parent.write(out);
                out.push('/');
                if name.contains(['~', '/']) {
                    out.push_str(&name.replace('~', "~0").replace('/', "~1"));
                } else {
                    out.push_str(name);
                }
            }
            At::Item(parent, i) => {
                use std::fmt::Write;
                parent.write(out);
                let _ = write!(out, "/{i}");
            }
        }
    }
}

/// Where one of the vendors' schemas marks secrets, read once.
pub(crate) fn secret_tree(vendor: VendorId, operation: Operation) -> Option<&'static SecretTree> {
    entry(vendor, operation)
        .map(|entry| entry.secrets.get_or_init(|| SecretTree::of(&entry.schema)))
}

/// The secret values of a draft for one of the vendors' schemas.
pub(crate) fn secrets_of(
    vendor: VendorId,
    operation: Operation,
    instance: &Value,
) -> Vec<SecretAt> {
    secret_tree(vendor, operation).map_or_else(Vec::new, |tree| tree.find(instance))
}

/// The pointer of the property a schema marks with `"x-role": role`, the first in schema order.
pub fn role_pointer(schema: &Value, role: &str) -> Option<String> {
    fn find(node: &Value, at: &str, role: &str) -> Option<String> {
        let props = node.get("properties")?.as_object()?;
        props.iter().find_map(|(name, sub)| {
            let pointer = child_pointer(at, name);
            if sub.get("x-role").and_then(Value::as_str) == Some(role) {
                Some(pointer)
            } else {
                find(sub, &pointer, role)
            }
        })
    }
    find(schema, "", role)
}

/// The pointers of every property marked `"readOnly": true` in a schema: fields the vendor returns
/// but owns, which a request must not send.
pub fn read_only_pointers(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_read_only(schema, "", &mut out);
    out
}

fn collect_read_only(node: &Value, at: &str, out: &mut Vec<String>) {
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            let pointer = child_pointer(at, name);
            if sub.get("readOnly").and_then(Value::as_bool) == Some(true) {
                out.push(pointer);
            } else {
                collect_read_only(sub, &pointer, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_found_with_their_pointers_escaped_and_in_the_drafts_order() {
        let schema = serde_json::json!({"properties": {
            "token": {"x-secret": true},
            "plain": {},
            "headers": {"properties": {"Accept": {}}, "additionalProperties": {"x-secret": true}},
            "keys": {"items": {"properties": {"value": {"x-secret": true}}}},
            "labels": {"additionalProperties": {"type": "string"}},
            "big": {"properties": {"deep": {"x-secret": true}}}
        }});
        // Many undeclared fields before the declared one.
        let mut big: serde_json::Map<String, Value> =
            (0..40).map(|i| (format!("f{i}"), Value::from(i))).collect();
        big.insert("deep".into(), Value::from("d"));
        let draft = serde_json::json!({
            "plain": "p",
            "headers": {"X-Two": "2", "Accept": "json", "a/b~c": "1"},
            "keys": [{"value": "k0"}, {"other": 1}, {"value": "k2"}],
            "token": "t",
            "big": big,
            // Undeclared, named like credentials: secrets wherever they are.
            "Client_Secret": {"any": "shape"},
            "labels": {"team": "ops", "X-Api-Key": "k"},
            "extra": {"author": "a", "list": [{"password": "p", "name": "n"}, "plain text"]},
            "keys2": [{"apiKey": "k"}]
        });
        let found: Vec<(String, bool)> = SecretTree::of(&schema)
            .find(&draft)
            .into_iter()
            .map(|s| (s.pointer, s.in_map))
            .collect();
        let expected = [
            ("/headers/X-Two", true),
            ("/headers/a~1b~0c", true),
            ("/keys/0/value", false),
            ("/keys/2/value", false),
            ("/token", false),
            ("/big/deep", false),
            ("/Client_Secret", true),
            ("/labels/X-Api-Key", true),
            ("/extra/list/0/password", true),
            ("/keys2/0/apiKey", true),
        ];
        let expected: Vec<(String, bool)> =
            expected.iter().map(|(p, m)| (p.to_string(), *m)).collect();
        assert_eq!(found, expected);
        // Each pointer finds what the walk found there.
        for (pointer, _) in &found {
            assert!(crate::draft::get(&draft, pointer).is_some(), "{pointer}");
        }
    }

    #[test]
    fn a_name_names_a_credential_by_its_words_not_its_case_or_separators() {
        let credentials = [
            "secret",
            "Secret",
            "secretToken",
            "client_secret",
            "X-Auth-Token",
            "apiKey",
            "API_KEY",
            "x-api-key",
            "accessKeyId",
            "Password",
            "db_passwd",
            "pwd",
            "PIN",
            "auth",
            "Authorization",
            "bearer",
            "Cookie",
            "private-key",
            "aws_credentials",
            "refresh_token_with_a_very_long_name_that_runs_past_sixty_four_characters_yes",
        ];
        for name in credentials {
            assert!(looks_like_credential(name), "{name}");
        }
        let plain = [
            "name",
            "author",
            "key",
            "Properties",
            "TargetUrl",
            "pinned",
            "passenger",
            "events",
            "a_very_long_field_name_that_runs_past_sixty_four_characters_and_is_plain",
            "",
        ];
        for name in plain {
            assert!(!looks_like_credential(name), "{name}");
        }
    }

    #[test]
    fn every_schema_file_is_for_a_known_vendor_and_operation() {
        assert!(!SOURCES.is_empty());
        for source in SOURCES {
            assert!(
                key_of(source).is_some(),
                "schemas/{}/{}.json: Hookpanel has no such vendor or operation",
                source.vendor,
                source.operation
            );
        }
        let registered = VendorId::ALL
            .into_iter()
            .flat_map(|vendor| Operation::ALL.map(|operation| (vendor, operation)))
            .filter(|&(vendor, operation)| entry(vendor, operation).is_some())
            .count();
        assert_eq!(registered, SOURCES.len());
    }

    /// The keywords of the problems of a SuperOffice create draft with this e-mail address.
    fn email_keywords(email: &str) -> Vec<String> {
        let mut draft = serde_json::json!({
            "Name": "Sales to ERP",
            "Events": ["sale.sold"],
            "TargetUrl": "https://hooks.example.com/superoffice",
            "Type": "webhook",
        });
        draft["ErrorsEmail"] = Value::String(email.to_string());
        check(VendorId::SuperOffice, Operation::Create, &draft)
            .into_iter()
            .map(|p| format!("{}:{}", p.pointer, p.keyword))
            .collect()
    }

    #[test]
    fn a_verdict_follows_the_draft_through_failing_and_passing_in_turn() {
        // Whatever the last draft's verdict was (remembered to skip `is_valid` after a failure),
        // each draft gets its own.
        let failing = vec!["/ErrorsEmail:format".to_string()];
        for _ in 0..2 {
            assert_eq!(email_keywords("ops@example.com"), Vec::<String>::new());
            assert_eq!(email_keywords("ops@"), failing);
            assert_eq!(email_keywords("ops@"), failing);
            assert_eq!(email_keywords("ops@example.com"), Vec::<String>::new());
            assert_eq!(email_keywords("ops@example.com"), Vec::<String>::new());
        }
    }

    #[test]
    fn format_verdicts_remembered_are_jsonschemas_and_per_format() {
        // More texts than are remembered, then the first again: each verdict is the check's.
        let texts: Vec<String> = (0..REMEMBERED_TEXTS * 2)
            .map(|i| {
                if i % 2 == 0 {
                    format!("ops{i}@example.com")
                } else {
                    format!("ops{i}@")
                }
            })
            .collect();
        for _ in 0..2 {
            for text in &texts {
                assert_eq!(
                    email_format(text),
                    jsonschema::__private::format::is_valid_email_with_options(text, None),
                    "{text}"
                );
            }
        }
        // A text is remembered for one format, not for another.
        assert!(uri_format("mailto:ops@example.com"));
        assert!(!email_format("mailto:ops@example.com"));
        assert!(email_format("ops@example.com"));
        assert!(!uri_format("ops@example.com"));
    }

    #[test]
    fn every_pattern_searched_by_dfa_loads() {
        let parent = Map::new();
        for (pattern, _) in PATTERNS {
            let value = Value::String((*pattern).to_string());
            let keyword = pattern_keyword(&parent, &value, jsonschema::paths::Location::new());
            assert!(keyword.is_ok(), "{pattern}");
        }
    }

    #[test]
    fn a_dfa_searches_as_a_regex_does() {
        let value = Value::String("^[a-z0-9_]+(\\.[a-z0-9_]+)?\\.[a-z]+$".into());
        let Some((_, bytes)) = PATTERNS.iter().find(|(p, _)| Some(*p) == value.as_str()) else {
            panic!("the SuperOffice event pattern is searched by DFA");
        };
        let (dfa, _) = dense::DFA::from_bytes(bytes).expect("loads");
        let search = PatternSearch { source: "", dfa };
        for (text, admitted) in [
            ("contact.created", true),
            ("list.110.created", true),
            ("y_table.created", true),
            ("nostrum", false),
            ("", false),
            ("a.b.c.d", false),
            ("contact.created\n", false),
            ("Contact.created", false),
        ] {
            assert_eq!(
                search.admits(&Value::String(text.into())),
                admitted,
                "{text:?}"
            );
        }
        assert!(
            search.admits(&Value::from(12)),
            "pattern constrains strings only"
        );
    }
}
