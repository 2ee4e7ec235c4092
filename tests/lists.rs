//! Lists of real sizes (issue 11): every page of a vendor's list is read, with progress, up to the
//! bound, which says where it stopped; a rate-limited page is read again after its Retry-After; a
//! page that fails keeps what was read and says it is incomplete; filters work among many.
//! The sandbox pages as the vendors' docs say (Kajabi 25 a page with `links.next`, Saleshandy 25
//! a page with no count), and holds accounts seeded to thousands.

#![cfg(target_arch = "wasm32")]

mod support;

use support::{fault, reopen_at, reset, seed};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// How many rows the list draws now.
fn rows(page: &support::Page) -> u32 {
    page.find("[data-testid=subscriptions]")
        .map(|ul| ul.child_element_count())
        .unwrap_or(0)
}

#[wasm_bindgen_test]
async fn every_page_of_kajabis_list_is_read_with_progress() {
    reset().await;
    seed("kajabi", 60).await;
    // Each page answers slowly enough for the progress to be seen.
    fault(r#"{"fault": "slow", "delay_ms": 400, "count": 3}"#).await;
    let page = reopen_at("/c/sandbox-kajabi").await;
    page.see_in("list-status", "Reading page 2 of 3…").await;
    page.see_in("list-status", "60 webhooks").await;
    assert_eq!(rows(&page), 60);
}

#[wasm_bindgen_test]
async fn every_page_of_saleshandys_list_is_read_and_filtered_among_many() {
    reset().await;
    seed("saleshandy", 60).await;
    let page = reopen_at("/c/sandbox-saleshandy").await;
    page.see_in("list-status", "60 webhooks").await;
    assert_eq!(rows(&page), 60);
    // The seeded account has several events and hosts: a filter narrows, another widens again.
    page.select("filter-event", "email-sent").await;
    let narrowed = page.text_of("list-status");
    let (shown, of) = narrowed
        .split_once(" of ")
        .unwrap_or_else(|| panic!("{narrowed}"));
    let shown: u32 = shown.parse().unwrap_or_else(|_| panic!("{narrowed}"));
    assert!(shown > 0 && shown < 60 && of == "60 webhooks", "{narrowed}");
    assert_eq!(rows(&page), shown);
    page.select("filter-event", "").await;
    page.fill("filter-text", "crm.example.org").await;
    let by_host = page.text_of("list-status");
    assert!(
        by_host.ends_with(" of 60 webhooks") && !by_host.starts_with("0 "),
        "{by_host}"
    );
    page.fill("filter-text", "").await;
    page.see_in("list-status", "60 webhooks").await;
}

#[wasm_bindgen_test]
async fn a_rate_limited_page_is_read_again_after_its_delay() {
    reset().await;
    seed("kajabi", 60).await;
    // Page 1 passes (a slow fault of no delay), page 2 is told to wait a second.
    fault(r#"{"fault": "slow", "delay_ms": 1}"#).await;
    fault(r#"{"fault": "429", "retry_after": 1}"#).await;
    let page = reopen_at("/c/sandbox-kajabi").await;
    page.see_in("list-status", "Trying again in").await;
    page.see_in("list-status", "60 webhooks").await;
}

#[wasm_bindgen_test]
async fn a_page_that_fails_keeps_what_was_read_and_says_so() {
    reset().await;
    seed("saleshandy", 60).await;
    fault(r#"{"fault": "slow", "delay_ms": 1, "count": 2}"#).await;
    fault(r#"{"fault": "500"}"#).await;
    let page = reopen_at("/c/sandbox-saleshandy").await;
    page.see_in("list-status", "Could not read the list").await;
    let status = page.text_of("list-status");
    assert!(
        status.contains("Only the first 50 webhooks are shown: page 3 could not be read."),
        "{status}"
    );
    assert_eq!(rows(&page), 50);
    page.press("refresh").await;
    page.see_in("list-status", "60 webhooks").await;
}

/// An account beyond the bound: 10,000 are read, the list says where it stopped and how many
/// the vendor has, and draws a thousand rows at a time.
#[wasm_bindgen_test]
async fn the_bound_says_where_the_read_stopped() {
    reset().await;
    seed("kajabi", 10_050).await;
    let page = reopen_at("/c/sandbox-kajabi").await;
    // 400 pages of 25: a debug build reads them in about 10 s on a quiet machine.
    page.wait_up_to(120, "the read to end", |p| {
        p.text_of("list-status") == "10,000 webhooks"
    })
    .await;
    page.see_in("list-caveat", "Stopped after 10,000 of 10,050")
        .await;
    assert_eq!(rows(&page), 1000);
    page.see("Showing the first 1,000 of 10,000.").await;
    page.press("show-more").await;
    page.wait_for("a thousand more rows", |p| rows(p) == 2000)
        .await;
}
