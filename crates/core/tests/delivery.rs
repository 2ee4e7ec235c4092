//! Checking a delivery, through the public API only: pasted forms read, the vendor and event
//! recognised, the body held to the vendor's event schema, and each vendor's signature or shared
//! secret verified as its docs say.
//!
//! The signatures below were computed with OpenSSL, independently of this code, and again with
//! Python's `hmac` (both gave the same):
//!
//! ```text
//! printf '%s' "$BODY" > body.json
//! openssl dgst -sha256 -hmac "so-signing-secret" -binary body.json | base64
//! python3 -c "import hmac,hashlib,base64,sys; print(base64.b64encode(hmac.new(b'so-signing-secret', open('body.json','rb').read(), hashlib.sha256).digest()).decode())"
//! ```

use hookpanel_core::delivery::{check, recognise};
use hookpanel_core::vendors::{delivery_key, spec};
use hookpanel_core::{
    Authenticity, Delivery, DeliveryKey, Secret, Severity, Signing, Subscription,
    SubscriptionStatus, VendorId,
};
use serde_json::json;

/// A SuperOffice WebhookPayload (vendors.md 3.4), as sent: compact, in this order.
const BODY: &str = r#"{"EventId":"1f0d2a6e-58c4-4b4e-9a3d-2b7e0e1c4f10","Timestamp":"2026-12-01T10:00:00Z","Changes":["name"],"Event":"contact.changed","PrimaryKey":42,"Entity":"contact","ContextIdentifier":"Cust12345","ChangedByAssociateId":7,"WebhookName":"Sync"}"#;
/// `openssl dgst -sha256 -hmac "so-signing-secret" -binary body.json | base64`
const SIGNATURE: &str = "4LFLErH6ONEF8y9tHOWi63d2Z08A21qRnX9Gt750Dgk=";
const SECRET: &str = "so-signing-secret";

/// UTF-8 in the key and in the body:
/// `printf '%s' "$BODY_UTF8" | openssl dgst -sha256 -hmac "sëcret-ünicode" -binary | base64`
const BODY_UTF8: &str = r#"{"Event":"test","PrimaryKey":0,"Entity":"test","Note":"é — ünïcode"}"#;
const SIGNATURE_UTF8: &str = "mOnc8F9dgiNoJ6bWgVhJi9mI7RuW09Z3eyVmcK19pnY=";

/// An empty body: `printf '' | openssl dgst -sha256 -hmac "k" -binary | base64`
const SIGNATURE_EMPTY: &str = "i7mQxAp9YcuXWXqUISUCW+UKyL63RDbjc1uYiTp/ZiA=";

