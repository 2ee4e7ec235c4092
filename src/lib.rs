//! Hookpanel's web app: Leptos components over `hookpanel-core`. Components hold UI state only;
//! validation, request plans and answer decoding are core's, and fetching is in [`http`].

pub mod app;
pub mod editor;
pub mod http;

pub use app::{App, Config};

use leptos::prelude::*;

/// Starts the app in the page: panic messages to the console, schemas compiled, `<App>` mounted.
pub fn start() {
    console_error_panic_hook::set_once();
    hookpanel_core::schema::warm_up();
    mount_to_body(|| view! { <App config=Config::default()/> });
}
