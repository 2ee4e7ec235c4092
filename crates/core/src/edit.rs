//! Editing a live subscription: where the modify editor starts, what changed, and a draft as it
//! may be kept on the device (without its secrets).

use serde_json::{Map, Value};

use crate::answer::Subscription;
use crate::http::MASK;
use crate::schema::{SecretAt, schema};
use crate::vendors::with_adapter;
use crate::{Operation, VendorId};

/// The schema a modify draft is checked against: the vendor's modify schema, or its create schema
/// where a modify is emulated by creating anew (Kajabi).
pub fn modify_operation(vendor: VendorId) -> Operation {
    if schema(vendor, Operation::Modify).is_some() {
        Operation::Modify
    } else {
        Operation::Create
    }
}

/// The draft the modify editor starts from: the subscription as the vendor holds it, in the shape
/// of [`modify_operation`]'s schema. `None` where the vendor cannot change it, or its answer lacks
/// what is needed. Each vendor's adapter knows which (a full entity, a partial update, a create
/// draft rebuilt for an emulated modify).
pub fn modify_draft(vendor: VendorId, subscription: &Subscription) -> Option<Value> {
    with_adapter!(vendor, |a| a.modify_draft(subscription))
}

/// What a draft subscribes: its target URL and events, read where the schema's `x-role` marks
/// them, as text (a list of events, or the one event of a vendor that takes one).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub target: Option<String>,
    pub events: Vec<String>,
}

/// The [`Summary`] of a draft for an operation.
pub fn summary(vendor: VendorId, operation: Operation, draft: &Value) -> Summary {
    let Some(schema) = schema(vendor, operation) else {
        return Summary::default();
    };
    let at = |role: &str| {
        crate::schema::role_pointer(schema, role).and_then(|p| draft.pointer(&p).cloned())
    };
    let events = match at("events") {
        Some(Value::String(one)) => vec![one],
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    Summary {
        target: at("target").and_then(|v| v.as_str().map(str::to_string)),
        events,
    }
}

/// One difference between the live state and the draft, at a JSON Pointer.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Change {
    pub pointer: String,
    /// The value now, or `None` if the draft adds it.
    pub before: Option<Value>,
    /// The value after, or `None` if the draft removes it.
    pub after: Option<Value>,
}

/// What the draft changes: every leaf that differs, by pointer, objects compared key by key and
/// arrays as wholes (an event list reads best as "before / after").
pub fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    diff_at("", Some(before), Some(after), &mut changes);
    changes
}

fn diff_at(pointer: &str, before: Option<&Value>, after: Option<&Value>, out: &mut Vec<Change>) {
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            for (key, bv) in b {
                let child = crate::problem::child_pointer(pointer, key);
                diff_at(&child, Some(bv), a.get(key), out);
            }
            for (key, av) in a.iter().filter(|(k, _)| !b.contains_key(*k)) {
                let child = crate::problem::child_pointer(pointer, key);
                diff_at(&child, None, Some(av), out);
            }
        }
        (b, a) if b == a => {}
        (b, a) => out.push(Change {
            pointer: pointer.to_string(),
            before: b.cloned(),
            after: a.cloned(),
        }),
    }
}

/// The secret values of a draft: where the schema marks them (`x-secret`), and the values of
/// members it does not declare whose names say they are credentials
/// ([`crate::schema::looks_like_credential`]).
pub fn secrets(vendor: VendorId, operation: Operation, draft: &Value) -> Vec<SecretAt> {
    crate::schema::secrets_of(vendor, operation, draft)
}

/// A draft as it may be kept on the device, with no secret in it: a secret field is removed, and
/// a secret under a name the schema does not declare (a custom header's value, an `apiKey` typed
/// in free properties) is emptied, so the name is kept and only its value must be typed again. That is the price of never storing a secret unasked.
pub fn without_secrets(vendor: VendorId, operation: Operation, draft: &Value) -> Value {
    let mut kept = draft.clone();
    for secret in secrets(vendor, operation, draft) {
        let emptied = secret.in_map.then(|| Value::String(String::new()));
        crate::draft::set(&mut kept, &secret.pointer, emptied);
    }
    kept
}

