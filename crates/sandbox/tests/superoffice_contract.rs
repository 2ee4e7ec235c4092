//! SuperOffice through core's plans against the sandbox over real HTTP, beyond the cases every
//! vendor goes through in `contract.rs`: the fields it keeps, the full replace from the entity as
//! read back, the merge-patch pause keeping the rest, the vendor stopping a webhook by itself, the
//! other auth schemes, bad bodies (the target ping included), filters, a rate limit, and a large
//! account's list in one answer.

mod support;

use hookpanel_core::vendors::spec;
use hookpanel_core::{
    Action, Call, Capability, Connection, Credentials, ListEnd, ListRead, Method, Outcome, Secret,
    SubscriptionStatus, VendorError, VendorId, decode,
};
use serde_json::{Value, json};
use support::{call, many, one};

const TOKEN: &str = "sandbox-superoffice-token";

fn connection(root: &str, credentials: Credentials) -> Connection {
    Connection {
        vendor: VendorId::SuperOffice,
        base_url: format!("{root}{}", spec(VendorId::SuperOffice).sandbox_path),
        credentials,
    }
}

fn bearer(root: &str, token: &str) -> Connection {
    connection(
        root,
        Credentials::Bearer {
            token: Secret::new(token),
        },
    )
}

fn draft(url: &str) -> Value {
    json!({
        "Name": "Contact sync",
        "Events": ["contact.created", "contact.changed"],
        "TargetUrl": url,
        "Secret": "shh-its-a-secret",
        "Type": "webhook",
        "Headers": {"X-Source": "hookpanel"},
        "Properties": {"tenant": "Cust12345"}
    })
}

fn rejected(outcome: Result<Outcome, VendorError>, words: &str) {
    match outcome {
        Err(VendorError::Rejected { message, .. }) => {
            assert!(message.contains(words), "{message:?} lacks {words:?}")
        }
        other => panic!("expected 400 ({words}), got {other:?}"),
    }
}

/// Every action on a webhook is native; SuperOffice publishes no sample payloads (its test
/// delivery is the way to see one).
#[test]
fn every_action_is_native() {
    for action in Action::ALL {
        let expected = if action == Action::Sample {
            matches!(
                spec(VendorId::SuperOffice).capability(action),
                Capability::Absent(_)
            )
        } else {
            spec(VendorId::SuperOffice).capability(action) == Capability::Native
        };
        assert!(expected, "{action:?}");
    }
}

#[test]
fn the_entity_keeps_its_fields_through_replace_and_merge_patch() {
    let root = support::start();
    let conn = bearer(&root, TOKEN);
    let d = draft("https://hooks.example.com/superoffice");
    let created = one(call(&conn, Call::Create { draft: &d }));
    assert_eq!(created.raw["Secret"], "shh-its-a-secret");
    assert_eq!(created.raw["Type"], "webhook");
    assert!(created.raw["_Links"]["Self"].as_str().is_some());

    // A full replace from the entity as read back: core drops the fields the vendor owns.
    let got = one(call(&conn, Call::Get { id: &created.id }));
    let mut change = got.raw.clone();
    change["Name"] = json!("Sale sync");
    change["Events"] = json!(["sale.sold"]);
    let modified = one(call(
        &conn,
        Call::Modify {
            id: &created.id,
            draft: &change,
        },
    ));
    assert_eq!(modified.events, ["sale.sold"]);
    assert_eq!(modified.raw["Name"], "Sale sync");
    assert_eq!(
        modified.created_at, created.created_at,
        "Registered is kept"
    );

    let paused = one(call(&conn, Call::Pause { id: &created.id }));
    assert_eq!(
        paused.raw["Name"], "Sale sync",
        "a merge-patch keeps the rest"
    );
}

