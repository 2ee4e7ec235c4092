//! The control API's seed: `POST /_sandbox/seed {"vendor", "count"}` adds `count` subscriptions to
//! one vendor's store at once, so the app can be tried on an account of a real size.
//!
//! Each is built by the vendor module's own record builder, so it has exactly the shape that
//! vendor's create would have stored, with an id from the store's usual generator. The variety is
//! deterministic, from the subscription's number: events from the vendor's own list, targets on a
//! handful of hosts (none of which fails the sandbox's stand-in for a test delivery), names where
//! the vendor has names, creation times half an hour apart up to a minute ago (so one seed's run
//! oldest first, though two seeds' interleave), and a mix of states
//! where the vendor has them (Collect: active, some paused; Saleshandy: active, some paused after
//! failed deliveries with their `lastFailure`; SuperOffice: mostly `Active`, some `Stopped`, a few
//! `TooManyErrors`; Kajabi hooks have no state).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::store::Store;
use crate::{Sandbox, collect, kajabi, saleshandy, superoffice};

/// The most subscriptions one seed request adds.
pub(crate) const MAX_SEED: u64 = 20_000;

/// Where seeded targets point, with a path on each.
const TARGETS: &[(&str, &str)] = &[
    ("hooks.example.com", "/in"),
    ("crm.example.org", "/webhooks/crm"),
    ("4f2a-198-51-100-7.ngrok-free.app", "/hook"),
    ("automation.example.net", "/webhook/relay"),
    ("api.acme.test", "/v2/events"),
];

/// What seeded webhooks are for, in their names.
const PURPOSES: &[&str] = &[
    "CRM sync",
    "Reply alerts",
    "Bounce tracker",
    "Slack notifications",
    "Data warehouse",
    "Zapier relay",
    "Lead scoring",
    "Support inbox",
];

#[derive(Clone, Copy)]
enum Vendor {
    Collect,
    Saleshandy,
    SuperOffice,
    Kajabi,
}

fn bad(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "message": message.into() })),
    )
        .into_response()
}

const SHAPE: &str =
    r#"the body is {"vendor": "collect"|"saleshandy"|"superoffice"|"kajabi", "count": N}"#;

/// Reads a seed body, or says what is wrong with it.
fn parse(body: &str) -> Result<(Vendor, u64), String> {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(body) else {
        return Err(format!("the body must be a JSON object: {SHAPE}"));
    };
    if let Some(key) = map
        .keys()
        .find(|k| !matches!(k.as_str(), "vendor" | "count"))
    {
        return Err(format!("unknown field {key}: {SHAPE}"));
    }
    let vendor = match map.get("vendor").and_then(Value::as_str) {
        Some("collect") => Vendor::Collect,
        Some("saleshandy") => Vendor::Saleshandy,
        Some("superoffice") => Vendor::SuperOffice,
        Some("kajabi") => Vendor::Kajabi,
        Some(other) => return Err(format!("unknown vendor {other:?}: {SHAPE}")),
        None => return Err(format!("vendor is required: {SHAPE}")),
    };
    let count = match map.get("count") {
        Some(n) => n
            .as_u64()
            .filter(|n| *n <= MAX_SEED)
            .ok_or_else(|| format!("count must be a whole number from 0 to {MAX_SEED}"))?,
        None => return Err(format!("count is required: {SHAPE}")),
    };
    Ok((vendor, count))
}

/// Control: adds `count` subscriptions to a vendor's store; `{"created": count}`.
pub(crate) async fn seed(State(sandbox): State<Sandbox>, body: String) -> Response {
    let (vendor, count) = match parse(&body) {
        Ok(request) => request,
        Err(why) => return bad(why),
    };
    let Ok(mut store) = sandbox.store.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let added = match vendor {
        Vendor::Collect => seed_collect(&mut store, count),
        Vendor::Saleshandy => seed_saleshandy(&mut store, count),
        Vendor::SuperOffice => seed_superoffice(&mut store, count),
        Vendor::Kajabi => seed_kajabi(&mut store, count),
    };
    match added {
        Ok(()) => Json(json!({ "created": count })).into_response(),
        Err(why) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({ "message": format!("a seeded webhook was refused: {why}") })),
        )
            .into_response(),
    }
}

/// One seeded subscription's place: `n` counts the vendor's subscriptions from 1, `age` is how
/// many seconds ago it was made (the first of a batch the longest ago).
struct Slot {
    i: usize,
    n: usize,
    age: i64,
}

fn slots(already: usize, count: u64) -> impl Iterator<Item = Slot> {
    let count = usize::try_from(count).unwrap_or(0);
    (0..count).map(move |i| Slot {
        i,
        n: already + i + 1,
        age: i64::try_from(count - i).unwrap_or(0) * 1800 + 60,
    })
}

fn target(slot: &Slot, vendor: &str) -> String {
    let (host, path) = TARGETS[slot.i % TARGETS.len()];
    format!("https://{host}{path}/{vendor}/{}", slot.n)
}

fn name(slot: &Slot) -> String {
    format!("{} {}", PURPOSES[(slot.i / 3) % PURPOSES.len()], slot.n)
}

/// One to `most` different events from a vendor's list, varying with the slot.
fn events(slot: &Slot, list: &[&str], most: usize) -> Value {
    let start = slot.i.wrapping_mul(7) % list.len();
    let how_many = 1 + slot.i % most.clamp(1, list.len());
    Value::Array(
        (0..how_many)
            .map(|k| Value::String(list[(start + k) % list.len()].into()))
            .collect(),
    )
}

