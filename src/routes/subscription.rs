//! One subscription: what the vendor holds, and the actions its API allows (pause, resume,
//! delete, modify), each confirmed where it cannot be undone or is emulated.

use hookpanel_core::edit::{masked, modify_draft};
use hookpanel_core::vendors::spec;
use hookpanel_core::{
    Action as VendorAction, Call, Capability, Outcome, Subscription, SubscriptionStatus, VendorId,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::list::{encode, ensure_loaded, status_badge};
use super::{connection_of, param};
use crate::app::href;
use crate::dialog::Confirm;
use crate::http::perform;
use crate::toast::{Toasts, Tone};
use crate::workspace::{ConnectionEntry, Workspace};

/// The route's subscription.
#[component]
pub fn SubscriptionPage() -> impl IntoView {
    let ws = Workspace::expect_context();
    let cid = param("cid");
    let sid = param("sid");
    let entry = connection_of(cid);
    // The last action's outcome outlives the details it was shown on, which are drawn anew when
    // the action changes the webhook.
    let last = RwSignal::new(None::<Ended>);
    let confirm = (RwSignal::new(false), RwSignal::new(Act::Delete));
    Effect::new(move |_| {
        if let Some(entry) = entry.get() {
            ensure_loaded(ws, &entry);
        }
    });
    // Drawn anew only when the webhook itself changes, not on every read of the list, so a
    // dialog or a click in flight is not lost to a background refresh.
    let current = Memo::new(move |_| entry.get().and_then(|e| ws.subscription(&e.id, &sid.get())));
    let reading = Memo::new(move |_| {
        entry.get().map(|e| {
            let l = ws.listing(&e.id);
            (l.loading || l.retry_in.is_some(), l.error.map(|(m, _)| m))
        })
    });
    move || {
        let Some(entry) = entry.get() else {
            return super::unknown_connection(cid.get());
        };
        let id = sid.get();
        match (current.get(), reading.get().unwrap_or_default()) {
            (Some(sub), _) => view! { <Details entry sub last confirm/> }.into_any(),
            (None, (true, _)) => {
                view! { <p class="status pending">"Reading the subscription…"</p> }.into_any()
            }
            (None, (false, error)) => view! {
                <section>
                    <h1>"No such webhook"</h1>
                    <p>
                        {format!("{} holds no webhook \"{id}\" that this page knows of. ", entry.name)}
                        {error}
                        " "<a href=href(&format!("/c/{}", entry.id))>"Back to the list"</a>
                    </p>
                </section>
            }
            .into_any(),
        }
    }
}

/// How an action ended: what to say, or what failed and what to do next.
type Ended = Result<String, (String, String)>;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Act {
    Pause,
    Resume,
    Delete,
}

#[component]
fn Details(
    entry: ConnectionEntry,
    sub: Subscription,
    last: RwSignal<Option<Ended>>,
    /// Whether the confirmation is open, and for what: kept by the page, so a refresh of the
    /// list that draws the details anew does not close it.
    confirm: (RwSignal<bool>, RwSignal<Act>),
) -> impl IntoView {
    let ws = Workspace::expect_context();
    let toasts = Toasts::expect_context();
    let navigate = use_navigate();
    let vendor = entry.vendor;
    let vs = spec(vendor);
    let parked = ws.parked_of(&entry.id).iter().any(|s| s.id == sub.id);
    let cid = entry.id.clone();

    let act = {
        let entry = entry.clone();
        let sub = sub.clone();
        let navigate = navigate.clone();
        Action::new_local(move |what: &Act| {
            let (entry, sub, what, navigate) =
                (entry.clone(), sub.clone(), *what, navigate.clone());
            async move {
                last.set(None);
                let ended = act_on(ws, &entry, &sub, what, parked, &navigate).await;
                match &ended {
                    Ok(text) => toasts.push(Tone::Ok, text.clone()),
                    Err((m, _)) => toasts.push(Tone::Error, m.clone()),
                }
                last.set(Some(ended));
            }
        })
    };
    let pending = act.pending();
    let outcome = move || {
        if pending.get() {
            return view! { <p class="status pending" data-testid="call-status">"Working…"</p> }
                .into_any();
        }
        match last.get() {
            None => ().into_any(),
            Some(Ok(text)) => {
                view! { <p class="status ok" data-testid="call-status">{text}</p> }.into_any()
            }
            Some(Err((m, next))) => view! {
                <div class="status failed" data-testid="call-status">
                    <p><strong>"Failed. "</strong>{m}</p>
                    <p>{next}</p>
                </div>
            }
            .into_any(),
        }
    };
    let (confirm_open, confirm_act) = confirm;
    let confirm_body = Signal::derive(move || match confirm_act.get() {
        Act::Delete => "The vendor removes it for good; deliveries stop at once.".to_string(),
        Act::Pause => vs.capability(VendorAction::Pause).note().to_string(),
        Act::Resume => vs.capability(VendorAction::Resume).note().to_string(),
    });
    let ask = move |a: Act| {
        let cap = match a {
            Act::Pause => vs.capability(VendorAction::Pause),
            Act::Resume => vs.capability(VendorAction::Resume),
            Act::Delete => vs.capability(VendorAction::Delete),
        };
        if a == Act::Delete || matches!(cap, Capability::Emulated(_)) {
            confirm_act.set(a);
            confirm_open.set(true);
        } else {
            act.dispatch(a);
        }
    };
    let on_confirm = Callback::new(move |()| {
        act.dispatch(confirm_act.get_untracked());
    });

    let is_active = matches!(sub.status, SubscriptionStatus::Active);
    // Where the vendor cannot be read (Collect), the state shown is the last one this page saw;
    // the vendor may have paused the webhook since, so both actions are offered.
    let unreadable = !vs.capability(VendorAction::Get).is_available();
    let (show_pause, show_resume) = if unreadable {
        (true, true)
    } else {
        (is_active, !is_active)
    };
    let button = move |a: Act, action: VendorAction, label: &'static str, testid: &'static str| {
        let cap = vs.capability(action);
        let note_id = format!("{testid}-note");
        let emulated = matches!(cap, Capability::Emulated(_));
        view! {
            <div class="action">
                <button
                    type="button"
                    data-testid=testid
                    class:danger=a == Act::Delete
                    disabled=move || !cap.is_available() || pending.get()
                    aria-describedby=note_id.clone()
                    on:click=move |_| ask(a)
                >
                    {label}
                    {emulated.then_some(" (emulated)")}
                </button>
                <p class="note small" id=note_id>{cap.note()}</p>
            </div>
        }
    };
    let modify_cap = if parked {
        Capability::Absent("A paused Kajabi hook is kept here only; resume it to change it.")
    } else {
        vs.capability(VendorAction::Modify)
    };
    let can_edit = modify_cap.is_available() && modify_draft(vendor, &sub).is_some();
    let failing = match &sub.status {
        SubscriptionStatus::Failing(why) => Some(why.clone()),
        _ => None,
    };
    let record = serde_json::to_string_pretty(&masked(vendor, &sub.raw)).unwrap_or_default();
    let edit_link = href(&format!("/c/{cid}/s/{}/edit", encode(&sub.id)));
    let title = format!("Webhook {}", sub.id);
    let delete_cap = if parked {
        Capability::Absent("Already deleted at Kajabi; resume to create it again.")
    } else {
        vs.capability(VendorAction::Delete)
    };

    view! {
        <section class="screen" aria-labelledby="sub-title">
            <p class="crumbs"><a href=href(&format!("/c/{cid}"))>{format!("← {}", entry.name)}</a></p>
            <div class="heading-row">
                <h1 id="sub-title">{title}</h1>
                {status_badge(&sub.status)}
            </div>
            {failing.map(|why| view! {
                <p class="note warning" data-testid="vendor-state">
                    {format!("The vendor stopped this webhook: {}. ", why.trim_end_matches('.'))}
                    {if vs.capability(VendorAction::Resume).is_available() { "Fix the endpoint, then resume it." } else { "Resume it in the vendor's own settings." }}
                </p>
            })}
            {unreadable.then(|| view! {
                <p class="note" data-testid="unreadable-state">
                    {format!("{} cannot be read: this is the state this page last saw. The vendor may have paused the webhook since (after failed deliveries); Resume makes sure it delivers.", vendor.display_name())}
                </p>
            })}
            {parked.then(|| view! {
                <p class="note" data-testid="vendor-state">"Paused here: the hook was deleted at Kajabi and its settings are kept on this device. Resume creates it again with a new id; events in between were not delivered."</p>
            })}
            <dl class="facts">
                <dt>"Target URL"</dt><dd class="url" data-testid="target">{sub.target_url.clone().unwrap_or_else(|| "(not read)".into())}</dd>
                <dt>"Events"</dt><dd data-testid="events">{if sub.events.is_empty() { "(not read)".to_string() } else { sub.events.join(", ") }}</dd>
                <dt>"Created"</dt><dd>{sub.created_at.clone().unwrap_or_else(|| "(not given)".into())}</dd>
            </dl>
            <div class="actions wrap" aria-label="Actions">
                <div class="action">
                    {if can_edit {
                        view! { <a class="button" href=edit_link data-testid="modify">"Modify"{matches!(modify_cap, Capability::Emulated(_)).then_some(" (emulated)")}</a> }.into_any()
                    } else {
                        view! { <button type="button" disabled=true data-testid="modify" aria-describedby="modify-note">"Modify"</button> }.into_any()
                    }}
                    <p class="note small" id="modify-note">{modify_cap.note()}</p>
                </div>
                {show_pause.then(|| button(Act::Pause, VendorAction::Pause, "Pause", "pause"))}
                {show_resume.then(|| button(Act::Resume, VendorAction::Resume, "Resume", "resume"))}
                <div class="action">
                    <button
                        type="button"
                        data-testid="delete"
                        class="danger"
                        disabled=move || !delete_cap.is_available() || pending.get()
                        aria-describedby="delete-note"
                        on:click=move |_| ask(Act::Delete)
                    >
                        "Delete"
                    </button>
                    <p class="note small" id="delete-note">{delete_cap.note()}</p>
                </div>
            </div>
            <div aria-live="polite">{outcome}</div>
            <details class="record">
                <summary>"The vendor's record"</summary>
                <pre data-testid="record" tabindex="0">{record}</pre>
            </details>
            <Confirm
                open=confirm_open
                title=Signal::derive(move || match confirm_act.get() {
                    Act::Delete => "Delete this webhook?".to_string(),
                    Act::Pause => "Pause by deleting the hook?".to_string(),
                    Act::Resume => "Resume by creating the hook again?".to_string(),
                })
                body=confirm_body
                confirm_label="Go ahead".to_string()
                on_confirm
            />
        </section>
    }
}

/// Makes an action's calls and updates the workspace; the text to show, or what failed and what
/// to do next.
async fn act_on(
    ws: Workspace,
    entry: &ConnectionEntry,
    sub: &Subscription,
    what: Act,
    parked: bool,
    navigate: &(impl Fn(&str, leptos_router::NavigateOptions) + Clone),
) -> Ended {
    let vendor = entry.vendor;
    let list = href(&format!("/c/{}", entry.id));
    let run = match what {
        Act::Resume if parked => perform(ws, entry, Call::Recreate { draft: &sub.raw }).await,
        Act::Pause if vendor == VendorId::Kajabi => {
            let Some(draft) = modify_draft(vendor, sub) else {
                return Err((
                        "Kajabi's record of this hook lacks its event, target or site, so it could not be created again: nothing was deleted.".to_string(),
                        "Refresh the list and try again.".to_string(),
                    ));
            };
            let run = perform(ws, entry, Call::Pause { id: &sub.id }).await;
            if run.failed.is_none() {
                ws.forget(entry, &sub.id);
                ws.park(&entry.id, sub.clone(), draft);
            }
            run
        }
        Act::Pause => perform(ws, entry, Call::Pause { id: &sub.id }).await,
        Act::Resume => perform(ws, entry, Call::Resume { id: &sub.id }).await,
        Act::Delete => perform(ws, entry, Call::Delete { id: &sub.id }).await,
    };
    if let Some((_, e)) = run.failed {
        return Err((e.to_string(), e.next_step()));
    }
    let done = match (what, run.first().cloned()) {
        (Act::Resume, Some(Outcome::One(new))) if parked => {
            ws.unpark(&entry.id, &sub.id);
            let text = format!("Resumed: Kajabi created it again as hook {}.", new.id);
            let to = href(&format!("/c/{}/s/{}", entry.id, encode(&new.id)));
            ws.upsert(entry, new);
            navigate(&to, Default::default());
            text
        }
        (Act::Delete, _) => {
            ws.forget(entry, &sub.id);
            navigate(&list, Default::default());
            format!("Deleted webhook {}.", sub.id)
        }
        (Act::Pause, _) if vendor == VendorId::Kajabi => {
            format!(
                "Paused: hook {} was deleted at Kajabi; its settings are kept here.",
                sub.id
            )
        }
        (_, Some(Outcome::One(updated))) => {
            let text = format!(
                "{} webhook {}: now {}.",
                if what == Act::Pause {
                    "Paused"
                } else {
                    "Resumed"
                },
                updated.id,
                updated.status.label()
            );
            ws.upsert(entry, updated);
            text
        }
        _ => {
            super::list::refresh(ws, entry.clone());
            "Done; the list is being read again.".to_string()
        }
    };
    Ok(done)
}
