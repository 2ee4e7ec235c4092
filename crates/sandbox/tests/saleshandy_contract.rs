//! Saleshandy through core's plans against the sandbox over real HTTP: create (with its test
//! delivery passing and failing), list, get, the actions the API lacks, bad auth, bad bodies, and
//! a rate limit.

mod support;

use hookpanel_core::vendors::spec;
use hookpanel_core::{
    Action, Call, Capability, Connection, Credentials, Outcome, PlanError, Secret,
    SubscriptionStatus, VendorError, VendorId, decode, plan, plan_steps,
};
use serde_json::{Value, json};
use support::{many, one};

fn connection(root: &str, key: &str) -> Connection {
    Connection {
        vendor: VendorId::Saleshandy,
        base_url: format!("{root}{}", spec(VendorId::Saleshandy).sandbox_path),
        credentials: Credentials::ApiKey {
            key: Secret::new(key),
        },
    }
}

fn call(conn: &Connection, call: Call<'_>) -> Result<Outcome, VendorError> {
    let request = plan(conn, call).expect("a plan");
    decode(conn.vendor, call.action(), &support::send(&request))
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
fn create_then_list_and_get() {
    let root = support::start();
    let conn = connection(&root, "sandbox-saleshandy-key");
    let d = draft("https://example.org/webhooks/email-sent");
    let created = one(call(&conn, Call::Create { draft: &d }));
    assert_eq!(created.id.len(), 24);
    assert!(created.id.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(created.status, SubscriptionStatus::Active);
    assert_eq!(created.events, ["email-sent", "reply-received"]);
    assert_eq!(created.raw["testDelivery"]["status"], "success");
    assert_eq!(created.raw["headers"]["X-Webhook-Source"], "saleshandy");

    let listed = many(call(&conn, Call::List));
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, created.id);
    assert_eq!(listed[0].target_url, created.target_url);

    let got = one(call(&conn, Call::Get { id: &created.id }));
    assert_eq!(got.id, created.id);
    assert_eq!(got.status, SubscriptionStatus::Active);
    assert_eq!(got.events, created.events);
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
fn modify_pause_resume_delete_and_test_are_absent() {
    let root = support::start();
    let conn = connection(&root, "sandbox-saleshandy-key");
    let d = draft("https://example.org/webhooks/email-sent");
    let id = one(call(&conn, Call::Create { draft: &d })).id;
    let absent = [
        Call::Modify { id: &id, draft: &d },
        Call::Pause { id: &id },
        Call::Resume { id: &id },
        Call::Delete { id: &id },
    ];
    for c in absent {
        let Capability::Absent(sentence) = spec(VendorId::Saleshandy).capability(c.action()) else {
            panic!("{:?} should be absent", c.action());
        };
        assert_eq!(plan(&conn, c), Err(PlanError::Absent(sentence)));
        assert_eq!(plan_steps(&conn, c), Err(PlanError::Absent(sentence)));
    }
    assert!(matches!(
        spec(VendorId::Saleshandy).capability(Action::Test),
        Capability::Absent(_)
    ));
    // And the sandbox has no such endpoints either: the webhook is still there, unchanged.
    let got = one(call(&conn, Call::Get { id: &id }));
    assert_eq!(got.status, SubscriptionStatus::Active);
}

#[test]
fn a_wrong_key_is_refused() {
    let root = support::start();
    let conn = connection(&root, "not-the-key");
    let d = draft("https://example.org/webhooks/email-sent");
    match call(&conn, Call::Create { draft: &d }) {
        Err(VendorError::Unauthorized(message)) => assert_eq!(message, "Invalid API key."),
        other => panic!("expected 401, got {other:?}"),
    }
    assert!(matches!(
        call(&conn, Call::List),
        Err(VendorError::Unauthorized(_))
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
    assert!(many(call(&conn, Call::List)).is_empty());
}

#[test]
fn a_rate_limit_comes_back_with_its_retry_after() {
    let root = support::start();
    let conn = connection(&root, "sandbox-saleshandy-key");
    support::fault(&root, "429", 1);
    assert!(matches!(
        call(&conn, Call::List),
        Err(VendorError::RateLimited {
            retry_after: Some(7)
        })
    ));
    assert!(many(call(&conn, Call::List)).is_empty());
}

#[test]
fn reset_forgets_every_vendors_webhooks() {
    let root = support::start();
    let conn = connection(&root, "sandbox-saleshandy-key");
    let d = draft("https://example.org/webhooks/email-sent");
    one(call(&conn, Call::Create { draft: &d }));
    assert_eq!(support::control(&root, "/_sandbox/reset", "{}"), 204);
    assert!(many(call(&conn, Call::List)).is_empty());
}
