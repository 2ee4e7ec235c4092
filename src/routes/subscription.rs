//! One subscription: what the vendor holds, and the actions its API allows (pause, resume,
//! delete, modify), each confirmed where it cannot be undone or is emulated; the vendor's sample
//! payload where it has them. The actions' calls are in [`crate::actions`].

use hookpanel_core::edit::{masked, modify_draft};
use hookpanel_core::vendors::spec;
use hookpanel_core::{
    Action as VendorAction, Capability, Problem, Subscription, SubscriptionStatus,
};
use leptos::prelude::*;

use super::connection_of;
use crate::actions::{Act, Failed, Sample, act_on, sample};
use crate::dialog::Confirm;
use crate::listing::ensure_loaded;
use crate::route::{Route, navigate};
use crate::toast::{Toasts, Tone};
use crate::widgets::status_badge;
use crate::workspace::{ConnectionEntry, UNCONFIRMED, Workspace};

/// How an action ended: what to say, or what failed and what to do next.
type Ended = Result<String, (String, String)>;

/// One webhook of a connection.
#[component]
pub fn SubscriptionPage(
    /// The connection's id.
    cid: String,
    /// The webhook's id, as the vendor gave it.
    sid: String,
) -> impl IntoView {
    let ws = Workspace::expect_context();
    let entry = connection_of(cid.clone());
    // The last action's outcome outlives the details it was shown on, which are drawn anew when
    // the action changes the webhook.
    let last = RwSignal::new(None::<Ended>);
    let confirm = (RwSignal::new(false), RwSignal::new(Act::Delete));
    let sampled = Sampled::default();
    Effect::new(move |_| {
        if let Some(entry) = entry.get() {
            ensure_loaded(ws, &entry);
        }
    });
    // Drawn anew only when the webhook itself changes, not on every read of the list, so a
    // dialog or a click in flight is not lost to a background refresh.
    let current = {
        let sid = sid.clone();
        Memo::new(move |_| entry.get().and_then(|e| ws.subscription(&e.id, &sid)))
    };
    let reading = Memo::new(move |_| {
        entry.get().map(|e| {
            let l = ws.listing(&e.id);
            (l.loading || l.retry_in.is_some(), l.error.map(|(m, _)| m))
        })
    });
    move || {
        let Some(entry) = entry.get() else {
            return super::unknown_connection(cid.clone());
        };
        match (current.get(), reading.get().unwrap_or_default()) {
            (Some(sub), _) => view! { <Details entry sub last confirm sampled/> }.into_any(),
            (None, (true, _)) => {
                view! { <p class="status pending">"Reading the subscription…"</p> }.into_any()
            }
            (None, (false, error)) => view! {
                <section>
                    <h1>"No such webhook"</h1>
                    <p>
                        {format!("{} holds no webhook \"{sid}\" that this page knows of. ", entry.name)}
                        {error}
                        " "<a href=Route::List { cid: entry.id.clone() }.href()>"Back to the list"</a>
                    </p>
                </section>
            }
            .into_any(),
        }
    }
}

