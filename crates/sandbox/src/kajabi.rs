//! Kajabi's Public API hooks, as seed 004 and vendors.md section 4 document them, below `/kajabi/v1`.
//!
//! - `POST /oauth/token`: form-encoded `client_id`, `client_secret`,
//!   `grant_type=client_credentials`; the sandbox's client gets a new token each time
//!   (`sandbox-kajabi-issued-<n>`), valid for the answer's `expires_in` seconds (7200 unless the
//!   control API set another lifetime) by the sandbox's clock; anything else a 401
//!   `{"error": "invalid_client"}` (400 `invalid_request` / `unsupported_grant_type` for a
//!   malformed request). No `refresh_token` is handed out: a client asks again.
//! - Everything else needs `Authorization: Bearer <token>`: an issued token still valid, or the
//!   fixed demo token [`credentials::KAJABI_TOKEN`], which never expires. Else 401 with JSON:API
//!   errors; an expired token is refused as any unknown one is ("The access token is invalid or
//!   has expired.").
//! - `GET /hooks` (`page[number]`, `page[size]`, `filter[event_eq]`; `data`, `links`, `meta`),
//!   `GET /hooks/{id}`, `POST /hooks` (201, JSON:API envelope; 422 with errors pointing at the
//!   field), `DELETE /hooks/{id}` (204), `GET /hooks/{event}_sample` (the sample payload array,
//!   bare, as the spec's 200 schema `type: array` has it).
//! - Hooks have no update and no state: Kajabi documents none.
//! - `resource_id` is `integer|null` as the spec types it; a string is a 422 (seed 004's example
//!   sends `"123"`, which the spec contradicts). The site is any `{id, type}` of strings.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::Json;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::store::object;
use crate::{Sandbox, credentials};

/// The six events of seed 004.
pub(crate) const EVENTS: &[&str] = &[
    "purchase",
    "payment_succeeded",
    "order_created",
    "form_submission",
    "tag_added",
    "tag_removed",
];

pub(crate) const BASE: &str = "/kajabi/v1";

pub(crate) fn routes() -> Router<Sandbox> {
    Router::new()
        .route("/oauth/token", post(token))
        .route("/hooks", get(list).post(create))
        .route("/hooks/{id}", get(get_one).delete(delete))
}

/// A JSON:API document, with its media type.
struct JsonApi(StatusCode, Value);

impl IntoResponse for JsonApi {
    fn into_response(self) -> Response {
        let mut response = (self.0, Json(self.1)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/vnd.api+json"),
        );
        response
    }
}

/// One JSON:API error object.
struct ApiError {
    pointer: Option<&'static str>,
    title: &'static str,
    detail: String,
}

/// A refusal: JSON:API errors, all with the same status.
pub(crate) struct Rejection(StatusCode, Vec<ApiError>);

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let status = self.0.as_u16().to_string();
        let errors: Vec<Value> = self
            .1
            .into_iter()
            .map(|e| {
                json!({
                    "status": status,
                    "source": e.pointer.map(|p| json!({"pointer": p})),
                    "title": e.title,
                    "detail": e.detail,
                })
            })
            .collect();
        JsonApi(self.0, json!({ "errors": errors })).into_response()
    }
}

fn one_error(status: StatusCode, title: &'static str, detail: impl Into<String>) -> Rejection {
    Rejection(
        status,
        vec![ApiError {
            pointer: None,
            title,
            detail: detail.into(),
        }],
    )
}

fn not_found(id: &str) -> Rejection {
    one_error(
        StatusCode::NOT_FOUND,
        "Not Found",
        format!("Couldn't find Hook with 'id'={id}"),
    )
}

fn store_error() -> Rejection {
    one_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Internal Server Error",
        "The sandbox's store failed.",
    )
}

/// A token's lifetime when the control API has set none: the answer's `expires_in` in Kajabi's
/// docs example.
const DEFAULT_LIFETIME: u64 = 7200;

