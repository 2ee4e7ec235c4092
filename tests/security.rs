//! Secrets never leak, and what vendors return is shown as text: API keys, tokens and webhook
//! secrets stay out of storage (unless the admin asked), URLs, the console, the Collect ledger and
//! the preview (unless revealed); HTML in a vendor's answer renders as text and runs nothing.

#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::{
    capture_console, console_text, fault, location, open_at, reopen_at, stored, vendor_post,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn credentials_are_kept_on_the_device_only_when_the_admin_asks() {
    let page = open_at("/connections/new").await;
    page.select("conn-vendor", "saleshandy").await;
    page.fill("conn-name", "Forgotten").await;
    page.fill("conn-key", "sh-key-not-remembered-1").await;
    page.press("save-connection").await;
    page.wait_for("the list", |_| location().starts_with("/c/c"))
        .await;
    let kept = stored();
    assert!(kept.contains("Forgotten"), "the connection is kept: {kept}");
    assert!(!kept.contains("sh-key-not-remembered-1"), "{kept}");
    drop(page);

    let page = reopen_at("/connections/new").await;
    page.select("conn-vendor", "saleshandy").await;
    page.fill("conn-name", "Remembered").await;
    page.fill("conn-key", "sh-key-remembered-2").await;
    page.click("#conn-remember").await;
    page.press("save-connection").await;
    page.wait_for("the list", |_| location().starts_with("/c/c"))
        .await;
    assert!(
        stored().contains("sh-key-remembered-2"),
        "kept, as the admin chose"
    );
    drop(page);

    // After a reload the forgotten key must be typed again; the remembered one still works.
    let page = reopen_at("/").await;
    page.see("Forgotten").await;
    page.see("Remembered on this device").await;
}

#[wasm_bindgen_test]
async fn no_secret_reaches_the_console_the_url_or_the_preview() {
    capture_console();
    let page = open_at("/c/sandbox-collect/new").await;
    page.fill("field-targetUrl", "https://hooks.example.com/secret")
        .await;
    page.choose("/types", "created").await;
    page.fill("field-secretToken", "collect-secret-token-9")
        .await;
    let masked = page.text_of("request-preview");
    assert!(!masked.contains("collect-secret-token-9"), "{masked}");
    assert!(!masked.contains("sandbox-collect-key"), "{masked}");
    assert!(
        !masked.contains("OnNhbmRib3gtY29sbGVjdC1rZXk"),
        "the Basic value is masked: {masked}"
    );
    page.click("[data-testid=reveal]").await;
    page.see_in("request-preview", "collect-secret-token-9")
        .await;
    page.click("[data-testid=reveal]").await;

    // A failure and a success, both with the secret in the draft.
    fault(r#"{"fault": "500"}"#).await;
    page.send().await;
    page.see_in("call-status", "Not sent").await;
    page.send().await;
    page.wait_for("the details", |p| p.heading().starts_with("Webhook "))
        .await;

    let href = web_sys::window()
        .expect("window")
        .location()
        .href()
        .unwrap_or_default();
    for secret in ["collect-secret-token-9", "sandbox-collect-key"] {
        assert!(!href.contains(secret), "{href}");
        assert!(
            !console_text().contains(secret),
            "console: {}",
            console_text()
        );
        assert!(!stored().contains(secret), "storage: {}", stored());
    }
}

#[wasm_bindgen_test]
async fn vendor_text_with_markup_renders_as_text_and_runs_nothing() {
    let page = open_at("/").await;
    let name = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";
    let made = vendor_post(
        "/superoffice/Cust12345/api/v1/Webhook",
        ("Authorization", "Bearer sandbox-superoffice-token"),
        json!({"Name": name, "Events": ["contact.created"], "TargetUrl": "https://hooks.example.com/<b>bold</b>", "Type": "webhook"}),
    )
    .await;
    let id = made["WebhookId"].to_string();
    drop(page);
    let page = reopen_at(&format!("/c/sandbox-superoffice/s/{id}")).await;
    page.wait_el("[data-testid=record]").await;
    assert!(
        page.text_of("record")
            .contains("<script>window.__pwned=2</script>")
    );
    assert!(page.text_of("target").contains("<b>bold</b>"));
    assert!(
        page.find("main img, main script, main b").is_none(),
        "no markup was made"
    );
    support::pause(100).await;
    let pwned = js_sys::Reflect::get(&web_sys::window().expect("window"), &"__pwned".into())
        .unwrap_or(JsValue::UNDEFINED);
    assert!(pwned.is_undefined(), "nothing ran");
}

#[wasm_bindgen_test]
async fn a_crash_shows_a_banner_with_a_reload() {
    let page = open_at("/").await;
    hookpanel::crash::show_banner();
    hookpanel::crash::show_banner();
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let banners = document.query_selector_all("#crash-banner").expect("query");
    assert_eq!(banners.length(), 1, "shown once");
    let banner = document
        .get_element_by_id("crash-banner")
        .expect("the banner");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let text = banner.text_content().unwrap_or_default();
    assert!(
        text.contains("drafts are saved") && text.contains("Reload"),
        "{text}"
    );
    banner.remove();
    drop(page);
}
