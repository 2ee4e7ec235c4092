//! Workspace as code: every subscription of some connections as one file
//! (`schemas/workspace.v1.json`), and a file compared with what the vendors hold now as a plan of
//! requests, as plain data. The page and the CLI compute the plan here, once, and print it with
//! the same functions ([`plan_text`], [`plan_rows_json`]). Nothing here sends anything.
//!
//! The way data goes:
//!
//! ```text
//! live subscriptions (every page of every list; Collect's ledger; Kajabi's parked hooks)
//!     -> export_connection -> ConnectionFile -> WorkspaceFile -> to_text   (a file for git)
//! read_file(text) -> desired WorkspaceFile
//! plan_connection(desired, live, options) -> ConnectionPlan { rows: [Row { kind, changes, calls }] }
//!     -> with_secrets (what the file lacks) -> requests(call, connection) -> [Step] to send
//! ```
//!
//! **The file.** Each subscription is its vendor's create draft ([`crate::vendors::desired_draft`])
//! with its state beside it, not in it (`active`, `paused`; `failing` and `other` only as
//! exported: on import they leave the state as it is). Secret values are left out, as
//! [`crate::edit::without_secrets`] leaves them out (a secret field removed, a custom header or a
//! member named like a credential kept with an empty value), and listed by pointer in `secrets`;
//! an empty secret is no secret and is not listed. A webhook whose settings Hookpanel could not read (a Collect webhook added by id)
//! has a `null` draft: an import compares only its state.
//!
//! **Matching** a file entry to a live subscription, each live one matched at most once, in three
//! passes: (1) by id, where the entry has one and a live subscription has that id; (2) by the same
//! draft (secrets left out); (3) by identity, the same target URL (parsed, so host case and a
//! default port do not count) and the same set of events (order and repeats do not count). An
//! entry whose id is gone (Kajabi gives a new id on every emulated modify and resume) falls
//! through to (2) and (3). What is left is created (file only) or kept, or deleted with
//! [`PlanOptions::delete_missing`] (live only).
//!
//! **A row** is one subscription: its [`RowKind`], the field changes (desired against live, both
//! without secrets), and its [`PlannedCall`]s in order. A row that changes settings and state is
//! [`RowKind::Modify`], with the state change in the modify's draft where the vendor's modify
//! writes the state (Collect's `status`, SuperOffice's `State`), or as a pause or resume call after
//! it. Kajabi, whose pause is emulated, keeps a paused hook as a parked draft in the page: a row
//! says what to keep ([`Row::park`]) and what to forget ([`Row::unpark`]) once its calls succeed.
//! An action the vendor's API lacks blocks the row with the vendor's sentence, and no call is
//! planned for it.
//!
//! **Secrets** the file lacks are asked for where a call must send them: a create, an emulated
//! modify or resume (which creates anew), and a native modify that replaces the whole webhook
//! (SuperOffice's PUT, which would reset a secret left out). A partial modify (Collect) leaves
//! the secret out and the vendor keeps it. [`with_secrets`] fills them by [`SecretKey`]: once per
//! pointer for the whole connection, or for one row; [`with_record_secrets`] takes them from what
//! the vendor returned (SuperOffice returns `Secret` and header values on reads).

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::answer::{Subscription, SubscriptionStatus};
use crate::call::{Call, PlanError, Step};
use crate::edit::{Change, diff, summary};
use crate::problem::{Problem, child_pointer, has_errors};
use crate::vendors::{desired_draft, modify_replaces, spec, state_field};
use crate::{Action, Capability, Connection, Operation, Secret, VendorId};

/// What the file says it is (`format`).
pub const FORMAT: &str = "hookpanel-workspace";
/// The version of the format this module writes and reads (`schemas/workspace.v1.json`).
pub const VERSION: u64 = 1;

/// The largest workspace file read, in bytes of its text: 64 MiB. Sixteen connections at the
/// list bound ([`crate::LIST_BOUND`], 10,000 webhooks each) of 400-byte entries; a real account
/// is far smaller. A page parses the whole text in memory, so a larger one is refused whole.
pub const MAX_WORKSPACE_BYTES: usize = 64 << 20;

/// A workspace file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`].
    pub version: u64,
    /// When it was written (RFC 3339, UTC); informative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_at: Option<String>,
    pub connections: Vec<ConnectionFile>,
}

impl WorkspaceFile {
    /// A file of these connections, in this format and version.
    pub fn new(exported_at: Option<String>, connections: Vec<ConnectionFile>) -> Self {
        WorkspaceFile {
            format: FORMAT.to_string(),
            version: VERSION,
            exported_at,
            connections,
        }
    }
}

/// One connection of a file: never its credentials.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConnectionFile {
    pub id: String,
    pub vendor: VendorId,
    pub name: String,
    pub base_url: String,
    pub subscriptions: Vec<SubscriptionFile>,
}

/// One subscription of a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionFile {
    /// The vendor's id; none for an entry written by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub state: DesiredState,
    /// What the vendor said of a failing or other state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_detail: Option<String>,
    /// The vendor's create draft without its state and secret values; `null` where unknown.
    pub draft: Value,
    /// The pointers (in `draft`) of the secret values left out.
    #[serde(default)]
    pub secrets: Vec<String>,
}

/// A subscription's state in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DesiredState {
    Active,
    Paused,
    /// Stopped by the vendor (failed deliveries, a failed test): exported as it is; on import, the
    /// state is left as it is.
    Failing,
    /// A state Hookpanel does not know or could not read: as [`DesiredState::Failing`].
    Other,
}

impl DesiredState {
    pub fn as_str(self) -> &'static str {
        match self {
            DesiredState::Active => "active",
            DesiredState::Paused => "paused",
            DesiredState::Failing => "failing",
            DesiredState::Other => "other",
        }
    }

    /// The state of a subscription as its vendor reports it, and what the vendor said of it.
    pub fn of(status: &SubscriptionStatus) -> (DesiredState, Option<String>) {
        match status {
            SubscriptionStatus::Active => (DesiredState::Active, None),
            SubscriptionStatus::Paused => (DesiredState::Paused, None),
            SubscriptionStatus::Failing(why) => (DesiredState::Failing, Some(why.clone())),
            SubscriptionStatus::Other(what) => (DesiredState::Other, Some(what.clone())),
        }
    }

    /// Whether an import asks for this state (active or paused), rather than leaving it be.
    fn is_asked(self) -> bool {
        matches!(self, DesiredState::Active | DesiredState::Paused)
    }
}

// ---------------------------------------------------------------------------------------------
// Export

