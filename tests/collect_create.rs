//! Collect create, end to end in headless Chromium: the form validates as the admin types, the
//! preview masks the key, and the call goes to the sandbox over real HTTP.

#![cfg(target_arch = "wasm32")]

mod support;

use support::{open_app, post_control};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn the_form_follows_the_schema_and_starts_quiet() {
    let page = open_app().await;
    // Regression: serde_json sorted the schema's properties, putting Target URL third.
    assert_eq!(
        page.field_labels(),
        ["Target URL", "Event types", "Campaign id", "Secret token"]
    );
    assert_eq!(page.text_of("problem-summary"), "");
    let raw_problems = page
        .find("#raw-json-problems")
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    assert_eq!(
        raw_problems, "",
        "nothing is flagged before the admin does anything"
    );
}

#[wasm_bindgen_test]
async fn a_problem_appears_as_you_type_and_clears_when_fixed() {
    let page = open_app().await;
    assert_eq!(
        page.field_problems("/targetUrl"),
        "",
        "no problem before the field is touched"
    );

    page.fill("field-targetUrl", "yourserver.com/collect-hook")
        .await;
    page.wait_for("the URL problem", |p| {
        p.field_problems("/targetUrl").contains("Enter a full URL")
    })
    .await;

    page.fill("field-targetUrl", "ftp://yourserver.com/hook")
        .await;
    page.wait_for("the scheme problem", |p| {
        p.field_problems("/targetUrl")
            .contains("cannot receive webhooks")
    })
    .await;

    page.fill("field-targetUrl", "https://yourserver.com/collect-hook")
        .await;
    page.wait_for("the problem to clear", |p| {
        p.field_problems("/targetUrl").is_empty()
    })
    .await;
}

#[wasm_bindgen_test]
async fn creates_a_collect_webhook_against_the_sandbox() {
    let page = open_app().await;
    page.fill("field-targetUrl", "https://hooks.example.com/collect")
        .await;
    page.choose("/types", "created").await;
    page.choose("/types", "docParsed").await;
    page.fill("field-secretToken", "tok-123-secret").await;

    assert!(
        page.raw_json().contains("\"docParsed\""),
        "the raw view follows the form"
    );
    let preview = page.text_of("request-preview");
    assert!(preview.starts_with("POST "), "{preview}");
    assert!(preview.contains("/collect/v1/webhooks"), "{preview}");
    assert!(
        !preview.contains("tok-123-secret"),
        "the secret token is masked: {preview}"
    );
    assert!(
        !preview.contains("Basic OnNhbmRib3"),
        "the API key is masked: {preview}"
    );

    page.click("[data-testid=create]").await;
    page.wait_for("the created webhook", |p| {
        !p.text_of("created-id").is_empty()
    })
    .await;
    let id = page.text_of("created-id");
    assert_eq!(id.chars().count(), 17, "a Collect-style id: {id}");
    assert!(page.text_of("call-status").contains("active"));
}

#[wasm_bindgen_test]
async fn an_invalid_draft_is_not_sent() {
    let page = open_app().await;
    page.fill("raw-json", "{\"types\": [\"portalSubmitted\"]}")
        .await;
    page.click("[data-testid=create]").await;
    page.wait_for("the summary", |p| !p.text_of("problem-summary").is_empty())
        .await;
    let summary = page.text_of("problem-summary");
    assert!(summary.contains("Target URL is required"), "{summary}");
    assert!(summary.contains("/types/0"), "{summary}");
    assert_eq!(page.text_of("call-status"), "", "nothing was sent");
}

#[wasm_bindgen_test]
async fn a_503_is_shown_with_what_to_do_and_the_draft_is_kept() {
    let page = open_app().await;
    post_control("/_sandbox/faults", r#"{"fault": "503", "retry_after": 30}"#).await;
    page.fill("field-targetUrl", "https://hooks.example.com/collect")
        .await;
    page.click("[data-testid=create]").await;
    page.wait_for("the failure", |p| {
        p.text_of("call-status").contains("Not created")
    })
    .await;
    let status = page.text_of("call-status");
    assert!(status.contains("temporarily offline"), "{status}");
    assert!(status.contains("your draft is kept"), "{status}");
    assert!(
        page.raw_json()
            .contains("https://hooks.example.com/collect")
    );
}
