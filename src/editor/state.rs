//! The draft being edited: one value that every control reads as it is now, and the raw JSON
//! view's text. Each edit updates both in its handler, so nothing copies one signal into another
//! after the fact, and no control keeps a private copy it could write back.
//!
//! Secrets are masked in the raw view until "Show secrets": its text is the draft with every
//! secret value replaced by the mask, and an edit made there takes the hidden values back
//! wherever the mask is left in place ([`hookpanel_core::edit::unmasked`]).

use std::collections::HashSet;

use hookpanel_core::edit::{masked_draft, unmasked};
use hookpanel_core::{MAX_DRAFT_BYTES, Operation, Problem, VendorId, draft};
use leptos::prelude::*;
use serde_json::Value;

/// The draft, as a value and as the text of the raw view, and which fields were touched.
#[derive(Clone, Copy)]
pub struct DraftState {
    pub vendor: VendorId,
    pub operation: Operation,
    /// The last draft that parsed: what is validated, previewed and sent.
    pub draft: RwSignal<Value>,
    /// The raw view's text, kept exactly as typed even when it does not parse.
    pub raw: RwSignal<String>,
    /// The raw text's syntax error (or size), if it has one.
    pub raw_error: RwSignal<Option<Problem>>,
    /// Pointers of the fields the admin has edited; problems show there once touched.
    pub touched: RwSignal<HashSet<String>>,
    /// Set when the admin tried to send: every problem shows from then on.
    pub show_all: RwSignal<bool>,
    /// "Show secrets": the raw view, the changes and the request show secret values.
    pub reveal: RwSignal<bool>,
    /// What the raw view's next text is parsed into (`draft::parse_into`: what a keystroke left
    /// alone is compared, not built again): the draft the last parse replaced, or a copy of the
    /// draft the editor started from, so the first keystroke is no fresh parse either.
    scratch: StoredValue<Value>,
}

impl DraftState {
    pub fn new(vendor: VendorId, operation: Operation, initial: Value) -> Self {
        let state = DraftState {
            vendor,
            operation,
            raw: RwSignal::new(String::new()),
            scratch: StoredValue::new(initial.clone()),
            draft: RwSignal::new(initial),
            raw_error: RwSignal::new(None),
            touched: RwSignal::new(HashSet::new()),
            show_all: RwSignal::new(false),
            reveal: RwSignal::new(false),
        };
        state
            .raw
            .set(state.draft.with_untracked(|d| state.render(d)));
        state
    }

    /// The raw view's text for a draft: secrets masked unless revealed.
    fn render(&self, value: &Value) -> String {
        if self.reveal.get_untracked() {
            pretty(value)
        } else {
            pretty(&masked_draft(self.vendor, self.operation, value))
        }
    }

    /// Starts over from `value`, as if nothing had been typed.
    pub fn replace(&self, value: Value) {
        // Nothing of the draft left behind is kept, not even to parse into: the next raw text is
        // parsed into a copy of this one.
        self.scratch.set_value(value.clone());
        self.raw.set(self.render(&value));
        self.draft.set(value);
        self.raw_error.set(None);
        self.touched.set(HashSet::new());
        self.show_all.set(false);
    }

    /// A field changed in the form: `None` removes it from the draft.
    pub fn set_field(&self, pointer: &str, value: Option<Value>) {
        self.draft.update(|d| draft::set(d, pointer, value));
        self.raw.set(self.draft.with_untracked(|d| self.render(d)));
        self.raw_error.set(None);
        self.touch(pointer);
    }

    /// The raw view changed: kept as typed; the draft follows when it parses (and is not over
    /// the size Hookpanel checks), keeping the secrets the mask stands for.
    pub fn set_raw(&self, text: String) {
        if text.len() > MAX_DRAFT_BYTES {
            self.raw_error.set(Some(Problem::too_large(text.len())));
        } else {
            let mut parsed = self
                .scratch
                .try_update_value(std::mem::take)
                .unwrap_or_default();
            match draft::parse_into(&text, &mut parsed) {
                Ok(()) => {
                    let mut value = self.draft.with_untracked(|before| {
                        unmasked(self.vendor, self.operation, parsed, before)
                    });
                    // The draft it replaces is what the next keystroke's text is parsed into.
                    self.draft.update(|d| std::mem::swap(d, &mut value));
                    self.scratch.set_value(value);
                    self.raw_error.set(None);
                }
                Err(e) => {
                    self.scratch.set_value(parsed);
                    self.raw_error.set(Some(Problem::syntax(&e)));
                }
            }
        }
        self.raw.set(text);
        self.show_all.set(true);
    }

    /// Shows or hides secrets. The raw text is drawn again from the draft, unless it does not
    /// parse: then it stays as typed, and says which way it shows them once it does.
    pub fn set_reveal(&self, on: bool) {
        self.reveal.set(on);
        if self.raw_error.with_untracked(Option::is_none) {
            self.raw.set(self.draft.with_untracked(|d| self.render(d)));
        }
    }

    pub fn touch(&self, pointer: &str) {
        if !self.touched.with_untracked(|t| t.contains(pointer)) {
            self.touched.update(|t| {
                t.insert(pointer.to_string());
            });
        }
    }

    /// Whether problems at `pointer` are shown yet.
    pub fn shows(&self, pointer: &str) -> bool {
        self.show_all.get() || self.touched.with(|t| t.contains(pointer))
    }

    /// The value at `pointer` in the draft, followed: a view or memo that reads it is run again
    /// when the draft changes.
    pub fn value_at(&self, pointer: &str) -> Option<Value> {
        self.draft.with(|d| draft::get(d, pointer).cloned())
    }

    /// The value at `pointer` in the draft as it is now, for code that acts once on it (a
    /// control's set-up, a handler).
    pub fn value_at_untracked(&self, pointer: &str) -> Option<Value> {
        self.draft
            .with_untracked(|d| draft::get(d, pointer).cloned())
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}