/// A subscription as a file entry: its create draft without secrets, its id and state. `parked`:
/// a hook whose pause was emulated (Kajabi), kept by the page as its create draft; it is exported
/// paused.
pub fn export_subscription(
    vendor: VendorId,
    subscription: &Subscription,
    parked: bool,
) -> SubscriptionFile {
    let (state, state_detail) = if parked {
        (DesiredState::Paused, None)
    } else {
        DesiredState::of(&subscription.status)
    };
    let draft = if parked {
        Some(subscription.raw.clone()).filter(Value::is_object)
    } else {
        desired_draft(vendor, subscription)
    };
    let (draft, secrets) = match draft {
        Some(draft) => {
            let secrets = set_secrets(vendor, &draft)
                .into_iter()
                .map(|(pointer, _)| pointer)
                .collect();
            (strip(vendor, &draft), secrets)
        }
        None => (Value::Null, Vec::new()),
    };
    SubscriptionFile {
        id: Some(subscription.id.clone()),
        state,
        state_detail,
        draft,
        secrets,
    }
}

/// A connection as a file: its live subscriptions, then its parked ones (Kajabi's paused hooks,
/// kept in the page), each once.
pub fn export_connection(
    id: &str,
    vendor: VendorId,
    name: &str,
    base_url: &str,
    subscriptions: &[Subscription],
    parked: &[Subscription],
) -> ConnectionFile {
    let mut seen = HashSet::new();
    let mut entries = Vec::with_capacity(subscriptions.len() + parked.len());
    for (sub, is_parked) in subscriptions
        .iter()
        .map(|s| (s, false))
        .chain(parked.iter().map(|s| (s, true)))
    {
        if seen.insert(sub.id.as_str()) {
            entries.push(export_subscription(vendor, sub, is_parked));
        }
    }
    ConnectionFile {
        id: id.to_string(),
        vendor,
        name: name.to_string(),
        base_url: base_url.to_string(),
        subscriptions: entries,
    }
}

/// The file's text: pretty JSON, keys in a fixed order (the structs', then each draft's own), and
/// a line break at the end, so two exports of the same state are the same bytes in git.
pub fn to_text(file: &WorkspaceFile) -> String {
    let mut text = serde_json::to_string_pretty(file).unwrap_or_default();
    text.push('\n');
    text
}

/// The secret values a draft sets (not null, not empty), by pointer.
fn set_secrets(vendor: VendorId, draft: &Value) -> Vec<(String, Value)> {
    crate::edit::secrets(vendor, Operation::Create, draft)
        .into_iter()
        .filter_map(|s| {
            let value = crate::draft::get(draft, &s.pointer)?;
            let set = !value.is_null() && value.as_str() != Some("");
            set.then(|| (s.pointer, value.clone()))
        })
        .collect()
}

/// A draft without its secret values, as the file keeps it.
fn strip(vendor: VendorId, draft: &Value) -> Value {
    crate::edit::without_secrets(vendor, Operation::Create, draft)
}

// ---------------------------------------------------------------------------------------------
// Reading a file

/// A file read and checked: the file where it has no error, and every problem, warnings too.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub file: Option<WorkspaceFile>,
    pub problems: Vec<Problem>,
}

/// Reads a workspace file: problems at the file's JSON Pointers where it fails its schema
/// (`schemas/workspace.v1.json`), names a vendor Hookpanel does not know, repeats a connection id
/// or a subscription id within a connection, or has a draft its vendor's create schema refuses
/// (at `/connections/i/subscriptions/j/draft/...`). Warnings (the lint rules') do not refuse it.
pub fn read_file(text: &str) -> Result<WorkspaceFile, Vec<Problem>> {
    let checked = check_text(text);
    match checked.file {
        Some(file) if !has_errors(&checked.problems) => Ok(file),
        _ => Err(checked.problems),
    }
}

/// [`read_file`], keeping the warnings (what `hookpanel validate --workspace` prints).
pub fn check_text(text: &str) -> Checked {
    let refused = |problem| Checked {
        file: None,
        problems: vec![problem],
    };
    if text.len() > MAX_WORKSPACE_BYTES {
        return refused(Problem::error(
            "",
            "size",
            format!(
                "This file is {:.1} MiB; Hookpanel reads workspace files up to {} MiB.",
                text.len() as f64 / (1024.0 * 1024.0),
                MAX_WORKSPACE_BYTES >> 20
            ),
        ));
    }
    let value: Value = match crate::draft::parse(text) {
        Ok(value) => value,
        Err(e) => return refused(Problem::syntax(&e)),
    };
    check_value(&value)
}

/// [`check_text`] of a parsed file.
pub fn check_value(value: &Value) -> Checked {
    // The checks below read the file defensively, so the admin sees every problem at once, the
    // schema's and these.
    let mut problems = crate::schema::check_workspace(value);
    let connections = value
        .get("connections")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut connection_ids = HashSet::new();
    for (i, connection) in connections.iter().enumerate() {
        let at = format!("/connections/{i}");
        let id = connection.get("id").and_then(Value::as_str).unwrap_or("");
        if !connection_ids.insert(id) {
            problems.push(Problem::error(
                format!("{at}/id"),
                "unique",
                format!("Another connection of the file has the id “{id}”; each needs its own."),
            ));
        }
        let name = connection
            .get("vendor")
            .and_then(Value::as_str)
            .unwrap_or("");
        let vendor = VendorId::parse(name);
        if vendor.is_none() {
            problems.push(Problem::error(
                format!("{at}/vendor"),
                "enum",
                format!(
                    "“{name}” is not a vendor Hookpanel knows; use one of: {}.",
                    VendorId::ALL.map(VendorId::as_str).join(", ")
                ),
            ));
        }
        if let Some(base) = connection.get("base_url").and_then(Value::as_str)
            && let Err(e) = crate::plan::base_url(base)
        {
            problems.push(Problem::error(
                format!("{at}/base_url"),
                "base_url",
                e.to_string(),
            ));
        }
        let subscriptions = connection
            .get("subscriptions")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut ids = HashSet::new();
        for (j, entry) in subscriptions.iter().enumerate() {
            let at = format!("{at}/subscriptions/{j}");
            if let Some(id) = entry.get("id").and_then(Value::as_str)
                && !ids.insert(id)
            {
                problems.push(Problem::error(
                    format!("{at}/id"),
                    "unique",
                    format!("Another subscription of this connection has the id “{id}”."),
                ));
            }
            if let (Some(vendor), Some(draft)) = (vendor, entry.get("draft"))
                && draft.is_object()
            {
                let listed: Vec<&str> = entry
                    .get("secrets")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                check_draft(
                    vendor,
                    draft,
                    &listed,
                    &format!("{at}/draft"),
                    &mut problems,
                );
            }
        }
    }
    let file = if has_errors(&problems) {
        None
    } else {
        match serde_json::from_value::<WorkspaceFile>(value.clone()) {
            Ok(file) => Some(file),
            Err(e) => {
                problems.push(Problem::error("", "type", format!("{e}.")));
                None
            }
        }
    };
    Checked { file, problems }
}

