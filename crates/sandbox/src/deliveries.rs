//! The control API's deliveries: `POST /_sandbox/deliveries {"vendor", "id", "event"}` answers the
//! HTTP request the vendor would send a webhook it holds, as a receiver would get it, signed as
//! the vendor's docs say (vendors.md 1.4, 2.4, 3.4, 4.4). The sandbox sends nothing: it hands the
//! request back, so a test or a demo can feed it to a receiver, or paste it into the app.
//!
//! The body: `vendor` (`"collect"`, `"saleshandy"`, `"superoffice"` or `"kajabi"`), `id` (the
//! webhook's id as the vendor names it, a JSON string or number: `_id`, `id`, `WebhookId` or the
//! hook's `id`) and, optionally, `event`: one of the webhook's subscribed events (by default its
//! first). The answer, 200:
//!
//! ```text
//! {"request": "POST <path?query> HTTP/1.1\r\nHost: <host>\r\n<Name>: <value>\r\n...\r\n\r\n<body>",
//!  "headers": [["Host", "<host>"], [<Name>, <value>], ..., ["Content-Length", "<bytes>"]],
//!  "body": "<the body>", "target_url": "<the webhook's target>", "event": "<the event>"}
//! ```
//!
//! `request` is exactly the request line, each of `headers` in order as `Name: value\r\n`, a blank
//! line and `body`; `Content-Length` is the body's length in bytes (UTF-8), and any signature is
//! over those bytes. A body that is not a JSON object, has another field, names another vendor, an
//! id that is not a string or number, or an event the webhook does not subscribe to is a 400
//! `{"message"}` saying so; an id the vendor does not hold is a 404 `{"message"}`. The webhook's
//! state is not looked at: a paused or stopped webhook's delivery is what it would get once resumed.
//! A target that no HTTP request can go to (not `http(s)://`, or with spaces or control
//! characters), a SuperOffice webhook of `Type: crmscript` (SuperOffice runs a script for it, it
//! sends no request), and a custom header or secret token that an HTTP header cannot carry (a name
//! that is not a token; a value with control or non-ASCII characters) are a 400 as well.
//!
//! Bodies are compact JSON (`serde_json::to_string`) with their fields in the order below, whatever
//! order serde_json's map keeps. What comes from a map the store or another module holds keeps
//! that map's order, which is the order it was given in where serde_json is built with
//! `preserve_order` (as in the workspace's tests) and sorted by name where not (the sandbox's
//! binary built alone): a webhook's custom headers and SuperOffice's `Properties`, and the fields
//! inside Kajabi's sample resources. Values the vendors' docs leave open are fixed, so two
//! deliveries differ only in their time (now) and, for SuperOffice, their `EventId`.
//!
//! - **Collect** documents only that a webhook's `secretToken` "will be sent with the hook request
//!   in the HTTP header", and no header name and no body. Both are the sandbox's choice, and the
//!   app must not depend on them: the header is `X-Collect-Secret-Token: <secretToken>`, sent only
//!   when `secretToken` is a non-empty string; the body is `{"event", "webhookId", "campaignId"`
//!   (the webhook's, or `null`)`, "occurredAt"` (RFC 3339, now)`, "data": {"contributor": {"name",
//!   "email"}, "item": {"name", "status"}}}`. Headers: `Content-Type: application/json`,
//!   `User-Agent: Collect-Webhooks/1.0` (also the sandbox's choice), then the token. A webhook
//!   with no `types` is taken as subscribed to every event (Collect does not say; its first event
//!   is `created`).
//! - **Saleshandy** signs nothing: a delivery's only authentication is the webhook's custom
//!   `headers`. Headers: `Content-Type: application/json`, `User-Agent: Saleshandy-Webhook/1.0`
//!   (the sandbox's choice), then every custom header. The body follows Saleshandy's example
//!   webhook data (vendors.md 2.4) and `schemas/saleshandy/event.json`: `event`, then
//!   `emailSentAt` (now) on `email-sent`, then `prospect` (`firstName`, `lastName`, `email`,
//!   `company`, `jobTitle`, `tag`, `latestStatus`) on the events about a prospect (every email,
//!   prospect and task event), `sequence` (`id`, `sequenceName`, `stepID`, `stepNumber`, `variant`,
//!   `isSentAsNewThread`, `emailSubject`, `emailBody`) on those and `sequence-paused`, and `user`
//!   (`firstName`, `lastName`, `email`, `jobRole`) on every event.
//! - **SuperOffice** (vendors.md 3.4): headers `Content-Type: application/json`, `User-Agent:
//!   NetServer-Webhook/10.3`, `X-SuperOffice-Event`, `X-SuperOffice-EventId` (the body's
//!   `EventId`), `X-SuperOffice-Retry: 0`, `X-Hook-Test: true` on the `test` event, every custom
//!   header of `Headers`, and, only when `Secret` is a non-empty string, `X-SuperOffice-Signature:
//!   base64(HMAC-SHA256(key = the Secret's UTF-8 bytes, message = the body's bytes))`. The body is
//!   the WebhookPayload: `EventId` (a GUID from the webhook's id and the store's counter, so the
//!   same requests after a reset give the same ids), `Timestamp` (now), `Changes`
//!   (`["name","department"]` on a `*.changed` event, else `[]`), `Event`, `PrimaryKey` (42; 0 on
//!   `test`), `Entity` (the event before its dot), `ContextIdentifier: "Cust12345"`,
//!   `ChangedByAssociateId` (5, the sandbox's associate), `WebhookName`, `FieldValues`
//!   (`{"<entity>_id", "name": "Søren Ålund", "department", "associate_id"}`, a non-ASCII name so a
//!   receiver's UTF-8 is exercised; `{}` on `test`), then each of the webhook's `Properties` as a
//!   field of its own (one named like a payload field, ignoring case, is left out).
//! - **Kajabi** signs nothing (no header, no secret on hooks). Headers: `Content-Type:
//!   application/json`, `User-Agent: Kajabi-Webhooks/1.0` (both the sandbox's choice). The body is
//!   `{"id", "event", "payload"}` (vendors.md 4.4): `payload` is the event's sample array, the one
//!   `GET /v1/hooks/{event}_sample` answers, and `id` is the id of the resource the hook is on
//!   (its `resource_id`, which then is also the id of that resource in the payload: the tag of a
//!   tag event, the form of a form submission, the offer of a purchase, the transaction of a
//!   payment, the order of an order), or when the hook has none the sample's.
//!
//! Custom headers come after the vendor's own; one named, ignoring case, like a header the vendor
//! sends itself (`Host`, `Content-Type`, `User-Agent`, the vendor's `X-` headers) or like one that
//! frames the message (`Content-Length`, `Transfer-Encoding`, `Connection`, ...) is left out, so the
//! request is one well-formed message with each of those once.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::store::Store;
use crate::{Sandbox, collect, kajabi};