/// The longest lifetime the control API takes: a year.
const MAX_LIFETIME: u64 = 365 * 24 * 3600;

/// The access tokens the token request has issued, and when each stops being valid.
pub struct KajabiTokens {
    /// The number in the last token's name; kept through a reset so no token is issued twice.
    serial: u64,
    /// Token requests granted since the last reset.
    issued: u64,
    /// Seconds a token issued now is valid for.
    lifetime: u64,
    /// The issued tokens not known to have expired, with the instant each expires.
    valid_until: HashMap<String, Instant>,
}

impl Default for KajabiTokens {
    fn default() -> Self {
        KajabiTokens {
            serial: 0,
            issued: 0,
            lifetime: DEFAULT_LIFETIME,
            valid_until: HashMap::new(),
        }
    }
}

impl KajabiTokens {
    /// A new token and the seconds it is valid for.
    fn issue(&mut self) -> (String, u64) {
        let now = Instant::now();
        self.valid_until.retain(|_, until| *until > now);
        self.serial += 1;
        self.issued += 1;
        let token = format!("sandbox-kajabi-issued-{}", self.serial);
        let until = now
            .checked_add(Duration::from_secs(self.lifetime))
            .unwrap_or(now);
        self.valid_until.insert(token.clone(), until);
        (token, self.lifetime)
    }

    fn is_valid(&self, token: &str) -> bool {
        self.valid_until
            .get(token)
            .is_some_and(|until| *until > Instant::now())
    }

    fn live(&self) -> usize {
        let now = Instant::now();
        self.valid_until.values().filter(|u| **u > now).count()
    }

    /// Forgets every token and the lifetime set (the serial goes on).
    pub(crate) fn reset(&mut self) {
        *self = KajabiTokens {
            serial: self.serial,
            ..KajabiTokens::default()
        };
    }
}

fn authorize(sandbox: &Sandbox, headers: &HeaderMap) -> Result<(), Rejection> {
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let issued = |token: &str| {
        sandbox
            .kajabi_tokens
            .lock()
            .is_ok_and(|tokens| tokens.is_valid(token))
    };
    match auth.strip_prefix("Bearer ").map(str::trim) {
        Some(token) if token == credentials::KAJABI_TOKEN || issued(token) => Ok(()),
        Some(_) => Err(one_error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "The access token is invalid or has expired.",
        )),
        None => Err(one_error(
            StatusCode::UNAUTHORIZED,
            "Unauthorized",
            "An access token is required: send Authorization: Bearer <access_token>.",
        )),
    }
}

async fn token(
    State(sandbox): State<Sandbox>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Response {
    let oauth = |status: StatusCode, error: &str| (status, Json(json!({ "error": error })));
    let Ok(Form(form)) = form else {
        return oauth(StatusCode::BAD_REQUEST, "invalid_request").into_response();
    };
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {}
        Some(_) => return oauth(StatusCode::BAD_REQUEST, "unsupported_grant_type").into_response(),
        None => return oauth(StatusCode::BAD_REQUEST, "invalid_request").into_response(),
    }
    if form.get("client_id").map(String::as_str) != Some(credentials::KAJABI_CLIENT_ID)
        || form.get("client_secret").map(String::as_str) != Some(credentials::KAJABI_CLIENT_SECRET)
    {
        return oauth(StatusCode::UNAUTHORIZED, "invalid_client").into_response();
    }
    let Ok(mut tokens) = sandbox.kajabi_tokens.lock() else {
        return oauth(StatusCode::INTERNAL_SERVER_ERROR, "server_error").into_response();
    };
    let (access_token, expires_in) = tokens.issue();
    Json(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": expires_in,
    }))
    .into_response()
}

/// A control API refusal: 400 with a sentence.
fn bad_control(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "message": message.into() })),
    )
        .into_response()
}

