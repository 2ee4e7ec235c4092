//! The workspace as a file: export every subscription, import a file as a plan and apply it,
//! change many subscriptions at once (with a dry run), and see what drifted since an export.
//! Plans are core's (`hookpanel_core::sync`), the same the CLI's `hookpanel plan` prints;
//! reading and sending are in `crate::sync`.

use hookpanel_core::sync::{self, BulkChange, DesiredState, Filter, WorkspaceFile};
use leptos::prelude::*;

use crate::routes::sync_plan::{PlanView, Planned};
use crate::sync::{KEPT_EXPORT_KEY, Source, drift_since, make_plans, read_live};
use crate::widgets::plural;
use crate::workspace::Workspace;

/// The screen: four tasks, each in its own section.
#[component]
pub fn SyncPage() -> impl IntoView {
    let planned = RwSignal::new(None::<Planned>);
    view! {
        <section class="screen" aria-labelledby="sync-title">
            <h1 id="sync-title">"Workspace file"</h1>
            <p class="muted">
                "Keep your webhooks in git: export them as one JSON file, change it, and import it as a plan that shows every request before anything is sent. The file holds no credentials and no secret values."
            </p>
            <ExportSection/>
            <ImportSection planned/>
            <BulkSection planned/>
            <PlanView planned/>
        </section>
    }
}

