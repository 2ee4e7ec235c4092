//! The exact request a call will make, secrets masked unless revealed, and "copy as curl".

use hookpanel_core::{HttpRequest, PlanError};
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The request preview.
#[component]
pub fn RequestPreview(
    /// The planned request, or why there is none.
    request: Memo<Result<HttpRequest, PlanError>>,
) -> impl IntoView {
    let reveal = RwSignal::new(false);
    let copied = RwSignal::new(None::<String>);
    let text = move || match request.get() {
        Ok(r) => r.to_text(reveal.get()),
        Err(e) => e.to_string(),
    };
    let copy = move |_| {
        let Ok(r) = request.get_untracked() else {
            return;
        };
        let curl = r.to_curl(reveal.get_untracked());
        let revealed = reveal.get_untracked();
        leptos::task::spawn_local(async move {
            let clipboard = window().navigator().clipboard();
            let said = match JsFuture::from(clipboard.write_text(&curl)).await {
                Ok(_) if revealed => "Copied, with secrets: paste it only where it is safe.",
                Ok(_) => "Copied, secrets masked.",
                Err(_) => "The browser refused the clipboard; select the text and copy it instead.",
            };
            copied.set(Some(said.to_string()));
        });
    };
    view! {
        <section class="preview" aria-labelledby="preview-title">
            <h2 id="preview-title">"Request"</h2>
            <pre data-testid="request-preview" tabindex="0">{text}</pre>
            <div class="row">
                <label class="inline">
                    <input
                        type="checkbox"
                        prop:checked=move || reveal.get()
                        on:change=move |ev| reveal.set(event_target_checked(&ev))
                    />
                    " Show secrets"
                </label>
                <button type="button" on:click=copy disabled=move || request.with(Result::is_err)>
                    "Copy as curl"
                </button>
                <span class="note" aria-live="polite">{move || copied.get()}</span>
            </div>
        </section>
    }
}