/// Control: `{"expires_in": S}` sets the lifetime of the tokens issued from now on.
pub(crate) async fn token_lifetime(State(sandbox): State<Sandbox>, body: String) -> Response {
    let expires_in = match serde_json::from_str::<Value>(&body) {
        Ok(Value::Object(map)) => {
            if let Some(key) = map.keys().find(|k| *k != "expires_in") {
                return bad_control(format!(
                    "unknown field {key}: the body is {{\"expires_in\": S}}"
                ));
            }
            map.get("expires_in").and_then(Value::as_u64)
        }
        _ => return bad_control("the body must be a JSON object: {\"expires_in\": S}"),
    };
    let Some(seconds) = expires_in.filter(|s| (1..=MAX_LIFETIME).contains(s)) else {
        return bad_control(format!(
            "expires_in must be a whole number of seconds from 1 to {MAX_LIFETIME}"
        ));
    };
    let Ok(mut tokens) = sandbox.kajabi_tokens.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    tokens.lifetime = seconds;
    StatusCode::NO_CONTENT.into_response()
}

/// Control: every issued token expires now, as if Kajabi had revoked them.
pub(crate) async fn expire_tokens(State(sandbox): State<Sandbox>) -> StatusCode {
    let Ok(mut tokens) = sandbox.kajabi_tokens.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR;
    };
    tokens.valid_until.clear();
    StatusCode::NO_CONTENT
}

/// Control: `{"issued": n, "live": m}`, token requests granted since the last reset and issued
/// tokens still valid.
pub(crate) async fn tokens(State(sandbox): State<Sandbox>) -> Response {
    let Ok(tokens) = sandbox.kajabi_tokens.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    Json(json!({"issued": tokens.issued, "live": tokens.live()})).into_response()
}

fn links(host: &str, number: usize, size: usize, pages: usize) -> Value {
    let page = |n: usize| format!("http://{host}{BASE}/hooks?page[number]={n}&page[size]={size}");
    json!({
        "self": page(number),
        "first": page(1),
        "prev": (number > 1).then(|| page(number - 1)),
        "next": (number < pages).then(|| page(number + 1)),
        "last": page(pages.max(1)),
    })
}

async fn list(
    State(sandbox): State<Sandbox>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<JsonApi, Rejection> {
    authorize(&sandbox, &headers)?;
    let number = query
        .get("page[number]")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1);
    let size = query
        .get("page[size]")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(25)
        .min(100);
    let event = query.get("filter[event_eq]").filter(|e| !e.is_empty());
    let store = sandbox.store.lock().map_err(|_| store_error())?;
    let all: Vec<&Value> = store
        .kajabi
        .values()
        .filter(|h| event.is_none_or(|e| h["attributes"]["event"].as_str() == Some(e.as_str())))
        .collect();
    let total = all.len();
    let pages = total.div_ceil(size).max(1);
    let data: Vec<Value> = all
        .into_iter()
        .skip((number - 1) * size)
        .take(size)
        .cloned()
        .collect();
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    Ok(JsonApi(
        StatusCode::OK,
        json!({
            "data": data,
            "links": links(host, number, size, pages),
            "meta": {"total_pages": pages, "total_count": total, "current_page": number},
        }),
    ))
}

