//! The `hookpanel` binary, run as a user runs it, on files in a temporary directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn hookpanel(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hookpanel"))
        .args(args)
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

const VALID_SALESHANDY: &str = r#"{
  "name": "Email Sent Webhook",
  "webhookUrl": "https://example.org/webhooks/email-sent",
  "webhookEvent": ["email-sent"],
  "headers": {"X-Webhook-Source": "saleshandy"}
}"#;

/// Valid, but an http:// target: a warning, no error.
const WARNING_ONLY: &str = r#"{
  "name": "Email Sent Webhook",
  "webhookUrl": "http://example.org/webhooks/email-sent",
  "webhookEvent": ["email-sent"],
  "headers": {}
}"#;

/// `webhookEvent` has a value Saleshandy does not know, and `headers` is missing.
const INVALID: &str = r#"{
  "name": "Email Sent Webhook",
  "webhookUrl": "https://example.org/webhooks/email-sent",
  "webhookEvent": ["email_sent"]
}"#;

fn validate(format: &str, files: &[&Path]) -> Output {
    let mut args = vec![
        "validate",
        "--vendor",
        "saleshandy",
        "--operation",
        "create",
        "--format",
        format,
    ];
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    hookpanel(&args)
}

#[test]
fn valid_file_exits_0_silently() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "ok.json", VALID_SALESHANDY);
    let output = validate("text", &[&file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), "");
}

#[test]
fn invalid_file_exits_1_with_pointers() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "bad.json", INVALID);
    let output = validate("text", &[&file]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let name = file.display().to_string();
    assert!(
        text.contains(&format!("{name}:/webhookEvent/0: error: ")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{name}:/headers: error: Custom headers is required."
        )),
        "{text}"
    );
    assert!(
        text.lines().all(|l| l.starts_with(&format!("{name}:"))),
        "{text}"
    );
}

#[test]
fn warnings_only_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "warn.json", WARNING_ONLY);
    let output = validate("text", &[&file]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains(":/webhookUrl: warning: "), "{text}");
    assert!(!text.contains(": error: "), "{text}");
}

#[test]
fn one_bad_file_among_good_ones_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "ok.json", VALID_SALESHANDY);
    let bad = write(dir.path(), "bad.json", INVALID);
    let warn = write(dir.path(), "warn.json", WARNING_ONLY);
    let output = validate("text", &[&good, &bad, &warn]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("warn.json:/webhookUrl: warning:"));
}

#[test]
fn not_json_exits_2_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "broken.json", "{\n  \"name\": \"x\",\n}\n");
    let good = write(dir.path(), "ok.json", VALID_SALESHANDY);
    let output = validate("text", &[&file, &good]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("broken.json"), "{err}");
    assert!(err.contains("line 3, column 1"), "{err}");
}

#[test]
fn unreadable_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    let bad = write(dir.path(), "bad.json", INVALID);
    // A missing file outranks a file with errors.
    let output = validate("text", &[&bad, &missing]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("missing.json") && err.contains("cannot read"),
        "{err}"
    );
}

#[test]
fn json_format_is_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.json", INVALID);
    let warn = write(dir.path(), "warn.json", WARNING_ONLY);
    let output = validate("json", &[&bad, &warn]);
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() >= 3, "{lines:?}");
    for line in &lines {
        for key in ["file", "pointer", "severity", "message", "keyword"] {
            assert!(line[key].is_string(), "{key} in {line}");
        }
    }
    assert!(lines.iter().any(|l| l["pointer"] == "/headers"
        && l["severity"] == "error"
        && l["keyword"] == "required"));
    assert!(lines.iter().any(|l| l["pointer"] == "/webhookUrl"
        && l["severity"] == "warning"
        && l["keyword"] == "lint:http-target"
        && l["file"] == warn.display().to_string()));
}