const SHAPE: &str = r#"the body is {"vendor": "collect"|"saleshandy"|"superoffice"|"kajabi", "id": <the webhook's id>, "event": <optional: one of its events>}"#;

/// Headers no custom header may stand in for: they frame the message.
const FRAMING: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "te",
    "trailer",
    "upgrade",
    "expect",
    "proxy-connection",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Vendor {
    Collect,
    Saleshandy,
    SuperOffice,
    Kajabi,
}

impl Vendor {
    fn name(self) -> &'static str {
        match self {
            Vendor::Collect => "Collect",
            Vendor::Saleshandy => "Saleshandy",
            Vendor::SuperOffice => "SuperOffice",
            Vendor::Kajabi => "Kajabi",
        }
    }
}

/// What a request asks for.
#[derive(Debug)]
struct Ask {
    vendor: Vendor,
    /// The id as given: a JSON string or number.
    id: Value,
    event: Option<String>,
}

/// Why a delivery cannot be made.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    Bad(String),
    NotFound(String),
    Internal(String),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            Refusal::Bad(m) => (StatusCode::BAD_REQUEST, m),
            Refusal::NotFound(m) => (StatusCode::NOT_FOUND, m),
            Refusal::Internal(m) => (StatusCode::INTERNAL_SERVER_ERROR, m),
        };
        (status, Json(json!({ "message": message }))).into_response()
    }
}

