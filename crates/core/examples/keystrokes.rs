//! A keystroke's checks, run `n` times, for counting instructions (PERFORMANCE.md):
//!
//! ```sh
//! cargo build --release -p hookpanel-core --example keystrokes
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/keystrokes superoffice all-fields 200 form
//! ```
//!
//! Arguments: a vendor, one of its create fixtures (`schemas/<vendor>/fixtures/create/<name>.json`,
//! or the path of a file shaped like one),
//! how many keystrokes, and `form` (the draft parsed already: `validate`), `text` (the raw
//! editor's path: `validate_text` on the draft pretty-printed, each time parsed into the last
//! draft) or `fresh` (the same text parsed into a new value, as a pasted draft is). The same
//! call runs once before the loop, so runs with `n` = 0 and `n` = 200 differ by 200 keystrokes:
//! their difference in instructions over 200 is one keystroke's, whatever the machine's load.

use std::process::ExitCode;

use hookpanel_core::{Operation, VendorId};

fn main() -> ExitCode {
    match run() {
        Ok(problems) => {
            println!("{problems}");
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("keystrokes: {why}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<usize, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [vendor, fixture, n, mode] = args.as_slice() else {
        return Err("usage: keystrokes <vendor> <create fixture> <n> form|text|fresh".into());
    };
    let vendor = VendorId::parse(vendor).ok_or(format!("no vendor named {vendor:?}"))?;
    let n: usize = n.parse().map_err(|e| format!("n: {e}"))?;
    // A fixture's name, or the path of a file shaped like one (`{"instance": ...}`).
    let path = if fixture.contains('/') {
        fixture.clone()
    } else {
        format!(
            "{}/../../schemas/{}/fixtures/create/{fixture}.json",
            env!("CARGO_MANIFEST_DIR"),
            vendor.as_str()
        )
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let wrapper: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let draft = wrapper
        .get("instance")
        .ok_or(format!("{path} has no instance"))?;
    let text = serde_json::to_string_pretty(draft).map_err(|e| e.to_string())?;
    let keystroke = || match mode.as_str() {
        "text" => Ok(hookpanel_core::validate_text(
            vendor,
            Operation::Create,
            std::hint::black_box(&text),
        )),
        "fresh" => Ok(hookpanel_core::validate_text_into(
            vendor,
            Operation::Create,
            std::hint::black_box(&text),
            &mut serde_json::Value::Null,
        )),
        "form" => Ok(hookpanel_core::validate(
            vendor,
            Operation::Create,
            std::hint::black_box(draft),
        )),
        other => Err(format!("no mode {other:?}: form, text or fresh")),
    };
    let mut problems = keystroke()?.len();
    for _ in 0..n {
        problems += keystroke()?.len();
    }
    Ok(problems)
}
