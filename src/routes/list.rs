//! A connection's subscriptions: read from the vendor's list endpoint, or for Collect, which has
//! none, from the ledger of what was created or adopted here. Filters by text, status and event.

use hookpanel_core::vendors::spec;
use hookpanel_core::{Action, Call, Outcome, Subscription, SubscriptionStatus, VendorError};
use leptos::prelude::*;
use std::time::Duration;

use super::{connection_of, param, plural};
use crate::app::href;
use crate::http::{CallError, perform};
use crate::workspace::{ConnectionEntry, Workspace};

/// At most this many automatic retries of a read the vendor rate-limited.
const READ_RETRIES: u32 = 2;
/// A Retry-After longer than this is not waited out automatically.
const LONGEST_AUTO_WAIT_S: u64 = 60;

/// Reads a connection's subscriptions into the workspace. A read the vendor rate-limits is retried
/// after the delay it gives, with a countdown; writes are never retried like this.
pub fn refresh(ws: Workspace, entry: ConnectionEntry) {
    if !spec(entry.vendor).capability(Action::List).is_available() {
        ws.load_ledger(&entry);
        return;
    }
    ws.set_listing(&entry.id, |l| {
        l.loading = true;
        l.error = None;
        l.retry_in = None;
    });
    leptos::task::spawn_local(async move {
        let mut attempt = 0;
        loop {
            let run = perform(ws, &entry, Call::List).await;
            match (run.first().cloned(), run.failed) {
                (Some(Outcome::Many(items)), _) => {
                    ws.set_listing(&entry.id, |l| {
                        l.items = items;
                        l.loaded = true;
                        l.loading = false;
                        l.retry_in = None;
                    });
                    return;
                }
                (_, Some((_, CallError::Vendor(VendorError::RateLimited { retry_after }))))
                    if attempt < READ_RETRIES
                        && retry_after.unwrap_or(5) <= LONGEST_AUTO_WAIT_S =>
                {
                    attempt += 1;
                    let mut left = retry_after.unwrap_or(5);
                    while left > 0 {
                        ws.set_listing(&entry.id, |l| l.retry_in = Some(left));
                        gloo_timers::future::sleep(Duration::from_secs(1)).await;
                        left -= 1;
                    }
                    ws.set_listing(&entry.id, |l| l.retry_in = None);
                }
                (_, Some((_, e))) => {
                    ws.set_listing(&entry.id, |l| {
                        l.loading = false;
                        l.retry_in = None;
                        l.error = Some((e.to_string(), e.next_step()));
                    });
                    return;
                }
                _ => {
                    ws.set_listing(&entry.id, |l| {
                        l.loading = false;
                        l.error = Some((
                            "The vendor's answer held no list.".into(),
                            "Try again; if it persists, check the base URL.".into(),
                        ));
                    });
                    return;
                }
            }
        }
    });
}

/// Loads a connection's list once, when a screen first needs it.
pub fn ensure_loaded(ws: Workspace, entry: &ConnectionEntry) {
    let listing = ws.listing(&entry.id);
    if !listing.loaded && !listing.loading && listing.error.is_none() {
        refresh(ws, entry.clone());
    }
}

fn matches(sub: &Subscription, text: &str, status: &str, event: &str) -> bool {
    let text = text.trim().to_lowercase();
    let text_ok = text.is_empty()
        || sub.id.to_lowercase().contains(&text)
        || sub
            .target_url
            .as_deref()
            .is_some_and(|t| t.to_lowercase().contains(&text))
        || sub.events.iter().any(|e| e.to_lowercase().contains(&text));
    let status_ok = status.is_empty() || status_key(&sub.status) == status;
    let event_ok = event.is_empty() || sub.events.iter().any(|e| e == event);
    text_ok && status_ok && event_ok
}

fn status_key(status: &SubscriptionStatus) -> &'static str {
    match status {
        SubscriptionStatus::Active => "active",
        SubscriptionStatus::Paused => "paused",
        SubscriptionStatus::Failing(_) => "failing",
        SubscriptionStatus::Other(_) => "other",
    }
}

/// A status as a badge.
pub fn status_badge(status: &SubscriptionStatus) -> impl IntoView + use<> {
    let key = status_key(status);
    let label = match status {
        SubscriptionStatus::Failing(_) => "stopped by the vendor".to_string(),
        other => other.label().to_string(),
    };
    view! { <span class=format!("state {key}") data-testid="status">{label}</span> }
}

/// The subscriptions of the route's connection.
#[component]
pub fn SubscriptionList() -> impl IntoView {
    let cid = param("cid");
    let entry = connection_of(cid);
    move || match entry.get() {
        Some(e) => view! { <ListScreen entry=e/> }.into_any(),
        None => super::unknown_connection(cid.get()),
    }
}

