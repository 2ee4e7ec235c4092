//! The raw view's parse into the last draft (`hookpanel_json::parse_into`) against serde_json's
//! own parse, text after text: the input is split at its first NUL into two texts, the first
//! parsed (or failed) into a value, then the second parsed into that. Each result, and each
//! error's message, must be serde_json's, key order included.

#![no_main]

use hookpanel_json::parse_into;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (first, second) = text.split_once('\0').unwrap_or((&text, &text));
    let mut into = Value::Null;
    for text in [first, second, first] {
        let ours = parse_into(text, &mut into);
        let theirs = serde_json::from_str::<Value>(text);
        match (ours, theirs) {
            (Ok(()), Ok(theirs)) => assert_eq!(
                serde_json::to_string(&into).unwrap(),
                serde_json::to_string(&theirs).unwrap(),
                "{text:?}"
            ),
            (Err(ours), Err(theirs)) => assert_eq!(ours.to_string(), theirs.to_string()),
            (ours, theirs) => panic!("{text:?}: ours {ours:?}, serde_json's {theirs:?}"),
        }
    }
});