async fn get_one(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<JsonApi, Rejection> {
    authorize(&sandbox, &headers)?;
    if let Some(event) = id.strip_suffix("_sample") {
        // The spec types the answer as the bare payload array, not a JSON:API document.
        return sample(event)
            .map(|payload| JsonApi(StatusCode::OK, Value::Array(payload)))
            .ok_or_else(|| not_found(&id));
    }
    let key = id.parse::<u64>().map_err(|_| not_found(&id))?;
    let store = sandbox.store.lock().map_err(|_| store_error())?;
    let hook = store.kajabi.get(&key).ok_or_else(|| not_found(&id))?;
    Ok(JsonApi(StatusCode::OK, json!({ "data": hook })))
}

/// Checks a create document against the spec's schema, every field at once.
fn check(body: &Value) -> Vec<ApiError> {
    let mut errors = Vec::new();
    let mut err = |pointer: &'static str, detail: &str| {
        errors.push(ApiError {
            pointer: Some(pointer),
            title: "Invalid Attribute",
            detail: detail.to_string(),
        })
    };
    let Some(data) = body.get("data").and_then(Value::as_object) else {
        err("/data", "data is required and must be an object");
        return errors;
    };
    if data.get("type").and_then(Value::as_str) != Some("hooks") {
        err("/data/type", "type must be \"hooks\"");
    }
    match data.get("attributes").and_then(Value::as_object) {
        None => err("/data/attributes", "attributes is required"),
        Some(attributes) => {
            match attributes.get("event").and_then(Value::as_str) {
                Some(e) if EVENTS.contains(&e) => {}
                Some(_) => err(
                    "/data/attributes/event",
                    &format!("event is not included in the list: {}", EVENTS.join(", ")),
                ),
                None => err("/data/attributes/event", "event can't be blank"),
            }
            match attributes.get("target_url").and_then(Value::as_str) {
                Some(url) if url.starts_with("https://") || url.starts_with("http://") => {}
                Some(_) => err(
                    "/data/attributes/target_url",
                    "target_url must be an http(s) URL",
                ),
                None => err("/data/attributes/target_url", "target_url can't be blank"),
            }
            match attributes.get("resource_id") {
                None | Some(Value::Null) => {}
                Some(Value::Number(n)) if n.is_u64() || n.is_i64() => {}
                Some(_) => err(
                    "/data/attributes/resource_id",
                    "resource_id must be an integer or null",
                ),
            }
        }
    }
    let site = data
        .get("relationships")
        .and_then(|r| r.pointer("/site/data"));
    match site.and_then(Value::as_object) {
        None => err(
            "/data/relationships/site",
            "relationships.site.data is required",
        ),
        Some(site) => {
            if site
                .get("id")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                err(
                    "/data/relationships/site/data/id",
                    "the site's id must be a string",
                );
            }
            if site
                .get("type")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                err(
                    "/data/relationships/site/data/type",
                    "the site's type must be a string",
                );
            }
        }
    }
    errors
}

/// A hook as the store keeps it and the API answers it.
pub(crate) fn record(
    id: u64,
    event: Value,
    target_url: Value,
    resource_id: Value,
    relationships: Value,
    created_at: &str,
) -> Value {
    object([
        ("id", Value::String(id.to_string())),
        ("type", Value::String("hooks".into())),
        (
            "attributes",
            object([
                ("event", event),
                ("target_url", target_url),
                ("resource_id", resource_id),
                ("created_at", Value::String(created_at.into())),
                ("updated_at", Value::String(created_at.into())),
            ]),
        ),
        ("relationships", relationships),
    ])
}

/// A hook's relationships: the site it belongs to.
pub(crate) fn relationships(site_id: Value, site_type: Value) -> Value {
    object([(
        "site",
        object([("data", object([("id", site_id), ("type", site_type)]))]),
    )])
}

async fn create(
    State(sandbox): State<Sandbox>,
    headers: HeaderMap,
    body: String,
) -> Result<JsonApi, Rejection> {
    authorize(&sandbox, &headers)?;
    let body: Value = serde_json::from_str(&body).map_err(|e| {
        one_error(
            StatusCode::BAD_REQUEST,
            "Bad Request",
            format!("The body is not valid JSON: {e}"),
        )
    })?;
    let errors = check(&body);
    if !errors.is_empty() {
        return Err(Rejection(StatusCode::UNPROCESSABLE_ENTITY, errors));
    }
    let attributes = &body["data"]["attributes"];
    let site = &body["data"]["relationships"]["site"]["data"];
    let mut store = sandbox.store.lock().map_err(|_| store_error())?;
    let id = store.number();
    let now = store.rfc3339();
    let hook = record(
        id,
        attributes["event"].clone(),
        attributes["target_url"].clone(),
        attributes
            .get("resource_id")
            .cloned()
            .unwrap_or(Value::Null),
        relationships(site["id"].clone(), site["type"].clone()),
        &now,
    );
    store.kajabi.insert(id, hook.clone());
    Ok(JsonApi(StatusCode::CREATED, json!({ "data": hook })))
}