/// Export: every subscription of every connection, read completely, as a file (downloaded, shown,
/// and kept on the device to compare with later).
#[component]
fn ExportSection() -> impl IntoView {
    let ws = Workspace::expect_context();
    let busy = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<(String, String)>);
    let text = RwSignal::new(String::new());
    // The connections left out: none at first, so a new connection is in the next export.
    let left_out = RwSignal::new(std::collections::HashSet::<String>::new());
    let export = move |_| {
        failed.set(None);
        text.set(String::new());
        let entries: Vec<_> = ws
            .connections
            .get_untracked()
            .into_iter()
            .filter(|c| left_out.with_untracked(|l| !l.contains(&c.id)))
            .collect();
        if entries.is_empty() {
            failed.set(Some((
                "No connection is chosen.".into(),
                "Tick at least one connection to export.".into(),
            )));
            return;
        }
        busy.set(Some("Reading…".into()));
        leptos::task::spawn_local(async move {
            match read_live(ws, &entries, move |p| busy.set(Some(p))).await {
                Ok(live) => {
                    let file_text = sync::to_text(&live.file);
                    crate::store::save(KEPT_EXPORT_KEY, &live.file);
                    crate::files::download(
                        "hookpanel-workspace.json",
                        "application/json",
                        &file_text,
                    );
                    let n: usize = live
                        .file
                        .connections
                        .iter()
                        .map(|c| c.subscriptions.len())
                        .sum();
                    busy.set(Some(format!(
                        "Exported {} of {}; a copy is kept on this device to compare with later.",
                        plural(n, "webhook"),
                        plural(live.file.connections.len(), "connection")
                    )));
                    text.set(file_text);
                }
                Err(e) => {
                    busy.set(None);
                    failed.set(Some(e));
                }
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="export-title">
            <h2 id="export-title">"Export"</h2>
            <p class="muted">"Every webhook of the chosen connections (every page of every list; Collect's ledger), as each vendor's own draft, with its id and state. Secrets are left out and listed by name."</p>
            <fieldset class="choices">
                <legend>"Connections to export"</legend>
                {move || ws.connections.get().into_iter().map(|c| {
                    let id = c.id.clone();
                    let toggle = c.id.clone();
                    view! {
                        <label class="check">
                            <input type="checkbox" id=format!("export-{}", c.id)
                                prop:checked=move || left_out.with(|l| !l.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    left_out.update(|l| { if on { l.remove(&toggle); } else { l.insert(toggle.clone()); } });
                                }/>
                            {format!(" {} ({})", c.name, c.vendor.display_name())}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <button type="button" class="primary" data-testid="export" on:click=export>"Export"</button>
            <p role="status" data-testid="export-status">{move || busy.get()}</p>
            <Failure failed/>
            <Show when=move || !text.with(String::is_empty)>
                <div class="field">
                    <label class="label" for="export-text">"The exported file"</label>
                    <textarea id="export-text" data-testid="export-text" rows="8" readonly spellcheck="false"
                        prop:value=move || text.get()></textarea>
                </div>
            </Show>
        </section>
    }
}

/// Import: a file pasted or chosen, checked against its schema (nothing is read or sent while it
/// has problems), then planned against the live state; or compared with it (drift).
#[component]
fn ImportSection(
    /// Where the plan goes, for the plan view.
    planned: RwSignal<Option<Planned>>,
) -> impl IntoView {
    let ws = Workspace::expect_context();
    let text = RwSignal::new(String::new());
    let delete_missing = RwSignal::new(false);
    let problems = RwSignal::new(Vec::<String>::new());
    let busy = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<(String, String)>);
    let drifted = RwSignal::new(None::<Vec<(String, Vec<sync::Drift>)>>);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let read_text = move || -> Option<WorkspaceFile> {
        let checked = sync::check_text(&text.get_untracked());
        problems.set(
            checked
                .problems
                .iter()
                .filter(|p| p.is_error())
                .map(|p| {
                    format!(
                        "{}: {}",
                        if p.pointer.is_empty() {
                            "/"
                        } else {
                            &p.pointer
                        },
                        p.message
                    )
                })
                .collect(),
        );
        checked
            .file
            .filter(|_| problems.with_untracked(Vec::is_empty))
    };
    let plan = move |_| {
        failed.set(None);
        drifted.set(None);
        let Some(file) = read_text() else { return };
        let source = Source::File {
            file,
            delete_missing: delete_missing.get_untracked(),
        };
        run_plan(ws, source, busy, failed, planned);
    };
    let compare = move |kept: Option<WorkspaceFile>| {
        failed.set(None);
        let Some(kept) = kept else { return };
        busy.set(Some("Reading…".into()));
        leptos::task::spawn_local(async move {
            match drift_since(ws, &kept, move |p| busy.set(Some(p))).await {
                Ok(d) => drifted.set(Some(d)),
                Err(e) => failed.set(Some(e)),
            }
            busy.set(None);
        });
    };
    let choose = move |_| {
        let Some(input) = file_input.get() else {
            return;
        };
        leptos::task::spawn_local(async move {
            match crate::files::read_chosen(&input).await {
                Ok((_, content)) => text.set(content),
                Err(why) => failed.set(Some((why, "Choose the file again.".into()))),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="import-title">
            <h2 id="import-title">"Import a file as a plan"</h2>
            <div class="field">
                <label class="label" for="workspace-file">"Choose a workspace file"</label>
                <input type="file" id="workspace-file" accept=".json,application/json" node_ref=file_input on:change=choose/>
            </div>
            <div class="field">
                <label class="label" for="workspace-text">"…or paste it"</label>
                <textarea id="workspace-text" data-testid="workspace-text" rows="8" spellcheck="false" autocomplete="off"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </div>
            <label class="check">
                <input type="checkbox" id="delete-missing" data-testid="delete-missing"
                    prop:checked=move || delete_missing.get()
                    on:change=move |ev| delete_missing.set(event_target_checked(&ev))/>
                " Delete what the file does not have"
            </label>
            <p class="row">
                <button type="button" class="primary" data-testid="plan-import" on:click=plan>"Plan"</button>
                <button type="button" data-testid="drift-file" on:click=move |_| compare(read_text())>"Compare with the live state"</button>
                <button type="button" data-testid="drift-kept"
                    on:click=move |_| compare(crate::store::load::<WorkspaceFile>(KEPT_EXPORT_KEY).or_else(|| {
                        failed.set(Some(("No export is kept on this device yet.".into(), "Export the workspace first, or paste a file above.".into())));
                        None
                    }))>
                    "Compare the last export with the live state"
                </button>
            </p>
            <Show when=move || !problems.with(Vec::is_empty)>
                <div class="note error" role="alert" data-testid="file-problems">
                    <p>"The file does not match the workspace format; nothing was read or sent:"</p>
                    <ul>{move || problems.get().into_iter().map(|p| view! { <li data-testid="file-problem">{p}</li> }).collect_view()}</ul>
                </div>
            </Show>
            <p role="status" data-testid="import-status">{move || busy.get()}</p>
            <Failure failed/>
            {move || drifted.get().map(drift_view)}
        </section>
    }
}

/// Reads the live state and plans, saying how far it got.
fn run_plan(
    ws: Workspace,
    source: Source,
    busy: RwSignal<Option<String>>,
    failed: RwSignal<Option<(String, String)>>,
    planned: RwSignal<Option<Planned>>,
) {
    failed.set(None);
    planned.set(None);
    busy.set(Some("Reading…".into()));
    leptos::task::spawn_local(async move {
        match make_plans(ws, &source, move |p| busy.set(Some(p))).await {
            Ok(plans) => planned.set(Some(Planned::new(plans))),
            Err(e) => failed.set(Some(e)),
        }
        busy.set(None);
    });
}

/// Bulk changes: a filter across every connection and one change, planned as a file would be.
#[component]
fn BulkSection(
    /// Where the plan goes, for the plan view.
    planned: RwSignal<Option<Planned>>,
) -> impl IntoView {
    let ws = Workspace::expect_context();
    let text = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let event = RwSignal::new(String::new());
    let host = RwSignal::new(String::new());
    let change = RwSignal::new("pause".to_string());
    let to = RwSignal::new(String::new());
    let busy = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<(String, String)>);
    let dry_run = move |_| {
        let some = |s: String| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let filter = Filter {
            text: text.get_untracked(),
            status: match status.get_untracked().as_str() {
                "active" => Some(DesiredState::Active),
                "paused" => Some(DesiredState::Paused),
                _ => None,
            },
            event: some(event.get_untracked()),
            target_host: some(host.get_untracked()),
        };
        let change = match change.get_untracked().as_str() {
            "resume" => BulkChange::Resume,
            "delete" => BulkChange::Delete,
            "replace_host" => {
                let Some(from) = filter.target_host.clone() else {
                    failed.set(Some((
                        "Say which host to replace: fill in “Target host” above.".into(),
                        "The change applies to the webhooks whose target has that host.".into(),
                    )));
                    return;
                };
                BulkChange::ReplaceHost {
                    from,
                    to: to.get_untracked(),
                }
            }
            _ => BulkChange::Pause,
        };
        run_plan(ws, Source::Bulk { filter, change }, busy, failed, planned);
    };
    let input = |id: &'static str, label: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label class="label" for=id>{label}</label>
                <input id=id data-testid=id autocomplete="off" spellcheck="false"
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <section class="panel" aria-labelledby="bulk-title">
            <h2 id="bulk-title">"Change many at once"</h2>
            <p class="muted">"Across every connection: the webhooks the filter matches (an empty field matches all). The dry run shows every request and sends nothing."</p>
            {input("bulk-text", "Text (id, target, event or any field)", text)}
            <div class="field">
                <label class="label" for="bulk-status">"Status"</label>
                <select id="bulk-status" data-testid="bulk-status" prop:value=move || status.get()
                    on:change=move |ev| status.set(event_target_value(&ev))>
                    <option value="">"Any"</option>
                    <option value="active">"Active"</option>
                    <option value="paused">"Paused"</option>
                </select>
            </div>
            {input("bulk-event", "Event (exactly)", event)}
            {input("bulk-host", "Target host", host)}
            <div class="field">
                <label class="label" for="bulk-change">"Change"</label>
                <select id="bulk-change" data-testid="bulk-change" prop:value=move || change.get()
                    on:change=move |ev| change.set(event_target_value(&ev))>
                    <option value="pause">"Pause"</option>
                    <option value="resume">"Resume"</option>
                    <option value="delete">"Delete"</option>
                    <option value="replace_host">"Replace the target host"</option>
                </select>
            </div>
            <Show when=move || change.get() == "replace_host">
                {input("bulk-to", "New target host", to)}
            </Show>
            <button type="button" class="primary" data-testid="bulk-dry-run" on:click=dry_run>"Dry run"</button>
            <p role="status" data-testid="bulk-status-line">{move || busy.get()}</p>
            <Failure failed/>
        </section>
    }
}

/// A failure and what to do next, or nothing.
#[component]
fn Failure(
    /// What happened and what to do.
    failed: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    move || {
        failed.get().map(|(what, next)| {
            view! {
                <div class="note error" role="alert" data-testid="sync-failed">
                    <p>{what}</p>
                    <p>{next}</p>
                </div>
            }
        })
    }
}

fn drift_view(drifted: Vec<(String, Vec<sync::Drift>)>) -> impl IntoView {
    let sections = drifted
        .into_iter()
        .map(|(name, drifts)| {
            let none = drifts.is_empty().then(|| view! {
                <li data-testid="no-drift">"No changes since the export."</li>
            });
            let rows = drifts
                .into_iter()
                .map(|d| {
                    let kind = d.kind.as_str();
                    let changes = d
                        .changes
                        .iter()
                        .map(|c| view! { <li><code>{c.pointer.clone()}</code>": "{change_text(c)}</li> })
                        .collect_view();
                    view! {
                        <li data-testid="drift" data-kind=kind>
                            <strong>{kind}</strong>" "{d.label}
                            <ul>{changes}</ul>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h3>{name}</h3>
                <ul class="drift">{none}{rows}</ul>
            }
        })
        .collect_view();
    view! {
        <div class="panel" data-testid="drift-result" role="status">
            <h3>"What changed since the export"</h3>
            {sections}
        </div>
    }
}

/// `before → after` of a field, as JSON.
pub(super) fn change_text(change: &hookpanel_core::edit::Change) -> String {
    let show = |v: &Option<serde_json::Value>| {
        v.as_ref()
            .map_or_else(|| "(none)".to_string(), |v| v.to_string())
    };
    format!("{} → {}", show(&change.before), show(&change.after))
}
