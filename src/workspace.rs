//! The admin's workspace: connections (several per vendor), what each one's subscriptions look
//! like as last read, the Collect ledger, and the settings kept for Kajabi's emulated pause.
//!
//! One context, provided by the app. Credentials live here in memory; a connection's secrets are
//! written to the device only when the admin ticked "remember on this device" for it.

use std::collections::{BTreeMap, HashMap};

use hookpanel_core::auth::{IssuedToken, SignIn};
use hookpanel_core::vendors::spec;
use hookpanel_core::{
    Action, Connection, Credentials, Operation, PlanError, Subscription, SubscriptionStatus,
    VendorId,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::store;

/// One account at one vendor, as the admin set it up.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectionEntry {
    pub id: String,
    pub name: String,
    pub vendor: VendorId,
    pub base_url: String,
    /// The sign-in scheme's id (`core::auth`).
    pub scheme: String,
    /// Every field of the scheme, secrets included (in memory; see [`Saved`]).
    pub values: BTreeMap<String, String>,
    /// Keep the secrets on this device too.
    pub remember: bool,
    /// One of the built-in sandbox connections, which always exist.
    pub builtin: bool,
}

impl std::fmt::Debug for ConnectionEntry {
    // Values may be secrets: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionEntry")
            .field("id", &self.id)
            .field("vendor", &self.vendor)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl ConnectionEntry {
    /// The sandbox connection for a vendor, signed in with the sandbox's public demo credentials.
    pub fn sandbox(sandbox_url: &str, vendor: VendorId) -> Self {
        let (scheme, values) = spec(vendor).sandbox_values();
        ConnectionEntry {
            id: format!("sandbox-{}", vendor.as_str()),
            name: format!("{} sandbox", vendor.display_name()),
            vendor,
            base_url: sandbox_base(sandbox_url, vendor),
            scheme: scheme.to_string(),
            values,
            remember: false,
            builtin: true,
        }
    }

    /// A new connection to the vendor's real API, with nothing filled in.
    pub fn new(vendor: VendorId) -> Self {
        ConnectionEntry {
            id: String::new(),
            name: String::new(),
            vendor,
            base_url: spec(vendor).default_base_url.to_string(),
            scheme: spec(vendor).schemes[0].id.to_string(),
            values: BTreeMap::new(),
            remember: false,
            builtin: false,
        }
    }

    pub fn sign_in(&self) -> Result<SignIn, PlanError> {
        spec(self.vendor).sign_in(&self.scheme, &self.values)
    }

    /// What is written to the device: the secrets only if the admin asked.
    fn saved(&self) -> ConnectionEntry {
        let mut kept = self.clone();
        if !self.remember {
            let secret: Vec<&str> = spec(self.vendor)
                .scheme(&self.scheme)
                .fields
                .iter()
                .filter(|f| f.secret)
                .map(|f| f.name)
                .collect();
            kept.values.retain(|k, _| !secret.contains(&k.as_str()));
        }
        kept
    }
}

/// The sandbox's address for a vendor's API.
pub fn sandbox_base(sandbox_url: &str, vendor: VendorId) -> String {
    format!(
        "{}{}",
        sandbox_url.trim_end_matches('/'),
        spec(vendor).sandbox_path
    )
}

/// The last read of a connection's subscriptions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listing {
    pub items: Vec<Subscription>,
    /// Whether a read has completed (or, for a ledger, been loaded).
    pub loaded: bool,
    pub loading: bool,
    /// What the read is doing: "Reading page 3 of 6…".
    pub progress: Option<String>,
    /// What the list shown lacks, when the read stopped short of the end (the bound, a vendor
    /// that repeats a page, a page that failed).
    pub caveat: Option<String>,
    /// Why the last read failed, and what to do.
    pub error: Option<(String, String)>,
    /// Seconds until an automatic retry after a 429.
    pub retry_in: Option<u64>,
    /// For a ledger: a save the device refused, so the ledger on the device is behind the list.
    pub unsaved: bool,
}

/// The workspace, shared by every screen.
#[derive(Clone, Copy)]
pub struct Workspace {
    pub sandbox_url: StoredValue<String>,
    pub connections: RwSignal<Vec<ConnectionEntry>>,
    pub listings: RwSignal<HashMap<String, Listing>>,
    /// Kajabi hooks paused here (deleted at Kajabi), by connection: their settings, kept to
    /// create them again on resume. Read from the device once, when the workspace starts.
    pub parked: RwSignal<HashMap<String, Vec<Subscription>>>,
    /// Tokens asked for with client credentials, in memory only.
    pub tokens: StoredValue<HashMap<String, IssuedToken>>,
}

