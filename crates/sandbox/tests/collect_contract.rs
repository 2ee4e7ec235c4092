//! Collect through core's plans against the sandbox over real HTTP, beyond the cases every vendor
//! goes through in `contract.rs`: the vendor pausing by itself, a body only the vendor's own
//! reading refuses, an unknown id, and the faults.

mod support;

use support::{call, one};

use hookpanel_core::vendors::spec;
use hookpanel_core::{
    Call, Connection, Credentials, Outcome, Secret, SubscriptionStatus, VendorError, VendorId,
};
use serde_json::json;

fn connection(root: &str, key: &str) -> Connection {
    Connection {
        vendor: VendorId::Collect,
        base_url: format!("{root}{}", spec(VendorId::Collect).sandbox_path),
        credentials: Credentials::ApiKey {
            key: Secret::new(key),
        },
    }
}

#[test]
fn the_vendor_pauses_by_itself_and_resume_works() {
    let root = support::start();
    let conn = connection(&root, "sandbox-collect-key");
    let draft = json!({"targetUrl": "https://yourserver.com/collect-hook"});
    let created = one(call(&conn, Call::Create { draft: &draft }));
    let status = support::control(
        &root,
        &format!("/_sandbox/collect/webhooks/{}/auto-pause", created.id),
        "{}",
    );
    assert_eq!(status, 204);
    let resumed = one(call(&conn, Call::Resume { id: &created.id }));
    assert_eq!(resumed.status, SubscriptionStatus::Active);
}

#[test]
fn a_body_only_collects_reading_refuses_is_a_400() {
    let root = support::start();
    let conn = connection(&root, "sandbox-collect-key");
    // Core would flag this draft; the sandbox checks on its own reading of the docs.
    let draft =
        json!({"targetUrl": "https://yourserver.com/collect-hook", "types": ["portalSubmitted"]});
    assert!(matches!(
        call(&conn, Call::Create { draft: &draft }),
        Err(VendorError::Rejected { .. })
    ));
}

#[test]
fn modifying_an_unknown_webhook_is_a_404() {
    let root = support::start();
    let conn = connection(&root, "sandbox-collect-key");
    assert!(matches!(
        call(&conn, Call::Pause { id: "nope" }),
        Err(VendorError::NotFound(_))
    ));
}

#[test]
fn queued_faults_come_back_as_the_right_errors() {
    let root = support::start();
    let conn = connection(&root, "sandbox-collect-key");
    let draft = json!({"targetUrl": "https://yourserver.com/collect-hook"});
    let expect = |fault: &str, check: &dyn Fn(&Result<Outcome, VendorError>) -> bool| {
        assert_eq!(
            support::control(
                &root,
                "/_sandbox/faults",
                &format!(r#"{{"fault": "{fault}", "retry_after": 7}}"#)
            ),
            204
        );
        let got = call(&conn, Call::Create { draft: &draft });
        assert!(check(&got), "fault {fault}: {got:?}");
    };
    expect("429", &|r| {
        matches!(
            r,
            Err(VendorError::RateLimited {
                retry_after: Some(7)
            })
        )
    });
    expect("500", &|r| {
        matches!(r, Err(VendorError::Server { status: 500 }))
    });
    expect("503", &|r| {
        matches!(
            r,
            Err(VendorError::Unavailable {
                retry_after: Some(7)
            })
        )
    });
    expect("malformed", &|r| {
        matches!(r, Err(VendorError::Malformed(_)))
    });
    // The queue is empty again: the next call succeeds.
    assert!(matches!(
        call(&conn, Call::Create { draft: &draft }),
        Ok(Outcome::One(_))
    ));
}
