//! The CLI against its peers: `hookpanel validate` (release build), `ajv-cli` (npm, Ajv 8 for
//! draft 2020-12 with ajv-formats) and `check-jsonschema` (PyPI) on the same [`FILES`] drafts and
//! the same schema files, in one run. The drafts are the create fixtures of every vendor whose
//! verdict the schema decides (valid ones, and invalid ones whose every error is a schema
//! keyword's; lint-only errors are Hookpanel's own and the peers do not have them), written out
//! in turn, pretty-printed, as drafts kept in a repository are.
//!
//! Each tool gets one invocation per vendor with that vendor's files (the way CI calls them), and
//! the figure is the wall time of the four, the best of [`ROUNDS`] passes. The three must agree on which files are invalid, and
//! with the fixtures; otherwise the bench fails rather than print figures for different work.
//!
//! Installs on first use: ajv-cli through `npm ci` in `bench/` (its lock file), check-jsonschema
//! into a venv under the target directory from `bench/requirements-cli.txt` (pinned).
//!
//! Prints `cli.files`, `cli.seconds.<tool>`, `cli.files_per_s.<tool>` and `cli.ratio_vs.<peer>`
//! (Hookpanel's files per second over the peer's).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;

use crate::proc::{cmd, exec, root, target_dir};

/// How many drafts, in all vendors together.
pub const FILES: usize = 10_000;

/// Timed passes per tool, after one untimed.
const ROUNDS: usize = 3;

const VENDORS: [&str; 4] = ["collect", "saleshandy", "superoffice", "kajabi"];

/// Runs one tool on one vendor's drafts: the seconds its process ran, and the files it found
/// invalid.
type Tool<'a> = &'a dyn Fn(&Set) -> Result<(f64, BTreeSet<PathBuf>), String>;

/// One vendor's drafts: where they are, and which are invalid.
struct Set {
    vendor: &'static str,
    schema: PathBuf,
    files: Vec<PathBuf>,
    invalid: BTreeSet<PathBuf>,
}

pub fn run() -> Result<(), String> {
    let (ajv, check_jsonschema) = install()?;
    exec(cmd("cargo").args(["build", "--quiet", "--release", "-p", "hookpanel-cli"]))?;
    let hookpanel = target_dir().join("release/hookpanel");
    let sets = generate()?;
    let total: usize = sets.iter().map(|s| s.files.len()).sum();
    println!("cli.files={total}");

    // Each returns the seconds its process ran (reading its output is not timed) and the files it
    // found invalid.
    let tools: [(&str, Tool); 3] = [
        ("hookpanel", &|set| run_hookpanel(&hookpanel, set)),
        ("ajv-cli", &|set| run_ajv(&ajv, set)),
        ("check-jsonschema", &|set| {
            run_check_jsonschema(&check_jsonschema, set)
        }),
    ];
    // The drafts just written go to disk first, so no tool pays for that; then one untimed pass
    // of each tool (page cache, Python's bytecode, Node's compile cache), then ROUNDS timed passes,
    // the tools taking turns so that drift on a shared machine hits all alike. The figure is each
    // tool's best pass.
    let _ = exec(&mut Command::new("sync"));
    let mut best = [f64::INFINITY; 3];
    for round in 0..=ROUNDS {
        for (i, (name, tool)) in tools.iter().enumerate() {
            let mut elapsed = 0.0;
            for set in &sets {
                let (seconds, invalid) = tool(set)?;
                elapsed += seconds;
                if invalid != set.invalid {
                    let only_tool: Vec<_> = invalid.difference(&set.invalid).take(3).collect();
                    let only_fixtures: Vec<_> = set.invalid.difference(&invalid).take(3).collect();
                    return Err(format!(
                        "{name} disagrees on {}'s drafts: invalid to it only {only_tool:?}, to the fixtures only {only_fixtures:?}",
                        set.vendor
                    ));
                }
            }
            if round > 0 {
                best[i] = best[i].min(elapsed);
            }
        }
    }
    let mut seconds = Vec::new();
    for ((name, _), elapsed) in tools.iter().zip(best) {
        println!("cli.seconds.{name}={elapsed:.3}");
        println!("cli.files_per_s.{name}={:.0}", total as f64 / elapsed);
        seconds.push((*name, elapsed));
    }
    println!("cli.agree=true");
    let ours = seconds[0].1;
    for (name, theirs) in &seconds[1..] {
        println!("cli.ratio_vs.{name}={:.2}", theirs / ours);
    }
    Ok(())
}

