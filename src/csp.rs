//! Calls the page's own Content-Security-Policy refuses. The policy allows `connect-src` to the
//! vendors' hosts, loopback and the origins chosen at build time (`HOOKPANEL_CONNECT_SRC`); a
//! fetch to anything else fails exactly as a CORS refusal does, so the page listens for the
//! browser's `securitypolicyviolation` events, which name the blocked address, and [`refused`]
//! tells a failed call apart by them.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// A violation is matched to a failed call if it came this recently.
const RECENT_MS: f64 = 10_000.0;

thread_local! {
    /// The blocked addresses of recent `connect-src` violations, with when they came.
    static REFUSED: RefCell<Vec<(String, f64)>> = const { RefCell::new(Vec::new()) };
    static LISTENING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Starts listening for the policy's refusals, once per page.
pub fn install() {
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let listener = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        let Some(violation) = event.dyn_ref::<web_sys::SecurityPolicyViolationEvent>() else {
            return;
        };
        if !violation.effective_directive().starts_with("connect-src") {
            return;
        }
        let blocked = violation.blocked_uri();
        let now = js_sys::Date::now();
        REFUSED.with(|r| {
            let mut list = r.borrow_mut();
            list.retain(|(_, at)| now - at < RECENT_MS);
            list.push((blocked, now));
        });
    });
    let _ = document.add_event_listener_with_callback(
        "securitypolicyviolation",
        listener.as_ref().unchecked_ref(),
    );
    // The listener lives as long as the page.
    listener.forget();
}

/// Whether the policy refused a call to `origin` (`https://host[:port]`) just now.
pub fn refused(origin: &str) -> bool {
    let now = js_sys::Date::now();
    REFUSED.with(|r| {
        r.borrow()
            .iter()
            .any(|(blocked, at)| now - at < RECENT_MS && same_origin(blocked, origin))
    })
}

/// A blocked address (a whole URL, or only its origin, as the browser chooses to report it) is
/// at `origin` when it is the origin or starts with it and a `/`.
fn same_origin(blocked: &str, origin: &str) -> bool {
    blocked == origin
        || blocked
            .strip_prefix(origin)
            .is_some_and(|rest| rest.starts_with('/'))
}
