//! Every fault a vendor or a network can throw, against the sandbox's switchable faults: the
//! admin is told what happened and what to do, the draft is still there, and nothing is sent
//! twice. Reads rate-limited with 429 are retried after the vendor's delay, with a countdown;
//! writes never are.

#![cfg(target_arch = "wasm32")]

mod support;

use hookpanel::Config;
use support::{Page, fault, mount_at, open_at, post_control, reopen_at};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// A valid Collect draft in the editor.
async fn collect_draft(page: &Page) {
    page.fill("field-targetUrl", "https://hooks.example.com/faults")
        .await;
    page.choose("/types", "created").await;
}

/// Sends, waits for the failure, and checks the draft is intact.
async fn send_and_fail(page: &Page) -> String {
    page.send().await;
    page.see_in("call-status", "Not sent").await;
    assert_eq!(
        page.value_of("field-targetUrl"),
        "https://hooks.example.com/faults"
    );
    assert!(page.raw_json().contains("\"created\""), "the draft is kept");
    page.text_of("call-status")
}

#[wasm_bindgen_test]
async fn a_rate_limited_read_counts_down_and_retries() {
    let page = open_at("/").await;
    fault(r#"{"fault": "429", "retry_after": 2}"#).await;
    drop(page);
    let page = reopen_at("/c/sandbox-saleshandy").await;
    page.see_in("list-status", "Trying again in").await;
    page.see_in("list-status", "0 webhooks").await;
}

#[wasm_bindgen_test]
async fn a_rate_limited_write_is_not_retried() {
    let page = open_at("/c/sandbox-collect/new").await;
    collect_draft(&page).await;
    fault(r#"{"fault": "429", "retry_after": 1}"#).await;
    let status = send_and_fail(&page).await;
    assert!(status.contains("slow down"), "{status}");
    assert!(status.contains("Wait 1 s"), "{status}");
    support::pause(1500).await;
    assert!(
        page.text_of("call-status").contains("Not sent"),
        "nothing was sent again"
    );
    assert_eq!(page.text_of("toasts").matches("slow down").count(), 1);
}

#[wasm_bindgen_test]
async fn a_500_says_the_vendor_failed() {
    let page = open_at("/c/sandbox-collect/new").await;
    collect_draft(&page).await;
    fault(r#"{"fault": "500"}"#).await;
    let status = send_and_fail(&page).await;
    assert!(status.contains("server failed (500)"), "{status}");
}

#[wasm_bindgen_test]
async fn a_503_says_try_later() {
    let page = open_at("/c/sandbox-collect/new").await;
    collect_draft(&page).await;
    fault(r#"{"fault": "503", "retry_after": 60}"#).await;
    let status = send_and_fail(&page).await;
    assert!(status.contains("temporarily offline"), "{status}");
}

#[wasm_bindgen_test]
async fn a_slow_vendor_is_abandoned_with_a_message() {
    post_control("/_sandbox/reset", "{}").await;
    hookpanel::store::clear();
    let page = mount_at(
        "/c/sandbox-collect/new",
        Config {
            timeout_ms: 800,
            ..Config::default()
        },
    )
    .await;
    collect_draft(&page).await;
    fault(r#"{"fault": "slow", "delay_ms": 3000}"#).await;
    let status = send_and_fail(&page).await;
    assert!(status.contains("No answer after 1 s"), "{status}");
    // Collect cannot list: what the vendor may have made is recorded, not left to a refresh.
    assert!(status.contains("may have created the webhook"), "{status}");
    assert!(status.contains("“not confirmed”"), "{status}");
}

/// Issue 11: a create that times out at a vendor that cannot list (Collect) left a webhook the
/// ledger never recorded. It is recorded as not confirmed, survives a reload, and the admin can
/// record it under the id Collect's own settings show, or forget it.
#[wasm_bindgen_test]
async fn a_create_without_an_answer_is_kept_as_unconfirmed_until_adopted() {
    post_control("/_sandbox/reset", "{}").await;
    hookpanel::store::clear();
    let config = || Config {
        timeout_ms: 800,
        ..Config::default()
    };
    let page = mount_at("/c/sandbox-collect/new", config()).await;
    collect_draft(&page).await;
    fault(r#"{"fault": "slow", "delay_ms": 1500}"#).await;
    send_and_fail(&page).await;
    drop(page);
    // A reload: the entry is in the ledger on the device.
    let page = mount_at("/c/sandbox-collect", config()).await;
    page.see_in("subscriptions", "not confirmed").await;
    page.see_in("subscriptions", "https://hooks.example.com/faults")
        .await;
    page.click("[data-testid=subscriptions] a.sub-id").await;
    page.see_in("unconfirmed", "did not answer this create in time")
        .await;
    assert!(
        page.is_disabled("pause"),
        "nothing to pause until its id is known"
    );
    page.fill("unconfirmed-id", "wh_seen_in_collect").await;
    page.press("adopt-unconfirmed").await;
    page.wait_for("the adopted webhook", |p| {
        p.heading() == "Webhook wh_seen_in_collect"
    })
    .await;
    assert!(
        page.text_of("unconfirmed").is_empty(),
        "no longer unconfirmed"
    );
    page.see_in("target", "https://hooks.example.com/faults")
        .await;
    assert!(
        support::stored().contains("wh_seen_in_collect")
            && !support::stored().contains("unconfirmed-"),
        "the ledger holds it by its real id: {}",
        support::stored()
    );
}

/// A vendor that can list is read again instead: the advice is to refresh before resending.
#[wasm_bindgen_test]
async fn a_slow_vendor_that_can_list_says_refresh_first() {
    post_control("/_sandbox/reset", "{}").await;
    hookpanel::store::clear();
    let page = mount_at(
        "/c/sandbox-saleshandy/new",
        Config {
            timeout_ms: 800,
            ..Config::default()
        },
    )
    .await;
    page.fill("field-name", "Slow").await;
    page.fill("field-webhookUrl", "https://hooks.example.com/faults")
        .await;
    page.choose("/webhookEvent", "email-sent").await;
    fault(r#"{"fault": "slow", "delay_ms": 3000}"#).await;
    page.send().await;
    page.see_in("call-status", "Not sent").await;
    let status = page.text_of("call-status");
    assert!(status.contains("No answer after 1 s"), "{status}");
    assert!(
        status.contains("refresh the list before sending again"),
        "{status}"
    );
}

#[wasm_bindgen_test]
async fn a_malformed_answer_is_not_a_success() {
    let page = open_at("/c/sandbox-collect/new").await;
    collect_draft(&page).await;
    fault(r#"{"fault": "malformed"}"#).await;
    let status = send_and_fail(&page).await;
    assert!(status.contains("could not be read"), "{status}");
    assert!(
        !page.heading().starts_with("Webhook "),
        "still in the editor"
    );
}

#[wasm_bindgen_test]
async fn a_refused_cors_preflight_names_the_way_out() {
    let page = open_at("/c/sandbox-collect/new").await;
    collect_draft(&page).await;
    fault(r#"{"fault": "cors"}"#).await;
    let status = send_and_fail(&page).await;
    assert!(status.contains("(CORS)"), "{status}");
    assert!(
        status.contains("relay") && status.contains("curl"),
        "{status}"
    );
}

#[wasm_bindgen_test]
async fn a_failed_read_says_what_to_do_and_refresh_recovers() {
    let page = open_at("/").await;
    fault(r#"{"fault": "500"}"#).await;
    drop(page);
    let page = reopen_at("/c/sandbox-superoffice").await;
    page.see_in("list-status", "Could not read the list").await;
    page.press("refresh").await;
    page.see_in("list-status", "0 webhooks").await;
}