/// A file's draft against its vendor's create schema and lint rules, problems under `at`.
fn check_draft(vendor: VendorId, draft: &Value, listed: &[&str], at: &str, out: &mut Vec<Problem>) {
    for mut problem in crate::validate(vendor, Operation::Create, draft) {
        // "No secret set" is not so where the file lists the secret it left out.
        if problem.keyword == "lint:no-secret" && listed.contains(&problem.pointer.as_ref()) {
            continue;
        }
        problem.pointer = format!("{at}{}", problem.pointer).into();
        out.push(problem);
    }
    for (pointer, _) in set_secrets(vendor, draft) {
        out.push(Problem::warning(
            format!("{at}{pointer}"),
            "lint:secret-in-file",
            "A secret value is in the file: files are kept in git and shared. Leave it out (list its pointer in secrets) and give it when the plan asks.",
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Plans

/// How a plan treats what the file does not have.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOptions {
    /// Delete the live subscriptions the file does not have; without it they are kept.
    pub delete_missing: bool,
}

/// What a row does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RowKind {
    Unchanged,
    Create,
    /// Settings change (and perhaps the state too: see the module's docs).
    Modify,
    Pause,
    Resume,
    Delete,
    /// Live, not in the file, and not deleted (no [`PlanOptions::delete_missing`]).
    Kept,
}

impl RowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RowKind::Unchanged => "unchanged",
            RowKind::Create => "create",
            RowKind::Modify => "modify",
            RowKind::Pause => "pause",
            RowKind::Resume => "resume",
            RowKind::Delete => "delete",
            RowKind::Kept => "kept",
        }
    }
}

/// How a file entry was matched to a live subscription.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchedBy {
    Id,
    /// The same draft, secrets left out.
    Draft,
    /// The same target URL and events.
    Identity,
}

/// One call a row makes, as data: [`requests`] turns it into the exact requests.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlannedCall {
    pub action: Action,
    /// The webhook it acts on. `None` on a call that needs one: the webhook the row's create
    /// makes (a paused create, where the create cannot set the state); give its id with
    /// [`PlannedCall::with_id`] before sending.
    pub id: Option<String>,
    /// The draft a create, modify or emulated resume sends, without secret values (those are
    /// kept apart, and never serialized).
    pub draft: Option<Value>,
    /// The capability's sentence where the action is emulated (Kajabi's modify, pause, resume).
    pub emulated: Option<&'static str>,
    #[serde(skip)]
    secrets: Vec<(String, Secret)>,
}

impl PlannedCall {
    fn new(vendor: VendorId, action: Action, id: Option<&str>, draft: Option<Value>) -> Self {
        let emulated = match spec(vendor).capability(action) {
            Capability::Emulated(sentence) => Some(sentence),
            _ => None,
        };
        PlannedCall {
            action,
            id: id.map(str::to_string),
            draft,
            emulated,
            secrets: Vec::new(),
        }
    }

    /// The call for the webhook `id`, where it acts on the one the row's create made.
    pub fn with_id(&self, id: &str) -> PlannedCall {
        PlannedCall {
            id: Some(self.id.clone().unwrap_or_else(|| id.to_string())),
            ..self.clone()
        }
    }

    /// The pointers of the secret values given to it.
    pub fn secret_pointers(&self) -> Vec<&str> {
        self.secrets.iter().map(|(p, _)| p.as_str()).collect()
    }

    /// The draft as it is sent: with the secret values given to it.
    fn full_draft(&self) -> Option<Value> {
        let mut draft = self.draft.clone()?;
        for (pointer, secret) in &self.secrets {
            crate::draft::set(
                &mut draft,
                pointer,
                Some(Value::String(secret.expose().to_string())),
            );
        }
        Some(draft)
    }
}

/// One subscription of a plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// Its target and events, and its id, for people.
    pub label: String,
    /// The file's entry.
    pub desired: Option<SubscriptionFile>,
    /// The live subscription, as exported.
    pub live: Option<SubscriptionFile>,
    pub live_id: Option<String>,
    pub matched_by: Option<MatchedBy>,
    pub kind: RowKind,
    /// Desired against live, field by field, neither with secrets.
    pub changes: Vec<Change>,
    /// In the order to send; stop the row at the first that fails.
    pub calls: Vec<PlannedCall>,
    /// The secrets the calls must send and the file lacks, by pointer: see [`with_secrets`].
    pub missing_secrets: Vec<String>,
    /// Why nothing can be done: the vendor's sentence for the action its API lacks.
    pub blocked: Option<String>,
    /// Once the calls succeed, keep this create draft as the parked hook (Kajabi's emulated
    /// pause), in place of the parked one named [`Row::live_id`] if there is one.
    pub park: Option<Value>,
    /// Once the calls succeed, forget the parked hook with this id (resumed, or deleted).
    pub unpark: Option<String>,
}

impl Row {
    /// Whether the row can be applied now: not blocked, no secret missing.
    pub fn is_ready(&self) -> bool {
        self.blocked.is_none() && self.missing_secrets.is_empty()
    }

    /// Whether the row does anything.
    pub fn is_change(&self) -> bool {
        !matches!(self.kind, RowKind::Unchanged | RowKind::Kept)
    }
}

/// The plan of one connection.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConnectionPlan {
    pub connection_id: String,
    pub vendor: VendorId,
    pub name: String,
    /// Where the requests go (the live connection's, else the file's).
    pub base_url: String,
    pub rows: Vec<Row>,
}

impl ConnectionPlan {
    /// Whether no row changes anything: "no changes".
    pub fn is_unchanged(&self) -> bool {
        !self.rows.iter().any(Row::is_change)
    }

    /// How many rows of each kind, in [`RowKind`]'s order, kinds with none left out.
    pub fn counts(&self) -> Vec<(RowKind, usize)> {
        let mut counts: Vec<(RowKind, usize)> = Vec::new();
        for row in &self.rows {
            match counts.iter_mut().find(|(k, _)| *k == row.kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((row.kind, 1)),
            }
        }
        counts.sort_by_key(|(k, _)| *k as u8);
        counts
    }

