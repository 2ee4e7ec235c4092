//! The fields of a form, read from a schema: what the editor draws, in schema order, with labels
//! and help from the schema's titles and descriptions.

use serde_json::Value;

use crate::problem::child_pointer;
use crate::schema;
use crate::{Operation, VendorId};

/// What kind of control edits a field.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldKind {
    /// Free text; `format` is the schema's format (`uri`, `email`), if any.
    Text {
        format: Option<String>,
    },
    /// Text that is a secret: masked, with a reveal.
    Secret,
    /// One of a fixed list.
    Choice {
        options: Vec<String>,
    },
    /// Any number of a fixed list: the event picker.
    MultiChoice {
        options: Vec<String>,
    },
    /// A list of free text values, one per line; `suggestions` are the names the schema gives as
    /// `examples` of an item (SuperOffice's documented events), offered to tick, beside any other
    /// name typed.
    TextList {
        suggestions: Vec<String>,
    },
    /// A whole number, typed on one line; text that is not one is kept as text. Also a field
    /// whose types are an integer, a string and null (Kajabi's `resource_id`, an id sent as a
    /// number but documented as a string too): empty leaves it out.
    Integer,
    Boolean,
    /// String keys to string values (headers); `secret` when every value is one (masked, never
    /// stored).
    KeyValue {
        secret: bool,
    },
    /// Anything else: edited in the raw JSON view.
    Json,
}

/// One field of a form.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldSpec {
    /// Where the value lives in the draft.
    pub pointer: String,
    pub title: String,
    pub description: String,
    pub required: bool,
    pub kind: FieldKind,
}

/// The fields for a vendor's operation, nested objects flattened into their leaves.
pub fn fields(vendor: VendorId, operation: Operation) -> Vec<FieldSpec> {
    let mut out = Vec::new();
    if let Some(schema) = schema::schema(vendor, operation) {
        collect(schema, "", &mut out);
    }
    out
}

/// A new draft with every fixed value (`const`) already in place, so the admin never types what
/// the schema allows only one way (Kajabi's JSON:API `type`s), a required field that has a
/// `default` set to it (SuperOffice's `Type: webhook`, as its `GET /Webhook/default` answers),
/// and a required map of headers present and empty (Saleshandy's `headers` may be `{}`), as the
/// key-value editor shows it.
pub fn skeleton(vendor: VendorId, operation: Operation) -> Value {
    let mut draft = Value::Object(serde_json::Map::new());
    if let Some(schema) = schema::schema(vendor, operation) {
        for field in fields(vendor, operation) {
            let node = schema::subschema_at(schema, &field.pointer);
            let fixed = node.and_then(|s| s.get("const"));
            let default = node
                .and_then(|s| s.get("default"))
                .filter(|_| field.required);
            let value = match (fixed.or(default), &field.kind) {
                (Some(fixed), _) => fixed.clone(),
                (None, FieldKind::KeyValue { .. }) if field.required => {
                    Value::Object(serde_json::Map::new())
                }
                _ => continue,
            };
            crate::draft::set(&mut draft, &field.pointer, Some(value));
        }
    }
    draft
}

fn collect(node: &Value, at: &str, out: &mut Vec<FieldSpec>) {
    let Some(props) = node.get("properties").and_then(Value::as_object) else {
        return;
    };
    let required: Vec<&str> = node
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (name, sub) in props {
        let pointer = child_pointer(at, name);
        if sub.get("readOnly").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        if sub.get("properties").is_some() {
            collect(sub, &pointer, out);
            continue;
        }
        out.push(FieldSpec {
            title: text(sub, "title").unwrap_or(name).to_string(),
            description: text(sub, "description").unwrap_or_default().to_string(),
            required: required.contains(&name.as_str()),
            kind: kind_of(sub),
            pointer,
        });
    }
}

fn text<'a>(node: &'a Value, key: &str) -> Option<&'a str> {
    node.get(key).and_then(Value::as_str)
}