const CONNECTIONS_KEY: &str = "connections";

impl Workspace {
    /// The workspace: the built-in sandbox connections, then the ones saved on this device.
    pub fn provide(sandbox_url: &str) -> Self {
        let mut connections: Vec<ConnectionEntry> = VendorId::ALL
            .into_iter()
            .map(|v| ConnectionEntry::sandbox(sandbox_url, v))
            .collect();
        let saved: Vec<ConnectionEntry> = store::load(CONNECTIONS_KEY).unwrap_or_default();
        connections.extend(saved.into_iter().filter(|c| !c.builtin));
        let parked = connections
            .iter()
            .filter_map(|c| {
                let list: Vec<Subscription> = store::load(&parked_key(&c.id))?;
                Some((c.id.clone(), list))
            })
            .collect();
        let ws = Workspace {
            sandbox_url: StoredValue::new(sandbox_url.to_string()),
            connections: RwSignal::new(connections),
            listings: RwSignal::new(HashMap::new()),
            parked: RwSignal::new(parked),
            tokens: StoredValue::new(HashMap::new()),
        };
        provide_context(ws);
        ws
    }

    pub fn expect_context() -> Self {
        expect_context::<Workspace>()
    }

    pub fn connection(&self, id: &str) -> Option<ConnectionEntry> {
        self.connections
            .with(|all| all.iter().find(|c| c.id == id).cloned())
    }

    /// [`Workspace::connection`], for a task acting once on what is there now.
    pub fn connection_untracked(&self, id: &str) -> Option<ConnectionEntry> {
        self.connections
            .with_untracked(|all| all.iter().find(|c| c.id == id).cloned())
    }

    /// Adds or replaces a connection, and saves the ones the admin made.
    pub fn put(&self, mut entry: ConnectionEntry) -> String {
        if entry.id.is_empty() {
            entry.id = new_id();
        }
        let id = entry.id.clone();
        self.tokens.update_value(|t| {
            t.remove(&id);
        });
        self.connections
            .update(|all| match all.iter_mut().find(|c| c.id == entry.id) {
                Some(slot) => *slot = entry,
                None => all.push(entry),
            });
        self.save_connections();
        id
    }

    pub fn remove(&self, id: &str) {
        self.connections.update(|all| all.retain(|c| c.id != id));
        self.listings.update(|l| {
            l.remove(id);
        });
        store::remove(&ledger_key(id));
        store::remove(&parked_key(id));
        self.save_connections();
    }

    fn save_connections(&self) {
        let saved: Vec<ConnectionEntry> = self.connections.with_untracked(|all| {
            all.iter()
                .filter(|c| !c.builtin)
                .map(ConnectionEntry::saved)
                .collect()
        });
        store::save(CONNECTIONS_KEY, &saved);
    }

    /// A connection's subscriptions as last read (tracked: a memo or view that reads it follows it).
    pub fn listing(&self, id: &str) -> Listing {
        self.listings
            .with(|l| l.get(id).cloned())
            .unwrap_or_default()
    }

    /// The same, for code that acts once on what is there now (a handler, a task).
    pub fn listing_untracked(&self, id: &str) -> Listing {
        self.listings
            .with_untracked(|l| l.get(id).cloned())
            .unwrap_or_default()
    }

    pub fn set_listing(&self, id: &str, change: impl FnOnce(&mut Listing)) {
        self.listings
            .update(|l| change(l.entry(id.to_string()).or_default()));
    }

    /// Puts a subscription the vendor returned into the connection's list (and ledger).
    pub fn upsert(&self, connection: &ConnectionEntry, sub: Subscription) {
        self.ensure_ledger(connection);
        self.set_listing(&connection.id, |l| {
            match l.items.iter_mut().find(|s| s.id == sub.id) {
                Some(slot) => *slot = sub,
                None => l.items.insert(0, sub),
            }
        });
        self.save_ledger(connection);
    }

    pub fn forget(&self, connection: &ConnectionEntry, id: &str) {
        self.ensure_ledger(connection);
        self.set_listing(&connection.id, |l| l.items.retain(|s| s.id != id));
        self.save_ledger(connection);
    }