/// Whether a secret value has anything to hide: null and "" show as they are, so the admin sees
/// that no secret is set.
fn hides_something(value: &Value) -> bool {
    !matches!(value, Value::Null) && value.as_str() != Some("")
}

/// The draft as the raw JSON view shows it until "Show secrets": every secret value replaced by
/// [`MASK`].
pub fn masked_draft(vendor: VendorId, operation: Operation, draft: &Value) -> Value {
    let mut shown = draft.clone();
    for secret in secrets(vendor, operation, draft) {
        if let Some(value) = shown.pointer_mut(&secret.pointer)
            && hides_something(value)
        {
            *value = Value::String(MASK.to_string());
        }
    }
    shown
}

/// A value as shown at `pointer` of a draft (a change in the diff, say): masked if the place is
/// a secret, with the secrets inside it masked if it holds some (a whole `headers` map).
pub fn masked_at(vendor: VendorId, operation: Operation, pointer: &str, value: Value) -> Value {
    if pointer.is_empty() {
        return masked_draft(vendor, operation, &value);
    }
    let mut holder = Value::Object(Map::new());
    crate::draft::set(&mut holder, pointer, Some(value.clone()));
    masked_draft(vendor, operation, &holder)
        .pointer(pointer)
        .cloned()
        .unwrap_or(value)
}

/// A value typed at `pointer` of a draft in a control that shows it as [`masked_at`] does: every
/// secret in it still reading [`MASK`] takes back the value at the same place in `before` (the
/// whole draft as it was), as [`unmasked`] does for the whole draft.
pub fn unmasked_at(
    vendor: VendorId,
    operation: Operation,
    pointer: &str,
    edited: Value,
    before: &Value,
) -> Value {
    if pointer.is_empty() {
        return unmasked(vendor, operation, edited, before);
    }
    let mut holder = Value::Object(Map::new());
    crate::draft::set(&mut holder, pointer, Some(edited.clone()));
    unmasked(vendor, operation, holder, before)
        .pointer(pointer)
        .cloned()
        .unwrap_or(edited)
}

/// A draft edited in the masked raw view: every secret value still reading [`MASK`] takes back the
/// value at the same place in `before` (the draft as it was), so editing around a hidden secret
/// keeps it. A mask with nothing behind it stays, and the lint rule `lint:masked-secret` stops it
/// from being sent.
pub fn unmasked(vendor: VendorId, operation: Operation, edited: Value, before: &Value) -> Value {
    let mut draft = edited;
    for secret in secrets(vendor, operation, &draft) {
        let hidden = before
            .pointer(&secret.pointer)
            .filter(|v| hides_something(v));
        if let (Some(hidden), Some(value)) = (hidden, draft.pointer_mut(&secret.pointer))
            && value.as_str() == Some(MASK)
        {
            *value = hidden.clone();
        }
    }
    draft
}

/// A vendor's record as it may be shown: every value at a secret place of the vendor's create or
/// modify schema replaced by a mask (null and "" stay: there is nothing to hide).
pub fn masked(vendor: VendorId, record: &Value) -> Value {
    let mut shown = record.clone();
    for operation in [Operation::Create, Operation::Modify] {
        for secret in secrets(vendor, operation, record) {
            if let Some(value) = shown.pointer_mut(&secret.pointer)
                && hides_something(value)
            {
                *value = Value::String(MASK.to_string());
            }
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_names_each_changed_leaf() {
        let before = json!({"a": 1, "b": {"c": "x", "d": [1]}, "gone": true});
        let after = json!({"a": 1, "b": {"c": "y", "d": [1, 2]}, "new": 2});
        let pointers: Vec<String> = diff(&before, &after)
            .into_iter()
            .map(|c| c.pointer)
            .collect();
        assert_eq!(pointers, ["/b/c", "/b/d", "/gone", "/new"]);
    }
}
