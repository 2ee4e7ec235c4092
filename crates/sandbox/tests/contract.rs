//! The contract suite, in the manner of object_store's integration tests: one set of cases
//! (create, read back, modify, pause, resume, delete, bad auth, bad body) runs through core's plans
//! against the sandbox over real HTTP for every vendor.
//!
//! Each case branches only on the vendor's capability for its action: a native action is planned
//! with [`plan`] and its documented outcome checked; an emulated one is laid out with
//! [`plan_steps`] and what the emulation promises is checked; an absent one must be refused with
//! [`PlanError::Absent`] and a sentence for the UI. What a vendor does beyond this stays in its own
//! `<vendor>_contract.rs`.
//!
//! That an action is absent or emulated is not taken from the adapter's own table: each fixture
//! names, from the vendor's docs, the requests a client would try for what the API lacks, and the
//! case `lacks` sends them to the sandbox (written from the docs alone), which must not have them;
//! a capability the adapter declares missing without such a probe, or with a probe the sandbox
//! answers, fails.

mod support;

use hookpanel_core::edit::modify_draft;
use hookpanel_core::vendors::spec;
use hookpanel_core::{
    Action, Call, Capability, Connection, Credentials, Method, Outcome, PlanError, Secret,
    Subscription, SubscriptionStatus, VendorError, VendorId, plan, plan_steps,
};
use serde_json::{Value, json};
use support::{call, many, one, run_steps};

/// What the contract needs of one vendor.
struct Fixture {
    vendor: VendorId,
    /// Credentials the sandbox accepts.
    credentials: fn() -> Credentials,
    /// Credentials the sandbox refuses.
    bad_credentials: fn() -> Credentials,
    /// Checks the vendor's words when it refuses the bad credentials.
    unauthorized: fn(&str) -> bool,
    /// A create draft the sandbox accepts, and the events it subscribes to.
    create: fn() -> Value,
    events: &'static [&'static str],
    /// Checks the shape of an id the vendor hands out.
    id_shape: fn(&str) -> bool,
    /// Whether the vendor's answer to a create says when it was created.
    dated: bool,
    /// A modify draft for the created subscription (a full entity or a partial one, as the vendor
    /// takes it), and the events it leaves.
    modify: fn(&Subscription) -> Value,
    modified_events: &'static [&'static str],
    /// A create draft the sandbox rejects.
    bad_body: fn() -> Value,
    /// Where pause is emulated by deleting: the draft kept to create it again on resume.
    kept_draft: fn(&Subscription) -> Option<Value>,
    /// What the vendor's docs lack, as the requests a client would try for it (method, path below
    /// the base URL, `{id}` for a webhook's): the sandbox must answer none of them.
    lacks: &'static [(Action, Method, &'static str)],
}

impl Fixture {
    fn connection(&self, root: &str, credentials: Credentials) -> Connection {
        Connection {
            vendor: self.vendor,
            base_url: format!("{root}{}", spec(self.vendor).sandbox_path),
            credentials,
        }
    }

    fn good(&self, root: &str) -> Connection {
        self.connection(root, (self.credentials)())
    }

    fn bad(&self, root: &str) -> Connection {
        self.connection(root, (self.bad_credentials)())
    }

    fn capability(&self, action: Action) -> Capability {
        spec(self.vendor).capability(action)
    }

    /// The target URL a draft sets, if it sets one.
    fn target_of(&self, draft: &Value) -> Option<String> {
        draft
            .pointer(hookpanel_core::roles::role_of(
                self.vendor,
                hookpanel_core::Operation::Create,
                "target",
            )?)
            .and_then(Value::as_str)
            .map(str::to_string)
    }
}

