//! SuperOffice, end to end against the sandbox: list, create, modify with a diff, pause
//! (Stopped) and resume, delete (confirmed), a test delivery, a vendor-set TooManyErrors state,
//! and the vendor's refusal pinned on the field it is about.

#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::{
    Page, capture_console, console_text, location, open_at, post_control, reset, vendor_post,
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const AUTH: (&str, &str) = ("Authorization", "Bearer sandbox-superoffice-token");
const API: &str = "/superoffice/Cust12345/api/v1";

/// A webhook made through the sandbox's API, as another tool would have made it.
async fn existing(name: &str) -> String {
    let made = vendor_post(
        &format!("{API}/Webhook"),
        AUTH,
        json!({"Name": name, "Events": ["contact.created"], "TargetUrl": "https://hooks.example.com/so", "Type": "webhook"}),
    )
    .await;
    made["WebhookId"].to_string()
}

/// The details screen of a webhook made by [`existing`] (after [`reset`]).
async fn details(id: &str) -> Page {
    let page = support::reopen_at(&format!("/c/sandbox-superoffice/s/{id}")).await;
    page.wait_for("the webhook", |p| p.heading() == format!("Webhook {id}"))
        .await;
    page
}

#[wasm_bindgen_test]
async fn lists_the_tenants_webhooks_and_filters_them() {
    reset().await;
    let a = existing("Contact sync").await;
    let b = existing("Sale sync").await;
    let page = support::reopen_at("/c/sandbox-superoffice").await;
    page.see_in("list-status", "2 webhooks").await;
    page.fill("filter-text", &b.to_string()).await;
    page.see_in("list-status", "1 of 2 webhooks").await;
    assert!(page.find(&format!("[data-testid=\"sub:{b}\"]")).is_some());
    assert!(page.find(&format!("[data-testid=\"sub:{a}\"]")).is_none());
    page.fill("filter-text", "").await;
    page.select("filter-status", "paused").await;
    page.see_in("list-status", "0 of 2 webhooks").await;
}

#[wasm_bindgen_test]
async fn creates_a_webhook_from_the_form() {
    let page = open_at("/c/sandbox-superoffice/new").await;
    page.fill("field-Name", "Contact sync").await;
    page.fill("field-Events", "contact.created\nsale.changed")
        .await;
    page.fill("field-TargetUrl", "https://hooks.example.com/so")
        .await;
    page.select("field-Type", "webhook").await;
    page.fill("field-Secret", "whsec-very-secret").await;
    let preview = page.text_of("request-preview");
    assert!(!preview.contains("whsec-very-secret"), "{preview}");
    assert!(!preview.contains("sandbox-superoffice-token"), "{preview}");
    page.send().await;
    page.wait_for("the details", |p| p.heading().starts_with("Webhook "))
        .await;
    assert_eq!(page.text_of("status"), "active");
    assert_eq!(page.text_of("events"), "contact.created, sale.changed");
    assert!(
        !page.text_of("record").contains("whsec-very-secret"),
        "the Secret SuperOffice returns is masked"
    );
}

#[wasm_bindgen_test]
async fn offers_the_documented_events_to_tick_beside_names_typed() {
    let page = open_at("/c/sandbox-superoffice/new").await;
    // An ExtraTable event: SuperOffice documents the form, not the name.
    page.fill("field-Events", "y_table.created").await;
    page.click("[data-testid=\"field:/Events\"] details.suggestions > summary")
        .await;
    page.choose("/Events", "sale.sold").await;
    page.choose("/Events", "contact.created").await;
    // The lines are the whole list: the typed name stays first, the ticked ones follow.
    assert_eq!(
        page.value_of("field-Events"),
        "y_table.created\nsale.sold\ncontact.created"
    );
    let raw: serde_json::Value = serde_json::from_str(&page.raw_json()).expect("raw JSON");
    assert_eq!(
        raw["Events"],
        json!(["y_table.created", "sale.sold", "contact.created"])
    );
    assert!(page.text_of("field:/Events").contains("2 selected"));

    // The raw JSON changes the list: the boxes and the lines follow it.
    let mut edited = raw.clone();
    edited["Events"] = json!(["list.110.created", "contact.created"]);
    page.fill("raw-json", &edited.to_string()).await;
    assert!(page.is_chosen("/Events", "contact.created"));
    assert!(!page.is_chosen("/Events", "sale.sold"));
    assert_eq!(
        page.value_of("field-Events"),
        "list.110.created\ncontact.created"
    );

    // Unticking takes that name out and leaves the rest where it was.
    page.choose("/Events", "contact.created").await;
    assert_eq!(page.value_of("field-Events"), "list.110.created");
    assert!(page.text_of("field:/Events").contains("0 selected"));
    assert_eq!(page.field_problems("/Events"), "");
}

