//! A small vocabulary for browser tests: open the app at a screen, fill a field, click, see a
//! text. Tests assert on what a person sees (text, `data-testid`), never on whole HTML strings.

#![allow(dead_code)]

use hookpanel::{App, Config};
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

/// The sandbox the test run started (`cargo xtask test` sets it).
pub fn sandbox_url() -> String {
    hookpanel::app::DEFAULT_SANDBOX_URL.to_string()
}

/// One mounted app, in its own container, unmounted when dropped.
pub struct Page {
    root: HtmlElement,
    handle: Option<leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>,
    /// The app's owner's parent: cleaned up on drop, so the app's window listeners (the
    /// router's link handler) go with it and the next test's app is the only one listening.
    owner: Owner,
}

/// Resets the sandbox and the device's storage, and opens the app at `path`.
pub async fn open_at(path: &str) -> Page {
    reset().await;
    mount_at(path, Config::default()).await
}

/// Empties the sandbox and the device's storage, as a first visit finds them.
pub async fn reset() {
    post_control("/_sandbox/reset", "{}").await;
    hookpanel::store::clear();
}

/// Opens the app at `path` as a reload would: the sandbox and the device's storage as they are.
pub async fn reopen_at(path: &str) -> Page {
    mount_at(path, Config::default()).await
}

/// Opens the app at `path` (a route such as `/c/sandbox-collect/new`, which the app keeps in the
/// address's fragment) with settings of the test's own (a short call timeout, say).
pub async fn mount_at(path: &str, config: Config) -> Page {
    let window = window();
    let here = window.location().pathname().unwrap_or_default();
    let _ = window.history().expect("history").replace_state_with_url(
        &wasm_bindgen::JsValue::NULL,
        "",
        Some(&format!("{here}#{path}")),
    );
    let document = document();
    // A test that failed left its page behind (a failed test does not unwind), maybe with a modal
    // dialog open that would make this one inert: remove it first.
    if let Ok(old) = document.query_selector_all("[data-test-root]") {
        for i in 0..old.length() {
            if let Some(node) = old.item(i) {
                node.unchecked_into::<Element>().remove();
            }
        }
    }
    let root: HtmlElement = document
        .create_element("div")
        .expect("create a container")
        .unchecked_into();
    let _ = root.set_attribute("data-test-root", "");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("append the container");
    let config = Config {
        sandbox_url: sandbox_url(),
        ..config
    };
    let owner = Owner::new();
    let handle = owner.with(|| {
        leptos::mount::mount_to(root.clone(), move || {
            view! { <App config=config.clone()/> }.into_any()
        })
    });
    let page = Page {
        root,
        handle: Some(handle),
        owner,
    };
    page.wait_for("the app to be ready", |p| p.find("main h1").is_some())
        .await;
    page
}

impl Drop for Page {
    fn drop(&mut self) {
        drop(self.handle.take());
        self.owner.cleanup();
        self.root.remove();
    }
}

/// Tells the sandbox to do something (queue a fault, reset).
pub async fn post_control(path: &str, body: &str) {
    let response = gloo_net::http::Request::post(&format!("{}{path}", sandbox_url()))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .expect("a control request")
        .send()
        .await
        .expect("the sandbox answers its control API");
    assert!(
        response.ok(),
        "control {path} answered {}",
        response.status()
    );
}

/// Asks the sandbox's control API for something (a delivery), returning its JSON answer.
pub async fn ask_control(path: &str, body: Value) -> Value {
    let response = gloo_net::http::Request::post(&format!("{}{path}", sandbox_url()))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .expect("a control request")
        .send()
        .await
        .expect("the sandbox answers its control API");
    assert!(
        response.ok(),
        "control {path} answered {}",
        response.status()
    );
    response.json().await.expect("a JSON answer")
}