/// A webhook's facts, what the vendor says of its state, its actions and the vendor's record.
#[component]
fn Details(
    /// The connection it is at.
    entry: ConnectionEntry,
    /// The webhook, as last read.
    sub: Subscription,
    /// The last action's outcome, kept by the page.
    last: RwSignal<Option<Ended>>,
    /// Whether the confirmation is open, and for what: kept by the page, so a refresh of the
    /// list that draws the details anew does not close it.
    confirm: (RwSignal<bool>, RwSignal<Act>),
    /// The sample read, kept by the page for the same reason.
    sampled: Sampled,
) -> impl IntoView {
    let ws = Workspace::expect_context();
    let vendor = entry.vendor;
    let vs = spec(vendor);
    // Read as the details are drawn, which they are anew when the webhook changes (pausing
    // parks it and changes its status).
    let parked = untrack(|| ws.parked_of(&entry.id).iter().any(|s| s.id == sub.id));
    let unconfirmed = matches!(&sub.status, SubscriptionStatus::Other(s) if s == UNCONFIRMED);
    let unreadable = !vs.capability(VendorAction::Get).is_available();
    let failing = match &sub.status {
        SubscriptionStatus::Failing(why) => Some(why.clone()),
        _ => None,
    };
    let record = serde_json::to_string_pretty(&masked(vendor, &sub.raw)).unwrap_or_default();
    let can_sample = vs.capability(VendorAction::Sample) == Capability::Native && !unconfirmed;
    let name = vendor.display_name();
    let shown = |text: &Option<String>, none: &str| text.clone().unwrap_or_else(|| none.into());
    view! {
        <section class="screen" aria-labelledby="sub-title">
            <p class="crumbs"><a href=Route::List { cid: entry.id.clone() }.href()>{format!("← {}", entry.name)}</a></p>
            <div class="heading-row">
                <h1 id="sub-title">{format!("Webhook {}", sub.id)}</h1>
                {status_badge(&sub.status)}
            </div>
            {failing.map(|why| view! {
                <p class="note warning" data-testid="vendor-state">
                    {format!("The vendor stopped this webhook: {}. ", why.trim_end_matches('.'))}
                    {if vs.capability(VendorAction::Resume).is_available() { "Fix the endpoint, then resume it." } else { "Resume it in the vendor's own settings." }}
                </p>
            })}
            {(unreadable && !unconfirmed).then(|| view! {
                <p class="note" data-testid="unreadable-state">
                    {format!("{name} cannot be read: this is the state this page last saw. The vendor may have paused the webhook since (after failed deliveries); Resume makes sure it delivers.")}
                </p>
            })}
            {parked.then(|| view! {
                <p class="note" data-testid="vendor-state">{format!("Paused here: the webhook was deleted at {name} and its settings are kept on this device. Resume creates it again with a new id; events in between were not delivered.")}</p>
            })}
            {unconfirmed.then(|| view! { <Unconfirmed entry=entry.clone() sub=sub.clone()/> })}
            <dl class="facts">
                <dt>"Target URL"</dt><dd class="url" data-testid="target">{shown(&sub.target_url, "(not read)")}</dd>
                <dt>"Events"</dt><dd data-testid="events">{if sub.events.is_empty() { "(not read)".to_string() } else { sub.events.join(", ") }}</dd>
                <dt>"Created"</dt><dd>{shown(&sub.created_at, "(not given)")}</dd>
            </dl>
            <ActionPanel entry=entry.clone() sub=sub.clone() parked unconfirmed last confirm/>
            <p class="check-link">
                <a data-testid="check-delivery" href=Route::CheckDelivery { cid: entry.id.clone(), sid: sub.id.clone() }.href()>"Check a delivery"</a>
                {format!(" your endpoint got from this webhook: its body against {name}'s event schema{}.", if matches!(vs.signing, hookpanel_core::Signing::None) { "" } else { ", its signature or secret against the webhook's" })}
            </p>
            {can_sample.then(|| view! { <SamplePanel entry=entry.clone() events=sub.events.clone() sampled/> })}
            <details class="record">
                <summary>"The vendor's record"</summary>
                <pre data-testid="record" tabindex="0">{record}</pre>
            </details>
        </section>
    }
}

