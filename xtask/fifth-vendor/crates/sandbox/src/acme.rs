//! Acme, the made-up fifth vendor of README's "Adding a vendor": `GET /hooks`, `POST /hooks`,
//! `DELETE /hooks/{id}`, with the key in `X-Acme-Key`.

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use serde_json::{Value, json};

use crate::Sandbox;

pub(crate) const KEY: &str = "sandbox-acme-key";
pub(crate) const EVENTS: &[&str] = &["order.created", "order.paid"];

pub(crate) fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/hooks", get(list).post(create))
        .route("/hooks/{id}", delete(remove))
}

fn refused(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("x-acme-key").and_then(|v| v.to_str().ok()) == Some(KEY)
}

async fn list(State(sandbox): State<Sandbox>, headers: HeaderMap) -> Response {
    if !authorized(&headers) {
        return refused(StatusCode::UNAUTHORIZED, "bad key");
    }
    let Ok(store) = sandbox.store.lock() else {
        return refused(StatusCode::INTERNAL_SERVER_ERROR, "store");
    };
    let hooks: Vec<Value> = store
        .others
        .get("acme")
        .map(|m| m.values().cloned().collect())
        .unwrap_or_default();
    Json(Value::Array(hooks)).into_response()
}

async fn create(State(sandbox): State<Sandbox>, headers: HeaderMap, body: String) -> Response {
    if !authorized(&headers) {
        return refused(StatusCode::UNAUTHORIZED, "bad key");
    }
    let Ok(Value::Object(mut hook)) = serde_json::from_str::<Value>(&body) else {
        return refused(StatusCode::BAD_REQUEST, "the body must be a JSON object");
    };
    let url_ok = hook
        .get("url")
        .and_then(Value::as_str)
        .is_some_and(|u| u.starts_with("https://") || u.starts_with("http://"));
    let events_ok = hook
        .get("events")
        .and_then(Value::as_array)
        .is_some_and(|e| !e.is_empty() && e.iter().all(|e| e.as_str().is_some_and(|e| EVENTS.contains(&e))));
    if !url_ok || !events_ok {
        return refused(StatusCode::UNPROCESSABLE_ENTITY, "url and events are required");
    }
    let Ok(mut store) = sandbox.store.lock() else {
        return refused(StatusCode::INTERNAL_SERVER_ERROR, "store");
    };
    let id = format!("hk_{:06}", store.number());
    hook.insert("id".into(), Value::String(id.clone()));
    hook.insert("created_at".into(), Value::String(store.rfc3339()));
    let hook = Value::Object(hook);
    store.others.entry("acme").or_default().insert(id, hook.clone());
    (StatusCode::CREATED, Json(hook)).into_response()
}

async fn remove(State(sandbox): State<Sandbox>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if !authorized(&headers) {
        return refused(StatusCode::UNAUTHORIZED, "bad key");
    }
    let Ok(mut store) = sandbox.store.lock() else {
        return refused(StatusCode::INTERNAL_SERVER_ERROR, "store");
    };
    match store.others.get_mut("acme").and_then(|m| m.remove(&id)) {
        Some(_) => StatusCode::NO_CONTENT.into_response(),
        None => refused(StatusCode::NOT_FOUND, "no such hook"),
    }
}
