//! `parse_into` against serde_json's own parse, on texts written to trip it: keys from a handful
//! of names, so that one text's object holds another's keys in another order, with some missing,
//! some added and some repeated (a repeat keeps its first place and takes its last value).

use hookpanel_json::{parse, parse_into};
use proptest::prelude::*;
use serde_json::Value;

/// A JSON text's tree, with objects as lists of members so a name can come twice.
#[derive(Clone, Debug)]
enum Tree {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Array(Vec<Tree>),
    Object(Vec<(String, Tree)>),
}

impl Tree {
    fn write(&self, out: &mut String) {
        match self {
            Tree::Null => out.push_str("null"),
            Tree::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Tree::Int(i) => out.push_str(&i.to_string()),
            Tree::Float(f) => out.push_str(&serde_json::to_string(f).unwrap()),
            Tree::Str(s) => out.push_str(&serde_json::to_string(s).unwrap()),
            Tree::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Tree::Object(members) => {
                out.push_str("{\n");
                for (i, (name, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(",\n");
                    }
                    out.push_str(&serde_json::to_string(name).unwrap());
                    out.push_str(": ");
                    value.write(out);
                }
                out.push_str("\n}");
            }
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }
}

fn tree() -> impl Strategy<Value = Tree> {
    let name = prop::sample::select(vec!["a", "b", "c", "d", "target_url", "é", "q\"u/o~te"])
        .prop_map(str::to_string);
    let string = prop::sample::select(vec![
        "",
        "x",
        "https://hooks.example.com/a",
        "\\\n\u{1F600}",
    ])
    .prop_map(str::to_string);
    let leaf = prop_oneof![
        Just(Tree::Null),
        any::<bool>().prop_map(Tree::Bool),
        any::<i64>().prop_map(Tree::Int),
        (-1e6f64..1e6).prop_map(Tree::Float),
        string.prop_map(Tree::Str),
    ];
    leaf.prop_recursive(4, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Tree::Array),
            prop::collection::vec((name.clone(), inner), 0..7).prop_map(Tree::Object),
        ]
    })
}

/// What serde_json's own parse gives, written out (so key order counts).
fn reference(text: &str) -> String {
    serde_json::to_string(&serde_json::from_str::<Value>(text).unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn each_text_parsed_into_the_last_gives_a_fresh_parse(
        texts in prop::collection::vec(tree().prop_map(|t| t.text()), 1..5)
    ) {
        let mut into = Value::Null;
        for text in &texts {
            parse_into(text, &mut into).unwrap();
            prop_assert_eq!(serde_json::to_string(&into).unwrap(), reference(text));
            prop_assert_eq!(serde_json::to_string(&parse(text).unwrap()).unwrap(), reference(text));
        }
    }

    #[test]
    fn a_broken_text_fails_as_serde_json_fails_and_spoils_nothing_after(
        before in tree().prop_map(|t| t.text()),
        after in tree().prop_map(|t| t.text()),
        cut in any::<prop::sample::Index>(),
    ) {
        // The text cut short at a character boundary: most cuts do not parse.
        let at = cut.index(after.len() + 1);
        let Some(broken) = after.get(..at) else { return Ok(()) };
        let mut into = parse(&before).unwrap();
        match (parse_into(broken, &mut into), serde_json::from_str::<Value>(broken)) {
            (Err(ours), Err(theirs)) => prop_assert_eq!(ours.to_string(), theirs.to_string()),
            (Ok(()), Ok(theirs)) => prop_assert_eq!(
                serde_json::to_string(&into).unwrap(),
                serde_json::to_string(&theirs).unwrap()
            ),
            (ours, theirs) => {
                prop_assert!(false, "{broken:?}: ours {ours:?}, serde_json's {theirs:?}")
            }
        }
        parse_into(&after, &mut into).unwrap();
        prop_assert_eq!(serde_json::to_string(&into).unwrap(), reference(&after));
    }
}