fn collect() -> Fixture {
    Fixture {
        vendor: VendorId::Collect,
        credentials: || Credentials::ApiKey {
            key: Secret::new("sandbox-collect-key"),
        },
        bad_credentials: || Credentials::ApiKey {
            key: Secret::new("not-the-key"),
        },
        unauthorized: |m| m == "Your API key is wrong.",
        create: || json!({"targetUrl": "https://yourserver.com/collect-hook", "types": ["created", "docParsed"], "campaignId": "sGyGrNPDxQDy6ZRAm"}),
        events: &["created", "docParsed"],
        id_shape: |id| id.chars().count() == 17,
        dated: true,
        // A partial update: the rest is kept.
        modify: |_| json!({"types": ["emailSent"]}),
        modified_events: &["emailSent"],
        bad_body: || json!({"types": ["created"]}),
        kept_draft: |_| None,
        lacks: &[
            (Action::List, Method::Get, "/webhooks"),
            (Action::Get, Method::Get, "/webhooks/{id}"),
            (Action::Delete, Method::Delete, "/webhooks/{id}"),
            (Action::Test, Method::Post, "/webhooks/{id}/test"),
            (Action::Sample, Method::Get, "/webhooks/created_sample"),
        ],
    }
}

fn saleshandy() -> Fixture {
    Fixture {
        vendor: VendorId::Saleshandy,
        credentials: || Credentials::ApiKey {
            key: Secret::new("sandbox-saleshandy-key"),
        },
        bad_credentials: || Credentials::ApiKey {
            key: Secret::new("not-the-key"),
        },
        unauthorized: |m| m == "Invalid API key.",
        create: || {
            json!({
                "name": "Email Sent Webhook",
                "webhookUrl": "https://example.org/webhooks/email-sent",
                "webhookEvent": ["email-sent", "reply-received"],
                "headers": {"X-Webhook-Source": "saleshandy"}
            })
        },
        events: &["email-sent", "reply-received"],
        id_shape: |id| id.len() == 24 && id.chars().all(|c| c.is_ascii_hexdigit()),
        dated: false,
        modify: |_| {
            json!({
                "name": "Email Sent Webhook",
                "webhookUrl": "https://example.org/webhooks/email-sent",
                "webhookEvent": ["email-sent"],
                "headers": {"X-Webhook-Source": "saleshandy"}
            })
        },
        modified_events: &["email-sent"],
        bad_body: || {
            json!({
                "name": "Email Sent Webhook",
                "webhookUrl": "https://example.org/webhooks/email-sent",
                "webhookEvent": ["email-sent"]
            })
        },
        kept_draft: |_| None,
        lacks: &[
            (Action::Modify, Method::Put, "/webhook/{id}"),
            (Action::Modify, Method::Patch, "/webhook/{id}"),
            (Action::Pause, Method::Patch, "/webhook/{id}"),
            (Action::Resume, Method::Patch, "/webhook/{id}"),
            (Action::Delete, Method::Delete, "/webhook/{id}"),
            (Action::Test, Method::Post, "/webhook/{id}/test"),
            (Action::Sample, Method::Get, "/webhook/email-sent_sample"),
        ],
    }
}

fn superoffice() -> Fixture {
    Fixture {
        vendor: VendorId::SuperOffice,
        credentials: || Credentials::Bearer {
            token: Secret::new("sandbox-superoffice-token"),
        },
        bad_credentials: || Credentials::Bearer {
            token: Secret::new("not-the-token"),
        },
        unauthorized: |m| !m.is_empty(),
        create: || {
            json!({
                "Name": "Contact sync",
                "Events": ["contact.created", "contact.changed"],
                "TargetUrl": "https://hooks.example.com/superoffice",
                "Secret": "shh-its-a-secret",
                "Type": "webhook",
                "Headers": {"X-Source": "hookpanel"},
                "Properties": {"tenant": "Cust12345"}
            })
        },
        events: &["contact.created", "contact.changed"],
        id_shape: |id| id.parse::<i64>().is_ok_and(|id| id > 0),
        dated: true,
        // A full replace: the entity as the vendor returned it, changed.
        modify: |created| {
            let mut entity = created.raw.clone();
            entity["Events"] = json!(["sale.sold"]);
            entity
        },
        modified_events: &["sale.sold"],
        bad_body: || {
            json!({
                "Name": "Contact sync",
                "Events": [],
                "TargetUrl": "https://hooks.example.com/superoffice",
                "Type": "webhook"
            })
        },
        kept_draft: |_| None,
        lacks: &[(
            Action::Sample,
            Method::Get,
            "/Webhook/contact.created_sample",
        )],
    }
}