    /// Collect's ledger: what was created or adopted here, read back on the next visit. A stored
    /// ledger that cannot be read is kept aside by the store, never saved over (see `store`).
    pub fn load_ledger(&self, connection: &ConnectionEntry) {
        let items: Vec<Subscription> = store::load(&ledger_key(&connection.id)).unwrap_or_default();
        self.set_listing(&connection.id, |l| {
            l.items = items;
            l.loaded = true;
        });
    }

    /// Reads the ledger before it is first changed: a webhook created from a deep link to the
    /// editor, before the list was ever shown, was saved as the whole ledger over the one on the
    /// device.
    fn ensure_ledger(&self, connection: &ConnectionEntry) {
        if Self::keeps_ledger(connection) && !self.listing_untracked(&connection.id).loaded {
            self.load_ledger(connection);
        }
    }

    /// Whether the connection's vendor cannot list, so the page keeps a ledger for it.
    pub fn keeps_ledger(connection: &ConnectionEntry) -> bool {
        !spec(connection.vendor)
            .capability(Action::List)
            .is_available()
    }

    fn save_ledger(&self, connection: &ConnectionEntry) {
        if !Self::keeps_ledger(connection) {
            return;
        }
        let items = ledger_entries(connection, self.listing_untracked(&connection.id).items);
        let saved = store::save(&ledger_key(&connection.id), &items);
        self.set_listing(&connection.id, |l| l.unsaved = !saved);
    }

    /// Records a create that ended without an answer (the call timed out): the vendor may hold a
    /// webhook the ledger cannot know the id of. The entry says so until the admin adopts the
    /// webhook by its real id, or forgets the entry.
    pub fn record_unconfirmed(&self, connection: &ConnectionEntry, draft: &serde_json::Value) {
        let now = js_sys::Date::new_0();
        let summary = hookpanel_core::edit::summary(connection.vendor, Operation::Create, draft);
        let sub = Subscription {
            id: format!("{UNCONFIRMED_PREFIX}{}", now.get_time() as u64),
            status: SubscriptionStatus::Other(UNCONFIRMED.to_string()),
            target_url: summary.target,
            events: summary.events,
            created_at: now.to_iso_string().as_string(),
            raw: hookpanel_core::edit::without_secrets(connection.vendor, Operation::Create, draft),
        };
        self.upsert(connection, sub);
    }

    /// Replaces an entry (an unconfirmed create, say) with the webhook by the id the vendor
    /// gave it, keeping what the entry knew of it.
    pub fn adopt_as(&self, connection: &ConnectionEntry, old: &str, id: &str) {
        self.ensure_ledger(connection);
        let known = self.subscription(&connection.id, old);
        self.set_listing(&connection.id, |l| l.items.retain(|s| s.id != old));
        let mut sub =
            known.unwrap_or_else(|| hookpanel_core::vendors::adopted(connection.vendor, id));
        // What the entry knew of it, under the id as the vendor names it in a record.
        let adopted = hookpanel_core::vendors::adopted(connection.vendor, id);
        if let (serde_json::Value::Object(raw), serde_json::Value::Object(named)) =
            (&mut sub.raw, &adopted.raw)
        {
            raw.extend(named.clone());
            sub.id = adopted.id;
            sub.status = adopted.status;
        } else {
            sub = adopted;
        }
        self.upsert(connection, sub);
    }

