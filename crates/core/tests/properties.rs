//! Property tests: core's public API (validate, plan, decode) on arbitrary input never panics and
//! keeps its promises: problems point at real places, a planned id stays in its own path segment,
//! a masked preview or curl copy never shows a secret, and a vendor answer that cannot be read is
//! never taken for success.
//!
//! Each property runs 64 cases by default, so the file takes a few seconds. `PROPTEST_CASES=N`
//! runs N cases per property instead; `cargo xtask fuzz` uses it for a campaign of a million cases
//! in all (see RELIABILITY.md).

mod reference;

use std::sync::OnceLock;

use base64::Engine;
use hookpanel_core::roles::role_of;
use hookpanel_core::vendors::spec;
use hookpanel_core::{
    Action, Call, Connection, Credentials, HttpRequest, HttpResponse, Operation, Outcome,
    PlanError, Problem, Secret, VendorError, VendorId, decode, plan, plan_steps, schema, validate,
    validate_text,
};
use hookpanel_core::{decode_token, token_request};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::{Map, Value, json};
use url::Url;

// ---------------------------------------------------------------------------------------------
// Configuration

/// 64 cases per property, unless `PROPTEST_CASES` says otherwise. (`with_cases` alone would
/// override the variable; `ProptestConfig::default()` is the one that reads it.)
fn config() -> ProptestConfig {
    let from_env = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok());
    match from_env {
        Some(_) => ProptestConfig::default(),
        None => ProptestConfig::with_cases(64),
    }
}

// ---------------------------------------------------------------------------------------------
// Arbitrary JSON

/// Every property name, enum value and constant in the vendors' schemas: keys and strings that
/// make arbitrary drafts reach the schemas' and adapters' interesting paths.
fn schema_words() -> &'static [String] {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words = Vec::new();
        for vendor in VendorId::ALL {
            for op in schema::operations(vendor) {
                if let Some(s) = schema::schema(vendor, op) {
                    collect_words(s, &mut words);
                }
            }
        }
        // The fields of the vendors' answers, which the schemas do not all name.
        for extra in [
            "_id",
            "id",
            "status",
            "payload",
            "message",
            "testDelivery",
            "failed",
            "lastFailure",
            "createdAt",
            "data",
            "attributes",
            "relationships",
            "errors",
            "detail",
            "title",
            "source",
            "pointer",
            "value",
            "Success",
            "Message",
            "access_token",
            "token_type",
            "expires_in",
            "refresh_token",
            "error",
            "error_description",
            "created_at",
        ] {
            words.push(extra.to_string());
        }
        words.sort();
        words.dedup();
        words
    })
}

fn collect_words(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(props) = map.get("properties").and_then(Value::as_object) {
                out.extend(props.keys().cloned());
            }
            for key in ["enum", "const", "examples"] {
                match map.get(key) {
                    Some(Value::Array(items)) => {
                        out.extend(items.iter().filter_map(Value::as_str).map(str::to_string));
                    }
                    Some(Value::String(s)) => out.push(s.clone()),
                    _ => {}
                }
            }
            for child in map.values() {
                collect_words(child, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_words(i, out)),
        _ => {}
    }
}

/// Strings chosen to break things: markup, pointer escapes, URL parts, odd unicode, numbers as text.
const NASTY: &[&str] = &[
    "",
    " ",
    "~",
    "~0",
    "~1",
    "/",
    "//",
    "/a/b",
    "..",
    ".",
    "?",
    "#",
    "%",
    "%2e%2e",
    "%00",
    "\0",
    "\u{202e}gnp.exe",
    "\u{feff}",
    "\u{1f600}",
    "é",
    "e\u{301}",
    "中文",
    "\u{10ffff}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"quoted\"",
    "'single'",
    "back\\slash",
    "line\nbreak",
    "0",
    "-1",
    "123",
    "1e999",
    "-0",
    "9999999999999999999999",
    "true",
    "null",
    "{}",
    "[]",
    "{\"a\":",
    "https://hooks.example.com/h",
    "http://hooks.example.com/h",
    "https://user:pw@hooks.example.com/h",
    "https://127.0.0.1/h",
    "https://[::1]/h",
    "https://10.0.0.1/h",
    "https://192.168.1.1/h",
    "https://172.16.0.1/h",
    "https://localhost/h",
    "https://2130706433/h",
    "https://xn--nxasmq6b.example/h",
    "https://bücher.example/h",
    "ftp://hooks.example.com/h",
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "file:///etc/passwd",
    "https://",
    "https:///h",
    "https://[::/h",
    "https://a b/h",
    "https://hooks.example.com:99999/h",
    "mailto:ops@example.com",
    "ops@example.com",
    "2024-05-01T12:00:00Z",
    "Active",
    "Stopped",
    "TooManyErrors",
    "failed",
    "paused",
    "active",
    "Bearer",
];

fn arb_string() -> BoxedStrategy<String> {
    prop_oneof![
        4 => any::<String>(),
        3 => select(schema_words()),
        3 => select(NASTY).prop_map(str::to_string),
        1 => "[ -~]{0,40}",
        1 => arb_url(),
        // Long text: a pattern or a length limit has to cope with it.
        1 => (select(&["a", "é", "<", "/", "~1", "\u{1f600}"][..]), 1_000usize..20_000)
            .prop_map(|(s, n)| s.repeat(n)),
    ]
    .boxed()
}

/// URLs built from parts that the target URL rules and base URL checks look at.
fn arb_url() -> impl Strategy<Value = String> {
    (
        select(&["https", "http", "ftp", "javascript", "HTTPS", "ws", ""][..]),
        select(&["", "user@", "user:pw@", ":pw@", "@"][..]),
        select(
            &[
                "hooks.example.com",
                "127.0.0.1",
                "localhost",
                "[::1]",
                "[::ffff:10.0.0.1]",
                "10.1.2.3",
                "192.168.0.5",
                "172.16.0.1",
                "172.32.0.1",
                "0x7f.1",
                "bücher.example",
                "a..b",
                "",
            ][..],
        ),
        select(&["", ":443", ":8080", ":0", ":65536"][..]),
        "[/a-z0-9?#%.~]{0,20}",
    )
        .prop_map(|(scheme, user, host, port, path)| format!("{scheme}://{user}{host}{port}{path}"))
}

