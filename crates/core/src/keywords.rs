//! A JSON Schema (draft 2020-12) validator for exactly the keywords our schemas use.
//!
//! Why not a general validator: Hookpanel checks the draft on every keystroke in a page loaded from
//! a CDN. A general validator (jsonschema) carries a validator for every keyword and format, two
//! regex engines and Unicode tables: 550 KB brotli of the page, and 2–7× Ajv's time per draft
//! (PERFORMANCE.md). Our schemas are ours and use a dozen keywords; this module compiles those into
//! a plain tree and checks a draft by walking it, without allocating unless something fails.
//!
//! What keeps it honest:
//! - [`compile`] refuses any keyword, format or schema shape it does not implement, so a schema
//!   edit cannot be silently half-checked (every schema is compiled by the tests);
//! - `tests/fixtures.rs` (every fixture) and `tests/properties.rs` (arbitrary and mutated drafts)
//!   check that it reports the same failures (pointer and keyword) as jsonschema, the reference
//!   implementation, kept as a dev-dependency;
//! - formats are checked by well-kept crates: `fluent-uri` (RFC 3986, the oracle jsonschema's own
//!   `uri` check is tested against) and `email_address` (what jsonschema's `email` uses).

use std::fmt;
use std::str::FromStr;

use regex_lite::Regex;
use serde_json::{Map, Number, Value};

use crate::problem::child_pointer;

/// Keywords that describe and do not constrain, which every validator ignores. `x-secret`,
/// `x-messages` and `x-role` are ours (see [`crate::schema`]).
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "x-secret",
    "x-messages",
    "x-role",
];

/// The JSON types, as a set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Types {
    /// The types in the order the schema names them, which the message keeps.
    names: [Option<JsonType>; 7],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JsonType {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl JsonType {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "null" => Self::Null,
            "boolean" => Self::Boolean,
            "integer" => Self::Integer,
            "number" => Self::Number,
            "string" => Self::String,
            "array" => Self::Array,
            "object" => Self::Object,
            _ => return None,
        })
    }

    fn admits(self, value: &Value) -> bool {
        match (self, value) {
            (Self::Null, Value::Null)
            | (Self::Boolean, Value::Bool(_))
            | (Self::Number, Value::Number(_))
            | (Self::String, Value::String(_))
            | (Self::Array, Value::Array(_))
            | (Self::Object, Value::Object(_)) => true,
            // Draft 2020-12: a number with no fractional part is an integer, 1.0 included.
            (Self::Integer, Value::Number(n)) => {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            _ => false,
        }
    }
}

impl Types {
    /// The types, in the schema's order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = JsonType> + '_ {
        self.names.iter().flatten().copied()
    }

    fn admits(&self, value: &Value) -> bool {
        self.iter().any(|t| t.admits(value))
    }
}

/// A `format` we check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Uri,
    Email,
}

impl Format {
    fn admits(self, text: &str) -> bool {
        match self {
            Self::Uri => fluent_uri::Uri::parse(text).is_ok(),
            Self::Email => is_email(text),
        }
    }
}

/// RFC 5321 address: `email_address`'s syntax, then a domain that is a host name or an IP literal
/// (as jsonschema's `email` format checks it, without its Unicode A-label decoding).
fn is_email(text: &str) -> bool {
    // `email_address` rejects an empty quoted local part, which RFC 5321 allows.
    let text = match text.strip_prefix("\"\"@") {
        Some(domain) => format!("\"a\"@{domain}"),
        None => text.to_string(),
    };
    let Ok(address) = email_address::EmailAddress::from_str(&text) else {
        return false;
    };
    if !address.local_part().is_ascii() {
        return false;
    }
    let domain = address.domain();
    match domain.strip_prefix('[').and_then(|d| d.strip_suffix(']')) {
        Some(literal) => match literal.get(..5) {
            Some(tag) if tag.eq_ignore_ascii_case("IPv6:") => {
                literal[5..].parse::<std::net::Ipv6Addr>().is_ok()
            }
            _ => literal.parse::<std::net::Ipv4Addr>().is_ok(),
        },
        None => is_host_name(domain),
    }
}