/// Every control reads the draft either followed (in a view) or once (setting up, handling a
/// click), never followed where nothing follows it, which Leptos warns of in the console: a read
/// like that is a view that does not update.
#[wasm_bindgen_test]
async fn the_screens_read_state_where_they_follow_it() {
    reset().await;
    let id = existing("Contact sync").await;
    capture_console();
    let page = support::reopen_at("/c/sandbox-superoffice").await;
    page.see_in("list-status", "1 webhook").await;
    let page = details(&id).await;
    drop(page);
    let page = support::reopen_at("/connections/sandbox-superoffice/edit").await;
    page.wait_el("#conn-title").await;
    drop(page);
    let page = support::reopen_at(&format!("/c/sandbox-superoffice/s/{id}/edit")).await;
    page.wait_el("#field-Events").await;
    page.click("[data-testid=\"field:/Events\"] details.suggestions > summary")
        .await;
    page.choose("/Events", "sale.sold").await;
    page.fill("field-Name", "Contact and sale sync").await;
    assert!(page.value_of("field-Events").ends_with("sale.sold"));
    let console = console_text();
    assert!(
        !console.contains("outside a reactive tracking context"),
        "{console}"
    );
}

#[wasm_bindgen_test]
async fn modifies_with_a_diff_and_keeps_the_state() {
    reset().await;
    let id = existing("Contact sync").await;
    let page = details(&id).await;
    page.press("pause").await;
    page.see_in("call-status", "now paused").await;
    page.press("modify").await;
    page.wait_el("#field-Name").await;
    page.fill("field-Name", "Contact sync (EU)").await;
    let diff = page.text_of("diff");
    assert!(
        diff.contains("/Name") && diff.contains("+ Contact sync (EU)"),
        "{diff}"
    );
    assert!(page.text_of("request-preview").starts_with("PUT "));
    page.send().await;
    page.wait_for("the details", |p| p.heading() == format!("Webhook {id}"))
        .await;
    page.see_in("toasts", "Saved webhook").await;
    assert_eq!(
        page.text_of("status"),
        "paused",
        "a PUT keeps the webhook stopped"
    );
}

#[wasm_bindgen_test]
async fn pauses_resumes_and_deletes_after_confirming() {
    reset().await;
    let id = existing("Contact sync").await;
    let page = details(&id).await;
    page.press("pause").await;
    page.see_in("call-status", "now paused").await;
    page.press("resume").await;
    page.see_in("call-status", "now active").await;
    page.press("delete").await;
    page.wait_el("dialog[open]").await;
    page.press("confirm-cancel").await;
    assert_eq!(
        location(),
        format!("/c/sandbox-superoffice/s/{id}"),
        "cancel keeps it"
    );
    page.press("delete").await;
    page.confirm().await;
    page.wait_for("the list", |_| location() == "/c/sandbox-superoffice")
        .await;
    page.see_in("toasts", &format!("Deleted webhook {id}"))
        .await;
    page.see_in("list-status", "0 webhooks").await;
}

#[wasm_bindgen_test]
async fn shows_too_many_errors_and_resumes_it() {
    reset().await;
    let id = existing("Flaky").await;
    post_control(
        &format!("/_sandbox/superoffice/webhooks/{id}/too-many-errors"),
        "{}",
    )
    .await;
    let page = details(&id).await;
    page.see_in("vendor-state", "The vendor stopped this webhook")
        .await;
    assert_eq!(page.text_of("status"), "stopped by the vendor");
    page.press("resume").await;
    page.see_in("call-status", "now active").await;
}

#[wasm_bindgen_test]
async fn a_failed_ping_is_shown_on_the_target_field() {
    let page = open_at("/c/sandbox-superoffice/new").await;
    page.fill("field-Name", "Broken").await;
    page.fill("field-Events", "contact.created").await;
    page.fill("field-TargetUrl", "https://nowhere.invalid/hook")
        .await;
    page.select("field-Type", "webhook").await;
    page.send().await;
    page.see_in("call-status", "Not sent").await;
    page.wait_for("the problem on the field", |p| {
        p.field_problems("/TargetUrl")
            .contains("did not respond with 200 OK")
    })
    .await;
    page.fill("field-TargetUrl", "https://hooks.example.com/fixed")
        .await;
    page.wait_for(
        "the vendor's problem to clear once the field changes",
        |p| p.field_problems("/TargetUrl").is_empty(),
    )
    .await;
}

#[wasm_bindgen_test]
async fn sends_a_test_delivery() {
    let page = open_at("/c/sandbox-superoffice/new").await;
    page.fill("field-Name", "Ping").await;
    page.fill("field-Events", "contact.created").await;
    page.fill("field-TargetUrl", "https://hooks.example.com/ok")
        .await;
    page.select("field-Type", "webhook").await;
    page.press("test-delivery").await;
    page.see_in("test-status", "arrived").await;
}
