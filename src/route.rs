//! Where the admin is: the screen named by the URL's fragment, `#/c/<connection>/s/<webhook>`.
//!
//! Why the fragment: Hookpanel is plain files on any host, and most plain hosts (a bucket, a CDN
//! without rewrite rules, `python3 -m http.server`) answer an unknown path such as `/c/<id>` with
//! their own 404. The fragment never reaches the server, so every screen opens and reloads from
//! `index.html` at the root or under any sub-path, with no rule on the host; it also keeps
//! connection and webhook ids out of the host's logs. leptos_router has no hash mode
//! (leptos-rs/leptos#2184), and nine screens need no more than this file: the route is a typed
//! value parsed from the fragment and written back into it, so a link cannot name a screen that
//! does not exist.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A screen of the app, with what it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// The connections.
    Home,
    NewConnection,
    EditConnection {
        cid: String,
    },
    /// A connection's webhooks.
    List {
        cid: String,
    },
    /// A new webhook at a connection.
    Create {
        cid: String,
    },
    /// One webhook.
    Subscription {
        cid: String,
        sid: String,
    },
    /// A change to one webhook.
    Modify {
        cid: String,
        sid: String,
    },
    /// Check a delivery.
    Check,
    /// The workspace as a file: export, import as a plan, bulk changes, drift.
    Sync,
    /// Check a delivery of one webhook, its vendor and secret filled in.
    CheckDelivery {
        cid: String,
        sid: String,
    },
    /// A path that names no screen.
    NotFound {
        path: String,
    },
}

impl Route {
    /// The route a path names (`/c/abc/s/1`); segments are percent-decoded.
    pub fn parse(path: &str) -> Route {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let segments: Vec<String> = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(decode)
            .collect();
        let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        let owned = |s: &str| s.to_string();
        match parts.as_slice() {
            [] => Route::Home,
            ["connections", "new"] => Route::NewConnection,
            ["check"] => Route::Check,
            ["workspace"] => Route::Sync,
            ["connections", cid, "edit"] => Route::EditConnection { cid: owned(cid) },
            ["c", cid] => Route::List { cid: owned(cid) },
            ["c", cid, "new"] => Route::Create { cid: owned(cid) },
            ["c", cid, "s", sid] => Route::Subscription {
                cid: owned(cid),
                sid: owned(sid),
            },
            ["c", cid, "s", sid, "edit"] => Route::Modify {
                cid: owned(cid),
                sid: owned(sid),
            },
            ["c", cid, "s", sid, "check"] => Route::CheckDelivery {
                cid: owned(cid),
                sid: owned(sid),
            },
            _ => Route::NotFound {
                path: path.to_string(),
            },
        }
    }

    /// The path of the route, each named part percent-encoded as one segment.
    pub fn path(&self) -> String {
        match self {
            Route::Home => "/".into(),
            Route::NewConnection => "/connections/new".into(),
            Route::EditConnection { cid } => format!("/connections/{}/edit", encode(cid)),
            Route::List { cid } => format!("/c/{}", encode(cid)),
            Route::Create { cid } => format!("/c/{}/new", encode(cid)),
            Route::Subscription { cid, sid } => format!("/c/{}/s/{}", encode(cid), encode(sid)),
            Route::Modify { cid, sid } => {
                format!("/c/{}/s/{}/edit", encode(cid), encode(sid))
            }
            Route::Check => "/check".into(),
            Route::Sync => "/workspace".into(),
            Route::CheckDelivery { cid, sid } => {
                format!("/c/{}/s/{}/check", encode(cid), encode(sid))
            }
            Route::NotFound { path } => path.clone(),
        }
    }

    /// A link to the route: this page's own address with the route as its fragment, so following
    /// it never loads another document (a `<base href>` would otherwise resolve a bare `#/...`
    /// against the base, which is another URL when the page was opened as `index.html`).
    pub fn href(&self) -> String {
        format!("{}#{}", document_address(), self.path())
    }
}

/// An id as a path segment.
pub fn encode(id: &str) -> String {
    js_sys::encode_uri_component(id).into()
}

fn decode(segment: &str) -> String {
    js_sys::decode_uri_component(segment)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| segment.to_string())
}

thread_local! {
    /// This document's address without its fragment, read when the router starts: only the
    /// fragment changes after that, and a list of a thousand links would read it a thousand
    /// times.
    static ADDRESS: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// This document's address without its fragment: path and query.
fn document_address() -> String {
    if let Some(address) = ADDRESS.with(|a| a.borrow().clone()) {
        return address;
    }
    read_address()
}

fn read_address() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    )
}

/// The route the address bar names now. A fragment that is not a path (a skip link's `#main`)
/// names no route: `None`.
fn route_in_address() -> Option<Route> {
    let hash = window().location().hash().unwrap_or_default();
    match hash.strip_prefix('#') {
        None | Some("") => Some(Route::Home),
        Some(path) if path.starts_with('/') => Some(Route::parse(path)),
        Some(_) => None,
    }
}

/// The app's current route, provided once by the app.
#[derive(Clone, Copy)]
pub struct Router {
    route: RwSignal<Route>,
}

impl Router {
    /// Reads the route from the address, follows the browser's back and forward (`hashchange`),
    /// and stops listening when the app is unmounted. A path-style deep link from an older
    /// version (`/tools/hookpanel/c/<id>` on a host that answered it with the page) is turned
    /// into its fragment form.
    pub fn provide(base_path: &str) -> Self {
        adopt_path_link(base_path);
        ADDRESS.with(|a| *a.borrow_mut() = Some(read_address()));
        let router = Router {
            route: RwSignal::new(route_in_address().unwrap_or(Route::Home)),
        };
        let handle = window_event_listener(leptos::ev::hashchange, move |_| {
            if let Some(route) = route_in_address()
                && router.route.with_untracked(|now| *now != route)
            {
                router.route.set(route);
                scroll_to_top();
            }
        });
        on_cleanup(move || handle.remove());
        provide_context(router);
        router
    }

    pub fn expect_context() -> Self {
        expect_context::<Router>()
    }

    /// The route shown now.
    pub fn route(&self) -> Signal<Route> {
        self.route.into()
    }
}

/// Goes to `route`, as following a link to it would (a new history entry).
pub fn navigate(route: &Route) {
    let path = route.path();
    let _ = window().location().set_hash(&path);
    if let Some(router) = use_context::<Router>()
        && router.route.with_untracked(|now| now != route)
    {
        router.route.set(route.clone());
        scroll_to_top();
    }
}

fn scroll_to_top() {
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

/// `<base>/c/<id>` with no fragment, which only a host with a rewrite rule serves: rewritten in
/// place to `<base>/#/c/<id>`, without a reload.
fn adopt_path_link(base_path: &str) {
    let location = window().location();
    if !location.hash().unwrap_or_default().is_empty() {
        return;
    }
    let pathname = location.pathname().unwrap_or_default();
    let rest = pathname.strip_prefix(base_path).unwrap_or(&pathname);
    if rest.is_empty() || rest == "/" || rest.ends_with(".html") {
        return;
    }
    if matches!(Route::parse(rest), Route::NotFound { .. }) {
        return;
    }
    let target = format!("{base_path}/#{rest}");
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&target));
    }
}

/// Moves focus to the main region (the skip link's job, done without touching the fragment).
pub fn focus_main() {
    if let Some(main) = document()
        .get_element_by_id("main")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}