/// RFC 1123 host name: dot-separated labels of 1–63 letters, digits and inner hyphens, 253 at most.
fn is_host_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            let bytes = label.as_bytes();
            !bytes.is_empty()
                && bytes.len() <= 63
                && bytes[0] != b'-'
                && bytes[bytes.len() - 1] != b'-'
                && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
                // RFC 5891: hyphens in the 3rd and 4th places only in an A-label ("xn--").
                && !(bytes.len() >= 4
                    && bytes[2] == b'-'
                    && bytes[3] == b'-'
                    && !label[..2].eq_ignore_ascii_case("xn"))
        })
}

/// A compiled `pattern`. regex-lite is small but searches slowly (about 0.7 µs to see that a URL
/// starts with `https://`, 1.7 µs for an event name), so a pattern that only anchors a literal is
/// checked as a prefix, and a regex remembers its verdicts: a keystroke checks the same values
/// as the one before but one, and an `Events` list of 10,000 names took 17 ms a keystroke in the
/// regex alone (issue 11).
enum Matcher {
    Prefix(String),
    Regex(Regex, Verdicts),
}

/// The verdicts a regex gave, by text, forgotten all at once when they grow past [`VERDICTS`].
#[derive(Default)]
struct Verdicts(std::sync::Mutex<std::collections::HashMap<Box<str>, bool>>);

/// How many texts a pattern remembers: twice the longest list a real draft has.
const VERDICTS: usize = 50_000;

impl Matcher {
    fn new(source: &str) -> Result<Self, regex_lite::Error> {
        const SPECIAL: &[char] = &[
            '\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$',
        ];
        match source.strip_prefix('^') {
            Some(literal) if !literal.contains(SPECIAL) => Ok(Self::Prefix(literal.to_string())),
            _ => Regex::new(source).map(|regex| Self::Regex(regex, Verdicts::default())),
        }
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Self::Prefix(literal) => text.starts_with(literal.as_str()),
            Self::Regex(regex, Verdicts(memo)) => {
                // A poisoned lock (a panic elsewhere while it was held) only costs the memo.
                let Ok(mut memo) = memo.lock() else {
                    return regex.is_match(text);
                };
                if let Some(verdict) = memo.get(text) {
                    return *verdict;
                }
                let verdict = regex.is_match(text);
                if memo.len() >= VERDICTS {
                    memo.clear();
                }
                memo.insert(text.into(), verdict);
                verdict
            }
        }
    }
}

/// One compiled schema: each keyword our schemas use, or its absence.
#[derive(Default)]
pub(crate) struct Node {
    /// The `false` schema: nothing is valid.
    never: bool,
    types: Option<Types>,
    enumeration: Option<Vec<Value>>,
    constant: Option<Value>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    pattern: Option<(String, Matcher)>,
    format: Option<Format>,
    minimum: Option<Number>,
    maximum: Option<Number>,
    items: Option<Box<Node>>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    unique_items: bool,
    properties: Vec<(String, Node)>,
    required: Vec<String>,
    additional: Additional,
    min_properties: Option<u64>,
    condition: Option<Box<Condition>>,
    /// `x-messages`: the sentence to show when a keyword of this node fails.
    messages: Vec<(String, String)>,
}

#[derive(Default)]
enum Additional {
    #[default]
    Any,
    Never,
    Schema(Box<Node>),
}

struct Condition {
    test: Node,
    then: Option<Node>,
    otherwise: Option<Node>,
}

/// Why a schema cannot be compiled: where, and what.
#[derive(Debug)]
pub(crate) struct CompileError {
    at: String,
    what: String,
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at “{}”: {}", self.at, self.what)
    }
}

fn fail<T>(at: &str, what: impl Into<String>) -> Result<T, CompileError> {
    Err(CompileError {
        at: at.to_string(),
        what: what.into(),
    })
}

/// Compiles a schema, refusing whatever this validator does not implement.
pub(crate) fn compile(schema: &Value) -> Result<Node, CompileError> {
    compile_at(schema, "")
}

