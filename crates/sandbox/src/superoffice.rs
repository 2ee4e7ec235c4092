//! SuperOffice's Webhook resource, as seed 003 and vendors.md section 3 document it, served for the
//! one tenant `Cust12345` below `/superoffice/Cust12345/api/v1`.
//!
//! - Auth: `Authorization: Bearer <token>` (the sandbox's token), or `SOTicket <ticket>` with an
//!   `SO-AppToken` header, or `Basic` with any user name and password; else 401.
//! - `GET /Webhook` (array; `nameFilter`, `eventFilter`, `statusFilter`), `GET /Webhook/default`,
//!   `GET /Webhook/{id}`, `POST /Webhook` (200), `PUT /Webhook/{id}` (full replace),
//!   `PATCH /Webhook/{id}` (a JSON Merge Patch object, or a JSON Patch array of
//!   add/replace/remove/test operations), `DELETE /Webhook/{id}` (204), `POST /Webhook/Test`.
//! - Saving pings the target: a `webhook` target must be `https://`, and, as the sandbox cannot
//!   reach it, a target whose host ends with `.invalid` or contains `fail` fails the ping, so the
//!   save fails with 400 as the vendor's does.
//! - `State` is written `Active` or `Stopped`; `TooManyErrors` only comes from the vendor (the
//!   control API sets it). Read-only fields in a body (`Registered`, `Updated`, the associates,
//!   `_Links`) are ignored, and unknown fields too, as the vendor's deserialiser does.
//! - The error body is not documented; the sandbox answers `{"Message", "ErrorType"}`.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use serde_json::{Map, Value, json};

use crate::store::object;
use crate::{Sandbox, credentials};

/// Where the sandbox serves the tenant, below its root.
pub(crate) const BASE: &str = "/superoffice/Cust12345/api/v1";

/// Event names the docs list (vendors.md 3.2, from `event-details.md`), for the seeded webhooks;
/// any `entity.event` name is taken on save.
pub(crate) const EVENTS: &[&str] = &[
    "contact.created",
    "contact.changed",
    "contact.deleted",
    "person.created",
    "person.changed",
    "person.consented",
    "sale.created",
    "sale.changed",
    "sale.sold",
    "sale.lost",
    "project.created",
    "ticket.created",
    "ticket.changed",
    "document.edited",
    "activity.created",
    "quote.approved",
];

/// The fields a client may write, with their documented spelling (paths are case-insensitive).
const WRITABLE: &[&str] = &[
    "WebhookId",
    "Name",
    "Events",
    "TargetUrl",
    "Secret",
    "State",
    "Type",
    "Headers",
    "Properties",
    "ErrorsEmail",
];

pub(crate) fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/Webhook", get(list).post(create))
        .route("/Webhook/default", get(default))
        .route("/Webhook/Test", post(test))
        .route(
            "/Webhook/{id}",
            get(get_one).put(replace).patch(patch).delete(delete),
        )
}

/// A refusal: SuperOffice's error body is not documented, so a plain `Message`.
pub(crate) struct Rejection(StatusCode, String);

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let kind = match self.0 {
            StatusCode::UNAUTHORIZED => "UnauthorizedAccessException",
            StatusCode::NOT_FOUND => "NotFoundException",
            StatusCode::CONFLICT => "ConflictException",
            _ => "SoException",
        };
        (
            self.0,
            Json(json!({ "Message": self.1, "ErrorType": kind })),
        )
            .into_response()
    }
}

fn invalid(message: impl Into<String>) -> Rejection {
    Rejection(StatusCode::BAD_REQUEST, message.into())
}

fn not_found(id: &str) -> Rejection {
    Rejection(
        StatusCode::NOT_FOUND,
        format!("Webhook with id {id} was not found."),
    )
}

fn store_error() -> Rejection {
    Rejection(StatusCode::INTERNAL_SERVER_ERROR, "Internal error".into())
}

