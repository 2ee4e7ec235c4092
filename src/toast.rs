//! Toasts: each call's outcome, announced politely and gone after a while (or when dismissed).

use leptos::prelude::*;
use std::time::Duration;

/// How a toast reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Ok,
    Error,
    Info,
}

impl Tone {
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Ok => "ok",
            Tone::Error => "error",
            Tone::Info => "info",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Toast {
    id: u64,
    tone: Tone,
    text: String,
}

/// The page's toasts, provided once by the app and used from any screen.
#[derive(Clone, Copy)]
pub struct Toasts {
    list: RwSignal<Vec<Toast>>,
    next: StoredValue<u64>,
}

impl Toasts {
    pub fn provide() -> Self {
        let toasts = Toasts {
            list: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        };
        provide_context(toasts);
        toasts
    }

    pub fn expect_context() -> Self {
        expect_context::<Toasts>()
    }

    /// Shows a toast; errors stay until dismissed, the rest for eight seconds.
    pub fn push(&self, tone: Tone, text: impl Into<String>) {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.list.update(|l| {
            l.push(Toast {
                id,
                tone,
                text: text.into(),
            });
            // A burst of calls must not bury the page.
            if l.len() > 4 {
                l.remove(0);
            }
        });
        if tone != Tone::Error {
            let list = self.list;
            set_timeout(
                move || list.update(|l| l.retain(|t| t.id != id)),
                Duration::from_secs(8),
            );
        }
    }

    fn dismiss(&self, id: u64) {
        self.list.update(|l| l.retain(|t| t.id != id));
    }
}

/// Where toasts show: a polite live region at the bottom of the page.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = Toasts::expect_context();
    view! {
        <div class="toasts" role="status" aria-live="polite" data-testid="toasts">
            <For each=move || toasts.list.get() key=|t| t.id let:toast>
                <div class=format!("toast {}", toast.tone.as_str()) data-testid="toast">
                    <span>{toast.text.clone()}</span>
                    <button
                        type="button"
                        class="dismiss"
                        aria-label="Dismiss"
                        on:click=move |_| toasts.dismiss(toast.id)
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}
