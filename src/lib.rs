//! Hookpanel's web app: Leptos components over `hookpanel-core`. Components hold UI state only;
//! validation, request plans and answer decoding are core's, and fetching is in [`http`].

pub mod actions;
pub mod app;
pub mod crash;
pub mod csp;
pub mod dialog;
pub mod editor;
pub mod files;
pub mod http;
pub mod listing;
pub mod route;
pub mod routes;
pub mod store;
pub mod toast;
pub mod widgets;
pub mod workspace;

pub use app::{App, Config};

use leptos::prelude::*;

/// Starts the app in the page: panics to the console and a banner, `<App>` mounted. Each schema
/// validator is compiled when a draft first needs it (0.1 to 0.2 ms), not at start
/// (PERFORMANCE.md).
pub fn start() {
    // When the wasm is compiled and running: the start-up benchmark splits the cold start here.
    if let Some(perf) = window().performance() {
        let _ = perf.mark("hookpanel-main");
    }
    crash::install();
    mount_to_body(|| view! { <App config=Config::default()/> });
}