fn authorize(headers: &HeaderMap) -> Result<(), Rejection> {
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let (scheme, value) = auth.split_once(' ').unwrap_or((auth, ""));
    let value = value.trim();
    let ok = match scheme.to_ascii_lowercase().as_str() {
        "bearer" => value == credentials::SUPEROFFICE_TOKEN,
        "soticket" => {
            !value.is_empty()
                && headers
                    .get("so-apptoken")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|t| !t.trim().is_empty())
        }
        "basic" => base64::engine::general_purpose::STANDARD
            .decode(value)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| {
                s.split_once(':')
                    .map(|(u, p)| !u.is_empty() && !p.is_empty())
            })
            .unwrap_or(false),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Rejection(
            StatusCode::UNAUTHORIZED,
            "Authorization failed: the ticket, token or user name and password were not accepted."
                .into(),
        ))
    }
}

fn parse_id(id: &str) -> Result<i64, Rejection> {
    id.trim().parse::<i64>().map_err(|_| not_found(id))
}

/// The documented spelling of a property, matched case-insensitively.
fn known(name: &str) -> Option<&'static str> {
    WRITABLE
        .iter()
        .chain(
            [
                "Registered",
                "RegisteredAssociate",
                "Updated",
                "UpdatedAssociate",
                "_Links",
            ]
            .iter(),
        )
        .find(|k| k.eq_ignore_ascii_case(name))
        .copied()
}

/// Whether an event name is `<entity>.<event>` (vendors.md 3.2, 3.7).
fn event_name(e: &str) -> bool {
    match e.split_once('.') {
        Some((entity, event)) => {
            !entity.is_empty()
                && !event.is_empty()
                && entity
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                && event.bytes().all(|b| b.is_ascii_lowercase())
        }
        None => e == "test",
    }
}

