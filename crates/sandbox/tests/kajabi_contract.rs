//! Kajabi through core's plans against the sandbox over real HTTP, beyond the cases every vendor
//! goes through in `contract.rs` (which include the emulated modify, pause and resume): the token
//! request, the resource id and wildcard hooks, a rejected modify leaving the old hook, JSON:API
//! errors with their pointers, the sample payloads, and a rate limit.

mod support;

use hookpanel_core::vendors::{decode_kajabi_token, kajabi_token_request, spec};
use hookpanel_core::{
    Action, Call, Capability, Connection, Credentials, Method, Outcome, Secret, VendorError,
    VendorId, decode,
};
use serde_json::{Value, json};
use support::{call, many, one, run_steps};

const TOKEN: &str = "sandbox-kajabi-token";

fn base(root: &str) -> String {
    format!("{root}{}", spec(VendorId::Kajabi).sandbox_path)
}

fn connection(root: &str, token: &str) -> Connection {
    Connection {
        vendor: VendorId::Kajabi,
        base_url: base(root),
        credentials: Credentials::Bearer {
            token: Secret::new(token),
        },
    }
}

fn draft(event: &str, url: &str) -> Value {
    json!({
        "data": {
            "type": "hooks",
            "attributes": {"target_url": url, "event": event, "resource_id": "123"},
            "relationships": {"site": {"data": {"id": "456", "type": "sites"}}}
        }
    })
}

fn problems_at(outcome: Result<Outcome, VendorError>) -> Vec<String> {
    match outcome {
        Err(VendorError::Rejected { problems, .. }) => {
            problems.into_iter().map(|p| p.pointer).collect()
        }
        other => panic!("expected 422, got {other:?}"),
    }
}

#[test]
fn the_token_request_gives_the_sandbox_token() {
    let root = support::start();
    let request = kajabi_token_request(
        &base(&root),
        "sandbox-kajabi-client",
        &Secret::new("sandbox-kajabi-secret"),
    )
    .expect("a token request");
    let token = decode_kajabi_token(&support::send(&request)).expect("a token");
    assert_eq!(token.access_token.expose(), TOKEN);
    assert_eq!(token.token_type, "Bearer");
    assert_eq!(token.expires_in, Some(7200));
    // The token signs in.
    let conn = Connection {
        vendor: VendorId::Kajabi,
        base_url: base(&root),
        credentials: token.credentials(),
    };
    assert!(many(call(&conn, Call::List { page: 1 })).is_empty());

    let request = kajabi_token_request(&base(&root), "sandbox-kajabi-client", &Secret::new("nope"))
        .expect("a token request");
    match decode_kajabi_token(&support::send(&request)) {
        Err(VendorError::Unauthorized(message)) => assert!(message.contains("invalid_client")),
        other => panic!("expected 401, got {other:?}"),
    }
}

#[test]
fn the_resource_id_is_sent_as_an_integer_and_a_wildcard_has_none() {
    let root = support::start();
    let conn = connection(&root, TOKEN);
    let d = draft("tag_added", "https://example.com/webhook");
    let created = one(call(&conn, Call::Create { draft: &d }));
    // Core sends seed 004's "123" as the integer the spec types it as; the sandbox would refuse text.
    assert_eq!(created.raw["attributes"]["resource_id"], json!(123));
    assert_eq!(created.raw["relationships"]["site"]["data"]["id"], "456");

    let wildcard = json!({"data": {"type": "hooks",
        "attributes": {"target_url": "https://example.com/forms", "event": "form_submission"},
        "relationships": {"site": {"data": {"id": "456", "type": "sites"}}}}});
    let second = one(call(&conn, Call::Create { draft: &wildcard }));
    assert_eq!(second.raw["attributes"]["resource_id"], Value::Null);

    let listed = many(call(&conn, Call::List { page: 1 }));
    assert_eq!(
        listed.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        [created.id.as_str(), second.id.as_str()]
    );
    let got = one(call(&conn, Call::Get { id: &created.id }));
    assert_eq!(got.raw, created.raw);
}

#[test]
fn a_rejected_modify_leaves_the_old_hook_working() {
    let root = support::start();
    let conn = connection(&root, TOKEN);
    let d = draft("tag_added", "https://example.com/webhook");
    let old = one(call(&conn, Call::Create { draft: &d }));
    let change = draft("tag_changed", "https://example.com/other");
    let outcome = run_steps(
        &conn,
        Call::Modify {
            id: &old.id,
            draft: &change,
        },
    );
    assert_eq!(problems_at(outcome), ["/data/attributes/event"]);
    let now = many(call(&conn, Call::List { page: 1 }));
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].id, old.id);
}

