//! The control API's deliveries: for a webhook made through each vendor's own API, the request the
//! vendor would send it. Each body passes the vendor's event schema (core's validator); the raw
//! request is exactly its request line, headers, a blank line and body; the event is the
//! webhook's first unless one of its others is asked for; SuperOffice signs with the Secret (an
//! HMAC computed here), the others as their docs say; unknown ids are a 404 and bad bodies a 400.

mod support;

use base64::Engine;
use hmac::{Hmac, Mac};
use hookpanel_core::{Method, Operation, Severity, VendorId};
use serde_json::{Value, json};
use sha2::Sha256;
use support::raw;

const COLLECT_AUTH: &str = "Basic OnNhbmRib3gtY29sbGVjdC1rZXk="; // base64(":sandbox-collect-key")

/// Asks for a delivery: the status and the answer.
fn deliver(root: &str, body: &Value) -> (u16, Value) {
    support::control_json(
        root,
        Method::Post,
        "/_sandbox/deliveries",
        Some(&body.to_string()),
    )
}

/// A delivery the sandbox made, checked for what every vendor's has in common: the answer's
/// fields, the framing of the raw request, and the body passing the vendor's event schema.
struct Got {
    answer: Value,
    headers: Vec<(String, String)>,
    body: String,
    json: Value,
}

impl Got {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn names(&self) -> Vec<&str> {
        self.headers.iter().map(|(n, _)| n.as_str()).collect()
    }
}

fn delivered(root: &str, vendor: VendorId, ask: Value) -> Got {
    let (status, answer) = deliver(root, &ask);
    assert_eq!(status, 200, "{ask}: {answer}");
    let headers: Vec<(String, String)> = answer["headers"]
        .as_array()
        .expect("headers is an array")
        .iter()
        .map(|pair| {
            let pair = pair.as_array().expect("each header is a pair");
            assert_eq!(pair.len(), 2, "{pair:?}");
            (
                pair[0].as_str().expect("a name").to_string(),
                pair[1].as_str().expect("a value").to_string(),
            )
        })
        .collect();
    let body = answer["body"]
        .as_str()
        .expect("body is a string")
        .to_string();
    let target = answer["target_url"].as_str().expect("target_url");

    // Host first, from the target; Content-Length last, the body's bytes.
    let after_scheme = target.split_once("://").expect("an http(s) target").1;
    let end = after_scheme.find(['/', '?']).unwrap_or(after_scheme.len());
    let (host, path) = after_scheme.split_at(end);
    let path = if path.is_empty() { "/" } else { path };
    assert_eq!(headers[0], ("Host".to_string(), host.to_string()));
    assert_eq!(
        headers.last(),
        Some(&("Content-Length".to_string(), body.len().to_string()))
    );

    // The raw request is exactly the request line, the headers in order, a blank line, the body.
    let mut expected = format!("POST {path} HTTP/1.1\r\n");
    for (name, value) in &headers {
        expected.push_str(&format!("{name}: {value}\r\n"));
    }
    expected.push_str("\r\n");
    expected.push_str(&body);
    assert_eq!(answer["request"].as_str(), Some(expected.as_str()));

    // Each header once; the body compact JSON that passes the vendor's event schema.
    let mut lower: Vec<String> = headers.iter().map(|(n, _)| n.to_lowercase()).collect();
    lower.sort();
    lower.dedup();
    assert_eq!(lower.len(), headers.len(), "a header twice: {headers:?}");
    let json: Value = serde_json::from_str(&body).expect("the body is JSON");
    assert_eq!(
        serde_json::to_string(&json).ok().map(|s| s.len()),
        Some(body.len()),
        "compact JSON: {body}"
    );
    let errors: Vec<_> = hookpanel_core::validate(vendor, Operation::Event, &json)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{body}: {errors:?}");
    assert_eq!(answer["event"], json[event_field(vendor)]);
    assert_eq!(
        header_of(&headers, "Content-Type"),
        Some("application/json")
    );
    Got {
        answer,
        headers,
        body,
        json,
    }
}

