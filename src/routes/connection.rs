//! Adding and editing a connection: its name, base URL (the vendor's API, the sandbox, or any URL
//! such as a relay), its sign-in fields, "remember on this device", and "Test connection".

use hookpanel_core::plan::base_url;
use hookpanel_core::vendors::spec;
use hookpanel_core::{Action as VendorAction, Call, Outcome, PlanError, VendorId};
use leptos::prelude::*;

use crate::dialog::Confirm;
use crate::http::{connect, perform};
use crate::route::{Route, navigate};
use crate::toast::{Toasts, Tone};
use crate::widgets::RevealButton;
use crate::widgets::plural;
use crate::workspace::{ConnectionEntry, Workspace, sandbox_base};

/// What is wrong with a connection, by field id.
fn problems_of(entry: &ConnectionEntry) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if entry.name.trim().is_empty() {
        out.push((
            "conn-name".into(),
            "Give the connection a name.".to_string(),
        ));
    }
    if let Err(e) = base_url(&entry.base_url) {
        out.push(("conn-base".into(), e.to_string()));
    }
    if let Err(PlanError::MissingCredential(label)) = entry.sign_in() {
        let field = spec(entry.vendor)
            .scheme(&entry.scheme)
            .fields
            .iter()
            .find(|f| f.label == label)
            .map(|f| f.name)
            .unwrap_or("key");
        out.push((
            field_dom_id(field),
            format!("Enter the {}.", label.to_lowercase()),
        ));
    }
    out
}

/// The HTML id of a sign-in field's input.
fn field_dom_id(name: &str) -> String {
    format!("conn-{name}")
}

/// The connection form, for a new connection or an existing one.
#[component]
pub fn ConnectionPage(
    /// The connection to edit; `None` adds one.
    cid: Option<String>,
) -> impl IntoView {
    let ws = Workspace::expect_context();
    match cid {
        None => {
            view! { <ConnectionForm initial=ConnectionEntry::new(VendorId::ALL[0]) is_new=true/> }
                .into_any()
        }
        // The form edits a copy, taken as it opens: what it saves is the admin's to say.
        Some(id) => match ws.connection_untracked(&id) {
            Some(entry) => view! { <ConnectionForm initial=entry is_new=false/> }.into_any(),
            None => super::unknown_connection(id),
        },
    }
}