/// Reads the sandbox's control API (`/_sandbox/kajabi/tokens`, say).
pub async fn get_control(path: &str) -> Value {
    let response = gloo_net::http::Request::get(&format!("{}{path}", sandbox_url()))
        .send()
        .await
        .expect("the sandbox answers its control API");
    assert!(
        response.ok(),
        "control {path} answered {}",
        response.status()
    );
    response.json().await.expect("a JSON answer")
}

/// Adds `count` subscriptions to a vendor's store at the sandbox, as a real account has them.
pub async fn seed(vendor: &str, count: usize) {
    post_control(
        "/_sandbox/seed",
        &serde_json::json!({"vendor": vendor, "count": count}).to_string(),
    )
    .await;
}

/// Queues a fault at the sandbox: `{"fault": "503", ...}`.
pub async fn fault(body: &str) {
    post_control("/_sandbox/faults", body).await;
}

/// Calls a vendor API of the sandbox directly (to set the scene), returning the JSON answer.
pub async fn vendor_post(path: &str, auth: (&str, &str), body: Value) -> Value {
    let response = gloo_net::http::Request::post(&format!("{}{path}", sandbox_url()))
        .header("Content-Type", "application/json")
        .header(auth.0, auth.1)
        .body(body.to_string())
        .expect("a request")
        .send()
        .await
        .expect("the sandbox answers");
    assert!(response.ok(), "{path} answered {}", response.status());
    response.json().await.expect("a JSON answer")
}

/// Waits a few milliseconds, letting the app's tasks and the network run.
pub async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