    /// Every pointer a row still lacks a secret for, once each: what to ask once per connection.
    pub fn missing_secrets(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .rows
            .iter()
            .flat_map(|r| r.missing_secrets.iter().cloned())
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

/// The plan that makes `live` what `desired` says (matched and planned as the module's docs say).
/// `live` is built by the caller with [`export_connection`] from everything it read.
pub fn plan_connection(
    desired: &ConnectionFile,
    live: &ConnectionFile,
    options: &PlanOptions,
) -> ConnectionPlan {
    let vendor = live.vendor;
    let pairs = match_entries(vendor, &desired.subscriptions, &live.subscriptions);
    let rows = pairs
        .into_iter()
        .map(|(d, l, by)| {
            let d = d.map(|i| &desired.subscriptions[i]);
            let l = l.map(|i| &live.subscriptions[i]);
            let mut row = match (d, l) {
                (Some(d), Some(l)) => matched_row(vendor, d, l),
                (Some(d), None) => create_row(vendor, d),
                (None, Some(l)) => live_only_row(vendor, l, options),
                (None, None) => unreachable_row(),
            };
            row.matched_by = by;
            row
        })
        .collect();
    ConnectionPlan {
        connection_id: live.id.clone(),
        vendor,
        name: if desired.name.is_empty() {
            live.name.clone()
        } else {
            desired.name.clone()
        },
        base_url: if live.base_url.is_empty() {
            desired.base_url.clone()
        } else {
            live.base_url.clone()
        },
        rows,
    }
}

/// The plans of a whole file against the live state, connection by connection (matched by id). A
/// file connection with no live one is planned against an empty one (everything created); a live
/// connection the file lacks is planned as kept, whatever the options: deleting a whole
/// connection's webhooks takes a file that lists the connection. A connection whose vendor differs
/// between the two is refused with a problem at its `vendor`.
pub fn plan_workspace(
    desired: &WorkspaceFile,
    live: &WorkspaceFile,
    options: &PlanOptions,
) -> Result<Vec<ConnectionPlan>, Vec<Problem>> {
    let mut plans = Vec::new();
    let mut problems = Vec::new();
    for (i, d) in desired.connections.iter().enumerate() {
        match live.connections.iter().find(|l| l.id == d.id) {
            Some(l) if l.vendor != d.vendor => problems.push(Problem::error(
                format!("/connections/{i}/vendor"),
                "const",
                format!(
                    "The live connection “{}” is {}, not {}.",
                    d.id,
                    l.vendor.as_str(),
                    d.vendor.as_str()
                ),
            )),
            Some(l) => plans.push(plan_connection(d, l, options)),
            None => {
                let empty = ConnectionFile {
                    subscriptions: Vec::new(),
                    ..d.clone()
                };
                plans.push(plan_connection(d, &empty, options));
            }
        }
    }
    for l in &live.connections {
        if !desired.connections.iter().any(|d| d.id == l.id) {
            let empty = ConnectionFile {
                subscriptions: Vec::new(),
                ..l.clone()
            };
            plans.push(plan_connection(&empty, l, &PlanOptions::default()));
        }
    }
    if problems.is_empty() {
        Ok(plans)
    } else {
        Err(problems)
    }
}

fn unreachable_row() -> Row {
    Row {
        label: String::new(),
        desired: None,
        live: None,
        live_id: None,
        matched_by: None,
        kind: RowKind::Unchanged,
        changes: Vec::new(),
        calls: Vec::new(),
        missing_secrets: Vec::new(),
        blocked: None,
        park: None,
        unpark: None,
    }
}

fn row(vendor: VendorId, d: Option<&SubscriptionFile>, l: Option<&SubscriptionFile>) -> Row {
    let shown = d.filter(|d| d.draft.is_object()).or(l).or(d);
    Row {
        label: shown.map(|s| label(vendor, s)).unwrap_or_default(),
        desired: d.cloned(),
        live: l.cloned(),
        live_id: l.and_then(|l| l.id.clone()),
        ..unreachable_row()
    }
}

/// A subscription for people: its target, events, and id.
pub fn label(vendor: VendorId, entry: &SubscriptionFile) -> String {
    let summary = summary(vendor, Operation::Create, &entry.draft);
    let mut text = summary.target.unwrap_or_else(|| "(no target)".to_string());
    if !summary.events.is_empty() {
        let shown: Vec<&str> = summary.events.iter().take(3).map(String::as_str).collect();
        text.push_str(" · ");
        text.push_str(&shown.join(", "));
        if summary.events.len() > 3 {
            text.push_str(&format!(" +{}", summary.events.len() - 3));
        }
    }
    if let Some(id) = &entry.id {
        text.push_str(&format!(" (id {id})"));
    }
    text
}

/// The capability's sentence when `vendor`'s API lacks `action`.
fn absent(vendor: VendorId, action: Action) -> Option<&'static str> {
    match spec(vendor).capability(action) {
        Capability::Absent(sentence) => Some(sentence),
        _ => None,
    }
}

fn is_emulated(vendor: VendorId, action: Action) -> bool {
    matches!(spec(vendor).capability(action), Capability::Emulated(_))
}

/// A paused subscription of a vendor whose pause is emulated is kept in the page, not at the vendor.
fn parks(vendor: VendorId) -> bool {
    is_emulated(vendor, Action::Pause)
}

fn blocked(mut row: Row, why: &str) -> Row {
    row.blocked = Some(why.to_string());
    row.calls.clear();
    row.missing_secrets.clear();
    row.park = None;
    row.unpark = None;
    row
}

/// The pointers an entry's secrets must be given at: those it lists, bar any its draft sets.
fn needed(vendor: VendorId, entry: &SubscriptionFile) -> Vec<String> {
    let set: Vec<String> = set_secrets(vendor, &entry.draft)
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    entry
        .secrets
        .iter()
        .filter(|p| !set.contains(p))
        .cloned()
        .collect()
}

/// `draft` with the state written where the vendor's draft for `operation` writes it.
fn with_state(
    vendor: VendorId,
    operation: Operation,
    draft: &Value,
    paused: bool,
) -> Option<Value> {
    let field = state_field(vendor, operation)?;
    let mut draft = draft.clone();
    let value = if paused { field.paused } else { field.active };
    crate::draft::set(&mut draft, &field.pointer, Some(value));
    Some(draft)
}

fn create_row(vendor: VendorId, d: &SubscriptionFile) -> Row {
    let mut row = row(vendor, Some(d), None);
    row.kind = RowKind::Create;
    if !d.draft.is_object() {
        return blocked(
            row,
            "Hookpanel does not know this webhook's settings (its draft is null): write them in the file to create it.",
        );
    }
    if let Some(why) = absent(vendor, Action::Create) {
        return blocked(row, why);
    }
    let paused = d.state == DesiredState::Paused;
    if paused && parks(vendor) {
        // Paused at a vendor that cannot pause: nothing is created, the page keeps the settings.
        row.park = Some(strip(vendor, &d.draft));
        return row;
    }
    if paused && let Some(draft) = with_state(vendor, Operation::Create, &d.draft, true) {
        row.calls
            .push(PlannedCall::new(vendor, Action::Create, None, Some(draft)));
    } else if paused {
        if let Some(why) = absent(vendor, Action::Pause) {
            return blocked(row, why);
        }
        row.calls.push(PlannedCall::new(
            vendor,
            Action::Create,
            None,
            Some(d.draft.clone()),
        ));
        row.calls
            .push(PlannedCall::new(vendor, Action::Pause, None, None));
    } else {
        row.calls.push(PlannedCall::new(
            vendor,
            Action::Create,
            None,
            Some(d.draft.clone()),
        ));
    }
    row.missing_secrets = needed(vendor, d);
    row
}

fn live_only_row(vendor: VendorId, l: &SubscriptionFile, options: &PlanOptions) -> Row {
    let mut row = row(vendor, None, Some(l));
    if !options.delete_missing {
        row.kind = RowKind::Kept;
        return row;
    }
    row.kind = RowKind::Delete;
    if parks(vendor) && l.state == DesiredState::Paused {
        // Parked in the page: nothing of it is left at the vendor.
        row.unpark = l.id.clone();
        return row;
    }
    if let Some(why) = absent(vendor, Action::Delete) {
        return blocked(row, why);
    }
    row.calls.push(PlannedCall::new(
        vendor,
        Action::Delete,
        l.id.as_deref(),
        None,
    ));
    row
}

fn matched_row(vendor: VendorId, d: &SubscriptionFile, l: &SubscriptionFile) -> Row {
    let mut row = row(vendor, Some(d), Some(l));
    let id = l.id.as_deref();
    let changes = if d.draft.is_object() {
        diff(&l.draft, &strip(vendor, &d.draft))
    } else {
        Vec::new()
    };
    let changed = !changes.is_empty();
    row.changes = changes;
    // The state asked for: the file's, or the live one where the file leaves it be.
    let want_paused = match d.state {
        DesiredState::Paused => true,
        DesiredState::Active => false,
        DesiredState::Failing | DesiredState::Other => l.state == DesiredState::Paused,
    };
    let state_change = d.state.is_asked() && d.state != l.state;

    if parks(vendor) {
        let parked = l.state == DesiredState::Paused;
        match (parked, want_paused) {
            (false, false) if changed => {
                if let Some(why) = absent(vendor, Action::Modify) {
                    row.kind = RowKind::Modify;
                    return blocked(row, why);
                }
                row.kind = RowKind::Modify;
                row.calls.push(PlannedCall::new(
                    vendor,
                    Action::Modify,
                    id,
                    Some(d.draft.clone()),
                ));
                if is_emulated(vendor, Action::Modify) {
                    row.missing_secrets = needed(vendor, d);
                }
            }
            // Active, or failing (which a vendor that parks does not report): nothing to do.
            (false, false) => row.kind = RowKind::Unchanged,
            (false, true) => {
                row.kind = if changed {
                    RowKind::Modify
                } else {
                    RowKind::Pause
                };
                row.calls
                    .push(PlannedCall::new(vendor, Action::Pause, id, None));
                row.park = Some(strip(vendor, &d.draft));
            }
            (true, true) => {
                row.kind = if changed {
                    RowKind::Modify
                } else {
                    RowKind::Unchanged
                };
                if changed {
                    row.park = Some(strip(vendor, &d.draft));
                }
            }
            (true, false) => {
                row.kind = RowKind::Resume;
                row.calls.push(PlannedCall::new(
                    vendor,
                    Action::Resume,
                    id,
                    Some(d.draft.clone()),
                ));
                row.unpark = l.id.clone();
                row.missing_secrets = needed(vendor, d);
            }
        }
        return row;
    }

    let state_call = if state_change {
        Some(if want_paused {
            Action::Pause
        } else {
            Action::Resume
        })
    } else {
        None
    };
    row.kind = match (changed, state_call) {
        (true, _) => RowKind::Modify,
        (false, Some(Action::Pause)) => RowKind::Pause,
        (false, Some(_)) => RowKind::Resume,
        (false, None) => RowKind::Unchanged,
    };
    let mut state_in_modify = false;
    if changed {
        if let Some(why) = absent(vendor, Action::Modify) {
            return blocked(row, why);
        }
        let draft = if modify_replaces(vendor) {
            // The whole webhook, its state and secrets included: a PUT resets what it leaves out.
            row.missing_secrets = needed(vendor, d);
            state_in_modify = true;
            let paused = want_paused || l.state == DesiredState::Paused && !state_change;
            with_state(vendor, Operation::Modify, &d.draft, paused).unwrap_or_else(|| {
                state_in_modify = false;
                d.draft.clone()
            })
        } else {
            match partial_modify(vendor, d, l) {
                Ok((draft, secrets)) => {
                    row.missing_secrets = secrets;
                    match state_call
                        .and_then(|_| with_state(vendor, Operation::Modify, &draft, want_paused))
                    {
                        Some(with) => {
                            state_in_modify = true;
                            with
                        }
                        None => draft,
                    }
                }
                Err(why) => return blocked(row, &why),
            }
        };
        row.calls
            .push(PlannedCall::new(vendor, Action::Modify, id, Some(draft)));
    }
    if let Some(action) = state_call.filter(|_| !state_in_modify) {
        if let Some(why) = absent(vendor, action) {
            return blocked(row, why);
        }
        row.calls.push(PlannedCall::new(vendor, action, id, None));
    }
    row
}

/// A partial modify (Collect): the top-level fields the file changes, and the secrets they must
/// carry (a changed map of custom headers sends its values again). A field the file removes
/// cannot be removed by a partial update: the row is blocked with why.
fn partial_modify(
    vendor: VendorId,
    d: &SubscriptionFile,
    l: &SubscriptionFile,
) -> Result<(Value, Vec<String>), String> {
    let desired = strip(vendor, &d.draft);
    let (Some(after), before) = (desired.as_object(), l.draft.as_object()) else {
        return Ok((d.draft.clone(), Vec::new()));
    };
    let empty = Map::new();
    let before = before.unwrap_or(&empty);
    let removed: Vec<&str> = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .map(String::as_str)
        .collect();
    if !removed.is_empty() {
        return Err(format!(
            "{}'s modify changes only the fields it is sent, so it cannot remove {}: put it back in the file, or remove it in {}'s own settings.",
            vendor.display_name(),
            removed.join(", "),
            vendor.display_name()
        ));
    }
    let full = d.draft.as_object().unwrap_or(after);
    let mut draft = Map::new();
    let mut secrets = Vec::new();
    for (key, value) in after {
        if before.get(key) == Some(value) {
            continue;
        }
        draft.insert(key.clone(), full.get(key).unwrap_or(value).clone());
        let under = child_pointer("", key);
        secrets.extend(
            needed(vendor, d)
                .into_iter()
                .filter(|p| p == &under || p.starts_with(&format!("{under}/"))),
        );
    }
    Ok((Value::Object(draft), secrets))
}

// ---------------------------------------------------------------------------------------------
// Matching

/// What identifies a subscription when ids do not: its target URL (parsed) and its set of events.
fn identity(vendor: VendorId, draft: &Value) -> Option<(String, Vec<String>)> {
    if !draft.is_object() {
        return None;
    }
    let summary = summary(vendor, Operation::Create, draft);
    let target = summary.target?;
    let target = url::Url::parse(target.trim())
        .map(|u| u.to_string())
        .unwrap_or_else(|_| target.trim().to_string());
    let mut events = summary.events;
    events.sort();
    events.dedup();
    Some((target, events))
}

/// Pairs of (desired index, live index, how), in the file's order, then the live ones left over
/// in their order.
fn match_entries(
    vendor: VendorId,
    desired: &[SubscriptionFile],
    live: &[SubscriptionFile],
) -> Vec<(Option<usize>, Option<usize>, Option<MatchedBy>)> {
    let mut taken = vec![false; live.len()];
    let mut found: Vec<Option<(usize, MatchedBy)>> = vec![None; desired.len()];
    let by_id: HashMap<&str, usize> = live
        .iter()
        .enumerate()
        .filter_map(|(i, l)| Some((l.id.as_deref()?, i)))
        .collect();
    for (di, d) in desired.iter().enumerate() {
        if let Some(&li) = d.id.as_deref().and_then(|id| by_id.get(id))
            && !taken[li]
        {
            taken[li] = true;
            found[di] = Some((li, MatchedBy::Id));
        }
    }
    let mut by_draft: HashMap<String, VecDeque<usize>> = HashMap::new();
    let mut by_identity: HashMap<(String, Vec<String>), VecDeque<usize>> = HashMap::new();
    for (li, l) in live.iter().enumerate().filter(|(i, _)| !taken[*i]) {
        if l.draft.is_object() {
            by_draft
                .entry(l.draft.to_string())
                .or_default()
                .push_back(li);
        }
        if let Some(key) = identity(vendor, &l.draft) {
            by_identity.entry(key).or_default().push_back(li);
        }
    }
    let take = |queue: Option<&mut VecDeque<usize>>, taken: &mut Vec<bool>| {
        let queue = queue?;
        while let Some(li) = queue.pop_front() {
            if !taken[li] {
                taken[li] = true;
                return Some(li);
            }
        }
        None
    };
    for (di, d) in desired.iter().enumerate() {
        if found[di].is_some() || !d.draft.is_object() {
            continue;
        }
        let key = strip(vendor, &d.draft).to_string();
        if let Some(li) = take(by_draft.get_mut(&key), &mut taken) {
            found[di] = Some((li, MatchedBy::Draft));
        }
    }
    for (di, d) in desired.iter().enumerate() {
        if found[di].is_some() {
            continue;
        }
        let Some(key) = identity(vendor, &d.draft) else {
            continue;
        };
        if let Some(li) = take(by_identity.get_mut(&key), &mut taken) {
            found[di] = Some((li, MatchedBy::Identity));
        }
    }
    let mut pairs: Vec<_> = found
        .into_iter()
        .enumerate()
        .map(|(di, f)| (Some(di), f.map(|(li, _)| li), f.map(|(_, by)| by)))
        .collect();
    pairs.extend(
        taken
            .iter()
            .enumerate()
            .filter(|(_, t)| !**t)
            .map(|(li, _)| (None, Some(li), None)),
    );
    pairs
}

// ---------------------------------------------------------------------------------------------
// Requests and secrets

/// The name a call with no id gives, in the requests shown, to the webhook its row's create makes.
pub const CREATED_ID: &str = "{created}";

/// The exact requests of a planned call on `connection`, in order, by [`crate::plan_steps`]:
/// Kajabi's emulated modify is `POST` then `DELETE`, its pause a `DELETE`, its resume a `POST` of
/// the kept draft. A call with no id names the webhook [`CREATED_ID`] (see [`PlannedCall::id`]).
pub fn requests(call: &PlannedCall, connection: &Connection) -> Result<Vec<Step>, PlanError> {
    let draft = call.full_draft();
    let no_draft = || PlanError::Draft("The call has no draft.".into());
    let id = call.id.as_deref().unwrap_or(CREATED_ID);
    let planned = match call.action {
        Action::Create => crate::plan_steps(
            connection,
            Call::Create {
                draft: draft.as_ref().ok_or_else(no_draft)?,
            },
        ),
        Action::Modify => crate::plan_steps(
            connection,
            Call::Modify {
                id,
                draft: draft.as_ref().ok_or_else(no_draft)?,
            },
        ),
        Action::Pause => crate::plan_steps(connection, Call::Pause { id }),
        Action::Resume => match (&draft, is_emulated(connection.vendor, Action::Resume)) {
            (Some(draft), true) => crate::plan_steps(connection, Call::Recreate { draft }),
            _ => crate::plan_steps(connection, Call::Resume { id }),
        },
        Action::Delete => crate::plan_steps(connection, Call::Delete { id }),
        other => Err(PlanError::Draft(format!(
            "A plan does not {}.",
            other.as_str()
        ))),
    };
    let mut steps = planned?;
    if call.id.is_none() {
        let encoded = crate::vendors::common::segment(CREATED_ID);
        for step in &mut steps {
            step.request.url = step.request.url.replace(&encoded, CREATED_ID);
        }
    }
    Ok(steps)
}

/// Where a secret value given to a plan goes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SecretKey {
    /// Every row of the connection that lacks the secret at this pointer: asked once.
    Pointer(String),
    /// One row (its index in [`ConnectionPlan::rows`]) at this pointer; it wins over
    /// [`SecretKey::Pointer`].
    Row(usize, String),
}

