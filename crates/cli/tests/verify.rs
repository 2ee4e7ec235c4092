//! `hookpanel verify`, run as a user runs it: a delivery in a file or on standard input, the
//! secret from an environment variable or a file, never from the command line.
//!
//! The SuperOffice signature was computed with OpenSSL, independently of Hookpanel:
//! `printf '%s' "$BODY" | openssl dgst -sha256 -hmac "so-signing-secret" -binary | base64`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BODY: &str = r#"{"EventId":"1f0d2a6e-58c4-4b4e-9a3d-2b7e0e1c4f10","Timestamp":"2026-12-01T10:00:00Z","Changes":["name"],"Event":"contact.changed","PrimaryKey":42,"Entity":"contact","ContextIdentifier":"Cust12345","ChangedByAssociateId":7,"WebhookName":"Sync"}"#;
const SIGNATURE: &str = "4LFLErH6ONEF8y9tHOWi63d2Z08A21qRnX9Gt750Dgk=";
const SECRET: &str = "so-signing-secret";

fn request(signature: Option<&str>, body: &str) -> String {
    let mut text = String::from(
        "POST /hooks HTTP/1.1\r\nHost: hooks.example.com\r\nContent-Type: application/json\r\nX-SuperOffice-Event: contact.changed\r\n",
    );
    if let Some(signature) = signature {
        text.push_str(&format!("X-SuperOffice-Signature: {signature}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    text
}

fn verify(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hookpanel"));
    command.arg("verify").args(args).env_remove("HOOK_SECRET");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn out(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn err(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Nothing a run prints holds the secret.
fn assert_secret_unsaid(output: &Output, secret: &str) {
    assert!(!out(output).contains(secret), "{}", out(output));
    assert!(!err(output).contains(secret), "{}", err(output));
}

#[test]
fn a_genuine_signed_delivery_passes_with_the_secret_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "delivery.http", &request(Some(SIGNATURE), BODY));
    let output = verify(
        &["--secret-env", "HOOK_SECRET", file.to_str().unwrap()],
        &[("HOOK_SECRET", SECRET)],
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        out(&output),
        err(&output)
    );
    let text = out(&output);
    assert!(
        text.contains("vendor: superoffice (told from the delivery)"),
        "{text}"
    );
    assert!(text.contains("event: contact.changed"), "{text}");
    assert!(
        text.contains("authenticity passes: The signature matches"),
        "{text}"
    );
    assert!(text.contains("the delivery passes"), "{text}");
    assert_secret_unsaid(&output, SECRET);
}

#[test]
fn a_tampered_body_or_a_wrong_secret_fails_with_1() {
    let dir = tempfile::tempdir().unwrap();
    let tampered = write(
        dir.path(),
        "tampered.http",
        &request(Some(SIGNATURE), &BODY.replace("42", "43")),
    );
    let secret = write(dir.path(), "secret", &format!("{SECRET}\n"));
    let output = verify(
        &[
            "--vendor",
            "superoffice",
            "--secret-file",
            secret.to_str().unwrap(),
            tampered.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1), "{}", out(&output));
    assert!(out(&output).contains("authenticity fails: The signature does not match"));
    assert!(out(&output).contains("vendor: superoffice (as given)"));

    let genuine = write(dir.path(), "genuine.http", &request(Some(SIGNATURE), BODY));
    let output = verify(
        &["--secret-env", "HOOK_SECRET", genuine.to_str().unwrap()],
        &[("HOOK_SECRET", "not-the-secret")],
    );
    assert_eq!(output.status.code(), Some(1), "{}", out(&output));
    assert_secret_unsaid(&output, "not-the-secret");

    // The secret file's line break is dropped: the same file checks the genuine delivery.
    let output = verify(
        &[
            "--secret-file",
            secret.to_str().unwrap(),
            genuine.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", out(&output));
}

#[test]
fn a_missing_signature_fails_and_a_body_alone_on_standard_input_is_read() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hookpanel"))
        .args(["verify", "--secret-env", "HOOK_SECRET", "-"])
        .env("HOOK_SECRET", SECRET)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(BODY.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", out(&output));
    assert!(
        out(&output).contains("The X-SuperOffice-Signature header is missing"),
        "{}",
        out(&output)
    );
}

#[test]
fn schema_problems_are_printed_at_their_pointers_and_fail() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "sh.json", r#"{"event":"email-exploded"}"#);
    let output = verify(&["--vendor", "saleshandy", file.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(1), "{}", out(&output));
    assert!(
        out(&output).contains(&format!("{}:/event: error:", file.display())),
        "{}",
        out(&output)
    );
}

#[test]
fn kajabi_passes_on_its_body_and_says_it_signs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "kajabi.json",
        r#"{"id":"abc","event":"tag_added","payload":[{"id":"1","type":"contacts","attributes":{}}]}"#,
    );
    let output = verify(&[file.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", out(&output));
    assert!(out(&output).contains("authenticity not checked: Kajabi does not sign deliveries"));
}

#[test]
fn json_format_is_one_object_with_the_whole_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "d.http", &request(Some(SIGNATURE), BODY));
    let output = verify(
        &[
            "--format",
            "json",
            "--secret-env",
            "HOOK_SECRET",
            file.to_str().unwrap(),
        ],
        &[("HOOK_SECRET", "wrong")],
    );
    assert_eq!(output.status.code(), Some(1));
    let text = out(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let v: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["vendor"], "superoffice");
    assert_eq!(v["recognised"], true);
    assert_eq!(v["event"], "contact.changed");
    assert_eq!(v["passed"], false);
    assert_eq!(v["authenticity"]["verdict"], "signature_differs");
    assert_eq!(v["authenticity"]["passed"], false);
    assert_eq!(v["problems"].as_array().map(Vec::len), Some(0));
}

#[test]
fn inputs_that_cannot_be_read_or_parsed_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let not_json = write(
        dir.path(),
        "broken.http",
        &request(
            Some(SIGNATURE),
            "{\"Event\": \"contact.changed\",\n \"PrimaryKey\": }",
        ),
    );
    let output = verify(
        &["--vendor", "superoffice", not_json.to_str().unwrap()],
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "{}", out(&output));
    assert!(out(&output).contains("line 2"), "{}", out(&output));

    let output = verify(&[dir.path().join("absent.http").to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        err(&output).contains("cannot read the file"),
        "{}",
        err(&output)
    );

    let good = write(dir.path(), "d.http", &request(Some(SIGNATURE), BODY));
    let output = verify(
        &["--secret-env", "HOOK_SECRET", good.to_str().unwrap()],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        err(&output).contains("HOOK_SECRET is not set"),
        "{}",
        err(&output)
    );

    let empty = write(dir.path(), "empty-secret", "\n");
    let output = verify(
        &[
            "--secret-file",
            empty.to_str().unwrap(),
            good.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        err(&output).contains("the secret is empty"),
        "{}",
        err(&output)
    );

    // Collect documents no delivery shape: without --vendor it cannot be told.
    let collect = write(dir.path(), "collect.json", r#"{"event":"docParsed"}"#);
    let output = verify(&[collect.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(err(&output).contains("give --vendor"), "{}", err(&output));
}

#[test]
fn a_secret_is_never_taken_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "d.http", &request(Some(SIGNATURE), BODY));
    for flag in ["--secret", "--token"] {
        let output = verify(&[flag, SECRET, good.to_str().unwrap()], &[]);
        assert_eq!(output.status.code(), Some(2), "{flag}");
        assert!(
            err(&output).contains("unexpected argument"),
            "{}",
            err(&output)
        );
    }
    let output = verify(
        &[
            "--secret-env",
            "A",
            "--secret-file",
            "b",
            good.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "the two are exclusive");
}

#[test]
fn collects_token_is_found_in_any_header_and_saleshandys_in_the_one_named() {
    let dir = tempfile::tempdir().unwrap();
    let collect = write(
        dir.path(),
        "collect.http",
        "POST /in HTTP/1.1\r\nHost: x\r\nX-Collect-Secret-Token: tok-1\r\n\r\n{\"event\":\"docParsed\"}",
    );
    let output = verify(
        &[
            "--vendor",
            "collect",
            "--secret-env",
            "HOOK_SECRET",
            collect.to_str().unwrap(),
        ],
        &[("HOOK_SECRET", "tok-1")],
    );
    assert_eq!(output.status.code(), Some(0), "{}", out(&output));
    assert!(out(&output).contains("The X-Collect-Secret-Token header carries"));

    let sh = write(
        dir.path(),
        "sh.http",
        "X-Hook-Secret: s3\nX-Other: s3\n\n{\"event\":\"email-sent\"}\n",
    );
    let run = |header: &str| {
        verify(
            &[
                "--header",
                header,
                "--secret-env",
                "HOOK_SECRET",
                sh.to_str().unwrap(),
            ],
            &[("HOOK_SECRET", "s3")],
        )
    };
    assert_eq!(run("x-hook-secret").status.code(), Some(0));
    let output = run("X-Missing");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        out(&output).contains("The X-Missing header is missing"),
        "{}",
        out(&output)
    );
}