fn compile_at(schema: &Value, at: &str) -> Result<Node, CompileError> {
    let object = match schema {
        Value::Bool(true) => return Ok(Node::default()),
        Value::Bool(false) => {
            return Ok(Node {
                never: true,
                ..Node::default()
            });
        }
        Value::Object(object) => object,
        _ => return fail(at, "a schema must be an object or a boolean"),
    };
    let mut node = Node::default();
    let mut condition: Option<(Option<&Value>, Option<&Value>, Option<&Value>)> = None;
    for (keyword, value) in object {
        let here = child_pointer(at, keyword);
        match keyword.as_str() {
            "type" => node.types = Some(types(value, &here)?),
            "enum" => match value {
                Value::Array(options) => node.enumeration = Some(options.clone()),
                _ => return fail(&here, "enum must be a list"),
            },
            "const" => node.constant = Some(value.clone()),
            "minLength" => node.min_length = Some(count(value, &here)?),
            "maxLength" => node.max_length = Some(count(value, &here)?),
            "minItems" => node.min_items = Some(count(value, &here)?),
            "maxItems" => node.max_items = Some(count(value, &here)?),
            "minProperties" => node.min_properties = Some(count(value, &here)?),
            "minimum" | "maximum" => {
                let Value::Number(limit) = value else {
                    return fail(&here, "a limit must be a number");
                };
                if keyword == "minimum" {
                    node.minimum = Some(limit.clone());
                } else {
                    node.maximum = Some(limit.clone());
                }
            }
            "uniqueItems" => match value {
                Value::Bool(unique) => node.unique_items = *unique,
                _ => return fail(&here, "uniqueItems must be true or false"),
            },
            "pattern" => {
                let Some(source) = value.as_str() else {
                    return fail(&here, "pattern must be text");
                };
                match Matcher::new(source) {
                    Ok(matcher) => node.pattern = Some((source.to_string(), matcher)),
                    Err(e) => return fail(&here, format!("pattern does not compile: {e}")),
                }
            }
            "format" => {
                node.format = Some(match value.as_str() {
                    Some("uri") => Format::Uri,
                    Some("email") => Format::Email,
                    other => return fail(&here, format!("format {other:?} is not checked")),
                })
            }
            "items" => node.items = Some(Box::new(compile_at(value, &here)?)),
            "properties" => {
                let Value::Object(properties) = value else {
                    return fail(&here, "properties must be an object");
                };
                for (name, sub) in properties {
                    let sub = compile_at(sub, &child_pointer(&here, name))?;
                    node.properties.push((name.clone(), sub));
                }
            }
            "required" => {
                let names = value.as_array().map(|list| {
                    list.iter()
                        .map(|n| n.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                });
                match names {
                    Some(Some(names)) => node.required = names,
                    _ => return fail(&here, "required must be a list of names"),
                }
            }
            "additionalProperties" => {
                node.additional = match value {
                    Value::Bool(true) => Additional::Any,
                    Value::Bool(false) => Additional::Never,
                    sub => Additional::Schema(Box::new(compile_at(sub, &here)?)),
                }
            }
            "if" => condition.get_or_insert((None, None, None)).0 = Some(value),
            "then" => condition.get_or_insert((None, None, None)).1 = Some(value),
            "else" => condition.get_or_insert((None, None, None)).2 = Some(value),
            "x-messages" => {
                let Value::Object(messages) = value else {
                    return fail(&here, "x-messages must be an object");
                };
                for (on, message) in messages {
                    let Some(message) = message.as_str() else {
                        return fail(&child_pointer(&here, on), "a message must be text");
                    };
                    node.messages.push((on.clone(), message.to_string()));
                }
            }
            annotation if ANNOTATIONS.contains(&annotation) => {}
            other => return fail(&here, format!("keyword “{other}” is not supported")),
        }
    }
    if let Some((test, then, otherwise)) = condition {
        // Without `if`, `then` and `else` are ignored; our schemas have no use for that.
        let Some(test) = test else {
            return fail(at, "then/else without if");
        };
        let branch = |value: Option<&Value>, name: &str| {
            value
                .map(|v| compile_at(v, &child_pointer(at, name)))
                .transpose()
        };
        node.condition = Some(Box::new(Condition {
            test: compile_at(test, &child_pointer(at, "if"))?,
            then: branch(then, "then")?,
            otherwise: branch(otherwise, "else")?,
        }));
    }
    Ok(node)
}

fn types(value: &Value, at: &str) -> Result<Types, CompileError> {
    let names: Vec<&Value> = match value {
        Value::Array(list) => list.iter().collect(),
        single => vec![single],
    };
    let mut types = Types { names: [None; 7] };
    if names.is_empty() || names.len() > types.names.len() {
        return fail(at, "type must name one to seven types");
    }
    for (slot, name) in types.names.iter_mut().zip(names) {
        match name.as_str().and_then(JsonType::parse) {
            Some(t) => *slot = Some(t),
            None => return fail(at, format!("{name} is not a JSON type")),
        }
    }
    Ok(types)
}

fn count(value: &Value, at: &str) -> Result<u64, CompileError> {
    match value.as_u64() {
        Some(n) => Ok(n),
        None => fail(at, "must be a whole number, 0 or more"),
    }
}

/// Where a failure is in the draft: built on the stack as the walk goes down, written out as a
/// JSON Pointer only when something fails there.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn pointer(&self) -> String {
        match self {
            Path::Root => String::new(),
            Path::Key(parent, key) => child_pointer(&parent.pointer(), key),
            Path::Index(parent, i) => format!("{}/{i}", parent.pointer()),
        }
    }
}