fn raw(headers: &[(&str, &str)], body: &str) -> Delivery {
    let mut text = String::from("POST /hooks/superoffice HTTP/1.1\r\nHost: hooks.example.com\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    Delivery::parse(text.as_bytes())
}

fn key(secret: &str) -> DeliveryKey {
    DeliveryKey {
        secret: Some(Secret::new(secret)),
        header: None,
    }
}

fn superoffice(delivery: &Delivery, key: &DeliveryKey) -> Authenticity {
    check(delivery, Some(VendorId::SuperOffice), key)
        .expect("a named vendor is always checked")
        .authenticity
}

const SO_HEADER: &str = "X-SuperOffice-Signature";

#[test]
fn a_genuine_superoffice_delivery_is_recognised_named_and_its_signature_matches() {
    let delivery = raw(
        &[
            ("Content-Type", "application/json"),
            ("X-SuperOffice-Event", "contact.changed"),
            (SO_HEADER, SIGNATURE),
        ],
        BODY,
    );
    let checked = check(&delivery, None, &key(SECRET)).expect("recognised");
    assert_eq!(checked.vendor, VendorId::SuperOffice);
    assert!(checked.recognised);
    assert_eq!(checked.event.as_deref(), Some("contact.changed"));
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    assert_eq!(
        checked.authenticity,
        Authenticity::SignatureMatches {
            header: SO_HEADER,
            trailing_newline_removed: false
        }
    );
    assert!(checked.passed());
}

#[test]
fn utf8_keys_and_bodies_and_an_empty_body_are_signed_over_their_bytes() {
    let d = raw(&[(SO_HEADER, SIGNATURE_UTF8)], BODY_UTF8);
    assert_eq!(
        superoffice(&d, &key("sëcret-ünicode")),
        Authenticity::SignatureMatches {
            header: SO_HEADER,
            trailing_newline_removed: false
        }
    );
    let empty = raw(&[(SO_HEADER, SIGNATURE_EMPTY)], "");
    let checked = check(&empty, Some(VendorId::SuperOffice), &key("k")).unwrap();
    assert!(matches!(
        checked.authenticity,
        Authenticity::SignatureMatches { .. }
    ));
    assert!(!checked.passed(), "an empty body is no WebhookPayload");
    assert_eq!(checked.problems[0].keyword, "syntax");
}

#[test]
fn a_tampered_body_a_wrong_secret_and_reprinted_json_do_not_match() {
    let tampered = raw(&[(SO_HEADER, SIGNATURE)], &BODY.replace("42", "43"));
    assert_eq!(
        superoffice(&tampered, &key(SECRET)),
        Authenticity::SignatureDiffers { header: SO_HEADER }
    );
    let genuine = raw(&[(SO_HEADER, SIGNATURE)], BODY);
    assert_eq!(
        superoffice(&genuine, &key("another-secret")),
        Authenticity::SignatureDiffers { header: SO_HEADER }
    );
    // The same JSON printed again is other bytes: the signature is over what arrived.
    let value: serde_json::Value = serde_json::from_str(BODY).unwrap();
    let reprinted = raw(
        &[(SO_HEADER, SIGNATURE)],
        &serde_json::to_string_pretty(&value).unwrap(),
    );
    assert_eq!(
        superoffice(&reprinted, &key(SECRET)),
        Authenticity::SignatureDiffers { header: SO_HEADER }
    );
    let garbage = raw(&[(SO_HEADER, "not base64!")], BODY);
    assert_eq!(
        superoffice(&garbage, &key(SECRET)),
        Authenticity::SignatureDiffers { header: SO_HEADER }
    );
    let checked = check(&tampered, None, &key(SECRET)).unwrap();
    assert!(!checked.passed());
}

#[test]
fn the_line_break_a_paste_adds_is_forgiven_and_said() {
    let pasted = raw(&[(SO_HEADER, SIGNATURE)], &format!("{BODY}\n"));
    assert_eq!(
        superoffice(&pasted, &key(SECRET)),
        Authenticity::SignatureMatches {
            header: SO_HEADER,
            trailing_newline_removed: true
        }
    );
    // One line break only: two is a changed body.
    let two = raw(&[(SO_HEADER, SIGNATURE)], &format!("{BODY}\n\n"));
    assert_eq!(
        superoffice(&two, &key(SECRET)),
        Authenticity::SignatureDiffers { header: SO_HEADER }
    );
}

#[test]
fn a_missing_signature_or_secret_is_said_and_fails_only_where_a_check_was_possible() {
    let unsigned = raw(&[("Content-Type", "application/json")], BODY);
    let missing = superoffice(&unsigned, &key(SECRET));
    assert_eq!(
        missing,
        Authenticity::SignatureMissing { header: SO_HEADER }
    );
    assert_eq!(missing.passed(), Some(false));
    let none = superoffice(&unsigned, &DeliveryKey::default());
    assert_eq!(none, Authenticity::Unsigned { header: SO_HEADER });
    assert_eq!(none.passed(), None);
    let signed = raw(&[(SO_HEADER, SIGNATURE)], BODY);
    let unchecked = superoffice(&signed, &DeliveryKey::default());
    assert_eq!(
        unchecked,
        Authenticity::SignatureUnchecked { header: SO_HEADER }
    );
    assert_eq!(unchecked.passed(), Some(false));
    // A blank secret is no secret.
    assert_eq!(superoffice(&signed, &key("   ")), unchecked);
    for verdict in [missing, none, unchecked] {
        let sentence = verdict.sentence(VendorId::SuperOffice);
        assert!(sentence.contains(SO_HEADER), "{sentence}");
    }
}

#[test]
fn a_raw_request_headers_alone_and_a_bare_body_are_read_as_they_came() {
    let d = raw(&[("x-superoffice-signature", SIGNATURE)], BODY);
    assert_eq!(d.header("X-SuperOffice-Signature"), Some(SIGNATURE));
    assert_eq!(d.body, BODY.as_bytes());
    let lf =
        Delivery::parse(format!("X-SuperOffice-Signature: {SIGNATURE}\n\n{BODY}\n").as_bytes());
    assert_eq!(lf.headers.len(), 1);
    assert_eq!(lf.body, format!("{BODY}\n").as_bytes(), "kept as pasted");
    let bare = Delivery::parse(BODY.as_bytes());
    assert!(bare.headers.is_empty());
    assert_eq!(bare.body, BODY.as_bytes());
    // A body alone is recognised by its shape, not only by headers.
    assert_eq!(recognise(&bare), Some(VendorId::SuperOffice));
}

#[test]
fn collects_token_is_found_in_whichever_header_carries_it() {
    let body = r#"{"event":"docParsed","webhookId":"abc"}"#;
    let d = raw(&[("X-Some-Token", "tok-123"), ("User-Agent", "x")], body);
    let checked = check(&d, Some(VendorId::Collect), &key("tok-123")).unwrap();
    assert_eq!(
        checked.authenticity,
        Authenticity::SecretMatches {
            header: "X-Some-Token".into()
        }
    );
    assert_eq!(checked.event.as_deref(), Some("docParsed"));
    assert!(checked.passed());
    let wrong = check(&d, Some(VendorId::Collect), &key("tok-124")).unwrap();
    assert_eq!(
        wrong.authenticity,
        Authenticity::SecretMissing { expected: None }
    );
    assert!(!wrong.passed());
    // A prefix of the token is not the token.
    let prefix = check(&d, Some(VendorId::Collect), &key("tok-12")).unwrap();
    assert_eq!(prefix.authenticity.passed(), Some(false));
    let named_elsewhere = DeliveryKey {
        secret: Some(Secret::new("tok-123")),
        header: Some("X-Other".into()),
    };
    assert_eq!(
        check(&d, Some(VendorId::Collect), &named_elsewhere)
            .unwrap()
            .authenticity,
        Authenticity::SecretMissing {
            expected: Some("X-Other".into())
        }
    );
    let no_secret = check(&d, Some(VendorId::Collect), &DeliveryKey::default()).unwrap();
    assert_eq!(no_secret.authenticity, Authenticity::NoSecretGiven);
    assert!(
        no_secret.passed(),
        "nothing to check with: the body decides"
    );
    // Collect documents no delivery shape: it is never guessed.
    assert_eq!(recognise(&d), None);
    assert!(check(&d, None, &key("tok-123")).is_none());
}

#[test]
fn saleshandy_is_told_by_its_event_and_its_custom_header_checked_by_name() {
    let body = r#"{"event":"email-sent","emailSentAt":"2026-12-01T10:00:00Z"}"#;
    let d = raw(
        &[("X-Hook-Secret", "s3cret"), ("X-Other", "s3cret-not")],
        body,
    );
    let k = DeliveryKey {
        secret: Some(Secret::new("s3cret")),
        header: Some("x-hook-secret".into()),
    };
    let checked = check(&d, None, &k).expect("recognised by its event");
    assert_eq!(checked.vendor, VendorId::Saleshandy);
    assert_eq!(checked.event.as_deref(), Some("email-sent"));
    assert_eq!(
        checked.authenticity,
        Authenticity::SecretMatches {
            header: "X-Hook-Secret".into()
        }
    );
    assert!(checked.passed());
    // An event Saleshandy does not send: not Saleshandy's by its look, and an enum error at
    // /event when checked as Saleshandy's.
    let other = Delivery::parse(br#"{"event":"email-exploded"}"#);
    assert_eq!(recognise(&other), None);
    let checked = check(&other, Some(VendorId::Saleshandy), &DeliveryKey::default()).unwrap();
    assert!(
        checked
            .problems
            .iter()
            .any(|p| p.pointer == "/event" && p.severity == Severity::Error),
        "{:?}",
        checked.problems
    );
    assert!(!checked.passed());
}

#[test]
fn kajabi_is_told_by_its_shape_and_said_plainly_to_be_unsigned() {
    let body = json!({
        "id": "abc123",
        "event": "tag_added",
        "payload": [{ "id": "1", "type": "contacts", "attributes": { "name": "Ada" } }]
    })
    .to_string();
    let d = Delivery::parse(body.as_bytes());
    let checked = check(&d, None, &key("anything")).expect("recognised");
    assert_eq!(checked.vendor, VendorId::Kajabi);
    assert_eq!(checked.event.as_deref(), Some("tag_added"));
    assert_eq!(checked.authenticity, Authenticity::NotSigned);
    assert!(checked.passed(), "{:?}", checked.problems);
    assert!(
        checked
            .authenticity
            .sentence(VendorId::Kajabi)
            .contains("does not sign")
    );
    // Without its payload it is not Kajabi's by its look, and the schema says what is missing.
    let thin = Delivery::parse(br#"{"id":"abc123","event":"tag_added"}"#);
    assert_ne!(recognise(&thin), Some(VendorId::Kajabi));
    let checked = check(&thin, Some(VendorId::Kajabi), &DeliveryKey::default()).unwrap();
    assert!(!checked.passed());
    assert!(checked.problems.iter().any(|p| p.keyword == "required"));
}

#[test]
fn a_body_that_is_not_json_says_where_and_an_empty_one_says_so() {
    let d = raw(
        &[(SO_HEADER, SIGNATURE)],
        "{\"Event\": \"contact.changed\",\n  \"PrimaryKey\": }",
    );
    let checked = check(&d, Some(VendorId::SuperOffice), &key(SECRET)).unwrap();
    assert_eq!(checked.problems.len(), 1);
    assert_eq!(checked.problems[0].keyword, "syntax");
    assert_eq!(checked.problems[0].line.map(|(line, _)| line), Some(2));
    assert!(!checked.passed());
    let empty = Delivery::parse(b"POST / HTTP/1.1\r\nHost: x\r\n\r\n");
    let checked = check(&empty, Some(VendorId::Kajabi), &DeliveryKey::default()).unwrap();
    assert!(
        checked.problems[0].message.contains("empty"),
        "{:?}",
        checked.problems
    );
}

#[test]
fn the_secret_is_in_no_rendering_of_a_key_or_a_verdict() {
    let k = DeliveryKey {
        secret: Some(Secret::new("tok-very-secret")),
        header: Some("X-Token".into()),
    };
    assert!(!format!("{k:?}").contains("tok-very-secret"));
    let d = raw(
        &[("X-Token", "tok-very-secret")],
        r#"{"event":"email-sent"}"#,
    );
    let checked = check(&d, None, &k).unwrap();
    let shown = format!(
        "{checked:?} {} {}",
        serde_json::to_string(&checked).unwrap(),
        checked.authenticity.sentence(checked.vendor)
    );
    assert!(!shown.contains("tok-very-secret"), "{shown}");
}

#[test]
fn a_webhooks_own_record_gives_the_key_its_deliveries_are_checked_with() {
    let sub = |raw: serde_json::Value| Subscription {
        id: "1".into(),
        status: SubscriptionStatus::Active,
        target_url: None,
        events: Vec::new(),
        created_at: None,
        raw,
    };
    let so = delivery_key(VendorId::SuperOffice, &sub(json!({ "Secret": SECRET })));
    assert_eq!(so.secret.as_ref().map(Secret::expose), Some(SECRET));
    let collect = delivery_key(VendorId::Collect, &sub(json!({ "secretToken": "tok" })));
    assert_eq!(collect.secret.as_ref().map(Secret::expose), Some("tok"));
    let one = delivery_key(
        VendorId::Saleshandy,
        &sub(json!({ "headers": { "X-Hook-Secret": "s3cret" } })),
    );
    assert_eq!(one.header.as_deref(), Some("X-Hook-Secret"));
    assert_eq!(one.secret.as_ref().map(Secret::expose), Some("s3cret"));
    // With several custom headers the admin says which one carries the secret.
    let several = delivery_key(
        VendorId::Saleshandy,
        &sub(json!({ "headers": { "A": "1", "B": "2" } })),
    );
    assert_eq!(several, DeliveryKey::default());
    assert_eq!(
        delivery_key(VendorId::Kajabi, &sub(json!({}))),
        DeliveryKey::default()
    );
}

#[test]
fn every_vendor_states_how_its_deliveries_are_signed() {
    assert!(matches!(
        spec(VendorId::SuperOffice).signing,
        Signing::HmacSha256Base64 {
            header: "X-SuperOffice-Signature"
        }
    ));
    assert!(matches!(spec(VendorId::Kajabi).signing, Signing::None));
    assert!(matches!(
        spec(VendorId::Saleshandy).signing,
        Signing::SharedSecret {
            header_chosen: true
        }
    ));
    assert!(matches!(
        spec(VendorId::Collect).signing,
        Signing::SharedSecret {
            header_chosen: false
        }
    ));
}

proptest::proptest! {
    /// Whatever is pasted, reading and checking it never panics, and the body is the pasted
    /// bytes' own tail: nothing is re-encoded on the way to the signature.
    #[test]
    fn any_paste_is_read_and_checked_without_panic(
        bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400),
        head in "(POST /h HTTP/1.1\r\n)?(X-[A-Za-z]{1,8}: [ -~]{0,20}\r?\n){0,4}\r?\n",
    ) {
        for input in [bytes.clone(), [head.as_bytes(), &bytes].concat()] {
            let delivery = Delivery::parse(&input);
            proptest::prop_assert!(input.ends_with(&delivery.body));
            for vendor in VendorId::ALL {
                let _ = check(&delivery, Some(vendor), &key("k"));
            }
            let _ = check(&delivery, None, &DeliveryKey::default());
        }
    }
}
