//! Saleshandy through core's plans against the sandbox over real HTTP, beyond the cases every
//! vendor goes through in `contract.rs`: the test delivery on create passing and failing, an
//! unknown id, test being absent too, the bodies it rejects with its messages, a rate limit, and
//! the list's pages (`page`, `pageSize` as Saleshandy's clients list documents them).

mod support;

use hookpanel_core::vendors::spec;
use hookpanel_core::{
    Action, Call, Capability, Connection, Credentials, ListEnd, ListRead, Method, Secret,
    SubscriptionStatus, VendorError, VendorId,
};
use serde_json::{Value, json};
use support::{call, many, one};

fn connection(root: &str, key: &str) -> Connection {
    Connection {
        vendor: VendorId::Saleshandy,
        base_url: format!("{root}{}", spec(VendorId::Saleshandy).sandbox_path),
        credentials: Credentials::ApiKey {
            key: Secret::new(key),
        },
    }
}

fn draft(url: &str) -> Value {
    json!({
        "name": "Email Sent Webhook",
        "webhookUrl": url,
        "webhookEvent": ["email-sent", "reply-received"],
        "headers": {"X-Webhook-Source": "saleshandy"}
    })
}

#[test]
fn create_runs_a_test_delivery_and_keeps_the_headers() {
    let root = support::start();
    let conn = connection(&root, "sandbox-saleshandy-key");
    let d = draft("https://example.org/webhooks/email-sent");
    let created = one(call(&conn, Call::Create { draft: &d }));
    assert_eq!(created.raw["testDelivery"]["status"], "success");
    assert_eq!(created.raw["headers"]["X-Webhook-Source"], "saleshandy");
}

#[test]
fn a_failed_test_delivery_creates_it_paused_and_failing() {
    let root = support::start();
    let conn = connection(&root, "sandbox-saleshandy-key");
    let d = draft("https://hooks.example.invalid/in");
    let created = one(call(&conn, Call::Create { draft: &d }));
    assert_eq!(created.raw["status"], "paused");
    assert_eq!(created.raw["testDelivery"]["status"], "failed");
    assert_eq!(
        created.status,
        SubscriptionStatus::Failing("the test delivery failed".into())
    );
    // Read back, the webhook carries `failed` and `lastFailure` instead of `testDelivery`.
    let got = one(call(&conn, Call::Get { id: &created.id }));
    assert!(
        matches!(&got.status, SubscriptionStatus::Failing(why) if why.starts_with("deliveries failed")),
        "{:?}",
        got.status
    );
}

#[test]
fn getting_an_unknown_webhook_is_a_404() {
    let root = support::start();
    let conn = connection(&root, "sandbox-saleshandy-key");
    match call(
        &conn,
        Call::Get {
            id: "69fb3ac1eda582171eb74826",
        },
    ) {
        Err(VendorError::NotFound(message)) => assert_eq!(message, "Webhook not found"),
        other => panic!("expected 404, got {other:?}"),
    }
}

#[test]
fn test_is_absent_too() {
    assert!(matches!(
        spec(VendorId::Saleshandy).capability(Action::Test),
        Capability::Absent(_)
    ));
}

#[test]
fn bodies_saleshandy_rejects_are_a_400_with_its_message() {
    let root = support::start();
    let conn = connection(&root, "sandbox-saleshandy-key");
    let rejected = |d: Value, words: &str| match call(&conn, Call::Create { draft: &d }) {
        Err(VendorError::Rejected { message, .. }) => {
            assert!(message.contains(words), "{message:?} lacks {words:?}")
        }
        other => panic!("expected 400 for {d}, got {other:?}"),
    };
    let mut d = draft("https://example.org/in");
    d.as_object_mut().unwrap().remove("headers");
    rejected(d, "headers is required");
    let mut d = draft("https://example.org/in");
    d["webhookEvent"] = json!([]);
    rejected(d, "webhookEvent");
    let mut d = draft("https://example.org/in");
    d["webhookEvent"] = json!(["email-replied"]);
    rejected(d, "must be one of");
    let mut d = draft("https://example.org/in");
    d["webhookEvent"] = json!(["email-sent", "email-sent"]);
    rejected(d, "repeat");
    let mut d = draft("https://example.org/in");
    d["headers"] = json!({"X-Count": 3});
    rejected(d, "headers");
    let mut d = draft("https://example.org/in");
    d["name"] = json!("");
    rejected(d, "name");
    // Nothing was created.
    assert!(many(call(&conn, Call::List { page: 1 })).is_empty());
}