fn host(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// The vendor's ping of a `webhook` target, as the sandbox decides it (see the module doc).
fn ping(url: &str) -> Result<(), String> {
    if !url.starts_with("https://") {
        return Err(format!(
            "Webhook test POST to {url} failed: the TargetUrl must use HTTPS."
        ));
    }
    match host(url) {
        Some(h) if h.ends_with(".invalid") || h.contains("fail") => Err(format!(
            "Webhook test POST to {url} failed: the target did not respond with 200 OK."
        )),
        Some(_) => Ok(()),
        None => Err(format!(
            "Webhook test POST to {url} failed: the TargetUrl is not a valid URL."
        )),
    }
}

/// The writable fields of a body, keyed by their documented spelling; read-only and unknown
/// fields dropped.
fn writable(map: &Map<String, Value>) -> Map<String, Value> {
    map.iter()
        .filter_map(|(k, v)| {
            known(k)
                .filter(|k| WRITABLE.contains(k))
                .map(|k| (k.to_string(), v.clone()))
        })
        .collect()
}

/// Checks a webhook definition as it would be saved; fills in the defaults. `kept` is the stored
/// state, which may be sent back unchanged even when a client could not set it (`TooManyErrors`).
fn check(def: &mut Map<String, Value>, kept: Option<&Value>) -> Result<(), Rejection> {
    match def.get("Name") {
        Some(Value::String(n)) if !n.trim().is_empty() => {}
        _ => return Err(invalid("Name is required.")),
    }
    match def.get("Events") {
        Some(Value::Array(events)) if !events.is_empty() => {
            for e in events {
                match e.as_str() {
                    Some(name) if event_name(name) => {}
                    _ => {
                        return Err(invalid(format!(
                            "Unknown event {e}: events are named entity.event, as contact.created."
                        )));
                    }
                }
            }
        }
        _ => return Err(invalid("Events must list at least one event.")),
    }
    let kind = match def.get("Type") {
        None | Some(Value::Null) => "webhook".to_string(),
        Some(Value::String(t)) if t == "webhook" || t == "crmscript" => t.clone(),
        Some(_) => {
            return Err(invalid(
                "Type must be 'webhook' or 'crmscript': no plugin handles this type.",
            ));
        }
    };
    def.insert("Type".into(), json!(kind));
    match def.get("State") {
        None | Some(Value::Null) => {
            def.insert("State".into(), json!("Active"));
        }
        Some(Value::String(s)) if s == "Active" || s == "Stopped" => {}
        Some(same) if Some(same) == kept => {}
        Some(_) => return Err(invalid("State must be Active or Stopped.")),
    }
    let target = match def.get("TargetUrl") {
        Some(Value::String(t)) if !t.trim().is_empty() => t.clone(),
        _ => return Err(invalid("TargetUrl is required.")),
    };
    if kind == "webhook" {
        ping(&target).map_err(invalid)?;
    }
    for key in ["Secret", "ErrorsEmail"] {
        match def.get(key) {
            None | Some(Value::Null) => {
                def.insert(key.into(), json!(""));
            }
            Some(Value::String(_)) => {}
            Some(_) => return Err(invalid(format!("{key} must be a string."))),
        }
    }
    match def.get("Headers") {
        None | Some(Value::Null) => {
            def.insert("Headers".into(), json!({}));
        }
        Some(Value::Object(h)) if h.values().all(Value::is_string) => {}
        Some(_) => return Err(invalid("Headers must be an object of strings.")),
    }
    match def.get("Properties") {
        None | Some(Value::Null) => {
            def.insert("Properties".into(), json!({}));
        }
        Some(Value::Object(_)) => {}
        Some(_) => return Err(invalid("Properties must be an object.")),
    }
    Ok(())
}

/// The entity as the vendor answers it, with its links.
fn with_links(hook: &Value, headers: &HeaderMap) -> Value {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    let mut hook = hook.clone();
    let id = hook["WebhookId"].clone();
    hook["_Links"] = json!({
        "Self": format!("http://{host}{BASE}/Webhook/{id}"),
        "Archive": format!("http://{host}{BASE}/Webhook"),
    });
    hook
}

/// The sandbox's one associate, who registers and updates every webhook (made once: a seed
/// copies it twice per webhook).
fn associate() -> Value {
    static ASSOCIATE: OnceLock<Value> = OnceLock::new();
    ASSOCIATE
        .get_or_init(|| {
            object([
                ("AssociateId", Value::from(5)),
                ("Name", Value::String("SAL0".into())),
                ("FullName", Value::String("Sandbox Admin".into())),
                ("Type", Value::String("Employee".into())),
            ])
        })
        .clone()
}

fn body_object(body: &str) -> Result<Map<String, Value>, Rejection> {
    if body.trim().is_empty() {
        return Err(invalid("Entity to save is not in request body"));
    }
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(invalid("The webhook must be a JSON object.")),
        Err(e) => Err(invalid(format!("The request body is not valid JSON: {e}"))),
    }
}

