//! A connection's subscriptions: read from the vendor's list endpoint, every page of it, or for
//! Collect, which has none, from the ledger of what was created or adopted here. Filters by text,
//! status and event.

use hookpanel_core::vendors::spec;
use hookpanel_core::{Action, Subscription, SubscriptionStatus};
use leptos::prelude::*;
use std::sync::Arc;

use super::connection_of;
use crate::listing::{ensure_loaded, refresh};
use crate::route::Route;
use crate::toast::{Toasts, Tone};
use crate::widgets::plural;
use crate::widgets::{SetAsideNotice, status_badge, status_key};
use crate::workspace::{ConnectionEntry, Workspace};
use hookpanel_core::number::grouped;

/// Rows drawn at once; more on request. A list of 10,000 drawn whole stalls the page.
const ROWS_AT_ONCE: usize = 1_000;

/// One row of the list: what it shows and what the filters read, worked out once per read of
/// the list rather than on every keystroke in the filter.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    id: String,
    status: SubscriptionStatus,
    status_key: &'static str,
    target: Option<String>,
    events: Vec<String>,
    /// A Kajabi hook paused here (deleted at Kajabi, kept on the device).
    kept_here: bool,
    /// Id, target and events in lower case, for the text filter.
    haystack: String,
}

impl Row {
    fn new(sub: &Subscription, kept_here: bool) -> Row {
        let haystack = format!(
            "{}\n{}\n{}",
            sub.id,
            sub.target_url.as_deref().unwrap_or_default(),
            sub.events.join("\n")
        )
        .to_lowercase();
        Row {
            id: sub.id.clone(),
            status: sub.status.clone(),
            status_key: status_key(&sub.status),
            target: sub.target_url.clone(),
            events: sub.events.clone(),
            kept_here,
            haystack,
        }
    }

    fn matches(&self, text: &str, status: &str, event: &str) -> bool {
        (text.is_empty() || self.haystack.contains(text))
            && (status.is_empty() || self.status_key == status)
            && (event.is_empty() || self.events.iter().any(|e| e == event))
    }
}

/// The subscriptions of a connection.
#[component]
pub fn SubscriptionList(
    /// The connection's id.
    cid: String,
) -> impl IntoView {
    let entry = connection_of(cid.clone());
    move || match entry.get() {
        Some(e) => view! { <ListScreen entry=e/> }.into_any(),
        None => super::unknown_connection(cid.clone()),
    }
}

