//! `hookpanel`, the command line beside the web app: validates webhook drafts (JSON files) with the
//! same schemas and lint rules as the editor, for scripts and CI; checks a delivery a receiver got
//! (its body against the vendor's event schema, its signature or secret); and lists what each
//! vendor's API can do.
//!
//! Also plans a workspace file against an export of the live state (`hookpanel plan`), offline,
//! with the plan core computes for the page.
//!
//! Exit status: 0 when no file has an error (warnings allowed) or the delivery passes, 1 when any
//! file has an error or the delivery fails, 2 when an input cannot be read or parsed, or the
//! command line is wrong.

use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use hookpanel_core::problem::has_errors;
use hookpanel_core::{
    Action, Capability, Delivery, DeliveryKey, MAX_DRAFT_BYTES, Operation, Problem, Secret,
    VendorId, delivery, schema, sync, validate, vendors,
};
use serde_json::{Value, json};

/// Webhook subscriptions across SaaS vendors: validate drafts, list vendors.
#[derive(Parser)]
#[command(name = "hookpanel", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check webhook drafts (JSON files) against a vendor's schema and lint rules.
    ///
    /// Prints one line per problem. Exits 0 when no file has an error (warnings allowed), 1 when
    /// any file has one, 2 when a file cannot be read or is not JSON.
    Validate(ValidateArgs),
    /// Check a delivery a webhook receiver got: its body against the vendor's event schema, and
    /// its signature (SuperOffice) or shared secret (Collect, Saleshandy) against the webhook's.
    ///
    /// FILE holds the raw HTTP request (request line, headers, a blank line, the body), the
    /// headers and body, or the body alone. The secret is never taken from the command line (it
    /// would stay in the shell's history and the process list): give the name of an environment
    /// variable that holds it, or a file (one line break at its end is dropped). Exits 0 when the
    /// body and its authenticity pass, 1 when either fails, 2 when an input cannot be read, the
    /// body is not JSON, or the vendor cannot be told.
    Verify(VerifyArgs),
    /// List the vendors, their schema operations and what each vendor's API can do.
    Vendors,
    /// Compare a workspace file (what you want) with an export of the live state, and print the
    /// plan: per connection (matched by id) and webhook, what changes and every request, in
    /// order, that would make it so. Sends nothing.
    ///
    /// Requests are printed without their auth headers: the CLI has no credentials, and needs
    /// none, since it sends nothing. Exits 0 when the plan was made (with --exit-code, 1 when it
    /// changes anything), 2 when a file cannot be read or fails its schema (its problems at their
    /// JSON Pointers on stderr).
    Plan(PlanArgs),
}

