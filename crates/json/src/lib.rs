//! Hookpanel's parse of a draft's text into serde_json's `Value`: fresh ([`parse`]) or into the
//! value its last text parsed to ([`parse_into`]). Every JSON text that core, the editor and the
//! CLI read into a `Value` (drafts, vendors' answers, schemas, workspace files) goes through here,
//! so the page's screens have one copy of serde_json's parser, and it is its own crate so that
//! copy is built at opt-level 3 (Cargo.toml) while hookpanel-core, which calls it, is built for
//! size. (The device's stored values, read into their types before the first screen, and a
//! delivery's raw bytes keep serde_json's typed parses.)
//!
//! A keystroke in the raw view changes one character of a text that was parsed a moment ago. A
//! fresh parse builds the whole draft again: a `String` allocated per key and string, each key
//! hashed into its object's map (serde_json's `IndexMap`, `preserve_order`), the maps grown as
//! they fill, and the old draft freed. [`parse_into`] reads the text with serde_json's own parser
//! (every byte checked, its errors unchanged) but writes each value over the one at the same place
//! in the last draft: a key that is the one the object had at that position is compared, not
//! hashed and inserted; a string is copied into the old string's buffer. Only what changed
//! allocates (PERFORMANCE.md: half of the instructions from text to verdict went).
//!
//! The result is the value a fresh parse gives, key order included: an object's keys are matched
//! by position for as long as they come in the old order, and from the first key that does not,
//! the rest of the object is built the way a fresh parse builds it (truncated there and inserted
//! into, so a repeated key keeps its first place and takes its last value).

use std::mem;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses `text` into a new value: what `serde_json::from_str::<Value>` gives.
pub fn parse(text: &str) -> Result<Value, serde_json::Error> {
    let mut value = Value::Null;
    parse_into(text, &mut value)?;
    Ok(value)
}

/// Parses `text` into `into`, reusing what `into` holds. On success `into` is exactly what
/// [`parse`] (and serde_json's own `from_str`) returns for `text`; on an error, which is the one
/// they give, `into` holds part of the text's value and should be parsed into again, not used.
pub fn parse_into(text: &str, into: &mut Value) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    Slot(into).deserialize(&mut de)?;
    de.end()
}

/// A place in the last draft that the value read next is written over.
struct Slot<'v>(&'v mut Value);

impl<'de> DeserializeSeed<'de> for Slot<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Slot<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        *self.0 = Value::Bool(v);
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        *self.0 = Value::Number(v.into());
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        *self.0 = Value::Number(v.into());
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        // As serde_json's own `Value` does: a float JSON cannot hold reads as null.
        *self.0 = Number::from_f64(v).map_or(Value::Null, Value::Number);
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        match self.0 {
            Value::String(s) => {
                s.clear();
                s.push_str(v);
            }
            other => *other = Value::String(v.to_owned()),
        }
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        *self.0 = Value::Null;
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // Taken out and put back (a move, no allocation), so an error leaves null behind.
        let mut items = match mem::take(self.0) {
            Value::Array(items) => items,
            _ => Vec::new(),
        };
        let mut read = 0;
        loop {
            if read < items.len() {
                if seq.next_element_seed(Slot(&mut items[read]))?.is_none() {
                    items.truncate(read);
                    break;
                }
            } else {
                let mut item = Value::Null;
                if seq.next_element_seed(Slot(&mut item))?.is_none() {
                    break;
                }
                items.push(item);
            }
            read += 1;
        }
        *self.0 = Value::Array(items);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<(), A::Error> {
        let mut map = match mem::take(self.0) {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        // The keys that come in the old order are matched by position.
        let mut matched = 0;
        let mut first_new = None;
        let mut ended = false;
        for (key, value) in map.iter_mut() {
            match access.next_key_seed(Name(key))? {
                None => {
                    ended = true;
                    break;
                }
                Some(Named::Same) => {
                    access.next_value_seed(Slot(value))?;
                    matched += 1;
                }
                Some(Named::Other(key)) => {
                    first_new = Some(key);
                    break;
                }
            }
        }
        if matched < map.len() {
            let mut kept = 0;
            map.retain(|_, _| {
                kept += 1;
                kept <= matched
            });
        }
        // From the first key out of order on, the object is built as a fresh parse builds it.
        if !ended {
            let mut next = match first_new {
                Some(key) => Some(key),
                None => access.next_key::<String>()?,
            };
            while let Some(key) = next {
                let mut value = Value::Null;
                access.next_value_seed(Slot(&mut value))?;
                map.insert(key, value);
                next = access.next_key::<String>()?;
            }
        }
        *self.0 = Value::Object(map);
        Ok(())
    }
}