/// Text for the fields with a format or a pattern: URLs, addresses, event names, near misses.
fn arb_field_text() -> BoxedStrategy<String> {
    prop_oneof![
        2 => arb_url(),
        1 => "[a-z0-9:/?#@.%\\[\\]-]{0,24}",
        1 => "(\"[ a-z]{0,3}\"|[a-z.+]{0,6})@(\\[(IPv6:)?[0-9a-f:.]{0,12}\\]|[a-z0-9.-]{0,14})",
        1 => "[a-z_.A-Z0-9]{0,16}",
        1 => select(schema_words()),
    ]
    .boxed()
}

/// Numbers at the edges of what JSON, f64 and i64 can say.
fn arb_number() -> BoxedStrategy<Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // NaN and infinities become null, as serde_json makes them.
        any::<f64>().prop_map(Value::from),
        select(
            &[
                i64::MIN as f64,
                i64::MAX as f64,
                u64::MAX as f64,
                f64::MAX,
                f64::MIN,
                f64::MIN_POSITIVE,
                f64::EPSILON,
                -0.0,
                0.5,
                1e300,
            ][..]
        )
        .prop_map(Value::from),
        select(&[0i64, 1, -1, 421, i64::MIN, i64::MAX][..]).prop_map(Value::from),
    ]
    .boxed()
}

fn arb_key() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(schema_words()),
        1 => select(NASTY).prop_map(str::to_string),
        1 => any::<String>(),
    ]
    .boxed()
}

/// Any JSON value, nested up to 6 deep, keys mostly the schemas' own names.
fn arb_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::from),
        2 => arb_number(),
        4 => arb_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((arb_key(), inner), 0..8)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
    .boxed()
}

/// A draft: mostly objects (what the editor holds), sometimes anything at all.
fn arb_draft() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => prop::collection::vec((arb_key(), arb_json()), 0..10)
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        1 => arb_json(),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// Valid drafts from the fixture table, and mutations of them

/// Every fixture the schema accepts (`"errors": []`), with its vendor and operation.
fn valid_fixtures() -> &'static [(VendorId, Operation, Value)] {
    static FIXTURES: OnceLock<Vec<(VendorId, Operation, Value)>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
        let mut out = Vec::new();
        for vendor in VendorId::ALL {
            for op in schema::operations(vendor) {
                let dir = root
                    .join(vendor.as_str())
                    .join("fixtures")
                    .join(op.as_str());
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                paths.sort();
                for path in paths {
                    let text = std::fs::read_to_string(&path).expect("fixture readable");
                    let fixture: Value = serde_json::from_str(&text).expect("fixture is JSON");
                    if fixture["errors"].as_array().is_some_and(Vec::is_empty) {
                        out.push((vendor, op, fixture["instance"].clone()));
                    }
                }
            }
        }
        assert!(out.len() >= 20, "only {} valid fixtures found", out.len());
        out
    })
}

/// Every JSON Pointer in a value, the root included, in document order.
fn pointers(value: &Value) -> Vec<String> {
    let mut out = vec![String::new()];
    fn walk(v: &Value, at: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    let p = hookpanel_core::problem::child_pointer(at, k);
                    out.push(p.clone());
                    walk(child, &p, out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let p = format!("{at}/{i}");
                    out.push(p.clone());
                    walk(child, &p, out);
                }
            }
            _ => {}
        }
    }
    walk(value, "", &mut out);
    out
}

#[derive(Clone, Debug)]
enum Mutation {
    /// Replace the value at the pointer.
    Replace(Value),
    /// Remove it from its object or list.
    Remove,
    /// Add a key beside it (in the object it is, or in its parent).
    AddKey(String, Value),
}

/// The small values a decoder or validator most often forgets: empty, zero, the wrong kind.
fn arb_edge_value() -> impl Strategy<Value = Value> {
    select(vec![
        Value::Null,
        json!(""),
        json!(" "),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(true),
        json!([]),
        json!({}),
        json!([null]),
        json!("0"),
        json!(u64::MAX),
    ])
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => arb_edge_value().prop_map(Mutation::Replace),
        3 => arb_json().prop_map(Mutation::Replace),
        1 => Just(Mutation::Remove),
        1 => (arb_key(), arb_json()).prop_map(|(k, v)| Mutation::AddKey(k, v)),
    ]
}

