//! Native figures for core's hot paths, with criterion: `cargo bench -p hookpanel-core` (also run
//! by `cargo xtask bench`, which prints a summary).
//!
//! - `validate/<vendor>/<valid|invalid>`: [`validate_text`] from the draft's text to its problems,
//!   the path the editor takes on every keystroke, on the create fixtures the browser bench uses;
//! - `check/<vendor>/<valid|invalid>`: [`validate`] on the parsed draft (schema and lint), what a
//!   form keystroke costs (the form edits a parsed draft), and `schema/…` its schema share alone;
//! - `plan/<vendor>`: the create request for a valid draft;
//! - `decode/<vendor>`: the vendor's answer to a create (or get) call.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use hookpanel_core::{
    Action, Call, Connection, Credentials, HttpResponse, Operation, Secret, VendorId, decode, plan,
    schema, validate, validate_text,
};
use serde_json::Value;

/// The payloads: a fixture with no errors, and one the admin might have half typed (its target
/// URL is not yet acceptable). The browser bench (xtask/src/bench/validate.rs) uses the same.
pub const CASES: [(VendorId, &str, &str); 4] = [
    (VendorId::Collect, "all-fields", "target-not-a-url"),
    (VendorId::Saleshandy, "all-fields", "url-not-a-url"),
    (VendorId::SuperOffice, "all-fields", "seed-003-http-target"),
    (VendorId::Kajabi, "all-fields", "target-not-a-url"),
];

/// A fixture's instance as the raw editor shows it (pretty-printed).
fn fixture_text(vendor: VendorId, name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../schemas")
        .join(vendor.as_str())
        .join("fixtures/create")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let fixture: Value = serde_json::from_str(&text).expect("a fixture is JSON");
    serde_json::to_string_pretty(&fixture["instance"]).expect("an instance prints")
}

fn connection(vendor: VendorId) -> Connection {
    let (base_url, credentials) = match vendor {
        VendorId::Collect => (
            "https://api.usecollect.com/v1",
            Credentials::ApiKey {
                key: Secret::new("collect-key"),
            },
        ),
        VendorId::Saleshandy => (
            "https://open-api.saleshandy.com/v1",
            Credentials::ApiKey {
                key: Secret::new("saleshandy-key"),
            },
        ),
        VendorId::SuperOffice => (
            "https://sod.superoffice.com/Cust12345/api/v1",
            Credentials::Bearer {
                token: Secret::new("superoffice-token"),
            },
        ),
        VendorId::Kajabi => (
            "https://api.kajabi.com/v1",
            Credentials::Bearer {
                token: Secret::new("kajabi-token"),
            },
        ),
    };
    Connection {
        vendor,
        base_url: base_url.to_string(),
        credentials,
    }
}

/// A vendor's answer to a create (SuperOffice: to a get, which has the same shape).
fn answer(vendor: VendorId) -> (Action, HttpResponse) {
    let (action, status, body) = match vendor {
        VendorId::Collect => (
            Action::Create,
            200,
            r#"{"_id": "wh_01HZX", "targetUrl": "https://hooks.example.com/collect",
                "types": ["docParsed", "portalSubmited"], "status": "active",
                "createdAt": "2024-05-01T12:00:00.000Z"}"#,
        ),
        VendorId::Saleshandy => (
            Action::Create,
            201,
            r#"{"message": "Webhook created successfully", "payload": {
                "id": "69fb3ac1eda582171eb74826", "name": "Email Sent Webhook",
                "webhookUrl": "https://example.org/webhooks/email-sent",
                "webhookEvent": ["email-sent"], "headers": {"X-Webhook-Source": "saleshandy"},
                "status": "paused", "testDelivery": {"status": "failed"}}}"#,
        ),
        VendorId::SuperOffice => (
            Action::Get,
            200,
            r#"{"WebhookId": 421, "Name": "Beahan Group", "Events": ["contact.created"],
                "TargetUrl": "https://www.example.com/", "Secret": "repellat", "State": "Active",
                "Type": "webhook", "Headers": {"Headers1": "suscipit"}, "Properties": {},
                "Registered": "2001-10-29T14:34:02.9327773+01:00", "RegisteredAssociate": null,
                "Updated": "2013-10-05T14:34:02.9327773+02:00", "UpdatedAssociate": null}"#,
        ),
        VendorId::Kajabi => (
            Action::Create,
            201,
            r#"{"data": {"id": "789", "type": "hooks", "attributes": {
                "target_url": "https://example.com/webhook", "event": "tag_added",
                "resource_id": 123, "created_at": "2024-05-01T12:00:00.000Z",
                "updated_at": "2024-05-01T12:00:00.000Z"},
                "relationships": {"site": {"data": {"id": "456", "type": "sites"}}}}}"#,
        ),
    };
    let response = HttpResponse {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.to_string(),
    };
    (action, response)
}

fn benches(c: &mut Criterion) {
    schema::warm_up();
    for (vendor, valid, invalid) in CASES {
        let name = vendor.as_str();
        for (kind, fixture) in [("valid", valid), ("invalid", invalid)] {
            let text = fixture_text(vendor, fixture);
            let errors = validate_text(vendor, Operation::Create, &text)
                .iter()
                .filter(|p| p.is_error())
                .count();
            assert_eq!(errors == 0, kind == "valid", "{name}/{fixture}");
            c.bench_function(&format!("validate/{name}/{kind}"), |b| {
                b.iter(|| validate_text(vendor, Operation::Create, black_box(&text)))
            });
        }
    }
    // A form keystroke: the draft is parsed already; schema and lint only.
    for (vendor, valid, invalid) in CASES {
        for (kind, fixture) in [("valid", valid), ("invalid", invalid)] {
            let draft: Value = serde_json::from_str(&fixture_text(vendor, fixture)).unwrap();
            c.bench_function(&format!("check/{}/{kind}", vendor.as_str()), |b| {
                b.iter(|| validate(vendor, Operation::Create, black_box(&draft)))
            });
            c.bench_function(&format!("schema/{}/{kind}", vendor.as_str()), |b| {
                b.iter(|| schema::check(vendor, Operation::Create, black_box(&draft)))
            });
        }
    }
    for (vendor, valid, _) in CASES {
        let draft: Value = serde_json::from_str(&fixture_text(vendor, valid)).unwrap();
        let connection = connection(vendor);
        plan(&connection, Call::Create { draft: &draft }).expect("a valid draft plans");
        c.bench_function(&format!("plan/{}", vendor.as_str()), |b| {
            b.iter(|| {
                plan(
                    &connection,
                    Call::Create {
                        draft: black_box(&draft),
                    },
                )
            })
        });
    }
    for (vendor, _, _) in CASES {
        let (action, response) = answer(vendor);
        decode(vendor, action, &response).expect("the answer decodes");
        c.bench_function(&format!("decode/{}", vendor.as_str()), |b| {
            b.iter(|| decode(vendor, action, black_box(&response)))
        });
    }
}

criterion_group! {
    name = core;
    // Short runs: this is a figure for a person to read, not a regression gate.
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = benches
}
criterion_main!(core);
