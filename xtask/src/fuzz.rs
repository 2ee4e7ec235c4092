//! `cargo xtask fuzz`: a long campaign against core's validate, plan and decode.
//!
//! 1. The property tests (`crates/core/tests/properties.rs`) in release mode, with `PROPTEST_CASES`
//!    set so that all the properties together run at least `--cases` cases (1,000,000 by default).
//! 2. With a nightly toolchain, the libFuzzer targets in `fuzz/` (answer decoders, raw-text
//!    validation, the raw view's parse into the last draft against serde_json's) for `--seconds`
//!    each (120 by default) or `--runs` inputs; cargo-fuzz is installed if missing. Without
//!    nightly this part is skipped, and it says so.
//!
//! Figures are printed as `key=value` lines (`fuzz.proptest.cases=N`, ...). Any failure or crash
//! makes the command fail; a crashing input is kept in `fuzz/artifacts/<target>/`, a failing
//! property's seed in `crates/core/tests/properties.proptest-regressions`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::proc::{cmd, exec, output, root};

const USAGE: &str = "usage: cargo xtask fuzz [--cases N] [--seconds S] [--runs N] [--no-libfuzzer]
  --cases N       property-test cases in all (env HOOKPANEL_FUZZ_CASES; default 1000000)
  --seconds S     libFuzzer time per target (env HOOKPANEL_FUZZ_SECONDS; default 120)
  --runs N        libFuzzer inputs per target, instead of or as well as the time (env HOOKPANEL_FUZZ_RUNS)
  --no-libfuzzer  only the property tests";

/// The cargo-fuzz targets in `fuzz/fuzz_targets/`.
const TARGETS: &[&str] = &["decode", "validate", "reparse"];

struct Options {
    cases: u64,
    seconds: u64,
    runs: Option<u64>,
    libfuzzer: bool,
}

fn options(args: &[String]) -> Result<Options, String> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let number = |what: &str, text: &str| {
        text.trim()
            .parse::<u64>()
            .map_err(|_| format!("{what} must be a whole number, not {text:?}\n{USAGE}"))
    };
    let mut o = Options {
        cases: 1_000_000,
        seconds: 120,
        runs: None,
        libfuzzer: true,
    };
    if let Some(v) = env("HOOKPANEL_FUZZ_CASES") {
        o.cases = number("HOOKPANEL_FUZZ_CASES", &v)?;
    }
    if let Some(v) = env("HOOKPANEL_FUZZ_SECONDS") {
        o.seconds = number("HOOKPANEL_FUZZ_SECONDS", &v)?;
    }
    if let Some(v) = env("HOOKPANEL_FUZZ_RUNS") {
        o.runs = Some(number("HOOKPANEL_FUZZ_RUNS", &v)?);
    }
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--cases" => o.cases = number("--cases", value("--cases")?)?,
            "--seconds" => o.seconds = number("--seconds", value("--seconds")?)?,
            "--runs" => o.runs = Some(number("--runs", value("--runs")?)?),
            "--no-libfuzzer" => o.libfuzzer = false,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(o)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let o = options(args)?;
    let started = Instant::now();
    let mut bad = Vec::new();

    let proptest = proptest_campaign(o.cases)?;
    if proptest.failures > 0 {
        bad.push(format!("{} property test(s) failed", proptest.failures));
    }

    if !o.libfuzzer {
        println!("fuzz: --no-libfuzzer: the libFuzzer targets are skipped");
        println!("fuzz.libfuzzer=skipped");
    } else if !has_nightly() {
        println!(
            "fuzz: no nightly toolchain, so the libFuzzer targets are skipped \
             (`rustup toolchain install nightly` enables them); the property tests above ran"
        );
        println!("fuzz.libfuzzer=skipped");
    } else {
        ensure_cargo_fuzz()?;
        for target in TARGETS {
            let figures = libfuzzer(target, &o)?;
            if figures.crashes > 0 {
                bad.push(format!(
                    "libFuzzer target {target} crashed (input kept in fuzz/artifacts/{target}/)"
                ));
            }
        }
    }

    println!("fuzz.seconds={:.0}", started.elapsed().as_secs_f64());
    if bad.is_empty() {
        println!("fuzz: no failure and no crash");
        Ok(())
    } else {
        Err(bad.join("; "))
    }
}

struct Proptest {
    failures: u64,
}

