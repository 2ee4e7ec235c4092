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
    let collect = masked(
        VendorId::Collect,
        &json!([{"secretToken": "tok-123456", "url": "https://a.example/h"}]),
    );
    assert_eq!(
        collect,
        json!([{"secretToken": MASK, "url": "https://a.example/h"}]),
        "out of its place, a field named like a credential is masked by its name"
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

/// What an admin types where the schema has no field (a misspelt `secret`, a key in SuperOffice's
/// free `Properties`, a token in a list) is a secret when its name says so: kept on the device
/// with its name and no value, masked in the raw view and taken back through an edit there, for
/// every vendor, Kajabi's schema marking no secret at all.
#[test]
fn a_credential_typed_under_a_name_the_schema_does_not_declare_is_a_secret() {
    let vendor = VendorId::SuperOffice;
    let draft = json!({
        "Name": "n",
        "secret": "typed-s3cret",
        "Properties": {"apiKey": "k3y-value", "team": "ops"},
        "Events": ["contact.created"],
        "Headers": {"X-Plain": "v"}
    });
    let kept = without_secrets(vendor, Operation::Create, &draft);
    assert_eq!(
        kept,
        json!({
            "Name": "n",
            "secret": "",
            "Properties": {"apiKey": "", "team": "ops"},
            "Events": ["contact.created"],
            "Headers": {"X-Plain": ""}
        })
    );
    let shown = masked_draft(vendor, Operation::Create, &draft);
    assert_eq!(shown["secret"], json!(MASK));
    assert_eq!(shown["Properties"], json!({"apiKey": MASK, "team": "ops"}));
    let mut edited = shown.clone();
    edited["Name"] = json!("renamed");
    let back = unmasked(vendor, Operation::Create, edited, &draft);
    assert_eq!(back["secret"], json!("typed-s3cret"));
    assert_eq!(back["Properties"]["apiKey"], json!("k3y-value"));
    assert_eq!(
        masked_at(
            vendor,
            Operation::Create,
            "/Properties",
            draft["Properties"].clone()
        ),
        json!({"apiKey": MASK, "team": "ops"})
    );

    let kajabi = json!({"data": {"type": "hooks", "attributes": {"event": "tag_added",
        "target_url": "https://h.example.com/k", "access_token": "t0ken"}}});
    assert!(
        without_secrets(VendorId::Kajabi, Operation::Create, &kajabi)
            .to_string()
            .find("t0ken")
            .is_none()
    );
    for vendor in VendorId::ALL {
        let draft = json!({"extra": [{"Password": "pa55word"}]});
        let kept = without_secrets(vendor, Operation::Create, &draft);
        assert_eq!(kept, json!({"extra": [{"Password": ""}]}), "{vendor:?}");
    }
}

/// A mask left where nothing is behind it (a name edited in the masked raw view) is stopped
/// before it is sent, wherever the draft would send it: a marked secret, a header, a name like a
/// credential in SuperOffice's free properties. A name the schema refuses is its error already,
/// and a plain value that happens to read as the mask is no secret.
#[test]
fn a_mask_with_nothing_behind_it_is_stopped_wherever_it_would_be_sent() {
    let masked_at = |vendor, draft: Value| -> Vec<String> {
        hookpanel_core::validate(vendor, Operation::Create, &draft)
            .into_iter()
            .filter(|p| &*p.keyword == "lint:masked-secret")
            .map(|p| p.pointer.to_string())
            .collect()
    };
    let draft = json!({
        "Name": "n", "Events": ["contact.created"], "TargetUrl": "https://h.example.com/s",
        "Secret": MASK,
        "Headers": {"X-New": MASK, "X-Typed": "v"},
        "Properties": {"apiKey2": MASK, "note": MASK, "nested": {"token": MASK}},
        "Registered": {"token": MASK}
    });
    assert_eq!(
        masked_at(VendorId::SuperOffice, draft),
        [
            "/Secret",
            "/Headers/X-New",
            "/Properties/apiKey2",
            "/Properties/nested/token"
        ]
    );
    let refused = json!({"Name": "n", "secrett": MASK});
    let problems = hookpanel_core::validate(VendorId::SuperOffice, Operation::Create, &refused);
    assert!(
        problems
            .iter()
            .any(|p| &*p.keyword == "additionalProperties")
    );
    assert!(masked_at(VendorId::SuperOffice, refused).is_empty());
    let kajabi = json!({"data": {"type": "hooks", "attributes": {"event": "tag_added",
        "target_url": "https://h.example.com/k", "api_token": MASK}}});
    assert!(masked_at(VendorId::Kajabi, kajabi).is_empty());
    let collect = json!({"targetUrl": "https://h.example.com/c", "types": ["created"],
        "secretToken": MASK});
    assert_eq!(masked_at(VendorId::Collect, collect), ["/secretToken"]);
}
