//! The draft as raw JSON: typed into freely, kept as typed when it does not parse, with each
//! problem placed at its line.

use hookpanel_core::{Problem, draft};
use leptos::prelude::*;

use super::DraftState;

/// The raw JSON view of the draft.
#[component]
pub fn RawJson(
    /// The draft being edited.
    state: DraftState,
    /// The draft's problems, as validated.
    problems: Memo<Vec<Problem>>,
) -> impl IntoView {
    let located = move || -> Vec<(Option<usize>, Problem)> {
        if let Some(syntax) = state.raw_error.get() {
            return vec![(syntax.line.map(|(l, _)| l), syntax)];
        }
        // Like the form: problems show once the admin has edited here or tried to send.
        if !state.show_all.get() {
            return Vec::new();
        }
        let text = state.raw.get();
        problems
            .get()
            .into_iter()
            .map(|p| (draft::line_of(&text, &p.pointer), p))
            .collect()
    };
    view! {
        <div class="raw">
            <label for="raw-json" class="label">"Raw JSON"</label>
            <textarea
                id="raw-json"
                data-testid="raw-json"
                rows="14"
                spellcheck="false"
                aria-describedby="raw-json-problems"
                aria-invalid=move || state.raw_error.with(Option::is_some).to_string()
                prop:value=move || state.raw.get()
                on:input=move |ev| state.set_raw(event_target_value(&ev))
            ></textarea>
            <ul class="problems" id="raw-json-problems" aria-live="polite">
                {move || {
                    located()
                        .into_iter()
                        .map(|(line, p)| {
                            let at = match line {
                                Some(l) => format!("line {l}: "),
                                None if p.pointer.is_empty() => String::new(),
                                None => format!("{}: ", p.pointer),
                            };
                            view! { <li class=p.severity.as_str()>{at}{p.message}</li> }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