/// The actions the vendor's API allows on a webhook, each disabled with the vendor's sentence
/// where it lacks them, confirmed where they cannot be undone or are emulated, with the last
/// one's progress and outcome.
#[component]
fn ActionPanel(
    /// The connection it is at.
    entry: ConnectionEntry,
    /// The webhook.
    sub: Subscription,
    /// Paused here: deleted at the vendor, its settings kept on the device.
    parked: bool,
    /// A create the vendor did not confirm: nothing to act on until its id is known.
    unconfirmed: bool,
    /// The last action's outcome, kept by the page.
    last: RwSignal<Option<Ended>>,
    /// The confirmation, kept by the page.
    confirm: (RwSignal<bool>, RwSignal<Act>),
) -> impl IntoView {
    let ws = Workspace::expect_context();
    let toasts = Toasts::expect_context();
    let vs = spec(entry.vendor);
    let can_edit_draft = modify_draft(entry.vendor, &sub).is_some();
    let edit_link = Route::Modify {
        cid: entry.id.clone(),
        sid: sub.id.clone(),
    }
    .href();
    let is_active = matches!(sub.status, SubscriptionStatus::Active);
    let act = Action::new_local(move |what: &Act| {
        let (entry, sub, what) = (entry.clone(), sub.clone(), *what);
        async move {
            last.set(None);
            let ended = match act_on(ws, &entry, &sub, what, parked).await {
                Ok(done) => {
                    toasts.push(Tone::Ok, done.text.clone());
                    if let Some(route) = &done.go_to {
                        navigate(route);
                    }
                    Ok(done.text)
                }
                Err((m, next)) => {
                    toasts.push(Tone::Error, m.clone());
                    Err((m, next))
                }
            };
            last.set(Some(ended));
        }
    });
    let pending = act.pending();
    let (confirm_open, confirm_act) = confirm;
    let capability = move |a: Act| match a {
        Act::Pause | Act::Delete if parked => Capability::Absent(
            "Already deleted at the vendor and kept here only; resume to create it again.",
        ),
        a => vs.capability(a.action()),
    };
    let ask = move |a: Act| {
        if a == Act::Delete || matches!(capability(a), Capability::Emulated(_)) {
            confirm_act.set(a);
            confirm_open.set(true);
        } else {
            act.dispatch(a);
        }
    };
    // Where the vendor cannot be read (Collect), the state shown is the last one this page saw;
    // the vendor may have paused the webhook since, so both actions are offered.
    let unreadable = !vs.capability(VendorAction::Get).is_available();
    let (show_pause, show_resume) = match (unreadable, parked) {
        (_, true) => (false, true),
        (true, false) => (true, true),
        (false, false) => (is_active, !is_active),
    };
    let button = move |a: Act, label: &'static str, testid: &'static str| {
        let cap = capability(a);
        let note_id = format!("{testid}-note");
        view! {
            <div class="action">
                <button type="button" data-testid=testid class:danger=a == Act::Delete
                    disabled=move || !cap.is_available() || pending.get() || unconfirmed
                    aria-describedby=note_id.clone() on:click=move |_| ask(a)>
                    {label}
                    {matches!(cap, Capability::Emulated(_)).then_some(" (emulated)")}
                </button>
                <p class="note small" id=note_id>{cap.note()}</p>
            </div>
        }
    };
    let modify_cap = if parked {
        Capability::Absent(
            "A webhook paused here is kept on this device only; resume it to change it.",
        )
    } else {
        vs.capability(VendorAction::Modify)
    };
    let can_edit = modify_cap.is_available() && !unconfirmed && can_edit_draft;
    let outcome = move || match (pending.get(), last.get()) {
        (true, _) => {
            view! { <p class="status pending" data-testid="call-status">"Working…"</p> }.into_any()
        }
        (false, None) => ().into_any(),
        (false, Some(Ok(text))) => {
            view! { <p class="status ok" data-testid="call-status">{text}</p> }.into_any()
        }
        (false, Some(Err((m, next)))) => view! {
            <div class="status failed" data-testid="call-status">
                <p><strong>"Failed. "</strong>{m}</p>
                <p>{next}</p>
            </div>
        }
        .into_any(),
    };
    view! {
        <div class="actions wrap" aria-label="Actions">
            <div class="action">
                {if can_edit {
                    view! { <a class="button" href=edit_link data-testid="modify">"Modify"{matches!(modify_cap, Capability::Emulated(_)).then_some(" (emulated)")}</a> }.into_any()
                } else {
                    view! { <button type="button" disabled=true data-testid="modify" aria-describedby="modify-note">"Modify"</button> }.into_any()
                }}
                <p class="note small" id="modify-note">{modify_cap.note()}</p>
            </div>
            {show_pause.then(|| button(Act::Pause, "Pause", "pause"))}
            {show_resume.then(|| button(Act::Resume, "Resume", "resume"))}
            {button(Act::Delete, "Delete", "delete")}
        </div>
        <div aria-live="polite">{outcome}</div>
        <Confirm
            open=confirm_open
            title=Signal::derive(move || match confirm_act.get() {
                Act::Delete => "Delete this webhook?".to_string(),
                Act::Pause => "Pause by deleting the webhook?".to_string(),
                Act::Resume => "Resume by creating the webhook again?".to_string(),
            })
            body=Signal::derive(move || match confirm_act.get() {
                Act::Delete => "The vendor removes it for good; deliveries stop at once.".to_string(),
                other => capability(other).note().to_string(),
            })
            confirm_label="Go ahead".to_string()
            on_confirm=Callback::new(move |()| { act.dispatch(confirm_act.get_untracked()); })
        />
    }
}

