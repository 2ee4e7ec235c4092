//! Small controls shared by several screens.

use leptos::prelude::*;

/// The Show / Hide button beside a masked field.
#[component]
pub fn RevealButton(
    /// Whether the field shows its value.
    reveal: RwSignal<bool>,
    /// What the field holds, for screen readers ("Show API key").
    what: String,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="reveal"
            aria-label=format!("Show {what}")
            aria-pressed=move || reveal.get().to_string()
            on:click=move |_| reveal.update(|r| *r = !*r)
        >
            {move || if reveal.get() { "Hide" } else { "Show" }}
        </button>
    }
}
