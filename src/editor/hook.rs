//! `use_editor`: everything the editor screen shows and does, as signals, memos and actions over
//! one [`DraftState`], so the screen's components only lay it out.

use hookpanel_core::auth::SignIn;
use hookpanel_core::edit::{Change, diff, modify_operation, without_secrets};
use hookpanel_core::form::skeleton;
use hookpanel_core::problem::has_errors;
use hookpanel_core::vendors::spec;
use hookpanel_core::{
    Action as VendorAction, Call, Capability, Connection, Credentials, Operation, PlanError,
    Problem, Secret, Step, Subscription, validate,
};
use leptos::prelude::*;
use serde_json::Value;

use super::DraftState;
use super::send::{self as sending, Ended};
use crate::route::navigate;
use crate::store;
use crate::toast::{Toasts, Tone};
use crate::workspace::{ConnectionEntry, Workspace, plain_connection};

/// What the editor edits.
#[derive(Clone, Debug, PartialEq)]
pub enum EditMode {
    Create,
    /// A live subscription, and the draft it starts from.
    Modify {
        sub: Box<Subscription>,
        live: Value,
    },
}

impl EditMode {
    fn id(&self) -> Option<String> {
        match self {
            EditMode::Create => None,
            EditMode::Modify { sub, .. } => Some(sub.id.clone()),
        }
    }
}

/// The editor's state and actions.
#[derive(Clone, Copy)]
pub struct UseEditor {
    pub state: DraftState,
    /// Every problem: the schema's, the lint rules', and the vendor's own for the draft it saw.
    pub problems: Memo<Vec<Problem>>,
    /// The requests the draft makes, in order, or why there are none.
    pub steps: Memo<Result<Vec<Step>, PlanError>>,
    /// What the draft changes against the live webhook (a modify only).
    pub changes: Memo<Option<Vec<Change>>>,
    pub send: Action<Value, Ended>,
    pub test: Action<Value, Result<String, String>>,
    /// A test delivery of the definition exists (SuperOffice).
    pub can_test: bool,
    /// The modify is emulated: the sentence that says how.
    pub emulated: Option<&'static str>,
    /// The draft was restored from the device.
    pub restored: bool,
    /// Whether the confirmation of an emulated modify is open.
    pub confirm_open: RwSignal<bool>,
    key: StoredValue<String>,
    start: StoredValue<Value>,
    vendor_problems: RwSignal<Option<(Value, Vec<Problem>)>>,
}

/// The connection as the preview plans with it: a token still to be asked for shows as a
/// placeholder (masked like any credential).
fn preview_connection(ws: Workspace, entry: &ConnectionEntry) -> Result<Connection, PlanError> {
    match entry.sign_in()? {
        SignIn::Ready(credentials) => Ok(plain_connection(entry, credentials)),
        SignIn::TokenFirst { .. } => Ok(plain_connection(
            entry,
            ws.tokens
                .with_value(|t| t.get(&entry.id).map(|token| token.credentials.clone()))
                .unwrap_or(Credentials::Bearer {
                    token: Secret::new("token-asked-for-on-send"),
                }),
        )),
    }
}

fn draft_key(entry: &ConnectionEntry, mode: &EditMode) -> String {
    match mode.id() {
        None => format!("draft.{}.new", entry.id),
        Some(id) => format!("draft.{}.{id}", entry.id),
    }
}