/// Gives the plan the secret values it lacks: each row's missing pointer takes the value for its
/// row, else the one for the pointer. An empty value gives nothing. The values go to the row's
/// calls that send a draft, and are never serialized or printed.
pub fn with_secrets(plan: &mut ConnectionPlan, values: &BTreeMap<SecretKey, Secret>) {
    for (i, row) in plan.rows.iter_mut().enumerate() {
        row.missing_secrets.retain(|pointer| {
            let value = values
                .get(&SecretKey::Row(i, pointer.clone()))
                .or_else(|| values.get(&SecretKey::Pointer(pointer.clone())))
                .filter(|v| !v.is_empty());
            let Some(value) = value else {
                return true;
            };
            for call in row.calls.iter_mut().filter(|c| c.draft.is_some()) {
                call.secrets.retain(|(p, _)| p != pointer);
                call.secrets.push((pointer.clone(), value.clone()));
            }
            false
        });
    }
}

/// The secret values of a subscription's record, by pointer in its create draft: what a vendor
/// that returns them (SuperOffice's `Secret` and header values) keeps, to send back on a PUT.
pub fn record_secrets(vendor: VendorId, subscription: &Subscription) -> Vec<(String, Secret)> {
    desired_draft(vendor, subscription)
        .map(|draft| {
            set_secrets(vendor, &draft)
                .into_iter()
                .filter_map(|(p, v)| Some((p, Secret::new(v.as_str()?))))
                .collect()
        })
        .unwrap_or_default()
}

