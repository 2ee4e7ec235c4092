//! The workspace: every connection, by vendor, with a way to add one.

use hookpanel_core::VendorId;
use leptos::prelude::*;

use crate::route::Route;
use crate::widgets::SetAsideNotice;
use crate::workspace::Workspace;

/// The list of connections.
#[component]
pub fn Home() -> impl IntoView {
    let ws = Workspace::expect_context();
    // One grid, by vendor: most admins have a handful of connections, and a heading per vendor
    // left a screen of white space (seen in the screenshots).
    let cards = move || {
        let mut list = ws.connections.get();
        list.sort_by_key(|c| VendorId::ALL.iter().position(|v| *v == c.vendor));
        list.into_iter()
            .map(|c| {
                let badge = if c.builtin {
                    Some("Sandbox")
                } else if c.remember {
                    Some("Remembered on this device")
                } else {
                    None
                };
                view! {
                    <li class="card" data-testid=format!("connection:{}", c.id)>
                        <p class="vendor">{c.vendor.display_name()}</p>
                        <h2><a href=Route::List { cid: c.id.clone() }.href()>{c.name.clone()}</a></h2>
                        <p class="muted url"><code>{c.base_url.clone()}</code></p>
                        <p class="row">
                            {badge.map(|b| view! { <span class="badge">{b}</span> })}
                            <a href=Route::EditConnection { cid: c.id.clone() }.href()
                                aria-label=format!("Edit {}", c.name)>
                                "Edit"
                            </a>
                        </p>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="screen" aria-labelledby="home-title">
            <div class="heading-row">
                <h1 id="home-title">"Connections"</h1>
                <a class="button primary" href=Route::NewConnection.href() data-testid="add-connection">
                    "Add connection"
                </a>
            </div>
            <p class="muted">
                "Each connection is one account or tenant at a vendor. The sandbox connections work with no set-up: try every action there first."
            </p>
            <SetAsideNotice/>
            <ul class="cards">{cards}</ul>
        </section>
    }
}
