//! Secrets wherever they are typed (issue 11): a distinct secret in every place an admin can put
//! one (a connection's key, a custom header's value, a webhook's signing secret, Collect's secret
//! token), then a send that fails, one that succeeds, and a reload. None of them is in the device's
//! storage, the address or the console after any step, and none shows on screen unasked: inputs
//! are masked, the raw JSON and the preview mask them until "Show secrets", the vendor's record
//! masks what the vendor returns (SuperOffice returns `Secret` and the headers).

#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::{Page, assert_nowhere, capture_console, fault, location, open_at, reopen_at, stored};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// None of `secrets` is on the screen (text, or the value of any field).
fn not_shown(page: &Page, secrets: &[&str], when: &str) {
    let text = page.text();
    let raw = page.raw_json_if_any();
    for secret in secrets {
        assert!(!text.contains(secret), "{when}: {secret} on screen");
        assert!(
            !raw.contains(secret),
            "{when}: {secret} in the raw JSON: {raw}"
        );
    }
}

#[wasm_bindgen_test]
async fn saleshandy_key_and_header_value_go_nowhere() {
    capture_console();
    const KEY: &str = "sandbox-saleshandy-key";
    const HEADER: &str = "Bearer sh-header-secret-2";
    let secrets = [KEY, HEADER, "sh-header-secret-2"];
    // A connection of the admin's own, its key not remembered.
    let page = open_at("/connections/new").await;
    page.select("conn-vendor", "saleshandy").await;
    page.fill("conn-name", "Own Saleshandy").await;
    page.click("input[name=base-preset][value=sandbox]").await;
    page.fill("conn-key", KEY).await;
    assert_eq!(page.input_type("conn-key"), "password");
    page.press("save-connection").await;
    page.wait_for("the list", |_| location().starts_with("/c/c"))
        .await;
    assert_nowhere(&secrets, "after saving the connection");

    page.press("new-subscription").await;
    page.wait_el("#field-name").await;
    page.fill("field-name", "Signed").await;
    page.fill("field-webhookUrl", "https://hooks.example.com/signed")
        .await;
    page.choose("/webhookEvent", "reply-received").await;
    page.press("kv-add").await;
    page.wait_for("a row", |p| p.kv_rows("/headers").len() == 1)
        .await;
    page.fill_kv("/headers", 0, "Authorization", HEADER).await;
    assert!(
        page.find("[data-testid=\"field:/headers\"] input[aria-label=Value][type=password]")
            .is_some()
    );
    not_shown(&page, &secrets, "typed");
    assert_nowhere(&secrets, "typed");

    fault(r#"{"fault": "500"}"#).await;
    page.send().await;
    page.see_in("call-status", "Not sent").await;
    not_shown(&page, &secrets, "a failed send");
    assert_nowhere(&secrets, "a failed send");
    page.send().await;
    page.wait_for("the details", |p| p.heading().starts_with("Webhook "))
        .await;
    not_shown(&page, &secrets, "the details");
    assert!(
        page.text_of("record")
            .contains("\"Authorization\": \"••••••••\"")
    );
    assert_nowhere(&secrets, "sent");
    let here = location();
    drop(page);

    let page = reopen_at(&here).await;
    page.wait_el("main h1").await;
    not_shown(&page, &secrets, "reloaded");
    assert_nowhere(&secrets, "reloaded");
}

#[wasm_bindgen_test]
async fn superoffice_signing_secret_and_header_value_go_nowhere() {
    capture_console();
    const SIGNING: &str = "so-signing-secret-3";
    const HEADER: &str = "so-header-secret-4";
    let secrets = [SIGNING, HEADER, "sandbox-superoffice-token"];
    let page = open_at("/c/sandbox-superoffice/new").await;
    page.fill("field-Name", "Signed").await;
    page.fill("field-Events", "contact.created").await;
    page.fill("field-TargetUrl", "https://hooks.example.com/so")
        .await;
    page.fill("field-Secret", SIGNING).await;
    assert_eq!(page.input_type("field-Secret"), "password");
    page.press("kv-add").await;
    page.wait_for("a row", |p| p.kv_rows("/Headers").len() == 1)
        .await;
    page.fill_kv("/Headers", 0, "X-Shared", HEADER).await;
    not_shown(&page, &secrets, "typed");
    assert_nowhere(&secrets, "typed");

    fault(r#"{"fault": "503"}"#).await;
    page.send().await;
    page.see_in("call-status", "Not sent").await;
    assert_nowhere(&secrets, "a failed send");
    page.send().await;
    page.wait_for("the details", |p| p.heading().starts_with("Webhook "))
        .await;
    // SuperOffice returns the secret and the headers: the record masks both.
    let record = page.text_of("record");
    assert!(record.contains("\"Secret\": \"••••••••\""), "{record}");
    assert!(record.contains("\"X-Shared\": \"••••••••\""), "{record}");
    not_shown(&page, &secrets, "the details");

    // The modify editor starts from the vendor's record: the raw JSON masks what it returned.
    page.press("modify").await;
    page.wait_el("#raw-json").await;
    page.wait_for("the record in the raw JSON", |p| {
        p.raw_json().contains("\"Secret\"")
    })
    .await;
    not_shown(&page, &secrets, "the modify editor");
    page.fill("field-Name", "Signed (renamed)").await;
    assert_nowhere(&secrets, "editing");
    let here = location();
    drop(page);
    let page = reopen_at(&here).await;
    page.wait_el("[data-testid=restored]").await;
    not_shown(&page, &secrets, "the restored draft");
    assert_nowhere(&secrets, "reloaded");
}

#[wasm_bindgen_test]
async fn collects_secret_token_is_masked_in_the_raw_json() {
    capture_console();
    const TOKEN: &str = "collect-secret-token-5";
    let page = open_at("/c/sandbox-collect/new").await;
    page.fill("field-targetUrl", "https://hooks.example.com/c")
        .await;
    page.choose("/types", "created").await;
    page.fill("field-secretToken", TOKEN).await;
    not_shown(&page, &[TOKEN], "typed");
    page.click("[data-testid=reveal]").await;
    assert!(page.raw_json().contains(TOKEN), "shown when asked");
    page.click("[data-testid=reveal]").await;
    not_shown(&page, &[TOKEN], "hidden again");
    page.send().await;
    page.wait_for("the details", |p| p.heading().starts_with("Webhook "))
        .await;
    assert!(
        page.text_of("record")
            .contains("\"secretToken\": \"••••••••\"")
    );
    assert_nowhere(&[TOKEN], "sent");
}

/// What an admin types where the schema has no field (a lower-case `secret` in the raw JSON, an
/// `apiKey` among SuperOffice's free properties) is a secret by its name: kept on the device with
/// its name and no value, masked in the raw JSON once it is drawn again and in the form's
/// properties box, taken back when the masked text is edited around it, and restored after a
/// reload as the name with an empty value, to be typed again.
#[wasm_bindgen_test]
async fn a_secret_typed_where_the_schema_has_no_field_goes_nowhere() {
    capture_console();
    const STRAY: &str = "so-stray-secret-6";
    const KEY: &str = "so-properties-key-7";
    let secrets = [STRAY, KEY];
    let page = open_at("/c/sandbox-superoffice/new").await;
    let draft = json!({
        "Name": "Stray",
        "Events": ["contact.created"],
        "TargetUrl": "https://hooks.example.com/so",
        "secret": STRAY,
        "Properties": {"tenant": "acme", "apiKey": KEY}
    });
    page.fill("raw-json", &serde_json::to_string_pretty(&draft).unwrap())
        .await;
    page.wait_for("the draft kept", |_| stored().contains("apiKey"))
        .await;
    assert_nowhere(&secrets, "typed in the raw JSON");
    assert!(stored().contains("acme"), "what is not secret is kept");

    // An edit in the form draws the raw JSON again: masked there, and in the properties box.
    page.fill("field-Name", "Stray (renamed)").await;
    not_shown(&page, &secrets, "drawn again");
    let raw = page.raw_json();
    assert!(raw.contains("\"secret\": \"••••••••\""), "{raw}");
    assert!(raw.contains("\"apiKey\": \"••••••••\""), "{raw}");
    let properties = page.value_of("field-Properties");
    assert!(
        properties.contains("\"tenant\": \"acme\"")
            && properties.contains("\"apiKey\": \"••••••••\""),
        "{properties}"
    );

    // Edited around the masks, in the raw JSON and in the properties box: the secrets stay.
    page.fill("raw-json", &raw.replace("Stray (renamed)", "Stray 2"))
        .await;
    page.fill("field-Properties", &properties.replace("acme", "acme-eu"))
        .await;
    page.click("[data-testid=reveal]").await;
    let raw = page.raw_json();
    assert!(
        raw.contains(STRAY)
            && raw.contains(KEY)
            && raw.contains("acme-eu")
            && raw.contains("Stray 2"),
        "{raw}"
    );
    assert!(
        page.value_of("field-Properties").contains(KEY),
        "shown when asked"
    );
    page.click("[data-testid=reveal]").await;
    not_shown(&page, &secrets, "hidden again");
    assert_nowhere(&secrets, "edited");

    let here = location();
    drop(page);
    let page = reopen_at(&here).await;
    page.wait_el("[data-testid=restored]").await;
    page.wait_for("the restored draft", |p| {
        p.raw_json_if_any().contains("acme-eu")
    })
    .await;
    let raw = page.raw_json();
    assert!(
        raw.contains("\"apiKey\": \"\"")
            && raw.contains("\"secret\": \"\"")
            && raw.contains("acme-eu"),
        "the names come back, their values to type again: {raw}"
    );
    assert_nowhere(&secrets, "reloaded");
}