async fn list(
    State(sandbox): State<Sandbox>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<Value>, Rejection> {
    authorize(&headers)?;
    let q = |k: &str| {
        query
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let (name, event, status) = (q("nameFilter"), q("eventFilter"), q("statusFilter"));
    let store = sandbox.store.lock().map_err(|_| store_error())?;
    let hooks = store
        .superoffice
        .values()
        .filter(|h| {
            name.as_ref().is_none_or(|n| {
                h["Name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_lowercase()
                    .contains(&n.to_lowercase())
            })
        })
        .filter(|h| {
            event.as_ref().is_none_or(|e| {
                h["Events"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(e.as_str())))
            })
        })
        .filter(|h| {
            status.as_ref().is_none_or(|s| {
                h["State"]
                    .as_str()
                    .is_some_and(|state| state.eq_ignore_ascii_case(s))
            })
        })
        .map(|h| with_links(h, &headers))
        .collect::<Vec<_>>();
    Ok(Json(Value::Array(hooks)))
}

async fn default(headers: HeaderMap) -> Result<Json<Value>, Rejection> {
    authorize(&headers)?;
    Ok(Json(json!({
        "WebhookId": 0,
        "Name": "",
        "Events": ["contact.created", "contact.deleted"],
        "TargetUrl": "",
        "Secret": "",
        "State": "Active",
        "Type": "webhook",
        "Headers": {},
        "Properties": {},
        "Registered": null,
        "RegisteredAssociate": null,
        "Updated": null,
        "UpdatedAssociate": null,
        "ErrorsEmail": "",
    })))
}

async fn get_one(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, Rejection> {
    authorize(&headers)?;
    let key = parse_id(&id)?;
    let store = sandbox.store.lock().map_err(|_| store_error())?;
    let hook = store.superoffice.get(&key).ok_or_else(|| not_found(&id))?;
    Ok(Json(with_links(hook, &headers)))
}

async fn create(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    body: String,
) -> Result<Json<Value>, Rejection> {
    authorize(&headers)?;
    let mut def = writable(&body_object(&body)?);
    match def.get("WebhookId") {
        None | Some(Value::Null) => {}
        Some(v) if v.as_i64() == Some(0) => {}
        Some(_) => {
            return Err(invalid(
                "WebhookId must be 0 to create a webhook; PUT /Webhook/{id} saves an existing one.",
            ));
        }
    }
    check(&mut def, None)?;
    let mut store = sandbox.store.lock().map_err(|_| store_error())?;
    let id = store.number() as i64;
    let now = store.rfc3339();
    let hook = record(def, id, &now, &now);
    store.superoffice.insert(id, hook.clone());
    Ok(Json(with_links(&hook, &headers)))
}

/// A checked definition as the store keeps it: with its id, and registered and updated by the
/// sandbox's associate.
fn record(mut def: Map<String, Value>, id: i64, registered: &str, updated: &str) -> Value {
    def.insert("WebhookId".into(), Value::from(id));
    def.insert("Registered".into(), Value::String(registered.into()));
    def.insert("RegisteredAssociate".into(), associate());
    def.insert("Updated".into(), Value::String(updated.into()));
    def.insert("UpdatedAssociate".into(), associate());
    Value::Object(def)
}

/// A webhook as `POST /Webhook` would have stored it from `def` (the client's fields, each spelt
/// as documented), checked and filled in the same way, for the control API's seed; the check's
/// message if it refuses it.
pub(crate) fn seeded(
    def: Map<String, Value>,
    id: i64,
    registered: &str,
    updated: &str,
) -> Result<Value, String> {
    if let Some(key) = def.keys().find(|k| !WRITABLE.contains(&k.as_str())) {
        return Err(format!("{key} is not a field a client writes"));
    }
    let mut def = def;
    check(&mut def, None).map_err(|Rejection(_, why)| why)?;
    Ok(record(def, id, registered, updated))
}

/// Saves a changed definition over webhook `key`, keeping what the vendor owns.
fn save(
    sandbox: &Sandbox,
    key: i64,
    mut def: Map<String, Value>,
    headers: &HeaderMap,
) -> Result<Json<Value>, Rejection> {
    let mut store = sandbox.store.lock().map_err(|_| store_error())?;
    let now = store.rfc3339();
    let old = store
        .superoffice
        .get(&key)
        .ok_or_else(|| not_found(&key.to_string()))?;
    check(&mut def, old.get("State"))?;
    def.insert("WebhookId".into(), json!(key));
    for k in ["Registered", "RegisteredAssociate"] {
        def.insert(k.into(), old[k].clone());
    }
    def.insert("Updated".into(), json!(now));
    def.insert("UpdatedAssociate".into(), associate());
    let hook = Value::Object(def);
    store.superoffice.insert(key, hook.clone());
    Ok(Json(with_links(&hook, headers)))
}

fn stored(sandbox: &Sandbox, id: &str) -> Result<(i64, Value), Rejection> {
    let key = parse_id(id)?;
    let store = sandbox.store.lock().map_err(|_| store_error())?;
    let hook = store.superoffice.get(&key).ok_or_else(|| not_found(id))?;
    Ok((key, hook.clone()))
}

async fn replace(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Result<Json<Value>, Rejection> {
    authorize(&headers)?;
    let (key, _) = stored(&sandbox, &id)?;
    let def = writable(&body_object(&body)?);
    match def.get("WebhookId").and_then(Value::as_i64) {
        Some(other) if other != 0 && other != key => {
            return Err(invalid(format!(
                "The body's WebhookId {other} is not the webhook {key} in the URL."
            )));
        }
        _ => {}
    }
    save(&sandbox, key, def, &headers)
}

async fn patch(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Result<Json<Value>, Rejection> {
    authorize(&headers)?;
    let (key, old) = stored(&sandbox, &id)?;
    let mut def = writable(old.as_object().ok_or_else(store_error)?);
    match serde_json::from_str::<Value>(&body) {
        // JSON Merge Patch (RFC 7396): each key set, null removes it (the default comes back).
        Ok(Value::Object(changes)) => {
            for (k, v) in changes {
                let Some(name) = known(&k).filter(|k| WRITABLE.contains(k)) else {
                    continue;
                };
                if v.is_null() {
                    def.remove(name);
                } else {
                    def.insert(name.into(), v);
                }
            }
        }
        // JSON Patch (RFC 6902), on top-level properties.
        Ok(Value::Array(ops)) => {
            for op in ops {
                let kind = op["op"].as_str().unwrap_or_default();
                let path = op["path"].as_str().unwrap_or_default();
                let Some(name) = known(path.trim_start_matches('/')) else {
                    return Err(invalid(format!("Unknown path {path}.")));
                };
                match kind {
                    "add" | "replace" if WRITABLE.contains(&name) => {
                        def.insert(name.into(), op["value"].clone());
                    }
                    "remove" if WRITABLE.contains(&name) => {
                        def.remove(name);
                    }
                    "test" => {
                        let now = def.get(name).or_else(|| old.get(name));
                        if now != Some(&op["value"]) {
                            return Err(Rejection(
                                StatusCode::CONFLICT,
                                format!("Test of {path} failed."),
                            ));
                        }
                    }
                    _ => {
                        return Err(invalid(format!(
                            "Operation {kind} on {path} is not allowed."
                        )));
                    }
                }
            }
        }
        _ => return Err(invalid("Entity to save is not in request body")),
    }
    save(&sandbox, key, def, &headers)
}

async fn delete(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, Rejection> {
    authorize(&headers)?;
    let key = parse_id(&id)?;
    let mut store = sandbox.store.lock().map_err(|_| store_error())?;
    store
        .superoffice
        .remove(&key)
        .map(|_| StatusCode::NO_CONTENT)
        .ok_or_else(|| not_found(&id))
}

/// Pings a webhook definition with a `test` event, without saving it.
async fn test(headers: HeaderMap, body: String) -> Result<Json<Value>, Rejection> {
    authorize(&headers)?;
    let def = writable(&body_object(&body)?);
    let target = def
        .get("TargetUrl")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let kind = def.get("Type").and_then(Value::as_str).unwrap_or("webhook");
    let result = if kind == "webhook" {
        ping(target)
    } else {
        Ok(())
    };
    let (success, message) = match result {
        Ok(()) => (true, format!("Test event posted to {target}: 200 OK")),
        Err(why) => (false, why),
    };
    Ok(Json(json!({
        "Success": success,
        "Message": message,
        "TableRight": null,
        "FieldProperties": {},
    })))
}

/// Control: SuperOffice stops a webhook by itself after too many failed deliveries.
pub(crate) async fn too_many_errors(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
) -> StatusCode {
    let Ok(key) = id.trim().parse::<i64>() else {
        return StatusCode::NOT_FOUND;
    };
    let Ok(mut store) = sandbox.store.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR;
    };
    match store.superoffice.get_mut(&key) {
        Some(hook) => {
            hook["State"] = json!("TooManyErrors");
            StatusCode::NO_CONTENT
        }
        None => StatusCode::NOT_FOUND,
    }
}