fn bad(message: impl Into<String>) -> Refusal {
    Refusal::Bad(message.into())
}

/// JSON whose objects keep their fields in the order they were built (serde_json's own map sorts
/// them unless built with `preserve_order`, which only some builds of the sandbox have).
enum Node {
    /// Any value, serialised as serde_json does (its objects in its map's order).
    Leaf(Value),
    Object(Vec<(String, Node)>),
    List(Vec<Node>),
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Leaf(v) => v.serialize(serializer),
            Node::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            Node::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
        }
    }
}

fn leaf(v: impl Into<Value>) -> Node {
    Node::Leaf(v.into())
}

/// An object of these fields, in this order.
fn obj<const N: usize>(fields: [(&str, Node); N]) -> Node {
    Node::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

fn text(s: impl Into<String>) -> Node {
    Node::Leaf(Value::String(s.into()))
}

fn compact(json: &Node) -> Result<String, Refusal> {
    serde_json::to_string(json).map_err(|e| Refusal::Internal(format!("the body: {e}")))
}

/// Reads a delivery request's body, or says what is wrong with it.
fn parse(body: &[u8]) -> Result<Ask, Refusal> {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return Err(bad(format!("the body must be a JSON object: {SHAPE}")));
    };
    if let Some(key) = map
        .keys()
        .find(|k| !matches!(k.as_str(), "vendor" | "id" | "event"))
    {
        return Err(bad(format!("unknown field {key}: {SHAPE}")));
    }
    let vendor = match map.get("vendor") {
        Some(Value::String(v)) => match v.as_str() {
            "collect" => Vendor::Collect,
            "saleshandy" => Vendor::Saleshandy,
            "superoffice" => Vendor::SuperOffice,
            "kajabi" => Vendor::Kajabi,
            other => return Err(bad(format!("unknown vendor {other:?}: {SHAPE}"))),
        },
        Some(other) => return Err(bad(format!("unknown vendor {other}: {SHAPE}"))),
        None => return Err(bad(format!("vendor is required: {SHAPE}"))),
    };
    let id = match map.get("id") {
        Some(id @ (Value::String(_) | Value::Number(_))) => id.clone(),
        Some(other) => {
            return Err(bad(format!(
                "id must be the webhook's id, a string or a number, not {other}"
            )));
        }
        None => return Err(bad(format!("id is required: {SHAPE}"))),
    };
    let event = match map.get("event") {
        None | Some(Value::Null) => None,
        Some(Value::String(e)) => Some(e.clone()),
        Some(other) => {
            return Err(bad(format!(
                "event must be a string naming one of the webhook's events, not {other}"
            )));
        }
    };
    Ok(Ask { vendor, id, event })
}

/// The id as text: a string as it is, a number as JSON writes it.
fn id_text(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn unknown(vendor: Vendor, id: &Value) -> Refusal {
    Refusal::NotFound(format!("{} holds no webhook {id}", vendor.name()))
}

/// A delivery before it is framed: where it goes and what it carries, its headers in order
/// without `Host` and `Content-Length`.
struct Delivery {
    target_url: String,
    event: String,
    headers: Vec<(String, String)>,
    body: String,
}

/// The strings of a JSON array (others skipped).
fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The event to deliver: the one asked for if the webhook subscribes to it, else its first.
fn choose(subscribed: &[String], asked: Option<&str>) -> Result<String, Refusal> {
    match asked {
        Some(e) if subscribed.iter().any(|s| s == e) => Ok(e.to_string()),
        Some(e) => Err(bad(format!(
            "event {e:?} is not one the webhook subscribes to: {}",
            subscribed.join(", ")
        ))),
        None => subscribed
            .first()
            .cloned()
            .ok_or_else(|| bad("the webhook subscribes to no event")),
    }
}

fn target(hook: &Value, field: &str) -> Result<String, Refusal> {
    hook[field]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| bad(format!("the webhook has no {field} to deliver to")))
}