async fn delete(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, Rejection> {
    authorize(&sandbox, &headers)?;
    let key = id.parse::<u64>().map_err(|_| not_found(&id))?;
    let mut store = sandbox.store.lock().map_err(|_| store_error())?;
    store
        .kajabi
        .remove(&key)
        .map(|_| StatusCode::NO_CONTENT)
        .ok_or_else(|| not_found(&id))
}

fn contact() -> Value {
    json!({
        "id": "2150000001",
        "type": "contacts",
        "attributes": {
            "name": "Sam Sample",
            "email": "sam@example.com",
            "address_line_1": null,
            "address_line_2": null,
            "address_city": null,
            "address_country": null,
            "address_state": null,
            "address_zip": null,
            "phone_number": null,
            "business_number": null,
            "subscribed": true,
            "external_user_id": null,
            "created_at": "2024-05-01T10:00:00.000Z",
            "updated_at": "2024-05-01T10:00:00.000Z",
        },
        "links": {"customer": "https://api.kajabi.com/v1/customers/2150000002"},
        "relationships": {"site": {"data": {"id": "456", "type": "sites"}}},
    })
}

fn customer() -> Value {
    json!({
        "id": "2150000002",
        "type": "customers",
        "attributes": {"name": "Sam Sample", "email": "sam@example.com"},
        "relationships": {"site": {"data": {"id": "456", "type": "sites"}}},
    })
}

fn transaction() -> Value {
    json!({
        "id": "2150000003",
        "type": "transactions",
        "attributes": {
            "action": "charge",
            "state": "succeeded",
            "amount_in_cents": 4900,
            "currency": "USD",
            "created_at": "2024-05-01T10:00:00.000Z",
        },
        "relationships": {"customer": {"data": {"id": "2150000002", "type": "customers"}}},
    })
}

/// The sample payload array of an event, after the shapes vendors.md 4.4 lists.
pub(crate) fn sample(event: &str) -> Option<Vec<Value>> {
    let site = json!({"data": {"id": "456", "type": "sites"}});
    Some(match event {
        "tag_added" | "tag_removed" => vec![
            contact(),
            json!({"id": "123", "type": "contact_tags", "attributes": {"name": "Sample tag"}, "relationships": {"site": site}}),
        ],
        "purchase" => vec![
            json!({"id": "2150000004", "type": "purchases", "attributes": {"amount_in_cents": 4900, "currency": "USD", "created_at": "2024-05-01T10:00:00.000Z"}}),
            json!({"id": "2150000005", "type": "offers", "attributes": {"title": "Sample offer", "price_in_cents": 4900}}),
            customer(),
        ],
        "payment_succeeded" => vec![transaction(), customer()],
        "order_created" => vec![
            transaction(),
            customer(),
            json!({"id": "2150000006", "type": "orders", "attributes": {"order_number": 1001, "total_price_in_cents": 4900}}),
            json!({"id": "2150000007", "type": "order_items", "attributes": {"name": "Sample offer", "quantity": 1}}),
        ],
        "form_submission" => vec![
            json!({"id": "2150000008", "type": "form_submissions", "attributes": {"name": "Sam Sample", "email": "sam@example.com", "created_at": "2024-05-01T10:00:00.000Z"}}),
            json!({"id": "2150000009", "type": "forms", "attributes": {"title": "Sample form"}}),
        ],
        _ => return None,
    })
}
