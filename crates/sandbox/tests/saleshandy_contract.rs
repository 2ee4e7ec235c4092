//! Saleshandy through core's plans against the sandbox over real HTTP, beyond the cases every
//! vendor goes through in `contract.rs`: the test delivery on create passing and failing, an
//! unknown id, test being absent too, the bodies it rejects with its messages, and a rate limit.

mod support;

use hookpanel_core::vendors::spec;
use hookpanel_core::{
    Action, Call, Capability, Connection, Credentials, Secret, SubscriptionStatus, VendorError,
    VendorId,
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
