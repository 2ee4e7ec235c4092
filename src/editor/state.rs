//! The draft being edited, shared by the form and the raw JSON view. Each edit updates both
//! representations in its handler, so nothing copies one signal into another after the fact.

use std::collections::HashSet;

use hookpanel_core::{Problem, draft};
use leptos::prelude::*;
use serde_json::Value;

/// The draft, as a value and as the text of the raw view, and which fields were touched.
#[derive(Clone, Copy)]
pub struct DraftState {
    /// The last draft that parsed: what is validated and previewed.
    pub draft: RwSignal<Value>,
    /// The raw view's text, kept exactly as typed even when it does not parse.
    pub raw: RwSignal<String>,
    /// The raw text's syntax error, if it has one.
    pub raw_error: RwSignal<Option<Problem>>,
    /// Pointers of the fields the admin has edited; problems show there once touched.
    pub touched: RwSignal<HashSet<String>>,
    /// Set when the admin tried to send: every problem shows from then on.
    pub show_all: RwSignal<bool>,
}

impl DraftState {
    pub fn new(initial: Value) -> Self {
        DraftState {
            raw: RwSignal::new(pretty(&initial)),
            draft: RwSignal::new(initial),
            raw_error: RwSignal::new(None),
            touched: RwSignal::new(HashSet::new()),
            show_all: RwSignal::new(false),
        }
    }

    /// Starts over from `value`, as if nothing had been typed.
    pub fn replace(&self, value: Value) {
        self.raw.set(pretty(&value));
        self.draft.set(value);
        self.raw_error.set(None);
        self.touched.set(HashSet::new());
        self.show_all.set(false);
    }

    /// A field changed in the form: `None` removes it from the draft.
    pub fn set_field(&self, pointer: &str, value: Option<Value>) {
        self.draft.update(|d| draft::set(d, pointer, value));
        self.raw.set(self.draft.with(pretty));
        self.raw_error.set(None);
        self.touch(pointer);
    }

    /// The raw view changed: kept as typed; the draft follows when it parses.
    pub fn set_raw(&self, text: String) {
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => {
                self.draft.set(value);
                self.raw_error.set(None);
            }
            Err(e) => self.raw_error.set(Some(Problem::syntax(&e))),
        }
        self.raw.set(text);
        self.show_all.set(true);
    }

    pub fn touch(&self, pointer: &str) {
        if !self.touched.with(|t| t.contains(pointer)) {
            self.touched.update(|t| {
                t.insert(pointer.to_string());
            });
        }
    }

    /// Whether problems at `pointer` are shown yet.
    pub fn shows(&self, pointer: &str) -> bool {
        self.show_all.get() || self.touched.with(|t| t.contains(pointer))
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}
