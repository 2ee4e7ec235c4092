//! Switchable faults: the next N vendor requests fail in a chosen way, set through the control API.

use std::collections::VecDeque;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use crate::Sandbox;

/// One way to fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Fault {
    /// 429 with `Retry-After`.
    #[serde(rename = "429")]
    TooManyRequests,
    #[serde(rename = "500")]
    ServerError,
    /// 503 with `Retry-After`, as during maintenance.
    #[serde(rename = "503")]
    Unavailable,
    /// Answer normally, but only after a delay.
    #[serde(rename = "slow")]
    Slow,
    /// A 200 whose body is not JSON.
    #[serde(rename = "malformed")]
    Malformed,
    /// Refuse the CORS preflight and send no CORS headers.
    #[serde(rename = "cors")]
    RefuseCors,
}

#[derive(Clone, Copy, Debug)]
struct Queued {
    fault: Fault,
    delay: Duration,
    retry_after: u64,
}

/// The faults waiting for the next requests.
#[derive(Default)]
pub struct FaultPlan {
    queue: VecDeque<Queued>,
}

#[derive(Deserialize)]
struct FaultRequest {
    fault: Fault,
    #[serde(default = "one")]
    count: usize,
    #[serde(default)]
    delay_ms: u64,
    #[serde(default = "two")]
    retry_after: u64,
}

fn one() -> usize {
    1
}
fn two() -> u64 {
    2
}

pub(crate) fn control_routes() -> Router<Sandbox> {
    Router::new()
        .route("/reset", post(reset))
        .route("/faults", post(queue))
        .route(
            "/collect/webhooks/{id}/auto-pause",
            post(crate::collect::auto_pause),
        )
        .route(
            "/superoffice/webhooks/{id}/too-many-errors",
            post(crate::superoffice::too_many_errors),
        )
        .route("/seed", post(crate::seed::seed))
        .route("/deliveries", post(crate::deliveries::deliveries))
        .route(
            "/kajabi/token-lifetime",
            post(crate::kajabi::token_lifetime),
        )
        .route("/kajabi/expire-tokens", post(crate::kajabi::expire_tokens))
        .route("/kajabi/tokens", get(crate::kajabi::tokens))
}

async fn reset(State(sandbox): State<Sandbox>) -> StatusCode {
    if let Ok(mut store) = sandbox.store.lock() {
        *store = Default::default();
    }
    if let Ok(mut faults) = sandbox.faults.lock() {
        faults.queue.clear();
    }
    if let Ok(mut tokens) = sandbox.kajabi_tokens.lock() {
        tokens.reset();
    }
    StatusCode::NO_CONTENT
}

async fn queue(State(sandbox): State<Sandbox>, Json(req): Json<FaultRequest>) -> StatusCode {
    let Ok(mut faults) = sandbox.faults.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR;
    };
    let delay = Duration::from_millis(if req.fault == Fault::Slow && req.delay_ms == 0 {
        3000
    } else {
        req.delay_ms
    });
    for _ in 0..req.count.min(1000) {
        faults.queue.push_back(Queued {
            fault: req.fault,
            delay,
            retry_after: req.retry_after,
        });
    }
    StatusCode::NO_CONTENT
}

/// Takes the next fault if `wanted` says it is this layer's to apply.
fn take(sandbox: &Sandbox, wanted: impl Fn(Fault) -> bool) -> Option<Queued> {
    let mut faults = sandbox.faults.lock().ok()?;
    if wanted(faults.queue.front()?.fault) {
        faults.queue.pop_front()
    } else {
        None
    }
}

/// Outside the CORS layer: a refused-CORS fault answers the preflight (or the request) bare, with
/// no CORS headers, so the browser blocks the call as it would for a vendor without CORS.
pub(crate) async fn refuse_cors(
    State(sandbox): State<Sandbox>,
    request: Request,
    next: Next,
) -> Response {
    match take(&sandbox, |f| f == Fault::RefuseCors) {
        Some(_) => StatusCode::FORBIDDEN.into_response(),
        None => next.run(request).await,
    }
}

/// Inside the CORS layer (which answers preflights itself): applies the next other fault to a vendor
/// request, so the page can read the failure.
pub(crate) async fn inject(
    State(sandbox): State<Sandbox>,
    request: Request,
    next: Next,
) -> Response {
    let Some(q) = take(&sandbox, |f| f != Fault::RefuseCors) else {
        return next.run(request).await;
    };
    match q.fault {
        Fault::TooManyRequests => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, q.retry_after.to_string())],
            Json(json!({"message": "Too Many Requests -- You're requesting too many objects! Slow down!"})),
        )
            .into_response(),
        Fault::ServerError => (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response(),
        Fault::Unavailable => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, q.retry_after.to_string())],
            "Service Unavailable -- We're temporarily offline for maintenance.",
        )
            .into_response(),
        Fault::Slow => {
            tokio::time::sleep(q.delay).await;
            next.run(request).await
        }
        Fault::Malformed => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            Body::from("{\"_id\": \"half an answer"),
        )
            .into_response(),
        Fault::RefuseCors => next.run(request).await,
    }
}
