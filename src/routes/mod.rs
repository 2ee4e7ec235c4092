//! One screen per file, each a route of the app (see `app.rs` for the paths).

mod connection;
mod editor;
mod home;
mod list;
mod subscription;

pub use connection::ConnectionPage;
pub use editor::{CreatePage, ModifyPage};
pub use home::Home;
pub use list::SubscriptionList;
pub use list::encode;
pub use subscription::SubscriptionPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::app::href;
use crate::workspace::{ConnectionEntry, Workspace};

/// The page for a path that matches no screen.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section>
            <h1>"Nothing here"</h1>
            <p>"This link points at no screen of Hookpanel. " <a href=href("/")>"Go to your connections"</a>"."</p>
        </section>
    }
}

/// A route parameter, as a signal.
fn param(name: &'static str) -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get(name).unwrap_or_default()))
}

/// The connection named by the route's `:cid`, if it exists.
fn connection_of(cid: Memo<String>) -> Memo<Option<ConnectionEntry>> {
    let ws = Workspace::expect_context();
    Memo::new(move |_| {
        let id = cid.get();
        ws.connections
            .with(|all| all.iter().find(|c| c.id == id).cloned())
    })
}

/// What a deep link to a connection that is not on this device shows.
fn unknown_connection(cid: String) -> AnyView {
    view! {
        <section>
            <h1>"Unknown connection"</h1>
            <p>
                {format!("No connection \"{cid}\" on this device. Connections whose settings were not remembered are gone after a reload. ")}
                <a href=href("/")>"See your connections"</a>"."
            </p>
        </section>
    }
    .into_any()
}

/// "1 problem", "2 problems".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