#[test]
fn root_problems_have_an_empty_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "array.json", "[]");
    let output = validate("json", &[&file]);
    assert_eq!(output.status.code(), Some(1));
    let first: Value = serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    assert_eq!(first["pointer"], "");
}

#[test]
fn read_only_fields_warn_for_superoffice() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "so.json",
        r#"{"Name": "n", "Events": ["contact.created"], "TargetUrl": "https://e.org/h", "Type": "webhook",
            "Secret": "s", "Registered": "2024-04-18T14:34:02+02:00"}"#,
    );
    let name = file.display().to_string();
    let output = hookpanel(&[
        "validate",
        "--vendor",
        "superoffice",
        "--operation",
        "modify",
        &name,
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        format!(
            "{name}:/Registered: warning: Registered is read-only; it is dropped from the request.\n"
        )
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "ok.json", VALID_SALESHANDY);
    let name = file.display().to_string();

    let output = hookpanel(&[
        "validate",
        "--vendor",
        "nope",
        "--operation",
        "create",
        &name,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("collect, saleshandy, superoffice, kajabi"),
        "{}",
        stderr(&output)
    );

    let output = hookpanel(&[
        "validate",
        "--vendor",
        "saleshandy",
        "--operation",
        "create",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("Usage"), "{}", stderr(&output));

    let output = hookpanel(&[
        "validate",
        "--vendor",
        "saleshandy",
        "--operation",
        "create",
        "--format",
        "xml",
        &name,
    ]);
    assert_eq!(output.status.code(), Some(2));

    let output = hookpanel(&[]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn operation_the_vendor_lacks_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "ok.json", VALID_SALESHANDY);
    let output = hookpanel(&[
        "validate",
        "--vendor",
        "kajabi",
        "--operation",
        "modify",
        &file.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "hookpanel: kajabi has no modify operation; it has: create, event.\n"
    );
    assert_eq!(stdout(&output), "");
}

#[test]
fn vendors_lists_all_four_with_capabilities() {
    let output = hookpanel(&["vendors"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    for vendor in [
        "collect (Collect)",
        "saleshandy (Saleshandy)",
        "superoffice (SuperOffice)",
        "kajabi (Kajabi)",
    ] {
        assert!(text.contains(vendor), "{vendor} missing:\n{text}");
    }
    assert!(text.contains("schemas:  create, modify, event"));
    assert!(text.contains("schemas:  create, event"));
    assert!(
        text.contains("  modify    emulated: Kajabi cannot change a hook"),
        "{text}"
    );
    assert!(
        text.contains("  delete    absent: Saleshandy's API cannot delete a webhook"),
        "{text}"
    );
    assert!(text.contains("  create    native"));
}

/// Issue 11: the CLI read `/dev/zero` until memory ran out. An input over 1 MiB is refused after
/// 1 MiB, from a file or from standard input, with exit 2 and a sentence naming the limit.
#[test]
fn an_input_over_a_mebibyte_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let big = format!(
        "{{\"name\": \"{}\", \"webhookUrl\": \"https://example.org/h\", \"webhookEvent\": [\"email-sent\"], \"headers\": {{}}}}",
        "x".repeat(1 << 20)
    );
    let path = write(dir.path(), "big.json", &big);
    let output = validate("text", &[&path]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(
        err.contains("big.json") && err.contains("larger than 1 MiB"),
        "{err}"
    );

    let zero = std::fs::File::open("/dev/zero").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_hookpanel"))
        .args([
            "validate",
            "--vendor",
            "collect",
            "--operation",
            "create",
            "-",
        ])
        .stdin(zero)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("larger than 1 MiB"),
        "{}",
        stderr(&output)
    );

    // Just under the limit is read and checked as usual.
    let under = VALID_SALESHANDY.replace("Email Sent Webhook", &"y".repeat((1 << 20) - 400));
    let path = write(dir.path(), "under.json", &under);
    assert_eq!(validate("text", &[&path]).status.code(), Some(0));
}
