//! The app shell: the workspace, toasts and router provided once, and the page's frame with the
//! screen the route names.

use leptos::prelude::*;

use crate::lazy::{self, lazy};
use crate::route::{Route, Router, focus_main};
use crate::routes::{Home, NotFound};
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

/// The path of the folder the app is served from ("" at a host's root): where its `<base href>`
/// (Trunk's `--public-url`, `./` by default so one `dist/` works at any path) resolves to.
pub fn base_path() -> String {
    let base = document().base_uri().ok().flatten().unwrap_or_default();
    let path = match base.split_once("://") {
        Some((_, rest)) => rest
            .find('/')
            .map(|i| rest[i..].to_string())
            .unwrap_or_default(),
        None => base,
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.trim_end_matches('/').to_string()
}

/// The whole page.
#[component]
pub fn App(
    /// Start-up settings.
    config: Config,
) -> impl IntoView {
    crate::csp::install();
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
            lazy::preload_screens();
        }
    });
    let router = Router::provide(&base_path());
    let screen = move || match router.route().get() {
        Route::Home => view! { <Home/> }.into_any(),
        Route::NewConnection => lazy(|| lazy::connection_screen(None)),
        Route::EditConnection { cid } => lazy(move || lazy::connection_screen(Some(cid.clone()))),
        Route::List { cid } => lazy(move || lazy::list_screen(cid.clone())),
        Route::Create { cid } => lazy(move || lazy::create_screen(cid.clone())),
        Route::Subscription { cid, sid } => {
            lazy(move || lazy::subscription_screen(cid.clone(), sid.clone()))
        }
        Route::Modify { cid, sid } => lazy(move || lazy::modify_screen(cid.clone(), sid.clone())),
        Route::Check => lazy(|| lazy::check_screen(None)),
        Route::CheckDelivery { cid, sid } => {
            lazy(move || lazy::check_screen(Some((cid.clone(), sid.clone()))))
        }
        Route::Sync => lazy(lazy::workspace_file_screen),
        Route::NotFound { .. } => view! { <NotFound/> }.into_any(),
    };
    view! {
        <a class="skip" href="#main" on:click=move |ev| {
            ev.prevent_default();
            focus_main();
        }>"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href=Route::Home.href()>"Hookpanel"</a>
            <nav aria-label="Main">
                <a href=Route::Home.href()>"Connections"</a>
                <a href=Route::NewConnection.href()>"Add connection"</a>
                <a href=Route::Check.href()>"Check a delivery"</a>
                <a
                    href=Route::Sync.href()
                    on:pointerenter=|_| lazy::preload_workspace_file_screen()
                    on:focus=|_| lazy::preload_workspace_file_screen()
                >
                    "Workspace file"
                </a>
            </nav>
        </header>
        <main id="main" node_ref=ready tabindex="-1">{screen}</main>
        <ToastRegion/>
    }
}