/// ajv-cli's script and check-jsonschema's executable, installed if they are not there.
fn install() -> Result<(PathBuf, PathBuf), String> {
    let bench = root().join("bench");
    let ajv = bench.join("node_modules/.bin/ajv");
    if !ajv.is_file() {
        exec(
            cmd("npm")
                .arg("ci")
                .current_dir(&bench)
                .stdout(Stdio::from(std::io::stderr())),
        )
        .map_err(|e| format!("{e} (npm installs ajv-cli for the CLI bench)"))?;
    }
    let venv = target_dir().join("bench-venv");
    let check = venv.join("bin/check-jsonschema");
    let requirements = bench.join("requirements-cli.txt");
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let stamp = venv.join("installed-requirements.txt");
    if !check.is_file() || std::fs::read_to_string(&stamp).ok().as_deref() != Some(&wanted) {
        if exec(cmd("python3").args(["-m", "venv"]).arg(&venv)).is_err() {
            // Debian's python3 leaves venv (and its pip) to a package of its own.
            exec(cmd("apt-get").args(["install", "-y", "python3-venv"]))?;
            exec(cmd("python3").args(["-m", "venv", "--clear"]).arg(&venv))?;
        }
        exec(
            cmd(&venv.join("bin/pip").to_string_lossy())
                .args(["install", "--quiet", "-r"])
                .arg(&requirements)
                .stdout(Stdio::from(std::io::stderr())),
        )
        .map_err(|e| format!("{e} (pip installs check-jsonschema for the CLI bench)"))?;
        std::fs::write(&stamp, &wanted)
            .map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    Ok((ajv, check))
}

/// Writes the drafts under `<target>/bench-cli/<vendor>/`, [`FILES`] in all.
fn generate() -> Result<Vec<Set>, String> {
    let base = target_dir().join("bench-cli");
    let _ = std::fs::remove_dir_all(&base);
    let mut sets = Vec::new();
    for vendor in VENDORS {
        let fixtures_dir = root().join(format!("schemas/{vendor}/fixtures/create"));
        let mut fixtures: Vec<(String, bool)> = Vec::new();
        let mut names: Vec<PathBuf> = std::fs::read_dir(&fixtures_dir)
            .map_err(|e| format!("cannot read {}: {e}", fixtures_dir.display()))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        names.sort();
        for path in names {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let fixture: Value = serde_json::from_str(&text)
                .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
            let errors = fixture["errors"].as_array().cloned().unwrap_or_default();
            let lint = errors.iter().any(|e| {
                e["keyword"]
                    .as_str()
                    .is_some_and(|k| k.starts_with("lint:"))
            });
            if lint {
                continue;
            }
            let draft =
                serde_json::to_string_pretty(&fixture["instance"]).map_err(|e| e.to_string())?;
            fixtures.push((draft, !errors.is_empty()));
        }
        if fixtures.is_empty() {
            return Err(format!("{vendor} has no create fixtures to bench with"));
        }
        let dir = base.join(vendor);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut set = Set {
            vendor,
            schema: root().join(format!("schemas/{vendor}/create.json")),
            files: Vec::new(),
            invalid: BTreeSet::new(),
        };
        for i in 0..FILES / VENDORS.len() {
            let (draft, invalid) = &fixtures[i % fixtures.len()];
            let path = dir.join(format!("draft-{i:05}.json"));
            std::fs::write(&path, draft)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            if *invalid {
                set.invalid.insert(path.clone());
            }
            set.files.push(path);
        }
        sets.push(set);
    }
    Ok(sets)
}

/// Runs a checker to its end and returns how long it ran, its standard output and error; its exit status says
/// whether files were invalid, which the callers read from the output instead.
fn run_tool(command: &mut Command) -> Result<(f64, String, String), String> {
    let shown = format!("{:?}", command.get_program());
    // The tool's output goes to files, not pipes: Node writes to a pipe asynchronously, and
    // ajv-cli exits before its last lines reach one (a run once gave 2,150 verdicts for 2,500
    // files); to a file it writes them synchronously.
    let dir = target_dir().join("bench-cli");
    let (out_path, err_path) = (dir.join("tool.stdout"), dir.join("tool.stderr"));
    let create = |path: &Path| {
        std::fs::File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))
    };
    let started = Instant::now();
    command
        .stdin(Stdio::null())
        .stdout(create(&out_path)?)
        .stderr(create(&err_path)?)
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let read = |path: &Path| {
        std::fs::read(path)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    Ok((seconds, read(&out_path)?, read(&err_path)?))
}

