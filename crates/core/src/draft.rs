//! Editing a draft by JSON Pointer: what the form does when a field changes. Setting a field to
//! nothing removes it, so an optional field left empty is not sent as `""`.

use serde_json::{Map, Value};

/// Up to how many fields an object's are compared by name rather than looked up by hash.
pub(crate) const SCANNED_FIELDS: usize = 16;

/// The field `name` of an object. A webhook's object has a dozen fields: comparing their names
/// costs less than hashing the one wanted (serde_json's map hashes with SipHash), so a small
/// object is searched by name and only a larger one looked up by hash.
pub(crate) fn field<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    if object.len() <= SCANNED_FIELDS {
        object
            .iter()
            .find(|(key, _)| key.as_str() == name)
            .map(|(_, value)| value)
    } else {
        object.get(name)
    }
}

/// Parses a JSON text: a draft, a vendor's answer, a schema, a workspace file. Every parse of a
/// text into a `Value` goes through here or [`parse_into`], and so through hookpanel-json,
/// compiled once at opt-level 3 (Cargo.toml): `serde_json::from_str::<Value>` is generic, and each
/// crate calling it compiled a copy at its own opt-level ("s" in core, "z" in the page's UI).
pub fn parse(text: &str) -> Result<Value, serde_json::Error> {
    hookpanel_json::parse(text)
}

/// Parses a draft's text into `into`, reusing the memory of what it holds (the last draft): what
/// the raw view and the CLI do for each text. On success `into` is what [`parse`] gives; on an
/// error (the one [`parse`] gives) it holds part of the text's value, to be parsed into again.
pub fn parse_into(text: &str, into: &mut Value) -> Result<(), serde_json::Error> {
    hookpanel_json::parse_into(text, into)
}

/// The value at a JSON Pointer, as `Value::pointer` finds it, without allocating: a token is only
/// unescaped when it holds a `~`. The lint rules look up fields this way on every keystroke.
pub fn get<'a>(draft: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(draft);
    }
    let mut rest = pointer.strip_prefix('/')?;
    let mut node = draft;
    loop {
        // Split by hand: `str::split` and `contains` set up a searcher per call, which cost as
        // much as the lookup itself on the short pointers the lint rules follow per keystroke.
        let (token, next) = match rest.bytes().position(|b| b == b'/') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let token: std::borrow::Cow<'_, str> = if token.bytes().any(|b| b == b'~') {
            token.replace("~1", "/").replace("~0", "~").into()
        } else {
            token.into()
        };
        node = match node {
            Value::Object(map) => field(map, &token)?,
            Value::Array(items) => items.get(index(&token)?)?,
            _ => return None,
        };
        match next {
            Some(next) => rest = next,
            None => return Some(node),
        }
    }
}

/// A JSON Pointer token as a list index, as RFC 6901 says: digits, no leading zero (bar "0").
fn index(token: &str) -> Option<usize> {
    if token.is_empty()
        || (token.len() > 1 && token.starts_with('0'))
        || !token.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    token.parse().ok()
}

/// Sets the value at `pointer`, creating objects on the way; `None` removes it (and any object
/// left empty on the way, so the draft does not fill with `{}`). An index into a list sets or
/// removes that item, or adds one at the list's end; an index past the end changes nothing. Any
/// other value on the way, a list given a name, is replaced by an object: the field set wins.
pub fn set(draft: &mut Value, pointer: &str, value: Option<Value>) {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    if tokens.is_empty() {
        *draft = value.unwrap_or_else(|| Value::Object(Map::new()));
        return;
    }
    set_in(draft, &tokens, value);
}

fn set_in(node: &mut Value, tokens: &[String], value: Option<Value>) {
    if let Value::Array(list) = node
        && let Some(i) = index(&tokens[0])
    {
        match (i.cmp(&list.len()), &tokens[1..], value) {
            (std::cmp::Ordering::Less, [], Some(v)) => list[i] = v,
            (std::cmp::Ordering::Less, [], None) => {
                list.remove(i);
            }
            (std::cmp::Ordering::Less, rest, value) => set_in(&mut list[i], rest, value),
            (std::cmp::Ordering::Equal, [], Some(v)) => list.push(v),
            _ => {}
        }
        return;
    }
    if !node.is_object() {
        if value.is_none() {
            return;
        }
        *node = Value::Object(Map::new());
    }
    let Some(map) = node.as_object_mut() else {
        return;
    };
    let (head, rest) = (&tokens[0], &tokens[1..]);
    if rest.is_empty() {
        match value {
            Some(v) => {
                map.insert(head.clone(), v);
            }
            None => {
                map.remove(head);
            }
        }
        return;
    }
    let removing = value.is_none();
    let child = map
        .entry(head.clone())
        .or_insert_with(|| Value::Object(Map::new()));
    set_in(child, rest, value);
    if removing && child.as_object().is_some_and(Map::is_empty) {
        map.remove(head);
    }
}

