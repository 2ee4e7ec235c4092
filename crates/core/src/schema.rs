//! The vendors' schemas, embedded from `schemas/<vendor>/<operation>.json`, and validation against
//! them. The schema files are the one source of truth for fields, required-ness, enums and event
//! lists: forms, event pickers and lint rules read them; no list of them is typed in Rust.
//!
//! Schemas may carry two annotations of ours (our validator, `keywords.rs`, reads the second; other
//! JSON Schema tools ignore both):
//! - `"x-secret": true` on a property, or on `additionalProperties` for a map whose every value is
//!   one (custom headers): the value is a secret, masked wherever it is shown, never stored;
//! - `"x-messages": {"<keyword>": "..."}` on a property: the message to show when that keyword fails;
//! - `"x-role": "target" | "events"` on a property: the webhook's target URL, or the event (or
//!   list of events) it subscribes to, wherever the vendor's shape puts them.

use std::sync::OnceLock;

use serde_json::Value;

use crate::keywords::{self, Failure, Format, JsonType, Node};
use crate::problem::{Problem, child_pointer};
use crate::{Operation, VendorId};

/// The schema files, by vendor and operation. Adding a schema is a file and a line here.
const SOURCES: &[(VendorId, Operation, &str)] = &[
    (
        VendorId::Collect,
        Operation::Create,
        include_str!("../../../schemas/collect/create.json"),
    ),
    (
        VendorId::Collect,
        Operation::Modify,
        include_str!("../../../schemas/collect/modify.json"),
    ),
    (
        VendorId::Collect,
        Operation::Event,
        include_str!("../../../schemas/collect/event.json"),
    ),
    (
        VendorId::Saleshandy,
        Operation::Create,
        include_str!("../../../schemas/saleshandy/create.json"),
    ),
    (
        VendorId::Saleshandy,
        Operation::Event,
        include_str!("../../../schemas/saleshandy/event.json"),
    ),
    (
        VendorId::SuperOffice,
        Operation::Create,
        include_str!("../../../schemas/superoffice/create.json"),
    ),
    (
        VendorId::SuperOffice,
        Operation::Modify,
        include_str!("../../../schemas/superoffice/modify.json"),
    ),
    (
        VendorId::SuperOffice,
        Operation::Event,
        include_str!("../../../schemas/superoffice/event.json"),
    ),
    (
        VendorId::Kajabi,
        Operation::Create,
        include_str!("../../../schemas/kajabi/create.json"),
    ),
    (
        VendorId::Kajabi,
        Operation::Event,
        include_str!("../../../schemas/kajabi/event.json"),
    ),
];

struct Entry {
    schema: Value,
    /// Built on first use: the page needs one validator to start, not all of them.
    validator: OnceLock<Node>,
    /// [`read_only_pointers`] of the schema, which the lint rules look for on every keystroke.
    read_only: OnceLock<Vec<String>>,
    /// Where the schema marks secrets, which the lint rules look for on every keystroke.
    secrets: OnceLock<SecretTree>,
}

impl Entry {
    fn validator(&self, vendor: VendorId, operation: Operation) -> &Node {
        self.validator
            .get_or_init(|| build(vendor, operation, &self.schema))
    }
}

/// The schemas, parsed on first use. Ten entries: a list is found faster than a hash is computed.
fn registry() -> &'static [((VendorId, Operation), Entry)] {
    static REGISTRY: OnceLock<Vec<((VendorId, Operation), Entry)>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(vendor, op, text)| {
                // The schema files ship inside the binary and are checked by the tests, so a
                // failure here is a build defect, not something a user or vendor can cause.
                let schema: Value = serde_json::from_str(text).unwrap_or_else(|e| {
                    panic!(
                        "schemas/{}/{}.json is not JSON: {e}",
                        vendor.as_str(),
                        op.as_str()
                    )
                });
                let entry = Entry {
                    schema,
                    validator: OnceLock::new(),
                    read_only: OnceLock::new(),
                    secrets: OnceLock::new(),
                };
                ((*vendor, *op), entry)
            })
            .collect()
    })
}

fn entry(vendor: VendorId, operation: Operation) -> Option<&'static Entry> {
    registry()
        .iter()
        .find(|(key, _)| *key == (vendor, operation))
        .map(|(_, entry)| entry)
}

