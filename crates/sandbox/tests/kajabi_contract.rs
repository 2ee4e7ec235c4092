//! Kajabi through core's plans against the sandbox over real HTTP, beyond the cases every vendor
//! goes through in `contract.rs` (which include the emulated modify, pause and resume): the token
//! request and the tokens it issues expiring, a seeded list read page by page, the resource id and wildcard hooks, a rejected modify leaving the old hook, JSON:API
//! errors with their pointers, the sample payloads, and a rate limit.

mod support;

use hookpanel_core::auth::Token;
use hookpanel_core::vendors::spec;
use hookpanel_core::{
    Action, Call, Capability, Connection, Credentials, ListEnd, ListRead, Method, Outcome, Secret,
    VendorError, VendorId, decode,
};
use hookpanel_core::{decode_token, token_request};
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
        Err(VendorError::Rejected { problems, .. }) => problems
            .into_iter()
            .map(|p| p.pointer.into_owned())
            .collect(),
        other => panic!("expected 422, got {other:?}"),
    }
}

/// Asks for a token as core plans it, with the sandbox's client.
fn new_token(root: &str) -> Token {
    let request = token_request(
        VendorId::Kajabi,
        &base(root),
        "sandbox-kajabi-client",
        &Secret::new("sandbox-kajabi-secret"),
    )
    .expect("a token request");
    decode_token(VendorId::Kajabi, &support::send(&request)).expect("a token")
}

/// Whether a token signs in: a list read through core, or the 401 it gets.
fn signs_in(root: &str, token: &str) -> Result<(), VendorError> {
    call(&connection(root, token), Call::List { page: 1 }).map(|_| ())
}

/// The 401 Kajabi answers a token it no longer takes: JSON:API errors (vendors.md 4.5).
fn refused_as_expired(root: &str, token: &str) {
    assert!(
        matches!(signs_in(root, token), Err(VendorError::Unauthorized(_))),
        "{token} should be refused"
    );
    let auth = format!("Bearer {token}");
    let answer = support::raw(
        Method::Get,
        &format!("{}/hooks", base(root)),
        &[("Authorization", &auth)],
        None,
    );
    assert_eq!(answer.status, 401);
    let body: Value = serde_json::from_str(&answer.body).expect("JSON");
    assert_eq!(
        body,
        json!({"errors": [{
            "status": "401",
            "source": null,
            "title": "Unauthorized",
            "detail": "The access token is invalid or has expired.",
        }]})
    );
}

/// `GET /_sandbox/kajabi/tokens`: token requests granted, and issued tokens still valid.
fn token_counts(root: &str) -> Value {
    let (status, counts) =
        support::control_json(root, Method::Get, "/_sandbox/kajabi/tokens", None);
    assert_eq!(status, 200);
    counts
}

fn control_post(root: &str, path: &str, body: &str) -> u16 {
    support::control(root, path, body)
}

#[test]
fn the_token_request_gives_a_fresh_token_that_works() {
    let root = support::start();
    let token = new_token(&root);
    assert!(
        token
            .access_token
            .expose()
            .starts_with("sandbox-kajabi-issued-")
    );
    assert_ne!(token.access_token.expose(), TOKEN, "not the demo token");
    assert_eq!(token.token_type, "Bearer");
    assert_eq!(token.expires_in, Some(7200));
    // The token signs in.
    let conn = Connection {
        vendor: VendorId::Kajabi,
        base_url: base(&root),
        credentials: token.credentials(),
    };
    assert!(many(call(&conn, Call::List { page: 1 })).is_empty());
    // Each request issues another token.
    let second = new_token(&root);
    assert_ne!(second.access_token.expose(), token.access_token.expose());
    assert_eq!(signs_in(&root, second.access_token.expose()), Ok(()));

    let request = token_request(
        VendorId::Kajabi,
        &base(&root),
        "sandbox-kajabi-client",
        &Secret::new("nope"),
    )
    .expect("a token request");
    match decode_token(VendorId::Kajabi, &support::send(&request)) {
        Err(VendorError::Unauthorized(message)) => assert!(message.contains("invalid_client")),
        other => panic!("expected 401, got {other:?}"),
    }
    // The body is form-encoded: another grant, or no form at all, is a 400 with an OAuth error.
    let url = format!("{}/oauth/token", base(&root));
    let form = "application/x-www-form-urlencoded";
    let answer = support::raw(
        Method::Post,
        &url,
        &[],
        Some((form, "grant_type=password&client_id=sandbox-kajabi-client")),
    );
    assert_eq!(answer.status, 400);
    assert_eq!(
        serde_json::from_str::<Value>(&answer.body).expect("JSON"),
        json!({"error": "unsupported_grant_type"})
    );
    let answer = support::raw(
        Method::Post,
        &url,
        &[],
        Some((
            "application/json",
            r#"{"grant_type": "client_credentials"}"#,
        )),
    );
    assert_eq!(answer.status, 400);
    assert_eq!(
        serde_json::from_str::<Value>(&answer.body).expect("JSON"),
        json!({"error": "invalid_request"})
    );
    // Only the two granted requests were counted.
    assert_eq!(token_counts(&root), json!({"issued": 2, "live": 2}));
}