/// Whether the list at `pointer` holds the string `name`: a multiple-choice field's box, ticked.
/// Read in place, without copying the list (a SuperOffice draft can hold thousands of names).
pub fn holds(draft: &Value, pointer: &str, name: &str) -> bool {
    get(draft, pointer)
        .and_then(Value::as_array)
        .is_some_and(|items| items.iter().any(|v| v.as_str() == Some(name)))
}

/// The list `value` with `name` ticked (`on`: put at the end) or unticked (taken out), whatever
/// else it holds (names typed, a value the raw view put there) kept in its place; `None` when
/// nothing is left, which leaves the field out. A value that is not a list is replaced.
pub fn with_name(value: Option<Value>, name: &str, on: bool) -> Option<Value> {
    let mut items = match value {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    items.retain(|v| v.as_str() != Some(name));
    if on {
        items.push(Value::String(name.to_string()));
    }
    (!items.is_empty()).then_some(Value::Array(items))
}

/// The strings in the list at `pointer`, skipping anything else.
pub fn strings_at(draft: &Value, pointer: &str) -> Vec<String> {
    draft
        .pointer(pointer)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The 1-based line where the value at `pointer` starts in `text`, when `text` is the draft as
/// pretty-printed by `serde_json::to_string_pretty`: how the raw editor places a problem.
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    lines_of(text, &[pointer]).pop().flatten()
}

/// [`line_of`] for many pointers at once, with one parse of the text and one walk of the draft
/// however many there are: 10,000 problems placed one parse each took a minute (issue 11).
pub fn lines_of(text: &str, pointers: &[&str]) -> Vec<Option<usize>> {
    match parse(text) {
        Ok(value) => lines_in(&value, pointers),
        Err(_) => vec![None; pointers.len()],
    }
}

/// The 1-based line where each of `pointers` starts in `value` pretty-printed (as
/// `serde_json::to_string_pretty` lays it out), in one walk and without printing it: the raw
/// view places its problems on the draft it has already parsed.
pub fn lines_in(value: &Value, pointers: &[&str]) -> Vec<Option<usize>> {
    let mut found = vec![None; pointers.len()];
    let mut wanted: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::with_capacity(pointers.len());
    for (i, pointer) in pointers.iter().enumerate() {
        wanted.entry(pointer).or_default().push(i);
    }
    let mut walker = LineWalk {
        line: 1,
        at: String::new(),
        wanted,
        found: &mut found,
    };
    walker.walk(value);
    found
}

/// Counts lines the way `to_string_pretty` lays a value out, noting where each wanted pointer
/// starts. The pointer of the node being visited is built in one buffer, grown and cut back.
struct LineWalk<'a, 'p> {
    line: usize,
    at: String,
    wanted: std::collections::HashMap<&'p str, Vec<usize>>,
    found: &'a mut [Option<usize>],
}

impl LineWalk<'_, '_> {
    fn walk(&mut self, value: &Value) {
        if let Some(indices) = self.wanted.remove(self.at.as_str()) {
            for i in indices {
                self.found[i] = Some(self.line);
            }
        }
        if self.wanted.is_empty() {
            return;
        }
        let end = self.at.len();
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (key, child) in map {
                    self.line += 1;
                    self.at.push('/');
                    if key.contains(['~', '/']) {
                        self.at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    } else {
                        self.at.push_str(key);
                    }
                    self.walk(child);
                    self.at.truncate(end);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for (i, child) in items.iter().enumerate() {
                    self.line += 1;
                    use std::fmt::Write;
                    let _ = write!(self.at, "/{i}");
                    self.walk(child);
                    self.at.truncate(end);
                }
            }
            _ => return,
        }
        // The closing bracket.
        self.line += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_name_ticked_or_unticked_leaves_the_rest_of_the_list_in_place() {
        let list = json!(["y_table.created", 7, "contact.created", "list.110.created"]);
        let draft = json!({ "Events": list.clone() });
        assert!(holds(&draft, "/Events", "contact.created"));
        assert!(!holds(&draft, "/Events", "sale.sold"));
        assert!(!holds(
            &json!({"Events": "contact.created"}),
            "/Events",
            "contact.created"
        ));
        assert_eq!(
            with_name(Some(list.clone()), "contact.created", false),
            Some(json!(["y_table.created", 7, "list.110.created"]))
        );
        assert_eq!(
            with_name(Some(list), "sale.sold", true),
            Some(json!([
                "y_table.created",
                7,
                "contact.created",
                "list.110.created",
                "sale.sold"
            ]))
        );
        // Ticked twice, it is there once; the last name unticked leaves the field out.
        assert_eq!(
            with_name(Some(json!(["sale.sold"])), "sale.sold", true),
            Some(json!(["sale.sold"]))
        );
        assert_eq!(
            with_name(Some(json!(["sale.sold"])), "sale.sold", false),
            None
        );
        assert_eq!(
            with_name(Some(json!("typed")), "sale.sold", true),
            Some(json!(["sale.sold"]))
        );
        assert_eq!(with_name(None, "sale.sold", false), None);
    }

    #[test]
    fn get_finds_fields_in_small_and_large_objects_alike() {
        // Up to SCANNED_FIELDS the names are compared, beyond that the map is hashed.
        for fields in [1, SCANNED_FIELDS, SCANNED_FIELDS + 1, 40] {
            let mut object = Map::new();
            for i in 0..fields {
                object.insert(format!("f{i}"), json!({ "a/b": [i] }));
            }
            let draft = Value::Object(object);
            for i in 0..fields {
                assert_eq!(get(&draft, &format!("/f{i}/a~1b/0")), Some(&json!(i)));
                assert_eq!(
                    get(&draft, &format!("/f{i}")),
                    draft.pointer(&format!("/f{i}"))
                );
            }
            assert_eq!(get(&draft, &format!("/f{fields}")), None);
            assert_eq!(get(&draft, "/f0/a/b"), None);
        }
    }

    #[test]
    fn set_creates_and_removes_nested_fields() {
        let mut d = json!({});
        set(
            &mut d,
            "/data/attributes/target_url",
            Some(json!("https://x")),
        );
        assert_eq!(
            d,
            json!({"data": {"attributes": {"target_url": "https://x"}}})
        );
        set(&mut d, "/data/attributes/target_url", None);
        assert_eq!(d, json!({}));
    }

    #[test]
    fn set_keeps_siblings() {
        let mut d = json!({"a": 1, "b": {"c": 2, "d": 3}});
        set(&mut d, "/b/c", None);
        assert_eq!(d, json!({"a": 1, "b": {"d": 3}}));
    }

    #[test]
    fn set_goes_into_lists_by_index_and_keeps_them_lists() {
        let mut d = json!({"keys": [{"value": "a", "n": 1}, {"value": "b"}], "tags": ["x"]});
        set(&mut d, "/keys/1/value", Some(json!("")));
        set(&mut d, "/keys/0/value", None);
        set(&mut d, "/tags/0", Some(json!("y")));
        set(&mut d, "/tags/1", Some(json!("z")));
        assert_eq!(
            d,
            json!({"keys": [{"n": 1}, {"value": ""}], "tags": ["y", "z"]})
        );
        // Past the end: the list stays as it was.
        for pointer in ["/tags/5", "/tags/9/deep", "/keys/2/value"] {
            let before = d.clone();
            set(&mut d, pointer, Some(json!("w")));
            assert_eq!(d, before, "{pointer}");
        }
        set(&mut d, "/tags/0", None);
        assert_eq!(d["tags"], json!(["z"]));
    }

    #[test]
    fn set_escaped_tokens() {
        let mut d = json!({});
        set(&mut d, "/headers/X~1Y~0Z", Some(json!("v")));
        assert_eq!(d, json!({"headers": {"X/Y~Z": "v"}}));
    }

    #[test]
    fn line_of_matches_pretty_layout() {
        let v = json!({"targetUrl": "x", "types": ["a", "b"], "z": {"k": 1}});
        let text = serde_json::to_string_pretty(&v).unwrap();
        for (pointer, expected) in [
            ("", 1),
            ("/targetUrl", 2),
            ("/types", 3),
            ("/types/1", 5),
            ("/z", 7),
            ("/z/k", 8),
        ] {
            let want = text.lines().position(|l| {
                let t = l.trim_start();
                match pointer {
                    "" => t == "{",
                    "/targetUrl" => t.starts_with("\"targetUrl\""),
                    "/types" => t.starts_with("\"types\""),
                    "/types/1" => t.starts_with("\"b\""),
                    "/z" => t.starts_with("\"z\""),
                    _ => t.starts_with("\"k\""),
                }
            });
            assert_eq!(line_of(&text, pointer), Some(expected), "{pointer}");
            assert_eq!(want.map(|i| i + 1), Some(expected), "{pointer} layout");
        }
        assert_eq!(line_of(&text, "/missing"), None);
        assert_eq!(
            lines_of(&text, &["/z/k", "/missing", "", "/types/1", "/z/k"]),
            [Some(8), None, Some(1), Some(5), Some(8)]
        );
    }
}
