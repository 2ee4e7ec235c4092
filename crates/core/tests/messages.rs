//! What an admin reads: problems say what is wrong in words, at the right field, without echoing
//! secrets, and a schema's own `x-messages` replace the generic sentence.

use hookpanel_core::{Operation, Severity, VendorId, validate, validate_text};
use serde_json::json;

fn messages_at(
    vendor: VendorId,
    op: Operation,
    draft: serde_json::Value,
    pointer: &str,
) -> Vec<String> {
    validate(vendor, op, &draft)
        .into_iter()
        .filter(|p| p.pointer == pointer)
        .map(|p| p.message.into_owned())
        .collect()
}

#[test]
fn a_missing_field_is_named_by_its_title() {
    let got = messages_at(
        VendorId::Collect,
        Operation::Create,
        json!({}),
        "/targetUrl",
    );
    assert_eq!(got, ["Target URL is required."]);
}

#[test]
fn an_unknown_event_lists_nothing_when_the_list_is_long() {
    let got = messages_at(
        VendorId::Collect,
        Operation::Create,
        json!({"targetUrl": "https://x.example/h", "types": ["portalSubmitted"]}),
        "/types/0",
    );
    assert_eq!(got, ["“portalSubmitted” is not one of the allowed values."]);
}

#[test]
fn the_schema_can_say_it_better_than_a_pattern() {
    let draft = json!({"Name": "n", "Events": ["contact.created"], "TargetUrl": "http://x.example/h", "Type": "webhook"});
    let got = messages_at(
        VendorId::SuperOffice,
        Operation::Create,
        draft,
        "/TargetUrl",
    );
    assert!(
        got.iter().any(|m| m.contains("only delivers to https://")),
        "{got:?}"
    );
}

#[test]
fn a_secret_of_the_wrong_type_is_not_echoed() {
    let draft = json!({"targetUrl": "https://x.example/h", "secretToken": 123456789});
    let got = messages_at(VendorId::Collect, Operation::Create, draft, "/secretToken");
    assert_eq!(got, ["Must be text."]);
}

#[test]
fn target_url_rules_hold_for_every_vendor() {
    let cases = [
        (
            "https://user:pw@hooks.example.com/h",
            "lint:credentials-in-url",
            Severity::Error,
        ),
        ("ftp://hooks.example.com/h", "lint:scheme", Severity::Error),
        (
            "https://127.0.0.1/h",
            "lint:private-target",
            Severity::Warning,
        ),
        (
            "https://10.1.2.3/h",
            "lint:private-target",
            Severity::Warning,
        ),
        ("https://[::1]/h", "lint:private-target", Severity::Warning),
        (
            "https://localhost/h",
            "lint:private-target",
            Severity::Warning,
        ),
        (
            "http://hooks.example.com/h",
            "lint:http-target",
            Severity::Warning,
        ),
    ];
    for (url, keyword, severity) in cases {
        let found = validate(
            VendorId::Collect,
            Operation::Create,
            &json!({"targetUrl": url}),
        )
        .into_iter()
        .any(|p| p.pointer == "/targetUrl" && p.keyword == keyword && p.severity == severity);
        assert!(found, "{url} should raise {keyword}");
    }
    let clean = validate(
        VendorId::Collect,
        Operation::Create,
        &json!({"targetUrl": "https://hooks.example.com/h", "secretToken": "s"}),
    );
    assert!(clean.is_empty(), "{clean:?}");
}

#[test]
fn a_syntax_error_says_where() {
    let got = validate_text(
        VendorId::Collect,
        Operation::Create,
        "{\n  \"targetUrl\": \"x\",\n}",
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].line, Some((3, 1)));
    assert!(
        got[0]
            .message
            .starts_with("Not valid JSON at line 3, column 1"),
        "{}",
        got[0].message
    );
}