#[test]
fn a_rate_limit_comes_back_with_its_retry_after() {
    let root = support::start();
    let conn = connection(&root, "sandbox-saleshandy-key");
    support::fault(&root, "429", 1);
    assert!(matches!(
        call(&conn, Call::List { page: 1 }),
        Err(VendorError::RateLimited {
            retry_after: Some(7)
        })
    ));
    assert!(many(call(&conn, Call::List { page: 1 })).is_empty());
}

#[test]
fn reset_forgets_every_vendors_webhooks() {
    let root = support::start();
    let conn = connection(&root, "sandbox-saleshandy-key");
    let d = draft("https://example.org/webhooks/email-sent");
    one(call(&conn, Call::Create { draft: &d }));
    assert_eq!(support::control(&root, "/_sandbox/reset", "{}"), 204);
    assert!(many(call(&conn, Call::List { page: 1 })).is_empty());
}

#[test]
fn a_seeded_list_is_read_page_by_page_oldest_first() {
    let root = support::start();
    let conn = connection(&root, "sandbox-saleshandy-key");
    support::seed(&root, "saleshandy", 60);
    let (read, pages) = support::read_list(&conn, ListRead::default());
    assert_eq!(pages, [25, 25, 10], "three list requests");
    assert_eq!(read.end(), Some(ListEnd::Complete));
    let ids: Vec<&str> = read.items().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), 60);
    assert!(ids.windows(2).all(|w| w[0] != w[1]));

    // A webhook made now comes last, and the order is the same on every read.
    let d = draft("https://example.org/webhooks/email-sent");
    let newest = one(call(&conn, Call::Create { draft: &d }));
    let (again, pages) = support::read_list(&conn, ListRead::default());
    assert_eq!(pages, [25, 25, 11]);
    let again: Vec<&str> = again.items().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(again[..60], ids[..]);
    assert_eq!(again[60], newest.id);
}

#[test]
fn a_full_last_page_is_followed_by_an_empty_one() {
    let root = support::start();
    let conn = connection(&root, "sandbox-saleshandy-key");
    support::seed(&root, "saleshandy", 50);
    let (read, pages) = support::read_list(&conn, ListRead::default());
    // Saleshandy sends no count: only the empty third page says the second was the last.
    assert_eq!(pages, [25, 25, 0]);
    assert_eq!(read.end(), Some(ListEnd::Complete));
    assert_eq!(read.items().len(), 50);
}

#[test]
fn the_page_size_defaults_to_25_and_is_at_most_100() {
    let root = support::start();
    support::seed(&root, "saleshandy", 130);
    let base = format!("{root}{}", spec(VendorId::Saleshandy).sandbox_path);
    let page = |query: &str| -> Vec<String> {
        let answer = support::raw(
            Method::Get,
            &format!("{base}/webhook{query}"),
            &[("x-api-key", "sandbox-saleshandy-key")],
            None,
        );
        assert_eq!(answer.status, 200, "{query}: {}", answer.body);
        let body: Value = serde_json::from_str(&answer.body).expect("JSON");
        // The clients list's envelope: a message and the page, no count.
        let keys: Vec<&str> = body
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["message", "payload"], "{query}");
        body["payload"]
            .as_array()
            .expect("an array")
            .iter()
            .map(|h| h["id"].as_str().expect("an id").to_string())
            .collect()
    };
    let all = [page("?pageSize=100"), page("?page=2&pageSize=100")].concat();
    assert_eq!(all.len(), 130);
    assert_eq!(page("?pageSize=500"), all[..100], "above 100 is 100");
    assert_eq!(page("?pageSize=99999999999999999999999"), all[..100]);
    assert_eq!(page("?page=2&pageSize=130"), all[100..]);
    // No parameters, or ones that are not numbers or are 0: page 1 of 25.
    let first = all[..25].to_vec();
    for query in [
        "",
        "?page=1",
        "?pageSize=25",
        "?page=0",
        "?pageSize=0",
        "?page=abc&pageSize=ten",
        "?page=-1&pageSize=-25",
        "?page=&pageSize=",
    ] {
        assert_eq!(page(query), first, "{query:?}");
    }
    assert_eq!(page("?page=2"), all[25..50]);
    assert_eq!(page("?page=3&pageSize=40"), all[80..120]);
    assert_eq!(page("?page=4&pageSize=40"), all[120..]);
    assert_eq!(page("?page=2&pageSize=7"), all[7..14]);
    // Past the end: an empty page, not an error.
    assert_eq!(page("?page=6"), all[125..]);
    assert!(page("?page=7").is_empty());
    assert!(page("?page=3&pageSize=100").is_empty());
    assert!(page("?page=99999999999999999999999").is_empty());
}