fn kajabi_draft(event: &str, url: &str) -> Value {
    json!({
        "data": {
            "type": "hooks",
            "attributes": {"target_url": url, "event": event, "resource_id": "123"},
            "relationships": {"site": {"data": {"id": "456", "type": "sites"}}}
        }
    })
}

fn kajabi() -> Fixture {
    Fixture {
        vendor: VendorId::Kajabi,
        credentials: || Credentials::Bearer {
            token: Secret::new("sandbox-kajabi-token"),
        },
        bad_credentials: || Credentials::Bearer {
            token: Secret::new("expired-token"),
        },
        unauthorized: |m| m.contains("invalid"),
        create: || kajabi_draft("tag_added", "https://example.com/webhook"),
        events: &["tag_added"],
        id_shape: |id| id.parse::<u64>().is_ok(),
        dated: true,
        modify: |_| kajabi_draft("tag_removed", "https://example.com/other"),
        modified_events: &["tag_removed"],
        bad_body: || kajabi_draft("tag_changed", "https://example.com/webhook"),
        kept_draft: |s| modify_draft(VendorId::Kajabi, s),
        lacks: &[
            (Action::Modify, Method::Put, "/hooks/{id}"),
            (Action::Modify, Method::Patch, "/hooks/{id}"),
            (Action::Pause, Method::Patch, "/hooks/{id}"),
            (Action::Resume, Method::Patch, "/hooks/{id}"),
            (Action::Test, Method::Post, "/hooks/{id}/test"),
        ],
    }
}

/// An absent action: both planners refuse it with the capability's sentence.
fn refused_as_absent(conn: &Connection, c: Call<'_>) {
    let Capability::Absent(sentence) = spec(conn.vendor).capability(c.action()) else {
        panic!("{:?} should be absent", c.action());
    };
    assert!(
        !sentence.trim().is_empty(),
        "{:?} needs a sentence",
        c.action()
    );
    assert_eq!(plan(conn, c), Err(PlanError::Absent(sentence)));
    assert_eq!(plan_steps(conn, c), Err(PlanError::Absent(sentence)));
}

/// An emulated action: [`plan`] refuses it with the capability's sentence, [`plan_steps`] lays it
/// out; the steps' actions are returned.
fn laid_out_as_emulated(conn: &Connection, c: Call<'_>) -> Vec<Action> {
    let Capability::Emulated(sentence) = spec(conn.vendor).capability(c.action()) else {
        panic!("{:?} should be emulated", c.action());
    };
    assert!(
        !sentence.trim().is_empty(),
        "{:?} needs a sentence",
        c.action()
    );
    assert_eq!(plan(conn, c), Err(PlanError::Emulated(sentence)));
    plan_steps(conn, c)
        .expect("steps")
        .into_iter()
        .map(|s| s.action)
        .collect()
}

fn no_emulation(f: &Fixture, action: Action) -> ! {
    panic!(
        "{:?} emulates {action:?}, which the contract has no promise for yet: add it",
        f.vendor
    )
}

/// Creates the fixture's subscription: every case but create and bad body starts from it.
fn created(f: &Fixture, conn: &Connection) -> Subscription {
    assert_eq!(
        f.capability(Action::Create),
        Capability::Native,
        "the contract creates natively"
    );
    one(call(
        conn,
        Call::Create {
            draft: &(f.create)(),
        },
    ))
}

/// Reads a subscription back by id where the vendor can, `None` where it cannot.
fn fetch(conn: &Connection, id: &str) -> Option<Result<Outcome, VendorError>> {
    (spec(conn.vendor).capability(Action::Get) == Capability::Native)
        .then(|| call(conn, Call::Get { id }))
}

