//! `hookpanel plan` and `hookpanel validate --workspace`, run as a user runs them, on workspace
//! files in a temporary directory. The plan printed is core's (`sync::plan_text`,
//! `sync::plan_rows_json`): the page prints the same.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hookpanel_core::sync;
use serde_json::{Value, json};

fn hookpanel(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hookpanel"))
        .args(args)
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn kajabi_hook(id: &str, event: &str, target: &str) -> Value {
    json!({"id": id, "state": "active", "secrets": [], "draft": {"data": {
        "type": "hooks",
        "attributes": {"event": event, "target_url": target},
        "relationships": {"site": {"data": {"id": "456", "type": "sites"}}}
    }}})
}

/// An export of two connections, as the page writes it.
fn live() -> Value {
    json!({
        "format": "hookpanel-workspace", "version": 1, "exported_at": "2026-12-02T10:00:00Z",
        "connections": [
            {"id": "kj", "vendor": "kajabi", "name": "Main site", "base_url": "https://api.kajabi.com/v1",
             "subscriptions": [
                kajabi_hook("123", "purchase", "https://hooks.example.com/k"),
                kajabi_hook("124", "tag_added", "https://hooks.example.com/t"),
                kajabi_hook("125", "tag_removed", "https://hooks.example.com/t"),
             ]},
            {"id": "co", "vendor": "collect", "name": "Collect", "base_url": "https://api.usecollect.com/v1",
             "subscriptions": [
                {"id": "65f0", "state": "active", "secrets": ["/secretToken"],
                 "draft": {"targetUrl": "https://hooks.example.com/c", "types": ["created"]}}
             ]}
        ]
    })
}

/// The export edited: Kajabi's 123 moved, 124 paused, 125 left out; a Collect webhook added.
fn desired() -> Value {
    let mut file = live();
    let kajabi = &mut file["connections"][0]["subscriptions"];
    kajabi[0]["draft"]["data"]["attributes"]["target_url"] = json!("https://new.example.com/k");
    kajabi[1]["state"] = json!("paused");
    kajabi.as_array_mut().unwrap().remove(2);
    file["connections"][1]["subscriptions"]
        .as_array_mut()
        .unwrap()
        .push(json!({"state": "active", "secrets": ["/secretToken"],
            "draft": {"targetUrl": "https://hooks.example.com/c2", "types": ["created", "docParsed"]}}));
    file
}

fn plan(dir: &Path, extra: &[&str]) -> Output {
    let desired = write(dir, "desired.json", &desired());
    let live = write(dir, "live.json", &live());
    let mut args = vec![
        "plan".to_string(),
        "--desired".into(),
        desired.display().to_string(),
        "--live".into(),
        live.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    hookpanel(&args)
}

#[test]
fn plan_prints_each_row_with_its_changes_and_requests_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let output = plan(dir.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let modify = "Kajabi cannot change a hook: Hookpanel deletes it and creates a new one, which gets a new id.";
    for line in [
        "connection kj (kajabi, “Main site”, https://api.kajabi.com/v1): 1 modify, 1 pause, 1 kept",
        "  modify    https://new.example.com/k · purchase (id 123)",
        "    /data/attributes/target_url: \"https://hooks.example.com/k\" → \"https://new.example.com/k\"",
        &format!("    POST https://api.kajabi.com/v1/hooks (emulated: {modify})"),
        &format!("    DELETE https://api.kajabi.com/v1/hooks/123 (emulated: {modify})"),
        "  pause     https://hooks.example.com/t · tag_added (id 124)",
        "  kept      https://hooks.example.com/t · tag_removed (id 125)",
        "connection co (collect, “Collect”, https://api.usecollect.com/v1): 1 unchanged, 1 create",
        "    POST https://api.usecollect.com/v1/webhooks",
        "    missing secrets: /secretToken",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "no line {line:?} in\n{text}"
        );
    }
    let post = text.find("POST https://api.kajabi.com").unwrap();
    let delete = text
        .find("DELETE https://api.kajabi.com/v1/hooks/123")
        .unwrap();
    assert!(
        post < delete,
        "the new hook is created before the old one goes"
    );
    // No credentials: no auth header is printed.
    assert!(!text.contains("Authorization") && !text.contains("placeholder"));
}

#[test]
fn plan_deletes_only_with_delete_missing() {
    let dir = tempfile::tempdir().unwrap();
    let text = stdout(&plan(dir.path(), &["--delete-missing"]));
    assert!(
        text.contains("  delete    https://hooks.example.com/t · tag_removed (id 125)\n    DELETE https://api.kajabi.com/v1/hooks/125\n"),
        "{text}"
    );
}

#[test]
fn plan_json_is_one_object_per_row_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let output = plan(dir.path(), &["--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let rows: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["connection"].as_str().unwrap(),
                r["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("kj", "modify"),
            ("kj", "pause"),
            ("kj", "kept"),
            ("co", "unchanged"),
            ("co", "create")
        ]
    );
    let methods: Vec<&str> = rows[0]["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["POST", "DELETE"]);
    assert!(rows[0]["requests"][0]["emulated"].is_string());
    assert_eq!(
        rows[0]["changes"][0]["pointer"],
        "/data/attributes/target_url"
    );
    assert_eq!(rows[4]["missing_secrets"], json!(["/secretToken"]));
}

#[test]
fn the_cli_prints_the_plan_core_computes() {
    let dir = tempfile::tempdir().unwrap();
    let text = stdout(&plan(dir.path(), &[]));
    let desired = sync::read_file(&desired().to_string()).unwrap();
    let live = sync::read_file(&live().to_string()).unwrap();
    let plans = sync::plan_workspace(&desired, &live, &sync::PlanOptions::default()).unwrap();
    let expected: Vec<String> = plans.iter().map(sync::plan_text).collect();
    assert_eq!(text, expected.join("\n"));
    let json = stdout(&plan(dir.path(), &["--format", "json"]));
    let expected: Vec<String> = plans
        .iter()
        .flat_map(sync::plan_rows_json)
        .map(|row| format!("{row}\n"))
        .collect();
    assert_eq!(json, expected.concat());
}

#[test]
fn a_plan_of_the_same_file_says_no_changes() {
    let dir = tempfile::tempdir().unwrap();
    let live = write(dir.path(), "live.json", &live());
    let path = live.display().to_string();
    let output = hookpanel(&["plan", "--desired", &path, "--live", &path, "--exit-code"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output).matches("  no changes\n").count(), 2);
    let changed = plan(dir.path(), &["--exit-code"]);
    assert_eq!(changed.status.code(), Some(1));
}

#[test]
fn plan_refuses_a_file_that_fails_its_schema_with_exit_2_and_pointers() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad = desired();
    bad["connections"][0]["vendor"] = json!("nosuchvendor"); // no vendor, even with fifth-vendor's Acme
    bad["connections"][1]["subscriptions"][1]["draft"]["types"] = json!(["nope"]);
    let bad = write(dir.path(), "bad.json", &bad);
    let live = write(dir.path(), "live.json", &live());
    let output = hookpanel(&[
        "plan",
        "--desired",
        &bad.display().to_string(),
        "--live",
        &live.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "", "nothing planned");
    let err = stderr(&output);
    let name = bad.display().to_string();
    assert!(
        err.contains(&format!(
            "{name}:/connections/0/vendor: error: “nosuchvendor” is not a vendor Hookpanel knows"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{name}:/connections/1/subscriptions/1/draft/types/0: error:"
        )),
        "{err}"
    );
    let missing = hookpanel(&[
        "plan",
        "--desired",
        &dir.path().join("nothing.json").display().to_string(),
        "--live",
        &live.display().to_string(),
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("cannot read the file"));
}

#[test]
fn validate_workspace_passes_an_export_and_finds_problems_at_pointers() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.json", &live());
    let output = hookpanel(&["validate", "--workspace", &good.display().to_string()]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(
        stdout(&output),
        "",
        "an export's left-out secrets are not warned of"
    );

    let mut bad = live();
    bad["connections"][1]["id"] = json!("kj");
    bad["connections"][1]["subscriptions"][0]["draft"]
        .as_object_mut()
        .unwrap()
        .remove("targetUrl");
    let bad = write(dir.path(), "bad.json", &bad);
    let name = bad.display().to_string();
    let output = hookpanel(&[
        "validate",
        "--workspace",
        &good.display().to_string(),
        &name,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output),
        format!(
            "{name}:/connections/1/id: error: Another connection of the file has the id “kj”; each needs its own.\n\
             {name}:/connections/1/subscriptions/0/draft/targetUrl: error: Target URL is required.\n"
        )
    );
    let json = hookpanel(&["validate", "--workspace", "--format", "json", &name]);
    let lines: Vec<Value> = stdout(&json)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines[1]["pointer"],
        "/connections/1/subscriptions/0/draft/targetUrl"
    );
    assert_eq!(lines[1]["keyword"], "required");
}

#[test]
fn validate_workspace_exits_2_on_a_file_that_is_not_json_and_needs_no_vendor() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    std::fs::write(&path, "{\"format\": ").unwrap();
    let output = hookpanel(&["validate", "--workspace", &path.display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("line 1"), "{}", stderr(&output));
    // --workspace is its own mode: a vendor or operation with it is a wrong command line.
    let output = hookpanel(&[
        "validate",
        "--workspace",
        "--vendor",
        "kajabi",
        &path.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    // Without it, drafts still need both.
    let output = hookpanel(&[
        "validate",
        "--vendor",
        "kajabi",
        &path.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--operation"));
}
