//! What the admin sees if the app panics: a banner that says so and offers a reload. Drafts are
//! written to the device as they are typed (secret fields excepted), so a reload loses nothing
//! else. The banner is made with plain DOM calls, since the app's own runtime is what failed; so
//! is the notice a framed page shows instead of the app (see [`crate::framed`]).

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

pub const BANNER_ID: &str = "crash-banner";

/// Routes panics to the console (for a bug report) and to the banner.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_banner();
    }));
}

/// What the page shows instead of the app when it is inside another page's frame: why, and a link
/// to open it in a tab of its own.
pub fn show_framed() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Ok(notice), Ok(text), Ok(link), Some(body)) = (
        document.create_element("main"),
        document.create_element("p"),
        document.create_element("a"),
        document.body(),
    ) else {
        return;
    };
    let _ = notice.set_attribute("id", "framed");
    let _ = notice.set_attribute("role", "alert");
    text.set_text_content(Some(
        "Hookpanel does not run inside another page: a page that frames it could see what you type, your API keys among it. ",
    ));
    link.set_text_content(Some("Open Hookpanel in a tab of its own"));
    let here = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let _ = link.set_attribute("href", &here);
    let _ = link.set_attribute("target", "_blank");
    let _ = link.set_attribute("rel", "noopener noreferrer");
    let _ = text.append_child(&link);
    let _ = notice.append_child(&text);
    let _ = body.append_child(&notice);
}

/// Shows the banner once, at the top of the page.
pub fn show_banner() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.get_element_by_id(BANNER_ID).is_some() {
        return;
    }
    let (Ok(banner), Ok(text), Ok(button), Some(body)) = (
        document.create_element("div"),
        document.create_element("p"),
        document.create_element("button"),
        document.body(),
    ) else {
        return;
    };
    banner.set_id(BANNER_ID);
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("class", "crash");
    text.set_text_content(Some(
        "Hookpanel hit an error it cannot recover from. Your drafts are saved on this device (secret fields excepted): reload to carry on.",
    ));
    button.set_text_content(Some("Reload"));
    let _ = button.set_attribute("type", "button");
    let reload = Closure::<dyn FnMut()>::new(|| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    let _ = button.add_event_listener_with_callback("click", reload.as_ref().unchecked_ref());
    // The page is reloaded or closed from here; the listener lives as long as the page.
    reload.forget();
    let _ = banner.append_child(&text);
    let _ = banner.append_child(&button);
    let _ = body.insert_before(&banner, body.first_child().as_ref());
    if let Some(b) = button.dyn_ref::<web_sys::HtmlElement>() {
        let _ = b.focus();
    }
}
