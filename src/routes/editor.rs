//! The editor's routes: a new webhook at a connection, or a change to one of its webhooks.

use hookpanel_core::edit::modify_draft;
use leptos::prelude::*;

use super::list::ensure_loaded;
use super::{connection_of, param};
use crate::app::href;
use crate::editor::{EditMode, Editor};
use crate::workspace::Workspace;

/// A new webhook at the route's connection.
#[component]
pub fn CreatePage() -> impl IntoView {
    let cid = param("cid");
    let entry = connection_of(cid);
    move || match entry.get() {
        Some(entry) => view! { <Editor entry mode=EditMode::Create/> }.into_any(),
        None => super::unknown_connection(cid.get()),
    }
}

/// A change to the route's webhook, starting from what the vendor holds.
#[component]
pub fn ModifyPage() -> impl IntoView {
    let ws = Workspace::expect_context();
    let cid = param("cid");
    let sid = param("sid");
    let entry = connection_of(cid);
    Effect::new(move |_| {
        if let Some(entry) = entry.get() {
            ensure_loaded(ws, &entry);
        }
    });
    let present = Memo::new(move |_| {
        entry
            .get()
            .is_some_and(|e| ws.subscription(&e.id, &sid.get()).is_some())
    });
    let loading = Memo::new(move |_| entry.get().is_some_and(|e| ws.listing(&e.id).loading));
    move || {
        let Some(entry) = entry.get() else {
            return super::unknown_connection(cid.get());
        };
        // Only whether the webhook is there redraws the editor: a list read finishing while the
        // admin types must not start it over (it did, and lost an open confirmation).
        present.track();
        let id = sid.get();
        let back = href(&format!("/c/{}", entry.id));
        // Read once, untracked: the editor must not start over while the admin types.
        let sub = untrack(|| ws.subscription(&entry.id, &id));
        match sub {
            Some(sub) => match modify_draft(entry.vendor, &sub) {
                Some(live) => view! { <Editor entry mode=EditMode::Modify { sub: Box::new(sub), live }/> }.into_any(),
                None => view! {
                    <p class="note">{format!("{} cannot change this webhook here.", entry.vendor.display_name())}" "<a href=back>"Back"</a></p>
                }
                .into_any(),
            },
            None => {
                let loading = loading.get();
                view! {
                    <p class="status pending">
                        {if loading { "Reading the webhook…".to_string() } else { format!("No webhook \"{id}\" here. ") }}
                        <a href=back>"Back to the list"</a>
                    </p>
                }
                .into_any()
            }
        }
    }
}
