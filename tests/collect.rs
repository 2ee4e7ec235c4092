//! Collect, end to end in headless Chromium against the sandbox over real HTTP: the editor
//! validates as the admin types and masks secrets; create, modify, pause and resume; the ledger
//! (Collect cannot list), adopting a webhook by id; and the error paths.

#![cfg(target_arch = "wasm32")]

mod support;

use support::{Page, location, open_at, pause, post_control, reopen_at, stored};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const NEW: &str = "/c/sandbox-collect/new";

async fn open_app() -> Page {
    open_at(NEW).await
}

/// Creates a webhook through the editor and returns its id, on its details screen.
async fn create(page: &Page, target: &str) -> String {
    page.fill("field-targetUrl", target).await;
    page.choose("/types", "created").await;
    page.send().await;
    page.wait_for("the details screen", |p| {
        p.heading().starts_with("Webhook ")
    })
    .await;
    page.heading().trim_start_matches("Webhook ").to_string()
}

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

    page.send().await;
    page.wait_for("the details screen", |p| {
        p.heading().starts_with("Webhook ")
    })
    .await;
    let id = page.heading().trim_start_matches("Webhook ").to_string();
    assert_eq!(id.chars().count(), 17, "a Collect-style id: {id}");
    assert_eq!(location(), format!("/c/sandbox-collect/s/{id}"));
    assert_eq!(page.text_of("status"), "active");
    page.see_in("toasts", &format!("Created webhook {id}"))
        .await;
    let kept = stored();
    assert!(kept.contains(&id), "the ledger keeps it: {kept}");
    assert!(
        !kept.contains("tok-123-secret"),
        "the ledger holds no secret: {kept}"
    );
}

#[wasm_bindgen_test]
async fn an_invalid_draft_is_not_sent() {
    let page = open_app().await;
    page.fill("raw-json", "{\"types\": [\"portalSubmitted\"]}")
        .await;
    page.send().await;
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
    page.send().await;
    page.wait_for("the failure", |p| {
        p.text_of("call-status").contains("Not sent")
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

#[wasm_bindgen_test]
async fn pauses_and_resumes_a_webhook() {
    let page = open_app().await;
    let id = create(&page, "https://hooks.example.com/pause-me").await;
    page.press("pause").await;
    page.see_in("call-status", "now paused").await;
    assert_eq!(page.text_of("status"), "paused");
    page.press("resume").await;
    page.see_in("call-status", "now active").await;
    assert_eq!(page.text_of("status"), "active");
    assert!(page.text().contains(&id));
}

#[wasm_bindgen_test]
async fn modifies_a_webhook_showing_what_changes() {
    let page = open_app().await;
    let id = create(&page, "https://hooks.example.com/old").await;
    page.press("modify").await;
    page.wait_el("#field-targetUrl").await;
    assert_eq!(
        page.value_of("field-targetUrl"),
        "https://hooks.example.com/old"
    );
    page.see_in("diff", "No change yet").await;
    page.fill("field-targetUrl", "https://hooks.example.com/new")
        .await;
    let diff = page.text_of("diff");
    assert!(diff.contains("/targetUrl"), "{diff}");
    assert!(diff.contains("− https://hooks.example.com/old"), "{diff}");
    assert!(diff.contains("+ https://hooks.example.com/new"), "{diff}");
    let preview = page.text_of("request-preview");
    assert!(preview.starts_with(&"POST ".to_string()), "{preview}");
    assert!(preview.contains(&format!("/webhooks/{id}")), "{preview}");
    page.send().await;
    page.wait_for("the details screen", |p| {
        p.heading() == format!("Webhook {id}")
    })
    .await;
    page.see_in("target", "https://hooks.example.com/new").await;
}

#[wasm_bindgen_test]
async fn the_ledger_lists_what_was_created_and_adopted_and_survives_a_reload() {
    let page = open_app().await;
    let id = create(&page, "https://hooks.example.com/ledger").await;
    drop(page);
    let page = reopen_at("/c/sandbox-collect").await;
    page.wait_el(&format!("[data-testid=\"sub:{id}\"]")).await;
    assert!(
        page.text().contains("cannot list webhooks"),
        "the vendor's one sentence"
    );
    assert!(
        page.find("[data-testid=refresh]").is_none(),
        "no list call to refresh"
    );
    page.fill("adopt-id", "wh_from_elsewhere").await;
    page.press("adopt").await;
    page.wait_el("[data-testid=\"sub:wh_from_elsewhere\"]")
        .await;
    page.fill("filter-text", "ledger").await;
    page.see_in("list-status", "1 of 2 webhooks").await;
}

#[wasm_bindgen_test]
async fn absent_actions_are_disabled_with_the_vendors_sentence() {
    let page = open_app().await;
    create(&page, "https://hooks.example.com/absent").await;
    assert!(page.is_disabled("delete"));
    assert!(page.text().contains("Collect's API cannot delete webhooks"));
}

#[wasm_bindgen_test]
async fn an_unsaved_draft_survives_a_reload_without_its_secret() {
    let page = open_app().await;
    page.fill("field-targetUrl", "https://hooks.example.com/draft")
        .await;
    page.fill("field-secretToken", "do-not-store-me-1").await;
    pause(50).await;
    drop(page);
    let page = reopen_at(NEW).await;
    page.wait_el("[data-testid=restored]").await;
    page.wait_for("the restored target", |p| {
        !p.value_of("field-targetUrl").is_empty()
    })
    .await;
    assert_eq!(
        page.value_of("field-targetUrl"),
        "https://hooks.example.com/draft"
    );
    assert_eq!(
        page.value_of("field-secretToken"),
        "",
        "secrets are never stored"
    );
    assert!(!stored().contains("do-not-store-me-1"));
}

#[wasm_bindgen_test]
async fn a_wrong_key_is_refused_with_what_to_do() {
    let page = open_at("/connections/sandbox-collect/edit").await;
    page.fill("conn-key", "wrong-key-123").await;
    page.press("save-connection").await;
    page.wait_for("the list", |_| location() == "/c/sandbox-collect")
        .await;
    page.press("new-subscription").await;
    page.wait_el("#field-targetUrl").await;
    page.fill("field-targetUrl", "https://hooks.example.com/x")
        .await;
    page.send().await;
    page.see_in("call-status", "Your API key is wrong").await;
    assert!(
        page.text_of("call-status")
            .contains("Check the connection's credentials")
    );
}

#[wasm_bindgen_test]
async fn a_webhook_collect_paused_by_itself_can_be_resumed() {
    let page = open_app().await;
    let id = create(&page, "https://hooks.example.com/flaky").await;
    // Collect pauses a webhook after a day of failed deliveries; its API cannot be read, so the
    // page still shows it active, and offers Resume anyway.
    post_control(&format!("/_sandbox/collect/webhooks/{id}/auto-pause"), "{}").await;
    assert_eq!(page.text_of("status"), "active");
    assert!(page.text_of("unreadable-state").contains("may have paused"));
    page.press("resume").await;
    page.see_in("call-status", "now active").await;
}