#[test]
fn issued_tokens_expire_when_kajabi_says_and_a_new_request_renews() {
    let root = support::start();
    let first = new_token(&root);
    let first = first.access_token.expose();
    assert_eq!(signs_in(&root, first), Ok(()));
    assert_eq!(token_counts(&root), json!({"issued": 1, "live": 1}));

    assert_eq!(
        control_post(&root, "/_sandbox/kajabi/expire-tokens", ""),
        204
    );
    refused_as_expired(&root, first);
    assert_eq!(token_counts(&root), json!({"issued": 1, "live": 0}));
    // The fixed demo token is not one Kajabi issued: it keeps working.
    assert_eq!(signs_in(&root, TOKEN), Ok(()));

    // A renewal gives a working token again; the expired one stays refused.
    let renewed = new_token(&root);
    let renewed = renewed.access_token.expose();
    assert_ne!(renewed, first);
    assert_eq!(signs_in(&root, renewed), Ok(()));
    refused_as_expired(&root, first);
    assert_eq!(token_counts(&root), json!({"issued": 2, "live": 1}));
}

#[test]
fn a_token_stops_working_when_its_lifetime_has_passed() {
    let root = support::start();
    let long = new_token(&root);
    assert_eq!(
        control_post(
            &root,
            "/_sandbox/kajabi/token-lifetime",
            r#"{"expires_in": 1}"#
        ),
        204
    );
    let short = new_token(&root);
    assert_eq!(short.expires_in, Some(1));
    let short = short.access_token.expose();
    assert_eq!(signs_in(&root, short), Ok(()));
    assert_eq!(token_counts(&root), json!({"issued": 2, "live": 2}));
    std::thread::sleep(std::time::Duration::from_millis(1500));
    refused_as_expired(&root, short);
    // The lifetime applies to tokens issued after it was set: the first one still works.
    assert_eq!(signs_in(&root, long.access_token.expose()), Ok(()));
    assert_eq!(signs_in(&root, TOKEN), Ok(()));
    assert_eq!(token_counts(&root), json!({"issued": 2, "live": 1}));
}

#[test]
fn reset_forgets_the_tokens_and_the_lifetime() {
    let root = support::start();
    assert_eq!(
        control_post(
            &root,
            "/_sandbox/kajabi/token-lifetime",
            r#"{"expires_in": 60}"#
        ),
        204
    );
    let before = new_token(&root);
    assert_eq!(before.expires_in, Some(60));
    assert_eq!(control_post(&root, "/_sandbox/reset", "{}"), 204);
    assert_eq!(token_counts(&root), json!({"issued": 0, "live": 0}));
    refused_as_expired(&root, before.access_token.expose());
    let after = new_token(&root);
    assert_eq!(after.expires_in, Some(7200), "the default lifetime is back");
    assert_ne!(
        after.access_token.expose(),
        before.access_token.expose(),
        "a token is never issued twice"
    );
    assert_eq!(signs_in(&root, after.access_token.expose()), Ok(()));
    assert_eq!(signs_in(&root, TOKEN), Ok(()));
}

#[test]
fn a_bad_token_lifetime_is_a_400() {
    let root = support::start();
    for body in [
        "",
        "7200",
        "{}",
        r#"{"expires_in": 0}"#,
        r#"{"expires_in": -5}"#,
        r#"{"expires_in": "60"}"#,
        r#"{"expires_in": 1.5}"#,
        r#"{"expires_in": 31536001}"#,
        r#"{"expires_in": 60, "lifetime": 60}"#,
    ] {
        let (status, answer) = support::control_json(
            &root,
            Method::Post,
            "/_sandbox/kajabi/token-lifetime",
            Some(body),
        );
        assert_eq!(status, 400, "{body}");
        assert!(
            answer["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{body}: {answer}"
        );
    }
    // Nothing changed: tokens still last the default.
    assert_eq!(new_token(&root).expires_in, Some(7200));
}

#[test]
fn a_seeded_list_is_read_page_by_page_to_its_end() {
    let root = support::start();
    let conn = connection(&root, TOKEN);
    support::seed(&root, "kajabi", 60);
    let (read, pages) = support::read_list(&conn, ListRead::default());
    assert_eq!(pages, [25, 25, 10], "three list requests");
    assert_eq!(read.end(), Some(ListEnd::Complete));
    let ids: Vec<u64> = read
        .items()
        .iter()
        .map(|s| s.id.parse().expect("a numeric id"))
        .collect();
    assert_eq!(ids.len(), 60);
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "distinct, in the order they were made: {ids:?}"
    );
    let created: Vec<&str> = read
        .items()
        .iter()
        .map(|s| s.created_at.as_deref().expect("a creation time"))
        .collect();
    assert!(created.windows(2).all(|w| w[0] < w[1]), "oldest first");

    let (bounded, pages) = support::read_list(&conn, ListRead::new(50));
    assert_eq!(pages, [25, 25]);
    assert_eq!(
        bounded.end(),
        Some(ListEnd::Bounded {
            total_count: Some(60)
        })
    );
    assert_eq!(bounded.items().len(), 50);
    assert_eq!(bounded.items(), &read.items()[..50]);
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