/// Compiles a validator for one of our schemas, as every check uses it.
fn build(vendor: VendorId, operation: Operation, schema: &Value) -> Node {
    // The schema files ship inside the binary and every one is compiled by the tests, so a
    // failure here is a build defect, not something a user or vendor can cause.
    keywords::compile(schema).unwrap_or_else(|e| {
        panic!(
            "schemas/{}/{}.json is not a schema Hookpanel can check: {e}",
            vendor.as_str(),
            operation.as_str()
        )
    })
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

/// Compiles every schema now rather than on first use.
pub fn warm_up() {
    for ((vendor, operation), entry) in registry() {
        entry.validator(*vendor, *operation);
    }
}

/// Compiles one schema now rather than on first use (a screen can call it before the admin
/// types). Returns whether the vendor has that operation.
pub fn warm_up_one(vendor: VendorId, operation: Operation) -> bool {
    entry(vendor, operation)
        .map(|entry| entry.validator(vendor, operation))
        .is_some()
}

/// Compiles a new validator for a schema exactly as the checks do, and drops it: for benchmarks
/// of compile time, which the cached validators cannot show twice.
#[doc(hidden)]
pub fn compile_uncached(vendor: VendorId, operation: Operation) -> bool {
    entry(vendor, operation)
        .map(|entry| build(vendor, operation, &entry.schema))
        .is_some()
}

/// [`read_only_pointers`] of a vendor's schema for an operation, worked out once.
pub(crate) fn read_only_of(vendor: VendorId, operation: Operation) -> &'static [String] {
    entry(vendor, operation).map_or(&[], |entry| {
        entry
            .read_only
            .get_or_init(|| read_only_pointers(&entry.schema))
    })
}

/// Checks a draft against the schema; every failure becomes a [`Problem`] at the instance's pointer.
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
    let mut problems = Vec::new();
    for error in entry.validator(vendor, operation).errors(draft) {
        let at = error.pointer.as_str();
        match &error.failure {
            Failure::Required(name) => {
                let pointer = child_pointer(at, name);
                let label = title_at(&entry.schema, &pointer).unwrap_or(name);
                problems.push(Problem::error(
                    pointer.clone(),
                    "required",
                    format!("{label} is required."),
                ));
            }
            Failure::Additional(name) => problems.push(Problem::error(
                child_pointer(at, name),
                "additionalProperties",
                format!(
                    "“{name}” is not a field {} accepts here.",
                    vendor.display_name()
                ),
            )),
            failure => {
                let message = match error.message {
                    Some(own) => own.to_string(),
                    None => describe(failure, crate::draft::get(draft, at)),
                };
                problems.push(Problem::error(at, failure.keyword(), message));
            }
        }
    }
    problems
}