#[derive(Args)]
struct ValidateArgs {
    /// The vendor whose schema applies.
    #[arg(long, value_parser = vendor_parser(), required_unless_present = "workspace", conflicts_with = "workspace")]
    vendor: Option<VendorId>,
    /// What the drafts are: a create or modify request body, or a delivered event.
    #[arg(long, value_parser = operation_parser(), required_unless_present = "workspace", conflicts_with = "workspace")]
    operation: Option<Operation>,
    /// The files are workspace files (exports, schemas/workspace.v1.json): each is checked
    /// against that schema, and each webhook's draft against its vendor's create schema.
    #[arg(long)]
    workspace: bool,
    /// `text`: FILE:POINTER: severity: message. `json`: one JSON object per problem and line.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The JSON files to check; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Args)]
struct VerifyArgs {
    /// The vendor that sent it; left out, it is told from the delivery where it can be.
    #[arg(long, value_parser = vendor_parser())]
    vendor: Option<VendorId>,
    /// The environment variable that holds the webhook's secret.
    #[arg(long, value_name = "NAME", conflicts_with = "secret_file")]
    secret_env: Option<String>,
    /// A file that holds the webhook's secret.
    #[arg(long, value_name = "PATH")]
    secret_file: Option<PathBuf>,
    /// The header that carries the shared secret (Saleshandy's custom header; for Collect, whose
    /// header name is undocumented, every header is looked in when this is left out).
    #[arg(long, value_name = "NAME")]
    header: Option<String>,
    /// `text`: one line per finding. `json`: one JSON object with the whole verdict.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The delivery; `-` reads standard input.
    #[arg(value_name = "FILE")]
    file: PathBuf,
}

#[derive(Args)]
struct PlanArgs {
    /// The workspace file that says what should be.
    #[arg(long, value_name = "FILE")]
    desired: PathBuf,
    /// A workspace file exported from what is now (the page's export).
    #[arg(long, value_name = "FILE")]
    live: PathBuf,
    /// Delete the live webhooks the desired file does not have (otherwise they are kept).
    #[arg(long)]
    delete_missing: bool,
    /// `text`: per connection, every row that changes something. `json`: one JSON object per row
    /// and line, unchanged rows too.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit 1 when the plan changes anything (as `git diff --exit-code`).
    #[arg(long)]
    exit_code: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// The vendor names come from the catalogue, so a new vendor needs no change here.
fn vendor_parser() -> impl TypedValueParser<Value = VendorId> {
    PossibleValuesParser::new(VendorId::ALL.map(VendorId::as_str))
        .try_map(|name| VendorId::parse(&name).ok_or("unknown vendor"))
}

fn operation_parser() -> impl TypedValueParser<Value = Operation> {
    PossibleValuesParser::new(Operation::ALL.map(Operation::as_str))
        .try_map(|name| Operation::parse(&name).ok_or("unknown operation"))
}

/// Exit statuses.
const OK: u8 = 0;
const HAS_ERRORS: u8 = 1;
const TROUBLE: u8 = 2;

fn main() -> ExitCode {
    // clap prints the usage and exits 2 on a wrong command line, 0 for --help and --version.
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = match cli.command {
        Command::Validate(args) => run_validate(&args, &mut out),
        Command::Verify(args) => run_verify(&args, &mut out),
        Command::Vendors => run_vendors(&mut out),
        Command::Plan(args) => run_plan(&args, &mut out),
    };
    let status = result.and_then(|status| out.flush().map(|()| status));
    match status {
        Ok(status) => ExitCode::from(status),
        // Output piped into `head` and closed early: nothing is wrong with the drafts.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(OK),
        Err(e) => {
            eprintln!("hookpanel: cannot write the output: {e}");
            ExitCode::from(TROUBLE)
        }
    }
}

fn run_validate(args: &ValidateArgs, out: &mut impl Write) -> io::Result<u8> {
    let (Some(vendor), Some(operation)) = (args.vendor, args.operation) else {
        return run_validate_workspace(args, out);
    };
    if schema::schema(vendor, operation).is_none() {
        let has: Vec<&str> = schema::operations(vendor)
            .into_iter()
            .map(Operation::as_str)
            .collect();
        eprintln!(
            "hookpanel: {} has no {} operation; it has: {}.",
            vendor.as_str(),
            operation.as_str(),
            has.join(", ")
        );
        return Ok(TROUBLE);
    }
    // Files are independent: on several cores they are checked in parallel, in contiguous runs
    // whose output is then written in the files' order, exactly as one thread would write it.
    // Standard input can be read once, by one thread, so a list naming it is checked in order.
    let threads = if args.files.iter().any(|f| f.as_os_str() == "-") {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(args.files.len().div_ceil(FILES_PER_THREAD))
            .max(1)
    };
    let runs: Vec<&[PathBuf]> = args
        .files
        .chunks(args.files.len().div_ceil(threads).max(1))
        .collect();
    let checked: Vec<Vec<Checked>> = if runs.len() <= 1 {
        runs.iter()
            .map(|run| check_files(args, (vendor, operation), run))
            .collect()
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = runs
                .iter()
                .map(|run| scope.spawn(|| check_files(args, (vendor, operation), run)))
                .collect();
            workers
                .into_iter()
                // A worker only panics on a defect of ours; its panic is passed on as it is.
                .map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    let mut status = OK;
    for file in checked.iter().flatten() {
        out.write_all(file.output.as_bytes())?;
        if let Some(why) = &file.trouble {
            // What came before is written first, so the messages stay in the files' order.
            out.flush()?;
            eprintln!("{why}");
        }
        status = status.max(file.status);
    }
    Ok(status)
}

/// Below this many files a thread costs more than it saves.
const FILES_PER_THREAD: usize = 64;

/// One file, checked: its lines of output, why it could not be checked, and its exit status
/// ([`OK`] < [`HAS_ERRORS`] < [`TROUBLE`], so the worst of several files is the largest).
struct Checked {
    output: String,
    trouble: Option<String>,
    status: u8,
}

fn check_files(
    args: &ValidateArgs,
    (vendor, operation): (VendorId, Operation),
    files: &[PathBuf],
) -> Vec<Checked> {
    // Each file is parsed into the last one's draft (`draft::parse_into`): drafts of one schema
    // share most of their keys, which are then compared instead of hashed and allocated again.
    let mut draft = Value::Null;
    files
        .iter()
        .map(|path| {
            let name = path.display().to_string();
            match read_draft(path, &mut draft) {
                Err(why) => Checked {
                    output: String::new(),
                    trouble: Some(format!("hookpanel: {name}: {why}")),
                    status: TROUBLE,
                },
                Ok(()) => {
                    let problems = validate(vendor, operation, &draft);
                    let mut output = String::new();
                    for problem in &problems {
                        render(&mut output, args.format, &name, problem);
                    }
                    let status = if has_errors(&problems) {
                        HAS_ERRORS
                    } else {
                        OK
                    };
                    Checked {
                        output,
                        trouble: None,
                        status,
                    }
                }
            }
        })
        .collect()
}

/// A file's draft, parsed into `draft`, or why it cannot be had: unreadable, or not JSON (with
/// the line and column).
fn read_draft(path: &PathBuf, draft: &mut Value) -> Result<(), String> {
    let bytes = read_input(path, MAX_DRAFT_BYTES, "a webhook definition is a few KB")?;
    let text = String::from_utf8(bytes).map_err(|e| format!("it is not UTF-8 text ({e})"))?;
    hookpanel_core::draft::parse_into(&text, draft)
        .map_err(|e| Problem::syntax(&e).message.into_owned())
}

/// A file's bytes (`-`: standard input), at most `limit`.
fn read_input(path: &PathBuf, limit: usize, typical: &str) -> Result<Vec<u8>, String> {
    if path.as_os_str() == "-" {
        read_bounded(io::stdin().lock(), limit, typical)
            .map_err(|e| format!("cannot read standard input: {e}"))
    } else {
        let file = std::fs::File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
        read_bounded(file, limit, typical).map_err(|e| format!("cannot read the file: {e}"))
    }
}

/// Reads at most `limit` bytes and one byte more, so an endless input (`/dev/zero`) or a huge
/// file is refused after the limit instead of read until memory runs out.
fn read_bounded(reader: impl Read, limit: usize, typical: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() > limit {
        let most = if limit >= 1 << 20 {
            format!("{} MiB", limit >> 20)
        } else {
            format!("{} KiB", limit >> 10)
        };
        return Err(format!(
            "it is larger than {most}, the most Hookpanel reads here ({typical})"
        ));
    }
    Ok(bytes)
}

/// A workspace file's text, or why it cannot be had (unreadable, too large, not UTF-8).
fn read_workspace_text(path: &PathBuf) -> Result<String, String> {
    let bytes = read_input(
        path,
        sync::MAX_WORKSPACE_BYTES,
        "a workspace of ten thousand webhooks is a few MiB",
    )?;
    String::from_utf8(bytes).map_err(|e| format!("it is not UTF-8 text ({e})"))
}

/// `validate --workspace`: each file against the workspace schema and its drafts against their
/// vendors' create schemas. The same lines and exit statuses as drafts: a file that is not JSON
/// is 2, with the line and column on stderr.
fn run_validate_workspace(args: &ValidateArgs, out: &mut impl Write) -> io::Result<u8> {
    let mut status = OK;
    for path in &args.files {
        let name = path.display().to_string();
        let text = match read_workspace_text(path) {
            Ok(text) => text,
            Err(why) => {
                out.flush()?;
                eprintln!("hookpanel: {name}: {why}");
                status = TROUBLE;
                continue;
            }
        };
        let checked = sync::check_text(&text);
        if let Some(unparsed) = checked
            .problems
            .iter()
            .find(|p| p.pointer.is_empty() && matches!(p.keyword.as_ref(), "syntax" | "size"))
        {
            out.flush()?;
            eprintln!("hookpanel: {name}: {}", unparsed.message);
            status = TROUBLE;
            continue;
        }
        let mut lines = String::new();
        for problem in &checked.problems {
            render(&mut lines, args.format, &name, problem);
        }
        out.write_all(lines.as_bytes())?;
        if has_errors(&checked.problems) {
            status = status.max(HAS_ERRORS);
        }
    }
    Ok(status)
}

/// A workspace file read for a plan, or its problems written to stderr.
fn read_workspace(path: &PathBuf) -> Result<sync::WorkspaceFile, ()> {
    let name = path.display().to_string();
    let text = read_workspace_text(path).map_err(|why| eprintln!("hookpanel: {name}: {why}"))?;
    sync::read_file(&text).map_err(|problems| {
        let mut lines = String::new();
        for problem in problems.iter().filter(|p| p.is_error()) {
            render(&mut lines, Format::Text, &name, problem);
        }
        eprint!("{lines}");
        eprintln!(
            "hookpanel: {name}: not a workspace file Hookpanel can plan from; nothing was planned."
        );
    })
}

fn run_plan(args: &PlanArgs, out: &mut impl Write) -> io::Result<u8> {
    let desired = read_workspace(&args.desired);
    let live = read_workspace(&args.live);
    let (Ok(desired), Ok(live)) = (desired, live) else {
        return Ok(TROUBLE);
    };
    let options = sync::PlanOptions {
        delete_missing: args.delete_missing,
    };
    let plans = match sync::plan_workspace(&desired, &live, &options) {
        Ok(plans) => plans,
        Err(problems) => {
            let mut lines = String::new();
            for problem in &problems {
                render(
                    &mut lines,
                    Format::Text,
                    &args.desired.display().to_string(),
                    problem,
                );
            }
            eprint!("{lines}");
            return Ok(TROUBLE);
        }
    };
    for (i, plan) in plans.iter().enumerate() {
        match args.format {
            Format::Text => {
                if i > 0 {
                    writeln!(out)?;
                }
                out.write_all(sync::plan_text(plan).as_bytes())?;
            }
            Format::Json => {
                for row in sync::plan_rows_json(plan) {
                    writeln!(out, "{row}")?;
                }
            }
        }
    }
    let changes = plans.iter().any(|p| !p.is_unchanged());
    Ok(if args.exit_code && changes {
        HAS_ERRORS
    } else {
        OK
    })
}

/// The most a pasted delivery may be: a body Hookpanel checks, and its headers.
const MAX_DELIVERY_BYTES: usize = MAX_DRAFT_BYTES + (64 << 10);

fn run_verify(args: &VerifyArgs, out: &mut impl Write) -> io::Result<u8> {
    let name = args.file.display().to_string();
    let secret = match read_secret(args) {
        Ok(secret) => secret,
        Err(why) => {
            eprintln!("hookpanel: {why}");
            return Ok(TROUBLE);
        }
    };
    let bytes = match read_input(&args.file, MAX_DELIVERY_BYTES, "a delivery is a few KB") {
        Ok(bytes) => bytes,
        Err(why) => {
            eprintln!("hookpanel: {name}: {why}");
            return Ok(TROUBLE);
        }
    };
    let delivery = Delivery::parse(&bytes);
    let key = DeliveryKey {
        secret,
        header: args.header.clone(),
    };
    let Some(checked) = delivery::check(&delivery, args.vendor, &key) else {
        eprintln!(
            "hookpanel: {name}: the delivery does not show which vendor sent it; give --vendor ({}).",
            VendorId::ALL.map(VendorId::as_str).join(", ")
        );
        return Ok(TROUBLE);
    };
    // A body that is not JSON (or empty, or too large) cannot be checked against the schema: the
    // input cannot be parsed, whatever its signature says.
    let unparsed = checked
        .problems
        .iter()
        .any(|p| p.pointer.is_empty() && matches!(p.keyword.as_ref(), "syntax" | "size"));
    let status = if unparsed {
        TROUBLE
    } else if checked.passed() {
        OK
    } else {
        HAS_ERRORS
    };
    let authenticity = checked.authenticity.sentence(checked.vendor);
    match args.format {
        Format::Text => {
            let how = if checked.recognised {
                "told from the delivery"
            } else {
                "as given"
            };
            let event = checked.event.as_deref().unwrap_or("not named");
            writeln!(
                out,
                "{name}: vendor: {} ({how}); event: {event}",
                checked.vendor.as_str()
            )?;
            let mut lines = String::new();
            for problem in &checked.problems {
                render(&mut lines, Format::Text, &name, problem);
            }
            out.write_all(lines.as_bytes())?;
            let verdict = match checked.authenticity.passed() {
                Some(true) => "passes",
                Some(false) => "fails",
                None => "not checked",
            };
            writeln!(out, "{name}: authenticity {verdict}: {authenticity}")?;
            let outcome = match status {
                OK => "passes",
                HAS_ERRORS => "fails",
                _ => "cannot be checked: the body is not JSON",
            };
            writeln!(out, "{name}: the delivery {outcome}")?;
        }
        Format::Json => {
            let problems: Vec<Value> = checked
                .problems
                .iter()
                .map(|p| {
                    json!({
                        "pointer": p.pointer,
                        "severity": p.severity.as_str(),
                        "message": p.message,
                        "keyword": p.keyword,
                    })
                })
                .collect();
            let mut verdict = serde_json::to_value(&checked.authenticity).unwrap_or(Value::Null);
            if let Some(map) = verdict.as_object_mut() {
                map.insert("passed".into(), json!(checked.authenticity.passed()));
                map.insert("message".into(), json!(authenticity));
            }
            let line = json!({
                "file": name,
                "vendor": checked.vendor.as_str(),
                "recognised": checked.recognised,
                "event": checked.event,
                "problems": problems,
                "authenticity": verdict,
                "passed": status == OK,
            });
            writeln!(out, "{line}")?;
        }
    }
    Ok(status)
}

/// The webhook's secret, from the environment variable or the file named, if one is.
fn read_secret(args: &VerifyArgs) -> Result<Option<Secret>, String> {
    let text = if let Some(var) = &args.secret_env {
        match std::env::var(var) {
            Ok(value) => value,
            Err(std::env::VarError::NotPresent) => {
                return Err(format!(
                    "--secret-env {var}: the environment variable {var} is not set."
                ));
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(format!(
                    "--secret-env {var}: the environment variable {var} is not UTF-8 text."
                ));
            }
        }
    } else if let Some(path) = &args.secret_file {
        let bytes = read_input(path, 64 << 10, "a secret is a line")
            .map_err(|why| format!("--secret-file {}: {why}", path.display()))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            format!(
                "--secret-file {}: the secret is not UTF-8 text.",
                path.display()
            )
        })?;
        // A file written by `echo` or an editor ends with a line break that is no part of it.
        let text = text
            .strip_suffix("\r\n")
            .or_else(|| text.strip_suffix('\n'))
            .unwrap_or(&text);
        text.to_string()
    } else {
        return Ok(None);
    };
    if text.trim().is_empty() {
        let from = args.secret_env.as_deref().map_or_else(
            || {
                format!(
                    "--secret-file {}",
                    args.secret_file
                        .as_deref()
                        .unwrap_or(std::path::Path::new(""))
                        .display()
                )
            },
            |var| format!("--secret-env {var}"),
        );
        return Err(format!("{from}: the secret is empty."));
    }
    Ok(Some(Secret::new(text)))
}

/// One line of output for a problem, appended to `out`.
fn render(out: &mut String, format: Format, file: &str, problem: &Problem) {
    match format {
        Format::Text => {
            use std::fmt::Write as _;
            let _ = writeln!(
                out,
                "{file}:{}: {}: {}",
                problem.pointer,
                problem.severity.as_str(),
                problem.message
            );
        }
        Format::Json => {
            /// The line's fields, in this order, borrowed: no `Value` is built per problem.
            #[derive(serde::Serialize)]
            struct Line<'a> {
                file: &'a str,
                pointer: &'a str,
                severity: &'a str,
                message: &'a str,
                keyword: &'a str,
            }
            let line = Line {
                file,
                pointer: &problem.pointer,
                severity: problem.severity.as_str(),
                message: &problem.message,
                keyword: &problem.keyword,
            };
            // Plain strings always serialize.
            if let Ok(text) = serde_json::to_string(&line) {
                out.push_str(&text);
                out.push('\n');
            }
        }
    }
}

fn run_vendors(out: &mut impl Write) -> io::Result<u8> {
    for (i, vendor) in VendorId::ALL.into_iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let spec = vendors::spec(vendor);
        writeln!(out, "{} ({})", vendor.as_str(), vendor.display_name())?;
        writeln!(out, "  base URL: {}", spec.default_base_url)?;
        let operations: Vec<&str> = schema::operations(vendor)
            .into_iter()
            .map(Operation::as_str)
            .collect();
        writeln!(out, "  schemas:  {}", operations.join(", "))?;
        for action in Action::ALL {
            let capability = match spec.capability(action) {
                Capability::Native => "native".to_string(),
                Capability::Emulated(note) => format!("emulated: {note}"),
                Capability::Absent(note) => format!("absent: {note}"),
            };
            writeln!(out, "  {:<8}  {capability}", action.as_str())?;
        }
    }
    Ok(OK)
}