/// Whether a header may carry this value: visible ASCII, spaces and tabs.
fn header_value_ok(value: &str) -> bool {
    HeaderValue::from_str(value).is_ok()
}

/// Adds a webhook's custom headers after the vendor's own (see the module doc).
fn add_custom(headers: &mut Vec<(String, String)>, custom: &Value) -> Result<(), Refusal> {
    let Some(custom) = custom.as_object() else {
        return Ok(());
    };
    for (name, value) in custom {
        let Some(value) = value.as_str() else {
            return Err(bad(format!(
                "the webhook's custom header {name:?} is not a string"
            )));
        };
        if HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(bad(format!(
                "the webhook's custom header name {name:?} cannot be sent: an HTTP header name is a token (letters, digits and !#$%&'*+-.^_`|~)"
            )));
        }
        if !header_value_ok(value) {
            return Err(bad(format!(
                "the webhook's custom header {name} has a value that cannot be sent in an HTTP header (control or non-ASCII characters)"
            )));
        }
        let lower = name.to_ascii_lowercase();
        let taken = FRAMING.contains(&lower.as_str())
            || headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
        if !taken {
            headers.push((name.clone(), value.to_string()));
        }
    }
    Ok(())
}

/// The signature SuperOffice puts in `X-SuperOffice-Signature`: base64 of the HMAC-SHA256 of the
/// body's bytes, keyed with the secret's UTF-8 bytes. `None` only if HMAC refused the key, which
/// it does for no length.
pub(crate) fn superoffice_signature(secret: &str, body: &str) -> Option<String> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(body.as_bytes());
    Some(base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}

// ---- Collect ----------------------------------------------------------------------------------

fn collect_delivery(
    hook: &Value,
    id: &str,
    asked: Option<&str>,
    now: &str,
) -> Result<Delivery, Refusal> {
    let mut subscribed = strings(&hook["types"]);
    if subscribed.is_empty() {
        subscribed = collect::EVENTS.iter().map(|e| e.to_string()).collect();
    }
    let event = choose(&subscribed, asked)?;
    let target_url = target(hook, "targetUrl")?;
    let campaign = match &hook["campaignId"] {
        Value::String(c) => text(c.clone()),
        _ => Node::Leaf(Value::Null),
    };
    let body = compact(&obj([
        ("event", text(event.clone())),
        ("webhookId", text(id)),
        ("campaignId", campaign),
        ("occurredAt", text(now)),
        (
            "data",
            obj([
                (
                    "contributor",
                    obj([
                        ("name", text("Sam Sample")),
                        ("email", text("sam@example.com")),
                    ]),
                ),
                (
                    "item",
                    obj([
                        ("name", text("Proof of address")),
                        ("status", text("pending")),
                    ]),
                ),
            ]),
        ),
    ]))?;
    let mut headers = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        ("User-Agent".to_string(), "Collect-Webhooks/1.0".to_string()),
    ];
    if let Some(token) = hook["secretToken"].as_str().filter(|t| !t.is_empty()) {
        if !header_value_ok(token) {
            return Err(bad(
                "the webhook's secretToken cannot be sent in an HTTP header (control or non-ASCII characters)",
            ));
        }
        headers.push(("X-Collect-Secret-Token".to_string(), token.to_string()));
    }
    Ok(Delivery {
        target_url,
        event,
        headers,
        body,
    })
}

// ---- Saleshandy -------------------------------------------------------------------------------

