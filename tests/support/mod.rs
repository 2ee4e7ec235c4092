//! A small vocabulary for browser tests: open the app, fill a field, click, see a text. Tests
//! assert on what a person sees (text, `data-testid`), never on whole HTML strings.

#![allow(dead_code)]

use hookpanel::{App, Config};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

/// The sandbox the test run started (`cargo xtask test` sets it).
pub fn sandbox_url() -> String {
    hookpanel::app::DEFAULT_SANDBOX_URL.to_string()
}

/// One mounted app, in its own container, unmounted when dropped.
pub struct Page {
    root: HtmlElement,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

/// Resets the sandbox and mounts a fresh app connected to it.
pub async fn open_app() -> Page {
    post_control("/_sandbox/reset", "{}").await;
    let document = document();
    let root: HtmlElement = document
        .create_element("div")
        .expect("create a container")
        .unchecked_into();
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("append the container");
    let config = Config {
        sandbox_url: sandbox_url(),
    };
    let handle = leptos::mount::mount_to(root.clone(), move || {
        view! { <App config=config.clone()/> }.into_any()
    });
    let page = Page {
        root,
        _handle: handle,
    };
    page.wait_for("the app to be ready", |p| {
        p.find("[data-testid=create]").is_some()
    })
    .await;
    page
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
        self.find(selector)
            .unwrap_or_else(|| panic!("no element matches {selector}"))
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

    /// Polls until `ready` holds, failing the test after ten seconds with what it waited for.
    pub async fn wait_for(&self, what: &str, ready: impl Fn(&Page) -> bool) {
        for _ in 0..500 {
            if ready(self) {
                return;
            }
            pause(20).await;
        }
        panic!("waited 10 s for {what}; the page shows: {}", self.text());
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
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event =
            web_sys::Event::new_with_event_init_dict("input", &init).expect("an input event");
        element.dispatch_event(&event).expect("dispatch input");
        pause(0).await;
    }

    /// Clicks the element matching `selector`.
    pub async fn click(&self, selector: &str) {
        self.get(selector).unchecked_into::<HtmlElement>().click();
        pause(0).await;
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

    /// The text of the raw JSON editor.
    pub fn raw_json(&self) -> String {
        self.get("#raw-json")
            .unchecked_into::<HtmlTextAreaElement>()
            .value()
    }
}
