//! What the details screen's buttons do, out of view code: each action's calls, what changes in
//! the workspace, and what to tell the admin. Nothing here knows a vendor by name: an emulated
//! pause (the vendor cannot pause, so the hook is deleted and its settings kept here) is told by
//! its capability, as core plans it.

use hookpanel_core::edit::modify_draft;
use hookpanel_core::vendors::{sample_delivery, spec};
use hookpanel_core::{
    Action, Call, Capability, Operation, Outcome, Problem, Subscription, validate,
};
use serde_json::Value;

use crate::http::perform;
use crate::route::Route;
use crate::workspace::{ConnectionEntry, Workspace};

/// An action on one webhook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    Pause,
    Resume,
    Delete,
}

impl Act {
    pub fn action(self) -> Action {
        match self {
            Act::Pause => Action::Pause,
            Act::Resume => Action::Resume,
            Act::Delete => Action::Delete,
        }
    }
}

/// How an action ended well: what to say, and where to go.
pub struct Done {
    pub text: String,
    pub go_to: Option<Route>,
}

/// How an action failed: what happened, and what to do next.
pub type Failed = (String, String);

/// Makes an action's calls and updates the workspace. `parked`: the webhook is one whose pause
/// was emulated, kept here only.
pub async fn act_on(
    ws: Workspace,
    entry: &ConnectionEntry,
    sub: &Subscription,
    act: Act,
    parked: bool,
) -> Result<Done, Failed> {
    let emulated = matches!(
        spec(entry.vendor).capability(act.action()),
        Capability::Emulated(_)
    );
    let list = Route::List {
        cid: entry.id.clone(),
    };
    // An emulated pause deletes the hook: its settings must be in hand first, to create it
    // again on resume.
    let kept = match (act, emulated) {
        (Act::Pause, true) => Some(modify_draft(entry.vendor, sub).ok_or_else(|| {
            (
                format!(
                    "{}'s record of this webhook lacks what is needed to create it again, so it was not paused: nothing was deleted.",
                    entry.vendor.display_name()
                ),
                "Refresh the list and try again.".to_string(),
            )
        })?),
        _ => None,
    };
    let run = match act {
        Act::Resume if parked => perform(ws, entry, Call::Recreate { draft: &sub.raw }).await,
        Act::Pause => perform(ws, entry, Call::Pause { id: &sub.id }).await,
        Act::Resume => perform(ws, entry, Call::Resume { id: &sub.id }).await,
        Act::Delete => perform(ws, entry, Call::Delete { id: &sub.id }).await,
    };
    if let Some((_, e)) = run.failed {
        return Err((e.to_string(), e.next_step()));
    }
    if let Some(draft) = kept {
        ws.forget(entry, &sub.id);
        ws.park(&entry.id, sub.clone(), draft);
        return Ok(Done {
            text: format!(
                "Paused: webhook {} was deleted at {}; its settings are kept here.",
                sub.id,
                entry.vendor.display_name()
            ),
            go_to: None,
        });
    }
    Ok(match (act, run.first().cloned()) {
        (Act::Resume, Some(Outcome::One(new))) if parked => {
            ws.unpark(&entry.id, &sub.id);
            let text = format!(
                "Resumed: {} created it again as webhook {}.",
                entry.vendor.display_name(),
                new.id
            );
            let go_to = Route::Subscription {
                cid: entry.id.clone(),
                sid: new.id.clone(),
            };
            ws.upsert(entry, new);
            Done {
                text,
                go_to: Some(go_to),
            }
        }
        (Act::Delete, _) => {
            ws.forget(entry, &sub.id);
            Done {
                text: format!("Deleted webhook {}.", sub.id),
                go_to: Some(list),
            }
        }
        (_, Some(Outcome::One(updated))) => {
            let text = format!(
                "{} webhook {}: now {}.",
                if act == Act::Pause {
                    "Paused"
                } else {
                    "Resumed"
                },
                updated.id,
                updated.status.label()
            );
            ws.upsert(entry, updated);
            Done { text, go_to: None }
        }
        _ => {
            crate::listing::refresh(ws, entry.clone());
            Done {
                text: "Done; the list is being read again.".to_string(),
                go_to: None,
            }
        }
    })
}

/// A sample delivery, and what the vendor's event schema finds wrong with it.
pub type Sample = (Value, Vec<Problem>);

/// The vendor's sample payload for an event, as it would be delivered, and what its event schema
/// finds wrong with it.
pub async fn sample(ws: Workspace, entry: &ConnectionEntry, event: &str) -> Result<Sample, Failed> {
    let run = perform(ws, entry, Call::Sample { event }).await;
    match (run.first().cloned(), run.failed) {
        (_, Some((_, e))) => Err((e.to_string(), e.next_step())),
        (Some(Outcome::Sample(sample)), _) => {
            let delivery = sample_delivery(entry.vendor, event, sample);
            let problems = validate(entry.vendor, Operation::Event, &delivery);
            Ok((delivery, problems))
        }
        _ => Err((
            "The vendor's answer held no sample.".to_string(),
            "Try again; if it persists, copy the request as curl to look at the answer."
                .to_string(),
        )),
    }
}
