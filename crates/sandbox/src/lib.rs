//! A native HTTP server that behaves as the vendors' docs say their webhook APIs do: auth, status
//! codes, bodies and CORS, in memory. Its request checks are written from the docs on their own,
//! not by calling `hookpanel-core`, so core is tested against an independent reading.
//!
//! Vendors, below the sandbox's root (each vendor's module says what it serves and how it decides
//! what the docs leave to a real server, such as a test delivery):
//! - Collect under `/collect/v1`;
//! - Saleshandy under `/saleshandy/v1`;
//! - SuperOffice under `/superoffice/Cust12345/api/v1` (the one tenant);
//! - Kajabi under `/kajabi/v1`, its token request included.
//!
//! Besides the vendors, it answers a control API under `/_sandbox/`, with the same CORS as the
//! vendors (browser tests call it from the page's origin). A body it cannot use is a 400
//! `{"message"}` where a route below says so.
//! - `POST /_sandbox/reset`: forget every subscription and fault, and every Kajabi token issued
//!   and the token lifetime set (204);
//! - `POST /_sandbox/faults` `{"fault": "429"|"500"|"503"|"slow"|"malformed"|"cors", "count": N,
//!   "delay_ms": N, "retry_after": N}`: the next N vendor requests fail that way (204);
//! - `POST /_sandbox/collect/webhooks/{id}/auto-pause`: Collect pauses a webhook by itself, as it
//!   does after 24 hours of failed deliveries (204; 404 for an unknown id);
//! - `POST /_sandbox/superoffice/webhooks/{id}/too-many-errors`: SuperOffice sets a webhook's
//!   `State` to `TooManyErrors`, as it does after repeated failed deliveries (204; 404);
//! - `POST /_sandbox/seed` `{"vendor": "collect"|"saleshandy"|"superoffice"|"kajabi", "count": N}`
//!   with N from 0 to 20,000: adds N subscriptions to that vendor, shaped as its create stores
//!   them, with varied events, targets, names and states (200 `{"created": N}`; 400);
//! - `POST /_sandbox/deliveries` `{"vendor": "collect"|"saleshandy"|"superoffice"|"kajabi", "id":
//!   <the webhook's id, string or number>, "event": <optional: one of its events, by default its
//!   first>}`: the delivery the vendor would POST to that webhook's target, signed as its docs say,
//!   as a receiver would get it (200 `{"request", "headers", "body", "target_url", "event"}`:
//!   `request` the whole raw HTTP/1.1 request, `headers` its `[name, value]` pairs in order, `Host`
//!   first; 404 for an unknown id; 400). The sandbox sends nothing; the module `deliveries` says
//!   what each vendor's carries and which parts are the sandbox's choice;
//! - `POST /_sandbox/kajabi/token-lifetime` `{"expires_in": S}` with S from 1 to 31,536,000:
//!   Kajabi tokens issued from now on are valid for S seconds, not 7200 (204; 400);
//! - `POST /_sandbox/kajabi/expire-tokens`: every Kajabi token issued so far expires now, as if
//!   Kajabi had revoked them; the fixed demo token stays valid (204);
//! - `GET /_sandbox/kajabi/tokens`: `{"issued": n, "live": m}`, Kajabi token requests granted since
//!   the last reset and issued tokens still valid (200).

mod collect;
mod deliveries;
mod faults;
mod kajabi;
mod saleshandy;
mod seed;
mod store;
mod superoffice;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderName, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use faults::{Fault, FaultPlan};
pub use kajabi::KajabiTokens;
pub use store::Store;

/// The demo credentials the sandbox accepts; anything else is refused as the vendor would.
pub mod credentials {
    pub const COLLECT_API_KEY: &str = "sandbox-collect-key";
    /// Saleshandy's `x-api-key`.
    pub const SALESHANDY_API_KEY: &str = "sandbox-saleshandy-key";
    /// SuperOffice's Bearer token (SOTicket with an `SO-AppToken`, and Basic, are taken as given).
    pub const SUPEROFFICE_TOKEN: &str = "sandbox-superoffice-token";
    /// Kajabi's fixed demo Bearer token, valid forever (the app's built-in Kajabi connection uses
    /// it). The token request hands the client below fresh tokens that expire instead.
    pub const KAJABI_TOKEN: &str = "sandbox-kajabi-token";
    pub const KAJABI_CLIENT_ID: &str = "sandbox-kajabi-client";
    pub const KAJABI_CLIENT_SECRET: &str = "sandbox-kajabi-secret";
}

/// A vendor the sandbox serves: its id (the path name core and the schemas use), where below the
/// root, its routes, the events its create accepts (for SuperOffice, which checks the form of a
/// name rather than a list, the documented ones it seeds with) and the demo credential it takes.
pub struct Served {
    pub id: &'static str,
    pub base: &'static str,
    routes: fn() -> Router<Sandbox>,
    pub events: &'static [&'static str],
    pub credential: &'static str,
}

/// Every vendor the sandbox serves, one entry each (README, "Adding a vendor").
pub const SERVED: &[Served] = &[
    Served {
        id: "collect",
        base: "/collect/v1",
        routes: collect::routes,
        events: collect::EVENTS,
        credential: credentials::COLLECT_API_KEY,
    },
    Served {
        id: "saleshandy",
        base: "/saleshandy/v1",
        routes: saleshandy::routes,
        events: saleshandy::EVENTS,
        credential: credentials::SALESHANDY_API_KEY,
    },
    Served {
        id: "superoffice",
        base: superoffice::BASE,
        routes: superoffice::routes,
        events: superoffice::EVENTS,
        credential: credentials::SUPEROFFICE_TOKEN,
    },
    Served {
        id: "kajabi",
        base: kajabi::BASE,
        routes: kajabi::routes,
        events: kajabi::EVENTS,
        credential: credentials::KAJABI_TOKEN,
    },
];

/// The vendor the sandbox serves under this id.
pub fn served(vendor: &str) -> Option<&'static Served> {
    SERVED.iter().find(|s| s.id == vendor)
}

/// The event names a vendor's create accepts at the sandbox, by the vendor's id: for the test
/// that holds them to the schemas.
pub fn events(vendor: &str) -> Option<&'static [&'static str]> {
    served(vendor).map(|s| s.events)
}

/// Shared state: the vendors' subscriptions, the queued faults and the Kajabi tokens issued.
#[derive(Clone, Default)]
pub struct Sandbox {
    pub store: Arc<Mutex<Store>>,
    pub faults: Arc<Mutex<FaultPlan>>,
    pub kajabi_tokens: Arc<Mutex<KajabiTokens>>,
}

/// The whole sandbox as a router: vendors under `/<vendor>/...`, control under `/_sandbox/`.
pub fn router(sandbox: Sandbox) -> Router {
    let vendors = SERVED
        .iter()
        .fold(Router::new(), |router, vendor| {
            router.nest(vendor.base, (vendor.routes)())
        })
        .layer(axum::middleware::from_fn_with_state(
            sandbox.clone(),
            faults::inject,
        ))
        .layer(cors())
        .layer(axum::middleware::from_fn_with_state(
            sandbox.clone(),
            faults::refuse_cors,
        ));
    Router::new()
        .merge(vendors)
        .nest("/_sandbox", faults::control_routes().layer(cors()))
        .with_state(sandbox)
}

/// Any page origin may call the sandbox, as a vendor that allows CORS would answer it.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static("x-api-key"),
            HeaderName::from_static("so-apptoken"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(600))
}

/// Serves the sandbox on a bound listener until the process ends.
pub async fn serve(listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, router(Sandbox::default())).await
}