/// The key expected at this position of an object: the one the last draft had there.
struct Name<'k>(&'k str);

enum Named {
    Same,
    Other(String),
}

impl<'de> DeserializeSeed<'de> for Name<'_> {
    type Value = Named;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Named, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Name<'_> {
    type Value = Named;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E>(self, v: &str) -> Result<Named, E> {
        Ok(if v == self.0 {
            Named::Same
        } else {
            Named::Other(v.to_owned())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde_json's own parse, which ours must match.
    fn reference(text: &str) -> Result<Value, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Each text parsed into the value of each other (and into null): always what a fresh parse
    /// gives, with its keys in the same order.
    #[test]
    fn gives_what_a_fresh_parse_gives_whatever_was_there() {
        let texts = [
            r#"{"a": 1, "b": {"c": "x", "d": [1, 2, 3]}, "e": null}"#,
            r#"{"a": 1, "b": {"c": "longer than before", "d": [1]}, "e": null, "f": true}"#,
            r#"{"b": {"d": [], "c": "x"}, "a": 2}"#,
            r#"{"a": 1}"#,
            r#"{"a": 1, "a": 2, "b": 3}"#,
            r#"{"a": 1, "b": 3, "a": 2}"#,
            r#"{"x\"y": "esc\u00e9aped", "a": [{"k": 1}, {"k": 2}, "s"]}"#,
            r#"[1, -2, 3.5, 1e300, "s", [true, false], {"a": {}}]"#,
            r#"[]"#,
            r#""just a string""#,
            r#"{}"#,
            "18446744073709551615",
        ];
        for before in &texts {
            for text in &texts {
                let mut into = reference(before).unwrap();
                parse_into(text, &mut into).unwrap();
                let fresh = reference(text).unwrap();
                assert_eq!(into, fresh, "{before} then {text}");
                assert_eq!(
                    serde_json::to_string(&into).unwrap(),
                    serde_json::to_string(&fresh).unwrap(),
                    "key order, {before} then {text}"
                );
            }
            assert_eq!(
                serde_json::to_string(&parse(before).unwrap()).unwrap(),
                serde_json::to_string(&reference(before).unwrap()).unwrap()
            );
        }
    }

    #[test]
    fn fails_as_a_fresh_parse_fails() {
        let before = r#"{"a": 1, "b": [1, 2]}"#;
        for text in [
            r#"{"a": 1, "b": [1, 2}"#,
            r#"{"a": 1, "b": [1, 2]} x"#,
            r#"{"a": 1,, "b": [1, 2]}"#,
            r#"{"a" 1}"#,
            "",
            r#"{"a": 1e999}"#,
            &"[".repeat(200),
        ] {
            let mut into = reference(before).unwrap();
            let ours = parse_into(text, &mut into).unwrap_err();
            let theirs = reference(text).unwrap_err();
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
            assert_eq!(parse(text).unwrap_err().to_string(), theirs.to_string());
            // What is left holds together and parses again.
            parse_into(before, &mut into).unwrap();
            assert_eq!(into, reference(before).unwrap());
        }
    }
}
