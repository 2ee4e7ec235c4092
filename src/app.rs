//! The app shell: the workspace (connections) and the screen for the chosen vendor operation.

use hookpanel_core::vendors::spec;
use hookpanel_core::{Connection, Credentials, Operation, Secret, VendorId};
use leptos::prelude::*;

use crate::editor::CreateScreen;

/// Where the built-in sandbox listens, unless the build says otherwise
/// (`HOOKPANEL_SANDBOX_URL`, set by `cargo xtask serve` and the tests).
pub const DEFAULT_SANDBOX_URL: &str = match option_env!("HOOKPANEL_SANDBOX_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:8787",
};

/// What the app starts with.
#[derive(Clone, Debug)]
pub struct Config {
    /// The sandbox's root URL: the first workspace's connections point there.
    pub sandbox_url: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            sandbox_url: DEFAULT_SANDBOX_URL.to_string(),
        }
    }
}

/// The sandbox connection for a vendor: the vendor's paths below the sandbox, and the demo
/// credentials the sandbox accepts.
pub fn sandbox_connection(sandbox_url: &str, vendor: VendorId) -> Connection {
    let key = |k: &str| Secret::new(k);
    Connection {
        vendor,
        base_url: format!(
            "{}{}",
            sandbox_url.trim_end_matches('/'),
            spec(vendor).sandbox_path
        ),
        credentials: match vendor {
            VendorId::Collect => Credentials::ApiKey {
                key: key("sandbox-collect-key"),
            },
            VendorId::Saleshandy => Credentials::ApiKey {
                key: key("sandbox-saleshandy-key"),
            },
            VendorId::SuperOffice => Credentials::Bearer {
                token: key("sandbox-superoffice-token"),
            },
            VendorId::Kajabi => Credentials::Bearer {
                token: key("sandbox-kajabi-token"),
            },
        },
    }
}

/// The whole page.
#[component]
pub fn App(
    /// Start-up settings.
    config: Config,
) -> impl IntoView {
    let connection = RwSignal::new(sandbox_connection(&config.sandbox_url, VendorId::Collect));
    let base_url = move || connection.with(|c| c.base_url.clone());
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
    view! {
        <header class="topbar">
            <h1>"Hookpanel"</h1>
            <p class="connection" data-testid="connection">
                <span class="badge">"Sandbox"</span>
                " Collect at "
                <code>{base_url}</code>
            </p>
        </header>
        <main node_ref=ready>
            <CreateScreen vendor=VendorId::Collect operation=Operation::Create connection=connection.into()/>
        </main>
    }
}
