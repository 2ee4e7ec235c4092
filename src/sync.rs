//! The workspace as a file, out of view code: reading the live state of connections completely,
//! the export, and applying a plan row by row. Core computes every plan (`hookpanel_core::sync`,
//! the same functions the CLI's `hookpanel plan` prints); this module only reads, sends and
//! records, and knows no vendor by name.

use std::collections::HashMap;
use std::time::Duration;

use hookpanel_core::sync::{self, ConnectionFile, PlannedCall, Row, WorkspaceFile};
use hookpanel_core::{Action, Outcome, Subscription, SubscriptionStatus, VendorError};

use leptos::prelude::{GetUntracked, WithUntracked};

use crate::http::{CallError, NetError, connect, run_steps};
use crate::workspace::{ConnectionEntry, Workspace};

/// A failure: what happened, and what to do next.
pub type Failed = (String, String);

/// Where the last export is kept on the device, to compare the live state with later (drift).
/// An export holds no credentials and no secret values.
pub const KEPT_EXPORT_KEY: &str = "workspace.kept";

/// The live state of some connections, read completely: as a file, and the records read.
pub struct Live {
    pub file: WorkspaceFile,
    pub records: HashMap<String, Vec<Subscription>>,
}

/// Reads every subscription of each connection (every page of every list; Collect's ledger) and
/// its parked hooks. A list that could not be read to its end is a failure: a plan on part of a
/// list would create again what it did not see.
pub async fn read_live(
    ws: Workspace,
    entries: &[ConnectionEntry],
    progress: impl Fn(String),
) -> Result<Live, Failed> {
    let mut connections = Vec::with_capacity(entries.len());
    let mut records = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        progress(format!(
            "Reading {} ({} of {})…",
            entry.name,
            i + 1,
            entries.len()
        ));
        let read = crate::listing::read(ws, entry)
            .await
            .map_err(|(what, next)| (format!("{}: {what}", entry.name), next))?;
        if let Some(caveat) = read.caveat {
            return Err((
                format!("{}: the list could not be read to its end. {caveat}", entry.name),
                "A plan needs every webhook of the connection: try again later, or leave this connection out.".into(),
            ));
        }
        let parked = ws
            .parked
            .with_untracked(|p| p.get(&entry.id).cloned().unwrap_or_default());
        connections.push(sync::export_connection(
            &entry.id,
            entry.vendor,
            &entry.name,
            &entry.base_url,
            &read.items,
            &parked,
        ));
        records.insert(entry.id.clone(), read.items);
    }
    Ok(Live {
        file: WorkspaceFile::new(Some(now_iso()), connections),
        records,
    })
}

fn now_iso() -> String {
    js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
}

/// Where a row stands while a plan is applied.
#[derive(Clone, Debug, PartialEq)]
pub enum RowRun {
    /// Not sent yet.
    Waiting,
    Running,
    Done(String),
    /// Stopped at a call: what happened and what to do. `next_call` and `created` say where a
    /// retry takes up the row, so a call that succeeded is never sent twice.
    Failed {
        message: String,
        next: String,
        next_call: usize,
        created: Option<String>,
        /// Seconds the vendor asked to wait (a 429's Retry-After).
        retry_after: Option<u64>,
    },
    /// Not sent: why (a secret missing, an action the vendor lacks).
    Skipped(String),
}

/// Applies one row's calls in order from `from` (0, or where a failed run stopped), stopping at
/// the first failure, and records what the vendor answered in the workspace. Nothing is resent
/// here: a failed row is retried only when the admin asks. Returns how the row ended and how
/// many requests were sent.
pub async fn apply_row(
    ws: Workspace,
    entry: &ConnectionEntry,
    row: &Row,
    from: usize,
    created: Option<String>,
) -> (RowRun, usize) {
    let mut sent = 0;
    let run = apply_calls(ws, entry, row, from, created, &mut sent).await;
    (run, sent)
}