/// The list screen of a connection that exists.
#[component]
fn ListScreen(
    /// The connection.
    entry: ConnectionEntry,
) -> impl IntoView {
    let ws = Workspace::expect_context();
    // Once, as the screen opens: a refresh is the admin's to ask for.
    untrack(|| ensure_loaded(ws, &entry));
    let cid = entry.id.clone();
    let listing = {
        let cid = cid.clone();
        Memo::new(move |_| ws.listing(&cid))
    };
    let rows = {
        let cid = cid.clone();
        Memo::new(move |_| {
            let parked = ws.parked_of(&cid);
            listing.with(|l| {
                l.items
                    .iter()
                    .map(|s| Arc::new(Row::new(s, false)))
                    .chain(parked.iter().map(|s| Arc::new(Row::new(s, true))))
                    .collect::<Vec<Arc<Row>>>()
            })
        })
    };
    let text = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let event = RwSignal::new(String::new());
    let limit = RwSignal::new(ROWS_AT_ONCE);
    let events = Memo::new(move |_| {
        let mut all: Vec<String> = rows.with(|r| r.iter().flat_map(|r| r.events.clone()).collect());
        all.sort();
        all.dedup();
        all
    });
    let matching = Memo::new(move |_| {
        let (t, s, e) = (text.get().trim().to_lowercase(), status.get(), event.get());
        rows.with(|r| {
            r.iter()
                .filter(|row| row.matches(&t, &s, &e))
                .cloned()
                .collect::<Vec<Arc<Row>>>()
        })
    });
    let shown = Memo::new(move |_| {
        matching.with(|m| {
            m.iter()
                .take(limit.get())
                .cloned()
                .collect::<Vec<Arc<Row>>>()
        })
    });
    let has_list = spec(entry.vendor).capability(Action::List);
    let state_line = move || {
        let l = listing.get();
        if let Some(s) = l.retry_in {
            return view! {
                <p class="status pending" data-testid="list-status">
                    {format!("The vendor asked to slow down (429). Trying again in {s} s…")}
                </p>
            }
            .into_any();
        }
        if l.loading {
            let progress = l.progress.unwrap_or_else(|| "Reading the list…".into());
            return view! { <p class="status pending" data-testid="list-status">{progress}</p> }
                .into_any();
        }
        if let Some((message, next)) = l.error {
            return view! {
                <div class="status failed" data-testid="list-status" role="alert">
                    <p><strong>"Could not read the list. "</strong>{message}</p>
                    <p>{next}</p>
                    {l.caveat.map(|c| view! { <p>{c}</p> })}
                </div>
            }
            .into_any();
        }
        let n = rows.with(Vec::len);
        let matched = matching.with(Vec::len);
        let count = if n == matched {
            plural(n, "webhook")
        } else {
            format!("{matched} of {}", plural(n, "webhook"))
        };
        view! {
            <p class="muted" data-testid="list-status">{count}</p>
            {l.caveat.map(|c| view! { <p class="note warning" data-testid="list-caveat">{c}</p> })}
            {l.unsaved.then(|| view! {
                <p class="note warning" role="alert" data-testid="ledger-unsaved">
                    "This device refused to save the ledger (its storage may be full): export it to keep a copy."
                </p>
            })}
        }
        .into_any()
    };
    let refresh_entry = entry.clone();
    let vendor = entry.vendor;
    let row_cid = cid.clone();

    view! {
        <section class="screen" aria-labelledby="list-title">
            <div class="heading-row">
                <h1 id="list-title">{entry.name.clone()}</h1>
                <a class="button primary" href=Route::Create { cid: cid.clone() }.href() data-testid="new-subscription">
                    "New webhook"
                </a>
            </div>
            <p class="muted url">
                {vendor.display_name()}" at "<code>{entry.base_url.clone()}</code>" · "
                <a href=Route::EditConnection { cid: cid.clone() }.href()>"Edit connection"</a>
            </p>
            {Workspace::keeps_ledger(&entry).then(|| view! {
                <SetAsideNotice/>
                <LedgerTools entry=entry.clone()/>
            })}
            <div class="filters" role="search">
                <div>
                    <label for="filter-text">"Filter"</label>
                    <input type="search" id="filter-text" placeholder="id, URL or event"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))/>
                </div>
                <div>
                    <label for="filter-status">"Status"</label>
                    <select id="filter-status" prop:value=move || status.get()
                        on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value="">"Any"</option>
                        <option value="active">"Active"</option>
                        <option value="paused">"Paused"</option>
                        <option value="failing">"Stopped by the vendor"</option>
                    </select>
                </div>
                <div>
                    <label for="filter-event">"Event"</label>
                    <select id="filter-event" prop:value=move || event.get()
                        on:change=move |ev| event.set(event_target_value(&ev))>
                        <option value="">"Any"</option>
                        {move || events.get().into_iter().map(|e| view! { <option value=e.clone()>{e.clone()}</option> }).collect_view()}
                    </select>
                </div>
                {has_list.is_available().then(|| view! {
                    <button type="button" data-testid="refresh"
                        disabled=move || listing.with(|l| l.loading)
                        on:click=move |_| refresh(ws, refresh_entry.clone())>
                        "Refresh"
                    </button>
                })}
            </div>
            <div aria-live="polite">{state_line}</div>
            <ul class="subs" data-testid="subscriptions">
                <For each=move || shown.get() key=|row| row.id.clone() let:row>
                    {subscription_row(&row_cid, &row)}
                </For>
            </ul>
            {move || {
                let (total, drawn) = (matching.with(Vec::len), shown.with(Vec::len));
                (total > drawn).then(|| view! {
                    <p class="row">
                        <span class="muted">{format!(
                            "Showing the first {} of {}.",
                            grouped(drawn as u64),
                            grouped(total as u64)
                        )}</span>
                        <button type="button" data-testid="show-more"
                            on:click=move |_| limit.update(|l| *l += ROWS_AT_ONCE)>
                            {format!("Show {} more", grouped(ROWS_AT_ONCE.min(total - drawn) as u64))}
                        </button>
                    </p>
                })
            }}
        </section>
    }
}