    /// The ledger as a file the admin can keep: the connection it belongs to (never its
    /// credentials) and its webhooks, without secrets.
    pub fn ledger_file(&self, connection: &ConnectionEntry) -> String {
        let items = ledger_entries(connection, self.listing_untracked(&connection.id).items);
        let file = serde_json::json!({
            "format": LEDGER_FORMAT,
            "version": 1,
            "connection": {
                "vendor": connection.vendor,
                "name": connection.name,
                "base_url": connection.base_url,
            },
            "webhooks": items,
        });
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// Adds the webhooks of a ledger file the ledger does not have yet; what it has is kept.
    /// Returns how many were added and how many were already there, or what is wrong with the
    /// file.
    pub fn import_ledger(
        &self,
        connection: &ConnectionEntry,
        text: &str,
    ) -> Result<(usize, usize), String> {
        let file = hookpanel_core::draft::parse(text)
            .map_err(|e| format!("The file is not JSON ({e})."))?;
        if file.get("format").and_then(serde_json::Value::as_str) != Some(LEDGER_FORMAT) {
            return Err(
                "The file is not a Hookpanel ledger (its \"format\" is not \"hookpanel-ledger\")."
                    .into(),
            );
        }
        let vendor = file.pointer("/connection/vendor").cloned();
        if vendor != Some(serde_json::json!(connection.vendor)) {
            return Err(format!(
                "The file is the ledger of another vendor ({}); this connection is {}.",
                vendor.map_or_else(|| "none named".to_string(), |v| v.to_string()),
                connection.vendor.display_name()
            ));
        }
        let webhooks: Vec<Subscription> =
            serde_json::from_value(file.get("webhooks").cloned().unwrap_or_default())
                .map_err(|e| format!("The file's webhooks cannot be read: {e}."))?;
        let mut added = 0;
        let mut present = 0;
        self.ensure_ledger(connection);
        self.set_listing(&connection.id, |l| {
            for sub in webhooks {
                if l.items.iter().any(|s| s.id == sub.id) {
                    present += 1;
                } else {
                    l.items.push(sub);
                    added += 1;
                }
            }
        });
        self.save_ledger(connection);
        Ok((added, present))
    }

    /// Kajabi hooks paused here, for a connection.
    pub fn parked_of(&self, id: &str) -> Vec<Subscription> {
        self.parked.with(|p| p.get(id).cloned()).unwrap_or_default()
    }

    /// Keeps a deleted hook's create draft, to create it again on resume.
    pub fn park(&self, connection_id: &str, mut sub: Subscription, draft: serde_json::Value) {
        sub.status = SubscriptionStatus::Paused;
        sub.raw = draft;
        let mut list = self
            .parked
            .with_untracked(|p| p.get(connection_id).cloned())
            .unwrap_or_default();
        list.retain(|s| s.id != sub.id);
        list.insert(0, sub);
        store::save(&parked_key(connection_id), &list);
        self.parked.update(|p| {
            p.insert(connection_id.to_string(), list);
        });
    }

    pub fn unpark(&self, connection_id: &str, id: &str) {
        let mut list = self
            .parked
            .with_untracked(|p| p.get(connection_id).cloned())
            .unwrap_or_default();
        list.retain(|s| s.id != id);
        store::save(&parked_key(connection_id), &list);
        self.parked.update(|p| {
            p.insert(connection_id.to_string(), list);
        });
    }

    /// [`Workspace::subscription`], for a task acting once on what is there now.
    pub fn subscription_untracked(&self, connection_id: &str, id: &str) -> Option<Subscription> {
        leptos::prelude::untrack(|| self.subscription(connection_id, id))
    }

    /// A subscription of a connection, from the last read or the parked ones.
    pub fn subscription(&self, connection_id: &str, id: &str) -> Option<Subscription> {
        self.listings
            .with(|l| {
                l.get(connection_id)
                    .and_then(|l| l.items.iter().find(|s| s.id == id).cloned())
            })
            .or_else(|| {
                self.parked.with(|p| {
                    p.get(connection_id)
                        .and_then(|list| list.iter().find(|s| s.id == id).cloned())
                })
            })
    }
}

/// Whether a connection can be used as it stands; `Connection` is what core plans with, where
/// Kajabi's client credentials still need a token (see `http::connect`).
pub fn plain_connection(entry: &ConnectionEntry, credentials: Credentials) -> Connection {
    Connection {
        vendor: entry.vendor,
        base_url: entry.base_url.clone(),
        credentials,
    }
}

/// The status of a ledger entry for a create that ended without an answer.
pub const UNCONFIRMED: &str = "unconfirmed";
/// The id an unconfirmed entry carries until the webhook is adopted by its real one.
pub const UNCONFIRMED_PREFIX: &str = "unconfirmed-";
const LEDGER_FORMAT: &str = "hookpanel-ledger";

/// A ledger's entries as they are written to the device or a file: without secrets.
fn ledger_entries(connection: &ConnectionEntry, items: Vec<Subscription>) -> Vec<Subscription> {
    items
        .into_iter()
        .map(|mut s| {
            s.raw =
                hookpanel_core::edit::without_secrets(connection.vendor, Operation::Create, &s.raw);
            s
        })
        .collect()
}

fn ledger_key(id: &str) -> String {
    format!("ledger.{id}")
}

fn parked_key(id: &str) -> String {
    format!("parked.{id}")
}

/// A short id for a new connection, unique on this device.
fn new_id() -> String {
    let now = js_sys::Date::now() as u64;
    let salt = (js_sys::Math::random() * 1_000_000.0) as u64;
    format!("c{now:x}{salt:x}")
}