/// A readable sentence for a failed keyword. Values are not echoed where they might be secrets.
fn describe(failure: &Failure<'_>, value: Option<&Value>) -> String {
    match failure {
        Failure::Enum(options) => {
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
        Failure::Const(expected) => format!("Must be {}.", short(expected)),
        Failure::Format(Format::Uri) => "Enter a full URL, like https://example.com/hooks.".into(),
        Failure::Format(Format::Email) => "Enter an email address, like ops@example.com.".into(),
        Failure::Type(types) => {
            let names: Vec<&str> = types.iter().map(type_name).collect();
            format!("Must be {}.", names.join(" or "))
        }
        Failure::MinItems(limit) => match limit {
            1 => "Choose at least one.".to_string(),
            n => format!("Choose at least {n}."),
        },
        Failure::MaxItems(limit) => format!("Choose at most {limit}."),
        Failure::UniqueItems => "Each value may appear only once.".to_string(),
        Failure::MinLength(limit) => match limit {
            1 => "Must not be empty; leave the field out instead.".to_string(),
            n => format!("Must be at least {n} characters."),
        },
        Failure::MaxLength(limit) => format!("Must be at most {limit} characters."),
        Failure::MinProperties(limit) => match limit {
            1 => "Set at least one field.".to_string(),
            n => format!("Set at least {n} fields."),
        },
        Failure::Pattern(pattern) => format!("Does not have the expected form ({pattern})."),
        Failure::Minimum(limit) => format!("Must be at least {limit}."),
        Failure::Maximum(limit) => format!("Must be at most {limit}."),
        Failure::Never => "Not accepted here.".to_string(),
        // Worded by `check`, which names the property.
        Failure::Required(name) => format!("{name} is required."),
        Failure::Additional(name) => format!("“{name}” is not accepted here."),
    }
}

fn type_name(json_type: JsonType) -> &'static str {
    match json_type {
        JsonType::Array => "a list",
        JsonType::Object => "an object",
        JsonType::String => "text",
        JsonType::Integer => "a whole number",
        JsonType::Number => "a number",
        JsonType::Boolean => "true or false",
        JsonType::Null => "empty (null)",
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

/// Whether the value at `pointer` is a secret: the schema marks its subschema `x-secret`, whether
/// it is a declared property (Collect's `secretToken`) or a value of a map whose values are all
/// secret (custom headers, where the vendors' docs tell admins to put a shared secret).
pub fn is_secret_at(schema: &Value, pointer: &str) -> bool {
    subschema_at(schema, pointer).is_some_and(marked_secret)
}

/// One secret value in an instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretAt {
    pub pointer: String,
    /// A value of a map (a header's value) rather than a declared property: the name around it is
    /// not secret and may be kept.
    pub in_map: bool,
}

/// Where a schema marks secrets: the branches of the schema that lead to an `x-secret`, and no
/// other, read from the schema once. Finding a draft's secrets then walks only those branches of
/// the draft, with no lookup in the schema: the lint rules do it on every keystroke, and an
/// `Events` list of 10,000 names holds no secret.
#[derive(Debug, Default)]
pub struct SecretTree {
    /// The value here is a secret.
    secret: bool,
    /// Declared properties with a secret at or below them.
    props: Vec<(String, SecretTree)>,
    /// `additionalProperties`, when its values hold secrets (custom headers).
    rest: Option<Box<SecretTree>>,
    /// `items`, when items hold secrets.
    items: Option<Box<SecretTree>>,
}

impl SecretTree {
    /// The tree of a schema (possibly empty).
    pub fn of(node: &Value) -> SecretTree {
        let keep = |tree: SecretTree| (!tree.is_empty()).then_some(tree);
        SecretTree {
            secret: marked_secret(node),
            props: node
                .get("properties")
                .and_then(Value::as_object)
                .map(|props| {
                    props
                        .iter()
                        .filter_map(|(name, sub)| {
                            keep(SecretTree::of(sub)).map(|t| (name.clone(), t))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            rest: node
                .get("additionalProperties")
                .filter(|a| a.is_object())
                .and_then(|a| keep(SecretTree::of(a)))
                .map(Box::new),
            items: node
                .get("items")
                .and_then(|i| keep(SecretTree::of(i)))
                .map(Box::new),
        }
    }

    /// Whether the schema marks no secret at all.
    pub fn is_empty(&self) -> bool {
        !self.secret && self.props.is_empty() && self.rest.is_none() && self.items.is_none()
    }

    /// Every secret value in `instance`: declared fields in the schema's order, a map's values in
    /// the draft's.
    pub fn find(&self, instance: &Value) -> Vec<SecretAt> {
        let mut out = Vec::new();
        self.visit(instance, |pointer, _, in_map| {
            out.push(SecretAt {
                pointer: pointer.to_string(),
                in_map,
            })
        });
        out
    }

    /// Calls `f` with the pointer, the value and whether it is a map's value, for every secret
    /// value in `instance`, allocating nothing of its own.
    pub fn visit(&self, instance: &Value, mut f: impl FnMut(&str, &Value, bool)) {
        if !self.is_empty() {
            self.walk(instance, &mut String::new(), false, &mut f);
        }
    }

    fn walk(
        &self,
        value: &Value,
        at: &mut String,
        in_map: bool,
        out: &mut dyn FnMut(&str, &Value, bool),
    ) {
        if self.secret {
            out(at, value, in_map);
            return;
        }
        let end = at.len();
        match value {
            Value::Object(map) => {
                let mut visit = |name: &str, child: &Value, tree: &SecretTree, is_map: bool| {
                    at.push('/');
                    if name.contains(['~', '/']) {
                        at.push_str(&name.replace('~', "~0").replace('/', "~1"));
                    } else {
                        at.push_str(name);
                    }
                    tree.walk(child, at, is_map, out);
                    at.truncate(end);
                };
                match &self.rest {
                    // Every member may hold one: in the draft's order.
                    Some(rest) => {
                        for (name, child) in map {
                            match self.props.iter().find(|(p, _)| p == name) {
                                Some((_, tree)) => visit(name, child, tree, false),
                                None => visit(name, child, rest, true),
                            }
                        }
                    }
                    // Only the declared ones may: looked up in the schema's order, not the draft
                    // walked.
                    None => {
                        for (name, tree) in &self.props {
                            if let Some(child) = map.get(name) {
                                visit(name, child, tree, false);
                            }
                        }
                    }
                }
            }
            Value::Array(list) => {
                if let Some(items) = &self.items {
                    for (i, child) in list.iter().enumerate() {
                        use std::fmt::Write;
                        let _ = write!(at, "/{i}");
                        items.walk(child, at, false, out);
                        at.truncate(end);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Every secret value in `instance`, by the schema's `x-secret` marks.
pub fn secrets_in(schema: &Value, instance: &Value) -> Vec<SecretAt> {
    SecretTree::of(schema).find(instance)
}

/// The pointers of [`secrets_in`].
pub fn secret_pointers_in(schema: &Value, instance: &Value) -> Vec<String> {
    secrets_in(schema, instance)
        .into_iter()
        .map(|s| s.pointer)
        .collect()
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
