//! A confirmation dialog: the browser's modal `<dialog>`, so focus stays inside and Escape closes
//! it without the app having to trap either.

use leptos::html::Dialog;
use leptos::prelude::*;

/// Asks before an action that cannot be undone, or that is emulated with other calls.
#[component]
pub fn Confirm(
    /// Open while true; closing (Escape, Cancel) sets it false.
    open: RwSignal<bool>,
    /// The dialog's title: what will happen.
    #[prop(into)]
    title: Signal<String>,
    /// What the admin should know first (what is lost).
    #[prop(into)]
    body: Signal<String>,
    /// The confirming button's text.
    confirm_label: String,
    /// Run when confirmed.
    on_confirm: Callback<()>,
) -> impl IntoView {
    let dialog = NodeRef::<Dialog>::new();
    Effect::new(move |_| {
        let Some(el) = dialog.get() else { return };
        if open.get() {
            if !el.open() {
                let _ = el.show_modal();
            }
        } else if el.open() {
            el.close();
        }
    });
    view! {
        <dialog
            node_ref=dialog
            class="confirm"
            aria-labelledby="confirm-title"
            data-testid="confirm"
            on:close=move |_| {
                // A close event from an earlier closing can arrive after the dialog was opened
                // again: only a dialog that is really closed says so.
                if !dialog.get_untracked().is_some_and(|d| d.open()) {
                    open.set(false);
                }
            }
        >
            <h2 id="confirm-title">{move || title.get()}</h2>
            <p>{move || body.get()}</p>
            <div class="row">
                <button type="button" data-testid="confirm-cancel" on:click=move |_| open.set(false)>
                    "Cancel"
                </button>
                <button
                    type="button"
                    class="primary danger"
                    data-testid="confirm-ok"
                    on:click=move |_| {
                        open.set(false);
                        on_confirm.run(());
                    }
                >
                    {confirm_label}
                </button>
            </div>
        </dialog>
    }
}