fn header_of<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn event_field(vendor: VendorId) -> &'static str {
    match vendor {
        VendorId::SuperOffice => "Event",
        _ => "event",
    }
}

fn post(url: &str, auth: (&str, &str), content_type: &str, body: &Value) -> Value {
    let answer = raw(
        Method::Post,
        url,
        &[auth],
        Some((content_type, &body.to_string())),
    );
    assert!(
        (200..300).contains(&answer.status),
        "{url}: {} {}",
        answer.status,
        answer.body
    );
    serde_json::from_str(&answer.body).expect("a JSON answer")
}

fn collect_webhook(root: &str, body: Value) -> String {
    let made = post(
        &format!("{root}/collect/v1/webhooks"),
        ("Authorization", COLLECT_AUTH),
        "application/json",
        &body,
    );
    made["_id"].as_str().expect("an _id").to_string()
}

fn saleshandy_webhook(root: &str, events: &[&str], headers: Value) -> String {
    let made = post(
        &format!("{root}/saleshandy/v1/webhook/create"),
        ("x-api-key", "sandbox-saleshandy-key"),
        "application/json",
        &json!({
            "name": "Reply alerts",
            "webhookUrl": "https://hooks.example.com/saleshandy",
            "webhookEvent": events,
            "headers": headers,
        }),
    );
    made["payload"]["id"].as_str().expect("an id").to_string()
}

fn superoffice_webhook(root: &str, definition: Value) -> i64 {
    let made = post(
        &format!("{root}/superoffice/Cust12345/api/v1/Webhook"),
        ("Authorization", "Bearer sandbox-superoffice-token"),
        "application/json",
        &definition,
    );
    made["WebhookId"].as_i64().expect("a WebhookId")
}

fn kajabi_hook(root: &str, event: &str, resource_id: Value) -> String {
    let made = post(
        &format!("{root}/kajabi/v1/hooks"),
        ("Authorization", "Bearer sandbox-kajabi-token"),
        "application/vnd.api+json",
        &json!({"data": {
            "type": "hooks",
            "attributes": {"event": event, "target_url": "https://hooks.example.com/kajabi/in?site=456", "resource_id": resource_id},
            "relationships": {"site": {"data": {"id": "456", "type": "sites"}}}
        }}),
    );
    made["data"]["id"].as_str().expect("an id").to_string()
}