fn strings(node: Option<&Value>) -> Option<Vec<String>> {
    Some(
        node?
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
    )
}

fn kind_of(node: &Value) -> FieldKind {
    if node.get("x-secret").and_then(Value::as_bool) == Some(true) {
        return FieldKind::Secret;
    }
    // A fixed value (Kajabi's `"type": "hooks"`): a choice of one, filled in by [`skeleton`].
    if let Some(Value::String(fixed)) = node.get("const") {
        return FieldKind::Choice {
            options: vec![fixed.clone()],
        };
    }
    if let Some(options) = strings(node.get("enum")) {
        return FieldKind::Choice { options };
    }
    // A list of types (Kajabi's `resource_id`: an integer, a digit string or null) is one line
    // when it is a whole number or its text; anything else, the raw JSON.
    if let Some(types) = node.get("type").and_then(Value::as_array) {
        let types: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
        return if types.contains(&"integer")
            && types
                .iter()
                .all(|t| matches!(*t, "integer" | "string" | "null"))
        {
            FieldKind::Integer
        } else {
            FieldKind::Json
        };
    }
    match text(node, "type") {
        Some("string") => FieldKind::Text {
            format: text(node, "format").map(str::to_string),
        },
        Some("integer") => FieldKind::Integer,
        Some("boolean") => FieldKind::Boolean,
        Some("array") => match strings(node.get("items").and_then(|i| i.get("enum"))) {
            Some(options) => FieldKind::MultiChoice { options },
            None => FieldKind::TextList {
                suggestions: strings(node.get("items").and_then(|i| i.get("examples")))
                    .unwrap_or_default(),
            },
        },
        Some("object") => match node.get("additionalProperties") {
            Some(ap) if text(ap, "type") == Some("string") => FieldKind::KeyValue {
                secret: ap.get("x-secret").and_then(Value::as_bool) == Some(true),
            },
            _ => FieldKind::Json,
        },
        _ => FieldKind::Json,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_list_offers_the_names_its_items_give_as_examples() {
        let events = fields(VendorId::SuperOffice, Operation::Create)
            .into_iter()
            .find(|f| f.pointer == "/Events")
            .map(|f| f.kind);
        let Some(FieldKind::TextList { suggestions }) = events else {
            panic!("SuperOffice's Events are a list of names: {events:?}");
        };
        // Every entity SuperOffice documents, each name one its pattern admits.
        for name in [
            "contact.created",
            "sale.sold",
            "chatsession.message",
            "ticket.changed",
        ] {
            assert!(suggestions.iter().any(|s| s == name), "{name}");
        }
        let draft = json!({"Events": suggestions});
        assert!(
            !crate::validate(VendorId::SuperOffice, Operation::Create, &draft)
                .iter()
                .any(|p| p.pointer.starts_with("/Events/")),
            "a suggested name the schema refuses"
        );
        // A list without examples is plain lines.
        assert_eq!(
            kind_of(&json!({"type": "array", "items": {"type": "string"}})),
            FieldKind::TextList {
                suggestions: Vec::new()
            }
        );
    }

    #[test]
    fn an_id_typed_as_a_number_or_its_digits_is_one_line() {
        let kind = |vendor, pointer: &str| {
            fields(vendor, Operation::Create)
                .into_iter()
                .find(|f| f.pointer == pointer)
                .map(|f| f.kind)
        };
        assert_eq!(
            kind(VendorId::Kajabi, "/data/attributes/resource_id"),
            Some(FieldKind::Integer)
        );
        assert_eq!(
            kind_of(&json!({"type": ["integer", "null"]})),
            FieldKind::Integer
        );
        // Other lists of types have no one-line control: the raw JSON edits them.
        assert_eq!(
            kind_of(&json!({"type": ["object", "null"]})),
            FieldKind::Json
        );
        assert_eq!(
            kind_of(&json!({"type": ["integer", "array"]})),
            FieldKind::Json
        );
    }
}