fn mutate(value: &mut Value, pointer: &str, mutation: Mutation) {
    let parent_of = |p: &str| p.rfind('/').map_or(String::new(), |i| p[..i].to_string());
    match mutation {
        Mutation::Replace(new) => {
            if let Some(v) = value.pointer_mut(pointer) {
                *v = new;
            }
        }
        Mutation::Remove => {
            let Some(i) = pointer.rfind('/') else {
                *value = Value::Null;
                return;
            };
            let last = pointer[i + 1..].replace("~1", "/").replace("~0", "~");
            match value.pointer_mut(&parent_of(pointer)) {
                Some(Value::Object(map)) => {
                    map.remove(&last);
                }
                Some(Value::Array(items)) => {
                    if let Ok(n) = last.parse::<usize>()
                        && n < items.len()
                    {
                        items.remove(n);
                    }
                }
                _ => {}
            }
        }
        Mutation::AddKey(key, new) => {
            let target = match value.pointer(pointer) {
                Some(Value::Object(_)) => pointer.to_string(),
                _ => parent_of(pointer),
            };
            if let Some(Value::Object(map)) = value.pointer_mut(&target) {
                map.insert(key, new);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What every problem must be

fn is_json_pointer(p: &str) -> bool {
    if p.is_empty() {
        return true;
    }
    if !p.starts_with('/') {
        return false;
    }
    let bytes = p.as_bytes();
    bytes
        .iter()
        .enumerate()
        .all(|(i, b)| *b != b'~' || matches!(bytes.get(i + 1), Some(b'0' | b'1')))
}

/// A problem's pointer is a JSON Pointer whose parent exists in the draft (the value itself may
/// be missing: a required field, a secret not set), so the form and the raw editor can place it.
fn check_problems(draft: &Value, problems: &[Problem]) -> Result<(), TestCaseError> {
    for p in problems {
        prop_assert!(is_json_pointer(&p.pointer), "bad pointer {:?}", p);
        prop_assert!(!p.message.trim().is_empty(), "no message: {:?}", p);
        prop_assert!(!p.keyword.is_empty(), "no keyword: {:?}", p);
        let parent = p.pointer.rfind('/').map_or("", |i| &p.pointer[..i]);
        prop_assert!(
            draft.pointer(parent).is_some(),
            "{:?}: the parent {parent:?} is not in the draft",
            p
        );
    }
    Ok(())
}

fn every_operation() -> Vec<(VendorId, Operation)> {
    VendorId::ALL
        .into_iter()
        .flat_map(|v| schema::operations(v).into_iter().map(move |op| (v, op)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Connections, credentials and calls

/// A secret long enough (8+) that finding it in a text means it leaked: token-like or any text.
fn arb_secret() -> BoxedStrategy<String> {
    prop_oneof![
        "[A-Za-z0-9_.~+/=-]{8,48}",
        "\\PC{8,24}",
        // Characters that each rendering escapes its own way: JSON, shell, base64, URL.
        "['\"\\\\ <>&%$`]{2,6}[a-z]{6,10}",
    ]
    .prop_filter("blank secrets are refused before planning", |s| {
        !s.trim().is_empty()
    })
    .boxed()
}

/// The secrets of one connection and one draft.
#[derive(Clone, Debug)]
struct Secrets {
    scheme: u8,
    first: String,
    second: String,
    user: String,
    delivery: String,
}

fn arb_secrets() -> impl Strategy<Value = Secrets> {
    (
        0u8..4,
        arb_secret(),
        arb_secret(),
        prop_oneof!["[a-z]{1,8}", arb_string()],
        arb_secret(),
    )
        .prop_map(|(scheme, first, second, user, delivery)| Secrets {
            scheme,
            first,
            second,
            user,
            delivery,
        })
}

impl Secrets {
    fn credentials(&self) -> Credentials {
        match self.scheme {
            0 => Credentials::ApiKey {
                key: Secret::new(&self.first),
            },
            1 => Credentials::Bearer {
                token: Secret::new(&self.first),
            },
            2 => Credentials::SoTicket {
                ticket: Secret::new(&self.first),
                app_token: Secret::new(&self.second),
            },
            _ => Credentials::Basic {
                user: self.user.clone(),
                password: Secret::new(&self.first),
            },
        }
    }

    /// The same shape with other values, for a second plan to compare with.
    fn others(&self) -> Secrets {
        let swap = |s: &str| format!("other-{}-secret", s.chars().count());
        Secrets {
            first: swap(&self.first),
            second: swap(&self.second) + "-2",
            delivery: swap(&self.delivery) + "-d",
            ..self.clone()
        }
    }

    /// Every secret value, and the forms the renderings might carry it in.
    fn forms(&self) -> Vec<String> {
        let b64 = |s: String| base64::engine::general_purpose::STANDARD.encode(s);
        let mut out = Vec::new();
        for s in [&self.first, &self.second, &self.delivery] {
            out.push(s.clone());
            // As inside a JSON string, and inside a single-quoted shell word.
            let json = serde_json::to_string(s).unwrap_or_default();
            out.push(json[1..json.len() - 1].to_string());
            out.push(s.replace('\'', r"'\''"));
            out.push(url::form_urlencoded::byte_serialize(s.as_bytes()).collect());
        }
        out.push(b64(format!(":{}", self.first)));
        out.push(b64(format!("{}:{}", self.user, self.first)));
        out.retain(|f| f.chars().count() >= 8);
        out
    }

    /// Puts the delivery secret where the vendor's schema keeps one (Saleshandy: a header).
    fn put_in_draft(&self, vendor: VendorId, draft: &Value) -> Value {
        let mut draft = draft.clone();
        if let Value::Object(map) = &mut draft {
            match vendor {
                VendorId::Saleshandy => {
                    let headers = map.entry("headers").or_insert_with(|| json!({}));
                    if let Value::Object(h) = headers {
                        h.insert("X-Shared-Secret".into(), self.delivery.clone().into());
                    }
                }
                _ => {
                    if let Some(pointer) = role_of(vendor, Operation::Create, "secret") {
                        map.insert(
                            pointer.trim_start_matches('/').into(),
                            self.delivery.clone().into(),
                        );
                    }
                }
            }
        }
        draft
    }
}

const BASES: &[&str] = &[
    "https://api.usecollect.com/v1",
    "https://open-api.saleshandy.com/v1/",
    "https://sod.superoffice.com/Cust12345/api/v1",
    "https://api.kajabi.com/v1",
    "http://127.0.0.1:8787/kajabi/v1",
    "https://relay.example/a%20b/v1",
    "https://bücher.example/v1",
];

fn arb_base() -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(BASES).prop_map(str::to_string),
        1 => arb_url(),
        1 => arb_string(),
    ]
    .boxed()
}

/// Ids an admin might paste, and ids that try to leave their path segment.
fn arb_id() -> BoxedStrategy<String> {
    prop_oneof![
        2 => "[0-9]{1,6}",
        2 => "[a-f0-9]{24}",
        2 => select(&["", " ", ".", "..", "...", "../..", "%2e%2e", "a/b", "a?b=c", "a#b", "?", "#",
            "/", "\\", "a\\..\\b", "%", "%zz", "~", "\u{1f600}", "é", "a b", "\t", "0", "-1",
            "421", "1/../../admin", "..;/", "%2F"][..])
            .prop_map(str::to_string),
        2 => any::<String>(),
        1 => arb_string(),
    ]
    .boxed()
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    List,
    Get,
    Create,
    Modify,
    Pause,
    Resume,
    Delete,
    Recreate,
    Test,
    Sample,
}

const KINDS: &[Kind] = &[
    Kind::List,
    Kind::Get,
    Kind::Create,
    Kind::Modify,
    Kind::Pause,
    Kind::Resume,
    Kind::Delete,
    Kind::Recreate,
    Kind::Test,
    Kind::Sample,
];

fn call<'a>(kind: Kind, id: &'a str, draft: &'a Value) -> Call<'a> {
    match kind {
        Kind::List => Call::List { page: 1 },
        Kind::Get => Call::Get { id },
        Kind::Create => Call::Create { draft },
        Kind::Modify => Call::Modify { id, draft },
        Kind::Pause => Call::Pause { id },
        Kind::Resume => Call::Resume { id },
        Kind::Delete => Call::Delete { id },
        Kind::Recreate => Call::Recreate { draft },
        Kind::Test => Call::Test { draft },
        // The event name goes into the path as an id does.
        Kind::Sample => Call::Sample { event: id },
    }
}

/// Plans a call both ways (`plan` and `plan_steps`), as requests.
fn plan_both(connection: &Connection, call: Call<'_>) -> Vec<Result<Vec<HttpRequest>, PlanError>> {
    vec![
        plan(connection, call).map(|r| vec![r]),
        plan_steps(connection, call).map(|steps| steps.into_iter().map(|s| s.request).collect()),
    ]
}

const PLACEHOLDER: &str = "hookpanel-id-placeholder";

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// The request's URL is the reference's (planned with a plain id), except that where the
/// reference has the placeholder, the real one has exactly one segment that decodes to the id.
fn check_id_segment(real: &str, reference: &str, id: &str) -> Result<(), TestCaseError> {
    let real_url = Url::parse(real);
    prop_assert!(real_url.is_ok(), "unparseable URL {real:?}");
    let real_url = real_url.unwrap();
    let reference_url = Url::parse(reference).unwrap();
    // A list's page query is the adapter's own, the same whatever the id; the id adds none.
    prop_assert_eq!(
        real_url.query(),
        reference_url.query(),
        "the id made a query: {}",
        real
    );
    prop_assert_eq!(
        real_url.fragment(),
        None,
        "the id made a fragment: {}",
        real
    );
    prop_assert_eq!(real_url.origin(), reference_url.origin());
    let real_segments: Vec<&str> = real_url.path_segments().unwrap().collect();
    let reference_segments: Vec<&str> = reference_url.path_segments().unwrap().collect();
    prop_assert_eq!(
        real_segments.len(),
        reference_segments.len(),
        "the id {:?} changed the path: {} (expected the shape of {})",
        id,
        real_url.as_str(),
        reference
    );
    for (r, want) in real_segments.iter().zip(&reference_segments) {
        // The id may be the whole segment, or part of one (Kajabi's `{event}_sample`).
        if let Some((before, after)) = want.split_once(PLACEHOLDER) {
            let middle = r
                .strip_prefix(before)
                .and_then(|rest| rest.strip_suffix(after));
            prop_assert!(middle.is_some(), "segment {} lost {}…{}", r, before, after);
            prop_assert_eq!(
                percent_decode(middle.unwrap_or_default()),
                id.as_bytes().to_vec(),
                "segment {} does not decode to the id",
                r
            );
        } else {
            prop_assert_eq!(r, want);
        }
    }
    Ok(())
}

/// What the admin sees without asking to reveal: the preview and the curl copy.
fn masked(request: &HttpRequest) -> [String; 2] {
    [request.to_text(false), request.to_curl(false)]
}

// ---------------------------------------------------------------------------------------------
// Vendor answers

/// Whose answers to imitate.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Vendor(VendorId),
    Token,
}

/// Answers shaped like each vendor's real ones (the seeds' examples and documented errors).
fn answer_templates(shape: Shape) -> &'static [Value] {
    static TEMPLATES: OnceLock<[Vec<Value>; 5]> = OnceLock::new();
    let all = TEMPLATES.get_or_init(|| {
        let collect = json!({"_id": "wh_6b2c", "status": "active", "targetUrl": "https://hooks.example.com/c",
            "types": ["docCreated", "portalSubmited"], "campaignId": "sGyGrN", "secretToken": "s3cr3t",
            "createdAt": "2024-05-01T12:00:00.000Z"});
        let saleshandy_one = json!({"id": "69fb3ac1eda582171eb74826", "name": "Email Sent Webhook",
            "webhookUrl": "https://example.org/webhooks/email-sent", "webhookEvent": ["email-sent"],
            "headers": {"X-Key": "v"}, "status": "paused", "testDelivery": {"status": "failed", "statusCode": 500},
            "failed": true, "lastFailure": {"failedAt": "2024-04-23T07:13:42.439Z", "statusCode": 500, "message": "Internal error"},
            "createdAt": "2024-04-23T07:13:42.439Z"});
        let superoffice_one = json!({"WebhookId": 421, "Name": "Beahan Group", "Events": ["contact.created"],
            "TargetUrl": "https://www.example.com/", "Secret": "repellat", "State": "Active", "Type": "webhook",
            "Headers": {"Headers1": "suscipit"}, "Properties": {"fieldName": {}},
            "Registered": "2001-10-29T14:34:02.9327773+01:00", "RegisteredAssociate": null,
            "Updated": "2013-10-05T14:34:02.9327773+02:00", "UpdatedAssociate": null,
            "ErrorsEmail": "alvera@bayer.com", "_Links": {"Self": "https://www.example.com/api/v1/project/321"}});
        let kajabi_one = json!({"id": "2", "type": "hooks", "attributes": {"target_url": "https://example.com/webhook",
            "event": "tag_added", "resource_id": 123, "created_at": "2024-05-01T12:00:00Z"},
            "relationships": {"site": {"data": {"id": "1", "type": "sites"}}}});
        [
            vec![
                collect,
                json!({"message": "Your request is invalid.", "statusCode": 400}),
            ],
            vec![
                json!({"message": "Webhook created successfully", "payload": saleshandy_one.clone()}),
                json!({"message": "ok", "payload": [saleshandy_one.clone(), {"id": 7, "status": "active"}]}),
                json!({"message": "ok", "payload": {"webhooks": [saleshandy_one], "total": 1}}),
                json!({"message": "Invalid API key", "statusCode": 401}),
            ],
            vec![
                superoffice_one.clone(),
                json!([superoffice_one.clone(), {"WebhookId": 0, "State": "TooManyErrors"}]),
                json!({"value": [superoffice_one], "odata.nextLink": null}),
                json!({"Success": false, "Message": "The target did not answer."}),
                json!({"Message": "Webhook test POST to https://e.org/h failed: 404", "Error": "x",
                    "ErrorMessage": "y", "detail": "z", "title": "t"}),
            ],
            vec![
                json!({"data": kajabi_one.clone()}),
                json!({"data": [kajabi_one, {"id": 3, "attributes": null}]}),
                json!({"errors": [{"status": "422", "source": {"pointer": "/data/attributes/target_url"},
                    "title": "Invalid attribute", "detail": "target_url is not a valid URL"}]}),
            ],
            vec![
                json!({"access_token": "eyJhbGciOi", "token_type": "Bearer", "expires_in": 7200, "refresh_token": "r1"}),
                json!({"error": "invalid_client", "error_description": "Client authentication failed."}),
            ],
        ]
    });
    match shape {
        Shape::Vendor(vendor) => &all[VendorId::ALL.iter().position(|v| *v == vendor).unwrap()],
        Shape::Token => &all[4],
    }
}

/// A vendor-shaped answer with one to three of its values (or containers) changed.
fn arb_shaped_answer(shape: Shape) -> impl Strategy<Value = Value> {
    (
        select(answer_templates(shape)),
        prop::collection::vec((any::<Index>(), arb_mutation()), 0..4),
    )
        .prop_map(|(mut answer, mutations)| {
            for (at, mutation) in mutations {
                let all = pointers(&answer);
                let pointer = at.get(&all).clone();
                mutate(&mut answer, &pointer, mutation);
            }
            answer
        })
}

fn arb_body(shape: Shape) -> BoxedStrategy<String> {
    prop_oneof![
        4 => arb_shaped_answer(shape).prop_map(|v| v.to_string()),
        2 => arb_json().prop_map(|v| v.to_string()),
        2 => prop::collection::vec(any::<u8>(), 0..256)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        1 => any::<String>(),
        // Cut short, as a dropped connection leaves it.
        1 => (arb_shaped_answer(shape), any::<Index>()).prop_map(|(v, at)| {
            let text = v.to_string();
            let cut = at.index(text.len() + 1);
            let cut = (0..=cut).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            text[..cut].to_string()
        }),
        1 => select(&["", " ", "null", "<html><body>502 Bad Gateway</body></html>", "OK",
            "{}", "[]", "\"\"", "{\"data\": null}", "{\"payload\": null}"][..]).prop_map(str::to_string),
    ]
    .boxed()
}

fn arb_headers() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec(
        (
            prop_oneof![
                select(
                    &[
                        "retry-after",
                        "Retry-After",
                        "content-type",
                        "x-ratelimit-reset"
                    ][..]
                )
                .prop_map(str::to_string),
                "[a-z-]{1,12}",
            ],
            prop_oneof![
                "[0-9]{1,25}",
                select(
                    &[
                        "-1",
                        " 30 ",
                        "Wed, 21 Oct 2015 07:28:00 GMT",
                        "1e3",
                        "",
                        "0",
                        "18446744073709551616",
                        "application/json"
                    ][..]
                )
                .prop_map(str::to_string),
                any::<String>(),
            ],
        ),
        0..4,
    )
}

fn arb_response(shape: Shape) -> impl Strategy<Value = HttpResponse> {
    (
        prop_oneof![
            3 => select(&[200u16, 201, 204][..]),
            3 => select(&[400u16, 401, 403, 404, 409, 422, 429, 500, 502, 503][..]),
            2 => 100u16..=599,
        ],
        arb_headers(),
        arb_body(shape),
    )
        .prop_map(|(status, headers, body)| HttpResponse {
            status,
            headers,
            body,
        })
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Actions whose success carries the written webhook back: a body that cannot be read is not one.
/// (A delete answers 204 with nothing, and Kajabi's emulated pause is a delete.)
fn expects_a_webhook(vendor: VendorId, action: Action) -> bool {
    match action {
        Action::Create | Action::Modify | Action::Resume => true,
        Action::Pause => vendor != VendorId::Kajabi,
        Action::List | Action::Get | Action::Delete | Action::Test | Action::Sample => false,
    }
}

/// What holds of any failure: it can be told to the admin, and a failed status is never
/// mistaken for an unreadable success.
fn check_failure(response: &HttpResponse, error: &VendorError) -> Result<(), TestCaseError> {
    prop_assert!(!error.to_string().trim().is_empty());
    prop_assert!(!error.next_step().trim().is_empty());
    if !is_success(response.status) {
        prop_assert!(
            !matches!(error, VendorError::Malformed(_)),
            "{} reported as malformed",
            response.status
        );
        if let Some(status) = error.status() {
            prop_assert_eq!(status, response.status);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The properties

proptest! {
    #![proptest_config(config())]

    /// validate never panics, for every vendor and operation, and each problem can be placed.
    #[test]
    fn validate_places_every_problem_for_any_draft(draft in arb_draft()) {
        for (vendor, op) in every_operation() {
            let problems = validate(vendor, op, &draft);
            check_problems(&draft, &problems)?;
        }
    }

    /// `draft::get`, the allocation-free lookup the lint rules use, finds what `Value::pointer`
    /// finds, at every place in a draft and at pointers that are not quite pointers.
    #[test]
    fn draft_get_agrees_with_value_pointer(
        draft in arb_draft(),
        odd in select(&["", "/", "//", "/0", "/00", "/01", "/-1", "/+1", "/~", "/~2", "/a~1b", "/~0", "x", "/0/0"][..]),
    ) {
        for pointer in pointers(&draft).iter().map(String::as_str).chain([odd]) {
            prop_assert_eq!(hookpanel_core::draft::get(&draft, pointer), draft.pointer(pointer), "{}", pointer);
        }
    }

    /// What the page and the CLI run (jsonschema's compile-time validators, with DFA searches
    /// standing in for regex patterns, and `schema::check` turning their errors into problems)
    /// finds exactly the failures jsonschema's runtime validator finds on the schema files as they
    /// are: on arbitrary drafts, and on valid fixtures changed at one place.
    #[test]
    fn the_schema_check_agrees_with_jsonschema(
        draft in arb_draft(),
        which in any::<Index>(),
        at in any::<Index>(),
        mutation in arb_mutation(),
        text in arb_field_text(),
    ) {
        for (vendor, op) in every_operation() {
            prop_assert_eq!(
                reference::failures_by_hookpanel(vendor, op, &draft),
                reference::failures_by_reference(vendor, op, &draft),
                "{:?} {:?} on {}", vendor, op, draft
            );
        }
        let (vendor, op, original) = which.get(valid_fixtures());
        let mut changed = original.clone();
        let all = pointers(&changed);
        let pointer = at.get(&all).clone();
        mutate(&mut changed, &pointer, mutation);
        prop_assert_eq!(
            reference::failures_by_hookpanel(*vendor, *op, &changed),
            reference::failures_by_reference(*vendor, *op, &changed),
            "{:?} {:?} on {}", vendor, op, changed
        );
        // The same fixture with one of its texts retyped: where formats and patterns decide.
        let mut retyped = original.clone();
        let texts: Vec<String> = pointers(original)
            .into_iter()
            .filter(|p| original.pointer(p).is_some_and(Value::is_string))
            .collect();
        if !texts.is_empty() {
            let pointer = at.get(&texts).clone();
            if let Some(slot) = retyped.pointer_mut(&pointer) {
                *slot = Value::String(text);
            }
            prop_assert_eq!(
                reference::failures_by_hookpanel(*vendor, *op, &retyped),
                reference::failures_by_reference(*vendor, *op, &retyped),
                "{:?} {:?} on {}", vendor, op, retyped
            );
        }
    }

    /// The raw editor's path: any text at all is either validated or one syntax problem at the
    /// root, with its line and column; parsed fresh (a paste) or into the last draft, the same.
    #[test]
    fn validate_text_never_panics_on_any_text(
        text in prop_oneof![
            2 => any::<String>(),
            2 => arb_json().prop_map(|v| v.to_string()),
            2 => arb_json().prop_map(|v| serde_json::to_string_pretty(&v).unwrap()),
            1 => (arb_json(), any::<Index>()).prop_map(|(v, at)| {
                let text = v.to_string();
                let cut = at.index(text.len() + 1);
                let cut = (0..=cut).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
                text[..cut].to_string()
            }),
        ]
    ) {
        let parsed = serde_json::from_str::<Value>(&text);
        for (vendor, op) in every_operation() {
            let problems = validate_text(vendor, op, &text);
            let fresh = hookpanel_core::validate_text_into(vendor, op, &text, &mut Value::Null);
            prop_assert_eq!(&fresh, &problems);
            match &parsed {
                Ok(draft) => check_problems(draft, &problems)?,
                Err(_) => {
                    prop_assert_eq!(problems.len(), 1);
                    prop_assert_eq!(problems[0].pointer.as_ref(), "");
                    prop_assert!(problems[0].is_error());
                    prop_assert!(problems[0].line.is_some());
                }
            }
        }
    }

    /// Deep nesting, far beyond what a draft has: refused or validated, never a stack overflow.
    #[test]
    fn validate_text_survives_deep_nesting(
        depth in prop_oneof![1usize..130, 130usize..3_000],
        opener in select(&["[", "{\"data\":", "{\"Headers\":[", "{\"\":"][..]),
        closed in any::<bool>(),
    ) {
        let closer: String = opener.chars().rev().filter_map(|c| match c {
            '[' => Some(']'),
            '{' => Some('}'),
            _ => None,
        }).collect();
        let text = if closed {
            format!("{}1{}", opener.repeat(depth), closer.repeat(depth))
        } else {
            opener.repeat(depth)
        };
        for (vendor, op) in every_operation() {
            let problems = validate_text(vendor, op, &text);
            prop_assert!(problems.iter().all(|p| is_json_pointer(&p.pointer)));
        }
    }

    /// A draft the schema accepts, changed at any one place, still validates without a panic and
    /// with every problem placed; unchanged, it has no errors.
    #[test]
    fn a_valid_draft_changed_anywhere_is_still_checked(
        which in any::<Index>(),
        at in any::<Index>(),
        mutation in arb_mutation(),
    ) {
        let (vendor, op, original) = which.get(valid_fixtures());
        prop_assert!(!validate(*vendor, *op, original).iter().any(Problem::is_error));
        let mut draft = original.clone();
        let all = pointers(&draft);
        let pointer = at.get(&all).clone();
        mutate(&mut draft, &pointer, mutation);
        let problems = validate(*vendor, *op, &draft);
        check_problems(&draft, &problems)?;
        // Whatever the change, the same draft may be planned.
        for kind in KINDS {
            let connection = Connection {
                vendor: *vendor,
                base_url: spec(*vendor).default_base_url.to_string(),
                credentials: Secrets {
                    scheme: if matches!(vendor, VendorId::Collect | VendorId::Saleshandy) { 0 } else { 1 },
                    first: "fixture-token-1234".into(),
                    second: "fixture-token-5678".into(),
                    user: "u".into(),
                    delivery: "d".into(),
                }.credentials(),
            };
            let _ = plan_both(&connection, call(*kind, "421", &draft));
        }
    }

    /// plan and plan_steps never panic; an id stays one path segment and cannot add a query or
    /// a fragment; the masked preview and curl copy do not depend on the secrets' values and never
    /// contain them.
    #[test]
    fn plans_keep_ids_in_their_segment_and_secrets_out_of_sight(
        vendor in select(&VendorId::ALL[..]),
        kind in select(KINDS),
        base in arb_base(),
        id in arb_id(),
        draft in prop_oneof![
            3 => any::<Index>().prop_map(|i| i.get(valid_fixtures()).2.clone()),
            2 => arb_draft(),
        ],
        secrets in arb_secrets(),
    ) {
        let connection = |s: &Secrets| Connection {
            vendor,
            base_url: base.clone(),
            credentials: s.credentials(),
        };
        let others = secrets.others();
        let real_draft = secrets.put_in_draft(vendor, &draft);
        let other_draft = others.put_in_draft(vendor, &draft);

        let real = plan_both(&connection(&secrets), call(kind, &id, &real_draft));
        let other = plan_both(&connection(&others), call(kind, &id, &other_draft));
        let reference = plan_both(&connection(&secrets), call(kind, PLACEHOLDER, &real_draft));

        for ((real, other), reference) in real.iter().zip(&other).zip(&reference) {
            if matches!(kind, Kind::Get | Kind::Modify | Kind::Pause | Kind::Resume | Kind::Delete)
                && (id.trim().is_empty() || id == "." || id == "..")
            {
                prop_assert!(real.is_err(), "the id {:?} was planned: {:?}", id, real);
                continue;
            }
            let (Ok(real), Ok(other)) = (real, other) else {
                // Refused either way, with a sentence for the admin; secrets do not decide it.
                prop_assert_eq!(real.is_ok(), other.is_ok());
                if let Err(e) = real {
                    prop_assert!(!e.to_string().trim().is_empty());
                }
                continue;
            };
            prop_assert_eq!(real.len(), other.len());
            let forms = secrets.forms();
            for (i, (r, o)) in real.iter().zip(other).enumerate() {
                let shown = masked(r);
                prop_assert_eq!(&shown, &masked(o), "a secret changes what is shown");
                for form in &forms {
                    // Unless the text shows it with other secrets too (a coincidence of the
                    // draft or base URL), it came from a secret.
                    let coincidence = masked(o).iter().any(|t| t.contains(form.as_str()));
                    prop_assert!(
                        coincidence || !shown.iter().any(|t| t.contains(form.as_str())),
                        "{:?} {:?} shows a secret ({:?}):\n{}",
                        vendor,
                        kind,
                        form,
                        shown[0]
                    );
                    prop_assert!(coincidence || !r.url.contains(form.as_str()), "secret in URL {}", r.url);
                }
                match reference {
                    Ok(reference) if reference.len() == real.len() => {
                        check_id_segment(&r.url, &reference[i].url, &id)?;
                    }
                    // The placeholder could be refused where the real id is not only by
                    // SuperOffice's check that a PUT's id matches the draft's WebhookId.
                    _ => prop_assert!(matches!(kind, Kind::Modify), "{:?}", reference),
                }
            }
        }
    }

    /// Kajabi's token request never shows the client secret unless revealed.
    #[test]
    fn kajabi_token_request_hides_the_client_secret(
        base in arb_base(),
        client_id in prop_oneof!["[a-z0-9-]{1,20}", arb_string()],
        secret in arb_secret(),
    ) {
        let Ok(request) = token_request(VendorId::Kajabi, &base, &client_id, &Secret::new(&secret)) else {
            return Ok(());
        };
        let other = token_request(VendorId::Kajabi, &base, &client_id, &Secret::new("other-client-secret"))
            .expect("planned with one secret, so with another");
        prop_assert_eq!(masked(&request), masked(&other));
        prop_assert!(!request.url.contains(&secret));
        prop_assert!(request.to_text(true).contains(
            &url::form_urlencoded::byte_serialize(secret.as_bytes()).collect::<String>()
        ));
    }

    /// decode never panics on any answer; a failed status is never Ok; a write answered with a
    /// body that cannot be read is not a success; whatever it returns names a webhook by an id.
    #[test]
    fn decode_never_takes_a_bad_answer_for_success(
        (vendor, action, response) in select(&VendorId::ALL[..]).prop_flat_map(|vendor| {
            (Just(vendor), select(&Action::ALL[..]), arb_response(Shape::Vendor(vendor)))
        }),
    ) {
        let result = decode(vendor, action, &response);
        let readable = serde_json::from_str::<Value>(&response.body).is_ok();
        match &result {
            Err(error) => check_failure(&response, error)?,
            Ok(outcome) => {
                prop_assert!(is_success(response.status), "{} decoded as {:?}", response.status, outcome);
                if expects_a_webhook(vendor, action) {
                    prop_assert!(readable, "unreadable {:?} answer taken as {:?}", action, outcome);
                    prop_assert!(matches!(outcome, Outcome::One(_)), "{:?} gave {:?}", action, outcome);
                }
                match outcome {
                    Outcome::One(s) => prop_assert!(!s.id.is_empty(), "{:?}", s),
                    Outcome::Page(page) => prop_assert!(page.items.iter().all(|s| !s.id.is_empty())),
                    Outcome::Deleted | Outcome::Tested { .. } | Outcome::Sample(_) => {}
                }
            }
        }
        if is_success(response.status) && !readable && expects_a_webhook(vendor, action) {
            prop_assert!(matches!(result, Err(VendorError::Malformed(_))), "{:?}", result);
        }
    }

    /// The Kajabi token answer: never a panic; a token only from a 2xx that has one.
    #[test]
    fn kajabi_token_answers_never_panic(response in arb_response(Shape::Token)) {
        match decode_token(VendorId::Kajabi, &response) {
            Err(error) => check_failure(&response, &error)?,
            Ok(token) => {
                prop_assert!(is_success(response.status));
                prop_assert!(!token.access_token.is_empty());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions: each input the properties above once failed on, kept as a plain test.

/// regression: an empty id, `.` or `..` left its path segment. `{base}/Webhook/` is the list and
/// `{base}/hooks/..` resolves to `{base}/`, so a delete could be sent to another resource; these
/// ids are now refused before anything is planned.
#[test]
fn regression_ids_that_change_the_path_are_refused() {
    let draft = json!({"Name": "n", "Events": ["contact.created"], "TargetUrl": "https://e.org/h", "Type": "webhook"});
    for vendor in VendorId::ALL {
        let credentials = spec(vendor)
            .sandbox_credentials()
            .expect("the sandbox signs in without a token request");
        let connection = Connection {
            vendor,
            base_url: spec(vendor).default_base_url.to_string(),
            credentials,
        };
        for id in ["", "  ", ".", ".."] {
            for kind in [
                Kind::Get,
                Kind::Modify,
                Kind::Pause,
                Kind::Resume,
                Kind::Delete,
            ] {
                for result in plan_both(&connection, call(kind, id, &draft)) {
                    assert!(
                        result.is_err(),
                        "{vendor:?} {kind:?} planned id {id:?}: {result:?}"
                    );
                }
            }
        }
        // Ids that merely contain dots or slashes stay one segment.
        if let Ok(request) = plan(&connection, Call::Delete { id: "../x" }) {
            assert!(request.url.ends_with("/..%2Fx"), "{}", request.url);
        }
    }
}

/// regression: Collect's answer `{"_id": ""}` was read as a webhook with an empty id, so a create
/// answered that way was reported as a success and the ledger kept a webhook nobody can address
/// (its pause would go to `/webhooks/`). An empty `_id` is now a malformed answer, as a missing
/// one is; a numeric `_id` is read as text, as the other vendors' ids are.
#[test]
fn regression_collect_answer_with_an_empty_id_is_not_a_success() {
    let answer = |body: Value| HttpResponse {
        status: 200,
        headers: Vec::new(),
        body: body.to_string(),
    };
    for action in [
        Action::Create,
        Action::Modify,
        Action::Pause,
        Action::Resume,
    ] {
        let empty = decode(
            VendorId::Collect,
            action,
            &answer(json!({"_id": "", "status": "active"})),
        );
        assert!(matches!(empty, Err(VendorError::Malformed(_))), "{empty:?}");
        let numeric = decode(
            VendorId::Collect,
            action,
            &answer(json!({"_id": 42, "status": "paused"})),
        );
        assert!(
            matches!(&numeric, Ok(Outcome::One(s)) if s.id == "42"),
            "{numeric:?}"
        );
    }
}

// Drafts of real sizes take a tenth of a second each in a debug build: fewer cases by default.
fn large_config() -> ProptestConfig {
    match std::env::var("PROPTEST_CASES") {
        Ok(_) => ProptestConfig::default(),
        Err(_) => ProptestConfig::with_cases(6),
    }
}

proptest! {
    #![proptest_config(large_config())]

    /// Real sizes (issue 11): event lists of thousands of names, repeated or not, and objects
    /// with thousands of keys. The compile-time and runtime validators agree on what fails, and every problem of the raw
    /// view is placed at the line `line_of` gives it, by the one-pass `lines_of`. Before issue 11
    /// these drafts took seconds to minutes per keystroke (pair-by-pair uniqueItems, one parse per
    /// problem); the bench (`validate.large_ms.*`) says how long they take now.
    #[test]
    fn large_drafts_are_checked_and_placed_as_small_ones(
        (vendor, op) in select(every_operation()),
        names in 1_000usize..10_000,
        repeat in prop::option::of(any::<Index>()),
        keys in 0usize..2_000,
    ) {
        let mut events: Vec<Value> = (0..names).map(|i| Value::String(format!("entity{i}.created"))).collect();
        if let Some(at) = repeat {
            let copy = events[at.index(names)].clone();
            events.push(copy);
        }
        // The vendor's own event list: `Events`, `webhookEvent`, `types`, Kajabi's (one) event.
        let field = role_of(vendor, Operation::Create, "events")
            .and_then(|p| p.trim_start_matches('/').split('/').next())
            .unwrap_or("events");
        let mut draft = Map::new();
        draft.insert(field.to_string(), Value::Array(events));
        for i in 0..keys {
            draft.insert(format!("unknown{i}"), Value::from(i));
        }
        let draft = Value::Object(draft);
        prop_assert_eq!(
            reference::failures_by_hookpanel(vendor, op, &draft),
            reference::failures_by_reference(vendor, op, &draft),
            "{:?} {:?}", vendor, op
        );
        let text = serde_json::to_string_pretty(&draft).unwrap();
        let problems = validate_text(vendor, op, &text);
        let pointers: Vec<&str> = problems.iter().map(|p| p.pointer.as_ref()).collect();
        let lines = hookpanel_core::draft::lines_of(&text, &pointers);
        for (i, pointer) in pointers.iter().enumerate().step_by(97) {
            prop_assert_eq!(lines[i], hookpanel_core::draft::line_of(&text, pointer), "{}", pointer);
        }
        for (pointer, line) in pointers.iter().zip(&lines) {
            if draft.pointer(pointer).is_some() {
                prop_assert!(line.is_some(), "{} is in the text but has no line", pointer);
            }
        }
    }
}