/// A keyword that failed, with what the message needs.
#[derive(Debug)]
pub(crate) enum Failure<'s> {
    Never,
    Type(Types),
    Enum(&'s [Value]),
    Const(&'s Value),
    MinLength(u64),
    MaxLength(u64),
    Pattern(&'s str),
    Format(Format),
    Minimum(&'s Number),
    Maximum(&'s Number),
    MinItems(u64),
    MaxItems(u64),
    UniqueItems,
    MinProperties(u64),
    /// A property the schema requires, by name: the error's pointer is the object's.
    Required(&'s str),
    /// A property the schema does not allow, by name: the error's pointer is the object's.
    Additional(String),
}

impl Failure<'_> {
    /// The keyword, as JSON Schema names it.
    pub(crate) fn keyword(&self) -> &'static str {
        match self {
            Failure::Never => "false",
            Failure::Type(_) => "type",
            Failure::Enum(_) => "enum",
            Failure::Const(_) => "const",
            Failure::MinLength(_) => "minLength",
            Failure::MaxLength(_) => "maxLength",
            Failure::Pattern(_) => "pattern",
            Failure::Format(_) => "format",
            Failure::Minimum(_) => "minimum",
            Failure::Maximum(_) => "maximum",
            Failure::MinItems(_) => "minItems",
            Failure::MaxItems(_) => "maxItems",
            Failure::UniqueItems => "uniqueItems",
            Failure::MinProperties(_) => "minProperties",
            Failure::Required(_) => "required",
            Failure::Additional(_) => "additionalProperties",
        }
    }
}

/// One failed keyword at one place in the draft.
#[derive(Debug)]
pub(crate) struct Error<'s> {
    /// The JSON Pointer of the value that failed (for `required` and `additionalProperties`, the
    /// object's).
    pub(crate) pointer: String,
    pub(crate) failure: Failure<'s>,
    /// The schema's own sentence for this keyword here (`x-messages`), if it has one.
    pub(crate) message: Option<&'s str>,
}

impl Node {
    /// Every failure of `value` against this schema: the value's own keywords first, then its
    /// items or properties, then `if`/`then`/`else`.
    pub(crate) fn errors<'s>(&'s self, value: &Value) -> Vec<Error<'s>> {
        let mut out = Vec::new();
        self.walk(value, &Path::Root, &mut out);
        out
    }

    /// Whether `value` is valid, without gathering what fails.
    fn admits(&self, value: &Value) -> bool {
        // Errors are only built when something fails, so a scratch list costs nothing when valid.
        let mut scratch = Vec::new();
        self.walk(value, &Path::Root, &mut scratch);
        scratch.is_empty()
    }

    fn push<'s>(&'s self, out: &mut Vec<Error<'s>>, path: &Path<'_>, failure: Failure<'s>) {
        let keyword = failure.keyword();
        let message = self
            .messages
            .iter()
            .find(|(on, _)| on == keyword)
            .map(|(_, m)| m.as_str());
        out.push(Error {
            pointer: path.pointer(),
            failure,
            message,
        });
    }

    fn walk<'s>(&'s self, value: &Value, path: &Path<'_>, out: &mut Vec<Error<'s>>) {
        if self.never {
            self.push(out, path, Failure::Never);
            return;
        }
        if let Some(types) = self.types
            && !types.admits(value)
        {
            self.push(out, path, Failure::Type(types));
        }
        if let Some(options) = &self.enumeration
            && !options.iter().any(|o| equal(o, value))
        {
            self.push(out, path, Failure::Enum(options));
        }
        if let Some(expected) = &self.constant
            && !equal(expected, value)
        {
            self.push(out, path, Failure::Const(expected));
        }
        match value {
            Value::String(text) => self.walk_string(text, path, out),
            Value::Number(n) => self.walk_number(n, path, out),
            Value::Array(items) => self.walk_array(items, path, out),
            Value::Object(object) => self.walk_object(object, path, out),
            Value::Null | Value::Bool(_) => {}
        }
        if let Some(condition) = &self.condition {
            let branch = if condition.test.admits(value) {
                &condition.then
            } else {
                &condition.otherwise
            };
            if let Some(branch) = branch {
                branch.walk(value, path, out);
            }
        }
    }

    fn walk_string<'s>(&'s self, text: &str, path: &Path<'_>, out: &mut Vec<Error<'s>>) {
        if self.min_length.is_some() || self.max_length.is_some() {
            // Lengths count code points, not bytes.
            let length = text.chars().count() as u64;
            if let Some(min) = self.min_length
                && length < min
            {
                self.push(out, path, Failure::MinLength(min));
            }
            if let Some(max) = self.max_length
                && length > max
            {
                self.push(out, path, Failure::MaxLength(max));
            }
        }
        if let Some((source, matcher)) = &self.pattern
            && !matcher.is_match(text)
        {
            self.push(out, path, Failure::Pattern(source));
        }
        if let Some(format) = self.format
            && !format.admits(text)
        {
            self.push(out, path, Failure::Format(format));
        }
    }

    fn walk_number<'s>(&'s self, n: &Number, path: &Path<'_>, out: &mut Vec<Error<'s>>) {
        if let Some(min) = &self.minimum
            && compare(n, min) == Some(std::cmp::Ordering::Less)
        {
            self.push(out, path, Failure::Minimum(min));
        }
        if let Some(max) = &self.maximum
            && compare(n, max) == Some(std::cmp::Ordering::Greater)
        {
            self.push(out, path, Failure::Maximum(max));
        }
    }

    fn walk_array<'s>(&'s self, items: &[Value], path: &Path<'_>, out: &mut Vec<Error<'s>>) {
        let length = items.len() as u64;
        if let Some(min) = self.min_items
            && length < min
        {
            self.push(out, path, Failure::MinItems(min));
        }
        if let Some(max) = self.max_items
            && length > max
        {
            self.push(out, path, Failure::MaxItems(max));
        }
        if self.unique_items && has_repeats(items) {
            self.push(out, path, Failure::UniqueItems);
        }
        if let Some(schema) = &self.items {
            for (i, item) in items.iter().enumerate() {
                schema.walk(item, &Path::Index(path, i), out);
            }
        }
    }

    fn walk_object<'s>(
        &'s self,
        object: &Map<String, Value>,
        path: &Path<'_>,
        out: &mut Vec<Error<'s>>,
    ) {
        if let Some(min) = self.min_properties
            && (object.len() as u64) < min
        {
            self.push(out, path, Failure::MinProperties(min));
        }
        for name in &self.required {
            if !object.contains_key(name) {
                self.push(out, path, Failure::Required(name));
            }
        }
        for (name, schema) in &self.properties {
            if let Some(value) = object.get(name) {
                schema.walk(value, &Path::Key(path, name), out);
            }
        }
        match &self.additional {
            Additional::Any => {}
            Additional::Never => {
                for name in object.keys() {
                    if !self.is_declared(name) {
                        self.push(out, path, Failure::Additional(name.clone()));
                    }
                }
            }
            Additional::Schema(schema) => {
                for (name, value) in object {
                    if !self.is_declared(name) {
                        schema.walk(value, &Path::Key(path, name), out);
                    }
                }
            }
        }
    }

    fn is_declared(&self, name: &str) -> bool {
        self.properties.iter().any(|(declared, _)| declared == name)
    }
}