fn saleshandy_delivery(hook: &Value, asked: Option<&str>, now: &str) -> Result<Delivery, Refusal> {
    let event = choose(&strings(&hook["webhookEvent"]), asked)?;
    let target_url = target(hook, "webhookUrl")?;
    let about_prospect = (event.starts_with("email-") && !event.starts_with("email-account-"))
        || event.starts_with("prospect-")
        || event == "reply-received"
        || event.contains("task-");
    let mut fields = vec![("event".to_string(), text(event.clone()))];
    if event == "email-sent" {
        fields.push(("emailSentAt".into(), text(now)));
    }
    if about_prospect {
        fields.push((
            "prospect".into(),
            obj([
                ("firstName", text("Sam")),
                ("lastName", text("Sample")),
                ("email", text("sam@example.com")),
                ("company", text("Example Ltd")),
                ("jobTitle", text("Head of Sales")),
                ("tag", Node::List(vec![text("Sandbox")])),
                ("latestStatus", text("Contacted")),
            ]),
        ));
    }
    if about_prospect || event == "sequence-paused" {
        fields.push((
            "sequence".into(),
            obj([
                ("id", text("Qb3kX9aZ")),
                ("sequenceName", text("Sandbox outreach")),
                ("stepID", text("Lm4nP7rT")),
                ("stepNumber", leaf(1)),
                ("variant", text("A")),
                ("isSentAsNewThread", leaf(true)),
                ("emailSubject", text("Quick question")),
                ("emailBody", text("<p>Hi Sam,</p>")),
            ]),
        ));
    }
    fields.push((
        "user".into(),
        obj([
            ("firstName", text("Alex")),
            ("lastName", text("Owner")),
            ("email", text("alex@example.com")),
            ("jobRole", text("Sales")),
        ]),
    ));
    let body = compact(&Node::Object(fields))?;
    let mut headers = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        (
            "User-Agent".to_string(),
            "Saleshandy-Webhook/1.0".to_string(),
        ),
    ];
    add_custom(&mut headers, &hook["headers"])?;
    Ok(Delivery {
        target_url,
        event,
        headers,
        body,
    })
}

// ---- SuperOffice ------------------------------------------------------------------------------

/// The WebhookPayload's own fields, before the injected Properties.
const SUPEROFFICE_FIELDS: &[&str] = &[
    "EventId",
    "Timestamp",
    "Changes",
    "Event",
    "PrimaryKey",
    "Entity",
    "ContextIdentifier",
    "ChangedByAssociateId",
    "WebhookName",
    "FieldValues",
];

/// A GUID for delivery `n` of webhook `id`: deterministic, and unique while the counter rises.
fn event_guid(id: i64, n: u64) -> String {
    let id = (id as u64) & 0xffff_ffff;
    format!(
        "{id:08x}-5a0d-4e1b-8{:03x}-{:012x}",
        (n >> 48) & 0xfff,
        n & 0xffff_ffff_ffff
    )
}