/// Runs the property tests in release mode with enough cases per property for `total` in all.
fn proptest_campaign(total: u64) -> Result<Proptest, String> {
    let test = |c: &mut Command| {
        c.args([
            "test",
            "--release",
            "-p",
            "hookpanel-core",
            "--test",
            "properties",
        ]);
    };
    // Build first, so a compile error shows as one, then count the properties.
    let mut build = cmd("cargo");
    test(&mut build);
    exec(build.arg("--no-run"))?;
    let mut list = cmd("cargo");
    test(&mut list);
    let listed =
        output(list.args(["--quiet", "--", "--list"])).ok_or("cannot list the property tests")?;
    let properties: Vec<&str> = listed
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .filter(|name| !name.starts_with("regression"))
        .collect();
    if properties.is_empty() {
        return Err("crates/core/tests/properties.rs has no property".into());
    }
    let count = properties.len() as u64;
    let per = total.div_ceil(count).max(1);
    println!(
        "fuzz: {count} properties x {per} cases = {} cases, release mode",
        per * count
    );

    let started = Instant::now();
    let mut run = cmd("cargo");
    test(&mut run);
    let mut child = run
        .env("PROPTEST_CASES", per.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the property tests: {e}"))?;
    let stdout = child.stdout.take().ok_or("no output from cargo test")?;
    let (mut passed, mut failed, mut partial) = (0u64, 0u64, 0u64);
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        println!("{line}");
        if let Some(name) = line.strip_prefix("test ") {
            let is_property = properties
                .iter()
                .any(|p| name.starts_with(&format!("{p} ")));
            if is_property && name.ends_with("... ok") {
                passed += 1;
            } else if name.ends_with("... FAILED") {
                // A property, or a regression test of a bug found before.
                failed += 1;
            }
        }
        // A failing property says how many cases passed before it.
        if let Some(n) = line.trim().strip_prefix("successes: ") {
            partial += n.trim().parse::<u64>().unwrap_or(0);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cargo test did not finish: {e}"))?;
    if !status.success() && failed == 0 {
        return Err(format!("the property tests did not run ({status})"));
    }
    println!("fuzz.proptest.properties={count}");
    println!("fuzz.proptest.cases_per_property={per}");
    println!("fuzz.proptest.cases={}", passed * per + partial);
    println!("fuzz.proptest.failures={failed}");
    println!(
        "fuzz.proptest.seconds={:.0}",
        started.elapsed().as_secs_f64()
    );
    Ok(Proptest { failures: failed })
}

fn has_nightly() -> bool {
    output(cmd("rustup").args(["toolchain", "list"]))
        .is_some_and(|list| list.lines().any(|l| l.starts_with("nightly")))
}

fn ensure_cargo_fuzz() -> Result<(), String> {
    if output(cmd("cargo").args(["fuzz", "--version"])).is_some() {
        return Ok(());
    }
    println!("fuzz: installing cargo-fuzz (a few minutes)");
    exec(cmd("cargo").args(["install", "cargo-fuzz", "--locked"]))
}

fn fuzz_dir() -> PathBuf {
    root().join("fuzz")
}

struct LibFuzzer {
    crashes: u64,
}

/// Runs one cargo-fuzz target for the time or number of inputs asked, from a seeded corpus.
fn libfuzzer(target: &str, o: &Options) -> Result<LibFuzzer, String> {
    let corpus = fuzz_dir().join("corpus").join(target);
    seed(target, &corpus)?;
    let artifacts = fuzz_dir().join("artifacts").join(target);
    let before = crash_files(&artifacts);

    let mut flags = vec![
        format!("-max_total_time={}", o.seconds),
        format!("-dict={}", fuzz_dir().join("decode.dict").display()),
        "-timeout=10".to_string(),
        "-max_len=16384".to_string(),
        "-print_final_stats=1".to_string(),
    ];
    if let Some(runs) = o.runs {
        flags.push(format!("-runs={runs}"));
    }
    println!(
        "fuzz: libFuzzer target {target} ({}{})",
        if o.seconds > 0 {
            format!("{} s", o.seconds)
        } else {
            "no time limit".into()
        },
        o.runs.map(|r| format!(", {r} runs")).unwrap_or_default()
    );
    let started = Instant::now();
    let mut child = cmd("cargo")
        .args(["+nightly", "fuzz", "run", target])
        .arg(&corpus)
        .arg("--")
        .args(&flags)
        // cargo-fuzz builds in fuzz/target: a target dir set for the workspace would not fit it.
        .env_remove("CARGO_TARGET_DIR")
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo fuzz: {e}"))?;
    let stderr = child.stderr.take().ok_or("no output from cargo fuzz")?;
    let (mut runs, mut done_runs) = (None, None);
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        // libFuzzer's progress lines (#N NEW ..., the functions each one reached, the dictionary
        // it recommends) would fill the screen; its milestones and any error do not.
        let noise = (line.starts_with('#') && !line.contains("DONE") && !line.contains("pulse"))
            || line.starts_with('\t')
            || line.starts_with('"');
        if !noise {
            eprintln!("{line}");
        }
        if let Some(n) = line.strip_prefix("stat::number_of_executed_units:") {
            runs = n.trim().parse::<u64>().ok();
        }
        if let Some(rest) = line.strip_prefix("Done ")
            && let Some(n) = rest.split_whitespace().next()
        {
            done_runs = n.parse::<u64>().ok();
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cargo fuzz did not finish: {e}"))?;
    let crashes = crash_files(&artifacts).saturating_sub(before);
    if !status.success() && crashes == 0 {
        return Err(format!(
            "cargo fuzz run {target} failed ({status}) without a crash: see the output above"
        ));
    }
    println!(
        "fuzz.libfuzzer.{target}.runs={}",
        runs.or(done_runs).unwrap_or(0)
    );
    println!("fuzz.libfuzzer.{target}.crashes={crashes}");
    println!(
        "fuzz.libfuzzer.{target}.seconds={:.0}",
        started.elapsed().as_secs_f64()
    );
    Ok(LibFuzzer { crashes })
}

fn crash_files(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    ["crash-", "oom-", "timeout-", "leak-"]
                        .iter()
                        .any(|p| name.starts_with(p))
                })
                .count() as u64
        })
        .unwrap_or(0)
}