/// The form of one connection: name, base URL, sign-in, remember, test, save and remove.
#[component]
fn ConnectionForm(
    /// The connection as it is (or a new one).
    initial: ConnectionEntry,
    /// A connection being added, whose vendor may still be chosen.
    is_new: bool,
) -> impl IntoView {
    let ws = Workspace::expect_context();
    let toasts = Toasts::expect_context();
    let entry = RwSignal::new(initial);
    let tried = RwSignal::new(false);
    let confirm_remove = RwSignal::new(false);
    let problems = Memo::new(move |_| entry.with(problems_of));
    let problem_at = move |id: &str| {
        let id = id.to_string();
        move || {
            if !tried.get() {
                return None;
            }
            problems.with(|p| p.iter().find(|(f, _)| *f == id).map(|(_, m)| m.clone()))
        }
    };
    let vendor = move || entry.with(|e| e.vendor);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        if !problems.with(Vec::is_empty) {
            return;
        }
        let cid = ws.put(entry.get_untracked());
        toasts.push(Tone::Ok, "Connection saved.");
        navigate(&Route::List { cid });
    };

    let test = Action::new_local(move |entry: &ConnectionEntry| {
        let entry = entry.clone();
        async move {
            if spec(entry.vendor)
                .capability(VendorAction::List)
                .is_available()
            {
                let run = perform(ws, &entry, Call::List { page: 1 }).await;
                match (run.first().cloned(), run.failed) {
                    (Some(Outcome::Page(page)), _) => Ok(match page.total_count {
                        Some(total) => format!(
                            "Connected: the vendor has {}.",
                            plural(total as usize, "webhook")
                        ),
                        None if page.more => format!(
                            "Connected: the vendor's first page lists {}, and more follow.",
                            plural(page.items.len(), "webhook")
                        ),
                        None => format!(
                            "Connected: the vendor has {}.",
                            plural(page.items.len(), "webhook")
                        ),
                    }),
                    (_, Some((_, e))) => Err(e),
                    _ => Ok("Connected.".to_string()),
                }
            } else {
                // No cheap read (Collect): what can be checked without writing is checked.
                connect(ws, &entry).await.map(|_| {
                    format!(
                        "The settings are complete. {} The key is checked on the first call.",
                        spec(entry.vendor).capability(VendorAction::List).note()
                    )
                })
            }
        }
    });
    let test_pending = test.pending();
    let run_test = move |_| {
        tried.set(true);
        if problems.with(|p| p.iter().any(|(f, _)| f == "conn-base"))
            || entry.with(|e| e.sign_in().is_err())
        {
            return;
        }
        test.dispatch(entry.get_untracked());
    };
    let test_outcome = move || {
        if test_pending.get() {
            return view! { <p class="status pending" data-testid="test-status">"Testing the connection…"</p> }.into_any();
        }
        match test.value().get() {
            None => ().into_any(),
            Some(Ok(text)) => {
                view! { <p class="status ok" data-testid="test-status">{text}</p> }.into_any()
            }
            Some(Err(e)) => view! {
                <div class="status failed" data-testid="test-status">
                    <p><strong>"Not connected. "</strong>{e.to_string()}</p>
                    <p>{e.next_step()}</p>
                </div>
            }
            .into_any(),
        }
    };

    let sandbox_url = ws.sandbox_url.get_value();
    let preset = move || {
        entry.with(|e| {
            if e.base_url == spec(e.vendor).default_base_url {
                "vendor"
            } else if e.base_url == sandbox_base(&sandbox_url, e.vendor) {
                "sandbox"
            } else {
                "custom"
            }
        })
    };
    let set_preset = {
        let sandbox_url = ws.sandbox_url.get_value();
        move |which: &str| {
            let url = entry.with_untracked(|e| match which {
                "vendor" => spec(e.vendor).default_base_url.to_string(),
                "sandbox" => sandbox_base(&sandbox_url, e.vendor),
                _ => e.base_url.clone(),
            });
            entry.update(|e| e.base_url = url);
        }
    };
    let preset_radio = {
        let set_preset = set_preset.clone();
        move |value: &'static str, label: &'static str| {
            let set_preset = set_preset.clone();
            let preset = preset.clone();
            view! {
                <label class="inline">
                    <input
                        type="radio"
                        name="base-preset"
                        value=value
                        prop:checked=move || preset() == value
                        on:change=move |_| set_preset(value)
                    />
                    " "{label}
                </label>
            }
        }
    };

    // Drawn anew only when the sign-in scheme changes, not on every keystroke in a field (which
    // replaced the input being typed in, and its Show state, each time).
    let sign_in_scheme = Memo::new(move |_| entry.with(|e| spec(e.vendor).scheme(&e.scheme)));
    let credential_fields = move || {
        sign_in_scheme
            .get()
            .fields
            .iter()
            .map(|f| {
                let name = f.name;
                let id = field_dom_id(name);
                let reveal = RwSignal::new(false);
                let value = move || entry.with(|e| e.values.get(name).cloned().unwrap_or_default());
                let problem = problem_at(&id);
                let problem2 = problem_at(&id);
                let input = view! {
                    <input
                        type=move || if f.secret && !reveal.get() { "password" } else { "text" }
                        id=id.clone()
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby=format!("{id}-help {id}-problem")
                        aria-invalid=move || problem2().is_some().to_string()
                        prop:value=value
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            entry.update(|e| {
                                e.values.insert(name.to_string(), v);
                            });
                        }
                    />
                };
                view! {
                    <div class="field">
                        <label class="label" for=id.clone()>{f.label}<span class="required" aria-hidden="true">" *"</span></label>
                        {if f.secret {
                            view! {
                                <div class="secret">
                                    {input}
                                    <RevealButton reveal what=f.label.to_lowercase()/>
                                </div>
                            }
                            .into_any()
                        } else {
                            input.into_any()
                        }}
                        <p class="help" id=format!("{id}-help")>{f.help}</p>
                        <p class="problem error" id=format!("{id}-problem") data-testid="conn-problem">{problem}</p>
                    </div>
                }
            })
            .collect_view()
    };

    let remove = Callback::new(move |()| {
        let id = entry.with_untracked(|e| e.id.clone());
        ws.remove(&id);
        toasts.push(Tone::Info, "Connection removed.");
        navigate(&Route::Home);
    });
    let title = if is_new {
        "Add a connection".to_string()
    } else {
        entry.with_untracked(|e| format!("Edit {}", e.name))
    };
    let builtin = entry.with_untracked(|e| e.builtin);

    view! {
        <section class="screen" aria-labelledby="conn-title">
            <h1 id="conn-title">{title}</h1>
            {builtin.then(|| view! {
                <p class="note">"A built-in sandbox connection: changes last until the page is reloaded."</p>
            })}
            <form class="connection-form" on:submit=save novalidate>
                {is_new.then(|| view! {
                    <div class="field">
                        <label class="label" for="conn-vendor">"Vendor"</label>
                        <select
                            id="conn-vendor"
                            prop:value=move || vendor().as_str()
                            on:change=move |ev| {
                                if let Some(v) = VendorId::parse(&event_target_value(&ev)) {
                                    entry.update(|e| {
                                        let name = std::mem::take(&mut e.name);
                                        *e = ConnectionEntry::new(v);
                                        e.name = name;
                                    });
                                }
                            }
                        >
                            {VendorId::ALL.into_iter().map(|v| view! { <option value=v.as_str()>{v.display_name()}</option> }).collect_view()}
                        </select>
                    </div>
                })}
                <div class="field">
                    <label class="label" for="conn-name">"Name"<span class="required" aria-hidden="true">" *"</span></label>
                    <input
                        type="text"
                        id="conn-name"
                        placeholder="e.g. Production, EU tenant"
                        aria-describedby="conn-name-problem"
                        aria-invalid=move || problem_at("conn-name")().is_some().to_string()
                        prop:value=move || entry.with(|e| e.name.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            entry.update(|e| e.name = v);
                        }
                    />
                    <p class="problem error" id="conn-name-problem" data-testid="conn-problem">{problem_at("conn-name")}</p>
                </div>
                <fieldset class="field">
                    <legend class="label">"Base URL"</legend>
                    <div class="row">
                        {preset_radio("vendor", "The vendor's API")}
                        {preset_radio("sandbox", "Sandbox")}
                        {preset_radio("custom", "Other (a relay, a tenant)")}
                    </div>
                    <label class="visually-hidden" for="conn-base">"Base URL"</label>
                    <input
                        type="url"
                        id="conn-base"
                        spellcheck="false"
                        aria-describedby="conn-base-help conn-base-problem"
                        aria-invalid=move || problem_at("conn-base")().is_some().to_string()
                        prop:value=move || entry.with(|e| e.base_url.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            entry.update(|e| e.base_url = v);
                        }
                    />
                    <p class="help" id="conn-base-help">
                        "Everything before the vendor's paths. A relay's origin must also be allowed in the page's Content-Security-Policy (connect-src)."
                    </p>
                    <p class="problem error" id="conn-base-problem" data-testid="conn-problem">{problem_at("conn-base")}</p>
                </fieldset>
                {move || {
                    let all = spec(vendor()).schemes;
                    (all.len() > 1).then(|| view! {
                        <div class="field">
                            <label class="label" for="conn-scheme">"Sign in with"</label>
                            <select
                                id="conn-scheme"
                                prop:value=move || entry.with(|e| e.scheme.clone())
                                on:change=move |ev| {
                                    let v = event_target_value(&ev);
                                    entry.update(|e| e.scheme = v);
                                }
                            >
                                {all.iter().map(|s| view! { <option value=s.id>{s.label}</option> }).collect_view()}
                            </select>
                        </div>
                    })
                }}
                {move || {
                    let note = entry.with(|e| spec(e.vendor).scheme(&e.scheme).note);
                    (!note.is_empty()).then(|| view! { <p class="note warning">{note}</p> })
                }}
                {credential_fields}
                <div class="field">
                    <label class="inline">
                        <input
                            type="checkbox"
                            id="conn-remember"
                            prop:checked=move || entry.with(|e| e.remember)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                entry.update(|e| e.remember = on);
                            }
                        />
                        " Remember the credentials on this device"
                    </label>
                    <p class="help">
                        "Off: they stay in this tab's memory and are gone on reload. On: they are stored in this browser's local storage, readable by anyone who uses this browser profile."
                    </p>
                </div>
                <div class="actions">
                    <button type="submit" class="primary" data-testid="save-connection">"Save"</button>
                    <button type="button" data-testid="test-connection" on:click=run_test disabled=move || test_pending.get()>
                        {move || if test_pending.get() { "Testing…" } else { "Test connection" }}
                    </button>
                    {(!is_new && !builtin).then(|| view! {
                        <button type="button" class="danger" data-testid="remove-connection" on:click=move |_| confirm_remove.set(true)>
                            "Remove"
                        </button>
                    })}
                </div>
                <div aria-live="polite">{test_outcome}</div>
            </form>
            <Confirm
                open=confirm_remove
                title="Remove this connection?"
                body=Signal::derive(|| "Its settings and its list kept on this device are removed. Nothing changes at the vendor.".to_string())
                confirm_label="Remove".to_string()
                on_confirm=remove
            />
        </section>
    }
}
