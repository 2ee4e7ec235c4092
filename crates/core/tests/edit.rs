//! Editing and showing drafts and records (`hookpanel_core::edit`) for every vendor: secrets
//! masked where they are shown, dropped where they are kept, hidden values kept through an edit
//! of the masked raw view, and a draft's target and events found where its schema puts them.

use hookpanel_core::edit::{
    Summary, masked, masked_at, masked_draft, summary, unmasked, without_secrets,
};
use hookpanel_core::http::MASK;
use hookpanel_core::{Operation, VendorId, schema};
use serde_json::{Value, json};

#[test]
fn a_record_is_shown_with_its_secrets_masked() {
    let record = json!({"WebhookId": 7, "Secret": "s3cr3t-s3cr3t", "Name": "n",
        "Headers": {"X": "v", "Empty": ""}});
    let shown = masked(VendorId::SuperOffice, &record);
    assert_eq!(shown["Secret"], json!(MASK));
    assert_eq!(shown["Name"], json!("n"));
    assert_eq!(
        shown["Headers"],
        json!({"X": MASK, "Empty": ""}),
        "header values are secrets; an empty one hides nothing"
    );
    let unset = masked(VendorId::SuperOffice, &json!({"Secret": null}));
    assert_eq!(unset["Secret"], Value::Null);
    let collect = masked(VendorId::Collect, &json!([{"secretToken": "tok-123456"}]));
    assert_eq!(
        collect,
        json!([{"secretToken": "tok-123456"}]),
        "only fields at their place"
    );
    let collect = masked(VendorId::Collect, &json!({"secretToken": "tok-123456"}));
    assert_eq!(collect["secretToken"], json!(MASK));
}

#[test]
fn a_summary_reads_the_target_and_events_wherever_the_schema_puts_them() {
    let kajabi = json!({"data": {"type": "hooks", "attributes": {"event": "tag_added",
        "target_url": "https://h.example.com/k"}}});
    assert_eq!(
        summary(VendorId::Kajabi, Operation::Create, &kajabi),
        Summary {
            target: Some("https://h.example.com/k".into()),
            events: vec!["tag_added".into()]
        }
    );
    let collect = json!({"targetUrl": "https://h.example.com/c", "types": ["created", 7]});
    assert_eq!(
        summary(VendorId::Collect, Operation::Modify, &collect).events,
        ["created"]
    );
    for vendor in VendorId::ALL {
        for op in schema::operations(vendor) {
            if op == Operation::Event {
                continue;
            }
            let s = schema::schema(vendor, op).unwrap();
            assert!(
                schema::role_pointer(s, "target").is_some()
                    && schema::role_pointer(s, "events").is_some(),
                "{vendor:?} {op:?} marks its target and events"
            );
        }
    }
}

#[test]
fn a_kept_draft_has_no_secret() {
    let draft = json!({"targetUrl": "https://a.example/h", "secretToken": "s3cret-value"});
    let kept = without_secrets(VendorId::Collect, Operation::Create, &draft);
    assert_eq!(kept, json!({"targetUrl": "https://a.example/h"}));
    let draft = json!({"name": "n", "headers": {"Authorization": "Bearer s3cret", "X-Ok": "1"}});
    let kept = without_secrets(VendorId::Saleshandy, Operation::Create, &draft);
    assert_eq!(
        kept,
        json!({"name": "n", "headers": {"Authorization": "", "X-Ok": ""}}),
        "the header names stay, their values go"
    );
}

#[test]
fn a_masked_draft_edited_keeps_its_hidden_secrets() {
    let vendor = VendorId::SuperOffice;
    let draft = json!({"Name": "n", "Secret": "signing-s3cret", "Headers": {"X-Key": "k3y"}});
    let shown = masked_draft(vendor, Operation::Create, &draft);
    assert_eq!(shown["Secret"], json!(MASK));
    assert_eq!(shown["Headers"]["X-Key"], json!(MASK));
    let mut edited = shown.clone();
    edited["Name"] = json!("renamed");
    edited["Headers"]["X-New"] = json!(MASK);
    let back = unmasked(vendor, Operation::Create, edited, &draft);
    assert_eq!(back["Name"], json!("renamed"));
    assert_eq!(back["Secret"], json!("signing-s3cret"));
    assert_eq!(back["Headers"]["X-Key"], json!("k3y"));
    assert_eq!(
        back["Headers"]["X-New"],
        json!(MASK),
        "a mask with nothing behind it stays, for the lint to stop"
    );
    assert_eq!(
        masked_at(
            vendor,
            Operation::Create,
            "/Headers",
            json!({"A": "x", "B": ""})
        ),
        json!({"A": MASK, "B": ""})
    );
    assert_eq!(
        masked_at(vendor, Operation::Create, "/Secret", json!("s")),
        json!(MASK)
    );
    assert_eq!(
        masked_at(vendor, Operation::Create, "/Name", json!("n")),
        json!("n")
    );
    let typed = json!({"Name": "n", "Secret": "new-s3cret"});
    assert_eq!(
        unmasked(vendor, Operation::Create, typed.clone(), &draft),
        typed
    );
}