/// Whether two items of the list are equal, in time linear in the list: items are bucketed by a
/// hash that equal values share ([`json_hash`]), and only items in one bucket are compared. An
/// `Events` list of 100,000 names took 186 s pair by pair (issue 11).
fn has_repeats(items: &[Value]) -> bool {
    if items.len() < 16 {
        return items
            .iter()
            .enumerate()
            .any(|(i, a)| items[i + 1..].iter().any(|b| equal(a, b)));
    }
    let mut buckets: std::collections::HashMap<u64, Vec<&Value>> =
        std::collections::HashMap::with_capacity(items.len());
    for item in items {
        let bucket = buckets.entry(json_hash(item)).or_default();
        if bucket.iter().any(|seen| equal(seen, item)) {
            return true;
        }
        bucket.push(item);
    }
    false
}

/// A hash under which values that are [`equal`] collide: numbers hash by their value as a float
/// (1 and 1.0 alike), objects by their members in any order.
fn json_hash(value: &Value) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    match value {
        Value::Null => 0u8.hash(&mut hasher),
        Value::Bool(b) => (1u8, b).hash(&mut hasher),
        Value::Number(n) => (2u8, n.as_f64().map(f64::to_bits)).hash(&mut hasher),
        Value::String(text) => (3u8, text).hash(&mut hasher),
        Value::Array(items) => {
            4u8.hash(&mut hasher);
            for item in items {
                json_hash(item).hash(&mut hasher);
            }
        }
        Value::Object(map) => {
            // Order-free: the members' hashes are summed.
            let members = map.iter().fold(0u64, |sum, (key, member)| {
                let mut one = std::collections::hash_map::DefaultHasher::new();
                (key, json_hash(member)).hash(&mut one);
                sum.wrapping_add(one.finish())
            });
            (5u8, members).hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// JSON equality as JSON Schema defines it: numbers by value (1 equals 1.0), objects regardless
/// of key order.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare(x, y) == Some(std::cmp::Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, a)| y.get(key).is_some_and(|b| equal(a, b)))
        }
        _ => a == b,
    }
}

