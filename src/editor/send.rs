//! Sending a draft, out of view code: the call, what changes in the workspace, and what to tell
//! the admin, including the ends a plain success or failure does not cover (an emulated modify
//! that made the new webhook but could not delete the old one; a create that got no answer).

use hookpanel_core::{Call, Outcome, Problem};
use serde_json::Value;

use crate::http::{CallError, NetError, perform};
use crate::route::Route;
use crate::store;
use crate::workspace::{ConnectionEntry, Workspace};

/// How a call ended, as the editor shows it.
#[derive(Clone, Debug)]
pub enum Ended {
    /// Done: what to say, and the screen to go to.
    Done { text: String, go_to: Route },
    Failed {
        message: String,
        next: String,
        /// The vendor's objections, on the fields they are about.
        problems: Vec<Problem>,
    },
}

/// Sends a create (`modifying` is `None`) or a modify of the webhook `modifying`, and records
/// what the vendor answered. `kept_under`: where the unsaved draft is kept on the device, removed
/// once the vendor has it.
pub async fn send(
    ws: Workspace,
    entry: &ConnectionEntry,
    modifying: Option<&str>,
    draft: &Value,
    kept_under: &str,
) -> Ended {
    let call = match modifying {
        Some(id) => Call::Modify { id, draft },
        None => Call::Create { draft },
    };
    let run = perform(ws, entry, call).await;
    let made = match run.first() {
        Some(Outcome::One(sub)) => Some(sub.clone()),
        _ => None,
    };
    if let Some((_, e)) = &run.failed {
        if let Some(new) = made {
            // An emulated modify made the new webhook but could not delete the old one.
            let old = modifying.unwrap_or_default();
            ws.upsert(entry, new.clone());
            store::remove(kept_under);
            return Ended::Failed {
                message: format!(
                    "The new webhook {} was created, but the old webhook {old} could not be deleted: {e}",
                    new.id
                ),
                next: "Both now deliver: delete the old webhook from the list.".into(),
                problems: Vec::new(),
            };
        }
        if modifying.is_none()
            && Workspace::keeps_ledger(entry)
            && matches!(e, CallError::Net(NetError::Timeout { .. }))
        {
            // The vendor may have made it; with no list to look in later, the ledger says so.
            ws.record_unconfirmed(entry, draft);
            return Ended::Failed {
                message: format!("{e} {} may have created the webhook.", entry.vendor.display_name()),
                next: "It is in the list as “not confirmed”: look for it in the vendor's own settings before sending again, and record its id there.".into(),
                problems: Vec::new(),
            };
        }
        return Ended::Failed {
            message: e.to_string(),
            next: e.next_step(),
            problems: e.problems().to_vec(),
        };
    }
    let Some(sub) = made else {
        return Ended::Failed {
            message: "The vendor's answer held no webhook.".into(),
            next: "Refresh the list to see what the vendor holds now.".into(),
            problems: Vec::new(),
        };
    };
    store::remove(kept_under);
    if let Some(old) = modifying
        && old != sub.id
    {
        ws.forget(entry, old);
    }
    let text = match modifying {
        None => format!("Created webhook {} ({}).", sub.id, sub.status.label()),
        Some(old) if old != sub.id => {
            format!(
                "Saved as a new webhook {} (the old webhook {old} was deleted).",
                sub.id
            )
        }
        Some(_) => format!("Saved webhook {}.", sub.id),
    };
    let go_to = Route::Subscription {
        cid: entry.id.clone(),
        sid: sub.id.clone(),
    };
    ws.upsert(entry, sub);
    Ended::Done { text, go_to }
}

/// Asks the vendor for a test delivery of a definition: what to say, good or bad.
pub async fn test(ws: Workspace, entry: &ConnectionEntry, draft: &Value) -> Result<String, String> {
    let run = perform(ws, entry, Call::Test { draft }).await;
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
