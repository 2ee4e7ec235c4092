//! Screens whose code is fetched after the first screen, or when they are first opened.
//!
//! The first screen (the connections) needs the router, the workspace and the shell; the editor
//! with its validators, the lists, the delivery check and the workspace file do not. The release
//! build (`cargo xtask dist`) is compiled with `--cfg hookpanel_split`: each function below is then
//! a split point of `wasm_split`, and the post-build hook (`xtask/src/split.rs`) cuts the wasm
//! there into a main module and a chunk per split module: `screens` (the everyday screens,
//! fetched in the background once the first screen is drawn, [`preload_screens`]) and
//! `workspace_file` (fetched when it is opened or its link is pointed at), plus a chunk of the
//! code both use, which comes with `screens`. PERFORMANCE.md has what each weighs.
//!
//! Without that cfg (`trunk serve`, the browser tests) the same functions are plain async
//! functions over the same views: one code path, with nothing to fetch.

use std::future::Future;

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use send_wrapper::SendWrapper;

use crate::routes::{
    CheckPage, ConnectionPage, CreatePage, ModifyPage, SubscriptionList, SubscriptionPage, SyncPage,
};

/// One screen's view as a split point: `split!(module, preload_name, fn name(args) { view })`.
macro_rules! split {
    ($module:ident, $preload:ident, fn $name:ident($($arg:ident: $ty:ty),*) $body:block) => {
        #[cfg(hookpanel_split)]
        #[leptos::wasm_split::wasm_split(
            $module,
            wasm_split_path = ::leptos::wasm_split,
            preload($preload),
            fallible
        )]
        pub fn $name($($arg: $ty),*) -> Result<AnyView, SplitLoaderError> {
            Ok($body)
        }

        #[cfg(not(hookpanel_split))]
        pub async fn $name($($arg: $ty),*) -> Result<AnyView, SplitLoaderError> {
            Ok($body)
        }

        #[cfg(not(hookpanel_split))]
        pub async fn $preload() -> Result<(), SplitLoaderError> {
            Ok(())
        }
    };
}

split!(
    screens,
    preload_connection,
    fn connection_screen(cid: Option<String>) {
        view! { <ConnectionPage cid/> }.into_any()
    }
);

split!(
    screens,
    preload_list,
    fn list_screen(cid: String) {
        view! { <SubscriptionList cid/> }.into_any()
    }
);

split!(
    screens,
    preload_subscription,
    fn subscription_screen(cid: String, sid: String) {
        view! { <SubscriptionPage cid sid/> }.into_any()
    }
);

split!(
    screens,
    preload_editor,
    fn create_screen(cid: String) {
        view! { <CreatePage cid/> }.into_any()
    }
);

split!(
    screens,
    preload_modify,
    fn modify_screen(cid: String, sid: String) {
        view! { <ModifyPage cid sid/> }.into_any()
    }
);

split!(
    screens,
    preload_check,
    fn check_screen(webhook: Option<(String, String)>) {
        view! { <CheckPage webhook/> }.into_any()
    }
);

split!(
    workspace_file,
    preload_workspace_file,
    fn workspace_file_screen() {
        view! { <SyncPage/> }.into_any()
    }
);

/// A screen whose view `load` fetches: "Opening…" while its code is on the way, the screen once
/// it is in, and, if it cannot be fetched (the network, or a newer Hookpanel published over this
/// one), what happened and a button that tries again.
pub fn lazy<F, Fut>(load: F) -> AnyView
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
{
    let attempt = RwSignal::new(0u32);
    let screen = move || {
        attempt.track();
        let load = load.clone();
        Suspend::new(SendWrapper::new(async move {
            match load().await {
                Ok(view) => view,
                Err(_) => load_failed(attempt),
            }
        }))
    };
    view! {
        <Suspense fallback=|| view! { <p class="opening" role="status">"Opening…"</p> }>
            {screen}
        </Suspense>
    }
    .into_any()
}

fn load_failed(attempt: RwSignal<u32>) -> AnyView {
    view! {
        <section class="screen" aria-labelledby="load-failed-title">
            <h1 id="load-failed-title">"This screen could not be opened"</h1>
            <p role="alert">
                "Its code did not arrive: the network may be down, or a newer Hookpanel was published "
                "at this address since the page was opened. Try again; if it fails again, reload the "
                "page (what you typed on other screens is kept in this browser)."
            </p>
            <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>"Try again"</button>
        </section>
    }
    .into_any()
}

/// Fetches the everyday screens' chunk in the background once the first screen is drawn, so that
/// the list, the editor or a webhook's page opens at once. One preload fetches the whole chunk.
/// A chunk that fails here is fetched again when its screen opens.
pub fn preload_screens() {
    leptos::task::spawn_local(async {
        let _ = preload_list().await;
    });
}

/// Fetches the workspace file screen's chunk, the largest and the least used, when the admin
/// shows an intent to open it (the pointer on its link, or focus).
pub fn preload_workspace_file_screen() {
    leptos::task::spawn_local(async {
        let _ = preload_workspace_file().await;
    });
}