fn run_hookpanel(hookpanel: &Path, set: &Set) -> Result<(f64, BTreeSet<PathBuf>), String> {
    let (seconds, stdout, stderr) = run_tool(
        Command::new(hookpanel)
            .args([
                "validate",
                "--vendor",
                set.vendor,
                "--operation",
                "create",
                "--format",
                "json",
            ])
            .args(&set.files),
    )?;
    if !stderr.trim().is_empty() {
        return Err(format!("hookpanel: {}", stderr.trim()));
    }
    let mut invalid = BTreeSet::new();
    for line in stdout.lines() {
        let problem: Value =
            serde_json::from_str(line).map_err(|e| format!("hookpanel printed {line:?}: {e}"))?;
        if problem["severity"] == "error"
            && let Some(file) = problem["file"].as_str()
        {
            invalid.insert(PathBuf::from(file));
        }
    }
    Ok((seconds, invalid))
}

fn run_ajv(ajv: &Path, set: &Set) -> Result<(f64, BTreeSet<PathBuf>), String> {
    let dir = set.files[0].parent().unwrap_or(Path::new("."));
    // strict off: our annotations (x-secret, x-messages, x-role) are keywords Ajv does not know.
    let (seconds, stdout, stderr) = run_tool(
        Command::new(ajv)
            .args([
                "validate",
                "--spec=draft2020",
                "-c",
                "ajv-formats",
                "--all-errors",
                "--strict=false",
            ])
            .arg("-s")
            .arg(&set.schema)
            .arg("-d")
            .arg(dir.join("*.json"))
            .current_dir(root().join("bench")),
    )?;
    // One line per file, "<file> valid" or "<file> invalid", on either stream.
    let mut invalid = BTreeSet::new();
    let mut seen = 0;
    for line in stdout.lines().chain(stderr.lines()) {
        if let Some(file) = line.strip_suffix(" invalid") {
            invalid.insert(PathBuf::from(file));
            seen += 1;
        } else if line.ends_with(" valid") {
            seen += 1;
        }
    }
    if seen != set.files.len() {
        return Err(format!(
            "ajv-cli gave {seen} verdicts for {} files: {}",
            set.files.len(),
            stderr.lines().take(5).collect::<Vec<_>>().join(" / ")
        ));
    }
    Ok((seconds, invalid))
}

fn run_check_jsonschema(check: &Path, set: &Set) -> Result<(f64, BTreeSet<PathBuf>), String> {
    let (seconds, stdout, stderr) = run_tool(
        Command::new(check)
            .args(["--output-format", "json", "--schemafile"])
            .arg(&set.schema)
            .args(&set.files),
    )?;
    let report: Value = serde_json::from_str(&stdout).map_err(|e| {
        format!(
            "check-jsonschema printed no report ({e}): {}",
            stderr.lines().take(5).collect::<Vec<_>>().join(" / ")
        )
    })?;
    if report["parse_errors"]
        .as_array()
        .is_some_and(|e| !e.is_empty())
    {
        return Err(format!(
            "check-jsonschema could not read files: {}",
            report["parse_errors"]
        ));
    }
    let invalid = report["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["filename"].as_str())
        .map(PathBuf::from)
        .collect();
    Ok((seconds, invalid))
}