fn superoffice_delivery(
    hook: &Value,
    id: i64,
    asked: Option<&str>,
    n: u64,
    now: &str,
) -> Result<Delivery, Refusal> {
    let event = choose(&strings(&hook["Events"]), asked)?;
    if hook["Type"].as_str() == Some("crmscript") {
        return Err(bad(format!(
            "webhook {id} is of Type crmscript: SuperOffice runs a CRMScript for it and sends no HTTP request"
        )));
    }
    let target_url = target(hook, "TargetUrl")?;
    let entity = event.split('.').next().unwrap_or_default().to_string();
    let test = event == "test";
    let primary_key: i64 = if test { 0 } else { 42 };
    let changes = if event.ends_with(".changed") {
        Node::List(vec![text("name"), text("department")])
    } else {
        Node::List(Vec::new())
    };
    let field_values = if test {
        Node::Object(Vec::new())
    } else {
        Node::Object(vec![
            (format!("{entity}_id"), leaf(primary_key)),
            ("name".into(), text("Søren Ålund")),
            ("department".into(), text("Salg og marked")),
            ("associate_id".into(), leaf(5)),
        ])
    };
    let event_id = event_guid(id, n);
    let mut fields: Vec<(String, Node)> = vec![
        ("EventId".into(), text(event_id.clone())),
        ("Timestamp".into(), text(now)),
        ("Changes".into(), changes),
        ("Event".into(), text(event.clone())),
        ("PrimaryKey".into(), leaf(primary_key)),
        ("Entity".into(), text(entity)),
        ("ContextIdentifier".into(), text("Cust12345")),
        ("ChangedByAssociateId".into(), leaf(5)),
        (
            "WebhookName".into(),
            text(hook["Name"].as_str().unwrap_or_default()),
        ),
        ("FieldValues".into(), field_values),
    ];
    if let Some(properties) = hook["Properties"].as_object() {
        for (key, value) in properties {
            if !SUPEROFFICE_FIELDS
                .iter()
                .any(|f| f.eq_ignore_ascii_case(key))
            {
                fields.push((key.clone(), Node::Leaf(value.clone())));
            }
        }
    }
    let body = compact(&Node::Object(fields))?;
    let mut headers = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        (
            "User-Agent".to_string(),
            "NetServer-Webhook/10.3".to_string(),
        ),
        ("X-SuperOffice-Event".to_string(), event.clone()),
        ("X-SuperOffice-EventId".to_string(), event_id),
        ("X-SuperOffice-Retry".to_string(), "0".to_string()),
    ];
    if test {
        headers.push(("X-Hook-Test".to_string(), "true".to_string()));
    }
    // Custom headers may not take the signature's name, even on a webhook without a Secret.
    headers.push(("X-SuperOffice-Signature".to_string(), String::new()));
    add_custom(&mut headers, &hook["Headers"])?;
    headers.retain(|(n, _)| n != "X-SuperOffice-Signature");
    if let Some(secret) = hook["Secret"].as_str().filter(|s| !s.is_empty()) {
        let signature = superoffice_signature(secret, &body)
            .ok_or_else(|| Refusal::Internal("HMAC refused the Secret as a key".into()))?;
        headers.push(("X-SuperOffice-Signature".to_string(), signature));
    }
    Ok(Delivery {
        target_url,
        event,
        headers,
        body,
    })
}

// ---- Kajabi -----------------------------------------------------------------------------------

/// The type of the resource a hook on this event is on, as the sample payload names it.
fn kajabi_resource_type(event: &str) -> &'static str {
    match event {
        "tag_added" | "tag_removed" => "contact_tags",
        "purchase" => "offers",
        "form_submission" => "forms",
        "payment_succeeded" => "transactions",
        _ => "orders",
    }
}

fn kajabi_delivery(hook: &Value, asked: Option<&str>) -> Result<Delivery, Refusal> {
    let attributes = &hook["attributes"];
    let subscribed: Vec<String> = attributes["event"]
        .as_str()
        .map(|e| vec![e.to_string()])
        .unwrap_or_default();
    let event = choose(&subscribed, asked)?;
    let target_url = target(attributes, "target_url")?;
    let mut payload = kajabi::sample(&event)
        .ok_or_else(|| Refusal::Internal(format!("no sample payload for {event}")))?;
    let kind = kajabi_resource_type(&event);
    let resource = payload
        .iter_mut()
        .find(|r| r["type"].as_str() == Some(kind));
    let resource_id = match (&attributes["resource_id"], resource) {
        (Value::Null, Some(r)) => id_text(&r["id"]),
        (Value::Null, None) => String::new(),
        (given, Some(r)) => {
            let id = id_text(given);
            r["id"] = Value::String(id.clone());
            id
        }
        (given, None) => id_text(given),
    };
    let body = compact(&obj([
        ("id", text(resource_id)),
        ("event", text(event.clone())),
        (
            "payload",
            Node::List(payload.into_iter().map(Node::Leaf).collect()),
        ),
    ]))?;
    let headers = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        ("User-Agent".to_string(), "Kajabi-Webhooks/1.0".to_string()),
    ];
    Ok(Delivery {
        target_url,
        event,
        headers,
        body,
    })
}

// ---- framing ----------------------------------------------------------------------------------

