//! The editor screen for a create or a modify: the form and the raw JSON over one draft, its
//! problems (the schema's, the lint rules', and the vendor's own once it answered), what changes
//! against the live state, the exact requests, and the call with its progress and outcome.

use hookpanel_core::auth::SignIn;
use hookpanel_core::edit::{diff, is_secret, modify_operation, without_secrets};
use hookpanel_core::form::skeleton;
use hookpanel_core::problem::has_errors;
use hookpanel_core::vendors::spec;
use hookpanel_core::{
    Action as VendorAction, Call, Capability, Connection, Credentials, Operation, Outcome,
    PlanError, Problem, Secret, Subscription, plan_steps, validate,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use serde_json::Value;

use super::form::field_id;
use super::{DraftState, RawJson, RequestPreview, SchemaForm};
use crate::app::href;
use crate::dialog::Confirm;
use crate::http::perform;
use crate::routes::plural;
use crate::store;
use crate::toast::{Toasts, Tone};
use crate::workspace::{ConnectionEntry, Workspace, plain_connection};

/// What the editor edits.
#[derive(Clone, Debug, PartialEq)]
pub enum EditMode {
    Create,
    /// A live subscription, and the draft it starts from.
    Modify {
        sub: Box<Subscription>,
        live: Value,
    },
}

/// How a call ended, as the screen shows it.
#[derive(Clone, Debug)]
enum Ended {
    Done(String),
    Failed {
        message: String,
        next: String,
        problems: Vec<Problem>,
    },
}

/// The connection as the preview plans with it: a token still to be asked for shows as a
/// placeholder (masked like any credential).
fn preview_connection(ws: Workspace, entry: &ConnectionEntry) -> Result<Connection, PlanError> {
    match entry.sign_in()? {
        SignIn::Ready(credentials) => Ok(plain_connection(entry, credentials)),
        SignIn::TokenFirst { .. } => Ok(plain_connection(
            entry,
            ws.tokens
                .with_value(|t| t.get(&entry.id).cloned())
                .unwrap_or(Credentials::Bearer {
                    token: Secret::new("token-asked-for-on-send"),
                }),
        )),
    }
}

fn draft_key(entry: &ConnectionEntry, mode: &EditMode) -> String {
    match mode {
        EditMode::Create => format!("draft.{}.new", entry.id),
        EditMode::Modify { sub, .. } => format!("draft.{}.{}", entry.id, sub.id),
    }
}

/// The editor for a create or a modify at a connection.
#[component]
pub fn Editor(entry: ConnectionEntry, mode: EditMode) -> impl IntoView {
    let ws = Workspace::expect_context();
    let toasts = Toasts::expect_context();
    let navigate = use_navigate();
    let vendor = entry.vendor;
    let vs = spec(vendor);
    let operation = match mode {
        EditMode::Create => Operation::Create,
        EditMode::Modify { .. } => modify_operation(vendor),
    };
    let key = draft_key(&entry, &mode);
    // An unsaved draft survives a reload (without its secret fields, which are never stored).
    let restored: Option<Value> = store::load(&key);
    let was_restored = restored.is_some();
    let initial = restored.unwrap_or_else(|| match &mode {
        EditMode::Create => skeleton(vendor, operation),
        EditMode::Modify { live, .. } => live.clone(),
    });
    let state = DraftState::new(initial);
    {
        let key = key.clone();
        Effect::new(move |first: Option<()>| {
            let kept = state.draft.with(|d| without_secrets(vendor, operation, d));
            if first.is_some() {
                store::save(&key, &kept);
            }
        });
    }
    let vendor_problems = RwSignal::new(None::<(Value, Vec<Problem>)>);
    let problems = Memo::new(move |_| {
        state.draft.with(|d| {
            let mut all = validate(vendor, operation, d);
            // The vendor's own objections hold for the draft it saw, until that draft changes.
            vendor_problems.with(|v| {
                if let Some((seen, list)) = v
                    && seen == d
                {
                    all.extend(list.iter().cloned());
                }
            });
            all
        })
    });
    let sub_id = match &mode {
        EditMode::Modify { sub, .. } => Some(sub.id.clone()),
        EditMode::Create => None,
    };
    let steps = {
        let entry = entry.clone();
        let sub_id = sub_id.clone();
        Memo::new(move |_| {
            let connection = preview_connection(ws, &entry)?;
            state.draft.with(|d| {
                let call = match &sub_id {
                    Some(id) => Call::Modify { id, draft: d },
                    None => Call::Create { draft: d },
                };
                plan_steps(&connection, call)
            })
        })
    };
    let changes = {
        let live = match &mode {
            EditMode::Modify { live, .. } => Some(live.clone()),
            EditMode::Create => None,
        };
        Memo::new(move |_| {
            live.as_ref()
                .map(|live| state.draft.with(|d| diff(live, d)))
        })
    };
    let blocked = move || problems.with(|p| has_errors(p)) || state.raw_error.with(Option::is_some);

    let send = {
        let entry = entry.clone();
        let key = key.clone();
        let sub_id = sub_id.clone();
        let navigate = navigate.clone();
        Action::new_local(move |draft: &Value| {
            let (entry, key, sub_id, draft, navigate) = (
                entry.clone(),
                key.clone(),
                sub_id.clone(),
                draft.clone(),
                navigate.clone(),
            );
            async move {
                let call = match &sub_id {
                    Some(id) => Call::Modify { id, draft: &draft },
                    None => Call::Create { draft: &draft },
                };
                let run = perform(ws, &entry, call).await;
                let created = match run.first() {
                    Some(Outcome::One(sub)) => Some(sub.clone()),
                    _ => None,
                };
                if let Some((_, e)) = &run.failed {
                    if let Some(new) = created {
                        // An emulated modify made the new hook but could not delete the old one.
                        let old = sub_id.clone().unwrap_or_default();
                        ws.upsert(&entry, new.clone());
                        store::remove(&key);
                        return Ended::Failed {
                            message: format!(
                                "The new hook {} was created, but the old hook {old} could not be deleted: {e}",
                                new.id
                            ),
                            next: "Both now deliver: delete the old hook from the list.".into(),
                            problems: Vec::new(),
                        };
                    }
                    vendor_problems.set(Some((draft.clone(), e.problems().to_vec())));
                    return Ended::Failed {
                        message: e.to_string(),
                        next: e.next_step(),
                        problems: e.problems().to_vec(),
                    };
                }
                let Some(sub) = created else {
                    return Ended::Failed {
                        message: "The vendor's answer held no webhook.".into(),
                        next: "Refresh the list to see what the vendor holds now.".into(),
                        problems: Vec::new(),
                    };
                };
                store::remove(&key);
                if let Some(old) = &sub_id
                    && *old != sub.id
                {
                    ws.forget(&entry, old);
                }
                let text = match &sub_id {
                    None => format!("Created webhook {} ({}).", sub.id, sub.status.label()),
                    Some(old) if *old != sub.id => {
                        format!(
                            "Saved as a new hook {} (the old hook {old} was deleted).",
                            sub.id
                        )
                    }
                    Some(_) => format!("Saved webhook {}.", sub.id),
                };
                let to = href(&format!(
                    "/c/{}/s/{}",
                    entry.id,
                    crate::routes::encode(&sub.id)
                ));
                ws.upsert(&entry, sub);
                // Said before leaving: this screen, and anything watching its outcome, goes.
                toasts.push(Tone::Ok, text.clone());
                navigate(&to, Default::default());
                Ended::Done(text)
            }
        })
    };
    let pending = send.pending();
    Effect::new(move |_| {
        if let Some(Ended::Failed { message, .. }) = send.value().get() {
            toasts.push(Tone::Error, message);
        }
    });

    let test = {
        let entry = entry.clone();
        Action::new_local(move |draft: &Value| {
            let (entry, draft) = (entry.clone(), draft.clone());
            async move {
                let run = perform(ws, &entry, Call::Test { draft: &draft }).await;
                match (run.first().cloned(), run.failed) {
                    (_, Some((_, e))) => Err(format!("{e} {}", e.next_step())),
                    (
                        Some(Outcome::Tested {
                            success: true,
                            message,
                        }),
                        _,
                    ) => Ok(format!("The test delivery arrived. {message}")),
                    (Some(Outcome::Tested { message, .. }), _) => {
                        Err(format!("The test delivery failed: {message}"))
                    }
                    _ => Ok("The vendor accepted the test.".into()),
                }
            }
        })
    };
    let test_pending = test.pending();
    // A test delivery of the definition being edited, where the API has one (SuperOffice).
    let can_test = vs.capability(VendorAction::Test).is_available();

    let emulated = match (&mode, vs.capability(VendorAction::Modify)) {
        (EditMode::Modify { .. }, Capability::Emulated(note)) => Some(note),
        _ => None,
    };
    let confirm_open = RwSignal::new(false);
    let dispatch = move || {
        let draft = state.draft.get_untracked();
        send.dispatch(draft);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        state.show_all.set(true);
        if blocked() || pending.get_untracked() {
            return;
        }
        if changes.with_untracked(|c| c.as_ref().is_some_and(Vec::is_empty)) {
            toasts.push(Tone::Info, "Nothing changed: there is nothing to save.");
            return;
        }
        if emulated.is_some() {
            confirm_open.set(true);
        } else {
            dispatch();
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
                                let target = field_id(&p.pointer);
                                let href = format!("#{target}");
                                let at = if p.pointer.is_empty() { "draft".to_string() } else { p.pointer.clone() };
                                view! {
                                    <li>
                                        <a href=href on:click=move |ev| {
                                            ev.prevent_default();
                                            focus(&target);
                                        }>{at}</a>
                                        ": "{p.message}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    };

    let outcome = move || {
        if pending.get() {
            return view! { <p class="status pending" data-testid="call-status">"Sending…"</p> }
                .into_any();
        }
        match send.value().get() {
            None => ().into_any(),
            Some(Ended::Done(text)) => view! { <div class="status ok" data-testid="call-status"><p>{text}</p></div> }.into_any(),
            Some(Ended::Failed { message, next, problems }) => view! {
                <div class="status failed" data-testid="call-status" role="alert">
                    <p><strong>"Not sent. "</strong>{message}</p>
                    <p>{next}</p>
                    <ul>{problems.into_iter().map(|p| view! { <li>{p.pointer}": "{p.message}</li> }).collect_view()}</ul>
                </div>
            }
            .into_any(),
        }
    };

    let diff_view = move || {
        changes.get().map(|list| {
            let body = if list.is_empty() {
                view! { <p class="muted" data-testid="diff">"No change yet."</p> }.into_any()
            } else {
                let show = move |pointer: &str, v: Option<Value>| match v {
                    None => "(none)".to_string(),
                    Some(_) if is_secret(vendor, operation, pointer) => {
                        hookpanel_core::http::MASK.to_string()
                    }
                    Some(Value::String(s)) => s,
                    Some(other) => other.to_string(),
                };
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
    };

    let title = match &mode {
        EditMode::Create => format!("New {} webhook", vendor.display_name()),
        EditMode::Modify { sub, .. } => format!("Modify webhook {}", sub.id),
    };
    let send_label = match (&mode, emulated) {
        (EditMode::Create, _) => "Create webhook",
        (_, Some(_)) => "Save as a new hook (emulated)",
        _ => "Save changes",
    };
    let back = match &mode {
        EditMode::Create => href(&format!("/c/{}", entry.id)),
        EditMode::Modify { sub, .. } => href(&format!(
            "/c/{}/s/{}",
            entry.id,
            crate::routes::encode(&sub.id)
        )),
    };
    let discard = {
        let key = key.clone();
        let mode = mode.clone();
        move |_| {
            store::remove(&key);
            let fresh = match &mode {
                EditMode::Create => skeleton(vendor, operation),
                EditMode::Modify { live, .. } => live.clone(),
            };
            state.replace(fresh);
            vendor_problems.set(None);
        }
    };
    let on_confirm = Callback::new(move |()| dispatch());

    view! {
        <section class="screen" aria-labelledby="screen-title">
            <p class="crumbs"><a href=back>{format!("← {}", entry.name)}</a></p>
            <h1 id="screen-title">{title}</h1>
            {emulated.map(|note| view! { <p class="note warning" data-testid="emulated-note">{note}</p> })}
            {was_restored.then(|| view! {
                <p class="note" data-testid="restored">
                    "Your unsaved draft was restored. Secret fields are never stored, so type them again. "
                    <button type="button" class="link" on:click=discard>"Start over"</button>
                </p>
            })}
            <form class="editor" on:submit=submit novalidate>
                <div class="columns">
                    <fieldset class="form">
                        <legend>"Settings"</legend>
                        <SchemaForm vendor operation state problems/>
                    </fieldset>
                    <RawJson state problems/>
                </div>
                {summary}
                {diff_view}
                <RequestPreview steps/>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="send" aria-disabled=move || blocked().to_string()>
                        {move || if pending.get() { "Sending…" } else { send_label }}
                    </button>
                    {can_test.then(|| view! {
                        <button type="button" data-testid="test-delivery"
                            disabled=move || test_pending.get()
                            on:click=move |_| {
                                state.show_all.set(true);
                                if !blocked() {
                                    test.dispatch(state.draft.get_untracked());
                                }
                            }>
                            {move || if test_pending.get() { "Testing…" } else { "Send a test delivery" }}
                        </button>
                    })}
                </div>
                <div aria-live="polite">
                    {outcome}
                    {move || test.value().get().map(|r| match r {
                        Ok(t) => view! { <p class="status ok" data-testid="test-status">{t}</p> }.into_any(),
                        Err(t) => view! { <p class="status failed" data-testid="test-status">{t}</p> }.into_any(),
                    })}
                </div>
            </form>
            <Confirm
                open=confirm_open
                title="Save as a new hook?"
                body=Signal::derive(move || emulated.unwrap_or_default().to_string())
                confirm_label="Create the new hook, then delete the old".to_string()
                on_confirm
            />
        </section>
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