/// Fills each row's missing secrets from its live subscription's own record, where the vendor
/// returned them (see [`record_secrets`]): "kept where the vendor keeps them".
pub fn with_record_secrets(plan: &mut ConnectionPlan, live: &[Subscription]) {
    let by_id: HashMap<&str, &Subscription> = live.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut values = BTreeMap::new();
    for (i, row) in plan.rows.iter().enumerate() {
        let Some(sub) = row.live_id.as_deref().and_then(|id| by_id.get(id)) else {
            continue;
        };
        for (pointer, secret) in record_secrets(plan.vendor, sub) {
            if row.missing_secrets.contains(&pointer) {
                values.insert(SecretKey::Row(i, pointer), secret);
            }
        }
    }
    with_secrets(plan, &values);
}

// ---------------------------------------------------------------------------------------------
// Drift

/// What changed at the vendor since a kept export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DriftKind {
    /// Live now, not in the kept export.
    Created,
    /// In the kept export, gone now.
    Deleted,
    /// Its settings changed (its state may have too).
    Changed,
    Paused,
    Resumed,
    /// Its state changed otherwise (the vendor stopped it, say).
    State,
}

impl DriftKind {
    /// Its name, as the file's JSON and the page's `data-kind` spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            DriftKind::Created => "created",
            DriftKind::Deleted => "deleted",
            DriftKind::Changed => "changed",
            DriftKind::Paused => "paused",
            DriftKind::Resumed => "resumed",
            DriftKind::State => "state",
        }
    }
}