/// Compares two numbers exactly when both are integers, as floats otherwise.
fn compare(a: &Number, b: &Number) -> Option<std::cmp::Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    match (a.as_i64(), b.as_u64(), a.as_u64(), b.as_i64()) {
        // A negative i64 against a u64 beyond i64, and the reverse.
        (Some(_), Some(_), None, None) => Some(std::cmp::Ordering::Less),
        (None, None, Some(_), Some(_)) => Some(std::cmp::Ordering::Greater),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn failures(schema: Value, value: Value) -> Vec<(String, &'static str)> {
        let node = compile(&schema).expect("compiles");
        node.errors(&value)
            .into_iter()
            .map(|e| (e.pointer, e.failure.keyword()))
            .collect()
    }

    #[test]
    fn unknown_keywords_and_formats_are_refused() {
        let e = compile(&json!({"properties": {"a": {"$ref": "#/x"}}})).err();
        assert_eq!(
            e.map(|e| e.to_string()),
            Some("at “/properties/a/$ref”: keyword “$ref” is not supported".to_string())
        );
        assert!(compile(&json!({"format": "date-time"})).is_err());
        assert!(compile(&json!({"pattern": "("})).is_err());
        assert!(compile(&json!({"then": {}})).is_err());
    }

    #[test]
    fn integers_include_whole_floats_and_numbers_compare_by_value() {
        let schema = json!({"type": "integer", "minimum": 1});
        assert!(failures(schema.clone(), json!(1.0)).is_empty());
        assert_eq!(
            failures(schema.clone(), json!(1.5)),
            [(String::new(), "type")]
        );
        assert_eq!(failures(schema, json!(0)), [(String::new(), "minimum")]);
        assert!(failures(json!({"enum": [1, "a"]}), json!(1.0)).is_empty());
        assert!(failures(json!({"const": {"a": [1]}}), json!({"a": [1.0]})).is_empty());
        assert_eq!(
            failures(json!({"uniqueItems": true}), json!([1, 1.0])),
            [(String::new(), "uniqueItems")]
        );
        assert_eq!(
            compare(&Number::from(u64::MAX), &Number::from(-1)),
            Some(std::cmp::Ordering::Greater)
        );
    }

    #[test]
    fn repeats_are_found_in_long_lists_as_in_short_ones() {
        let schema = json!({"uniqueItems": true});
        let mut names: Vec<Value> = (0..5000)
            .map(|i| json!(format!("entity{i}.created")))
            .collect();
        assert!(failures(schema.clone(), Value::Array(names.clone())).is_empty());
        names.push(json!("entity17.created"));
        assert_eq!(
            failures(schema.clone(), Value::Array(names)),
            [(String::new(), "uniqueItems")]
        );
        let mut numbers: Vec<Value> = (0..100).map(|i| json!(i)).collect();
        numbers.push(json!(42.0));
        assert_eq!(
            failures(schema.clone(), Value::Array(numbers)),
            [(String::new(), "uniqueItems")],
            "42 and 42.0 are one value"
        );
        let mut objects: Vec<Value> = (0..100).map(|i| json!({"a": i, "b": [i]})).collect();
        objects.push(json!({"b": [7.0], "a": 7}));
        assert_eq!(
            failures(schema, Value::Array(objects)),
            [(String::new(), "uniqueItems")],
            "members in another order are the same object"
        );
    }

    #[test]
    fn pointers_escape_their_tokens_and_count_items() {
        let schema = json!({
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "properties": {"a~b": {"required": ["x/y"]}}
        });
        let got = failures(schema, json!({"a~b": {}, "c/d": ["ok", 2]}));
        assert_eq!(
            got,
            [
                ("/a~0b".to_string(), "required"),
                ("/c~1d/1".to_string(), "type")
            ]
        );
    }

    #[test]
    fn if_chooses_then_or_else() {
        let schema = json!({
            "if": {"properties": {"kind": {"const": "a"}}, "required": ["kind"]},
            "then": {"required": ["a"]},
            "else": {"required": ["b"]}
        });
        assert_eq!(
            failures(schema.clone(), json!({"kind": "a"})),
            [(String::new(), "required")]
        );
        assert!(failures(schema.clone(), json!({"kind": "a", "a": 1})).is_empty());
        assert!(failures(schema, json!({"b": 1})).is_empty());
    }

    #[test]
    fn lengths_count_characters_and_false_refuses_all() {
        assert!(failures(json!({"maxLength": 2}), json!("éé")).is_empty());
        assert_eq!(
            failures(json!({"properties": {"a": false}}), json!({"a": 1})),
            [("/a".to_string(), "false")]
        );
        assert_eq!(
            failures(
                json!({"additionalProperties": false, "properties": {"a": true}}),
                json!({"a": 1, "b": 2})
            ),
            [(String::new(), "additionalProperties")]
        );
    }

    #[test]
    fn an_anchored_literal_is_a_prefix_and_matches_as_the_regex_would() {
        let prefix = Matcher::new("^https://").expect("compiles");
        assert!(matches!(prefix, Matcher::Prefix(_)));
        assert!(matches!(Matcher::new("^a.b"), Ok(Matcher::Regex(..))));
        assert!(matches!(Matcher::new("https://"), Ok(Matcher::Regex(..))));
        let regex = Regex::new("^https://").expect("compiles");
        for text in ["https://x", "http://x", "", "xhttps://", "https:/"] {
            assert_eq!(prefix.is_match(text), regex.is_match(text), "{text}");
        }
    }

    #[test]
    fn a_regex_remembers_its_verdicts_and_gives_the_same_ones() {
        let matcher = Matcher::new("^[a-z0-9_]+(\\.[a-z0-9_]+)?\\.[a-z]+$").expect("compiles");
        let regex = Regex::new("^[a-z0-9_]+(\\.[a-z0-9_]+)?\\.[a-z]+$").expect("compiles");
        for round in 0..3 {
            for text in [
                "contact.created",
                "list.110.created",
                "nostrum",
                "",
                "a.b.c.d",
            ] {
                assert_eq!(
                    matcher.is_match(text),
                    regex.is_match(text),
                    "{text} ({round})"
                );
            }
        }
        // Past its bound the memo starts again, and still answers as the regex does.
        for i in 0..VERDICTS + 10 {
            let text = format!("e{i}.created");
            assert!(matcher.is_match(&text));
        }
        assert!(!matcher.is_match("nostrum"));
    }

    #[test]
    fn formats_use_the_rfcs() {
        assert!(Format::Uri.admits("https://example.com/hooks?a=1"));
        assert!(Format::Uri.admits("urn:isbn:0451450523"));
        assert!(!Format::Uri.admits("https://exa mple.com"));
        assert!(!Format::Uri.admits("example.com/hooks"));
        assert!(Format::Email.admits("ops@example.com"));
        assert!(Format::Email.admits("ops@[127.0.0.1]"));
        assert!(!Format::Email.admits("ops@-example.com"));
        assert!(!Format::Email.admits("ops.example.com"));
    }
}
