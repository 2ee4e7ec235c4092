//! Saleshandy, as seed 002 and vendors.md section 2 document it: the `x-api-key` header;
//! `POST /webhook/create` (201), `GET /webhook` and `GET /webhook/{id}`, every answer in a
//! `{message, payload}` envelope. Saleshandy documents no modify, pause, resume, delete or test
//! endpoint, so the sandbox has none either.
//!
//! Test delivery: Saleshandy test-delivers a new webhook to its target and, when that fails,
//! creates it paused (seed 002's example). The sandbox cannot reach the target, so it decides
//! deterministically: a target whose host ends with `.invalid` or contains `fail` fails the test
//! (`testDelivery.status: "failed"`, `status: "paused"`, and when read back `failed: true` with a
//! `lastFailure`); any other target passes (`"success"`, `"active"`).
//!
//! The list pages. Saleshandy documents `GET /webhook` only as "List webhooks with pagination"
//! (vendors.md 2.2, from the operation list generated off its OpenAPI) without its parameters, so
//! the sandbox takes them from Saleshandy's other documented paginated list, `GET /v1/clients`:
//! the query's `page` (from 1, default 1) and `pageSize` (default 25, at most 100), answered as
//! `{"message", "payload": [...]}` with no count. A `pageSize` above 100 is taken as 100; a
//! `page` or `pageSize` that is not a number, or is 0, falls back to its default. Webhooks come
//! in a stable order, oldest first; a page past the end has an empty `payload`.

use std::collections::HashMap;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use crate::store::object;
use crate::{Sandbox, credentials};

/// The list's page size when the query names none, and the largest it takes (`GET /v1/clients`).
const PAGE_SIZE: u64 = 25;
const MAX_PAGE_SIZE: u64 = 100;

/// The 19 event names of seed 002.
pub(crate) const EVENTS: &[&str] = &[
    "email-sent",
    "email-opened",
    "email-link-clicked",
    "reply-received",
    "email-bounced",
    "prospect-unsubscribed",
    "prospect-finished",
    "prospect-outcome-updated",
    "sequence-paused",
    "email-account-disconnected",
    "email-account-paused",
    "inbox-analyser-test-completed",
    "task-created",
    "task-updated",
    "bulk-task-updated",
    "call-task-updated",
    "linkedin-task-updated",
    "custom-task-updated",
    "whatsapp-task-updated",
];

pub(crate) fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/webhook/create", post(create))
        .route("/webhook", get(list))
        .route("/webhook/{id}", get(get_one))
}

/// A refusal in Saleshandy's envelope.
pub(crate) struct Rejection(StatusCode, String);

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        (
            self.0,
            Json(json!({ "message": self.1, "statusCode": self.0.as_u16() })),
        )
            .into_response()
    }
}

fn invalid(message: impl Into<String>) -> Rejection {
    Rejection(StatusCode::BAD_REQUEST, message.into())
}

fn authorize(headers: &HeaderMap) -> Result<(), Rejection> {
    match headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        Some(key) if key == credentials::SALESHANDY_API_KEY => Ok(()),
        Some(_) => Err(Rejection(
            StatusCode::UNAUTHORIZED,
            "Invalid API key.".into(),
        )),
        None => Err(Rejection(
            StatusCode::UNAUTHORIZED,
            "The x-api-key header is missing.".into(),
        )),
    }
}

fn store_error() -> Rejection {
    Rejection(
        StatusCode::INTERNAL_SERVER_ERROR,
        "5001: Internal server error, please try again later".into(),
    )
}