#[test]
fn the_vendor_stops_a_webhook_by_itself_and_resume_works() {
    let root = support::start();
    let conn = bearer(&root, TOKEN);
    let d = draft("https://hooks.example.com/superoffice");
    let created = one(call(&conn, Call::Create { draft: &d }));
    let path = format!(
        "/_sandbox/superoffice/webhooks/{}/too-many-errors",
        created.id
    );
    assert_eq!(support::control(&root, &path, "{}"), 204);
    let got = one(call(&conn, Call::Get { id: &created.id }));
    assert!(matches!(got.status, SubscriptionStatus::Failing(_)));
    let resumed = one(call(&conn, Call::Resume { id: &created.id }));
    assert_eq!(resumed.status, SubscriptionStatus::Active);
    assert_eq!(
        support::control(
            &root,
            "/_sandbox/superoffice/webhooks/999999/too-many-errors",
            "{}"
        ),
        404
    );
}

#[test]
fn soticket_and_basic_are_taken_and_a_ticket_needs_its_app_token() {
    let root = support::start();
    let d = draft("https://hooks.example.com/superoffice");
    let ticket = connection(
        &root,
        Credentials::SoTicket {
            ticket: Secret::new("7T:MQAyADMANAA1ADYANwA4ADkAMAA7ADEAMgAzADQANQA2ADcAOAA5ADAA"),
            app_token: Secret::new("sandbox-app-token"),
        },
    );
    one(call(&ticket, Call::Create { draft: &d }));
    let basic = connection(
        &root,
        Credentials::Basic {
            user: "tje0".into(),
            password: Secret::new("Tje0"),
        },
    );
    assert_eq!(many(call(&basic, Call::List { page: 1 })).len(), 1);

    // A ticket without its application token is refused by the vendor (core will not plan it).
    let url = format!("{root}{}/Webhook", spec(VendorId::SuperOffice).sandbox_path);
    let answer = support::raw(
        Method::Get,
        &url,
        &[("Authorization", "SOTicket 7T:abc")],
        None,
    );
    assert_eq!(answer.status, 401);
}

#[test]
fn bodies_superoffice_rejects_are_a_400_with_its_message() {
    let root = support::start();
    let conn = bearer(&root, TOKEN);
    // The vendor pings the target on save: http:// and an unreachable target fail it.
    rejected(
        call(
            &conn,
            Call::Create {
                draft: &draft("http://hooks.example.com/superoffice"),
            },
        ),
        "HTTPS",
    );
    rejected(
        call(
            &conn,
            Call::Create {
                draft: &draft("https://nowhere.invalid/hook"),
            },
        ),
        "did not respond",
    );
    let mut d = draft("https://hooks.example.com/superoffice");
    d["Events"] = json!([]);
    rejected(call(&conn, Call::Create { draft: &d }), "Events");
    let mut d = draft("https://hooks.example.com/superoffice");
    d["Events"] = json!(["nostrum"]);
    rejected(call(&conn, Call::Create { draft: &d }), "entity.event");
    let mut d = draft("https://hooks.example.com/superoffice");
    d["Type"] = json!("ratione");
    rejected(call(&conn, Call::Create { draft: &d }), "Type");
    let mut d = draft("https://hooks.example.com/superoffice");
    d["WebhookId"] = json!(983);
    rejected(call(&conn, Call::Create { draft: &d }), "WebhookId");
    assert!(many(call(&conn, Call::List { page: 1 })).is_empty());

    // A replace with no entity, and a pause that would break the ping, are refused too.
    let created = one(call(
        &conn,
        Call::Create {
            draft: &draft("https://hooks.example.com/superoffice"),
        },
    ));
    let url = format!(
        "{root}{}/Webhook/{}",
        spec(VendorId::SuperOffice).sandbox_path,
        created.id
    );
    let auth = format!("Bearer {TOKEN}");
    let answer = support::raw(Method::Put, &url, &[("Authorization", &auth)], None);
    assert_eq!(answer.status, 400);
    assert!(
        answer
            .body
            .contains("Entity to save is not in request body")
    );
    let mut change = draft("http://hooks.example.com/superoffice");
    change["WebhookId"] = json!(created.id.parse::<i64>().unwrap());
    rejected(
        call(
            &conn,
            Call::Modify {
                id: &created.id,
                draft: &change,
            },
        ),
        "HTTPS",
    );
    assert!(matches!(
        call(&conn, Call::Pause { id: "424242" }),
        Err(VendorError::NotFound(_))
    ));
}

