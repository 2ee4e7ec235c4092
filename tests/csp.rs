//! A call the page's own Content-Security-Policy refuses is told apart from a CORS refusal
//! (issue 11): the message names the origin and how to allow it, instead of blaming the vendor's
//! CORS and suggesting a relay the policy would refuse too. The test page gets a policy like the
//! built page's (only loopback's 127.0.0.1 allowed), inserted as the built page has it, in a
//! `<meta>`; this file runs in a page of its own, so no other test sees it.

#![cfg(target_arch = "wasm32")]

mod support;

use support::{fault, open_at};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn install_policy() {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    if document
        .query_selector("meta[http-equiv=Content-Security-Policy]")
        .ok()
        .flatten()
        .is_some()
    {
        return;
    }
    let meta = document.create_element("meta").expect("a meta");
    meta.set_attribute("http-equiv", "Content-Security-Policy")
        .expect("an attribute");
    meta.set_attribute("content", "connect-src 'self' http://127.0.0.1:*")
        .expect("an attribute");
    document
        .head()
        .expect("a head")
        .append_child(&meta)
        .expect("in the head");
}

#[wasm_bindgen_test]
async fn a_call_the_policy_refuses_says_so_and_how_to_allow_it() {
    install_policy();
    let page = open_at("/connections/new").await;
    page.select("conn-vendor", "saleshandy").await;
    page.fill("conn-name", "Through localhost").await;
    let base = support::sandbox_url().replace("127.0.0.1", "localhost");
    page.fill("conn-base", &format!("{base}/saleshandy/v1"))
        .await;
    page.fill("conn-key", "sandbox-saleshandy-key").await;
    page.press("test-connection").await;
    page.see_in("test-status", "Not connected").await;
    let status = page.text_of("test-status");
    let origin = base.trim_end_matches('/');
    assert!(
        status.contains(&format!("does not allow connecting to {origin}")),
        "{status}"
    );
    assert!(status.contains("HOOKPANEL_CONNECT_SRC"), "{status}");
    assert!(!status.contains("(CORS)"), "{status}");
}

#[wasm_bindgen_test]
async fn a_cors_refusal_is_still_called_one() {
    install_policy();
    let page = open_at("/connections/sandbox-saleshandy/edit").await;
    fault(r#"{"fault": "cors"}"#).await;
    page.press("test-connection").await;
    page.see_in("test-status", "Not connected").await;
    let status = page.text_of("test-status");
    assert!(status.contains("(CORS)"), "{status}");
    assert!(!status.contains("Content-Security-Policy"), "{status}");
}
