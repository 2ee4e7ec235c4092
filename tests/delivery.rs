//! Check a delivery (issue 13), end to end: the sandbox delivers as the vendor would (a real
//! HMAC over the raw body for SuperOffice, the custom header for Saleshandy, the token header for
//! Collect, nothing for Kajabi), and the admin pastes what arrived. A genuine delivery passes; a
//! tampered body, a wrong secret and a missing signature each fail with their own sentence. From a
//! webhook's details, the screen opens with its vendor and its secret filled in (masked), and the
//! secret is never stored, put in the address or logged.

#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::{Value, json};
use support::{
    Page, ask_control, assert_nowhere, capture_console, location, open_at, reopen_at, vendor_post,
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// What the sandbox would have sent to the webhook's target: `(raw request, body)`.
async fn delivered(vendor: &str, id: Value) -> (String, String) {
    let answer = ask_control(
        "/_sandbox/deliveries",
        json!({ "vendor": vendor, "id": id }),
    )
    .await;
    let text = |k: &str| answer[k].as_str().unwrap_or_default().to_string();
    (text("request"), text("body"))
}

async fn paste(page: &Page, text: &str) {
    page.fill("delivery-text", text).await;
}

async fn verdict(page: &Page, testid: &str, text: &str) {
    page.see_in(testid, text).await;
}

#[wasm_bindgen_test]
async fn superoffice_genuine_tampered_wrong_secret_and_unsigned_from_the_webhooks_details() {
    capture_console();
    const SECRET: &str = "so-e2e-signing-secret-7";
    let page = open_at("/").await;
    let made = vendor_post(
        "/superoffice/Cust12345/api/v1/Webhook",
        ("Authorization", "Bearer sandbox-superoffice-token"),
        json!({"Name": "Signed sync", "Events": ["contact.changed"], "TargetUrl": "https://hooks.example.com/so", "Type": "webhook", "Secret": SECRET}),
    )
    .await;
    let id = made["WebhookId"].clone();
    let (request, body) = delivered("superoffice", id.clone()).await;
    assert!(request.contains("X-SuperOffice-Signature: "), "{request}");
    drop(page);

    // From the webhook's details: its vendor and secret are filled in, the secret masked.
    let page = reopen_at(&format!("/c/sandbox-superoffice/s/{id}")).await;
    page.wait_el("[data-testid=check-delivery]").await;
    page.press("check-delivery").await;
    page.wait_for("the check screen", |p| p.heading() == "Check a delivery")
        .await;
    assert_eq!(location(), format!("/c/sandbox-superoffice/s/{id}/check"));
    page.wait_for("the secret from the record", |p| {
        p.find("#delivery-secret").is_some() && p.value_of("delivery-secret") == SECRET
    })
    .await;
    assert_eq!(page.input_type("delivery-secret"), "password");
    assert_eq!(page.value_of("delivery-vendor"), "superoffice");
    assert!(page.text().contains("Filled in from the webhook's record"));

    paste(&page, &request).await;
    verdict(&page, "verdict-authenticity", "The signature matches").await;
    verdict(&page, "verdict-overall", "The delivery passes").await;
    assert!(
        page.text_of("verdict-vendor")
            .contains("event \"contact.changed\"")
    );
    assert!(
        page.text_of("verdict-body")
            .contains("matches SuperOffice's event schema")
    );
    assert!(
        page.text_of("delivery-read")
            .contains("X-SuperOffice-Signature")
    );

    // A body changed on the way: one character of it.
    let tampered = request.replace(&body, &body.replacen("contact", "c0ntact", 1));
    assert_ne!(tampered, request);
    paste(&page, &tampered).await;
    verdict(
        &page,
        "verdict-authenticity",
        "The signature does not match",
    )
    .await;
    verdict(&page, "verdict-overall", "The delivery fails").await;

    // The genuine delivery with another secret.
    paste(&page, &request).await;
    verdict(&page, "verdict-authenticity", "The signature matches").await;
    page.fill("delivery-secret", "not-the-webhooks-secret")
        .await;
    verdict(
        &page,
        "verdict-authenticity",
        "The signature does not match",
    )
    .await;

    // The signature header cut off: said missing.
    page.fill("delivery-secret", SECRET).await;
    let unsigned: String = request
        .split_inclusive("\r\n")
        .filter(|line| !line.starts_with("X-SuperOffice-Signature:"))
        .collect();
    paste(&page, &unsigned).await;
    verdict(
        &page,
        "verdict-authenticity",
        "X-SuperOffice-Signature header is missing",
    )
    .await;
    verdict(&page, "verdict-overall", "The delivery fails").await;

    // Reformatted JSON is other bytes, and does not match: the signature is over what arrived.
    let value: Value = serde_json::from_str(&body).expect("the body is JSON");
    let pretty = serde_json::to_string_pretty(&value).expect("printed");
    paste(&page, &request.replace(&body, &pretty)).await;
    verdict(
        &page,
        "verdict-authenticity",
        "The signature does not match",
    )
    .await;

    assert_nowhere(&[SECRET], "after checking deliveries");
    let shown = page.text();
    assert!(!shown.contains(SECRET), "the secret is not on screen");
    // The secret filled in from the record is not kept in the page's address or reloaded into it.
    drop(page);
    let page = reopen_at(&format!("/c/sandbox-superoffice/s/{id}/check")).await;
    page.wait_for("the secret from the record", |p| {
        p.find("#delivery-secret").is_some() && p.value_of("delivery-secret") == SECRET
    })
    .await;
    assert_eq!(page.value_of("delivery-text"), "", "nothing pasted is kept");
    assert_nowhere(&[SECRET], "after a reload");
}

#[wasm_bindgen_test]
async fn kajabi_is_told_from_its_body_and_said_to_sign_nothing() {
    let page = open_at("/").await;
    let made = vendor_post(
        "/kajabi/v1/hooks",
        ("Authorization", "Bearer sandbox-kajabi-token"),
        json!({"data": {"type": "hooks", "attributes": {"target_url": "https://hooks.example.com/kj", "event": "tag_added"}, "relationships": {"site": {"data": {"type": "sites", "id": "1"}}}}}),
    )
    .await;
    let id = made["data"]["id"].clone();
    let (_, body) = delivered("kajabi", id).await;
    drop(page);
    let page = reopen_at("/check").await;
    page.wait_el("#delivery-text").await;
    assert!(page.text().contains("Paste a delivery to check it."));
    paste(&page, &body).await;
    verdict(&page, "verdict-vendor", "Kajabi (told from the delivery)").await;
    verdict(
        &page,
        "verdict-authenticity",
        "Kajabi does not sign deliveries",
    )
    .await;
    verdict(&page, "verdict-overall", "The delivery passes").await;
    assert!(page.find("#delivery-secret").is_none(), "no secret to give");
    assert!(
        page.text_of("no-signing")
            .contains("only the body can be checked")
    );
    assert!(page.text_of("delivery-read").contains("body alone"));

    // A body that breaks the schema: the problem at its pointer.
    let mut broken: Value = serde_json::from_str(&body).expect("JSON");
    broken["event"] = json!("tag_exploded");
    paste(&page, &broken.to_string()).await;
    page.select("delivery-vendor", "kajabi").await;
    verdict(&page, "verdict-problems", "/event: ").await;
    verdict(&page, "verdict-overall", "The delivery fails").await;
    // Not JSON: said, with where.
    paste(&page, "{\"event\": ").await;
    verdict(&page, "verdict-problems", "Not valid JSON at line 1").await;
}

#[wasm_bindgen_test]
async fn saleshandy_header_and_collect_token_are_checked_and_collect_must_be_picked() {
    capture_console();
    const HEADER_SECRET: &str = "sh-shared-secret-9";
    const TOKEN: &str = "collect-token-e2e-3";
    let page = open_at("/").await;
    let made = vendor_post(
        "/saleshandy/v1/webhook/create",
        ("x-api-key", "sandbox-saleshandy-key"),
        json!({"name": "Replies", "webhookUrl": "https://hooks.example.com/sh", "webhookEvent": ["reply-received"], "headers": {"X-Hook-Secret": HEADER_SECRET}}),
    )
    .await;
    let sh_id = made["payload"]["id"].clone();
    let (sh_request, _) = delivered("saleshandy", sh_id.clone()).await;
    drop(page);
    let page = reopen_at(&format!(
        "/c/sandbox-saleshandy/s/{}/check",
        sh_id.as_str().unwrap_or_default()
    ))
    .await;
    page.wait_for("the header from the record", |p| {
        p.find("#delivery-header").is_some() && p.value_of("delivery-header") == "X-Hook-Secret"
    })
    .await;
    paste(&page, &sh_request).await;
    verdict(
        &page,
        "verdict-authenticity",
        "The X-Hook-Secret header carries",
    )
    .await;
    verdict(&page, "verdict-overall", "The delivery passes").await;
    page.fill("delivery-secret", "other").await;
    verdict(
        &page,
        "verdict-authenticity",
        "does not carry the shared secret",
    )
    .await;

    // Collect: a token in a header whose name Collect does not document; its body has no shape
    // Collect documents, so the vendor is picked.
    let made = vendor_post(
        "/collect/v1/webhooks",
        ("Authorization", "Basic OnNhbmRib3gtY29sbGVjdC1rZXk="),
        json!({"targetUrl": "https://hooks.example.com/co", "types": ["docParsed"], "secretToken": TOKEN}),
    )
    .await;
    let (co_request, _) = delivered("collect", made["_id"].clone()).await;
    drop(page);
    let page = reopen_at("/check").await;
    page.wait_el("#delivery-text").await;
    paste(&page, &co_request).await;
    verdict(&page, "verdict-vendor", "pick the vendor").await;
    page.select("delivery-vendor", "collect").await;
    verdict(&page, "verdict-vendor", "Collect (chosen above)").await;
    verdict(&page, "verdict-authenticity", "Give that secret").await;
    page.fill("delivery-secret", TOKEN).await;
    verdict(
        &page,
        "verdict-authenticity",
        "header carries the webhook's shared secret",
    )
    .await;
    verdict(&page, "verdict-overall", "The delivery passes").await;
    assert_nowhere(&[TOKEN, HEADER_SECRET], "after checking");
}
