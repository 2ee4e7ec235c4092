//! Collect's ledger, the only record of webhooks Collect cannot list (issue 11): what cannot be
//! read back is kept aside and never saved over, with a way to download it; the ledger goes out
//! as a file and comes back from one; a create from a deep link to the editor adds to the ledger
//! on the device instead of replacing it.

#![cfg(target_arch = "wasm32")]

mod support;

use support::{Page, open_at, reopen_at, reset, stored};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const LEDGER: &str = "hookpanel.ledger.sandbox-collect";

fn local() -> web_sys::Storage {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("localStorage")
}

/// Creates a Collect webhook through the editor; back on its details.
async fn create(page: &Page, target: &str) -> String {
    page.fill("field-targetUrl", target).await;
    page.choose("/types", "created").await;
    page.send().await;
    page.wait_for("the details", |p| p.heading().starts_with("Webhook "))
        .await;
    page.heading().trim_start_matches("Webhook ").to_string()
}

/// Downloads are recorded instead of saved: `window.__downloads` gets `[name, text]` pairs. Only
/// a click on a link with a `download` name is caught; every other link works as before.
fn capture_downloads() {
    js_sys::Function::new_no_args(
        "window.__downloads = [];
         if (window.__capturing) return;
         window.__capturing = true;
         const revoke = URL.revokeObjectURL.bind(URL);
         const pending = new Set();
         URL.revokeObjectURL = (url) => { if (!pending.has(url)) revoke(url); };
         const click = HTMLAnchorElement.prototype.click;
         HTMLAnchorElement.prototype.click = function () {
             if (!this.download) return click.call(this);
             const [name, href] = [this.download, this.href];
             pending.add(href);
             fetch(href).then(r => r.text()).then(t => {
                 window.__downloads.push([name, t]);
                 pending.delete(href);
                 revoke(href);
             });
         };",
    )
    .call0(&JsValue::NULL)
    .expect("capture downloads");
}

fn downloads() -> Vec<(String, String)> {
    let list = js_sys::Reflect::get(&web_sys::window().expect("window"), &"__downloads".into())
        .unwrap_or(JsValue::UNDEFINED);
    js_sys::Array::from(&list)
        .iter()
        .map(|pair| {
            let pair = js_sys::Array::from(&pair);
            (
                pair.get(0).as_string().unwrap_or_default(),
                pair.get(1).as_string().unwrap_or_default(),
            )
        })
        .collect()
}

/// Chooses a file with `text` in the file input with this id, as a person would.
fn choose_file(id: &str, name: &str, text: &str) {
    js_sys::Function::new_with_args(
        "id, name, text",
        "const input = document.getElementById(id);
         const files = new DataTransfer();
         files.items.add(new File([text], name, {type: 'application/json'}));
         input.files = files.files;
         input.dispatchEvent(new Event('change', {bubbles: true}));",
    )
    .call3(&JsValue::NULL, &id.into(), &name.into(), &text.into())
    .expect("choose a file");
}

#[wasm_bindgen_test]
async fn an_unreadable_ledger_is_kept_aside_and_never_saved_over() {
    reset().await;
    // A ledger from another version of Hookpanel, say: JSON, but not what this one reads.
    let foreign = r#"{"format": "ledger-v0", "items": [{"id": "wh_only_record"}]}"#;
    local().set_item(LEDGER, foreign).expect("set");
    let page = reopen_at("/c/sandbox-collect").await;
    page.see_in("set-aside-notice", "could not read back").await;
    assert!(page.find("[data-testid=download-aside]").is_some());
    page.press("new-subscription").await;
    page.wait_el("#field-targetUrl").await;
    create(&page, "https://hooks.example.com/after").await;
    let kept = stored();
    assert!(
        kept.contains(&format!("hookpanel.aside.ledger.sandbox-collect={foreign}")),
        "the unreadable ledger is kept aside, as it was: {kept}"
    );
    let now = local().get_item(LEDGER).ok().flatten().unwrap_or_default();
    assert!(now.contains("hooks.example.com/after"), "{now}");
    drop(page);

    // It stays aside across reloads, until the admin deletes it.
    let page = reopen_at("/c/sandbox-collect").await;
    page.see_in("set-aside-notice", "could not read back").await;
    page.see_in("list-status", "1 webhook").await;
    capture_downloads();
    page.press("download-aside").await;
    page.wait_for("the download", |_| !downloads().is_empty())
        .await;
    assert_eq!(downloads()[0].1, foreign, "downloaded as it was kept");
    page.press("discard-aside").await;
    page.wait_for("the notice to go", |p| {
        p.find("[data-testid=set-aside-notice]").is_none()
    })
    .await;
    assert!(!stored().contains("ledger-v0"));
}

#[wasm_bindgen_test]
async fn the_ledger_goes_out_as_a_file_and_comes_back_from_one() {
    let page = open_at("/c/sandbox-collect/new").await;
    let first = create(&page, "https://hooks.example.com/one").await;
    page.click("p.crumbs a").await;
    page.press("new-subscription").await;
    page.wait_el("#field-targetUrl").await;
    page.fill("field-secretToken", "ledger-secret-6").await;
    let second = create(&page, "https://hooks.example.com/two").await;
    page.click("p.crumbs a").await;
    page.see_in("list-status", "2 webhooks").await;
    capture_downloads();
    page.press("export-ledger").await;
    page.wait_for("the export", |_| !downloads().is_empty())
        .await;
    let (name, file) = downloads()[0].clone();
    assert_eq!(name, "hookpanel-ledger-collect-sandbox.json");
    assert!(file.contains(&first) && file.contains(&second), "{file}");
    assert!(
        !file.contains("ledger-secret-6"),
        "no secret in the file: {file}"
    );
    assert!(
        !file.contains("sandbox-collect-key"),
        "no credential in the file"
    );
    drop(page);

    // Another device: nothing kept; the file brings the ledger back, once.
    reset().await;
    let page = reopen_at("/c/sandbox-collect").await;
    page.see_in("list-status", "0 webhooks").await;
    choose_file("import-ledger", &name, &file);
    page.see_in("toasts", "2 webhooks added, 0 already here")
        .await;
    page.see_in("list-status", "2 webhooks").await;
    choose_file("import-ledger", &name, &file);
    page.see_in("toasts", "0 webhooks added, 2 already here")
        .await;
    page.see_in("list-status", "2 webhooks").await;
    choose_file(
        "import-ledger",
        "other.json",
        r#"{"format": "something-else"}"#,
    );
    page.see_in("toasts", "other.json was not imported").await;
    assert!(stored().contains(&first), "saved on the device");
}

/// Regression: a webhook created from a deep link to the editor, before the list had ever been
/// shown, was saved as the whole ledger over the one on the device.
#[wasm_bindgen_test]
async fn a_create_from_a_deep_link_adds_to_the_ledger() {
    let page = open_at("/c/sandbox-collect/new").await;
    let first = create(&page, "https://hooks.example.com/first").await;
    drop(page);
    let page = reopen_at("/c/sandbox-collect/new").await;
    let second = create(&page, "https://hooks.example.com/second").await;
    page.click("p.crumbs a").await;
    page.see_in("list-status", "2 webhooks").await;
    let kept = local().get_item(LEDGER).ok().flatten().unwrap_or_default();
    assert!(kept.contains(&first) && kept.contains(&second), "{kept}");
}
