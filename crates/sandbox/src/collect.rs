//! Collect, as seeds 000 and 001 document it: Basic auth with an empty user and the API key as
//! password; `POST /webhooks` creates, `POST /webhooks/{id}` modifies part of a webhook. Collect
//! documents no list, get or delete, so the sandbox has none either.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine;
use serde_json::{Map, Value, json};

use crate::{Sandbox, credentials};

/// The event types, from seed 000 plus `docParsed` from Collect's newer docs.
pub(crate) const EVENTS: &[&str] = &[
    "created",
    "statusChanged",
    "portalSubmited",
    "dueDateChanged",
    "portalViewed",
    "docUploaded",
    "docDeleted",
    "docParsed",
    "itemApproved",
    "itemRejected",
    "itemReopened",
    "itemCancelValidation",
    "formSubmited",
    "emailSent",
    "emailClicked",
    "emailBounced",
    "emailOpened",
    "emailMarkedAsSpam",
    "emailBlocked",
    "emailUnsub",
    "smsSent",
    "smsDelivered",
    "smsClicked",
    "smsFailed",
    "smsUndelivered",
];

pub(crate) fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/webhooks", post(create))
        .route("/webhooks/{id}", post(modify))
}

/// A refusal, in Collect's words.
pub(crate) struct Rejection(StatusCode, String);

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "message": self.1 }))).into_response()
    }
}

fn reject(status: StatusCode, message: impl Into<String>) -> Rejection {
    Rejection(status, message.into())
}

fn invalid(what: &str) -> Rejection {
    reject(
        StatusCode::BAD_REQUEST,
        format!("Bad Request -- Your request is invalid: {what}"),
    )
}

/// Collect's 401, unless the request carries `Basic base64(":" + key)` with the sandbox's key.
fn authorize(headers: &HeaderMap) -> Result<(), Rejection> {
    let expected = base64::engine::general_purpose::STANDARD
        .encode(format!(":{}", credentials::COLLECT_API_KEY));
    match headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        Some(v) if v.strip_prefix("Basic ") == Some(expected.as_str()) => Ok(()),
        _ => Err(reject(
            StatusCode::UNAUTHORIZED,
            "Unauthorized -- Your API key is wrong.",
        )),
    }
}

fn object(body: &str) -> Result<Map<String, Value>, Rejection> {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(invalid("the body must be a JSON object.")),
    }
}

/// Checks the fields both create and modify take; `status` only on modify.
fn check_fields(map: &Map<String, Value>, modify: bool) -> Result<(), Rejection> {
    for (key, value) in map {
        match key.as_str() {
            "targetUrl" => match value.as_str() {
                Some(url) if url.starts_with("https://") || url.starts_with("http://") => {}
                _ => return Err(invalid("targetUrl must be an http(s) URL.")),
            },
            "types" => {
                let Some(types) = value.as_array() else {
                    return Err(invalid("types must be an array."));
                };
                if types
                    .iter()
                    .any(|t| !t.as_str().is_some_and(|t| EVENTS.contains(&t)))
                {
                    return Err(invalid("unknown event type."));
                }
            }
            "campaignId" | "secretToken" if value.is_string() => {}
            "status" if modify && matches!(value.as_str(), Some("active" | "paused")) => {}
            other => return Err(invalid(&format!("unexpected field {other}."))),
        }
    }
    Ok(())
}

fn store_error() -> Rejection {
    reject(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
}

/// A webhook as the store keeps it, from a checked create body: active, with the fields given.
pub(crate) fn record(id: &str, map: &Map<String, Value>, created_at: &str) -> Value {
    let mut hook = Map::with_capacity(7);
    hook.insert("_id".into(), Value::String(id.into()));
    hook.insert(
        "targetUrl".into(),
        map.get("targetUrl").cloned().unwrap_or(Value::Null),
    );
    hook.insert("status".into(), Value::String("active".into()));
    hook.insert(
        "types".into(),
        map.get("types")
            .cloned()
            .unwrap_or_else(|| Value::Array(Vec::new())),
    );
    hook.insert("createdAt".into(), Value::String(created_at.into()));
    for key in ["campaignId", "secretToken"] {
        if let Some(v) = map.get(key) {
            hook.insert(key.into(), v.clone());
        }
    }
    Value::Object(hook)
}

async fn create(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    body: String,
) -> Result<Json<Value>, Rejection> {
    authorize(&headers)?;
    let map = object(&body)?;
    if !map.contains_key("targetUrl") {
        return Err(invalid("targetUrl is required."));
    }
    check_fields(&map, false)?;
    let mut store = sandbox.store.lock().map_err(|_| store_error())?;
    let id = store.meteor_id();
    let hook = record(&id, &map, &store.timestamp());
    store.collect.insert(id, hook.clone());
    Ok(Json(hook))
}

async fn modify(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Result<Json<Value>, Rejection> {
    authorize(&headers)?;
    let map = object(&body)?;
    check_fields(&map, true)?;
    let mut store = sandbox.store.lock().map_err(|_| store_error())?;
    let hook = store.collect.get_mut(&id).ok_or_else(|| {
        reject(
            StatusCode::NOT_FOUND,
            "Not Found -- The specified object could not be found.",
        )
    })?;
    for (key, value) in map {
        hook[key] = value;
    }
    Ok(Json(hook.clone()))
}

/// Control: Collect pauses a webhook by itself after 24 hours of failed deliveries.
pub(crate) async fn auto_pause(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
) -> StatusCode {
    let Ok(mut store) = sandbox.store.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR;
    };
    match store.collect.get_mut(&id) {
        Some(hook) => {
            hook["status"] = json!("paused");
            StatusCode::NO_CONTENT
        }
        None => StatusCode::NOT_FOUND,
    }
}
