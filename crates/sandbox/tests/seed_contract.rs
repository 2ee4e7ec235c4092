//! The control API's seed, through core's plans where the vendor can list: what a bad body gets,
//! that reset forgets what was seeded, that seeded subscriptions have the shape the vendor's own
//! create stores (and the variety an account of that size has), and that a large seed is quick.

mod support;

use std::collections::BTreeSet;

use hookpanel_core::vendors::spec;
use hookpanel_core::{
    Call, Connection, ListRead, Method, Subscription, SubscriptionStatus, VendorId,
};
use serde_json::{Value, json};
use support::{call, many, one};

fn connection(root: &str, vendor: VendorId) -> Connection {
    let credentials = spec(vendor)
        .sandbox_credentials()
        .expect("the sandbox signs in without a token request");
    Connection {
        vendor,
        base_url: format!("{root}{}", spec(vendor).sandbox_path),
        credentials,
    }
}

/// Everything a vendor that lists has, read as the app reads it.
fn everything(root: &str, vendor: VendorId) -> Vec<Subscription> {
    support::read_list(&connection(root, vendor), ListRead::default())
        .0
        .into_items()
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn host(url: &str) -> String {
    url.split('/').nth(2).unwrap_or_default().to_string()
}

/// The hosts, events and names of a list, each counted once.
fn variety(subs: &[Subscription], name: &str) -> (usize, usize, usize) {
    let hosts: BTreeSet<String> = subs
        .iter()
        .filter_map(|s| s.target_url.as_deref().map(host))
        .collect();
    let events: BTreeSet<&String> = subs.iter().flat_map(|s| &s.events).collect();
    let names: BTreeSet<&str> = subs.iter().filter_map(|s| s.raw[name].as_str()).collect();
    (hosts.len(), events.len(), names.len())
}

#[test]
fn a_bad_seed_body_is_a_400_with_a_message() {
    let root = support::start();
    for body in [
        "",
        "not json",
        "[]",
        r#"{"count": 5}"#,
        r#"{"vendor": "hubspot", "count": 5}"#,
        r#"{"vendor": "Kajabi", "count": 5}"#,
        r#"{"vendor": 4, "count": 5}"#,
        r#"{"vendor": "kajabi"}"#,
        r#"{"vendor": "kajabi", "count": -1}"#,
        r#"{"vendor": "kajabi", "count": 2.5}"#,
        r#"{"vendor": "kajabi", "count": "5"}"#,
        r#"{"vendor": "kajabi", "count": 20001}"#,
        r#"{"vendor": "kajabi", "count": 5, "state": "Active"}"#,
    ] {
        let (status, answer) =
            support::control_json(&root, Method::Post, "/_sandbox/seed", Some(body));
        assert_eq!(status, 400, "{body}");
        assert!(
            answer["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}: {answer}"
        );
    }
    assert!(everything(&root, VendorId::Kajabi).is_empty());
}

#[test]
fn seed_then_reset_leaves_nothing() {
    let root = support::start();
    // Collect has no list or get: its ids repeat after a reset (the store's ids are deterministic),
    // so the first seeded webhook has the id a first create gets.
    let collect = connection(&root, VendorId::Collect);
    let made = json!({"targetUrl": "https://yourserver.com/collect-hook"});
    let first_id = one(call(&collect, Call::Create { draft: &made })).id;
    assert_eq!(support::control(&root, "/_sandbox/reset", "{}"), 204);
    let collect_url = format!("{}/webhooks/{first_id}", collect.base_url);
    let auth = [(
        "Authorization",
        "Basic OnNhbmRib3gtY29sbGVjdC1rZXk=", // base64(":sandbox-collect-key")
    )];
    let read_collect = || {
        support::raw(
            Method::Post,
            &collect_url,
            &auth,
            Some(("application/json", "{}")),
        )
    };

    for (vendor, name) in [
        (VendorId::Collect, "collect"),
        (VendorId::Saleshandy, "saleshandy"),
        (VendorId::SuperOffice, "superoffice"),
        (VendorId::Kajabi, "kajabi"),
    ] {
        support::seed(&root, name, 30);
        if vendor != VendorId::Collect {
            assert_eq!(everything(&root, vendor).len(), 30, "{name}");
        }
    }
    assert_eq!(read_collect().status, 200, "the seeded Collect webhook");

    assert_eq!(support::control(&root, "/_sandbox/reset", "{}"), 204);
    for vendor in [
        VendorId::Saleshandy,
        VendorId::SuperOffice,
        VendorId::Kajabi,
    ] {
        assert!(everything(&root, vendor).is_empty(), "{vendor:?}");
    }
    assert_eq!(read_collect().status, 404);
}

#[test]
fn seeded_subscriptions_have_the_shape_the_vendors_create_stores() {
    let root = support::start();

    // Saleshandy: as a created webhook reads back, active, or paused with its last failure.
    let conn = connection(&root, VendorId::Saleshandy);
    let draft = |url: &str| json!({"name": "Made", "webhookUrl": url, "webhookEvent": ["email-sent"], "headers": {}});
    let ok = one(call(
        &conn,
        Call::Create {
            draft: &draft("https://example.org/in"),
        },
    ));
    let bad = one(call(
        &conn,
        Call::Create {
            draft: &draft("https://nowhere.invalid/in"),
        },
    ));
    let ok = one(call(&conn, Call::Get { id: &ok.id })).raw;
    let bad = one(call(&conn, Call::Get { id: &bad.id })).raw;
    support::seed(&root, "saleshandy", 60);
    let seeded = &everything(&root, VendorId::Saleshandy)[2..];
    for s in seeded {
        assert!(
            s.id.len() == 24 && s.id.chars().all(|c| c.is_ascii_hexdigit()),
            "{}",
            s.id
        );
        let like = if s.raw["status"] == "paused" {
            &bad
        } else {
            &ok
        };
        assert_eq!(keys(&s.raw), keys(like), "{}", s.raw);
        assert_eq!(keys(&s.raw["lastFailure"]), keys(&like["lastFailure"]));
        let got = one(call(&conn, Call::Get { id: &s.id }));
        assert_eq!(got.raw, s.raw, "read back by id");
    }
    assert!(
        seeded
            .iter()
            .any(|s| s.status == SubscriptionStatus::Active)
    );
    assert!(seeded.iter().any(|s| {
        matches!(&s.status, SubscriptionStatus::Failing(why) if why.starts_with("deliveries failed"))
    }));
    let (hosts, events, names) = variety(seeded, "name");
    assert!(
        hosts >= 3 && events >= 5 && names == 60,
        "{hosts} {events} {names}"
    );

    // SuperOffice: the entity's fields, with Active, Stopped and a few TooManyErrors.
    let conn = connection(&root, VendorId::SuperOffice);
    let made = json!({"Name": "Made", "Events": ["contact.created"],
        "TargetUrl": "https://hooks.example.com/made"});
    let made = one(call(&conn, Call::Create { draft: &made })).raw;
    support::seed(&root, "superoffice", 100);
    let seeded = &everything(&root, VendorId::SuperOffice)[1..];
    for s in seeded {
        assert!(s.id.parse::<i32>().is_ok_and(|id| id > 0), "{}", s.id);
        assert_eq!(keys(&s.raw), keys(&made), "{}", s.raw);
        assert_eq!(
            keys(&s.raw["RegisteredAssociate"]),
            keys(&made["RegisteredAssociate"])
        );
    }
    let state = |name: &str| seeded.iter().filter(|s| s.raw["State"] == name).count();
    assert!(state("Active") > state("Stopped"), "mostly Active");
    assert!(state("Stopped") > state("TooManyErrors") && state("TooManyErrors") > 0);
    assert_eq!(
        state("Active") + state("Stopped") + state("TooManyErrors"),
        100
    );
    let (hosts, events, names) = variety(seeded, "Name");
    assert!(
        hosts >= 3 && events >= 5 && names == 100,
        "{hosts} {events} {names}"
    );
    // A seeded webhook can be saved back as it was read, as a created one can.
    let first = &seeded[0];
    let saved = one(call(
        &conn,
        Call::Modify {
            id: &first.id,
            draft: &first.raw,
        },
    ));
    assert_eq!(saved.events, first.events);

    // Kajabi: a JSON:API hook with its attributes and site; wildcards and resources both.
    let conn = connection(&root, VendorId::Kajabi);
    let made = json!({"data": {"type": "hooks",
        "attributes": {"target_url": "https://example.com/made", "event": "purchase", "resource_id": 7},
        "relationships": {"site": {"data": {"id": "456", "type": "sites"}}}}});
    let made = one(call(&conn, Call::Create { draft: &made })).raw;
    support::seed(&root, "kajabi", 60);
    let seeded = &everything(&root, VendorId::Kajabi)[1..];
    for s in seeded {
        assert!(s.id.parse::<u64>().is_ok(), "{}", s.id);
        assert_eq!(keys(&s.raw), keys(&made), "{}", s.raw);
        assert_eq!(keys(&s.raw["attributes"]), keys(&made["attributes"]));
        assert_eq!(s.raw["relationships"], made["relationships"]);
        assert!(
            s.raw["attributes"]["resource_id"].is_null()
                || s.raw["attributes"]["resource_id"].is_u64()
        );
    }
    assert!(
        seeded
            .iter()
            .any(|s| s.raw["attributes"]["resource_id"].is_null())
    );
    assert!(
        seeded
            .iter()
            .any(|s| s.raw["attributes"]["resource_id"].is_u64())
    );
    let (hosts, events, _) = variety(seeded, "");
    assert!(hosts >= 3 && events == 6, "{hosts} {events}");

    // Collect: the first seeded webhook after a reset has the id a first create gets (see
    // `seed_then_reset_leaves_nothing`); it reads back, through a modify that changes nothing,
    // with the fields a create stores.
    let conn = connection(&root, VendorId::Collect);
    assert_eq!(support::control(&root, "/_sandbox/reset", "{}"), 204);
    let made = json!({"targetUrl": "https://yourserver.com/collect-hook",
        "types": ["created"], "campaignId": "sGyGrNPDxQDy6ZRAm"});
    let made = one(call(&conn, Call::Create { draft: &made }));
    assert_eq!(support::control(&root, "/_sandbox/reset", "{}"), 204);
    support::seed(&root, "collect", 10);
    let answer = support::raw(
        Method::Post,
        &format!("{}/webhooks/{}", conn.base_url, made.id),
        &[("Authorization", "Basic OnNhbmRib3gtY29sbGVjdC1rZXk=")],
        Some(("application/json", "{}")),
    );
    assert_eq!(answer.status, 200);
    let seeded: Value = serde_json::from_str(&answer.body).expect("JSON");
    assert_eq!(keys(&seeded), keys(&made.raw), "{seeded}");
    assert_eq!(seeded["_id"], made.raw["_id"]);
    assert!(
        seeded["createdAt"]
            .as_str()
            .is_some_and(|t| t.ends_with(" UTC"))
    );
}

#[test]
fn ten_thousand_and_twenty_thousand_are_seeded_whole() {
    let root = support::start();
    // How long seeding takes is for benchmarks; this holds that every item is there.
    for vendor in ["collect", "saleshandy", "superoffice", "kajabi"] {
        support::seed(&root, vendor, 10_000);
    }
    support::seed(&root, "kajabi", 20_000);
    let conn = connection(&root, VendorId::Kajabi);
    let first = many(call(&conn, Call::List { page: 1 }));
    assert_eq!(first.len(), 25);
    let answer = support::raw(
        Method::Get,
        &format!("{}/hooks", conn.base_url),
        &[("Authorization", "Bearer sandbox-kajabi-token")],
        None,
    );
    let body: Value = serde_json::from_str(&answer.body).expect("JSON");
    assert_eq!(body["meta"]["total_count"], 30_000);
}
