//! The exact requests a call will make, secrets masked unless revealed, and "copy as curl".
//! An emulated action shows each of its requests, in the order they are sent.

use hookpanel_core::http::first_lines;
use hookpanel_core::{PlanError, Step};
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::DraftState;

/// Lines of the requests shown until the admin asks for all of them: a draft with 10,000 event
/// names makes a body of 10,000 lines, and drawing it again was most of a keystroke on such a
/// draft (`cargo xtask bench editor`: the raw view's keystroke 57.0 → 14.5 ms with it cut; on
/// 1,000 names 8.5 → 2.8 ms).
const SHOWN_LINES: usize = 200;

/// The request preview.
#[component]
pub fn RequestPreview(
    /// The planned requests, or why there are none.
    steps: Memo<Result<Vec<Step>, PlanError>>,
    /// The draft, whose "Show secrets" the preview shares with the raw view.
    state: DraftState,
) -> impl IntoView {
    let reveal = state.reveal;
    let copied = RwSignal::new(None::<String>);
    let whole = RwSignal::new(false);
    let text = Memo::new(move |_| match steps.get() {
        Ok(list) if list.len() == 1 => list[0].request.to_text(reveal.get()),
        Ok(list) => list
            .iter()
            .enumerate()
            .map(|(i, s)| {
                format!(
                    "# {}. {}\n{}",
                    i + 1,
                    s.action.as_str(),
                    s.request.to_text(reveal.get())
                )
            })
            .collect::<Vec<_>>()
            .join("\n\n"),
        Err(e) => e.to_string(),
    });
    // Where the first lines end, and how many more there are: one pass over the text a change.
    let cut = Memo::new(move |_| {
        text.with(|t| {
            let (first, more) = first_lines(t, SHOWN_LINES);
            (first.len(), more)
        })
    });
    // The first lines, exactly as they are sent (or all of them, when asked).
    let shown = move || {
        text.with(|t| {
            if whole.get() {
                return t.clone();
            }
            t.get(..cut.get().0).unwrap_or(t).to_string()
        })
    };
    let left_out = move || cut.get().1;
    let copy = move |_| {
        let Ok(list) = steps.get_untracked() else {
            return;
        };
        let revealed = reveal.get_untracked();
        let curl = list
            .iter()
            .map(|s| s.request.to_curl(revealed))
            .collect::<Vec<_>>()
            .join("\n\n");
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
            <h2 id="preview-title">
                {move || match steps.with(|s| s.as_ref().map(Vec::len).unwrap_or(1)) {
                    1 => "Request".to_string(),
                    n => format!("Requests ({n}, in this order)"),
                }}
            </h2>
            <pre data-testid="request-preview" tabindex="0">{shown}</pre>
            {move || {
                let more = left_out();
                (more > 0).then(|| {
                    let (said, button) = if whole.get() {
                        (format!("All {} lines are shown.", SHOWN_LINES + more), format!("Show the first {SHOWN_LINES} lines"))
                    } else {
                        (format!("…and {more} more lines, sent as they are; Copy as curl copies them all."), "Show the whole request".to_string())
                    };
                    view! {
                        <p class="help" data-testid="preview-more">
                            {said}" "
                            <button type="button" data-testid="preview-whole" on:click=move |_| whole.update(|w| *w = !*w)>
                                {button}
                            </button>
                        </p>
                    }
                })
            }}
            <div class="row">
                <label class="inline">
                    <input
                        type="checkbox"
                        data-testid="reveal"
                        prop:checked=move || reveal.get()
                        on:change=move |ev| state.set_reveal(event_target_checked(&ev))
                    />
                    " Show secrets"
                </label>
                <button type="button" data-testid="copy-curl" on:click=copy disabled=move || steps.with(Result::is_err)>
                    "Copy as curl"
                </button>
                <span class="note" aria-live="polite">{move || copied.get()}</span>
            </div>
        </section>
    }
}