async fn apply_calls(
    ws: Workspace,
    entry: &ConnectionEntry,
    row: &Row,
    from: usize,
    created: Option<String>,
    sent: &mut usize,
) -> RowRun {
    let connection = match connect(ws, entry).await {
        Ok(c) => c,
        Err(e) => return failed(&e, from, created),
    };
    let before = row
        .live_id
        .as_deref()
        .and_then(|id| ws.subscription_untracked(&entry.id, id));
    let mut created = created;
    let mut said = Vec::new();
    for (i, call) in row.calls.iter().enumerate().skip(from) {
        let call: PlannedCall = match (&call.id, &created) {
            (None, Some(id)) => call.with_id(id),
            _ => call.clone(),
        };
        let steps = match sync::requests(&call, &connection) {
            Ok(steps) => steps,
            Err(e) => return failed(&CallError::Plan(e), i, created),
        };
        let run = run_steps(entry.vendor, steps).await;
        *sent += run.done.len() + usize::from(run.failed.is_some());
        for (action, outcome) in &run.done {
            match (action, outcome) {
                (Action::Create, Outcome::One(sub)) if call.action == Action::Create => {
                    created = Some(sub.id.clone());
                    ws.upsert(entry, sub.clone());
                }
                (_, Outcome::One(sub)) => ws.upsert(entry, sub.clone()),
                (Action::Delete, _) => {
                    if let Some(id) = &call.id {
                        ws.forget(entry, id);
                    }
                }
                _ => {}
            }
        }
        if let Some((_, e)) = run.failed {
            if !run.done.is_empty() {
                // Part of an emulated call went through (Kajabi's modify made the new hook, the
                // old one is still there): what is done is recorded; the rest is for the admin.
                return RowRun::Failed {
                    message: format!("{e} Part of this change was made: the new webhook exists."),
                    next: "Refresh the list and delete the webhook left over, then plan again."
                        .into(),
                    next_call: row.calls.len(),
                    created,
                    retry_after: None,
                };
            }
            if call.action == Action::Create
                && Workspace::keeps_ledger(entry)
                && matches!(e, CallError::Net(NetError::Timeout { .. }))
                && let Some(draft) = &call.draft
            {
                // The vendor may have made it, and it cannot be listed: the ledger says so, as
                // the editor's create does, and a plan again sees it there.
                ws.record_unconfirmed(entry, draft);
                return RowRun::Failed {
                    message: format!(
                        "{e} {} may have created the webhook.",
                        entry.vendor.display_name()
                    ),
                    next: "It is in the list as “not confirmed”: look for it in the vendor's own settings and record its id there before planning again.".into(),
                    next_call: row.calls.len(),
                    created,
                    retry_after: None,
                };
            }
            return failed(&e, i, created);
        }
        said.push(match call.action {
            Action::Create => format!("created {}", created.as_deref().unwrap_or("the webhook")),
            other => past(other).to_string(),
        });
    }
    if let Some(draft) = &row.park {
        // The vendor cannot pause: the hook was deleted (or is already parked) and its settings
        // are kept here, to create it again on resume.
        let id = row
            .live_id
            .clone()
            .or_else(|| created.clone())
            .unwrap_or_default();
        let sub = before.unwrap_or_else(|| Subscription {
            id: id.clone(),
            status: SubscriptionStatus::Paused,
            target_url: None,
            events: Vec::new(),
            created_at: None,
            raw: draft.clone(),
        });
        ws.forget(entry, &id);
        ws.park(&entry.id, sub, draft.clone());
        said.push("kept here as paused".into());
    }
    if let Some(id) = &row.unpark {
        ws.unpark(&entry.id, id);
    }
    RowRun::Done(if said.is_empty() {
        "Done.".into()
    } else {
        let text = said.join(", then ");
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
            None => text,
        }
    })
}

fn past(action: Action) -> &'static str {
    match action {
        Action::Create => "created",
        Action::Modify => "modified",
        Action::Pause => "paused",
        Action::Resume => "resumed",
        Action::Delete => "deleted",
        _ => "done",
    }
}

fn failed(e: &CallError, next_call: usize, created: Option<String>) -> RowRun {
    let retry_after = match e {
        CallError::Vendor(VendorError::RateLimited { retry_after }) => {
            Some(retry_after.unwrap_or(5))
        }
        _ => None,
    };
    let next = match e {
        CallError::Net(NetError::Timeout { .. }) => {
            "The vendor may still have acted: read the live state again (plan again) before retrying this row.".to_string()
        }
        CallError::Vendor(VendorError::RateLimited { .. }) => {
            "The vendor limited the rate: nothing was done. Retry the failed rows.".to_string()
        }
        other => other.next_step(),
    };
    RowRun::Failed {
        message: e.to_string(),
        next,
        next_call,
        created,
        retry_after,
    }
}

/// Waits out a rate limit, second by second, telling `tick` how many seconds are left.
pub async fn wait_out(seconds: u64, tick: impl Fn(Option<u64>)) {
    let mut left = seconds;
    while left > 0 {
        tick(Some(left));
        gloo_timers::future::sleep(Duration::from_secs(1)).await;
        left -= 1;
    }
    tick(None);
}

