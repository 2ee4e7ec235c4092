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
pub mod lazy;
pub mod listing;
pub mod route;
pub mod routes;
pub mod store;
pub mod sync;
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
    if framed() {
        crash::show_framed();
        return;
    }
    mount_to_body(|| view! { <App config=Config::default()/> });
}

/// Whether the page is inside a frame of another page. A `<meta>` policy cannot forbid framing
/// (`frame-ancestors` only works as a header, and a plain host may send none), and a page that
/// frames Hookpanel could overlay it and catch the API keys typed into it: framed, the page shows
/// neither the workspace nor a credential field.
pub fn framed() -> bool {
    let window = window();
    match window.top() {
        Ok(Some(top)) => !js_sys::Object::is(&top, &window),
        Ok(None) => false,
        // Not even allowed to look: certainly not the top.
        Err(_) => true,
    }
}