/// One subscription that drifted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Drift {
    pub label: String,
    pub kind: DriftKind,
    pub kept_id: Option<String>,
    pub live_id: Option<String>,
    /// Kept against live, field by field, no secrets.
    pub changes: Vec<Change>,
    pub state_before: Option<DesiredState>,
    pub state_after: Option<DesiredState>,
}

/// What changed outside Hookpanel since `kept` was exported: every subscription created, deleted,
/// changed (field by field), paused or resumed, matched as a plan matches.
pub fn drift(kept: &ConnectionFile, live: &ConnectionFile) -> Vec<Drift> {
    let vendor = live.vendor;
    match_entries(vendor, &kept.subscriptions, &live.subscriptions)
        .into_iter()
        .filter_map(|(k, l, _)| {
            let k = k.map(|i| &kept.subscriptions[i]);
            let l = l.map(|i| &live.subscriptions[i]);
            let shown = l.or(k)?;
            let mut drift = Drift {
                label: label(vendor, shown),
                kind: DriftKind::Changed,
                kept_id: k.and_then(|k| k.id.clone()),
                live_id: l.and_then(|l| l.id.clone()),
                changes: Vec::new(),
                state_before: k.map(|k| k.state),
                state_after: l.map(|l| l.state),
            };
            match (k, l) {
                (Some(k), Some(l)) => {
                    drift.changes = diff(&strip(vendor, &k.draft), &l.draft);
                    drift.kind = if !drift.changes.is_empty() {
                        DriftKind::Changed
                    } else if k.state == l.state {
                        return None;
                    } else if l.state == DesiredState::Paused {
                        DriftKind::Paused
                    } else if l.state == DesiredState::Active && k.state == DesiredState::Paused {
                        DriftKind::Resumed
                    } else {
                        DriftKind::State
                    };
                }
                (Some(_), None) => drift.kind = DriftKind::Deleted,
                (None, _) => drift.kind = DriftKind::Created,
            }
            Some(drift)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Bulk changes

/// Which subscriptions a bulk change is for; an empty field matches all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Found (ignoring case) in the id, the target, an event, or any text of the draft.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub status: Option<DesiredState>,
    /// One of its events, exactly.
    #[serde(default)]
    pub event: Option<String>,
    /// Its target URL's host (ignoring case).
    #[serde(default)]
    pub target_host: Option<String>,
}

/// A change to every subscription a filter matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum BulkChange {
    Pause,
    Resume,
    /// Plan the result with [`PlanOptions::delete_missing`].
    Delete,
    /// Replace the target URL's host `from` with `to`, keeping its scheme, port, path and query.
    ReplaceHost {
        from: String,
        to: String,
    },
}

/// Whether `entry` of a `vendor` connection is one `filter` matches.
pub fn matches(filter: &Filter, vendor: VendorId, entry: &SubscriptionFile) -> bool {
    let summary = summary(vendor, Operation::Create, &entry.draft);
    if filter.status.is_some_and(|s| s != entry.state) {
        return false;
    }
    if let Some(event) = filter.event.as_deref().filter(|e| !e.trim().is_empty())
        && !summary.events.iter().any(|e| e == event.trim())
    {
        return false;
    }
    if let Some(host) = filter
        .target_host
        .as_deref()
        .filter(|h| !h.trim().is_empty())
    {
        let target_host = summary
            .target
            .as_deref()
            .and_then(|t| url::Url::parse(t).ok())
            .and_then(|u| u.host_str().map(str::to_string));
        if !target_host.is_some_and(|t| t.eq_ignore_ascii_case(host.trim())) {
            return false;
        }
    }
    let text = filter.text.trim().to_lowercase();
    if text.is_empty() {
        return true;
    }
    let found = |s: &str| s.to_lowercase().contains(&text);
    entry.id.as_deref().is_some_and(found) || strings(&entry.draft).into_iter().any(found)
}

fn strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        Value::Object(map) => map.values().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

/// The desired state after a bulk change: `live` with `change` made to every subscription the
/// filter matches, to plan with [`plan_connection`] like any file (a dry run is that plan, not
/// sent). A host that is not one is refused with why.
pub fn bulk(
    live: &ConnectionFile,
    filter: &Filter,
    change: &BulkChange,
) -> Result<ConnectionFile, String> {
    if let BulkChange::ReplaceHost { to, .. } = change {
        let mut probe = url::Url::parse("https://example.com/").map_err(|e| e.to_string())?;
        if to.trim().is_empty() || probe.set_host(Some(to.trim())).is_err() {
            return Err(format!("“{to}” is not a host name."));
        }
    }
    let vendor = live.vendor;
    let mut desired = live.clone();
    desired.subscriptions.clear();
    for entry in &live.subscriptions {
        if !matches(filter, vendor, entry) {
            desired.subscriptions.push(entry.clone());
            continue;
        }
        let mut entry = entry.clone();
        match change {
            BulkChange::Pause => entry.state = DesiredState::Paused,
            BulkChange::Resume => entry.state = DesiredState::Active,
            BulkChange::Delete => continue,
            BulkChange::ReplaceHost { from, to } => replace_host(vendor, &mut entry, from, to),
        }
        desired.subscriptions.push(entry);
    }
    Ok(desired)
}

fn replace_host(vendor: VendorId, entry: &mut SubscriptionFile, from: &str, to: &str) {
    let Some(pointer) = crate::roles::role_of(vendor, Operation::Create, "target") else {
        return;
    };
    let Some(mut url) = crate::draft::get(&entry.draft, pointer)
        .and_then(Value::as_str)
        .and_then(|t| url::Url::parse(t).ok())
    else {
        return;
    };
    if !url
        .host_str()
        .is_some_and(|h| h.eq_ignore_ascii_case(from.trim()))
    {
        return;
    }
    if url.set_host(Some(to.trim())).is_ok() {
        crate::draft::set(
            &mut entry.draft,
            pointer,
            Some(Value::String(url.to_string())),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// One rendering for the page and the CLI

/// A connection for showing a plan's requests without credentials: the vendor's first sign-in that
/// needs no token request, every field a placeholder. The requests made with it carry their auth
/// headers as secrets, which [`plan_text`] and [`plan_rows_json`] leave out.
pub fn display_connection(vendor: VendorId, base_url: &str) -> Connection {
    let spec = spec(vendor);
    let credentials = spec
        .schemes
        .iter()
        .find_map(|scheme| {
            let values = scheme
                .fields
                .iter()
                .map(|f| (f.name.to_string(), "placeholder".to_string()))
                .collect();
            match crate::auth::sign_in(scheme, &values) {
                Ok(crate::auth::SignIn::Ready(credentials)) => Some(credentials),
                _ => None,
            }
        })
        .unwrap_or(crate::Credentials::ApiKey {
            key: Secret::new("placeholder"),
        });
    Connection {
        vendor,
        base_url: base_url.to_string(),
        credentials,
    }
}

/// A request as a plan shows it: the method, URL, the native action it performs, the emulation's
/// sentence, and the body with secret values masked. No header: the auth headers are the
/// connection's, and a plan is shown without credentials.
fn shown_requests(call: &PlannedCall, connection: &Connection) -> Result<Vec<Value>, PlanError> {
    Ok(requests(call, connection)?
        .into_iter()
        .map(|step| {
            let body = step
                .request
                .shown_body(false)
                .map(|text| crate::draft::parse(&text).unwrap_or(Value::String(text)));
            json!({
                "method": step.request.method.as_str(),
                "url": step.request.url,
                "action": step.action.as_str(),
                "emulated": call.emulated,
                "body": body,
            })
        })
        .collect())
}

fn shown_change(vendor: VendorId, change: &Change) -> Value {
    let masked = |v: &Option<Value>| {
        v.clone()
            .map(|v| crate::edit::masked_at(vendor, Operation::Create, &change.pointer, v))
    };
    json!({
        "pointer": change.pointer,
        "before": masked(&change.before),
        "after": masked(&change.after),
    })
}

/// Each row of a plan as one JSON object (one line of `hookpanel plan --format json`):
/// `{connection, vendor, kind, label, id, desired_id, matched_by, changes: [{pointer, before,
/// after}], requests: [{method, url, action, emulated, body}], missing_secrets, blocked, park,
/// unpark, error}`. Requests are made with [`display_connection`] on the plan's base URL.
pub fn plan_rows_json(plan: &ConnectionPlan) -> Vec<Value> {
    let connection = display_connection(plan.vendor, &plan.base_url);
    plan.rows
        .iter()
        .map(|row| {
            let mut requests = Vec::new();
            let mut error = None;
            for call in &row.calls {
                match shown_requests(call, &connection) {
                    Ok(shown) => requests.extend(shown),
                    Err(e) => error = Some(e.to_string()),
                }
            }
            json!({
                "connection": plan.connection_id,
                "vendor": plan.vendor.as_str(),
                "kind": row.kind.as_str(),
                "label": row.label,
                "id": row.live_id,
                "desired_id": row.desired.as_ref().and_then(|d| d.id.clone()),
                "matched_by": row.matched_by,
                "changes": row.changes.iter().map(|c| shown_change(plan.vendor, c)).collect::<Vec<_>>(),
                "requests": requests,
                "missing_secrets": row.missing_secrets,
                "blocked": row.blocked,
                "park": row.park.is_some(),
                "unpark": row.unpark,
                "error": error,
            })
        })
        .collect()
}

/// A value as one short line: compact JSON, cut.
fn short(value: &Value, max: usize) -> String {
    let text = value.to_string();
    if text.chars().count() > max {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    } else {
        text
    }
}

/// A plan as text, the way `hookpanel plan` prints it: a line for the connection with the counts
/// of each kind, then every row that is not unchanged: its kind and label, each change
/// (`/pointer: before → after`), each request in order (`METHOD URL`, "(emulated: …)" where so,
/// its body summarised), the secrets missing, and why it is blocked.
pub fn plan_text(plan: &ConnectionPlan) -> String {
    let rows = plan_rows_json(plan);
    let counts: Vec<String> = plan
        .counts()
        .iter()
        .map(|(kind, n)| format!("{n} {}", kind.as_str()))
        .collect();
    let mut out = format!(
        "connection {} ({}, “{}”, {}): {}\n",
        plan.connection_id,
        plan.vendor.as_str(),
        plan.name,
        plan.base_url,
        if counts.is_empty() {
            "no webhooks".to_string()
        } else {
            counts.join(", ")
        }
    );
    if plan.is_unchanged() {
        out.push_str("  no changes\n");
    }
    let text = |v: &Value| match v {
        Value::Null => "(none)".to_string(),
        other => short(other, 120),
    };
    for (row, shown) in plan.rows.iter().zip(&rows) {
        if row.kind == RowKind::Unchanged {
            continue;
        }
        out.push_str(&format!("  {:<9} {}\n", row.kind.as_str(), row.label));
        for change in shown["changes"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "    {}: {} → {}\n",
                change["pointer"].as_str().unwrap_or_default(),
                text(&change["before"]),
                text(&change["after"])
            ));
        }
        for request in shown["requests"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "    {} {}",
                request["method"].as_str().unwrap_or_default(),
                request["url"].as_str().unwrap_or_default()
            ));
            if let Some(note) = request["emulated"].as_str() {
                out.push_str(&format!(" (emulated: {note})"));
            }
            out.push('\n');
            if !request["body"].is_null() {
                out.push_str(&format!("      body: {}\n", short(&request["body"], 160)));
            }
        }
        if row.park.is_some() {
            out.push_str(
                "    keeps its settings in the page (paused: nothing left at the vendor)\n",
            );
        }
        if let Some(id) = &row.unpark {
            out.push_str(&format!(
                "    forgets the settings kept in the page for {id}\n"
            ));
        }
        if !row.missing_secrets.is_empty() {
            out.push_str(&format!(
                "    missing secrets: {}\n",
                row.missing_secrets.join(", ")
            ));
        }
        if let Some(why) = &row.blocked {
            out.push_str(&format!("    blocked: {why}\n"));
        }
        if let Some(error) = shown["error"].as_str() {
            out.push_str(&format!("    cannot plan the requests: {error}\n"));
        }
    }
    out
}