#[test]
fn filters_json_patch_and_the_test_ping() {
    let root = support::start();
    let conn = bearer(&root, TOKEN);
    let base = format!("{root}{}", spec(VendorId::SuperOffice).sandbox_path);
    let auth = format!("Bearer {TOKEN}");
    let a = one(call(
        &conn,
        Call::Create {
            draft: &draft("https://hooks.example.com/a"),
        },
    ));
    let mut d = draft("https://hooks.example.com/b");
    d["Name"] = json!("Sales");
    d["Events"] = json!(["sale.sold"]);
    let b = one(call(&conn, Call::Create { draft: &d }));

    // A JSON Patch array stops a, as the reference allows besides a merge-patch.
    let answer = support::raw(
        Method::Patch,
        &format!("{base}/Webhook/{}", a.id),
        &[("Authorization", &auth)],
        Some((
            "application/json-patch+json",
            r#"[{"op": "replace", "path": "/state", "value": "Stopped"}]"#,
        )),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);

    let ids = |query: &str| -> Vec<String> {
        let answer = support::raw(
            Method::Get,
            &format!("{base}/Webhook?{query}"),
            &[("Authorization", &auth)],
            None,
        );
        many(decode(VendorId::SuperOffice, Action::List, &answer))
            .into_iter()
            .map(|s| s.id)
            .collect()
    };
    assert_eq!(ids("statusFilter=Stopped"), [a.id.as_str()]);
    assert_eq!(ids("statusFilter=Active"), [b.id.as_str()]);
    assert_eq!(ids("eventFilter=sale.sold"), [b.id.as_str()]);
    assert_eq!(ids("nameFilter=contact"), [a.id.as_str()]);

    // The test ping, planned and read by core.
    let ping = |target: &str| {
        let definition = draft(target);
        match call(&conn, Call::Test { draft: &definition }) {
            Ok(Outcome::Tested { success, message }) => (success, message),
            other => panic!("expected a test result, got {other:?}"),
        }
    };
    assert!(ping("https://hooks.example.com/a").0);
    let (success, message) = ping("https://fail.example.com/a");
    assert!(!success);
    assert!(!message.is_empty());
}

#[test]
fn a_rate_limit_comes_back_with_its_retry_after() {
    let root = support::start();
    let conn = bearer(&root, TOKEN);
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
fn a_thousand_webhooks_are_read_in_one_page() {
    let root = support::start();
    let conn = bearer(&root, TOKEN);
    support::seed(&root, "superoffice", 1000);
    // `GET /Webhook` is not paged: one request answers the whole array.
    let (read, pages) = support::read_list(&conn, ListRead::default());
    assert_eq!(pages, [1000]);
    assert_eq!(read.end(), Some(ListEnd::Complete));
    let ids: Vec<i64> = read
        .items()
        .iter()
        .map(|s| s.id.parse().expect("an int32 id"))
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "distinct, in id order");
    let states = |status: &dyn Fn(&SubscriptionStatus) -> bool| {
        read.items().iter().filter(|s| status(&s.status)).count()
    };
    let active = states(&|s| *s == SubscriptionStatus::Active);
    let stopped = states(&|s| *s == SubscriptionStatus::Paused);
    let errors = states(&|s| matches!(s, SubscriptionStatus::Failing(_)));
    assert_eq!(active + stopped + errors, 1000);
    assert!(
        active > stopped && stopped > errors && errors > 0,
        "{active} {stopped} {errors}"
    );
}