/// Fills an empty corpus with readable starting points: the vendors' answers from
/// `fuzz/seeds/decode/` under a few statuses, and the schema fixtures' drafts for `validate` and
/// `reparse` (for which also each two in a row, a NUL apart).
fn seed(target: &str, corpus: &Path) -> Result<(), String> {
    let has_inputs = std::fs::read_dir(corpus).is_ok_and(|mut d| d.next().is_some());
    if has_inputs {
        return Ok(());
    }
    std::fs::create_dir_all(corpus).map_err(|e| format!("cannot create {corpus:?}: {e}"))?;
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    match target {
        "decode" => {
            for (name, body) in files(&fuzz_dir().join("seeds").join("decode"))? {
                for status in [200u16, 201, 400, 422, 429] {
                    // The target reads status = 100 + (first two bytes) % 500, then a header count.
                    let mut input = (status - 100).to_be_bytes().to_vec();
                    input.push(0);
                    input.extend_from_slice(&body);
                    inputs.push((format!("{status}-{name}"), input));
                }
            }
        }
        _ => {
            let schemas = root().join("schemas");
            for vendor in std::fs::read_dir(&schemas).map_err(|e| e.to_string())? {
                let vendor = vendor.map_err(|e| e.to_string())?;
                let vendor_name = vendor.file_name().to_string_lossy().into_owned();
                let fixtures = vendor.path().join("fixtures");
                for op in std::fs::read_dir(&fixtures).into_iter().flatten().flatten() {
                    for (name, text) in files(&op.path())? {
                        let fixture: serde_json::Value =
                            serde_json::from_slice(&text).map_err(|e| format!("{name}: {e}"))?;
                        let instance = serde_json::to_vec_pretty(&fixture["instance"])
                            .map_err(|e| e.to_string())?;
                        let op_name = op.file_name().to_string_lossy().into_owned();
                        inputs.push((format!("{vendor_name}-{op_name}-{name}"), instance));
                    }
                }
            }
        }
    }
    if target == "reparse" {
        // Two drafts a NUL apart: the second is parsed into what the first gave.
        let pairs: Vec<(String, Vec<u8>)> = inputs
            .windows(2)
            .map(|w| {
                let mut both = w[0].1.clone();
                both.push(0);
                both.extend_from_slice(&w[1].1);
                (format!("{}+{}", w[0].0, w[1].0), both)
            })
            .collect();
        inputs.extend(pairs);
    }
    for (name, bytes) in &inputs {
        std::fs::write(corpus.join(name), bytes).map_err(|e| format!("cannot seed {name}: {e}"))?;
    }
    println!(
        "fuzz: seeded {} with {} inputs",
        corpus.display(),
        inputs.len()
    );
    Ok(())
}

fn files(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("cannot read {dir:?}: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_file() {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {path:?}: {e}"))?;
            out.push((name, bytes));
        }
    }
    out.sort();
    Ok(out)
}