/// Checks, as far as the vendor can read back, that a subscription is no more.
fn gone(conn: &Connection, id: &str) {
    if let Some(outcome) = fetch(conn, id) {
        assert!(
            matches!(outcome, Err(VendorError::NotFound(_))),
            "{id} should be gone: {outcome:?}"
        );
    }
    if spec(conn.vendor).capability(Action::List) == Capability::Native {
        let listed = many(call(conn, Call::List { page: 1 }));
        assert!(listed.iter().all(|s| s.id != id), "{id} is still listed");
    }
}

fn has_status(conn: &Connection, id: &str, status: SubscriptionStatus) {
    if let Some(outcome) = fetch(conn, id) {
        assert_eq!(one(outcome).status, status, "{id} read back");
    }
}

// ---- The cases ----

fn create(f: &Fixture) {
    let root = support::start();
    let conn = f.good(&root);
    let draft = (f.create)();
    let c = Call::Create { draft: &draft };
    match f.capability(Action::Create) {
        Capability::Native => {
            let s = one(call(&conn, c));
            assert!((f.id_shape)(&s.id), "id {:?}", s.id);
            assert_eq!(s.status, SubscriptionStatus::Active);
            assert_eq!(s.events, f.events);
            assert_eq!(s.target_url, f.target_of(&draft));
            assert_eq!(s.created_at.is_some(), f.dated, "created_at");
        }
        Capability::Emulated(_) => no_emulation(f, Action::Create),
        Capability::Absent(_) => refused_as_absent(&conn, c),
    }
}

fn read_back(f: &Fixture) {
    let root = support::start();
    let conn = f.good(&root);
    let s = created(f, &conn);
    let get = Call::Get { id: &s.id };
    match f.capability(Action::Get) {
        Capability::Native => {
            let got = one(call(&conn, get));
            assert_eq!(got.id, s.id);
            assert_eq!(got.status, SubscriptionStatus::Active);
            assert_eq!(got.events, s.events);
            assert_eq!(got.target_url, s.target_url);
        }
        Capability::Emulated(_) => no_emulation(f, Action::Get),
        Capability::Absent(_) => refused_as_absent(&conn, get),
    }
    match f.capability(Action::List) {
        Capability::Native => {
            let listed = many(call(&conn, Call::List { page: 1 }));
            assert_eq!(listed.len(), 1);
            assert_eq!(listed[0].id, s.id);
            assert_eq!(listed[0].events, s.events);
            assert_eq!(listed[0].target_url, s.target_url);
        }
        Capability::Emulated(_) => no_emulation(f, Action::List),
        Capability::Absent(_) => refused_as_absent(&conn, Call::List { page: 1 }),
    }
}

fn modify(f: &Fixture) {
    let root = support::start();
    let conn = f.good(&root);
    let old = created(f, &conn);
    let draft = (f.modify)(&old);
    // A draft without a target keeps the old one.
    let target = f.target_of(&draft).or(old.target_url.clone());
    let c = Call::Modify {
        id: &old.id,
        draft: &draft,
    };
    match f.capability(Action::Modify) {
        Capability::Native => {
            let m = one(call(&conn, c));
            assert_eq!(m.id, old.id);
            assert_eq!(m.events, f.modified_events);
            assert_eq!(m.target_url, target, "the rest is kept");
            if let Some(got) = fetch(&conn, &old.id) {
                assert_eq!(one(got).events, f.modified_events);
            }
        }
        Capability::Emulated(_) => {
            // Delete and create: the new one is created first, so a rejected draft leaves the old
            // one working; it has a new id, and the old one is gone.
            assert_eq!(
                laid_out_as_emulated(&conn, c),
                [Action::Create, Action::Delete]
            );
            assert_eq!(run_steps(&conn, c), Ok(Outcome::Deleted));
            gone(&conn, &old.id);
            let now = many(call(&conn, Call::List { page: 1 }));
            assert_eq!(now.len(), 1);
            assert_ne!(now[0].id, old.id, "a new id");
            assert_eq!(now[0].events, f.modified_events);
            assert_eq!(now[0].target_url, target);
        }
        Capability::Absent(_) => refused_as_absent(&conn, c),
    }
}