/// A create that ended without the vendor's answer: what the admin can do about it.
#[component]
fn Unconfirmed(
    /// The connection it is at.
    entry: ConnectionEntry,
    /// The ledger's entry for it.
    sub: Subscription,
) -> impl IntoView {
    let ws = Workspace::expect_context();
    let toasts = Toasts::expect_context();
    let real_id = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let vendor = entry.vendor.display_name();
    let adopt = {
        let (entry, old) = (entry.clone(), sub.id.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let id = real_id.get_untracked().trim().to_string();
            if id.is_empty() {
                problem.set(Some(format!(
                    "Enter the webhook's id, as {} shows it.",
                    entry.vendor.display_name()
                )));
                return;
            }
            ws.adopt_as(&entry, &old, &id);
            toasts.push(Tone::Ok, format!("Recorded as webhook {id}."));
            navigate(&Route::Subscription {
                cid: entry.id.clone(),
                sid: id,
            });
        }
    };
    let forget = {
        let (entry, old) = (entry.clone(), sub.id.clone());
        move |_| {
            ws.forget(&entry, &old);
            toasts.push(
                Tone::Info,
                "The unconfirmed entry was removed from the ledger.",
            );
            navigate(&Route::List {
                cid: entry.id.clone(),
            });
        }
    };
    view! {
        <div class="note warning" data-testid="unconfirmed">
            <p>{format!("{vendor} did not answer this create in time, so Hookpanel does not know whether the webhook exists, nor its id. {vendor}'s API cannot list webhooks: look for one with this target in {vendor}'s own settings, and if it is there, enter its id here.")}</p>
            <form class="row" on:submit=adopt novalidate>
                <label for="unconfirmed-id">{format!("{vendor}'s id for it")}</label>
                <input type="text" id="unconfirmed-id" spellcheck="false" aria-describedby="unconfirmed-problem"
                    prop:value=move || real_id.get() on:input=move |ev| real_id.set(event_target_value(&ev))/>
                <button type="submit" data-testid="adopt-unconfirmed">"Record it"</button>
                <button type="button" data-testid="forget-unconfirmed" on:click=forget>"It is not there: forget this entry"</button>
            </form>
            <p class="problem error" id="unconfirmed-problem">{move || problem.get()}</p>
        </div>
    }
}

/// A sample read for the details screen: in flight, and how it ended.
#[derive(Clone, Copy)]
struct Sampled {
    pending: RwSignal<bool>,
    result: RwSignal<Option<Result<Sample, Failed>>>,
}

impl Default for Sampled {
    fn default() -> Self {
        Sampled {
            pending: RwSignal::new(false),
            result: RwSignal::new(None),
        }
    }
}

/// The vendor's sample payload for one of the webhook's events, checked against its event
/// schema: what a delivery will look like.
#[component]
fn SamplePanel(
    /// The connection the webhook is at.
    entry: ConnectionEntry,
    /// The events the webhook subscribes to.
    events: Vec<String>,
    /// Where the read's state is kept.
    sampled: Sampled,
) -> impl IntoView {
    let ws = Workspace::expect_context();
    let chosen = RwSignal::new(events.first().cloned().unwrap_or_default());
    let Sampled { pending, result } = sampled;
    let fetch = move |_| {
        let (entry, event) = (entry.clone(), chosen.get_untracked());
        pending.set(true);
        leptos::task::spawn_local(async move {
            let read = sample(ws, &entry, &event).await;
            result.set(Some(read));
            pending.set(false);
        });
    };
    let shown = move || {
        match (pending.get(), result.get()) {
        (true, _) => view! { <p class="status pending" data-testid="sample-status">"Reading the sample…"</p> }.into_any(),
        (false, None) => ().into_any(),
        (false, Some(Err((m, next)))) => view! {
            <div class="status failed" data-testid="sample-status"><p>{m}</p><p>{next}</p></div>
        }
        .into_any(),
        (false, Some(Ok((delivery, problems)))) => {
            let errors: Vec<Problem> = problems.into_iter().filter(Problem::is_error).collect();
            view! {
                <p class=if errors.is_empty() { "status ok" } else { "status failed" } data-testid="sample-status">
                    {if errors.is_empty() { "The sample matches the vendor's event schema.".to_string() } else { format!("The sample does not match the event schema in {} places:", errors.len()) }}
                </p>
                <ul>{errors.into_iter().map(|p| view! { <li><code>{p.pointer}</code>": "{p.message}</li> }).collect_view()}</ul>
                <pre data-testid="sample" tabindex="0">{serde_json::to_string_pretty(&delivery).unwrap_or_default()}</pre>
            }
            .into_any()
        }
    }
    };
    view! {
        <section class="sample" aria-labelledby="sample-title">
            <h2 id="sample-title">"Sample delivery"</h2>
            <div class="row">
                <label for="sample-event">"Event"</label>
                <select id="sample-event" prop:value=move || chosen.get()
                    on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {events.iter().map(|e| view! { <option value=e.clone()>{e.clone()}</option> }).collect_view()}
                </select>
                <button type="button" data-testid="fetch-sample" disabled=move || pending.get()
                    on:click=fetch>
                    "Show the sample"
                </button>
            </div>
            <div aria-live="polite">{shown}</div>
        </section>
    }
}
