//! Small controls shared by several screens.

use hookpanel_core::SubscriptionStatus;
use leptos::prelude::*;

use crate::workspace::UNCONFIRMED;

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

/// What the device held that could not be read back (a ledger written by another version, say):
/// kept aside untouched by the store, offered here for download before anything else happens to
/// it. Shows nothing when there is nothing.
#[component]
pub fn SetAsideNotice() -> impl IntoView {
    let kept = RwSignal::new(crate::store::set_aside());
    let stuck = crate::store::protected();
    let items = move || {
        kept.get()
            .into_iter()
            .map(|item| {
                let name = format!("hookpanel-{}.json", crate::files::slug(&item.key));
                let text = item.text.clone();
                let key = item.key.clone();
                view! {
                    <li data-testid="set-aside">
                        <code>{item.was.clone()}</code>
                        {format!(" ({} bytes) ", item.text.len())}
                        <button type="button" data-testid="download-aside"
                            on:click=move |_| { crate::files::download(&name, "application/json", &text); }>
                            "Download it"
                        </button>
                        " "
                        <button type="button" class="danger" data-testid="discard-aside"
                            on:click=move |_| {
                                crate::store::discard_aside(&key);
                                kept.set(crate::store::set_aside());
                            }>
                            "Delete the kept copy"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        {move || (!kept.with(Vec::is_empty)).then(|| view! {
            <div class="note warning" role="alert" data-testid="set-aside-notice">
                <p>
                    "Hookpanel could not read back some of what it kept on this device. It was kept aside, untouched, and nothing is saved over it: download it to keep it, and import a ledger from it once it is fixed."
                </p>
                <ul>{items}</ul>
            </div>
        })}
        {(!stuck.is_empty()).then(|| view! {
            <div class="note warning" role="alert" data-testid="set-aside-notice">
                <p>
                    {format!("Hookpanel could not read back {} and could not keep a copy aside (the device's storage may be full), so it leaves them as they are and saves nothing over them until you free some space and reload.", stuck.join(", "))}
                </p>
            </div>
        })}
    }
}

/// The status's key, for styles and the status filter.
pub fn status_key(status: &SubscriptionStatus) -> &'static str {
    match status {
        SubscriptionStatus::Active => "active",
        SubscriptionStatus::Paused => "paused",
        SubscriptionStatus::Failing(_) => "failing",
        SubscriptionStatus::Other(s) if s == UNCONFIRMED => "unconfirmed",
        SubscriptionStatus::Other(_) => "other",
    }
}

/// A status as a badge.
pub fn status_badge(status: &SubscriptionStatus) -> impl IntoView + use<> {
    let class = match status_key(status) {
        "active" => "state active",
        "paused" => "state paused",
        "failing" => "state failing",
        "unconfirmed" => "state unconfirmed",
        _ => "state other",
    };
    let label = match status {
        SubscriptionStatus::Failing(_) => "stopped by the vendor".to_string(),
        SubscriptionStatus::Other(s) if s == UNCONFIRMED => "not confirmed".to_string(),
        other => other.label().to_string(),
    };
    view! { <span class=class data-testid="status">{label}</span> }
}

/// "1 problem", "2 problems".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{} {word}s", hookpanel_core::number::grouped(n as u64))
    }
}