/// The editor for a create or a modify at a connection.
pub fn use_editor(entry: &ConnectionEntry, mode: &EditMode) -> UseEditor {
    let ws = Workspace::expect_context();
    let toasts = Toasts::expect_context();
    let vendor = entry.vendor;
    let operation = match mode {
        EditMode::Create => Operation::Create,
        EditMode::Modify { .. } => modify_operation(vendor),
    };
    let key = draft_key(entry, mode);
    let start = match mode {
        EditMode::Create => skeleton(vendor, operation),
        EditMode::Modify { live, .. } => live.clone(),
    };
    // An unsaved draft survives a reload (without its secret fields, which are never stored).
    let restored: Option<Value> = store::load(&key);
    let opened = restored.clone().unwrap_or_else(|| start.clone());
    let state = DraftState::new(vendor, operation, opened.clone());
    {
        let key = key.clone();
        // Saved on every change, from the first: a draft pasted before this effect first ran
        // (the moment the editor opens) is as much the admin's as one typed later.
        Effect::new(move |first: Option<()>| {
            let kept = state.draft.with(|d| {
                (first.is_some() || *d != opened).then(|| without_secrets(vendor, operation, d))
            });
            if let Some(kept) = kept {
                store::save(&key, &kept);
            }
        });
    }
    let vendor_problems = RwSignal::new(None::<(Value, Vec<Problem>)>);
    let problems = Memo::new(move |_| {
        state.draft.with(|d| {
            let mut all = validate(vendor, operation, d);
            // The vendor's own objections hold for the draft it saw, until that draft changes.
            vendor_problems.with(|v| {
                if let Some((seen, list)) = v
                    && seen == d
                {
                    all.extend(list.iter().cloned());
                }
            });
            all
        })
    });
    let steps = {
        let (entry, id) = (entry.clone(), mode.id());
        Memo::new(move |_| {
            let connection = preview_connection(ws, &entry)?;
            state.draft.with(|d| {
                let call = match &id {
                    Some(id) => Call::Modify { id, draft: d },
                    None => Call::Create { draft: d },
                };
                hookpanel_core::plan_steps(&connection, call)
            })
        })
    };
    let changes = {
        let live = match mode {
            EditMode::Modify { live, .. } => Some(live.clone()),
            EditMode::Create => None,
        };
        Memo::new(move |_| {
            live.as_ref()
                .map(|live| state.draft.with(|d| diff(live, d)))
        })
    };
    let send = {
        let (entry, id, key) = (entry.clone(), mode.id(), key.clone());
        Action::new_local(move |draft: &Value| {
            let (entry, id, key, draft) = (entry.clone(), id.clone(), key.clone(), draft.clone());
            async move {
                let ended = sending::send(ws, &entry, id.as_deref(), &draft, &key).await;
                match &ended {
                    Ended::Done { text, go_to } => {
                        // Said before leaving: this screen, and anything watching its outcome,
                        // goes.
                        toasts.push(Tone::Ok, text.clone());
                        navigate(go_to);
                    }
                    Ended::Failed {
                        message, problems, ..
                    } => {
                        vendor_problems.set(Some((draft, problems.clone())));
                        toasts.push(Tone::Error, message.clone());
                    }
                }
                ended
            }
        })
    };
    let test = {
        let entry = entry.clone();
        Action::new_local(move |draft: &Value| {
            let (entry, draft) = (entry.clone(), draft.clone());
            async move { sending::test(ws, &entry, &draft).await }
        })
    };
    let vs = spec(vendor);
    let emulated = match (mode, vs.capability(VendorAction::Modify)) {
        (EditMode::Modify { .. }, Capability::Emulated(note)) => Some(note),
        _ => None,
    };
    UseEditor {
        state,
        problems,
        steps,
        changes,
        send,
        test,
        can_test: vs.capability(VendorAction::Test).is_available(),
        emulated,
        restored: restored.is_some(),
        confirm_open: RwSignal::new(false),
        key: StoredValue::new(key),
        start: StoredValue::new(start),
        vendor_problems,
    }
}

impl UseEditor {
    /// Whether sending is blocked: an error in the draft, or raw text that does not parse.
    pub fn blocked(&self) -> bool {
        self.problems.with(|p| has_errors(p)) || self.state.raw_error.with(Option::is_some)
    }

    /// The admin asked to send: every problem shows; a blocked draft, an unchanged modify or a
    /// call in flight sends nothing; an emulated modify is confirmed first.
    pub fn submit(&self) {
        self.state.show_all.set(true);
        if self.blocked() || self.send.pending().get_untracked() {
            return;
        }
        if self
            .changes
            .with_untracked(|c| c.as_ref().is_some_and(Vec::is_empty))
        {
            Toasts::expect_context().push(Tone::Info, "Nothing changed: there is nothing to save.");
            return;
        }
        if self.emulated.is_some() {
            self.confirm_open.set(true);
        } else {
            self.dispatch();
        }
    }

    /// Sends the draft as it is now.
    pub fn dispatch(&self) {
        self.send.dispatch(self.state.draft.get_untracked());
    }

    /// Asks for a test delivery of the draft, if it has no error.
    pub fn run_test(&self) {
        self.state.show_all.set(true);
        if !self.blocked() {
            self.test.dispatch(self.state.draft.get_untracked());
        }
    }

    /// Drops the kept draft and starts over from the live webhook or an empty one.
    pub fn start_over(&self) {
        store::remove(&self.key.get_value());
        self.state.replace(self.start.get_value());
        self.vendor_problems.set(None);
    }
}