fn pause(f: &Fixture) {
    let root = support::start();
    let conn = f.good(&root);
    let s = created(f, &conn);
    let c = Call::Pause { id: &s.id };
    match f.capability(Action::Pause) {
        Capability::Native => {
            let paused = one(call(&conn, c));
            assert_eq!(paused.id, s.id);
            assert_eq!(paused.status, SubscriptionStatus::Paused);
            has_status(&conn, &s.id, SubscriptionStatus::Paused);
        }
        Capability::Emulated(_) => {
            // Pause deletes; the settings are kept here to create it again.
            assert!((f.kept_draft)(&s).is_some(), "a kept draft");
            assert_eq!(laid_out_as_emulated(&conn, c), [Action::Delete]);
            assert_eq!(run_steps(&conn, c), Ok(Outcome::Deleted));
            gone(&conn, &s.id);
        }
        Capability::Absent(_) => refused_as_absent(&conn, c),
    }
}

fn resume(f: &Fixture) {
    let root = support::start();
    let conn = f.good(&root);
    let s = created(f, &conn);
    let c = Call::Resume { id: &s.id };
    match f.capability(Action::Resume) {
        Capability::Native => {
            assert_eq!(f.capability(Action::Pause), Capability::Native);
            one(call(&conn, Call::Pause { id: &s.id }));
            let resumed = one(call(&conn, c));
            assert_eq!(resumed.id, s.id);
            assert_eq!(resumed.status, SubscriptionStatus::Active);
            has_status(&conn, &s.id, SubscriptionStatus::Active);
            // Resuming in place, the vendor has no use for a re-create.
            let draft = (f.create)();
            let recreate = Call::Recreate { draft: &draft };
            assert!(matches!(plan(&conn, recreate), Err(PlanError::Draft(_))));
            assert!(matches!(
                plan_steps(&conn, recreate),
                Err(PlanError::Draft(_))
            ));
        }
        Capability::Emulated(_) => {
            let kept = (f.kept_draft)(&s).expect("a kept draft");
            assert_eq!(
                run_steps(&conn, Call::Pause { id: &s.id }),
                Ok(Outcome::Deleted)
            );
            // Nothing is left at the vendor to resume by id: resume creates it again.
            assert!(matches!(plan_steps(&conn, c), Err(PlanError::Draft(_))));
            let recreate = Call::Recreate { draft: &kept };
            assert_eq!(laid_out_as_emulated(&conn, recreate), [Action::Create]);
            let back = one(run_steps(&conn, recreate));
            assert_ne!(back.id, s.id, "a new id");
            assert_eq!(back.status, SubscriptionStatus::Active);
            assert_eq!(back.events, s.events);
            assert_eq!(back.target_url, s.target_url);
            assert_eq!((f.kept_draft)(&back), Some(kept), "the settings are kept");
            gone(&conn, &s.id);
            let listed = many(call(&conn, Call::List { page: 1 }));
            assert_eq!(
                listed.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
                [back.id.as_str()],
                "one hook, the new one"
            );
        }
        Capability::Absent(_) => refused_as_absent(&conn, c),
    }
}

fn delete(f: &Fixture) {
    let root = support::start();
    let conn = f.good(&root);
    let s = created(f, &conn);
    let c = Call::Delete { id: &s.id };
    match f.capability(Action::Delete) {
        Capability::Native => {
            assert_eq!(call(&conn, c), Ok(Outcome::Deleted));
            gone(&conn, &s.id);
            assert!(matches!(call(&conn, c), Err(VendorError::NotFound(_))));
            if f.capability(Action::List) == Capability::Native {
                assert!(many(call(&conn, Call::List { page: 1 })).is_empty());
            }
        }
        Capability::Emulated(_) => no_emulation(f, Action::Delete),
        Capability::Absent(_) => refused_as_absent(&conn, c),
    }
}

