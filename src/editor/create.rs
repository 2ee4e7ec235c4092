//! The create screen: the editor, its problems, the request preview, and the Create call with its
//! progress and outcome.

use hookpanel_core::problem::has_errors;
use hookpanel_core::{
    Action as VendorAction, Call, Connection, Operation, Outcome, Problem, VendorId, plan, validate,
};
use leptos::prelude::*;
use serde_json::json;

use super::form::field_id;
use super::{DraftState, RawJson, RequestPreview, SchemaForm};
use crate::http::call;

/// How a call ended, as the screen shows it.
#[derive(Clone, Debug)]
enum Ended {
    Created {
        id: String,
        status: String,
    },
    Failed {
        message: String,
        next: String,
        problems: Vec<Problem>,
    },
}

/// Creates a subscription at a vendor.
#[component]
pub fn CreateScreen(
    vendor: VendorId,
    operation: Operation,
    /// The connection the call goes to.
    connection: Signal<Connection>,
) -> impl IntoView {
    let state = DraftState::new(json!({}));
    let problems = Memo::new(move |_| state.draft.with(|d| validate(vendor, operation, d)));
    let request = Memo::new(move |_| {
        state
            .draft
            .with(|d| connection.with(|c| plan(c, Call::Create { draft: d })))
    });
    let blocked = move || problems.with(|p| has_errors(p)) || state.raw_error.with(Option::is_some);

    let create = Action::new_local(move |request: &hookpanel_core::HttpRequest| {
        let request = request.clone();
        async move {
            match call(vendor, VendorAction::Create, &request).await {
                Ok(Outcome::One(s)) => Ended::Created {
                    id: s.id,
                    status: s.status.label().to_string(),
                },
                Ok(_) => Ended::Failed {
                    message: "The vendor's answer held no webhook.".into(),
                    next: "Refresh to see what the vendor holds now.".into(),
                    problems: Vec::new(),
                },
                Err(e) => Ended::Failed {
                    message: e.to_string(),
                    next: e.next_step(),
                    problems: e.problems().to_vec(),
                },
            }
        }
    });
    let pending = create.pending();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.show_all.set(true);
        if blocked() || pending.get_untracked() {
            return;
        }
        if let Ok(r) = request.get_untracked() {
            create.dispatch(r);
        }
    };

    let summary = move || {
        let list: Vec<Problem> = problems
            .get()
            .into_iter()
            .filter(Problem::is_error)
            .collect();
        (state.show_all.get() && !list.is_empty()).then(|| {
            view! {
                <div class="summary" role="alert" data-testid="problem-summary">
                    <p>{format!("Fix {} before sending:", plural(list.len(), "problem"))}</p>
                    <ul>
                        {list
                            .into_iter()
                            .map(|p| {
                                let href = format!("#{}", field_id(&p.pointer));
                                let at = if p.pointer.is_empty() { "draft".to_string() } else { p.pointer.clone() };
                                view! { <li><a href=href>{at}</a>": "{p.message}</li> }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    };

    let outcome = move || {
        if pending.get() {
            return view! { <p class="status pending" data-testid="call-status">"Creating the webhook…"</p> }.into_any();
        }
        match create.value().get() {
            None => ().into_any(),
            Some(Ended::Created { id, status }) => view! {
                <div class="status ok" data-testid="call-status">
                    <p>"Created webhook " <code data-testid="created-id">{id}</code> {format!(" ({status}).")}</p>
                </div>
            }
            .into_any(),
            Some(Ended::Failed { message, next, problems }) => view! {
                <div class="status failed" data-testid="call-status">
                    <p><strong>"Not created. "</strong>{message}</p>
                    <p>{next}</p>
                    <ul>{problems.into_iter().map(|p| view! { <li>{p.pointer}": "{p.message}</li> }).collect_view()}</ul>
                </div>
            }
            .into_any(),
        }
    };

    view! {
        <section class="screen" aria-labelledby="screen-title">
            <h2 id="screen-title">{format!("New {} webhook", vendor.display_name())}</h2>
            <form class="editor" on:submit=submit novalidate>
                <div class="columns">
                    <fieldset class="form">
                        <legend>"Settings"</legend>
                        <SchemaForm vendor operation state problems/>
                    </fieldset>
                    <RawJson state problems/>
                </div>
                {summary}
                <RequestPreview request/>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="create" aria-disabled=move || blocked().to_string()>
                        {move || if pending.get() { "Creating…" } else { "Create webhook" }}
                    </button>
                    <div aria-live="polite">{outcome}</div>
                </div>
            </form>
        </section>
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