impl Page {
    pub fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).ok().flatten()
    }

    fn get(&self, selector: &str) -> Element {
        self.find(selector).unwrap_or_else(|| {
            panic!(
                "no element matches {selector}; the page shows: {}",
                self.text()
            )
        })
    }

    /// Text of the element with this `data-testid`, or "" if there is none.
    pub fn text_of(&self, testid: &str) -> String {
        self.find(&format!("[data-testid=\"{testid}\"]"))
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }

    pub fn text(&self) -> String {
        self.root.text_content().unwrap_or_default()
    }

    /// The main heading of the screen shown.
    pub fn heading(&self) -> String {
        self.find("main h1")
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }

    /// Polls until `ready` holds, failing the test after ten seconds with what it waited for.
    pub async fn wait_for(&self, what: &str, ready: impl Fn(&Page) -> bool) {
        self.wait_up_to(10, what, ready).await;
    }

    /// [`Page::wait_for`] for something known to take long (reading an account of ten thousand
    /// webhooks page by page, in a debug build, on a shared machine): up to `seconds`.
    pub async fn wait_up_to(&self, seconds: u32, what: &str, ready: impl Fn(&Page) -> bool) {
        for _ in 0..seconds * 50 {
            if ready(self) {
                return;
            }
            pause(20).await;
        }
        panic!(
            "waited {seconds} s for {what}; the page shows: {}",
            self.text()
        );
    }

    /// Waits until the page shows `text` somewhere.
    pub async fn see(&self, text: &str) {
        self.wait_for(&format!("\"{text}\""), |p| p.text().contains(text))
            .await;
    }

    /// Waits until the element with this `data-testid` shows `text`.
    pub async fn see_in(&self, testid: &str, text: &str) {
        self.wait_for(&format!("\"{text}\" in {testid}"), |p| {
            p.text_of(testid).contains(text)
        })
        .await;
    }

    /// Waits for an element matching `selector`.
    pub async fn wait_el(&self, selector: &str) {
        self.wait_for(selector, |p| p.find(selector).is_some())
            .await;
    }

    /// Types into the input with this id, as a person would: the value, then an input event.
    pub async fn fill(&self, id: &str, value: &str) {
        let element = self.get(&format!("#{id}"));
        if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
            input.set_value(value);
        } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
            area.set_value(value);
        } else {
            panic!("#{id} is not a text control");
        }
        dispatch(&element, "input");
        pause(0).await;
    }

    /// Picks `value` in the select with this id.
    pub async fn select(&self, id: &str, value: &str) {
        let element = self.get(&format!("#{id}"));
        element
            .dyn_ref::<HtmlSelectElement>()
            .unwrap_or_else(|| panic!("#{id} is not a select"))
            .set_value(value);
        dispatch(&element, "change");
        pause(0).await;
    }

    /// Clicks the element matching `selector`.
    pub async fn click(&self, selector: &str) {
        self.get(selector).unchecked_into::<HtmlElement>().click();
        pause(0).await;
    }

    /// Clicks the element with this `data-testid`.
    pub async fn press(&self, testid: &str) {
        self.click(&format!("[data-testid=\"{testid}\"]")).await;
    }

    /// Whether the element with this `data-testid` is disabled.
    pub fn is_disabled(&self, testid: &str) -> bool {
        self.get(&format!("[data-testid=\"{testid}\"]"))
            .has_attribute("disabled")
    }

    /// Ticks the choice labelled `label` inside the field with this pointer.
    pub async fn choose(&self, pointer: &str, label: &str) {
        let field = self.get(&format!("[data-testid=\"field:{pointer}\"]"));
        let labels = field.query_selector_all("label").expect("labels");
        for i in 0..labels.length() {
            let Some(node) = labels.item(i) else { continue };
            if node.text_content().as_deref() == Some(label) {
                node.unchecked_into::<HtmlElement>().click();
                pause(0).await;
                return;
            }
        }
        panic!("no choice {label} in {pointer}");
    }

    /// Whether the choice labelled `label` inside the field with this pointer is ticked.
    pub fn is_chosen(&self, pointer: &str, label: &str) -> bool {
        let field = self.get(&format!("[data-testid=\"field:{pointer}\"]"));
        let labels = field.query_selector_all("label").expect("labels");
        let Some(for_id) = (0..labels.length())
            .filter_map(|i| labels.item(i))
            .map(|node| node.unchecked_into::<Element>())
            .find(|node| node.text_content().as_deref() == Some(label))
            .and_then(|node| node.get_attribute("for"))
        else {
            panic!("no choice {label} in {pointer}");
        };
        self.get(&format!("#{for_id}"))
            .unchecked_into::<HtmlInputElement>()
            .checked()
    }

    /// The problems shown on the field with this pointer.
    pub fn field_problems(&self, pointer: &str) -> String {
        self.find(&format!("[data-testid=\"field:{pointer}\"] .problems"))
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }

    /// The labels of the form's fields, in the order shown.
    pub fn field_labels(&self) -> Vec<String> {
        let labels = self
            .root
            .query_selector_all(".field .label")
            .expect("labels");
        (0..labels.length())
            .filter_map(|i| labels.item(i))
            .filter_map(|n| n.text_content())
            .map(|t| t.trim_end_matches(" *").to_string())
            .collect()
    }

    /// The rows of the key-value control of the field at `pointer`, as (name, value) shown.
    pub fn kv_rows(&self, pointer: &str) -> Vec<(String, String)> {
        let rows = self
            .root
            .query_selector_all(&format!("[data-testid=\"field:{pointer}\"] .kv-row"))
            .expect("rows");
        (0..rows.length())
            .filter_map(|i| rows.item(i))
            .map(|row| {
                let row: Element = row.unchecked_into();
                let input = |label: &str| {
                    row.query_selector(&format!("input[aria-label={label}]"))
                        .ok()
                        .flatten()
                        .map(|e| e.unchecked_into::<HtmlInputElement>().value())
                        .unwrap_or_default()
                };
                (input("Name"), input("Value"))
            })
            .collect()
    }

    /// Types into row `index` (from 0) of the key-value control at `pointer`: the name, then the
    /// value, as a person would.
    pub async fn fill_kv(&self, pointer: &str, index: u32, name: &str, value: &str) {
        for (label, text) in [("Name", name), ("Value", value)] {
            let rows = self
                .root
                .query_selector_all(&format!("[data-testid=\"field:{pointer}\"] .kv-row"))
                .expect("rows");
            let row: Element = rows
                .item(index)
                .unwrap_or_else(|| panic!("no row {index} in {pointer}"))
                .unchecked_into();
            let input: HtmlInputElement = row
                .query_selector(&format!("input[aria-label={label}]"))
                .ok()
                .flatten()
                .expect("an input")
                .unchecked_into();
            input.set_value(text);
            dispatch(&input, "input");
            pause(0).await;
        }
    }

    /// The type of the input with this id (`password` while a secret is masked).
    pub fn input_type(&self, id: &str) -> String {
        self.get(&format!("#{id}"))
            .get_attribute("type")
            .unwrap_or_default()
    }

    /// The text of the raw JSON editor, or "" on a screen without one.
    pub fn raw_json_if_any(&self) -> String {
        self.find("#raw-json")
            .map(|e| e.unchecked_into::<HtmlTextAreaElement>().value())
            .unwrap_or_default()
    }

    /// The text of the raw JSON editor.
    pub fn raw_json(&self) -> String {
        self.get("#raw-json")
            .unchecked_into::<HtmlTextAreaElement>()
            .value()
    }

    /// The value of the input with this id.
    pub fn value_of(&self, id: &str) -> String {
        let element = self.get(&format!("#{id}"));
        match element.dyn_ref::<HtmlInputElement>() {
            Some(input) => input.value(),
            None => element.unchecked_into::<HtmlTextAreaElement>().value(),
        }
    }

    /// Sends the editor's draft and waits for the outcome (a new screen, or a shown failure).
    pub async fn send(&self) {
        self.press("send").await;
    }

    /// Confirms the open dialog.
    pub async fn confirm(&self) {
        self.wait_for("the confirmation dialog", |p| {
            p.find("dialog[open]").is_some()
        })
        .await;
        self.press("confirm-ok").await;
    }
}

