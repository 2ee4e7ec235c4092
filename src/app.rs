//! The app shell: the workspace and toasts provided once, the router, and the page's frame.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::routes::{
    ConnectionPage, CreatePage, Home, ModifyPage, NotFound, SubscriptionList, SubscriptionPage,
};
use crate::toast::{ToastRegion, Toasts};
use crate::workspace::Workspace;

/// Where the built-in sandbox listens, unless the build says otherwise
/// (`HOOKPANEL_SANDBOX_URL`, set by `cargo xtask serve` and the tests).
pub const DEFAULT_SANDBOX_URL: &str = match option_env!("HOOKPANEL_SANDBOX_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:8787",
};

/// What the app starts with.
#[derive(Clone, Debug)]
pub struct Config {
    /// The sandbox's root URL: the built-in connections point there.
    pub sandbox_url: String,
    /// How long a call may take before it is abandoned.
    pub timeout_ms: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            sandbox_url: DEFAULT_SANDBOX_URL.to_string(),
            timeout_ms: crate::http::DEFAULT_TIMEOUT_MS,
        }
    }
}

/// The path the app is served under ("" at a host's root): the `<base href>` Trunk writes from
/// `--public-url`. Every route and link is below it. A page without one is served at the root.
pub fn base_path() -> String {
    let href = document()
        .query_selector("base[href]")
        .ok()
        .flatten()
        .and_then(|b| b.get_attribute("href"))
        .unwrap_or_default();
    let path = match href.split_once("://") {
        Some((_, rest)) => rest
            .find('/')
            .map(|i| rest[i..].to_string())
            .unwrap_or_default(),
        None => href,
    };
    path.trim_end_matches('/').to_string()
}

/// A link target inside the app: `path` below the app's base path.
pub fn href(path: &str) -> String {
    format!("{}{path}", base_path())
}

/// The whole page.
#[component]
pub fn App(
    /// Start-up settings.
    config: Config,
) -> impl IntoView {
    Workspace::provide(&config.sandbox_url);
    Toasts::provide();
    crate::http::set_timeout_ms(config.timeout_ms);
    let ready = NodeRef::<leptos::html::Main>::new();
    // Tells tests and the start-up benchmark that the first screen is drawn and listening.
    Effect::new(move |_| {
        if ready.get().is_some()
            && let Some(root) = document().document_element()
        {
            let _ = root.set_attribute("data-hookpanel-ready", "1");
            if let Some(perf) = window().performance() {
                let _ = perf.mark("hookpanel-ready");
                // Milliseconds since navigation started: what the start-up benchmark reads.
                let _ =
                    root.set_attribute("data-hookpanel-ready-ms", &format!("{:.1}", perf.now()));
            }
        }
    });
    let base = base_path();
    view! {
        <Router base=base.clone()>
            <a class="skip" href="#main">"Skip to content"</a>
            <header class="topbar">
                <a class="brand" href=href("/")>"Hookpanel"</a>
                <nav aria-label="Main">
                    <a href=href("/")>"Connections"</a>
                    <a href=href("/connections/new")>"Add connection"</a>
                </nav>
            </header>
            <main id="main" node_ref=ready tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/connections/new") view=ConnectionPage/>
                    <Route path=path!("/connections/:cid/edit") view=ConnectionPage/>
                    <Route path=path!("/c/:cid") view=SubscriptionList/>
                    <Route path=path!("/c/:cid/new") view=CreatePage/>
                    <Route path=path!("/c/:cid/s/:sid") view=SubscriptionPage/>
                    <Route path=path!("/c/:cid/s/:sid/edit") view=ModifyPage/>
                </Routes>
            </main>
            <ToastRegion/>
        </Router>
    }
}