/// The kept export's connection for `id`, if there is one.
pub fn kept_connection(kept: &WorkspaceFile, id: &str) -> Option<ConnectionFile> {
    kept.connections.iter().find(|c| c.id == id).cloned()
}

/// What a plan is made from: a workspace file, or a bulk change to the live state.
#[derive(Clone, Debug)]
pub enum Source {
    File {
        file: WorkspaceFile,
        delete_missing: bool,
    },
    Bulk {
        filter: sync::Filter,
        change: sync::BulkChange,
    },
}

/// The connections a file's entry is for: the one with its id on this device, else the one
/// connection of the same vendor and base URL (a file exported in another browser, where the
/// connection was added again with a new id).
fn entry_for(ws: Workspace, c: &ConnectionFile) -> Option<ConnectionEntry> {
    ws.connection_untracked(&c.id).or_else(|| {
        let same: Vec<ConnectionEntry> = ws.connections.with_untracked(|all| {
            all.iter()
                .filter(|e| {
                    e.vendor == c.vendor
                        && e.base_url.trim_end_matches('/') == c.base_url.trim_end_matches('/')
                })
                .cloned()
                .collect()
        });
        (same.len() == 1).then(|| same[0].clone())
    })
}

/// The plans: the live state read completely (every connection the file names, or all of them
/// for a bulk change), compared with what is desired. Secrets the vendor keeps in its records
/// are taken from there; the rest are asked for.
pub async fn make_plans(
    ws: Workspace,
    source: &Source,
    progress: impl Fn(String),
) -> Result<Vec<sync::ConnectionPlan>, Failed> {
    match source {
        Source::File {
            file,
            delete_missing,
        } => {
            let mut desired = file.clone();
            let mut entries = Vec::new();
            for c in &mut desired.connections {
                let Some(entry) = entry_for(ws, c) else {
                    return Err((
                        format!(
                            "The file's connection “{}” ({}, {}) is not on this device.",
                            c.id,
                            c.vendor.display_name(),
                            c.base_url
                        ),
                        "Add the connection first, or change the file's connection id to one of yours.".into(),
                    ));
                };
                c.id = entry.id.clone();
                entries.push(entry);
            }
            let live = read_live(ws, &entries, progress).await?;
            let options = sync::PlanOptions {
                delete_missing: *delete_missing,
            };
            let mut plans = sync::plan_workspace(&desired, &live.file, &options).map_err(|p| {
                (
                    p.iter()
                        .map(|p| format!("{}: {}", p.pointer, p.message))
                        .collect::<Vec<_>>()
                        .join(" "),
                    "Fix the file and choose it again.".to_string(),
                )
            })?;
            with_records(&mut plans, &live);
            Ok(plans)
        }
        Source::Bulk { filter, change } => {
            let entries = ws.connections.get_untracked();
            let live = read_live(ws, &entries, progress).await?;
            let options = sync::PlanOptions {
                delete_missing: matches!(change, sync::BulkChange::Delete),
            };
            let mut plans = Vec::new();
            for c in &live.file.connections {
                let desired = sync::bulk(c, filter, change)
                    .map_err(|why| (why, "Fix the change and try again.".to_string()))?;
                plans.push(sync::plan_connection(&desired, c, &options));
            }
            with_records(&mut plans, &live);
            Ok(plans)
        }
    }
}

fn with_records(plans: &mut [sync::ConnectionPlan], live: &Live) {
    for plan in plans {
        if let Some(records) = live.records.get(&plan.connection_id) {
            sync::with_record_secrets(plan, records);
        }
    }
}

/// What changed at the vendors since `kept` was exported: each connection it names that is on
/// this device, read completely, compared field by field.
pub async fn drift_since(
    ws: Workspace,
    kept: &WorkspaceFile,
    progress: impl Fn(String),
) -> Result<Vec<(String, Vec<sync::Drift>)>, Failed> {
    let mut entries = Vec::new();
    let mut pairs = Vec::new();
    for c in &kept.connections {
        if let Some(entry) = entry_for(ws, c) {
            pairs.push((entry.id.clone(), c.clone()));
            entries.push(entry);
        }
    }
    if entries.is_empty() {
        return Err((
            "None of the file's connections is on this device.".into(),
            "Add the connections first, or choose another file.".into(),
        ));
    }
    let live = read_live(ws, &entries, progress).await?;
    Ok(pairs
        .into_iter()
        .filter_map(|(id, kept)| {
            let now = live.file.connections.iter().find(|c| c.id == id)?;
            Some((now.name.clone(), sync::drift(&kept, now)))
        })
        .collect())
}