/// The route the page shows now: the path in the address's fragment (`/c/sandbox-kajabi`).
pub fn location() -> String {
    let hash = window().location().hash().unwrap_or_default();
    match hash.strip_prefix('#') {
        Some(path) if !path.is_empty() => path.to_string(),
        _ => "/".to_string(),
    }
}

/// Every `hookpanel.` key in localStorage and sessionStorage, with its value.
pub fn stored() -> String {
    let mut all = String::new();
    for storage in [window().local_storage(), window().session_storage()]
        .into_iter()
        .filter_map(|s| s.ok().flatten())
    {
        for i in 0..storage.length().unwrap_or(0) {
            if let Some(key) = storage.key(i).ok().flatten() {
                let value = storage.get_item(&key).ok().flatten().unwrap_or_default();
                all.push_str(&format!("{key}={value}\n"));
            }
        }
    }
    all
}

fn dispatch(element: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).expect("an event");
    element.dispatch_event(&event).expect("dispatch");
}

/// Records everything written to the console from now on, into `window.__console` (once per
/// page: a second call keeps what was recorded).
pub fn capture_console() {
    js_sys::Function::new_no_args(
        "if (window.__console) return;
         window.__console = [];
         for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
             const original = console[level].bind(console);
             console[level] = (...args) => { window.__console.push(args.map(String).join(' ')); original(...args); };
         }",
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .expect("console capture");
}

/// What was written to the console since [`capture_console`].
pub fn console_text() -> String {
    js_sys::Reflect::get(&window(), &"__console".into())
        .ok()
        .and_then(|v| js_sys::JSON::stringify(&v).ok())
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// The page's whole address.
pub fn address() -> String {
    window().location().href().unwrap_or_default()
}

/// Asserts that none of `secrets` is in the device's storage (local and session), the address,
/// or the console.
pub fn assert_nowhere(secrets: &[&str], when: &str) {
    let (kept, href, console) = (stored(), address(), console_text());
    for secret in secrets {
        assert!(!kept.contains(secret), "{when}: {secret} stored: {kept}");
        assert!(
            !href.contains(secret),
            "{when}: {secret} in the address: {href}"
        );
        assert!(
            !console.contains(secret),
            "{when}: {secret} in the console: {console}"
        );
    }
}