/// The host of an http(s) URL, or `None` when it is not one.
fn host(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.contains('@') {
        return None;
    }
    let host = authority.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

/// Whether the sandbox's stand-in for the test delivery succeeds (see the module doc).
fn test_delivery_passes(url: &str) -> bool {
    let host = host(url).unwrap_or_default().to_ascii_lowercase();
    !(host.ends_with(".invalid") || host.contains("fail"))
}

/// Checks a create body: all four fields, each of its type (seed 002, DESIGN.md decisions).
fn check(map: &Map<String, Value>) -> Result<(), Rejection> {
    for key in map.keys() {
        if !matches!(
            key.as_str(),
            "name" | "webhookUrl" | "webhookEvent" | "headers"
        ) {
            return Err(invalid(format!("property {key} should not exist")));
        }
    }
    match map.get("name") {
        Some(Value::String(name)) if !name.trim().is_empty() => {}
        Some(_) => return Err(invalid("name must be a non-empty string")),
        None => return Err(invalid("name is required")),
    }
    match map.get("webhookUrl") {
        Some(Value::String(url)) if host(url).is_some() => {}
        Some(_) => return Err(invalid("webhookUrl must be an http(s) URL")),
        None => return Err(invalid("webhookUrl is required")),
    }
    match map.get("webhookEvent") {
        Some(Value::Array(events)) if !events.is_empty() => {
            let mut seen = Vec::new();
            for event in events {
                match event.as_str() {
                    Some(e) if EVENTS.contains(&e) => {
                        if seen.contains(&e) {
                            return Err(invalid(format!(
                                "webhookEvent must not repeat an event: {e}"
                            )));
                        }
                        seen.push(e);
                    }
                    _ => {
                        return Err(invalid(format!(
                            "each value in webhookEvent must be one of the following values: {}",
                            EVENTS.join(", ")
                        )));
                    }
                }
            }
        }
        Some(_) => return Err(invalid("webhookEvent must be a non-empty array")),
        None => return Err(invalid("webhookEvent is required")),
    }
    match map.get("headers") {
        Some(Value::Object(h)) if h.values().all(Value::is_string) => {}
        Some(_) => return Err(invalid("headers must be an object of strings")),
        None => {
            return Err(invalid(
                "headers is required: pass {} if no custom headers are needed",
            ));
        }
    }
    Ok(())
}

/// The last failed delivery of a webhook Saleshandy has paused.
pub(crate) struct Failure {
    pub failed_at: String,
    pub status_code: u16,
    pub message: &'static str,
}

/// A webhook as the store keeps it and `GET /webhook/{id}` answers it: `active`, or `paused`
/// with `failed` and its `lastFailure`.
pub(crate) fn record(
    id: &str,
    name: Value,
    url: &str,
    events: Value,
    headers: Value,
    failure: Option<Failure>,
) -> Value {
    let mut hook = Map::with_capacity(8);
    hook.insert("id".into(), Value::String(id.into()));
    hook.insert("name".into(), name);
    hook.insert("webhookUrl".into(), Value::String(url.into()));
    hook.insert("webhookEvent".into(), events);
    hook.insert("headers".into(), headers);
    let status = if failure.is_some() {
        "paused"
    } else {
        "active"
    };
    hook.insert("status".into(), Value::String(status.into()));
    hook.insert("failed".into(), Value::Bool(failure.is_some()));
    if let Some(f) = failure {
        let last = object([
            ("failedAt", Value::String(f.failed_at)),
            ("statusCode", Value::from(f.status_code)),
            ("message", Value::String(f.message.into())),
        ]);
        hook.insert("lastFailure".into(), last);
    }
    Value::Object(hook)
}

async fn create(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    body: String,
) -> Result<(StatusCode, Json<Value>), Rejection> {
    authorize(&headers)?;
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(&body) else {
        return Err(invalid("the body must be a JSON object"));
    };
    check(&map)?;
    let url = map["webhookUrl"].as_str().unwrap_or_default();
    let passed = test_delivery_passes(url);
    let mut store = sandbox.store.lock().map_err(|_| store_error())?;
    let id = store.object_id();
    let failure = (!passed).then(|| Failure {
        failed_at: store.rfc3339(),
        status_code: 0,
        message: "The test delivery could not reach the webhook URL.",
    });
    let field = |key: &str| map.get(key).cloned().unwrap_or(Value::Null);
    let hook = record(
        &id,
        field("name"),
        url,
        field("webhookEvent"),
        field("headers"),
        failure,
    );
    store.saleshandy.insert(id, hook.clone());
    // The create answer carries the test's result instead of the delivery record.
    let mut payload = hook;
    if let Some(p) = payload.as_object_mut() {
        p.remove("failed");
        p.remove("lastFailure");
        p.insert(
            "testDelivery".into(),
            json!({"status": if passed { "success" } else { "failed" }}),
        );
    }
    Ok((
        StatusCode::CREATED,
        Json(json!({"message": "Webhook created successfully", "payload": payload})),
    ))
}

/// A query number: `None` when it is not one; digits too many for a `u64` are a very large number.
fn number(text: Option<&String>) -> Option<u64> {
    let text = text?;
    text.parse::<u64>().ok().or_else(|| {
        (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then_some(u64::MAX)
    })
}

async fn list(
    State(sandbox): State<Sandbox>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<Value>, Rejection> {
    authorize(&headers)?;
    let page = number(query.get("page")).filter(|n| *n > 0).unwrap_or(1);
    let size = number(query.get("pageSize"))
        .filter(|n| *n > 0)
        .unwrap_or(PAGE_SIZE)
        .min(MAX_PAGE_SIZE);
    let skip = usize::try_from((page - 1).saturating_mul(size)).unwrap_or(usize::MAX);
    let take = usize::try_from(size).unwrap_or(usize::MAX);
    let store = sandbox.store.lock().map_err(|_| store_error())?;
    let hooks: Vec<Value> = store
        .saleshandy
        .values()
        .skip(skip)
        .take(take)
        .cloned()
        .collect();
    Ok(Json(
        json!({"message": "Webhooks fetched successfully", "payload": hooks}),
    ))
}

async fn get_one(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, Rejection> {
    authorize(&headers)?;
    let store = sandbox.store.lock().map_err(|_| store_error())?;
    match store.saleshandy.get(&id) {
        Some(hook) => Ok(Json(
            json!({"message": "Webhook fetched successfully", "payload": hook}),
        )),
        None => Err(Rejection(StatusCode::NOT_FOUND, "Webhook not found".into())),
    }
}