/// One webhook in the list. A plain function, not a component: a list of a thousand draws a
/// thousand, and each row holds nothing reactive.
fn subscription_row(cid: &str, row: &Row) -> impl IntoView + use<> {
    let link = Route::Subscription {
        cid: cid.to_string(),
        sid: row.id.clone(),
    }
    .href();
    let events = if row.events.is_empty() {
        "(events not read)".to_string()
    } else {
        row.events.join(", ")
    };
    // As few elements as the row needs: a thousand rows are ten thousand nodes already.
    view! {
        <li class="sub" data-testid=format!("sub:{}", row.id)>
            <a href=link class="sub-id">{row.id.clone()}</a>
            {status_badge(&row.status)}
            {row.kept_here.then(|| view! { <span class="badge">"kept here"</span> })}
            <span class="url line">{row.target.clone().unwrap_or_else(|| "(target not read)".into())}</span>
            <span class="muted line">{events}</span>
        </li>
    }
}

/// For a vendor that cannot list (Collect): adding a webhook by id, and the ledger as a file to
/// keep or bring back.
#[component]
fn LedgerTools(
    /// The connection whose ledger this is.
    entry: ConnectionEntry,
) -> impl IntoView {
    let ws = Workspace::expect_context();
    let toasts = Toasts::expect_context();
    let note = spec(entry.vendor).capability(Action::List).note();
    let adopt_id = RwSignal::new(String::new());
    let adopt_problem = RwSignal::new(None::<String>);
    let adopt = {
        let entry = entry.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let id = adopt_id.get_untracked().trim().to_string();
            if id.is_empty() {
                adopt_problem.set(Some(format!(
                    "Enter the webhook's id, as {} gave it.",
                    entry.vendor.display_name()
                )));
                return;
            }
            adopt_problem.set(None);
            ws.upsert(&entry, hookpanel_core::vendors::adopted(entry.vendor, &id));
            adopt_id.set(String::new());
        }
    };
    let export = {
        let entry = entry.clone();
        move |_| {
            let name = format!("hookpanel-ledger-{}.json", crate::files::slug(&entry.name));
            if crate::files::download(&name, "application/json", &ws.ledger_file(&entry)) {
                toasts.push(Tone::Ok, format!("The ledger was saved as {name}."));
            } else {
                toasts.push(Tone::Error, "The browser refused the download.");
            }
        }
    };
    let chooser = NodeRef::<leptos::html::Input>::new();
    let import = move |_| {
        let entry = entry.clone();
        let Some(input) = chooser.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let said = match crate::files::read_chosen(&input).await {
                Ok((name, text)) => match ws.import_ledger(&entry, &text) {
                    Ok((added, present)) => Ok(format!(
                        "From {name}: {} added, {} already here.",
                        plural(added, "webhook"),
                        present
                    )),
                    Err(why) => Err(format!("{name} was not imported. {why}")),
                },
                Err(why) => Err(why),
            };
            input.set_value("");
            match said {
                Ok(text) => toasts.push(Tone::Ok, text),
                Err(text) => toasts.push(Tone::Error, text),
            }
        });
    };
    view! {
        <div class="note">
            <p>{note}</p>
            <form class="row adopt" on:submit=adopt novalidate>
                <label for="adopt-id">"Add a webhook by id"</label>
                <input type="text" id="adopt-id" spellcheck="false"
                    aria-describedby="adopt-problem"
                    prop:value=move || adopt_id.get()
                    on:input=move |ev| adopt_id.set(event_target_value(&ev))/>
                <button type="submit" data-testid="adopt">"Add"</button>
            </form>
            <p class="problem error" id="adopt-problem">{move || adopt_problem.get()}</p>
            <div class="row">
                <button type="button" data-testid="export-ledger" on:click=export>
                    "Export the ledger"
                </button>
                <label for="import-ledger">"Import a ledger file"</label>
                <input type="file" id="import-ledger" accept="application/json,.json"
                    data-testid="import-ledger" node_ref=chooser on:change=import/>
            </div>
        </div>
    }
}