/// The `Host` and the request target (path and query, no fragment) of an http(s) URL.
fn split_target(url: &str) -> Result<(String, String), Refusal> {
    let cannot = |why: &str| {
        bad(format!(
            "the webhook's target {url:?} cannot be delivered to: {why}"
        ))
    };
    let lower = url.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Err(cannot("it is not an http(s) URL"));
    };
    if !url.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(cannot(
            "it has spaces, control or non-ASCII characters a request line cannot carry",
        ));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let host = authority.rsplit('@').next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return Err(cannot("it has no host"));
    }
    let tail = tail.split('#').next().unwrap_or_default();
    let path = if tail.is_empty() {
        "/".to_string()
    } else if tail.starts_with('?') {
        format!("/{tail}")
    } else {
        tail.to_string()
    };
    Ok((host.to_string(), path))
}

/// The answer: the whole request, its headers with `Host` first and `Content-Length` last.
fn framed(delivery: Delivery) -> Result<String, Refusal> {
    let (host, path) = split_target(&delivery.target_url)?;
    let mut headers = Vec::with_capacity(delivery.headers.len() + 2);
    headers.push(("Host".to_string(), host));
    headers.extend(delivery.headers);
    headers.push((
        "Content-Length".to_string(),
        delivery.body.len().to_string(),
    ));
    let mut request = format!("POST {path} HTTP/1.1\r\n");
    for (name, value) in &headers {
        request.push_str(name);
        request.push_str(": ");
        request.push_str(value);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    request.push_str(&delivery.body);
    let answer = obj([
        ("request", text(request)),
        (
            "headers",
            Node::List(
                headers
                    .into_iter()
                    .map(|(n, v)| Node::List(vec![text(n), text(v)]))
                    .collect(),
            ),
        ),
        ("body", text(delivery.body)),
        ("target_url", text(delivery.target_url)),
        ("event", text(delivery.event)),
    ]);
    compact(&answer)
}

/// Builds the delivery a request asks for from the store.
fn deliver(store: &mut Store, ask: &Ask) -> Result<Delivery, Refusal> {
    let asked = ask.event.as_deref();
    match ask.vendor {
        Vendor::Collect => {
            let id = id_text(&ask.id);
            let hook = store
                .collect
                .get(&id)
                .ok_or_else(|| unknown(ask.vendor, &ask.id))?;
            collect_delivery(hook, &id, asked, &store.rfc3339())
        }
        Vendor::Saleshandy => {
            let hook = store
                .saleshandy
                .get(&id_text(&ask.id))
                .ok_or_else(|| unknown(ask.vendor, &ask.id))?;
            saleshandy_delivery(hook, asked, &store.rfc3339())
        }
        Vendor::SuperOffice => {
            let key = match &ask.id {
                Value::Number(n) => n.as_i64(),
                other => id_text(other).trim().parse::<i64>().ok(),
            }
            .ok_or_else(|| unknown(ask.vendor, &ask.id))?;
            let hook = store
                .superoffice
                .get(&key)
                .cloned()
                .ok_or_else(|| unknown(ask.vendor, &ask.id))?;
            let now = store.rfc3339();
            // Tried first without a number, so a refused request leaves the store's counter (and
            // the ids to come) as they were.
            let dry = superoffice_delivery(&hook, key, asked, 0, &now)?;
            split_target(&dry.target_url)?;
            let n = store.number();
            superoffice_delivery(&hook, key, asked, n, &now)
        }
        Vendor::Kajabi => {
            let key = match &ask.id {
                Value::Number(n) => n.as_u64(),
                other => id_text(other).trim().parse::<u64>().ok(),
            }
            .ok_or_else(|| unknown(ask.vendor, &ask.id))?;
            let hook = store
                .kajabi
                .get(&key)
                .ok_or_else(|| unknown(ask.vendor, &ask.id))?;
            kajabi_delivery(hook, asked)
        }
    }
}

/// Control: the request the vendor would send for one of a webhook's events (see the module doc).
pub(crate) async fn deliveries(State(sandbox): State<Sandbox>, body: Bytes) -> Response {
    let ask = match parse(&body) {
        Ok(ask) => ask,
        Err(refusal) => return refusal.into_response(),
    };
    let delivery = {
        let Ok(mut store) = sandbox.store.lock() else {
            return Refusal::Internal("the store failed".into()).into_response();
        };
        deliver(&mut store, &ask)
    };
    match delivery.and_then(framed) {
        Ok(answer) => ([(header::CONTENT_TYPE, "application/json")], answer).into_response(),
        Err(refusal) => refusal.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vector was computed independently of this code, with OpenSSL:
    /// `printf '%s' "$BODY" | openssl dgst -sha256 -hmac so-signing-secret -binary | base64`
    /// with `BODY` the body below.
    #[test]
    fn the_superoffice_signature_matches_openssl() {
        let body = r#"{"EventId":"1f0d2a6e-58c4-4b4e-9a3d-2b7e0e1c4f10","Timestamp":"2026-12-01T10:00:00Z","Changes":["name"],"Event":"contact.changed","PrimaryKey":42,"Entity":"contact","ContextIdentifier":"Cust12345","ChangedByAssociateId":7,"WebhookName":"Sync"}"#;
        assert_eq!(
            superoffice_signature("so-signing-secret", body).as_deref(),
            Some("4LFLErH6ONEF8y9tHOWi63d2Z08A21qRnX9Gt750Dgk=")
        );
    }

    /// Key and message are UTF-8 bytes, not characters; from OpenSSL as well (in a UTF-8 shell):
    /// `printf '%s' '{"FieldValues":{"name":"Søren Ålund"}}' | openssl dgst -sha256 -hmac 'nøkkel' -binary | base64`
    #[test]
    fn the_superoffice_signature_is_over_utf8_bytes() {
        assert_eq!(
            superoffice_signature("nøkkel", r#"{"FieldValues":{"name":"Søren Ålund"}}"#).as_deref(),
            Some("19cQVhdA/TomyvuAG1QgFoec8TUKq3FKINC/KL7VMJs=")
        );
    }

    #[test]
    fn objects_keep_the_order_they_were_built_in() {
        let json = obj([("b", leaf(1)), ("a", text("x")), ("c", Node::List(vec![]))]);
        assert_eq!(compact(&json), Ok(r#"{"b":1,"a":"x","c":[]}"#.to_string()));
    }

    #[test]
    fn targets_split_into_host_and_request_target() {
        let ok = |url: &str| split_target(url).ok();
        let pair = |h: &str, p: &str| Some((h.to_string(), p.to_string()));
        assert_eq!(
            ok("https://hooks.example.com/in?x=1#frag"),
            pair("hooks.example.com", "/in?x=1")
        );
        assert_eq!(ok("http://a.test:8080"), pair("a.test:8080", "/"));
        assert_eq!(ok("HTTPS://a.test?q"), pair("a.test", "/?q"));
        assert_eq!(ok("https://user:pw@a.test/p"), pair("a.test", "/p"));
        assert_eq!(ok("ftp://a.test/"), None);
        assert_eq!(ok("https://a.test/with space"), None);
        assert_eq!(ok("https://a.test/x\r\nEvil: 1"), None);
        assert_eq!(ok("https:///nohost"), None);
    }

    #[test]
    fn event_guids_look_like_guids_and_differ() {
        let a = event_guid(42, 7);
        assert_eq!(a, "0000002a-5a0d-4e1b-8000-000000000007");
        assert_ne!(a, event_guid(42, 8));
        assert_eq!(event_guid(-1, 1).len(), 36);
    }

    #[test]
    fn bad_bodies_say_what_is_wrong() {
        let message = |body: &str| match parse(body.as_bytes()) {
            Err(Refusal::Bad(m)) => m,
            other => panic!("{body}: {other:?}"),
        };
        assert!(message("[]").contains("JSON object"));
        assert!(message(r#"{"vendor":"kajabi","id":1,"x":2}"#).contains("unknown field x"));
        assert!(message(r#"{"vendor":"hubspot","id":1}"#).contains("unknown vendor"));
        assert!(message(r#"{"vendor":"kajabi"}"#).contains("id is required"));
        assert!(message(r#"{"vendor":"kajabi","id":true}"#).contains("id must be"));
        assert!(message(r#"{"vendor":"kajabi","id":1,"event":3}"#).contains("event must be"));
    }
}