fn bad_auth(f: &Fixture) {
    let root = support::start();
    let conn = f.bad(&root);
    let draft = (f.create)();
    let refused = |outcome: Result<Outcome, VendorError>| match outcome {
        Err(VendorError::Unauthorized(message)) => {
            assert!(
                (f.unauthorized)(&message),
                "the vendor's words: {message:?}"
            )
        }
        other => panic!("expected 401, got {other:?}"),
    };
    let c = Call::Create { draft: &draft };
    match f.capability(Action::Create) {
        Capability::Native => refused(call(&conn, c)),
        Capability::Emulated(_) => no_emulation(f, Action::Create),
        Capability::Absent(_) => refused_as_absent(&conn, c),
    }
    match f.capability(Action::List) {
        Capability::Native => refused(call(&conn, Call::List { page: 1 })),
        Capability::Emulated(_) => no_emulation(f, Action::List),
        Capability::Absent(_) => refused_as_absent(&conn, Call::List { page: 1 }),
    }
}

fn bad_body(f: &Fixture) {
    let root = support::start();
    let conn = f.good(&root);
    let draft = (f.bad_body)();
    let c = Call::Create { draft: &draft };
    match f.capability(Action::Create) {
        Capability::Native => {
            match call(&conn, c) {
                Err(VendorError::Rejected { message, problems }) => {
                    assert!(!message.is_empty() || !problems.is_empty())
                }
                other => panic!("expected a rejection, got {other:?}"),
            }
            if f.capability(Action::List) == Capability::Native {
                assert!(
                    many(call(&conn, Call::List { page: 1 })).is_empty(),
                    "nothing was created"
                );
            }
        }
        Capability::Emulated(_) => no_emulation(f, Action::Create),
        Capability::Absent(_) => refused_as_absent(&conn, c),
    }
}

/// What the API lacks, by the docs: every action the adapter declares absent or emulated has a
/// probe, every probe is of such an action, and the sandbox (written from the docs) has none of
/// them: it answers 404 or 405, never a success.
fn lacks(f: &Fixture) {
    let root = support::start();
    let conn = f.good(&root);
    let sub = created(f, &conn);
    // The credentials the vendor takes, as core plans them for a call it has.
    let auth: Vec<(String, String)> = plan(
        &conn,
        Call::Create {
            draft: &(f.create)(),
        },
    )
    .expect("a create")
    .headers
    .into_iter()
    .filter(|h| h.secret)
    .map(|h| (h.name, h.value))
    .collect();
    for action in Action::ALL {
        let declared = f.capability(action);
        let probes: Vec<_> = f.lacks.iter().filter(|(a, ..)| *a == action).collect();
        match declared {
            Capability::Native => assert!(
                probes.is_empty(),
                "{:?}: {action:?} is native, yet the docs are said to lack it",
                f.vendor
            ),
            Capability::Absent(_) | Capability::Emulated(_) => assert!(
                !probes.is_empty(),
                "{:?}: {action:?} is declared missing with no documented probe to show it",
                f.vendor
            ),
        }
        for (_, method, path) in probes {
            let url = format!("{}{}", conn.base_url, path.replace("{id}", &sub.id));
            let headers: Vec<(&str, &str)> =
                auth.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            let body = (*method != Method::Get && *method != Method::Delete)
                .then_some(("application/json", "{\"status\": \"paused\"}"));
            let answer = support::raw(*method, &url, &headers, body);
            assert!(
                matches!(answer.status, 404 | 405),
                "{:?}: {} {url} answered {} — the sandbox has what {action:?} is declared to lack",
                f.vendor,
                method.as_str(),
                answer.status
            );
        }
    }
}

/// Every (vendor × case) as its own test, `<vendor>::<case>`.
macro_rules! contract {
    (vendors: [$($vendor:ident),* $(,)?], cases: $cases:tt) => {
        $( contract!(@vendor $vendor $cases); )*
    };
    (@vendor $vendor:ident [$($case:ident),* $(,)?]) => {
        mod $vendor {
            $(
                #[test]
                fn $case() {
                    super::$case(&super::$vendor());
                }
            )*
        }
    };
}

contract! {
    vendors: [collect, saleshandy, superoffice, kajabi],
    cases: [create, read_back, modify, pause, resume, delete, bad_auth, bad_body, lacks]
}
