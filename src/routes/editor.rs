//! The editor's routes: a new webhook at a connection, or a change to one of its webhooks.

use hookpanel_core::edit::modify_draft;
use leptos::prelude::*;

use super::connection_of;
use crate::editor::{EditMode, Editor};
use crate::listing::ensure_loaded;
use crate::route::Route;
use crate::workspace::Workspace;

/// A new webhook at a connection.
#[component]
pub fn CreatePage(
    /// The connection's id.
    cid: String,
) -> impl IntoView {
    let entry = connection_of(cid.clone());
    move || match entry.get() {
        Some(entry) => view! { <Editor entry mode=EditMode::Create/> }.into_any(),
        None => super::unknown_connection(cid.clone()),
    }
}

/// A change to one webhook, starting from what the vendor holds.
#[component]
pub fn ModifyPage(
    /// The connection's id.
    cid: String,
    /// The webhook's id.
    sid: String,
) -> impl IntoView {
    let ws = Workspace::expect_context();
    let entry = connection_of(cid.clone());
    Effect::new(move |_| {
        if let Some(entry) = entry.get() {
            ensure_loaded(ws, &entry);
        }
    });
    let present = {
        let sid = sid.clone();
        Memo::new(move |_| {
            entry
                .get()
                .is_some_and(|e| ws.subscription(&e.id, &sid).is_some())
        })
    };
    let loading = Memo::new(move |_| entry.get().is_some_and(|e| ws.listing(&e.id).loading));
    move || {
        let Some(entry) = entry.get() else {
            return super::unknown_connection(cid.clone());
        };
        // Only whether the webhook is there redraws the editor: a list read finishing while the
        // admin types must not start it over (it did, and lost an open confirmation).
        present.track();
        let back = Route::List {
            cid: entry.id.clone(),
        }
        .href();
        // Read once, untracked: the editor must not start over while the admin types.
        let sub = untrack(|| ws.subscription(&entry.id, &sid));
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
                        {if loading { "Reading the webhook…".to_string() } else { format!("No webhook \"{sid}\" here. ") }}
                        <a href=back>"Back to the list"</a>
                    </p>
                }
                .into_any()
            }
        }
    }
}
