//! The draft as raw JSON: typed into freely, kept as typed when it does not parse, secrets masked
//! until "Show secrets", with each problem placed at its line.

use hookpanel_core::{Problem, draft};
use leptos::prelude::*;

use super::DraftState;

/// Problems listed under the raw view at once: a draft with 10,000 unknown fields has 10,000,
/// and a list that long helps no one (the first ones say what is wrong).
const LISTED: usize = 100;

/// The raw JSON view of the draft.
#[component]
pub fn RawJson(
    /// The draft being edited.
    state: DraftState,
    /// The draft's problems, as validated.
    problems: Memo<Vec<Problem>>,
) -> impl IntoView {
    let located = Memo::new(move |_| -> (Vec<(Option<usize>, Problem)>, usize) {
        if let Some(syntax) = state.raw_error.get() {
            return (vec![(syntax.line.map(|(l, _)| l), syntax)], 1);
        }
        // Like the form: problems show once the admin has edited here or tried to send.
        if !state.show_all.get() {
            return (Vec::new(), 0);
        }
        problems.with(|all| {
            let listed = &all[..all.len().min(LISTED)];
            let pointers: Vec<&str> = listed.iter().map(|p| p.pointer.as_ref()).collect();
            // One walk of the draft already parsed for every problem, not a parse each.
            let lines = state.draft.with(|d| draft::lines_in(d, &pointers));
            (
                lines.into_iter().zip(listed.iter().cloned()).collect(),
                all.len(),
            )
        })
    });
    view! {
        <div class="raw">
            <div class="row">
                <label for="raw-json" class="label">"Raw JSON"</label>
                // The same switch as the request's: one "Show secrets" for the whole editor.
                <label class="inline">
                    <input
                        type="checkbox"
                        data-testid="reveal-raw"
                        prop:checked=move || state.reveal.get()
                        on:change=move |ev| state.set_reveal(event_target_checked(&ev))
                    />
                    " Show secrets"
                </label>
            </div>
            <textarea
                id="raw-json"
                data-testid="raw-json"
                rows="14"
                spellcheck="false"
                aria-describedby="raw-json-note raw-json-problems"
                aria-invalid=move || state.raw_error.with(Option::is_some).to_string()
                prop:value=move || state.raw.get()
                on:input=move |ev| state.set_raw(event_target_value(&ev))
            ></textarea>
            <p class="help" id="raw-json-note">
                {move || if state.reveal.get() {
                    "Secrets are shown."
                } else {
                    "Secret values show as •••••••• and are kept as they are while you edit around them: tick Show secrets to see or change them."
                }}
            </p>
            <ul class="problems" id="raw-json-problems" aria-live="polite">
                {move || {
                    let (list, total) = located.get();
                    let more = total.saturating_sub(list.len());
                    let items = list
                        .into_iter()
                        .map(|(line, p)| {
                            let at = match line {
                                Some(l) => format!("line {l}: "),
                                None if p.pointer.is_empty() => String::new(),
                                None => format!("{}: ", p.pointer),
                            };
                            view! { <li class=p.severity.as_str()>{at}{p.message}</li> }
                        })
                        .collect_view();
                    view! {
                        {items}
                        {(more > 0).then(|| view! { <li class="muted">{format!("…and {more} more.")}</li> })}
                    }
                }}
            </ul>
        </div>
    }
}