#[component]
fn ListScreen(entry: ConnectionEntry) -> impl IntoView {
    let ws = Workspace::expect_context();
    ensure_loaded(ws, &entry);
    let cid = entry.id.clone();
    let listing = {
        let cid = cid.clone();
        Memo::new(move |_| {
            ws.listings
                .with(|l| l.get(&cid).cloned().unwrap_or_default())
        })
    };
    let parked = {
        let cid = cid.clone();
        Memo::new(move |_| {
            ws.parked.track();
            ws.parked_of(&cid)
        })
    };
    let text = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let event = RwSignal::new(String::new());
    let has_list = spec(entry.vendor).capability(Action::List);
    let all = move || {
        let mut items = listing.with(|l| l.items.clone());
        items.extend(parked.get());
        items
    };
    let events = {
        move || {
            let mut e: Vec<String> = all().into_iter().flat_map(|s| s.events).collect();
            e.sort();
            e.dedup();
            e
        }
    };
    let shown = {
        move || {
            let (t, s, e) = (text.get(), status.get(), event.get());
            all()
                .into_iter()
                .filter(|sub| matches(sub, &t, &s, &e))
                .collect::<Vec<_>>()
        }
    };
    let state_line = {
        move || {
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
                return view! { <p class="status pending" data-testid="list-status">"Reading the list…"</p> }.into_any();
            }
            if let Some((message, next)) = l.error {
                return view! {
                    <div class="status failed" data-testid="list-status" role="alert">
                        <p><strong>"Could not read the list. "</strong>{message}</p>
                        <p>{next}</p>
                    </div>
                }
                .into_any();
            }
            let n = all().len();
            let shown_n = shown().len();
            view! {
                <p class="muted" data-testid="list-status">
                    {if n == shown_n { plural(n, "webhook") } else { format!("{shown_n} of {}", plural(n, "webhook")) }}
                </p>
            }
            .into_any()
        }
    };
    let refresh_entry = entry.clone();
    let adopt_entry = entry.clone();
    let adopt_id = RwSignal::new(String::new());
    let adopt_problem = RwSignal::new(None::<String>);
    let adopt = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = adopt_id.get_untracked().trim().to_string();
        if id.is_empty() {
            adopt_problem.set(Some("Enter the webhook's id, as Collect gave it.".into()));
            return;
        }
        adopt_problem.set(None);
        ws.upsert(
            &adopt_entry,
            Subscription {
                id: id.clone(),
                status: SubscriptionStatus::Other("not read".into()),
                target_url: None,
                events: Vec::new(),
                created_at: None,
                raw: serde_json::json!({"_id": id}),
            },
        );
        adopt_id.set(String::new());
    };
    let vendor = entry.vendor;
    let list_cid = cid.clone();

    view! {
        <section class="screen" aria-labelledby="list-title">
            <div class="heading-row">
                <h1 id="list-title">{entry.name.clone()}</h1>
                <a class="button primary" href=href(&format!("/c/{cid}/new")) data-testid="new-subscription">
                    "New webhook"
                </a>
            </div>
            <p class="muted url">
                {vendor.display_name()}" at "<code>{entry.base_url.clone()}</code>" · "
                <a href=href(&format!("/connections/{cid}/edit"))>"Edit connection"</a>
            </p>
            {(!has_list.is_available()).then(|| view! {
                <div class="note">
                    <p>{has_list.note()}</p>
                    <form class="row adopt" on:submit=adopt novalidate>
                        <label for="adopt-id">"Add a webhook by id"</label>
                        <input type="text" id="adopt-id" spellcheck="false"
                            aria-describedby="adopt-problem"
                            prop:value=move || adopt_id.get()
                            on:input=move |ev| adopt_id.set(event_target_value(&ev))/>
                        <button type="submit" data-testid="adopt">"Add"</button>
                    </form>
                    <p class="problem error" id="adopt-problem">{move || adopt_problem.get()}</p>
                </div>
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
                        {move || events().into_iter().map(|e| view! { <option value=e.clone()>{e.clone()}</option> }).collect_view()}
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
                {move || {
                    let cid = list_cid.clone();
                    shown()
                        .into_iter()
                        .map(|s| {
                            let link = href(&format!("/c/{cid}/s/{}", encode(&s.id)));
                            let kept_here = parked.with(|p| p.iter().any(|x| x.id == s.id));
                            view! {
                                <li class="sub" data-testid=format!("sub:{}", s.id)>
                                    <div class="row">
                                        <a href=link class="sub-id">{s.id.clone()}</a>
                                        {status_badge(&s.status)}
                                        {kept_here.then(|| view! { <span class="badge">"kept here"</span> })}
                                    </div>
                                    <p class="url">{s.target_url.clone().unwrap_or_else(|| "(target not read)".into())}</p>
                                    <p class="muted">{if s.events.is_empty() { "(events not read)".to_string() } else { s.events.join(", ") }}</p>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}

/// An id as a path segment.
pub fn encode(id: &str) -> String {
    js_sys::encode_uri_component(id).into()
}
