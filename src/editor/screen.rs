//! The editor screen for a create or a modify: the form and the raw JSON over one draft, its
//! problems, what changes against the live state, the exact requests, and the call with its
//! progress and outcome. What it shows and does comes from [`use_editor`].

use hookpanel_core::edit::{Change, masked_at};
use hookpanel_core::{Problem, http::MASK};
use leptos::prelude::*;
use serde_json::Value;

use super::form::field_id;
use super::hook::{EditMode, UseEditor, use_editor};
use super::send::Ended;
use super::{RawJson, RequestPreview, SchemaForm};
use crate::dialog::Confirm;
use crate::route::Route;
use crate::widgets::plural;
use crate::workspace::ConnectionEntry;

/// The editor for a create or a modify at a connection.
#[component]
pub fn Editor(
    /// The connection the webhook is at.
    entry: ConnectionEntry,
    /// A new webhook, or which one is changed.
    mode: EditMode,
) -> impl IntoView {
    let editor = use_editor(&entry, &mode);
    let UseEditor {
        state,
        problems,
        steps,
        send,
        test,
        ..
    } = editor;
    let vendor = entry.vendor;
    let pending = send.pending();
    let test_pending = test.pending();
    let (title, back) = match &mode {
        EditMode::Create => (
            format!("New {} webhook", vendor.display_name()),
            Route::List {
                cid: entry.id.clone(),
            },
        ),
        EditMode::Modify { sub, .. } => (
            format!("Modify webhook {}", sub.id),
            Route::Subscription {
                cid: entry.id.clone(),
                sid: sub.id.clone(),
            },
        ),
    };
    let send_label = match (&mode, editor.emulated) {
        (EditMode::Create, _) => "Create webhook",
        (_, Some(_)) => "Save as a new webhook (emulated)",
        _ => "Save changes",
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        editor.submit();
    };
    view! {
        <section class="screen" aria-labelledby="screen-title">
            <p class="crumbs"><a href=back.href()>{format!("← {}", entry.name)}</a></p>
            <h1 id="screen-title">{title}</h1>
            {editor.emulated.map(|note| view! { <p class="note warning" data-testid="emulated-note">{note}</p> })}
            {editor.restored.then(|| view! {
                <p class="note" data-testid="restored">
                    "Your unsaved draft was restored. Secrets are never stored: type them again, and the values of custom headers too. "
                    <button type="button" class="link" on:click=move |_| editor.start_over()>"Start over"</button>
                </p>
            })}
            <form class="editor" on:submit=submit novalidate>
                <div class="columns">
                    <fieldset class="form">
                        <legend>"Settings"</legend>
                        <SchemaForm vendor operation=state.operation state problems/>
                    </fieldset>
                    <RawJson state problems/>
                </div>
                <ProblemSummary editor/>
                <ChangesView editor/>
                <RequestPreview steps state/>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="send" aria-disabled=move || editor.blocked().to_string()>
                        {move || if pending.get() { "Sending…" } else { send_label }}
                    </button>
                    {editor.can_test.then(|| view! {
                        <button type="button" data-testid="test-delivery" disabled=move || test_pending.get()
                            on:click=move |_| editor.run_test()>
                            {move || if test_pending.get() { "Testing…" } else { "Send a test delivery" }}
                        </button>
                    })}
                </div>
                <div aria-live="polite">
                    <CallOutcome editor/>
                    {move || test.value().get().map(|r| match r {
                        Ok(t) => view! { <p class="status ok" data-testid="test-status">{t}</p> }.into_any(),
                        Err(t) => view! { <p class="status failed" data-testid="test-status">{t}</p> }.into_any(),
                    })}
                </div>
            </form>
            <Confirm
                open=editor.confirm_open
                title="Save as a new webhook?"
                body=Signal::derive(move || editor.emulated.unwrap_or_default().to_string())
                confirm_label="Create the new webhook, then delete the old".to_string()
                on_confirm=Callback::new(move |()| editor.dispatch())
            />
        </section>
    }
}

/// Once the admin tried to send: every error, each a link to its field.
#[component]
fn ProblemSummary(
    /// The editor's state.
    editor: UseEditor,
) -> impl IntoView {
    move || {
        let list: Vec<Problem> = editor
            .problems
            .with(|p| p.iter().filter(|p| p.is_error()).cloned().collect());
        (editor.state.show_all.get() && !list.is_empty()).then(|| {
            view! {
                <div class="summary" role="alert" data-testid="problem-summary">
                    <p>{format!("Fix {} before sending:", plural(list.len(), "problem"))}</p>
                    <ul>
                        {list.into_iter().take(50).map(|p| {
                            let target = field_id(&p.pointer);
                            let at = if p.pointer.is_empty() { "draft".to_string() } else { p.pointer.to_string() };
                            view! {
                                <li>
                                    <a href=format!("#{target}") on:click=move |ev| {
                                        ev.prevent_default();
                                        focus(&target);
                                    }>{at}</a>
                                    ": "{p.message}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// What a modify changes, field by field; secret values masked unless revealed.
#[component]
fn ChangesView(
    /// The editor's state.
    editor: UseEditor,
) -> impl IntoView {
    let state = editor.state;
    let show = move |pointer: &str, v: Option<Value>| match v {
        None => "(none)".to_string(),
        Some(value) => {
            let value = if state.reveal.get() {
                value
            } else {
                masked_at(state.vendor, state.operation, pointer, value)
            };
            match value {
                Value::String(s) if s == MASK => MASK.to_string(),
                Value::String(s) => s,
                other => other.to_string(),
            }
        }
    };
    move || {
        editor.changes.get().map(|list: Vec<Change>| {
            let body = if list.is_empty() {
                view! { <p class="muted" data-testid="diff">"No change yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="diff" data-testid="diff">
                        {list.into_iter().map(|c| {
                            let before = show(&c.pointer, c.before);
                            let after = show(&c.pointer, c.after);
                            view! {
                                <li>
                                    <code>{c.pointer}</code>
                                    <span class="before">{format!("− {before}")}</span>
                                    <span class="after">{format!("+ {after}")}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            };
            view! {
                <section class="changes" aria-labelledby="diff-title">
                    <h2 id="diff-title">"Changes against the live webhook"</h2>
                    {body}
                </section>
            }
        })
    }
}

/// The send's progress, then its outcome and what to do next.
#[component]
fn CallOutcome(
    /// The editor's state.
    editor: UseEditor,
) -> impl IntoView {
    let pending = editor.send.pending();
    move || {
        if pending.get() {
            return view! { <p class="status pending" data-testid="call-status">"Sending…"</p> }
                .into_any();
        }
        match editor.send.value().get() {
            None => ().into_any(),
            Some(Ended::Done { text, .. }) => {
                view! { <div class="status ok" data-testid="call-status"><p>{text}</p></div> }.into_any()
            }
            Some(Ended::Failed { message, next, problems }) => view! {
                <div class="status failed" data-testid="call-status" role="alert">
                    <p><strong>"Not sent. "</strong>{message}</p>
                    <p>{next}</p>
                    <ul>{problems.into_iter().map(|p| view! { <li>{p.pointer}": "{p.message}</li> }).collect_view()}</ul>
                </div>
            }
            .into_any(),
        }
    }
}

/// Moves focus to a field's control, as a summary link does.
fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