fn hmac_base64(secret: &str, body: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("any key");
    mac.update(body.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[test]
fn collect_sends_the_secret_token_in_its_header() {
    let root = support::start();
    let id = collect_webhook(
        &root,
        json!({
            "targetUrl": "https://hooks.example.com/collect?src=sandbox",
            "types": ["docUploaded", "emailSent"],
            "campaignId": "sGyGrNPDxQDy6ZRAm",
            "secretToken": "collect-token-1",
        }),
    );
    let got = delivered(
        &root,
        VendorId::Collect,
        json!({"vendor": "collect", "id": id}),
    );
    assert_eq!(got.answer["event"], "docUploaded");
    assert_eq!(
        got.answer["target_url"],
        "https://hooks.example.com/collect?src=sandbox"
    );
    assert!(
        got.answer["request"]
            .as_str()
            .is_some_and(|r| r.starts_with("POST /collect?src=sandbox HTTP/1.1\r\n"))
    );
    assert_eq!(
        got.header("X-Collect-Secret-Token"),
        Some("collect-token-1")
    );
    assert_eq!(got.header("User-Agent"), Some("Collect-Webhooks/1.0"));
    assert_eq!(
        got.names(),
        [
            "Host",
            "Content-Type",
            "User-Agent",
            "X-Collect-Secret-Token",
            "Content-Length"
        ]
    );
    assert_eq!(got.json["webhookId"], id.as_str());
    assert_eq!(got.json["campaignId"], "sGyGrNPDxQDy6ZRAm");
    assert!(
        got.json["occurredAt"]
            .as_str()
            .is_some_and(|t| { chrono::DateTime::parse_from_rfc3339(t).is_ok() })
    );
    assert!(got.json["data"].is_object());
    // The fields in their documented order.
    assert!(
        got.body
            .starts_with(r#"{"event":"docUploaded","webhookId":"#),
        "{}",
        got.body
    );
    let keys: Vec<&String> = got
        .json
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys.len(), 5, "{keys:?}");

    let given = delivered(
        &root,
        VendorId::Collect,
        json!({"vendor": "collect", "id": id, "event": "emailSent"}),
    );
    assert_eq!(given.answer["event"], "emailSent");
    assert_eq!(given.json["event"], "emailSent");
}

#[test]
fn collect_without_a_secret_token_sends_none() {
    let root = support::start();
    let plain = collect_webhook(
        &root,
        json!({"targetUrl": "https://hooks.example.com/c", "types": ["smsSent"]}),
    );
    let empty = collect_webhook(
        &root,
        json!({"targetUrl": "https://hooks.example.com/c", "types": ["smsSent"], "secretToken": ""}),
    );
    for id in [plain, empty] {
        let got = delivered(
            &root,
            VendorId::Collect,
            json!({"vendor": "collect", "id": id}),
        );
        assert_eq!(
            got.header("X-Collect-Secret-Token"),
            None,
            "{:?}",
            got.headers
        );
        assert_eq!(got.json["campaignId"], Value::Null);
        assert_eq!(got.answer["event"], "smsSent");
    }
    // A webhook made without types gets Collect's first event.
    let all = collect_webhook(&root, json!({"targetUrl": "https://hooks.example.com/all"}));
    let got = delivered(
        &root,
        VendorId::Collect,
        json!({"vendor": "collect", "id": all}),
    );
    assert_eq!(got.answer["event"], "created");
}

#[test]
fn saleshandy_sends_the_custom_headers() {
    let root = support::start();
    let id = saleshandy_webhook(
        &root,
        &["email-sent", "reply-received", "email-account-paused"],
        json!({"X-Shared-Secret": "sh-secret-1", "Authorization": "Bearer sh-token"}),
    );
    let got = delivered(
        &root,
        VendorId::Saleshandy,
        json!({"vendor": "saleshandy", "id": id}),
    );
    assert_eq!(got.answer["event"], "email-sent");
    assert_eq!(got.header("X-Shared-Secret"), Some("sh-secret-1"));
    assert_eq!(got.header("Authorization"), Some("Bearer sh-token"));
    assert_eq!(got.header("User-Agent"), Some("Saleshandy-Webhook/1.0"));
    assert!(
        !got.names()
            .iter()
            .any(|n| n.to_lowercase().contains("signature")),
        "{:?}",
        got.headers
    );
    assert!(
        got.body
            .starts_with(r#"{"event":"email-sent","emailSentAt":"#)
    );
    for field in ["prospect", "sequence", "user"] {
        assert!(got.json[field].is_object(), "{field}: {}", got.body);
    }
    assert!(got.json["prospect"]["email"].is_string());
    assert!(got.json["sequence"]["sequenceName"].is_string());

    let reply = delivered(
        &root,
        VendorId::Saleshandy,
        json!({"vendor": "saleshandy", "id": id, "event": "reply-received"}),
    );
    assert_eq!(reply.json["event"], "reply-received");
    assert!(reply.json.get("emailSentAt").is_none(), "{}", reply.body);
    assert!(reply.json["prospect"].is_object());

    let account = delivered(
        &root,
        VendorId::Saleshandy,
        json!({"vendor": "saleshandy", "id": id, "event": "email-account-paused"}),
    );
    assert!(account.json.get("prospect").is_none(), "{}", account.body);
    assert!(account.json["user"].is_object());
}

#[test]
fn saleshandy_without_custom_headers_sends_only_its_own() {
    let root = support::start();
    let id = saleshandy_webhook(&root, &["email-opened"], json!({}));
    let got = delivered(
        &root,
        VendorId::Saleshandy,
        json!({"vendor": "saleshandy", "id": id}),
    );
    assert_eq!(
        got.names(),
        ["Host", "Content-Type", "User-Agent", "Content-Length"]
    );
}

#[test]
fn superoffice_signs_the_body_with_the_secret() {
    let root = support::start();
    let id = superoffice_webhook(
        &root,
        json!({
            "Name": "Contact sync",
            "Events": ["contact.changed", "sale.sold"],
            "TargetUrl": "https://hooks.example.com:8443/superoffice/in",
            "Secret": "so-signing-secret",
            "Type": "webhook",
            "Headers": {"X-Source": "hookpanel"},
            "Properties": {"tenant": "Cust12345", "region": "Nord"},
        }),
    );
    let got = delivered(
        &root,
        VendorId::SuperOffice,
        json!({"vendor": "superoffice", "id": id}),
    );
    assert_eq!(got.answer["event"], "contact.changed");
    assert_eq!(got.headers[0].1, "hooks.example.com:8443");
    assert!(
        got.answer["request"]
            .as_str()
            .is_some_and(|r| r.starts_with("POST /superoffice/in HTTP/1.1\r\n"))
    );
    assert_eq!(
        got.header("X-SuperOffice-Signature"),
        Some(hmac_base64("so-signing-secret", &got.body).as_str())
    );
    assert_eq!(got.header("X-SuperOffice-Event"), Some("contact.changed"));
    assert_eq!(
        got.header("X-SuperOffice-EventId"),
        got.json["EventId"].as_str()
    );
    assert_eq!(got.header("X-SuperOffice-Retry"), Some("0"));
    assert_eq!(got.header("User-Agent"), Some("NetServer-Webhook/10.3"));
    assert_eq!(got.header("X-Source"), Some("hookpanel"));
    assert_eq!(got.header("X-Hook-Test"), None);

    // The payload, in its documented order, with the Properties injected after it.
    let order = [
        "EventId",
        "Timestamp",
        "Changes",
        "Event",
        "PrimaryKey",
        "Entity",
        "ContextIdentifier",
        "ChangedByAssociateId",
        "WebhookName",
        "FieldValues",
        "tenant",
        "region",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|k| got.body.find(&format!("\"{k}\":")).unwrap_or(usize::MAX))
        .collect();
    assert!(
        at[0] == 1 && at.windows(2).all(|w| w[0] < w[1]),
        "{}",
        got.body
    );
    assert_eq!(got.json.as_object().map(|o| o.len()), Some(order.len()));
    let guid = got.json["EventId"].as_str().unwrap_or_default();
    let groups: Vec<usize> = guid.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{guid}");
    assert_eq!(got.json["Changes"], json!(["name", "department"]));
    assert_eq!(got.json["Entity"], "contact");
    assert_eq!(got.json["ContextIdentifier"], "Cust12345");
    assert_eq!(got.json["WebhookName"], "Contact sync");
    assert!(got.json["PrimaryKey"].is_i64());
    assert!(got.json["ChangedByAssociateId"].is_i64());
    assert_eq!(got.json["tenant"], "Cust12345");
    assert_eq!(got.json["region"], "Nord");
    // A non-ASCII value: Content-Length counts bytes, and the signature is over the UTF-8 bytes.
    assert!(got.body.contains("Søren Ålund"), "{}", got.body);
    assert!(got.body.len() > got.body.chars().count());

    // The id as a string names the same webhook; a given event is honoured, and re-signed.
    let sold = delivered(
        &root,
        VendorId::SuperOffice,
        json!({"vendor": "superoffice", "id": id.to_string(), "event": "sale.sold"}),
    );
    assert_eq!(sold.json["Event"], "sale.sold");
    assert_eq!(sold.json["Entity"], "sale");
    assert_eq!(sold.json["Changes"], json!([]));
    assert_eq!(sold.header("X-SuperOffice-Event"), Some("sale.sold"));
    assert_eq!(
        sold.header("X-SuperOffice-Signature"),
        Some(hmac_base64("so-signing-secret", &sold.body).as_str())
    );
    assert_ne!(sold.json["EventId"], got.json["EventId"]);
}

#[test]
fn superoffice_without_a_secret_is_not_signed() {
    let root = support::start();
    let id = superoffice_webhook(
        &root,
        json!({
            "Name": "Unsigned",
            "Events": ["person.created"],
            "TargetUrl": "https://hooks.example.com/so",
        }),
    );
    let got = delivered(
        &root,
        VendorId::SuperOffice,
        json!({"vendor": "superoffice", "id": id}),
    );
    assert_eq!(
        got.header("X-SuperOffice-Signature"),
        None,
        "{:?}",
        got.headers
    );
    assert_eq!(got.json["Event"], "person.created");
    assert_eq!(
        got.names(),
        [
            "Host",
            "Content-Type",
            "User-Agent",
            "X-SuperOffice-Event",
            "X-SuperOffice-EventId",
            "X-SuperOffice-Retry",
            "Content-Length"
        ]
    );
}

#[test]
fn superoffice_event_ids_repeat_after_a_reset() {
    let root = support::start();
    let definition = json!({
        "Name": "Repeat",
        "Events": ["ticket.created"],
        "TargetUrl": "https://hooks.example.com/so",
        "Secret": "s",
    });
    let ask = |id: i64| json!({"vendor": "superoffice", "id": id});
    let id = superoffice_webhook(&root, definition.clone());
    let first = delivered(&root, VendorId::SuperOffice, ask(id));
    assert_eq!(support::control(&root, "/_sandbox/reset", "{}"), 204);
    let again = superoffice_webhook(&root, definition);
    assert_eq!(again, id);
    let second = delivered(&root, VendorId::SuperOffice, ask(id));
    assert_eq!(first.json["EventId"], second.json["EventId"]);
}

#[test]
fn kajabi_sends_the_resource_and_its_sample_payload_unsigned() {
    let root = support::start();
    let id = kajabi_hook(&root, "tag_added", json!(123));
    for asked in [json!(id), json!(id.parse::<u64>().expect("a numeric id"))] {
        let got = delivered(
            &root,
            VendorId::Kajabi,
            json!({"vendor": "kajabi", "id": asked}),
        );
        assert_eq!(got.answer["event"], "tag_added");
        assert_eq!(got.json["id"], "123");
        assert!(
            got.body
                .starts_with(r#"{"id":"123","event":"tag_added","payload":["#)
        );
        let payload = got.json["payload"].as_array().expect("payload");
        let types: Vec<&str> = payload.iter().filter_map(|r| r["type"].as_str()).collect();
        assert_eq!(types, ["contacts", "contact_tags"]);
        assert_eq!(payload[1]["id"], "123");
        assert!(
            !got.names()
                .iter()
                .any(|n| n.to_lowercase().contains("signature")),
            "{:?}",
            got.headers
        );
        assert_eq!(
            got.names(),
            ["Host", "Content-Type", "User-Agent", "Content-Length"]
        );
        assert!(
            got.answer["request"]
                .as_str()
                .is_some_and(|r| r.starts_with("POST /kajabi/in?site=456 HTTP/1.1\r\n"))
        );
    }
    // Its one event, asked for by name, is honoured.
    let named = delivered(
        &root,
        VendorId::Kajabi,
        json!({"vendor": "kajabi", "id": id, "event": "tag_added"}),
    );
    assert_eq!(named.answer["event"], "tag_added");

    // A hook on every form: the sample's form.
    let wildcard = kajabi_hook(&root, "form_submission", Value::Null);
    let got = delivered(
        &root,
        VendorId::Kajabi,
        json!({"vendor": "kajabi", "id": wildcard}),
    );
    let form = got.json["payload"]
        .as_array()
        .and_then(|p| p.iter().find(|r| r["type"] == "forms"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(got.json["id"], form["id"]);
    assert!(got.json["id"].is_string());
}

#[test]
fn every_event_of_every_vendor_passes_its_schema() {
    let root = support::start();
    let list = |vendor: &str| hookpanel_sandbox::events(vendor).expect("a vendor");

    let collect = collect_webhook(
        &root,
        json!({"targetUrl": "https://hooks.example.com/c", "types": list("collect"), "secretToken": "t"}),
    );
    let saleshandy = saleshandy_webhook(&root, list("saleshandy"), json!({"X-Key": "k"}));
    let mut so_events: Vec<&str> = list("superoffice").to_vec();
    so_events.push("test");
    let superoffice = superoffice_webhook(
        &root,
        json!({"Name": "All", "Events": so_events, "TargetUrl": "https://hooks.example.com/so", "Secret": "x"}),
    );
    for (vendor, name, id, events) in [
        (
            VendorId::Collect,
            "collect",
            json!(collect),
            list("collect").to_vec(),
        ),
        (
            VendorId::Saleshandy,
            "saleshandy",
            json!(saleshandy),
            list("saleshandy").to_vec(),
        ),
        (
            VendorId::SuperOffice,
            "superoffice",
            json!(superoffice),
            so_events.clone(),
        ),
    ] {
        for event in events {
            let got = delivered(
                &root,
                vendor,
                json!({"vendor": name, "id": id, "event": event}),
            );
            assert_eq!(got.answer["event"], event);
        }
    }
    for event in list("kajabi") {
        let id = kajabi_hook(&root, event, json!(77));
        let got = delivered(
            &root,
            VendorId::Kajabi,
            json!({"vendor": "kajabi", "id": id}),
        );
        assert_eq!(got.answer["event"], *event);
        assert_eq!(got.json["id"], "77");
        assert!(
            got.json["payload"]
                .as_array()
                .is_some_and(|p| !p.is_empty())
        );
    }
    // SuperOffice's test event is marked as one, about no record.
    let test = delivered(
        &root,
        VendorId::SuperOffice,
        json!({"vendor": "superoffice", "id": superoffice, "event": "test"}),
    );
    assert_eq!(test.header("X-Hook-Test"), Some("true"));
    assert_eq!(test.json["PrimaryKey"], 0);
    assert_eq!(test.json["Entity"], "test");
}

#[test]
fn an_unknown_id_is_a_404() {
    let root = support::start();
    for ask in [
        json!({"vendor": "collect", "id": "eqQkPdnqwN7J38QEx"}),
        json!({"vendor": "saleshandy", "id": "69fb3ac1eda582171eb74826"}),
        json!({"vendor": "superoffice", "id": 983}),
        json!({"vendor": "superoffice", "id": "983"}),
        json!({"vendor": "superoffice", "id": "not-a-number"}),
        json!({"vendor": "kajabi", "id": 5}),
        json!({"vendor": "kajabi", "id": "-1"}),
    ] {
        let (status, answer) = deliver(&root, &ask);
        assert_eq!(status, 404, "{ask}: {answer}");
        assert!(
            answer["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{ask}: {answer}"
        );
    }
}

#[test]
fn a_bad_body_is_a_400_naming_the_problem() {
    let root = support::start();
    let so = superoffice_webhook(
        &root,
        json!({"Name": "One", "Events": ["contact.created"], "TargetUrl": "https://hooks.example.com/so"}),
    );
    let kajabi = kajabi_hook(&root, "purchase", Value::Null);
    let so_ask =
        |event: &str| json!({"vendor": "superoffice", "id": so, "event": event}).to_string();
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "JSON object"),
        ("not json".into(), "JSON object"),
        ("[]".into(), "JSON object"),
        (r#""collect""#.into(), "JSON object"),
        (
            r#"{"vendor": "hubspot", "id": "x"}"#.into(),
            "unknown vendor",
        ),
        (r#"{"vendor": "Kajabi", "id": 1}"#.into(), "unknown vendor"),
        (r#"{"vendor": 4, "id": 1}"#.into(), "unknown vendor"),
        (r#"{"id": 1}"#.into(), "vendor is required"),
        (r#"{"vendor": "kajabi"}"#.into(), "id is required"),
        (r#"{"vendor": "kajabi", "id": true}"#.into(), "id must be"),
        (r#"{"vendor": "kajabi", "id": [1]}"#.into(), "id must be"),
        (
            format!(r#"{{"vendor": "superoffice", "id": {so}, "secret": "x"}}"#),
            "unknown field secret",
        ),
        (
            format!(r#"{{"vendor": "superoffice", "id": {so}, "event": 1}}"#),
            "event must be",
        ),
        (so_ask("contact.deleted"), "contact.deleted"),
        (
            json!({"vendor": "kajabi", "id": kajabi, "event": "tag_added"}).to_string(),
            "tag_added",
        ),
    ];
    for (body, words) in cases {
        let (status, answer) =
            support::control_json(&root, Method::Post, "/_sandbox/deliveries", Some(&body));
        assert_eq!(status, 400, "{body}: {answer}");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(words),
            "{body}: {message:?} lacks {words:?}"
        );
    }
    // A refused event says which events the webhook has.
    let (_, answer) = support::control_json(
        &root,
        Method::Post,
        "/_sandbox/deliveries",
        Some(&so_ask("sale.sold")),
    );
    assert!(
        answer["message"]
            .as_str()
            .is_some_and(|m| m.contains("not one the webhook subscribes to")
                && m.contains("contact.created")),
        "{answer}"
    );
}

#[test]
fn a_custom_header_that_would_break_the_request_is_refused_or_left_out() {
    let root = support::start();
    // SuperOffice keeps any string as a header value; CR LF in one cannot be sent.
    let broken = superoffice_webhook(
        &root,
        json!({"Name": "Broken", "Events": ["contact.created"], "TargetUrl": "https://hooks.example.com/so",
               "Headers": {"X-Evil": "a\r\nX-Injected: 1"}}),
    );
    let (status, answer) = deliver(&root, &json!({"vendor": "superoffice", "id": broken}));
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .is_some_and(|m| m.contains("X-Evil")),
        "{answer}"
    );

    // One named like a header the vendor frames or sends itself is left out; the vendor's stands.
    let id = saleshandy_webhook(
        &root,
        &["email-sent"],
        json!({"Content-Length": "1", "host": "evil.example", "user-agent": "mine", "X-Kept": "yes"}),
    );
    let got = delivered(
        &root,
        VendorId::Saleshandy,
        json!({"vendor": "saleshandy", "id": id}),
    );
    assert_eq!(got.header("User-Agent"), Some("Saleshandy-Webhook/1.0"));
    assert_eq!(got.header("X-Kept"), Some("yes"));
    assert_eq!(got.headers[0].1, "hooks.example.com");
}

#[test]
fn the_route_answers_the_page_origin_with_cors() {
    let root = support::start();
    let (status, headers) = support::preflight(
        &format!("{root}/_sandbox/deliveries"),
        "POST",
        "content-type",
    );
    assert!((200..300).contains(&status), "{status}");
    assert_eq!(
        header_of(&headers, "access-control-allow-origin"),
        Some("https://hookpanel.example")
    );
    let answer = raw(
        Method::Post,
        &format!("{root}/_sandbox/deliveries"),
        &[("Origin", "https://hookpanel.example")],
        Some(("application/json", r#"{"vendor": "kajabi", "id": 1}"#)),
    );
    assert_eq!(answer.status, 404);
    assert_eq!(
        header_of(&answer.headers, "access-control-allow-origin"),
        Some("https://hookpanel.example")
    );
}
