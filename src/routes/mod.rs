//! One screen per file, each a route of the app (see `app.rs` for the paths).

mod check;
mod connection;
mod editor;
mod home;
mod list;
mod subscription;
mod sync;
mod sync_plan;

pub use check::CheckPage;
pub use connection::ConnectionPage;
pub use editor::{CreatePage, ModifyPage};
pub use home::Home;
pub use list::SubscriptionList;
pub use subscription::SubscriptionPage;
pub use sync::SyncPage;

use leptos::prelude::*;

use crate::route::Route;
use crate::workspace::{ConnectionEntry, Workspace};

/// The page for a path that matches no screen.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section>
            <h1>"Nothing here"</h1>
            <p>"This link points at no screen of Hookpanel. " <a href=Route::Home.href()>"Go to your connections"</a>"."</p>
        </section>
    }
}

/// The connection the route names, if it exists on this device.
fn connection_of(cid: String) -> Memo<Option<ConnectionEntry>> {
    let ws = Workspace::expect_context();
    Memo::new(move |_| {
        ws.connections
            .with(|all| all.iter().find(|c| c.id == cid).cloned())
    })
}

/// What a deep link to a connection that is not on this device shows.
fn unknown_connection(cid: String) -> AnyView {
    view! {
        <section>
            <h1>"Unknown connection"</h1>
            <p>
                {format!("No connection \"{cid}\" on this device: it may have been removed here, or added in another browser. ")}
                <a href=Route::Home.href()>"See your connections"</a>"."
            </p>
        </section>
    }
    .into_any()
}