#[test]
fn test_is_absent() {
    assert!(matches!(
        spec(VendorId::Kajabi).capability(Action::Test),
        Capability::Absent(_)
    ));
}

#[test]
fn invalid_hooks_are_a_422_pointing_at_the_field() {
    let root = support::start();
    let conn = connection(&root, TOKEN);
    let create = |d: &Value| call(&conn, Call::Create { draft: d });
    assert_eq!(
        problems_at(create(&draft("tag_changed", "https://example.com/webhook"))),
        ["/data/attributes/event"]
    );
    let mut d = draft("tag_added", "https://example.com/webhook");
    d["data"]["attributes"]["resource_id"] = json!("tag-123");
    assert_eq!(problems_at(create(&d)), ["/data/attributes/resource_id"]);
    let mut d = draft("tag_added", "https://example.com/webhook");
    d["data"].as_object_mut().unwrap().remove("relationships");
    d["data"]["type"] = json!("webhooks");
    assert_eq!(
        problems_at(create(&d)),
        ["/data/type", "/data/relationships/site"]
    );
    let mut d = draft("tag_added", "https://example.com/webhook");
    d["data"]["attributes"]
        .as_object_mut()
        .unwrap()
        .remove("target_url");
    assert_eq!(problems_at(create(&d)), ["/data/attributes/target_url"]);
    assert_eq!(problems_at(create(&json!({"type": "hooks"}))), ["/data"]);
    assert!(many(call(&conn, Call::List { page: 1 })).is_empty());
}

#[test]
fn a_missing_token_is_refused_with_json_api_errors() {
    let root = support::start();
    let answer = support::raw(Method::Get, &format!("{}/hooks", base(&root)), &[], None);
    assert_eq!(answer.status, 401);
    let body: Value = serde_json::from_str(&answer.body).expect("JSON");
    assert_eq!(body["errors"][0]["status"], "401");
    assert_eq!(body["errors"][0]["title"], "Unauthorized");
}

#[test]
fn samples_pagination_and_filter() {
    let root = support::start();
    let conn = connection(&root, TOKEN);
    let auth = format!("Bearer {TOKEN}");
    let get = |path: &str| {
        support::raw(
            Method::Get,
            &format!("{}{path}", base(&root)),
            &[("Authorization", &auth)],
            None,
        )
    };
    for event in [
        "purchase",
        "payment_succeeded",
        "order_created",
        "form_submission",
        "tag_added",
        "tag_removed",
    ] {
        let answer = get(&format!("/hooks/{event}_sample"));
        assert_eq!(answer.status, 200, "{event}");
        let body: Value = serde_json::from_str(&answer.body).expect("JSON");
        // The spec's 200 schema is the bare payload array, what a delivery's `payload` holds.
        assert!(body.as_array().is_some_and(|a| !a.is_empty()), "{event}");
    }
    assert_eq!(get("/hooks/tag_changed_sample").status, 404);

    for (event, url) in [
        ("tag_added", "https://example.com/1"),
        ("purchase", "https://example.com/2"),
        ("tag_added", "https://example.com/3"),
    ] {
        one(call(
            &conn,
            Call::Create {
                draft: &draft(event, url),
            },
        ));
    }
    let answer = get("/hooks?page%5Bnumber%5D=2&page%5Bsize%5D=2");
    let body: Value = serde_json::from_str(&answer.body).expect("JSON");
    assert_eq!(
        body["meta"],
        json!({"total_pages": 2, "total_count": 3, "current_page": 2})
    );
    assert_eq!(body["data"].as_array().map(Vec::len), Some(1));
    assert!(body["links"]["next"].is_null());
    assert!(body["links"]["prev"].is_string());
    let answer = get("/hooks?filter%5Bevent_eq%5D=tag_added");
    let hooks = many(decode(VendorId::Kajabi, Action::List, &answer));
    assert_eq!(hooks.len(), 2);
    assert!(hooks.iter().all(|h| h.events == ["tag_added"]));
}

#[test]
fn a_rate_limit_comes_back_with_its_retry_after() {
    let root = support::start();
    let conn = connection(&root, TOKEN);
    support::fault(&root, "429", 1);
    let d = draft("tag_added", "https://example.com/webhook");
    assert!(matches!(
        call(&conn, Call::Create { draft: &d }),
        Err(VendorError::RateLimited {
            retry_after: Some(7)
        })
    ));
    assert!(many(call(&conn, Call::List { page: 1 })).is_empty());
}