fn text(s: impl Into<String>) -> Value {
    Value::String(s.into())
}

fn seed_collect(store: &mut Store, count: u64) -> Result<(), String> {
    for slot in slots(store.collect.len(), count) {
        let id = store.meteor_id();
        let mut body = Map::with_capacity(4);
        body.insert("targetUrl".into(), text(target(&slot, "collect")));
        body.insert("types".into(), events(&slot, collect::EVENTS, 4));
        if slot.i % 3 == 0 {
            body.insert("campaignId".into(), text(store.meteor_id()));
        }
        if slot.i % 4 == 1 {
            body.insert(
                "secretToken".into(),
                text(format!("seeded-secret-{}", slot.n)),
            );
        }
        let mut hook = collect::record(&id, &body, &store.timestamp_ago(slot.age));
        // Paused since, by the admin or by Collect after a day of failed deliveries.
        if slot.i % 8 == 7 {
            hook["status"] = text("paused");
        }
        store.collect.insert(id, hook);
    }
    Ok(())
}

fn seed_saleshandy(store: &mut Store, count: u64) -> Result<(), String> {
    const FAILURES: &[(u16, &str)] = &[
        (500, "The webhook URL answered 500 Internal Server Error."),
        (404, "The webhook URL answered 404 Not Found."),
        (0, "The webhook URL could not be reached."),
        (410, "The webhook URL answered 410 Gone."),
        (503, "The webhook URL answered 503 Service Unavailable."),
    ];
    for slot in slots(store.saleshandy.len(), count) {
        let id = store.object_id();
        let mut headers = Map::with_capacity(1);
        match slot.i % 3 {
            0 => {}
            1 => {
                headers.insert("X-Webhook-Source".into(), text("saleshandy"));
            }
            _ => {
                headers.insert(
                    "Authorization".into(),
                    text(format!("Bearer seeded-secret-{}", slot.n)),
                );
            }
        }
        let failure = (slot.i % 6 == 5).then(|| {
            let (status_code, message) = FAILURES[(slot.i / 6) % FAILURES.len()];
            saleshandy::Failure {
                failed_at: store.rfc3339_ago(slot.age / 3),
                status_code,
                message,
            }
        });
        let hook = saleshandy::record(
            &id,
            text(name(&slot)),
            &target(&slot, "saleshandy"),
            events(&slot, saleshandy::EVENTS, 3),
            Value::Object(headers),
            failure,
        );
        store.saleshandy.insert(id, hook);
    }
    Ok(())
}

fn seed_superoffice(store: &mut Store, count: u64) -> Result<(), String> {
    for slot in slots(store.superoffice.len(), count) {
        let id = i64::try_from(store.number()).map_err(|_| "the ids ran out".to_string())?;
        let state = if slot.i % 10 >= 8 {
            "Stopped"
        } else {
            "Active"
        };
        let secret = if slot.i % 2 == 0 {
            format!("seeded-secret-{}", slot.n)
        } else {
            String::new()
        };
        let mut headers = Map::with_capacity(1);
        if slot.i % 4 == 0 {
            headers.insert("X-Source".into(), text("hookpanel"));
        }
        let mut properties = Map::with_capacity(1);
        if slot.i % 5 == 0 {
            properties.insert("tenant".into(), text("Cust12345"));
        }
        let errors_email = if slot.i % 3 == 0 {
            "ops@example.com"
        } else {
            ""
        };
        // Room for the fields the store adds, so the map is made once.
        let mut def = Map::with_capacity(14);
        def.insert("Name".into(), text(name(&slot)));
        def.insert("Events".into(), events(&slot, superoffice::EVENTS, 3));
        def.insert("TargetUrl".into(), text(target(&slot, "superoffice")));
        def.insert("Secret".into(), text(secret));
        def.insert("State".into(), text(state));
        def.insert("Type".into(), text("webhook"));
        def.insert("Headers".into(), Value::Object(headers));
        def.insert("Properties".into(), Value::Object(properties));
        def.insert("ErrorsEmail".into(), text(errors_email));
        let registered = store.rfc3339_ago(slot.age);
        let updated = store.rfc3339_ago(slot.age / 2);
        let mut hook = superoffice::seeded(def, id, &registered, &updated)?;
        // SuperOffice stopped these by itself after repeated failed deliveries.
        if slot.i % 25 == 12 {
            hook["State"] = text("TooManyErrors");
        }
        store.superoffice.insert(id, hook);
    }
    Ok(())
}

fn seed_kajabi(store: &mut Store, count: u64) -> Result<(), String> {
    let site = kajabi::relationships(text("456"), text("sites"));
    for slot in slots(store.kajabi.len(), count) {
        let id = store.number();
        let event = kajabi::EVENTS[(slot.i * 5 + slot.i / 6) % kajabi::EVENTS.len()];
        // A hook on one offer, form or tag, or on every one (no resource).
        let resource_id = if slot.i % 3 == 0 {
            Value::Null
        } else {
            Value::from(1000 + (slot.i * 37) % 900)
        };
        let hook = kajabi::record(
            id,
            text(event),
            text(target(&slot, "kajabi")),
            resource_id,
            site.clone(),
            &store.rfc3339_ago(slot.age),
        );
        store.kajabi.insert(id, hook);
    }
    Ok(())
}
